"""Traditional characters: matched as simplified, stored as written (issue 10 §10).

``yunling_2024_trad`` is the base notice converted to traditional characters
(scripts/make_layouts.py); its expected parse pairs every task with the base's.
"""

from __future__ import annotations

import json

import pytest

from pipeline import targets
from pipeline.organisations import with_roles
from pipeline.rules import Rules
from pipeline.simplified import to_simplified
from tests.conftest import ROOT

EXPECTED = ROOT / "tests" / "expected"


def _texts(name: str) -> list[str]:
    return [task["text"] for task in json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))["tasks"]]


def test_every_target_of_the_traditional_copy_matches_the_base(rules: Rules) -> None:
    """Same numbers, comparators, tiers and base units; indicator, unit and verb as written."""
    pairs = list(zip(_texts("yunling_2024"), _texts("yunling_2024_trad"), strict=True))
    compared = 0
    for base_text, trad_text in pairs:
        base, trad = targets.extract(base_text, rules), targets.extract(trad_text, rules)
        # The conversion of this text, character by character (於 stays 於 in a text of GB2312 characters only).
        simplify = dict(zip(trad_text, to_simplified(trad_text), strict=True))
        assert len(base) == len(trad), trad_text
        for b, t in zip(base, trad, strict=True):
            same = ("value", "value_max", "value_base", "unit_base", "value_max_base", "comparator", "commitment",
                    "deadline_year", "span_start", "span_end")
            assert {f: getattr(t, f) for f in same} == {f: getattr(b, f) for f in same}, trad_text
            for written, simple in ((t.indicator, b.indicator), (t.unit, b.unit), (t.verb, b.verb)):
                assert ("".join(simplify[c] for c in written) if written else written) == simple
                assert written is None or all(character in trad_text for character in written)
            assert t.span_text == trad_text[t.span_start : t.span_end]
            compared += 1
    assert compared == 35


def test_units_written_as_written_and_base_simplified(rules: Rules) -> None:
    [target] = targets.extract("新增耕地1.3萬畝", rules)
    assert (target.indicator, target.unit, target.value_base, target.unit_base) == ("耕地", "萬畝", 13000.0, "亩")


def test_spread_items_in_traditional(rules: Rules) -> None:
    text = "戰略性新興產業、裝備製造業增加值佔規上工業比重分別達到45.5%、39%"
    assert [t.indicator for t in targets.extract(text, rules)] == [
        "戰略性新興產業增加值佔規上工業比重",
        "裝備製造業增加值佔規上工業比重",
    ]


@pytest.mark.parametrize(
    ("cell", "column", "want"),
    [
        ("*市發展改革委、雲嶺海關", "responsible", [("市發展改革委", "lead"), ("雲嶺海關", "support")]),
        ("區教育局、區衛健局分別牽頭，區財政局配合", "responsible",
         [("區教育局", "lead"), ("區衛健局", "lead"), ("區財政局", "support")]),
        ("市委組織部（市委人才辦）、市人力社保局", "lead", [("市委組織部（市委人才辦）", "lead"), ("市人力社保局", "lead")]),
    ],
)
def test_unit_cells_in_traditional(cell: str, column: str, want: list[tuple[str, str]], rules: Rules) -> None:
    assert with_roles(cell, column, rules) == want
