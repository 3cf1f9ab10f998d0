"""Read an output folder back: the one way features after the write see the data.

``export`` and ``review`` never touch the readers or a parse result; they read
the Parquet dataset ``ingest`` wrote, so they work on any output, old or new::

    dataset = load(Path("parsed"))              # documents, and where every table's files are
    [notice] = select(dataset, ["jiaxing"])     # one document's tasks, units, targets, warnings

Each table is every ``DIR/<table>/**/*.parquet`` file (hidden and ``_`` names
skipped, symlinked folders followed), so the folder may hold Hive partitions
(``year=2021/``; the key becomes a column when the file lacks it) or links into
snapshot folders. Columns added after a file was written (``notice_id``,
``region``, ``tasks.deadline_date``, ...) are simply absent from its rows: read
them with ``row.get``. A ``warnings`` table is optional.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import DatasetError, SelectionError
from pipeline.names import split_names

Row = dict[str, Any]
TABLES = ("documents", "tasks", "task_units", "targets", "warnings")
TABLE_ORDER = ("key_work", "special_action", "livelihood")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
NAME_LIMIT = 40


@dataclass(frozen=True)
class Dataset:
    folder: Path  # the output folder, as given (named in messages)
    documents: list[Row]
    files: dict[str, list[Path]]  # each table's files, under root
    root: Path  # where the tables are read from: the output folder's current snapshot, resolved once


@dataclass(frozen=True)
class Notice:
    """One document's rows, each list in notice order."""

    document: Row
    tasks: list[Row]
    units: list[Row]
    targets: list[Row]
    warnings: list[Row] | None  # None: the dataset has no warnings table

    @property
    def doc_id(self) -> str:
        return str(self.document["doc_id"])

    @property
    def name(self) -> str:
        """A file-name stem: ``<region>_<year>``, else the title (cut short), else the doc_id."""
        doc = self.document
        if doc.get("region") and doc.get("year"):
            stem = f"{doc['region']}_{doc['year']}"
        else:
            stem = str(doc.get("title") or "")[:NAME_LIMIT]
        return safe_name(stem) or self.doc_id


def safe_name(text: str) -> str:
    """``text`` usable as a file name on any system.

    >>> safe_name(' a/b: c*? ')
    'a_b_c_'
    >>> safe_name('..')
    ''
    """
    return _UNSAFE.sub("_", text.strip()).strip(".")


def parquet_files(root: Path) -> list[Path]:
    """Every ``*.parquet`` under ``root``, sorted; hidden/``_`` names skipped, symlinks followed once."""
    found: list[Path] = []
    seen: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link loop
            dirs.clear()
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        found.extend(
            Path(folder) / f for f in files if f.endswith(".parquet") and not f.startswith((".", "_"))
        )
    return sorted(found)


def load(folder: Path) -> Dataset:
    """The documents of an output folder, and the files of each of its tables.

    Every table is read from one snapshot: ``DIR/.store/current`` is resolved
    once, so an ingest that commits meanwhile cannot mix two snapshots in what
    is read (a folder without ``.store``, such as a golden folder, is read as
    it is). An output folder whose notices were all removed is an empty dataset.
    """
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder (run ingest first, or give --data)")
    root = snapshot(folder)
    files = {name: parquet_files(root / name) for name in TABLES}
    if not files["documents"] and root == folder:
        raise DatasetError(f"{folder}: no documents table (not an ingest output folder?)")
    documents = read_rows(root / "documents", files["documents"])
    documents.sort(key=lambda d: (str(d.get("source_file") or ""), str(d["doc_id"])))
    return Dataset(folder, documents, files, root)


def snapshot(folder: Path) -> Path:
    """The current snapshot of the output folder ``folder`` (resolved), else ``folder`` itself.

    >>> snapshot(Path("/no/such/folder"))
    PosixPath('/no/such/folder')
    """
    current = folder / ".store" / "current"
    return Path(os.path.realpath(current)) if current.is_dir() else folder


