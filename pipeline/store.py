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
        snapshots/000042/<table>/<key>.parquet    (see pipeline/snapshots.py: the current
                         csv/<table>/<key>.csv     snapshot, the one before, a spare)
        layout.json                               (the partitioning the dataset was written with)
        lock                                      (held while the folder changes)
        staging/run-…/ , run-….lock               (files made by a running ingest, not yet published)

A commit builds the next snapshot beside the current one (hard links to its
files, but for the keys being replaced or removed; :mod:`pipeline.snapshots`),
adds the new files, and switches ``current`` to it with one ``rename``.
Whatever happens before that rename (an error, a full disk, Ctrl-C, a kill),
readers see the old snapshot whole; after it, the new one whole. What an
interrupted commit left is reused or removed by the next one. Everything that
changes the folder is serialised with the store's lock (:mod:`pipeline.locking`),
so two ``ingest`` runs into one folder never lose each other's documents.

A *key* is the stem of a document's files (``<key>.parquet``); the store does
not know what it means. A file to publish is given as its bytes or as a file
staged earlier (:func:`stage`, by a worker process: creating files is the
costly part of a commit on a busy disk, and workers do it in parallel); a
staged file is hard-linked into the snapshot. Each run stages into a folder of
its own, locked while the run lives: the next run removes the folders of runs
that died. :meth:`Store.update` computes the changes while holding the lock,
from the snapshot they will replace (what a key held before).

An output folder is never made inside another one (its tables would appear in
the outer dataset), and a run that published nothing removes what it made
(:meth:`Store.tidy`), under the lock, and only what is empty: never another
run's files.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pipeline import snapshots
from pipeline.errors import OutputError
from pipeline.locking import clear_dead_runs, lock_path, run_lock, signals_held
from pipeline.snapshots import KEEP, SPARES, Files, key_of

__all__ = ["KEEP", "SPARES", "STORE", "Changes", "Files", "Store", "is_output_folder", "signals_held", "stage"]

STORE = ".store"
Changes = Mapping[str, Files | None]  # key -> its files, or None to remove the key
STAGING = "staging"
LAYOUT_FILE = "layout.json"


def is_output_folder(folder: Path) -> bool:
    """Does ``folder`` hold an ingest output (its ``.store``)?"""
    return (folder / STORE).is_dir()


