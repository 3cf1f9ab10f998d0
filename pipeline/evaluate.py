"""Score extraction against hand labels: ``python -m pipeline eval``.

Target labels live in ``tests/labels/<notice>.csv`` (see ``tests/labels/GUIDE.md``)
and are scored against ``raw_docs/<notice>.txt``; the tasks, units and header
of a notice with an expected parse ``tests/expected/<notice>.json`` are scored
by :mod:`pipeline.task_eval`. A notice that cannot be read scores nothing
found (and says why). Within one task, a label and
an extracted target *match* when their values are equal; pairs are made in
text order. Then:

* **value** precision/recall/F1 count matched pairs;
* **field** scores count matched pairs whose field is also equal;
* **record** scores count pairs where value, unit, comparator, indicator and
  commitment are all equal.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.ingest import parse_file
from pipeline.rules import Rules
from pipeline.task_eval import TaskScore, load_expected, score_tasks
from pipeline.write import format_value

FIELDS = ("unit", "value_max", "value_base", "unit_base", "value_max_base", "comparator", "indicator",
          "commitment", "deadline_year")
RECORD = ("value", "unit", "comparator", "indicator", "commitment")

Record = dict[str, str]

# What ``--fail-under MEASURE=F`` may name (see :meth:`Report.measures`).
MEASURE_NAMES = {
    "record": "record F1", "value": "value F1", "tasks": "tasks found", "leads": "lead units right",
    "units": "all units right", "keys": "task keys right", "header": "header fields right",
}


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.expected += other.expected

    def row(self, name: str) -> str:
        return f"{name:<16}{self.precision:>10.3f}{self.recall:>10.3f}{self.f1:>10.3f}{self.tp:>6}{self.predicted:>6}{self.expected:>6}"


@dataclass
class Report:
    scores: dict[str, dict[str, Score]] = field(default_factory=dict)  # notice -> metric -> score
    tasks: dict[str, TaskScore] = field(default_factory=dict)  # notice -> task scores
    problems: dict[str, list[str]] = field(default_factory=dict)

    def total(self) -> dict[str, Score]:
        out: dict[str, Score] = {}
        for per_doc in self.scores.values():
            for metric, score in per_doc.items():
                out.setdefault(metric, Score()).add(score)
        return out

    def task_total(self) -> TaskScore:
        out = TaskScore()
        for score in self.tasks.values():
            out.add(score)
        return out

    def measures(self) -> dict[str, float]:
        """The measures ``--fail-under`` checks, over every scored notice: ``record`` and
        ``value`` F1 of the targets; the shares of expected tasks found (``tasks``), with
        the right lead units (``leads``), units (``units``) and keys (``keys``), and of
        header fields right (``header``)."""
        out: dict[str, float] = {}
        total = self.total()
        for metric in ("record", "value"):
            if metric in total:
                out[metric] = total[metric].f1
        if self.tasks:
            tasks = self.task_total()
            expected = tasks.expected or 1
            out.update(
                tasks=tasks.found / expected, leads=tasks.leads / expected, units=tasks.units / expected,
                keys=tasks.keys / expected, header=tasks.header_right / (tasks.header_total or 1),
            )
        return out

    def below(self, thresholds: dict[str, float]) -> list[str]:
        """One line per measure under its threshold (``record F1 0.671 is under 0.800``)."""
        measures = self.measures()
        problems = []
        for name, threshold in thresholds.items():
            if name not in measures:
                problems.append(f"{name}: not measured (no {'labels' if name in ('record', 'value') else 'expected parses'})")
            elif measures[name] < threshold:
                problems.append(f"{MEASURE_NAMES[name]} {measures[name]:.3f} is under {threshold:.3f}")
        return problems

    def render(self, verbose: bool = True) -> str:
        lines = []
        names = sorted(self.scores.keys() | self.tasks.keys())
        for name in [*names, "ALL"]:
            per_doc = self.total() if name == "ALL" else self.scores.get(name, {})
            tasks = self.task_total() if name == "ALL" else self.tasks.get(name)
            lines.append(f"== {name}")
            if per_doc:
                lines.append(f"{'metric':<16}{'precision':>10}{'recall':>10}{'F1':>10}{'tp':>6}{'pred':>6}{'gold':>6}")
                lines.extend(score.row(metric) for metric, score in per_doc.items())
            if tasks is not None and (name != "ALL" or self.tasks):
                lines.append(f"{'parse':<16}{'share':>10}{'right':>6}{'gold':>6}")
                lines.extend(tasks.rows())
            if verbose and self.problems.get(name):
                lines.append("")
                lines.extend(self.problems[name])
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def _key(row: Record) -> tuple[str, str, str, str]:
    return (row["table"], row.get("section", ""), row["item_no"], row["part_no"])


def _same(field_name: str, a: str, b: str) -> bool:
    if field_name.startswith("value") and a and b:
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-9)
        except ValueError:
            return False
    return a == b


def load_labels(path: Path) -> list[Record]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    required = {"table", "item_no", "part_no", "section", "value", *FIELDS, "span_text"}
    if rows and (missing := required - rows[0].keys()):
        raise PipelineError(f"{path}: label file lacks columns {sorted(missing)}")
    return rows


def predicted_records_from(tables: dict[str, list[dict[str, Any]]]) -> list[Record]:
    """The targets of a parse as label-like records, keyed by their task's place in the notice."""
    tasks = {t["task_id"]: t for t in tables.get("tasks", [])}
    out = []
    for target in tables.get("targets", []):
        task = tasks[target["task_id"]]
        record = {k: format_value(v) for k, v in target.items()}
        record.update(section=task["section"] or "", part_no=str(task["part_no"]), item_no=format_value(task["item_no"]))
        out.append(record)
    return out


