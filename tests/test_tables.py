"""The tables stage: the seed notice's rows, and table layouts of other notices."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from pipeline.errors import NoResponsibilityTable
from pipeline.header import read_header
from pipeline.layouts import apply as lay_out
from pipeline.model import Document, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources import text
from pipeline.tables import Task, document_to_tasks, read_tasks
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed_tasks(rules: Rules) -> list[Task]:
    return document_to_tasks(lay_out(text.read(SEED.read_bytes(), rules), rules), rules)


def _doc(*blocks: Paragraph | Table) -> Document:
    return Document(blocks=blocks, source_format="text")


# ---------------------------------------------------------------- the seed notice

def test_seed_row_counts(seed_tasks: list[Task]) -> None:
    assert Counter(t.table for t in seed_tasks) == {"key_work": 104, "special_action": 11, "livelihood": 10}


def test_seed_key_work_items_1_to_100_with_four_second_parts(seed_tasks: list[Task]) -> None:
    key_work = [t for t in seed_tasks if t.table == "key_work"]
    assert sorted({t.item_no for t in key_work}) == list(range(1, 101))
    assert [(t.item_no, t.part_no) for t in key_work if t.part_no > 1] == [(12, 2), (22, 2), (26, 2), (79, 2)]


def test_seed_special_actions_in_two_sections(seed_tasks: list[Task]) -> None:
    actions = [t for t in seed_tasks if t.table == "special_action"]
    assert Counter(t.section for t in actions) == {"一、“惠民生、优服务”三年计划": 1, "二、十大专项行动": 10}
    assert [t.item_no for t in actions] == [1, *range(1, 11)]
    assert len({t.task_id for t in actions}) == 11


def test_seed_livelihood_name_and_text(seed_tasks: list[Task]) -> None:
    second = [t for t in seed_tasks if t.table == "livelihood"][1]
    assert second.name == "社会心理健康服务项目"
    assert second.text.startswith("1.全市完成心理健康服务站提标改造9个；2.全市创建中小学")


def test_seed_wrapped_unit_list(seed_tasks: list[Task]) -> None:
    item8 = next(t for t in seed_tasks if t.table == "key_work" and t.item_no == 8)
    assert item8.units == tuple(
        (u, "lead") for u in ("市发展改革委", "海宁市政府", "平湖市政府", "海盐县政府")
    )


def test_seed_task_texts_and_units_occur_in_source(seed_tasks: list[Task]) -> None:
    """Every task text and unit name is the source's text with wraps and spacing removed."""
    flat = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    for task in seed_tasks:
        assert re.sub(r"\s+", "", task.text) in flat, task.task_id
        for unit, _role in task.units:
            assert unit in flat, (task.task_id, unit)


def test_seed_header(rules: Rules) -> None:
    header = read_header(lay_out(text.read(SEED.read_bytes(), rules), rules), rules)
    assert header.title == (
        "嘉兴市人民政府办公室关于印发2021年政府工作报告重点工作、“1+10”专项行动和市政府民生实事责任分解的通知"
    )
    assert header.issuer == "嘉兴市人民政府办公室"
    assert str(header.issue_date) == "2021-02-25"
    assert header.year == 2021


# ---------------------------------------------------------------- other layouts

TWO_UNIT_COLUMNS = _doc(
    Paragraph("2022年政府工作报告重点工作责任分解"),
    Table(
        (
            ("序号", "重点工作", "责任单位", "配合单位", "完成时限"),
            ("一、未来五年主要工作任务", "", "", "", ""),
            ("1", "任务甲", "*市发展改革委、市经信局", "市财政局", "2022年12月底"),
            ("二、2022年重点工作", "", "", "", ""),
            ("1", "任务乙", "市科技局，市教育局", "", "全年"),
            ("", "任务乙续", "*南溪经济开发区管委\n会、市商务局", "市委组织部（市委人才办）", ""),
            ("序号", "重点工作", "责任单位", "配合单位", "完成时限"),
            ("2", "任务丙", "市建设局", "", ""),
            ("注：带*为牵头单位。", "", "", "", ""),
            ("3", "不应读到", "市公安局", "", ""),
        )
    ),
)


