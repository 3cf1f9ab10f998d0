"""One page image -> its tables and text lines, read by OCR.

The page is deskewed, its ruling lines found and then erased (they confuse the
text detector), and the OCR engine reads the whole page once. Each text box
goes to the table cell holding its centre, or else to a text line outside the
tables. Boxes are grouped into lines as the PDF reader groups characters
(:func:`pipeline.sources.pages.group_lines`): sorted by top, a box joins the
current line when it covers the middle of the line's first box. Within a cell the lines are joined with
``"\\n"``, as every reader does.

OCR confusions inside numbers are corrected (:mod:`pipeline.sources.scan_fixes`).
Every cell and line read below the confidence threshold of ``rules/ocr.yaml``
becomes a warning naming its page, table, row and column.

:func:`read_page` takes and returns only plain data, so pages can be read in a
process pool.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from pipeline.rules import OcrRules
from pipeline.sources.pages import (
    NO_BREAKS,
    Breaks,
    Chunk,
    Item,
    Line,
    group_lines,
    is_latin,
    join_text,
    lead_width,
)
from pipeline.sources.scan_fixes import fix_serial, fix_text, is_serial_header
from pipeline.sources.scan_ocr import TextBox, recognise
from pipeline.sources.scan_tables import Cell, Grid, binarise, find_tables, rotate, skew_angle

PAD = 16  # white border around a cell read on its own
GAP = 0.3  # of a box's height: a gap before its first character that may hide a dropped one
MIN_INK = 24  # pixels (at a 1654-pixel page width) of ink a text box left out that make a cell read again


@dataclass
class PageRead:
    """What one page gave: its items top to bottom, and the OCR's confidence in them."""

    number: int
    skew: float
    items: list[Item]
    confidences: list[tuple[float, int]] = field(default_factory=list)  # (confidence, characters)
    warnings: list[str] = field(default_factory=list)


def read_page(number: int, grey: np.ndarray, ocr: OcrRules, breaks: Breaks = NO_BREAKS) -> PageRead:
    """Read page ``number`` (0-based) from its grey image, with the OCR rules ``ocr``.

    ``breaks`` are the line-breaking classes of ``rules/text.yaml``; with them
    each text line knows the width of its first unbreakable run
    (:attr:`pipeline.sources.pages.Line.lead`).
    """
    angle = skew_angle(grey)
    page = rotate(grey, angle)
    grids, ruling = find_tables(binarise(page))
    if grids:
        page = page.copy()
        page[cv2.dilate(ruling, np.ones((3, 3), np.uint8)) > 0] = 255
    boxes = recognise(page)
    result = PageRead(number=number, skew=angle, items=[])
    loose = [box for box in boxes if _grid_of(box, grids) is None]
    result.confidences = [(box.confidence, len(box.text)) for box in loose]
    placed: list[tuple[float, Item]] = []
    for t, grid in enumerate(grids):
        inside = [piece for box in boxes if _grid_of(box, grids) == t for piece in box.split(list(grid.columns))]
        chunk = _chunk(number, page, grid, inside, t, result, ocr)
        placed.append((grid.box[1], chunk))
    for line_no, line in enumerate(group_lines(loose), start=1):
        item = _line(number, page.shape[0], line, ocr, breaks)
        placed.append((item.top, item))
        confidence = _confidence(line)
        if confidence < ocr.low_confidence:
            result.warnings.append(f"page {number + 1}, text line {line_no}: confidence {confidence:.0f}")
    placed.sort(key=lambda pair: pair[0])
    result.items = [item for _, item in placed]
    return result


