"""One notice file -> rows of every output table, and the write of those rows.

:func:`ingest_file` is the one way a file goes through the pipeline (the CLI's
batch runs it for each file; the golden tests call it): reader -> header and
tables -> targets -> rows -> write. Nothing here knows about a file format.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import __version__, layouts, sources, targets
from pipeline.aliases import canonical
from pipeline.deadlines import deadline_date
from pipeline.errors import InputTooLarge, UnreadableInput
from pipeline.header import read_header
from pipeline.model import Document
from pipeline.rules import Rules
from pipeline.schema import row
from pipeline.tables import read_tasks
from pipeline.timelimit import time_limit
from pipeline.write import write_document

MAX_FILE_BYTES = 100 * 1024 * 1024

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Parsed:
    doc_id: str
    source_format: str
    tables: dict[str, Rows]
    document: Document  # the neutral document the rows were read from


def read_source(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputTooLarge(f"file is {size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit")
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput("no such file") from None
    except IsADirectoryError:
        raise UnreadableInput("is a directory") from None
    except PermissionError:
        raise UnreadableInput("permission denied") from None


def parse_bytes(data: bytes, source_file: str, rules: Rules, jobs: int = 1) -> Parsed:
    sha = hashlib.sha256(data).hexdigest()
    doc_id = sha[:16]  # documents are identified by their bytes
    doc = layouts.apply(sources.read(data, rules, jobs), rules)  # jobs: pages of a scan read at once
    header = read_header(doc, rules)
    tasks: Rows = []
    task_units: Rows = []
    target_rows: Rows = []
    read = read_tasks(doc, rules)
    for row_no, task in enumerate(read.tasks, start=1):
        ids = {"doc_id": doc_id, "task_id": task.task_id}
        tasks.append(row("tasks", task, doc_id=doc_id, row_no=row_no, deadline_date=deadline_date(task.deadline, header.year, rules)))
        task_units.extend(
            row("task_units", **ids, unit=unit, role=role, position=position, unit_canonical=canonical(unit, header.year, rules))
            for position, (unit, role) in enumerate(task.units, start=1)
        )
        target_rows.extend(row("targets", target, task, **ids) for target in targets.extract(task.text or "", rules))
    warnings = [row("warnings", warning, doc_id=doc_id) for warning in (*doc.warnings, *read.warnings)]
    document = row(
        "documents", header, doc_id=doc_id, source_file=source_file, source_format=doc.source_format,
        source_sha256=sha, pipeline_version=__version__, rules_version=rules.version,
        task_count=len(tasks), target_count=len(target_rows), warning_count=len(warnings),
        notice_id=None, region=None, level=None, source_files=source_file,
    )
    return Parsed(
        doc_id=doc_id,
        source_format=doc.source_format,
        tables={
            "documents": [document], "tasks": tasks, "task_units": task_units, "targets": target_rows,
            "warnings": warnings,
        },
        document=doc,
    )


def parse_file(path: Path, rules: Rules) -> Parsed:
    return parse_bytes(read_source(path), path.name, rules)


def ingest_file(path: Path, out: Path, rules: Rules, seconds: float = 0) -> Parsed:
    """Parse ``path`` and write its rows under ``out``, replacing any earlier version.

    Parsing must end within ``seconds`` (0: no limit), else :class:`InputTooLarge`;
    the write is not timed, so a parsed document is always written whole.
    """
    with time_limit(seconds):
        parsed = parse_file(path, rules)
    write_document(out, parsed.doc_id, parsed.tables)
    return parsed
