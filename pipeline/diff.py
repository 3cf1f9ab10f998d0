"""What changed from one output to another, table by table: ``pipeline diff OLD NEW``.

Either side may be an output folder of ``ingest`` (its Parquet tables, links
into a snapshot and ``year=`` partitions followed; the ``csv/`` copies when a
table has no Parquet folder) or a golden folder (``tests/golden/<notice>/<table>.csv``).
Values are compared as the CSV files write them. The direction is fixed:
rows only in OLD are *removed*, rows only in NEW *added*, rows in both with
other values *changed*.

Rows are matched by key (:data:`KEYS`). A document is the same one on both
sides when its ``doc_id`` is, else when its ``notice_id`` is (a re-downloaded
or corrected copy of a notice; without notice_ids, its title and year): its rows are then matched as if the
``doc_id`` were the old one, and only the documents row shows the new
``doc_id``. A target whose span moved (text edited before it) is paired again
by task and indicator and value, else by task and span text; a target whose
number was edited (its span grew) by task and start, else by task and
indicator; and a unit by task and name, before anything is called removed or
added (:data:`REPAIR`): one change, not a removal and an addition.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.dataset import parquet_files, read_rows
from pipeline.errors import PipelineError
from pipeline.schema import TABLES
from pipeline.write import FORMULA_STARTS, format_value

KEYS = {
    "documents": ("doc_id",),
    "tasks": ("doc_id", "task_id"),
    "task_units": ("doc_id", "task_id", "position"),
    "targets": ("doc_id", "task_id", "span_start", "span_end"),
    "warnings": ("doc_id", "stage", "where", "what"),
}
# Rows left unmatched by key are paired again, within their task, by each of these in turn.
REPAIR = {
    "targets": (("indicator", "value"), ("span_text",), ("span_start",), ("indicator",)),
    "task_units": (("unit",),),
}
KINDS = ("added", "removed", "changed")

Row = dict[str, str]


class DiffError(PipelineError):
    """A folder cannot be compared (missing, holding no tables, or a --doc that names nothing)."""


@dataclass(frozen=True)
class Change:
    table: str
    kind: str  # "added", "removed" or "changed"
    old: Row | None
    new: Row | None
    columns: tuple[str, ...] = ()  # the columns whose values differ (changed rows)

    @property
    def key(self) -> dict[str, str]:
        row = self.old if self.old is not None else self.new
        assert row is not None
        return {k: row.get(k, "") for k in KEYS[self.table] if k in row}


@dataclass(frozen=True)
class Diff:
    old: Path
    new: Path
    changes: list[Change]
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # rows compared per table: (old, new)

    @property
    def same(self) -> bool:
        return not self.changes

    def summary(self) -> dict[str, dict[str, int]]:
        """Per table: rows added, removed and changed."""
        counts = {table: dict.fromkeys(KINDS, 0) for table in TABLES}
        for change in self.changes:
            counts[change.table][change.kind] += 1
        return counts


def compare_folders(old: Path, new: Path, ignore: Iterable[str] = (), docs: Sequence[str] = ()) -> Diff:
    """How ``new`` differs from ``old``; only the documents ``docs`` name when given (see :func:`chosen`)."""
    ignored = frozenset(ignore)
    sides = [load_folder(old), load_folder(new)]
    if not any(rows for side in sides for rows in side.values()):
        raise DiffError(f"{old} and {new} hold no rows: nothing to compare")
    alias = {} if "doc_id" in ignored else pair_documents(sides[0]["documents"], sides[1]["documents"])
    wanted = chosen(sides[0]["documents"], sides[1]["documents"], docs, alias) if docs else None
    changes: list[Change] = []
    rows: dict[str, tuple[int, int]] = {}
    for table in TABLES:
        before, after = (_only(side[table], None if wanted is None else wanted[i]) for i, side in enumerate(sides))
        if table != "documents":  # the documents row alone shows a new doc_id
            after = [{**row, "doc_id": alias.get(row.get("doc_id", ""), row.get("doc_id", ""))} for row in after]
        rows[table] = (len(before), len(after))
        changes.extend(diff_table(before, after, table, ignored, alias if table == "documents" else {}))
    return Diff(old, new, changes, rows)


def diff_folders(a: Path, b: Path, ignore: Iterable[str] = ()) -> list[str]:
    """The lines of :func:`compare_folders` (no summary): empty when the folders hold the same rows."""
    from pipeline.diff_report import change_lines

    return change_lines(compare_folders(a, b, ignore))


def load_folder(folder: Path) -> dict[str, list[Row]]:
    """Every table's rows; a :class:`DiffError` when ``folder`` is missing or holds none of the tables."""
    if not folder.is_dir():
        raise DiffError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}")
    tables = {table: load_table(folder, table) for table in TABLES}
    if all(rows is None for rows in tables.values()):
        raise DiffError(f"{folder}: not an output or golden folder (no documents, tasks or targets table in it)")
    return {table: rows or [] for table, rows in tables.items()}


