"""Government web pages: the notice's article inside the site's page chrome.

* **Charset** — a byte-order mark wins; then ``<meta charset>`` or the
  ``http-equiv`` Content-Type declaration (GB2312/GBK read as GB18030, their
  superset; a name that is no text encoding is passed over); if there is none
  or it does not decode, what the text reader's decoding finds (UTF-8,
  GB18030, Big5 …). A NUL anywhere makes the page binary.
* **Parsing** — libxml2 with its deep-document limit (2048 levels): deeper
  pages are refused rather than silently cut short.
* **Chrome** — ``nav``/``header``/``footer``/``aside``, ARIA landmarks and
  elements whose id or class names navigation, breadcrumbs, sidebars or
  footers are removed, unless they hold a responsibility table. Script,
  style and form controls never hold text.
* **Article** — the lowest element holding every responsibility table (a
  table with a 序号 header cell; failing that, every data table), widened to
  its parent while what the parent adds is not mostly links (a navigation
  bar left in the page stops it). A page without tables is read whole.
* **Tables** — rowspan/colspan expanded into the grid: the spanning cell's
  text fills its first slot, the others are ``""``. The grid's size is
  checked (:mod:`pipeline.sources.grid`) before each widening. ``<p>``, ``<div>`` and
  ``<br>`` inside a cell are line breaks (``"\\n"``); other whitespace runs are
  one space, as a browser shows them; ``&nbsp;`` is a space that is kept.
* **Paragraphs** — text outside tables, one Paragraph per displayed line.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

from pipeline.errors import InputTooLarge, UnreadableInput
from pipeline.model import Block, Document, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources import decoding
from pipeline.sources.grid import CellBudget, check_spanned
from pipeline.textnorm import squeeze

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 LE starts like UTF-16 LE
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}

_NEVER_TEXT = ("script", "style", "noscript", "template", "head", "select", "button", "textarea", "iframe", "object")
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form")
_CHROME_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
# Class or id tokens of page chrome: whole tokens, or parts of a token.
_CHROME_TOKEN = re.compile(r"^(header|head|top|topbar|foot|bottom|side)$", re.I)
_CHROME_PART = re.compile(r"nav|menu|breadcrumb|crumb|sidebar|footer|copyright|share|related|weizhi|dqwz", re.I)
# Elements that start a new line when displayed.
_BLOCK_TAGS = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "main", "blockquote", "pre", "center", "address", "figure", "figcaption", "hr", "tr", "caption"]
)
_SPACES = re.compile(r"[ \t\r\n\f]+")
# What walking an element yields: ("text", str), ("break", ""), ("table", Table).
Event = tuple[str, "str | Table"]


def read(data: bytes, rules: Rules, charset: str | None = None) -> Document:
    """The page's blocks; ``charset`` is a transport's declaration (an MHTML part header)."""
    root = _parse(decode(data, charset))
    for element in list(root.iter(*_NEVER_TEXT, etree.Comment, etree.ProcessingInstruction)):
        _remove(element)
    headers = rules.tables.number_headers
    _strip_chrome(root, headers)
    article = _article(root, headers)
    return Document(blocks=tuple(_blocks(article, CellBudget())), source_format="html")


# -- decoding ------------------------------------------------------------------


def decode(data: bytes, charset: str | None = None) -> str:
    """Decode an HTML page: a BOM wins; then ``charset`` (a transport's, such as an
    MHTML part header), then the ``<meta>`` declaration; then what
    :func:`pipeline.sources.decoding.decode` finds (UTF-8, GB18030, Big5, UTF-16).

    A declared name that is not a text encoding (``rot13``, ``undefined``) or does
    not fit the bytes is passed over.

    >>> decode('<meta charset="gbk"><p>序号</p>'.encode("gbk"))
    '<meta charset="gbk"><p>序号</p>'
    >>> decode('<meta charset="rot13"><p>序号</p>'.encode())
    '<meta charset="rot13"><p>序号</p>'
    """
    if not data.startswith(_BOMS):
        for name in (charset, _declared(data)):
            encoding = _text_encoding(name)
            if encoding is None:
                continue
            try:
                text = data.decode(encoding)
            except (UnicodeError, LookupError):
                continue
            if "\0" not in text:
                return text
    return decoding.decode(data, what="web page")


def _declared(data: bytes) -> str | None:
    declared = _DECLARED.search(data[:8192])
    return declared.group(1).decode("ascii") if declared else None


def _text_encoding(name: str | None) -> str | None:
    """The codec for a declared charset name, if it names a text encoding of bytes."""
    if not name:
        return None
    name = _ALIASES.get(name.lower(), name.lower())
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith(("utf-16", "utf-32")):
        return None  # rot13, hex, zlib …; UTF-16 without a BOM is declared wrongly (as browsers hold)
    return info.name


def _parse(text: str) -> lxml_html.HtmlElement:
    """Parse with libxml2's deep-document limit (2048 levels, not 256): 300 unclosed
    ``<div>``s must not cut the page short. Deeper still is refused, not read in part."""
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a declared encoding in a str
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableInput(f"HTML page cannot be parsed ({exc})") from None
    if any(error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for error in parser.error_log):
        raise InputTooLarge("HTML page is nested deeper than 2048 elements (the parser's limit)")
    return root


def _remove(element: etree._Element) -> None:
    """Remove ``element`` but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


