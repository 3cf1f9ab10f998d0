"""``rules/header.yaml``: title endings, document number, date and year patterns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import read_rule_file

FILE = "header.yaml"
KEYS = ("title_endings", "doc_number", "addressee_endings", "date", "date_closers", "year")


@dataclass(frozen=True)
class HeaderRules:
    title_endings: tuple[str, ...]
    doc_number: regex.Pattern[str]
    addressee_endings: tuple[str, ...]
    date: regex.Pattern[str]  # groups y, m, d
    date_closers: tuple[str, ...]
    year: regex.Pattern[str]  # group year


def load(folder: Path, lists: Mapping[str, Iterable[str]]) -> HeaderRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    date = rule_file.pattern("date", lists)
    year = rule_file.pattern("year", lists)
    for key, pattern, groups in (("date", date, {"y", "m", "d"}), ("year", year, {"year"})):
        if not groups <= set(pattern.groupindex):
            raise rule_file.error(key, f"should have the groups {sorted(groups)}")
    return HeaderRules(
        title_endings=rule_file.strings("title_endings"),
        doc_number=rule_file.pattern("doc_number", lists),
        addressee_endings=rule_file.strings("addressee_endings"),
        date=date,
        date_closers=rule_file.strings("date_closers"),
        year=year,
    )
