"""``rules/tables.yaml``: column names, table kinds, section and item numbers, notes, unit cells."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.errors import RuleError
from pipeline.rules.loading import read_rule_file
from pipeline.textnorm import squeeze

FILE = "tables.yaml"
KEYS = (
    "columns", "table_kinds", "title_lookback", "section_pattern", "section_levels", "heading_joiner", "item_number",
    "text_item_number", "note_prefixes", "unit_separators", "lead_markers", "unit_name_endings",
    "first_listed_rule", "unit_roles", "unit_label", "unit_note_starts", "no_unit", "unit_trailing", "person_name",
)
TABLE_KINDS = ("key_work", "special_action", "livelihood")
COLUMN_KINDS = (
    "item_no", "task", "name", "content", "lead", "responsible", "support", "deadline",
    "leader", "category", "progress", "requirement", "remarks",
)
ROLES = ("lead", "support")


@dataclass(frozen=True)
class OrganisationRules:
    """How a cell of responsible organisations is split (pipeline/organisations.py)."""

    separators: tuple[str, ...]
    lead_markers: tuple[str, ...]
    name_endings: tuple[str, ...]
    first_listed: regex.Pattern[str]  # the notice's rule: the first unit of a 责任单位 cell leads
    roles: dict[str, str]  # role word after units (分别牵头, 配合) -> lead / support
    role_word: regex.Pattern[str]  # any role word, longest first
    label: regex.Pattern[str]  # group word: a label in a unit cell (牵头单位：)
    label_roles: dict[str, str | None]  # label word -> role (None: the cell's column decides)
    note_starts: tuple[str, ...]  # words starting a note in parentheses after a name
    no_unit: tuple[str, ...]  # a cell holding only one of these names no unit (无)
    trailing: regex.Pattern[str]  # what closes a list at a name's end (等)
    person: regex.Pattern[str]  # a person's name after a unit


@dataclass(frozen=True)
class TableRules:
    columns: dict[str, tuple[str, ...]]  # column kind -> header names, whitespace removed
    kinds: tuple[tuple[str, tuple[str, ...]], ...]  # table kind -> title words, in order
    title_lookback: int
    section: regex.Pattern[str]
    section_levels: tuple[regex.Pattern[str], ...]  # outermost first
    heading_joiner: str  # between a heading's number and text split over two cells
    item_number: regex.Pattern[str]  # groups arabic, chinese
    text_item_number: regex.Pattern[str]  # group arabic: a number printed at a task text's start
    note_prefixes: tuple[str, ...]
    organisations: OrganisationRules

    @property
    def number_headers(self) -> tuple[str, ...]:
        """The names of the 序号 column: a header cell holding one marks a responsibility table."""
        return self.columns["item_no"]


def load(folder: Path, lists: Mapping[str, Iterable[str]]) -> TableRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    columns = {}
    seen: set[str] = set()
    for kind, aliases in rule_file.mapping("columns").items():
        if kind not in COLUMN_KINDS:
            raise rule_file.error("columns", f"should be one of {list(COLUMN_KINDS)}", kind)
        if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise rule_file.error("columns", "should list header names", kind)
        columns[kind] = tuple(squeeze(alias) for alias in aliases)
        for index, alias in enumerate(columns[kind]):  # one list of header words: a name heads one kind
            if alias in seen:
                line = rule_file.lines.get(("columns", kind, index)) or rule_file.lines.get(("columns", kind))
                raise RuleError(f"{rule_file.label}:{line}: key 'columns' entry {alias!r} is listed twice")
            seen.add(alias)
    for kind in COLUMN_KINDS:
        if kind not in columns:
            raise rule_file.error("columns", "is missing", kind)
    kinds = []
    for kind, words in rule_file.mapping("table_kinds").items():
        if kind not in TABLE_KINDS:
            raise rule_file.error("table_kinds", f"should be one of {list(TABLE_KINDS)}", kind)
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise rule_file.error("table_kinds", "should list title words", kind)
        kinds.append((kind, tuple(words)))
    item_number = rule_file.pattern("item_number", lists)
    if not {"arabic", "chinese"} <= set(item_number.groupindex):
        raise rule_file.error("item_number", "should have the groups ['arabic', 'chinese']")
    text_item_number = rule_file.pattern("text_item_number", lists)
    if "arabic" not in text_item_number.groupindex:
        raise rule_file.error("text_item_number", "should have the group 'arabic'")
    levels = rule_file.strings("section_levels")
    roles = rule_file.choices("unit_roles", ROLES)
    label_roles: dict[str, str | None] = dict(roles)
    for kind, role in (("responsible", None), ("support", "support"), ("lead", "lead")):
        label_roles.update({alias: role for alias in columns[kind]})
    label = rule_file.pattern("unit_label", {**lists, "unit_label_words": tuple(label_roles)})
    if "word" not in label.groupindex:
        raise rule_file.error("unit_label", "should have the group 'word'")
    return TableRules(
        columns=columns,
        kinds=tuple(kinds),
        title_lookback=rule_file.integer("title_lookback", minimum=1),
        section=rule_file.pattern("section_pattern", lists),
        section_levels=tuple(
            rule_file.pattern("section_levels", lists, entry=level, source=level) for level in levels
        ),
        heading_joiner=rule_file.text("heading_joiner"),
        item_number=item_number,
        text_item_number=text_item_number,
        note_prefixes=rule_file.strings("note_prefixes"),
        organisations=OrganisationRules(
            separators=rule_file.strings("unit_separators"),
            lead_markers=rule_file.strings("lead_markers"),
            name_endings=rule_file.strings("unit_name_endings"),
            first_listed=rule_file.pattern("first_listed_rule", lists),
            roles=roles,
            role_word=regex.compile(r"\L<words>", words=sorted(roles, key=len, reverse=True)),
            label=label,
            label_roles=label_roles,
            note_starts=rule_file.strings("unit_note_starts"),
            no_unit=rule_file.strings("no_unit"),
            trailing=rule_file.pattern("unit_trailing", lists),
            person=rule_file.pattern("person_name", lists),
        ),
    )