@pytest.fixture(scope="module")
def two_column_tasks(rules: Rules) -> list[Task]:
    return document_to_tasks(TWO_UNIT_COLUMNS, rules)


def test_sections_restart_numbering(two_column_tasks: list[Task]) -> None:
    assert [(t.section, t.item_no, t.part_no) for t in two_column_tasks] == [
        ("一、未来五年主要工作任务", 1, 1),
        ("二、2022年重点工作", 1, 1),
        ("二、2022年重点工作", 1, 2),
        ("二、2022年重点工作", 2, 1),
    ]
    assert len({t.task_id for t in two_column_tasks}) == 4


def test_starred_responsible_units_lead_and_support_column(two_column_tasks: list[Task]) -> None:
    assert two_column_tasks[0].units == (("市发展改革委", "lead"), ("市经信局", "support"), ("市财政局", "support"))


def test_unstarred_responsible_units_all_lead(two_column_tasks: list[Task]) -> None:
    assert two_column_tasks[1].units == (("市科技局", "lead"), ("市教育局", "lead"))


def test_unit_name_wrapped_mid_name_and_alias(two_column_tasks: list[Task]) -> None:
    assert two_column_tasks[2].units == (
        ("南溪经济开发区管委会", "lead"),
        ("市商务局", "support"),
        ("市委组织部（市委人才办）", "support"),
    )


def test_deadline_column(two_column_tasks: list[Task]) -> None:
    assert [t.deadline for t in two_column_tasks] == ["2022年12月底", "全年", None, None]


def test_table_kind_from_title_and_columns(rules: Rules) -> None:
    doc = _doc(
        Paragraph("2023年民生实事项目责任分解"),
        Table((("序号", "项目名称", "项目内容", "责任单位"), ("1", "项目甲", "内容甲", "单位甲"))),
        Table((("序号", "专项行动", "牵头单位"), ("1", "行动甲", "单位乙"))),
    )
    tasks = document_to_tasks(doc, rules)
    assert [(t.table, t.name, t.text) for t in tasks] == [
        ("livelihood", "项目甲", "内容甲"),
        ("special_action", None, "行动甲"),
    ]


def test_title_row_inside_the_table(rules: Rules) -> None:
    doc = _doc(
        Table(
            (
                ("2023年民生实事责任分解", "", ""),
                ("序号", "项目名称", "牵头单位"),
                ("1", "项目甲", "单位甲"),
            )
        )
    )
    assert document_to_tasks(doc, rules)[0].table == "livelihood"


def test_table_continued_after_page_break(rules: Rules) -> None:
    header = ("序号", "主要工作任务", "牵头单位")
    doc = _doc(
        Paragraph("重点工作责任分解"),
        Table((header, ("1", "任务一", "单位甲"))),
        Paragraph("— 3 —"),
        Table((header, ("2", "任务二", "单位乙"))),
    )
    assert [(t.table, t.item_no, t.task_id) for t in document_to_tasks(doc, rules)] == [
        ("key_work", 1, "key_work-0-1-1"),
        ("key_work", 2, "key_work-0-2-1"),
    ]


def test_columns_mapped_by_header_not_position(rules: Rules) -> None:
    doc = _doc(Table((("牵头单位", "工作任务", "序号"), ("单位甲", "任务一", "1"))))
    task = document_to_tasks(doc, rules)[0]
    assert (task.item_no, task.text, task.units) == (1, "任务一", (("单位甲", "lead"),))


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(_doc(Paragraph("只有正文，没有表格。")), id="no-table"),
        pytest.param(_doc(Table((("姓名", "电话"), ("张三", "123")))), id="unrelated-table"),
    ],
)
def test_no_responsibility_table(doc: Document, rules: Rules) -> None:
    with pytest.raises(NoResponsibilityTable):
        document_to_tasks(doc, rules)


# ---------------------------------------------------------------- the second notice

