"""Cut a run of lines into regions, each holding at most one table's start.

A region starts at an *anchor*: an attachment line (附件2), a table's title
(a short line holding a table-kind word of ``tables.yaml`` and a title word
of ``layouts.yaml``: 2024年民生实事项目责任分解), or the start of a header (a
line holding a name of the 序号 column). The strategies then read each
region on its own, so a notice whose tables come in different layouts, or a
table followed by a paragraph list, is read piece by piece.
"""

from __future__ import annotations

from pipeline.layouts.base import Region
from pipeline.layouts.headers import find_inline_header, header_kind
from pipeline.rules import Rules
from pipeline.textnorm import squeeze

MAX_TITLE = 60  # characters of a title line


def split(region: Region, rules: Rules) -> list[tuple[int, int]]:
    """The regions as (start, end) line ranges, in order, covering every line."""
    anchors = sorted({0, *_anchors(region, rules)})
    return [(start, end) for start, end in zip(anchors, [*anchors[1:], len(region)], strict=True) if end > start]


def _anchors(region: Region, rules: Rules) -> set[int]:
    layout = rules.layouts
    found = set(region.lines_matching(layout.attachment))
    found.update(i for i in region.lines_matching(layout.kind_word) if is_title(region.plain[i], rules))
    found.update(_header_starts(region, rules))
    return found


def is_title(line: str, rules: Rules) -> bool:
    """A short line naming a table: a table-kind word and a title word, not a sentence nor a heading.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> is_title("2024年民生实事项目责任分解", rules), is_title("一、重点工作", rules)
    (True, False)
    """
    text = line.strip()
    if not text or len(text) > MAX_TITLE or text.endswith(rules.text.sentence_ends) or line.startswith("\t"):
        return False
    layout = rules.layouts
    if not any(word in text for word in layout.kind_words) or not any(word in text for word in layout.title_words):
        return False
    return not (rules.tables.section.match(text) or layout.item_start.match(text))


def _header_starts(region: Region, rules: Rules) -> list[int]:
    starts = []
    for index in region.lines_matching(rules.layouts.number_header):
        line = region.plain[index]
        match = rules.layouts.number_header.search(line)
        if match is None:  # 序 and 号 on two lines
            continue
        if squeeze(line) in rules.tables.number_headers and line.startswith("\t"):
            starts.append(_title_above(region, index))
        elif squeeze(line) in rules.tables.number_headers:
            starts.append(_category_above(region, index, rules))
        elif _continues_a_chunk(region, index, rules):
            continue  # a header repeated inside an aggregator's chunk (2、…序号…): the table goes on
        elif _is_cell_break(line[: match.start()], rules) or find_inline_header(line, region.raw[index], rules):
            starts.append(index)
    return starts


def _continues_a_chunk(region: Region, index: int, rules: Rules) -> bool:
    """Does the line open with a chunk mark (2、) right after a line that opened with one too?"""
    if rules.layouts.chunk_marker.match(region.plain[index]) is None:
        return False
    above = next((i for i in range(index - 1, -1, -1) if not region.blank(i)), None)
    return above is not None and rules.layouts.chunk_marker.match(region.plain[above]) is not None


def _is_cell_break(before: str, rules: Rules) -> bool:
    """Nothing but spaces and cell delimiters before 序号 on the line (| 序号 | …)."""
    return not "".join(before.split()).strip("".join(rules.layouts.pipes))


def _category_above(region: Region, index: int, rules: Rules) -> int:
    """A header with one cell per line starts at a category cell (领域) printed before 序号."""
    above = next((i for i in range(index - 1, -1, -1) if not region.blank(i)), None)
    if above is not None and header_kind(region.plain[above], rules) == "category":
        return above
    return index


def _title_above(region: Region, index: int) -> int:
    """A tab header starts with its row's first cell (领域 before 序号), or the line above it when that
    line has no tab: the table's title."""
    while index > 0 and region.raw[index - 1].startswith("\t") and not region.blank(index - 1):
        index -= 1
    above = next((i for i in range(index - 1, -1, -1) if not region.blank(i)), None)
    if above is not None and not region.raw[above].startswith("\t"):
        return above
    return index
