"""``rules/numerals.yaml``: the characters of Chinese numerals and their values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.rules.loading import RuleFile, read_rule_file

FILE = "numerals.yaml"
KEYS = ("digits", "units", "scales", "zero_lookalikes")
# The parser (pipeline/numerals.py) reads positional notation: it needs exactly these values.
UNIT_VALUES = (10, 100, 1000)
SCALE_VALUES = (10**4, 10**8)


@dataclass(frozen=True)
class NumeralRules:
    digits: dict[str, int]  # character -> 0..9
    units: dict[str, int]  # character -> 10, 100, 1000
    scales: dict[str, int]  # character -> 10^4, 10^8
    zero_lookalikes: tuple[str, ...]

    def lists(self) -> dict[str, tuple[str, ...]]:
        """The named lists every rule pattern may use (``\\L<cn_numeral>`` …)."""
        digits, units, scales = tuple(self.digits), tuple(self.units), tuple(self.scales)
        return {
            "cn_digit": digits,
            "cn_numeral": digits + units,
            "cn_scaled": digits + units + scales,
            "cn_zero_lookalike": self.zero_lookalikes,
        }


def load(folder: Path) -> NumeralRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    digits = _characters(rule_file, "digits", range(10))
    units = _characters(rule_file, "units", UNIT_VALUES)
    scales = _characters(rule_file, "scales", SCALE_VALUES)
    for key, table, values in (("units", units, UNIT_VALUES), ("scales", scales, SCALE_VALUES)):
        missing = sorted(set(values) - set(table.values()))
        if missing:
            raise rule_file.error(key, f"needs a character for each of {list(values)} (missing {missing})")
    for value in range(10):
        if value not in digits.values():
            raise rule_file.error("digits", f"needs a character for each of 0 to 9 (missing {value})")
    lookalikes = rule_file.strings("zero_lookalikes")
    everything = [*digits, *units, *scales, *lookalikes]
    for character in everything:
        if everything.count(character) > 1:
            raise rule_file.error("zero_lookalikes", "is also a digit, unit or scale", character)
    return NumeralRules(digits=digits, units=units, scales=scales, zero_lookalikes=lookalikes)


def _characters(rule_file: RuleFile, key: str, allowed: range | tuple[int, ...]) -> dict[str, int]:
    table = rule_file.mapping(key)
    for character, value in table.items():
        if len(character) != 1:
            raise rule_file.error(key, "should be a single character", character)
        if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
            raise rule_file.error(key, f"should be one of {list(allowed)}", character)
    return dict(table)
