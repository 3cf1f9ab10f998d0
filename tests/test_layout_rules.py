"""rules/layouts.yaml (and the column names of tables.yaml it reads): a malformed entry is one error naming the
file, the line and the key; the words change reading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import RuleError
from pipeline.layouts import apply as lay_out
from pipeline.rules import default_rules_dir, load_rules
from pipeline.sources import text
from pipeline.tables import document_to_tasks


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    return copy


def _edit(folder: Path, old: str, new: str, file: str = "layouts.yaml") -> int:
    path = folder / file
    source = path.read_text(encoding="utf-8")
    assert old in source, old
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return source[: source.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("  support: [配合, ", "  helps: [配合, ", "key 'role_suffixes' entry 'helps' should be one of",
                     id="role"),
        pytest.param("  lead: [分别牵头, ", "  lead: [配合, 分别牵头, ", "key 'role_suffixes' entry '配合' is listed twice",
                     id="role-twice"),
        pytest.param("(?: (?P<number> \\d{1,3} ) \\s*", "(?: (?P<number> \\d{1,3} ) \\s* (",
                     "key 'item_start' is not a valid pattern", id="item-pattern"),
        pytest.param("(?P<number> \\d{1,3} ) \\s* [.．、] (?! \\d )\n\n", "(?P<n> \\d{1,3} ) \\s* [.．、] (?! \\d )\n\n",
                     "key 'inline_item' should have the group 'number'", id="inline-item-group"),
        pytest.param("unit_trailers: [等]", "unit_trailers: 等", "key 'unit_trailers' should be a list", id="not-a-list"),
    ],
)
def test_malformed_layout_rules(folder: Path, old: str, new: str, message: str) -> None:
    line = _edit(folder, old, new)
    with pytest.raises(RuleError) as caught:
        load_rules(folder)
    reported = str(caught.value)
    assert reported.startswith(f"{folder}/layouts.yaml:"), reported
    assert message in reported
    assert abs(int(reported.split(":")[1]) - line) <= 3, (line, reported)


def test_a_header_word_is_listed_once(folder: Path) -> None:
    """tables.yaml's columns are the one list of header words: a name under two kinds is refused."""
    line = _edit(folder, "  leader: [责任领导", "  leader: [配合单位, 责任领导", file="tables.yaml")
    with pytest.raises(RuleError, match=r"tables\.yaml:(\d+): key 'columns' entry '配合单位' is listed twice") as caught:
        load_rules(folder)
    assert int(str(caught.value).split(":")[1]) == line


def test_a_new_column_name_is_read_without_code(folder: Path) -> None:
    """督办单位 is no column name of the repository's rules; listed under lead in tables.yaml, paragraphs
    labelling their units with it read (the layouts stage takes its labels from the column names)."""
    source = "1.新建学校3所。（督办单位：市教育局）\n2.新增托位500个。（督办单位：市卫生健康委）\n"
    assert lay_out(text.parse(source, load_rules()), load_rules()).tables == []
    _edit(folder, "  lead: [牵头单位, ", "  lead: [督办单位, 牵头单位, ", file="tables.yaml")
    rules = load_rules(folder)
    table = lay_out(text.parse(source, rules), rules).tables[0]
    assert table.rows == (
        ("序号", "主要工作任务", "督办单位"), ("1", "新建学校3所。", "市教育局"), ("2", "新增托位500个。", "市卫生健康委"),
    )
    assert [task.units for task in document_to_tasks(lay_out(text.parse(source, rules), rules), rules)] == [
        (("市教育局", "lead"),), (("市卫生健康委", "lead"),),
    ]


def test_a_new_header_word_heads_a_column_of_cells(folder: Path) -> None:
    """A column name added to tables.yaml is a header cell of the one-cell-per-line layout too."""
    source = "序号\n\n工作任务\n\n督办单位\n\n1\n\n新建学校3所。\n\n市教育局\n\n2\n\n新增托位500个。\n\n市卫生健康委\n"
    before = document_to_tasks(lay_out(text.parse(source, load_rules()), load_rules()), load_rules())
    assert all(not task.units for task in before)  # 督办单位 unknown: no unit column
    _edit(folder, "  lead: [牵头单位, ", "  lead: [督办单位, 牵头单位, ", file="tables.yaml")
    rules = load_rules(folder)
    table = lay_out(text.parse(source, rules), rules).tables[0]
    assert table.rows[1:] == (("1", "新建学校3所。", "市教育局"), ("2", "新增托位500个。", "市卫生健康委"))
