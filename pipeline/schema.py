"""The output tables' Arrow schemas: the contract downstream systems load.

Types are fixed here, never inferred from the data, so an empty table and a
full one have the same schema and every document's file concatenates cleanly.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("title", pa.string()),
        ("issuer", pa.string()),
        ("issue_date", pa.date32()),
        ("year", pa.int32()),
        ("source_file", pa.string()),
        ("source_format", pa.string()),
        ("source_sha256", pa.string()),
        ("pipeline_version", pa.string()),
        ("rules_version", pa.string()),
        ("task_count", pa.int32()),
        ("target_count", pa.int32()),
        ("notice_id", pa.string()),
        ("region", pa.string()),
        ("level", pa.string()),
        ("source_files", pa.string()),
        ("warning_count", pa.int32()),
    ]
)

TASKS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("task_id", pa.string()),
        ("table", pa.string()),
        ("section", pa.string()),
        ("item_no", pa.int32()),
        ("part_no", pa.int32()),
        ("name", pa.string()),
        ("text", pa.string()),
        ("deadline", pa.string()),
        ("row_no", pa.int32()),
        ("leader", pa.string()),
        ("progress", pa.string()),
        ("deadline_date", pa.date32()),
    ]
)

TASK_UNITS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("task_id", pa.string()),
        ("unit", pa.string()),
        ("role", pa.string()),
        ("position", pa.int32()),
        ("unit_canonical", pa.string()),
    ]
)

TARGETS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("task_id", pa.string()),
        ("table", pa.string()),
        ("item_no", pa.int32()),
        ("indicator", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("value_base", pa.float64()),
        ("unit_base", pa.string()),
        ("value_max_base", pa.float64()),
        ("comparator", pa.string()),
        ("commitment", pa.string()),
        ("deadline_year", pa.int32()),
        ("span_start", pa.int32()),
        ("span_end", pa.int32()),
        ("span_text", pa.string()),
        ("value_max", pa.float64()),
        ("verb", pa.string()),
    ]
)

# What a reader or stage met but could not place (a row, a cell it could not split,
# a low-confidence OCR cell): the notice was read, but not wholly.
WARNINGS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("stage", pa.string()),  # reader, layout, tables
        ("where", pa.string()),
        ("what", pa.string()),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "tasks": TASKS,
    "task_units": TASK_UNITS,
    "targets": TARGETS,
    "warnings": WARNINGS,
}


def row(table: str, *sources: object, **values: Any) -> dict[str, Any]:
    """One row of ``table``, in its schema's column order.

    Each column takes its value from ``values``, else from the first of
    ``sources`` with an attribute of that name; a column found nowhere is a bug.

    >>> from types import SimpleNamespace
    >>> row("task_units", SimpleNamespace(unit="市科技局", role="lead"), doc_id="d", task_id="t", position=1,
    ...     unit_canonical=None)
    {'doc_id': 'd', 'task_id': 't', 'unit': '市科技局', 'role': 'lead', 'position': 1, 'unit_canonical': None}
    """
    names = TABLES[table].names
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise KeyError(f"{table} has no columns {unknown}")
    out: dict[str, Any] = {}
    for name in names:
        if name in values:
            out[name] = values[name]
            continue
        source = next((s for s in sources if hasattr(s, name)), None)
        if source is None:
            raise KeyError(f"no value for column {table}.{name}")
        out[name] = getattr(source, name)
    return out
