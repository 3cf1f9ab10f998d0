"""Task text → quantitative targets (SPEC.md, "Quantitative targets").

Stages: find every quantity (:mod:`pipeline.numbers`), drop the non-targets the
stop patterns mark (quotes, names, years, ages, thresholds, grades, durations,
ordinals), then read each survivor's clause for comparator, tier word,
deadline and indicator (:mod:`pipeline.indicators`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from pipeline import indicators, numbers, rules
from pipeline.indicators import word_rules
from pipeline.numbers import PATTERNS_FILE, Quantity, compile_rule, pattern_rules
from pipeline.textnorm import fold_width


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


def reload_rules() -> None:
    """Forget every loaded and compiled rule (after the rules folder changed)."""
    rules.reload()


@rules.cached
def _pattern(key: str) -> regex.Pattern[str]:
    return compile_rule(PATTERNS_FILE, key, pattern_rules()[key])


@rules.cached
def _stops() -> tuple[regex.Pattern[str], ...]:
    return tuple(
        compile_rule(PATTERNS_FILE, f"stops.{name}", pattern)
        for name, pattern in pattern_rules()["stops"].items()
    )


def stopped_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that hold no target (quotes, names, years, thresholds …).

    >>> stopped_spans("推进“550”引才计划")
    [(2, 7)]
    """
    spans = [m.span() for stop in _stops() for m in stop.finditer(text)]
    return sorted(spans)


def clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans (GUIDE rule 1: ，；。： and the text end; 、 does not end one).

    >>> clauses("新增A 1家，B 2家。")
    [(0, 6), (7, 11)]
    """
    spans, start = [], 0
    for match in _pattern("clause_end").finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def extract(text: str) -> list[Target]:
    """Every quantitative target of one task's text, in text order.

    >>> [(t.indicator, t.value, t.unit, t.comparator) for t in extract("新认定高新技术企业300家")]
    [('高新技术企业', 300.0, '家', '=')]
    """
    original, text = text, fold_width(text)
    stops = stopped_spans(text)
    quantities = [q for q in numbers.find_quantities(text) if not any(a <= q.start < b for a, b in stops)]
    targets: list[Target] = []
    for start, end in clauses(text):
        inside = [q for q in quantities if start <= q.start < end]
        targets.extend(_clause_targets(text, start, end, inside, targets))
    return [replace(t, span_text=original[t.span_start : t.span_end]) for t in targets]


def _clause_targets(
    text: str, start: int, end: int, quantities: list[Quantity], earlier: list[Target]
) -> list[Target]:
    clause = text[start:end]
    found: list[Target] = []
    segment_start = start
    spread = _spread(text, start, quantities)
    shared_before: str | None = None
    for index, q in enumerate(quantities):
        span_end = q.end + _after_word_length(text, q.end)
        after = text[span_end:end]
        segment = text[segment_start : q.start]
        tiers = [m for m in _tier_matches(clause) if start + m.end() <= q.start]
        noun_after = _noun_follows(after)
        if noun_after and q.unit != "%" and indicators.restates_enumeration(segment, q.value):
            continue
        indicator: str | None
        verb: str | None
        if spread is not None and index in spread:
            indicator, verb = spread[index]
        elif noun_after:
            indicator = indicators.after_number(after[: _next_start(quantities, index, end) - span_end])
            verb = indicators.lead_verb_of(segment)
        else:
            indicator, verb = indicators.before_number(segment, _tier_matches(segment))
        if not indicator:
            previous = found or earlier
            indicator = previous[-1].indicator if previous else None
        before = _before_comparator(text, segment_start, q.start)
        if (
            before is None
            and shared_before is not None
            and text[segment_start : q.start].strip("、和及与 ") == ""
        ):
            before = shared_before
        shared_before = before
        found.append(
            Target(
                indicator=indicator or None,
                value=q.value,
                value_max=q.value_max,
                unit=q.unit,
                value_base=q.value_base,
                unit_base=q.unit_base,
                value_max_base=q.value_max_base,
                comparator=_comparator(q, text[q.end : span_end], before),
                commitment=word_rules()["tiers"][tiers[-1].group()] if tiers else None,
                deadline_year=_deadline(text[start : q.start]),
                verb=verb,
                span_start=q.start,
                span_end=span_end,
                span_text=text[q.start : span_end],
            )
        )
        segment_start = span_end
        if noun_after:
            segment_start = max(span_end, _next_start(quantities, index, end))
            if q.unit == "%" and _pattern("share_of").match(after):
                break  # 80%以上的村…达到150万元: the later numbers are the threshold
    return found


def _next_start(quantities: list[Quantity], index: int, end: int) -> int:
    return quantities[index + 1].start if index + 1 < len(quantities) else end


def _noun_follows(after: str) -> bool:
    """Is the noun written after the number (20所省二级以上幼儿园) rather than before it?"""
    if not after:
        return False
    first = after[0]
    return first not in "、和及与等" and bool(regex.match(r"[\p{Han}“‘《（(\d]", first))


def _after_word_length(text: str, position: int) -> int:
    match = indicators.word_pattern("comparators_after").match(text, position)
    return len(match.group()) if match else 0


def _before_comparator(text: str, start: int, position: int) -> str | None:
    preceding = text[start:position].rstrip()
    for match in indicators.word_pattern("comparators_before").finditer(preceding, overlapped=True):
        if match.end() == len(preceding):
            return str(word_rules()["comparators_before"][match.group()])
    return None


def _comparator(q: Quantity, after_word: str, before: str | None) -> str:
    if q.value_max is not None:
        return "range"
    if after_word:
        return str(word_rules()["comparators_after"][after_word])
    return before or "="


def _tier_matches(clause: str) -> list[regex.Match[str]]:
    exceptions = [m.span() for m in indicators.word_pattern("tier_exceptions").finditer(clause)]
    return [m for m in indicators.word_pattern("tiers").finditer(clause) if not any(a <= m.start() < b for a, b in exceptions)]


def _deadline(before: str) -> int | None:
    years = [m.group("year") or m.group("year2") for m in _pattern("deadline").finditer(before)]
    return int(years[-1]) if years else None


def _spread(text: str, start: int, quantities: list[Quantity]) -> dict[int, tuple[str, str | None]] | None:
    """分别: the quantities after it, each with its listed item (GUIDE rule 6)."""
    marker = text.find("分别", start)
    if marker < 0 or not quantities:
        return None
    listed = [i for i, q in enumerate(quantities) if q.start > marker]
    if len(listed) < 2:
        return None
    first = quantities[listed[0]]
    previous = [q for q in quantities if q.end <= marker]
    head_start = previous[-1].end if previous else start
    head, verb = indicators.before_number(text[head_start:marker], _tier_matches(text[head_start:marker]))
    link = indicators.word_pattern("comparators_before").search(text[marker : first.start])
    items = indicators.spread(head, len(listed))
    if items is None:
        return None
    return {i: (item, link.group() if link else verb) for i, item in zip(listed, items, strict=True)}
