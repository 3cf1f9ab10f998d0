"""PDF notices exported from Word/WPS/LibreOffice: ruled tables and the text around them.

pdfium (through pypdfium2's raw bindings) reads each page once: its
characters with their boxes (:mod:`pdf_page`) and its ruling lines
(:mod:`pdf_paths`); the ruled tables are found from the lines
(:mod:`pdf_tables`), then every character is
placed either in the table cell holding its centre or in a text line outside
the tables. Lines are built from the characters themselves, so space glyphs
in the text layer are kept ("主  要  任  务"), no space is inserted between
Chinese characters, and a space is inserted only where the PDF leaves a gap
between two Latin letters or digits. Characters drawn twice to fake bold are
de-duplicated first.

The page count is read from the page tree before any page is loaded, so an
oversized file is refused at once.

Then, across pages:

* **Page furniture** — a line in the top or bottom margin band that is a page
  number (``— 3 —``, ``-3-``, ``第3页``, ``第 3 页 共 9 页``, ``3/9``, ``3``) or
  that repeats (digits aside) on several pages is dropped.
* **Tables continued on the next page** — a table that is the first thing on
  its page continues the previous page's table when that page ended with a
  table and the two share their header row or their column positions. The
  repeated header row is dropped and the chunks become one Table.
* **Rows split by the page break** — the first body row of a continuation
  chunk whose 序号 cell is empty is either the rest of the previous row or a
  real continuation row (a merged 序号 cell that happens to start a page). It
  is the rest of the previous row when (a) one of its cells is empty where
  the previous row's cell has text — that cell already ended on the previous
  page, while a real row has text in every column — or (b) every cell has
  text but the previous row's longest cell stops without closing
  punctuation (。；！？ or "."), i.e. mid-sentence. Its cells are then appended to
  the previous row's, line by line.
* **Paragraphs** — lines outside tables become Paragraph blocks in reading
  order (top to bottom on each page). A line that reaches the right edge of
  the text block is continued by the next line when that one starts at the
  left edge (it is not indented), so a wrapped paragraph is one block as in
  the text copy.

Merged cells appear as ``""`` in the slots they cover (no cell is found
there). A one-column "table" (a box drawn around text) is read as text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex

from pipeline.errors import InputTooLarge, NoTextLayer, UnreadableInput
from pipeline.model import Block, Document, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources.pdf_page import Char, load_page, open_document, page_chars, page_count
from pipeline.sources.pdf_paths import page_edges
from pipeline.sources.pdf_tables import find_tables
from pipeline.textnorm import squeeze

MAX_PAGES = 2000
MARGIN_BAND = 0.1  # top and bottom tenth of the page hold page furniture


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
    top: float
    columns: tuple[float, ...]
    rows: list[list[str]] = field(default_factory=list)


Item = Line | Chunk


def read(data: bytes, rules: Rules) -> Document:
    if b"%%EOF" not in data:  # not only at the very end: bytes may follow a valid PDF
        raise UnreadableInput("PDF is truncated (no %%EOF at the end)")
    with open_document(data) as document:
        count = page_count(document)
        if count > MAX_PAGES:
            raise InputTooLarge(f"PDF has {count} pages (limit {MAX_PAGES})")
        if count < 1:
            raise UnreadableInput("corrupt PDF (no pages)")
        pages = [_page_items(document, number) for number in range(count)]
    if not any(pages):
        raise NoTextLayer("PDF has no text layer (scanned image?)")
    items = _drop_furniture(pages, rules.text.page_number)
    return Document(blocks=tuple(_blocks(items, rules.text.sentence_ends)), source_format="pdf")


# -- one page ------------------------------------------------------------------


def _page_items(document: Any, number: int) -> list[tuple[float, Item]]:
    """Tables and text lines of one page, each with its height on the page."""
    with load_page(document, number) as (page, frame):
        chars = page_chars(page, frame)
        if not chars:
            return []
        tables = [t for t in find_tables(page_edges(page, frame)) if len(t.columns) > 1]
    loose: list[Char] = []
    buckets: list[list[list[list[Char]]]] = [[[[] for _ in row] for row in t.rows] for t in tables]
    for char in chars:
        x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        for cells, table in zip(buckets, tables, strict=True):
            place = table.locate(x, y)
            if place is not None:
                cells[place[0]][place[1]].append(char)
                break
        else:
            loose.append(char)
    items: list[tuple[float, Item]] = []
    for table, grid in zip(tables, buckets, strict=True):
        rows = [["\n".join(_lines_text(cell)) for cell in row] for row in grid]
        columns = tuple(round(x, 1) for x in table.columns)
        items.append((table.bbox[1], Chunk(number, table.bbox[1], columns, rows)))
    for line in _group_lines(loose):
        items.append((line[0].top, _line(number, frame.height, line)))
    items.sort(key=lambda item: item[0])
    return items


def _group_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars into lines: sorted by top, a line takes chars overlapping its middle."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c.top, c.x0)):
        if lines:
            first = lines[-1][0]
            middle = (first.top + first.bottom) / 2
            if char.top <= middle <= char.bottom:
                lines[-1].append(char)
                continue
        lines.append([char])
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _lines_text(chars: list[Char]) -> list[str]:
    texts = (_join_chars(line) for line in _group_lines(chars))
    return [text for text in texts if text]


def _join_chars(chars: list[Char]) -> str:
    out: list[str] = []
    previous = None
    for char in chars:
        text = _fold(char.text)
        if previous is not None and out and out[-1] != " " and text != " ":
            gap = char.x0 - previous.x1
            if gap > 0.25 * char.size and _is_latin(out[-1][-1]) and _is_latin(text[:1]):
                out.append(" ")
        out.append(text)
        previous = char
    return "".join(out).strip()


def _fold(text: str) -> str:
    """Kangxi radicals and compatibility ideographs (WPS exports) to plain CJK."""
    if len(text) == 1 and not (0x2E80 <= ord(text) <= 0x2FDF or 0xF900 <= ord(text) <= 0xFAFF):
        return text  # the common case, decided without a loop
    if any(0x2E80 <= ord(ch) <= 0x2FDF or 0xF900 <= ord(ch) <= 0xFAFF for ch in text):
        return unicodedata.normalize("NFKC", text)
    return text


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _line(page: int, height: float, chars: list[Char]) -> Line:
    return Line(
        page=page,
        page_height=height,
        top=min(c.top for c in chars),
        bottom=max(c.bottom for c in chars),
        x0=chars[0].x0,
        x1=chars[-1].x1,
        size=max(c.size for c in chars),
        text=_join_chars(chars),
    )


# -- page furniture ------------------------------------------------------------


def _drop_furniture(pages: list[list[tuple[float, Item]]], page_number: regex.Pattern[str]) -> list[Item]:
    lines = [item for page in pages for _, item in page if isinstance(item, Line)]
    band = [line for line in lines if _in_margin(line)]
    # On how many pages each margin line (digits aside) occurs.
    pages_with = Counter(shape for _, shape in {(line.page, _shape(line.text)) for line in band})
    items: list[Item] = []
    for page in pages:
        for _, item in page:
            if isinstance(item, Line) and (not item.text or _is_furniture(item, pages_with, len(pages), page_number)):
                continue
            items.append(item)
    return items


def _is_furniture(line: Line, pages_with: Counter[str], page_count: int, page_number: regex.Pattern[str]) -> bool:
    if not _in_margin(line):
        return False
    return bool(page_number.match(line.text)) or (page_count > 2 and pages_with[_shape(line.text)] > 2)


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
            previous.text = _join_text(previous.text, item.text)
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


def _continues(previous: Chunk, chunk: Chunk) -> bool:
    if chunk.page != previous.page + 1 or not previous.rows or not chunk.rows:
        return False
    if _key(chunk.rows[0]) == _key(previous.rows[0]):
        return True
    return len(chunk.columns) == len(previous.columns) and all(
        abs(a - b) < 2 for a, b in zip(chunk.columns, previous.columns, strict=False)
    )


def _append_chunk(previous: Chunk, chunk: Chunk, closing: tuple[str, ...]) -> None:
    rows = chunk.rows
    if _key(rows[0]) == _key(previous.rows[0]):
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
    if line.page == previous.page and line.top - previous.bottom > 1.2 * previous.size:
        return False
    return previous.x1 >= right - 1.5 * previous.size and line.x0 <= left + 0.5 * line.size


def _join_text(before: str, after: str) -> str:
    if before and after and _is_latin(before[-1]) and _is_latin(after[0]):
        return f"{before} {after}"
    return before + after

