"""pdfium's view of a PDF: documents, pages and their characters.

Coordinates are those pdfplumber uses, so the reader's rules keep their
meaning: ``x`` from the left edge of the page as displayed, ``top`` and
``bottom`` from its top edge (``/Rotate`` applied, as pdfminer does).

**Characters** come from pdfium's text page, one call per property. Its
own additions are undone: generated spaces and line breaks are skipped, and
the runs of spaces it collapses to one (``主  要`` -> ``主 要``) are restored
when the gap after the kept space is a whole number of space widths.
Characters drawn twice to fake bold are dropped by pdfium itself when the
copies are very close; the project's own rule then runs on the rest (same
text, font and size within 1 pt: the top-left copy is kept). Characters that
are not upright (rotated text) are left out, as before.

The ruling lines of a page are read by :mod:`pdf_paths`.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from pipeline.errors import UnreadableInput
from pipeline.sources.pdf_tables import chains

Matrix = tuple[float, float, float, float, float, float]
_ADDED = frozenset({0x20, 0x0D, 0x0A})  # what pdfium inserts between words and lines
_CONTROL = frozenset({0x0, 0x2, 0x3, 0x93, 0x94, 0x96, 0x97, 0x98, 0xFFFE})  # pdfium's markers
_HYPHEN = 0x2  # pdfium's code for a hyphen that ends a line
DEDUPE_TOLERANCE = 1.0


class Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    number: int  # its index on pdfium's text page, to look the font up when needed


@functools.cache
def pdfium() -> Any:
    """pypdfium2's raw pdfium bindings, the library initialised.

    ``pypdfium2_raw`` rather than ``pypdfium2``: the helper layer is not used
    here and costs another ~14 ms at import. Initialising twice is a no-op in
    pdfium, so importing ``pypdfium2`` as well (pdfplumber does) is harmless.
    """
    import pypdfium2_raw as lib

    config = lib.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=None, m_pIsolate=None, m_v8EmbedderSlot=0)
    lib.FPDF_InitLibraryWithConfig(ctypes.byref(config))
    return lib


# -- documents and pages -----------------------------------------------------------------


@contextmanager
def open_document(data: bytes) -> Iterator[Any]:
    """pdfium's document handle; ``data`` must stay alive while it is open (pdfium reads it lazily)."""
    lib = pdfium()
    document = lib.FPDF_LoadMemDocument64(data, len(data), None)
    if not document:
        error = lib.FPDF_GetLastError()
        if error in (lib.FPDF_ERR_PASSWORD, lib.FPDF_ERR_SECURITY):
            raise UnreadableInput("PDF is encrypted (password required)")
        raise UnreadableInput(f"corrupt PDF (pdfium: {_ERRORS.get(error, 'unknown error')})")
    try:
        yield document
    finally:
        lib.FPDF_CloseDocument(document)


_ERRORS = {1: "unknown error", 2: "file not found or unreadable", 3: "not a PDF or damaged", 6: "page not found"}


def page_count(document: Any) -> int:
    """From the page tree's counts, without loading any page."""
    count: int = pdfium().FPDF_GetPageCount(document)
    return count


class Frame(NamedTuple):
    """User space -> page coordinates as displayed: ``(x, top)``, origin at the top-left corner."""

    matrix: Matrix
    height: float
    width: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.matrix
        return a * x + c * y + e, self.height - (b * x + d * y + f)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """``(x0, top, x1, bottom)`` of a user-space rectangle."""
        xa, ta = self.point(left, bottom)
        xb, tb = self.point(right, top)
        return min(xa, xb), min(ta, tb), max(xa, xb), max(ta, tb)


@contextmanager
def load_page(document: Any, index: int) -> Iterator[tuple[Any, Frame]]:
    lib = pdfium()
    page = lib.FPDF_LoadPage(document, index)
    if not page:
        raise UnreadableInput(f"corrupt PDF (page {index + 1} cannot be read)")
    try:
        yield page, _frame(lib, page)
    finally:
        lib.FPDF_ClosePage(page)


def _frame(lib: Any, page: Any) -> Frame:
    """pdfminer's page matrix for the page box (crop box within the media box) and its rotation."""
    box = lib.FS_RECTF()
    if not lib.FPDF_GetPageBoundingBox(page, ctypes.byref(box)):
        raise UnreadableInput("corrupt PDF (a page has no valid page box)")
    x0, y0, x1, y1 = box.left, box.bottom, box.right, box.top
    rotation = lib.FPDFPage_GetRotation(page) % 4
    if rotation == 1:
        return Frame((0, -1, 1, 0, -y0, x1), x1 - x0, y1 - y0)
    if rotation == 2:
        return Frame((-1, 0, 0, -1, x1, y1), y1 - y0, x1 - x0)
    if rotation == 3:
        return Frame((0, 1, -1, 0, y1, -x0), x1 - x0, y1 - y0)
    return Frame((1, 0, 0, 1, -x0, -y0), y1 - y0, x1 - x0)


# -- characters --------------------------------------------------------------------------


def page_chars(page: Any, frame: Frame) -> list[Char]:
    """Upright characters of the page, fake-bold copies dropped, in pdfium's reading order."""
    lib = pdfium()
    text_page = lib.FPDFText_LoadPage(page)
    if not text_page:
        raise UnreadableInput("corrupt PDF (a page's text cannot be read)")
    try:
        chars = _read_chars(lib, text_page, frame)
        return dedupe(chars, functools.partial(_font_name, lib, text_page))
    finally:
        lib.FPDFText_ClosePage(text_page)


