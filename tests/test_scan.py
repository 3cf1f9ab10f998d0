"""Scanned notices: image-only PDFs and page images read by OCR (pipeline/sources/scan*.py).

Tests that run the OCR engine read one or two pages of the committed scans
(raw_docs/*_scan*); they are skipped, with the reason shown, when the engine is
not installed. The full notices are measured by benchmarks/ocr_accuracy.py.
Table structure, cell assignment, warnings and the rules run on drawn pages
with a stand-in engine, so they need no OCR.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline import layouts, sources
from pipeline.cli import main
from pipeline.errors import RuleError, UnreadableInput
from pipeline.model import Paragraph, Warning
from pipeline.rules import default_rules_dir, load_rules
from pipeline.sources import scan, scan_fixes, scan_ocr, scan_page, scan_tables
from pipeline.sources.scan_ocr import TextBox
from tests.conftest import RAW_DOCS, ROOT

RULES = load_rules()

SEED_SCAN = RAW_DOCS / "jiaxing_2021_scan.pdf"
SEED_PNG = RAW_DOCS / "jiaxing_2021_scan_p1.png"
needs_engine = pytest.mark.skipif(
    not scan_ocr.available(), reason="OCR engine not installed: pip install -e '.[ocr]' (rapidocr-onnxruntime)"
)


def _pdf_pages(path: Path, pages: list[int]) -> bytes:
    """A new image-only PDF holding ``pages`` (0-based) of ``path``."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(path.read_bytes())
    out = pdfium.PdfDocument.new()
    out.import_pages(source, pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _flat(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Rows with line breaks and spaces removed (the text copy spaces out its header: 主  要  工  作)."""
    return [tuple("".join(cell.split()) for cell in row) for row in rows]


# -- wiring and errors (no engine needed) -------------------------------------------------


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "scan", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\0\x10JFIF", "scan", id="jpeg"),
        pytest.param(b"II*\x00\x08\0\0\0", "scan", id="tiff-little-endian"),
        pytest.param(b"MM\x00*\0\0\0\x08", "scan", id="tiff-big-endian"),
        pytest.param(b"%PDF-1.4 image only", "pdf", id="pdf-stays-pdf"),
    ],
)
def test_sniff_images(head: bytes, fmt: str) -> None:
    assert sources.sniff(head) == fmt


def test_no_engine_is_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the OCR engine a scanned PDF is refused with the install hint, before any work."""

    def missing() -> None:
        raise ImportError("No module named 'rapidocr_onnxruntime'")

    monkeypatch.setattr(scan_ocr, "_import_engine", missing)
    with pytest.raises(UnreadableInput) as caught:
        sources.read(SEED_SCAN.read_bytes(), RULES)
    assert str(caught.value) == scan_ocr.NO_ENGINE
    assert str(caught.value).startswith("scanned PDF: install ")
    with pytest.raises(UnreadableInput, match=r"^scanned image: install "):
        sources.read(SEED_PNG.read_bytes(), RULES)


def test_no_engine_cli_exit_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(scan_ocr, "available", lambda: False)
    monkeypatch.setattr(scan, "available", lambda: False)
    assert main(["ingest", str(SEED_SCAN), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {SEED_SCAN}: {scan_ocr.NO_ENGINE}"]
    assert not list((tmp_path / "out").rglob("*.parquet"))


def test_no_engine_packages_at_all_is_the_same_one_line_error(tmp_path: Path) -> None:
    """Regression: without the [ocr] extra OpenCV is missing too, and importing the page reader was an internal error."""
    blocked = "import sys\nfor name in ('cv2', 'rapidocr_onnxruntime', 'onnxruntime', 'PIL'): sys.modules[name] = None\n"
    code = blocked + f"from pipeline.cli import main\nsys.exit(main(['ingest', {str(SEED_SCAN)!r}, '--out', {str(tmp_path)!r}, '-q']))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"error: {SEED_SCAN}: {scan_ocr.NO_ENGINE}"]
    assert not list(tmp_path.rglob("*.parquet"))


def test_broken_image_is_one_line_error() -> None:
    if not scan_ocr.available():
        pytest.skip("OCR engine not installed: the engine check comes first")
    with pytest.raises(UnreadableInput, match=r"^broken image \("):
        sources.read(SEED_PNG.read_bytes()[:300], RULES)


# -- table structure on drawn pages (no engine needed) ------------------------------------------

# A 4-row, 3-column table; the first column's cells of rows 2 and 3 are merged.
ROWS = (100, 160, 260, 360, 430)
COLS = (100, 220, 800, 1100)


def _drawn_table(angle: float = 0.0) -> np.ndarray:
    page = np.full((1600, 1200), 255, np.uint8)
    for y in ROWS:
        cv2.line(page, (COLS[0], y), (COLS[-1], y), 0, 2)
    for x in COLS:
        cv2.line(page, (x, ROWS[0]), (x, ROWS[-1]), 0, 2)
    page[ROWS[2] - 2 : ROWS[2] + 3, COLS[0] + 3 : COLS[1] - 2] = 255  # merge column 1 of rows 2 and 3
    for y in (600, 650, 700):  # some text-like strokes below the table
        cv2.line(page, (150, y), (1000, y + 1), 0, 12)
    return scan_tables.rotate(page, angle)


def test_ruled_table_cells_and_merges() -> None:
    grids, _ = scan_tables.find_tables(scan_tables.binarise(_drawn_table()))
    assert len(grids) == 1
    grid = grids[0]
    assert grid.shape == (4, 3)
    assert [c for c in grid.columns] == pytest.approx(COLS, abs=2)
    slots = {(cell.row, cell.col) for cell in grid.cells}
    assert (2, 0) not in slots and (1, 0) in slots  # the merged cell sits at its top-left slot
    assert len(grid.cells) == 11


@pytest.mark.parametrize("angle", [-1.5, -0.6, 0.8, 1.3])
def test_deskew_finds_the_angle(angle: float) -> None:
    tilted = _drawn_table(angle)
    found = scan_tables.skew_angle(tilted)
    assert found == pytest.approx(-angle, abs=0.1)
    grids, _ = scan_tables.find_tables(scan_tables.binarise(scan_tables.rotate(tilted, found)))
    assert [g.shape for g in grids] == [(4, 3)]


def test_box_across_a_column_line_is_split() -> None:
    box = TextBox(300, 200, 1000, 230, "AB", 99.0, (("A", 300, 700), ("B", 820, 1000)))
    assert [(b.text, b.x0, b.x1) for b in box.split([220.0, 800.0])] == [("A", 300, 700), ("B", 820, 1000)]
    assert box.split([50.0]) == [box]


def _fake_engine(boxes: list[TextBox]):  # type: ignore[no-untyped-def]
    def recognise(grey: np.ndarray, left: float = 0.0, top: float = 0.0) -> list[TextBox]:
        return boxes if (left, top) == (0.0, 0.0) else []

    return recognise


def test_page_cells_lines_and_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = [
        TextBox(120, 110, 200, 150, "No", 99.0),
        TextBox(240, 110, 400, 150, "Task", 99.0),
        TextBox(820, 110, 950, 150, "Unit", 99.0),
        TextBox(130, 180, 160, 220, "l2", 98.0),  # serial cell: l is a 1 there
        TextBox(240, 170, 780, 200, "grow by l0%", 97.0),
        TextBox(240, 205, 600, 235, "more", 97.0),
        TextBox(820, 300, 1000, 330, "Office", 41.0),  # row 3, col 3: below the threshold
        TextBox(150, 590, 1000, 610, "a line of text", 95.0),
    ]
    monkeypatch.setattr(scan_page, "recognise", _fake_engine(boxes))
    page = scan_page.read_page(2, _drawn_table(), RULES.ocr)
    chunk, line = page.items
    assert isinstance(chunk, scan_page.Chunk) and isinstance(line, scan_page.Line)
    assert chunk.rows[0] == ["No", "Task", "Unit"]
    assert chunk.rows[1] == ["12", "grow by 10%\nmore", ""]
    assert chunk.rows[2][2] == "Office"
    assert line.text == "a line of text"
    assert page.warnings == ["page 3, table 1, row 3, col 3: confidence 41"]
    warnings = scan.quality([page])
    assert warnings[0].what.startswith("OCR mean confidence ")
    assert warnings[1:] == (Warning("reader", "page 3, table 1, row 3, col 3", "confidence 41"),)


# -- OCR confusions (rules/ocr.yaml) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        pytest.param("l0%", "10%", id="l-for-1-before-percent"),
        pytest.param("2O21" + RULES.ocr.unit_fixes.get("", "%"), "2021%", id="O-for-0"),
        pytest.param("5０%".replace("０", "O"), "50%", id="trailing-O"),
        pytest.param("8.l%", "8.1%", id="decimal"),
        pytest.param("35％", "35%", id="full-width-percent"),
        pytest.param("Office l0", "Office l0", id="no-unit-after-no-fix"),
        pytest.param("IOl%", "IOl%", id="no-real-digit-no-fix"),
        pytest.param("PM2.5", "PM2.5", id="latin-word-untouched"),
        pytest.param("ISO9001%", "ISO9001%", id="inside-latin-word-untouched"),
        pytest.param("Hello World", "Hello World", id="not-a-number"),
    ],
)
def test_fix_text(text: str, fixed: str) -> None:
    assert scan_fixes.fix_text(text, RULES.ocr) == fixed


def test_unit_fixes_only_after_a_digit() -> None:
    wrong, right = next(iter(RULES.ocr.unit_fixes.items()))
    assert scan_fixes.fix_text(f"12{wrong}", RULES.ocr) == f"12{right}"
    assert scan_fixes.fix_text(f"A{wrong}", RULES.ocr) == f"A{wrong}"


@pytest.mark.parametrize(("cell", "fixed"), [("l2", "12"), ("1O", "10"), ("I", "I"), ("Il", "Il"), ("7", "7"), ("", "")])
def test_fix_serial(cell: str, fixed: str) -> None:
    assert scan_fixes.fix_serial(cell, RULES.ocr) == fixed


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace("low_confidence: 80", "low_confidence: high"), r":\d+: key 'low_confidence' should be an integer"),
        (lambda text: text + "\nextra_key: 1\n", r":\d+: key 'extra_key' is unknown"),
        (lambda text: text.replace("  O: \"0\"", "  O: zero"), r":\d+: key 'digit_lookalikes' entry 'O' should map single characters to digits"),
        (lambda text: text.replace("page_number:", "page_numbers:"), r":\d+: key 'page_numbers' is unknown"),
    ],
)
def test_malformed_ocr_rules(edit, message: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / "ocr.yaml").write_text(edit((rules / "ocr.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RuleError, match=f"^{rules}/ocr.yaml{message}"):
        load_rules(rules)


# -- the real engine on one or two pages ----------------------------------------------------------


@needs_engine
def test_png_page_reads_like_the_text_version() -> None:
    """Page 1 of the seed as a PNG: header paragraphs and the first table rows as in the text copy."""
    doc = sources.read(SEED_PNG.read_bytes(), RULES)
    want = layouts.apply(sources.read((RAW_DOCS / "jiaxing_2021.txt").read_bytes(), RULES), RULES)
    assert doc.source_format == "scan"
    want_paragraphs = [b.text for b in want.blocks if isinstance(b, Paragraph)][:4]
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)][:4] == want_paragraphs
    got_rows = _flat(doc.tables[0].rows)
    assert got_rows == _flat(want.tables[0].rows)[: len(got_rows)]
    assert len(got_rows) >= 4
    assert doc.warnings and doc.warnings[0].what.startswith("OCR mean confidence ")


@needs_engine
def test_two_pages_join_into_one_table_in_two_workers() -> None:
    """Pages 2-3 of the seed scan: one table, the repeated header dropped, read by two workers."""
    doc = sources.read(_pdf_pages(SEED_SCAN, [1, 2]), RULES, jobs=2)
    assert doc.source_format == "scan"
    assert len(doc.tables) == 1
    rows = _flat(doc.tables[0].rows)
    assert rows[0][0] == rows[0][0].strip() and sum(1 for row in rows if row == rows[0]) == 1
    want = _flat(layouts.apply(sources.read((RAW_DOCS / "jiaxing_2021.txt").read_bytes(), RULES), RULES).tables[0].rows)
    start = want.index(rows[1])  # the first body row on page 2
    expected = want[start : start + len(rows) - 1]
    assert [r[0] for r in rows[1:]] == [r[0] for r in expected]  # item numbers exact
    for column in (1, 2):  # task text and units: a stray OCR character here and there (a speck read as ".")
        similarity = [SequenceMatcher(None, g[column], e[column]).ratio() for g, e in zip(rows[1:], expected, strict=True)]
        assert min(similarity) >= 0.9, (column, similarity)
        whole = SequenceMatcher(None, "".join(g[column] for g in rows[1:]), "".join(e[column] for e in expected))
        assert whole.ratio() >= 0.98, (column, whole.ratio())
