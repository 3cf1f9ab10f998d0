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
  order. A line is continued by the next one, so that a wrapped paragraph is
  one block as in the text copy, when no blank line
  (:attr:`Tolerances.paragraph_gap`) lies between them and either

  - the next line starts at the left edge of the text block (it is not
    indented) and the line was full: it reaches the right edge, or it was
    *broken early* — it does not end its sentence and the next line's first
    run that no line break may split (:attr:`Line.lead`: ``年“8+4”专``, a
    number, a word with its closing punctuation) would not have fitted in the
    room left on it; or
  - both are lines of a **title**: centred on the text block, in the same
    font size, larger than the body's (the size most of the text is set in),
    so a title wrapping over two or three centred lines, none reaching an
    edge, is one paragraph.

Merged cells appear as ``""`` in the slots they cover.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Protocol, TypeVar

from pipeline.model import Block, Paragraph, Table
from pipeline.textnorm import squeeze

MARGIN_BAND = 0.1  # top and bottom tenth of the page hold page furniture
RIGHT_EDGE = 1.5  # line sizes: a line ending this close to the right edge of the text block reached it
LEFT_EDGE = 0.5  # line sizes: a line starting this close to the left edge is not indented
CENTRED = 0.5  # line sizes: a line whose middle is this close to the text block's is centred
TITLE_SIZE = 1.15  # a line set this much larger than the body text may be a title's
SAME_SIZE = 0.05  # two font sizes within this share of each other are the same


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
    lead: float = 0.0  # width of the line's first run that no line break may split (0: not known)


@dataclass
class Chunk:
    """The part of a table that lies on one page."""

    page: int
    page_width: float
    top: float
    columns: tuple[float, ...]  # the left edge of each column
    rows: list[list[str]] = field(default_factory=list)


Item = Line | Chunk
Breaks = tuple[frozenset[str], frozenset[str]]  # characters no line starts with, and none ends with (text.yaml)
NO_BREAKS: Breaks = (frozenset(), frozenset())


@dataclass(frozen=True)
class Tolerances:
    """How one reader's pages are joined: its tests and tolerances, in its own units."""

    closing: tuple[str, ...]  # a cell ending with one of these ended its sentence
    is_page_number: Callable[[str], bool]  # a margin line that is a page number
    paragraph_gap: float  # line sizes: a wider gap between two lines is a blank line
    column_share: float  # of the page width: column edges this close are the same column
    same_header: float = 1.0  # two header rows this alike (difflib ratio) are one header; 1.0: identical
    paragraph_ends: tuple[str, ...] = ()  # a line ending with one of these was not broken early


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


def lead_width(pieces: Iterable[tuple[str, float, float]], no_break_before: frozenset[str],
               no_break_after: frozenset[str]) -> float:
    """Width of a line's first run that no line break may split, from its pieces ``(text, x0, x1)``.

    A break may fall between two characters unless the second may not start
    a line, the first may not end one, or both are Latin letters, digits or
    signs (``8+4``, ``5.5%``); a space ends a run.

    >>> lead_width([("A", 0, 5), ("B", 5, 10), ("C", 10, 15)], frozenset(), frozenset())
    15
    >>> lead_width([("甲", 0, 10), ("乙", 10, 20)], frozenset(), frozenset())  # ideographs: any break
    10
    """
    start = end = None
    previous = ""
    for text, x0, x1 in pieces:
        if start is None:
            if text.isspace():
                continue
            start, end, previous = x0, x1, text
            continue
        if _may_break(previous[-1:], text[:1], no_break_before, no_break_after):
            break
        end, previous = x1, text
    return 0.0 if start is None or end is None else end - start


def _may_break(a: str, b: str, no_break_before: frozenset[str], no_break_after: frozenset[str]) -> bool:
    if not a or not b or a.isspace() or b.isspace():
        return True  # a space may hang at the end of a line
    if b in no_break_before or a in no_break_after:
        return False
    return not (a.isascii() and b.isascii() and a.isprintable() and b.isprintable())


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
    block = _TextBlock(
        left=min((line.x0 for line in lines), default=0.0),
        right=max((line.x1 for line in lines), default=0.0),
        body_size=_body_size(lines),
    )
    merged: list[Item] = []
    for item in items:
        previous = merged[-1] if merged else None
        if isinstance(item, Chunk) and isinstance(previous, Chunk) and _continues(previous, item, tolerances):
            _append_chunk(previous, item, tolerances)
        elif isinstance(item, Line) and isinstance(previous, Line) and _continues_line(previous, item, block, tolerances):
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


@dataclass(frozen=True)
class _TextBlock:
    """Where the text of the notice lies: its left and right edges and the body's font size."""

    left: float
    right: float
    body_size: float

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


def _body_size(lines: list[Line]) -> float:
    """The font size most of the text is set in: the median size over characters."""
    sizes = sorted((line.size, len(line.text)) for line in lines)
    half, seen = sum(n for _, n in sizes) / 2, 0
    for size, count in sizes:
        seen += count
        if seen >= half:
            return size
    return 0.0


def _continues_line(previous: Line, line: Line, block: _TextBlock, tolerances: Tolerances) -> bool:
    """Does ``line`` continue the paragraph ``previous`` ends with?"""
    if line.page == previous.page and line.top - previous.bottom > tolerances.paragraph_gap * previous.size:
        return False  # a blank line between them
    return _wraps(previous, line, block, tolerances) or _title_goes_on(previous, line, block)


def _wraps(previous: Line, line: Line, block: _TextBlock, tolerances: Tolerances) -> bool:
    """Was ``previous`` full, so that its text went on at the start of ``line``?"""
    if line.x0 > block.left + LEFT_EDGE * line.size:
        return False  # indented: a new paragraph
    if previous.x1 >= block.right - RIGHT_EDGE * previous.size:
        return True  # it reached the right edge
    broken_early = previous.x1 + line.lead > block.right  # the next line's first run did not fit
    return broken_early and not previous.text.endswith(tolerances.paragraph_ends)


def _title_goes_on(previous: Line, line: Line, block: _TextBlock) -> bool:
    """Are both lines of a title: centred, the same size, larger than the body text?"""
    size = previous.size
    if line.page != previous.page or abs(line.size - size) > SAME_SIZE * size or size < TITLE_SIZE * block.body_size:
        return False
    return all(abs((one.x0 + one.x1) / 2 - block.centre) <= CENTRED * size for one in (previous, line))
