"""The snapshot store: every outcome a reader can see is a whole snapshot."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline import store
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


def test_only_two_snapshots_are_kept(tmp_path: Path) -> None:
    s = _store(tmp_path)
    for n in range(5):
        s.commit({"a": _files("a", str(n))})
    assert sorted(p.name for p in (tmp_path / ".store" / "snapshots").iterdir()) == ["000004", "000005"]


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


def _old(root: Path) -> dict[str, bytes]:
    _store(root).commit({"a": _files("a", "old"), "b": _files("b", "old")})
    return _visible(root)


def test_a_kill_at_any_step_of_a_commit_leaves_the_old_or_the_new_snapshot_whole(tmp_path: Path) -> None:
    """SIGKILL right after each file-system call of a commit: readers see the old or the new snapshot.

    The next commit clears the debris of the killed one.
    """
    reference = tmp_path / "reference"
    old = _old(reference)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    run = subprocess.run([sys.executable, "-c", _KILLER, str(reference), "0"], capture_output=True, text=True, env=env, check=True)
    steps = int(run.stdout)
    new = _visible(reference)
    assert new != old and steps > 5
    outcomes = set()
    for stop in range(1, steps + 1):
        root = tmp_path / f"kill-{stop}"
        _old(root)
        result = subprocess.run([sys.executable, "-c", _KILLER, str(root), str(stop)], capture_output=True, env=env)
        assert result.returncode == -9, result.stderr
        seen = _visible(root)
        assert seen in (old, new), f"killed at step {stop}: a mixed snapshot"
        outcomes.add("new" if seen == new else "old")
        _store(root).commit({"z": _files("z", "1")})  # the next commit clears the debris
        snapshots = sorted(p.name for p in (root / ".store" / "snapshots").iterdir())
        assert len(snapshots) <= store.KEEP and not [n for n in snapshots if not n.isdigit()]
        assert _visible(root) == {**seen, **_files("z", "1")}
    assert outcomes == {"old", "new"}
