"""What a layout strategy reads and what it proposes.

A :class:`Region` is a stretch of lines (of a text notice, or of a run of
paragraphs from any reader). A strategy reads it and returns a
:class:`Proposal`: the blocks (paragraphs and tables) that explain lines
``start:end`` of the region, the warnings for what it could not place, and a
score, the number of characters it placed in table cells less twice those it
could only place with a warning. The stage keeps the best proposal.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

import regex

from pipeline.model import Block, Paragraph, Table, Warning

STAGE = "layout"


class Text:
    """A run's lines joined once and searched once per pattern: every region of the run shares it."""

    def __init__(self, plain: tuple[str, ...]) -> None:
        self.text = "\n".join(plain)
        self.starts = [0, *accumulate(len(line) + 1 for line in plain[:-1])]  # where each line starts
        self._found: dict[regex.Pattern[str], list[int]] = {}

    def lines(self, pattern: regex.Pattern[str]) -> list[int]:
        """The lines where ``pattern`` matches, in order."""
        if pattern not in self._found:
            found = {bisect_right(self.starts, match.start()) - 1 for match in pattern.finditer(self.text)}
            self._found[pattern] = sorted(found)
        return self._found[pattern]


@dataclass(frozen=True, eq=False)
class Region:
    raw: tuple[str, ...]  # the lines as written
    plain: tuple[str, ...]  # the same lines in simplified characters (same lengths): for matching
    numbers: tuple[int, ...]  # each line's number (or its paragraph's), for warnings
    source: tuple[int, ...]  # the paragraph each line belongs to when no table claims it (-1: a blank)
    unit: str  # what numbers count: "line" or "paragraph"
    text: Text  # the whole run's, shared by its regions
    offset: int = 0  # where the region starts in the run

    @classmethod
    def of(
        cls, raw: tuple[str, ...], plain: tuple[str, ...] | None = None, numbers: tuple[int, ...] | None = None,
        source: tuple[int, ...] | None = None, unit: str = "line",
    ) -> Region:
        """A run's region: every line, numbered from 1 unless told otherwise."""
        plain = raw if plain is None else plain
        numbers = tuple(range(1, len(raw) + 1)) if numbers is None else numbers
        return cls(raw, plain, numbers, numbers if source is None else source, unit, Text(plain))

    def __len__(self) -> int:
        return len(self.raw)

    def sub(self, start: int, end: int) -> Region:
        return Region(
            self.raw[start:end], self.plain[start:end], self.numbers[start:end], self.source[start:end],
            self.unit, self.text, self.offset + start,
        )

    def blank(self, index: int) -> bool:
        return not self.raw[index].strip()

    @property
    def plain_text(self) -> str:
        """The region's lines in simplified characters, joined: for quick checks."""
        if not self.raw:
            return ""
        starts = self.text.starts
        last = self.offset + len(self.raw) - 1
        return self.text.text[starts[self.offset] : starts[last] + len(self.plain[-1])]

    def lines_matching(self, pattern: regex.Pattern[str]) -> list[int]:
        """The region's lines where ``pattern`` matches (the run's text is searched once), in order."""
        found = self.text.lines(pattern)
        low, high = bisect_left(found, self.offset), bisect_left(found, self.offset + len(self.raw))
        return [index - self.offset for index in found[low:high]]

    def warning(self, index: int, what: str) -> Warning:
        where = f"{self.unit} {self.numbers[min(index, len(self.numbers) - 1)]}"
        return Warning(stage=STAGE, where=where, what=what)


@dataclass(frozen=True)
class Proposal:
    start: int  # the lines [start, end) of the region the blocks explain
    end: int
    blocks: tuple[Block, ...]
    warnings: tuple[Warning, ...]
    score: float


def placed(rows: list[tuple[str, ...]] | tuple[tuple[str, ...], ...]) -> int:
    """The characters in a table's cells."""
    return sum(len(cell) for row in rows for cell in row)


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
