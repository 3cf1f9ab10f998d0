"""One clause's quantities -> slots: each number with the text around it that its fields are read from.

A :class:`Slot` is a quantity in its clause: the text before it (since the
previous target, where its indicator is written when the noun comes first),
the noun written after it (``20所省二级以上幼儿园``), the comparator words
next to it, the tier word governing it, and, under 分别, the listed item it
takes. :mod:`pipeline.targets` turns each slot into a target with one small
function per field.

Passes, in order: 分别 (a listed value takes its listed item), then the walk
over the quantities that drops counts restating a list (``南湖、嘉善、桐乡3个``),
carries a comparator across a list (``不低于30%、40%``) and stops at a share
whose threshold follows (``80%以上的村…达到150万元``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import indicators
from pipeline.numbers import Quantity
from pipeline.rules import Rules

Span = tuple[int, int]


@dataclass(frozen=True)
class Slot:
    quantity: Quantity
    span_end: int  # after the number, its unit and a comparator word written after it
    after_word: str  # that comparator word (以上, 左右), or ""
    lead: str  # the clause up to the number: deadline years
    before: str  # since the previous target (or the clause start): the noun of GUIDE rule 3
    tiers: tuple[Span, ...]  # tier words inside ``before``, relative to it
    tier: str | None  # the last tier word before the number in the clause
    noun: str | None  # the noun written after the number (GUIDE rule 4), when it comes after
    link: str | None  # the comparator word before the number, or shared across a list
    spread: tuple[str, str | None] | None  # under 分别: the listed item and the verb


def clause_slots(text: str, clause: Span, quantities: list[Quantity], rules: Rules) -> list[Slot]:
    """The slots of the quantities of one clause of ``text`` (width-folded task text)."""
    start, end = clause
    tiers = _tier_spans(text, start, end, rules)
    spread = _spread(text, clause, quantities, tiers, rules)
    slots: list[Slot] = []
    segment_start = start
    for index, quantity in enumerate(quantities):
        after_word = _after_word(text, quantity.end, rules)
        span_end = quantity.end + len(after_word)
        after = text[span_end:end]
        before = text[segment_start : quantity.start]
        next_start = quantities[index + 1].start if index + 1 < len(quantities) else end
        noun_follows = _noun_follows(after, rules)
        if noun_follows and quantity.unit != "%" and indicators.restates_enumeration(before, quantity.value, rules):
            continue
        earlier_tiers = [(a, b) for a, b in tiers if b <= quantity.start]
        slots.append(
            Slot(
                quantity=quantity,
                span_end=span_end,
                after_word=after_word,
                lead=text[start : quantity.start],
                before=before,
                tiers=_relative([(a, b) for a, b in earlier_tiers if a >= segment_start], segment_start),
                tier=text[slice(*earlier_tiers[-1])] if earlier_tiers else None,
                noun=after[: next_start - span_end] if noun_follows else None,
                link=_link(before, slots[-1].link if slots else None, rules),
                spread=spread.get(index),
            )
        )
        segment_start = max(span_end, next_start) if noun_follows else span_end
        if noun_follows and quantity.unit == "%" and rules.patterns.share_of.match(after):
            break  # 80%以上的村…达到150万元: the later numbers are the threshold
    return slots


def _relative(spans: list[Span], origin: int) -> tuple[Span, ...]:
    return tuple((a - origin, b - origin) for a, b in spans)


def _tier_spans(text: str, start: int, end: int, rules: Rules) -> list[Span]:
    """Tier words (确保, 力争) in ``text[start:end]``, except inside an exception (向上争取)."""
    words = rules.words
    exceptions = [m.span() for m in words.tier_exception.finditer(text, start, end)]
    return [m.span() for m in words.tier.finditer(text, start, end) if not any(a <= m.start() < b for a, b in exceptions)]


def _after_word(text: str, position: int, rules: Rules) -> str:
    match = rules.words.after.match(text, position)
    return match.group() if match else ""


def _noun_follows(after: str, rules: Rules) -> bool:
    """Is the noun written after the number (20所省二级以上幼儿园) rather than before it?"""
    if not after or after.startswith((*rules.words.list_separators, *rules.words.list_ends)):
        return False
    return bool(rules.patterns.noun_start.match(after))


def _link(before: str, previous: str | None, rules: Rules) -> str | None:
    """The comparator word written right before the number (longest: 不低于 over 低于), or
    the previous number's when only list separators stand between (不低于30%、40%)."""
    preceding = before.rstrip()
    for match in rules.words.before.finditer(preceding, overlapped=True):
        if match.end() == len(preceding):
            return match.group()
    if previous is not None and not rules.words.list_separator.sub("", before).strip():
        return previous
    return None


def _spread(
    text: str, clause: Span, quantities: list[Quantity], tiers: list[Span], rules: Rules
) -> dict[int, tuple[str, str | None]]:
    """分别: the quantities after it, each with its listed item and the verb (GUIDE rule 6)."""
    start, end = clause
    marker = rules.words.spread_marker.search(text, start, end)
    if marker is None:
        return {}
    listed = [index for index, quantity in enumerate(quantities) if quantity.start > marker.start()]
    if len(listed) < 2:
        return {}
    previous = [quantity for quantity in quantities if quantity.end <= marker.start()]
    head_start = previous[-1].end if previous else start
    head_tiers = _relative([(a, b) for a, b in tiers if head_start <= a and b <= marker.start()], head_start)
    head, verb = indicators.before_number(text[head_start : marker.start()], list(head_tiers), rules)
    items = indicators.spread(head, len(listed), rules)
    if items is None:
        return {}
    link = rules.words.before.search(text, marker.start(), quantities[listed[0]].start)
    return {index: (item, link.group() if link else verb) for index, item in zip(listed, items, strict=True)}
