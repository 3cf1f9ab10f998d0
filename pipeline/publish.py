"""Publishing prepared notices into an output folder: in the order given, a group per snapshot.

Files are named by ``notice_id``, so a second file of a notice already in the
dataset (another format, a re-download, a corrected re-issue) replaces its
files; the replaced file's name is reported, and ``documents.source_files``
lists every file ingested for the notice, in ingest order. Both are worked out
from the snapshot being replaced, under the store's lock (two ``ingest`` runs
into one folder never lose each other's file names). The documents table is
rendered here for that reason; every other table arrives rendered.

A batch publishes finished files in input order, several per commit: a commit
costs time in proportion to the files already in the dataset (each is linked
into the new snapshot), so publishing one snapshot per file would make a
large batch quadratic.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError
from pipeline.ingest import Prepared
from pipeline.store import Changes, Store, signals_held
from pipeline.write import LAYOUTS, VIEWS, render

SEPARATOR = "; "  # between the names in documents.source_files
MIN_GAP = 0.5  # seconds between two commits of a batch at least ...
COST_RATIO = 10  # ... and this many times the last commit's own duration


@dataclass(frozen=True)
class Published:
    notice_id: str
    replaced: str | None  # the file whose rows were replaced (another file of the notice), if any
    source_files: str


class Publisher:
    """The output folder ``out``, written with ``layout`` (None: the dataset's own, else flat)."""

    def __init__(self, out: Path, layout: str | None = None) -> None:
        self.store = Store(out, VIEWS, layout)
        written = self.store.written_layout()
        if layout is not None and written is not None and layout != written:
            raise OutputError(
                f"cannot write to {out}: it holds a dataset with layout {written!r}, not {layout!r}; use another --out"
            )
        self.layout = layout or written or LAYOUTS[0]
        self.store.layout = self.layout

    def publish(self, items: Sequence[Prepared]) -> list[Published]:
        """Publish ``items`` as one snapshot, later items of one notice replacing earlier ones."""
        published: list[Published] = []

        def build(current: Path | None) -> Changes:
            published.clear()
            changes: dict[str, dict[str, bytes]] = {}
            latest: dict[str, dict[str, Any]] = {}
            for item in items:
                key = item.notice_id
                previous = latest.get(key) or _stored_document(current, key)
                document = merged(item.document, previous)
                files = dict(item.files)
                files.update(render(key, {"documents": [document]}, self.layout, document["year"], ("documents",)))
                changes[key] = files
                latest[key] = document
                replaced = previous["source_file"] if previous and previous["doc_id"] != item.doc_id else None
                published.append(Published(key, replaced, document["source_files"]))
            return changes

        if items:
            self.store.update(build)
        return published

    def remove(self, keys: Sequence[str]) -> None:
        self.store.commit(dict.fromkeys(keys))


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


def _stored_document(snapshot: Path | None, key: str) -> dict[str, Any] | None:
    """The documents row published under ``key`` in ``snapshot``, if any."""
    if snapshot is None:
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    for path in sorted((snapshot / "documents").glob(f"**/{key}.parquet")):
        try:
            with path.open("rb") as raw, pq.ParquetFile(raw) as handle:  # a file object: any path bytes
                rows = handle.read().to_pylist()
        except (OSError, pa.ArrowException):
            return None  # unreadable: replaced without a word, as if new
        return rows[0] if rows else None
    return None


class Batcher:
    """Collects prepared files in input order and publishes them a group at a time.

    ``add`` publishes the pending group when the last commit is long enough ago;
    ``flush`` publishes what is left. ``on_published(index, published)`` is called
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
        if time.monotonic() - self.last >= max(MIN_GAP, COST_RATIO * self.cost):
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