SECOND = SEED.parent / "nanxi_2022.txt"
EXPECTED = SEED.parent.parent / "tests" / "expected" / "nanxi_2022.json"


@pytest.fixture(scope="module")
def second(rules: Rules) -> tuple[dict[str, object], list[Task]]:
    import json

    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return expected, document_to_tasks(lay_out(text.read(SECOND.read_bytes(), rules), rules), rules)


def test_second_notice_header(second: tuple[dict[str, object], list[Task]], rules: Rules) -> None:
    expected, _ = second
    header = read_header(lay_out(text.read(SECOND.read_bytes(), rules), rules), rules)
    assert {
        "title": header.title,
        "issuer": header.issuer,
        "issue_date": str(header.issue_date),
        "year": header.year,
    } == expected["header"]


def test_second_notice_tables(second: tuple[dict[str, object], list[Task]]) -> None:
    expected, tasks = second
    assert dict(Counter(t.table for t in tasks)) == expected["tables"]


def _as_expected(task: Task) -> dict[str, object]:
    return {
        "table": task.table,
        "section": task.section,
        "item_no": task.item_no,
        "part_no": task.part_no,
        "name": task.name,
        "deadline": task.deadline,
        "text": task.text,
        "units": [{"unit": unit, "role": role} for unit, role in task.units],
    }


def test_second_notice_every_row(second: tuple[dict[str, object], list[Task]]) -> None:
    expected, tasks = second
    got = [_as_expected(t) for t in tasks]
    want = expected["tasks"]
    assert isinstance(want, list)
    mismatches = [(i, w, g) for i, (w, g) in enumerate(zip(want, got, strict=False)) if w != g]
    assert not mismatches, "\n".join(f"row {i}:\n  want {w}\n  got  {g}" for i, w, g in mismatches[:5])
    assert len(got) == len(want)


# ---------------------------------------------------------------- bugs caught in review

def test_chinese_item_numbers_start_items(rules: Rules) -> None:
    """一、 二、 in the 序号 column were read as parts 1 and 2 of one unnumbered item."""
    doc = _doc(Table((("序号", "工作任务", "牵头单位"), ("一、", "任务甲", "单位甲"), ("二、", "任务乙", "单位乙"))))
    assert [(t.item_no, t.part_no) for t in document_to_tasks(doc, rules)] == [(1, 1), (2, 1)]


def test_unreadable_item_number_still_starts_an_item(rules: Rules) -> None:
    doc = _doc(Table((("序号", "工作任务", "牵头单位"), ("1", "任务甲", "单位甲"), ("A", "任务乙", "单位乙"))))
    assert [(t.item_no, t.part_no) for t in document_to_tasks(doc, rules)] == [(1, 1), (None, 1)]


def test_second_table_of_a_kind_is_its_own_section(rules: Rules) -> None:
    """Two key-work tables numbered from 1 gave colliding ids (key_work-0-1-1~2)."""
    header = ("序号", "主要工作任务", "牵头单位")
    doc = _doc(
        Paragraph("政府工作报告重点工作责任分解（一）"),
        Table((header, ("1", "任务甲", "单位甲"))),
        Paragraph("政府工作报告重点工作责任分解（二）"),
        Table((header, ("1", "任务乙", "单位乙"))),
    )
    assert [(t.task_id, t.section) for t in document_to_tasks(doc, rules)] == [
        ("key_work-0-1-1", None),
        ("key_work-1-1-1", "政府工作报告重点工作责任分解（二）"),
    ]


@pytest.mark.parametrize("date", ["二〇二一年二月二二日", "二〇二一年十十月五日", "2021年13月40日"])
def test_malformed_date_leaves_the_date_empty(date: str, rules: Rules) -> None:
    """A badly written date crashed the whole notice (KeyError: '二二')."""
    header = read_header(lay_out(text.parse(f"某市关于印发2021年责任分解的通知\n各部门：\n正文。\n某市人民政府办公室\n{date}\n", rules), rules), rules)
    assert (header.issue_date, header.year) == (None, 2021)


