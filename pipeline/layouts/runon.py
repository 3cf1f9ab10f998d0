"""Cells run together: a whole table on one line with no delimiter at all (aggregator copies).

::

    附件12024年…责任分解序号主要工作任务牵头单位配合单位一、稳住经济增长1全市……增长5%。市发展改革委市财政局、市统计局2扩大……

The header is a run of column names after 序号. Rows come from the item
numbers, which must run in sequence (1, 2, …; a number inside a quantity,
5.5% or 10个, is not one) and stand right after a cell's end: a sentence end,
a unit name's ending (局, 委, 政府 …), a deadline; a heading (二、…) starts a
section. Inside an item the text is cut where a cell may end (after 。 or
；, after a unit name not joined to the next by 、, before a trailing
deadline, after a project name) and the pieces are placed in the columns by
their shapes (:mod:`pipeline.layouts.align`): units joined by 、 share a cell,
a unit name followed directly by another starts the next cell. A repeated
header (a page break on the source) is skipped; an attachment line (附件2),
a note (注：) or the next header ends the table. Names run together inside one
unit cell, and cells that fit their column badly, are kept with a warning.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from unicodedata import normalize

from pipeline.layouts.align import align
from pipeline.layouts.base import Proposal, Region, placed
from pipeline.layouts.headers import UNIT_KINDS, InlineHeader, find_inline_header, shapes
from pipeline.layouts.shapes import MIN_UNIT, MISFIT, SKIP, SKIP_LATER_UNITS, cell_cost, person_before_unit
from pipeline.model import Block, Paragraph, Table, Warning
from pipeline.rules import Rules
from pipeline.textnorm import squeeze

MAX_DEADLINE = 16  # characters of a deadline at a row's end
MAX_ITEM = 999


@dataclass(frozen=True)
class Line:
    raw: str
    plain: str
    index: int  # in the region


def propose(region: Region, rules: Rules) -> Proposal | None:
    candidates = region.lines_matching(rules.layouts.number_header)
    index = next((i for i in candidates if _holds_header(region, i, rules)), None)
    if index is None:
        return None
    line, end = _stream(region, index, rules)
    blocks, warnings, unsure = _read(line, region, rules)
    tables = [block for block in blocks if isinstance(block, Table)]
    score = sum(placed(table.rows) for table in tables) - 2 * unsure
    return Proposal(index, end, tuple(blocks), tuple(warnings), score)


def _stream(region: Region, index: int, rules: Rules) -> tuple[Line, int]:
    """The header's line and the lines that continue it, and where they end.

    A line continues the text above when it opens with an aggregator's chunk
    mark (2、, dropped; the chunk may repeat the header, a page break of the
    source) or when the text above stops where no cell can end and the line
    holds no header of its own.
    """
    raw, plain = region.raw[index].rstrip(), region.plain[index].rstrip()
    end = index + 1
    while end < len(region) and not region.blank(end):
        following_raw, following = region.raw[end].strip(), region.plain[end].strip()
        marker = rules.layouts.chunk_marker.match(following)
        if marker is None and (_cell_end(plain, len(plain), rules) or _holds_header(region, end, rules)):
            break
        cut = marker.end() if marker else 0
        raw, plain = raw + following_raw[cut:], plain + following[cut:]
        end += 1
    return Line(raw, plain, index), end


def _holds_header(region: Region, index: int, rules: Rules) -> bool:
    raw = region.raw[index]
    if "\t" in raw or any(pipe in raw for pipe in rules.layouts.pipes):
        return False
    return find_inline_header(region.plain[index], raw, rules) is not None


def _read(line: Line, region: Region, rules: Rules) -> tuple[list[Block], list[Warning], int]:
    blocks: list[Block] = []
    warnings: list[Warning] = []
    unsure = 0
    position = 0
    while True:
        header = find_inline_header(line.plain, line.raw, rules, position)
        if header is None:
            blocks.extend(_gap(line, position, len(line.plain), rules))
            return blocks, warnings, unsure
        blocks.extend(_gap(line, position, header.start, rules))
        end = _body_end(line.plain, header, rules)
        table, found, doubtful = _table(line, header, end, region, rules)
        blocks.append(table)
        warnings.extend(found)
        unsure += doubtful
        position = end


def _gap(line: Line, start: int, end: int, rules: Rules) -> list[Paragraph]:
    """Text between tables as paragraphs: an attachment mark (附件2) and what follows it (the title)."""
    out: list[Paragraph] = []
    match = rules.layouts.attachment_inline.search(line.plain, start, end)
    cuts = [start, *([match.start(), match.end()] if match else []), end]
    for first, last in itertools.pairwise(cuts):
        text = line.raw[first:last].strip()
        if text:
            out.append(Paragraph(text))
    return out


def _body_end(plain: str, header: InlineHeader, rules: Rules) -> int:
    """Where the table that ``header`` starts ends: a note, an attachment mark or the next, different header."""
    own = squeeze(plain[header.start : header.end])
    position, end = header.end, len(plain)
    while (following := find_inline_header(plain, plain, rules, position)) is not None:
        if squeeze(plain[following.start : following.end]) != own:
            end = following.start
            break
        position = following.end
    candidates = [end]
    for prefix in rules.tables.note_prefixes:
        at = plain.find(prefix, header.end, end)
        if at >= 0:
            candidates.append(at)
    for match in rules.layouts.attachment_inline.finditer(plain, header.end, end):
        if any(ch.isdigit() for ch in match.group()):  # 附件2, not 见附件
            candidates.append(match.start())
            break
    return min(candidates)


@dataclass
class _Columns:
    """A run-together table's columns: the header, and the shapes of the columns after 序号."""

    header: InlineHeader
    number: int  # the 序号 column
    content: list[int]  # the others, in order
    shapes: list[str]
    skips: list[float]


