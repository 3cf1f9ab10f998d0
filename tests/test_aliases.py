"""Bureau names -> canonical names (pipeline/aliases.py, rules/unit_aliases.yaml).

Cases by where they came from: the brief's examples, every unit name of the
fixture notices (tests/expected/*.json and the golden task_units), and the
checks of the rule file.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from pipeline.aliases import canonical
from pipeline.errors import RuleError
from pipeline.rules import Rules, default_rules_dir, load_rules
from pipeline.simplified import to_simplified
from tests.conftest import GOLDEN, ROOT

EXPECTED = ROOT / "tests" / "expected"
# Hand-written: the fixture names whose canonical name is not simply the name in simplified characters.
TABLE = EXPECTED / "unit_canonical.csv"

CASES = [
    # the variants of one body, the place kept as written
    pytest.param("市发改委", 2022, "市发展改革委", id="short-form"),
    pytest.param("市发展和改革委员会", 2022, "市发展改革委", id="full-name"),
    pytest.param("嘉兴市发改委", 2022, "嘉兴市发展改革委", id="city-name-kept"),
    pytest.param("南湖区发展和改革局", 2022, "南湖区发展改革局", id="district-name-kept"),
    pytest.param("发改委", 2022, "发展改革委", id="no-place"),
    pytest.param("市住房和城乡建设局", 2022, "市住建局", id="longest-variant-wins"),
    pytest.param("海宁市人民政府", 2022, "海宁市政府", id="people's-government"),
    pytest.param("市 人社局", 2022, "市人力社保局", id="spaces-removed"),
    pytest.param("市人力資源和社會保障局", 2022, "市人力社保局", id="traditional"),
    # second names in brackets
    pytest.param("市发改委(市协作办)", 2022, "市发展改革委", id="ascii-bracket-second-name"),
    pytest.param("各县（市、区）", 2022, "各县（市、区）", id="bracket-of-places-stays"),
    # dated renames
    pytest.param("市建设局", 2019, "市住建局", id="rename-from-its-year"),
    pytest.param("市建设局", 2018, "市建设局", id="rename-not-before"),
    pytest.param("市建设局", None, "市建设局", id="rename-needs-a-year"),
    pytest.param("县卫生和计划生育局", 2016, "县卫计局", id="old-body-old-name"),
    pytest.param("县卫生和计划生育局", 2020, "县卫生健康局", id="old-body-renamed"),
    # what is not a place, and whole names
    pytest.param("市城乡建设局", 2022, "市城乡建设局", id="chengxiang-is-not-a-place"),
    pytest.param("市教育工会", 2022, "市教育工会", id="not-place-plus-body"),
    pytest.param("共青团市委", 2022, "团市委", id="whole-name"),
    pytest.param("嘉兴海关", 2022, "嘉兴海关", id="no-rule"),
]


@pytest.mark.parametrize(("name", "year", "want"), CASES)
def test_canonical(name: str, year: int | None, want: str, rules: Rules) -> None:
    assert canonical(name, year, rules) == want


def _table() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _table(), ids=lambda row: f"{row['unit']}-{row['year']}")
def test_hand_table(row: dict[str, str], rules: Rules) -> None:
    assert canonical(row["unit"], int(row["year"]), rules) == row["unit_canonical"], row["why"]


def fixture_names() -> set[tuple[str, int]]:
    """Every (unit name, notice year) of the fixtures' expected parses and golden outputs."""
    names = set()
    for path in EXPECTED.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        names |= {(u["unit"], data["header"]["year"]) for task in data["tasks"] for u in task["units"]}
    for folder in GOLDEN.iterdir():
        with (folder / "documents.csv").open(encoding="utf-8-sig", newline="") as handle:
            year = int(next(csv.DictReader(handle))["year"])
        with (folder / "task_units.csv").open(encoding="utf-8-sig", newline="") as handle:
            names |= {(row["unit"], year) for row in csv.DictReader(handle)}
    return names


def test_every_fixture_name(rules: Rules) -> None:
    """Each name of the fixtures is covered: its canonical name is the hand table's, or itself (simplified)."""
    by_year = {(row["unit"], int(row["year"])): row["unit_canonical"] for row in _table()}
    by_name = {row["unit"]: row["unit_canonical"] for row in _table()}
    names = fixture_names()
    assert len(names) > 150
    wrong = []
    for name, year in sorted(names):
        want = by_year.get((name, year), by_name.get(name, to_simplified(name)))
        got = canonical(name, year, rules)
        if got != want:
            wrong.append(f"{name} ({year}): {got}, expected {want}")
    assert not wrong, "\n".join(wrong)
    unused = {row["unit"] for row in _table()} - {name for name, _ in names}
    assert not unused, f"hand table rows for names no fixture has: {unused}"


def test_variants_collapse_across_years(rules: Rules) -> None:
    """The issue's pairs: one canonical name each in consecutive notices."""
    assert canonical("市建设局", 2023, rules) == canonical("市住建局", 2024, rules) == "市住建局"
    assert canonical("市自然资源和规划局", 2023, rules) == canonical("市自然资源规划局", 2024, rules)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    return copy


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "unit_aliases.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_user_adds_a_variant(folder: Path) -> None:
    _edit(folder, "  外办: [外事办, 外事办公室]", "  外办: [外事办, 外事办公室, 外侨办]")
    assert canonical("市外侨办", 2024, load_rules(folder)) == "市外办"
    assert canonical("市外侨办", 2024, load_rules()) == "市外侨办"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("  外办: [外事办, 外事办公室]", "  外办: [外事办, 发改委]",
                     "key 'bodies' entry '发改委' is listed twice (already under '发展改革委')", id="variant-twice"),
        pytest.param("  外办: [外事办, 外事办公室]", "  外办: [外事办, 残联]",
                     "entry '残联' is listed twice (already under '残联')", id="canonical-as-variant"),
        pytest.param("  外办: [外事办, 外事办公室]", "  外办: []", "entry '外办' should list its variants",
                     id="no-variants"),
        pytest.param("{old: [建设局], new: 住建局, from: 2019}", "{old: [建设局], new: 住房和城乡建设局, from: 2019}",
                     "is a variant: give its canonical name '住建局'", id="rename-to-a-variant"),
        pytest.param("{old: [建设局], new: 住建局, from: 2019}", "{old: [建设局], new: 住建局, from: soon}",
                     "'from' should be a year", id="rename-year"),
        pytest.param("{old: [建设局], new: 住建局, from: 2019}", "{old: [发改局], new: 住建局, from: 2019}",
                     "entry '发改局' is listed twice (already under '发展改革局')", id="rename-of-a-variant"),
        pytest.param("{old: [建设局], new: 住建局, from: 2019}", "{old: [建设局], new: 住建局}",
                     "should have exactly the keys", id="rename-keys"),
        pytest.param("(?: 各 | 有关 )?", "(?: 各 | 有关 ", "key 'place' is not a valid pattern", id="place-pattern"),
    ],
)
def test_malformed_alias_file(folder: Path, old: str, new: str, message: str) -> None:
    _edit(folder, old, new)
    with pytest.raises(RuleError) as caught:
        load_rules(folder)
    assert str(caught.value).startswith(f"{folder}/unit_aliases.yaml:"), caught.value
    assert message in str(caught.value)
