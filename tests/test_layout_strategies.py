"""Each layout strategy on small invented inputs: what it reads, where its table ends, what it warns about."""

from __future__ import annotations

import pytest

from pipeline.ingest import parse_bytes
from pipeline.layouts import apply as lay_out
from pipeline.model import Document, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources import text
from pipeline.tables import document_to_tasks


def _read(source: str, rules: Rules) -> Document:
    return lay_out(text.parse(source, rules), rules)


def _blocks(source: str, rules: Rules) -> list[object]:
    """Tables as their rows, paragraphs as their text."""
    return [block.rows if isinstance(block, Table) else block.text for block in _read(source, rules).blocks]


# ---------------------------------------------------------------- tab rows, pipe rows


def test_tab_rows_end_before_the_next_attachment_and_title(rules: Rules) -> None:
    """Bug in the tab-only reader: 附件2 and the next title were glued into the last unit cell."""
    source = (
        "序号\t工作任务\t责任单位\n1\t任务甲。\t市教育局\n附件2\n2024年民生实事责任分解\n"
        "序号\t项目名称\t责任单位\n1\t项目乙\t市财政局\n"
    )
    assert _blocks(source, rules) == [
        (("序号", "工作任务", "责任单位"), ("1", "任务甲。", "市教育局")),
        "附件2",
        "2024年民生实事责任分解",
        (("序号", "项目名称", "责任单位"), ("1", "项目乙", "市财政局")),
    ]


def test_tab_row_broken_inside_a_cell_and_stray_tabs(rules: Rules) -> None:
    source = "序号\t工作任务\t牵头单位\t配合单位\n一、总体\t\t\t\n1\t任务甲，\n任务甲续。\t市教育局\t市财政局\n\t续行任务。\t市民政局\t\n"
    assert _blocks(source, rules) == [
        (
            ("序号", "工作任务", "牵头单位", "配合单位"),
            ("一、总体",),
            ("1", "任务甲，\n任务甲续。", "市教育局", "市财政局"),
            ("", "续行任务。", "市民政局", ""),
        )
    ]


def test_pipe_metadata_is_not_a_table_and_separator_lines_are_skipped(rules: Rules) -> None:
    source = (
        "索引号: | 000/2024-1 | 公开方式: | 主动公开 |\n"
        "| 序号 | 主要工作任务 | 责任单位 |\n|---|---|---|\n| 1 | 任务甲。 | 市教育局 |\n| | 续行任务。 | 市财政局 |\n"
    )
    assert _blocks(source, rules) == [
        "索引号: | 000/2024-1 | 公开方式: | 主动公开 |",
        (("序号", "主要工作任务", "责任单位"), ("1", "任务甲。", "市教育局"), ("", "续行任务。", "市财政局")),
    ]


def test_pipe_row_without_opening_pipe_keeps_an_empty_first_cell(rules: Rules) -> None:
    source = "序号 | 工作任务 | 责任单位 |\n1 | 任务甲， \n任务甲续。 | 市教育局 |\n | 续行任务。 | 市财政局 |\n注：说明。\n"
    assert _blocks(source, rules) == [
        (("序号", "工作任务", "责任单位"), ("1", "任务甲，\n任务甲续。", "市教育局"), ("", "续行任务。", "市财政局")),
        "注：说明。",
    ]


# ---------------------------------------------------------------- one cell per line


CELLS_HEADER = "序号\n\n工 作 任 务\n\n牵头单位\n\n配合单位\n\n"


def test_cells_missing_cells_units_per_line_and_continuation_rows(rules: Rules) -> None:
    source = CELLS_HEADER + (
        "1\n\n任务甲。\n\n市教育局\n\n2\n\n任务乙，\n任务乙续。\n\n市财政局\n市民政局\n\n市住建局\n\n续行任务。\n\n市水利局\n\n分享到：\n"
    )
    assert _blocks(source, rules) == [
        (
            ("序号", "工 作 任 务", "牵头单位", "配合单位"),
            ("1", "任务甲。", "市教育局", ""),
            ("2", "任务乙，\n任务乙续。", "市财政局\n市民政局", "市住建局"),
            ("", "续行任务。", "市水利局", ""),
        ),
        "分享到：",
    ]


def test_cells_every_line_a_cell_when_the_header_has_no_blank_lines(rules: Rules) -> None:
    source = "序号\n工作任务\n责任单位\n完成时限\n1\n任务甲。\n市教育局\n市财政局\n12月底前\n2\n任务乙。\n市民政局\n全年\n"
    assert _blocks(source, rules) == [
        (
            ("序号", "工作任务", "责任单位", "完成时限"),
            ("1", "任务甲。", "市教育局\n市财政局", "12月底前"),
            ("2", "任务乙。", "市民政局", "全年"),
        )
    ]


