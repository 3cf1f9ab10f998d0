"""The document header: title, issuer, issue date and year.

Read from the paragraphs before the first responsibility table. A notice
opens with an optional document number (嘉政办发〔2021〕5号), a title over one
or more lines ending in 通知/意见/…, the addressee (ending with ：), the body,
the issuer line and the date (2021年2月25日 or 二〇二一年二月二十五日). Web
copies add page chrome (breadcrumbs, 索引号/成文日期/发布日期 metadata, 分享到,
mastheads), which is never title, issuer or date, and may lose characters, so
every field may be missing: a date that lost its separators (2022510) gives no
date, unless the 成文日期 metadata gives it. Words are matched in simplified
characters, and the fields are returned as written. The words and patterns
are ``rules/header.yaml``; line punctuation is ``rules/text.yaml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from pipeline import numerals
from pipeline.columns import map_columns
from pipeline.model import Document, Paragraph
from pipeline.rules import Rules
from pipeline.simplified import to_simplified
from pipeline.textnorm import fold_width

TITLE_LINES = 6  # the title ends within the first lines that are not chrome
TITLE_WRAPS = 2  # lines above the one ending the title that may belong to it (a title over three lines)
DOC_NUMBER_LINE = 30  # a line holding a document number and shorter than this is not title
DATE_LINE_EXTRA = 20  # a date line holds at most this much besides the date (the issuer)
ISSUER_LINE = 40  # the line above the date is the issuer when at most this long
HEADER_ROWS = 4  # rows of a table looked at for a header row
MAX_TITLE = 100  # characters of a title line that does not end like one: a longer line is body text
MIN_TITLE = 6  # characters: fewer (全文, 正文) is no title


@dataclass(frozen=True)
class Header:
    title: str | None
    issuer: str | None
    issue_date: dt.date | None
    year: int | None


@dataclass(frozen=True)
class _Line:
    text: str  # as written, spaces collapsed
    plain: str  # simplified characters, for matching


def read_header(doc: Document, rules: Rules) -> Header:
    everything = _header_lines(doc, rules)
    lines = [line for line in everything if not _is_chrome(line, rules)]
    title, title_end = _title(lines, rules)
    date_at, issue_date = _issue_date(lines, title_end, rules)
    issuer = _issuer(lines, date_at, rules)
    if issue_date is None:
        issue_date = _written_date(everything, rules)
    year = None
    for source in (to_simplified(title or ""), *(line.plain for line in lines)):
        if match := rules.header.year.search(source):
            year = int(match.group("year"))
            break
    if year is None and issue_date:
        year = issue_date.year
    return Header(title=title, issuer=issuer, issue_date=issue_date, year=year)


def _header_lines(doc: Document, rules: Rules) -> list[_Line]:
    """The paragraphs before the first responsibility table; the rows of other
    tables before it (a metadata block read as a table) as lines too."""
    lines = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            texts = [block.text]
        elif any(map_columns(row, rules.tables) for row in block.rows[:HEADER_ROWS]):
            break
        else:
            texts = [" | ".join(cell for cell in row if cell.strip()) for row in block.rows]
        for text in texts:
            written = fold_width(" ".join(text.split()))
            if written:
                lines.append(_Line(written, to_simplified(written)))
    return lines


def _is_chrome(line: _Line, rules: Rules) -> bool:
    squeezed = "".join(line.plain.split())
    return any(pattern.search(squeezed) for pattern in rules.header.chrome)


def _title(lines: list[_Line], rules: Rules) -> tuple[str | None, int]:
    """The first line ending like a title (通知), with the lines above it that it wraps
    from; and the index of the first line after the title."""
    head = rules.header
    for index, line in enumerate(lines[:TITLE_LINES]):
        if line.plain.endswith(head.addressee_endings):
            break
        if not line.plain.endswith(head.title_endings) or _is_doc_number(line, rules):
            continue
        start = index
        while start > 0 and index - start < TITLE_WRAPS and _wraps_into_title(lines[start - 1], rules):
            start -= 1
        return "".join(line.text for line in lines[start : index + 1]), index + 1
    return _title_without_ending(lines, rules), 0


def _wraps_into_title(line: _Line, rules: Rules) -> bool:
    """Could ``line`` be the start of a title wrapped onto the next line?"""
    text = rules.text
    ends = (*text.sentence_ends, *text.lead_ins, *text.clause_marks, *rules.header.title_endings)
    return not _is_doc_number(line, rules) and not line.plain.endswith(ends) and not _is_date_line(line, rules)


def _title_without_ending(lines: list[_Line], rules: Rules) -> str | None:
    """No line ends like a title: the lines up to the addressee, as they stand; never a
    sentence, a paragraph (longer than a title) or a word or two (全文)."""
    parts: list[str] = []
    for line in lines[:TITLE_LINES]:
        if _is_doc_number(line, rules):
            continue
        if line.plain.endswith((*rules.header.addressee_endings, *rules.text.sentence_ends)) or len(line.plain) > MAX_TITLE:
            break
        parts.append(line.text)
    title = "".join(parts)
    return title if len(title) >= MIN_TITLE else None


def _is_doc_number(line: _Line, rules: Rules) -> bool:
    return bool(rules.header.doc_number.search(line.plain)) and len(line.plain) < DOC_NUMBER_LINE


def _is_date_line(line: _Line, rules: Rules) -> bool:
    return _date_match(line, rules) is not None or _is_damaged_date(line, rules)


def _is_damaged_date(line: _Line, rules: Rules) -> bool:
    return bool(rules.header.damaged_date.match("".join(line.plain.split())))


def _date_match(line: _Line, rules: Rules) -> regex.Match[str] | None:
    """The date when ``line`` holds little besides it (an issuer before it)."""
    closers = "".join(rules.header.date_closers) + " "
    match = rules.header.date.search(line.plain) or rules.header.numeric_date.search(line.plain)
    if (
        match
        and match.end() >= len(line.plain.rstrip(closers)) - 1
        and len(line.plain) <= len(match.group()) + DATE_LINE_EXTRA
    ):
        return match
    return None


def _issue_date(lines: list[_Line], start: int, rules: Rules) -> tuple[int | None, dt.date | None]:
    """The first line after the title that is only a date, possibly after the issuer's
    name; failing one, a date line that lost characters (2022510) is the date line,
    but gives no date."""
    for index in range(start, len(lines)):
        if match := _date_match(lines[index], rules):
            date = _date(match["y"], match["m"], match["d"], rules)
            if date is not None:
                return index, date
    for index in range(start, len(lines)):
        if _is_damaged_date(lines[index], rules):
            return index, None
    return None, None


def _written_date(lines: list[_Line], rules: Rules) -> dt.date | None:
    """The 成文日期 of the page's metadata, chrome included."""
    for line in lines:
        if match := rules.header.written_date.search(line.plain):
            return _date(match["y"], match["m"], match["d"], rules)
    return None


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


def _issuer(lines: list[_Line], date_at: int | None, rules: Rules) -> str | None:
    if date_at is None:
        return None
    line = lines[date_at]
    match = _date_match(line, rules)
    before_date = line.text[: match.start()].strip() if match else ""
    if before_date:
        return before_date
    if date_at > 0:
        candidate = lines[date_at - 1]
        text = rules.text
        if len(candidate.text) <= ISSUER_LINE and not candidate.plain.endswith(
            (*text.sentence_ends, *text.lead_ins, *text.clause_marks)
        ):
            return candidate.text
    return None
