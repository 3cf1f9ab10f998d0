"""The snapshot store: every outcome a reader can see is a whole snapshot."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import snapshots, store
from pipeline.errors import OutputError

VIEWS = ("documents", "tasks", "csv")


def _files(key: str, version: str) -> dict[str, bytes]:
    return {
        f"documents/{key}.parquet": f"doc {key} {version}".encode(),
        f"tasks/{key}.parquet": f"tasks {key} {version}".encode(),
        f"csv/tasks/{key}.csv": f"csv {key} {version}".encode(),
    }


def _visible(root: Path) -> dict[str, bytes]:
    """What a reader sees through the top-level folders."""
    seen = {}
    for view in VIEWS:
        folder = root / view
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    seen[path.relative_to(root).as_posix()] = path.read_bytes()
    return seen


def _store(root: Path, layout: str = "flat") -> store.Store:
    return store.Store(root, VIEWS, layout)


def test_commit_publishes_through_the_top_level_folders(tmp_path: Path) -> None:
    _store(tmp_path).commit({"a": _files("a", "1"), "b": _files("b", "1")})
    assert _visible(tmp_path) == {**_files("a", "1"), **_files("b", "1")}
    assert sorted(p.name for p in (tmp_path / "documents").iterdir()) == ["a.parquet", "b.parquet"]


def test_replacing_a_key_keeps_the_others_and_removes_its_old_files(tmp_path: Path) -> None:
    s = _store(tmp_path)
    s.commit({"a": _files("a", "1"), "b": _files("b", "1")})
    s.commit({"a": {"documents/a.parquet": b"only documents now"}})
    assert _visible(tmp_path) == {**_files("b", "1"), "documents/a.parquet": b"only documents now"}
    s.commit({"b": None})
    assert _visible(tmp_path) == {"documents/a.parquet": b"only documents now"}
    assert s.keys() == {"a"}


def test_unchanged_files_are_hard_links_not_copies(tmp_path: Path) -> None:
    s = _store(tmp_path)
    s.commit({"a": _files("a", "1")})
    first = (tmp_path / "documents" / "a.parquet").resolve()
    s.commit({"b": _files("b", "1")})
    assert os.stat(first).st_ino == os.stat(tmp_path / "documents" / "a.parquet").st_ino


def test_three_snapshots_are_kept_the_current_the_one_before_and_a_spare(tmp_path: Path) -> None:
    s = _store(tmp_path)
    for n in range(5):
        s.commit({"a": _files("a", str(n))})
    assert sorted(p.name for p in (tmp_path / ".store" / "snapshots").iterdir()) == ["000003", "000004", "000005"]
    assert store.KEEP + store.SPARES == 3


def test_a_failed_write_leaves_the_old_snapshot_and_no_debris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = _store(tmp_path)
    s.commit({"a": _files("a", "1")})
    before = _visible(tmp_path)
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if "tasks" in self.parts:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        s.commit({"a": _files("a", "2")})
    assert _visible(tmp_path) == before
    assert [p.name for p in (tmp_path / ".store" / "snapshots").iterdir()] == ["000001"]


def test_a_file_that_cannot_be_linked_is_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An immutable file (chattr +i) cannot be hard-linked: EPERM."""
    s = _store(tmp_path)
    s.commit({"a": _files("a", "1")})

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(store.os, "link", refuse)
    s.commit({"b": _files("b", "1")})
    assert _visible(tmp_path) == {**_files("a", "1"), **_files("b", "1")}


def test_an_older_layout_in_the_folder_is_refused_untouched(tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "old.parquet").write_bytes(b"old")
    with pytest.raises(OutputError, match="documents/ is not this pipeline's output"):
        _store(tmp_path).commit({"a": _files("a", "1")})
    assert (tmp_path / "documents" / "old.parquet").read_bytes() == b"old"
    assert not (tmp_path / "tasks").exists()


def test_a_dataset_keeps_its_layout(tmp_path: Path) -> None:
    _store(tmp_path, "flat").commit({"a": _files("a", "1")})
    with pytest.raises(OutputError, match="layout 'flat', not 'year'"):
        _store(tmp_path, "year").commit({"b": _files("b", "1")})


