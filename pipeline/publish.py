"""Publishing prepared notices into an output folder: in the order given, a group per snapshot.

Files are named by ``notice_id``, so a second file of a notice already in the
dataset (another format, a re-download, a corrected re-issue) replaces its
files; the replaced file's name is reported, and ``documents.source_files``
lists every file ingested for the notice, in ingest order. Both are worked out
from the snapshot being replaced, under the store's lock (two ``ingest`` runs
into one folder never lose each other's file names). The documents table is
rendered again here when the notice was there before; every other table
arrives rendered (and staged, from a worker). A worse copy (read by OCR, or
with fewer than half the tasks) does not replace a notice: :func:`keeps`.

A batch publishes finished files in input order, several per commit: a commit
costs time in proportion to the files already in the dataset (each is linked
into the new snapshot), so publishing one snapshot per file would make a
large batch quadratic.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError
from pipeline.ingest import Prepared
from pipeline.store import Changes, Store, signals_held
from pipeline.write import LAYOUTS, VIEWS, render

SEPARATOR = "; "  # between the names in documents.source_files
PARTIAL = 0.5  # a copy with fewer than this share of the stored copy's tasks does not replace it
OCR_FORMATS = frozenset({"scan"})
MIN_GAP = 0.5  # seconds between two commits of a batch at least ...
COST_RATIO = 10  # ... and this many times the last commit's own duration


@dataclass(frozen=True)
class Published:
    notice_id: str
    replaced: str | None  # the file whose rows were replaced (another file of the notice), if any
    source_files: str
    kept: str | None = None  # why the notice's earlier rows were kept instead (then nothing was published)


class Publisher:
    """The output folder ``out``, written with ``layout`` (None: the dataset's own, else flat)."""

    def __init__(self, out: Path, layout: str | None = None) -> None:
        self.store = Store(out, VIEWS, layout)
        self.store.check()  # an older output folder is refused before any input is read
        written = self.store.written_layout()
        if layout is not None and written is not None and layout != written:
            raise OutputError(
                f"cannot write to {out}: it holds a dataset with layout {written!r}, not {layout!r}; use another --out"
            )
        self.layout = layout or written or LAYOUTS[0]
        self.store.layout = self.layout

    def staging(self) -> AbstractContextManager[Path]:
        """A folder where this run's workers stage files (removed at the end of the block)."""
        return self.store.staging()

    def publish(self, items: Sequence[Prepared]) -> list[Published]:
        """Publish ``items`` as one snapshot, later items of one notice replacing earlier ones.

        Their staged files are removed afterwards, published or not.
        """
        published: list[Published] = []

        def build(current: Path | None) -> Changes:
            published.clear()
            stored = _stored_documents(current)
            changes: dict[str, dict[str, bytes | Path]] = {}
            latest: dict[str, dict[str, Any]] = {}
            for item in items:
                key = item.notice_id
                previous = latest.get(key) or (_read_document(stored[key]) if key in stored else None)
                kept = keeps(previous, item.document)
                if previous is not None and kept is not None:  # nothing published for this file
                    published.append(Published(key, None, previous.get("source_files") or "", kept))
                    continue
                files = dict(item.files)
                document = item.document
                if previous is not None:  # the notice is in the dataset: its documents row names every file
                    document = merged(item.document, previous)
                    files.update(render(key, {"documents": [document]}, self.layout, document["year"], ("documents",)))
                changes[key] = files
                latest[key] = document
                replaced = previous["source_file"] if previous and previous["doc_id"] != item.doc_id else None
                published.append(Published(key, replaced, document["source_files"]))
            return changes

        try:
            if items:
                self.store.update(build)
        finally:
            for item in items:
                for value in item.files.values():
                    if isinstance(value, Path):
                        with contextlib.suppress(OSError):
                            value.unlink()
        return published

    def remove(self, keys: Sequence[str]) -> None:
        self.store.commit(dict.fromkeys(keys))


def keeps(previous: dict[str, Any] | None, document: dict[str, Any]) -> str | None:
    """Why the stored copy of a notice stays rather than be replaced by ``document``'s file, if it does.

    A later copy replaces an earlier one, except a worse one: a copy read by OCR
    never replaces one read from text, and a copy with fewer than half the
    tasks (the first page of a scan, a truncated download) never replaces a
    whole one. ``pipeline rm`` the notice first to replace it anyway.

    >>> keeps({"source_file": "a.txt", "source_format": "text", "task_count": 125},
    ...       {"source_format": "scan", "task_count": 125})
    'an OCR copy: the copy read from a.txt is kept'
    >>> keeps({"source_file": "a.txt", "source_format": "text", "task_count": 125},
    ...       {"source_format": "pdf", "task_count": 3})
    'a partial copy? 3 tasks against 125 in a.txt, which is kept'
    """
    if previous is None:
        return None
    name = previous.get("source_file")
    if document.get("source_format") in OCR_FORMATS and previous.get("source_format") not in OCR_FORMATS:
        return f"an OCR copy: the copy read from {name} is kept"
    before, now = previous.get("task_count") or 0, document.get("task_count") or 0
    if now < before * PARTIAL:
        return f"a partial copy? {now} tasks against {before} in {name}, which is kept"
    return None


def merged(document: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """``document`` with the source files of the notice's earlier file added before its own.

    >>> merged({"source_file": "a.pdf"}, {"source_file": "a.txt", "source_files": "a.docx; a.txt"})
    {'source_file': 'a.pdf', 'source_files': 'a.docx; a.txt; a.pdf'}
    >>> merged({"source_file": "a.txt"}, {"source_file": "a.txt", "source_files": "a.txt"})["source_files"]
    'a.txt'
    """
    names: list[str] = []
    if previous is not None:
        listed = previous.get("source_files") or previous.get("source_file") or ""
        names = [name for name in listed.split(SEPARATOR) if name]
    if document["source_file"] not in names:
        names.append(document["source_file"])
    return {**document, "source_files": SEPARATOR.join(names)}


def _stored_documents(snapshot: Path | None) -> dict[str, Path]:
    """The documents file of every key in ``snapshot`` (one listing per commit, not one per file)."""
    if snapshot is None:
        return {}
    found: dict[str, Path] = {}
    for top, dirs, names in os.walk(snapshot / "documents"):
        dirs.sort()
        for name in names:
            if name.endswith(".parquet"):
                found[name.removesuffix(".parquet")] = Path(top) / name
    return found


def _read_document(path: Path) -> dict[str, Any] | None:
    """The documents row of one file; None when unreadable (then replaced as if new)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with path.open("rb") as raw, pq.ParquetFile(raw) as handle:  # a file object: any path bytes
            rows = handle.read().to_pylist()
    except (OSError, pa.ArrowException):
        return None
    return rows[0] if rows else None


class Batcher:
    """Collects prepared files in input order and publishes them a group at a time.

    ``add`` (and ``tick``, called while waiting) publishes the pending group
    when the last commit is long enough ago; ``flush`` publishes what is left. ``on_published(index, published)`` is called
    for each item once it is in the dataset, or ``on_failed(index, error)`` when
    its commit failed.
    """

    def __init__(
        self, publisher: Publisher, on_published: Callable[[int, Published], None],
        on_failed: Callable[[int, OutputError], None],
    ) -> None:  # fmt: skip
        self.publisher = publisher
        self.on_published = on_published
        self.on_failed = on_failed
        self.pending: list[tuple[int, Prepared]] = []
        self.last = time.monotonic()
        self.cost = 0.0

    def add(self, index: int, item: Prepared) -> None:
        self.pending.append((index, item))
        self.tick()

    def tick(self) -> None:
        """Publish the pending group if the last commit is long enough ago."""
        if self.pending and time.monotonic() - self.last >= max(MIN_GAP, COST_RATIO * self.cost):
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        group, self.pending = self.pending, []
        start = time.monotonic()
        with signals_held():  # published and reported, or neither: Ctrl-C lands after both
            try:
                published = self.publisher.publish([item for _, item in group])
            except OutputError as exc:
                for index, _ in group:
                    self.on_failed(index, exc)
            else:
                for (index, _), done in zip(group, published, strict=True):
                    self.on_published(index, done)
        self.last = time.monotonic()
        self.cost = self.last - start
