"""Unit cells -> units with roles (issue 10 §8), and the notice's own first-listed rule.

Cases are (cell, column kind, the notice states the first-listed rule, expected units).
"""

from __future__ import annotations

import pytest

from pipeline.model import Document, Paragraph, Table
from pipeline.organisations import with_roles
from pipeline.rules import Rules
from pipeline.task_rows import first_listed_rule

L, S = "lead", "support"

CELLS = [
    # the default and the stars (SPEC)
    pytest.param("市发改委、市财政局", "responsible", False, [("市发改委", L), ("市财政局", L)], id="unstarred-all-lead"),
    pytest.param("*市发改委、市财政局", "responsible", False, [("市发改委", L), ("市财政局", S)], id="starred-leads"),
    pytest.param("市发改委、市财政局", "support", False, [("市发改委", S), ("市财政局", S)], id="support-column"),
    # the notice's rule
    pytest.param("市发改委、市财政局、市统计局", "responsible", True, [("市发改委", L), ("市财政局", S), ("市统计局", S)],
                 id="first-listed"),
    pytest.param("市发改委\n市财政局", "responsible", True, [("市发改委", L), ("市财政局", S)], id="first-listed-one-per-line"),
    pytest.param("*市财政局、市发改委", "responsible", True, [("市财政局", L), ("市发改委", S)], id="star-with-first-listed"),
    pytest.param("市发改委、市财政局", "lead", True, [("市发改委", L), ("市财政局", L)], id="rule-not-for-lead-column"),
    # role words inside the cell
    pytest.param("区教育局、区卫健局分别牵头，区财政局配合", "responsible", True,
                 [("区教育局", L), ("区卫健局", L), ("区财政局", S)], id="fenbie-qiantou-peihe"),
    pytest.param("区教育局、区卫健局分别牵头\n区财政局", "responsible", True,
                 [("区教育局", L), ("区卫健局", L), ("区财政局", S)], id="fenbie-qiantou-line-break"),
    pytest.param("市交通运输局牵头，市财政局、市住建局配合", "responsible", False,
                 [("市交通运输局", L), ("市财政局", S), ("市住建局", S)], id="qiantou-peihe"),
    pytest.param("市发改委、市财政局按职责分工负责", "responsible", True, [("市发改委", L), ("市财政局", L)],
                 id="by-duty-all-lead"),
    pytest.param("市商务局（牵头）、市财政局", "responsible", False, [("市商务局", L), ("市财政局", S)],
                 id="role-in-parenthesis"),
    # labels inside the cell
    pytest.param("牵头单位：市发改委；配合单位：市财政局、市统计局", "responsible", False,
                 [("市发改委", L), ("市财政局", S), ("市统计局", S)], id="labelled-parts"),
    pytest.param("牵头单位：市发改委\n配合单位：市财政局", "responsible", False, [("市发改委", L), ("市财政局", S)],
                 id="labelled-lines"),
    pytest.param("牵头：市发改委 配合：市财政局", "responsible", False, [("市发改委", L), ("市财政局", S)],
                 id="role-word-labels"),
    pytest.param("责任单位：市发改委、市财政局", "responsible", True, [("市发改委", L), ("市财政局", S)],
                 id="responsible-label-keeps-the-column-rule"),
    # what is not part of a name
    pytest.param("区人社局 李建国\n区总工会", "responsible", True, [("区人社局", L), ("区总工会", S)], id="person-after-unit"),
    pytest.param("区民政局　孙丽华\n区总工会", "responsible", True, [("区民政局", L), ("区总工会", S)],
                 id="person-after-ideographic-space"),
    pytest.param("区商务局、区市场监管局、区文旅局等", "responsible", False,
                 [("区商务局", L), ("区市场监管局", L), ("区文旅局", L)], id="trailing-deng"),
    pytest.param("区科技局、区财政局（负责资金保障）", "responsible", True, [("区科技局", L), ("区财政局", S)],
                 id="note-in-parenthesis"),
    pytest.param("市发展改革委、市财政局（列第一位者为牵头单位，下同）", "responsible", True,
                 [("市发展改革委", L), ("市财政局", S)], id="rule-in-parenthesis"),
    pytest.param("市财政局（除标注外均为配合单位）", "support", False, [("市财政局", S)], id="explanation-chu"),
    # what is part of a name
    pytest.param("市委组织部（市委人才办）、市人社局", "responsible", True, [("市委组织部（市委人才办）", L), ("市人社局", S)],
                 id="alias-kept"),
    pytest.param("嘉兴经济技术开发区（国际商务区）", "lead", False, [("嘉兴经济技术开发区（国际商务区）", L)],
                 id="long-alias-kept"),
    pytest.param("各县（市、区）人民政府、各乡\n镇（街道）", "responsible", False,
                 [("各县（市、区）人民政府", L), ("各乡镇（街道）", L)], id="brackets-and-wrap"),
    # bugs: a line break inside brackets was taken for a separator (PDF cells wrap anywhere), and a
    # break after an alias's closing bracket for a wrapped name (one cell per line copies)
    pytest.param("市委组织部（市委\n人才办）、市人社局", "responsible", False,
                 [("市委组织部（市委人才办）", L), ("市人社局", L)], id="break-inside-alias-wraps"),
    pytest.param("市委组织部（市委人才办）\n市人社局", "responsible", True,
                 [("市委组织部（市委人才办）", L), ("市人社局", S)], id="break-after-alias-separates"),
    pytest.param("区财政局（负责资金保障）\n区税务局", "responsible", False, [("区财政局", L), ("区税务局", L)],
                 id="break-after-note-separates"),
    pytest.param("县住建局 县公安局", "responsible", False, [("县住建局", L), ("县公安局", L)], id="space-between-units"),
    pytest.param("各街道 各乡镇", "responsible", False, [("各街道", L), ("各乡镇", L)], id="collectives-are-not-persons"),
    # nothing to read
    pytest.param("*", "responsible", False, [], id="only-a-star"),
]


@pytest.mark.parametrize(("cell", "column", "first_listed", "want"), CELLS)
def test_unit_cell(cell: str, column: str, first_listed: bool, want: list[tuple[str, str]], rules: Rules) -> None:
    assert with_roles(cell, column, rules, first_listed) == want


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        pytest.param("责任单位中列第一位的为牵头单位，其余为配合单位。", True, id="lie-diyiwei-de"),
        pytest.param("排在第一位的为牵头单位。", True, id="pai-zai-diyiwei"),
        pytest.param("列第一位的责任单位为牵头单位或汇总单位。", True, id="with-huizong"),
        pytest.param("（列第一位者为工作牵头单位或汇总单位，下同）", True, id="zhe-gongzuo"),
        pytest.param("排在第一位的為牽頭單位。", True, id="traditional"),
        pytest.param("无牵头单位的，责任单位即为牵头单位。", False, id="no-lead-rule-is-the-default"),
        pytest.param("全市综合排名第一位，牵头单位要主动协调。", False, id="ranking-is-not-the-rule"),
    ],
)
def test_first_listed_rule_in_a_paragraph(text: str, stated: bool, rules: Rules) -> None:
    doc = Document(blocks=(Paragraph(text),), source_format="text")
    assert first_listed_rule(doc, rules) is stated


def test_first_listed_rule_in_a_cell(rules: Rules) -> None:
    table = Table((("序号", "工作任务", "责任单位"), ("1", "任务", "市发改委、市财政局（列第一位者为牵头单位，下同）")))
    assert first_listed_rule(Document(blocks=(table,), source_format="text"), rules)
