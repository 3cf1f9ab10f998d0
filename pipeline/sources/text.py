"""Plain-text notices: tab-separated table cells, as government sites export them.

The layout this reads (the seed notice is an example)::

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
cells. A blank line followed by a cell starts a new row. A line without a
leading tab continues the last cell, unless it is plainly not part of the
table: it follows two or more blank lines, it is a note (注：…), or the next
cell line is a header (序号), so it must be the next table's title. The note
prefixes and the names of the 序号 column are ``rules/tables.yaml``.
"""

from __future__ import annotations

import re

from pipeline.model import Block, Document, Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources.decoding import decode
from pipeline.textnorm import squeeze

_TRAILING_SPACE = re.compile(r"[^\S\t]+$")  # spaces at a line's end, but not tabs: they start cells


def read(data: bytes, rules: Rules) -> Document:
    return parse(decode(data), rules)


def parse(text: str, rules: Rules) -> Document:
    return Document(blocks=tuple(_blocks(text.split("\n"), rules)), source_format="text")


def _is_header_cell(line: str, rules: Rules) -> bool:
    return squeeze(line) in rules.tables.number_headers


def _next_content_line(lines: list[str], start: int) -> str | None:
    for line in lines[start:]:
        if line.strip():
            return line
    return None


def _blocks(lines: list[str], rules: Rules) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[list[str]]] = []  # rows -> cells -> lines
    blanks = 0

    def close_table() -> None:
        if rows:
            blocks.append(
                Table(tuple(tuple("\n".join(cell) for cell in row) for row in rows))
            )
            rows.clear()

    for index, raw in enumerate(lines):
        line = _TRAILING_SPACE.sub("", raw)
        if line.startswith("\t"):
            cells = [[c.strip()] for c in line[1:].split("\t")]
            if not rows or blanks:
                rows.append(cells)
            else:
                rows[-1].extend(cells)
        elif not line.strip():
            blanks += 1
            continue
        elif "\t" in line.strip():
            # A whole row on one line: 1<TAB>任务<TAB>单位
            rows.append([[c.strip()] for c in line.strip().split("\t")])
        elif rows and not _ends_table(line, blanks, lines, index + 1, rules):
            rows[-1][-1].append(line.strip())
        else:
            close_table()
            blocks.append(Paragraph(line.strip()))
        blanks = 0
    close_table()
    return blocks


def _ends_table(line: str, blanks: int, lines: list[str], after: int, rules: Rules) -> bool:
    if blanks >= 2 or line.strip().startswith(rules.tables.note_prefixes):
        return True
    following = _next_content_line(lines, after)
    return following is not None and following.startswith("\t") and _is_header_cell(following, rules)
