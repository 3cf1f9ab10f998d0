"""The pdfium PDF reader (pipeline/sources/pdf*.py): tables and characters against pdfplumber, and its own rules.

pdfplumber (a dev dependency) is the oracle for what the reader used to get
from it: the ruled-table cells on every page of every fixture and of
hand-made pages drawn the ways Word, WPS and LibreOffice draw borders, the
characters with their horizontal positions and sizes, and the table stages on
random edges. The reader itself never imports it (checked below).
"""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import sources
from pipeline.errors import InputTooLarge, UnreadableInput
from pipeline.model import Paragraph, Table
from pipeline.rules import load_rules
from pipeline.sources import pdf as pdf_reader
from pipeline.sources import pdf_page, pdf_paths, pdf_tables
from pipeline.sources.pdf_page import Char
from pipeline.sources.pdf_tables import Edge
from tests.conftest import RAW_DOCS, ROOT

RULES = load_rules()

pdfplumber = pytest.importorskip("pdfplumber")

FIXTURES = sorted(RAW_DOCS.glob("*.pdf"))


# -- hand-made PDFs ------------------------------------------------------------------------


def make_pdf(pages: list[bytes], objects: tuple[bytes, ...] = (), page_keys: bytes = b"", resources: bytes = b"") -> bytes:
    """A PDF with a 300x400 page per content stream; /F1 is Helvetica, /F2 Courier.

    ``objects`` are numbered from 5 on (forms, say); ``page_keys`` and
    ``resources`` are added to every page's dictionary and resources.
    """
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
              b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>", *objects]
    kids = []
    for content in pages:
        bodies.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        bodies.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents %d 0 R"
                      b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> %s >> %s >>" % (len(bodies), resources, page_keys))
        kids.append(b"%d 0 R" % len(bodies))
    bodies[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return _assemble(bodies)


def _assemble(bodies: list[bytes]) -> bytes:
    parts, offsets, size = [b"%PDF-1.4\n"], [], 9
    for number, body in enumerate(bodies, 1):
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        offsets.append(size)
        parts.append(chunk)
        size += len(chunk)
    parts.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    parts.append(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    parts.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, size))
    return b"".join(parts)


def text(x: float, y: float, words: bytes, font: bytes = b"F1") -> bytes:
    return b"BT /%s 10 Tf %.2f %.2f Td (%s) Tj ET\n" % (font, x, y, words)


ROWS, COLUMNS = (300, 280, 260, 240), (20, 100, 280)
WORDS = text(25, 285, b"No") + text(105, 285, b"Task") + text(25, 265, b"1") + text(105, 265, b"First") + \
    text(25, 245, b"2") + text(105, 245, b"Second")
STROKED = b"".join(b"20 %d m 280 %d l S\n" % (y, y) for y in ROWS) + \
    b"".join(b"%d 240 m %d 300 l S\n" % (x, x) for x in COLUMNS)
THIN_RECTS = b"".join(b"20 %d 260.5 0.5 re f\n" % y for y in ROWS) + \
    b"".join(b"%d 240 0.5 60.5 re f\n" % x for x in COLUMNS)
CELL_RECTS = b"".join(b"20 %d 80 20 re S 100 %d 180 20 re S\n" % (y, y) for y in ROWS[1:])
FORM = b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Matrix [1 0 0 1 5 -10] /Length %d >>\nstream\n%s\nendstream" % (
    len(STROKED), STROKED)
ODD_PATHS = (b"20 200 m 280 200 l 280 180 l 20 180 l 20 200 l h S\n"  # a box closed twice
             b"20 150 m 100 150 l 100 120 l 120 100 150 100 160 120 c S\n"  # lines and a curve
             b"20 100 m 280 100 l n\n"  # not painted
             b"20 90 m 200 60 l S\n")  # slanted
HAND_MADE = {
    "stroked-lines (LibreOffice)": make_pdf([STROKED + WORDS]),
    "thin-filled-rects (Word, WPS)": make_pdf([THIN_RECTS + WORDS]),
    "one-rect-per-cell": make_pdf([CELL_RECTS + WORDS]),
    "lines-in-a-scaled-form": make_pdf([b"q 0.5 0 0 0.5 10 20 cm /Fm1 Do Q\n" + WORDS], (FORM,),
                                       resources=b"/XObject << /Fm1 5 0 R >>"),
    "rotated-page": make_pdf([STROKED + WORDS], page_keys=b"/Rotate 90"),
    "odd-paths": make_pdf([STROKED + ODD_PATHS + WORDS]),
}


