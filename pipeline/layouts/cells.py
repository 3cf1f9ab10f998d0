"""One cell per line: header cells, then every cell on a line of its own, nothing marking a row's end.

::

    序号                       1                     2
                                                     新增规上工业企业150家。
    工 作 任 务                全市生产总值……。
                                                     市经信局
    牵头单位                   市发展改革委          市统计局
    配合单位

When the header cells are separated by blank lines, so are the cells, and a
line break without a blank line stays inside a cell (units one per line, a
wrapped text); otherwise every line is a cell. Rows are recovered from the
running 序号: a line holding the next number starts an item, a heading (一、…)
is a section row, and the cells in between are placed in the columns by
their shapes (:mod:`pipeline.layouts.align`): an empty cell leaves no line, a
multi-unit cell may come as several blank-separated lines, and cells past
the last column start an unnumbered continuation row. After the last item,
lines that fit no column (分享到：) are left out of the table. A cell placed
against its column's shape is kept with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.layouts.align import Alignment, align
from pipeline.layouts.base import Proposal, Region, table_proposal
from pipeline.layouts.headers import header_kind, qualifies, shapes
from pipeline.layouts.shapes import SKIP, SKIP_LATER_UNITS, cell_cost, ends_sentence, is_deadline, is_units
from pipeline.model import Warning
from pipeline.rules import Rules
from pipeline.textnorm import squeeze

MAX_NUMBER = 999
MAX_CATEGORY = 10  # characters of a category cell


@dataclass(frozen=True)
class Header:
    start: int  # first header line
    body: int  # first line after the header
    cells: tuple[str, ...]
    kinds: tuple[str | None, ...]
    blank_separated: bool


@dataclass(frozen=True)
class Chunk:
    first: int  # line indexes in the region
    last: int
    raw: str  # lines joined with "\n"
    plain: str


@dataclass
class Group:
    """The lines between two item numbers: a section heading, or a number and its cells."""

    number: str | None
    section: str | None
    chunks: list[Chunk]
    line: int  # where it starts in the region
    category: str | None = None  # a category printed before the 序号 of its group's first item (领域)


def propose(region: Region, rules: Rules) -> Proposal | None:
    header = _header(region, rules)
    if header is None:
        return None
    chunks, end = _chunks(region, header, rules)
    groups = _groups(chunks, header, rules)
    number_column = header.kinds.index("item_no") if "item_no" in header.kinds else None
    category_column = 0 if number_column and header.kinds[0] == "category" else None
    content = [c for c in range(len(header.cells)) if c not in (number_column, category_column)]
    content_shapes = [shapes(list(header.kinds))[c] for c in content]
    skips = _skips(content_shapes)

    def cost(column: int, text: str) -> float:
        return cell_cost(content_shapes[column], text, rules)

    rows: list[tuple[str, ...]] = [header.cells]
    warnings: list[Warning] = []
    unsure = 0
    for index, group in enumerate(groups):
        if group.number is None and group.section is None and not group.chunks:
            continue  # its only line was the next group's category
        if group.section is not None:
            rows.append(_row(len(header.cells), {number_column or 0: group.section}))
            continue
        last = index == len(groups) - 1
        atoms = [chunk.plain for chunk in group.chunks]
        alignment = align(atoms, skips, content_shapes, cost, "\n", allow_drop=last, numbered=group.number is not None)
        if last and alignment.kept < len(group.chunks):
            end = group.chunks[alignment.kept].first
            for chunk in group.chunks[alignment.kept :]:
                if ends_sentence(chunk.plain, rules):
                    warnings.append(region.warning(chunk.first, f"{_short(chunk.raw)!r} fits no column after the "
                                                                "last item: left out of the table"))
            if alignment.kept == 0 and group.number is None:
                # Nothing here is the table's: nor are the headings right above it.
                headings = next((n for n in range(index) if groups[index - 1 - n].section is None), index)
                if headings:
                    end = groups[index - headings].line
                    del rows[len(rows) - headings :]
                break
        for number, cells in enumerate(_cells(alignment, group, content)):
            if number == 0 and number_column is not None and group.number is not None:
                cells[number_column] = group.number
            if number == 0 and category_column is not None and group.category is not None:
                cells[category_column] = group.category
            rows.append(_row(len(header.cells), cells))
        for row in alignment.rows:
            for placed in row:
                if placed.doubtful:
                    chunk = group.chunks[placed.first]
                    column = header.cells[content[placed.column]]
                    warnings.append(region.warning(chunk.first, f"cell {_short(placed.text)!r} placed under "
                                                                f"{squeeze(column)!r}, which it does not look like"))
                    unsure += len(squeeze(placed.text))
    return table_proposal(header.start, end, rows, warnings, unsure)


def _header(region: Region, rules: Rules) -> Header | None:
    for index in region.lines_matching(rules.layouts.number_header):
        line = region.plain[index]
        if line.startswith("\t") or header_kind(line, rules) != "item_no":
            continue
        first = index
        previous = _previous_content(region, index)
        if previous is not None and header_kind(region.plain[previous], rules) == "category":
            first = previous  # a category column (领域) printed before 序号
        lines = [first] if first != index else []
        at: int | None = index
        while at is not None and header_kind(region.plain[at], rules) is not None and not region.plain[at].startswith("\t"):
            lines.append(at)
            at = _next_content(region, at)
        kinds = tuple(header_kind(region.plain[i], rules) for i in lines)
        if len(lines) >= 2 and qualifies(list(kinds)):
            blank_separated = any(region.blank(i) for i in range(lines[0], lines[-1]))
            cells = tuple(region.raw[i].strip() for i in lines)
            return Header(first, lines[-1] + 1, cells, kinds, blank_separated)
    return None


def _previous_content(region: Region, index: int) -> int | None:
    return next((i for i in range(index - 1, -1, -1) if not region.blank(i)), None)


def _next_content(region: Region, index: int) -> int | None:
    return next((i for i in range(index + 1, len(region)) if not region.blank(i)), None)


def _chunks(region: Region, header: Header, rules: Rules) -> tuple[list[Chunk], int]:
    """The body's cells (blank-separated groups of lines, or single lines) and where the table ends."""
    chunks: list[Chunk] = []
    lines: list[int] = []

    def close() -> None:
        if lines:
            raw = "\n".join(region.raw[i].strip() for i in lines)
            plain = "\n".join(region.plain[i].strip() for i in lines)
            chunks.append(Chunk(lines[0], lines[-1], raw, plain))
            lines.clear()

    for index in range(header.body, len(region)):
        plain = region.plain[index].strip()
        if plain.startswith(rules.tables.note_prefixes) or region.raw[index].startswith("\t"):
            close()
            return chunks, index
        if not plain:
            close()
            continue
        lines.append(index)
        if not header.blank_separated:
            close()
    close()
    return chunks, len(region)


