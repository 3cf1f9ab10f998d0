"""Tab cells: every cell on its own line after a tab, a blank line ends a row (the seed's layout).

::

    表格标题
    <TAB>序号
    <TAB>主要工作任务
    <TAB>牵头单位
    <blank>
    <TAB>1
    <TAB>任务文本……
    <TAB>单位甲、
    <blank>
    单位乙                 <- no tab: the previous cell wrapped

A line starting with a tab starts a cell; further tabs on the line start more
cells. A tab line after a blank line starts a row. A line holding tabs only
inside is a whole row. A line without a tab continues the last cell, unless
it plainly is not part of the table: it follows two or more blank lines, it
is a note (注：…), or the next cell line is a header (序号), so it is the next
table's title. The table ends there.
"""

from __future__ import annotations

import re

from pipeline.layouts.base import Proposal, Region, table_proposal
from pipeline.rules import Rules
from pipeline.textnorm import squeeze

_TRAILING_SPACE = re.compile(r"[^\S\t]+$")  # spaces at a line's end, but not tabs: they start cells


def propose(region: Region, rules: Rules) -> Proposal | None:
    start = next((i for i, line in enumerate(region.raw) if line.startswith("\t")), None)
    if start is None:
        return None
    rows: list[list[str]] = []
    blanks = 0
    end = len(region)
    for index in range(start, len(region)):
        line = region.raw[index]
        if line[-1:].isspace():
            line = _TRAILING_SPACE.sub("", line)
        if line.startswith("\t"):
            cells = [cell.strip() for cell in line[1:].split("\t")]
            if not rows or blanks:
                rows.append(cells)
            else:
                rows[-1].extend(cells)
        elif not line.strip():
            blanks += 1
            continue
        elif "\t" in line.strip():
            rows.append([cell.strip() for cell in line.strip().split("\t")])
        elif not _ends_table(region, index, blanks, rules):
            rows[-1][-1] = f"{rows[-1][-1]}\n{line.strip()}"
        else:
            end = index
            break
        blanks = 0
    return table_proposal(start, end, [tuple(row) for row in rows], [])


def _ends_table(region: Region, index: int, blanks: int, rules: Rules) -> bool:
    if blanks >= 2 or region.plain[index].strip().startswith(rules.tables.note_prefixes):
        return True
    following = next((i for i in range(index + 1, len(region)) if not region.blank(i)), None)
    if following is None:
        return False
    line = region.plain[following]
    return line.startswith("\t") and squeeze(line) in rules.tables.number_headers
