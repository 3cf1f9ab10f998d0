"""完成时限 text -> tasks.deadline_date (pipeline/deadlines.py, rules/deadlines.yaml).

Cases grouped by where they came from: the fixture notices' 完成时限 cells,
the forms the brief names, and forms seen in the layouts survey (docs/layouts.md).
Each is (text, notice year, expected date or None).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pipeline.deadlines import deadline_date
from pipeline.errors import RuleError
from pipeline.rules import Rules, default_rules_dir, load_rules

D = dt.date

FIXTURES = [
    ("2022年12月底", 2022, D(2022, 12, 31)),
    ("2022年6月底", 2022, D(2022, 6, 30)),
    ("2026年12月底", 2022, D(2026, 12, 31)),  # a five-year task: its own year, not the notice's
    ("全年", 2022, D(2022, 12, 31)),
    ("2023年10月底前", 2023, D(2023, 10, 31)),
    ("2023年11月底前", 2023, D(2023, 11, 30)),
    ("12月底", 2021, D(2021, 12, 31)),
    ("11月底", 2021, D(2021, 11, 30)),
    ("12月底前", 2016, D(2016, 12, 31)),
    ("9月底前", 2016, D(2016, 9, 30)),
    ("5月底前动工", 2016, D(2016, 5, 31)),
    ("2024年10月底", 2024, D(2024, 10, 31)),
]

BRIEF = [
    ("年内", 2022, D(2022, 12, 31)),
    ("三季度", 2022, D(2022, 9, 30)),
    ("上半年", 2022, D(2022, 6, 30)),
    ("下半年", 2022, D(2022, 12, 31)),
    ("一季度", 2024, D(2024, 3, 31)),  # 2024 is a leap year: only the day count of February changes
    ("6月30日前", 2022, D(2022, 6, 30)),
    ("长期", 2022, None),
    ("持续推进", 2022, None),
]

OTHER = [
    ("9月投入使用", 2022, D(2022, 9, 30)),
    ("第四季度", 2022, D(2022, 12, 31)),
    ("前三季度", 2022, D(2022, 9, 30)),
    ("二季度末", 2022, D(2022, 6, 30)),
    ("年底前", 2022, D(2022, 12, 31)),
    ("2022年底", 2021, D(2022, 12, 31)),
    ("2022年内", 2022, D(2022, 12, 31)),
    ("2025年", 2022, D(2025, 12, 31)),
    ("十二月底前", 2022, D(2022, 12, 31)),
    ("二〇二三年三月", 2022, D(2023, 3, 31)),
    ("二○二三年底", 2022, D(2023, 12, 31)),  # ○ for 〇
    ("6月中旬", 2022, D(2022, 6, 20)),
    ("6月上旬", 2022, D(2022, 6, 10)),
    ("2月底", 2024, D(2024, 2, 29)),
    ("１２月底前", 2022, D(2022, 12, 31)),  # full-width digits
    ("12月 底前", 2022, D(2022, 12, 31)),  # a space from a wrapped cell
    ("12月底前完成一期，次年6月底前全部完成", 2022, D(2023, 6, 30)),  # several: the latest
    ("2023年3月、6月", 2022, D(2023, 6, 30)),  # a year holds for the months after it
    ("2022年起", 2022, None),  # a start, not a deadline
    ("2022年6月起每月", 2022, None),
    ("每月10日前报送", 2022, None),
    ("长期坚持，12月底前见效", 2022, None),  # open-ended wins
    ("2月30日", 2022, None),  # not a date
    ("13月", 2022, None),
    ("按进度推进", 2022, None),  # nothing to read
    ("", 2022, None),
    (None, 2022, None),
    ("12月底前", None, None),  # no year to put it in
    ("全年", None, None),
    ("2023年6月底", None, D(2023, 6, 30)),  # its own year is enough
    ("12月底前", 2022, D(2022, 12, 31)),
]


def _params(cases: list[tuple[str | None, int | None, dt.date | None]], group: str) -> list[object]:
    return [pytest.param(text, year, want, id=f"{group}-{text}-{year}") for text, year, want in cases]


@pytest.mark.parametrize(
    ("text", "year", "want"), [*_params(FIXTURES, "fixture"), *_params(BRIEF, "brief"), *_params(OTHER, "other")]
)
def test_deadline_date(text: str | None, year: int | None, want: dt.date | None, rules: Rules) -> None:
    assert deadline_date(text, year, rules) == want


@pytest.mark.parametrize(
    ("text", "want"), [("十二月底前", D(2022, 12, 31)), ("三季度", D(2022, 9, 30)), ("長期", None), ("年內", D(2022, 12, 31))]
)
def test_traditional(text: str, want: dt.date | None, rules: Rules) -> None:
    assert deadline_date(text, 2022, rules) == want


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    return copy


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "deadlines.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_user_adds_a_period(folder: Path) -> None:
    _edit(folder, "  年中: 6\n", "  年中: 6\n  前两个季度: 6\n")
    assert deadline_date("前两个季度", 2022, load_rules(folder)) == D(2022, 6, 30)
    assert deadline_date("前两个季度", 2022, load_rules()) is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("  三季度: 9", "  三季度: 13", "key 'year_parts' entry '三季度' should be a number from 1 to 12",
                     id="month-13"),
        pytest.param("  中旬: 20", "  中旬: 32", "key 'month_parts' entry '中旬' should be a number from 0 to 31",
                     id="day-32"),
        pytest.param("(?P<year_part>", "(?P<part>", "key 'date' should have exactly the groups", id="group-name"),
        pytest.param("starts: [起, 开始, 以来]", "starts: 起", "key 'starts' should be a list", id="starts-list"),
    ],
)
def test_malformed_deadline_file(folder: Path, old: str, new: str, message: str) -> None:
    _edit(folder, old, new)
    with pytest.raises(RuleError) as caught:
        load_rules(folder)
    assert str(caught.value).startswith(f"{folder}/deadlines.yaml:"), caught.value
    assert message in str(caught.value)
