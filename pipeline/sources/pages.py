"""Across pages: what the PDF and scan readers both do once each page is read.

A reader that knows about pages (:mod:`pipeline.sources.pdf` from the text
layer, :mod:`pipeline.sources.scan` from OCR boxes) reads every page into
:class:`Line` and :class:`Chunk` items, top to bottom, in its own units (PDF
points, image pixels). :func:`join_pages` turns them into the notice's blocks
with the same rules for both; only the tolerances differ, and the reader says
them in a :class:`Tolerances`:

* **Page furniture** — a line in the top or bottom tenth of the page that is a
  page number (``— 3 —``, ``-3-``, ``第3页``, ``第 3 页 共 9 页``, ``3/9``, ``3``:
  the reader's own test, since OCR reads dashes as other strokes) or that
  repeats (digits aside) on more than two pages of a longer notice is dropped.
* **Tables continued on the next page** — a table that is the first thing on
  its page continues the previous page's table when that page ended with a
  table and the two share their header row (alike to
  :attr:`Tolerances.same_header`: OCR may read it differently twice) or their
  column positions (within :attr:`Tolerances.column_share` of the page
  width). The repeated header row is dropped and the chunks become one Table.
* **Rows split by the page break** — the first body row of a continuation
  chunk whose 序号 cell is empty is either the rest of the previous row or a
  real continuation row (a merged 序号 cell that happens to start a page). It
  is the rest of the previous row when (a) one of its cells is empty where
  the previous row's cell has text — that cell already ended on the previous
  page, while a real row has text in every column — or (b) every cell has
  text but the previous row's longest cell stops without closing
  punctuation (:attr:`Tolerances.closing`), i.e. mid-sentence. Its cells are
  then appended to the previous row's, line by line.
* **Paragraphs** — lines outside tables become Paragraph blocks in reading
  order. A line that reaches the right edge of the text block is continued by
  the next line when that one starts at the left edge (it is not indented)
  and no blank line (:attr:`Tolerances.paragraph_gap`) lies between them, so
  a wrapped paragraph is one block as in the text copy.

Merged cells appear as ``""`` in the slots they cover.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Protocol, TypeVar

from pipeline.model import Block, Paragraph, Table
from pipeline.textnorm import squeeze

MARGIN_BAND = 0.1  # top and bottom tenth of the page hold page furniture
RIGHT_EDGE = 1.5  # line sizes: a line ending this close to the right edge of the text block reached it
LEFT_EDGE = 0.5  # line sizes: a line starting this close to the left edge is not indented


@dataclass
class Line:
    """A line of text outside the tables, in the reader's units (``top`` grows down the page)."""

    page: int
    page_height: float
    top: float
    bottom: float
    x0: float
    x1: float
    size: float  # the font size, or the height of the OCR's box
    text: str


@dataclass
class Chunk:
    """The part of a table that lies on one page."""

    page: int
    page_width: float
    top: float
    columns: tuple[float, ...]  # the left edge of each column
    rows: list[list[str]] = field(default_factory=list)


Item = Line | Chunk


@dataclass(frozen=True)
class Tolerances:
    """How one reader's pages are joined: its tests and tolerances, in its own units."""

    closing: tuple[str, ...]  # a cell ending with one of these ended its sentence
    is_page_number: Callable[[str], bool]  # a margin line that is a page number
    paragraph_gap: float  # line sizes: a wider gap between two lines is a blank line
    column_share: float  # of the page width: column edges this close are the same column
    same_header: float = 1.0  # two header rows this alike (difflib ratio) are one header; 1.0: identical


def join_pages(pages: list[list[Item]], tolerances: Tolerances) -> list[Block]:
    """Blocks of the whole notice from the items of each page (each page's sorted top to bottom)."""
    return _blocks(_drop_furniture(pages, tolerances), tolerances)


# -- lines from positioned pieces ---------------------------------------------------------


class Positioned(Protocol):
    @property
    def top(self) -> float: ...

    @property
    def bottom(self) -> float: ...

    @property
    def x0(self) -> float: ...


P = TypeVar("P", bound=Positioned)


def group_lines(pieces: list[P]) -> list[list[P]]:
    """Characters or boxes into lines: sorted by top, a line takes pieces covering the middle of its first.

    Each line comes out sorted left to right.
    """
    lines: list[list[P]] = []
    for piece in sorted(pieces, key=lambda p: (p.top, p.x0)):
        if lines:
            first = lines[-1][0]
            middle = (first.top + first.bottom) / 2
            if piece.top <= middle <= piece.bottom:
                lines[-1].append(piece)
                continue
        lines.append([piece])
    return [sorted(line, key=lambda p: p.x0) for line in lines]


