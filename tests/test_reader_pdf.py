"""The PDF reader: tables across pages, split rows, page furniture, fake bold, bad files.

The committed fixture is read once per test run (the ``ingested`` fixture);
the other PDFs are written by hand here (tests/builders.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import sources
from pipeline.errors import InputTooLarge, UnreadableInput
from pipeline.model import Document, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources import pages
from pipeline.timelimit import time_limit
from tests.builders import ENCRYPT, image_only_pdf, normalise_rows, pdf_bytes, pdf_text, ruled_page
from tests.conftest import RAW_DOCS, Ingested

JIAXING = RAW_DOCS / "jiaxing_2021.pdf"


@pytest.fixture
def jiaxing_pdf(ingested: Callable[[Path], Ingested]) -> Document:
    return ingested(JIAXING)[1].document


# -- the committed fixture ---------------------------------------------------------------


def test_tables_merged_across_pages_without_repeated_headers(jiaxing_pdf: Document) -> None:
    assert len(jiaxing_pdf.tables) == 3
    key_work = normalise_rows(jiaxing_pdf.tables[0])
    assert [row for row in key_work if row[0] == "序号"] == [key_work[0]]
    assert [row[0] for row in key_work if row[0]][-1] == "100"


def test_row_split_by_page_break_is_rejoined(jiaxing_pdf: Document) -> None:
    rows = {row[0]: row for row in normalise_rows(jiaxing_pdf.tables[0]) if row[0]}
    assert "抓紧建设南湖实验室、南湖研究院" in rows["17"][1]
    assert not any(row[1].startswith("湖实验室") for row in normalise_rows(jiaxing_pdf.tables[0]))


def test_merged_number_cell_keeps_the_continuation_row(jiaxing_pdf: Document) -> None:
    rows = normalise_rows(jiaxing_pdf.tables[0])
    twelve = next(i for i, row in enumerate(rows) if row[0] == "12")
    assert rows[twelve + 1] == ("", "市区快速路一二期建成通车，有轨电车示范段通车运营。", "嘉通集团、铁投集团")


def test_footers_dropped_and_header_first(jiaxing_pdf: Document) -> None:
    paragraphs = [b.text for b in jiaxing_pdf.blocks if isinstance(b, Paragraph)]
    assert not [p for p in paragraphs if re.fullmatch(r"—\s*\d+\s*—", p)]
    assert paragraphs[:2] == ["嘉兴市人民政府办公室关于印发", "2021年政府工作报告重点工作、“1+10”专项行动和市政府民生实事责任分解的通知"]
    assert isinstance(jiaxing_pdf.blocks[paragraphs.index("2021年政府工作报告重点工作责任分解") + 1], Table)


# -- rules on their own -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "first", "split"),
    [
        (["17", "抓紧建设南", "市科技局"], ["", "湖实验室。", ""], True),
        (["17", "任务甲、任务乙", "市科技局、"], ["", "任务丙。", "南湖区政府"], True),
        (["12", "快速交通体系。", "市交通运输局"], ["", "快速路通车。", "嘉通集团"], False),
        (["12", "快速交通体系。", "市交通运输局"], ["13", "下一项。", "市科技局"], False),
    ],
    ids=["cell-already-ended", "mid-sentence", "real-continuation-row", "numbered-row"],
)
def test_split_row_rule(last: list[str], first: list[str], split: bool, rules: Rules) -> None:
    assert pages.is_split_row(last, first, rules.text.sentence_ends) is split


@pytest.mark.parametrize("line", ["— 3 —", "-3-", "－ 12 －", "第3页", "第 3 页 共 9 页", "3/9", "7"])
def test_page_number_lines(line: str, rules: Rules) -> None:
    assert rules.text.page_number.match(line)


@pytest.mark.parametrize("line", ["2021年2月25日", "3.全市新增各类公共停车位4600个。", "第三条"])
def test_not_page_numbers(line: str, rules: Rules) -> None:
    assert not rules.text.page_number.match(line)


# -- hand-written files -----------------------------------------------------------------

HEADER = ["No", "Task", "Unit"]


def test_split_row_and_repeated_header_in_a_hand_made_file(rules: Rules) -> None:
    data = pdf_bytes([
        ruled_page([HEADER, ["1", "First task.", "Alpha"], ["2", "Second task goes", "Beta,"]], "- 1 -"),
        ruled_page([HEADER, ["", "on here.", "Gamma"], ["", "Third part.", "Delta"]], "- 2 -"),
    ])
    assert sources.read(data, rules).blocks == (
        Table((("No", "Task", "Unit"), ("1", "First task.", "Alpha"),
               ("2", "Second task goes\non here.", "Beta,\nGamma"), ("", "Third part.", "Delta"))),
    )


def test_real_continuation_row_at_page_top_is_kept(rules: Rules) -> None:
    data = pdf_bytes([
        ruled_page([HEADER, ["1", "First task.", "Alpha"]], "- 1 -"),
        ruled_page([HEADER, ["", "Second part.", "Beta"]], "- 2 -"),
    ])
    assert sources.read(data, rules).tables[0].rows[1:] == (("1", "First task.", "Alpha"), ("", "Second part.", "Beta"))


def test_chinese_text_and_chinese_page_number(rules: Rules) -> None:
    """Chinese in the standard STSong-Light font; 第1页 in the margin is page furniture."""
    data = pdf_bytes([ruled_page([["序号", "工作任务", "牵头单位"], ["1", "新增企业10家", "市经信局"]], "第1页")])
    assert sources.read(data, rules).blocks == (
        Table((("序号", "工作任务", "牵头单位"), ("1", "新增企业10家", "市经信局"))),
    )


def test_fake_bold_characters_deduplicated(rules: Rules) -> None:
    page = pdf_text(50, 300, "Notice") + pdf_text(50.3, 300, "Notice")
    assert sources.read(pdf_bytes([page]), rules).blocks == (Paragraph("Notice"),)


def test_encrypted(rules: Rules) -> None:
    with pytest.raises(UnreadableInput, match="encrypted"):
        sources.read(pdf_bytes([pdf_text(50, 300, "Secret")], encrypt=ENCRYPT), rules)


def test_truncated(rules: Rules) -> None:
    data = JIAXING.read_bytes()
    with pytest.raises(UnreadableInput, match="truncated"):
        sources.read(data[: len(data) // 2], rules)


def test_corrupt(rules: Rules) -> None:
    with pytest.raises(UnreadableInput, match="PDF"):
        sources.read(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage\n%%EOF\n", rules)


def test_image_only(rules: Rules) -> None:
    """A PDF without a text layer goes to the OCR reader (tests/test_scan.py); a blank page has no text."""
    with pytest.raises(UnreadableInput, match=r"^scanned PDF: (no text found by OCR|install )"):
        sources.read(image_only_pdf(), rules)


def test_time_limit_is_not_reported_as_corruption(rules: Rules) -> None:
    with pytest.raises(InputTooLarge, match="time limit"), time_limit(0.005):
        sources.read(JIAXING.read_bytes(), rules)
