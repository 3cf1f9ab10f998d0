"""The neutral document model every reader produces.

A reader turns bytes into a :class:`Document`: an ordered list of paragraphs
and tables, nothing format-specific. Later stages never look at the source
format again.

Conventions every reader follows:

* A cell's text keeps its line breaks as ``"\\n"`` (wrapped lines, paragraphs
  inside the cell); the tables stage decides what a break means.
* Table rows are aligned to the table grid: a cell spanning several columns
  fills its first slot and leaves ``""`` in the others; a cell merged
  vertically with the one above (a merged 序号 cell, say) is ``""`` in every
  row after its first. A row may be shorter than the grid; missing trailing
  cells are empty.
* Header rows repeated on later pages and page furniture (footers such as
  ``— 3 —``) are removed by the reader that knows about pages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Lines(Paragraph):
    """The raw lines of a plain-text notice, ``"\n"`` between them, blank lines and tabs kept.

    The text reader gives one; only the layouts stage (``pipeline/layouts``)
    reads it, and it always replaces it with paragraphs and tables, so no stage
    after it sees one. It is a :class:`Paragraph` so that code typed for
    paragraphs and tables needs no third case; it never compares equal to one.
    """

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Table


@dataclass(frozen=True)
class Warning:
    """Something a stage could not place: ``where`` in the notice, ``what`` went wrong."""

    stage: str  # reader, layout, tables
    where: str
    what: str


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    source_format: str
    # Problems a reader met but could work past (e.g. the OCR's low-confidence
    # cells: where "page 3, table 1, row 12, col 2", what "confidence 41").
    warnings: tuple[Warning, ...] = ()

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
