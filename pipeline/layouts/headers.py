"""Header cells: which column a cell names, whether cells form a table's header, and headers run together.

A header cell is a column name of ``rules/tables.yaml`` (``columns``, the one
list of header words the tables stage maps columns by), matched with all
whitespace removed (``主 要 工 作 任 务``) in simplified characters, exactly or,
for a longer cell, by the longest name it contains (``2022年预期目标``). Each
column kind has a *shape*, what its cells look like, which the strategies use
to place cells that nothing delimits.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.rules import Rules
from pipeline.textnorm import squeeze

MAX_HEADER_CELL = 12  # characters: a longer cell is data, even when it holds a column name
MIN_INLINE_WORDS = 3  # a run-together header holds 序号 and at least two more column names
MAX_QUALIFIER = 4  # characters before a run-together column name that qualify it (区政府|分管领导)
QUALIFIED_KINDS = frozenset({"leader", "lead", "responsible", "support", "deadline"})
_HAN = regex.compile(r"\p{Han}+")

# Column kind (tables.yaml) -> the shape of its cells.
SHAPES = {
    "item_no": "number", "task": "text", "content": "text", "requirement": "text", "name": "name",
    "lead": "units", "responsible": "units", "support": "units", "deadline": "deadline",
    "leader": "person", "category": "category", "progress": "free", "remarks": "free",
}
TEXT_KINDS = frozenset({"task", "content", "name", "requirement"})
UNIT_KINDS = frozenset({"lead", "responsible", "support"})


def header_kind(cell: str, rules: Rules) -> str | None:
    """The column kind a header cell names (``cell`` in simplified characters), or None.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [header_kind(c, rules) for c in ("序  号", "主 要 工 作 任 务", "2022年预期目标", "责任领导", "1", "市财政局")]
    ['item_no', 'task', 'task', 'leader', None, None]
    """
    key = squeeze(cell)
    if not key or len(key) > MAX_HEADER_CELL or key.isdigit():
        return None
    kinds = rules.layouts.header_kinds
    if key in kinds:
        return kinds[key]
    if any(end in key for end in rules.text.sentence_ends):
        return None
    contained = [word for word in kinds if word in key]
    return kinds[max(contained, key=len)] if contained else None


def qualifies(kinds: list[str | None]) -> bool:
    """Do cells of these kinds head a responsibility table: a task column, and 序号 or a unit column?"""
    named = {kind for kind in kinds if kind}
    if len([kind for kind in kinds if kind]) < 2 or not named & TEXT_KINDS:
        return False
    return "item_no" in named or bool(named & UNIT_KINDS)


def shapes(kinds: list[str | None]) -> list[str]:
    return [SHAPES.get(kind or "", "free") for kind in kinds]


@dataclass(frozen=True)
class InlineHeader:
    start: int  # offsets into the line
    end: int
    cells: tuple[str, ...]  # as written
    kinds: tuple[str | None, ...]


def find_inline_header(plain: str, raw: str, rules: Rules, start: int = 0) -> InlineHeader | None:
    """The first header run together in a line (序号主要工作任务牵头单位…), from ``start``.

    >>> from pipeline.rules import load_rules
    >>> find_inline_header("附件1序号专项行动责任单位一、", "附件1序号专项行动责任单位一、", load_rules()).cells
    ('序号', '专项行动', '责任单位')
    """
    found: InlineHeader | None = None
    for alias in rules.tables.number_headers:
        at = plain.find(alias, start)
        while at >= 0 and (found is None or at < found.start):
            header = _read_inline(plain, raw, at, len(alias), rules)
            if header is not None:
                found = header
                break
            at = plain.find(alias, at + 1)
    return found


def _read_inline(plain: str, raw: str, at: int, first: int, rules: Rules) -> InlineHeader | None:
    cells = [raw[at : at + first]]
    kinds: list[str | None] = ["item_no"]
    position = at + first
    while True:
        while position < len(plain) and plain[position].isspace():
            position += 1
        match = rules.layouts.header_word.match(plain, position)
        if match is None:
            match = _qualified(plain, position, rules)
            if match is None:
                break
        cells.append(raw[position : match.end()])
        kinds.append(rules.layouts.header_kinds[match.group()])
        position = match.end()
    if len(cells) < MIN_INLINE_WORDS or not qualifies(kinds):
        return None
    return InlineHeader(at, position, tuple(cells), tuple(kinds))


def _qualified(plain: str, position: int, rules: Rules) -> regex.Match[str] | None:
    """A column name of people, units or deadlines after a few characters qualifying it (区政府分管领导)."""
    match = rules.layouts.header_word.search(plain, position + 1, position + MAX_QUALIFIER + MAX_HEADER_CELL)
    if match is None or match.start() - position > MAX_QUALIFIER or not _HAN.fullmatch(plain, position, match.start()):
        return None
    return match if rules.layouts.header_kinds[match.group()] in QUALIFIED_KINDS else None
