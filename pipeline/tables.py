"""Document -> task rows: find the responsibility tables and read their rows.

A responsibility table is a :class:`~pipeline.model.Table` with a header row
holding 序号 and a task column. Columns are mapped by header name
(``rules/tables.yaml``), never by position. The table's kind comes from its
title: the paragraphs just above it, or a title row inside it.

Row rules:

* a numbered row starts an item (part 1);
* a row with an empty 序号 continues the item above (part 2, 3, …) with its
  own text and units;
* a row holding a single text that is not a number is a section heading;
  numbering may restart after it;
* a note (注：…) ends the table; a repeated header row is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from pipeline import rules
from pipeline.errors import NoResponsibilityTable
from pipeline.model import Document, Paragraph, Table
from pipeline.numbers import chinese_number
from pipeline.textnorm import clean, squeeze
from pipeline.units import SCHEMA, with_roles

TABLE_KINDS = ("key_work", "special_action", "livelihood")
UNIT_COLUMNS = ("lead", "responsible", "support")


@dataclass(frozen=True)
class Task:
    table: str
    section: str | None
    item_no: int | None
    part_no: int
    task_id: str
    name: str | None
    text: str | None
    deadline: str | None
    units: tuple[tuple[str, str], ...]  # (unit, role), in cell order


@dataclass(frozen=True)
class TableRules:
    columns: dict[str, tuple[str, ...]]
    kinds: tuple[tuple[str, tuple[str, ...]], ...]
    title_lookback: int
    section: regex.Pattern[str]
    note_prefixes: tuple[str, ...]


@rules.cached
def table_rules() -> TableRules:
    name = "tables.yaml"
    data = rules.load(name, SCHEMA)
    columns = {}
    for kind, aliases in data["columns"].items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise rules.RuleError(f"rules/{name}: key 'columns.{kind}' should list header names")
        columns[kind] = tuple(squeeze(a) for a in aliases)
    for required in ("item_no", "task", "name", "content", *UNIT_COLUMNS, "deadline"):
        if required not in columns:
            raise rules.RuleError(f"rules/{name}: key 'columns.{required}' is missing")
    kinds = []
    for kind, words in data["table_kinds"].items():
        if kind not in TABLE_KINDS or not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise rules.RuleError(f"rules/{name}: key 'table_kinds.{kind}' should be one of {TABLE_KINDS}")
        kinds.append((kind, tuple(words)))
    try:
        section = regex.compile(data["section_pattern"])
    except regex.error as exc:
        raise rules.RuleError(f"rules/{name}: key 'section_pattern' is not a valid regex ({exc})") from None
    return TableRules(
        columns=columns,
        kinds=tuple(kinds),
        title_lookback=data["title_lookback"],
        section=section,
        note_prefixes=tuple(rules.string_list(data, "note_prefixes", name)),
    )


# ---------------------------------------------------------------- header row

def map_columns(row: tuple[str, ...], r: TableRules) -> dict[str, int] | None:
    """Column kind -> index for a header row, or None when it is not one.

    >>> map_columns(("序 号", "主要工作任务", "牵头单位"), table_rules())
    {'item_no': 0, 'task': 1, 'lead': 2}
    """
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        kind = _column_kind(squeeze(cell), r)
        if kind and kind not in found:
            found[kind] = index
    if "item_no" not in found or not ({"task", "name", "content"} & found.keys()):
        return None
    return found


def _column_kind(header: str, r: TableRules) -> str | None:
    if not header:
        return None
    for kind, aliases in r.columns.items():
        if header in aliases:
            return kind
    # Longest alias contained in the header: 主要工作任务及目标 -> task.
    best = max(
        ((len(alias), kind) for kind, aliases in r.columns.items() for alias in aliases if alias in header),
        default=None,
    )
    return best[1] if best else None


def _kind_from_title(title: str, r: TableRules) -> str | None:
    for kind, words in r.kinds:
        if any(word in title for word in words):
            return kind
    return None


def _kind_from_columns(row: tuple[str, ...], columns: dict[str, int]) -> str:
    if "name" in columns or "content" in columns:
        return "livelihood"
    if "专项行动" in squeeze(row[columns["task"]]):
        return "special_action"
    return "key_work"


# ---------------------------------------------------------------- table walk

@dataclass
class _Open:
    """A responsibility table being read; may continue over several Table blocks."""

    kind: str
    header: tuple[str, ...]
    columns: dict[str, int]
    section: str | None = None
    section_no: int = 0
    item_no: int | None = None
    part_no: int = 0


def document_to_tasks(doc: Document) -> list[Task]:
    """Every task row of every responsibility table in ``doc``."""
    r = table_rules()
    tasks: list[Task] = []
    seen_ids: set[str] = set()
    recent: list[str] = []  # paragraphs since the last table
    current: _Open | None = None
    earlier: dict[str, _Open] = {}  # the last table read of each kind
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                recent.append(block.text.strip())
            continue
        opened = _open_table(block, recent, current, earlier, r)
        recent = []
        if opened is None:
            continue
        current, start = opened
        earlier[current.kind] = current
        for task in _read_rows(block.rows[start:], current, r):
            tasks.append(_unique(task, seen_ids))
    if not tasks:
        raise NoResponsibilityTable("no responsibility table found (no table with 序号 and a task column)")
    return tasks


def _open_table(
    table: Table, recent: list[str], current: _Open | None, earlier: dict[str, _Open], r: TableRules
) -> tuple[_Open, int] | None:
    """Decide what ``table`` is: a new responsibility table, a continuation, or neither.

    Returns the table state and the index of the first data row.
    """
    titles = [p for p in recent if _could_be_title(p)][-r.title_lookback :]
    for index, row in enumerate(table.rows[:4]):
        columns = map_columns(row, r)
        if columns is None:
            if _distinct(row):
                titles.append(_distinct(row)[0])
            continue
        titled = next(((t, k) for t in reversed(titles) if (k := _kind_from_title(t, r))), None)
        if current is not None and not titles and squeeze("".join(row)) == squeeze("".join(current.header)):
            return current, index + 1  # same table, continued (page break, split table)
        kind = titled[1] if titled else _kind_from_columns(row, columns)
        opened = _Open(kind=kind, header=row, columns=columns)
        if kind in earlier:
            # A second table of a kind already read: its rows form a section of
            # their own, headed by its title, so their ids do not collide.
            opened.section_no = earlier[kind].section_no + 1
            opened.section = titled[0] if titled else None
        return opened, index + 1
    if current is not None and not titles:
        return current, 0  # a headerless continuation of the table above
    return None


def _could_be_title(text: str) -> bool:
    """A short line that is not a sentence nor page furniture (— 3 —, 第3页)."""
    if len(text) > 60 or text.endswith(("。", "；", "：", ":")):
        return False
    return not regex.fullmatch(r"[\s—–\-－]*(?:第\s*)?\d+\s*(?:页)?(?:\s*/\s*\d+)?[\s—–\-－]*", text)


def _distinct(row: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for cell in row:
        text = clean(cell)
        if text and text not in out:
            out.append(text)
    return out


def _read_rows(rows: tuple[tuple[str, ...], ...], t: _Open, r: TableRules) -> Iterator[Task]:
    width = len(t.header)
    header_key = squeeze("".join(t.header))
    for raw in rows:
        row = tuple(raw) + ("",) * (width - len(raw))
        texts = _distinct(row)
        if not texts or squeeze("".join(row)) == header_key:
            continue
        if texts[0].startswith(r.note_prefixes):
            return
        item_cell = squeeze(clean(row[t.columns["item_no"]]))
        number = _item_number(item_cell)
        if number is None and len(texts) == 1 and (item_cell or r.section.match(texts[0])):
            t.section, t.section_no = texts[0], t.section_no + 1
            t.item_no, t.part_no = None, 0
            continue
        if number is not None:
            t.item_no, t.part_no = number, 1
        elif item_cell:  # a 序号 we cannot read as a number still starts an item
            t.item_no, t.part_no = None, 1
        else:
            t.part_no += 1
        yield _task(row, t)


def _item_number(cell: str) -> int | None:
    """The printed 序号: 12, 12., 12、, （12）, or a Chinese numeral 一、 / （三）.

    >>> [_item_number(c) for c in ("12", "3.", "（4）", "", "二、", "十一", "一、总体要求")]
    [12, 3, 4, None, 2, 11, None]
    """
    match = regex.fullmatch(r"[（(]?(?:(?P<arabic>\d{1,4})|(?P<chinese>[一二三四五六七八九十百]{1,4}))[)）.．、]?", cell)
    if not match:
        return None
    if match["arabic"]:
        return int(match["arabic"])
    value = chinese_number(match["chinese"])
    return int(value) if value is not None else None


def _task(row: tuple[str, ...], t: _Open) -> Task:
    c = t.columns

    def cell(kind: str) -> str | None:
        return clean(row[c[kind]]) or None if kind in c else None

    text = cell("task") if "task" in c else cell("content") or cell("name")
    units: list[tuple[str, str]] = []
    for column in UNIT_COLUMNS:
        if column in c:
            for unit in with_roles(row[c[column]], column):
                if unit not in units:
                    units.append(unit)
    item = t.item_no
    task_id = f"{t.kind}-{t.section_no}-{item if item is not None else 'x'}-{t.part_no}"
    return Task(
        table=t.kind,
        section=t.section,
        item_no=item,
        part_no=t.part_no,
        task_id=task_id,
        name=cell("name") if "task" not in c else None,
        text=text,
        deadline=cell("deadline"),
        units=tuple(units),
    )


def _unique(task: Task, seen: set[str]) -> Task:
    task_id, n = task.task_id, 1
    while task_id in seen:
        n += 1
        task_id = f"{task.task_id}~{n}"
    seen.add(task_id)
    if task_id == task.task_id:
        return task
    return Task(**{**task.__dict__, "task_id": task_id})
