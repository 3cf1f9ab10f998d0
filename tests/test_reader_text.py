"""The text reader and the tab layouts: cells and rows, encodings, line ends and full-width digits give identical output."""

from __future__ import annotations

import pytest

from pipeline.errors import UnreadableInput
from pipeline.ingest import parse_bytes
from pipeline.layouts import apply as lay_out
from pipeline.model import Document, Lines, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources import text
from tests.conftest import SEED

IDENTITY = ("doc_id", "source_sha256")
FULL_WIDTH = str.maketrans("0123456789%", "０１２３４５６７８９％")


def _rows(data: bytes, rules: Rules) -> dict[str, list[dict[str, object]]]:
    parsed = parse_bytes(data, "notice", rules)
    return {
        name: [{k: v for k, v in row.items() if k not in IDENTITY} for row in rows]
        for name, rows in parsed.tables.items()
    }


VARIANTS = {
    "utf-8-bom": lambda s: s.encode("utf-8-sig"),
    "gb18030": lambda s: s.encode("gb18030"),
    "crlf": lambda s: s.replace("\n", "\r\n").encode("utf-8"),
    "gbk-crlf": lambda s: s.replace("\n", "\r\n").encode("gb18030"),
    "full-width-digits": lambda s: s.translate(FULL_WIDTH).encode("utf-8"),
}


@pytest.fixture(scope="module")
def reference(rules: Rules) -> dict[str, list[dict[str, object]]]:
    return _rows(SEED.read_bytes(), rules)


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_gives_identical_tables(
    variant: str, reference: dict[str, list[dict[str, object]]], rules: Rules
) -> None:
    source = SEED.read_text(encoding="utf-8")
    assert _rows(VARIANTS[variant](source), rules) == reference


def test_reference_is_not_trivially_empty(reference: dict[str, list[dict[str, object]]]) -> None:
    assert len(reference["tasks"]) == 125
    assert reference["documents"][0]["issue_date"].isoformat() == "2021-02-25"


def test_rejects_bytes_that_are_neither_utf8_nor_gb18030() -> None:
    with pytest.raises(UnreadableInput, match="UTF-8 or GB18030"):
        text.decode(b"\x81\x20\xff\xfe\x80")


def _laid_out(source: str, rules: Rules) -> Document:
    return lay_out(text.parse(source, rules), rules)


def test_reader_hands_on_the_raw_lines(rules: Rules) -> None:
    """The reader keeps blank lines, tabs and trailing spaces: the layouts stage reads them."""
    source = "标题\n\n\t序号\n\t任务 \n"
    assert text.parse(source, rules) == Document((Lines(source),), "text")
    assert text.parse(source, rules).blocks[0] != Paragraph(source)


def test_cells_rows_and_wraps(rules: Rules) -> None:
    doc = _laid_out(
        "标题\n\t序号\n\t主要工作任务\n\t牵头单位\n\n\t1\n\t任务一\n\t单位甲、\n\n单位乙\n\n"
        "\t\n\t续行任务\n\t单位丙\n\n\n注：说明\n",
        rules,
    )
    assert doc.blocks == (
        Paragraph("标题"),
        Table(
            (
                ("序号", "主要工作任务", "牵头单位"),
                ("1", "任务一", "单位甲、\n单位乙"),
                ("", "续行任务", "单位丙"),
            )
        ),
        Paragraph("注：说明"),
    )


def test_whole_rows_on_one_line(rules: Rules) -> None:
    doc = _laid_out("序号\t工作任务\t责任单位\n1\t任务一\t*单位甲、单位乙\n", rules)
    assert doc.blocks == (Table((("序号", "工作任务", "责任单位"), ("1", "任务一", "*单位甲、单位乙"))),)


def test_title_line_before_next_header_is_not_a_wrap(rules: Rules) -> None:
    doc = _laid_out("\t序号\n\t工作任务\n\t牵头单位\n\n\t1\n\t任务\n\t单位\n\n民生实事责任分解\n\n\t序号\n\t项目名称\n", rules)
    assert [type(b).__name__ for b in doc.blocks] == ["Table", "Paragraph", "Table"]
