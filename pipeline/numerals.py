"""Chinese numerals: 十二, 一百零五, 三万二千, 两成, and years written digit by digit (二〇二一).

One small strict parser for header dates, item numbers and quantities. Its
characters and their values come from ``rules/numerals.yaml``
(:class:`~pipeline.rules.numerals.NumeralRules`).

:func:`value` accepts exactly what cn2an's ``strict`` mode accepts, with the
same value, except on purpose:

* 两 is the digit 2 everywhere (两百, 两万): cn2an's strict mode refuses 两,
  which notices write for 2 before a measure word or a unit.
* 〇 is a zero like 零 (一百〇五): cn2an's strict mode knows only 零.

(cn2an was the run-time parser until its import, 0.1 s, proved the largest
part of a text notice's start-up; it remains the test oracle,
``tests/test_numerals.py``.) Anything else — digit strings such as 一二,
a unit with no digit such as 百, 一千二 — is not a number: None.
"""

from __future__ import annotations

from pipeline.rules.numerals import NumeralRules

_TEN, _HUNDRED, _THOUSAND = 10, 100, 1000
_WAN, _YI = 10**4, 10**8


def value(text: str, table: NumeralRules) -> int | None:
    """The value of a Chinese numeral, or None when it is not a well-formed one.

    >>> from pipeline.rules import load_rules
    >>> table = load_rules().numerals
    >>> [value(t, table) for t in ("十", "十一", "一千二百", "两", "一百零五", "三十万", "一万亿")]
    [10, 11, 1200, 2, 105, 300000, 1000000000000]
    >>> [value(t, table) for t in ("一二", "百", "一千二", "十十", "")]
    [None, None, None, None, None]
    """
    if len(text) == 1 and table.digits.get(text) == 0:
        return 0
    return _Parser(table).below_trillions(_implied_ones(text, table))


def digit_string(text: str, table: NumeralRules) -> int | None:
    """A number written digit by digit (years: 二〇二一, 二○二一), or None.

    >>> from pipeline.rules import load_rules
    >>> [digit_string(t, load_rules().numerals) for t in ("二〇二一", "二○二二", "二十")]
    [2021, 2022, None]
    """
    digits = []
    for character in text:
        digit = 0 if character in table.zero_lookalikes else table.digits.get(character)
        if digit is None:
            return None
        digits.append(str(digit))
    return int("".join(digits)) if digits else None


def _implied_ones(text: str, table: NumeralRules) -> str:
    """一千零十 is 一千零一十: a zero before 十 or 百 implies the digit one (as cn2an reads it)."""
    one = next(c for c, v in table.digits.items() if v == 1)
    out = []
    for index, character in enumerate(text):
        out.append(character)
        following = text[index + 1 : index + 2]
        if table.digits.get(character) == 0 and table.units.get(following) in (_TEN, _HUNDRED):
            out.append(one)
    return "".join(out)


class _Parser:
    """Recursive descent over cn2an's strict grammar; each method reads a whole string or returns None."""

    def __init__(self, table: NumeralRules) -> None:
        self.table = table

    def digit(self, text: str) -> int | None:
        """一 … 九."""
        digit = self.table.digits.get(text) if len(text) == 1 else None
        return digit if digit else None

    def _split(self, text: str, magnitude: int, scales: bool = False) -> tuple[str, str] | None:
        """``text`` around its character worth ``magnitude`` (a unit, or a scale when ``scales``)."""
        values = self.table.scales if scales else self.table.units
        for index, character in enumerate(text):
            if values.get(character) == magnitude:
                return text[:index], text[index + 1 :]
        return None

    def _after_zero(self, text: str) -> str | None:
        """``text`` without its leading zero, or None when it does not start with one."""
        if text[:1] and self.table.digits.get(text[0]) == 0:
            return text[1:]
        return None

    def tens(self, text: str, leading_one: bool) -> int | None:
        """10-99: 十, 十五, 二十, 二十五; after 百 the leading digit is required (一百一十)."""
        parts = self._split(text, _TEN)
        if parts is None:
            return None
        head, rest = parts
        tens = self.digit(head) if head or leading_one else 1
        ones = self.digit(rest) if rest else 0
        return None if tens is None or ones is None else tens * _TEN + ones

    def hundreds(self, text: str) -> int | None:
        """100-999: 一百, 一百零五, 一百二十五."""
        parts = self._split(text, _HUNDRED)
        if parts is None:
            return None
        head, rest = parts
        top = self.digit(head)
        if top is None:
            return None
        if not rest:
            return top * _HUNDRED
        zeroed = self._after_zero(rest)
        low = self.digit(zeroed) if zeroed is not None else self.tens(rest, leading_one=True)
        return None if low is None else top * _HUNDRED + low

    def thousands(self, text: str) -> int | None:
        """1000-9999: 一千, 一千零五, 一千零一十, 一千二百."""
        parts = self._split(text, _THOUSAND)
        if parts is None:
            return None
        head, rest = parts
        top = self.digit(head)
        if top is None:
            return None
        if not rest:
            return top * _THOUSAND
        zeroed = self._after_zero(rest)
        low = self.below_hundred(zeroed) if zeroed is not None else self.hundreds(rest)
        return None if low is None else top * _THOUSAND + low

    def below_hundred(self, text: str) -> int | None:
        return self.tens(text, leading_one=False) or self.digit(text)

    def below_thousand(self, text: str) -> int | None:
        return self.hundreds(text) or self.below_hundred(text)

    def below_wan(self, text: str) -> int | None:
        return self.thousands(text) or self.below_thousand(text)

    def wan(self, text: str) -> int | None:
        """10^4 to 10^8 - 1: 一万, 十二万, 一万零五百, 一万二千."""
        parts = self._split(text, _WAN, scales=True)
        if parts is None:
            return None
        head, rest = parts
        top = self.below_wan(head)
        if top is None:
            return None
        if not rest:
            return top * _WAN
        zeroed = self._after_zero(rest)
        low = self.below_thousand(zeroed) if zeroed is not None else self.thousands(rest)
        return None if low is None else top * _WAN + low

    def below_yi(self, text: str) -> int | None:
        return self.wan(text) or self.below_wan(text)

    def yi(self, text: str) -> int | None:
        """10^8 and more: 三亿, 一亿零五, 一亿二千万, 一万亿."""
        parts = self._split(text, _YI, scales=True)
        if parts is None:
            return None
        head, rest = parts
        top = self.below_yi(head)
        if top is None:
            return None
        if not rest:
            return top * _YI
        zeroed = self._after_zero(rest)
        low = self.below_yi(zeroed) if zeroed is not None else self.wan(rest)
        return None if low is None else top * _YI + low

    def below_trillions(self, text: str) -> int | None:
        return self.yi(text) or self.below_yi(text) if text else None
