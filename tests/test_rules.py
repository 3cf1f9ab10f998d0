"""The rules value: built in-process from any folder; a malformed file is one error naming file, line and key."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import RuleError
from pipeline.rules import Rules, default_rules_dir, load_rules
from pipeline.targets import extract
from tests.conftest import SEED


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the repository's rules/ to edit."""
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    return copy


def _edit(folder: Path, file: str, old: str, new: str) -> int:
    """Replace ``old`` once in ``folder/file``; the 1-based line where it was."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        pytest.param("units.yaml", "units:\n", "unused: 5\nunits:\n", "key 'unused' is unknown", id="unknown-key"),
        pytest.param("units.yaml", "bare_scales:", "bare_scale:", "key 'bare_scale' is unknown", id="misspelt-key"),
        pytest.param("words.yaml", '  约: "~"', '  约: "about"',
                     "key 'comparators_before' entry '约' should be one of", id="bad-comparator"),
        pytest.param("words.yaml", "  确保: guaranteed", "  确保: sure",
                     "key 'tiers' entry '确保' should be one of ['aspirational', 'guaranteed']", id="bad-tier"),
        pytest.param("patterns.yaml", "    “ [^”]* ”", "    “ [^”]* ” )",
                     "key 'stops' entry 'quoted' is not a valid pattern", id="bad-stop-pattern"),
        pytest.param("units.yaml", "factor: 10\n", "factor: 1.5\n", "key 'conversions' entry '成' needs", id="float-factor"),
        pytest.param("words.yaml", "  - 提升到\n", "  - 提升到\n  - 达到\n",
                     "key 'link_verbs' entry '达到' need not be listed: it comes from 'comparators_before'",
                     id="comparator-listed-as-link-verb"),
        pytest.param("words.yaml", "  - 累计\n  - 同比\n", "  - 累计\n  - 累计\n",
                     "key 'trims' entry '累计' is listed twice", id="listed-twice"),
        pytest.param("words.yaml", "  约: \"~\"\n", "  约: \"~\"\n  约: \">\"\n",
                     "key 'comparators_before' entry '约' is given twice", id="key-given-twice"),
        pytest.param("tables.yaml", "  item_no: [序号]", "  number: [序号]",
                     "key 'columns' entry 'number' should be one of", id="unknown-column"),
        pytest.param("tables.yaml", "  配合: support", "  配合: helper",
                     "key 'unit_roles' entry '配合' should be one of ['lead', 'support']", id="bad-unit-role"),
        pytest.param("tables.yaml", "  - ^ [（(] \\L<cn_numeral>+ [)）]", "  - ^ [（( \\L<cn_numeral>+",
                     "key 'section_levels' entry '^ [（( ", id="bad-section-level"),
        pytest.param("tables.yaml", "(?P<arabic> \\d{1,3} ) (?:", "(?P<number> \\d{1,3} ) (?:",
                     "key 'text_item_number' should have the group 'arabic'", id="text-item-number-group"),
        pytest.param("tables.yaml", "(?P<word> \\L<unit_label_words> )", "(?P<w> \\L<unit_label_words> )",
                     "key 'unit_label' should have the group 'word'", id="unit-label-group"),
        pytest.param("header.yaml", "  page_tools: |", "  page_tools: 3\n  other: |",
                     "key 'chrome' entry 'page_tools' should be a pattern", id="chrome-not-a-pattern"),
        pytest.param("numerals.yaml", "九: 9}", "九: 10}", "key 'digits' entry '九' should be one of", id="digit-ten"),
        pytest.param("header.yaml", "(?P<d>", "(?P<day>", "key 'date' should have the groups", id="date-group"),
        pytest.param("text.yaml", '"()", ', '"(", ', "key 'brackets' entry '(' should be an opening and a closing",
                     id="bracket-pair"),
    ],
)
def test_malformed_rule_file(folder: Path, file: str, old: str, new: str, message: str) -> None:
    line = _edit(folder, file, old, new)
    with pytest.raises(RuleError) as caught:
        load_rules(folder)
    text = str(caught.value)
    assert text.startswith(f"{folder}/{file}:"), text
    assert message in text
    reported = int(text.split(":")[1])  # the line of the entry or key holding the edit
    assert line - 3 <= reported <= line + new.count("\n"), (line, text)


def test_not_yaml_names_the_line(folder: Path) -> None:
    line = _edit(folder, "tables.yaml", "title_lookback: 3", "title_lookback: [3")
    with pytest.raises(RuleError, match=rf"^{re.escape(str(folder))}/tables.yaml:(\d+): not valid YAML") as caught:
        load_rules(folder)
    assert int(str(caught.value).split(":")[1]) >= line  # where the parser noticed


def test_broken_dictionary_line(folder: Path) -> None:
    (folder / "userdict.txt").write_text("高新技术企业 1000 n\n规上工业 many n\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"userdict\.txt:2: expected 'term frequency"):
        load_rules(folder)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="not a rules folder"):
        load_rules(tmp_path / "nowhere")


def test_rules_from_a_folder_change_extraction_in_process(folder: Path, rules: Rules) -> None:
    """A Rules value is built from any folder, next to the default one, with no global state."""
    _edit(folder, "units.yaml", "\n  - 片\n", "\n")
    changed = load_rules(folder)
    assert changed.version != rules.version
    assert [t.unit for t in extract("新建笼式球场8片。", rules)] == ["片"]
    assert extract("新建笼式球场8片。", changed) == []


def test_same_folder_and_content_is_one_value(folder: Path) -> None:
    first = load_rules(folder)
    assert load_rules(folder) is first
    _edit(folder, "tables.yaml", "title_lookback: 3", "title_lookback: 5")
    second = load_rules(folder)
    assert second is not first
    assert (first.tables.title_lookback, second.tables.title_lookback) == (3, 5)


def test_backup_files_do_not_change_the_version(folder: Path) -> None:
    before = load_rules(folder).version
    (folder / "units.yaml~").write_text("editor backup", encoding="utf-8")
    (folder / ".units.yaml.swp").write_text("editor swap", encoding="utf-8")
    assert load_rules(folder).version == before


def test_pickled_as_folder_and_version(folder: Path) -> None:
    """Worker processes get the rules by folder; a folder changed since is refused."""
    rules = load_rules(folder)
    assert pickle.loads(pickle.dumps(rules)) is rules
    data = pickle.dumps(rules)
    _edit(folder, "tables.yaml", "title_lookback: 3", "title_lookback: 4")
    with pytest.raises(RuleError, match="changed while the pipeline was running"):
        pickle.loads(data)


def test_cli_checks_rules_once_before_any_input(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken rule file: one line naming file, line and key, exit 2, nothing read or written."""
    _edit(folder, "words.yaml", "  确保: guaranteed", "  确保: sure")
    out = tmp_path / "out"
    code = main(["ingest", str(SEED), str(SEED), str(tmp_path / "missing.txt"), "--out", str(out), "--rules", str(folder)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"error: {folder}/words.yaml:")
    assert "key 'tiers' entry '确保'" in err
    assert not out.exists()


def test_cli_rules_option_is_used(folder: Path, tmp_path: Path) -> None:
    import csv

    _edit(folder, "units.yaml", "\n  - 亩\n", "\n")
    assert main(["ingest", str(SEED), "--out", str(tmp_path / "out"), "--rules", str(folder), "-q"]) == 0
    [targets_csv] = (tmp_path / "out" / "csv" / "targets").glob("*.csv")
    with targets_csv.open(encoding="utf-8-sig") as handle:
        units = {row["unit"] for row in csv.DictReader(handle)}
    assert "万亩" not in units and "个" in units


def test_eval_takes_rules_too(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder, "numerals.yaml", "scales: {万: 10000", "scales: {万: 1000")
    assert main(["eval", "--rules", str(folder), "--quiet"]) == 2
    assert "numerals.yaml" in capsys.readouterr().err
