"""OCR confusions fixed by the rules in ``rules/ocr.yaml``, only where the context is sure.

A fix touches numbers only:

* letters that look like digits (``l0%``, ``2O21`` before the year word) inside a run of digits and
  look-alikes holding at least one real digit and followed by a percent sign or
  a unit word;
* an item-number cell that holds only digits and look-alikes (``l2``);
* a full-width or misread percent sign after a digit;
* a unit word misread right after a digit (the table ``unit_fixes``);
* a space the OCR put between two digits.

Text that is not a number is never changed. The file is loaded by a small
validating loader (a malformed file is a RuleError naming the file and key);
the lead folds it into the project's rule loading later.

>>> fix_text("rate l0%")
'rate 10%'
>>> fix_text("Hello World")
'Hello World'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex
import yaml

from pipeline.errors import RuleError
from pipeline.rules import rules_dir

FILE = "ocr.yaml"
_DIGIT_GAP = regex.compile(r"(?<=[0-9]) (?=[0-9])")  # the OCR splits "2022" into "2 022"
_SCHEMA: dict[str, type] = {
    "low_confidence": int,
    "closing": str,
    "page_number": list,
    "digit_lookalikes": dict,
    "percent_signs": list,
    "number_units": list,
    "unit_fixes": dict,
    "serial_headers": list,
}


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


@cache
def ocr_rules() -> OcrRules:
    return _build(_load(rules_dir() / FILE))


def _load(path: Path) -> dict[str, Any]:
    label = f"rules/{path.name}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleError(f"{label}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{label}: not valid YAML ({exc})".replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise RuleError(f"{label}: expected a mapping of keys at the top level")
    for key in data:
        if key not in _SCHEMA:
            raise RuleError(f"{label}: unknown key {key!r} (expected one of {sorted(_SCHEMA)})")
    for key, kind in _SCHEMA.items():
        if key not in data:
            raise RuleError(f"{label}: missing key {key!r}")
        if not isinstance(data[key], kind) or isinstance(data[key], bool):
            raise RuleError(f"{label}: key {key!r} should be {kind.__name__}")
    for key in ("page_number", "percent_signs", "number_units", "serial_headers"):
        if not all(isinstance(v, str) and v for v in data[key]):
            raise RuleError(f"{label}: key {key!r} should list non-empty strings")
    for key in ("digit_lookalikes", "unit_fixes"):
        if not all(isinstance(k, str) and k and isinstance(v, str) for k, v in data[key].items()):
            raise RuleError(f"{label}: key {key!r} should map strings to strings")
    if not all(len(k) == 1 and v.isdigit() for k, v in data["digit_lookalikes"].items()):
        raise RuleError(f"{label}: key 'digit_lookalikes' should map single characters to digits")
    if not 0 <= data["low_confidence"] <= 100:
        raise RuleError(f"{label}: key 'low_confidence' should be between 0 and 100")
    return data


def _build(data: dict[str, Any]) -> OcrRules:
    try:
        page_number = tuple(regex.compile(p) for p in data["page_number"])
    except regex.error as exc:
        raise RuleError(f"rules/{FILE}: key 'page_number' holds a bad pattern ({exc})") from None
    lookalikes = dict(data["digit_lookalikes"])
    chars = regex.escape("".join(lookalikes))
    percents = "|".join(regex.escape(p) for p in ["%", *data["percent_signs"]])
    units = "|".join(regex.escape(u) for u in sorted(data["number_units"], key=len, reverse=True))
    number = regex.compile(
        rf"""(?<![A-Za-z0-9{chars}])           # not inside a longer Latin word
            (?=[0-9.{chars}]*[0-9])             # holds a real digit
            [0-9{chars}][0-9.{chars}]*          # the run
            (?=\s*(?:{percents}|{units}))       # followed by a percent sign or unit word""",
        regex.VERBOSE,
    )
    percent = regex.compile(rf"(?<=[0-9])\s*(?:{'|'.join(regex.escape(p) for p in data['percent_signs'])})")
    fixes = dict(data["unit_fixes"])
    unit_fix = regex.compile(rf"(?<=[0-9])(?:{'|'.join(regex.escape(k) for k in fixes)})") if fixes else None
    return OcrRules(
        low_confidence=data["low_confidence"],
        closing=tuple(data["closing"]),
        page_number=page_number,
        lookalikes=lookalikes,
        number=number,
        percent=percent,
        unit_fixes=fixes,
        unit_fix=unit_fix,
        serial_headers=frozenset(data["serial_headers"]),
    )


def _digits(text: str, lookalikes: dict[str, str]) -> str:
    return "".join(lookalikes.get(ch, ch) for ch in text)


def fix_text(text: str) -> str:
    """``text`` with the OCR confusions inside its numbers corrected."""
    rules = ocr_rules()
    text = _DIGIT_GAP.sub("", text)
    text = rules.number.sub(lambda m: _digits(m.group(), rules.lookalikes), text)
    text = rules.percent.sub("%", text)
    if rules.unit_fix is not None:
        text = rules.unit_fix.sub(lambda m: rules.unit_fixes[m.group()], text)
    return text


def fix_serial(text: str) -> str:
    """An item-number cell: look-alikes become digits when the cell holds nothing but digits and look-alikes.

    >>> fix_serial("l2")
    '12'
    >>> fix_serial("Il")
    'Il'
    """
    rules = ocr_rules()
    stripped = text.strip()
    if stripped and any(ch.isdigit() for ch in stripped) and all(
        ch.isdigit() or ch in rules.lookalikes for ch in stripped
    ):
        return _digits(stripped, rules.lookalikes)
    return text


def is_serial_header(text: str) -> bool:
    return "".join(text.split()) in ocr_rules().serial_headers