def load_table(folder: Path, table: str) -> list[Row] | None:
    """The rows of ``table`` under ``folder``, values formatted as in the CSV files; None when it has no such table."""
    root = folder / table
    if root.is_dir():
        columns = set(TABLES[table].names)
        rows: list[Row] = []
        for path in parquet_files(root):
            partitions = {p.partition("=")[0] for p in path.relative_to(root).parts[:-1] if "=" in p}
            dropped = partitions - columns  # a partition key this table does not have (year, in tasks)
            rows.extend(
                {k: format_value(v) for k, v in row.items() if k not in dropped} for row in read_rows(root, [path])
            )
        return rows
    copies = folder / "csv" / table
    if copies.is_dir():  # the CSV copies for Excel: a formula-like cell got a ' in front
        files = sorted(copies.glob("**/*.csv"))
        return [_restore(row) for path in files for row in _read_csv(path, copies, table)]
    golden = folder / f"{table}.csv"
    return _read_csv(golden, folder, table) if golden.is_file() else None


def _read_csv(path: Path, root: Path, table: str) -> list[Row]:
    """The rows of a CSV file, with the table's columns given by the ``key=value`` folders above it."""
    columns = TABLES[table].names
    keys = {
        name: value
        for name, _, value in (p.partition("=") for p in path.relative_to(root).parts[:-1])
        if value and name in columns
    }
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DiffError(f"{path}: cannot be read as a CSV table ({exc})".replace("\n", " ")) from None
    for row in rows:
        for name, value in keys.items():
            row.setdefault(name, "" if value == "__HIVE_DEFAULT_PARTITION__" else value)
    return rows


def _restore(row: Row) -> Row:
    """A CSV copy's row as the Parquet file holds it (a neutralised ``'=…`` is ``=…``)."""
    return {k: v[1:] if v.startswith("'") and v[1:].startswith(FORMULA_STARTS) else v for k, v in row.items()}


def pair_documents(old: list[Row], new: list[Row]) -> dict[str, str]:
    """New doc_id -> old doc_id, for documents that are one notice under two doc_ids.

    One notice: the same ``notice_id``, else (a side written before notice
    identities) the same title and year. Each document is paired once.
    """
    new_ids = {row["doc_id"] for row in new}
    unpaired_old = [row for row in old if row["doc_id"] not in new_ids]
    old_ids = {row["doc_id"] for row in old}
    alias: dict[str, str] = {}
    for fields in (("notice_id",), ("title", "year")):
        by_fields = {_values(row, fields): row["doc_id"] for row in unpaired_old if all(row.get(f) for f in fields)}
        for row in new:
            if row["doc_id"] in old_ids or row["doc_id"] in alias or not all(row.get(f) for f in fields):
                continue
            match = by_fields.get(_values(row, fields))
            if match is not None and match not in alias.values():
                alias[row["doc_id"]] = match
    return alias


def _values(row: Row, fields: Sequence[str]) -> tuple[str, ...]:
    return tuple(row.get(f, "") for f in fields)


