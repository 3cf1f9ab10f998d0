"""Build PDFs of a layout fixture in the page layouts real notices are printed in (issue 10 §12).

Usage::

    python scripts/make_pdf_layouts.py            # rewrite raw_docs/yunling_2024_unruled.pdf

The notice is ``raw_docs/yunling_2024.txt`` (parsed with the text reader), so
the PDF's expected parse is ``tests/expected/yunling_2024.json`` and its rows
are those of the text version. Laid out as an official notice is typeset,
then exported by LibreOffice (as ``scripts/make_fixtures.py`` does):

* the document number centred; the **title** one paragraph, centred, in a
  22 pt serif bold, so it wraps over three lines none of which reaches the
  right margin;
* body paragraphs in 16 pt with a two-character first-line indent, justified
  (LibreOffice breaks some lines early, before a run such as ``年“4+1”`` it
  may not split); the issuer and the date right-aligned;
* each table title centred in 18 pt bold;
* the tables **unruled**: no border at all, columns only by the cells'
  alignment, a small top and bottom cell margin between rows, every cell
  centred vertically (a short cell's text sits between the lines of the
  row's longest), the header row repeated on every page; 序号 cells of a task's continuation rows merged
  (``w:vMerge``) and section rows spanning every column, as in the ruled
  fixtures.

Needs: Debian ``libreoffice-writer-nogui`` and ``fonts-noto-cjk``; PyPI
``python-docx`` (and this project's ``pipeline`` package).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from make_fixtures import (
    FIXED_DATE,
    _column_widths,
    _fill,
    _fixed_zip,
    _mark_header,
    _setup,
    _vmerge,
    build_pdf,
)

from pipeline.model import Document, Paragraph, Table
from pipeline.rules import load_rules
from pipeline.sources import text

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "raw_docs" / "yunling_2024.txt"
TITLE_FONT = "Noto Serif CJK SC"
TITLE_SIZE = Pt(22)
TABLE_TITLE_SIZE = Pt(18)
BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(12)
CELL_MARGIN_TWIPS = "57"  # 0.1 cm above and below each cell's text


def build_docx(document: Document) -> bytes:
    out = docx.Document()
    _setup(out)
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    title_lines, title_at = _title_lines(document)
    date_at = next(i for i, p in enumerate(paragraphs) if p.endswith("日") and len(p) < 14)
    index = 0
    for block in document.blocks:
        if isinstance(block, Table):
            _add_table(out, block)
            continue
        at = index
        index += 1
        if title_at <= at < title_at + len(title_lines):
            if at == title_at:
                _add(out, "".join(title_lines), TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, bold=True, font=TITLE_FONT)
        elif at < title_at:
            _add(out, block.text, BODY_SIZE, WD_ALIGN_PARAGRAPH.CENTER)  # the document number
        elif at in (date_at - 1, date_at):
            _add(out, block.text, BODY_SIZE, WD_ALIGN_PARAGRAPH.RIGHT)  # issuer and date
        elif _is_table_title(document, block):
            _add(out, block.text, TABLE_TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        elif block.text.endswith("："):
            _add(out, block.text, BODY_SIZE, WD_ALIGN_PARAGRAPH.LEFT)  # the addressee, not indented
        else:
            _add(out, block.text, BODY_SIZE, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    props = out.core_properties
    props.author = props.last_modified_by = "make_pdf_layouts"
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    buffer = io.BytesIO()
    out.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _title_lines(document: Document) -> tuple[list[str], int]:
    """The title's paragraphs (after the document number, up to the one ending in 通知) and where they start."""
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    start = 1  # paragraph 0 is the document number
    end = next(i for i in range(start, len(paragraphs)) if paragraphs[i].endswith("通知"))
    return paragraphs[start : end + 1], start


def _is_table_title(document: Document, block: Paragraph) -> bool:
    blocks = list(document.blocks)
    at = blocks.index(block)
    return at + 1 < len(blocks) and isinstance(blocks[at + 1], Table)


def _add(out: docx.document.Document, value: str, size: Pt, align: int, bold: bool = False,
         font: str | None = None, indent: bool = False) -> None:
    paragraph = out.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(value)
    run.font.size = size
    run.bold = bold
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * size.pt)


def _add_table(out: docx.document.Document, table: Table) -> None:
    width = max(len(row) for row in table.rows)
    grid = out.add_table(rows=0, cols=width)  # no style: no borders
    _cell_margins(grid)
    widths = _column_widths(table, width)
    for column, cm in zip(grid.columns, widths, strict=False):
        column.width = Cm(cm)
    first_of_item: list = []
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
        else:
            for cell, value in zip(docx_row.cells, cells, strict=False):
                _fill(cell, value)
            if index > 0 and not cells[0] and first_of_item:
                _vmerge(first_of_item[-1], "restart")
                _vmerge(docx_row.cells[0]._tc, None)
            else:
                first_of_item = [docx_row.cells[0]._tc]
        for cell in docx_row.cells:
            _centre_vertically(cell)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = TABLE_SIZE
                    run.bold = index == 0
    out.add_paragraph()


def _centre_vertically(cell: docx.table._Cell) -> None:
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "center")
    cell._tc.get_or_add_tcPr().append(align)


def _cell_margins(grid: docx.table.Table) -> None:
    props = grid._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", CELL_MARGIN_TWIPS), ("bottom", CELL_MARGIN_TWIPS)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), value)
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    props.append(margins)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docx", action="store_true", help="also write the .docx next to the PDF (to inspect it)")
    args = parser.parse_args(argv)
    document = text.read(BASE.read_bytes(), load_rules())
    docx_bytes = build_docx(document)
    target = BASE.with_name("yunling_2024_unruled.pdf")
    if args.docx:
        target.with_suffix(".docx").write_bytes(docx_bytes)
    target.write_bytes(build_pdf(docx_bytes))
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
