"""Paragraph notices: numbered task paragraphs, their units in a parenthesis or in labelled lines.

::

    一、稳住经济增长
    　　1.全市地区生产总值增长5.5%左右。（牵头单位：市发展改革委；配合单位：市财政局）
    　　2.扩大有效投资……。（市发展改革委牵头，市住建局配合）
    　　建成农村公路300公里。（市交通运输局牵头）            <- unnumbered: part 2 of item 2
    （一）教育卫生
    　　1.建成中小学12所。
    　　责任单位：市教育局、市卫生健康委分别牵头，市财政局配合

Headings (``第一部分`` / ``一、`` / ``（一）``: ``section_levels`` of
``rules/tables.yaml``) nest: a section row holds them joined with " / ", and
numbering restarts under each; a short unnumbered line that is no sentence,
between tasks or headings and over a numbered task (完善交通路网), is the
deepest heading.
A task paragraph starts with its number (1. / 1、 / （1）, or （三） when it
carries units); its units come in a trailing parenthesis, inline after its
last sentence, or in labelled lines after it (:mod:`pipeline.layouts.parts`);
an unnumbered paragraph with units of its own continues the item above. A
livelihood paragraph may name its project before ``：`` (居家养老服务提升项目：…).

The table this proposes has a header written from the rules — the first
name of each column kind in ``tables.yaml`` (序号, 主要工作任务 or 项目名称 +
项目内容, 责任领导, 牵头单位, 责任单位, 配合单位, 完成时限, 进展情况) — so the
tables stage maps its columns by name as for any table. A list counts as a table when at
least half of its items carry units; a paragraph that is none of the above
ends it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from pipeline.layouts.base import Proposal, Region, placed
from pipeline.layouts.parts import first_label, read_parts, starts_with_label
from pipeline.layouts.shapes import ends_sentence
from pipeline.model import Block, Paragraph, Table, Warning
from pipeline.rules import Rules

SECTION_JOIN = " / "
MAX_HEADING = 50  # characters of a heading
MAX_SUBHEADING = 30  # characters of an unnumbered heading over numbered tasks (完善交通路网)
MAX_PROJECT_NAME = 25
PART_KINDS = ("leader", "lead", "responsible", "support", "deadline", "progress")


@dataclass
class Row:
    line: int  # region index of its paragraph
    number: str | None
    text: str
    name: str | None = None
    cells: dict[str, str] = field(default_factory=dict)
    section: str | None = None  # a section row's heading (joined)
    prose: bool = False  # a paragraph between a heading and its first task: kept as a paragraph

    @property
    def is_task(self) -> bool:
        return self.section is None and not self.prose


def propose(region: Region, rules: Rules) -> Proposal | None:
    cues = [i for i in region.lines_matching(rules.layouts.cue_marks) if not region.raw[i].startswith("\t")]
    if not any(rules.layouts.units_cue.search(region.plain[i]) for i in cues):
        return None  # no label, no role word ending a clause (tab cells are another layout's)
    pieces = _pieces(region, cues, rules)
    lines = region if pieces is None else pieces.region
    reader = _Reader(lines, rules)
    for index in range(len(lines)):
        if not lines.blank(index) and not reader.read(index):
            break
    proposal = reader.proposal()
    return proposal if proposal is None or pieces is None else pieces.back(proposal)


@dataclass(frozen=True)
class _Pieces:
    """A region whose lines holding a whole numbered list (…公示。 1.… 2.…) are cut into one line per task."""

    region: Region
    line: tuple[int, ...]  # the original line of each piece

    def back(self, proposal: Proposal) -> Proposal:
        """The proposal over the original lines; the pieces of its first and last lines that it does
        not explain (the text before 1.) become paragraphs around its blocks."""
        first, last = self.line[proposal.start], self.line[proposal.end - 1]
        before = [i for i in range(proposal.start) if self.line[i] == first]
        after = [i for i in range(proposal.end, len(self.line)) if self.line[i] == last]
        around = [[Paragraph(t) for i in part if (t := self.region.raw[i].strip())] for part in (before, after)]
        blocks = (*around[0], *proposal.blocks, *around[1])
        return Proposal(first, last + 1, blocks, proposal.warnings, proposal.score)


def _pieces(region: Region, cues: list[int], rules: Rules) -> _Pieces | None:
    """Cut the lines with units in which task numbers run in sequence after spaces or sentence ends."""
    cuts = {index: found for index in cues if len(found := _inline_items(region.plain[index], rules)) >= 2}
    if not cuts:
        return None
    raw: list[str] = []
    plain: list[str] = []
    numbers: list[int] = []
    line: list[int] = []
    for index in range(len(region)):
        bounds = [0, *cuts.get(index, []), len(region.raw[index])]
        for start, end in itertools.pairwise(bounds):
            if start < end:
                raw.append(region.raw[index][start:end])
                plain.append(region.plain[index][start:end])
                numbers.append(region.numbers[index])
                line.append(index)
    return _Pieces(Region.of(tuple(raw), tuple(plain), tuple(numbers), unit=region.unit), tuple(line))


def _inline_items(plain: str, rules: Rules) -> list[int]:
    """Where task numbers running in sequence (1. … 2. … 3.) start inside a line."""
    found: list[int] = []
    expected: int | None = None
    for match in rules.layouts.inline_item.finditer(plain):
        number = int(match["number"])
        if expected is None or number == expected:
            found.append(match.start())
            expected = number + 1
    return found


class _Reader:
    """The rows of the first paragraph list in a region, line by line."""

    def __init__(self, region: Region, rules: Rules) -> None:
        self.region, self.rules = region, rules
        self.rows: list[Row] = []
        self.warnings: list[Warning] = []
        self.headings: list[tuple[int, str]] = []
        self.start: int | None = None
        self.end = len(region)

    def read(self, index: int) -> bool:
        """Take one paragraph; False when it ends the list."""
        raw, plain = self.region.raw[index].strip(), self.region.plain[index].strip()
        last = self.rows[-1] if self.rows else None
        if last is not None and last.is_task and starts_with_label(plain, self.rules):
            parts = read_parts(raw, plain, self.rules)
            if parts is None:
                self.warnings.append(self.region.warning(index, f"labelled line not read as units: {raw[:30]!r}"))
            else:
                _merge(last.cells, parts, self.rules)
            return True
        row = _task(raw, plain, index, self.rules)
        level = _heading_level(plain, self.rules)
        if row is None and level is not None and self._labelled_next(index):
            row = _numbered_by_heading(raw, plain, index, level, self.rules)  # （一）… with 牵头单位： under it
        if row is not None and row.number is not None and not row.cells and self._deeper_next(plain, index):
            row, level = None, _depth(plain, self.rules)  # 1.工业经济 over （1）… items: a heading
        if last is not None and last.is_task and not last.cells and self._wraps(row, index):
            last.text += raw if row is None else row.text  # the item's text went on in another paragraph
            _merge(last.cells, row.cells if row else {}, self.rules)
        elif row is not None:
            self.rows.append(row)
        elif level is not None and len(plain) <= MAX_HEADING and (
            not ends_sentence(plain, self.rules) or self._numbered_next(index) or level >= len(self.rules.layouts.heading_levels)
        ):
            self._heading(index, level, raw)
        elif row is None and level is None and self.rows and self._subheading(plain, index):
            self._heading(index, len(self.rules.layouts.heading_levels), raw)  # the deepest heading
        elif _is_table(self.rows) and self.rows[-1].section is not None and self._numbered_next(index):
            self.rows.append(Row(index, None, raw, prose=True))  # a section's introduction: not a task
        elif _is_table(self.rows):
            self.end = index
            return False
        else:  # not a list yet (a cover letter's paragraphs): start again after this one
            self.rows, self.warnings, self.headings, self.start = [], [], [], None
            return True
        self.start = index if self.start is None else self.start
        return True

    def _subheading(self, plain: str, index: int) -> bool:
        """A short unnumbered line that is no sentence, inside the list, over a numbered task: a heading."""
        marks = (*self.rules.text.sentence_ends, *self.rules.text.clause_marks, *self.rules.text.lead_ins)
        return len(plain) <= MAX_SUBHEADING and not any(mark in plain for mark in marks) and self._numbered_next(index)

    def _wraps(self, row: Row | None, index: int) -> bool:
        """Does an unnumbered paragraph continue the item above: its units close it, or a labelled line follows?"""
        if row is not None and row.number is not None:
            return False
        return row is not None or self._labelled_next(index)

    def _next_plain(self, index: int) -> str:
        following = next((i for i in range(index + 1, len(self.region)) if not self.region.blank(i)), None)
        return "" if following is None else self.region.plain[following].strip()

    def _labelled_next(self, index: int) -> bool:
        return starts_with_label(self._next_plain(index), self.rules)

    def _numbered_next(self, index: int) -> bool:
        return self.rules.layouts.item_start.match(self._next_plain(index)) is not None

    def _deeper_next(self, plain: str, index: int) -> bool:
        """Is the next paragraph numbered one level deeper (（1） after 1.)? Then this one heads it."""
        here, following = _depth(plain, self.rules), _depth(self._next_plain(index), self.rules)
        return here is not None and following is not None and following > here

    def _heading(self, index: int, level: int, raw: str) -> None:
        self.headings = [(lv, text) for lv, text in self.headings if lv < level] + [(level, raw)]
        if self.rows and self.rows[-1].section is not None and len(self.headings) > 1:
            self.rows.pop()  # a heading with nothing but a nested heading under it: the nested one names both
        self.rows.append(Row(index, None, "", section=SECTION_JOIN.join(text for _, text in self.headings)))

    def proposal(self) -> Proposal | None:
        while self.rows and not self.rows[-1].is_task:
            self.end = self.rows.pop().line
        if self.start is None or not _is_table(self.rows):
            return None
        return _proposal(self.rules, self.rows, self.warnings, self.start, self.end)


def _heading_level(plain: str, rules: Rules) -> int | None:
    return next((level for level, pattern in enumerate(rules.layouts.heading_levels) if pattern.match(plain)), None)


def _depth(plain: str, rules: Rules) -> int | None:
    """How deep a paragraph's numbering nests: the heading levels (第一部分, 一、, （一）), then 1. and （1）."""
    level = _heading_level(plain, rules)
    if level is not None:
        return level
    match = rules.layouts.item_start.match(plain)
    if match is None or not match["number"].isdigit():
        return None
    levels = len(rules.layouts.heading_levels)
    return levels + 1 if match.group().startswith(tuple(rules.text.openings)) else levels


