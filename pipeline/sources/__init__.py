"""Readers: bytes of one notice -> :class:`pipeline.model.Document`.

The format is sniffed from the content, never the file name. Each reader
lives in its own module and is imported only when a file of its format
arrives, so reading a text notice never pays for pdfium's or the OCR engine's import.
"""

from __future__ import annotations

import codecs
import importlib
import re

from pipeline.errors import NoTextLayer, UnreadableInput, UnsupportedFormat
from pipeline.model import Document
from pipeline.rules import Rules

FORMATS = ("text", "docx", "pdf", "html", "doc", "scan")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table|div|p)\b", re.I | re.S)


def sniff(data: bytes) -> str:
    """Name the format of ``data`` from its first bytes.

    >>> sniff(b"%PDF-1.7 ...")
    'pdf'
    >>> sniff("<!DOCTYPE html><html>".encode())
    'html'
    >>> sniff("序号\\t任务".encode("gbk"))
    'text'
    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n...")
    'scan'
    """
    if not data.strip():
        raise UnreadableInput("empty file")
    head = data[:4096]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(_OLE_MAGIC):
        return "doc"
    if head.startswith(_IMAGE_MAGIC):
        return "scan"
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "html"
    if _looks_like_text(head):
        return "text"
    raise UnsupportedFormat("unknown format (not text, HTML, Word or PDF)")


def _looks_like_text(head: bytes) -> bool:
    if b"\0" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        # The head may end inside a multi-byte character: decode it as a prefix.
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def read(data: bytes, rules: Rules, jobs: int = 1) -> Document:
    """Sniff ``data`` and parse it with the matching reader.

    A PDF without a text layer is a scan and goes to the OCR reader, which reads
    ``jobs`` pages at once.
    """
    fmt = sniff(data)
    module = importlib.import_module(f"pipeline.sources.{fmt}")
    try:
        doc: Document = module.read(data, rules, jobs) if fmt == "scan" else module.read(data, rules)
    except NoTextLayer:
        from pipeline.sources import scan

        return scan.read(data, rules, jobs)
    return doc
