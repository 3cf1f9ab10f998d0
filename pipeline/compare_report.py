"""What ``compare`` shows: one CSV row per target pair, and an aligned table for the terminal.

The CSV (UTF-8 with BOM, like the output tables) holds for each pair both
years, the status, the indicator and ``unit_base``, both values (scale folded in, as in
``targets.value_base``) and as written, both comparators, commitments, lead
units (canonical names), indicators, task ids, task texts and notices. The
table holds the status, indicator, both values as written, the commitment and
the lead units; a column that changed shows ``old -> new``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.compare import STATUSES, Change, Side
from pipeline.dataset import Notice
from pipeline.write import format_value

COLUMNS = (
    "old_year", "new_year", "status", "indicator", "unit_base", "old_value", "new_value",
    "old_as_written", "new_as_written", "old_comparator", "new_comparator", "old_commitment", "new_commitment",
    "old_lead", "new_lead", "old_indicator", "new_indicator", "old_task", "new_task", "old_text", "new_text",
    "old_notice", "new_notice",
)
HEADINGS = ("status", "indicator", "unit", "old", "new", "commitment", "lead units")
ARROW = " -> "
GAP = "  "


@dataclass(frozen=True)
class Comparison:
    old: Notice
    new: Notice
    changes: list[Change]


def rows(comparison: Comparison, separator: str) -> list[dict[str, str]]:
    """The CSV rows of one comparison; ``separator`` joins lead units (the notices' own, 、)."""
    out = []
    for change in comparison.changes:
        row = {
            "old_year": format_value(comparison.old.document.get("year")),
            "new_year": format_value(comparison.new.document.get("year")),
            "status": change.status,
            "indicator": _field(change.new or change.old, "indicator"),
            "unit_base": _field(change.new or change.old, "unit_base"),
            "old_notice": _notice_id(comparison.old),
            "new_notice": _notice_id(comparison.new),
        }
        for prefix, side in (("old_", change.old), ("new_", change.new)):
            row[prefix + "value"] = _field(side, "value_base")
            row[prefix + "as_written"] = _field(side, "span_text")
            row[prefix + "comparator"] = _field(side, "comparator")
            row[prefix + "commitment"] = _field(side, "commitment")
            row[prefix + "lead"] = separator.join(side.leads) if side else ""
            row[prefix + "indicator"] = _field(side, "indicator")
            row[prefix + "task"] = _field(side, "task_id")
            row[prefix + "text"] = format_value(side.task.get("text")) if side and side.task else ""
        out.append({column: row[column] for column in COLUMNS})
    return out


def csv_bytes(comparisons: Sequence[Comparison], separator: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for comparison in comparisons:
        writer.writerows(rows(comparison, separator))
    return buffer.getvalue().encode("utf-8-sig")


def table(comparison: Comparison, separator: str) -> str:
    """A title line, a count per status, and one aligned line per pair."""
    lines = [[*HEADINGS]]
    for change in comparison.changes:
        old, new = change.old, change.new
        lines.append(
            [
                change.status,
                _field(new or old, "indicator"),
                _field(new or old, "unit_base"),
                _field(old, "span_text"),
                _field(new, "span_text"),
                _either(_field(old, "commitment"), _field(new, "commitment"), change),
                _either(separator.join(old.leads) if old else "", separator.join(new.leads) if new else "", change),
            ]
        )
    widths = [max(display_width(line[i]) for line in lines) for i in range(len(HEADINGS))]
    counts = Counter(change.status for change in comparison.changes)
    summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    out = [f"{_title(comparison.old)} -> {_title(comparison.new)}: {summary or 'no targets'}"]
    for line in lines:
        out.append(GAP.join(_pad(cell, width) for cell, width in zip(line, widths, strict=True)).rstrip())
    return "\n".join(out)


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide (Chinese) characters take two.

    >>> display_width("abc"), display_width("澜桥市"), display_width("≥300家")
    (3, 6, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _either(old: str, new: str, change: Change) -> str:
    """One value when both sides agree (or only one side exists), else ``old -> new``."""
    if change.old is None:
        return new
    if change.new is None or old == new:
        return old
    return f"{old or '-'}{ARROW}{new or '-'}"


def _field(side: Side | None, name: str) -> str:
    if side is None:
        return ""
    return format_value(side.target.get(name))


def _notice_id(notice: Notice) -> str:
    return str(notice.document.get("notice_id") or notice.doc_id)


def _title(notice: Notice) -> str:
    """``<region or issuer> <year> (<doc_id>)``."""
    document = notice.document
    place = document.get("region") or document.get("issuer") or notice.name
    return f"{place} {format_value(document.get('year'))} ({notice.doc_id})".replace("  ", " ")
