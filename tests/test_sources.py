"""The Word, PDF, web-page and .doc readers: same blocks as the text copy.

Small documents are built in the test (python-docx in memory, HTML strings,
hand-written PDFs); the committed fixtures under raw_docs/ come from
scripts/make_fixtures.py. Nothing here needs LibreOffice or the network.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline import sources
from pipeline.errors import InputTooLarge, UnreadableInput, UnsupportedFormat
from pipeline.model import Document, Paragraph, Table
from pipeline.sources import doc as doc_reader
from pipeline.sources import docx as docx_reader
from pipeline.sources import html as html_reader
from pipeline.sources import pdf as pdf_reader
from tests.conftest import RAW_DOCS, is_scan

# -- comparing with the text copy ------------------------------------------------


def normalise_cell(text: str) -> str:
    """Forget where a cell wraps and whitespace at line ends (the tables stage does too)."""
    return "".join(line.strip() for line in text.split("\n"))


def normalise_rows(table: Table) -> list[tuple[str, ...]]:
    """Cells normalised, short rows padded with "" to the table's width."""
    width = max((len(row) for row in table.rows), default=0)
    return [tuple(normalise_cell(c) for c in row) + ("",) * (width - len(row)) for row in table.rows]


def block_differences(got: Document, want: Document) -> list[str]:
    """Readable differences between two documents' blocks, after normalisation."""
    shape = [type(b).__name__ for b in got.blocks], [type(b).__name__ for b in want.blocks]
    if shape[0] != shape[1]:
        return [f"block kinds differ:\n  got  {shape[0]}\n  want {shape[1]}"]
    problems = []
    for index, (a, b) in enumerate(zip(got.blocks, want.blocks, strict=False)):
        if isinstance(a, Paragraph) and isinstance(b, Paragraph):
            if a.text.strip() != b.text.strip():
                problems.append(f"block {index}: paragraph {a.text!r} != {b.text!r}")
        elif isinstance(a, Table) and isinstance(b, Table):
            rows_a, rows_b = normalise_rows(a), normalise_rows(b)
            if len(rows_a) != len(rows_b):
                problems.append(f"block {index}: {len(rows_a)} rows != {len(rows_b)}")
            for r, (x, y) in enumerate(zip(rows_a, rows_b, strict=False)):
                if x != y:
                    problems.append(f"block {index} row {r}:\n  got  {x}\n  want {y}")
    return problems


# Known reader gaps, each a real miss on a committed fixture (they change no output table).
KNOWN_GAPS = {
    "qinghe_2023.pdf": "a body line broken early before 年“8+4” (65 pt short of the margin) is not "
    "joined to the next: the wrap rule only joins lines reaching the right edge",
}
FIXTURES = [
    pytest.param(p, id=p.name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[p.name])] if p.name in KNOWN_GAPS else [])
    for p in sorted(p for ext in ("docx", "pdf", "html") for p in RAW_DOCS.glob(f"*.{ext}") if not is_scan(p))
]


@pytest.mark.parametrize("path", FIXTURES)
def test_fixture_matches_text_copy(path: Path) -> None:
    text_copy = path.with_suffix(".txt")
    got = sources.read(path.read_bytes())
    want = sources.read(text_copy.read_bytes())
    assert got.source_format == path.suffix[1:]
    assert block_differences(got, want) == []


def test_comparison_tolerates_only_wraps_and_padding() -> None:
    want = Document((Table((("1", "市科技局、各县（市、区）政府、嘉兴港区"), ("一、二",))),), "text")
    same = Document((Table((("1 ", "市科技局、各县（市、区）政府、\n嘉兴港区"), ("一、二", ""))),), "pdf")
    other = Document((Table((("1", "市科技局、各县（市、区）政府"), ("一、二", ""))),), "pdf")
    assert block_differences(same, want) == []
    assert block_differences(other, want) != []


# -- docx ------------------------------------------------------------------------