class Store:
    """The output folder ``root``; ``views`` are the top-level names linked into the snapshot.

    ``layout`` is checked against the one the dataset was created with (None:
    whichever it was created with, ``flat`` for a new one). ``on_wait()`` is
    called once when the lock is held by another process for over a second.
    """

    def __init__(
        self, root: Path, views: tuple[str, ...], layout: str | None = "flat",
        on_wait: Callable[[], None] | None = None,
    ) -> None:  # fmt: skip
        self.root = root
        self.views = views
        self.layout = layout
        self.on_wait = on_wait
        self.meta = root / STORE
        self.made: list[Path] = []  # folders this object created (outermost first): tidy() may remove them

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
        return {key_of(path.name) for path in snapshots.files_under(snapshot)} if snapshot else set()

    def written_layout(self) -> str | None:
        """The layout the dataset was created with; None before its first commit."""
        try:
            return str(json.loads((self.meta / LAYOUT_FILE).read_text(encoding="utf-8"))["layout"])
        except (FileNotFoundError, NotADirectoryError):
            return None  # a new dataset (or no folder at all: the commit will say so)
        except OSError as exc:
            raise self._error(f"{STORE}/{LAYOUT_FILE}: {exc.strerror or exc}") from None
        except (ValueError, KeyError, TypeError):
            raise self._error(f"{STORE}/{LAYOUT_FILE} is damaged") from None

    # -- writing ---------------------------------------------------------------

    def commit(self, changes: Changes, done: Callable[[], None] | None = None) -> None:
        """Publish ``changes`` (key -> its new files, or None to remove it) as the next snapshot."""
        self.update(lambda current: changes, done)

    def update(self, build: Callable[[Path | None], Changes], done: Callable[[], None] | None = None) -> None:
        """Publish what ``build(current snapshot folder or None)`` returns, computed under the lock.

        ``done()`` is called once the snapshot is switched (or when there was
        nothing to change), still under the lock and with Ctrl-C and SIGTERM
        held: what it reports has happened, and a signal lands after it.
        """
        with self._locked(), signals_held():
            try:
                self._claim_layout()
                current = self.current()
                changes = build(current)
                if changes:
                    self._commit(current, changes)
            except OSError as exc:
                raise self._error(exc.strerror or str(exc)) from None
            if done is not None:
                done()

    def claim(self) -> str:
        """The dataset's layout, written now if the dataset has none yet (under the lock); it is adopted
        when this store has none of its own, else a different one is an :class:`OutputError`."""
        with self._locked():
            self._claim_layout()
        assert self.layout is not None
        return self.layout

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A folder for this run's staged files (see :func:`stage`), removed when the block ends.

        Made and removed under the store's lock; the staging folders of runs
        that died (their lock free) are removed first.
        """
        folder = self.meta / STAGING
        run = folder / f"run-{os.getpid()}-{os.urandom(4).hex()}"
        with self._locked():
            try:
                folder.mkdir(exist_ok=True)
                clear_dead_runs(folder)
                lock = run_lock(run.with_name(f"{run.name}.lock"))  # the lock first: a folder is never unlocked
                run.mkdir()
            except OSError as exc:
                raise self._error(exc.strerror or str(exc)) from None
        stopped = False
        try:
            yield run
        except BaseException:
            stopped = True  # Ctrl-C or an error: no waiting for another run's commit to end first
            raise
        finally:
            try:
                shutil.rmtree(run, ignore_errors=True)  # its lock is held: no other run touches it
                with contextlib.suppress(OutputError), self._locked(wait=not stopped) as held:
                    if held:
                        with contextlib.suppress(OSError):
                            run.with_name(f"{run.name}.lock").unlink(missing_ok=True)
                            folder.rmdir()  # when no other run stages
            finally:
                lock.close()  # a run interrupted here is a dead run: the next one clears what is left

    def tidy(self, wait: bool = True) -> None:
        """Remove what this object made in the file system when nothing was ever published there.

        Under the lock, and only folders that are empty: another run staging
        or publishing into the folder meanwhile keeps it. Without ``wait``
        (after Ctrl-C), nothing is removed while another run holds the lock.
        """
        if not self.made:
            return
        with contextlib.suppress(OutputError), self._locked(wait) as held, contextlib.suppress(OSError):
            if not held or self.current() is not None:
                return
            if self.meta in self.made:
                for name in (LAYOUT_FILE, "lock"):  # the lock is held: see pipeline.locking
                    (self.meta / name).unlink(missing_ok=True)
                for folder in (self.meta / "snapshots", self.meta / STAGING, self.meta):
                    with contextlib.suppress(OSError):
                        folder.rmdir()
            for folder in reversed([p for p in self.made if p != self.meta]):
                folder.rmdir()  # not empty: stop (an OSError)

    def check(self) -> None:
        """Refuse, before anything is read, a folder this store cannot write to."""
        try:
            resolved = list(self.root.resolve().parents)
        except (OSError, RuntimeError):  # a link loop: the written path alone
            resolved = []
        parents = dict.fromkeys([*Path(os.path.abspath(self.root)).parents, *resolved])
        outer = next((p for p in parents if is_output_folder(p)), None)
        if outer is not None:
            raise self._error(f"it is inside the output folder {outer}; choose an --out outside it")
        for view in self.views:
            path = self.root / view
            if (path.exists() or path.is_symlink()) and not self._is_our_link(path):
                raise self._error(
                    f"{view}/ is not this pipeline's output (written by an older version?);"
                    " move it away or choose another --out"
                )

    def _error(self, why: str) -> OutputError:
        return OutputError(f"cannot write to {self.root}: {why}")

    def _prepare(self) -> None:
        try:
            self.made += [p for p in _make_folders(self.root) if p not in self.made]
            self.check()
            if _make_folder(self.meta) and self.meta not in self.made:
                self.made.append(self.meta)
            (self.meta / "snapshots").mkdir(exist_ok=True)
        except OSError as exc:
            raise self._error(exc.strerror or str(exc)) from None

    def _is_our_link(self, path: Path) -> bool:
        return path.is_symlink() and os.readlink(path) == f"{STORE}/current/{path.name}"

    @contextmanager
    def _locked(self, wait: bool = True) -> Iterator[bool]:
        """Hold the store's lock in the block (True); without ``wait``, False at once when another holds it."""
        try:
            handle = lock_path(self.meta / "lock", self._prepare, self.on_wait, wait)
        except OSError as exc:
            raise self._error(exc.strerror or str(exc)) from None
        try:
            yield handle is not None
        finally:
            if handle is not None:
                handle.close()  # releases the lock

    def _commit(self, current: Path | None, changes: Changes) -> None:
        # The views are made before the first switch: until then they lead nowhere,
        # and the switch makes every table appear at once.
        for view in self.views:
            link = self.root / view
            if not link.is_symlink():
                link.symlink_to(f"{STORE}/current/{view}", target_is_directory=True)
        folder = self.meta / "snapshots"
        building, number = snapshots.start(folder, current)
        try:
            snapshots.mirror(current, building, skip=set(changes))
            snapshots.add(building, changes)
            for view in self.views:
                (building / view).mkdir(exist_ok=True)
            final = snapshots.finish(building, number)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _switch(self.meta / "current", f"snapshots/{final.name}")
        snapshots.collect(folder, final)

    def _claim_layout(self) -> None:
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
            raise self._error(f"it holds a dataset with layout {written!r}, not {self.layout!r}; use another --out")


def _make_folder(path: Path) -> bool:
    """Make the folder ``path``; whether this call made it."""
    try:
        os.mkdir(path)
    except FileExistsError:
        if not path.is_dir():
            raise NotADirectoryError(20, "Not a directory", str(path)) from None
        return False
    return True


def _make_folders(path: Path) -> list[Path]:
    """Make ``path`` and its missing parents; those this call made, outermost first."""
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    return [folder for folder in reversed(missing) if _make_folder(folder)]


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


def _switch(link: Path, target: str) -> None:
    """Point the symbolic link ``link`` at ``target`` with one atomic rename."""
    temporary = link.with_name(f".{link.name}.new")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target, target_is_directory=True)
    os.replace(temporary, link)

