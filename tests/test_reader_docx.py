"""The Word (.docx) reader: the XML grid, merged cells, content controls, text boxes, bad packages."""

from __future__ import annotations

import docx as python_docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline import sources
from pipeline.errors import InputTooLarge, UnreadableInput, UnsupportedFormat
from pipeline.model import Paragraph
from pipeline.rules import Rules
from pipeline.sources import docx as docx_reader
from tests.builders import docx_bytes, docx_table, zip_bytes


def test_vertical_merge_leaves_continuation_slots_empty(rules: Rules) -> None:
    document = python_docx.Document()
    table = docx_table(document, [["序号", "任务", "单位"], ["12", "甲任务", "甲"], ["", "乙任务", "乙"]])
    table.cell(1, 0).merge(table.cell(2, 0))
    rows = docx_reader.read(docx_bytes(document), rules).tables[0].rows
    assert rows[1:] == (("12", "甲任务", "甲"), ("", "乙任务", "乙"))


def test_grid_span_fills_the_first_slot(rules: Rules) -> None:
    document = python_docx.Document()
    table = docx_table(document, [["序号", "任务", "单位"], ["", "", ""]])
    merged = table.cell(1, 0).merge(table.cell(1, 2))
    merged.text = "一、2022年重点工作"
    assert docx_reader.read(docx_bytes(document), rules).tables[0].rows[1] == ("一、2022年重点工作", "", "")


def test_grid_before_and_after_pad_the_row(rules: Rules) -> None:
    document = python_docx.Document()
    table = docx_table(document, [["序号", "任务", "单位"], ["x", "甲任务", "y"]])
    tr = table.rows[1]._tr
    cells = tr.findall(qn("w:tc"))
    tr.remove(cells[0])
    tr.remove(cells[2])
    tr_pr = tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
    tr_pr.append(parse_xml(f'<w:gridAfter {nsdecls("w")} w:val="1"/>'))
    assert docx_reader.read(docx_bytes(document), rules).tables[0].rows[1] == ("", "甲任务", "")


def _wrap_in_sdt(element) -> None:  # type: ignore[no-untyped-def]
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
    element.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(element)


def test_content_controls_around_runs_cells_and_rows(rules: Rules) -> None:
    document = python_docx.Document()
    table = docx_table(document, [["序号", "任务", "单位"], ["1", "甲任务", "甲"], ["2", "乙任务", "乙"]])
    _wrap_in_sdt(table.cell(1, 1).paragraphs[0].runs[0]._r)  # a run
    _wrap_in_sdt(table.cell(1, 2)._tc)  # a cell
    _wrap_in_sdt(table.rows[2]._tr)  # a row
    paragraph = document.add_paragraph("注：正文")
    _wrap_in_sdt(paragraph._p)  # a body paragraph
    read = docx_reader.read(docx_bytes(document), rules)
    assert read.tables[0].rows == (("序号", "任务", "单位"), ("1", "甲任务", "甲"), ("2", "乙任务", "乙"))
    assert read.blocks[-1] == Paragraph("注：正文")


TEXT_BOX_RUN = f"""
<w:r {nsdecls('w', 'wp', 'a')} xmlns:v="urn:schemas-microsoft-com:vml"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
  <mc:AlternateContent>
    <mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData
        uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
      <wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>
    </a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
    <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
      <w:p><w:r><w:t>框内文字</w:t></w:r></w:p>
    </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
  </mc:AlternateContent>
</w:r>"""


def test_text_box_read_once_after_its_paragraph(rules: Rules) -> None:
    document = python_docx.Document()
    anchor = document.add_paragraph("正文")
    anchor._p.append(parse_xml(TEXT_BOX_RUN))
    document.add_paragraph("后文")
    assert docx_reader.read(docx_bytes(document), rules).blocks == (
        Paragraph("正文"), Paragraph("框内文字"), Paragraph("后文"),
    )


def test_cell_paragraphs_and_document_order(rules: Rules) -> None:
    document = python_docx.Document()
    document.add_paragraph("表格标题")
    table = docx_table(document, [["序号", "项目名称", "单位"], ["1", "社会心理健康", "市教育局、"]])
    table.cell(1, 1).add_paragraph("服务项目")
    table.cell(1, 2).add_paragraph("")  # a blank paragraph is dropped
    table.cell(1, 2).add_paragraph(" 市文化广电旅游局 ")
    document.add_paragraph("注：说明\n")
    read = docx_reader.read(docx_bytes(document), rules)
    assert [type(b).__name__ for b in read.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert read.tables[0].rows[1] == ("1", "社会心理健康\n服务项目", "市教育局、\n市文化广电旅游局")


def test_zip_without_word_document(rules: Rules) -> None:
    with pytest.raises(UnsupportedFormat, match="zip archive without a Word document"):
        sources.read(zip_bytes({"xl/workbook.xml": b"<workbook/>"}), rules)


def test_broken_zip(rules: Rules) -> None:
    data = docx_bytes(python_docx.Document())
    with pytest.raises(UnreadableInput, match="zip"):
        sources.read(data[: len(data) // 2], rules)


def test_zip_bomb_refused_before_inflating(rules: Rules) -> None:
    """A member declaring more than MAX_INFLATED bytes is refused from the directory alone."""
    data = bytearray(zip_bytes({"word/document.xml": b"<w:document/>"}))
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (docx_reader.MAX_INFLATED + 1).to_bytes(4, "little")
    with pytest.raises(InputTooLarge, match="inflate"):
        sources.read(bytes(data), rules)
