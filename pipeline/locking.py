"""Locks of an output folder: the store's lock, a running ingest's staging lock, held signals.

The store's lock (``DIR/.store/lock``, ``flock``) serialises everything that
changes the folder: commits, and creating or removing a run's staging folder.
Waiting for it can be interrupted (Ctrl-C, SIGTERM) and is said after
:data:`WAIT_NOTICE` seconds; once it is held, the signals are held too
(:func:`signals_held`) until the change is made and reported, so a change the
caller sees interrupted did not happen, and one it sees finish did.

A lock file may be removed by the run that made it (an ingest that published
nothing tidies its output folder away) while another process waits on it: a
process that gets the lock checks that the file it locked is still the one at
the path, else locks the new one (:func:`lock_path`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

WAIT_NOTICE = 1.0  # seconds of waiting for the lock before saying so
POLL = 0.05  # seconds between two tries of a lock held by another process


def lock_path(
    path: Path, prepare: Callable[[], None], on_wait: Callable[[], None] | None = None, wait: bool = True
) -> IO[bytes] | None:  # fmt: skip
    """``path`` opened and locked (``flock``, exclusive); close the handle to release it.

    ``prepare()`` makes the folder it is in, before each try. Waiting is a loop
    of non-blocking tries, so Ctrl-C and SIGTERM end it at once; ``on_wait()``
    is called once, after :data:`WAIT_NOTICE` seconds. Without ``wait``, None
    when another process holds the lock.
    """
    start = time.monotonic()
    waited = False
    while True:
        prepare()
        try:
            handle = open(path, "a+b")  # noqa: SIM115 - returned locked; the caller closes it
        except FileNotFoundError:
            continue  # its folder was tidied away between the two steps: make it again
        try:
            while not _try_lock(handle):
                if not wait:
                    handle.close()
                    return None
                if not waited and time.monotonic() - start >= WAIT_NOTICE:
                    waited = True
                    if on_wait is not None:
                        on_wait()
                time.sleep(POLL)
            if _is_at(handle, path):
                return handle
        except BaseException:
            handle.close()
            raise
        handle.close()  # the file was removed while we waited: lock the one there now


def _try_lock(handle: IO[bytes]) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _is_at(handle: IO[bytes], path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then deliver one of them.

    Python runs signal handlers in the main thread only, so elsewhere there is
    nothing to hold. When both came, SIGTERM is delivered (it is the stronger
    request, and delivering Ctrl-C first would raise before SIGTERM is sent).
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
        if signal.SIGTERM in caught:
            signal.raise_signal(signal.SIGTERM)
        elif caught:
            signal.raise_signal(signal.SIGINT)


def run_lock(path: Path) -> IO[bytes]:
    """``path`` created and locked: made under another name, locked, then renamed, so it is never seen unlocked.

    Called while holding the store's lock (so is :func:`clear_dead_runs`).
    """
    temporary = path.with_name(f".{path.name}.new")
    handle = open(temporary, "wb")  # noqa: SIM115 - held open (and locked) while the run lives
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.replace(temporary, path)
    except BaseException:
        handle.close()
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return handle


def clear_dead_runs(folder: Path) -> None:
    """Remove the staging folders of runs whose lock is free: they died (SIGKILL, power cut).

    Called while holding the store's lock: no run is making or removing its
    staging folder meanwhile.
    """
    for lock in [*folder.glob("run-*.lock"), *folder.glob(".run-*.lock.new")]:
        try:
            with open(lock, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if lock.suffix == ".lock":
                    shutil.rmtree(lock.with_suffix(""), ignore_errors=True)
                lock.unlink(missing_ok=True)
        except (BlockingIOError, FileNotFoundError):
            continue  # a live run
    for run in folder.glob("run-*"):
        if run.is_dir() and not run.with_name(f"{run.name}.lock").exists():
            shutil.rmtree(run, ignore_errors=True)  # a run that died between making its lock and its folder
