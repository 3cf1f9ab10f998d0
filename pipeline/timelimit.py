"""A time budget for parsing one file: :func:`within` (and the block form :func:`time_limit`)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pipeline.errors import InputTooLarge

T = TypeVar("T")
REFIRE = 0.25  # seconds between firings once expired (at most)
MIN_REFIRE = 0.01  # ... and at least: a tiny limit must not fire the timer continuously


class _Expired(BaseException):
    """Raised by the timer. A BaseException, so library code that catches
    ``Exception`` broadly (pdfminer does) cannot swallow it."""


class _Timer:
    """SIGALRM after ``seconds``, then every quarter second (at least every 10 ms) until stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.finished = False
        self.previous: Any = None

    def _fire(self, signum: int, frame: object) -> None:
        if not self.finished:
            raise _Expired

    def start(self) -> None:
        self.previous = signal.signal(signal.SIGALRM, self._fire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds, max(MIN_REFIRE, min(self.seconds, REFIRE)))

    def stop(self) -> None:
        self.finished = True  # first, and a plain assignment: Python runs no signal handler before it
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)

    def message(self) -> str:
        return f"took longer than the {self.seconds:g} s time limit"


def within(seconds: float, function: Callable[..., T], *args: Any) -> T:
    """``function(*args)``, or InputTooLarge when it runs longer than ``seconds`` (0: no limit; main thread, Unix).

    After expiring, the timer fires again every quarter second until the call
    ends: a handler's exception that lands in a finaliser (``__del__`` during
    garbage collection) is dropped by Python, and the next firing then reaches
    ordinary code. The call is made inside this function's own ``try``, so no
    firing can land between the call's end and the timer's stop, and once the
    ``finally`` has begun every firing is harmless.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        return function(*args)
    timer = _Timer(seconds)
    try:
        try:
            timer.start()
            return function(*args)
        finally:
            timer.stop()
    except _Expired:
        raise InputTooLarge(timer.message()) from None


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """The block form of :func:`within` (for tests): the same timer around the block.

    A firing in the instant between the block's end and this generator's
    resumption would escape; :func:`within` has no such gap, so the pipeline uses it.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return
    timer = _Timer(seconds)
    try:
        try:
            timer.start()
            yield
        finally:
            timer.stop()
    except _Expired:
        raise InputTooLarge(timer.message()) from None