def _groups(chunks: list[Chunk], header: Header, rules: Rules) -> list[Group]:
    groups: list[Group] = []
    expected: int | None = None
    for chunk in chunks:
        first_line = chunk.plain.split("\n")[0]
        number = _number(first_line, rules) if "item_no" in header.kinds else None
        if number is not None and (expected is None or number in (expected, 1)):
            category = _category(groups, header, rules)
            groups.append(Group(chunk.raw.split("\n")[0].strip(), None, [], chunk.first, category))
            expected = number + 1
            rest = chunk.raw.split("\n", 1)[1:] if "\n" in chunk.raw else []
            if rest:  # the number and the first cell without a blank line between
                groups[-1].chunks.append(
                    Chunk(chunk.first + 1, chunk.last, rest[0], chunk.plain.split("\n", 1)[1])
                )
            continue
        if "\n" not in chunk.plain and rules.tables.section.match(chunk.plain):
            groups.append(Group(None, chunk.raw.strip(), [], chunk.first))
            continue
        if not groups or groups[-1].section is not None:
            groups.append(Group(None, None, [], chunk.first))
        groups[-1].chunks.append(chunk)
    return groups


def _category(groups: list[Group], header: Header, rules: Rules) -> str | None:
    """With a category column before 序号 (领域), the short line just before a number is the new group's category."""
    if header.kinds[0] != "category" or not groups or not groups[-1].chunks:
        return None
    last = groups[-1].chunks[-1]
    text = last.plain.strip()
    if "\n" in text or len(text) > MAX_CATEGORY or any(ch.isdigit() for ch in text):
        return None
    if ends_sentence(text, rules) or is_units(text, rules) or is_deadline(text, rules):
        return None
    groups[-1].chunks.pop()
    return last.raw.strip()


def _number(line: str, rules: Rules) -> int | None:
    match = rules.tables.item_number.fullmatch(squeeze(line))
    if match and match["arabic"] and int(match["arabic"]) <= MAX_NUMBER:
        return int(match["arabic"])
    return None


def _skips(content_shapes: list[str]) -> list[float]:
    skips, seen_units = [], False
    for shape in content_shapes:
        skips.append(SKIP_LATER_UNITS if shape == "units" and seen_units else SKIP[shape])
        seen_units = seen_units or shape == "units"
    return skips


def _cells(alignment: Alignment, group: Group, content: list[int]) -> list[dict[int, str]]:
    out = []
    for row in alignment.rows:
        cells = {}
        for placed in row:
            raw = "\n".join(chunk.raw for chunk in group.chunks[placed.first : placed.last])
            cells[content[placed.column]] = raw
        out.append(cells)
    return out


def _row(width: int, cells: dict[int, str]) -> tuple[str, ...]:
    return tuple(cells.get(column, "") for column in range(width))


def _short(text: str) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= 30 else flat[:29] + "…"
