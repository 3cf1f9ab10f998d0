"""Unruled tables on a PDF page: columns by alignment alone, under a header row.

A table printed without ruling lines (borders hidden, as many notices are)
gives :mod:`pdf_tables` no edges: its text is loose characters, one line of
text holding a piece of every cell. It is found from its header row and read
into the same rows a ruled table gives:

* **Segments** — each line is cut where the gap between two neighbouring
  characters is wider than :data:`SEGMENT_GAP` font sizes (cell padding;
  a space glyph or a justified line's spacing is far narrower).
* **Header row** — a line whose leftmost segment is a 序号 header and another
  a task-column header (任务, 项目名称 …: the names of ``columns`` in
  ``rules/tables.yaml``, spaces ignored). Each of its segments is a column. A
  header cell wrapping onto a second line close below it is joined to it.
* **Columns** — between two neighbouring header segments, the boundary is the
  middle of the widest stretch that the fewest body segments cover (the white
  river between two columns; a section heading running across it is
  outvoted). A segment belongs to the column its left edge is in.
* **Extent** — the table goes on down the page while a line is in the
  header's font size and each of its segments stays inside its column. A line
  running across a boundary ends it, unless it is a section heading
  (``一、稳住经济增长``, the ``section_pattern`` of ``rules/tables.yaml``),
  which becomes a row of its own; so do a page number, a note (``注：``) and
  another header row.
* **Rows** — from the gaps between lines, the numbers and the section
  headings: :mod:`pipeline.sources.pdf_unruled_rows`.
* **Next page** — when a page ends with an unruled table, the next page's
  first lines continue it with the same columns even without a repeated
  header (:class:`Columns` is carried over); :mod:`pipeline.sources.pages`
  then joins the two chunks as it joins ruled ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.rules import Rules
from pipeline.sources.pages import MARGIN_BAND, Chunk, group_lines
from pipeline.sources.pdf_page import Char
from pipeline.sources.pdf_unruled_rows import table_rows
from pipeline.textnorm import squeeze

SEGMENT_GAP = 0.6  # font sizes: a wider gap between two characters of a line separates two cells
SAME_SIZE = 0.15  # a line whose font size differs more than this share from the header's is not the table's
HEADER_WRAP = 1.3  # font sizes: a header cell's second line lies this close below the first
CROSS = 0.5  # font sizes: a segment reaching this far into the next column runs across the boundary
STEP = 0.5  # points: the resolution of the column boundary search

TASK_COLUMNS = ("task", "name", "content")  # column kinds a header row must hold one of


@dataclass(frozen=True)
class Segment:
    """A run of characters of one line with no wide gap inside: a cell's part of that line."""

    chars: tuple[Char, ...]
    text: str

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)


@dataclass(frozen=True)
class Columns:
    """An unruled table's columns: where each starts, then where the last ends; and its font size."""

    edges: tuple[float, ...]
    size: float

    def of(self, segment: Segment) -> int:
        """The column a segment starts in."""
        return max(0, sum(1 for edge in self.edges[1:-1] if edge <= segment.x0))

    def crosses(self, segment: Segment) -> bool:
        column = self.of(segment)
        return column + 2 < len(self.edges) and segment.x1 > self.edges[column + 1] + CROSS * self.size


@dataclass
class Found:
    """The unruled tables of a page and what is left of its characters."""

    chunks: list[Chunk]
    loose: list[Char]
    last: Columns | None  # the columns of a table still running at the foot of the page


Joiner = Callable[[list[Char]], str]
Stop = Callable[[list["Segment"]], bool]


def find_unruled(
    chars: list[Char],
    page: int,
    size: tuple[float, float],
    rules: Rules,
    join: Joiner,
    carried: Columns | None = None,
) -> Found:
    """Unruled tables among the loose characters of a page of ``size`` (width, height).

    ``join`` makes a line's text from its characters; ``carried`` are the
    columns of a table running off the foot of the page before.
    """
    page_width, page_height = size
    columns_named = rules.tables.columns
    serials = columns_named["item_no"]
    tasks = tuple(name for kind in TASK_COLUMNS for name in columns_named.get(kind, ()))
    band = MARGIN_BAND * page_height

    def is_stop(line: list[Segment]) -> bool:
        """A page number in the top or bottom margin: page furniture, never the table's."""
        in_margin = line[0].top < band or line[0].bottom > page_height - band
        return in_margin and bool(rules.text.page_number.match(" ".join(s.text for s in line)))

    if carried is None and not any(name in squeeze("".join(c.text for c in chars)) for name in serials):
        return Found([], chars, None)  # the common case: no header on the page
    lines = [_segments(line, join) for line in group_lines(chars)]
    chunks: list[Chunk] = []
    used: set[int] = set()
    last: Columns | None = None
    index = 0
    if carried is not None and lines and not _is_header(lines[0], serials, tasks) and _fits(lines[0], carried):
        end, rows = _body(lines, 0, carried, rules, is_stop)
        if rows:
            chunks.append(Chunk(page, page_width, lines[0][0].top, _rounded(carried), rows))
            used.update(id(c) for line in lines[:end] for s in line for c in s.chars)
            last, index = (carried if _at_foot(lines, end, is_stop) else None), end
    while index < len(lines):
        if not _is_header(lines[index], serials, tasks):
            index += 1
            continue
        header, start = _header(lines, index)
        columns = _columns(header, lines[start:], is_stop)
        end, rows = _body(lines, start, columns, rules, is_stop)
        if not rows:
            index += 1
            continue
        cells = [[s.text for s in header]]
        chunks.append(Chunk(page, page_width, lines[index][0].top, _rounded(columns), cells + rows))
        used.update(id(c) for line in lines[index:end] for s in line for c in s.chars)
        last, index = (columns if _at_foot(lines, end, is_stop) else None), end
    if not chunks:
        return Found([], chars, None)
    return Found(chunks, [c for c in chars if id(c) not in used], last)


