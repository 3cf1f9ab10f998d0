"""Chinese numerals: the parser against cn2an, the library it replaced at run time.

cn2an's import took 0.1 s, the largest part of a text notice's start-up, so
pipeline.numerals parses numerals itself; cn2an stays as the oracle here.
"""

from __future__ import annotations

import itertools

import pytest

from pipeline import numerals
from pipeline.rules import Rules


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        pytest.param("十", 10, id="shi"),
        pytest.param("十一", 11, id="shi-yi"),
        pytest.param("两", 2, id="liang"),
        pytest.param("两百", 200, id="liang-bai"),
        pytest.param("一千零五", 1005, id="ling"),
        pytest.param("一百〇五", 105, id="ling-circle"),
        pytest.param("三万二千", 32000, id="wan"),
        pytest.param("一亿十万", 100100000, id="shi-after-yi"),
        pytest.param("一二", None, id="digit-sequence-is-not-a-number"),
        pytest.param("百", None, id="bare-bai"),
        pytest.param("一千二", None, id="spoken-abbreviation"),
    ],
)
def test_value(numeral: str, value: int | None, rules: Rules) -> None:
    assert numerals.value(numeral, rules.numerals) == value


@pytest.mark.parametrize(("written", "year"), [("二〇二一", 2021), ("二○二一", 2021), ("二Ｏ二三", 2023), ("二十", None)])
def test_digit_string(written: str, year: int | None, rules: Rules) -> None:
    assert numerals.digit_string(written, rules.numerals) == year


def _as_cn2an_writes_it(numeral: str, rules: Rules) -> str:
    """The deliberate differences from cn2an's strict mode, undone so cn2an can read the numeral.

    * 两 is the digit 2 (两百, 两万); cn2an's strict mode refuses it.
    * 〇 is a zero like 零 (一百〇五); cn2an's strict mode knows only 零.
    * A 十 with no digit right after 亿 (一亿十万) counts ten: cn2an's grammar accepts the
      numeral but its converter drops the ten (it returns 100000000); 一亿一十万 it gets right.
    """
    digits = {value: character for character, value in rules.numerals.digits.items()}
    ten = next(c for c, v in rules.numerals.units.items() if v == 10)
    hundred_million = next(c for c, v in rules.numerals.scales.items() if v == 10**8)
    out = []
    for index, character in enumerate(numeral):
        value = rules.numerals.digits.get(character)
        if value is not None:
            character = "零" if value == 0 else "二" if value == 2 else character
        if character == ten and index > 0 and numeral[index - 1] == hundred_million:
            out.append(digits[1])
        out.append(character)
    return "".join(out)


@pytest.mark.slow
def test_same_as_cn2an_on_every_numeral_of_up_to_four_characters(rules: Rules) -> None:
    """Every string of 1-4 characters over the numeral alphabet: same value where cn2an's
    strict mode reads it (after the differences above), both refuse the rest."""
    import cn2an

    def oracle(numeral: str) -> int | None:
        try:
            return int(cn2an.cn2an(numeral, "strict"))
        except (ValueError, KeyError, IndexError):
            return None

    table = rules.numerals
    alphabet = [*table.digits, *table.units, *table.scales]
    differences = []
    read = 0
    for length in range(1, 5):
        for characters in itertools.product(alphabet, repeat=length):
            numeral = "".join(characters)
            expected = oracle(_as_cn2an_writes_it(numeral, rules))
            got = numerals.value(numeral, table)
            read += got is not None
            if got != expected:
                differences.append((numeral, expected, got))
    assert not differences, differences[:20]
    assert read > 1000  # the comparison is not vacuous