def score_notice(labels: list[Record], predicted: list[Record]) -> tuple[dict[str, Score], list[str]]:
    metrics = ["value", "record", *FIELDS]
    scores = {m: Score(predicted=len(predicted), expected=len(labels)) for m in metrics}
    problems: list[str] = []
    pool: dict[tuple[str, ...], list[Record]] = {}
    for record in predicted:
        pool.setdefault(_key(record), []).append(record)
    for label in labels:
        candidates = pool.get(_key(label), [])
        match = next((p for p in candidates if _same("value", p["value"], label["value"])), None)
        where = f"{label['table']} {label['section']} #{label['item_no']}.{label['part_no']}".replace("  ", " ")
        if match is None:
            problems.append(f"MISS  {where}: {label['span_text']!r} {label['indicator']!r}")
            continue
        candidates.remove(match)
        scores["value"].tp += 1
        wrong = [f for f in FIELDS if not _same(f, match.get(f, ""), label.get(f, ""))]
        for f in FIELDS:
            scores[f].tp += f not in wrong
        if not any(f in wrong for f in RECORD):
            scores["record"].tp += 1
        if wrong:
            detail = ", ".join(f"{f}: {match.get(f, '')!r} (label {label.get(f, '')!r})" for f in wrong)
            problems.append(f"FIELD {where}: {label['span_text']!r}: {detail}")
    for rest in pool.values():
        for record in rest:
            where = f"{record['table']} {record['section']} #{record['item_no']}.{record['part_no']}".replace("  ", " ")
            problems.append(f"EXTRA {where}: {record['span_text']!r} {record['indicator']!r}")
    return scores, problems


def evaluate_folder(labels_dir: Path, docs_dir: Path, rules: Rules, expected_dir: Path | None = None) -> Report:
    """Score every notice with labels (``labels_dir``) or an expected parse (``expected_dir``)."""
    report = Report()
    label_files = {p.stem: p for p in sorted(labels_dir.glob("*.csv"))}
    expected_files = {p.stem: p for p in sorted(expected_dir.glob("*.json"))} if expected_dir else {}
    if not label_files and not expected_files:
        raise PipelineError(f"{labels_dir}: no label files (*.csv)")
    for name in sorted(label_files.keys() | expected_files.keys()):
        doc = docs_dir / f"{name}.txt"
        if not doc.is_file():
            raise PipelineError(f"{label_files.get(name) or expected_files[name]}: no notice {doc} to score against")
        problems: list[str] = []
        try:
            tables = parse_file(doc, rules).tables
        except PipelineError as exc:
            problems.append(f"FAILED {doc.name}: {exc}")
            tables = {}
        if name in label_files:
            predicted = predicted_records_from(tables)
            scores, target_problems = score_notice(load_labels(label_files[name]), predicted)
            report.scores[name] = scores
            problems.extend(target_problems)
        if name in expected_files:
            report.tasks[name], task_problems = score_tasks(load_expected(expected_files[name]), tables)
            problems.extend(task_problems)
        report.problems[name] = problems
    return report