def _at_foot(lines: list[list[Segment]], end: int, is_stop: Stop) -> bool:
    """Does a table ending before line ``end`` run to the foot of the page (nothing but page numbers below)?"""
    return all(is_stop(line) for line in lines[end:])


# -- lines and the header --------------------------------------------------------------------


def _segments(line: list[Char], join: Joiner) -> list[Segment]:
    """A line's characters cut at wide gaps."""
    runs: list[list[Char]] = [[line[0]]]
    for before, char in itertools.pairwise(line):
        if char.x0 - before.x1 > SEGMENT_GAP * max(char.size, before.size):
            runs.append([])
        runs[-1].append(char)
    segments = [Segment(tuple(run), join(run)) for run in runs]
    return [s for s in segments if s.text]


def _is_header(line: list[Segment], serials: tuple[str, ...], tasks: tuple[str, ...]) -> bool:
    return len(line) >= 2 and squeeze(line[0].text) in serials and any(squeeze(s.text) in tasks for s in line[1:])


def _header(lines: list[list[Segment]], index: int) -> tuple[list[Segment], int]:
    """The header's cells (a cell wrapping onto the next line joined) and the index of the first body line."""
    header = list(lines[index])
    start = index + 1
    while start < len(lines):
        below = lines[start]
        close = below[0].top - header[0].top <= HEADER_WRAP * (start - index) * header[0].size
        if not close or not all(_under(s, header) is not None for s in below) or _under(below[0], header) == 0:
            break
        for segment in below:
            at = _under(segment, header)
            assert at is not None
            cell = header[at]
            header[at] = Segment(cell.chars + segment.chars, cell.text + segment.text)
        start += 1
    return header, start


def _under(segment: Segment, header: list[Segment]) -> int | None:
    """The header cell a segment lies under (overlapping it), if any."""
    for at, cell in enumerate(header):
        if segment.x0 < cell.x1 and cell.x0 < segment.x1:
            return at
    return None


# -- columns -----------------------------------------------------------------------------------


def _columns(header: list[Segment], below: list[list[Segment]], is_stop: Stop) -> Columns:
    size = header[0].size
    body = []
    for line in below:  # the lines the table may hold: in its size, up to a page number
        if is_stop(line) or abs(line[0].size - size) > SAME_SIZE * size:
            break
        body.extend(line)
    left = min([header[0].x0, *(s.x0 for s in body)])
    right = max([header[-1].x1, *(s.x1 for s in body)])
    inner = [_boundary(a, b, body) for a, b in itertools.pairwise(header)]
    return Columns((left, *inner, right), size)


def _boundary(a: Segment, b: Segment, body: list[Segment]) -> float:
    """Between header cells ``a`` and ``b``: the middle of the widest stretch fewest body segments cover."""
    start, end = a.x1, max(a.x1, b.x0)
    steps = max(1, int((end - start) / STEP))
    xs = [start + (end - start) * k / steps for k in range(steps + 1)]
    cover = [sum(1 for s in body if s.x0 <= x <= s.x1) for x in xs]
    fewest = min(cover)
    best = (0, 0)  # (length, first index) of the longest run at the minimum
    for _, group in itertools.groupby(enumerate(cover), key=lambda pair: pair[1] == fewest):
        run = list(group)
        if run[0][1] == fewest and len(run) > best[0]:
            best = (len(run), run[0][0])
    length, first = best
    return (xs[first] + xs[first + length - 1]) / 2


def _rounded(columns: Columns) -> tuple[float, ...]:
    return tuple(round(x, 1) for x in columns.edges[:-1])


def _fits(line: list[Segment], columns: Columns) -> bool:
    return abs(line[0].size - columns.size) <= SAME_SIZE * columns.size and not any(columns.crosses(s) for s in line)


# -- body rows ---------------------------------------------------------------------------------


def _body(
    lines: list[list[Segment]], start: int, columns: Columns, rules: Rules, is_stop: Stop
) -> tuple[int, list[list[str]]]:
    """The table's rows from line ``start`` on, and the index of the first line after it."""
    tables = rules.tables
    taken: list[tuple[list[Segment], bool]] = []  # each line, and whether it is a section heading
    end = start
    for line in lines[start:]:
        text = " ".join(s.text for s in line)
        if is_stop(line) or text.startswith(tables.note_prefixes) or squeeze(line[0].text) in tables.columns["item_no"]:
            break
        heading = len(line) == 1 and columns.of(line[0]) <= 1 and bool(tables.section.search(line[0].text))
        if not heading and not _fits(line, columns):
            break
        taken.append((line, heading))
        end += 1
    return end, table_rows(taken, columns, rules.text.sentence_ends)
