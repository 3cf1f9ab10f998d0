"""``rules/ocr.yaml``: OCR confusions fixed inside numbers, page furniture as OCR reads it, confidence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import read_rule_file

FILE = "ocr.yaml"
KEYS = (
    "low_confidence", "closing", "page_number", "digit_lookalikes", "percent_signs", "number_units",
    "unit_fixes", "serial_headers",
)


@dataclass(frozen=True)
class OcrRules:
    low_confidence: int
    closing: tuple[str, ...]
    page_number: tuple[regex.Pattern[str], ...]
    lookalikes: dict[str, str]
    number: regex.Pattern[str]  # a run of digits and look-alikes before a percent sign or unit
    percent: regex.Pattern[str]
    unit_fixes: dict[str, str]
    unit_fix: regex.Pattern[str] | None
    serial_headers: frozenset[str]


def load(folder: Path) -> OcrRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    low = rule_file.integer("low_confidence")
    if low > 100:
        raise rule_file.error("low_confidence", "should be between 0 and 100")
    lookalikes = rule_file.mapping("digit_lookalikes")
    for char, digit in lookalikes.items():
        if len(char) != 1 or not isinstance(digit, str) or not digit.isdigit():
            raise rule_file.error("digit_lookalikes", "should map single characters to digits", char)
    fixes = rule_file.mapping("unit_fixes")
    for wrong, right in fixes.items():
        if not isinstance(right, str) or not right:
            raise rule_file.error("unit_fixes", "should map a misread word to its correction", wrong)
    page_number = tuple(
        rule_file.pattern("page_number", {}, entry=source, source=source) for source in rule_file.strings("page_number")
    )
    chars = regex.escape("".join(lookalikes))
    signs = rule_file.strings("percent_signs")
    percents = "|".join(regex.escape(p) for p in ["%", *signs])
    units = "|".join(regex.escape(u) for u in sorted(rule_file.strings("number_units"), key=len, reverse=True))
    number = regex.compile(
        rf"""(?<![A-Za-z0-9{chars}])           # not inside a longer Latin word
            (?=[0-9.{chars}]*[0-9])             # holds a real digit
            [0-9{chars}][0-9.{chars}]*          # the run
            (?=\s*(?:{percents}|{units}))       # followed by a percent sign or unit word""",
        regex.VERBOSE,
    )
    return OcrRules(
        low_confidence=low,
        closing=tuple(rule_file.text("closing")),
        page_number=page_number,
        lookalikes=dict(lookalikes),
        number=number,
        percent=regex.compile(rf"(?<=[0-9])\s*(?:{'|'.join(regex.escape(p) for p in signs)})"),
        unit_fixes=dict(fixes),
        unit_fix=regex.compile(rf"(?<=[0-9])(?:{'|'.join(regex.escape(k) for k in fixes)})") if fixes else None,
        serial_headers=frozenset(rule_file.strings("serial_headers")),
    )
