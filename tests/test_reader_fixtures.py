"""The committed Word, PDF and web-page fixtures read into the same blocks as their text copies.

The fixtures under raw_docs/ come from scripts/make_fixtures.py; each is read
once per test run (the ``ingested`` fixture, shared with the golden tests).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.model import Document, Table
from tests.builders import block_differences
from tests.conftest import PDF_LAYOUTS, RAW_DOCS, Ingested, is_scan

# Known reader gaps, each a real miss on a committed fixture (they change no output table).
KNOWN_GAPS: dict[str, str] = {}
FIXTURES = [
    pytest.param(p, id=p.name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[p.name])] if p.name in KNOWN_GAPS else [])
    for p in sorted(p for ext in ("docx", "pdf", "html") for p in RAW_DOCS.glob(f"*.{ext}") if not is_scan(p))
    if p.name not in PDF_LAYOUTS  # laid out differently from their text copy: tests/test_pdf_layouts.py
]


@pytest.mark.parametrize("path", FIXTURES)
def test_fixture_matches_text_copy(path: Path, ingested: Callable[[Path], Ingested]) -> None:
    got = ingested(path)[1].document
    want = ingested(path.with_suffix(".txt"))[1].document
    assert got.source_format == path.suffix[1:]
    assert block_differences(got, want) == []


def test_comparison_tolerates_only_wraps_and_padding() -> None:
    want = Document((Table((("1", "市科技局、各县（市、区）政府、嘉兴港区"), ("一、二",))),), "text")
    same = Document((Table((("1 ", "市科技局、各县（市、区）政府、\n嘉兴港区"), ("一、二", ""))),), "pdf")
    other = Document((Table((("1", "市科技局、各县（市、区）政府"), ("一、二", ""))),), "pdf")
    assert block_differences(same, want) == []
    assert block_differences(other, want) != []
