"""OCR confusions fixed by the rules in ``rules/ocr.yaml``, only where the context is sure.

A fix touches numbers only:

* letters that look like digits (``l0%``, ``2O21`` before the year word) inside a run of digits and
  look-alikes holding at least one real digit and followed by a percent sign or
  a unit word;
* an item-number cell that holds only digits and look-alikes (``l2``);
* a full-width or misread percent sign after a digit;
* a unit word misread right after a digit (the table ``unit_fixes``);
* a space the OCR put between two digits.

Text that is not a number is never changed. The rules are ``Rules.ocr``.

>>> from pipeline.rules import load_rules
>>> ocr = load_rules().ocr
>>> fix_text("rate l0%", ocr)
'rate 10%'
>>> fix_text("Hello World", ocr)
'Hello World'
"""

from __future__ import annotations

import regex

from pipeline.rules import OcrRules

_DIGIT_GAP = regex.compile(r"(?<=[0-9]) (?=[0-9])")  # the OCR splits "2022" into "2 022"


def _digits(text: str, lookalikes: dict[str, str]) -> str:
    return "".join(lookalikes.get(ch, ch) for ch in text)


def fix_text(text: str, rules: OcrRules) -> str:
    """``text`` with the OCR confusions inside its numbers corrected."""
    text = _DIGIT_GAP.sub("", text)
    text = rules.number.sub(lambda m: _digits(m.group(), rules.lookalikes), text)
    text = rules.percent.sub("%", text)
    if rules.unit_fix is not None:
        text = rules.unit_fix.sub(lambda m: rules.unit_fixes[m.group()], text)
    return text


def fix_serial(text: str, rules: OcrRules) -> str:
    """An item-number cell: look-alikes become digits when the cell holds nothing but digits and look-alikes.

    >>> from pipeline.rules import load_rules
    >>> fix_serial("l2", load_rules().ocr)
    '12'
    >>> fix_serial("Il", load_rules().ocr)
    'Il'
    """
    stripped = text.strip()
    if stripped and any(ch.isdigit() for ch in stripped) and all(
        ch.isdigit() or ch in rules.lookalikes for ch in stripped
    ):
        return _digits(stripped, rules.lookalikes)
    return text


def is_serial_header(text: str, rules: OcrRules) -> bool:
    return "".join(text.split()) in rules.serial_headers
