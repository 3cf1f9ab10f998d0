"""``rules/unit_aliases.yaml``: the variants of bureau names, dated renames, whole-name aliases.

Checked here, once: every name is a non-empty string listed once across the
file (a variant under two bodies, a canonical name listed as a variant, an old
name of a rename that is also a variant are refused), a rename's ``from`` is a
year and its ``new`` a canonical name, not a variant of one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from pipeline.rules.loading import RuleFile, read_rule_file

FILE = "unit_aliases.yaml"
KEYS = ("place", "second_name", "bodies", "renames", "names")
RENAME_KEYS = {"old", "new", "from"}
FIRST_YEAR, LAST_YEAR = 1949, 2100


@dataclass(frozen=True)
class Rename:
    """A body called ``old`` (its first old name) until ``since``, then ``new``."""

    old: str
    new: str
    since: int


@dataclass(frozen=True)
class AliasRules:
    place: regex.Pattern[str]  # what may stand before a body: 嘉兴市, 县, 各县（市、区）, nothing
    second_name: regex.Pattern[str]  # a trailing bracket's content that is the body's second name
    bodies: dict[str, str | Rename]  # every body name (canonical, variant, old name) -> canonical or rename
    names: dict[str, str]  # whole names -> canonical

    @property
    def longest_body(self) -> int:
        return max(map(len, self.bodies), default=0)


def load(folder: Path, lists: Mapping[str, Iterable[str]]) -> AliasRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    bodies: dict[str, str | Rename] = {}
    _add_lists(rule_file, "bodies", bodies)
    for index, entry in enumerate(_renames(rule_file)):
        rename = _rename(rule_file, index, entry, bodies)
        for old in entry["old"]:
            _claim(rule_file, "renames", old, bodies, index)
            bodies[old] = rename
    names: dict[str, str | Rename] = {}
    _add_lists(rule_file, "names", names)
    return AliasRules(
        place=rule_file.pattern("place", lists),
        second_name=rule_file.pattern("second_name", lists),
        bodies=bodies,
        names={name: str(canonical) for name, canonical in names.items()},
    )


def _add_lists(rule_file: RuleFile, key: str, into: dict[str, str | Rename]) -> None:
    """``canonical: [variants]`` entries of ``key``: each name, canonical or variant, maps to its canonical."""
    entries = rule_file.mapping(key)
    for canonical in entries:  # canonical names first, so a variant that repeats one is caught
        _claim(rule_file, key, canonical, into)
        into[canonical] = canonical
    for canonical, variants in entries.items():
        if not isinstance(variants, list) or not variants:
            raise rule_file.error(key, "should list its variants", canonical)
        for variant in variants:
            if not isinstance(variant, str) or not variant.strip():
                raise rule_file.error(key, "should list non-empty names", canonical)
            _claim(rule_file, key, variant, into, canonical)
            into[variant] = canonical


def _claim(
    rule_file: RuleFile, key: str, name: str, taken: Mapping[str, str | Rename], entry: str | int | None = None
) -> None:
    if name in taken:
        where = taken[name]
        already = f"the rename to {where.new!r}" if isinstance(where, Rename) else repr(where)
        raise rule_file.error(key, f"is listed twice (already under {already})", name, at=entry)


def _renames(rule_file: RuleFile) -> list[dict[str, Any]]:
    entries = rule_file.data["renames"]
    if not isinstance(entries, list):
        raise rule_file.error("renames", "should be a list of {old, new, from}")
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != RENAME_KEYS:
            raise rule_file.error("renames", f"should have exactly the keys {sorted(RENAME_KEYS)}", at=index)
    return entries


def _rename(rule_file: RuleFile, index: int, entry: dict[str, Any], bodies: Mapping[str, str | Rename]) -> Rename:
    old, new, year = entry["old"], entry["new"], entry["from"]
    label = f"#{index + 1}"
    if not isinstance(old, list) or not old or not all(isinstance(o, str) and o.strip() for o in old):
        raise rule_file.error("renames", "should list the old names under 'old'", label, at=index)
    if not isinstance(new, str) or not new.strip():
        raise rule_file.error("renames", "should give the new name under 'new'", label, at=index)
    canonical = bodies.get(new)
    if isinstance(canonical, str) and canonical != new:
        raise rule_file.error("renames", f"new name {new!r} is a variant: give its canonical name {canonical!r}",
                              label, at=index)
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise rule_file.error("renames", f"'from' should be a year ({FIRST_YEAR}-{LAST_YEAR})", label, at=index)
    return Rename(old=old[0], new=new, since=year)