def test_cells_a_cell_against_its_column_is_kept_with_a_warning(rules: Rules) -> None:
    source = "序号\n\n工作任务\n\n责任单位\n\n完成时限\n\n1\n\n任务甲。\n\n市教育局\n\n尽快研究\n\n2\n\n任务乙。\n\n市财政局\n\n全年\n"
    doc = _read(source, rules)
    assert doc.tables[0].rows[1] == ("1", "任务甲。", "市教育局", "尽快研究")
    assert [(w.stage, w.where) for w in doc.warnings] == [("layout", "line 15")]
    assert "'尽快研究' placed under '完成时限'" in doc.warnings[0].what


# ---------------------------------------------------------------- cells run together


def test_run_together_cells_split_by_numbers_sentence_ends_and_unit_names(rules: Rules) -> None:
    source = (
        "附件12024年重点工作责任分解序号主要工作任务牵头单位配合单位一、发展"
        "1地区生产总值增长5.5%，新增企业2家。市发展改革委市财政局、市统计局"
        "2新建学校3所。市教育局3新增就业1万人。市人力社保局市财政局注：说明。\n"
    )
    assert _blocks(source, rules) == [
        "附件1",
        "2024年重点工作责任分解",
        (
            ("序号", "主要工作任务", "牵头单位", "配合单位"),
            ("一、发展", "", "", ""),
            ("1", "地区生产总值增长5.5%，新增企业2家。", "市发展改革委", "市财政局、市统计局"),
            ("2", "新建学校3所。", "市教育局", ""),
            ("3", "新增就业1万人。", "市人力社保局", "市财政局"),
        ),
        "注：说明。",
    ]


def test_run_together_names_that_cannot_be_split_are_reported(rules: Rules) -> None:
    """Three names in two unit columns: the last two share a cell, and the notice says so."""
    source = "序号工作任务牵头单位配合单位1新建学校3所。市教育局市财政局市住建局\n"
    doc = _read(source, rules)
    assert doc.tables[0].rows[1] == ("1", "新建学校3所。", "市教育局", "市财政局、市住建局")
    assert len(doc.warnings) == 1
    assert "run together" in doc.warnings[0].what and doc.warnings[0].where == "line 1"


# ---------------------------------------------------------------- paragraph notices


def test_paragraphs_with_every_form_of_units(rules: Rules) -> None:
    source = (
        "2024年重点工作责任分解\n"
        "一、发展\n"
        "（一）工业\n"
        "1.新增企业20家。（牵头单位：市教育局；配合单位：市财政局、市民政局）\n"
        "2.新建园区2个。（市教育局牵头，市财政局配合）\n"
        "新建厂房5万平方米。（市民政局牵头）\n"
        "（二）民生\n"
        "1.新增就业1万人。（市教育局、市财政局按职责分工负责）\n"
        "2.新建学校3所。\n"
        "责任单位：市住建局、市水利局分别牵头，市财政局配合\n"
        "（三）新增托位500个。（责任领导：张三；责任单位：市商务局）\n"
        "抄送：各县政府。\n"
    )
    title, table, after = _read(source, rules).blocks
    assert title == Paragraph("2024年重点工作责任分解")
    assert isinstance(table, Table)
    assert table.rows == (
        ("序号", "主要工作任务", "责任领导", "牵头单位", "责任单位", "配合单位"),
        ("一、发展 / （一）工业", "", "", "", "", ""),
        ("1", "新增企业20家。", "", "市教育局", "", "市财政局、市民政局"),
        ("2", "新建园区2个。", "", "市教育局", "", "市财政局"),
        ("", "新建厂房5万平方米。", "", "市民政局", "", ""),
        ("一、发展 / （二）民生", "", "", "", "", ""),
        ("1", "新增就业1万人。", "", "", "市教育局、市财政局", ""),
        ("2", "新建学校3所。", "", "市住建局、市水利局", "", "市财政局"),
        ("三", "新增托位500个。", "张三", "", "市商务局", ""),
    )
    assert after == Paragraph("抄送：各县政府。")


def test_livelihood_paragraphs_name_their_project(rules: Rules) -> None:
    source = "1.托育服务项目：新增托位500个。（责任单位：市教育局；完成时限：2024年12月底）\n2.供水工程：改造管网8公里。（市财政局负责）\n"
    assert _blocks(source, rules) == [
        (
            ("序号", "项目名称", "项目内容", "责任单位", "完成时限"),
            ("1", "托育服务项目", "新增托位500个。", "市教育局", "2024年12月底"),
            ("2", "供水工程", "改造管网8公里。", "市财政局", ""),
        )
    ]


