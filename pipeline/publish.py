"""Publishing prepared notices into an output folder: in the order given, a group per snapshot.

Files are named by ``notice_id``, so a second file of a notice already in the
dataset (another format, a re-download, a corrected re-issue) replaces its
files; the replaced file's name is reported, and ``documents.source_files``
lists every file ingested for the notice, in ingest order. All of it is worked
out from the snapshot being replaced, under the store's lock (two ``ingest``
runs into one folder never lose each other's file names). The documents table
is rendered again here when the notice was there before; every other table
arrives rendered (and staged, from a worker). Three cases keep a file from
replacing what a notice holds:

* a worse copy (read by OCR, or with fewer than half the tasks) does not
  replace the notice: it is skipped, and said so (:func:`worse_copy`);
* a copy whose tasks barely overlap the stored copy's is not the same notice
  (a title repeated by a different list): it is published as a notice of its
  own, under its ``doc_id``, with a warning (:mod:`pipeline.overlap`);
* the same file stored under another notice key (ingested before a rules
  change gave it another ``notice_id``) loses that key in the same snapshot:
  one file is never two notices. Which key holds which file is kept in the
  snapshot as empty marker files, ``_docs/doc-<doc_id>.<key>`` (a folder no
  reader sees), so the question costs one listing, not a read per notice.

A batch publishes finished files in input order, several per commit: a commit
lists every file of the dataset (:mod:`pipeline.snapshots`), so publishing one
snapshot per file would make a large batch slow.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.errors import OutputError
from pipeline.ingest import Prepared
from pipeline.names import join_names, split_names
from pipeline.overlap import SAME_NOTICE, shared
from pipeline.schema import row
from pipeline.store import Changes, Store
from pipeline.write import LAYOUTS, NULL_PARTITION, VIEWS, render

PARTIAL = 0.5  # a copy with fewer than this share of the stored copy's tasks does not replace it
OCR_FORMATS = frozenset({"scan"})
MARKERS = "_docs"  # the snapshot folder of marker files: which key holds which file
MIN_GAP = 0.5  # seconds between two commits of a batch at least ...
COST_RATIO = 10  # ... and this many times the last commit's own duration

Row = dict[str, Any]
UNKNOWN_YEAR = (
    f"year unknown: written under year={NULL_PARTITION}, which a plain pandas.read_parquet of the folder"
    " cannot read (give the year's type: README, Year partitions)"
)


@dataclass(frozen=True)
class Published:
    notice_id: str  # the key the file's rows are under (its doc_id when it is a notice of its own)
    replaced: str | None  # the file whose rows were replaced (another file of the notice), if any
    source_files: str
    kept: str | None = None  # why the notice's earlier rows were kept instead (then nothing was published)
    dropped: str | None = None  # "<key> (<file>)": where this file's rows were before, under another notice key
    own: str | None = None  # why this file is a notice of its own rather than the notice its title names
    note: str | None = None  # what a reader of the dataset should know about where the rows are


class Publisher:
    """The output folder ``out``, written with ``layout`` (None: the dataset's own, else flat)."""

    def __init__(self, out: Path, layout: str | None = None, on_wait: Callable[[], None] | None = None) -> None:
        self.store = Store(out, VIEWS, layout, on_wait)
        self.store.check()  # an older output folder is refused before any input is read
        written = self.store.written_layout()
        if layout is not None and written is not None and layout != written:
            raise OutputError(
                f"cannot write to {out}: it holds a dataset with layout {written!r}, not {layout!r}; use another --out"
            )
        self.layout = layout or written or LAYOUTS[0]
        self.store.layout = layout or written  # None: a new dataset takes this one, or the one another run claims

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A folder where this run's workers stage files (removed at the end of the block).

        The dataset's layout is settled first: written now for a new dataset,
        so that a second run asking for another layout is refused before it
        reads anything, and one asking for none renders in this one.
        """
        self.layout = self.store.claim()
        with self.store.staging() as folder:
            yield folder

    def publish(
        self, items: Sequence[Prepared], done: Callable[[list[Published]], None] | None = None
    ) -> list[Published]:
        """Publish ``items`` as one snapshot, later items of one notice replacing earlier ones.

        ``done(published)`` is called once they are in the dataset, with Ctrl-C
        and SIGTERM held (see :meth:`Store.update`). Their staged files are
        removed afterwards, published or not.
        """
        published: list[Published] = []

        def build(current: Path | None) -> Changes:
            group = _Group(_Stored(current), self.layout)
            published[:] = [group.place(item) for item in items]
            return group.changes

        self.store.layout = self.layout  # the layout the files were rendered in: the dataset's, or refused
        try:
            if items:
                self.store.update(build, None if done is None else lambda: done(published))
        finally:
            for item in items:
                for value in item.files.values():
                    if isinstance(value, Path):
                        with contextlib.suppress(OSError):
                            value.unlink()
        return published

    def remove(self, keys: Sequence[str], done: Callable[[], None] | None = None) -> None:
        """Publish a snapshot without the notices ``keys``; ``done()`` as for :meth:`publish`."""

        def build(current: Path | None) -> Changes:
            stored = _Stored(current)
            changes: dict[str, Any] = dict(stored.upgrades)
            for key in keys:
                changes[key] = None
                for doc_id in [d for d, holders in stored.holders.items() if key in holders]:
                    changes[_marker_key(doc_id)] = None
            return changes

        self.store.update(build, done)


class _Stored:
    """What the snapshot being replaced holds: each notice's documents file, and which notice holds each file.

    A notice stored by an older version has no marker: its documents row is
    read once, and ``upgrades`` adds the marker in this commit.
    """

    def __init__(self, snapshot: Path | None) -> None:
        self.documents: dict[str, str] = {}  # key -> its documents file
        self.holders: dict[str, list[str]] = {}  # doc_id -> the key holding its rows (two: a dataset of an older version)
        self.upgrades: dict[str, dict[str, bytes | Path]] = {}
        self._rows: dict[str, Row | None] = {}
        self.snapshot = snapshot
        if snapshot is None:
            return
        for top, dirs, names in os.walk(snapshot / "documents"):
            dirs.sort()
            for name in names:
                if name.endswith(".parquet"):
                    self.documents[name[: -len(".parquet")]] = os.path.join(top, name)
        with contextlib.suppress(FileNotFoundError), os.scandir(snapshot / MARKERS) as markers:
            for entry in markers:
                marker, _, key = entry.name.partition(".")
                self.holders.setdefault(marker.removeprefix("doc-"), []).append(key)
        marked = {key for keys in self.holders.values() for key in keys}
        for key in sorted(set(self.documents) - marked):
            document = self.document(key)
            if document is not None:
                doc_id = str(document["doc_id"])
                self.holders.setdefault(doc_id, []).append(key)
                if len(self.holders[doc_id]) == 1:
                    self.upgrades.update(_marker(doc_id, key))

    def document(self, key: str) -> Row | None:
        """The stored documents row of notice ``key``; None when it has none (or it cannot be read)."""
        if key not in self._rows:
            path = self.documents.get(key)
            rows = _read(Path(path), ["*"]) if path else []
            self._rows[key] = rows[0] if rows else None
        return self._rows[key]

    def task_texts(self, key: str) -> list[str]:
        """The task texts of notice ``key`` (its tasks file sits where its documents file does)."""
        path = self.documents.get(key)
        if path is None or self.snapshot is None:
            return []
        tasks = self.snapshot / "tasks" / Path(path).relative_to(self.snapshot / "documents")
        return [str(r["text"] or "") for r in _read(tasks, ["text"])]


@dataclass(frozen=True)
class _Copy:
    """A copy of a notice already in the dataset, or published earlier in this group."""

    document: Row
    texts: Callable[[], Sequence[str]]  # its task texts, read when compared


class _Group:
    """The changes of one snapshot, item by item in input order (a later copy of a notice replacing an earlier)."""

    def __init__(self, stored: _Stored, layout: str) -> None:
        self.stored = stored
        self.layout = layout
        self.changes: dict[str, Any] = dict(stored.upgrades)
        self.latest: dict[str, _Copy] = {}  # key -> what this group published there

    def previous(self, key: str) -> _Copy | None:
        """What notice ``key`` holds before the item being placed."""
        if key in self.latest:
            return self.latest[key]
        if self.changes.get(key, ...) is None:
            return None  # dropped earlier in this group
        document = self.stored.document(key)
        return None if document is None else _Copy(document, lambda: self.stored.task_texts(key))

    def place(self, item: Prepared) -> Published:
        key = item.notice_id
        previous = self.previous(key)
        if previous is not None and (why := worse_copy(previous.document, item.document, ocr_only=True)):
            return Published(key, None, previous.document.get("source_files") or "", kept=why)
        own = None
        if previous is not None and (share := shared(item.task_texts, previous.texts())) < SAME_NOTICE:
            own = (
                f"not the notice {key} holds ({share:.0%} of the tasks alike, with {previous.document.get('source_file')}):"
                f" a notice of its own, {item.doc_id}"
            )
            key = item.doc_id
            previous = self.previous(key)
        if previous is not None and (why := worse_copy(previous.document, item.document)):
            return Published(key, None, previous.document.get("source_files") or "", kept=why)
        earlier = [previous.document] if previous is not None else []
        dropped = self._drop_stale(item.doc_id, key, earlier)
        document = {**merged(item.document, *earlier), "notice_id": key}
        files = _renamed(item.files, item.notice_id, key)
        tables: dict[str, list[Row]] = {}
        if earlier or own or dropped or key != item.notice_id:
            tables["documents"] = [document]
        if own:
            warnings = [row("warnings", doc_id=item.doc_id, stage=s, where=w, what=t) for s, w, t in item.warnings]
            warnings.append(row("warnings", doc_id=item.doc_id, stage="identity", where="title", what=own))
            document["warning_count"] = len(warnings)
            tables["warnings"] = warnings
        if tables:
            files.update(render(key, tables, self.layout, document["year"], tuple(tables)))
        self.changes[key] = files
        self.changes.update(_marker(item.doc_id, key))
        if previous is not None and previous.document["doc_id"] != item.doc_id:
            self.changes[_marker_key(str(previous.document["doc_id"]))] = None
        texts = item.task_texts
        self.latest[key] = _Copy(document, lambda: texts)
        replaced = previous.document["source_file"] if previous and previous.document["doc_id"] != item.doc_id else None
        note = UNKNOWN_YEAR if self.layout == "year" and document["year"] is None else None
        return Published(key, replaced, document["source_files"], dropped=dropped, own=own, note=note)

    def _drop_stale(self, doc_id: str, key: str, earlier: list[Row]) -> str | None:
        """Drop the other notice keys holding this very file (earlier identities of it), if any."""
        dropped = []
        for stale in self.stored.holders.get(doc_id, []):
            if stale == key or stale in self.latest or self.changes.get(stale, ...) is None:
                continue
            document = self.stored.document(stale)
            if document is None:
                continue
            self.changes[stale] = None
            earlier.append(document)
            dropped.append(f"{stale} ({document.get('source_file')})")
        return ", ".join(dropped) or None


def worse_copy(previous: Row, document: Row, ocr_only: bool = False) -> str | None:
    """Why the stored copy of a notice stays rather than be replaced by ``document``'s file, if it does.

    A later copy replaces an earlier one, except a worse one: a copy read by OCR
    never replaces one read from text, and a copy with fewer than half the
    tasks (the first page of a scan, a truncated download) never replaces a
    whole one. ``pipeline rm`` the notice first to replace it anyway.

    >>> worse_copy({"source_file": "a.txt", "source_format": "text", "task_count": 125},
    ...            {"source_format": "scan", "task_count": 125})
    'an OCR copy: the copy read from a.txt is kept'
    >>> worse_copy({"source_file": "a.txt", "source_format": "text", "task_count": 125},
    ...            {"source_format": "pdf", "task_count": 3})
    'a partial copy? 3 tasks against 125 in a.txt, which is kept'
    """
    name = previous.get("source_file")
    if document.get("source_format") in OCR_FORMATS and previous.get("source_format") not in OCR_FORMATS:
        return f"an OCR copy: the copy read from {name} is kept"
    before, now = previous.get("task_count") or 0, document.get("task_count") or 0
    if not ocr_only and now < before * PARTIAL:
        return f"a partial copy? {now} tasks against {before} in {name}, which is kept"
    return None


def merged(document: Row, *earlier: Row) -> Row:
    """``document`` with the source files of the notice's earlier files listed before its own.

    >>> merged({"source_file": "a.pdf"}, {"source_file": "a.txt", "source_files": "a.docx; a.txt"})
    {'source_file': 'a.pdf', 'source_files': 'a.docx; a.txt; a.pdf'}
    >>> merged({"source_file": "a.txt"}, {"source_file": "a.txt", "source_files": "a.txt"})["source_files"]
    'a.txt'
    """
    names: list[str] = []
    for previous in earlier:
        listed = previous.get("source_files")
        for name in split_names(listed) if listed else [str(previous.get("source_file") or "")]:
            if name and name not in names:
                names.append(name)
    if document["source_file"] not in names:
        names.append(document["source_file"])
    return {**document, "source_files": join_names(names)}


def _marker_key(doc_id: str) -> str:
    return f"doc-{doc_id}"


def _marker(doc_id: str, key: str) -> dict[str, dict[str, bytes | Path]]:
    """The change that records ``key`` as the notice holding the file ``doc_id``."""
    return {_marker_key(doc_id): {f"{MARKERS}/{_marker_key(doc_id)}.{key}": b""}}


def _renamed(files: dict[str, bytes | Path], old: str, new: str) -> dict[str, bytes | Path]:
    """``files`` of key ``old`` named for key ``new``."""
    if old == new:
        return dict(files)
    return {str(PurePosixPath(rel).with_stem(new)): data for rel, data in files.items()}


def _read(path: Path, columns: list[str]) -> list[Row]:
    """The rows of one Parquet file (``["*"]``: every column); none when it cannot be read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with path.open("rb") as raw, pq.ParquetFile(raw) as handle:  # a file object: any path bytes
            names = handle.schema_arrow.names
            return handle.read(columns=None if columns == ["*"] else [c for c in columns if c in names]).to_pylist()
    except (OSError, pa.ArrowException):
        return []


class Batcher:
    """Collects prepared files in input order and publishes them a group at a time.

    ``add`` (and ``tick``, called while waiting) publishes the pending group
    when the last commit is long enough ago; ``flush`` publishes what is left.
    ``on_published(index, published)`` is called for each item once it is in
    the dataset (with signals held: published and reported, or neither), or
    ``on_failed(index, error)`` when its commit failed.
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

        def report(published: list[Published]) -> None:
            for (index, _), done in zip(group, published, strict=True):
                self.on_published(index, done)

        try:
            self.publisher.publish([item for _, item in group], report)
        except OutputError as exc:
            for index, _ in group:
                self.on_failed(index, exc)
        self.last = time.monotonic()
        self.cost = self.last - start