def _task(raw: str, plain: str, index: int, rules: Rules) -> Row | None:
    """A task paragraph: its number (None when unnumbered), text, project name and units."""
    match = rules.layouts.item_start.match(plain)
    number = match["number"] if match else None
    body, body_plain = (raw[match.end() :], plain[match.end() :]) if match else (raw, plain)
    text, text_plain, cells = _units_at_end(body.strip(), body_plain.strip(), rules)
    if match and match.group().startswith(tuple(rules.text.openings)) and not match["number"].isdigit() and not cells:
        return None  # （三）… without units is a heading
    if number is None and not cells:
        return None  # prose, a heading or a wrapped line
    name = None
    colon = next((i for i, ch in enumerate(text_plain) if ch in rules.text.lead_ins), None)
    if colon is not None and colon <= MAX_PROJECT_NAME and text_plain[:colon].endswith(rules.layouts.project_endings):
        name, text = text[:colon], text[colon + 1 :]
    return Row(index, number, text.strip(), name, cells)


def _numbered_by_heading(raw: str, plain: str, index: int, level: int, rules: Rules) -> Row:
    match = rules.layouts.heading_levels[level].match(plain)
    end = match.end() if match else 0
    return Row(index, raw[:end].strip(), raw[end:].strip())


def _units_at_end(raw: str, plain: str, rules: Rules) -> tuple[str, str, dict[str, str]]:
    """Split a paragraph into its text and the units after it: a trailing parenthesis or inline labels."""
    tail = plain.rstrip().rstrip("".join(rules.text.sentence_ends)).rstrip()
    if tail and tail[-1] in rules.text.closings:
        opening = _matching_opening(tail, rules)
        if opening is not None:
            parts = read_parts(raw[opening + 1 : len(tail) - 1], tail[opening + 1 : -1], rules)
            if parts is not None:
                text = raw[:opening].rstrip()
                after = raw[len(tail) :].strip()
                if after and not ends_sentence(text, rules):
                    text += after
                return text, plain[: len(text)], parts
    label = first_label(plain, rules, 1)
    if label is not None:
        parts = read_parts(raw[label:], plain[label:], rules)
        if parts is not None:
            return raw[:label].rstrip(), plain[:label].rstrip(), parts
    return raw, plain, {}


