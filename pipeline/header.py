"""The document header: title, issuer, issue date and year.

Read from the paragraphs before the first table. A notice opens with an
optional document number (嘉政办发〔2021〕5号), a title over one or more lines
ending in 通知/意见/…, the addressee (ending with ：), the body, the issuer
line and the date (2021年2月25日 or 二〇二一年二月二十五日). Web copies may lose
characters, so every field may be missing. The words and patterns are
``rules/header.yaml``; line punctuation is ``rules/text.yaml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline import numerals
from pipeline.model import Document, Paragraph
from pipeline.rules import Rules
from pipeline.textnorm import fold_width

TITLE_LINES = 6  # the title starts within the first lines
DOC_NUMBER_LINE = 30  # a line holding a document number and shorter than this is not title
DATE_LINE_EXTRA = 20  # a date line holds at most this much besides the date (the issuer)
ISSUER_LINE = 40  # the line above the date is the issuer when at most this long


@dataclass(frozen=True)
class Header:
    title: str | None
    issuer: str | None
    issue_date: dt.date | None
    year: int | None


def read_header(doc: Document, rules: Rules) -> Header:
    lines = []
    for block in doc.blocks:
        if not isinstance(block, Paragraph):
            break
        text = fold_width(" ".join(block.text.split()))
        if text:
            lines.append(text)
    title = _title(lines, rules)
    date_at, issue_date = _issue_date(lines, rules)
    issuer = _issuer(lines, date_at, rules)
    year = None
    for source in (title or "", *lines):
        if match := rules.header.year.search(source):
            year = int(match.group("year"))
            break
    if year is None and issue_date:
        year = issue_date.year
    return Header(title=title, issuer=issuer, issue_date=issue_date, year=year)


def _title(lines: list[str], rules: Rules) -> str | None:
    parts: list[str] = []
    for line in lines[:TITLE_LINES]:
        if rules.header.doc_number.search(line) and len(line) < DOC_NUMBER_LINE:
            continue
        if line.endswith(rules.header.addressee_endings):
            break
        parts.append(line)
        if line.endswith(rules.header.title_endings):
            break
    return "".join(parts) or None


def _issue_date(lines: list[str], rules: Rules) -> tuple[int | None, dt.date | None]:
    """The first line that is only a date, possibly after the issuer's name."""
    closers = "".join(rules.header.date_closers) + " "
    for index, line in enumerate(lines):
        match = rules.header.date.search(line)
        if (
            match
            and match.end() >= len(line.rstrip(closers)) - 1
            and len(line) <= len(match.group()) + DATE_LINE_EXTRA
        ):
            date = _date(match["y"], match["m"], match["d"], rules)
            if date is not None:
                return index, date
    return None, None


def _date(year: str, month: str, day: str, rules: Rules) -> dt.date | None:
    """A date from its written parts, or None when a part is malformed (二二日) or out of range.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> _date("二〇二一", "二", "二十五", rules), _date("2021", "2", "25", rules)
    (datetime.date(2021, 2, 25), datetime.date(2021, 2, 25))
    >>> _date("二〇二一", "二", "二二", rules), _date("2021", "13", "40", rules)
    (None, None)
    """
    table = rules.numerals
    parts = [int(year) if year.isdigit() else numerals.digit_string(year, table)]
    parts += [int(part) if part.isdigit() else numerals.value(part, table) for part in (month, day)]
    if None in parts:
        return None
    try:
        return dt.date(*parts)  # type: ignore[arg-type]
    except ValueError:
        return None


def _issuer(lines: list[str], date_at: int | None, rules: Rules) -> str | None:
    if date_at is None:
        return None
    match = rules.header.date.search(lines[date_at])
    before_date = lines[date_at][: match.start()].strip() if match else ""
    if before_date:
        return before_date
    if date_at > 0:
        candidate = lines[date_at - 1]
        text = rules.text
        if len(candidate) <= ISSUER_LINE and not candidate.endswith(
            (*text.sentence_ends, *text.lead_ins, *text.clause_marks)
        ):
            return candidate
    return None