def read_rows(
    root: Path, files: Iterable[Path], doc_ids: Iterable[str] | None = None, columns: Sequence[str] | None = None
) -> list[Row]:
    """The rows of ``files`` (of the table folder ``root``), only ``doc_ids``' when given.

    A file is opened with ``ParquetFile`` (``pq.read_table`` and ``pa.array``
    import pandas, 0.3 s), and read whole only when one of ``doc_ids`` is in it;
    ``columns`` reads only those of them that the file has.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    wanted = None if doc_ids is None else set(doc_ids)
    rows: list[Row] = []
    for path in files:
        keys = _partition_keys(path.relative_to(root))
        try:
            with path.open("rb") as raw, pq.ParquetFile(raw) as handle:  # a file object: any path bytes
                if wanted is not None and "doc_id" in handle.schema_arrow.names:
                    present = handle.read(columns=["doc_id"]).column("doc_id").unique().to_pylist()
                    if not wanted.intersection(present):
                        continue
                names = handle.schema_arrow.names
                table = handle.read(columns=None if columns is None else [c for c in columns if c in names])
        except FileNotFoundError:
            raise DatasetError(
                f"{path}: gone while being read (the dataset changed twice meanwhile: another ingest or rm?); "
                "read it again"
            ) from None
        except (OSError, pa.ArrowException) as exc:
            raise DatasetError(f"{path}: not a readable Parquet file ({exc})".replace("\n", " ")) from None
        keys = {k: v for k, v in keys.items() if k not in table.column_names}
        for row in table.to_pylist():
            row.update(keys)
            if wanted is None or row.get("doc_id") in wanted:
                rows.append(row)
    return rows


def _partition_keys(relative: Path) -> dict[str, Any]:
    """Hive ``key=value`` folders on the way to a file: ``year=2021/x.parquet`` -> {'year': 2021}.

    >>> _partition_keys(Path('year=2021/region=Nanxi/x.parquet'))
    {'year': 2021, 'region': 'Nanxi'}
    """
    keys: dict[str, Any] = {}
    for part in relative.parts[:-1]:
        key, sep, value = part.partition("=")
        if sep and key:
            keys[key] = None if value == "__HIVE_DEFAULT_PARTITION__" else _typed(value)
    return keys


def _typed(value: str) -> Any:
    return int(value) if re.fullmatch(r"-?\d{1,18}", value) else value


def select(dataset: Dataset, queries: Sequence[str]) -> list[Notice]:
    """The notices named by ``queries`` (each must name exactly one document), in the order given."""
    chosen: list[Row] = []
    for query in queries:
        document = match(dataset, query)
        if all(document["doc_id"] != d["doc_id"] for d in chosen):
            chosen.append(document)
    ids = {str(d["doc_id"]) for d in chosen}
    grouped = {name: _by_doc(_read(dataset, name, ids)) for name in ("tasks", "task_units", "targets")}
    warnings = _by_doc(_read(dataset, "warnings", ids)) if dataset.files["warnings"] else None
    notices = []
    for document in chosen:
        doc_id = str(document["doc_id"])
        tasks = sorted(grouped["tasks"].get(doc_id, []), key=_task_order)
        order = {t["task_id"]: i for i, t in enumerate(tasks)}
        notices.append(
            Notice(
                document=document,
                tasks=tasks,
                units=sorted(
                    grouped["task_units"].get(doc_id, []), key=lambda u: _in_task(order, u, "position")
                ),
                targets=sorted(
                    grouped["targets"].get(doc_id, []), key=lambda t: _in_task(order, t, "span_start")
                ),
                warnings=None if warnings is None else warnings.get(doc_id, []),
            )
        )
    return notices


def match(dataset: Dataset, query: str) -> Row:
    """The one document ``query`` names: its notice_id, doc_id or source file name (with or without
    its extension, or as a path), else a unique prefix of a notice_id or doc_id. A :class:`SelectionError` when none or several match."""
    base = Path(query).name
    exact = [
        d
        for d in dataset.documents
        if query in (d.get("notice_id"), d["doc_id"])
        or (base and base in _file_names(d))
    ]
    found = exact or [
        d
        for d in dataset.documents
        if any(str(d.get(k) or "").startswith(query) for k in ("notice_id", "doc_id"))
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise SelectionError(
            f"no notice matches {query!r} in {dataset.folder} ({len(dataset.documents)} documents; "
            "give a doc_id, notice_id or source file name)"
        )
    shown = ", ".join(f"{d['doc_id']} ({d.get('source_file')})" for d in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    raise SelectionError(f"{query!r} matches {len(found)} documents: {shown}{more}; give a doc_id")


def _file_names(document: Row) -> set[str]:
    """The names (with and without extension) of every file ingested for the document."""
    listed = [str(document.get("source_file") or ""), *split_names(str(document.get("source_files") or ""))]
    paths = [Path(name) for name in listed if name]
    return {path.name for path in paths} | {path.stem for path in paths}


def _read(dataset: Dataset, name: str, ids: set[str]) -> list[Row]:
    return read_rows(dataset.root / name, dataset.files[name], ids)


def _by_doc(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(str(row.get("doc_id")), []).append(row)
    return grouped


def _task_order(task: Row) -> tuple[Any, ...]:
    table = task.get("table")
    rank = TABLE_ORDER.index(table) if table in TABLE_ORDER else len(TABLE_ORDER)
    row_no = task.get("row_no")
    return (
        row_no if row_no is not None else 1 << 30,
        rank,
        task.get("item_no") or 0,
        task.get("part_no") or 0,
        str(task["task_id"]),
    )


def _in_task(order: dict[Any, int], row: Row, key: str) -> tuple[int, Any, str]:
    value = row.get(key)
    return (
        order.get(row.get("task_id"), len(order)),
        value if value is not None else -1,
        repr(sorted(row.items())),
    )
