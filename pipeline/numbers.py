"""Numbers with their units: find every quantity in a task's text.

A quantity is a number followed by a unit (``300家``, ``1.3万亩``, ``8%``), a
range (``1-2个``, ``10-50万元``), a Chinese numeral with its measure word
(``十个``, ``两成``) or a ``百分之…`` share. Units, scale words and the pattern
itself live in ``rules/units.yaml`` and ``rules/patterns.yaml``.

Chinese numerals (:mod:`pipeline.numerals`) count only when a unit follows
them, so 一带一路, 三农 or 三年行动 never become numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex

from pipeline import numerals
from pipeline.rules import Rules, UnitRules


@dataclass(frozen=True)
class Quantity:
    """A number and its unit as found in the text, with the scale folded in."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str | None
    value_base: float | None
    unit_base: str | None
    value_max_base: float | None


def parse_number(written: str, rules: Rules) -> float | None:
    """An Arabic or Chinese number as written, or None.

    >>> from pipeline.rules import load_rules
    >>> [parse_number(w, load_rules()) for w in ("45.5", "三十", "两", "一二")]
    [45.5, 30.0, 2.0, None]
    """
    if regex.fullmatch(r"\d+(?:\.\d+)?", written):
        return float(written)
    number = numerals.value(written, rules.numerals)
    return float(number) if number is not None else None


def scaled(value: float, factor: int) -> float:
    """``value × factor`` without binary noise.

    >>> scaled(1.3, 10000)
    13000.0
    >>> scaled(1.2, 1000000000000)
    1200000000000.0
    """
    return float(Decimal(repr(value)) * factor)


def find_quantities(text: str, rules: Rules) -> list[Quantity]:
    """Every number with a unit in ``text`` (already width-folded), in text order.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [(q.value, q.unit, q.value_base, q.unit_base) for q in find_quantities("新增耕地1.3万亩、两成", rules)]
    [(1.3, '万亩', 13000.0, '亩'), (2.0, '成', 20.0, '%')]
    >>> [(q.value, q.value_max, q.value_max_base) for q in find_quantities("每户10-50万元", rules)]
    [(10.0, 50.0, 500000.0)]
    >>> find_quantities("一带一路、三农、三年行动", rules)
    []
    """
    found = []
    for match in rules.patterns.quantity.finditer(text):
        quantity = _quantity(match, rules)
        if quantity is not None:
            found.append(quantity)
    return found


def _quantity(match: regex.Match[str], rules: Rules) -> Quantity | None:
    groups = match.groupdict()
    if groups["pct"] is not None:
        low, high, scale, scale2, unit = groups["pct"], None, None, None, "%"
    elif groups["num"] is not None:
        low, high, unit = groups["num"], groups["num2"], groups["unit"]
        scale, scale2 = groups["scale"], groups["scale2"]
    else:
        low, high, unit = groups["cnum"], groups["cnum2"], groups["cunit"]
        low, scale = _split_scale(low, rules)
        scale2 = None
    value = parse_number(low, rules)
    value_max = parse_number(high, rules) if high is not None else None
    if value is None or (high is not None and value_max is None):
        return None
    scale = scale or scale2
    if unit is None and scale not in rules.units.bare_scales:
        return None  # a bare number is never a quantity
    written = (scale2 or scale or "") + (unit or "") if high is not None else (scale or "") + (unit or "")
    factor, unit_base = _fold(scale, unit, rules.units)
    return Quantity(
        start=match.start(),
        end=match.end(),
        value=value,
        value_max=value_max,
        unit=written or None,
        value_base=scaled(value, factor),
        unit_base=unit_base,
        value_max_base=scaled(value_max, factor) if value_max is not None else None,
    )


def _split_scale(numeral: str, rules: Rules) -> tuple[str, str | None]:
    """A Chinese numeral's trailing scale word, kept apart as written (三十万 → 三十 and 万).

    The scale words tried are those of units.yaml made only of numeral scale
    characters (万亿, 亿, 万), longest first; what stays must be a numeral.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> _split_scale("三十万", rules), _split_scale("一万二千", rules), _split_scale("三万亿", rules)
    (('三十', '万'), ('一万二千', None), ('三', '万亿'))
    """
    scale_characters = rules.numerals.scales
    for scale in sorted(rules.units.scales, key=len, reverse=True):
        if not all(character in scale_characters for character in scale):
            continue
        head = numeral.removesuffix(scale)
        if head != numeral and head and numerals.value(head, rules.numerals) is not None:
            return head, scale
    return numeral, None


def _fold(scale: str | None, unit: str | None, table: UnitRules) -> tuple[int, str | None]:
    """The factor and base unit of a written scale and unit.

    >>> from pipeline.rules import load_rules
    >>> table = load_rules().units
    >>> _fold("亿", "美元", table), _fold(None, "成", table), _fold("万", None, table)
    ((100000000, '美元'), (10, '%'), (10000, None))
    """
    factor = table.scales[scale] if scale else 1
    conversion = table.conversions.get(unit) if unit else None
    if conversion:
        return factor * conversion.factor, conversion.unit
    return factor, unit
