"""Place undelimited pieces of text into a row's columns by their shapes.

The cells of one numbered item arrive as a list of *atoms* (blank-separated
lines, or the pieces of a run-together text between possible cell ends). A
cell is one or more consecutive atoms; cells fill the columns in order, an
empty cell leaves a column out, and after the last column a new,
unnumbered row (a continuation: 3 … then 建成农村公路…) may start. The
alignment of least cost wins (dynamic programming over atom and column):

* a cell costs :func:`shapes.cell_cost` for its column's shape,
* an empty column costs its shape's :data:`shapes.SKIP`,
* joining atoms into one cell costs :data:`JOIN` per extra atom, and each
  atom that would not fit the column on its own (a line of units inside a
  task text) what it misfits by beyond :data:`TOLERATED`,
* a continuation row costs :data:`NEW_ROW`,
* with ``allow_drop`` (the table's last item), atoms left at the end cost
  :data:`DROP` each: they are not the table's (分享到：).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.layouts.shapes import MISFIT

NEW_ROW = 2.5
DROP = 3.0
MAX_ATOMS_PER_CELL = 16
JOIN = {"text": 0.6, "name": 1.0, "units": 0.2, "person": 0.2, "deadline": MISFIT, "category": 1.0, "free": 0.3}
TOLERATED = 1.0  # a piece of a cell may misfit this much on its own (a text's first line ends without 。)


@dataclass(frozen=True)
class Cell:
    column: int
    first: int  # atoms [first, last) form the cell
    last: int
    text: str
    cost: float  # how badly the cell fits its column (:func:`shapes.cell_cost`)
    worst: float  # how badly its worst atom would fit the column on its own

    @property
    def doubtful(self) -> bool:
        """Placed against the shape of its column, or joined with a piece that is not of its kind."""
        return self.cost >= MISFIT or self.worst >= MISFIT


@dataclass(frozen=True)
class Alignment:
    rows: tuple[tuple[Cell, ...], ...]  # each row's non-empty cells, by column
    kept: int  # atoms placed; those after are left out (only with allow_drop)
    cost: float


Cost = Callable[[int, str], float]  # (column, cell text) -> cost


def align(
    atoms: list[str], skips: list[float], shapes: list[str], cost: Cost, joiner: str,
    allow_drop: bool = False, numbered: bool = True,
) -> Alignment:
    """The least-cost placement of ``atoms`` in rows of ``len(skips)`` columns (see the module doc).

    ``numbered``: the first row exists whatever is placed (its 序号 was read), so its empty cells cost.
    """
    columns = len(skips)
    rest = [sum(skips[c:]) for c in range(columns + 1)]  # cost of leaving columns c.. empty
    before = [sum(skips[:c]) for c in range(columns + 1)]
    cell_costs: dict[tuple[int, int, int], tuple[str, float, float, float]] = {}

    def cell(column: int, first: int, last: int) -> tuple[str, float, float, float]:
        """The cell's text, how it fits its column, its worst atom's fit and its cost in the alignment."""
        key = (column, first, last)
        if key not in cell_costs:
            text = joiner.join(atoms[first:last])
            fit = cost(column, text)
            price, worst = fit, fit
            if last - first > 1:
                alone = [cell(column, i, i + 1)[1] for i in range(first, last)]
                worst = max(alone)
                price += JOIN.get(shapes[column], 1.0) * (last - first - 1)
                price += sum(max(0.0, one - TOLERATED) for one in alone)
            cell_costs[key] = (text, fit, worst, price)
        return cell_costs[key]

    # best[(i, c)]: least cost with atoms[:i] placed, the last cell in column c (-1: nothing yet)
    best: dict[tuple[int, int], tuple[float, tuple[int, int] | None, Cell | None]] = {(0, -1): (0.0, None, None)}
    for first in range(len(atoms)):
        for column in range(-1, columns):
            state = best.get((first, column))
            if state is None:
                continue
            for last in range(first + 1, min(len(atoms), first + MAX_ATOMS_PER_CELL) + 1):
                for target in range(columns):
                    text, fit, worst, price = cell(target, first, last)
                    if target > column:
                        step = sum(skips[column + 1 : target]) + price
                    elif column >= 0:
                        step = rest[column + 1] + NEW_ROW + before[target] + price
                    else:
                        continue
                    total = state[0] + step
                    known = best.get((last, target))
                    if known is None or total < known[0]:
                        best[(last, target)] = (total, (first, column), Cell(target, first, last, text, fit, worst))
    return _best_end(atoms, best, rest, columns, allow_drop, numbered)


def _best_end(
    atoms: list[str], best: dict[tuple[int, int], tuple[float, tuple[int, int] | None, Cell | None]],
    rest: list[float], columns: int, allow_drop: bool, numbered: bool,
) -> Alignment:
    ends: list[tuple[float, tuple[int, int]]] = []
    for (placed, column), (total, _, _) in best.items():
        if placed == len(atoms) or allow_drop:
            empty = rest[column + 1] if numbered or placed else 0.0  # no row at all when nothing is placed
            ends.append((total + empty + DROP * (len(atoms) - placed), (placed, column)))
    cost, state = min(ends, key=lambda end: (end[0], -end[1][0]))
    kept = state[0]
    cells: list[Cell] = []
    at: tuple[int, int] | None = state
    while at is not None and at in best:
        _, back, placed_cell = best[at]
        if placed_cell is not None:
            cells.append(placed_cell)
        at = back
    cells.reverse()
    rows: list[list[Cell]] = []
    for placed_cell in cells:
        if not rows or placed_cell.column <= rows[-1][-1].column:
            rows.append([])
        rows[-1].append(placed_cell)
    if not rows:
        rows.append([])
    return Alignment(tuple(tuple(row) for row in rows), kept, cost)
