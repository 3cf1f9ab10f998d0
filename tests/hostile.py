"""Hostile and unlucky inputs (issue 11), built here from their descriptions.

Each builder returns the bytes of one file. The notices are invented: a
three-column 重点工作 table whose task texts hold one target each, so a test can
check both the table and the numbers read from it.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from email.message import EmailMessage
from xml.sax.saxutils import escape

HEADER = ("序号", "主要工作任务", "牵头单位")
ROWS = (
    ("1", "新认定高新技术企业300家。", "市科技局"),
    ("2", "新增城镇就业岗位1.2万个。", "市人力社保局"),
    ("3", "完成老旧小区改造45个。", "市住建局"),
)
TITLE = "青石市2024年政府工作报告重点工作责任分解"
TASK_TEXTS = [row[1] for row in ROWS]

# -- HTML -------------------------------------------------------------------------------


def html_table(rows: tuple[tuple[str, ...], ...] = (HEADER, *ROWS), indent: str = "\t") -> str:
    """A table with tab-indented markup, one tag per line, as XHTML exporters write it."""
    lines = [f"{indent}<table border=\"1\">"]
    for row in rows:
        lines.append(f"{indent}\t<tr>")
        lines.extend(f"{indent}\t\t<td>{escape(cell)}</td>" for cell in row)
        lines.append(f"{indent}\t</tr>")
    lines.append(f"{indent}</table>")
    return "\n".join(lines)


def html_body() -> str:
    return f"<body>\n\t<p>{TITLE}</p>\n{html_table()}\n\t<p>注：请按时报送。</p>\n</body>"


def xhtml_prologue() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"'
        ' "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n\t<meta http-equiv="Content-Type"'
        ' content="text/html; charset=UTF-8" />\n\t<title>通知</title>\n</head>\n'
        f"{html_body()}\n</html>\n"
    ).encode()


def html_title_first() -> bytes:
    return f"<title>通知</title>\n<meta charset=\"utf-8\">\n{html_body()}".encode()


def html_comments_first() -> bytes:
    """Blank lines, a licence comment longer than the sniffed head, a conditional comment, then <html>."""
    licence = "<!-- " + "版权所有 site template v2 " * 400 + "-->"
    return (
        f"\n\n  \r\n{licence}\n<!--[if lt IE 9]><script src=\"x.js\"></script><![endif]-->\n"
        f"<html><head><meta charset=\"utf-8\"></head>{html_body()}</html>"
    ).encode()


def html_utf16(encoding: str) -> bytes:
    """Notepad's "Unicode" (LE) or "Unicode big endian": a BOM, then UTF-16."""
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    page = f"<!DOCTYPE html>\r\n<html><head><title>通知</title></head>{html_body()}</html>"
    return bom + page.encode(encoding)


def html_unclosed_divs(count: int) -> bytes:
    """``count`` <div>s never closed before the table (a broken CMS template)."""
    return f"<html><head><meta charset=\"utf-8\"></head><body>{'<div>' * count}{html_table()}</body></html>".encode()


def html_span_bomb() -> bytes:
    """About 45 KB: every row's first cell spans 1000 columns and every row below it."""
    row = '<tr><td rowspan="65534" colspan="1000">x</td></tr>'
    return ("<html><body><table>" + row * 900 + "</table></body></html>").encode()


def mhtml_archive() -> bytes:
    """A page saved by a browser as a single-file web archive (multipart/related, quoted-printable)."""
    archive = EmailMessage()
    archive["From"] = "<Saved by Blink>"
    archive["Subject"] = "通知"
    archive["Snapshot-Content-Location"] = "http://www.example.gov.cn/art/2024/notice.html"
    archive.set_type("multipart/related")
    archive.set_param("type", "text/html")
    page = f'<html><head><meta charset="gbk"></head>{html_body()}</html>'
    archive.add_related(page.encode("gbk"), "text", "html", cte="quoted-printable",
                        params={"charset": "gbk"}, headers=["Content-Location: http://www.example.gov.cn/n.html"])
    archive.add_related(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image", "png", cte="base64")
    return archive.as_bytes().replace(b"\n", b"\r\n")


# -- Word -------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{main}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '{styles}</Types>'
)
_STYLES_TYPE = (
    '<Override PartName="/word/styles.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="{main}"/></Relationships>'
)
_PART_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"'
    ' Target="styles.xml"/></Relationships>'
)


