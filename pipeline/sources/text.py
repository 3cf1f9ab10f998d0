"""Plain-text notices: decoded, then handed on as raw lines.

A text copy of a notice may hold its tables in any of the layouts sites and
copy-paste produce (tab cells, one cell per line, pipe or tab rows, cells run
together, numbered paragraphs: docs/layouts.md). Which one it is, and where a
table starts and ends, is decided by the layouts stage (``pipeline/layouts``),
which needs the lines as they are: blank lines and tabs included. So this
reader only decodes the bytes (``sources/decoding.py``) and returns one
:class:`~pipeline.model.Lines` block.
"""

from __future__ import annotations

from pipeline.model import Document, Lines
from pipeline.rules import Rules
from pipeline.sources.decoding import decode


def read(data: bytes, rules: Rules) -> Document:
    return parse(decode(data), rules)


def parse(text: str, rules: Rules) -> Document:
    """The text as one block of raw lines (``rules`` unused: the layouts stage reads the lines)."""
    return Document(blocks=(Lines(text),), source_format="text")