# -- against pdfplumber ----------------------------------------------------------------------


Cells = list[list[tuple[float, ...]]]


def _our_pages(data: bytes) -> list[tuple[Cells, list[Char]]]:
    """Per page: the cells of each table found, and the characters."""
    pages: list[tuple[Cells, list[Char]]] = []
    with pdf_page.open_document(data) as document:
        for number in range(pdf_page.page_count(document)):
            with pdf_page.load_page(document, number) as (page, frame):
                tables = pdf_tables.find_tables(pdf_paths.page_edges(page, frame))
                cells: Cells = [sorted(cell for row in table.rows for cell in row if cell) for table in tables]
                pages.append((cells, pdf_page.page_chars(page, frame)))
    return pages


def _rounded(tables: Cells) -> Cells:
    """pdfium keeps coordinates as 32-bit floats, pdfminer as 64-bit: compare to 0.01 pt."""
    return [[tuple(round(v, 2) for v in cell) for cell in table] for table in tables]


def _table_differences(data: bytes) -> list[str]:
    problems = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, ((ours, _), page) in enumerate(zip(_our_pages(data), pdf.pages, strict=True)):
            theirs = [sorted(table.cells) for table in page.find_tables()]
            if _rounded(ours) != _rounded(theirs):
                problems.append(f"page {number + 1}: ours {_rounded(ours)}\n  pdfplumber {_rounded(theirs)}")
    return problems


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_tables_match_pdfplumber(path: Path) -> None:
    assert _table_differences(path.read_bytes()) == []


@pytest.mark.parametrize("data", HAND_MADE.values(), ids=HAND_MADE.keys())
def test_hand_made_tables_match_pdfplumber(data: bytes) -> None:
    assert _table_differences(data) == []


def test_hand_made_pages_do_hold_a_table() -> None:
    """Guards the test above: every hand-made page has its 3x2 table (5 on the odd-paths page: 2 more)."""
    counts = {name: [len(t) for t in _our_pages(data)[0][0]] for name, data in HAND_MADE.items()}
    assert all(6 in cells for cells in counts.values()), counts


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_chars_match_pdfplumber(path: Path) -> None:
    """Same characters (fake-bold copies dropped), same horizontal positions and sizes, page by page.

    One known loss: pdfium skips a text object that draws nothing but spaces
    (its glyph box is empty), so such spaces are missing. On the fixtures they
    are the spaces of the "— 3 —" page footers, which the reader drops anyway.
    Vertical extents are not compared: pdfium's box runs from the font's
    descent to its ascent, pdfminer's is one font size tall. Nor, exactly, is
    the right edge of a glyph whose ink runs past its advance width: pdfium's
    box covers the ink (7 bold glyphs of yunling_2024_unruled.pdf, its title's
    办 among them, end up to 0.12 of their size past pdfminer's), so ours may
    end up to :data:`INK_OVERHANG` sizes later, never earlier. Runs of
    spaces pdfium collapsed are restored by us a space width apart, where
    pdfminer may have them a few hundredths of a point off (bold header
    cells): spaces are compared by their number on the page.
    """
    data = path.read_bytes()
    problems = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, ((_, ours), page) in enumerate(zip(_our_pages(data), pdf.pages, strict=True)):
            theirs = [c for c in page.dedupe_chars().chars if c["upright"]]
            a = _right_edges((c.text, c.x0, c.size, c.x1) for c in ours if c.text != " ")
            b = _right_edges((c["text"], c["x0"], c["size"], c["x1"]) for c in theirs if c["text"] != " ")
            body = 0.9 * page.height  # footer spaces may be missing (above)
            spaces = (sum(c.text == " " and c.top < body for c in ours),
                      sum(c["text"] == " " and c["top"] < body for c in theirs))
            only_ours, missing = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
            wider = [key for key in a.keys() & b.keys() if not _same_right_edges(a[key], b[key], key[2])]
            if only_ours or missing or wider or spaces[0] != spaces[1]:
                problems.append(f"page {number + 1}: only ours {only_ours[:5]}, only pdfplumber's {missing[:5]}, "
                                f"right edges differ {[(k, a[k], b[k]) for k in wider[:5]]}, spaces {spaces}")
    assert problems == []


