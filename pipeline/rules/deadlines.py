"""``rules/deadlines.yaml``: the date pattern of a 完成时限, the parts of a year and of a month."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import RuleFile, read_rule_file

FILE = "deadlines.yaml"
KEYS = ("date", "year_parts", "month_parts", "starts", "open_ended")
GROUPS = {"year", "next_year", "month", "day", "month_part", "year_part"}
MONTHS, DAYS = 12, 31


@dataclass(frozen=True)
class DeadlineRules:
    date: regex.Pattern[str]  # groups year, next_year, month, day, month_part, year_part
    year_parts: dict[str, int]  # 三季度 -> 9: the month the part ends with
    month_parts: dict[str, int]  # 中旬 -> 20: the day the part ends on, 0 for the month's last
    starts: tuple[str, ...]  # a date before one of these is a start (2022年起)
    open_ended: tuple[str, ...]  # a deadline holding one of these has no date (长期)


def load(folder: Path, lists: Mapping[str, Iterable[str]]) -> DeadlineRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    year_parts = _numbers(rule_file, "year_parts", 1, MONTHS)
    month_parts = _numbers(rule_file, "month_parts", 0, DAYS)
    date = rule_file.pattern("date", {**lists, "year_parts": year_parts, "month_parts": month_parts})
    if set(date.groupindex) != GROUPS:
        raise rule_file.error("date", f"should have exactly the groups {sorted(GROUPS)}")
    return DeadlineRules(
        date=date,
        year_parts=year_parts,
        month_parts=month_parts,
        starts=rule_file.strings("starts"),
        open_ended=rule_file.strings("open_ended"),
    )


def _numbers(rule_file: RuleFile, key: str, low: int, high: int) -> dict[str, int]:
    values = rule_file.mapping(key)
    for word, number in values.items():
        if not isinstance(number, int) or isinstance(number, bool) or not low <= number <= high:
            raise rule_file.error(key, f"should be a number from {low} to {high}", word)
    return dict(values)