def _centre(box: TextBox) -> tuple[float, float]:
    return (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2


def _grid_of(box: TextBox, grids: list[Grid]) -> int | None:
    x, y = _centre(box)
    for t, grid in enumerate(grids):
        x0, y0, x1, y1 = grid.box
        if x0 <= x < x1 and y0 <= y < y1:
            return t
    return None


def _chunk(
    number: int, page: np.ndarray, grid: Grid, boxes: list[TextBox], t: int, result: PageRead, ocr: OcrRules
) -> Chunk:
    n_rows, n_cols = grid.shape
    rows = [[""] * n_cols for _ in range(n_rows)]
    in_cell: dict[Cell, list[TextBox]] = {}
    for box in boxes:
        x, y = _centre(box)
        cell = next((c for c in grid.cells if c.box[0] <= x < c.box[2] and c.box[1] <= y < c.box[3]), None)
        if cell is not None:
            in_cell.setdefault(cell, []).append(box)
    threshold = ocr.low_confidence
    ink = binarise(page)
    for cell in grid.cells:
        cell_boxes = in_cell.get(cell, [])
        confidence = _confidence(cell_boxes)
        if confidence < threshold or _ink_left_out(ink, cell, cell_boxes):
            cell_boxes, confidence = _reread(page, cell, cell_boxes, confidence, threshold)
        if not cell_boxes:
            continue
        result.confidences.extend((box.confidence, len(box.text)) for box in cell_boxes)
        rows[cell.row][cell.col] = "\n".join(fix_text(_join(line), ocr) for line in group_lines(cell_boxes))
        if confidence < threshold:
            where = f"page {number + 1}, table {t + 1}, row {cell.row + 1}, col {cell.col + 1}"
            result.warnings.append(f"{where}: confidence {confidence:.0f}")
    _fix_serials(rows, ocr)
    columns = tuple(float(x) for x in grid.columns[:-1])
    return Chunk(page=number, page_width=page.shape[1], top=grid.box[1], columns=columns, rows=rows)


def _ink_left_out(ink: np.ndarray, cell: Cell, boxes: list[TextBox]) -> bool:
    """Does the cell hold a mark no text was read from?

    A lone full stop or digit the detector missed, or a mark inside a box before
    its first character (a ``*`` the recogniser dropped).
    """
    x0, y0, x1, y1 = cell.box
    inset = 4
    region = ink[y0 + inset : y1 - inset, x0 + inset : x1 - inset].copy()
    if region.size == 0:
        return False
    for box in boxes:
        start, end = box.x0, box.x1
        if box.pieces and box.pieces[0][1] - box.x0 > GAP * box.height:
            start = box.pieces[0][1]  # room for a character before the first one read
        left, top = int(start) - x0 - inset - 2, int(box.top) - y0 - inset - 2
        right, bottom = int(end) - x0 - inset + 3, int(box.bottom) - y0 - inset + 3
        region[max(0, top) : max(0, bottom), max(0, left) : max(0, right)] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    least = MIN_INK * (ink.shape[1] / 1654) ** 2
    return any(stats[i][cv2.CC_STAT_AREA] >= least for i in range(1, count))


def _reread(
    page: np.ndarray, cell: Cell, boxes: list[TextBox], confidence: float, threshold: float
) -> tuple[list[TextBox], float]:
    """Read a doubtful cell again on its own; keep the new reading when it is more complete or surer.

    On the whole page the detector sometimes tilts the box of a lone short text
    (an item number read as ``>``) or misses a lone full stop on a cell's last
    line; alone in its crop they are read.
    """
    x0, y0, x1, y1 = cell.box
    inset = 3
    crop = page[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
    if crop.size == 0:
        return boxes, confidence
    padded = cv2.copyMakeBorder(crop, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255)
    again = recognise(padded, left=x0 + inset - PAD, top=y0 + inset - PAD)
    second = _confidence(again)
    longer = sum(len(b.text) for b in again) > sum(len(b.text) for b in boxes)
    if again and (second > confidence or (longer and second >= min(confidence, threshold))):
        return again, second
    return boxes, confidence


def _fix_serials(rows: list[list[str]], ocr: OcrRules) -> None:
    """The first (item-number) column: a cell of digits and look-alike letters only is a number.

    A continuation page has no header row, so the column is known by position.
    """
    for row in rows:
        if row and not is_serial_header(row[0], ocr):
            row[0] = fix_serial(row[0], ocr)


def _join(line: list[TextBox]) -> str:
    text = ""
    for box in line:
        text = join_text(text, _squeeze_spaces(box.text))
    return text


def _squeeze_spaces(text: str) -> str:
    """Spaces the OCR put inside a box, kept only between two Latin letters or digits."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            before = out[-1] if out else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before and after and is_latin(before) and is_latin(after) and before != " ":
                out.append(" ")
            continue
        out.append(ch)
    return "".join(out)


def _confidence(boxes: list[TextBox]) -> float:
    chars = sum(len(b.text) for b in boxes)
    return sum(b.confidence * len(b.text) for b in boxes) / chars if chars else 100.0


def _line(number: int, height: int, boxes: list[TextBox], ocr: OcrRules, breaks: Breaks) -> Line:
    # The first run's width needs the engine's character positions: without them it is not known (0).
    lead = lead_width(boxes[0].pieces, *breaks) if boxes[0].pieces else 0.0
    return Line(
        page=number,
        page_height=float(height),
        top=min(b.top for b in boxes),
        bottom=max(b.bottom for b in boxes),
        x0=boxes[0].x0,
        x1=boxes[-1].x1,
        size=max(b.height for b in boxes),
        text=fix_text(_join(boxes), ocr),
        lead=lead,
    )
