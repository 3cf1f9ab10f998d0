"""Score target extraction against hand labels: ``python -m pipeline eval``.

Labels live in ``tests/labels/<notice>.csv`` (see ``tests/labels/GUIDE.md``)
and are scored against ``raw_docs/<notice>.txt``. Within one task, a label and
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

from pipeline.errors import PipelineError
from pipeline.ingest import parse_file
from pipeline.rules import Rules
from pipeline.write import format_value

FIELDS = ("unit", "value_max", "value_base", "unit_base", "value_max_base", "comparator", "indicator",
          "commitment", "deadline_year")
RECORD = ("value", "unit", "comparator", "indicator", "commitment")

Record = dict[str, str]


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
    problems: dict[str, list[str]] = field(default_factory=dict)

    def total(self) -> dict[str, Score]:
        out: dict[str, Score] = {}
        for per_doc in self.scores.values():
            for metric, score in per_doc.items():
                out.setdefault(metric, Score()).add(score)
        return out

    def render(self, verbose: bool = True) -> str:
        lines = []
        for name, per_doc in [*self.scores.items(), ("ALL", self.total())]:
            lines.append(f"== {name}")
            lines.append(f"{'metric':<16}{'precision':>10}{'recall':>10}{'F1':>10}{'tp':>6}{'pred':>6}{'gold':>6}")
            lines.extend(score.row(metric) for metric, score in per_doc.items())
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


def predicted_records(doc: Path, rules: Rules) -> list[Record]:
    parsed = parse_file(doc, rules)
    tasks = {t["task_id"]: t for t in parsed.tables["tasks"]}
    out = []
    for target in parsed.tables["targets"]:
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


def evaluate_folder(labels_dir: Path, docs_dir: Path, rules: Rules) -> Report:
    report = Report()
    label_files = sorted(labels_dir.glob("*.csv"))
    if not label_files:
        raise PipelineError(f"{labels_dir}: no label files (*.csv)")
    for label_file in label_files:
        doc = docs_dir / f"{label_file.stem}.txt"
        if not doc.is_file():
            raise PipelineError(f"{label_file}: no notice {doc} to score against")
        scores, problems = score_notice(load_labels(label_file), predicted_records(doc, rules))
        report.scores[label_file.stem] = scores
        report.problems[label_file.stem] = problems
    return report
