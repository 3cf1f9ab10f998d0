"""Two commands on one output folder: waiting for the lock, cleaning up, staging (review findings 2, 5, 10).

Each case runs the commands as processes, with a hook that stops one of them
at the moment the race needs (a slow parse, a pause before a lock), so the
interleaving the reviewer found by chance happens every time.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import ROOT, SEED, tree_digest

pytestmark = pytest.mark.slow

# `pipeline` with hooks: PARSE_SLEEP seconds before each parse, FAIL=1 to fail every file,
# LOCK_NEW_SLEEP seconds between creating a run's lock file and locking it, EMPTY_SLEEP
# seconds after finding that the output folder holds no snapshot yet.
_HOOKED = textwrap.dedent(
    """
    import fcntl, os, sys, time, types
    import pipeline.ingest as ingest, pipeline.locking as locking, pipeline.store as store
    from pipeline.errors import UnreadableInput
    parse = ingest.parse_file
    def hooked(path, rules, jobs=1):
        time.sleep(float(os.environ.get("PARSE_SLEEP", "0")))
        if os.environ.get("FAIL"):
            raise UnreadableInput("simulated bad file")
        return parse(path, rules, jobs)
    ingest.parse_file = hooked
    real = fcntl.flock
    def flock(handle, op):
        if getattr(handle, "name", "").endswith(".lock.new") and op == fcntl.LOCK_EX:
            time.sleep(float(os.environ.get("LOCK_NEW_SLEEP", "0")))  # scheduled out between open and lock
        return real(handle, op)
    locking.fcntl = types.SimpleNamespace(**{k: getattr(fcntl, k) for k in dir(fcntl) if k.isupper()}, flock=flock)
    current = store.Store.current
    def paused(self):
        found = current(self)
        if found is None:
            time.sleep(float(os.environ.get("EMPTY_SLEEP", "0")))  # between "nothing published" and what follows
        return found
    store.Store.current = paused
    from pipeline.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def start(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _HOOKED, *args], cwd=ROOT, text=True, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )  # fmt: skip


@contextmanager
def holding_the_lock(out: Path) -> Iterator[None]:
    """The store's lock held, as by another ingest in the middle of a long commit."""
    with open(out / ".store" / "lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def read_until(run: subprocess.Popen[str], text: str, timeout: float = 20) -> str:
    """Stderr of ``run`` up to a line holding ``text``; a failure (not a hang) when it does not come."""
    assert run.stderr is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while text not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([run.stderr], [], [], 0.1)
        if ready:
            line = run.stderr.readline()
            if not line:
                break
            seen += line
    if text not in seen:
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
    assert text in seen, seen
    return seen


def _communicate(run: subprocess.Popen[str], timeout: float) -> tuple[str, str]:
    """``run``'s output once it ends; killed (and a failure) when it has not ended in ``timeout`` seconds."""
    try:
        return run.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
        raise AssertionError(f"still running {timeout} s after the signal") from None


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert main(["ingest", str(SEED), "--out", str(out), "-q"]) == 0
    return out


# ---------------------------------------------------------------- finding 5: waiting for the lock


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_rm_waiting_for_the_lock_stops_at_once(dataset: Path, signum: int) -> None:
    """Review finding 5: Ctrl-C and SIGTERM were ignored while rm waited for the lock; after the release rm
    still removed the notice, printed no "removed", and said the ingest's "interrupted" message."""
    before = tree_digest(dataset)
    with holding_the_lock(dataset):
        run = start("rm", "jiaxing_2021", "--out", str(dataset))
        read_until(run, f"waiting for another ingest or rm on {dataset}")
        os.killpg(run.pid, signum)
        out, err = _communicate(run, 10)
    if signum == signal.SIGINT:
        assert run.returncode == 130 and err.endswith("interrupted: nothing was removed\n"), err
    else:
        assert run.returncode == -signal.SIGTERM, err
    assert out == "" and "Traceback" not in err
    assert tree_digest(dataset) == before


def test_rm_goes_on_when_the_lock_is_released(dataset: Path) -> None:
    """Review finding 5: after the wait, rm removes the notice and says so (it printed no "removed")."""
    with holding_the_lock(dataset):
        run = start("rm", "jiaxing_2021", "--out", str(dataset))
        read_until(run, "waiting for another ingest or rm")
    out, err = run.communicate(timeout=30)
    assert run.returncode == 0 and out.startswith("removed ca4c2153adb16270"), err
    assert not list((dataset / "documents").iterdir())


def test_ingest_waiting_for_the_lock_stops_at_once(dataset: Path, tmp_path: Path) -> None:
    """Review finding 5: ingest waiting for another run's lock ignored Ctrl-C until the lock was free."""
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("2021年政府工作报告", "2022年政府工作报告", 1), encoding="utf-8")
    before = tree_digest(dataset)
    with holding_the_lock(dataset):
        run = start("ingest", str(other), "--out", str(dataset), "-q")
        read_until(run, "waiting for another ingest or rm")
        os.killpg(run.pid, signal.SIGINT)
        _, err = _communicate(run, 10)
    assert run.returncode == 130 and err.endswith("interrupted: 0 documents written whole, 1 input not written\n"), err
    assert tree_digest(dataset) == before
    assert not (dataset / ".store" / "staging").exists()


