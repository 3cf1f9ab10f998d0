"""``pipeline compare``: two notices of one place, their targets paired across the years.

The invented city 澜桥市 has two notices (raw_docs/lanqiao_2023.txt, lanqiao_2024.txt,
parsed by hand in tests/expected/, targets labelled in tests/labels/). Its expected
comparison, tests/expected/compare_lanqiao.csv, was written by hand from the two
notices: which targets are one indicator, and whether each was raised, lowered,
kept, added or dropped.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.compare import Side, normalise, pair
from pipeline.rules import Rules
from tests.conftest import RAW_DOCS, ROOT

EXPECTED = ROOT / "tests" / "expected"
OLD, NEW = RAW_DOCS / "lanqiao_2023.txt", RAW_DOCS / "lanqiao_2024.txt"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lanqiao")
    assert main(["ingest", str(OLD), str(NEW), "--out", str(out), "-q"]) == 0
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _texts(name: str) -> dict[str, str]:
    """task_id -> text of the hand-made expected parse."""
    tasks = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))["tasks"]
    return {f"{t['table']}-0-{t['item_no']}-{t['part_no']}": t["text"] for t in tasks}


def test_compare_matches_the_hand_made_comparison(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "compare.csv"
    assert main(["compare", "lanqiao_2023", "lanqiao_2024.txt", "--data", str(data), "--csv", str(out)]) == 0
    expected = _csv(EXPECTED / "compare_lanqiao.csv")
    got = _csv(out)
    columns = list(expected[0])
    assert [{c: row[c] for c in columns} for row in got] == expected
    old_texts, new_texts = _texts("lanqiao_2023"), _texts("lanqiao_2024")
    for row in got:
        assert (row["old_year"], row["new_year"]) == ("2023", "2024")
        assert row["old_text"] == old_texts.get(row["old_task"], "")
        assert row["new_text"] == new_texts.get(row["new_task"], "")
    shown = capsys.readouterr().out
    counts = Counter(row["status"] for row in expected)
    assert ", ".join(f"{counts[s]} {s}" for s in ("raised", "lowered", "unchanged", "new", "dropped")) in shown
    assert len(shown.splitlines()) == len(expected) + 2  # title, headings, one line per pair


def test_table_columns_line_up(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Chinese characters take two columns: every line's cells start at the same display column."""
    from pipeline.compare_report import display_width

    assert main(["compare", "lanqiao_2023", "lanqiao_2024", "--data", str(data)]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    heading = lines[0]
    starts = [display_width(heading[: heading.index(word)]) for word in ("indicator", "unit", "old", "new")]
    for line in lines[1:]:
        cells = line.split()
        assert display_width(line[: line.index(cells[1])]) == starts[0], line


def test_output_is_deterministic(data: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["compare", "lanqiao_2023", "lanqiao_2024", "--data", str(data), "--csv", str(first)]) == 0
    assert main(["compare", "lanqiao_2023", "lanqiao_2024", "--data", str(data), "--csv", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith("\ufeff".encode())


def test_region_pairs_consecutive_years(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three years of one city: 2023->2024 and 2024->2025; a year of another city is left out."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in (OLD, NEW, RAW_DOCS / "nanxi_2022.txt"):
        (docs / path.name).write_bytes(path.read_bytes())
    (docs / "lanqiao_2025.txt").write_text(NEW.read_text(encoding="utf-8").replace("2024", "2025"), encoding="utf-8")
    out = tmp_path / "parsed"
    assert main(["ingest", str(docs), "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    assert main(["compare", "--region", "澜桥市", "--data", str(out), "--csv", str(tmp_path / "c.csv")]) == 0
    shown = capsys.readouterr().out
    assert shown.count(" -> ") >= 2 and "2023 (" in shown and "2025 (" in shown
    rows = _csv(tmp_path / "c.csv")
    years = Counter((r["old_year"], r["new_year"]) for r in rows)
    assert set(years) == {("2023", "2024"), ("2024", "2025")}
    later = [r for r in rows if r["old_year"] == "2024"]
    assert {r["status"] for r in later} == {"unchanged"}  # the 2025 copy repeats 2024's targets
    assert len(later) == 18


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        pytest.param(["compare", "lanqiao_2023"], 2, "compare takes two NOTICEs", id="one-notice"),
        pytest.param(["compare", "lanqiao_2023", "lanqiao_2024", "--region", "澜桥市"], 2,
                     "compare takes two NOTICEs", id="both"),
        pytest.param(["compare", "lanqiao_2023", "nowhere_2020"], 1, "no notice matches 'nowhere_2020'",
                     id="unknown-notice"),
        pytest.param(["compare", "--region", "云岭市"], 1, "云岭市: notices of at least two years are needed",
                     id="region-without-notices"),
    ],
)
def test_bad_arguments(data: Path, argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    if code == 2:
        with pytest.raises(SystemExit) as exit_:
            main([*argv, "--data", str(data)])
        assert exit_.value.code == 2
    else:
        assert main([*argv, "--data", str(data)]) == code
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unwritable_csv_leaves_nothing(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "compare.csv"  # a folder that is a file
    assert main(["compare", "lanqiao_2023", "lanqiao_2024", "--data", str(data), "--csv", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write {target}") and err.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == "x"


# -- pairing, case by case -------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "want"),
    [
        pytest.param("新认定高新技术企业", "高新技术企业", id="lead-verb"),
        pytest.param("全市地区生产总值", "地区生产总值", id="scope"),
        pytest.param("净增高新技术企业", "高新技术企业", id="count-verb-not-in-lead-verbs"),
        pytest.param("城镇新增就业", "城镇就业", id="lead-verb-inside"),
        pytest.param("建设用地指标", "建设用地指标", id="verb-inside-a-term-stays"),
        pytest.param("研发经费支出占地区生产总值比重", "研发投入占地区生产总值比重", id="synonym"),
        pytest.param("生产总值", "地区生产总值", id="synonym-not-inside-its-canonical"),
        pytest.param("“未来社区”", "未来社区", id="quotes"),
        pytest.param("高新技術企業", "高新技术企业", id="traditional"),
    ],
)
def test_normalise(indicator: str, want: str, rules: Rules) -> None:
    assert normalise(indicator, rules) == want


def _side(indicator: str, unit: str, rules: Rules, rank: int = 0, commitment: str | None = None) -> Side:
    target = {"indicator": indicator, "unit_base": unit, "commitment": commitment, "comparator": "="}
    return Side(target=target, task=None, leads=(), key=normalise(indicator, rules), rank=rank)


@pytest.mark.parametrize(
    ("old", "new", "paired"),
    [
        pytest.param("高新技术企业", "新认定高新技术企业", True, id="brief-example"),
        pytest.param("城镇常住居民人均可支配收入", "农村常住居民人均可支配收入", False, id="different-modifiers"),
        pytest.param("城市书房", "城市绿道", False, id="shared-start-only"),
        pytest.param("婴幼儿托位", "3岁以下婴幼儿托位", True, id="contained"),
        pytest.param("项目", "亿元以上项目", True, id="short-in-long"),
        pytest.param("", "项目", False, id="empty-indicator"),
    ],
)
def test_pairs(old: str, new: str, paired: bool, rules: Rules) -> None:
    assert bool(pair([_side(old, "个", rules)], [_side(new, "个", rules)])) == paired


def test_unit_must_match(rules: Rules) -> None:
    assert pair([_side("城市绿道", "公里", rules)], [_side("城市绿道", "条", rules)]) == []


def test_exact_match_and_commitment_come_first(rules: Rules) -> None:
    olds = [_side("固定资产投资", "%", rules, 0, "guaranteed"), _side("固定资产投资", "%", rules, 1, "aspirational")]
    news = [_side("固定资产投资", "%", rules, 0, "aspirational"), _side("固定资产投资", "%", rules, 1, "guaranteed")]
    assert sorted(pair(olds, news)) == [(0, 1), (1, 0)]
    olds = [_side("婴幼儿托位", "个", rules), _side("3岁以下婴幼儿托位", "个", rules, 1)]
    news = [_side("3岁以下婴幼儿托位", "个", rules)]
    assert pair(olds, news) == [(1, 0)]
