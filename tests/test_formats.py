"""Every format of a notice yields exactly the tasks, units and targets of its text version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PDF_LAYOUTS, RAW_DOCS, Ingested, is_scan

IDENTITY = {"doc_id", "source_file", "source_files", "source_format", "source_sha256"}
OTHER_FORMATS = sorted(
    p for p in RAW_DOCS.iterdir()
    if p.suffix in {".docx", ".pdf", ".html", ".doc"} and not is_scan(p) and p.name not in PDF_LAYOUTS  # own tests
)


def _rows(ingested: Callable[[Path], Ingested], path: Path, table: str) -> list[dict[str, Any]]:
    _, parsed = ingested(path)
    return [{k: v for k, v in row.items() if k not in IDENTITY} for row in parsed.tables[table]]


def test_every_format_fixture_has_a_text_version() -> None:
    assert OTHER_FORMATS, "no .docx/.pdf/.html fixtures in raw_docs/"
    assert all(p.with_suffix(".txt").is_file() for p in OTHER_FORMATS)


@pytest.mark.parametrize("table", ["documents", "tasks", "task_units", "targets"])
@pytest.mark.parametrize("notice", OTHER_FORMATS, ids=[p.name for p in OTHER_FORMATS])
def test_same_rows_as_text_version(notice: Path, table: str, ingested: Callable[[Path], Ingested]) -> None:
    expected = _rows(ingested, notice.with_suffix(".txt"), table)
    got = _rows(ingested, notice, table)
    assert got, f"{notice.name}: no {table} rows"
    mismatched = [(i, e, g) for i, (e, g) in enumerate(zip(expected, got, strict=False)) if e != g]
    assert not mismatched, "\n".join(f"row {i}:\n  text   {e}\n  {notice.suffix[1:]:<6} {g}" for i, e, g in mismatched[:5])
    assert len(got) == len(expected)