# -- finding the article -------------------------------------------------------


def _is_chrome(element: etree._Element) -> bool:
    if element.tag in _CHROME_TAGS or element.get("role", "").lower() in _CHROME_ROLES:
        return True
    names = f"{element.get('id', '')} {element.get('class', '')}".split()
    return any(_CHROME_TOKEN.match(name) or _CHROME_PART.search(name) for name in names)


def _strip_chrome(root: etree._Element, headers: tuple[str, ...]) -> None:
    # The elements themselves, not id()s: lxml proxies are created on access and
    # freed at once, so an id() can be reused by another element.
    keep = {a for table in _responsibility_tables(root, headers) for a in table.iterancestors()}
    body = root.find("body")
    for element in list(root.iter()):
        if element is root or element is body or not isinstance(element.tag, str):
            continue
        if element not in keep and _is_chrome(element) and element.getparent() is not None:
            _remove(element)


def _data_tables(root: etree._Element) -> list[etree._Element]:
    """Tables holding no other table (layout tables hold the page)."""
    return [t for t in root.iter("table") if t.find(".//table") is None and len(_rows(t)) >= 2]


def _responsibility_tables(root: etree._Element, headers: tuple[str, ...]) -> list[etree._Element]:
    return [table for table in _data_tables(root) if _has_number_header(table, headers)]


def _has_number_header(table: etree._Element, headers: tuple[str, ...]) -> bool:
    """Does a cell of the first rows name the 序号 column (``headers``, from rules/tables.yaml)?"""
    for tr in _rows(table)[:3]:
        for cell in tr.iterchildren("td", "th"):
            if squeeze(cell.text_content()) in headers:
                return True
    return False


def _article(root: etree._Element, headers: tuple[str, ...]) -> etree._Element:
    body = root.find("body")
    if body is None:
        body = root
    tables = _responsibility_tables(body, headers) or _data_tables(body)
    if not tables:
        return body
    article = _common_ancestor(tables)
    while article is not body and article.getparent() is not None:
        parent = article.getparent()
        if _link_share(parent, article) > 0.5:
            break
        article = parent
    return article


def _common_ancestor(elements: list[etree._Element]) -> etree._Element:
    paths = [[e, *e.iterancestors()][::-1] for e in elements]
    common = paths[0][0]
    for level in zip(*paths, strict=False):
        if all(e is level[0] for e in level):
            common = level[0]
        else:
            break
    return common


