"""rules/layouts.yaml: a malformed entry is one error naming the file, the line and the key; the words change reading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import RuleError
from pipeline.layouts import apply as lay_out
from pipeline.rules import default_rules_dir, load_rules
from pipeline.sources import text


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    return copy


def _edit(folder: Path, old: str, new: str) -> int:
    path = folder / "layouts.yaml"
    source = path.read_text(encoding="utf-8")
    assert old in source, old
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return source[: source.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("  person: [", "  people: [", "key 'header_words' entry 'people' should be one of", id="shape"),
        pytest.param("  leader: [责任领导", "  leader: [配合单位, 责任领导", "key 'part_labels' entry '配合单位' is listed twice",
                     id="label-twice"),
        pytest.param("  support: [配合, ", "  helps: [配合, ", "key 'role_suffixes' entry 'helps' should be one of",
                     id="role"),
        pytest.param("(?P<number> \\d{1,3} ) \\s*", "(?P<number> \\d{1,3} ) \\s* (", "key 'item_start' is not a valid pattern",
                     id="item-pattern"),
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


def test_a_new_label_is_read_without_code(folder: Path) -> None:
    """督办单位 is no label of the repository's rules; listed under lead, paragraphs using it read."""
    source = "1.新建学校3所。（督办单位：市教育局）\n2.新增托位500个。（督办单位：市卫生健康委）\n"
    assert lay_out(text.parse(source, load_rules()), load_rules()).tables == []
    _edit(folder, "  lead: [牵头单位, ", "  lead: [督办单位, 牵头单位, ")
    rules = load_rules(folder)
    table = lay_out(text.parse(source, rules), rules).tables[0]
    assert table.rows[1:] == (("1", "新建学校3所。", "市教育局"), ("2", "新增托位500个。", "市卫生健康委"))
