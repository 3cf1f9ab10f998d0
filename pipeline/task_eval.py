"""Score the tables stage against hand-made expected parses (``tests/expected/<notice>.json``).

An expected task is *found* when a parsed task has the same text (all
whitespace removed); tasks are paired in notice order, each parsed task used
once. For the found tasks:

* **leads**: the lead units, in order, are exactly the expected ones;
* **units**: every unit with its role, in order, is exactly as expected;
* **key**: table, section, item and part numbers are as expected.

The header counts title, issuer, issue date and year that are exactly right.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError

HEADER_FIELDS = ("title", "issuer", "issue_date", "year")
KEY_FIELDS = ("table", "section", "item_no", "part_no")


@dataclass
class TaskScore:
    expected: int = 0
    predicted: int = 0
    found: int = 0
    leads: int = 0
    units: int = 0
    keys: int = 0
    header_right: int = 0
    header_total: int = 0

    def add(self, other: TaskScore) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rows(self) -> list[str]:
        def share(count: int, total: int) -> str:
            return f"{count / total if total else 1.0:>10.3f}{count:>6}{total:>6}"

        return [
            f"{'tasks found':<16}{share(self.found, self.expected)}   (predicted {self.predicted})",
            f"{'  lead units':<16}{share(self.leads, self.expected)}",
            f"{'  all units':<16}{share(self.units, self.expected)}",
            f"{'  keys':<16}{share(self.keys, self.expected)}",
            f"{'header fields':<16}{share(self.header_right, self.header_total)}",
        ]


@dataclass
class Expected:
    header: dict[str, Any]
    tasks: list[dict[str, Any]] = field(default_factory=list)


def load_expected(path: Path) -> Expected:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Expected(header=dict(data["header"]), tasks=list(data["tasks"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PipelineError(f"{path}: not an expected parse ({type(exc).__name__}: {exc})") from None


def _squeezed(text: Any) -> str:
    return "".join(str(text or "").split())


def _units(task: dict[str, Any]) -> list[tuple[str, str]]:
    return [(u["unit"], u["role"]) for u in task.get("units", [])]


def score_tasks(expected: Expected, tables: dict[str, list[dict[str, Any]]]) -> tuple[TaskScore, list[str]]:
    """Compare the parsed ``tables`` (rows of an ingest) with the expected parse."""
    tasks = tables.get("tasks", [])
    units: dict[str, list[tuple[str, str]]] = {}
    for unit in tables.get("task_units", []):
        units.setdefault(unit["task_id"], []).append((unit["unit"], unit["role"]))
    score = TaskScore(expected=len(expected.tasks), predicted=len(tasks))
    problems: list[str] = []
    start = 0
    for want in expected.tasks:
        text = _squeezed(want.get("text"))
        where = f"{want['table']} {want.get('section') or ''} #{want.get('item_no')}.{want.get('part_no')}"
        index = next((i for i in range(start, len(tasks)) if _squeezed(tasks[i].get("text")) == text), None)
        if index is None:  # out of order: look from the start
            index = next((i for i in range(start) if _squeezed(tasks[i].get("text")) == text), None)
        if index is None:
            problems.append(f"TASK  {where}: not found: {str(want.get('text'))[:40]!r}")
            continue
        got = tasks[index]
        start = index + 1
        score.found += 1
        got_units = units.get(got["task_id"], [])
        want_units = _units(want)
        leads_right = [u for u, r in got_units if r == "lead"] == [u for u, r in want_units if r == "lead"]
        score.leads += leads_right
        score.units += got_units == want_units
        key_right = all((got.get(k) or None) == (want.get(k) or None) for k in KEY_FIELDS)
        score.keys += key_right
        if got_units != want_units:
            problems.append(f"UNITS {where}: {got_units} (expected {want_units})")
        if not key_right:
            problems.append(f"KEY   {where}: got {[got.get(k) for k in KEY_FIELDS]}")
    document = (tables.get("documents") or [{}])[0]
    for name in HEADER_FIELDS:
        want_value = expected.header.get(name)
        got_value: Any = document.get(name)
        got_text = got_value.isoformat() if hasattr(got_value, "isoformat") else got_value
        score.header_total += 1
        if got_text == want_value:
            score.header_right += 1
        else:
            problems.append(f"HEADER {name}: {got_text!r} (expected {want_value!r})")
    return score, problems
