"""The output folder as a store of whole snapshots, switched by one atomic rename.

A reader of the output (pandas, DuckDB, ``pipeline list``) must never see half
a document: new tasks beside an old documents row, or targets of a notice that
failed. Renaming a document's files into place one by one cannot promise that,
so the output folder is laid out as snapshots::

    DIR/
      documents -> .store/current/documents      (symbolic links, made once)
      tasks     -> .store/current/tasks
      ...
      csv       -> .store/current/csv
      .store/
        current -> snapshots/000042               (switched by one rename)
        snapshots/000041/ …                       (the previous one, for readers still in it)
        snapshots/000042/<table>/<key>.parquet
                         csv/<table>/<key>.csv
        layout.json                               (the partitioning the dataset was written with)
        lock                                      (held while a commit runs)
        staging/run-…/ , run-….lock               (files made by a running ingest, not yet published)

A commit builds the next snapshot beside the current one: every file of the
current snapshot is hard-linked into it (no copy, no extra space) except the
files of the keys being replaced or removed, the new files are written, and
then ``current`` is switched to it with one ``rename``. Whatever happens
before that rename (an error, a full disk, Ctrl-C, a kill), readers see the
old snapshot whole; after it, the new one whole. Debris of an interrupted
commit is removed by the next one. Commits are serialised with ``flock``, so
two ``ingest`` runs into one folder never lose each other's documents.

A *key* is the stem of a document's files (``<key>.parquet``); the store does
not know what it means. A file to publish is given as its bytes or as a file
staged earlier (:func:`stage`, by a worker process: creating files is the
costly part of a commit on a busy disk, and workers do it in parallel); a
staged file is hard-linked into the snapshot. Each run stages into a folder of
its own, locked while the run lives: the next run removes the folders of runs
that died. :meth:`Store.update` computes the changes while
holding the lock, from the snapshot they will replace (what a key held before).
Ctrl-C and SIGTERM are held while a commit runs (in the main thread) and
delivered right after it, so a commit the caller sees interrupted did not
happen, and one it sees finish did.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import json
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pipeline.errors import OutputError

STORE = ".store"
KEEP = 2  # snapshots kept: the current one and the one before (readers may still be in it)
_WIDTH = 6

# Files of one key: relative path inside a snapshot -> its bytes or a staged file; None removes the key.
Files = Mapping[str, "bytes | Path"]
Changes = Mapping[str, Files | None]
STAGING = "staging"
LAYOUT_FILE = "layout.json"


class Store:
    """The output folder ``root``; ``views`` are the top-level names linked into the snapshot.

    ``layout`` is checked against the one the dataset was created with (None:
    whichever it was created with, ``flat`` for a new one).
    """

    def __init__(self, root: Path, views: tuple[str, ...], layout: str | None = "flat") -> None:
        self.root = root
        self.views = views
        self.layout = layout
        self.meta = root / STORE

    # -- reading ---------------------------------------------------------------

    def current(self) -> Path | None:
        """The current snapshot folder, or None before the first commit."""
        link = self.meta / "current"
        if not link.is_symlink():
            return None
        target = self.meta / os.readlink(link)
        return target if target.is_dir() else None

    def keys(self) -> set[str]:
        """Every key with files in the current snapshot."""
        snapshot = self.current()
        return {_key(path.name) for path in _files(snapshot)} if snapshot else set()

    def written_layout(self) -> str | None:
        """The layout the dataset was created with; None before its first commit."""
        try:
            return str(json.loads((self.meta / LAYOUT_FILE).read_text(encoding="utf-8"))["layout"])
        except (FileNotFoundError, NotADirectoryError):
            return None  # a new dataset (or no folder at all: the commit will say so)
        except OSError as exc:
            raise OutputError(f"cannot write to {self.root}: {STORE}/{LAYOUT_FILE}: {exc.strerror or exc}") from None
        except (ValueError, KeyError, TypeError):
            raise OutputError(f"cannot write to {self.root}: {STORE}/{LAYOUT_FILE} is damaged") from None

    # -- writing ---------------------------------------------------------------

    def commit(self, changes: Changes) -> None:
        """Publish ``changes`` (key -> its new files, or None to remove it) as the next snapshot."""
        if changes:
            self.update(lambda current: changes)

    def update(self, build: Callable[[Path | None], Changes]) -> None:
        """Publish what ``build(current snapshot folder or None)`` returns, computed under the lock."""
        try:
            with signals_held():
                self._prepare()
                with self._locked():
                    self._check_layout()
                    current = self.current()
                    changes = build(current)
                    if changes:
                        self._commit(current, changes)
        except OSError as exc:
            raise OutputError(f"cannot write to {self.root}: {exc.strerror or exc}") from None

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A folder for this run's staged files (see :func:`stage`), removed when the block ends.

        Staging folders of runs that died (their lock free) are removed first.
        """
        folder = self.meta / STAGING
        try:
            self._prepare()
            folder.mkdir(exist_ok=True)
            _clear_dead_runs(folder)
            run = folder / f"run-{os.getpid()}-{os.urandom(4).hex()}"
            lock = _locked_file(run.with_name(f"{run.name}.lock"))  # the lock first: a folder is never unlocked
            run.mkdir()
        except OSError as exc:
            raise OutputError(f"cannot write to {self.root}: {exc.strerror or exc}") from None
        try:
            yield run
        finally:
            shutil.rmtree(run, ignore_errors=True)
            with contextlib.suppress(OSError):
                run.with_name(f"{run.name}.lock").unlink()
            lock.close()
            with contextlib.suppress(OSError):
                folder.rmdir()  # when no other run stages

    def check(self) -> None:
        """Refuse, before anything is read, a folder this store cannot write to."""
        for view in self.views:
            path = self.root / view
            if (path.exists() or path.is_symlink()) and not self._is_our_link(path):
                raise OutputError(
                    f"cannot write to {self.root}: {view}/ is not this pipeline's output"
                    " (written by an older version?); move it away or choose another --out"
                )

    def _prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.check()
        (self.meta / "snapshots").mkdir(parents=True, exist_ok=True)

    def _is_our_link(self, path: Path) -> bool:
        return path.is_symlink() and os.readlink(path) == f"{STORE}/current/{path.name}"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.meta / "lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _commit(self, current: Path | None, changes: Changes) -> None:
        # The views are made before the first switch: until then they lead nowhere,
        # and the switch makes every table appear at once.
        for view in self.views:
            link = self.root / view
            if not link.is_symlink():
                link.symlink_to(f"{STORE}/current/{view}", target_is_directory=True)
        snapshots = self.meta / "snapshots"
        _clear_debris(snapshots)
        number = max((int(p.name) for p in snapshots.iterdir() if p.name.isdigit()), default=0) + 1
        building = snapshots / f".building-{number:0{_WIDTH}d}"
        try:
            building.mkdir()
            made: set[Path] = set()
            if current is not None:
                _link_tree(current, building, skip=set(changes), made=made)
            for files in changes.values():
                for relative, data in (files or {}).items():
                    target = building / relative
                    if target.parent not in made:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        made.add(target.parent)
                    if isinstance(data, Path):
                        _link(data, target)
                    else:
                        target.write_bytes(data)
            for view in self.views:
                (building / view).mkdir(exist_ok=True)
            final = snapshots / f"{number:0{_WIDTH}d}"
            building.rename(final)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _switch(self.meta / "current", f"snapshots/{final.name}")
        _collect_garbage(snapshots, keep=final.name)

    def _check_layout(self) -> None:
        written = self.written_layout()
        if written is None:
            self.layout = self.layout or "flat"
            path = self.meta / LAYOUT_FILE
            temporary = path.with_name(f".{LAYOUT_FILE}.new")
            temporary.write_text(json.dumps({"layout": self.layout}) + "\n", encoding="utf-8")
            os.replace(temporary, path)
            return
        if self.layout is None:
            self.layout = written
        elif written != self.layout:
            raise OutputError(
                f"cannot write to {self.root}: it holds a dataset with layout {written!r},"
                f" not {self.layout!r}; use another --out"
            )


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then deliver them.

    Python runs signal handlers in the main thread only, so elsewhere there is
    nothing to hold. A second Ctrl-C meanwhile is recorded too, never lost.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, lambda signum, frame: caught.append(signum)) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)


