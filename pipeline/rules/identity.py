"""``rules/identity.yaml``: region suffixes and levels, the issuer pattern, title wrappers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import read_rule_file

FILE = "identity.yaml"
KEYS = ("levels", "issuer", "body", "wrappers")
LEVELS = ("province", "city", "county", "district")


@dataclass(frozen=True)
class IdentityRules:
    levels: dict[str, str]  # region suffix -> province, city, county or district
    issuer: regex.Pattern[str]  # groups region, suffix
    body: tuple[str, ...]
    wrappers: tuple[regex.Pattern[str], ...]  # group core


def load(folder: Path) -> IdentityRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    levels = rule_file.choices("levels", LEVELS)
    suffixes = sorted(levels, key=len, reverse=True)
    issuer = rule_file.pattern("issuer", {"region_suffix": suffixes})
    if not {"region", "suffix"} <= set(issuer.groupindex):
        raise rule_file.error("issuer", "should have the groups ['region', 'suffix']")
    entries = rule_file.data["wrappers"]
    if not isinstance(entries, list) or not entries:
        raise rule_file.error("wrappers", "should be a non-empty list of patterns")
    wrappers = []
    for index, source in enumerate(entries):
        if not isinstance(source, str) or not source.strip():
            raise rule_file.error("wrappers", "should be a non-empty string", str(source), at=index)
        pattern = rule_file.pattern("wrappers", {}, entry=source, source=source)
        if "core" not in pattern.groupindex:
            raise rule_file.error("wrappers", "should have the group 'core'", source, at=index)
        wrappers.append(pattern)
    return IdentityRules(levels=levels, issuer=issuer, body=rule_file.strings("body"), wrappers=tuple(wrappers))
