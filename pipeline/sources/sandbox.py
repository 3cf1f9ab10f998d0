"""Running a converter without the network, and leaving nothing behind.

:func:`run` starts a command (LibreOffice, for .doc files) so that

* **it cannot reach a network**: it runs in a new network namespace
  (``unshare --net``; as root, or inside a user namespace otherwise) holding
  only a loopback interface that is down. Where namespaces are not allowed the
  command runs without one, and the caller's own settings must keep it off
  the network (:mod:`pipeline.sources.doc` points LibreOffice at a proxy that
  does not exist);
* **it dies with the pipeline**: it is started through
  ``setpriv --pdeathsig KILL``, in its own session and process group (and, with
  namespaces, its own PID namespace, ``--kill-child``), so a killed worker
  takes the converter with it;
* **it is always stopped**: whatever ends the wait (success, a failure, the
  time limit's signal, Ctrl-C) the whole process group is killed and waited
  for, with those signals held back until that is done.

:func:`work_folder` is a temporary folder removed on every path; one left by
a process killed outright is removed by the next call (its lock is free).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.errors import InputTooLarge

PREFIX = "pipeline-doc-"
STALE_AFTER = 60.0  # seconds: a folder this old whose lock is free belongs to a dead process
_HELD = {signal.SIGALRM, signal.SIGINT, signal.SIGTERM}
_NAMESPACES = (
    ["--net", "--pid", "--fork", "--kill-child"],
    ["--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child"],
)


def isolation() -> list[str]:
    """The command prefix that runs a program without network, killed with its parent."""
    prefix: list[str] = []
    setpriv = shutil.which("setpriv")
    if setpriv is not None:
        prefix = [setpriv, "--pdeathsig", "KILL"]
    unshare = shutil.which("unshare")
    if unshare is not None:
        for flags in _NAMESPACES:
            probe = subprocess.run(
                [unshare, *flags, "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, timeout=10, check=False,
            )
            if probe.returncode == 0:
                return [*prefix, unshare, *flags]
    return prefix


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold back the time limit's SIGALRM, SIGINT and SIGTERM (delivered when the block ends)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def run(command: Sequence[str], seconds: float, what: str) -> None:
    """Run ``command`` (stdio to /dev/null) for at most ``seconds``; InputTooLarge past that."""
    devnull = os.devnull
    with held_signals():
        pid = os.posix_spawnp(
            command[0], list(command), dict(os.environ),
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_OPEN, 2, devnull, os.O_WRONLY, 0),
            ],
            setsid=True,  # its own session and process group, whose id is its pid
            setsigmask=(),  # not the held signals of this moment
            setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),  # ignored by Python, default for the child
        )
    try:
        _wait(pid, seconds, what)
    finally:
        with held_signals():
            _stop(pid)


def _wait(pid: int, seconds: float, what: str) -> None:
    """Wait for ``pid`` to end, leaving it unreaped (its group id stays reserved)."""
    deadline = time.monotonic() + seconds
    delay = 0.005
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() > deadline:
            raise InputTooLarge(f"{what} took more than {seconds:g} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _stop(pid: int) -> None:
    """Kill the process group of ``pid``, reap ``pid``, and wait for the group to be gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    deadline = time.monotonic() + 2.0
    while _group_running(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _group_running(group: int) -> bool:
    """Is a process of ``group`` still running (zombies, which hold no files, do not count)?"""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return False
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # after "pid (comm) "
        if len(fields) > 2 and fields[2] == str(group) and fields[0] != "Z":
            return True
    return False


@contextlib.contextmanager
def work_folder() -> Iterator[Path]:
    """A fresh temporary folder, locked while in use and removed on every path."""
    _remove_stale()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    lock = os.open(folder / ".lock", os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder
    finally:
        with held_signals():
            os.close(lock)
            shutil.rmtree(folder, ignore_errors=True)


def _remove_stale() -> None:
    """Remove folders left by processes killed outright: old, and nobody holds their lock."""
    root = Path(tempfile.gettempdir())
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return
    for folder in candidates:
        try:
            if time.time() - folder.stat().st_mtime < STALE_AFTER:
                continue
            lock = os.open(folder / ".lock", os.O_WRONLY)
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # in use
        finally:
            os.close(lock)
        shutil.rmtree(folder, ignore_errors=True)