def _columns(header: InlineHeader) -> _Columns:
    number = header.kinds.index("item_no")
    content = [c for c in range(len(header.cells)) if c != number]
    content_shapes = [shapes(list(header.kinds))[c] for c in content]
    skips, seen_units = [], False
    for shape in content_shapes:
        skips.append(SKIP_LATER_UNITS if shape == "units" and seen_units else SKIP[shape])
        seen_units = seen_units or shape == "units"
    return _Columns(header, number, content, content_shapes, skips)


def _table(
    line: Line, header: InlineHeader, end: int, region: Region, rules: Rules
) -> tuple[Table, list[Warning], int]:
    plain = _blank_out(line.plain, line.plain[header.start : header.end], header.end, end)
    columns = _columns(header)
    rows: list[tuple[str, ...]] = [header.cells]
    notes: list[tuple[str, str]] = []  # (what, text placed with doubt)
    for kind, number, first, last in _spans(plain, header.end, end, rules):
        text = line.raw[first:last].strip()
        if kind == "section":
            rows.append(tuple(text if c == columns.number else "" for c in range(len(header.cells))))
        elif kind == "lead" and text:
            notes.append((f"text before the first item not read: {_short(text)!r}", text))
        elif kind == "item":
            found, doubts = _item(line, plain, first, last, str(number), columns, rules)
            rows.extend(found)
            notes.extend(doubts)
    warnings = [region.warning(line.index, what) for what, _ in notes]
    return Table(tuple(rows)), warnings, sum(len(squeeze(text)) for _, text in notes)


def _item(
    line: Line, plain: str, first: int, last: int, number: str, columns: _Columns, rules: Rules
) -> tuple[list[tuple[str, ...]], list[tuple[str, str]]]:
    """The rows of one item (its own and any continuation rows) and what was placed with doubt."""
    atoms = _atoms(plain, first, last, rules, _name_then_text(columns))

    def cost(column: int, text: str) -> float:
        return cell_cost(columns.shapes[column], text, rules)

    alignment = align([plain[a:b] for a, b in atoms], columns.skips, columns.shapes, cost, "")
    header = columns.header
    rows, doubts = [], []
    for row_number, row in enumerate(alignment.rows):
        cells = ["" for _ in header.cells]
        if row_number == 0:
            cells[columns.number] = line.raw[first - len(number) : first]
        for cell in row:
            pieces = [line.raw[a:b] for a, b in atoms[cell.first : cell.last]]
            shape = columns.shapes[cell.column]
            text = (rules.tables.organisations.separators[0] if shape == "units" else "").join(pieces)
            cells[columns.content[cell.column]] = text
            name = squeeze(header.cells[columns.content[cell.column]])
            # Only the whole cell's shape counts: pieces of a run-together text may look like anything.
            if cell.cost >= MISFIT:
                doubts.append((f"item {number}: {_short(text)!r} placed under {name!r}, which it does not look like", text))
            elif shape == "units" and len(pieces) > 1:
                doubts.append((f"item {number}: {_short(text)!r} under {name!r} holds names run together, "
                               "split at their endings", text))
        for place, (column, shape) in enumerate(zip(columns.content, columns.shapes, strict=True)):
            if shape == "person" and not cells[column] and any(cells[c] for c in columns.content[1:]):
                doubts.append(_person_from_units(cells, column, columns.content[place + 1 :], number, header, rules))
        rows.append(tuple(cells))
    return rows, doubts


