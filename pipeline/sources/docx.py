"""Word .docx notices: body paragraphs and tables read from the XML grid.

:mod:`pipeline.sources.docx_package` opens the package (size checks, the main
part, the styles); the text and the table grid come straight from the
underlying ``w:`` elements, because python-docx's own ``Table.rows`` hides
what a merged cell is (it repeats a merged cell's text in every slot it
covers, and the model wants ``""`` there):

* ``w:gridBefore`` / ``w:gridAfter`` leave empty slots before and after a row's
  cells; ``w:gridSpan`` fills the first slot and leaves ``""`` in the others.
  The grid's size is computed from the spans and checked
  (:mod:`pipeline.sources.grid`) before any row is built.
* ``w:vMerge`` without ``w:val="restart"`` continues the cell above: ``""``.
* Content controls (``w:sdt``) and custom XML may wrap runs, paragraphs,
  cells, rows or whole tables; they are transparent.
* Text boxes (DrawingML ``wps:txbx`` with its VML fallback, read once) become
  blocks after the paragraph anchoring them, or lines of the cell holding them.
* What Word does not show is not text: hidden runs (``w:vanish``, directly or
  through a style), deleted and moved-away revisions (``w:del``, ``w:delText``,
  ``w:moveFrom``), field instructions, hidden and deleted rows
  (``w:trPr/w:hidden``, ``w:trPr/w:del``) and deleted cells. A paragraph whose
  mark is hidden or deleted runs on into the next paragraph, as Word shows it.
* A frame table (one column whose cells hold the real tables, often 1×1) is
  read as the blocks inside it.

A cell's paragraphs are joined with ``"\\n"``; blank paragraphs are dropped and
each line is stripped, as the text reader does. A body paragraph with line
breaks becomes one Paragraph per line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from pipeline.errors import UnreadableInput
from pipeline.model import Block, Document, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources.docx_package import MAX_INFLATED, Visibility, is_on, open_document, w
from pipeline.sources.grid import CellBudget

__all__ = ["MAX_INFLATED", "read"]

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

P, TBL, TR, TC, R, SDT, SDT_CONTENT, CUSTOM_XML = (
    w(n) for n in ("p", "tbl", "tr", "tc", "r", "sdt", "sdtContent", "customXml")
)
T, TAB, BR, CR, TXBX = (w(n) for n in ("t", "tab", "br", "cr", "txbxContent"))
NO_BREAK_HYPHEN = w("noBreakHyphen")
VAL = w("val")
P_PR, R_PR, TC_PR, TR_PR, P_STYLE, DEL, MOVE_FROM, HIDDEN, CELL_DEL, GRID_SPAN, TBL_GRID, GRID_COL = (
    w(n) for n in (
        "pPr", "rPr", "tcPr", "trPr", "pStyle", "del", "moveFrom", "hidden", "cellDel", "gridSpan", "tblGrid", "gridCol",
    )
)
_MERGES = (w("vMerge"), w("hMerge"))
_GRID_BEFORE, _GRID_AFTER = w("gridBefore"), w("gridAfter")
# Elements whose content is never visible text (or is read elsewhere).
_SKIP = frozenset(
    [w(n) for n in ("pPr", "rPr", "del", "moveFrom", "instrText", "delText", "tblPr", "tcPr", "trPr")]
    + [f"{{{_MC}}}Fallback"]
)
# Elements that only wrap other content.
_WRAPPERS = (SDT, SDT_CONTENT, CUSTOM_XML)
# What a paragraph reads as: its text (line breaks as "\n") and the text boxes it anchors.
Text = tuple[str, list[etree._Element]]


def read(data: bytes, rules: Rules) -> Document:
    """The blocks of a .docx (``rules`` is unused: nothing here depends on words)."""
    root, visibility = open_document(data)
    body = root.find(w("body"))
    if body is None:
        raise UnreadableInput("Word document has no body")
    reader = _Reader(visibility, CellBudget())
    return Document(blocks=tuple(reader.blocks(body)), source_format="docx")


class _Reader:
    def __init__(self, visibility: Visibility, budget: CellBudget) -> None:
        self.visibility = visibility
        self.budget = budget

    # -- blocks and lines ----------------------------------------------------------

    def blocks(self, container: etree._Element) -> Iterator[Block]:
        """Paragraphs and tables of a block container (body, cell, text box, sdtContent)."""
        for item in self._items(container):
            if isinstance(item, tuple):
                text, boxes = item
                for line in text.split("\n"):
                    if line.strip():
                        yield Paragraph(line.strip())
                for box in boxes:
                    yield from self.blocks(box)
            else:
                layouts = _layouts(item)
                if _is_frame(layouts):
                    for layout in layouts:
                        yield from self.blocks(layout.cells[0][0])
                else:
                    table = self._table(item, layouts)
                    if table.rows:
                        yield table

    def _lines(self, container: etree._Element) -> list[str]:
        """Every non-blank line of a cell or text box, tables flattened row by row."""
        lines: list[str] = []
        for item in self._items(container):
            if isinstance(item, tuple):
                text, boxes = item
                lines.extend(line.strip() for line in text.split("\n") if line.strip())
                for box in boxes:
                    lines.extend(self._lines(box))
            else:
                layouts = _layouts(item)
                if _is_frame(layouts):
                    for layout in layouts:
                        lines.extend(self._lines(layout.cells[0][0]))
                else:
                    for row in self._table(item, layouts).rows:
                        lines.extend(cell for cell in row if cell)
        return lines

    def _items(self, container: etree._Element) -> Iterator[Text | etree._Element]:
        """Paragraph texts and ``w:tbl`` elements in order; a paragraph whose mark is
        hidden or deleted is joined to the next one."""
        carried: list[Text] = []
        for child in _flat(container):
            if child.tag == P:
                text, boxes, runs_on = self._paragraph(child)
                if runs_on:
                    carried.append((text, boxes))
                    continue
                if not carried:
                    yield text, boxes
                    continue
                carried.append((text, boxes))
            if carried:
                yield "".join(t for t, _ in carried), [b for _, boxes in carried for b in boxes]
                carried = []
            if child.tag == TBL:
                yield child
        if carried:
            yield "".join(t for t, _ in carried), [b for _, boxes in carried for b in boxes]

    # -- paragraphs ----------------------------------------------------------------

    def _paragraph(self, paragraph: etree._Element) -> tuple[str, list[etree._Element], bool]:
        """A paragraph's text, its text boxes, and whether it runs on into the next paragraph."""
        props = paragraph.find(P_PR)
        style_element = props.find(P_STYLE) if props is not None else None
        style = style_element.get(VAL) if style_element is not None else None
        mark = props.find(R_PR) if props is not None else None
        runs_on = mark is not None and (mark.find(DEL) is not None or mark.find(MOVE_FROM) is not None)
        runs_on = runs_on or self.visibility.run_hidden(mark, style)
        parts: list[str] = []
        boxes: list[etree._Element] = []
        self._collect(paragraph, parts, boxes, style)
        return "".join(parts), boxes, runs_on

    def _collect(self, element: etree._Element, parts: list[str], boxes: list[etree._Element], style: str | None) -> None:
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
            elif tag == R and self.visibility.run_hidden(child.find(R_PR), style):
                continue
            elif tag not in _SKIP and isinstance(tag, str):
                self._collect(child, parts, boxes, style)

    # -- tables ----------------------------------------------------------------------

    def _table(self, tbl: etree._Element, layouts: list[_Layout]) -> Table:
        grid = tbl.find(TBL_GRID)
        declared = sum(1 for _ in grid.iterchildren(GRID_COL)) if grid is not None else 0
        self.budget.take(len(layouts), max([declared, *(layout.width for layout in layouts)]))
        rows = [row for row in (self._row(layout) for layout in layouts) if any(row)]
        width = max([declared, *(len(row) for row in rows)])
        return Table(tuple(tuple(row + [""] * (width - len(row))) for row in rows))

    def _row(self, layout: _Layout) -> list[str]:
        row = [""] * layout.before
        for tc, props, span in layout.cells:
            row.append("" if _is_continuation(props) else "\n".join(self._lines(tc)))
            row.extend([""] * (span - 1))
        row.extend([""] * layout.after)
        return row


