"""Task text → quantitative targets (SPEC.md, "Quantitative targets").

Words are matched in simplified characters (:func:`~pipeline.simplified.to_simplified`,
same length, so offsets hold) and the indicator, unit and verb are returned as
written (:mod:`pipeline.written`).

Passes: find every quantity (:mod:`pipeline.numbers`); drop the ones inside
a stop pattern (quotes, names, years, ages, thresholds, grades, durations,
ordinals); cut the text into clauses; turn each clause's quantities into
slots (:mod:`pipeline.slots`); then read each field of a target from its slot
with one small function: :func:`indicator_and_verb`, :func:`comparator`,
:func:`commitment`, :func:`deadline`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline import indicators, numbers
from pipeline.rules import Rules
from pipeline.simplified import to_simplified
from pipeline.slots import Slot, clause_slots
from pipeline.textnorm import fold_width
from pipeline.written import as_written


@dataclass(frozen=True)
class Target:
    indicator: str | None
    value: float
    value_max: float | None
    unit: str | None
    value_base: float | None
    unit_base: str | None
    value_max_base: float | None
    comparator: str
    commitment: str | None
    deadline_year: int | None
    verb: str | None
    span_start: int
    span_end: int
    span_text: str


def extract(text: str, rules: Rules) -> list[Target]:
    """Every quantitative target of one task's text, in text order.

    >>> from pipeline.rules import load_rules
    >>> [(t.indicator, t.value, t.unit, t.comparator) for t in extract("新认定高新技术企业300家", load_rules())]
    [('高新技术企业', 300.0, '家', '=')]
    """
    written = fold_width(text)  # same length: offsets hold for the text as written
    folded = to_simplified(written)  # words are matched in simplified characters, same length again
    stops = stopped_spans(folded, rules)
    quantities = [q for q in numbers.find_quantities(folded, rules) if not any(a <= q.start < b for a, b in stops)]
    targets: list[Target] = []
    for start, end in clauses(folded, rules):
        inside = [q for q in quantities if start <= q.start < end]
        for slot in clause_slots(folded, (start, end), inside, rules):
            target = _target(text, slot, targets[-1] if targets else None, rules)
            targets.append(_as_written(target, slot, folded, written))
    return targets


def _as_written(target: Target, slot: Slot, simple: str, written: str) -> Target:
    """A target read from the simplified text with its words as the notice writes them
    (億元, 萬畝); ``unit_base`` stays simplified so that units compare across notices.

    >>> from pipeline.rules import load_rules
    >>> [(t.indicator, t.unit, t.unit_base) for t in extract("新增耕地1.3萬畝", load_rules())]
    [('耕地', '萬畝', '亩')]
    """
    if simple == written:
        return target
    quantity = slot.quantity
    unit = target.unit
    if unit and simple[quantity.end - len(unit) : quantity.end] == unit:
        unit = written[quantity.end - len(unit) : quantity.end]
    return replace(
        target,
        unit=unit,
        indicator=as_written(target.indicator, simple, written, quantity.start),
        verb=as_written(target.verb, simple, written, quantity.start),
    )


def stopped_spans(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Spans of ``text`` that hold no target (quotes, names, years, thresholds …).

    >>> from pipeline.rules import load_rules
    >>> stopped_spans("推进“550”引才计划", load_rules())
    [(2, 7)]
    """
    return sorted(match.span() for stop in rules.patterns.stops for match in stop.finditer(text))


def clauses(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Clause spans (GUIDE rule 1: ，；。： and the text end; 、 does not end one).

    >>> from pipeline.rules import load_rules
    >>> clauses("新增A 1家，B 2家。", load_rules())
    [(0, 6), (7, 11)]
    """
    spans, start = [], 0
    for match in rules.patterns.clause_end.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _target(text: str, slot: Slot, previous: Target | None, rules: Rules) -> Target:
    quantity = slot.quantity
    indicator, verb = indicator_and_verb(slot, previous, rules)
    return Target(
        indicator=indicator,
        value=quantity.value,
        value_max=quantity.value_max,
        unit=quantity.unit,
        value_base=quantity.value_base,
        unit_base=quantity.unit_base,
        value_max_base=quantity.value_max_base,
        comparator=comparator(slot, rules),
        commitment=commitment(slot, rules),
        deadline_year=deadline(slot, rules),
        verb=verb,
        span_start=quantity.start,
        span_end=slot.span_end,
        span_text=text[quantity.start : slot.span_end],
    )


def indicator_and_verb(slot: Slot, previous: Target | None, rules: Rules) -> tuple[str | None, str | None]:
    """What is counted, and the verb: the 分别 item, the noun after the number, or the
    noun before it (GUIDE rules 2-4, 6); with no noun of its own, the previous target's (rule 7)."""
    indicator: str | None
    if slot.spread is not None:
        indicator, verb = slot.spread
    elif slot.noun is not None:
        indicator = indicators.after_number(slot.noun, rules)
        verb = indicators.lead_verb_of(slot.before, rules)
    else:
        indicator, verb = indicators.before_number(slot.before, list(slot.tiers), rules)
    if not indicator and previous is not None:
        indicator = previous.indicator
    return indicator or None, verb


def comparator(slot: Slot, rules: Rules) -> str:
    """``range`` for a range; else the word after the number (以上), before it (不低于), or ``=``."""
    if slot.quantity.value_max is not None:
        return "range"
    if slot.after_word:
        return rules.words.comparators_after[slot.after_word]
    if slot.link is not None:
        return rules.words.comparators_before[slot.link]
    return "="


def commitment(slot: Slot, rules: Rules) -> str | None:
    """``guaranteed`` under 确保, ``aspirational`` under 力争/争取, else None."""
    return rules.words.tiers[slot.tier] if slot.tier is not None else None


def deadline(slot: Slot, rules: Rules) -> int | None:
    """The last year the clause ties the number to before it (争取到2023年…突破100家)."""
    years = [match["year"] or match["year2"] for match in rules.patterns.deadline.finditer(slot.lead)]
    return int(years[-1]) if years else None
