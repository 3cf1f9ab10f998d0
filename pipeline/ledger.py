"""A notice -> the sheets of its supervision ledger (督办台账), as plain typed rows.

No spreadsheet library here: each :class:`Sheet` is a header and rows of
values (``str``, ``int``, ``float``, ``datetime.date`` or ``None``), so the
layout can be tested without a workbook; :mod:`pipeline.export` writes them.

Sheets, in order: one per table (重点工作 / 专项行动 / 民生实事) with a task per
row; 按单位, every task of each lead unit with empty quarterly progress
columns (the list the office sends each bureau); 量化指标, a target per row;
通知信息, the notice's header fields; 提示, the warnings of the notice when the
dataset recorded any.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.dataset import TABLE_ORDER, Notice, Row
from pipeline.labels import join_units, labels, target_phrase, word

Value = str | int | float | dt.date | None


@dataclass(frozen=True)
class Column:
    header: str
    max_width: int = 30  # display columns (a Chinese character counts 2); longer text wraps
    min_width: int = 6


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list[Column]
    rows: list[list[Value]]
    group_starts: frozenset[int] = field(default_factory=frozenset)  # rows opening a lead unit's group


@dataclass(frozen=True)
class _Index:
    """A notice's units and targets by task."""

    leads: dict[str, list[Row]]
    supports: dict[str, list[Row]]
    targets: dict[str, list[Row]]

    @classmethod
    def of(cls, notice: Notice) -> _Index:
        leads: dict[str, list[Row]] = {}
        supports: dict[str, list[Row]] = {}
        for unit in notice.units:
            (leads if unit.get("role") == "lead" else supports).setdefault(unit["task_id"], []).append(unit)
        targets: dict[str, list[Row]] = {}
        for target in notice.targets:
            targets.setdefault(target["task_id"], []).append(target)
        return cls(leads, supports, targets)


def notice_sheets(notice: Notice) -> list[Sheet]:
    index = _Index.of(notice)
    sheets = [table_sheet(table, tasks, index) for table, tasks in tables_of(notice)]
    sheets += [units_sheet(notice, index), targets_sheet(notice, index), notice_sheet(notice)]
    if notice.warnings:
        sheets.append(warnings_sheet(notice.warnings))
    return sheets


def tables_of(notice: Notice) -> list[tuple[str, list[Row]]]:
    """The notice's tasks by table: the known kinds in their order, then any other."""
    grouped: dict[str, list[Row]] = {}
    for task in notice.tasks:
        grouped.setdefault(str(task.get("table")), []).append(task)
    known = [t for t in TABLE_ORDER if t in grouped]
    return [(t, grouped[t]) for t in known + sorted(set(grouped) - set(known))]


def table_sheet(table: str, tasks: list[Row], index: _Index) -> Sheet:
    h = labels()["headers"]
    optional = {key: any(_present(task, key) for task in tasks) for key in ("section", "name", "deadline")}
    columns = [Column(h["item_no"], 6)]
    columns += [Column(h["section"], 20)] if optional["section"] else []
    columns += [Column(h["name"], 24)] if optional["name"] else []
    columns += [Column(h["text"], 60, 40), Column(h["lead"], 24), Column(h["support"], 24)]
    columns += [Column(h["deadline"], 16)] if optional["deadline"] else []
    columns += [Column(h["targets"], 40)]
    rows = []
    for task in tasks:
        row: list[Value] = [task.get("item_no")]
        row += [task.get("section")] if optional["section"] else []
        row += [task.get("name")] if optional["name"] else []
        row += [task.get("text"), _names(index.leads, task), _names(index.supports, task)]
        row += [deadline(task)] if optional["deadline"] else []
        row.append(_phrases(index.targets.get(task["task_id"], [])))
        rows.append(row)
    return Sheet(word("tables", table), columns, rows)


