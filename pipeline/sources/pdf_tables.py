"""Ruled tables from ruling lines: edges -> merged edges -> intersections -> cells -> tables.

The same stages and default tolerances as pdfplumber's "lines" strategy
(``TableFinder`` with ``snap_tolerance=3``, ``join_tolerance=3``,
``edge_min_length=3``, ``intersection_tolerance=3``), written here so the
reader does not import pdfplumber. ``tests/test_pdf_reader.py`` checks that
the cells found equal pdfplumber's on every fixture page.

Coordinates are pdfplumber's: ``x`` grows to the right, ``top`` grows down
the page. An :class:`Edge` is a horizontal (``"h"``) or vertical (``"v"``)
segment; a cell is a box ``(x0, top, x1, bottom)``.

>>> lines = [Edge("h", 0, 0, 100, 0), Edge("h", 0, 20, 100, 20), Edge("h", 0, 40, 100, 40),
...          Edge("v", 0, 0, 0, 40), Edge("v", 30, 0, 30, 40), Edge("v", 100, 0, 100, 40)]
>>> [table] = find_tables(lines)
>>> table.columns, table.rows[1]
((0.0, 30.0), ((0.0, 20.0, 30.0, 40.0), (30.0, 20.0, 100.0, 40.0)))
>>> table.locate(50, 30), table.locate(50, 50)
((1, 1), None)
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

SNAP = 3.0  # edges this close on the other axis are one line
JOIN = 3.0  # collinear edges with gaps this small are one edge
MIN_LENGTH = 3.0  # shorter merged edges are dropped
MIN_LENGTH_BEFORE = 1.0  # shorter raw edges are dropped before merging
CROSS = 3.0  # how far an edge may stop short of another and still meet it

Box = tuple[float, float, float, float]
Point = tuple[float, float]


class Edge(NamedTuple):
    orientation: str  # "h" or "v"
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def length(self) -> float:
        return self.x1 - self.x0 if self.orientation == "h" else self.bottom - self.top


class Table:
    """A grid of cells; ``rows[r][c]`` is a cell box or None where a merged cell covers the slot."""

    def __init__(self, cells: list[Box]) -> None:
        self.columns = tuple(sorted({cell[0] for cell in cells}))
        tops = sorted({cell[1] for cell in cells})
        at = {(cell[0], cell[1]): cell for cell in cells}
        self.rows = [tuple(at.get((x, top)) for x in self.columns) for top in tops]
        self.bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
                     max(c[2] for c in cells), max(c[3] for c in cells))
        self._xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
        self._ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
        self._owner = self._paint()

    def _paint(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Which cell holds each slot between neighbouring grid lines: the first in row order."""
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        xi = {x: i for i, x in enumerate(self._xs)}
        yi = {y: j for j, y in enumerate(self._ys)}
        placed = [(r, c, box) for r, row in enumerate(self.rows) for c, box in enumerate(row) if box]
        for r, c, (x0, top, x1, bottom) in reversed(placed):
            columns = range(xi[x0], xi[x1])
            for j in range(yi[top], yi[bottom]):
                for i in columns:
                    owner[i, j] = (r, c)
        return owner

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """Row and column of the first cell (row by row, left to right) holding the point, edges included."""
        x0, top, x1, bottom = self.bbox
        if not (x0 <= x <= x1 and top <= y <= bottom):
            return None
        i, j = bisect_right(self._xs, x) - 1, bisect_right(self._ys, y) - 1
        if self._xs[i] == x or self._ys[j] == y:
            return self._scan(x, y)  # on a grid line: two cells may hold it
        return self._owner.get((i, j))

    def _scan(self, x: float, y: float) -> tuple[int, int] | None:
        for r, row in enumerate(self.rows):
            for c, box in enumerate(row):
                if box is not None and box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                    return r, c
        return None


def find_tables(edges: Iterable[Edge]) -> list[Table]:
    """Tables of two or more cells, top to bottom."""
    merged = merge_edges(e for e in edges if e.orientation in "hv" and e.length >= MIN_LENGTH_BEFORE)
    cells = intersections_to_cells(edges_to_intersections([e for e in merged if e.length >= MIN_LENGTH]))
    return [Table(group) for group in cells_to_tables(cells)]


# -- edges -------------------------------------------------------------------------------


def merge_edges(edges: Iterable[Edge]) -> list[Edge]:
    """Snap nearly collinear edges onto one line, then join the pieces of each line."""
    by_orientation: dict[str, list[Edge]] = {"v": [], "h": []}
    for edge in edges:
        by_orientation[edge.orientation].append(edge)
    snapped = _snap(by_orientation["v"], "v") + _snap(by_orientation["h"], "h")
    lines: dict[tuple[str, float], list[Edge]] = defaultdict(list)
    for edge in snapped:
        lines[edge.orientation, edge.x0 if edge.orientation == "v" else edge.top].append(edge)
    return [joined for key in sorted(lines) for joined in _join(lines[key])]


