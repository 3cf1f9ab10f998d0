"""Opening a .docx package: size checks, the main part, and which text is hidden.

* **Sizes** are checked from the zip directory before anything is inflated: a
  member declaring more than :data:`MAX_INFLATED` bytes (or all members
  together) is refused, and ``zipfile`` never inflates past a member's
  declared size. The members are then inflated in chunks to count their XML
  tags (:data:`MAX_XML_TAGS`; only when they could hold more), since a small
  file of empty elements parses into gigabytes.
* **The main part** is the target of the package's ``officeDocument``
  relationship (``_rels/.rels``), as Word finds it: usually
  ``word/document.xml``, but ``word/document2.xml`` is just as valid. A
  package whose main part is not a Word document (a workbook, a slide deck)
  is refused by name.
* **Hidden text** (``w:vanish``) is set on a run, on a paragraph mark, or in a
  style (character styles through ``w:rStyle``, paragraph styles through
  ``w:pStyle``, each with its ``w:basedOn`` chain, and the document defaults).
  The nearest setting wins: direct formatting, then the character style, then
  the paragraph style, then the defaults.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from pipeline.errors import InputTooLarge, UnreadableInput, UnsupportedFormat

MAX_INFLATED = 200 * 1024 * 1024
# Parsed XML costs up to ~90 bytes per element (``<w:p/>`` is 6 bytes of XML), so the
# tags are counted while inflating, before python-docx parses anything: 4 million
# is about 64 MB of ordinary Word XML and at most ~400 MB of parsed tree.
MAX_XML_TAGS = 4_000_000

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the relationship type, strict or transitional
_WORD_MAIN = "wordprocessingml"  # in the content type of a document, template or macro-enabled document
_FALSE = frozenset({"0", "false", "off"})
# What inflating a damaged or unusual member raises (encrypted: RuntimeError; unknown method: NotImplementedError).
_INFLATE_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, ValueError, RuntimeError, NotImplementedError, OSError)
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


_VAL, _VANISH, _R_STYLE = w("val"), w("vanish"), w("rStyle")


def open_document(data: bytes) -> tuple[etree._Element, Visibility]:
    """The ``w:document`` element of a .docx, and what its styles hide."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _INFLATE_ERRORS as exc:  # a bad directory; a zip version or method zipfile lacks
        raise UnreadableInput(f"broken zip archive ({exc})") from None
    with archive:
        _check_sizes(archive)
        _check_main_part(archive)
    import docx  # python-docx; imported here so sniffing stays cheap

    try:
        document = docx.Document(io.BytesIO(data))
        element: etree._Element = document.element
        styles = document.styles.element
    except Exception as exc:  # python-docx raises many types for a bad package
        raise UnreadableInput(f"broken Word document ({type(exc).__name__}: {exc})") from None
    return element, Visibility.of(styles)


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
    if total <= MAX_XML_TAGS:
        return  # a tag takes a byte at least: nothing to count
    tags = 0
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                while chunk := member.read(1 << 20):
                    tags += chunk.count(b"<")
                    if tags > MAX_XML_TAGS:
                        raise InputTooLarge(f"Word document holds more than {MAX_XML_TAGS} XML tags (at {info.filename})")
        except _INFLATE_ERRORS as exc:
            raise UnreadableInput(f"broken zip archive ({type(exc).__name__}: {exc})") from None


def _check_main_part(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose main part is missing or is not a Word document."""
    names = set(archive.namelist())
    main = _main_part(archive, names)
    if main is None or main not in names:
        raise UnsupportedFormat("zip archive without a Word document")
    kind = _content_type(archive, names, main)
    if kind is not None and _WORD_MAIN not in kind:
        raise UnsupportedFormat(f"zip archive without a Word document (its main part is {kind.split('/')[-1]})")


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" not in names:
        return "word/document.xml"  # a package without relationships: python-docx decides
    root = _xml(archive, "_rels/.rels")
    for relation in root.iter(f"{{{_RELS}}}Relationship"):
        if relation.get("Type", "").endswith(_OFFICE_DOCUMENT) and relation.get("TargetMode") != "External":
            return posixpath.normpath(relation.get("Target", "").lstrip("/"))
    return None


def _content_type(archive: zipfile.ZipFile, names: set[str], part: str) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    for override in _xml(archive, "[Content_Types].xml").iter(f"{{{_TYPES}}}Override"):
        if override.get("PartName", "").lstrip("/") == part:
            return override.get("ContentType")
    return None


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        return etree.fromstring(archive.read(name), _SAFE)
    except (etree.XMLSyntaxError, *_INFLATE_ERRORS) as exc:
        raise UnreadableInput(f"broken Word document ({name}: {exc})") from None


# -- hidden text -------------------------------------------------------------------


def is_on(toggle: etree._Element) -> bool:
    """An on/off property such as ``<w:vanish/>`` or ``<w:hidden w:val="false"/>``."""
    return toggle.get(_VAL, "true").lower() not in _FALSE


def vanish_setting(props: etree._Element | None) -> bool | None:
    """``True``/``False`` when run properties set ``w:vanish``, ``None`` when they leave it alone."""
    vanish = props.find(_VANISH) if props is not None else None
    return None if vanish is None else is_on(vanish)


@dataclass(frozen=True)
class Visibility:
    """What the styles say about hidden text: per character and paragraph style, and the default."""

    hidden_by_default: bool
    character: dict[str, bool]  # styles whose chain sets w:vanish, on or off
    paragraph: dict[str, bool]

    @classmethod
    def of(cls, styles: etree._Element | None) -> Visibility:
        if styles is None or next(styles.iter(_VANISH), None) is None:
            return cls(False, {}, {})  # the usual case: no style mentions w:vanish
        defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        own: dict[str, bool | None] = {}
        parent: dict[str, str] = {}
        kinds: dict[str, str] = {}
        for style in styles.iterchildren(w("style")):
            name = style.get(w("styleId"), "")
            kinds[name] = style.get(w("type"), "paragraph")
            own[name] = vanish_setting(style.find(w("rPr")))
            based = style.find(w("basedOn"))
            if based is not None:
                parent[name] = based.get(w("val"), "")
        settings = {name: _inherited(name, own, parent) for name in own}
        return cls(
            hidden_by_default=bool(vanish_setting(defaults)),
            character={n: v for n, v in settings.items() if v is not None and kinds[n] == "character"},
            paragraph={n: v for n, v in settings.items() if v is not None and kinds[n] == "paragraph"},
        )

    def run_hidden(self, run_props: etree._Element | None, paragraph_style: str | None) -> bool:
        """Is a run (or, given ``w:pPr/w:rPr``, a paragraph mark) hidden?"""
        direct = vanish_setting(run_props)
        if direct is not None:
            return direct
        if not (self.character or self.paragraph):
            return self.hidden_by_default
        if run_props is not None:
            style = run_props.find(_R_STYLE)
            if style is not None and style.get(_VAL) in self.character:
                return self.character[style.get(_VAL, "")]
        if paragraph_style in self.paragraph:
            return self.paragraph[paragraph_style or ""]
        return self.hidden_by_default


def _inherited(name: str, own: dict[str, bool | None], parent: dict[str, str]) -> bool | None:
    """A style's vanish setting, or the nearest ancestor's (a basedOn loop stops)."""
    seen: set[str] = set()
    while name in own and name not in seen:
        seen.add(name)
        if own[name] is not None:
            return own[name]
        name = parent.get(name, "")
    return None
