"""Printing lines for the command line: escaped, and never fatal when the reader has gone.

``ingest … | head`` or quitting ``less`` closes the pipe the command writes
to. Like csvkit and ruff, the command then stops printing to that stream and
goes on with its work: a batch is written whole and exits with its usual
code, without a ``BrokenPipeError`` traceback. Each line is flushed as it is
printed (a pipe sees every line when it happens, and nothing is left in a
buffer for the interpreter to fail on at exit); once a write fails, the
stream's file descriptor is pointed at ``/dev/null``, so that the final flush
at exit is silent too.

Every line goes through :func:`pipeline.names.shown` unless it is already
safe (:func:`say_raw`, for JSON that escapes its own text).
"""

from __future__ import annotations

import contextlib
import os
import sys
import weakref
from typing import TextIO

from pipeline.names import shown

_gone: weakref.WeakSet[TextIO] = weakref.WeakSet()  # the streams whose reader has gone


def say(line: str) -> None:
    """One line on stdout, escaped."""
    write(sys.stdout, shown(line))


def error(line: str) -> None:
    """One line on stderr, escaped."""
    write(sys.stderr, shown(line))


def say_raw(text: str) -> None:
    """``text`` (already safe to print) and a line end on stdout."""
    write(sys.stdout, text)


def write(stream: TextIO, text: str) -> None:
    """``text`` and a line end on ``stream``, flushed; nothing once the stream's reader has gone."""
    if stream in _gone:
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except BrokenPipeError:
        gone(stream)


def gone(stream: TextIO) -> None:
    """Stop writing to ``stream``: its reader has closed the pipe."""
    _gone.add(stream)
    with contextlib.suppress(OSError, ValueError, AttributeError):  # not a real file (pytest's capture)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())  # what is still buffered goes nowhere, quietly
        finally:
            os.close(null)


def finish() -> None:
    """Flush stdout and stderr at the end of a command; a closed pipe is not an error."""
    for stream in (sys.stdout, sys.stderr):
        if stream in _gone:
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            gone(stream)
        except (OSError, ValueError):  # pragma: no cover - a stream closed by the caller
            pass
