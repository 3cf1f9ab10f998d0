"""Readers: bytes of one notice -> :class:`pipeline.model.Document`.

The format is sniffed from the content, never the file name. Each reader
lives in its own module and is imported only when a file of its format
arrives, so reading a text notice never pays for pdfium's or the OCR engine's import.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import replace

from pipeline.errors import NoTextLayer, UnreadableInput, UnsupportedFormat
from pipeline.model import Document
from pipeline.rules import Rules
from pipeline.sources.decoding import sniff_text
from pipeline.sources.noise import captured

FORMATS = ("text", "docx", "pdf", "html", "mhtml", "doc", "scan")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF
_HEAD = 4096
_MARKUP_PREFIX = 65536  # comments before <html> may be long (a licence, a template's notes)
# What may come before a page's first element: whitespace, comments, an XML
# declaration or processing instruction, a doctype.
_PROLOGUE = re.compile(r"\s*(?:<!--.*?-->|<\?.*?\?>|<!doctype[^>]*>)", re.I | re.S)
_HTML_ELEMENT = re.compile(
    r"\s*<(html|head|body|meta|title|link|base|script|style|table|div|p|span|center|font|h[1-6]|br|form|iframe)\b",
    re.I,
)
_TABLE_TAG = re.compile(r"<table\b", re.I)
_ROW_TAG = re.compile(r"<t[rd]\b", re.I)
# A MIME header block whose content type is multipart: an MHTML web archive (.mht/.mhtml).
_MIME_HEADERS = re.compile(r"(?:[!-9;-~]+:[^\n]*\n(?:[ \t][^\n]*\n)*)+", re.I)
_MULTIPART = re.compile(r"^content-type:\s*multipart/(related|mixed|alternative)\b", re.I | re.M)


def sniff(data: bytes) -> str:
    """Name the format of ``data`` from its first bytes.

    >>> sniff(b"%PDF-1.7 ...")
    'pdf'
    >>> sniff("<!DOCTYPE html><html>".encode())
    'html'
    >>> sniff('<?xml version="1.0"?>\\n<html xmlns="http://www.w3.org/1999/xhtml">'.encode("utf-16"))
    'html'
    >>> sniff("序号\\t任务".encode("gbk"))
    'text'
    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n...")
    'scan'
    """
    if not data.strip():
        raise UnreadableInput("empty file")
    head = data[:_HEAD]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(_OLE_MAGIC):
        return "doc"
    if head.startswith(_IMAGE_MAGIC):
        return "scan"
    text = sniff_text(head)
    markup = sniff_text(data[:_MARKUP_PREFIX]) if text is not None else None
    if markup is None:  # not text in the genre's encodings: tags are ASCII in most others
        markup = data[:_MARKUP_PREFIX].decode("latin-1")
    if _is_web_archive(markup):
        return "mhtml"
    if _is_html(markup, anywhere=text is not None):
        return "html"
    if text is not None:
        return "text"
    raise UnsupportedFormat("unknown format (not text, HTML, Word or PDF)")


def _is_html(text: str, anywhere: bool) -> bool:
    """An element first (after any prologue), or, in text, table markup anywhere:
    a notice's text copy never holds ``<table>`` and ``<td>`` tags."""
    position = 0
    while match := _PROLOGUE.match(text, position):
        if match.group(0).lstrip().lower().startswith("<!doctype html"):
            return True
        position = match.end()
    if _HTML_ELEMENT.match(text, position):
        return True
    return anywhere and bool(_TABLE_TAG.search(text) and _ROW_TAG.search(text))


def _is_web_archive(text: str) -> bool:
    text = text.replace("\r\n", "\n")
    headers = _MIME_HEADERS.match(text.lstrip("\ufeff"))
    return headers is not None and _MULTIPART.search(headers.group(0)) is not None


def read(data: bytes, rules: Rules, jobs: int = 1) -> Document:
    """Sniff ``data`` and parse it with the matching reader.

    A PDF without a text layer is a scan and goes to the OCR reader, which reads
    ``jobs`` pages at once. Warnings and log records of the libraries become the
    document's warnings (:mod:`pipeline.sources.noise`), never lines on stderr.
    """
    fmt = sniff(data)
    module = importlib.import_module(f"pipeline.sources.{fmt}")
    with captured() as noise:  # library warnings and logging: kept, not printed
        try:
            doc: Document = module.read(data, rules, jobs) if fmt == "scan" else module.read(data, rules)
        except NoTextLayer:
            from pipeline.sources import scan

            doc = scan.read(data, rules, jobs)
    return replace(doc, warnings=doc.warnings + tuple(noise)) if noise else doc