def test_numbered_paragraphs_without_units_are_not_a_table(rules: Rules) -> None:
    """A cover letter's numbered requirements mention 牵头 but carry no units."""
    source = "1.加强组织领导。各牵头单位要主动协调。\n2.强化督查考核。\n3.按时报送进展。\n"
    assert _blocks(source, rules) == [line for line in source.split("\n") if line]


def test_task_text_wrapped_over_two_paragraphs_before_its_labelled_line(rules: Rules) -> None:
    source = "1.新建学校3所，\n新增学位5000个。\n牵头单位：市教育局\n2.新增托位500个。\n牵头单位：市财政局\n"
    assert _blocks(source, rules)[0] == (
        ("序号", "主要工作任务", "牵头单位"),
        ("1", "新建学校3所，新增学位5000个。", "市教育局"),
        ("2", "新增托位500个。", "市财政局"),
    )


# ---------------------------------------------------------------- mixed notices, other readers


def test_cells_table_followed_by_a_paragraph_list(rules: Rules) -> None:
    source = CELLS_HEADER + "1\n\n任务甲。\n\n市教育局\n\n市财政局\n\n2\n\n任务乙。\n\n市民政局\n\n二、民生实事\n\n1.新建学校3所。（市住建局牵头）\n"
    blocks = _blocks(source, rules)
    assert blocks == [
        (
            ("序号", "工 作 任 务", "牵头单位", "配合单位"),
            ("1", "任务甲。", "市教育局", "市财政局"),
            ("2", "任务乙。", "市民政局", ""),
        ),
        (("序号", "主要工作任务", "牵头单位"), ("二、民生实事", "", ""), ("1", "新建学校3所。", "市住建局")),
    ]


def test_pipe_table_then_cells_table(rules: Rules) -> None:
    source = (
        "序号 | 工作任务 | 责任单位 |\n1 | 任务甲。 | 市教育局 |\n\n2024年民生实事责任分解\n\n"
        "序号\n\n项目名称\n\n责任单位\n\n1\n\n托育项目\n\n市财政局\n"
    )
    assert _blocks(source, rules) == [
        (("序号", "工作任务", "责任单位"), ("1", "任务甲。", "市教育局")),
        "2024年民生实事责任分解",
        (("序号", "项目名称", "责任单位"), ("1", "托育项目", "市财政局")),
    ]


def test_tables_pass_through_and_unread_paragraphs_are_kept_as_they_were(rules: Rules) -> None:
    table = Table((("序号", "工作任务"), ("1", "任务")))
    doc = Document((Paragraph("  标题\n第二行 "), table, Paragraph("正文。")), "docx", ())
    assert lay_out(doc, rules) == doc
    only_tables = Document((table,), "pdf")
    assert lay_out(only_tables, rules) is only_tables


def test_layout_warnings_reach_the_warnings_table(rules: Rules) -> None:
    source = "序号工作任务牵头单位配合单位1新建学校3所。市教育局市财政局市住建局\n"
    rows = parse_bytes(source.encode(), "notice.txt", rules).tables["warnings"]
    assert [(row["stage"], row["where"]) for row in rows] == [("layout", "line 1")]


@pytest.mark.parametrize(
    "line",
    ["2024年民生实事项目责任分解", "附件2", "附件：2024年重点工作责任分解", "序号"],
    ids=["title", "attachment", "attachment-with-title", "header"],
)
def test_a_region_starts_at_each_anchor(line: str, rules: Rules) -> None:
    from pipeline.layouts import regions
    from pipeline.layouts.base import Region

    region = Region.of(("正文。", line, "正文。"))
    assert regions.split(region, rules) == [(0, 1), (1, 3)]


def test_inline_labels_with_leaders_and_progress(rules: Rules) -> None:
    """A progress notice: every labelled part inline after the task, people and progress in columns of their own."""
    source = (
        "（一）交通出行。\n"
        "1.新辟公交线路10条。 牵头领导：张明 责任单位：市交通运输局 项目责任人：李华 实际完成情况：已开通6条。\n"
        "2.新增公共停车泊位500个。（市城管局牵头，市公安局配合；完成时限：2024年12月底）\n"
    )
    # The header is written from the first name of each column kind in tables.yaml (进展情况 for progress).
    assert _blocks(source, rules) == [
        (
            ("序号", "主要工作任务", "责任领导", "牵头单位", "责任单位", "配合单位", "完成时限", "进展情况"),
            ("（一）交通出行。", "", "", "", "", "", "", ""),
            ("1", "新辟公交线路10条。", "张明、李华", "", "市交通运输局", "", "", "已开通6条"),
            ("2", "新增公共停车泊位500个。", "", "市城管局", "", "市公安局", "2024年12月底", ""),
        )
    ]
    tasks = document_to_tasks(_read(source, rules), rules)
    assert [(t.text, t.units, t.leader, t.progress, t.deadline) for t in tasks] == [
        ("新辟公交线路10条。", (("市交通运输局", "lead"),), "张明、李华", "已开通6条", None),
        ("新增公共停车泊位500个。", (("市城管局", "lead"), ("市公安局", "support")), None, None, "2024年12月底"),
    ]


