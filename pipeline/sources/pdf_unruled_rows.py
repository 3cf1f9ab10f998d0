"""The rows of an unruled PDF table, from its lines (see :mod:`pipeline.sources.pdf_unruled`).

Without ruling lines a row's extent has to be read from the text itself:

* **Row starts** — a section heading is a row of its own; a row starts after
  a gap wider than the table's line pitch by :data:`ROW_GAP` font sizes (the
  space between two rows, so a continuation row with an empty 序号 cell
  starts there; the pitch is the smallest step between two lines of a
  column, at most :data:`MAX_PITCH` font sizes), and at a line with text in
  the 序号 column when the row already has a number — or, for a row without
  one, when its longest cell has ended its sentence (the row is complete: a
  continuation row, or the rest of a row split by a page break).
* **Centred 序号 cells** — cells are often centred vertically, so a number can
  sit between the lines of its row, or, when its cell is merged over a task's
  continuation rows, between two rows. A line holding only a number is placed
  in the row nearest to it; then a number that is not level with the top of
  its row moves to the first row of the run of unnumbered rows around it
  whose middle is its middle (the rows its merged cell spans).

A cell's lines are joined with ``"\\n"``, as in a ruled cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.sources.pdf_unruled import Columns, Segment

ROW_GAP = 0.4  # font sizes: a gap between lines this much wider than the line pitch separates two rows
LEVEL = 0.3  # font sizes: a number whose top is this close to its row's top is level with it
# Font sizes: the line pitch inside a cell is at most this (single or 1.5 spacing), so a table whose
# cells all hold one line, rows further apart than this, still has its rows told apart by the gaps.
MAX_PITCH = 2.0


@dataclass
class _Row:
    cells: list[list[str]]  # each column's lines
    heading: bool = False
    top: float = float("inf")  # of the row's text other than its number
    bottom: float = float("-inf")
    number: tuple[float, float] | None = None  # top and bottom of its 序号 text

    def add(self, segment: Segment, column: int) -> None:
        self.cells[column].append(segment.text)
        if column == 0:
            top, bottom = self.number or (segment.top, segment.bottom)
            self.number = (min(top, segment.top), max(bottom, segment.bottom))
        else:
            self.top, self.bottom = min(self.top, segment.top), max(self.bottom, segment.bottom)

    @property
    def plain(self) -> bool:
        """Neither a heading nor numbered: a continuation row."""
        return not self.heading and not self.cells[0]


def table_rows(lines: list[tuple[list[Segment], bool]], columns: Columns, closing: tuple[str, ...]) -> list[list[str]]:
    """The rows of a table's body lines, each line given with whether it is a section heading."""
    width = len(columns.edges) - 1
    numbers_alone = [line for line, heading in lines if not heading and all(columns.of(s) == 0 for s in line)]
    content = [(line, heading) for line, heading in lines if heading or not all(columns.of(s) == 0 for s in line)]
    pitch = _pitch([line for line, heading in content if not heading], columns)
    rows: list[_Row] = []
    previous_top: float | None = None
    for line, heading in content:
        top = line[0].top
        gap = None if previous_top is None else top - previous_top
        previous_top = None if heading else top  # the line after a heading starts a row
        if heading:
            rows.append(_Row([[line[0].text]] + [[] for _ in range(width - 1)], heading=True))
            continue
        if (
            not rows
            or gap is None
            or gap > pitch + ROW_GAP * columns.size
            or _numbers_a_new_row(line, rows[-1], columns, closing)
        ):
            rows.append(_Row([[] for _ in range(width)]))
        for segment in line:
            rows[-1].add(segment, columns.of(segment))
    for line in numbers_alone:
        _place(line, rows)
    _centre_numbers(rows, columns.size)
    return [["\n".join(parts) for parts in row.cells] for row in rows]


def _numbers_a_new_row(line: list[Segment], row: _Row, columns: Columns, closing: tuple[str, ...]) -> bool:
    """Does a line with text in the 序号 column start a row, rather than number the row it is in?"""
    if not any(columns.of(s) == 0 for s in line):
        return False
    if row.cells[0]:
        return True
    longest = max(("".join(parts) for parts in row.cells[1:]), key=len, default="").strip()
    return not longest or longest.endswith(closing)


def _place(line: list[Segment], rows: list[_Row]) -> None:
    """A line holding only a number goes to the row nearest to it (inside it: distance 0)."""
    middle = (line[0].top + line[-1].bottom) / 2
    candidates = [row for row in rows if not row.heading and row.top <= row.bottom]
    if not candidates:
        return
    nearest = min(candidates, key=lambda row: max(row.top - middle, middle - row.bottom, 0.0))
    for segment in line:
        nearest.add(segment, 0)


def _centre_numbers(rows: list[_Row], size: float) -> None:
    """Move each number that is not level with its row's top to the first row of the span it is centred on."""
    claimed = -1  # rows up to here belong to a number already placed
    for at, row in enumerate(rows):
        if row.heading or row.number is None:
            claimed = at if row.heading else claimed
            continue
        if abs(row.number[0] - row.top) <= LEVEL * size:
            claimed = at
            continue
        low = at
        while low - 1 > claimed and rows[low - 1].plain:
            low -= 1
        high = at
        while high + 1 < len(rows) and rows[high + 1].plain:
            high += 1
        middle = sum(row.number) / 2
        spans = [(first, last) for first in range(low, at + 1) for last in range(at, high + 1)]
        first, last = min(spans, key=lambda span: (abs((rows[span[0]].top + rows[span[1]].bottom) / 2 - middle),
                                                   span[1] - span[0]))
        if first != at:
            rows[first].cells[0], row.cells[0] = row.cells[0], []
            rows[first].number, row.number = row.number, None
        claimed = last


def _pitch(lines: list[list[Segment]], columns: Columns) -> float:
    """The distance between two lines of one cell: the smallest step down within a column, at most MAX_PITCH."""
    last_top: dict[int, float] = {}
    steps = []
    for line in lines:
        top = line[0].top
        for column in {columns.of(s) for s in line}:
            if column in last_top and top - last_top[column] > 0.5 * columns.size:
                steps.append(top - last_top[column])
            last_top[column] = top
    return min([*steps, MAX_PITCH * columns.size])

