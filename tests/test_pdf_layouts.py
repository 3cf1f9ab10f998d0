"""PDFs of a notice in the page layouts real notices are printed in (issue 10 §12).

``raw_docs/yunling_2024_unruled.pdf`` (scripts/make_pdf_layouts.py) is the
notice ``yunling_2024.txt`` typeset as official notices are and exported by
LibreOffice: a 22 pt title centred over three lines, indented justified body
paragraphs, and tables with no ruling lines at all (cells centred
vertically, 序号 cells merged over continuation rows). It must read into the
text version's tables, title and rows, and score as its expected parse
``tests/expected/yunling_2024.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.model import Paragraph
from pipeline.task_eval import load_expected, score_tasks
from tests.conftest import PDF_LAYOUTS, RAW_DOCS, ROOT, Ingested

LAYOUTS = sorted(PDF_LAYOUTS)
IDENTITY = {"doc_id", "source_file", "source_files", "source_format", "source_sha256"}
# Known misses, each a strict xfail naming its cause: (fixture, output table) -> reason.
KNOWN: dict[tuple[str, str], str] = {}


def _base(name: str) -> Path:
    return RAW_DOCS / f"{PDF_LAYOUTS[name]}.txt"


def _squeezed(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Cells without whitespace: where a cell wraps and how a spaced-out header is spaced do not matter."""
    return [tuple("".join(cell.split()) for cell in row) for row in rows]


def test_every_layout_fixture_is_there() -> None:
    assert LAYOUTS and all((RAW_DOCS / name).is_file() and _base(name).is_file() for name in LAYOUTS)


@pytest.mark.parametrize("name", LAYOUTS)
def test_tables_are_the_text_versions(name: str, ingested: Callable[[Path], Ingested]) -> None:
    got, want = ingested(RAW_DOCS / name)[1].document, ingested(_base(name))[1].document
    assert got.source_format == "pdf"
    assert len(got.tables) == len(want.tables)
    for index, (a, b) in enumerate(zip(got.tables, want.tables, strict=True)):
        width = max(len(row) for row in b.rows)
        padded = tuple(row + ("",) * (width - len(row)) for row in b.rows)
        assert _squeezed(a.rows) == _squeezed(padded), f"table {index + 1}"


@pytest.mark.parametrize("name", LAYOUTS)
def test_title_over_three_centred_lines_is_one_paragraph(name: str, ingested: Callable[[Path], Ingested]) -> None:
    """The text copy breaks the title in two by hand; the PDF wraps it over three, the last short and centred."""
    got = [b.text for b in ingested(RAW_DOCS / name)[1].document.blocks if isinstance(b, Paragraph)]
    want = [b.text for b in ingested(_base(name))[1].document.blocks if isinstance(b, Paragraph)]
    assert got[1] == want[1] + want[2]
    assert [got[0], *got[2:]] == [want[0], *want[3:]]  # every other paragraph as in the text copy


def _rows(ingested: Callable[[Path], Ingested], path: Path, table: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in IDENTITY} for row in ingested(path)[1].tables[table]]


def _param(name: str, table: str) -> Any:
    reason = KNOWN.get((name, table))
    return pytest.param(name, table, id=f"{name}-{table}", marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [])


@pytest.mark.parametrize(("name", "table"), [_param(n, t) for n in LAYOUTS for t in ("documents", "tasks", "task_units", "targets")])
def test_same_rows_as_the_text_version(name: str, table: str, ingested: Callable[[Path], Ingested]) -> None:
    got, want = _rows(ingested, RAW_DOCS / name, table), _rows(ingested, _base(name), table)
    assert got and got == want


# The scoring's problem lines the known misses above give: (fixture) -> tasks whose units differ.
KNOWN_UNIT_MISSES: dict[str, list[str]] = {}


@pytest.mark.parametrize("name", LAYOUTS)
def test_scores_as_its_expected_parse(name: str, ingested: Callable[[Path], Ingested]) -> None:
    expected = load_expected(ROOT / "tests" / "expected" / f"{PDF_LAYOUTS[name]}.json")
    score, problems = score_tasks(expected, ingested(RAW_DOCS / name)[1].tables)
    assert (score.found, score.keys, score.predicted) == (score.expected,) * 3
    assert score.header_right == score.header_total == 4
    known = KNOWN_UNIT_MISSES.get(name, [])
    assert score.leads == score.units == score.expected - len(known)
    assert [p.split(":")[0] for p in problems] == [f"UNITS {task}" for task in known], problems
