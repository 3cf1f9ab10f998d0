"""Page images -> deskewed page and the ruled tables on it (OpenCV).

* **Deskew** — the page is binarised (Otsu) and, at a reduced size, rotated
  through small angles; the angle whose row profile is sharpest (text lines
  and ruling lines fall on as few pixel rows as possible) is the skew. Coarse
  search over ±:data:`MAX_SKEW` degrees, then a fine one around the best.
* **Ruling lines** — morphological opening with a long thin kernel keeps the
  horizontal (then vertical) strokes much longer than any character stroke.
  Kernel lengths are fractions of the page size, so they scale with the
  resolution like the characters do.
* **Tables** — a connected group of ruling lines holding at least two
  horizontal and two vertical lines. Its row boundaries are the distinct
  heights of its horizontal lines and its column boundaries the distinct
  positions of its vertical lines; the grid slots between them become cells.
* **Merged cells** — two neighbouring slots are one cell when the ruling line
  between them is missing (less than half of it is drawn). Slots are joined
  with a union-find; a cell is the bounding box of its slots and is reported
  at its top-left slot, as the neutral model wants.

A "table" with one column (a box drawn around text) is not a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Image = NDArray[Any]
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive)

MAX_SKEW = 3.0  # degrees searched either way
H_KERNEL = 1 / 20  # of the page width: longer than any run of text strokes
V_KERNEL = 1 / 50  # of the page height: taller than a character
MERGE_TOLERANCE = 1 / 300  # of the page width: line positions this close are one boundary
DRAWN = 0.5  # share of a boundary that must be drawn for it to separate two slots


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    box: Box


@dataclass(frozen=True)
class Grid:
    box: Box
    columns: tuple[int, ...]  # x of every column boundary, left to right
    rows: tuple[int, ...]  # y of every row boundary, top to bottom
    cells: tuple[Cell, ...]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows) - 1, len(self.columns) - 1


def binarise(grey: Image) -> Image:
    """Ink as 255 on 0 (Otsu threshold)."""
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def skew_angle(grey: Image) -> float:
    """The rotation in degrees (counter-clockwise) that straightens the page."""
    binary = binarise(grey)
    scale = min(1.0, 800 / binary.shape[1])
    small = cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    best = _best_angle(small, np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25))
    return _best_angle(small, np.arange(best - 0.25, best + 0.25 + 1e-9, 0.02))


def _best_angle(small: Image, angles: NDArray[np.float64]) -> float:
    height, width = small.shape
    centre = (width / 2, height / 2)
    scores = []
    for angle in angles:
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(small, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rotated.sum(axis=1, dtype=np.float64)
        scores.append(float(np.square(np.diff(profile)).sum()))
    return round(float(angles[int(np.argmax(scores))]), 2)


def rotate(grey: Image, angle: float) -> Image:
    """``grey`` rotated by ``angle`` degrees about its centre, corners filled white."""
    if abs(angle) < 0.01:
        return grey
    height, width = grey.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(grey, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def ruling_masks(binary: Image) -> tuple[Image, Image]:
    """Horizontal and vertical ruling lines of a binarised page."""
    height, width = binary.shape
    h_len = max(15, round(width * H_KERNEL))
    v_len = max(15, round(height * V_KERNEL))
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return horizontal, vertical


def find_tables(binary: Image) -> tuple[list[Grid], Image]:
    """The ruled tables of a deskewed, binarised page, and the mask of all ruling lines."""
    horizontal, vertical = ruling_masks(binary)
    lines = cv2.bitwise_or(horizontal, vertical)
    joined = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    tolerance = max(3, round(binary.shape[1] * MERGE_TOLERANCE))
    grids = []
    for x, y, w, h, _ in stats[1:count]:
        box = (int(x), int(y), int(x + w), int(y + h))
        grid = _grid(box, horizontal, vertical, tolerance)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.box[1])
    return grids, lines


def _grid(box: Box, horizontal: Image, vertical: Image, tolerance: int) -> Grid | None:
    x0, y0, x1, y1 = box
    rows = _positions(horizontal[y0:y1, x0:x1], axis=0, tolerance=tolerance, offset=y0)
    columns = _positions(vertical[y0:y1, x0:x1], axis=1, tolerance=tolerance, offset=x0)
    if len(rows) < 2 or len(columns) < 3:  # one column: a box around text, not a table
        return None
    cells = _cells(rows, columns, horizontal, vertical, tolerance)
    return Grid(box=box, columns=tuple(columns), rows=tuple(rows), cells=tuple(cells))


def _positions(mask: Image, axis: int, tolerance: int, offset: int) -> list[int]:
    """Centres of the line segments in ``mask`` across ``axis``, close ones merged."""
    count, _, _, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    coordinate = 1 if axis == 0 else 0
    centres = sorted(float(centroids[i][coordinate]) for i in range(1, count))
    merged: list[list[float]] = []
    for centre in centres:
        if merged and centre - merged[-1][-1] <= tolerance:
            merged[-1].append(centre)
        else:
            merged.append([centre])
    return [offset + round(sum(group) / len(group)) for group in merged]


def _cells(rows: list[int], columns: list[int], horizontal: Image, vertical: Image, tolerance: int) -> list[Cell]:
    n_rows, n_cols = len(rows) - 1, len(columns) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[max(find(a), find(b))] = min(find(a), find(b))

    for r in range(n_rows):
        for c in range(n_cols):
            slot = r * n_cols + c
            if c + 1 < n_cols and not _drawn(vertical, columns[c + 1], rows[r], rows[r + 1], tolerance, across=True):
                union(slot, slot + 1)
            if r + 1 < n_rows and not _drawn(horizontal, rows[r + 1], columns[c], columns[c + 1], tolerance, across=False):
                union(slot, slot + n_cols)
    groups: dict[int, list[int]] = {}
    for slot in range(n_rows * n_cols):
        groups.setdefault(find(slot), []).append(slot)
    cells = []
    for slots in groups.values():
        rs = [s // n_cols for s in slots]
        cs = [s % n_cols for s in slots]
        box = (columns[min(cs)], rows[min(rs)], columns[max(cs) + 1], rows[max(rs) + 1])
        cells.append(Cell(row=min(rs), col=min(cs), box=box))
    return sorted(cells, key=lambda cell: (cell.row, cell.col))


def _drawn(mask: Image, at: int, start: int, end: int, tolerance: int, across: bool) -> bool:
    """Is the boundary at ``at`` drawn over most of ``start``..``end``?"""
    inner = slice(start + tolerance, max(start + tolerance + 1, end - tolerance))
    band = slice(max(0, at - tolerance), at + tolerance + 1)
    strip = mask[inner, band] if across else mask[band, inner].T
    if strip.size == 0:
        return True
    return float((strip.max(axis=1) > 0).mean()) >= DRAWN
