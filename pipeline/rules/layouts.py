"""``rules/layouts.yaml``: titles, header words, unit and deadline shapes, labelled parts of text layouts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.errors import RuleError
from pipeline.rules.loading import RuleFile, read_rule_file
from pipeline.rules.tables import TableRules

FILE = "layouts.yaml"
KEYS = (
    "role_suffixes", "pipes", "separator_line", "part_separators", "unit_endings", "unit_starts", "unit_trailers", "title_words", "attachment",
    "attachment_inline", "not_item_number", "chunk_marker", "inline_section", "deadline", "project_endings", "inline_item", "item_start",
)
# The column kinds whose names label a part of a paragraph (牵头单位：…, 责任领导：…, 完成时限：…).
LABEL_KINDS = ("lead", "support", "responsible", "leader", "deadline", "progress")
ROLE_KINDS = ("lead", "support", "responsible")


@dataclass(frozen=True)
class LayoutRules:
    """The words of ``layouts.yaml``, and what the layouts stage derives from them and ``tables.yaml``."""

    header_kinds: dict[str, str]  # header cell (whitespace removed) -> column kind: tables.yaml's columns
    header_word: regex.Pattern[str]  # any header cell, longest first: run-together headers
    number_header: regex.Pattern[str]  # a name of the 序号 column, spaces allowed between its characters
    role_suffixes: tuple[tuple[str, str], ...]  # (suffix, role), longest first
    pipes: tuple[str, ...]
    separator_line: regex.Pattern[str]
    part_separators: tuple[str, ...]
    unit_endings: tuple[str, ...]  # tables.yaml's unit_name_endings and layouts.yaml's
    unit_starts: tuple[str, ...]
    unit_trailers: tuple[str, ...]
    title_words: tuple[str, ...]
    kind_words: tuple[str, ...]  # the words of tables.yaml's table_kinds
    kind_word: regex.Pattern[str]  # any of them
    attachment: regex.Pattern[str]
    attachment_inline: regex.Pattern[str]
    not_item_number: regex.Pattern[str]
    chunk_marker: regex.Pattern[str]
    inline_section: regex.Pattern[str]
    deadline: regex.Pattern[str]
    project_endings: tuple[str, ...]
    heading_levels: tuple[regex.Pattern[str], ...]  # tables.yaml's section_levels
    inline_item: regex.Pattern[str]  # group number: a task's number inside a line
    item_start: regex.Pattern[str]  # group number

    label_kinds: dict[str, str]  # label -> column kind: the names of tables.yaml's LABEL_KINDS columns
    label: regex.Pattern[str]  # a label and its colon (group label), longest label first: 协同责任单位 before 责任单位
    units_cue: regex.Pattern[str]  # a label, or a role word ending a clause: a paragraph notice may be here
    cue_marks: regex.Pattern[str]  # a colon, or a role word's last character ending a clause: quick to search


def load(folder: Path, lists: Mapping[str, Iterable[str]], tables: TableRules) -> LayoutRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    item_start = rule_file.pattern("item_start", lists)
    inline_item = rule_file.pattern("inline_item", lists)
    for key, pattern in (("item_start", item_start), ("inline_item", inline_item)):
        if "number" not in pattern.groupindex:
            raise rule_file.error(key, "should have the group 'number'")
    suffixes = _lists(rule_file, "role_suffixes", ROLE_KINDS)
    label_kinds = {label: kind for kind in LABEL_KINDS for label in tables.columns[kind]}
    header_kinds = {alias: kind for kind, aliases in tables.columns.items() for alias in aliases}
    words_first = sorted(header_kinds, key=lambda w: (-len(w), w))
    return LayoutRules(
        header_kinds=header_kinds,
        header_word=regex.compile(r"\L<words>", words=words_first),
        number_header=regex.compile(
            "|".join(r"\s*".join(regex.escape(ch) for ch in alias) for alias in tables.number_headers)
        ),
        label_kinds=label_kinds,
        label=regex.compile(r"(?P<label>\L<labels>)\s*[\uff1a:]", labels=sorted(label_kinds, key=lambda w: (-len(w), w))),
        cue_marks=regex.compile(
            r"(?m) [\uff1a:] | \L<last> (?= [^\p{L}\p{N}] | $ )", regex.VERBOSE,
            last=sorted({s[-1] for words in suffixes.values() for s in words}),
        ),
        units_cue=regex.compile(
            r"(?m) \L<labels> \s* [\uff1a:] | \L<suffixes> (?= [^\p{L}\p{N}] | $ )", regex.VERBOSE,
            labels=list(label_kinds), suffixes=[s for words in suffixes.values() for s in words],
        ),
        role_suffixes=tuple(
            sorted(((s, role) for role, words in suffixes.items() for s in words), key=lambda p: -len(p[0]))
        ),
        pipes=rule_file.strings("pipes"),
        separator_line=rule_file.pattern("separator_line", lists),
        part_separators=rule_file.strings("part_separators"),
        unit_endings=(*tables.organisations.name_endings, *rule_file.strings("unit_endings")),
        unit_starts=rule_file.strings("unit_starts"),
        unit_trailers=rule_file.strings("unit_trailers"),
        title_words=rule_file.strings("title_words"),
        kind_words=tuple(word for _, words in tables.kinds for word in words),
        kind_word=regex.compile(r"\L<words>", words=[word for _, words in tables.kinds for word in words]),
        attachment=rule_file.pattern("attachment", lists),
        attachment_inline=rule_file.pattern("attachment_inline", lists),
        not_item_number=rule_file.pattern("not_item_number", lists),
        chunk_marker=rule_file.pattern("chunk_marker", lists),
        inline_section=rule_file.pattern("inline_section", lists),
        deadline=rule_file.pattern("deadline", lists),
        project_endings=rule_file.strings("project_endings"),
        heading_levels=tables.section_levels,
        inline_item=inline_item,
        item_start=item_start,
    )


def _lists(rule_file: RuleFile, key: str, kinds: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A mapping of ``kinds`` to lists of words; a word is listed once in the whole mapping."""
    out: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for kind, words in rule_file.mapping(key).items():
        if kind not in kinds:
            raise rule_file.error(key, f"should be one of {list(kinds)}", kind)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise rule_file.error(key, "should list words", kind)
        for index, word in enumerate(words):
            if word in seen:
                line = rule_file.lines.get((key, kind, index)) or rule_file.lines.get((key, kind))
                raise RuleError(f"{rule_file.label}:{line}: key {key!r} entry {word!r} is listed twice")
            seen.add(word)
        out[kind] = tuple(words)
    return out
