"""Worker processes for a batch: one item at a time each, results as they come.

Workers are forked from the parent, so whatever the parent has imported and
built (readers, the rules' tokenizer) they start with. Each worker:

* ignores Ctrl-C: the terminal sends it to the whole process group, and the
  parent decides what happens (it stops the workers);
* turns SIGTERM into an ordinary exit, so clean-up code (a converter's
  temporary folder) runs;
* gets SIGTERM when the parent dies, however it dies (Linux
  ``PR_SET_PDEATHSIG``), so no worker outlives the command.

A worker is handed the next item only once it has returned the last one, so
when a worker dies (the OOM killer's SIGKILL), the parent knows which item
killed it: that item's result is a :class:`Died`, and a new worker takes the
rest. The parent writes nothing a worker could half-write: workers only
compute and send back.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

GRACE = 3.0  # seconds a stopped worker gets to clean up before SIGKILL
_PR_SET_PDEATHSIG = 1
_HELD = {signal.SIGINT, signal.SIGTERM}


@dataclass(frozen=True)
class Died:
    """The result of an item whose worker process ended without returning it."""

    exitcode: int | None

    def __str__(self) -> str:
        if self.exitcode is not None and self.exitcode < 0:
            number = -self.exitcode
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            why = " (out of memory?)" if number == signal.SIGKILL else ""
            return f"worker process was killed by {name}{why}"
        return f"worker process exited with code {self.exitcode}"


class _Stopped(SystemExit):
    """SIGTERM in a worker: unwinds the work (finally blocks run), then the process exits."""


def _serve(conn: Connection, function: Callable[[Any], Any], parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    _die_with_parent(parent)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        result = function(item)
        try:
            conn.send(result)
        except OSError:  # the parent is gone
            return


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(128 + signum)


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # no prctl in this libc: nothing to ask
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class _Worker:
    def __init__(self, function: Callable[[Any], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # else the child inherits buffered output and prints it again
        # Signals are blocked across the fork: a Ctrl-C before the child has set its
        # handlers would otherwise raise KeyboardInterrupt in it (a traceback on stderr).
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            self.process = context.Process(target=_serve, args=(child, function, os.getpid()), daemon=True)
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            child.close()
        self.item: int | None = None

    def give(self, index: int, item: Any) -> None:
        self.item = index
        self.conn.send(item)


class Pool:
    """Up to ``size`` workers running ``function``; use as a context manager.

    On leaving the block normally the workers are told to finish; on an
    exception (Ctrl-C, SIGTERM, an error) they are stopped: SIGTERM, then
    SIGKILL after :data:`GRACE` seconds. Either way none is left running.
    """

    def __init__(self, size: int, function: Callable[[Any], Any]) -> None:
        self.size = size
        self.function = function
        self.workers: list[_Worker] = []

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close(abort=kind is not None)

    def results(
        self, items: Sequence[Any], idle: Callable[[], None] = lambda: None, tick: float = 0.25
    ) -> Iterator[tuple[int, Any]]:
        """``(index, result)`` for every item, in the order they finish; a :class:`Died` for a lost one.

        ``idle()`` is called every ``tick`` seconds while no result arrives.
        """
        waiting = deque(range(len(items)))
        busy: list[_Worker] = []
        while waiting and len(self.workers) < self.size:
            worker = _Worker(self.function)
            self.workers.append(worker)
            worker.give(i := waiting.popleft(), items[i])
            busy.append(worker)
        while busy:
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], tick))
            if not ready:
                idle()
                continue
            for worker in [w for w in busy if w.conn in ready or w.process.sentinel in ready]:
                index = worker.item
                assert index is not None
                result = self._collect(worker)
                if isinstance(result, Died):
                    busy.remove(worker)
                    self.workers.remove(worker)
                    if waiting:
                        worker = _Worker(self.function)
                        self.workers.append(worker)
                        busy.append(worker)
                yield index, result
                if worker in busy:
                    if waiting:
                        worker.give(i := waiting.popleft(), items[i])
                    else:
                        busy.remove(worker)
                        worker.item = None

    @staticmethod
    def _collect(worker: _Worker) -> Any:
        try:
            if worker.conn.poll():
                return worker.conn.recv()
        except (EOFError, OSError):
            pass
        worker.process.join()
        worker.conn.close()
        return Died(worker.process.exitcode)

    def close(self, abort: bool = False) -> None:
        """End every worker: told to finish, or (``abort``) stopped. Ctrl-C cannot interrupt this."""
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            for worker in self.workers:
                if abort:
                    _signal(worker.process.pid, signal.SIGTERM)
                else:
                    with contextlib.suppress(OSError):
                        worker.conn.send(None)
            for worker in self.workers:
                worker.process.join(GRACE)
                if worker.process.exitcode is None:
                    _signal(worker.process.pid, signal.SIGKILL)
                    worker.process.join()
                worker.conn.close()
            self.workers.clear()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _signal(pid: int | None, signum: int) -> None:
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)