def _matching_opening(text: str, rules: Rules) -> int | None:
    openings, closings = rules.text.openings, rules.text.closings
    depth = 0
    for at in range(len(text) - 1, -1, -1):
        if text[at] in closings:
            depth += 1
        elif text[at] in openings:
            depth -= 1
            if depth == 0:
                return at
    return None


def _merge(cells: dict[str, str], parts: dict[str, str], rules: Rules) -> None:
    separator = rules.tables.organisations.separators[0]
    for kind, value in parts.items():
        cells[kind] = f"{cells[kind]}{separator}{value}" if kind in cells else value


def _is_table(rows: list[Row]) -> bool:
    items = [row for row in rows if row.is_task]
    with_units = [row for row in items if set(row.cells) - {"deadline", "progress"}]
    return bool(with_units) and 2 * len(with_units) >= len(items)


def _proposal(rules: Rules, rows: list[Row], warnings: list[Warning], start: int, end: int) -> Proposal:
    columns = rules.tables.columns
    named = any(row.name for row in rows)
    kinds = ["item_no", *(("name", "content") if named else ("task",))]
    kinds += [kind for kind in PART_KINDS if any(kind in row.cells for row in rows)]
    header = tuple(columns[k][0] for k in kinds)
    blocks: list[Block] = []
    table: list[tuple[str, ...]] = []
    score = 0
    for row in rows:
        if row.prose:  # the table goes on after it under the same header (the tables stage reads one table)
            blocks.extend((Table((header, *table)), Paragraph(row.text)))
            score, table = score + placed(table), []
        elif row.section is not None:
            table.append((row.section, *([""] * (len(kinds) - 1))))
        else:
            values = {"item_no": row.number or "", "name": row.name or "", "task": row.text, "content": row.text}
            values.update(row.cells)
            table.append(tuple(values.get(kind, "") for kind in kinds))
    blocks.append(Table((header, *table)))
    # The header is written here, not read: only the rows count towards the score.
    return Proposal(start, end, tuple(blocks), tuple(warnings), score + placed(table))
