"""Ruling lines of a PDF page: the edges of its painted paths, read the way pdfminer reads them.

pdfplumber's table finder worked on pdfminer's path objects; this module gives
:mod:`pdf_tables` the same edges from pdfium's page objects (forms opened,
drawing order kept): a two-point path is a line (horizontal when both ends
share their height, otherwise "vertical", slanted or not, as pdfplumber has
it), a closed axis-aligned four-point path is a rectangle (four edges), and
anything else is a curve whose horizontal and vertical segments count. Word,
WPS and LibreOffice draw table borders as stroked lines, as thin filled
rectangles or as a rectangle per cell; all give edges. Paths that are not
painted (clipping only) are not page objects, so they give none, as before.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.sources.pdf_page import Frame, Matrix, pdfium
from pipeline.sources.pdf_tables import Edge

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Point = tuple[float, float]


def page_edges(page: Any, frame: Frame) -> list[Edge]:
    """Horizontal and vertical edges of every painted path: lines, then rectangles, then curves."""
    lib = pdfium()
    lines: list[Edge] = []
    rects: list[Edge] = []
    curves: list[Edge] = []
    objects = (lib.FPDFPage_GetObject(page, i) for i in range(lib.FPDFPage_CountObjects(page)))
    for path, matrix in _paths(lib, objects, IDENTITY):
        for shape, points in _subpaths(lib, path, _then(matrix, frame.matrix), frame.height):
            if shape in ("mlh", "ml"):
                lines.append(_line_edge(points[0], points[1]))
            elif shape in ("mlllh", "mllll") and _is_rectangle(points):
                rects.extend(_rect_edges(points))
            else:
                curves.extend(_curve_edges(points))
    return lines + rects + curves


def _paths(lib: Any, objects: Iterable[Any], outer: Matrix) -> Iterator[tuple[Any, Matrix]]:
    """Path objects in drawing order, each with its matrix to user space (forms opened)."""
    for obj in objects:
        kind = lib.FPDFPageObj_GetType(obj)
        if kind == lib.FPDF_PAGEOBJ_PATH:
            yield obj, _then(_matrix(lib, obj), outer)
        elif kind == lib.FPDF_PAGEOBJ_FORM:
            inner = _then(_matrix(lib, obj), outer)
            children = (lib.FPDFFormObj_GetObject(obj, i) for i in range(lib.FPDFFormObj_CountObjects(obj)))
            yield from _paths(lib, children, inner)


def _matrix(lib: Any, obj: Any) -> Matrix:
    m = lib.FS_MATRIX()
    if not lib.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _then(first: Matrix, second: Matrix) -> Matrix:
    """The matrix applying ``first``, then ``second``."""
    a, b, c, d, e, f = first
    A, B, C, D, E, F = second
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _subpaths(lib: Any, path: Any, matrix: Matrix, height: float) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as pdfminer sees it: operator letters and end points, in page coordinates.

    pdfium gives points (a Bézier curve as three); pdfminer gives operators
    whose last point counts, with ``h`` (close) at the subpath's start.
    """
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    ops: list[str] = []
    points: list[Point] = []
    bezier = 0
    for k in range(lib.FPDFPath_CountSegments(path)):
        segment = lib.FPDFPath_GetPathSegment(path, k)
        lib.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        kind = lib.FPDFPathSegment_GetType(segment)
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        if kind == lib.FPDF_SEGMENT_MOVETO:
            if ops:
                yield from _split(ops, points)
            ops, points, bezier = ["m"], [point], 0
        elif kind == lib.FPDF_SEGMENT_BEZIERTO:
            bezier = (bezier + 1) % 3
            if bezier == 0:  # a curve's end point; the two before are control points
                ops.append("c")
                points.append(point)
        else:
            ops.append("l")
            points.append(point)
        if lib.FPDFPathSegment_GetClose(segment) and points:
            ops.append("h")
            points.append(points[0])
    if ops:
        yield from _split(ops, points)


def _split(ops: list[str], points: list[Point]) -> Iterator[tuple[str, list[Point]]]:
    shape = "".join(ops)
    if not shape.startswith("m") or len(shape) < 2:
        return  # pdfminer skips a lone move
    if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
        shape, points = shape[:-2] + "h", points[:-1]  # a closing line drawn twice
    yield shape, points


def _is_rectangle(points: list[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
    closed = points[0] == last
    return closed and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))


def _line_edge(p: Point, q: Point) -> Edge:
    x0, x1 = sorted((p[0], q[0]))
    top, bottom = sorted((p[1], q[1]))
    return Edge("h" if top == bottom else "v", x0, top, x1, bottom)  # pdfplumber: any slanted line is "v"


def _rect_edges(points: list[Point]) -> list[Edge]:
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    top, bottom = min(p[1] for p in points), max(p[1] for p in points)
    return [Edge("h", x0, top, x1, top), Edge("h", x0, bottom, x1, bottom),
            Edge("v", x0, top, x0, bottom), Edge("v", x1, top, x1, bottom)]


def _curve_edges(points: list[Point]) -> list[Edge]:
    edges = []
    for p, q in itertools.pairwise(points):
        if p[0] == q[0] or p[1] == q[1]:
            edges.append(Edge("v" if p[0] == q[0] else "h", min(p[0], q[0]), min(p[1], q[1]),
                              max(p[0], q[0]), max(p[1], q[1])))
    return edges
