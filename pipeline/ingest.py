"""One notice file -> rows of every output table, and the write of those rows.

This is the library entry point the CLI calls: reader -> header and tables ->
targets -> rows. Nothing here knows about a file format.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import __version__, sources, targets
from pipeline.errors import InputTooLarge, UnreadableInput
from pipeline.header import read_header
from pipeline.rules import rules_version
from pipeline.schema import TARGETS
from pipeline.tables import Task, document_to_tasks
from pipeline.write import write_document

MAX_FILE_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Parsed:
    doc_id: str
    source_format: str
    tables: dict[str, list[dict[str, Any]]]


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


def parse_bytes(data: bytes, source_file: str) -> Parsed:
    sha = hashlib.sha256(data).hexdigest()
    doc_id = sha[:16]  # documents are identified by their bytes
    doc = sources.read(data)
    header = read_header(doc)
    tasks = document_to_tasks(doc)
    task_rows: list[dict[str, Any]] = []
    unit_rows: list[dict[str, Any]] = []
    target_rows: list[dict[str, Any]] = []
    for row_no, task in enumerate(tasks, start=1):
        task_rows.append(_task_row(doc_id, task, row_no))
        unit_rows.extend(
            {"doc_id": doc_id, "task_id": task.task_id, "unit": unit, "role": role, "position": position}
            for position, (unit, role) in enumerate(task.units, start=1)
        )
        target_rows.extend(_target_row(doc_id, task, t) for t in targets.extract(task.text or ""))
    document = {
        "doc_id": doc_id,
        "title": header.title,
        "issuer": header.issuer,
        "issue_date": header.issue_date,
        "year": header.year,
        "source_file": source_file,
        "source_format": doc.source_format,
        "source_sha256": sha,
        "pipeline_version": __version__,
        "rules_version": rules_version(),
        "task_count": len(task_rows),
        "target_count": len(target_rows),
    }
    return Parsed(
        doc_id=doc_id,
        source_format=doc.source_format,
        tables={"documents": [document], "tasks": task_rows, "task_units": unit_rows, "targets": target_rows},
    )


def parse_file(path: Path) -> Parsed:
    return parse_bytes(read_source(path), path.name)


def ingest_file(path: Path, out: Path) -> Parsed:
    """Parse ``path`` and write its rows under ``out``, replacing any earlier version."""
    parsed = parse_file(path)
    write_document(out, parsed.doc_id, parsed.tables)
    return parsed


def _task_row(doc_id: str, task: Task, row_no: int) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "task_id": task.task_id,
        "table": task.table,
        "section": task.section,
        "item_no": task.item_no,
        "part_no": task.part_no,
        "name": task.name,
        "text": task.text,
        "deadline": task.deadline,
        "row_no": row_no,
    }


_TASK_COLUMNS = ("doc_id", "task_id", "table", "item_no")
_TARGET_FIELDS = tuple(name for name in TARGETS.names if name not in _TASK_COLUMNS)


def _target_row(doc_id: str, task: Task, target: targets.Target) -> dict[str, Any]:
    row: dict[str, Any] = {"doc_id": doc_id, "task_id": task.task_id, "table": task.table, "item_no": task.item_no}
    row.update((name, getattr(target, name)) for name in _TARGET_FIELDS)
    return row
