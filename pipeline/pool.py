"""Worker processes for a batch: one item at a time each, results as they come.

Workers are forked from the parent, so whatever the parent has imported and
built (readers, the rules' tokenizer) they start with. Each worker:

* ignores Ctrl-C: the terminal sends it to the whole process group, and the
  parent decides what happens (it stops the workers);
* turns SIGTERM into an ordinary exit, so clean-up code (a converter's
  temporary folder) runs;
* gets SIGTERM when the parent dies, however it dies (Linux
  ``PR_SET_PDEATHSIG``), so no worker outlives the command.

A worker is handed the next item only once it has returned the last one, and
it says when it starts an item. When a worker dies (the OOM killer's SIGKILL)
with an item it had started, that item's result is a :class:`Died`; an item it
had not started yet (it died idle, between two items) goes to another worker.
A new worker takes the rest; when none can be started (``fork`` fails for lack
of memory), the items left get :class:`NotStarted`. The parent writes nothing a
worker could half-write: workers only compute and send back.
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


@dataclass(frozen=True)
class NotStarted:
    """The result of an item no worker process could be started for."""

    error: str

    def __str__(self) -> str:
        return f"no worker process could be started ({self.error})"


class _Started:
    """What a worker sends when it takes an item, before its result."""


STARTED = _Started()
RETRIES = 2  # times an item is handed to a new worker after one died before starting it


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
        try:
            conn.send(STARTED)
        except OSError:  # the parent is gone
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
        self.item: int | None = None  # the index of the item it has been handed
        self.started = False  # whether it said it started that item

    def give(self, index: int, item: Any) -> None:
        self.item = index
        self.started = False
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
        self.failure: str | None = None  # why the last worker could not be started

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close(abort=kind is not None)

    def results(
        self, items: Sequence[Any], idle: Callable[[], None] = lambda: None, tick: float = 0.25
    ) -> Iterator[tuple[int, Any]]:
        """``(index, result)`` for every item, in the order they finish; a :class:`Died` for a lost one.

        ``idle()`` is called every ``tick`` seconds while no result arrives. A
        worker is handed its next item before its result is yielded, so it works
        while the caller handles the result.
        """
        waiting = deque(range(len(items)))
        tries: dict[int, int] = {}
        while True:
            self._hand_out(waiting, items)
            busy = [w for w in self.workers if w.item is not None]
            if not busy:
                while waiting:  # no worker could be started: nothing will take these
                    yield waiting.popleft(), NotStarted(self.failure or "unknown error")
                return
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], tick))
            if not ready:
                idle()
                continue
            for worker in [w for w in busy if w.conn in ready or w.process.sentinel in ready]:
                index = worker.item
                assert index is not None
                result = self._collect(worker)
                if result is STARTED:
                    continue
                worker.item = None
                if isinstance(result, Died):
                    self._retire(worker)
                    if not worker.started and tries.get(index, 0) < RETRIES:
                        tries[index] = tries.get(index, 0) + 1
                        waiting.appendleft(index)  # it died idle: the item was never started
                        continue
                self._hand_out(waiting, items)
                yield index, result

    def _hand_out(self, waiting: deque[int], items: Sequence[Any]) -> None:
        """Give the next items to idle workers, starting workers up to ``size``."""
        for worker in [w for w in self.workers if w.item is None]:
            if not waiting:
                return
            index = waiting.popleft()
            try:
                worker.give(index, items[index])
            except OSError:  # it died while idle: the pipe is closed
                waiting.appendleft(index)
                self._retire(worker)
        while waiting and len(self.workers) < self.size:
            try:
                worker = _Worker(self.function)
            except OSError as exc:  # fork failed (ENOMEM, EAGAIN): go on with the workers there are
                self.failure = exc.strerror or str(exc)
                return
            self.workers.append(worker)
            index = waiting.popleft()
            try:
                worker.give(index, items[index])
            except OSError:
                waiting.appendleft(index)
                self._retire(worker)
                return

    def _retire(self, worker: _Worker) -> None:
        """Forget a dead worker (it is reaped)."""
        self.workers.remove(worker)
        worker.process.join(GRACE)
        if worker.process.exitcode is None:
            _signal(worker.process.pid, signal.SIGKILL)
            worker.process.join()
        worker.conn.close()

    @staticmethod
    def _collect(worker: _Worker) -> Any:
        """The worker's next message: :data:`STARTED`, its result, or a :class:`Died`."""
        try:
            if worker.conn.poll():
                message = worker.conn.recv()
                if message is STARTED or isinstance(message, _Started):
                    worker.started = True
                    return STARTED
                return message
        except (EOFError, OSError):
            pass
        worker.process.join()
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
