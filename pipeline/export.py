"""Notices -> one Excel workbook each (督办台账), written with XlsxWriter.

The sheets' content comes from :mod:`pipeline.ledger`; this module only lays
it out: a frozen, filterable header row, column widths fitted to Chinese text
(a Chinese character counts two), wrapped text, numbers as numbers, dates as
dates, A4 landscape one page wide with the header repeated when printed.

Every text cell is written with ``write_string``, so text starting with
``= + - @`` (or a tab or CR) stays text and can never become a formula. The
workbook's created date is the notice's issue date and XlsxWriter dates the
zip members 1980-01-01, so the same dataset gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from pipeline.dataset import Notice
from pipeline.files import replace_file, unique_stems
from pipeline.labels import labels
from pipeline.ledger import Sheet, Value, notice_sheets

# A column of width w holds about 1.05 w display columns of 10 pt text in Excel
# (LibreOffice fits ~1.2 w, leaving a little room): used to size wrapped rows.
CHARS_PER_WIDTH = 1.05
LINE_POINTS = 13.5  # one line of 10 pt text (Chinese glyphs included)
EPOCH = dt.datetime(2000, 1, 1)  # created date of a notice without an issue date
DATE_FORMAT = "yyyy-mm-dd"
WORKBOOK_OPTIONS = {
    "in_memory": True,  # fixed zip member dates
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}
_BASE = {"border": 1, "valign": "top", "font_size": 10}
_STYLES: dict[str, dict[str, Any]] = {
    "header": {
        "bold": True,
        "bg_color": "#D9E1F2",
        "text_wrap": True,
        "valign": "vcenter",
        "align": "center",
    },
    "text": {"text_wrap": True},
    "number": {"align": "center"},
    "date": {"num_format": DATE_FORMAT, "align": "center"},
    "blank": {},
}


def export_xlsx(notices: Sequence[Notice], folder: Path) -> list[Path]:
    """Write each notice's workbook into ``folder`` (built first, then each file replaced whole)."""
    built = [workbook_bytes(n) for n in notices]
    paths = [
        folder / labels()["formats"]["workbook_file"].format(name=stem) for stem in unique_stems(notices)
    ]
    for path, data in zip(paths, built, strict=True):
        replace_file(path, data)
    return paths


def workbook_bytes(notice: Notice) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    workbook.set_properties({"title": str(notice.document.get("title") or ""), "created": created(notice)})
    styles = _Styles(workbook)
    for sheet in notice_sheets(notice):
        write_sheet(workbook, sheet, styles)
    workbook.close()
    return buffer.getvalue()


def created(notice: Notice) -> dt.datetime:
    issued = notice.document.get("issue_date")
    return dt.datetime.combine(issued, dt.time()) if isinstance(issued, dt.date) else EPOCH


class _Styles:
    """Cell formats by kind, with a heavier top border on rows that open a group."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple[str, bool], Any] = {}

    def get(self, kind: str, group_start: bool = False) -> Any:
        key = (kind, group_start)
        if key not in self._made:
            spec = {**_BASE, **_STYLES[kind], **({"top": 2} if group_start else {})}
            self._made[key] = self._workbook.add_format(spec)
        return self._made[key]


def write_sheet(workbook: xlsxwriter.Workbook, sheet: Sheet, styles: _Styles) -> None:
    ws = workbook.add_worksheet(sheet.name)
    widths = column_widths(sheet)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_row(0, row_height([c.header for c in sheet.columns], widths))
    for col, column in enumerate(sheet.columns):
        ws.write_string(0, col, column.header, styles.get("header"))
    for r, row in enumerate(sheet.rows, start=1):
        ws.set_row(r, row_height(row, widths))
        starts = (r - 1) in sheet.group_starts
        for col, value in enumerate(row):
            write_cell(ws, r, col, value, styles, starts)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.columns) - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)


def write_cell(ws: Any, row: int, col: int, value: Value, styles: _Styles, group_start: bool) -> None:
    """One typed cell; text only through ``write_string`` (never a formula)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, styles.get("blank", group_start))
    elif isinstance(value, bool):
        ws.write_string(row, col, str(value), styles.get("text", group_start))
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, styles.get("number", group_start))
    elif isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        ws.write_datetime(row, col, moment, styles.get("date", group_start))
    else:
        ws.write_string(row, col, str(value), styles.get("text", group_start))


def column_widths(sheet: Sheet) -> list[float]:
    """Each column's width: its widest line (header included) plus padding, within the column's limits."""
    widths = []
    for col, column in enumerate(sheet.columns):
        widest = max([display_width(column.header)] + [_cell_width(row[col]) for row in sheet.rows])
        widths.append(float(min(max(widest + 2, column.min_width), column.max_width)))
    return widths


def row_height(row: Sequence[Value], widths: Sequence[float]) -> float:
    """Points for the tallest cell of ``row`` once wrapped (spreadsheets do not all fit rows on load)."""
    lines = max((_line_count(value, width) for value, width in zip(row, widths, strict=True)), default=1)
    return LINE_POINTS * max(lines, 1) + 3


def _line_count(value: Value, width: float) -> int:
    if not isinstance(value, str):
        return 1
    room = max(width * CHARS_PER_WIDTH - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / room)) for line in value.split("\n"))


def _cell_width(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return len(DATE_FORMAT)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return max(display_width(line) for line in str(value).split("\n"))


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: wide (Chinese) characters count 2.

    >>> display_width('abc'), display_width('嘉兴市'), display_width('≥300家')
    (3, 6, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