INK_OVERHANG = 0.15  # font sizes


def _right_edges(chars: Iterable[tuple[str, float, float, float]]) -> dict[tuple[str, float, float], list[float]]:
    """Characters by (text, x0, size), each with the sorted right edges of its copies on the page."""
    out: dict[tuple[str, float, float], list[float]] = {}
    for text, x0, size, x1 in chars:
        out.setdefault((text, round(x0, 2), round(size, 2)), []).append(round(x1, 2))
    return {key: sorted(edges) for key, edges in out.items()}


def _same_right_edges(ours: list[float], theirs: list[float], size: float) -> bool:
    return len(ours) == len(theirs) and all(0 <= a - b <= INK_OVERHANG * size for a, b in zip(ours, theirs, strict=True))


def _plumber_stages(edges: list[Edge]) -> Cells:
    from pdfplumber import table as plumber_table
    from pdfplumber import utils

    dicts = [{"orientation": e.orientation, "x0": e.x0, "top": e.top, "x1": e.x1, "bottom": e.bottom,
              "width": e.x1 - e.x0, "height": e.bottom - e.top, "doctop": e.top} for e in edges]
    merged = plumber_table.merge_edges(utils.filter_edges(dicts, min_length=1), 3, 3, 3, 3)
    points = plumber_table.edges_to_intersections(utils.filter_edges(merged, min_length=3), 3, 3)
    return [sorted(t) for t in plumber_table.cells_to_tables(plumber_table.intersections_to_cells(points))]


_BASE = st.sampled_from([0.0, 10.0, 20.0, 40.0, 80.0])
_NEAR_GRID = _BASE.flatmap(lambda base: st.sampled_from([base, base + 0.5, base - 1.25, base + 2.5, base + 3.5]))
_SHIFT = st.sampled_from([0.0, 0.0, 0.0, 0.0, 0.5, -1.25, 2.5, 3.5])  # within and beyond the 3 pt snap
_SCATTERED = st.lists(st.tuples(st.sampled_from("hv"), _NEAR_GRID, _NEAR_GRID, _NEAR_GRID), max_size=24).map(
    lambda raw: [Edge("h", min(a, b), y, max(a, b), y) if o == "h" else Edge("v", y, min(a, b), y, max(a, b))
                 for o, y, a, b in raw])


@st.composite
def _ruled_grids(draw: st.DrawFn) -> list[Edge]:
    """A grid's lines, some short of the full span, shifted a little, or broken (2 pt gaps join, 4 pt do not)."""
    xs = sorted(draw(st.sets(_BASE, min_size=3, max_size=5)))
    ys = sorted(draw(st.sets(_BASE, min_size=3, max_size=5)))
    edges: list[Edge] = []
    for orientation, at, across in (("h", ys, xs), ("v", xs, ys)):
        spans = [(across[0], across[-1])] * 3 + list(itertools.combinations(across, 2))
        for position in at:
            start, end = draw(st.sampled_from(spans))
            position += draw(_SHIFT)
            gap = draw(st.sampled_from([0.0, 0.0, 0.0, 2.0, 4.0]))
            pieces = [(start, end)] if not gap else [(start, (start + end) / 2), ((start + end) / 2 + gap, end)]
            for a, b in pieces:
                edges.append(Edge("h", a, position, b, position) if orientation == "h" else Edge("v", position, a, position, b))
    return edges + draw(_SCATTERED.map(lambda extra: extra[:3]))


_EDGES = st.one_of(_ruled_grids(), _SCATTERED)


@settings(max_examples=300, deadline=None)
@given(_EDGES)
def test_table_stages_match_pdfplumber_on_random_edges(edges: list[Edge]) -> None:
    """Snapping, joining, intersections, cells and tables: exactly pdfplumber's results."""
    ours = [sorted(cell for row in table.rows for cell in row if cell) for table in pdf_tables.find_tables(edges)]
    assert ours == _plumber_stages(edges)


