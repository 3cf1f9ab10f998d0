"""``rules/patterns.yaml``: the quantity pattern, clause ends, deadlines, fillers and stop patterns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import read_rule_file

FILE = "patterns.yaml"
KEYS = ("quantity", "deadline", "clause_end", "fillers", "noun_start", "share_of", "stops")
QUANTITY_GROUPS = ("pct", "num", "scale", "num2", "scale2", "unit", "cnum", "cnum2", "cunit")


@dataclass(frozen=True)
class PatternRules:
    quantity: regex.Pattern[str]
    deadline: regex.Pattern[str]  # groups year, year2
    clause_end: regex.Pattern[str]
    fillers: regex.Pattern[str]
    noun_start: regex.Pattern[str]
    share_of: regex.Pattern[str]
    stops: tuple[regex.Pattern[str], ...]


def load(folder: Path, lists: Mapping[str, Iterable[str]]) -> PatternRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    compiled = {key: rule_file.pattern(key, lists) for key in KEYS if key != "stops"}
    for key, groups in (("quantity", QUANTITY_GROUPS), ("deadline", ("year", "year2"))):
        missing = [group for group in groups if group not in compiled[key].groupindex]
        if missing:
            raise rule_file.error(key, f"should have the groups {list(groups)} (missing {missing})")
    stops = []
    for name, source in rule_file.mapping("stops").items():
        if not isinstance(source, str) or not source.strip():
            raise rule_file.error("stops", "should be a pattern", name)
        stops.append(rule_file.pattern("stops", lists, entry=name, source=source))
    return PatternRules(stops=tuple(stops), **compiled)
