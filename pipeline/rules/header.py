"""``rules/header.yaml``: title endings, document number, date and year patterns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import RuleFile, read_rule_file

FILE = "header.yaml"
KEYS = (
    "title_endings", "doc_number", "addressee_endings", "date", "numeric_date", "date_closers", "year", "chrome",
    "damaged_date", "written_date",
)


@dataclass(frozen=True)
class HeaderRules:
    title_endings: tuple[str, ...]
    doc_number: regex.Pattern[str]
    addressee_endings: tuple[str, ...]
    date: regex.Pattern[str]  # groups y, m, d
    numeric_date: regex.Pattern[str]  # groups y, m, d: 2021-02-25
    date_closers: tuple[str, ...]
    year: regex.Pattern[str]  # group year
    chrome: tuple[regex.Pattern[str], ...]  # page chrome lines (spaces removed, simplified)
    damaged_date: regex.Pattern[str]  # a date line that lost characters
    written_date: regex.Pattern[str]  # groups y, m, d: the 成文日期 metadata


def load(folder: Path, lists: Mapping[str, Iterable[str]]) -> HeaderRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    date = rule_file.pattern("date", lists)
    year = rule_file.pattern("year", lists)
    written = rule_file.pattern("written_date", lists)
    numeric = rule_file.pattern("numeric_date", lists)
    ymd = {"y", "m", "d"}
    checks = (("date", date, ymd), ("numeric_date", numeric, ymd), ("year", year, {"year"}), ("written_date", written, ymd))
    for key, pattern, groups in checks:
        if not groups <= set(pattern.groupindex):
            raise rule_file.error(key, f"should have the groups {sorted(groups)}")
    return HeaderRules(
        title_endings=rule_file.strings("title_endings"),
        doc_number=rule_file.pattern("doc_number", lists),
        addressee_endings=rule_file.strings("addressee_endings"),
        date=date,
        numeric_date=numeric,
        date_closers=rule_file.strings("date_closers"),
        year=year,
        chrome=tuple(
            rule_file.pattern("chrome", lists, entry=name, source=_source(rule_file, name, source))
            for name, source in rule_file.mapping("chrome").items()
        ),
        damaged_date=rule_file.pattern("damaged_date", lists),
        written_date=written,
    )


def _source(rule_file: RuleFile, name: str, source: object) -> str:
    if not isinstance(source, str) or not source.strip():
        raise rule_file.error("chrome", "should be a pattern", name)
    return source