def test_unwritable_folder_is_one_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OutputError, match=f"cannot write to {blocker}"):
        _store(blocker).commit({"a": _files("a", "1")})


_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from pipeline import store

    root, stop = Path(sys.argv[1]), int(sys.argv[2])
    calls = [0]

    def counted(function):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            calls[0] += 1
            if calls[0] == stop:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return wrapper

    for name in ("link", "replace", "rename", "symlink", "mkdir", "unlink", "rmdir"):
        setattr(os, name, counted(getattr(os, name)))
    Path.write_bytes = counted(Path.write_bytes)
    new = {f"{table}/{key}.parquet": f"{table} {key} new".encode()
           for table in ("documents", "tasks") for key in ("a", "c")}
    new["csv/tasks/a.csv"] = b"csv a new"
    store.Store(root, ("documents", "tasks", "csv")).commit({"a": new, "b": None, "c": new})
    print(calls[0])
    """
)


def _old(root: Path, spare: bool = False) -> dict[str, bytes]:
    """The dataset before the killed commit; with ``spare``, after commits that leave a spare snapshot unlike
    the current one (a key in a folder of its own, a file rewritten), so the killed commit builds from it."""
    s = _store(root)
    s.commit({"a": _files("a", "old"), "b": _files("b", "old")})
    if spare:
        s.commit({"q": {"documents/year=1999/q.parquet": b"q", "tasks/q.parquet": b"q"}})
        s.commit({"q": None})
        s.commit({"b": _files("b", "old")})  # the same bytes, new files
        assert sorted(p.name for p in (root / ".store" / "snapshots").iterdir()) == ["000002", "000003", "000004"]
    return _visible(root)


@pytest.mark.parametrize("spare", [False, True], ids=["built-from-nothing", "built-from-a-spare"])
def test_a_kill_at_any_step_of_a_commit_leaves_the_old_or_the_new_snapshot_whole(tmp_path: Path, spare: bool) -> None:
    """SIGKILL right after each file-system call of a commit: readers see the old or the new snapshot.

    The next commit reuses or clears what the killed one left.
    """
    reference = tmp_path / "reference"
    old = _old(reference, spare)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    run = subprocess.run([sys.executable, "-c", _KILLER, str(reference), "0"], capture_output=True, text=True, env=env, check=True)
    steps = int(run.stdout)
    new = _visible(reference)
    assert new != old and steps > 5
    outcomes = set()
    for stop in range(1, steps + 1):
        root = tmp_path / f"kill-{stop}"
        _old(root, spare)
        result = subprocess.run([sys.executable, "-c", _KILLER, str(root), str(stop)], capture_output=True, env=env)
        assert result.returncode == -9, result.stderr
        seen = _visible(root)
        assert seen in (old, new), f"killed at step {stop}: a mixed snapshot"
        outcomes.add("new" if seen == new else "old")
        _store(root).commit({"z": _files("z", "1")})  # the next commit clears the debris
        snapshots = sorted(p.name for p in (root / ".store" / "snapshots").iterdir())
        assert len(snapshots) <= store.KEEP + store.SPARES and not [n for n in snapshots if not n.isdigit()]
        assert _visible(root) == {**seen, **_files("z", "1")}
    assert outcomes == {"old", "new"}


# ---------------------------------------------------------------- building from a spare (review finding 7)


def _snapshot_files(root: Path) -> dict[str, bytes]:
    """Every file of the current snapshot, views or not (the markers folder too)."""
    current = root / ".store" / "current"
    return {p.relative_to(current).as_posix(): p.read_bytes() for p in sorted(current.rglob("*")) if p.is_file()}


def test_a_commit_builds_the_next_snapshot_from_the_spare(tmp_path: Path) -> None:
    """A commit used to link every file of the dataset into a new folder (1.4 s for one notice into 5,000);
    it now renames the spare snapshot and changes only what differs."""
    s = _store(tmp_path)
    for n in range(3):
        s.commit({f"k{n}": _files(f"k{n}", "1")})
    spare = tmp_path / ".store" / "snapshots" / "000001"
    folder, kept = os.stat(spare).st_ino, os.stat(spare / "documents" / "k0.parquet").st_ino
    s.commit({"k1": None, "k3": _files("k3", "1")})
    current = (tmp_path / ".store" / "current").resolve()
    assert current.name == "000004" and os.stat(current).st_ino == folder
    assert os.stat(current / "documents" / "k0.parquet").st_ino == kept
    assert _visible(tmp_path) == {**_files("k0", "1"), **_files("k2", "1"), **_files("k3", "1")}


def test_whatever_the_spare_holds_the_snapshot_is_exact(tmp_path: Path) -> None:
    """A spare changed behind the store's back (a stray file, a folder for a file, a file for a folder, another
    file under a kept name) is made exact: the snapshot holds the files it should, no more."""
    s = _store(tmp_path)
    for n in range(3):
        s.commit({f"k{n}": _files(f"k{n}", "1")})
    spare = tmp_path / ".store" / "snapshots" / "000001"
    (spare / "documents" / "stray.parquet").write_bytes(b"stray")
    os.unlink(spare / "tasks" / "k0.parquet")
    (spare / "tasks" / "k0.parquet").mkdir()
    shutil.rmtree(spare / "csv")
    (spare / "csv").write_bytes(b"a file where a folder was")
    os.unlink(spare / "documents" / "k0.parquet")
    (spare / "documents" / "k0.parquet").write_bytes(b"another file, same name")
    s.commit({"k3": _files("k3", "1")})
    expected = {**_files("k0", "1"), **_files("k1", "1"), **_files("k2", "1"), **_files("k3", "1")}
    assert _visible(tmp_path) == expected
    assert _snapshot_files(tmp_path) == expected


def test_inodes_a_listing_gets_wrong_are_read_with_stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system whose listing reports no true inode (some FUSE ones), every file is compared by stat."""
    s = _store(tmp_path)
    for n in range(3):
        s.commit({f"k{n}": _files(f"k{n}", "1")})
    real = os.scandir

    class Entry:
        def __init__(self, entry: os.DirEntry[str]) -> None:
            self.entry = entry
            self.name, self.path = entry.name, entry.path

        def is_dir(self, follow_symlinks: bool = True) -> bool:
            return self.entry.is_dir(follow_symlinks=follow_symlinks)

        def inode(self) -> int:
            return 1  # the same for every file

        def stat(self, follow_symlinks: bool = True) -> os.stat_result:
            return self.entry.stat(follow_symlinks=follow_symlinks)

    class Listing:
        def __init__(self, path: object) -> None:
            self.listing = real(path)  # type: ignore[call-overload]

        def __enter__(self) -> list[Entry]:
            return [Entry(e) for e in self.listing]

        def __exit__(self, *args: object) -> None:
            self.listing.close()

    monkeypatch.setattr(snapshots.os, "scandir", Listing)
    s.commit({"k0": _files("k0", "2")})
    s.commit({"k1": None})
    assert _visible(tmp_path) == {**_files("k0", "2"), **_files("k2", "1")}
    assert _snapshot_files(tmp_path) == {**_files("k0", "2"), **_files("k2", "1")}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.sampled_from("abcde"), st.one_of(st.none(), st.sampled_from(["flat", "1999", "2000"])),
                                min_size=1, max_size=4), min_size=1, max_size=8))  # fmt: skip
def test_any_history_of_commits_shows_exactly_the_last_state(tmp_path_factory: pytest.TempPathFactory,
                                                             history: list[dict[str, str | None]]) -> None:  # fmt: skip
    """Keys added, replaced (moving between partition folders) and removed in any order: every snapshot
    built from a spare shows exactly what the keys hold."""
    root = tmp_path_factory.mktemp("history")
    s = _store(root)
    model: dict[str, bytes] = {}
    for number, commit in enumerate(history):
        changes: dict[str, dict[str, bytes] | None] = {}
        for key, where in commit.items():
            model = {path: data for path, data in model.items() if Path(path).stem != key}
            if where is None:
                changes[key] = None
                continue
            folder = "" if where == "flat" else f"year={where}/"
            files = {f"documents/{folder}{key}.parquet": f"{key} {number}".encode(), f"csv/tasks/{folder}{key}.csv": b"c"}
            changes[key] = files
            model.update(files)
        s.commit(changes)
        assert _visible(root) == model
        assert _snapshot_files(root) == model
