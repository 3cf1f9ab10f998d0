"""Documents built in the tests: Word files, hand-written PDFs, zip archives, and block comparison.

Nothing here needs LibreOffice or the network. The PDFs are written object by
object: Latin text in Helvetica, Chinese text in the standard Adobe font
STSong-Light with the UniGB-UCS2-H encoding, which every PDF reader knows
without an embedded font file.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx as python_docx

from pipeline.model import Document, Paragraph, Table

# -- comparing blocks -------------------------------------------------------------


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
            for number, (x, y) in enumerate(zip(rows_a, rows_b, strict=False)):
                if x != y:
                    problems.append(f"block {index} row {number}:\n  got  {x}\n  want {y}")
    return problems


# -- zip and Word -------------------------------------------------------------------


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_table(document: Any, rows: list[list[str]]) -> Any:
    """Add a table of ``rows`` (all of one width) to a python-docx document."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    return table


def docx_notice(title: str, rows: list[list[str]]) -> bytes:
    """A .docx holding a title paragraph and one table."""
    document = python_docx.Document()
    document.add_paragraph(title)
    docx_table(document, rows)
    return docx_bytes(document)


# -- PDF ------------------------------------------------------------------------------

_FONTS = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
    b" /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
    b" /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
    b" /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    b" /DW 1000 >>] >>",
)


def pdf_bytes(pages: list[bytes], encrypt: bytes = b"") -> bytes:
    """A minimal PDF: one content stream per page; /F1 is Helvetica, /F2 the Chinese font."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", *_FONTS]
    kids = []
    for content in pages:
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (len(objects))
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


def pdf_text(x: float, y: float, text: str) -> bytes:
    """A text-drawing operator: Latin text in Helvetica, anything else in the Chinese font."""
    if text.isascii():
        return b"BT /F1 10 Tf %.1f %.1f Td (%s) Tj ET\n" % (x, y, text.encode("latin-1"))
    return b"BT /F2 10 Tf %.1f %.1f Td <%s> Tj ET\n" % (x, y, text.encode("utf-16-be").hex().encode())


def ruled_page(rows: list[list[str]], footer: str, columns: tuple[float, ...] = (20.0, 60.0, 200.0, 280.0)) -> bytes:
    """A ruled table at the top of a 300x400 page, 20 pt per text line, and a footer line."""
    out = bytearray()
    top = 380.0
    for row in rows:
        height = 20.0 * max(len(cell.split("\n")) for cell in row)
        for c, cell in enumerate(row):
            out += b"%.1f %.1f %.1f %.1f re S\n" % (columns[c], top - height, columns[c + 1] - columns[c], height)
            for n, line in enumerate(cell.split("\n") if cell else []):
                out += pdf_text(columns[c] + 3, top - 14 - 20 * n, line)
        top -= height
    out += pdf_text(140, 20, footer)
    return bytes(out)


def image_only_pdf() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 300), "white").save(buffer, "PDF")
    return buffer.getvalue()


ENCRYPT = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32)