def units_sheet(notice: Notice, index: _Index) -> Sheet:
    """Every lead unit's tasks, a row each, units in order of first appearance."""
    h = labels()["headers"]
    columns = [
        Column(h["lead"], 24), Column(h["table"], 10), Column(h["item_no"], 6), Column(h["text"], 50, 36),
        Column(h["other_leads"], 20), Column(h["support"], 20), Column(h["deadline"], 14),
        Column(h["targets"], 32), *(Column(h[q], 14, 12) for q in ("q1", "q2", "q3", "q4", "done")),
    ]  # fmt: skip
    rows: list[list[Value]] = []
    starts = set()
    for unit, tasks in lead_groups(notice, index).items():
        starts.add(len(rows))
        for task in tasks:
            others = [u["unit"] for u in index.leads.get(task["task_id"], []) if canonical(u) != unit]
            rows.append(
                [unit, word("tables", task.get("table")), task.get("item_no"), task.get("text"), join_units(others),
                 _names(index.supports, task), deadline(task), _phrases(index.targets.get(task["task_id"], [])),
                 None, None, None, None, None]
            )  # fmt: skip
    return Sheet(labels()["sheets"]["units"], columns, rows, frozenset(starts))


def lead_groups(notice: Notice, index: _Index) -> dict[str, list[Row]]:
    """Lead unit (canonical name when known) -> its tasks; tasks without a lead unit last."""
    groups: dict[str, list[Row]] = {}
    orphans = []
    for task in notice.tasks:
        leads = index.leads.get(task["task_id"], [])
        for unit in dict.fromkeys(canonical(u) for u in leads):
            groups.setdefault(unit, []).append(task)
        if not leads:
            orphans.append(task)
    if orphans:
        groups.setdefault(labels()["formats"]["no_lead_unit"], []).extend(orphans)
    return groups


def targets_sheet(notice: Notice, index: _Index) -> Sheet:
    h = labels()["headers"]
    columns = [
        Column(h["table"], 10), Column(h["item_no"], 6), Column(h["indicator"], 30), Column(h["value"], 14),
        Column(h["value_max"], 10), Column(h["unit"], 12), Column(h["comparator"], 8), Column(h["commitment"], 8),
        Column(h["deadline_year"], 10), Column(h["span_text"], 24), Column(h["text"], 50, 36), Column(h["lead"], 24),
    ]  # fmt: skip
    tasks = {t["task_id"]: t for t in notice.tasks}
    rows: list[list[Value]] = []
    for target in notice.targets:
        task = tasks.get(target["task_id"], {"task_id": target["task_id"]})
        rows.append(
            [word("tables", target.get("table")), target.get("item_no"), target.get("indicator"),
             target.get("value"), target.get("value_max"), target.get("unit"),
             word("comparator_words", target.get("comparator")) or None, word("commitments", target.get("commitment")) or None,
             target.get("deadline_year"), target.get("span_text"), task.get("text"), _names(index.leads, task)]
        )  # fmt: skip
    return Sheet(labels()["sheets"]["targets"], columns, rows)


def notice_sheet(notice: Notice) -> Sheet:
    """The header fields the notice has (newer columns such as region only when present and known)."""
    h = labels()["headers"]
    fields = labels()["notice_fields"]
    rows: list[list[Value]] = [
        [label, notice.document.get(key)] for key, label in fields.items() if notice.document.get(key) is not None
    ]
    return Sheet(labels()["sheets"]["notice"], [Column(h["field"], 14), Column(h["content"], 80, 20)], rows)


def warnings_sheet(warnings: Iterable[Row]) -> Sheet:
    h = labels()["headers"]
    rows: list[list[Value]] = [[w.get("where"), w.get("what")] for w in warnings]
    return Sheet(labels()["sheets"]["warnings"], [Column(h["where"], 30), Column(h["what"], 80, 20)], rows)


def canonical(unit: Row) -> str:
    return str(unit.get("unit_canonical") or unit["unit"])


def deadline(task: Row) -> Value:
    """The parsed deadline date when the dataset has one, else the 完成时限 text."""
    value = task.get("deadline_date")
    return value if isinstance(value, dt.date) else task.get("deadline")


def _present(task: Row, key: str) -> bool:
    return task.get(key) not in (None, "")


def _names(units: dict[str, list[Row]], task: Row) -> str:
    return join_units(u["unit"] for u in units.get(task["task_id"], []))


def _phrases(targets: list[Row]) -> str:
    return "\n".join(target_phrase(t) for t in targets)
