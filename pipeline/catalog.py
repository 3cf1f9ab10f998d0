"""What an output folder holds, and taking notices out of it: ``pipeline list`` and ``pipeline rm``.

Both read the folder through :mod:`pipeline.dataset`, like every feature after
the write. ``list`` prints one line per notice::

    ca4c2153adb16270  嘉兴市  2021  嘉兴市人民政府办公室关于印发…的通知
        tasks key_work 104, special_action 11, livelihood 10; 116 targets; 0 warnings;
        files jiaxing_2021.docx; jiaxing_2021.txt

(one line in fact: the fields are separated by two spaces). ``rm`` takes the
notices named like ``export`` does (notice_id, doc_id, a unique prefix, a
source file name) and publishes a snapshot without their files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.dataset import TABLE_ORDER, Dataset, Row, load, match, read_rows
from pipeline.errors import SelectionError


def notice_lines(folder: Path) -> list[str]:
    """One line per notice of the output folder, ordered by region, year and title."""
    dataset = load(folder)
    tasks = _counts(dataset, "tasks", "table")
    targets = _counts(dataset, "targets", None)
    documents = sorted(
        dataset.documents, key=lambda d: (str(d.get("region") or ""), d.get("year") or 0, str(d.get("title") or ""))
    )
    return [_line(d, tasks, targets) for d in documents]


def _line(document: Row, tasks: dict[str, Counter[str]], targets: dict[str, Counter[str]]) -> str:
    key = str(document.get("notice_id") or document["doc_id"])
    per_table = tasks.get(key, Counter())
    order = [t for t in TABLE_ORDER if t in per_table] + sorted(set(per_table) - set(TABLE_ORDER))
    tables = ", ".join(f"{table} {per_table[table]}" for table in order) or "none"
    warnings = document.get("warning_count")
    fields = [
        key,
        str(document.get("region") or "-"),
        str(document.get("year") or "-"),
        str(document.get("title") or "(no title)"),
        f"tasks {tables}",
        f"{sum(targets.get(key, Counter()).values())} targets",
        f"{'?' if warnings is None else warnings} warnings",
        f"files {document.get('source_files') or document.get('source_file') or '-'}",
    ]
    return "  ".join(fields)


def _counts(dataset: Dataset, table: str, column: str | None) -> dict[str, Counter[str]]:
    """Rows of ``table`` per notice (the stem of the file they are in), split by ``column``'s value."""
    counts: dict[str, Counter[str]] = {}
    for path in dataset.files[table]:
        counted = counts.setdefault(path.name.split(".", 1)[0], Counter())
        for row in read_rows(dataset.root / table, [path], columns=["doc_id"] if column is None else [column]):
            counted[str(row.get(column) or "") if column else ""] += 1
    return counts


def remove(
    folder: Path, queries: Sequence[str], done: Callable[[list[Row]], None] | None = None,
    on_wait: Callable[[], None] | None = None,
) -> list[Row]:  # fmt: skip
    """Take the notices ``queries`` name out of the output folder; their documents rows.

    Every query is resolved before anything changes: one that names no notice,
    or several, is a :class:`~pipeline.errors.SelectionError` and nothing is
    removed. ``done(rows)`` is called once they are removed, with Ctrl-C and
    SIGTERM held (what it reports has happened); ``on_wait()`` when another
    ingest or rm holds the folder for over a second.
    """
    from pipeline.publish import Publisher

    dataset = load(folder)
    chosen: dict[str, Row] = {}
    for query in queries:
        document = match(dataset, query)
        chosen.setdefault(str(document.get("notice_id") or document["doc_id"]), document)
    publisher = Publisher(folder, on_wait=on_wait)
    missing = sorted(set(chosen) - publisher.store.keys())
    if missing:
        raise SelectionError(f"{folder}: no files named {missing[0]} (not written by this version of ingest?)")
    rows = list(chosen.values())
    publisher.remove(list(chosen), None if done is None else lambda: done(rows))
    return rows
