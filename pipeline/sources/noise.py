"""Library warnings and log records met while reading a notice.

Libraries warn through :mod:`warnings` or :mod:`logging`, and with nothing
configured Python prints both on stderr, where a successful ingest must stay
quiet (a PDF library once printed thousands of lines for one good file).
:func:`captured` keeps them instead as the document's warnings (stage
``reader``), the same message counted once, at most :data:`KEPT` of them, so
the output does not depend on how the command was run. When the caller has
configured logging itself (``ingest --debug`` does), its handlers show them
as well, Python warnings included.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.model import Warning

KEPT = 20


class _Collect(logging.Handler):
    def __init__(self, seen: Counter[tuple[str, str]]) -> None:
        super().__init__(logging.WARNING)
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a library's bad format string must not break the read
            message = str(record.msg)
        self.seen[(record.name, _first_line(message))] += 1


@contextmanager
def captured() -> Iterator[list[Warning]]:
    """Collect warnings and log records of the block into the yielded list (filled on exit)."""
    found: list[Warning] = []
    seen: Counter[tuple[str, str]] = Counter()
    root = logging.getLogger()
    debugging = bool(root.handlers)  # configured by the caller: show what is kept, too
    handler = _Collect(seen)
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            yield found
    finally:
        root.removeHandler(handler)
    for warning in caught:
        where = f"{warning.category.__name__} from {warning.filename.rsplit('/', 1)[-1]}"
        seen[(where, _first_line(str(warning.message)))] += 1
        if debugging:
            logging.getLogger("py.warnings").warning("%s: %s", where, warning.message)
    for (where, what), count in list(seen.items())[:KEPT]:
        found.append(Warning("reader", where, what if count == 1 else f"{what} (×{count})"))
    if len(seen) > KEPT:
        found.append(Warning("reader", "libraries", f"{len(seen) - KEPT} more kinds of library warning"))


def _first_line(message: str) -> str:
    line = message.strip().split("\n", 1)[0]
    return line if len(line) <= 200 else line[:199] + "…"
