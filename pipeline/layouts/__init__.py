"""The layouts stage: Document -> Document, responsibility tables recovered from lines of text.

Real copies of these notices reach us as text in many shapes (docs/layouts.md):
cells after tabs, one cell per line, pipe or tab rows, cells run together,
numbered paragraphs with their units in parentheses or labelled lines. Each
shape is one *strategy*, a module that reads a region of lines and proposes
the blocks that explain it, with a score (:mod:`pipeline.layouts.base`):

=============  ========================================================
``tabcells``   a tab before every cell, a blank line after every row
``delimited``  a whole row per line, cells split on tabs or pipes
``cells``      one cell per line, rows recovered from the running 序号
``runon``      cells run together, split by the shapes of their text
``paras``      numbered paragraphs with labelled or bracketed units
=============  ========================================================

:func:`apply` turns every run of non-table blocks (the text reader's
:class:`~pipeline.model.Lines`, or the paragraphs of a Word, web or PDF
reader) into lines, cuts them into regions at table titles, attachment
lines and headers (:mod:`pipeline.layouts.regions`), and keeps in each
region the best-scoring proposal; the lines before and after it are read
again the same way, so a region may hold a table followed by a paragraph
list. Lines no strategy claims stay paragraphs. Tables already in the
document pass through untouched, and a run of paragraphs no strategy reads
is kept exactly as it was. What a strategy reads but cannot place is a
:class:`~pipeline.model.Warning` of stage ``layout`` in ``Document.warnings``.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.layouts import cells, delimited, paras, regions, runon, tabcells
from pipeline.layouts.base import Proposal, Region, paragraphs
from pipeline.model import Block, Document, Lines, Paragraph, Table, Warning
from pipeline.rules import Rules
from pipeline.simplified import to_simplified

Strategy = Callable[[Region, Rules], Proposal | None]

# In order of preference when two explain a region equally well.
STRATEGIES: tuple[Strategy, ...] = (
    tabcells.propose, delimited.propose_tabs, delimited.propose_pipes, cells.propose, runon.propose, paras.propose,
)


def apply(doc: Document, rules: Rules) -> Document:
    """``doc`` with its runs of lines and paragraphs read for tables (see the module doc)."""
    if all(isinstance(block, Table) for block in doc.blocks):
        return doc
    blocks: list[Block] = []
    warnings: list[Warning] = list(doc.warnings)
    run: list[Paragraph] = []

    def flush() -> None:
        if run:
            laid, found, read = _lay_out(_region(run), rules)
            blocks.extend(laid if read else run)
            warnings.extend(found)
            run.clear()

    for block in doc.blocks:
        if isinstance(block, Lines):
            flush()
            laid, found, _ = _lay_out(_lines(block), rules)
            blocks.extend(laid)  # always replaced
            warnings.extend(found)
        elif isinstance(block, Table):
            flush()
            blocks.append(block)
        else:
            run.append(block)
    flush()
    return Document(tuple(blocks), doc.source_format, tuple(warnings))


def _lines(block: Lines) -> Region:
    """A text's lines as they are, numbered from 1."""
    raw = tuple(block.lines)
    plain = tuple(to_simplified(block.text).split("\n"))
    return Region.of(raw, plain)


def _region(run: list[Paragraph]) -> Region:
    """The lines of a run of paragraphs, a blank line between two paragraphs."""
    raw: list[str] = []
    numbers: list[int] = []
    source: list[int] = []
    for number, block in enumerate(run, start=1):
        if raw:
            raw.append("")
            numbers.append(number)
            source.append(-1)
        for line in block.text.split("\n"):
            raw.append(line)
            numbers.append(number)
            source.append(number)
    plain = to_simplified("\n".join(raw)).split("\n")
    return Region.of(tuple(raw), tuple(plain), tuple(numbers), tuple(source), unit="paragraph")


def _lay_out(region: Region, rules: Rules) -> tuple[list[Block], list[Warning], bool]:
    """The blocks of every region of ``region``, their warnings, and whether any table was read."""
    blocks: list[Block] = []
    warnings: list[Warning] = []
    read = False
    for start, end in regions.split(region, rules):
        found, problems, any_table = _best(region.sub(start, end), rules)
        blocks.extend(found)
        warnings.extend(problems)
        read = read or any_table
    return blocks, warnings, read


def _best(region: Region, rules: Rules) -> tuple[list[Block], list[Warning], bool]:
    """The best proposal for the region, and the lines before and after it read again."""
    if not len(region):
        return [], [], False
    proposals = [
        proposal for strategy in STRATEGIES
        if (proposal := strategy(region, rules)) is not None and proposal.end > proposal.start and proposal.score > 0
    ]
    if not proposals:
        return list(paragraphs(region)), [], False
    best = max(proposals, key=lambda proposal: proposal.score)  # the first of equals: STRATEGIES' order
    before = _best(region.sub(0, best.start), rules)
    after = _best(region.sub(best.end, len(region)), rules)
    return (
        [*before[0], *best.blocks, *after[0]],
        [*before[1], *best.warnings, *after[1]],
        True,
    )
