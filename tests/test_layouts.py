"""The layouts stage: every text layout of the same notice reads as the notice in tab form.

``raw_docs/yunling_2024.txt`` is the base (tab cells, the seed's layout); each
``yunling_2024_<layout>.txt`` holds the same notice in one of the layouts real
sites produce (docs/layouts.md). Read through the whole pipeline, each must
give the same tasks (table, section, item, part, name, text, deadline), the
same units with their roles and positions, and the same targets.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import opencc
import pytest
import regex

from pipeline.layouts import apply as lay_out
from pipeline.model import Document, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources import text
from tests.conftest import RAW_DOCS, Ingested

BASE = RAW_DOCS / "yunling_2024.txt"
IDENTITY = ("doc_id",)

# Layouts whose copy cannot yet give everything the base gives, and why (strict: fix, then remove).
KNOWN_GAPS: dict[tuple[str, str], str] = {}
LAYOUTS = ["cells", "pipes", "tabrows", "runon", "paras"]


def _rows(ingested: Callable[[Path], Ingested], path: Path, table: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in IDENTITY} for row in ingested(path)[1].tables[table]]


def _cases() -> list[Any]:
    cases = []
    for layout in LAYOUTS:
        for table in ("tasks", "task_units", "targets"):
            gap = KNOWN_GAPS.get((layout, table))
            marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
            cases.append(pytest.param(layout, table, id=f"{layout}-{table}", marks=marks))
    return cases


@pytest.mark.parametrize(("layout", "table"), _cases())
def test_layout_reads_as_the_tab_form(layout: str, table: str, ingested: Callable[[Path], Ingested]) -> None:
    copy = RAW_DOCS / f"yunling_2024_{layout}.txt"
    want = _rows(ingested, BASE, table)
    assert len(want) >= 25
    assert _rows(ingested, copy, table) == want


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_copy_leaves_no_warning(layout: str, ingested: Callable[[Path], Ingested]) -> None:
    assert ingested(RAW_DOCS / f"yunling_2024_{layout}.txt")[1].tables["warnings"] == []


# ---------------------------------------------------------------- any script, any reader


def _shape(doc: Document) -> list[tuple[int, ...]]:
    return [tuple(len(row) for row in block.rows) for block in doc.blocks if isinstance(block, Table)]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_traditional_copy_reads_into_the_same_tables(layout: str, rules: Rules) -> None:
    """Cue words are matched in simplified characters; the text is kept as written."""
    source = (RAW_DOCS / f"yunling_2024_{layout}.txt").read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2tw.json").convert(source)
    simplified_doc = lay_out(text.parse(source, rules), rules)
    traditional_doc = lay_out(text.parse(traditional, rules), rules)
    assert _shape(traditional_doc) == _shape(simplified_doc)
    assert len(_shape(simplified_doc)) == 3
    cells = [cell for block in traditional_doc.tables for row in block.rows for cell in row]
    assert opencc.OpenCC("s2tw.json").convert("市发展改革委") in "".join(cells)


@pytest.mark.parametrize("layout", ["paras", "cells", "pipes"])
def test_paragraphs_of_any_reader_read_like_the_text(layout: str, rules: Rules) -> None:
    """A Word or web copy whose table was flattened into paragraphs: the lines between blank lines
    are one paragraph (a cell holding a line break, a run of pipe rows)."""
    source = (RAW_DOCS / f"yunling_2024_{layout}.txt").read_text(encoding="utf-8")
    from_text = lay_out(text.parse(source, rules), rules)
    chunks = [chunk.strip() for chunk in regex.split(r"\n[^\S\n]*\n", source) if chunk.strip()]
    from_paragraphs = lay_out(Document(tuple(Paragraph(chunk) for chunk in chunks), "docx"), rules)
    assert from_paragraphs.tables == from_text.tables
    assert from_paragraphs.source_format == "docx"
