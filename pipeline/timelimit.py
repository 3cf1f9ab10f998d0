"""A time budget for parsing one file: :func:`time_limit`."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.errors import InputTooLarge


class _Expired(BaseException):
    """Raised by the timer. A BaseException, so library code that catches
    ``Exception`` broadly (pdfminer does) cannot swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise InputTooLarge when the block runs longer than ``seconds`` (0: no limit; main thread, Unix).

    After expiring, the timer fires again every quarter second until the block
    ends: a handler's exception that lands in a finaliser (``__del__`` during
    garbage collection) is dropped by Python, and the next firing then reaches
    ordinary code.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return
    state = {"finished": False}

    def expired(signum: int, frame: object) -> None:
        if not state["finished"]:
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, min(seconds, 0.25))
    timed_out = False
    try:
        yield
    except _Expired:
        timed_out = True
    finally:
        state["finished"] = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if timed_out:
        raise InputTooLarge(f"took longer than the {seconds:g} s time limit")
