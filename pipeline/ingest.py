"""One notice file -> rows of every output table -> its files, and their publication.

:func:`prepare` is the one way a file goes through the pipeline: reader ->
header and identity, tables -> targets -> rows (:func:`parse_bytes`, timed) ->
files (:func:`pipeline.write.render`). The batch runs it for each file, in a
worker process or not, and publishes the results in input order
(:mod:`pipeline.publish`); :func:`ingest_file` does both for one file (the
golden tests call it). Nothing here knows about a file format.
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
from pipeline.identity import identify
from pipeline.model import Document
from pipeline.names import file_name
from pipeline.rules import Rules
from pipeline.schema import TABLES, row
from pipeline.store import stage
from pipeline.tables import read_tasks
from pipeline.timelimit import within
from pipeline.write import render

MAX_FILE_BYTES = 100 * 1024 * 1024

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Parsed:
    doc_id: str  # the file's bytes
    notice_id: str  # the notice (pipeline.identity): the stem of its files
    source_format: str
    tables: dict[str, Rows]
    document: Document  # the neutral document the rows were read from


@dataclass(frozen=True)
class Prepared:
    """A parsed file ready to publish: every table's files, as bytes or staged files.

    The documents files assume the notice is new to the dataset; when it is not,
    publishing renders them again, with ``source_files`` naming the files
    ingested for the notice before.
    """

    doc_id: str
    notice_id: str
    source_format: str
    counts: dict[str, int]  # rows per table
    document: dict[str, Any]  # the documents row
    files: dict[str, bytes | Path]  # a Path is a staged file, removed once published
    warnings: tuple[tuple[str, str, str], ...] = ()  # (stage, where, what) of each warnings row
    task_texts: tuple[str, ...] = ()  # to tell another copy of the notice from another notice with its title


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
    except OSError as exc:  # EIO from a failing disk, ELOOP, ENAMETOOLONG ...
        raise UnreadableInput(f"cannot read ({exc.strerror or type(exc).__name__})") from None


def parse_bytes(data: bytes, source_file: str, rules: Rules, jobs: int = 1) -> Parsed:
    sha = hashlib.sha256(data).hexdigest()
    doc_id = sha[:16]  # documents are identified by their bytes
    doc = layouts.apply(sources.read(data, rules, jobs), rules)  # jobs: pages of a scan read at once
    header = read_header(doc, rules)
    identity = identify(header, doc_id, rules)
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
        notice_id=identity.notice_id, region=identity.region, level=identity.level, source_files=source_file,
    )
    return Parsed(
        doc_id=doc_id,
        notice_id=identity.notice_id,
        source_format=doc.source_format,
        tables={
            "documents": [document], "tasks": tasks, "task_units": task_units, "targets": target_rows,
            "warnings": warnings,
        },
        document=doc,
    )


def parse_file(path: Path, rules: Rules, jobs: int = 1) -> Parsed:
    return parse_bytes(read_source(path), file_name(path), rules, jobs)


def prepare(
    path: Path, rules: Rules, seconds: float = 0, layout: str = "flat", jobs: int = 1, staging: Path | None = None
) -> Prepared:
    """Parse ``path`` and render its files, staged into the folder ``staging`` when given.

    Parsing must end within ``seconds`` (0: no limit), else :class:`InputTooLarge`;
    rendering is not timed.
    """
    parsed = within(seconds, parse_file, path, rules, jobs)
    return to_prepared(parsed, layout, staging)


def to_prepared(parsed: Parsed, layout: str, staging: Path | None = None) -> Prepared:
    document = parsed.tables["documents"][0]
    rendered = render(parsed.notice_id, parsed.tables, layout, document["year"], TABLES)
    files: dict[str, bytes | Path] = dict(rendered) if staging is None else dict(stage(staging, rendered))
    return Prepared(
        doc_id=parsed.doc_id,
        notice_id=parsed.notice_id,
        source_format=parsed.source_format,
        counts={name: len(rows) for name, rows in parsed.tables.items()},
        document=document,
        files=files,
        warnings=tuple((str(w["stage"]), str(w["where"]), str(w["what"])) for w in parsed.tables["warnings"]),
        task_texts=tuple(str(task["text"] or "") for task in parsed.tables["tasks"]),
    )


def ingest_file(path: Path, out: Path, rules: Rules, seconds: float = 0, layout: str | None = None) -> Parsed:
    """Parse ``path`` and publish its files under ``out``, replacing its notice's earlier files."""
    from pipeline.publish import Publisher

    parsed = within(seconds, parse_file, path, rules)
    publisher = Publisher(out, layout)
    publisher.publish([to_prepared(parsed, publisher.layout)])
    return parsed