@settings(max_examples=200, deadline=None)
@given(_EDGES, st.lists(st.tuples(_NEAR_GRID, _NEAR_GRID), min_size=1, max_size=20))
def test_locate_by_bisection_matches_scanning_every_cell(edges: list[Edge], points: list[tuple[float, float]]) -> None:
    """The bisected lookup picks the cell the old per-character scan picked, grid lines included."""
    for table in pdf_tables.find_tables(edges):
        x0, top, x1, bottom = table.bbox
        for x, y in [*points, (x0, top), (x1, bottom), ((x0 + x1) / 2, (top + bottom) / 2)]:
            inside = x0 <= x <= x1 and top <= y <= bottom
            assert table.locate(x, y) == (table._scan(x, y) if inside else None)


# -- the reader's own rules -------------------------------------------------------------------


def test_word_style_table_of_thin_rectangles_is_read() -> None:
    assert sources.read(HAND_MADE["thin-filled-rects (Word, WPS)"], RULES).blocks == (
        Table((("No", "Task"), ("1", "First"), ("2", "Second"))),
    )


def test_spaces_pdfium_collapses_are_restored() -> None:
    """pdfium keeps one space of a run ("主  要" -> "主 要"); the reader puts the others back."""
    assert sources.read(make_pdf([text(50, 300, b"A  B")]), RULES).blocks == (Paragraph("A  B"),)


def test_word_spacing_is_not_taken_for_a_dropped_space() -> None:
    """A gap a little wider than a space after a space (justified text) is not a second space."""
    assert sources.read(make_pdf([b"BT /F1 10 Tf 50 300 Td [(A ) -292 (B)] TJ ET\n"]), RULES).blocks == (Paragraph("A B"),)


def test_fake_bold_copies_pdfium_keeps_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfium drops copies drawn right after the original; a copy drawn later is the reader's to drop."""
    others = b"".join(text(50, 200 - 15 * k, b"Line%d" % k) for k in range(6))
    data = make_pdf([text(50, 300, b"Notice") + others + text(50.9, 300, b"Notice")])
    assert sources.read(data, RULES).blocks[0] == Paragraph("Notice")
    monkeypatch.setattr(pdf_page, "dedupe", lambda chars, font_of: chars)
    assert sources.read(data, RULES).blocks[0] == Paragraph("NNoottiiccee")  # the premise: pdfium kept both


def _char(text: str, x0: float, top: float, number: int) -> Char:
    return Char(text, x0, x0 + 5, top, top + 10, 10.0, number)


def test_dedupe_keeps_the_top_left_copy_and_looks_fonts_up_only_for_near_twins() -> None:
    fonts = {0: "Sans", 1: "Sans", 2: "Serif", 3: "Sans", 4: "Sans"}
    looked_up: list[int] = []

    def font_of(number: int) -> str:
        looked_up.append(number)
        return fonts[number]

    chars = [_char("A", 10.6, 0.4, 0), _char("A", 10.0, 0.0, 1), _char("A", 10.3, 0.2, 2),
             _char("B", 30.0, 0.0, 3), _char("A", 60.0, 0.0, 4)]
    kept = pdf_page.dedupe(chars, font_of)
    assert [c.number for c in kept] == [1, 2, 3, 4]  # 0 is 1's copy; 2 is in another font
    assert sorted(looked_up) == [0, 1, 2, 4]  # "B" has no twin


def test_dedupe_chains_within_tolerance() -> None:
    """As pdfplumber: positions chain (0, 0.8, 1.6 are one cluster), 1.5 pt apart alone are two."""
    chained = [_char("x", 0.0, 0.0, 0), _char("x", 0.8, 0.0, 1), _char("x", 1.6, 0.0, 2)]
    apart = [_char("y", 0.0, 0.0, 3), _char("y", 1.5, 0.0, 4)]
    assert [c.number for c in pdf_page.dedupe(chained + apart, lambda n: "Sans")] == [0, 3, 4]