def _key(name: str) -> str:
    return name.split(".", 1)[0]


def _files(folder: Path) -> Iterator[Path]:
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            yield Path(top) / name


def _link_tree(source: Path, target: Path, skip: set[str], made: set[Path]) -> None:
    """Hard-link every file under ``source`` into ``target`` except those of the ``skip`` keys."""
    for path in _files(source):
        if _key(path.name) in skip:
            continue
        destination = target / path.relative_to(source)
        if destination.parent not in made:
            destination.parent.mkdir(parents=True, exist_ok=True)
            made.add(destination.parent)
        _link(path, destination)


def _link(path: Path, destination: Path) -> None:
    try:
        os.link(path, destination)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EMLINK, errno.EXDEV, errno.ENOTSUP, errno.EACCES):
            raise
        shutil.copyfile(path, destination)  # an immutable file, or a file system without links


def stage(folder: Path, files: Mapping[str, bytes]) -> dict[str, Path]:
    """Write ``files`` into the run's staging ``folder``; their staged paths.

    Called by worker processes; the parent publishes the paths. The files are
    named by process and count, side by side (a folder per document would cost
    a dozen ``mkdir`` each). A problem is an :class:`OutputError` naming the
    output folder, and leaves no file behind.
    """
    root = folder.parent.parent.parent  # <root>/.store/staging/run-…
    prefix = f"{os.getpid()}-{next(_staged)}"
    staged: dict[str, Path] = {}
    try:
        for number, (relative, data) in enumerate(files.items()):
            path = folder / f"{prefix}-{number}"
            staged[relative] = path
            path.write_bytes(data)
    except BaseException as exc:
        for path in staged.values():
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write to {root}: {exc.strerror or exc}") from None
        raise
    return staged