def _read_chars(lib: Any, text_page: Any, frame: Frame) -> list[Char]:
    unicode, added, hyphen = lib.FPDFText_GetUnicode, lib.FPDFText_IsGenerated, lib.FPDFText_IsHyphen
    loose_box, char_matrix, font_size = lib.FPDFText_GetLooseCharBox, lib.FPDFText_GetMatrix, lib.FPDFText_GetFontSize
    box, matrix = lib.FS_RECTF(), lib.FS_MATRIX()
    box_ref, matrix_ref = ctypes.byref(box), ctypes.byref(matrix)
    pa, pb, pc, pd = frame.matrix[:4]
    place = _placer(frame)
    chars: list[Char] = []
    for i in range(lib.FPDFText_CountChars(text_page)):
        code = unicode(text_page, i)
        if code in _ADDED and added(text_page, i) == 1:
            continue
        if code in _CONTROL:
            if not (code == _HYPHEN and hyphen(text_page, i) == 1):
                continue
            code = 0x2D
        char_matrix(text_page, i, matrix_ref)
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        a, b, c, d = a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd
        if not (a * d > 0 and b * c <= 0):
            continue  # rotated or mirrored text
        loose_box(text_page, i, box_ref)
        x0, top, x1, bottom = place(box.left, box.bottom, box.right, box.top)
        char = Char(chr(code), x0, x1, top, bottom, font_size(text_page, i) * abs(d), i)
        if chars and chars[-1].text == " ":
            chars.extend(_collapsed_spaces(chars[-1], char))
        chars.append(char)
    return chars


def _placer(frame: Frame) -> Callable[[float, float, float, float], tuple[float, float, float, float]]:
    """``frame.box``, with a fast path for unrotated pages (the common case)."""
    a, b, c, d, e, f = frame.matrix
    if (a, b, c, d) != (1, 0, 0, 1):
        return frame.box
    height = frame.height

    def place(left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        return left + e, height - (top + f), right + e, height - (bottom + f)

    return place


def _collapsed_spaces(space: Char, after: Char) -> list[Char]:
    """The spaces pdfium dropped between ``space`` and the next character ``after``.

    They were drawn one after the other from the end of the kept space, so
    the gap is a whole number of space widths, less any kerning of the next
    glyph (up to a tenth of a space) or plus a little spacing (up to a
    twentieth: LibreOffice's bold header cells). A wider gap is a justified
    line's word spacing, not a dropped space. Later stages collapse runs of spaces, so
    this keeps the text as drawn ("主  要"); it never changes the output.

    >>> kept = Char(" ", 10.0, 12.5, 0.0, 10.0, 10.0, 0)
    >>> [c.x0 for c in _collapsed_spaces(kept, Char("a", 17.4, 22.0, 0.0, 10.0, 10.0, 1))]
    [12.5, 15.0]
    >>> _collapsed_spaces(kept, Char("a", 15.2, 20.0, 0.0, 10.0, 10.0, 1))  # word spacing
    []
    """
    width = space.x1 - space.x0
    if width <= 0 or abs(after.top - space.top) > space.size / 2:
        return []
    gap = after.x0 - space.x1
    count = round(gap / width)
    if count < 1 or not -width / 10 <= gap - count * width <= width / 20:
        return []
    return [space._replace(x0=space.x1 + k * width, x1=space.x1 + (k + 1) * width) for k in range(count)]


def _font_name(lib: Any, text_page: Any, index: int) -> str:
    buffer = ctypes.create_string_buffer(256)
    length = lib.FPDFText_GetFontInfo(text_page, index, buffer, len(buffer), None)
    return buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace")


def dedupe(chars: list[Char], font_of: Callable[[int], str], tolerance: float = DEDUPE_TOLERANCE) -> list[Char]:
    """Drop copies of a character drawn again within ``tolerance`` (fake bold); keep the top-left one.

    Copies have the same text, font and size, and chain within ``tolerance``
    first by ``top``, then by ``x0``. Fonts are looked up only for characters
    that have a near twin of the same text and size.
    """
    groups: dict[tuple[str, float], list[Char]] = defaultdict(list)
    for char in chars:
        groups[char.text, char.size].append(char)
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) == 1:
            continue
        unique = _one_per_cluster(group, tolerance)
        if len(unique) < len(group):
            by_font: dict[str, list[Char]] = defaultdict(list)
            for char in group:
                by_font[font_of(char.number)].append(char)
            unique = [c for same_font in by_font.values() for c in _one_per_cluster(same_font, tolerance)]
            dropped.update({id(c) for c in group} - {id(c) for c in unique})
    return [c for c in chars if id(c) not in dropped] if dropped else chars


def _one_per_cluster(chars: list[Char], tolerance: float) -> list[Char]:
    tops = sorted(c.top for c in chars)
    if all(b - a > tolerance for a, b in itertools.pairwise(tops)):
        return chars  # each on its own line: nothing to merge (the common case)
    out = []
    for row in _clusters(chars, lambda c: c.top, tolerance):
        if len(row) == 1:
            out.append(row[0])
            continue
        for cluster in _clusters(row, lambda c: c.x0, tolerance):
            out.append(min(cluster, key=lambda c: (c.top, c.x0)))
    return out


def _clusters(chars: list[Char], key: Callable[[Char], float], tolerance: float) -> list[list[Char]]:
    number = {value: n for n, chain in enumerate(chains({key(c) for c in chars}, tolerance)) for value in chain}
    groups: dict[int, list[Char]] = defaultdict(list)
    for char in chars:
        groups[number[key(char)]].append(char)
    return [groups[n] for n in sorted(groups)]
