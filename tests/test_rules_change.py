"""A rules change shows up as a golden diff naming exactly the rows it changed."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import GOLDEN, ROOT, SEED


def test_dropping_a_unit_word_changes_only_its_targets(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    units = rules / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert "\n  - 亩\n" in text
    units.write_text(text.replace("\n  - 亩\n", "\n", 1), encoding="utf-8")

    env = {**os.environ, "PIPELINE_RULES": str(rules)}
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(SEED), "--out", str(out), "-q"],
                   cwd=ROOT, env=env, check=True)
    diff = subprocess.run([sys.executable, "-m", "pipeline", "diff", str(GOLDEN / SEED.name), str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert diff.returncode == 1
    lines = diff.stdout.splitlines()
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
