"""PDF notices exported from Word/WPS/LibreOffice: ruled tables and the text around them.

pdfium (through pypdfium2's raw bindings) reads each page once: its
characters with their boxes (:mod:`pdf_page`) and its ruling lines
(:mod:`pdf_paths`); the ruled tables are found from the lines
(:mod:`pdf_tables`), then every character is placed either in the table cell
holding its centre or outside the tables, where tables printed without ruling
lines are found by the alignment of their text under a header row
(:mod:`pdf_unruled`); the rest are text lines. Lines are built from the characters themselves, so space glyphs
in the text layer are kept ("主  要  任  务"), no space is inserted between
Chinese characters, and a space is inserted only where the PDF leaves a gap
between two Latin letters or digits. Characters drawn twice to fake bold are
de-duplicated first.

The page count is read from the page tree before any page is loaded, so an
oversized file is refused at once.

Then the pages are joined by :mod:`pipeline.sources.pages` (page furniture,
tables continued on the next page, rows split by the page break, wrapped
paragraphs), with tolerances in points.

Merged cells appear as ``""`` in the slots they cover (no cell is found
there). A one-column "table" (a box drawn around text) is read as text.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pipeline.errors import InputTooLarge, NoTextLayer, UnreadableInput
from pipeline.model import Document
from pipeline.rules import Rules
from pipeline.rules.text import TextRules
from pipeline.sources.pages import (
    Chunk,
    Item,
    Line,
    Tolerances,
    group_lines,
    is_latin,
    join_pages,
    lead_width,
)
from pipeline.sources.pdf_page import Char, load_page, open_document, page_chars, page_count
from pipeline.sources.pdf_paths import page_edges
from pipeline.sources.pdf_tables import find_tables
from pipeline.sources.pdf_unruled import Columns, find_unruled

MAX_PAGES = 2000
PARAGRAPH_GAP = 1.2  # font sizes: a wider gap between two lines is a blank line
COLUMN_SHARE = 2 / 595.3  # 2 pt on an A4 page: column edges this close are the same column


def read(data: bytes, rules: Rules) -> Document:
    if b"%%EOF" not in data:  # not only at the very end: bytes may follow a valid PDF
        raise UnreadableInput("PDF is truncated (no %%EOF at the end)")
    with open_document(data) as document:
        count = page_count(document)
        if count > MAX_PAGES:
            raise InputTooLarge(f"PDF has {count} pages (limit {MAX_PAGES})")
        if count < 1:
            raise UnreadableInput("corrupt PDF (no pages)")
        pages: list[list[Item]] = []
        carried: Columns | None = None  # an unruled table running off the foot of the previous page
        for number in range(count):
            items, carried = _page_items(document, number, rules, carried)
            pages.append(items)
    if not any(pages):
        raise NoTextLayer("PDF has no text layer (scanned image?)")
    page_number = rules.text.page_number
    tolerances = Tolerances(
        closing=rules.text.sentence_ends,
        is_page_number=lambda text: bool(page_number.match(text)),
        paragraph_gap=PARAGRAPH_GAP,
        column_share=COLUMN_SHARE,
        paragraph_ends=rules.text.sentence_ends + rules.text.lead_ins,
    )
    return Document(blocks=tuple(join_pages(pages, tolerances)), source_format="pdf")


# -- one page ------------------------------------------------------------------


def _page_items(document: Any, number: int, rules: Rules, carried: Columns | None) -> tuple[list[Item], Columns | None]:
    """Tables and text lines of one page, top to bottom; the columns of an unruled table running off its foot."""
    with load_page(document, number) as (page, frame):
        chars = page_chars(page, frame)
        if not chars:
            return [], None
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
        items.append((table.bbox[1], Chunk(number, frame.width, table.bbox[1], columns, rows)))
    if tables and loose and min(t.bbox[1] for t in tables) < min(c.top for c in loose):
        carried = None  # a ruled table comes first on this page: nothing continues above it
    found = find_unruled(loose, number, (frame.width, frame.height), rules, _join_chars, carried)
    items.extend((chunk.top, chunk) for chunk in found.chunks)
    for line in group_lines(found.loose):
        items.append((line[0].top, _line(number, frame.height, line, rules.text)))
    items.sort(key=lambda item: item[0])
    return [item for _, item in items], found.last


def _lines_text(chars: list[Char]) -> list[str]:
    texts = (_join_chars(line) for line in group_lines(chars))
    return [text for text in texts if text]


def _join_chars(chars: list[Char]) -> str:
    out: list[str] = []
    previous = None
    for char in chars:
        text = _fold(char.text)
        if previous is not None and out and out[-1] != " " and text != " ":
            gap = char.x0 - previous.x1
            if gap > 0.25 * char.size and is_latin(out[-1][-1]) and is_latin(text[:1]):
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


def _line(page: int, height: float, chars: list[Char], text: TextRules) -> Line:
    return Line(
        page=page,
        page_height=height,
        top=min(c.top for c in chars),
        bottom=max(c.bottom for c in chars),
        x0=chars[0].x0,
        x1=chars[-1].x1,
        size=max(c.size for c in chars),
        text=_join_chars(chars),
        lead=lead_width(((c.text, c.x0, c.x1) for c in chars), text.no_break_before, text.no_break_after),
    )