def test_run_together_header_with_a_qualified_leader_column(rules: Rules) -> None:
    source = "序号工作任务区政府分管领导牵头单位1新建学校3所。张明市教育局2新增托位500个。李华市卫生健康委\n"
    doc = _read(source, rules)
    rows = doc.tables[0].rows
    assert rows[0] == ("序号", "工作任务", "区政府分管领导", "牵头单位")
    # A leader's name touching the unit after it (张明市教育局) is cut off where the unit's level starts
    # (市教育局; 周立新教育局: after three characters): a guess, so said, not hidden.
    assert rows[1:] == (("1", "新建学校3所。", "张明", "市教育局"), ("2", "新增托位500个。", "李华", "市卫生健康委"))
    assert [w.what.split(":")[0] for w in doc.warnings] == ["item 1", "item 2"]
    assert "split as '张明'" in doc.warnings[0].what


def test_run_together_leader_names_without_a_level_in_the_unit(rules: Rules) -> None:
    source = "序号工作任务牵头领导牵头单位1新建学校3所。周立新教育局2新增托位500个。吴敏民政局\n"
    rows = _read(source, rules).tables[0].rows
    assert [row[2:] for row in rows[1:]] == [("周立新", "教育局"), ("吴敏", "民政局")]


def test_run_together_text_continues_over_an_aggregators_chunks(rules: Rules) -> None:
    """Aggregators cut a long run-together copy into numbered chunks (2、…) mid-cell; a chunk ending
    where no cell can end (市财) goes on in the next line too."""
    source = "序号工作任务牵头单位配合单位1新建学校3所。市教育局市财\n2、政局2新增托位500个。市卫生\n健康委\n抄送：各县政府。\n"
    assert _blocks(source, rules) == [
        (
            ("序号", "工作任务", "牵头单位", "配合单位"),
            ("1", "新建学校3所。", "市教育局", "市财政局"),
            ("2", "新增托位500个。", "市卫生健康委", ""),
        ),
        "抄送：各县政府。",
    ]


def test_cells_category_printed_before_the_first_number_of_its_group(rules: Rules) -> None:
    """A flattened rowspan: the category (领域) stands before the 序号 of its group's first row only."""
    source = (
        "领 域\n\n序号\n\n工作内容\n\n责任单位\n\n进展情况\n\n经济发展\n\n1\n\n任务甲。\n\n市发展改革委\n\n已完成。\n\n"
        "2\n\n任务乙。\n\n市财政局\n\n进行中。\n\n城市建设\n\n3\n\n任务丙。\n\n市住建局\n\n已开工。\n"
    )
    assert _blocks(source, rules) == [
        (
            ("领 域", "序号", "工作内容", "责任单位", "进展情况"),
            ("经济发展", "1", "任务甲。", "市发展改革委", "已完成。"),
            ("", "2", "任务乙。", "市财政局", "进行中。"),
            ("城市建设", "3", "任务丙。", "市住建局", "已开工。"),
        )
    ]


def test_numbered_headings_over_deeper_numbered_tasks(rules: Rules) -> None:
    """一、 / （一） / 1. nest: a 1. paragraph without units over （1） tasks heads them."""
    source = (
        "一、发展\n1.工业经济\n（1）新增企业20家。（市经信局牵头）\n（2）新建园区2个。（市商务局牵头）\n"
        "2.服务业\n（1）新增商贸企业10家。（市商务局牵头，市市场监管局配合）\n"
    )
    assert _blocks(source, rules) == [
        (
            ("序号", "主要工作任务", "牵头单位", "配合单位"),
            ("一、发展 / 1.工业经济", "", "", ""),
            ("1", "新增企业20家。", "市经信局", ""),
            ("2", "新建园区2个。", "市商务局", ""),
            ("一、发展 / 2.服务业", "", "", ""),
            ("1", "新增商贸企业10家。", "市商务局", "市市场监管局"),
        )
    ]


