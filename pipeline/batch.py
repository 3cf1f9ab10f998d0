"""Ingest many notices: in order or in parallel, with a time budget per file.

Each file is parsed and written by itself (see :mod:`pipeline.write` for the
atomic write), so one bad file never stops or corrupts the others. Files with
identical bytes are one document: the first in input order (folders are walked
in sorted order) is ingested and the others are reported as skipped.
"""

from __future__ import annotations

import hashlib
import os
import stat
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.rules import Rules

DEFAULT_TIME_LIMIT = 120.0


@dataclass(frozen=True)
class Outcome:
    path: Path
    status: str  # "ok", "failed" or "skipped"
    detail: str  # counts, the error message, or why it was skipped
    doc_id: str | None = None


def ingest_one(path: Path, out: Path, rules: Rules, seconds: float = DEFAULT_TIME_LIMIT, debug: bool = False) -> Outcome:
    """:func:`pipeline.ingest.ingest_file`, with every failure turned into an Outcome, never an exception."""
    from pipeline.ingest import ingest_file

    try:
        parsed = ingest_file(path, out, rules, seconds)
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


# The rules of a worker process, set once by the pool's initializer.
_worker_rules: Rules | None = None


def _start_worker(rules: Rules) -> None:
    global _worker_rules
    _worker_rules = rules


def _work(path: Path, out: Path, seconds: float, debug: bool) -> Outcome:
    assert _worker_rules is not None, "worker started without rules"
    return ingest_one(path, out, _worker_rules, seconds, debug)


def _fingerprint(path: Path) -> str | None:
    """SHA-256 of a regular file within the size limit; None leaves the reader to report it."""
    from pipeline.ingest import MAX_FILE_BYTES

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None  # reported by the reader with a proper message


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[Outcome]]:
    """The files to ingest, and failures for inputs that are not files.

    Folders are walked recursively in sorted order, hidden files and folders
    skipped. A folder that cannot be read, a folder holding no file, and
    anything that is not a regular file (a FIFO, a device) are failures; a
    missing path is left for the reader to report. No file is listed twice.
    """
    files: list[Path] = []
    problems: list[Outcome] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        if path.is_dir():
            found = _walk(path, problems)
            if not found and not any(p.path == path for p in problems):
                problems.append(Outcome(path, "failed", "folder holds no files"))
            for child in found:
                add(child)
        elif path.exists() and not path.is_file():
            problems.append(Outcome(path, "failed", "not a regular file"))
        else:
            add(path)
    return files, problems


def _walk(folder: Path, problems: list[Outcome]) -> list[Path]:
    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        problems.append(Outcome(where, "failed", f"cannot read folder ({error.strerror})"))

    found: list[Path] = []
    for top, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(top) / name
            if path.is_file():
                found.append(path)
            else:
                problems.append(Outcome(path, "failed", "not a regular file"))
    return found


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
    rules: Rules,
    jobs: int = 1,
    seconds: float = DEFAULT_TIME_LIMIT,
    debug: bool = False,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
    on_start: Callable[[int], None] = lambda total: None,
) -> list[Outcome]:
    """Ingest every path (files or folders); outcomes in input order, ``on_done`` as each finishes.

    With ``jobs`` > 1 the files are parsed by worker processes, each given
    ``rules`` once when it starts.
    """
    files, problems = collect(paths)
    on_start(len(files) + len(problems))
    todo, skipped = plan(files)
    outcomes: list[Outcome] = []
    for outcome in problems + skipped:
        on_done(outcome)
    if jobs <= 1 or len(todo) <= 1:
        for path in todo:
            outcomes.append(ingest_one(path, out, rules, seconds, debug))
            on_done(outcomes[-1])
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(rules,)) as pool:
            futures = [pool.submit(_work, path, out, seconds, debug) for path in todo]
            for future in as_completed(futures):
                outcomes.append(future.result())
                on_done(outcomes[-1])
    order = {path: i for i, path in enumerate(files)}
    return problems + sorted(outcomes + skipped, key=lambda o: order[o.path])