def test_hyphen_ending_a_line_is_kept() -> None:
    """pdfium marks such a hyphen with code 2; the reader writes it back as "-"."""
    data = make_pdf([text(50, 300, b"Wi-") + text(50, 288, b"Fi network")])
    with pdf_page.open_document(data) as document, pdf_page.load_page(document, 0) as (page, _):
        lib = pdf_page.pdfium()
        text_page = lib.FPDFText_LoadPage(page)
        codes = [lib.FPDFText_GetUnicode(text_page, i) for i in range(lib.FPDFText_CountChars(text_page))]
        lib.FPDFText_ClosePage(text_page)
    assert 2 in codes  # the premise
    assert sources.read(data, RULES).blocks == (Paragraph("Wi-"), Paragraph("Fi network"))


def test_rotated_text_is_left_out() -> None:
    data = make_pdf([text(50, 300, b"Upright") + b"BT /F1 10 Tf 0 1 -1 0 200 100 Tm (Side) Tj ET\n"])
    assert sources.read(data, RULES).blocks == (Paragraph("Upright"),)


def test_font_size_includes_the_text_and_graphics_matrices() -> None:
    data = make_pdf([b"q 2 0 0 2 0 0 cm BT /F1 5 Tf 20 100 Td (Big) Tj ET Q BT /F1 1 Tf 12 0 0 12 20 300 Tm (Tm) Tj ET"])
    assert [c.size for c in _our_pages(data)[0][1]] == [10.0] * 3 + [12.0] * 2


# -- errors and limits ---------------------------------------------------------------------------


def many_pages(count: int, content: bytes = b"") -> bytes:
    """A real ``count``-page PDF (every page its own object, sharing one content stream)."""
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 3 0 R" \
           b" /Resources << /Font << /F1 4 0 R >> >> >>"
    kids = b" ".join(b"%d 0 R" % (n + 5) for n in range(count))
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids),
              stream, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", *[page] * count]
    return _assemble(bodies)


def test_page_count_is_checked_before_any_page_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 300,000-page PDF is refused from its page tree: no page is opened, it takes well under a second."""
    data = many_pages(300_000)

    def no_page(*args: object) -> None:
        raise AssertionError("a page was loaded")

    monkeypatch.setattr(pdf_reader, "load_page", no_page)
    start = time.perf_counter()
    with pytest.raises(InputTooLarge, match="300000 pages"):
        sources.read(data, RULES)
    assert time.perf_counter() - start < 1.0


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc")
def test_300k_page_pdf_is_refused_small_in_memory(tmp_path: Path) -> None:
    """The whole process (Python, the 30 MB file, pdfium) peaks well under 200 MB; pdfplumber took 1 GB and 40 s."""
    path = tmp_path / "huge.pdf"
    path.write_bytes(many_pages(300_000))
    code = ("import sys\nfrom pipeline import sources\nfrom pipeline.rules import load_rules\nfrom pipeline.errors import InputTooLarge\n"
            "try:\n    sources.read(open(sys.argv[1], 'rb').read(), load_rules())\nexcept InputTooLarge as e:\n    print(e)\n"
            "print([int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0])\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT, check=True)
    message, peak_kb = out.stdout.splitlines()
    assert message == "PDF has 300000 pages (limit 2000)"
    assert int(peak_kb) < 200_000


def test_time_limit_interrupts_the_reader() -> None:
    from pipeline.timelimit import time_limit

    lines = b"".join(text(20, 390 - 12 * k, b"Line %d of a page of text" % k) for k in range(20))
    data = many_pages(400, lines)  # about 1 s to read
    with pytest.raises(InputTooLarge, match="time limit"), time_limit(0.05):
        sources.read(data, RULES)
    assert sources.read(make_pdf([text(50, 300, b"After")]), RULES).blocks == (Paragraph("After"),)  # pdfium still usable


def test_pdf_without_pages_is_corrupt() -> None:
    data = _assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 0 /Kids [] >>"])
    with pytest.raises(UnreadableInput, match="corrupt PDF"):
        sources.read(data, RULES)


def test_reading_a_pdf_does_not_import_pdfplumber() -> None:
    code = ("import sys\nfrom pipeline import sources\nfrom pipeline.rules import load_rules\n"
            f"sources.read(open({str(FIXTURES[0])!r}, 'rb').read(), load_rules())\n"
            "print(sorted(m for m in ('pdfplumber', 'pdfminer', 'pypdfium2') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
