"""Rows -> the files of one document: a Parquet file and a CSV copy per table, made in memory.

:func:`render` returns every file of one document as ``relative path -> bytes``;
:class:`pipeline.store.Store` publishes them whole (one snapshot switched by
one rename, see there). The file stem is the document's key (its notice_id)::

    layout "flat" (default)            layout "year" (--partition year)
    <table>/<key>.parquet              <table>/year=2021/<key>.parquet
    csv/<table>/<key>.csv              csv/<table>/year=2021/<key>.csv

In the year layout the year is in the folder name (Hive partitioning): the
documents files do not repeat the column, and pandas, pyarrow.dataset and
DuckDB restore ``year`` in every table from the path. A notice whose year is
unknown goes under ``year=__HIVE_DEFAULT_PARTITION__``, Hive's name for null.

The CSV copy is for Excel: UTF-8 with BOM, LF line ends, and a text cell Excel
would take for a formula (starting with ``= + - @``, a tab or a carriage
return) gets a leading ``'``, as OWASP advises against CSV injection. The
Parquet file keeps the exact text: it is built by parsing the *exact* CSV with
the table's schema (pyarrow.csv), never the neutralised one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.schema import TABLES

Rows = Sequence[Mapping[str, Any]]
Files = dict[str, bytes]

LAYOUTS = ("flat", "year")
VIEWS = (*TABLES, "csv")  # the top-level names of an output folder
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MIN_BLOCK = 1 << 20
_MAX_BLOCK = (1 << 31) - 1


def format_value(value: Any) -> str:
    """One CSV cell: empty for null, integers without a trailing .0.

    >>> [format_value(v) for v in (None, 300.0, 1.3, 2800000000.0, 7, dt.date(2021, 2, 25))]
    ['', '300', '1.3', '2800000000', '7', '2021-02-25']
    """
    if value is None:
        return ""
    if type(value) is str:  # most cells: the fast path
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def neutralise(cell: str) -> str:
    """A text cell Excel cannot run as a formula.

    >>> [neutralise(c) for c in ("=1+1", "@SUM(A1)", "-2 下降5%", "\\t=2", "市科技局", "")]
    ["'=1+1", "'@SUM(A1)", "'-2 下降5%", "'\\t=2", '市科技局', '']
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def schema_of(name: str, layout: str = "flat") -> pa.Schema:
    """The schema of table ``name`` as stored in ``layout`` (without ``year`` when it is the folder)."""
    schema = TABLES[name]
    if layout == "year" and "year" in schema.names:
        schema = schema.remove(schema.get_field_index("year"))
    return schema


def to_csv(schema: pa.Schema, rows: Rows, for_excel: bool = False) -> bytes:
    """A table's CSV: UTF-8 with BOM, LF line ends, columns in schema order.

    ``for_excel`` neutralises formula-like text cells (:func:`csv_pair` gives both copies at once).
    """
    exact, excel = csv_pair(schema, rows)
    return excel if for_excel else exact


def csv_pair(schema: pa.Schema, rows: Rows) -> tuple[bytes, bytes]:
    """A table's exact CSV and its copy for Excel (the same bytes when no cell needs neutralising).

    Python's csv module does not quote a lone carriage return (pyarrow would
    read it as a row break), so a row holding one is written with every cell quoted.
    """
    names = schema.names
    text = [i for i, field in enumerate(schema) if pa.types.is_string(field.type)]
    table = [[format_value(row.get(column)) for column in names] for row in rows]
    risky = [
        (r, i) for r, cells in enumerate(table) for i in text if cells[i].startswith(FORMULA_STARTS)
    ]
    exact = _csv_bytes(names, table)
    if not risky:
        return exact, exact
    for r, i in risky:
        table[r] = [*table[r][:i], neutralise(table[r][i]), *table[r][i + 1 :]]
    return exact, _csv_bytes(names, table)


def _csv_bytes(names: list[str], table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    minimal = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    minimal.writerow(names)
    for cells in table:
        (quoted if any("\r" in cell for cell in cells) else minimal).writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


def to_arrow(schema: pa.Schema, csv_bytes: bytes) -> pa.Table:
    """The Arrow table of an exact CSV from :func:`to_csv`, typed by ``schema``.

    The schema's column types give that schema exactly (no cast, which would
    import pyarrow.compute). Empty cells are nulls; the pipeline never stores
    empty strings. The block holds the whole CSV, so a multi-megabyte cell
    never straddles two blocks. The streaming reader (``open_csv``) is used:
    ``read_csv`` starts a thread per call, a fifth of the write's time.
    """
    block = min(max(_MIN_BLOCK, len(csv_bytes) + 1), _MAX_BLOCK)
    return pa_csv.open_csv(
        pa.BufferReader(csv_bytes),
        read_options=pa_csv.ReadOptions(use_threads=False, block_size=block),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=schema,
            include_columns=schema.names,
            null_values=[""],  # only empty cells: a unit written "NA" stays text
            strings_can_be_null=True,
        ),
    ).read_all()


def parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def partition(layout: str, year: int | None) -> str:
    """The folder of a document's files inside each table folder.

    >>> partition("flat", 2021), partition("year", 2021), partition("year", None)
    ('', 'year=2021/', 'year=__HIVE_DEFAULT_PARTITION__/')
    """
    if layout == "flat":
        return ""
    return f"year={NULL_PARTITION if year is None else year}/"


def render(
    key: str, tables: Mapping[str, Rows], layout: str = "flat", year: int | None = None,
    names: Iterable[str] = TABLES,
) -> Files:  # fmt: skip
    """The files of tables ``names`` of one document: relative path -> bytes."""
    folder = partition(layout, year)
    files: Files = {}
    for name in names:
        schema = schema_of(name, layout)
        exact, excel = csv_pair(schema, tables.get(name, ()))
        files[f"{name}/{folder}{key}.parquet"] = parquet_bytes(to_arrow(schema, exact))
        files[f"csv/{name}/{folder}{key}.csv"] = excel
    return files


def write_document(out: Path, key: str, tables: Mapping[str, Rows], layout: str = "flat") -> None:
    """Render one document's tables and publish them under ``out`` (replacing ``key``'s files).

    A problem with the output folder is an :class:`~pipeline.errors.OutputError` naming it.
    """
    from pipeline.store import Store

    documents = tables.get("documents") or [{}]
    files = render(key, tables, layout, documents[0].get("year"))
    Store(out, VIEWS, layout).commit({key: files})
