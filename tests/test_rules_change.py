"""A rules change shows up as a golden diff naming exactly the rows it changed (in-process)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from pipeline.diff import diff_folders
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
    lines = diff_folders(GOLDEN / SEED.name, out)
    changed_rows = [line for line in lines if line.startswith(("-", "+", "~"))]
    assert changed_rows[0].startswith("~ documents")
    assert {"    rules_version", "    target_count"} == {line.split(":")[0] for line in lines[1:3]}
    targets = [line for line in changed_rows if " targets" in line]
    with (GOLDEN / SEED.name / "targets.csv").open(encoding="utf-8-sig") as handle:
        mu_tasks = {row["task_id"] for row in csv.DictReader(handle) if "亩" in row["unit"]}
    assert len(mu_tasks) >= 4
    assert {line.split("task_id='")[1].split("'")[0] for line in targets} == mu_tasks
    assert all("亩" in line for line in targets), targets
    assert not [line for line in changed_rows if " tasks" in line or " task_units" in line]
