"""The worker pool: a worker that dies, between items or on one, and workers that cannot be started."""

from __future__ import annotations

import errno
import os
import signal
from multiprocessing.connection import Connection
from typing import Any

import pytest

from pipeline import pool
from pipeline.pool import Died, NotStarted, Pool


def double(item: int) -> int:
    if item == 13:
        os.kill(os.getpid(), signal.SIGKILL)  # the OOM killer, on this item
    return item * 2


def test_every_item_once_with_its_result() -> None:
    with Pool(2, double) as workers:
        results = dict(workers.results(list(range(8))))
    assert results == {i: i * 2 for i in range(8)}


def test_a_worker_killed_on_an_item_fails_that_item_only() -> None:
    items = [1, 2, 13, 4, 5, 6]
    with Pool(2, double) as workers:
        results = dict(workers.results(items))
    assert results.pop(2) == Died(-signal.SIGKILL)
    assert results == {i: items[i] * 2 for i in (0, 1, 3, 4, 5)}


def test_a_worker_killed_while_idle_loses_no_item(monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding 1: a worker killed between two items (after sending a result) crashed the batch with a
    BrokenPipeError from ``give``, or, when the send got through, the next item was reported "worker killed"."""
    parent = os.getpid()
    send = Connection.send

    def send_then_die(self: Connection, obj: Any) -> None:
        send(self, obj)
        if os.getpid() != parent and obj == 6:  # in a worker, right after the result of item 3
            os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(Connection, "send", send_then_die)
    with Pool(2, double) as workers:
        results = dict(workers.results(list(range(8))))
    assert results == {i: i * 2 for i in range(8)}


def test_a_failed_fork_goes_on_with_the_workers_there_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding 1: fork failing with ENOMEM for the second worker was a raw OSError traceback."""
    real = pool._Worker.__init__
    calls = [0]

    def failing(self: pool._Worker, function: Any) -> None:
        calls[0] += 1
        if calls[0] == 2:
            raise OSError(errno.ENOMEM, "Cannot allocate memory")
        real(self, function)

    monkeypatch.setattr(pool._Worker, "__init__", failing)
    with Pool(2, double) as workers:
        results = dict(workers.results(list(range(6))))
    assert results == {i: i * 2 for i in range(6)}


def test_no_worker_at_all_fails_each_item_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(self: pool._Worker, function: Any) -> None:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(pool._Worker, "__init__", failing)
    with Pool(2, double) as workers:
        results = dict(workers.results([1, 2, 3]))
    assert results == dict.fromkeys(range(3), NotStarted("Resource temporarily unavailable"))
    assert str(results[0]) == "no worker process could be started (Resource temporarily unavailable)"
