"""Word .docx notices: body paragraphs and tables read from the XML grid.

python-docx opens the package; the text and the table grid come straight from
the underlying ``w:`` elements, because python-docx's own ``Table.rows``
hides what a merged cell is (it repeats a merged cell's text in every slot it
covers, and the model wants ``""`` there):

* ``w:gridBefore`` / ``w:gridAfter`` leave empty slots before and after a row's
  cells; ``w:gridSpan`` fills the first slot and leaves ``""`` in the others.
* ``w:vMerge`` without ``w:val="restart"`` continues the cell above: ``""``.
* Content controls (``w:sdt``) and custom XML may wrap runs, paragraphs,
  cells, rows or whole tables; they are transparent.
* Text boxes (DrawingML ``wps:txbx`` with its VML fallback, read once) become
  blocks after the paragraph anchoring them, or lines of the cell holding them.
* Deleted revisions and field instructions are not text.

A cell's paragraphs are joined with ``"\\n"``; blank paragraphs are dropped and
each line is stripped, as the text reader does. A body paragraph with line
breaks becomes one Paragraph per line.

The package is checked before anything is inflated: a member declaring more
than :data:`MAX_INFLATED` bytes (or all members together) is refused, and
``zipfile`` never inflates past a member's declared size.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from pipeline.errors import InputTooLarge, UnreadableInput, UnsupportedFormat
from pipeline.model import Block, Document, Paragraph, Table
from pipeline.rules import Rules

MAX_INFLATED = 200 * 1024 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (
    _w(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
T, TAB, BR, CR, TXBX = (_w(n) for n in ("t", "tab", "br", "cr", "txbxContent"))
NO_BREAK_HYPHEN = _w("noBreakHyphen")
VAL = _w("val")
# Elements whose content is never visible text (or is read elsewhere).
_SKIP = frozenset(
    [_w(n) for n in ("pPr", "rPr", "del", "moveFrom", "instrText", "delText", "tblPr", "tcPr", "trPr")]
    + [f"{{{_MC}}}Fallback"]
)
# Elements that only wrap other content.
_WRAPPERS = (SDT, SDT_CONTENT, CUSTOM_XML)


def read(data: bytes, rules: Rules) -> Document:
    """The blocks of a .docx (``rules`` is unused: nothing here depends on words)."""
    root = _document_element(data)
    body = root.find(_w("body"))
    if body is None:
        raise UnreadableInput("Word document has no body")
    return Document(blocks=tuple(_blocks(body)), source_format="docx")


def _document_element(data: bytes) -> etree._Element:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableInput(f"broken zip archive ({exc})") from None
    with archive:
        _check_sizes(archive)
        if "word/document.xml" not in archive.namelist():
            raise UnsupportedFormat("zip archive without a Word document")
    import docx  # python-docx; imported here so sniffing stays cheap

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a bad package
        raise UnreadableInput(f"broken Word document ({type(exc).__name__}: {exc})") from None
    element: etree._Element = document.element
    return element


def _check_sizes(archive: zipfile.ZipFile) -> None:
    total = 0
    for info in archive.infolist():
        if info.file_size > MAX_INFLATED:
            raise InputTooLarge(
                f"zip member {info.filename} would inflate to {info.file_size} bytes"
                f" (limit {MAX_INFLATED})"
            )
        total += info.file_size
    if total > MAX_INFLATED:
        raise InputTooLarge(f"zip archive would inflate to {total} bytes (limit {MAX_INFLATED})")


# -- blocks ------------------------------------------------------------------


def _blocks(container: etree._Element) -> Iterator[Block]:
    """Paragraphs and tables of a block container (body, text box, sdtContent)."""
    for child in container:
        if child.tag == P:
            text, boxes = _paragraph(child)
            for line in text.split("\n"):
                if line.strip():
                    yield Paragraph(line.strip())
            for box in boxes:
                yield from _blocks(box)
        elif child.tag == TBL:
            table = _table(child)
            if table.rows:
                yield table
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _paragraph(paragraph: etree._Element) -> tuple[str, list[etree._Element]]:
    """A paragraph's text (line breaks as "\\n") and the text boxes it anchors."""
    parts: list[str] = []
    boxes: list[etree._Element] = []
    _collect(paragraph, parts, boxes)
    return "".join(parts), boxes


def _collect(element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
    for child in element:
        tag = child.tag
        if tag == T:
            parts.append(child.text or "")
        elif tag == TAB:
            parts.append(" ")
        elif tag in (BR, CR):
            parts.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == TXBX:
            boxes.append(child)
        elif tag not in _SKIP and isinstance(tag, str):
            _collect(child, parts, boxes)


def _container_lines(container: etree._Element) -> list[str]:
    """Every non-blank line of a cell or text box, tables flattened row by row."""
    lines: list[str] = []
    for child in container:
        if child.tag == P:
            text, boxes = _paragraph(child)
            lines.extend(line.strip() for line in text.split("\n") if line.strip())
            for box in boxes:
                lines.extend(_container_lines(box))
        elif child.tag == TBL:
            for row in _table(child).rows:
                lines.extend(cell for cell in row if cell)
        elif child.tag in _WRAPPERS:
            lines.extend(_container_lines(child))
    return lines


# -- tables ------------------------------------------------------------------


def _table(tbl: etree._Element) -> Table:
    rows = [_row(tr) for tr in _children(tbl, TR)]
    rows = [row for row in rows if any(row)]
    width = max((len(row) for row in rows), default=0)
    grid = tbl.find(_w("tblGrid"))
    if grid is not None:
        width = max(width, len(grid.findall(_w("gridCol"))))
    return Table(tuple(tuple(row + [""] * (width - len(row))) for row in rows))


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking through sdt/customXml wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _row(tr: etree._Element) -> list[str]:
    row = [""] * _row_property(tr, "gridBefore")
    for tc in _children(tr, TC):
        props = tc.find(_w("tcPr"))
        span = _int_val(props, "gridSpan", 1) if props is not None else 1
        text = "" if _is_continuation(props) else "\n".join(_container_lines(tc))
        row.append(text)
        row.extend([""] * (max(span, 1) - 1))
    row.extend([""] * _row_property(tr, "gridAfter"))
    return row


def _is_continuation(props: etree._Element | None) -> bool:
    if props is None:
        return False
    for name in ("vMerge", "hMerge"):
        merge = props.find(_w(name))
        if merge is not None and merge.get(VAL, "continue") != "restart":
            return True
    return False


def _row_property(tr: etree._Element, name: str) -> int:
    props = tr.find(_w("trPr"))
    return _int_val(props, name, 0) if props is not None else 0


def _int_val(props: etree._Element, name: str, default: int) -> int:
    element = props.find(_w(name))
    if element is None:
        return default
    try:
        return max(0, min(int(element.get(VAL, default)), 1000))
    except ValueError:
        return default
