"""``rules/compare.yaml``: how indicators are normalised before two notices' targets are paired."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import read_rule_file

FILE = "compare.yaml"
KEYS = ("scope", "synonyms")


@dataclass(frozen=True)
class CompareRules:
    scope: regex.Pattern[str]  # removed from the start of an indicator
    synonyms: dict[str, str]  # every listed word (canonical ones too) -> its canonical word
    synonym: regex.Pattern[str]  # any word of ``synonyms``, longest first


def load(folder: Path, lists: Mapping[str, Iterable[str]]) -> CompareRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    synonyms: dict[str, str] = {}
    entries = rule_file.mapping("synonyms")
    for canonical in entries:
        synonyms[canonical] = canonical
    for canonical, words in entries.items():
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise rule_file.error("synonyms", "should list the words meaning the same", canonical)
        for word in words:
            if word in synonyms:
                raise rule_file.error("synonyms", f"is listed twice (already under {synonyms[word]!r})", word,
                                      at=canonical)
            synonyms[word] = canonical
    longest_first = sorted(synonyms, key=lambda w: (-len(w), w))
    return CompareRules(
        scope=rule_file.pattern("scope", lists),
        synonyms=synonyms,
        synonym=regex.compile(r"\L<words>", words=longest_first),
    )
