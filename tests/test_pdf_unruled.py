"""Unruled PDF tables (pipeline/sources/pdf_unruled.py) on hand-made pages: columns by alignment only.

Pages are 300 × 400 pt, text 10 pt (Chinese 10 pt wide per character); each
line is given as its baseline height and its cells as (x, text).
"""

from __future__ import annotations

from pipeline import sources
from pipeline.model import Paragraph, Table
from pipeline.rules import Rules
from tests.builders import pdf_bytes, pdf_text

Cells = list[tuple[float, str]]
HEADER: Cells = [(20, "序号"), (50, "工作任务"), (200, "牵头单位")]


def _page(lines: list[tuple[float, Cells]]) -> bytes:
    return b"".join(pdf_text(x, y, text) for y, cells in lines for x, text in cells)


def _read(pages: list[list[tuple[float, Cells]]], rules: Rules) -> tuple[list[Table], list[str]]:
    doc = sources.read(pdf_bytes([_page(page) for page in pages]), rules)
    return doc.tables, [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_rows_sections_wraps_and_a_continuation_row(rules: Rules) -> None:
    page = [
        (370, HEADER),
        (345, [(20, "一、稳住经济增长")]),  # a section heading across the first boundary
        (320, [(22, "1"), (50, "全市生产总值增长"), (200, "市发展改革委")]),
        (308, [(50, "百分之六。")]),  # the task cell wraps: 12 pt below
        (283, [(50, "建成农村公路。"), (200, "市交通运输局")]),  # a row of its own: the gap, no number
        (258, [(22, "2"), (50, "新增企业十家。"), (200, "市经信局")]),
        (246, [(200, "市统计局")]),
        (220, [(20, "各单位要按季度报送进展情况，接受督查。")]),  # runs across the columns: not the table's
    ]
    tables, paragraphs = _read([page], rules)
    assert tables == [Table((
        ("序号", "工作任务", "牵头单位"),
        ("一、稳住经济增长", "", ""),
        ("1", "全市生产总值增长\n百分之六。", "市发展改革委"),
        ("", "建成农村公路。", "市交通运输局"),
        ("2", "新增企业十家。", "市经信局\n市统计局"),
    ))]
    assert paragraphs == ["各单位要按季度报送进展情况，接受督查。"]


def test_rows_set_tight_are_told_apart_by_their_numbers(rules: Rules) -> None:
    page = [
        (370, HEADER),
        (355, [(22, "1"), (50, "全市生产总值增长"), (200, "市发展改革委")]),
        (343, [(50, "百分之六。")]),
        (331, [(22, "2"), (50, "新增企业十家。"), (200, "市经信局")]),
        (319, [(22, "3"), (50, "新建学校五所。"), (200, "市教育局")]),
    ]
    tables, _ = _read([page], rules)
    assert [row[0] for row in tables[0].rows] == ["序号", "1", "2", "3"]
    assert tables[0].rows[1][1] == "全市生产总值增长\n百分之六。"


def test_number_centred_between_two_lines_of_its_row(rules: Rules) -> None:
    """Vertically centred cells: the 1 sits half a line below the row's first line."""
    page = [
        (370, HEADER),
        (345, [(50, "全市生产总值增长"), (200, "市发展改革委")]),
        (339, [(22, "1")]),
        (333, [(50, "百分之六。")]),
        (308, [(50, "新增企业十家。"), (200, "市经信局")]),
        (308, [(22, "2")]),
    ]
    tables, _ = _read([page], rules)
    assert tables[0].rows[1:] == (("1", "全市生产总值增长\n百分之六。", "市发展改革委"), ("2", "新增企业十家。", "市经信局"))


def test_table_running_onto_the_next_page_without_its_header(rules: Rules) -> None:
    first = [
        (370, HEADER),
        (345, [(22, "1"), (50, "全市生产总值增长"), (200, "市发展改革委")]),
        (20, [(140, "- 1 -")]),
    ]
    second = [
        (370, [(50, "百分之六。")]),  # the rest of row 1: its number and unit cells already ended
        (345, [(22, "2"), (50, "新增企业十家。"), (200, "市经信局")]),
        (20, [(140, "- 2 -")]),
    ]
    tables, paragraphs = _read([first, second], rules)
    assert tables == [Table((
        ("序号", "工作任务", "牵头单位"),
        ("1", "全市生产总值增长\n百分之六。", "市发展改革委"),
        ("2", "新增企业十家。", "市经信局"),
    ))]
    assert paragraphs == []


def test_header_repeated_on_the_next_page_is_dropped(rules: Rules) -> None:
    first = [(370, HEADER), (345, [(22, "1"), (50, "全市生产总值增长。"), (200, "市发展改革委")])]
    second = [(370, HEADER), (345, [(22, "2"), (50, "新增企业十家。"), (200, "市经信局")])]
    tables, _ = _read([first, second], rules)
    assert [row[0] for row in tables[0].rows] == ["序号", "1", "2"]


def test_header_words_inside_a_sentence_make_no_table(rules: Rules) -> None:
    page = [(370, [(20, "请按序号填写工作任务和牵头单位。")]), (345, [(20, "1"), (50, "第一项。")])]
    tables, paragraphs = _read([page], rules)
    assert tables == []
    assert paragraphs[0] == "请按序号填写工作任务和牵头单位。"


def test_header_cell_wrapping_onto_a_second_line(rules: Rules) -> None:
    page = [
        (370, [(20, "序号"), (50, "工作任务"), (200, "牵头")]),
        (360, [(200, "单位")]),
        (335, [(22, "1"), (50, "新增企业十家。"), (200, "市经信局")]),
    ]
    tables, _ = _read([page], rules)
    assert tables[0].rows == (("序号", "工作任务", "牵头单位"), ("1", "新增企业十家。", "市经信局"))


def test_merged_number_centred_over_a_task_and_its_continuation_row(rules: Rules) -> None:
    """Item 2 has two rows; its merged 序号 cell is centred over both, so the 2 sits between them."""
    page = [
        (370, HEADER),
        (345, [(22, "1"), (50, "全市生产总值增长。"), (200, "市发展改革委")]),
        (320, [(50, "新增企业十家。"), (200, "市经信局")]),
        (307, [(22, "2")]),
        (295, [(50, "新建学校五所。"), (200, "市教育局")]),
        (270, [(22, "3"), (50, "新增绿道十公里。"), (200, "市住建局")]),
    ]
    tables, _ = _read([page], rules)
    assert tables[0].rows[1:] == (
        ("1", "全市生产总值增长。", "市发展改革委"),
        ("2", "新增企业十家。", "市经信局"),
        ("", "新建学校五所。", "市教育局"),
        ("3", "新增绿道十公里。", "市住建局"),
    )
