"""The hand-made expectations agree with themselves; no reader is involved.

Each ``tests/expected/<notice>.json`` is well-formed and counts its own tasks;
each label row of ``tests/labels/<notice>.csv`` belongs to a task of that
notice's expected parse, and its ``span_text`` occurs in the task's text; the
copies that ``scripts/make_layouts.py`` generates are current. These catch typos
in fixtures before they are blamed on the pipeline.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import RAW_DOCS, ROOT

EXPECTED = sorted((ROOT / "tests" / "expected").glob("*.json"))
LABELS = ROOT / "tests" / "labels"
TASK_KEYS = {"table", "section", "item_no", "part_no", "name", "deadline", "text", "units"}
OPTIONAL_KEYS = {"leader", "progress"}
TABLES = {"key_work", "special_action", "livelihood"}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_expected_parse_is_well_formed(path: Path) -> None:
    data = _load(path)
    assert (RAW_DOCS / f"{path.stem}.txt").is_file(), f"no notice raw_docs/{path.stem}.txt"
    assert set(data["header"]) == {"title", "issuer", "issue_date", "year"}
    tasks = data["tasks"]
    assert dict(Counter(t["table"] for t in tasks)) == data["tables"]
    problems = []
    for i, task in enumerate(tasks):
        keys = set(task)
        if not keys >= TASK_KEYS or keys - TASK_KEYS - OPTIONAL_KEYS:
            problems.append(f"task {i}: keys {sorted(keys)}")
        if task["table"] not in TABLES or not task["text"] or not task["units"]:
            problems.append(f"task {i}: table, text or units missing")
        units = [u["unit"] for u in task["units"]]
        if len(units) != len(set(units)) or any(u["role"] not in ("lead", "support") for u in task["units"]):
            problems.append(f"task {i}: a unit listed twice or an unknown role")
        if not any(u["role"] == "lead" for u in task["units"]):
            problems.append(f"task {i}: no lead unit")
    keys = [(t["table"], t["section"], t["item_no"], t["part_no"]) for t in tasks]
    duplicates = [k for k, n in Counter(keys).items() if n > 1]
    assert not duplicates, f"two tasks share table/section/item/part: {duplicates}"
    assert not problems, "\n".join(problems)


LABELLED = [p for p in EXPECTED if (LABELS / f"{p.stem}.csv").is_file()]


@pytest.mark.parametrize("path", LABELLED, ids=[p.stem for p in LABELLED])
def test_labels_point_into_expected_tasks(path: Path) -> None:
    tasks = {
        (t["table"], t["section"] or "", str(t["item_no"]), str(t["part_no"])): t["text"]
        for t in _load(path)["tasks"]
    }
    with (LABELS / f"{path.stem}.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "no label rows"
    problems = []
    for n, row in enumerate(rows, start=2):
        text = tasks.get((row["table"], row["section"], row["item_no"], row["part_no"]))
        if text is None:
            problems.append(f"line {n}: no task {row['table']} {row['section']!r} #{row['item_no']}.{row['part_no']}")
        elif row["span_text"] not in text:
            problems.append(f"line {n}: {row['span_text']!r} is not in the task text")
    assert not problems, "\n".join(problems)


def test_generated_layout_copies_are_current() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_layouts
    finally:
        sys.path.pop(0)
    assert make_layouts.main(["--check"]) == 0, "run python scripts/make_layouts.py and commit the result"
