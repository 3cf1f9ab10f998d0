"""Build the .docx, .pdf and .html copies of a plain-text notice.

Usage::

    python scripts/make_fixtures.py raw_docs/jiaxing_2021.txt [more.txt ...]

writes ``raw_docs/jiaxing_2021.docx``, ``.pdf`` and ``.html`` next to the text
file. The text is parsed with :mod:`pipeline.sources.text` and :mod:`pipeline.layouts`, so every copy holds
the same blocks, laid out the way real notices are:

* **docx** — the 序号 cell of a continuation row is merged vertically
  (``w:vMerge``) with the item's first row; section rows are one cell spanning
  every column (``w:gridSpan``); the header row repeats on each page
  (``w:tblHeader``); a CJK font; a page-number footer ``— N —``. Core
  properties and zip timestamps are fixed, so the file is byte-for-byte
  reproducible.
* **pdf** — LibreOffice headless converts the .docx; the font size makes rows
  break across pages, which the script checks with pdfplumber. Creation date,
  document ID and checksum are overwritten with fixed values of the same length.
* **html** — a government-site page: header, navigation, breadcrumb, sidebar
  and footer around an article ``div``; merged 序号 cells as ``rowspan``,
  section rows as ``colspan``, ``<p>`` per line inside cells. Notices named in
  :data:`GB18030_PAGES` are written as GB18030 with ``<meta charset="gb18030">``,
  the others as UTF-8 declared through ``http-equiv``.

Needs: Debian ``libreoffice-writer-nogui`` and ``fonts-noto-cjk``; PyPI
``python-docx``, ``pdfplumber`` (and this project's ``pipeline`` package).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pipeline import layouts
from pipeline.model import Document, Paragraph, Table
from pipeline.rules import load_rules
from pipeline.sources import text

FONT = "Noto Sans CJK SC"
FONT_SIZE = Pt(12)
FIXED_DATE = dt.datetime(2021, 2, 25, 9, 0, 0)
GB18030_PAGES = frozenset({"jiaxing_2021"})


# -- docx ----------------------------------------------------------------------


def build_docx(document: Document) -> bytes:
    out = docx.Document()
    _setup(out)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.add_paragraph(block.text)
        else:
            _add_table(out, block)
            out.add_paragraph()  # Word needs a paragraph between two tables
    props = out.core_properties
    props.author = props.last_modified_by = "make_fixtures"
    props.created = props.modified = FIXED_DATE
    props.last_printed = FIXED_DATE
    props.revision = 1
    buffer = io.BytesIO()
    out.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _setup(out: docx.document.Document) -> None:
    normal = out.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = FONT_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centre
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = "1"
    run.append(run_text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")


def _add_table(out: docx.document.Document, table: Table) -> None:
    width = max(len(row) for row in table.rows)
    grid = out.add_table(rows=0, cols=width)
    grid.style = "Table Grid"
    widths = _column_widths(table, width)
    for column, cm in zip(grid.columns, widths, strict=False):
        column.width = Cm(cm)
    first_of_item: list = []  # the 序号 cell a continuation row merges into
    for index, row in enumerate(table.rows):
        cells = list(row) + [""] * (width - len(row))
        docx_row = grid.add_row()
        for cell, cm in zip(docx_row.cells, widths, strict=False):
            cell.width = Cm(cm)
        if index == 0:
            _mark_header(docx_row)
        if len(row) == 1 and width > 1:  # a section row
            merged = docx_row.cells[0].merge(docx_row.cells[-1])
            _fill(merged, cells[0])
            first_of_item = []
            continue
        for cell, value in zip(docx_row.cells, cells, strict=False):
            _fill(cell, value)
        if index > 0 and not cells[0] and first_of_item:
            _vmerge(first_of_item[-1], "restart")
            _vmerge(docx_row.cells[0]._tc, None)
        else:
            first_of_item = [docx_row.cells[0]._tc]


def _column_widths(table: Table, width: int) -> list[float]:
    usable = 21 - 2 * 2.2
    if width == 1:
        return [usable]
    longest = [
        max((min(len(row[i]), 60) for row in table.rows[1:] if i < len(row)), default=4)
        for i in range(1, width)
    ]
    rest = usable - 1.4
    weights = [max(n, 8) for n in longest]
    return [1.4] + [rest * w / sum(weights) for w in weights]


def _mark_header(row: docx.table._Row) -> None:
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:tblHeader"))


def _vmerge(tc: object, value: str | None) -> None:
    props = tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    for old in props.findall(qn("w:vMerge")):
        props.remove(old)
    merge = OxmlElement("w:vMerge")
    if value:
        merge.set(qn("w:val"), value)
    props.append(merge)


def _fill(cell: docx.table._Cell, value: str) -> None:
    lines = value.split("\n") if value else [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps and order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2021, 2, 25, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()


# -- pdf -----------------------------------------------------------------------


def build_pdf(docx_bytes: bytes) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed for the PDF: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="fixtures-") as tmp:
        work = Path(tmp)
        (work / "notice.docx").write_bytes(docx_bytes)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(work), str(work / "notice.docx")],
            check=True, capture_output=True, timeout=180,
        )
        data = (work / "notice.pdf").read_bytes()
    return _fixed_pdf(data)


def _fixed_pdf(data: bytes) -> bytes:
    """Overwrite dates and the document ID in place (same length: xref stays valid)."""

    def same_length(match: re.Match[bytes]) -> bytes:
        value = match.group(2)
        fixed = b"D:20210225090000" if match.group(1).endswith(b"Date(") else b""
        return match.group(1) + fixed.ljust(len(value), b"0")[: len(value)] + match.group(3)

    data = re.sub(rb"(/(?:CreationDate|ModDate)\()([^)]*)(\))", same_length, data)
    data = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)()", lambda m: m.group(1) + b"0" * len(m.group(2)), data)
    return re.sub(rb"(/ID\s*\[\s*<)([0-9A-Fa-f<>\s]*)(>\s*\])",
                  lambda m: m.group(1) + re.sub(rb"[0-9A-Fa-f]", b"0", m.group(2)) + m.group(3), data)


def check_split_rows(pdf_bytes: bytes) -> int:
    """How many page tops start with a row whose 序号 cell is empty (a split row)."""
    import pdfplumber

    splits = 0
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages[1:]:
            for table in page.extract_tables():
                body = [row for row in table if (row[0] or "").strip() != "序号"]
                if body and not (body[0][0] or "").strip() and any(c is None or not c.strip() for c in body[0][1:]):
                    splits += 1
    return splits


# -- html ----------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
{meta}
<title>{title}_嘉兴市人民政府</title>
<style>
body {{ font-family: "Microsoft YaHei", sans-serif; }}
.article table {{ border-collapse: collapse; }}
.article td, .article th {{ border: 1px solid #000; padding: 4px; }}
</style>
<script>var siteId = "1229";</script>
</head>
<body>
<div class="header">
  <div class="logo"><a href="/">嘉兴市人民政府</a></div>
  <ul class="nav">
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
  </ul>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/wj/">文件</a></div>
<div class="main">
  <div class="sidebar">
    <h3>相关信息</h3>
    <ul><li><a href="/a/1.html">关于做好春节期间有关工作的通知</a></li>
    <li><a href="/a/2.html">市政府常务会议纪要</a></li></ul>
  </div>
  <div class="article">
    <div id="zoom" class="TRS_Editor">
{body}
    </div>
  </div>
</div>
<div class="footer">
  <p>主办：嘉兴市人民政府办公室　　<a href="/sitemap/">网站地图</a></p>
  <p>浙ICP备05000000号　网站标识码：3304000000</p>
</div>
</body>
</html>
"""


