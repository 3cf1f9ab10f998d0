"""The snapshot folders of a store: the next one built from a spare, switched in by one rename.

A snapshot is a folder of hard links: ``<table>/<key>.parquet`` (or deeper,
``<table>/year=2021/<key>.parquet``), the files themselves shared with the
other snapshots and never changed once written. The store keeps three::

    .store/snapshots/000042   current (.store/current links to it)
                     000041   the one before: readers that started in it may still be there
                     000040   a spare: the next commit makes it the next snapshot

Building the next snapshot from nothing costs a link per file of the dataset
(1.4 s for a one-notice commit into 5,000 notices, 50,000 files). Building it
from the spare costs a listing of both folders and a link or unlink per file
that differs, the few files of the last two commits and this one
(:func:`mirror`: the same file is the same inode). The spare is renamed to
``.building-<n>`` first, so a reader still in it gets "no such file" rather
than a snapshot that changes under it; a commit killed midway leaves that
folder, and the next commit builds from it like from a spare.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator, Mapping, Set
from pathlib import Path

KEEP = 2  # snapshots readers may be in: the current one and the one before
SPARES = 1  # older snapshots kept to build the next one from
BUILDING = ".building-"
WIDTH = 6

Files = Mapping[str, "bytes | Path"]  # relative path inside a snapshot -> its bytes or a staged file


def key_of(name: str) -> str:
    """The key of a file: its name up to the first dot.

    >>> key_of("ca4c2153adb16270.parquet"), key_of("doc-814aa2ce3d9bb1b2.ca4c2153adb16270")
    ('ca4c2153adb16270', 'doc-814aa2ce3d9bb1b2')
    """
    return name.split(".", 1)[0]


def files_under(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, in sorted order."""
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            yield Path(top) / name


def numbered(snapshots: Path) -> list[Path]:
    """The finished snapshots, oldest first."""
    return sorted((p for p in snapshots.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))


def start(snapshots: Path, current: Path | None) -> tuple[Path, int]:
    """The folder to build the next snapshot in, and its number.

    It is a commit's leftover or a spare (neither the current snapshot nor
    the one before it), renamed; else a new folder. Other leftovers are removed.
    """
    done = numbered(snapshots)
    number = int(done[-1].name) + 1 if done else 1
    building = snapshots / f"{BUILDING}{number:0{WIDTH}d}"
    leftovers = sorted(p for p in snapshots.iterdir() if p.name.startswith(BUILDING))
    spares = [p for p in done if p not in _protected(done, current)]
    reuse = (leftovers or spares or [None])[-1]  # type: ignore[list-item]
    for path in leftovers:
        if path != reuse:
            shutil.rmtree(path, ignore_errors=True)
    if reuse is None:
        building.mkdir()
    elif reuse != building:
        os.rename(reuse, building)
    return building, number


def finish(building: Path, number: int) -> Path:
    final = building.with_name(f"{number:0{WIDTH}d}")
    os.rename(building, final)
    return final


def collect(snapshots: Path, current: Path) -> None:
    """Remove the snapshots beyond the current one, the one before it and the spares."""
    done = numbered(snapshots)
    protected = _protected(done, current)
    spares = [p for p in done if p not in protected][-SPARES:] if SPARES else []
    for path in done:
        if path not in protected and path not in spares:
            shutil.rmtree(path, ignore_errors=True)


def _protected(done: list[Path], current: Path | None) -> list[Path]:
    """The current snapshot and the newest one before it (readers may still be in either)."""
    if current is None:
        return []
    before = [p for p in done if int(p.name) < int(current.name)]
    return [current, *before[-(KEEP - 1) :]] if KEEP > 1 else [current]


def mirror(source: Path | None, target: Path, skip: Set[str]) -> bool:
    """Make ``target`` hold every file under ``source`` (hard links) but those of the ``skip`` keys.

    A file ``target`` holds already stays when it is the same file (inode);
    any other entry is removed, and folders left empty too. Returns whether
    ``target`` is empty. Paths are strings here: a ``Path`` per file cost
    more than the listing.
    """
    return _mirror(None if source is None else os.fspath(source), os.fspath(target), skip)


def _mirror(source: str | None, target: str, skip: Set[str]) -> bool:
    wanted = _listing(source) if source is not None else {}
    held = _listing(target)
    kept: set[str] = set()
    for name, (is_dir, inode) in held.items():
        want = wanted.get(name)
        if is_dir:
            if want is not None and want[0]:
                kept.add(name)
            else:
                shutil.rmtree(os.path.join(target, name))
        elif want is not None and not want[0] and want[1] == inode and name.split(".", 1)[0] not in skip:
            kept.add(name)
        else:
            os.unlink(os.path.join(target, name))
    empty = True
    for name, (is_dir, _) in wanted.items():
        assert source is not None
        if is_dir:
            path = os.path.join(target, name)
            if name not in kept:
                os.mkdir(path)
            if _mirror(os.path.join(source, name), path, skip):
                os.rmdir(path)
            else:
                empty = False
        elif name in kept:
            empty = False
        elif name.split(".", 1)[0] not in skip:
            link(Path(source, name), Path(target, name))
            empty = False
    return empty


def _listing(folder: str) -> dict[str, tuple[bool, int]]:
    """Each entry of ``folder``: (is a folder, inode of a file).

    Inodes come from the folder listing itself (no ``stat`` per file), after
    checking on one file that the file system reports them truly there.
    """
    listing: dict[str, tuple[bool, int]] = {}
    trusted: bool | None = None
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                listing[entry.name] = (True, 0)
                continue
            if trusted is None:
                trusted = entry.inode() == entry.stat(follow_symlinks=False).st_ino
            listing[entry.name] = (False, entry.inode() if trusted else entry.stat(follow_symlinks=False).st_ino)
    return listing


def add(building: Path, changes: Mapping[str, Files | None]) -> None:
    """Write or link the new files of ``changes`` into ``building``."""
    made: set[Path] = set()
    for files in changes.values():
        for relative, data in (files or {}).items():
            target = building / relative
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.unlink(missing_ok=True)  # never write through a link into a file other snapshots share
            if isinstance(data, Path):
                link(data, target)
            else:
                target.write_bytes(data)


def link(path: Path, destination: Path) -> None:
    try:
        os.link(path, destination)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EMLINK, errno.EXDEV, errno.ENOTSUP, errno.EACCES):
            raise
        shutil.copyfile(path, destination)  # an immutable file, or a file system without links