_staged = itertools.count()


def _locked_file(path: Path) -> IO[bytes]:
    """``path`` created and locked: made under another name, locked, then renamed, so it is never seen unlocked."""
    temporary = path.with_name(f".{path.name}.new")
    handle = open(temporary, "wb")  # noqa: SIM115 - held open (and locked) while the run lives
    fcntl.flock(handle, fcntl.LOCK_EX)
    os.replace(temporary, path)
    return handle


def _clear_dead_runs(folder: Path) -> None:
    """Remove the staging folders of runs whose lock is free: they died (SIGKILL, power cut)."""
    for lock in [*folder.glob("run-*.lock"), *folder.glob(".run-*.lock.new")]:
        try:
            with open(lock, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if lock.suffix == ".lock":
                    shutil.rmtree(lock.with_suffix(""), ignore_errors=True)
                lock.unlink(missing_ok=True)
        except (BlockingIOError, FileNotFoundError):
            continue  # a live run, or one another run is clearing
    for run in folder.glob("run-*"):
        if run.is_dir() and not run.with_name(f"{run.name}.lock").exists():
            shutil.rmtree(run, ignore_errors=True)  # a clearing run died between the two steps above


def _switch(link: Path, target: str) -> None:
    """Point the symbolic link ``link`` at ``target`` with one atomic rename."""
    temporary = link.with_name(f".{link.name}.new")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target, target_is_directory=True)
    os.replace(temporary, link)


def _clear_debris(snapshots: Path) -> None:
    """Remove what an interrupted commit left (only called while holding the lock)."""
    for path in snapshots.iterdir():
        if path.name.startswith(".building-"):
            shutil.rmtree(path, ignore_errors=True)


def _collect_garbage(snapshots: Path, keep: str) -> None:
    """Remove snapshots but the newest ``KEEP`` up to ``keep`` (orphans of a killed commit too)."""
    numbered = sorted((p for p in snapshots.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))
    kept = [p for p in numbered if int(p.name) <= int(keep)][-KEEP:]
    for path in numbered:
        if path not in kept:
            shutil.rmtree(path, ignore_errors=True)