def _docx_bytes(document: python_docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _three_column_table(document: python_docx.document.Document, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    table = document.add_table(rows=len(rows), cols=3)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    return table


def test_docx_vertical_merge_leaves_continuation_slots_empty() -> None:
    document = python_docx.Document()
    table = _three_column_table(document, [["序号", "任务", "单位"], ["12", "甲任务", "甲"], ["", "乙任务", "乙"]])
    table.cell(1, 0).merge(table.cell(2, 0))
    rows = docx_reader.read(_docx_bytes(document)).tables[0].rows
    assert rows[1:] == (("12", "甲任务", "甲"), ("", "乙任务", "乙"))


def test_docx_grid_span_fills_the_first_slot() -> None:
    document = python_docx.Document()
    table = _three_column_table(document, [["序号", "任务", "单位"], ["", "", ""]])
    merged = table.cell(1, 0).merge(table.cell(1, 2))
    merged.text = "一、2022年重点工作"
    assert docx_reader.read(_docx_bytes(document)).tables[0].rows[1] == ("一、2022年重点工作", "", "")


def test_docx_grid_before_and_after_pad_the_row() -> None:
    document = python_docx.Document()
    table = _three_column_table(document, [["序号", "任务", "单位"], ["x", "甲任务", "y"]])
    tr = table.rows[1]._tr
    cells = tr.findall(qn("w:tc"))
    tr.remove(cells[0])
    tr.remove(cells[2])
    tr_pr = tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
    tr_pr.append(parse_xml(f'<w:gridAfter {nsdecls("w")} w:val="1"/>'))
    assert docx_reader.read(_docx_bytes(document)).tables[0].rows[1] == ("", "甲任务", "")


def _wrap_in_sdt(element) -> None:  # type: ignore[no-untyped-def]
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
    element.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(element)


def test_docx_content_controls_around_runs_cells_and_rows() -> None:
    document = python_docx.Document()
    table = _three_column_table(document, [["序号", "任务", "单位"], ["1", "甲任务", "甲"], ["2", "乙任务", "乙"]])
    _wrap_in_sdt(table.cell(1, 1).paragraphs[0].runs[0]._r)  # a run
    _wrap_in_sdt(table.cell(1, 2)._tc)  # a cell
    _wrap_in_sdt(table.rows[2]._tr)  # a row
    paragraph = document.add_paragraph("注：正文")
    _wrap_in_sdt(paragraph._p)  # a body paragraph
    read = docx_reader.read(_docx_bytes(document))
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


def test_docx_text_box_read_once_after_its_paragraph() -> None:
    document = python_docx.Document()
    anchor = document.add_paragraph("正文")
    anchor._p.append(parse_xml(TEXT_BOX_RUN))
    document.add_paragraph("后文")
    assert docx_reader.read(_docx_bytes(document)).blocks == (
        Paragraph("正文"), Paragraph("框内文字"), Paragraph("后文"),
    )


def test_docx_cell_paragraphs_and_document_order() -> None:
    document = python_docx.Document()
    document.add_paragraph("表格标题")
    table = _three_column_table(document, [["序号", "项目名称", "单位"], ["1", "社会心理健康", "市教育局、"]])
    table.cell(1, 1).add_paragraph("服务项目")
    table.cell(1, 2).add_paragraph("")  # a blank paragraph is dropped
    table.cell(1, 2).add_paragraph(" 市文化广电旅游局 ")
    document.add_paragraph("注：说明\n")
    read = docx_reader.read(_docx_bytes(document))
    assert [type(b).__name__ for b in read.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert read.tables[0].rows[1] == ("1", "社会心理健康\n服务项目", "市教育局、\n市文化广电旅游局")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_docx_zip_without_word_document() -> None:
    with pytest.raises(UnsupportedFormat, match="zip archive without a Word document"):
        sources.read(_zip({"xl/workbook.xml": b"<workbook/>"}))


def test_docx_broken_zip() -> None:
    data = _docx_bytes(python_docx.Document())
    with pytest.raises(UnreadableInput, match="zip"):
        sources.read(data[: len(data) // 2])


def test_docx_zip_bomb_refused_before_inflating() -> None:
    """A member declaring more than MAX_INFLATED bytes is refused from the directory alone."""
    data = bytearray(_zip({"word/document.xml": b"<w:document/>"}))
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (docx_reader.MAX_INFLATED + 1).to_bytes(4, "little")
    with pytest.raises(InputTooLarge, match="inflate"):
        sources.read(bytes(data))


# -- pdf: the committed fixture -------------------------------------------------------


@pytest.fixture(scope="module")
def jiaxing_pdf() -> Document:
    return sources.read((RAW_DOCS / "jiaxing_2021.pdf").read_bytes())


def test_pdf_tables_merged_across_pages_without_repeated_headers(jiaxing_pdf: Document) -> None:
    assert len(jiaxing_pdf.tables) == 3
    key_work = normalise_rows(jiaxing_pdf.tables[0])
    assert [row for row in key_work if row[0] == "序号"] == [key_work[0]]
    assert [row[0] for row in key_work if row[0]][-1] == "100"


def test_pdf_row_split_by_page_break_is_rejoined(jiaxing_pdf: Document) -> None:
    rows = {row[0]: row for row in normalise_rows(jiaxing_pdf.tables[0]) if row[0]}
    assert "抓紧建设南湖实验室、南湖研究院" in rows["17"][1]
    assert not any(row[1].startswith("湖实验室") for row in normalise_rows(jiaxing_pdf.tables[0]))


def test_pdf_merged_number_cell_keeps_the_continuation_row(jiaxing_pdf: Document) -> None:
    rows = normalise_rows(jiaxing_pdf.tables[0])
    twelve = next(i for i, row in enumerate(rows) if row[0] == "12")
    assert rows[twelve + 1] == ("", "市区快速路一二期建成通车，有轨电车示范段通车运营。", "嘉通集团、铁投集团")


def test_pdf_footers_dropped_and_header_first(jiaxing_pdf: Document) -> None:
    paragraphs = [b.text for b in jiaxing_pdf.blocks if isinstance(b, Paragraph)]
    assert not [p for p in paragraphs if re.fullmatch(r"—\s*\d+\s*—", p)]
    assert paragraphs[:2] == ["嘉兴市人民政府办公室关于印发", "2021年政府工作报告重点工作、“1+10”专项行动和市政府民生实事责任分解的通知"]
    assert isinstance(jiaxing_pdf.blocks[paragraphs.index("2021年政府工作报告重点工作责任分解") + 1], Table)


# -- pdf: rules on their own ------------------------------------------------------------


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
def test_pdf_split_row_rule(last: list[str], first: list[str], split: bool) -> None:
    assert pdf_reader._is_split_row(last, first) is split


@pytest.mark.parametrize("line", ["— 3 —", "-3-", "－ 12 －", "第3页", "第 3 页 共 9 页", "3/9", "7"])
def test_pdf_page_number_lines(line: str) -> None:
    assert pdf_reader._PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["2021年2月25日", "3.全市新增各类公共停车位4600个。", "第三条"])
def test_pdf_not_page_numbers(line: str) -> None:
    assert not pdf_reader._PAGE_NUMBER.match(line)


# -- pdf: hand-written files -----------------------------------------------------------


def _pdf(pages: list[bytes], encrypt: bytes = b"") -> bytes:
    """A minimal PDF: one content stream per page, Helvetica as /F1."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for content in pages:
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % (len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    if encrypt:
        objects.append(encrypt)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root 1 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]" % (
        len(objects) + 1
    )
    if encrypt:
        trailer += b" /Encrypt %d 0 R" % len(objects)
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def _text(x: float, y: float, text: str) -> bytes:
    return b"BT /F1 10 Tf %.1f %.1f Td (%s) Tj ET\n" % (x, y, text.encode("latin-1"))


def _ruled_page(rows: list[list[str]], footer: str) -> bytes:
    """A table at the top of a 300x400 page: 3 columns, 20 pt per text line."""
    columns = (20.0, 60.0, 200.0, 280.0)
    out = bytearray()
    top = 380.0
    for row in rows:
        height = 20.0 * max(len(cell.split("\n")) for cell in row)
        for c, cell in enumerate(row):
            out += b"%.1f %.1f %.1f %.1f re S\n" % (columns[c], top - height, columns[c + 1] - columns[c], height)
            for n, line in enumerate(cell.split("\n") if cell else []):
                out += _text(columns[c] + 3, top - 14 - 20 * n, line)
        top -= height
    out += _text(140, 20, footer)
    return bytes(out)


HEADER = ["No", "Task", "Unit"]


def test_pdf_split_row_and_repeated_header_in_a_hand_made_file() -> None:
    data = _pdf([
        _ruled_page([HEADER, ["1", "First task.", "Alpha"], ["2", "Second task goes", "Beta,"]], "- 1 -"),
        _ruled_page([HEADER, ["", "on here.", "Gamma"], ["", "Third part.", "Delta"]], "- 2 -"),
    ])
    read = sources.read(data)
    assert read.blocks == (
        Table((("No", "Task", "Unit"), ("1", "First task.", "Alpha"),
               ("2", "Second task goes\non here.", "Beta,\nGamma"), ("", "Third part.", "Delta"))),
    )


def test_pdf_real_continuation_row_at_page_top_is_kept() -> None:
    data = _pdf([
        _ruled_page([HEADER, ["1", "First task.", "Alpha"]], "- 1 -"),
        _ruled_page([HEADER, ["", "Second part.", "Beta"]], "- 2 -"),
    ])
    assert sources.read(data).tables[0].rows[1:] == (("1", "First task.", "Alpha"), ("", "Second part.", "Beta"))


def test_pdf_fake_bold_characters_deduplicated() -> None:
    page = _text(50, 300, "Notice") + _text(50.3, 300, "Notice")
    assert sources.read(_pdf([page])).blocks == (Paragraph("Notice"),)


def test_pdf_encrypted() -> None:
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32)
    with pytest.raises(UnreadableInput, match="encrypted"):
        sources.read(_pdf([_text(50, 300, "Secret")], encrypt=encrypt))


def test_pdf_truncated() -> None:
    data = (RAW_DOCS / "jiaxing_2021.pdf").read_bytes()
    with pytest.raises(UnreadableInput, match="truncated"):
        sources.read(data[: len(data) // 2])


def test_pdf_corrupt() -> None:
    with pytest.raises(UnreadableInput, match="PDF"):
        sources.read(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage\n%%EOF\n")


def test_pdf_image_only() -> None:
    """A PDF without a text layer goes to the OCR reader (tests/test_scan.py); a blank page has no text."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 300), "white").save(buffer, "PDF")
    with pytest.raises(UnreadableInput, match=r"^scanned PDF: (no text found by OCR|install )"):
        sources.read(buffer.getvalue())


# -- html --------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head>{meta}<title>通知</title><script>var a = "序号";</script></head>
<body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/x">政务公开</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a></div>
<div class="main"><div class="sidebar"><a href="/1">相关文件一</a><a href="/2">相关文件二</a></div>
<div class="article"><p>嘉兴市人民政府办公室关于印发</p><p>各县（市、区）人民政府：<br>正文第二行</p>
<p>2021年政府工作报告重点工作责任分解</p>
<table>
<tr><th>序号</th><th>主&nbsp;&nbsp;要&nbsp;&nbsp;任&nbsp;&nbsp;务</th><th>牵头单位</th></tr>
<tr><td colspan="3">一、未来五年主要工作任务</td></tr>
<tr><td rowspan="2">12</td><td><p>加快构建</p><p>快速交通体系。</p></td><td>市交通运输局</td></tr>
<tr><td>市区快速路
  建成通车。</td><td>嘉通集团、<br/>铁投集团</td></tr>
<tr><td rowspan="x">13</td><td colspan="0">任务</td><td>市科技局</td></tr>
</table>
<p>注：请各牵头单位按时报送。</p></div></div>
<div class="footer"><p>主办：嘉兴市人民政府办公室</p><p>浙ICP备05000000号</p></div>
</body></html>"""

EXPECTED_HTML = (
    Paragraph("嘉兴市人民政府办公室关于印发"),
    Paragraph("各县（市、区）人民政府："),
    Paragraph("正文第二行"),
    Paragraph("2021年政府工作报告重点工作责任分解"),
    Table((
        ("序号", "主  要  任  务", "牵头单位"),
        ("一、未来五年主要工作任务", "", ""),
        ("12", "加快构建\n快速交通体系。", "市交通运输局"),
        ("", "市区快速路 建成通车。", "嘉通集团、\n铁投集团"),
        ("13", "任务", "市科技局"),
    )),
    Paragraph("注：请各牵头单位按时报送。"),
)


@pytest.mark.parametrize(
    ("meta", "encoding"),
    [
        ('<meta charset="utf-8">', "utf-8"),
        ('<meta charset="gb18030">', "gb18030"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gbk">', "gbk"),
        ("", "gb18030"),  # undeclared: UTF-8 fails, GB18030 fits
        ('<meta charset="utf-8">', "gbk"),  # declared wrongly: fall back
        ('<meta charset="gb2312">', "utf-8-sig"),  # the BOM wins over the declaration
    ],
    ids=["utf-8", "meta-gb18030", "http-equiv-gbk", "undeclared-gb18030", "wrong-declaration", "bom"],
)
def test_html_charsets_chrome_and_grid(meta: str, encoding: str) -> None:
    read = sources.read(PAGE.format(meta=meta).encode(encoding))
    assert read.source_format == "html"
    assert read.blocks == EXPECTED_HTML


def test_html_page_without_chrome_or_tables() -> None:
    read = sources.read("<html><body><p>第一段</p>第二段<div>第三段</div></body></html>".encode())
    assert read.blocks == (Paragraph("第一段"), Paragraph("第二段"), Paragraph("第三段"))


def test_html_decode_doctest_helper() -> None:
    assert html_reader.decode(b"\xef\xbb\xbf<p>x</p>") == "<p>x</p>"


# -- doc ---------------------------------------------------------------------------------


def test_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    with pytest.raises(UnreadableInput, match="install LibreOffice"):
        sources.read(ole)


@pytest.mark.skipif(doc_reader.find_soffice() is None, reason="LibreOffice is not installed")
def test_doc_converted_by_libreoffice_reads_like_the_text(tmp_path: Path) -> None:
    """A Word 97-2003 copy of the seed (made here by LibreOffice) gives the text version's tables."""
    import subprocess

    from pipeline.tables import document_to_tasks

    soffice = doc_reader.find_soffice()
    assert soffice is not None
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(tmp_path), str(RAW_DOCS / "jiaxing_2021.docx")],
        capture_output=True, timeout=180, check=True,
    )
    data = (tmp_path / "jiaxing_2021.doc").read_bytes()
    assert sources.sniff(data) == "doc"
    got = sources.read(data)
    assert got.source_format == "doc"
    want = sources.read((RAW_DOCS / "jiaxing_2021.txt").read_bytes())
    assert document_to_tasks(got) == document_to_tasks(want)


def test_html_table_inside_chrome_named_wrapper_is_kept() -> None:
    """A responsibility table inside <div class="article-share"> was removed as chrome (id() reuse)."""
    page = (
        '<html><head><meta charset="utf-8"></head><body><div class="nav"><a href="#">首页</a></div>'
        '<div class="article-share"><p>2023年重点工作责任分解</p><table>'
        "<tr><td>序号</td><td>工作任务</td><td>牵头单位</td></tr><tr><td>1</td><td>新增企业10家</td><td>市经信局</td></tr>"
        '</table></div><div class="footer">版权所有</div></body></html>'
    )
    assert sources.read(page.encode()).tables[0].rows[1] == ("1", "新增企业10家", "市经信局")


def test_pdf_time_limit_is_not_reported_as_corruption() -> None:
    from pipeline.batch import time_limit

    with pytest.raises(InputTooLarge, match="time limit"), time_limit(0.05):
        sources.read((RAW_DOCS / "jiaxing_2021.pdf").read_bytes())
