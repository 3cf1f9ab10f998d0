"""A rules change shows up as a golden diff naming exactly the rows it changed (in-process)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from pipeline.diff import compare_folders, diff_folders
from pipeline.ingest import ingest_file
from pipeline.rules import default_rules_dir, load_rules
from tests.conftest import GOLDEN, SEED


def test_dropping_a_unit_word_changes_only_its_targets(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    units = folder / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert "\n  - 亩\n" in text
    units.write_text(text.replace("\n  - 亩\n", "\n", 1), encoding="utf-8")

    out = tmp_path / "out"
    ingest_file(SEED, out, load_rules(folder))
    changes = compare_folders(GOLDEN / SEED.name, out).changes
    [document] = [c for c in changes if c.table == "documents"]
    assert document.kind == "changed" and {"rules_version", "target_count"} <= set(document.columns)
    targets = [c for c in changes if c.table == "targets"]
    with (GOLDEN / SEED.name / "targets.csv").open(encoding="utf-8-sig") as handle:
        mu_tasks = {row["task_id"] for row in csv.DictReader(handle) if "亩" in row["unit"]}
    assert len(mu_tasks) >= 4
    assert {c.key["task_id"] for c in targets} == mu_tasks
    assert all("亩" in (c.old or {}).get("unit", "") for c in targets if c.kind != "added"), targets
    assert not [c for c in changes if c.table in ("tasks", "task_units")]
    lines = diff_folders(GOLDEN / SEED.name, out)  # the same, as lines
    assert lines[0].startswith("~ documents") and sum(line.startswith(("~ targets", "- targets", "+ targets")) for line in lines) == len(targets)
