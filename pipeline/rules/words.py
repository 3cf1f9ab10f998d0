"""``rules/words.yaml``: comparator, tier, verb and list words around a target's number.

Each word is listed once. The comparator words written before a number are
link verbs too, except the approximators (``~``: 约, 大约), which are trimmed
from an indicator's ends like the list separators, list ends and 分别 markers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import RuleFile, read_rule_file

FILE = "words.yaml"
KEYS = (
    "comparators_before", "comparators_after", "tiers", "tier_exceptions", "lead_verbs", "link_verbs",
    "trims", "list_separators", "list_ends", "spread_markers", "noun_ends", "shared_tail_starts",
    "shared_tail_short_items",
)
COMPARATORS = (">=", ">", "<", "<=", "~", "=", "range")
APPROXIMATE = "~"
COMMITMENTS = ("guaranteed", "aspirational")


@dataclass(frozen=True)
class WordRules:
    comparators_before: dict[str, str]  # word -> comparator
    comparators_after: dict[str, str]
    tiers: dict[str, str]  # word -> commitment
    lead_verbs: tuple[str, ...]
    link_verbs: tuple[str, ...]  # as listed, then the comparator words that are verbs
    trims: tuple[str, ...]  # as listed, separators, list ends, approximators, 分别 markers; longest first
    list_separators: tuple[str, ...]
    list_ends: tuple[str, ...]
    shared_tail_short_items: int
    # Each list as a pattern matching any of its words, longest first at one position.
    before: regex.Pattern[str]
    after: regex.Pattern[str]
    tier: regex.Pattern[str]
    tier_exception: regex.Pattern[str]
    lead_verb: regex.Pattern[str]
    link_verb: regex.Pattern[str]
    noun_end: regex.Pattern[str]
    shared_tail_start: regex.Pattern[str]
    spread_marker: regex.Pattern[str]
    list_separator: regex.Pattern[str]


def any_word(words: Iterable[str]) -> regex.Pattern[str]:
    return regex.compile(r"\L<words>", words=list(words))


def load(folder: Path) -> WordRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    before = rule_file.choices("comparators_before", COMPARATORS)
    after = rule_file.choices("comparators_after", COMPARATORS)
    tiers = rule_file.choices("tiers", COMMITMENTS)
    lists = {key: rule_file.strings(key) for key in KEYS if key not in {
        "comparators_before", "comparators_after", "tiers", "shared_tail_short_items"}}
    approximators = tuple(word for word, comparator in before.items() if comparator == APPROXIMATE)
    verbs = tuple(word for word, comparator in before.items() if comparator != APPROXIMATE)
    _listed_once(rule_file, "link_verbs", lists["link_verbs"], {"comparators_before": verbs})
    implied_trims = {
        "list_separators": lists["list_separators"],
        "list_ends": lists["list_ends"],
        "comparators_before": approximators,
        "spread_markers": lists["spread_markers"],
    }
    _listed_once(rule_file, "trims", lists["trims"], implied_trims)
    link_verbs = lists["link_verbs"] + verbs
    # Longest first, so 大约 goes whole rather than leaving 大 behind once 约 is gone.
    trims = lists["trims"] + tuple(word for words in implied_trims.values() for word in words)
    trims = tuple(sorted(trims, key=len, reverse=True))
    return WordRules(
        comparators_before=before,
        comparators_after=after,
        tiers=tiers,
        lead_verbs=lists["lead_verbs"],
        link_verbs=link_verbs,
        trims=trims,
        list_separators=lists["list_separators"],
        list_ends=lists["list_ends"],
        shared_tail_short_items=rule_file.integer("shared_tail_short_items", minimum=1),
        before=any_word(before),
        after=any_word(after),
        tier=any_word(tiers),
        tier_exception=any_word(lists["tier_exceptions"]),
        lead_verb=any_word(lists["lead_verbs"]),
        link_verb=any_word(link_verbs),
        noun_end=any_word(lists["noun_ends"]),
        shared_tail_start=any_word(lists["shared_tail_starts"]),
        spread_marker=any_word(lists["spread_markers"]),
        list_separator=any_word(lists["list_separators"]),
    )


def _listed_once(rule_file: RuleFile, key: str, words: tuple[str, ...], implied: dict[str, tuple[str, ...]]) -> None:
    """A word ``key`` gets from another list must not be listed under ``key`` again."""
    for index, word in enumerate(words):
        for source, source_words in implied.items():
            if word in source_words:
                raise rule_file.error(key, f"need not be listed: it comes from {source!r}", word, at=index)