# ---------------------------------------------------------------- warnings

def test_what_cannot_be_read_whole_is_a_warning(rules: Rules) -> None:
    doc = _doc(
        Paragraph("重点工作责任分解"),
        Table(
            (
                ("序号", "主要工作任务", "牵头单位"),
                ("", "无序号的一行", "单位甲"),
                ("1", "任务甲", "*"),
                ("A", "任务乙", "单位乙"),
                ("2", "任务丙", "单位丙", "多出的一格"),
                ("3", "", "单位丁"),
                ("注：说明。", "", ""),
                ("4", "注后的一行", "单位戊"),
            )
        ),
    )
    read = read_tasks(doc, rules)
    assert [t.text for t in read.tasks] == ["无序号的一行", "任务甲", "任务乙", "任务丙", None]
    assert [(w.stage, w.where) for w in read.warnings] == [
        ("tables", "table 1, row 2"),
        ("tables", "table 1, row 3"),
        ("tables", "table 1, row 4"),
        ("tables", "table 1, row 5"),
        ("tables", "table 1, row 6"),
        ("tables", "table 1, row 7"),
    ]
    assert [w.what for w in read.warnings] == [
        "a row without an item number before any numbered row",
        "unit cell '*' holds no unit name",
        "item number 'A' is not a number",
        "4 cells under a header of 3: the extra cells are not read",
        "a row with units but no task text",
        "1 row after the note under the table not read",
    ]


def test_tables_warnings_reach_the_warnings_table(rules: Rules) -> None:
    from pipeline.ingest import parse_bytes

    notice = "重点工作责任分解\n\t序号\n\t主要工作任务\n\t牵头单位\n\n\t1\n\t任务甲\n\t*\n".encode()
    parsed = parse_bytes(notice, "n.txt", rules)
    assert [(w["stage"], w["where"], w["what"]) for w in parsed.tables["warnings"]] == [
        ("tables", "table 1, row 2", "unit cell '*' holds no unit name"),
    ]
    assert parsed.tables["documents"][0]["warning_count"] == 1


# ---------------------------------------------------------------- columns of issue 10 (§6, §7)

def test_category_column_padded_at_the_end_is_aligned(rules: Rules) -> None:
    """A reader that pads the short rows of a flattened 领域 rowspan at the end, not the start."""
    doc = _doc(
        Table(
            (
                ("领域", "序号", "工作内容", "责任单位", "进展情况"),
                ("经济发展", "1", "任务甲", "单位甲", "已完成"),
                ("2", "任务乙", "单位乙", "过半", ""),
                ("城市建设", "3", "任务丙", "单位丙", ""),
                ("社会民生", "", "", "", ""),
                ("4", "任务丁", "单位丁", "", ""),
            )
        )
    )
    tasks = document_to_tasks(doc, rules)
    assert [(t.section, t.item_no, t.text, t.units, t.progress) for t in tasks] == [
        ("经济发展", 1, "任务甲", (("单位甲", "lead"),), "已完成"),
        ("经济发展", 2, "任务乙", (("单位乙", "lead"),), "过半"),
        ("城市建设", 3, "任务丙", (("单位丙", "lead"),), None),
        ("社会民生", 4, "任务丁", (("单位丁", "lead"),), None),
    ]


def test_leader_column_is_never_a_unit(rules: Rules) -> None:
    doc = _doc(Table((("序号", "事项", "分管领导", "牵头单位"), ("1", "任务甲", "张三、李四", "市发改委"))))
    [task] = document_to_tasks(doc, rules)
    assert (task.text, task.leader, task.units) == ("任务甲", "张三、李四", (("市发改委", "lead"),))


def test_lead_and_responsible_columns(rules: Rules) -> None:
    doc = _doc(Table((("序号", "重点任务", "牵头单位", "责任单位"), ("1", "任务甲", "市经信局", "市经信局、市科技局"))))
    assert document_to_tasks(doc, rules)[0].units == (("市经信局", "lead"), ("市科技局", "support"))


