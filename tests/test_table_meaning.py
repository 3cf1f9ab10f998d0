"""What the layout fixtures' tables mean: every task, unit, role, leader, progress and header field.

Every fixture goes through the text reader and the layouts stage: the tab
copies (tongxi_2022, qingchuan_2023, yunling_2024 and its copy in traditional
characters) and the other layouts (lanxi_2021, songtao_2022, baisha_2022,
lianhe_2016). The other layouts are also given as the documents of
:mod:`tests.layout_docs` (``<notice>@stand-in``), tables made by hand, which
test the tables stage apart from the layouts stage. Each is compared with its hand-made expected parse
``tests/expected/<notice>.json``, task by task.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pipeline.header import read_header
from pipeline.layouts import apply as lay_out
from pipeline.model import Document
from pipeline.rules import Rules
from pipeline.sources import text
from pipeline.tables import Task, read_tasks
from tests import layout_docs
from tests.conftest import RAW_DOCS, ROOT


def _read(name: str) -> Callable[[Rules], Document]:
    """The text reader hands on the raw lines; the layouts stage turns them into tables."""
    return lambda rules: lay_out(text.read((RAW_DOCS / f"{name}.txt").read_bytes(), rules), rules)


# id -> the document; the id before "@" names the expected parse.
SOURCES: dict[str, Callable[[Rules], Document]] = {
    **{name: _read(name) for name in ("tongxi_2022", "qingchuan_2023", "yunling_2024", "yunling_2024_trad")},
    **{name: _read(name) for name in layout_docs.DOCUMENTS},
    **{f"{name}@stand-in": (lambda rules, build=build: build()) for name, build in layout_docs.DOCUMENTS.items()},
}


def _expected(name: str) -> dict[str, Any]:
    path = ROOT / "tests" / "expected" / f"{name.split('@')[0]}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _as_expected(task: Task, fields: set[str]) -> dict[str, object]:
    got: dict[str, object] = {
        "table": task.table,
        "section": task.section,
        "item_no": task.item_no,
        "part_no": task.part_no,
        "name": task.name,
        "deadline": task.deadline,
        "text": task.text,
        "units": [{"unit": unit, "role": role} for unit, role in task.units],
    }
    for optional in ("leader", "progress"):
        if optional in fields:
            got[optional] = getattr(task, optional)
    return got


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_task_as_expected(name: str, rules: Rules) -> None:
    want = _expected(name)["tasks"]
    got = [_as_expected(task, set(want[0])) for task in read_tasks(SOURCES[name](rules), rules).tasks]
    mismatches = [(i, w, g) for i, (w, g) in enumerate(zip(want, got, strict=False)) if w != g]
    assert not mismatches, "\n".join(f"task {i}:\n  want {w}\n  got  {g}" for i, w, g in mismatches[:4])
    assert len(got) == len(want)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_header_as_expected(name: str, rules: Rules) -> None:
    header = read_header(SOURCES[name](rules), rules)
    got = {
        "title": header.title,
        "issuer": header.issuer,
        "issue_date": header.issue_date.isoformat() if header.issue_date else None,
        "year": header.year,
    }
    assert got == _expected(name)["header"]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_read_whole_without_warnings(name: str, rules: Rules) -> None:
    assert read_tasks(SOURCES[name](rules), rules).warnings == []
