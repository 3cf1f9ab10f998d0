"""How ``pipeline diff`` shows a :class:`~pipeline.diff.Diff`: lines for people, one JSON document for programs.

Lines, OLD -> NEW::

    ~ targets [doc_id=814aa2ce3d9bb1b2, task_id=key_work-0-18-1, span_start=26, span_end=30] indicator='高新技术企业' span_text='300家'
        value: '300' -> '350'
    - targets {doc_id='…', task_id='…', indicator='…', …}
    + task_units {doc_id='…', task_id='…', unit='市科学局', …}
    old/ -> new/: targets 0 added, 1 removed, 1 changed; task_units 1 added, 0 removed, 0 changed

A changed row names what it is besides its key (:data:`CONTEXT`: a target's
indicator and span text, a unit's name, the start of a task's text), as the
old side has it; the lines under it are its changed columns.
"""

from __future__ import annotations

from typing import Any

from pipeline.diff import KEYS, KINDS, Change, Diff, Row
from pipeline.schema import TABLES

CONTEXT = {
    "documents": ("title",),
    "tasks": ("text",),
    "task_units": ("unit",),
    "targets": ("indicator", "span_text"),
    "warnings": (),
}
CONTEXT_WIDTH = 30  # characters of a context value shown (a task's text is long)


def change_lines(diff: Diff) -> list[str]:
    """A line per added or removed row; a line per changed row and one per changed column under it."""
    lines = []
    for change in diff.changes:
        if change.kind == "changed":
            assert change.old is not None and change.new is not None
            lines.append(f"~ {change.table} [{_label(change)}]{_context(change)}")
            lines.extend(f"    {c}: {change.old.get(c, '')!r} -> {change.new.get(c, '')!r}" for c in change.columns)
        else:
            sign, row = ("-", change.old) if change.kind == "removed" else ("+", change.new)
            assert row is not None
            lines.append(f"{sign} {change.table} {_show(row)}")
    return lines


def summary_line(diff: Diff) -> str:
    """``OLD -> NEW: <table> N added, N removed, N changed; …``, or that both hold the same rows."""
    counts = diff.summary()
    tables = [t for t in TABLES if any(counts[t].values())]
    if not tables:
        rows = ", ".join(f"{t} {diff.rows.get(t, (0, 0))[0]}" for t in TABLES)
        return f"same: {diff.old} and {diff.new} hold the same rows ({rows})"
    parts = "; ".join(f"{t} " + ", ".join(f"{counts[t][k]} {k}" for k in KINDS) for t in tables)
    return f"{diff.old} -> {diff.new}: {parts}"


def json_document(diff: Diff) -> dict[str, Any]:
    """The diff as data: the summary per table, and each change with its key, rows and changed columns."""
    return {
        "old": str(diff.old),
        "new": str(diff.new),
        "same": diff.same,
        "summary": {
            table: {**counts, "old_rows": diff.rows.get(table, (0, 0))[0], "new_rows": diff.rows.get(table, (0, 0))[1]}
            for table, counts in diff.summary().items()
        },
        "changes": [_change(c) for c in diff.changes],
    }


def _change(change: Change) -> dict[str, Any]:
    return {
        "table": change.table,
        "change": change.kind,
        "key": change.key,
        "columns": list(change.columns),
        "old": change.old,
        "new": change.new,
    }


def _label(change: Change) -> str:
    return ", ".join(f"{k}={v}" for k, v in change.key.items() if k in KEYS[change.table])


def _context(change: Change) -> str:
    row = change.old or {}
    return "".join(f" {c}={_cut(row[c])!r}" for c in CONTEXT[change.table] if row.get(c))


def _cut(text: str) -> str:
    return text if len(text) <= CONTEXT_WIDTH else text[: CONTEXT_WIDTH - 1] + "…"


def _show(row: Row) -> str:
    return "{" + ", ".join(f"{k}={v!r}" for k, v in row.items() if v != "") + "}"
