"""Numbers with their units: find every quantity in a task's text.

A quantity is a number followed by a unit (``300家``, ``1.3万亩``, ``8%``), a
range (``1-2个``, ``10-50万元``), a Chinese numeral with its measure word
(``十个``, ``两成``) or a ``百分之…`` share. Units, scale words and the pattern
itself live in ``rules/units.yaml`` and ``rules/patterns.yaml``.

Chinese numerals are converted with cn2an, but only when a unit follows them,
so 一带一路, 三农 or 三年行动 never become numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import regex

from pipeline import rules
from pipeline.errors import RuleError

UNITS_FILE = "units.yaml"
_UNITS_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "units": list,
    "scales": dict,
    "bare_scales": list,
    "conversions": dict,
}
PATTERNS_FILE = "patterns.yaml"
PATTERNS_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "quantity": str,
    "deadline": str,
    "clause_end": str,
    "fillers": str,
    "share_of": str,
    "stops": dict,
}


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


def chinese_number(numeral: str) -> float | None:
    """The value of a Chinese numeral, or None when it is not a well-formed one.

    >>> chinese_number("十")
    10.0
    >>> chinese_number("一千二百")
    1200.0
    >>> chinese_number("两")
    2.0
    >>> chinese_number("一二") is None
    True
    """
    import cn2an  # ~90 ms to import: only when a Chinese numeral is met

    try:
        return float(cn2an.cn2an(numeral.replace("两", "二"), "strict"))
    except (ValueError, KeyError, IndexError):
        return None


def parse_number(written: str) -> float | None:
    """An Arabic or Chinese number as written, or None.

    >>> parse_number("45.5")
    45.5
    >>> parse_number("三十")
    30.0
    """
    if regex.fullmatch(r"\d+(?:\.\d+)?", written):
        return float(written)
    return chinese_number(written)


def scaled(value: float, factor: int) -> float:
    """``value × factor`` without binary noise.

    >>> scaled(1.3, 10000)
    13000.0
    >>> scaled(1.2, 1000000000000)
    1200000000000.0
    """
    return float(Decimal(repr(value)) * factor)


@rules.cached
def unit_rules() -> dict[str, Any]:
    """units.yaml, checked."""
    data = rules.load(UNITS_FILE, _UNITS_SCHEMA)
    rules.string_list(data, "units", UNITS_FILE)
    rules.string_list(data, "bare_scales", UNITS_FILE)
    for word, factor in data["scales"].items():
        if not isinstance(factor, int) or factor <= 0:
            raise RuleError(f"rules/{UNITS_FILE}: key 'scales' entry {word!r} should be a positive integer")
    for unit, conv in data["conversions"].items():
        if not isinstance(conv, dict) or set(conv) != {"factor", "unit"}:
            raise RuleError(f"rules/{UNITS_FILE}: key 'conversions' entry {unit!r} needs factor and unit")
        if not isinstance(conv["factor"], int) or conv["factor"] <= 0 or not isinstance(conv["unit"], str):
            raise RuleError(
                f"rules/{UNITS_FILE}: key 'conversions' entry {unit!r} needs an integer factor and a unit name"
            )
    return data


@rules.cached
def pattern_rules() -> dict[str, Any]:
    """patterns.yaml, checked (the patterns are compiled by their users)."""
    data = rules.load(PATTERNS_FILE, PATTERNS_SCHEMA)
    for name, pattern in data["stops"].items():
        if not isinstance(pattern, str) or not pattern.strip():
            raise RuleError(f"rules/{PATTERNS_FILE}: key 'stops' entry {name!r} should be a pattern")
    return data


def compile_rule(file: str, key: str, pattern: str) -> regex.Pattern[str]:
    """Compile a VERBOSE rule pattern with the unit lists, or a RuleError naming file and key."""
    units = unit_rules()
    try:
        return regex.compile(
            pattern,
            regex.VERBOSE,
            units=units["units"],
            scales=list(units["scales"]),
            bare_scales=units["bare_scales"],
            ignore_unused=True,
        )
    except (regex.error, ValueError) as exc:
        raise RuleError(f"rules/{file}: key {key!r} is not a valid pattern ({exc})") from None


@rules.cached
def _quantity_pattern() -> regex.Pattern[str]:
    return compile_rule(PATTERNS_FILE, "quantity", pattern_rules()["quantity"])


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a unit in ``text`` (already width-folded), in text order.

    >>> [(q.value, q.unit, q.value_base, q.unit_base) for q in find_quantities("新增耕地1.3万亩、两成")]
    [(1.3, '万亩', 13000.0, '亩'), (2.0, '成', 20.0, '%')]
    >>> [(q.value, q.value_max, q.value_max_base) for q in find_quantities("每户10-50万元")]
    [(10.0, 50.0, 500000.0)]
    >>> find_quantities("一带一路、三农、三年行动")
    []
    """
    found = []
    for match in _quantity_pattern().finditer(text):
        quantity = _quantity(match)
        if quantity is not None:
            found.append(quantity)
    return found


def _quantity(match: regex.Match[str]) -> Quantity | None:
    groups = match.groupdict()
    if groups["pct"] is not None:
        low, high, scale, scale2, unit = groups["pct"], None, None, None, "%"
    elif groups["num"] is not None:
        low, high, unit = groups["num"], groups["num2"], groups["unit"]
        scale, scale2 = groups["scale"], groups["scale2"]
    else:
        low, high, unit = groups["cnum"], groups["cnum2"], groups["cunit"]
        low, scale = _split_scale(low)
        scale2 = None
    value = parse_number(low)
    value_max = parse_number(high) if high is not None else None
    if value is None or (high is not None and value_max is None):
        return None
    scale = scale or scale2
    if unit is None and scale not in unit_rules()["bare_scales"]:
        return None  # a bare number is never a quantity
    written = (scale2 or scale or "") + (unit or "") if high is not None else (scale or "") + (unit or "")
    factor, unit_base = _fold(scale, unit)
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


def _split_scale(numeral: str) -> tuple[str, str | None]:
    """A Chinese numeral's trailing scale word, kept apart as written (三十万 → 三十 and 万).

    >>> _split_scale("三十万")
    ('三十', '万')
    >>> _split_scale("一万二千")
    ('一万二千', None)
    """
    for scale in ("万亿", "亿", "万"):
        head = numeral.removesuffix(scale)
        if head != numeral and head and chinese_number(head) is not None:
            return head, scale
    return numeral, None


def _fold(scale: str | None, unit: str | None) -> tuple[int, str | None]:
    """The factor and base unit of a written scale and unit.

    >>> _fold("亿", "美元")
    (100000000, '美元')
    >>> _fold(None, "成")
    (10, '%')
    >>> _fold("万", None)
    (10000, None)
    """
    data = unit_rules()
    factor = data["scales"][scale] if scale else 1
    conversion = data["conversions"].get(unit) if unit else None
    if conversion:
        return factor * conversion["factor"], conversion["unit"]
    return factor, unit
