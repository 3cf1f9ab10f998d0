"""Notices -> one self-contained HTML review page each.

The page shows the header fields, a summary (tasks and targets per table),
the notice's warnings, then every table with each task's text where every
target is highlighted in place from its span (coloured by commitment, details
in a tooltip) and the task's units with their roles; two filter boxes (unit,
text) hide the tasks that do not match. No network: inline CSS and script
only, and a Content-Security-Policy that forbids loading anything.

The page is rendered by Jinja2 with autoescaping on, so task text holding
``< & " '`` is shown as written and can never inject markup. A target whose
span does not fit the text (out of range, overlapping the one before, or not
its ``span_text``) is listed after the task text, marked, instead of being
placed wrongly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.dataset import Notice, Row
from pipeline.errors import OutputError
from pipeline.files import replace_file, unique_stems
from pipeline.labels import labels, read_text, value_text, word
from pipeline.ledger import deadline, tables_of
from pipeline.write import format_value

TEMPLATE = "review.html"


@dataclass(frozen=True)
class Segment:
    text: str
    target: dict[str, Any] | None = None


def write_reviews(notices: Sequence[Notice], out: Path | None) -> list[Path]:
    """One page per notice: ``out`` is the file for one notice, the folder for several (default: here)."""
    pages = [render(n) for n in notices]
    names = [labels()["formats"]["review_file"].format(name=stem) for stem in unique_stems(notices)]
    if len(notices) == 1 and out is not None and not out.is_dir():
        paths = [out]
    else:
        folder = out or Path(".")
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder}: several notices need a folder for --out, not a file")
        paths = [folder / name for name in names]
    for path, page in zip(paths, pages, strict=True):
        replace_file(path, page.encode("utf-8"))
    return paths


def render(notice: Notice) -> str:
    return _template().render(**page_context(notice))


@cache
def _template() -> Any:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(read_text(TEMPLATE))


def page_context(notice: Notice) -> dict[str, Any]:
    """Everything the template shows, as plain values."""
    units_by_task: dict[str, list[Row]] = {}
    for unit in notice.units:
        units_by_task.setdefault(unit["task_id"], []).append(unit)
    targets_by_task: dict[str, list[Row]] = {}
    for target in notice.targets:
        targets_by_task.setdefault(target["task_id"], []).append(target)
    tables: list[dict[str, Any]] = []
    for table, tasks in tables_of(notice):
        views = [
            _task_view(t, units_by_task.get(t["task_id"], []), targets_by_task.get(t["task_id"], []))
            for t in tasks
        ]
        _mark_sections(views)
        tables.append(
            {
                "key": table,
                "label": word("tables", table),
                "tasks": views,
                "has_deadline": any(v["deadline"] for v in views),
                "targets": sum(len(targets_by_task.get(t["task_id"], [])) for t in tasks),
            }
        )
    summary = [{"label": t["label"], "tasks": len(t["tasks"]), "targets": t["targets"]} for t in tables]
    return {
        "version": __version__,
        "title": notice.document.get("title") or notice.doc_id,
        "header": header_fields(notice.document),
        "summary": summary,
        "total_tasks": len(notice.tasks),
        "total_targets": sum(t["targets"] for t in tables),
        "warnings": notice.warnings,
        "tables": tables,
        "unit_names": sorted({u["unit"] for u in notice.units}),
        "headers": labels()["headers"],
        "commitments": labels()["commitments"],
    }


def header_fields(document: Row) -> list[tuple[str, str]]:
    return [
        (label, format_value(document.get(key)))
        for key, label in labels()["notice_fields"].items()
        if document.get(key) is not None
    ]


def _task_view(task: Row, units: list[Row], targets: list[Row]) -> dict[str, Any]:
    text = str(task.get("text") or "")
    segments, unplaced = place_targets(text, targets)
    names = [u["unit"] for u in units]
    return {
        "task_id": task["task_id"],
        "number": _number(task),
        "section": task.get("section"),
        "name": task.get("name"),
        "deadline": format_value(deadline(task)),
        "segments": segments,
        "unplaced": [_target_view(t) for t in unplaced],
        "units": [
            {"name": u["unit"], "role": u.get("role") or "", "role_label": word("roles", u.get("role"))}
            for u in units
        ],
        "unit_list": "\n".join(names + [str(u["unit_canonical"]) for u in units if u.get("unit_canonical")]),
        "search_text": "\n".join(str(v) for v in (task.get("section"), task.get("name"), text) if v),
    }


def _number(task: Row) -> str:
    number = format_value(task.get("item_no"))
    part = task.get("part_no")
    return f"{number}-{part}" if part and part > 1 else number


def _mark_sections(views: list[dict[str, Any]]) -> None:
    previous = None
    for view in views:
        view["section_start"] = bool(view["section"]) and view["section"] != previous
        previous = view["section"]


def place_targets(text: str, targets: list[Row]) -> tuple[list[Segment], list[Row]]:
    """Split ``text`` into plain and highlighted segments; targets whose span does not fit come back apart.

    >>> segs, bad = place_targets('ab300cd', [{'span_start': 2, 'span_end': 5, 'span_text': '300'}])
    >>> [(s.text, s.target is not None) for s in segs], bad
    ([('ab', False), ('300', True), ('cd', False)], [])
    >>> place_targets('ab', [{'span_start': 1, 'span_end': 9, 'span_text': 'x'}])[1]
    [{'span_start': 1, 'span_end': 9, 'span_text': 'x'}]
    """
    segments: list[Segment] = []
    unplaced: list[Row] = []
    pos = 0
    for target in sorted(targets, key=lambda t: (t.get("span_start") is None, t.get("span_start") or 0)):
        start, end = target.get("span_start"), target.get("span_end")
        if start is None or end is None or not pos <= start < end <= len(text):
            unplaced.append(target)
            continue
        if target.get("span_text") not in (None, text[start:end]):
            unplaced.append(target)
            continue
        if start > pos:
            segments.append(Segment(text[pos:start]))
        segments.append(Segment(text[start:end], _target_view(target)))
        pos = end
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return segments, unplaced


def _target_view(target: Row) -> dict[str, Any]:
    h = labels()["headers"]
    commitment = target.get("commitment")
    lines = [
        (h["indicator"], target.get("indicator") or ""),
        (h["value"], value_text(target)),
        (h["unit"], target.get("unit") or ""),
        (
            h["comparator"],
            word("comparator_words", target.get("comparator")) or target.get("comparator") or "",
        ),
        (h["commitment"], word("commitments", commitment)),
        (h["deadline_year"], format_value(target.get("deadline_year"))),
    ]
    return {
        "indicator": target.get("indicator") or "",
        "span_text": target.get("span_text") or "",
        "commitment_key": commitment if commitment in ("guaranteed", "aspirational") else "none",
        "tooltip": "\n".join(f"{label}: {value}" for label, value in lines if value),
    }
