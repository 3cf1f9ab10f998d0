"""``rules/units.yaml``: measure words and units, scale words and unit conversions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.rules.loading import read_rule_file

FILE = "units.yaml"
KEYS = ("units", "scales", "bare_scales", "conversions")


@dataclass(frozen=True)
class Conversion:
    factor: int
    unit: str


@dataclass(frozen=True)
class UnitRules:
    units: tuple[str, ...]  # as written after a number
    scales: dict[str, int]  # scale word -> factor (万 -> 10000)
    bare_scales: tuple[str, ...]  # scale words that stand alone as the unit (约32万)
    conversions: dict[str, Conversion]  # 成 -> ×10 %

    def lists(self) -> dict[str, tuple[str, ...]]:
        """The named lists every rule pattern may use (``\\L<units>`` …)."""
        return {"units": self.units, "scales": tuple(self.scales), "bare_scales": self.bare_scales}


def load(folder: Path) -> UnitRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    units = rule_file.strings("units")
    scales = rule_file.counts("scales")
    bare_scales = rule_file.strings("bare_scales")
    for index, word in enumerate(bare_scales):
        if word not in scales:
            raise rule_file.error("bare_scales", "is not one of the scales", word, at=index)
    conversions = {}
    for unit, conversion in rule_file.mapping("conversions").items():
        if not isinstance(conversion, dict) or set(conversion) != {"factor", "unit"}:
            raise rule_file.error("conversions", "needs factor and unit", unit)
        factor, base = conversion["factor"], conversion["unit"]
        if not isinstance(factor, int) or isinstance(factor, bool) or factor <= 0 or not isinstance(base, str):
            raise rule_file.error("conversions", "needs an integer factor and a unit name", unit)
        conversions[unit] = Conversion(factor, base)
    return UnitRules(units=units, scales=scales, bare_scales=bare_scales, conversions=conversions)
