"""``rules/tables.yaml``: column names, table kinds, section and item numbers, notes, unit cells."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import read_rule_file
from pipeline.textnorm import squeeze

FILE = "tables.yaml"
KEYS = (
    "columns", "table_kinds", "title_lookback", "section_pattern", "item_number", "note_prefixes",
    "unit_separators", "lead_markers", "unit_name_endings",
)
TABLE_KINDS = ("key_work", "special_action", "livelihood")
COLUMN_KINDS = ("item_no", "task", "name", "content", "lead", "responsible", "support", "deadline")


@dataclass(frozen=True)
class OrganisationRules:
    """How a cell of responsible organisations is split (pipeline/organisations.py)."""

    separators: tuple[str, ...]
    lead_markers: tuple[str, ...]
    name_endings: tuple[str, ...]


@dataclass(frozen=True)
class TableRules:
    columns: dict[str, tuple[str, ...]]  # column kind -> header names, whitespace removed
    kinds: tuple[tuple[str, tuple[str, ...]], ...]  # table kind -> title words, in order
    title_lookback: int
    section: regex.Pattern[str]
    item_number: regex.Pattern[str]  # groups arabic, chinese
    note_prefixes: tuple[str, ...]
    organisations: OrganisationRules

    @property
    def number_headers(self) -> tuple[str, ...]:
        """The names of the 序号 column: a header cell holding one marks a responsibility table."""
        return self.columns["item_no"]


def load(folder: Path, lists: Mapping[str, Iterable[str]]) -> TableRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    columns = {}
    for kind, aliases in rule_file.mapping("columns").items():
        if kind not in COLUMN_KINDS:
            raise rule_file.error("columns", f"should be one of {list(COLUMN_KINDS)}", kind)
        if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise rule_file.error("columns", "should list header names", kind)
        columns[kind] = tuple(squeeze(alias) for alias in aliases)
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
    return TableRules(
        columns=columns,
        kinds=tuple(kinds),
        title_lookback=rule_file.integer("title_lookback", minimum=1),
        section=rule_file.pattern("section_pattern", lists),
        item_number=item_number,
        note_prefixes=rule_file.strings("note_prefixes"),
        organisations=OrganisationRules(
            separators=rule_file.strings("unit_separators"),
            lead_markers=rule_file.strings("lead_markers"),
            name_endings=rule_file.strings("unit_name_endings"),
        ),
    )