def docx_package(body: str, styles: str = "", main: str = "word/document.xml") -> bytes:
    """A minimal .docx: ``body`` is the inner XML of ``w:body``; ``styles`` the inner XML of ``w:styles``."""
    folder, name = main.rsplit("/", 1)
    members = {
        "[Content_Types].xml": _CONTENT_TYPES.format(main=main, styles=_STYLES_TYPE if styles else ""),
        "_rels/.rels": _ROOT_RELS.format(main=main),
        main: f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
    }
    if styles:
        members[f"{folder}/_rels/{name}.rels"] = _PART_RELS
        members[f"{folder}/styles.xml"] = f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member, text in members.items():
            archive.writestr(member, text.encode())
    return buffer.getvalue()


def w_run(text: str, props: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def w_paragraph(*runs: str, mark: str = "", style: str = "") -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + (f"<w:rPr>{mark}</w:rPr>" if mark else "")
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


def w_cell(*paragraphs: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{''.join(paragraphs) or '<w:p/>'}</w:tc>"


def w_row(*cells: str, props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def w_table(*rows: str, grid: int = 3) -> str:
    columns = '<w:gridCol w:w="1000"/>' * grid
    return f"<w:tbl><w:tblGrid>{columns}</w:tblGrid>{''.join(rows)}</w:tbl>"


def w_text_row(*cells: str, props: str = "") -> str:
    return w_row(*(w_cell(w_paragraph(w_run(c))) for c in cells), props=props)


def notice_body(*extra_rows: str, rows: tuple[tuple[str, ...], ...] = ROWS) -> str:
    """A title paragraph and the notice table, ``extra_rows`` (raw ``w:tr`` XML) appended."""
    table = w_table(w_text_row(*HEADER), *(w_text_row(*row) for row in rows), *extra_rows)
    return w_paragraph(w_run(TITLE)) + table


def docx_grid_span_bomb() -> bytes:
    """About 4 KB: one row of 2,000 cells each spanning 1,000 grid columns, and 2,000 short rows
    that a reader without a bound pads to the 2 million columns (4 billion cells)."""
    wide = w_row(w_cell(w_paragraph(w_run("x")), props='<w:gridSpan w:val="1000"/>') * 2000)
    return docx_package(notice_body(wide, *[w_text_row("4", "任务", "单位")] * 2000))


def docx_table_grid_bomb() -> bytes:
    """About 9 KB: a table grid declaring 110,000 columns for 2,000 rows of three cells (220 million cells)."""
    body = notice_body(*[w_text_row("4", "任务", "单位")] * 2000)
    return docx_package(body.replace("<w:tblGrid>", "<w:tblGrid>" + '<w:gridCol w:w="1"/>' * 110_000, 1))


# -- PDF --------------------------------------------------------------------------------


def pdf_many_pages(count: int) -> bytes:
    """A PDF whose page tree holds ``count`` empty pages (one page object each)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = [len(out)]
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(count))
    offsets.append(len(out))
    out += b"2 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n" % (kids, count)
    for n in range(count):
        offsets.append(len(out))
        out += b"%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] >>\nendobj\n" % (3 + n)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)


# -- text -------------------------------------------------------------------------------


def tab_notice() -> str:
    """The notice as a tab-separated text copy (the seed's layout)."""
    lines = [TITLE, ""]
    for row in (HEADER, *ROWS):
        lines.extend(f"\t{cell}" for cell in row)
        lines.append("")
    return "\n".join(lines) + "\n"


# -- Word: hidden, deleted and framed text --------------------------------------------------

VANISH = "<w:vanish/>"
HIDDEN_STYLES = (
    '<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="SecretToo"><w:name w:val="SecretToo"/><w:basedOn w:val="Secret"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="HiddenNote"><w:name w:val="HiddenNote"/><w:rPr><w:vanish/></w:rPr></w:style>'
)


def _first_task_row(*paragraphs: str) -> str:
    """Row 1 of the notice with its task cell made of ``paragraphs``; rows 2 and 3 as usual."""
    number, _, unit = ROWS[0]
    return w_row(w_cell(w_paragraph(w_run(number))), w_cell(*paragraphs), w_cell(w_paragraph(w_run(unit))))


def _with_first_row(row: str, styles: str = "") -> bytes:
    table = w_table(w_text_row(*HEADER), row, *(w_text_row(*r) for r in ROWS[1:]))
    return docx_package(w_paragraph(w_run(TITLE)) + table, styles)


def docx_vanish_run() -> bytes:
    """A hidden "9" in front of 300: Word shows 300家, the XML holds 9300家."""
    return _with_first_row(_first_task_row(w_paragraph(w_run("新认定高新技术企业"), w_run("9", VANISH), w_run("300家。"))))


def docx_vanish_style() -> bytes:
    """Hidden through styles: a character style (and one based on it) and a paragraph style."""
    cell = (
        w_paragraph(w_run("新认定高新技术企业"), w_run("9", '<w:rStyle w:val="SecretToo"/>'), w_run("300家。")),
        w_paragraph(w_run("另需新增企业50家。"), style="HiddenNote"),
        w_paragraph(w_run("不算", '<w:rStyle w:val="Secret"/>')),
    )
    return _with_first_row(_first_task_row(*cell), HIDDEN_STYLES)


def docx_vanish_paragraph() -> bytes:
    """A whole paragraph hidden (its runs and its mark) in the task cell and in the body."""
    cell = (
        w_paragraph(w_run("新认定高新技术企业300家。")),
        w_paragraph(w_run("另需新增企业50家。", VANISH), mark=VANISH),
    )
    return _with_first_row(_first_task_row(*cell))


def docx_vanish_mark_only() -> bytes:
    """Only the paragraph mark hidden: Word runs the paragraph on into the next one."""
    cell = (w_paragraph(w_run("新认定高新"), mark=VANISH), w_paragraph(w_run("技术企业300家。")))
    return _with_first_row(_first_task_row(*cell))


def docx_deleted() -> bytes:
    """Tracked changes: a deleted "9", text moved away, a deleted paragraph mark; insertions stay."""
    deleted = '<w:del w:id="1" w:author="x"><w:r><w:delText>9</w:delText></w:r></w:del>'
    moved = '<w:moveFrom w:id="2" w:author="x"><w:r><w:t>旧文字</w:t></w:r></w:moveFrom>'
    inserted = '<w:ins w:id="3" w:author="x"><w:r><w:t>企业</w:t></w:r></w:ins>'
    cell = (
        w_paragraph(w_run("新认定高新"), mark='<w:del w:id="4" w:author="x"/>'),
        w_paragraph(w_run("技术"), inserted, moved, deleted, w_run("300家。")),
    )
    return _with_first_row(_first_task_row(*cell))


EXTRA_ROW = ("4", "新增隐藏项目10个。", "市隐藏局")


def docx_hidden_row(props: str) -> bytes:
    """A fourth row hidden (``<w:hidden/>``) or deleted (``<w:del/>``) in its row properties."""
    return docx_package(notice_body(w_text_row(*EXTRA_ROW, props=props)))


def docx_frame_table() -> bytes:
    """The notice table inside the only cell of a one-cell table (a frame drawn around it)."""
    inner = w_table(w_text_row(*HEADER), *(w_text_row(*row) for row in ROWS))
    frame = w_table(w_row(w_cell(w_paragraph(w_run("附件")), inner, w_paragraph())), grid=1)
    return docx_package(w_paragraph(w_run(TITLE)) + frame)


def docx_tag_bomb() -> bytes:
    """About 260 KB that inflates to 180 MB of empty paragraphs (30 million elements)."""
    return docx_package("<w:p/>" * 30_000_000)


def docx_linked_image(url: str) -> bytes:
    """The notice (made by python-docx, as Word would) with an image linked, not embedded, from ``url``."""
    import docx as python_docx
    from docx.oxml import parse_xml

    from tests.builders import docx_bytes, docx_table

    document = python_docx.Document()
    relation = document.part.relate_to(url, IMAGE_RELATION, is_external=True)
    document.add_paragraph()._p.append(parse_xml(LINKED_PICTURE.format(relation=relation)))
    document.add_paragraph(TITLE)
    docx_table(document, [list(HEADER), *(list(row) for row in ROWS)])
    document.add_paragraph("注：请按时报送。")  # Word ends a body with a paragraph; LibreOffice drops a last table
    return docx_bytes(document)


IMAGE_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
LINKED_PICTURE = (
    f'<w:r xmlns:w="{W_NS}"><w:drawing>'
    '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="Picture 1"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:nvPicPr><pic:cNvPr id="1" name="linked.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    ' r:link="{relation}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
    '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
)


def pdf_repeated_pages(nodes: int, per_node: int) -> bytes:
    """A few KB: ``nodes`` page-tree nodes, each listing one page object ``per_node`` times."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"3 0 R"] * nodes), nodes * per_node),
        b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>" % (b" ".join([b"4 0 R"] * per_node), per_node),
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 300 400] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- a local listener ----------------------------------------------------------------------


class Listener:
    """An HTTP server on 127.0.0.1 (a free port) that records every connection and request."""

    def __init__(self) -> None:
        import http.server
        import socketserver

        self.connections = 0
        self.requests: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def setup(self) -> None:
                owner.connections += 1
                super().setup()

            def _record(self) -> None:
                owner.requests.append(f"{self.command} {self.path}")
                self.send_response(404)
                self.end_headers()

            do_GET = do_HEAD = do_OPTIONS = do_POST = do_PROPFIND = _record

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def clear(self) -> None:
        self.connections = 0
        self.requests.clear()

    def __enter__(self) -> Listener:
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