# -- the XML structure -------------------------------------------------------------------


def _flat(container: etree._Element) -> Iterator[etree._Element]:
    """The paragraphs and tables of a container, looking through sdt/customXml wrappers."""
    for child in container:
        if child.tag in (P, TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _flat(child)


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking through sdt/customXml wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


@dataclass(frozen=True)
class _Layout:
    """A visible row: its cells with their properties, and the grid slots around them."""

    before: int
    cells: list[tuple[etree._Element, etree._Element | None, int]]  # w:tc, w:tcPr, grid span
    after: int

    @property
    def width(self) -> int:
        """The grid columns the row covers, from its spans, before anything is built."""
        return self.before + sum(span for _, _, span in self.cells) + self.after


def _layouts(tbl: etree._Element) -> list[_Layout]:
    """The rows of a table, less hidden and deleted rows and deleted cells."""
    layouts = []
    for tr in _children(tbl, TR):
        props = tr.find(TR_PR)
        if props is not None:
            hidden = props.find(HIDDEN)
            if props.find(DEL) is not None or (hidden is not None and is_on(hidden)):
                continue
        cells = []
        for tc in _children(tr, TC):
            cell_props = tc.find(TC_PR)
            if cell_props is None:
                cells.append((tc, None, 1))
            elif cell_props.find(CELL_DEL) is None:
                cells.append((tc, cell_props, max(_int_val(cell_props, GRID_SPAN, 1), 1)))
        before = _int_val(props, _GRID_BEFORE, 0) if props is not None else 0
        after = _int_val(props, _GRID_AFTER, 0) if props is not None else 0
        layouts.append(_Layout(before, cells, after))
    return layouts


def _is_frame(layouts: list[_Layout]) -> bool:
    """One cell per row, and a table inside: a frame drawn around the real tables."""
    if not layouts or any(len(layout.cells) != 1 or layout.before or layout.after for layout in layouts):
        return False
    return any(layout.cells[0][0].find(f".//{TBL}") is not None for layout in layouts)


def _is_continuation(props: etree._Element | None) -> bool:
    if props is None:
        return False
    for tag in _MERGES:
        merge = props.find(tag)
        if merge is not None and merge.get(VAL, "continue") != "restart":
            return True
    return False


def _int_val(props: etree._Element, tag: str, default: int) -> int:
    element = props.find(tag)
    if element is None:
        return default
    try:
        return max(0, int(element.get(VAL, default)))
    except ValueError:
        return default
