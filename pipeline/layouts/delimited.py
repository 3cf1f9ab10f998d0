"""Delimited rows: a whole row on one line, cells split on tabs or on pipes.

::

    序号 | 主要工作任务 | 牵头单位 | 配合单位 |         序号<TAB>主要工作任务<TAB>牵头单位
    ---|---|---|---|                                  一、稳住经济增长
    一、稳住经济增长 | | | |                            1<TAB>全市……<TAB>市发展改革委
    1 | 全市……。 | 市发展改革委 | 市财政局 |            <TAB>建成……<TAB>市交通运输局
     | 建成……。 | 市交通运输局 | 各县（市、区）人民政府 |

The header is the first line whose cells are all column names. Empty cells
keep their places; a markdown separator line is skipped; a line without a
delimiter is a section row when it is a heading (一、…), otherwise it
continues a row that is still short of cells (a cell broken over two lines);
after a complete row it ends the table: 附件2, the next title or a note are
never glued into the last cell. A pipe row is complete when it ends with a
pipe, a tab row when it has as many cells as the header.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from pipeline.layouts.base import Proposal, Region, table_proposal
from pipeline.layouts.headers import header_kind, qualifies
from pipeline.rules import Rules

_TRAILING_SPACE = regex.compile(r"[^\S\t]+$")  # spaces at a line's end, but not tabs: they delimit cells


def propose_tabs(region: Region, rules: Rules) -> Proposal | None:
    text = region.plain_text
    # A tab after a cell's text (whole rows), not only tabs opening lines (tab cells): counted first.
    if text.count("\t") == text.count("\n\t") + text.startswith("\t"):
        return None
    if not any("\t" in line.strip() for line in region.raw):
        return None
    return _propose(region, rules, lambda line, _: _split_tabs(line), lambda line, cells, width: len(cells) >= width)


def propose_pipes(region: Region, rules: Rules) -> Proposal | None:
    pipes = rules.layouts.pipes
    text = region.plain_text
    if not any(pipe in text for pipe in pipes):
        return None

    def split(line: str, opening_pipe: bool) -> list[str] | None:
        return _split_pipes(line, opening_pipe, pipes)

    return _propose(region, rules, split, lambda line, cells, width: line.rstrip().endswith(pipes))


Split = Callable[[str, bool], list[str] | None]  # (line, rows open with a pipe) -> cells
Complete = Callable[[str, list[str], int], bool]


def _split_tabs(line: str) -> list[str] | None:
    if "\t" not in line.strip() and not (line.startswith("\t") and line.strip()):
        return None
    return [cell.strip() for cell in _TRAILING_SPACE.sub("", line).split("\t")]


def _split_pipes(line: str, opening_pipe: bool, pipes: tuple[str, ...]) -> list[str] | None:
    """Cells between pipes. When the table's rows open with a pipe (| a | b |) it is decoration,
    otherwise a pipe first on a line closes an empty first cell ( | 续行任务 | …)."""
    text = line.strip()
    if not any(pipe in text for pipe in pipes):
        return None
    text = text[1:] if opening_pipe and text[0] in pipes else text
    text = text[:-1] if text and text[-1] in pipes else text
    for pipe in pipes[1:]:
        text = text.replace(pipe, pipes[0])
    return [cell.strip() for cell in text.split(pipes[0])]


def _trimmed(cells: list[str]) -> list[str]:
    while len(cells) > 1 and not cells[-1]:
        cells = cells[:-1]
    return cells


def _header(region: Region, rules: Rules, split: Split) -> tuple[int, list[str], bool] | None:
    """The header line, its cells, and whether its row opens with a delimiter."""
    for index, line in enumerate(region.plain):
        opening = line.strip()[:1] in rules.layouts.pipes
        cells = split(line, opening)
        if cells is None:
            continue
        cells = _trimmed(cells)
        kinds = [header_kind(cell, rules) for cell in cells]
        if all(kinds) and qualifies(kinds):
            return index, _trimmed(split(region.raw[index], opening) or []), opening
    return None


def _propose(region: Region, rules: Rules, split: Split, complete: Complete) -> Proposal | None:
    found = _header(region, rules, split)
    if found is None:
        return None
    start, header, opening = found
    width = len(header)
    rows: list[list[str]] = [header]
    open_row = False  # the last row may still continue on the next line
    blanks = 0
    end = len(region)
    for index in range(start + 1, len(region)):
        raw, plain = region.raw[index], region.plain[index]
        if not raw.strip():
            blanks += 1
            if blanks >= 2:
                end = index
                break
            continue
        blanks = 0
        if rules.layouts.separator_line.match(plain):
            continue
        cells = split(raw, opening)
        starts_row = cells is not None and _starts_row(cells, rules)
        fits = len(rows[-1]) + (len(cells) - 1 if cells else 0) <= width
        if open_row and fits and not starts_row and not rules.tables.section.match(plain.strip()):
            pieces = cells if cells is not None else [raw.strip()]
            rows[-1][-1] = f"{rows[-1][-1]}\n{pieces[0]}"
            rows[-1].extend(pieces[1:])
            open_row = cells is None or not complete(raw, rows[-1], width)
            continue
        if cells is None:
            if not rules.tables.section.match(plain.strip()):
                end = index
                break
            cells = [raw.strip()]
        rows.append(_trimmed(cells) if len(cells) > width else cells)
        open_row = len(cells) > 1 and not complete(raw, cells, width)
    return table_proposal(start, end, [tuple(row) for row in rows], [])


def _starts_row(cells: list[str], rules: Rules) -> bool:
    """Does a line start a new row: an item number or a heading first, or an empty first cell (a continuation row)?"""
    text = cells[0].strip()
    if not text:
        return len(cells) > 1
    return bool(rules.tables.item_number.fullmatch(text) or rules.tables.section.match(text))
