"""Ingest many notices: in order or in parallel, with a time budget per file.

Each file is parsed and written by itself (see :mod:`pipeline.write` for the
atomic write), so one bad file never stops or corrupts the others. Files with
identical bytes are one document: the first (in sorted order) is ingested and
the others are reported as skipped, which keeps the output deterministic.
"""

from __future__ import annotations

import hashlib
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputTooLarge, PipelineError

DEFAULT_TIME_LIMIT = 120.0


@dataclass(frozen=True)
class Outcome:
    path: Path
    status: str  # "ok", "failed" or "skipped"
    detail: str  # counts, the error message, or why it was skipped
    doc_id: str | None = None


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise InputTooLarge when the block runs longer than ``seconds`` (main thread, Unix)."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise InputTooLarge(f"took longer than the {seconds:g} s time limit")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def ingest_one(path: Path, out: Path, seconds: float = DEFAULT_TIME_LIMIT, debug: bool = False) -> Outcome:
    """Parse and write one file; every failure becomes an Outcome, never an exception."""
    from pipeline.ingest import ingest_file

    try:
        with time_limit(seconds):
            parsed = ingest_file(path, out)
    except PipelineError as exc:
        return Outcome(path, "failed", str(exc))
    except MemoryError:
        return Outcome(path, "failed", "ran out of memory")
    except Exception as exc:  # a bug: reported in one line, traceback only with --debug
        detail = traceback.format_exc() if debug else f"internal error ({type(exc).__name__}: {exc})"
        return Outcome(path, "failed", detail.strip())
    counts = {name: len(rows) for name, rows in parsed.tables.items()}
    detail = (
        f"{parsed.source_format}: {counts['tasks']} tasks, {counts['task_units']} units, "
        f"{counts['targets']} targets"
    )
    return Outcome(path, "ok", detail, parsed.doc_id)


def _fingerprint(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None  # reported by the reader with a proper message


def plan(paths: Sequence[Path]) -> tuple[list[Path], list[Outcome]]:
    """Split ``paths`` into files to ingest and duplicates to skip."""
    todo: list[Path] = []
    skipped: list[Outcome] = []
    first_seen: dict[str, Path] = {}
    for path in paths:
        fingerprint = _fingerprint(path)
        if fingerprint is not None and fingerprint in first_seen:
            skipped.append(Outcome(path, "skipped", f"same content as {first_seen[fingerprint]}"))
            continue
        if fingerprint is not None:
            first_seen[fingerprint] = path
        todo.append(path)
    return todo, skipped


def run(
    paths: Sequence[Path],
    out: Path,
    jobs: int = 1,
    seconds: float = DEFAULT_TIME_LIMIT,
    debug: bool = False,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Ingest every path; outcomes in input order, ``on_done`` called as each finishes."""
    todo, skipped = plan(paths)
    outcomes: list[Outcome] = []
    for outcome in skipped:
        on_done(outcome)
    if jobs <= 1 or len(todo) <= 1:
        for path in todo:
            outcomes.append(ingest_one(path, out, seconds, debug))
            on_done(outcomes[-1])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(ingest_one, path, out, seconds, debug) for path in todo]
            for future in as_completed(futures):
                outcomes.append(future.result())
                on_done(outcomes[-1])
    order = {path: i for i, path in enumerate(paths)}
    return sorted(outcomes + skipped, key=lambda o: order[o.path])