def _link_share(parent: etree._Element, child: etree._Element) -> float:
    """The share of link text in what ``parent`` shows besides ``child``."""
    total = len(squeeze(parent.text_content())) - len(squeeze(child.text_content()))
    if total <= 0:
        return 0.0
    links = sum(
        len(squeeze(a.text_content()))
        for a in parent.iter("a")
        if child not in a.iterancestors() and a is not child
    )
    return links / total


# -- blocks ----------------------------------------------------------------------


def _blocks(article: etree._Element, budget: CellBudget) -> list[Block]:
    blocks: list[Block] = []
    lines: list[str] = [""]

    def flush() -> None:
        for line in lines:
            if line.strip():
                blocks.append(Paragraph(line.strip()))
        lines[:] = [""]

    for kind, value in _flow(article, budget):
        if isinstance(value, Table):
            flush()
            blocks.append(value)
        elif kind == "text":
            lines[-1] += value
        else:
            lines.append("")
    flush()
    return blocks


def _flow(element: etree._Element, budget: CellBudget | None) -> Iterator[Event]:
    """Text, line breaks and (given a ``budget`` for their cells) data tables in display order."""
    if element.text:
        yield "text", _display(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "table" and budget is not None and child.find(".//table") is None:
            yield from _table_blocks(child, budget)
        elif tag == "br":
            yield "break", ""
        else:
            block = tag in _BLOCK_TAGS
            if block:
                yield "break", ""
            yield from _flow(child, budget)
            if block or tag in ("td", "th"):
                yield "break", ""
        if child.tail:
            yield "text", _display(child.tail)


def _display(text: str) -> str:
    return _SPACES.sub(" ", text).replace("\xa0", " ")


def _table_blocks(table: etree._Element, budget: CellBudget) -> Iterator[Event]:
    caption = table.find("caption")
    if caption is not None and caption.text_content().strip():
        yield "break", ""
        yield "text", _display(caption.text_content())
        yield "break", ""
    grid = _grid(table, budget)
    if grid:
        yield "table", Table(tuple(tuple(row) for row in grid))


def _rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    return rows


def _grid(table: etree._Element, budget: CellBudget) -> list[list[str]]:
    """The table's grid: each span's slots are checked against ``budget`` before they exist."""
    rows = _rows(table)
    grid: list[list[str | None]] = [[] for _ in rows]
    width = spanned = 0
    for r, tr in enumerate(rows):
        column = 0
        for cell in tr.iterchildren("td", "th"):
            while column < len(grid[r]) and grid[r][column] is not None:
                column += 1  # a slot taken by a rowspan from above
            rowspan = _span(cell, "rowspan", len(rows) - r)
            colspan = _span(cell, "colspan", 1000)
            if column + colspan > width:
                width = column + colspan
                budget.check(len(rows), width)
            spanned += rowspan * colspan
            check_spanned(spanned)
            for dr in range(rowspan):
                target = grid[r + dr]
                target.extend([None] * (column + colspan - len(target)))
                for dc in range(colspan):
                    target[column + dc] = ""
            grid[r][column] = _cell_text(cell)
            column += colspan
    budget.take(len(rows), width)
    out = [[c or "" for c in row] + [""] * (width - len(row)) for row in grid]
    return [row for row in out if any(row)]


def _span(cell: etree._Element, name: str, limit: int) -> int:
    try:
        value = int(cell.get(name, "1").strip() or 1)
    except ValueError:
        return 1
    if value == 0 and name == "rowspan":
        return limit  # rowspan="0": to the end of the table
    return max(1, min(value, limit))


def _cell_text(cell: etree._Element) -> str:
    lines: list[str] = [""]
    for kind, value in _flow(cell, None):
        if kind == "text" and isinstance(value, str):
            lines[-1] += value
        elif kind == "break":
            lines.append("")
    return "\n".join(line.strip() for line in lines if line.strip())