# ---------------------------------------------------------------- finding 2: clean-up of a run that wrote nothing


@pytest.mark.parametrize(
    ("a_env", "b_start", "b_env"),
    [({"PARSE_SLEEP": "1"}, 0.5, {"PARSE_SLEEP": "1.5"}), ({"EMPTY_SLEEP": "3"}, 1.5, {})],
    ids=["b-still-staging", "b-published-meanwhile"],
)
def test_a_run_that_wrote_nothing_never_removes_another_runs_output(
    tmp_path: Path, a_env: dict[str, str], b_start: float, b_env: dict[str, str]
) -> None:
    """Review finding 2: run A (one failing file) removed the new output folder (rmtree) while run B (one good
    file) staged into it (B failed "No such file or directory"), or right after B published (B said ok; the
    folder was gone)."""
    out = tmp_path / "new" / "out"
    bad = tmp_path / "bad.txt"
    bad.write_text("no table here", encoding="utf-8")
    a = start("ingest", str(bad), "--out", str(out), "-q", **a_env)
    time.sleep(b_start)  # A has made the folder and is parsing, or is about to clean up
    b = start("ingest", str(SEED), "--out", str(out), "-q", **b_env)
    _, a_err = _communicate(a, 60)
    _, b_err = _communicate(b, 60)
    assert a.returncode == 1 and "no responsibility table" in a_err
    assert b.returncode == 0, b_err
    assert [p.name for p in (out / "documents").iterdir()] == ["ca4c2153adb16270.parquet"]


def test_a_run_that_wrote_nothing_leaves_no_folder_it_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Review finding 2: --out a/b/c of a failed run removed c but left a/b."""
    bad = tmp_path / "bad.txt"
    bad.write_text("no table here", encoding="utf-8")
    (tmp_path / "a").mkdir()
    assert main(["ingest", str(bad), "--out", str(tmp_path / "a" / "b" / "c" / "d"), "-q"]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "bad.txt"]
    assert not list((tmp_path / "a").iterdir())


# ---------------------------------------------------------------- finding 10: staging


def test_a_run_starting_never_loses_its_staging_lock_to_another(dataset: Path, tmp_path: Path) -> None:
    """Review finding 10: run A's clearing of dead runs deleted run B's ``.run-….lock.new`` between B's open and
    flock: B failed "No such file or directory"."""
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("2021年政府工作报告", "2022年政府工作报告", 1), encoding="utf-8")
    b = start("ingest", str(other), "--out", str(dataset), "-q", LOCK_NEW_SLEEP="2")
    time.sleep(1)  # B is between creating its lock file and locking it
    a = start("ingest", str(SEED), "--out", str(dataset), "-q")
    _, a_err = a.communicate(timeout=60)
    _, b_err = b.communicate(timeout=60)
    assert (a.returncode, b.returncode) == (0, 0), a_err + b_err
    assert len(list((dataset / "documents").iterdir())) == 2
    assert not (dataset / ".store" / "staging").exists()
