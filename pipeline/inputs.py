"""Which files an ``ingest`` reads: folders walked, duplicates and output folders left out.

Folders are walked recursively in sorted order, hidden files and folders
skipped, and so are the tables of any output folder inside them (one holding
``.store``: ``ingest .`` twice never reads its own output) and this run's
output folder; the output folder may itself hold the notices (``--out .``). Files with identical bytes are
one document: the first in input order is ingested and the others are
reported as skipped. Each file's first bytes tell its format, so the batch
knows what its workers will need.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import PipelineError
from pipeline.ingest import MAX_FILE_BYTES
from pipeline.store import STORE, is_output_folder
from pipeline.write import VIEWS

SNIFF_BYTES = 4096
STDIN = "-"  # the PATH that reads a notice from standard input
STDIN_NAME = "stdin"  # its name in messages and in documents.source_file


@dataclass(frozen=True)
class Outcome:
    """What became of one input. A written file (``ok``) also says which notice it is and what was written."""

    path: Path
    status: str  # "ok", "failed" or "skipped"
    detail: str  # counts, the error message, or why it was skipped
    doc_id: str | None = None
    notice_id: str | None = None
    region: str | None = None
    year: int | None = None
    title: str | None = None
    source_format: str | None = None
    counts: Mapping[str, int] = field(default_factory=dict)  # rows written per table
    replaced: str | None = None  # the file of the notice whose rows these replace
    warnings: tuple[tuple[str, str, str], ...] = ()  # (stage, where, what): what was read with doubt


def _fingerprint(path: Path) -> tuple[str, str | None] | None:
    """SHA-256 and format of a regular file within the size limit; None leaves the reader to report it."""
    from pipeline import sources

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
            digest.update(head)
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None  # reported by the reader with a proper message
    try:
        fmt: str | None = sources.sniff(head)
    except PipelineError:
        fmt = None
    return digest.hexdigest(), fmt


def _in_output(path: Path, out: Path) -> bool:
    """Is ``path`` the output of an ingest: in an output folder's ``.store`` or table folders?

    An output folder is one holding ``.store``, and ``out`` (where this run
    writes). The folder itself may hold notices too (``--out .``): a path
    beside its tables is an input. Symbolic links are resolved, so a table
    folder (a link into ``.store``) is in it.
    """
    real = path.resolve()
    output = out.resolve()
    for folder in real.parents:
        if folder == output or is_output_folder(folder):
            inside = real.relative_to(folder).parts[0]
            if inside == STORE or (inside in VIEWS and is_output_folder(folder)):
                return True
    return False


def collect(paths: Sequence[Path], out: Path | None = None) -> tuple[list[Path], list[Outcome]]:
    """The files to ingest, and failures for inputs that are not files.

    Folders are walked recursively in sorted order, hidden files and folders
    skipped, and so are the tables of any output folder inside them (``ingest
    .`` twice), and the output folder of this run. A folder that cannot be
    read, a folder holding no file, anything that is not a regular file (a
    FIFO, a device), and a path in an output folder's tables or ``.store`` (or
    an output folder holding nothing else) given as an input are failures; a
    missing path is left for the reader to report. No file is listed twice.
    """
    files: list[Path] = []
    problems: list[Outcome] = []
    seen: set[Path] = set()
    output = out if out is not None else Path(os.devnull)

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        if path.exists() and _in_output(path, output):
            problems.append(Outcome(path, "failed", "is in an output folder of the pipeline, not an input"))
        elif path.is_dir():
            found = _walk(path, problems, output.resolve())
            if not found and not any(p.path == path for p in problems):
                output_only = is_output_folder(path) or path.resolve() == output.resolve()
                why = "is an output folder of the pipeline, not an input" if output_only else "folder holds no files"
                problems.append(Outcome(path, "failed", why))
            for child in found:
                add(child)
        elif path.exists() and not path.is_file():
            problems.append(Outcome(path, "failed", "not a regular file"))
        else:
            add(path)
    return files, problems


def _walk(folder: Path, problems: list[Outcome], output: Path) -> list[Path]:
    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        problems.append(Outcome(where, "failed", f"cannot read folder ({error.strerror})"))

    def is_input(top: str, name: str) -> bool:
        """A folder to walk: not hidden, not the output's table folders (links into .store, never walked)."""
        path = Path(top) / name
        return not name.startswith(".") and not (name in VIEWS and is_output_folder(Path(top))) and path.resolve() != output

    found: list[Path] = []
    for top, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if is_input(top, d))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(top) / name
            if path.is_file():
                found.append(path)
            else:
                problems.append(Outcome(path, "failed", "not a regular file"))
    return found


def plan(paths: Sequence[Path]) -> tuple[list[Path], list[Outcome], set[str]]:
    """Split ``paths`` into files to ingest and duplicates to skip; the formats of the former."""
    todo: list[Path] = []
    skipped: list[Outcome] = []
    formats: set[str] = set()
    first_seen: dict[str, Path] = {}
    for path in paths:
        found = _fingerprint(path)
        if found is not None and found[0] in first_seen:
            skipped.append(Outcome(path, "skipped", f"same content as {first_seen[found[0]]}"))
            continue
        if found is not None:
            first_seen[found[0]] = path
            if found[1] is not None:
                formats.add(found[1])
        todo.append(path)
    return todo, skipped, formats


@contextmanager
def saved_stdin(stream: BinaryIO) -> Iterator[Path]:
    """The notice on ``stream`` (standard input) as a file named ``stdin`` in a private temporary folder.

    It is read up to one byte over :data:`~pipeline.ingest.MAX_FILE_BYTES`, so
    an endless stream stops there and the reader refuses the file as too large,
    like any other. The folder is removed when the block ends.
    """
    with tempfile.TemporaryDirectory(prefix="notice-pipeline-") as folder:
        path = Path(folder) / STDIN_NAME
        left = MAX_FILE_BYTES + 1
        with path.open("wb") as handle:
            while left > 0:
                chunk = stream.read(min(left, 1 << 20))
                if not chunk:
                    break
                handle.write(chunk)
                left -= len(chunk)
        yield path
