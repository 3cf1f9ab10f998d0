"""Deadlines as dates: the 完成时限 text of a task -> ``tasks.deadline_date``.

The date is the last day of the period the text names, in the notice's year
(``documents.year``) unless the text names a year itself: 12月底前 is 31
December, 三季度 30 September, 2022年6月底 30 June 2022. A text naming several
periods gets the latest (12月底前完成一期，次年6月底前全部完成 -> June of the
next year); open-ended work (长期, 持续推进) and text nothing matches have no
date. The text itself stays in ``tasks.deadline``. The words and the pattern
are ``rules/deadlines.yaml``.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [str(deadline_date(t, 2022, rules)) for t in ("12月底前", "三季度", "2023年6月底", "长期")]
    ['2022-12-31', '2022-09-30', '2023-06-30', 'None']
"""

from __future__ import annotations

import calendar
import datetime as dt

import regex

from pipeline import numerals
from pipeline.rules import Rules
from pipeline.simplified import to_simplified
from pipeline.textnorm import fold_width, squeeze

LAST_MONTH = 12


def deadline_date(text: str | None, year: int | None, rules: Rules) -> dt.date | None:
    """The date ``text`` (a 完成时限 cell) ends on, in a notice of ``year``; None when it names none.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> deadline_date("6月30日前", 2024, rules), deadline_date("9月中旬", 2024, rules)
    (datetime.date(2024, 6, 30), datetime.date(2024, 9, 20))
    >>> deadline_date("12月底前", None, rules) is None   # no year to put it in
    True
    """
    if not text:
        return None
    table = rules.deadlines
    clean = squeeze(fold_width(to_simplified(text)))
    if any(word in clean for word in table.open_ended):
        return None
    found = []
    for match in table.date.finditer(clean):
        if match.end() == match.start() or clean.startswith(table.starts, match.end()):
            continue
        year = _year(match, year, rules)  # a year written holds for the months after it
        date = _date(match, year, rules)
        if date is not None:
            found.append(date)
    return max(found, default=None)


def _year(match: regex.Match[str], year: int | None, rules: Rules) -> int | None:
    """The year a match is in: the one it names (2023年, 次年), else ``year``."""
    if written := match.group("year"):
        return int(written) if written.isdigit() else numerals.digit_string(written, rules.numerals)
    if match.group("next_year") and year is not None:
        return year + 1
    return year


def _date(match: regex.Match[str], year: int | None, rules: Rules) -> dt.date | None:
    """The last day of the period one match names, in ``year``; None when it is not a real date."""
    table = rules.deadlines
    groups = match.groupdict()
    if year is None:
        return None
    month = _number(groups["month"], rules) if groups["month"] else None
    day = None
    if groups["year_part"]:
        month = table.year_parts[groups["year_part"]]
    elif month is None:
        if not (groups["year"] or groups["next_year"]):
            return None
        month = LAST_MONTH  # a year alone: its last day
    if groups["day"]:
        day = _number(groups["day"], rules)
    elif groups["month_part"]:
        day = table.month_parts[groups["month_part"]] or None
    if month is None or not 1 <= month <= LAST_MONTH:
        return None
    try:
        return dt.date(year, month, day if day is not None else calendar.monthrange(year, month)[1])
    except ValueError:  # 2月30日
        return None


def _number(text: str, rules: Rules) -> int | None:
    """Digits, or a Chinese numeral (十二)."""
    return int(text) if text.isdigit() else numerals.value(text, rules.numerals)