def _person_from_units(
    cells: list[str], column: int, later: list[int], number: str, header: InlineHeader, rules: Rules
) -> tuple[str, str]:
    """An empty person cell before a unit cell starting with a person's name run together with a unit
    (周立新教育局): the name moves to the person cell. Either way, what was done is said."""
    name = squeeze(header.cells[column])
    target = next((c for c in later if cells[c]), None)
    if target is not None and header.kinds[target] in UNIT_KINDS:
        first = cells[target].split(rules.tables.organisations.separators[0])[0]
        cut = person_before_unit(first, rules)
        if cut is not None:
            cells[column], cells[target] = cells[target][:cut], cells[target][cut:]
            return (f"item {number}: {_short(first)!r} split as {first[:cut]!r} under {name!r} and "
                    f"{first[cut:]!r} (a person's name run together with the unit after it)", first)
    return (f"item {number}: nothing under {name!r}: a name run together with the unit after it cannot be "
            "told apart", "")


def _blank_out(plain: str, own: str, start: int, end: int) -> str:
    """The line with repeats of the header (page breaks on the source site) turned into spaces."""
    at = plain.find(own, start, end)
    while at >= 0:
        plain = plain[:at] + " " * len(own) + plain[at + len(own) :]
        at = plain.find(own, at + len(own), end)
    return plain


def _spans(plain: str, start: int, end: int, rules: Rules) -> list[tuple[str, int | None, int, int]]:
    """(kind, item number, first, last) of the sections and items between ``start`` and ``end``.

    ``lead`` is the text before the first section or item.
    """
    marks: list[tuple[str, int | None, int, int]] = []  # kind, number, where it starts, where its text starts
    cursor, expected, after_section = start, None, True
    while cursor < end:
        item = _next_item(plain, cursor, end, expected, after_section, rules)
        section = _next_section(plain, cursor, end, start, rules)
        if section is not None and (item is None or section < item[0]):
            marks.append(("section", None, section, section))
            cursor, after_section = section + 1, True
            continue
        if item is None:
            break
        at, number = item
        marks.append(("item", number, at, at + len(str(number))))
        cursor, expected, after_section = at + len(str(number)), number + 1, False
    spans: list[tuple[str, int | None, int, int]] = [("lead", None, start, marks[0][2] if marks else end)]
    for (kind, mark_number, _, text_start), following in zip(marks, [*marks[1:], None][: len(marks)], strict=True):
        spans.append((kind, mark_number, text_start, following[2] if following else end))
    return spans


def _next_item(
    plain: str, cursor: int, end: int, expected: int | None, after_section: bool, rules: Rules
) -> tuple[int, int] | None:
    numbers = {expected} if expected is not None else set()
    if after_section or expected is None:
        numbers.add(1)
    best: tuple[int, int] | None = None
    for number in numbers:
        if number is None or number > MAX_ITEM:
            continue
        digits = str(number)
        at = plain.find(digits, cursor, end)
        while at >= 0 and (best is None or at < best[0]):
            if _is_item(plain, at, digits, cursor, after_section, rules):
                best = (at, number)
                break
            at = plain.find(digits, at + 1, end)
    return best


def _is_item(plain: str, at: int, digits: str, cursor: int, after_section: bool, rules: Rules) -> bool:
    after = at + len(digits)
    if after >= len(plain) or rules.layouts.not_item_number.match(plain, after):
        return False
    before = at
    while before > 0 and plain[before - 1] == " ":
        before -= 1
    if before == 0 or (before <= cursor and after_section):
        return True
    if plain[before - 1].isdigit() or normalize("NFKC", plain[before - 1]) == ".":
        return False
    return after_section or _cell_end(plain, before, rules)