def _snap(edges: list[Edge], orientation: str) -> list[Edge]:
    """Move each cluster of edges (positions chained within SNAP) to the cluster's mean position."""
    position = (lambda e: e.x0) if orientation == "v" else (lambda e: e.top)
    cluster_of = {value: n for n, group in enumerate(chains(set(map(position, edges)), SNAP)) for value in group}
    out: list[Edge] = []
    ordered = sorted(edges, key=lambda e: cluster_of[position(e)])
    for _, group in itertools.groupby(ordered, key=lambda e: cluster_of[position(e)]):
        members = list(group)
        mean = sum(map(position, members)) / len(members)
        for e in members:
            shift = mean - position(e)
            if orientation == "v":
                out.append(e._replace(x0=e.x0 + shift, x1=e.x1 + shift))
            else:
                out.append(e._replace(top=e.top + shift, bottom=e.bottom + shift))
    return out


def chains(values: Iterable[float], tolerance: float) -> list[list[float]]:
    """Sorted values split where the gap to the previous value exceeds ``tolerance``.

    >>> chains([1, 9, 3, 5.5, 12], 3)
    [[1, 3, 5.5], [9, 12]]
    """
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value <= groups[-1][-1] + tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return groups


def _join(edges: list[Edge]) -> list[Edge]:
    """Collinear edges overlapping or closer than JOIN become one."""
    horizontal = edges[0].orientation == "h"
    start = (lambda e: e.x0) if horizontal else (lambda e: e.top)
    joined: list[Edge] = []
    for edge in sorted(edges, key=start):
        if not joined or start(edge) > (joined[-1].x1 if horizontal else joined[-1].bottom) + JOIN:
            joined.append(edge)
        elif horizontal and edge.x1 > joined[-1].x1:
            joined[-1] = joined[-1]._replace(x1=edge.x1)
        elif not horizontal and edge.bottom > joined[-1].bottom:
            joined[-1] = joined[-1]._replace(bottom=edge.bottom)
    return joined


# -- cells -------------------------------------------------------------------------------


class _Crossing(NamedTuple):
    v: frozenset[int]  # the vertical edges (by number) through the point
    h: frozenset[int]  # the horizontal edges through it


def edges_to_intersections(edges: list[Edge]) -> dict[Point, _Crossing]:
    """Points where a vertical and a horizontal edge meet (within CROSS), with the edges meeting there."""
    found: dict[Point, tuple[set[int], set[int]]] = {}
    numbered = list(enumerate(edges))
    verticals = [(n, e) for n, e in numbered if e.orientation == "v"]
    horizontals = [(n, e) for n, e in numbered if e.orientation == "h"]
    for nv, v in verticals:
        for nh, h in horizontals:
            if v.top <= h.top + CROSS and v.bottom >= h.top - CROSS and h.x0 - CROSS <= v.x0 <= h.x1 + CROSS:
                vs, hs = found.setdefault((v.x0, h.top), (set(), set()))
                vs.add(nv)
                hs.add(nh)
    return {point: _Crossing(frozenset(vs), frozenset(hs)) for point, (vs, hs) in found.items()}


def intersections_to_cells(points: dict[Point, _Crossing]) -> list[Box]:
    """For each point, the smallest box to a point below and a point to the right joined by edges."""
    below: dict[float, list[float]] = defaultdict(list)  # x -> ys, ascending
    right: dict[float, list[float]] = defaultdict(list)  # y -> xs, ascending
    for x, y in sorted(points):
        below[x].append(y)
        right[y].append(x)
    cells = []
    for x, y in sorted(points):
        here = points[x, y]
        cell = _smallest_cell(points, here, x, y, below[x], right[y])
        if cell:
            cells.append(cell)
    return cells


def _smallest_cell(points: dict[Point, _Crossing], here: _Crossing, x: float, y: float,
                   ys: list[float], xs: list[float]) -> Box | None:
    for y2 in ys[bisect_right(ys, y):]:
        down = points[x, y2]
        if not here.v & down.v:
            continue
        for x2 in xs[bisect_right(xs, x):]:
            across = points[x2, y]
            if not here.h & across.h:
                continue
            corner = points.get((x2, y2))
            if corner and corner.v & across.v and corner.h & down.h:
                return (x, y, x2, y2)
    return None


def cells_to_tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables (cells sharing a corner, transitively), top to bottom; lone cells dropped."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_at: dict[Point, int] = {}
    for n, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            other = first_at.setdefault(corner, n)
            parent[root(n)] = root(other)
    groups: dict[int, list[Box]] = defaultdict(list)
    for n, cell in enumerate(cells):
        groups[root(n)].append(cell)
    tables = sorted(groups.values(), key=lambda group: min((c[1], c[0]) for c in group))
    return [group for group in tables if len(group) > 1]