def test_indicator_name_beside_its_requirement(rules: Rules) -> None:
    doc = _doc(
        Paragraph("2022年主要预期目标责任分解"),
        Table((("序号", "指标名称", "指标要求", "牵头单位"), ("1", "地区生产总值", "增长6%左右", "市发改委"))),
    )
    [task] = document_to_tasks(doc, rules)
    assert (task.table, task.name, task.text) == ("key_work", "地区生产总值", "地区生产总值增长6%左右")


def test_no_number_column_numbers_in_the_text(rules: Rules) -> None:
    doc = _doc(
        Table(
            (
                ("重点任务", "责任单位"),
                ("1.任务甲。", "单位甲"),
                ("任务甲之二。", "单位乙"),
                ("（2）任务乙。", "单位丙"),
                ("3、任务丙，增长3.5%。", "单位丁"),
            )
        )
    )
    assert [(t.item_no, t.part_no, t.text) for t in document_to_tasks(doc, rules)] == [
        (1, 1, "任务甲。"), (1, 2, "任务甲之二。"), (2, 1, "任务乙。"), (3, 1, "任务丙，增长3.5%。"),
    ]


def test_a_two_column_table_without_unit_column_is_not_a_task_table(rules: Rules) -> None:
    with pytest.raises(NoResponsibilityTable):
        document_to_tasks(_doc(Table((("重点任务", "备注"), ("1.任务甲。", "无")))), rules)


def test_nested_headings_join_and_numbering_restarts(rules: Rules) -> None:
    doc = _doc(
        Table(
            (
                ("序号", "工作任务", "责任单位"),
                ("第一部分 经济", "", ""),
                ("一、某某市长牵头重点工作", "", ""),
                ("（一）工业", "", ""),
                ("1", "任务甲", "单位甲"),
                ("（二）农业", "", ""),
                ("1", "任务乙", "单位乙"),
                ("二、某某副市长牵头重点工作", "", ""),
                ("1", "任务丙", "单位丙"),
            )
        )
    )
    assert [(t.section, t.item_no) for t in document_to_tasks(doc, rules)] == [
        ("第一部分 经济 / 一、某某市长牵头重点工作 / （一）工业", 1),
        ("第一部分 经济 / 一、某某市长牵头重点工作 / （二）农业", 1),
        ("第一部分 经济 / 二、某某副市长牵头重点工作", 1),
    ]


def test_traditional_header_row(rules: Rules) -> None:
    doc = _doc(
        Paragraph("2024年民生實事項目責任分解"),
        Table((("序號", "項目名稱", "項目內容", "責任單位", "完成時限"), ("1", "項目甲", "新增托位1500個。", "市衛生健康委", "全年"))),
    )
    [task] = document_to_tasks(doc, rules)
    assert (task.table, task.name, task.text, task.units, task.deadline) == (
        "livelihood", "項目甲", "新增托位1500個。", (("市衛生健康委", "lead"),), "全年"
    )


@pytest.mark.parametrize(("number", "heading"), [("一", "一、经济发展"), ("二、", "二、经济发展"), ("（三）", "（三）经济发展")])
def test_heading_split_over_number_and_task_cells(number: str, heading: str, rules: Rules) -> None:
    """一 | 经济发展 with no unit: a heading, not item 1 without units."""
    doc = _doc(Table((("序号", "工作任务", "牵头单位"), (number, "经济发展", ""), ("1", "任务甲", "单位甲"))))
    assert [(t.section, t.item_no) for t in document_to_tasks(doc, rules)] == [(heading, 1)]


@pytest.mark.parametrize("cell", ["无", "—", "/", "暂无"])
def test_a_cell_saying_none_is_no_unit_and_no_warning(cell: str, rules: Rules) -> None:
    doc = _doc(Table((("序号", "工作任务", "牵头单位", "配合单位"), ("1", "任务甲", "单位甲", cell))))
    read = read_tasks(doc, rules)
    assert (read.tasks[0].units, read.warnings) == ((("单位甲", "lead"),), [])
