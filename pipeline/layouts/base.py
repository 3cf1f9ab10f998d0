"""What a layout strategy reads and what it proposes.

A :class:`Region` is a stretch of lines (of a text notice, or of a run of
paragraphs from any reader). A strategy reads it and returns a
:class:`Proposal`: the blocks (paragraphs and tables) that explain lines
``start:end`` of the region, the warnings for what it could not place, and a
score, the number of characters it placed in table cells less twice those it
could only place with a warning. The stage keeps the best proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pipeline.model import Block, Paragraph, Table, Warning
from pipeline.textnorm import squeeze

STAGE = "layout"


@dataclass(frozen=True)
class Region:
    raw: tuple[str, ...]  # the lines as written
    plain: tuple[str, ...]  # the same lines in simplified characters (same lengths): for matching
    where: tuple[str, ...]  # where each line is, for warnings: "line 12", "paragraph 3"
    source: tuple[int, ...]  # the paragraph each line belongs to when no table claims it (-1: a blank)

    def __len__(self) -> int:
        return len(self.raw)

    def sub(self, start: int, end: int) -> Region:
        return Region(self.raw[start:end], self.plain[start:end], self.where[start:end], self.source[start:end])

    def blank(self, index: int) -> bool:
        return not self.raw[index].strip()

    @cached_property
    def plain_text(self) -> str:
        """All lines in simplified characters, for quick checks before a strategy reads line by line."""
        return "\n".join(self.plain)

    def warning(self, index: int, what: str) -> Warning:
        return Warning(stage=STAGE, where=self.where[min(index, len(self.where) - 1)], what=what)


@dataclass(frozen=True)
class Proposal:
    start: int  # the lines [start, end) of the region the blocks explain
    end: int
    blocks: tuple[Block, ...]
    warnings: tuple[Warning, ...]
    score: float


def placed(rows: list[tuple[str, ...]] | tuple[tuple[str, ...], ...]) -> int:
    """The characters in a table's cells, whitespace not counted."""
    return sum(len(squeeze(cell)) for row in rows for cell in row)


def table_proposal(
    start: int, end: int, rows: list[tuple[str, ...]], warnings: list[Warning], unsure: int = 0,
    before: tuple[Block, ...] = (), after: tuple[Block, ...] = (),
) -> Proposal:
    """A proposal of one table (with paragraphs ``before`` and ``after`` it); ``unsure``: characters placed with a warning."""
    return Proposal(start, end, (*before, Table(tuple(rows)), *after), tuple(warnings), placed(rows) - 2 * unsure)


def paragraphs(region: Region) -> list[Paragraph]:
    """The region's lines as paragraphs: the lines of one source paragraph form one, stripped."""
    out: list[Paragraph] = []
    current, parts = -2, list[str]()
    for raw, source in zip(region.raw, region.source, strict=True):
        text = raw.strip()
        if not text:
            continue
        if source != current and parts:
            out.append(Paragraph("\n".join(parts)))
            parts = []
        current = source
        parts.append(text)
    if parts:
        out.append(Paragraph("\n".join(parts)))
    return out