def chosen(old: list[Row], new: list[Row], queries: Sequence[str], alias: dict[str, str]) -> tuple[set[str], set[str]]:
    """The doc_ids of each side that ``queries`` name: a doc_id or notice_id (or a prefix), or a source file name."""
    picked: tuple[set[str], set[str]] = (set(), set())
    for query in queries:
        found = [{row["doc_id"] for row in side if _names(row, query)} for side in (old, new)]
        if not found[0] and not found[1]:
            raise DiffError(f"--doc {query!r} names no document in either folder (give a doc_id, notice_id or file name)")
        picked[0].update(found[0])
        picked[1].update(found[1])
    picked[0].update(alias[doc] for doc in picked[1] if doc in alias)  # the other copy of a chosen notice
    picked[1].update(doc for doc, old_doc in alias.items() if old_doc in picked[0])
    return picked


def _names(document: Row, query: str) -> bool:
    if any(document.get(k, "").startswith(query) for k in ("doc_id", "notice_id")):
        return True
    files = [document.get("source_file", ""), *document.get("source_files", "").split("; ")]
    return any(Path(query).name in (Path(f).name, Path(f).stem) for f in files if f)


def _only(rows: list[Row], doc_ids: set[str] | None) -> list[Row]:
    return rows if doc_ids is None else [row for row in rows if row.get("doc_id") in doc_ids]


def diff_table(
    old: list[Row], new: list[Row], table: str, ignore: Iterable[str] = (), alias: dict[str, str] | None = None
) -> list[Change]:
    """The changes from ``old`` to ``new`` rows of ``table``, in key order; ``ignore`` columns left out.

    ``alias`` maps a new row's doc_id to the old one it is matched with (documents rows).
    """
    ignored = set(ignore)
    alias = alias or {}
    keys = [k for k in KEYS[table] if k not in ignored]

    def index(rows: list[Row], translate: bool) -> dict[tuple[str, ...], list[Row]]:
        out: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            kept = {k: v for k, v in row.items() if k not in ignored}
            key = {**kept, "doc_id": alias.get(kept.get("doc_id", ""), kept.get("doc_id", ""))} if translate else kept
            out.setdefault(tuple(key.get(k, "") for k in keys), []).append(kept)
        return out

    left, right = index(old, False), index(new, True)
    changes: list[Change] = []
    removed: list[Row] = []
    added: list[Row] = []
    for key in sorted(left.keys() | right.keys()):
        olds, news = left.get(key, []), right.get(key, [])
        changes.extend(_changed(table, a, b) for a, b in zip(olds, news, strict=False))
        removed.extend(olds[len(news) :])
        added.extend(news[len(olds) :])
    for columns in REPAIR.get(table, ()):
        moved, removed, added = _pair(removed, added, ["doc_id", "task_id", *columns])
        changes.extend(_changed(table, a, b) for a, b in moved)
    changes = [c for c in changes if c.columns]
    changes.extend(Change(table, "removed", row, None) for row in removed)
    changes.extend(Change(table, "added", None, row) for row in added)
    return sorted(changes, key=lambda c: (_order(c, keys), KINDS.index(c.kind)))


def _changed(table: str, old: Row, new: Row) -> Change:
    columns = tuple(c for c in sorted(old.keys() | new.keys()) if old.get(c, "") != new.get(c, ""))
    return Change(table, "changed", old, new, columns)


def _pair(removed: list[Row], added: list[Row], columns: list[str]) -> tuple[list[tuple[Row, Row]], list[Row], list[Row]]:
    """Pairs of a removed and an added row equal on ``columns`` (in order); the rows left of each."""
    waiting: dict[tuple[str, ...], list[Row]] = {}
    for row in added:
        waiting.setdefault(tuple(row.get(c, "") for c in columns), []).append(row)
    pairs: list[tuple[Row, Row]] = []
    left: list[Row] = []
    for row in removed:
        candidates = waiting.get(tuple(row.get(c, "") for c in columns))
        if candidates:
            pairs.append((row, candidates.pop(0)))
        else:
            left.append(row)
    paired = {id(new) for _, new in pairs}
    return pairs, left, [row for row in added if id(row) not in paired]


def _order(change: Change, keys: list[str]) -> tuple[object, ...]:
    """Sort key: by the key columns, numbers as numbers (span 9 before span 10)."""
    row = change.old if change.old is not None else change.new
    assert row is not None
    return tuple((0, int(v), "") if v.isdigit() else (1, 0, v) for v in (row.get(k, "") for k in keys))