def build_html(document: Document, charset: str) -> bytes:
    if charset == "utf-8":
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    else:
        meta = f'<meta charset="{charset}">'
    title = next((b.text for b in document.blocks if isinstance(b, Paragraph)), "")
    body = "\n".join(
        f"<p>{_escape(block.text)}</p>" if isinstance(block, Paragraph) else _html_table(block)
        for block in document.blocks
    )
    page = _PAGE.format(meta=meta, title=html.escape(title), body=body)
    return page.encode(charset)


def _html_table(table: Table) -> str:
    width = max(len(row) for row in table.rows)
    spans: dict[int, int] = {}  # row index -> rowspan of its 序号 cell
    owner = None
    for index, row in enumerate(table.rows):
        if index and len(row) > 1 and not row[0] and owner is not None:
            spans[owner] += 1
        else:
            owner = index
            spans[owner] = 1
    lines = ['<table border="1" cellspacing="0" cellpadding="0" width="100%">']
    for index, row in enumerate(table.rows):
        tag = "th" if index == 0 else "td"
        cells = []
        if len(row) == 1 and width > 1:
            cells.append(f'<td colspan="{width}">{_cell(row[0])}</td>')
        else:
            padded = list(row) + [""] * (width - len(row))
            for column, value in enumerate(padded):
                if column == 0:
                    if index not in spans:
                        continue  # covered by the rowspan above
                    rowspan = f' rowspan="{spans[index]}"' if spans[index] > 1 else ""
                    cells.append(f"<{tag}{rowspan}>{_cell(value)}</{tag}>")
                else:
                    cells.append(f"<{tag}>{_cell(value)}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _cell(value: str) -> str:
    return "".join(f"<p>{_escape(line)}</p>" for line in value.split("\n") if line)


def _escape(value: str) -> str:
    return html.escape(value).replace(" ", "&nbsp;")


# -- main ----------------------------------------------------------------------


def make(path: Path) -> None:
    rules = load_rules()
    document = layouts.apply(text.read(path.read_bytes(), rules), rules)
    docx_bytes = build_docx(document)
    path.with_suffix(".docx").write_bytes(docx_bytes)
    pdf_bytes = build_pdf(docx_bytes)
    path.with_suffix(".pdf").write_bytes(pdf_bytes)
    splits = check_split_rows(pdf_bytes)
    if not splits:
        print(f"warning: {path.with_suffix('.pdf')} has no row split across pages", file=sys.stderr)
    charset = "gb18030" if path.stem in GB18030_PAGES else "utf-8"
    path.with_suffix(".html").write_bytes(build_html(document, charset))
    print(f"{path.stem}: docx, pdf ({splits} split rows), html ({charset})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notices", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.notices:
        make(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