def is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_text(before: str, after: str) -> str:
    """Two runs of text on one line or across a wrap: a space only between Latin letters or digits."""
    if before and after and is_latin(before[-1]) and is_latin(after[0]):
        return f"{before} {after}"
    return before + after


# -- page furniture -----------------------------------------------------------------------


def _drop_furniture(pages: list[list[Item]], tolerances: Tolerances) -> list[Item]:
    band = [item for page in pages for item in page if isinstance(item, Line) and _in_margin(item)]
    # On how many pages each margin line (digits aside) occurs.
    pages_with = Counter(shape for _, shape in {(line.page, _shape(line.text)) for line in band})
    items: list[Item] = []
    for page in pages:
        for item in page:
            if isinstance(item, Line) and (not item.text or _is_furniture(item, pages_with, len(pages), tolerances)):
                continue
            items.append(item)
    return items


def _is_furniture(line: Line, pages_with: Counter[str], page_count: int, tolerances: Tolerances) -> bool:
    if not _in_margin(line):
        return False
    return tolerances.is_page_number(line.text) or (page_count > 2 and pages_with[_shape(line.text)] > 2)


def _in_margin(line: Line) -> bool:
    band = MARGIN_BAND * line.page_height
    return line.top < band or line.bottom > line.page_height - band


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", squeeze(text))


# -- across pages -------------------------------------------------------------------------


def _blocks(items: list[Item], tolerances: Tolerances) -> list[Block]:
    lines = [item for item in items if isinstance(item, Line)]
    edges = (min((line.x0 for line in lines), default=0.0), max((line.x1 for line in lines), default=0.0))
    merged: list[Item] = []
    for item in items:
        previous = merged[-1] if merged else None
        if isinstance(item, Chunk) and isinstance(previous, Chunk) and _continues(previous, item, tolerances):
            _append_chunk(previous, item, tolerances)
        elif isinstance(item, Line) and isinstance(previous, Line) and _wraps(previous, item, edges, tolerances):
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


def _same_row(a: list[str], b: list[str], similarity: float) -> bool:
    """The same header row (read twice by the OCR, a stray character or two may differ)."""
    key_a, key_b = _key(a), _key(b)
    return key_a == key_b or (similarity < 1.0 and SequenceMatcher(None, key_a, key_b).ratio() >= similarity)


def _continues(previous: Chunk, chunk: Chunk, tolerances: Tolerances) -> bool:
    if chunk.page != previous.page + 1 or not previous.rows or not chunk.rows:
        return False
    if _same_row(chunk.rows[0], previous.rows[0], tolerances.same_header):
        return True
    tolerance = tolerances.column_share * chunk.page_width
    return len(chunk.columns) == len(previous.columns) and all(
        abs(a - b) < tolerance for a, b in zip(chunk.columns, previous.columns, strict=False)
    )


def _append_chunk(previous: Chunk, chunk: Chunk, tolerances: Tolerances) -> None:
    rows = chunk.rows
    if _same_row(rows[0], previous.rows[0], tolerances.same_header):
        rows = rows[1:]  # the header row repeated on this page
    if rows and len(previous.rows) > 1 and is_split_row(previous.rows[-1], rows[0], tolerances.closing):
        last = previous.rows[-1]
        for i, text in enumerate(rows[0][: len(last)]):
            if text:
                last[i] = f"{last[i]}\n{text}" if last[i] else text
        rows = rows[1:]
    previous.rows.extend(rows)
    previous.page = chunk.page


def is_split_row(last: list[str], first: list[str], closing: tuple[str, ...]) -> bool:
    """Is ``first`` (top of a page) the rest of ``last`` (bottom of the page before)?"""
    if not first or first[0].strip():
        return False
    rest = list(zip(last[1:], first[1:], strict=False))
    if any(before.strip() and not after.strip() for before, after in rest):
        return True  # a cell that already ended on the previous page
    longest = max(last[1:], key=len, default="").strip()
    return bool(longest) and not longest.endswith(closing)


def _wraps(previous: Line, line: Line, edges: tuple[float, float], tolerances: Tolerances) -> bool:
    """Does ``line`` continue the paragraph ``previous`` wrapped out of?"""
    left, right = edges
    if line.page == previous.page and line.top - previous.bottom > tolerances.paragraph_gap * previous.size:
        return False
    return previous.x1 >= right - RIGHT_EDGE * previous.size and line.x0 <= left + LEFT_EDGE * line.size
