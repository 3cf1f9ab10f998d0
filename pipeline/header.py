"""The document header: title, issuer, issue date and year.

Read from the paragraphs before the first table. A notice opens with an
optional document number (嘉政办发〔2021〕5号), a title over one or more lines
ending in 通知/意见/…, the addressee (ending with ：), the body, the issuer
line and the date (2021年2月25日 or 二〇二一年二月二十五日). Web copies may lose
characters, so every field may be missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from pipeline.model import Document, Paragraph
from pipeline.textnorm import fold_width

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_DATE = regex.compile(
    r"(?P<y>[0-9]{4}|[〇○零Ｏ一二三四五六七八九]{4})\s*年\s*"
    r"(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日?"
)
_DOC_NUMBER = regex.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
_TITLE_END = ("通知", "通报", "意见", "方案", "决定", "的函", "责任分解", "任务分解")
_YEAR = regex.compile(r"(?<![0-9])(20[0-9]{2})\s*年")


@dataclass(frozen=True)
class Header:
    title: str | None
    issuer: str | None
    issue_date: dt.date | None
    year: int | None


def read_header(doc: Document) -> Header:
    lines = []
    for block in doc.blocks:
        if not isinstance(block, Paragraph):
            break
        text = fold_width(" ".join(block.text.split()))
        if text:
            lines.append(text)
    title = _title(lines)
    date_at, issue_date = _issue_date(lines)
    issuer = _issuer(lines, date_at)
    year = None
    for source in (title or "", *lines):
        if match := _YEAR.search(source):
            year = int(match.group(1))
            break
    if year is None and issue_date:
        year = issue_date.year
    return Header(title=title, issuer=issuer, issue_date=issue_date, year=year)


def _title(lines: list[str]) -> str | None:
    parts: list[str] = []
    for line in lines[:6]:
        if _DOC_NUMBER.search(line) and len(line) < 30:
            continue
        if line.endswith(("：", ":")):
            break
        parts.append(line)
        if line.endswith(_TITLE_END):
            break
    return "".join(parts) or None


def _issue_date(lines: list[str]) -> tuple[int | None, dt.date | None]:
    """The first line that is only a date, possibly after the issuer's name."""
    for index, line in enumerate(lines):
        match = _DATE.search(line)
        if match and match.end() >= len(line.rstrip("）) ")) - 1 and len(line) <= len(match.group()) + 20:
            parts = [_number(match[k]) for k in ("y", "m", "d")]
            if None in parts:
                continue  # not a well-formed numeral (二二日): no date rather than a wrong one
            try:
                return index, dt.date(*parts)  # type: ignore[arg-type]
            except ValueError:
                continue
    return None, None


def _number(text: str) -> int | None:
    """Arabic or Chinese numerals of a date part, or None when malformed.

    >>> [_number(t) for t in ("2021", "二〇二一", "十二", "二十五", "十", "二二", "十十")]
    [2021, 2021, 12, 25, 10, None, None]
    """
    if text.isdigit():
        return int(text)
    if len(text) == 4:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    match = regex.fullmatch(r"(?P<tens>[二三]?十)?(?P<ones>[一二三四五六七八九])?", text)
    if not match or not text:
        return None
    tens = match["tens"]
    ones = _CN_DIGITS[match["ones"]] if match["ones"] else 0
    if tens is None:
        return ones
    return (_CN_DIGITS[tens[0]] if len(tens) == 2 else 1) * 10 + ones


def _issuer(lines: list[str], date_at: int | None) -> str | None:
    if date_at is None:
        return None
    match = _DATE.search(lines[date_at])
    before_date = lines[date_at][: match.start()].strip() if match else ""
    if before_date:
        return before_date
    if date_at > 0:
        candidate = lines[date_at - 1]
        if len(candidate) <= 40 and not candidate.endswith(("。", "：", "；", "，")):
            return candidate
    return None
