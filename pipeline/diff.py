"""Compare two output folders table by table and name the rows that differ.

Either side may be an output folder (``parsed/``: Parquet datasets, or its
``csv/`` copies) or a golden folder (``tests/golden/<notice>/<table>.csv``).
Rows are matched by key; a changed row prints its changed columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.schema import TABLES
from pipeline.write import format_value

KEYS = {
    "documents": ("doc_id",),
    "tasks": ("doc_id", "task_id"),
    "task_units": ("doc_id", "task_id", "position"),
    "targets": ("doc_id", "task_id", "span_start", "span_end"),
    "warnings": ("doc_id", "stage", "where", "what"),
}

Row = dict[str, str]


def load_table(folder: Path, table: str) -> list[Row]:
    """Every row of ``table`` under ``folder``, values formatted as in the CSV files."""
    if (folder / table).is_dir():
        import pyarrow.parquet as pq

        rows: list[Row] = []
        for path in sorted((folder / table).glob("**/*.parquet")):  # year=… folders too
            with path.open("rb") as handle:
                records = pq.read_table(handle).to_pylist()
            for record in records:
                rows.append({k: format_value(v) for k, v in record.items()})
        return rows
    # The CSV copies (csv/) neutralise formula-like cells with a ' (pipeline.write): Parquet is preferred.
    for candidates in (sorted((folder / "csv" / table).glob("**/*.csv")), [folder / f"{table}.csv"]):
        files = [p for p in candidates if p.is_file()]
        if files:
            return [row for path in files for row in _read_csv(path)]
    return []


def _read_csv(path: Path) -> list[Row]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def diff_tables(a: list[Row], b: list[Row], table: str, ignore: Iterable[str] = ()) -> list[str]:
    """Lines describing how ``b`` differs from ``a``: ``-`` only in a, ``+`` only in b, ``~`` changed."""
    ignored = set(ignore)
    keys = [k for k in KEYS[table] if k not in ignored]

    def index(rows: list[Row]) -> dict[tuple[str, ...], list[Row]]:
        out: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            kept = {k: v for k, v in row.items() if k not in ignored}
            out.setdefault(tuple(kept.get(k, "") for k in keys), []).append(kept)
        return out

    left, right = index(a), index(b)
    lines = []
    for key in sorted(left.keys() | right.keys()):
        olds, news = left.get(key, []), right.get(key, [])
        label = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
        for old, new in zip(olds, news, strict=False):
            changed = [c for c in sorted(old.keys() | new.keys()) if old.get(c, "") != new.get(c, "")]
            if changed:
                lines.append(f"~ {table} [{label}]")
                lines.extend(f"    {c}: {old.get(c, '')!r} -> {new.get(c, '')!r}" for c in changed)
        for old in olds[len(news) :]:
            lines.append(f"- {table} {_show(old)}")
        for new in news[len(olds) :]:
            lines.append(f"+ {table} {_show(new)}")
    return lines


def _show(row: Row) -> str:
    return "{" + ", ".join(f"{k}={v!r}" for k, v in row.items() if v != "") + "}"


def diff_folders(a: Path, b: Path, ignore: Iterable[str] = ()) -> list[str]:
    for folder in (a, b):
        if not folder.is_dir():
            raise PipelineError(f"{folder}: not a folder")
    ignore = tuple(ignore)
    lines = []
    for table in TABLES:
        lines.extend(diff_tables(load_table(a, table), load_table(b, table), table, ignore))
    return lines
