"""Pages of a scanned notice -> one list of blocks (furniture dropped, tables joined).

The rules are those of :mod:`pipeline.sources.pdf`, copied here until they are
factored into a shared module; positions are pixels of the page image instead
of PDF points, so the tolerances are fractions of the page size:

* **Page furniture** — a line in the top or bottom tenth of the page that is a
  page number (the patterns in ``rules/ocr.yaml``, which also allow the
  dashes of ``— 3 —`` read as other strokes) or that repeats (digits aside)
  on more than two pages of a longer notice is dropped.
* **Tables continued on the next page** — a table that is the first thing on
  its page continues the previous page's table when that page ended with a
  table and the two share their header row (read alike: at least
  :data:`SAME_HEADER` similar) or their column positions. The repeated header
  row is dropped and the chunks become one Table.
* **Rows split by the page break** — the first body row of a continuation
  chunk whose item-number cell is empty is the rest of the previous row when one of
  its cells is empty where the previous row's has text, or when the previous
  row's longest cell stops without closing punctuation.
* **Paragraphs** — a line reaching the right edge of the text block is
  continued by the next line when that one starts at the left edge and no
  blank line (:data:`PARAGRAPH_GAP`) lies between them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from pipeline.model import Block, Paragraph, Table
from pipeline.rules import OcrRules
from pipeline.textnorm import squeeze

MARGIN_BAND = 0.1  # top and bottom tenth of the page hold page furniture
COLUMN_TOLERANCE = 0.01  # of the page width: column lines this close are the same column
# A gap between two lines over this share of the line's box height is a blank line: a new paragraph.
# Measured on the scans: lines of one paragraph 0.5 box heights apart, paragraphs 1.1-1.3 apart.
PARAGRAPH_GAP = 0.9
SAME_HEADER = 0.8  # two OCR readings of a header row this similar are the same header


@dataclass
class Line:
    page: int
    page_height: float
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str


@dataclass
class Chunk:
    """The part of a ruled table that lies on one page."""

    page: int
    page_width: float
    top: float
    columns: tuple[float, ...]
    rows: list[list[str]] = field(default_factory=list)


Item = Line | Chunk


def join_pages(pages: list[list[Item]], ocr: OcrRules) -> list[Block]:
    """Blocks of the whole notice from the items of each page (each sorted top to bottom)."""
    return _blocks(_drop_furniture(pages, ocr), ocr.closing)


# -- page furniture ------------------------------------------------------------


def _drop_furniture(pages: list[list[Item]], ocr: OcrRules) -> list[Item]:
    lines = [item for page in pages for item in page if isinstance(item, Line)]
    band = [line for line in lines if _in_margin(line)]
    pages_with = Counter(shape for _, shape in {(line.page, _shape(line.text)) for line in band})
    items: list[Item] = []
    for page in pages:
        for item in page:
            if isinstance(item, Line) and (not item.text or _is_furniture(item, pages_with, len(pages), ocr)):
                continue
            items.append(item)
    return items


def _is_furniture(line: Line, pages_with: Counter[str], page_count: int, ocr: OcrRules) -> bool:
    if not _in_margin(line):
        return False
    text = squeeze(line.text)
    if any(pattern.fullmatch(text) for pattern in ocr.page_number):
        return True
    return page_count > 2 and pages_with[_shape(line.text)] > 2


def _in_margin(line: Line) -> bool:
    band = MARGIN_BAND * line.page_height
    return line.top < band or line.bottom > line.page_height - band


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", squeeze(text))


# -- across pages ----------------------------------------------------------------


def _blocks(items: list[Item], closing: tuple[str, ...]) -> list[Block]:
    lines = [item for item in items if isinstance(item, Line)]
    edges = (min((line.x0 for line in lines), default=0.0), max((line.x1 for line in lines), default=0.0))
    merged: list[Item] = []
    for item in items:
        previous = merged[-1] if merged else None
        if isinstance(item, Chunk) and isinstance(previous, Chunk) and _continues(previous, item):
            _append_chunk(previous, item, closing)
        elif isinstance(item, Line) and isinstance(previous, Line) and _wraps(previous, item, edges):
            previous.text = join_text(previous.text, item.text)
            previous.x1, previous.page, previous.bottom = item.x1, item.page, item.bottom
        else:
            merged.append(item)
    blocks: list[Block] = []
    for item in merged:
        if isinstance(item, Line):
            blocks.append(Paragraph(item.text))
        elif item.rows:
            width = max(len(row) for row in item.rows)
            blocks.append(Table(tuple(tuple(row + [""] * (width - len(row))) for row in item.rows)))
    return blocks


def _key(row: list[str]) -> str:
    return squeeze("".join(row))


def _same_row(a: list[str], b: list[str]) -> bool:
    """The same header row, read twice by the OCR (a stray character or two may differ)."""
    key_a, key_b = _key(a), _key(b)
    return key_a == key_b or SequenceMatcher(None, key_a, key_b).ratio() >= SAME_HEADER


def _continues(previous: Chunk, chunk: Chunk) -> bool:
    if chunk.page != previous.page + 1 or not previous.rows or not chunk.rows:
        return False
    if _same_row(chunk.rows[0], previous.rows[0]):
        return True
    tolerance = COLUMN_TOLERANCE * chunk.page_width
    return len(chunk.columns) == len(previous.columns) and all(
        abs(a - b) < tolerance for a, b in zip(chunk.columns, previous.columns, strict=False)
    )


def _append_chunk(previous: Chunk, chunk: Chunk, closing: tuple[str, ...]) -> None:
    rows = chunk.rows
    if _same_row(rows[0], previous.rows[0]):
        rows = rows[1:]  # the header row repeated on this page
    if rows and len(previous.rows) > 1 and _is_split_row(previous.rows[-1], rows[0], closing):
        last = previous.rows[-1]
        for i, text in enumerate(rows[0][: len(last)]):
            if text:
                last[i] = f"{last[i]}\n{text}" if last[i] else text
        rows = rows[1:]
    previous.rows.extend(rows)
    previous.page = chunk.page


def _is_split_row(last: list[str], first: list[str], closing: tuple[str, ...]) -> bool:
    """Is ``first`` (top of a page) the rest of ``last`` (bottom of the page before)?"""
    if not first or first[0].strip():
        return False
    rest = list(zip(last[1:], first[1:], strict=False))
    if any(before.strip() and not after.strip() for before, after in rest):
        return True  # a cell that already ended on the previous page
    longest = max(last[1:], key=len, default="").strip()
    return bool(longest) and not longest.endswith(closing)


def _wraps(previous: Line, line: Line, edges: tuple[float, float]) -> bool:
    """Does ``line`` continue the paragraph ``previous`` wrapped out of?"""
    left, right = edges
    if line.page == previous.page and line.top - previous.bottom > PARAGRAPH_GAP * previous.size:
        return False
    return previous.x1 >= right - 1.5 * previous.size and line.x0 <= left + 0.5 * line.size


def is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_text(before: str, after: str) -> str:
    """Two runs of text on one line or across a wrap: a space only between Latin letters or digits."""
    if before and after and is_latin(before[-1]) and is_latin(after[0]):
        return f"{before} {after}"
    return before + after