def test_role_words_vouch_for_names_of_any_ending(rules: Rules) -> None:
    """Before 牵头 / 配合 a name need not end like a known unit; a bare list still must."""
    source = "1.完善预警体系。（市人防牵头，各县（市、区）配合）\n2.新建学校3所。（市教育局、市财政局）\n"
    assert _blocks(source, rules) == [
        (
            ("序号", "主要工作任务", "牵头单位", "责任单位", "配合单位"),
            ("1", "完善预警体系。", "市人防", "", "各县（市、区）"),
            ("2", "新建学校3所。", "", "市教育局、市财政局", ""),
        )
    ]


def test_a_sections_introduction_does_not_end_the_list(rules: Rules) -> None:
    source = (
        "一、工业\n1.新增企业20家。（市经信局牵头）\n二、民生\n坚持以人民为中心，办好民生实事。\n"
        "1.新建学校3所。（市教育局牵头）\n抄送：各县政府。\n"
    )
    header = ("序号", "主要工作任务", "牵头单位")
    assert _blocks(source, rules) == [
        (header, ("一、工业", "", ""), ("1", "新增企业20家。", "市经信局"), ("二、民生", "", "")),
        "坚持以人民为中心，办好民生实事。",  # kept where it stands; the table goes on under the same header
        (header, ("1", "新建学校3所。", "市教育局")),
        "抄送：各县政府。",
    ]
    tasks = document_to_tasks(_read(source, rules), rules)
    assert [(t.section, t.item_no, t.text) for t in tasks] == [
        ("一、工业", 1, "新增企业20家。"), ("二、民生", 1, "新建学校3所。")
    ]


def test_an_unnumbered_topic_line_over_numbered_tasks_is_a_heading(rules: Rules) -> None:
    """Real notices put short topic lines without a number under （一） headings (完善交通路网):
    they head the tasks under them; before, the list ended there and the tasks after it lost their section."""
    source = (
        "一、主要目标\n1.新增企业20家。（牵头单位：市经信局）\n二、工作安排\n（一）壮大实体经济\n完善交通路网\n"
        "2.建成公路50公里。（责任领导：张明；牵头单位：市交通运输局）\n优化营商环境\n3.新增市场主体1万户。（牵头单位：市市场监管局）\n"
    )
    tasks = document_to_tasks(_read(source, rules), rules)
    assert [(t.section, t.item_no, t.units) for t in tasks] == [
        ("一、主要目标", 1, (("市经信局", "lead"),)),
        ("二、工作安排 / （一）壮大实体经济 / 完善交通路网", 2, (("市交通运输局", "lead"),)),
        ("二、工作安排 / （一）壮大实体经济 / 优化营商环境", 3, (("市市场监管局", "lead"),)),
    ]


def test_a_whole_list_run_into_one_paragraph(rules: Rules) -> None:
    """A real web copy ran its numbered tasks and their labelled parts into one paragraph: numbers in
    sequence after a space or a sentence end cut it into one task each; the text before 1. stays prose."""
    source = (
        "现将进展情况公示如下。 1.开通城乡公交线路6条。 牵头领导：张明 责任单位：市交通运输局 实际完成情况：已开通3条。"
        " 2.新增停车泊位500个。 牵头领导：李华 责任单位：市城管局 配合单位：市公安局 3 5 8\n"
    )
    assert _blocks(source, rules)[0] == "现将进展情况公示如下。"
    tasks = document_to_tasks(_read(source, rules), rules)
    assert [(t.item_no, t.text, t.units, t.leader, t.progress) for t in tasks] == [
        (1, "开通城乡公交线路6条。", (("市交通运输局", "lead"),), "张明", "已开通3条"),
        (2, "新增停车泊位500个。", (("市城管局", "lead"), ("市公安局", "support")), "李华", None),
    ]


def test_run_together_project_name_before_its_contents_first_verb(rules: Rules) -> None:
    """A real document-sharing copy: 项目名称 and 主要内容 touch (扩充学位供给实施新建…); the content
    may start at the first lead verb of the item, so the name is no longer glued to it."""
    source = (
        "序号项目名称主要内容牵头单位配合单位1扩充学位供给实施新建学校12个。市教育局市财政局"
        "2稳定就业岗位落实援企稳岗政策，新增就业1.5万人。市人社局市财政局\n"
    )
    rows = _read(source, rules).tables[0].rows
    assert [row[1:] for row in rows[1:]] == [
        ("扩充学位供给", "实施新建学校12个。", "市教育局", "市财政局"),
        ("稳定就业岗位", "落实援企稳岗政策，新增就业1.5万人。", "市人社局", "市财政局"),
    ]