def _next_section(plain: str, cursor: int, end: int, body: int, rules: Rules) -> int | None:
    for match in rules.layouts.inline_section.finditer(plain, cursor, end):
        before = match.start()
        while before > 0 and plain[before - 1] == " ":
            before -= 1
        if before <= body or _cell_end(plain, before, rules):
            return match.start()
    return None


def _cell_end(plain: str, at: int, rules: Rules) -> bool:
    """Can a cell end just before ``at``: after a sentence end, a closing bracket, a unit name or a deadline?"""
    previous = plain[at - 1]
    if previous in rules.text.closings or (previous in rules.text.sentence_ends and previous != "."):
        return True
    if plain.endswith(rules.layouts.unit_endings, 0, at):
        return True
    return any(rules.layouts.deadline.match(plain[k:at]) for k in range(max(0, at - MAX_DEADLINE), at - 1))


def _name_then_text(columns: _Columns) -> bool:
    """Does a name column (项目名称) come right before a text column (主要内容)?"""
    return any(a == "name" and b == "text" for a, b in itertools.pairwise(columns.shapes))


def _atoms(plain: str, first: int, last: int, rules: Rules, verbs: bool = False) -> list[tuple[int, int]]:
    """Pieces of an item's text between the places where a cell may end (see the module doc);
    ``verbs``: the item's content may also start before the first lead verb of its first piece
    (a project's name run into its content: 扩充学位供给|实施新建…)."""
    atoms: list[tuple[int, int]] = []
    piece_start = None
    for at in range(first, last + 1):
        if at < last and not plain[at].isspace():
            piece_start = at if piece_start is None else piece_start
            continue
        if piece_start is not None:
            atoms.extend(_cut(plain, piece_start, at, rules, verbs and not atoms))
            piece_start = None
    return atoms


def _cut(plain: str, first: int, last: int, rules: Rules, verbs: bool = False) -> list[tuple[int, int]]:
    """Cut a piece of text where a cell may end.

    Strong cuts: after a sentence end, before a trailing deadline, after a
    project name. Weak cuts: after a unit-name ending not followed by 、 (局,
    委, 行 … also end syllables inside names: 市人力社|保局, 人行|云岭市分行). A
    name between two cuts or separators shorter than :data:`shapes.MIN_UNIT`
    shows a weak cut was wrong: the short piece joins the name it belongs to.
    """
    openings, closings = rules.text.openings, rules.text.closings
    separators = (*rules.tables.organisations.separators, *openings, *closings)
    strong, weak, stops = {first, last}, set[int](), set[int]()
    depth = 0
    for at in range(first, last):
        character = plain[at]
        if character in openings:
            depth += 1
        elif character in closings:
            depth = max(0, depth - 1)
        if character in rules.tables.organisations.separators and not depth:
            stops.update((at, at + 1))
        following = plain[at + 1] if at + 1 < last else ""
        if depth or not following:
            continue
        sentence = character in rules.text.sentence_ends and not (character == "." and following.isdigit())
        if sentence or plain.endswith(rules.layouts.project_endings, first, at + 1):
            strong.add(at + 1)
        elif following not in separators and plain.endswith(rules.layouts.unit_endings, first, at + 1):
            weak.add(at + 1)
        elif verbs and at + 1 - first >= MIN_UNIT and plain.startswith(rules.words.lead_verbs, at + 1):
            weak.add(at + 1)  # 扩充学位供给|实施新建…: a name before its content's first verb
            verbs = False
    for at in range(max(first + 1, last - MAX_DEADLINE), last - 1):
        if rules.layouts.deadline.match(plain[at:last]):
            strong.add(at)
            break
    weak -= strong
    changed = True
    while changed:
        changed = False
        bounds = sorted(strong | weak | stops)
        for left, right in itertools.pairwise(bounds):
            if right - left >= MIN_UNIT or plain[left:right] in separators:
                continue
            if left in weak:
                weak.discard(left)
            elif right in weak:
                weak.discard(right)
            else:
                continue
            changed = True
            break
    ordered = sorted(strong | weak)
    return list(itertools.pairwise(ordered))


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 30 else flat[:29] + "…"
