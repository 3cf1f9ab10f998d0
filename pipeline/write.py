"""Rows -> one Parquet file and one CSV copy per table for a document.

Layout under the output folder::

    documents/<doc_id>.parquet      csv/documents/<doc_id>.csv
    tasks/<doc_id>.parquet          csv/tasks/<doc_id>.csv
    task_units/<doc_id>.parquet     csv/task_units/<doc_id>.csv
    targets/<doc_id>.parquet        csv/targets/<doc_id>.csv

Every file is written to a hidden temporary name in its final folder first;
only when all eight are complete are they renamed into place (``os.replace``
is atomic), ``documents`` last, so a reader never sees half a file and a crash
leaves the previous version of the document intact. Temporary names start with
a dot and do not end in ``.parquet``, so dataset readers skip them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.errors import OutputError
from pipeline.schema import TABLES

Rows = Sequence[Mapping[str, Any]]
# documents last: its file appearing marks the document as complete.
WRITE_ORDER = ("tasks", "task_units", "targets", "warnings", "documents")


def format_value(value: Any) -> str:
    """One CSV cell: empty for null, integers without a trailing .0.

    >>> [format_value(v) for v in (None, 300.0, 1.3, 2800000000.0, 7, dt.date(2021, 2, 25))]
    ['', '300', '1.3', '2800000000', '7', '2021-02-25']
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(name: str, rows: Rows) -> bytes:
    """A table's CSV: UTF-8 with BOM (Excel shows Chinese), LF line ends, columns in schema order."""
    names = TABLES[name].names
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([format_value(row.get(column)) for column in names])
    return buffer.getvalue().encode("utf-8-sig")


def to_arrow(name: str, csv_bytes: bytes) -> pa.Table:
    """The Arrow table of a CSV from :func:`to_csv`, typed by the table's schema.

    Parsing our own CSV (rather than ``pa.Table.from_pylist``) keeps the two
    copies identical by construction, and avoids ``pa.array``'s import of
    pandas, a fifth of a text notice's run time. Empty cells are nulls; the
    pipeline never stores empty strings.
    """
    schema = TABLES[name]
    table = pa_csv.read_csv(
        io.BytesIO(csv_bytes),
        read_options=pa_csv.ReadOptions(use_threads=False),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=schema,
            include_columns=schema.names,
            null_values=[""],  # only empty cells: a unit written "NA" stays text
            strings_can_be_null=True,
        ),
    )
    return table.cast(schema)


def write_document(out: Path, doc_id: str, tables: Mapping[str, Rows]) -> None:
    """Write (or atomically replace) every table's files for one document.

    A problem with the output folder is an :class:`OutputError` naming it.
    """
    staged: list[tuple[Path, Path]] = []
    tag = f".{doc_id}.{os.getpid()}.part"
    try:
        for name in WRITE_ORDER:
            csv_bytes = to_csv(name, tables.get(name, ()))
            table = to_arrow(name, csv_bytes)
            parquet = out / name / f"{doc_id}.parquet"
            csv_file = out / "csv" / name / f"{doc_id}.csv"
            for final in (parquet, csv_file):
                final.parent.mkdir(parents=True, exist_ok=True)
            tmp = parquet.with_name(tag)
            pq.write_table(table, tmp)
            staged.append((tmp, parquet))
            tmp = csv_file.with_name(tag)
            tmp.write_bytes(csv_bytes)
            staged.append((tmp, csv_file))
        with _signals_held():
            for tmp, final in staged:
                os.replace(tmp, final)
        staged.clear()
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, the time limit and termination until the renames are done.

    A signal arriving meanwhile is recorded and raised again right after, so an
    interrupt or a timeout never leaves a document half replaced. (A rename
    within one folder fails only on a disk error; then the files not yet
    renamed are removed.) Python runs signal handlers in the main thread only,
    so elsewhere there is nothing to hold.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGALRM, signal.SIGTERM)
    previous = {signum: signal.signal(signum, lambda signum, frame: caught.append(signum)) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for number in caught:
            signal.raise_signal(number)
