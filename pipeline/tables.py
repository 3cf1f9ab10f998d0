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

from dataclasses import dataclass, replace

from pipeline import numerals
from pipeline.errors import NoResponsibilityTable
from pipeline.model import Document, Paragraph, Table
from pipeline.organisations import with_roles
from pipeline.rules import Rules, TableRules
from pipeline.textnorm import clean, squeeze

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
    units: tuple[tuple[str, str], ...]  # (organisation, role), in cell order
    leader: str | None = None  # a 责任领导 column: people, not units
    progress: str | None = None  # a 进展情况 column, kept apart from the task text


# ---------------------------------------------------------------- header row

def map_columns(row: tuple[str, ...], rules: TableRules) -> dict[str, int] | None:
    """Column kind -> index for a header row, or None when it is not one.

    >>> from pipeline.rules import load_rules
    >>> map_columns(("序 号", "主要工作任务", "牵头单位"), load_rules().tables)
    {'item_no': 0, 'task': 1, 'lead': 2}
    """
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        kind = _column_kind(squeeze(cell), rules)
        if kind and kind not in found:
            found[kind] = index
    if "item_no" not in found or not ({"task", "name", "content"} & found.keys()):
        return None
    return found


def _column_kind(header: str, rules: TableRules) -> str | None:
    if not header:
        return None
    for kind, aliases in rules.columns.items():
        if header in aliases:
            return kind
    # Longest alias contained in the header: 主要工作任务及目标 -> task.
    best = max(
        ((len(alias), kind) for kind, aliases in rules.columns.items() for alias in aliases if alias in header),
        default=None,
    )
    return best[1] if best else None


def _kind_from_title(title: str, rules: TableRules) -> str | None:
    for kind, words in rules.kinds:
        if any(word in title for word in words):
            return kind
    return None


def _kind_from_columns(row: tuple[str, ...], columns: dict[str, int], rules: TableRules) -> str:
    """Without a title: livelihood with a name or content column, else the task header's kind (专项行动)."""
    if "name" in columns or "content" in columns:
        return "livelihood"
    return _kind_from_title(squeeze(row[columns["task"]]), rules) or "key_work"


# ---------------------------------------------------------------- table walk

@dataclass(frozen=True)
class _Open:
    """A responsibility table being read (it may continue over several Table
    blocks) and where the reading stands: section and item of the last row."""

    kind: str
    header: tuple[str, ...]
    columns: dict[str, int]
    section: str | None = None
    section_no: int = 0
    item_no: int | None = None
    part_no: int = 0


def document_to_tasks(doc: Document, rules: Rules) -> list[Task]:
    """Every task row of every responsibility table in ``doc``."""
    tasks: list[Task] = []
    seen_ids: set[str] = set()
    recent: list[str] = []  # paragraphs since the last table
    current: _Open | None = None
    earlier: dict[str, _Open] = {}  # the last table read of each kind, as it ended
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                recent.append(block.text.strip())
            continue
        opened = _open_table(block, recent, current, earlier, rules)
        recent = []
        if opened is None:
            continue
        current, start = opened
        found, current = _read_rows(block.rows[start:], current, rules)
        earlier[current.kind] = current
        tasks.extend(_unique(task, seen_ids) for task in found)
    if not tasks:
        number = "/".join(rules.tables.number_headers)
        raise NoResponsibilityTable(f"no responsibility table found (no table with {number} and a task column)")
    return tasks


def _open_table(
    table: Table, recent: list[str], current: _Open | None, earlier: dict[str, _Open], rules: Rules
) -> tuple[_Open, int] | None:
    """Decide what ``table`` is: a new responsibility table, a continuation, or neither.

    Returns the table state and the index of the first data row.
    """
    titles = [p for p in recent if _could_be_title(p, rules)][-rules.tables.title_lookback :]
    for index, row in enumerate(table.rows[:4]):
        columns = map_columns(row, rules.tables)
        if columns is None:
            if _distinct(row):
                titles.append(_distinct(row)[0])
            continue
        titled = next(((t, k) for t in reversed(titles) if (k := _kind_from_title(t, rules.tables))), None)
        if current is not None and not titles and squeeze("".join(row)) == squeeze("".join(current.header)):
            return current, index + 1  # same table, continued (page break, split table)
        kind = titled[1] if titled else _kind_from_columns(row, columns, rules.tables)
        if kind not in earlier:
            return _Open(kind=kind, header=row, columns=columns), index + 1
        # A second table of a kind already read: its rows form a section of
        # their own, headed by its title, so their ids do not collide.
        section = titled[0] if titled else None
        return _Open(kind, row, columns, section, earlier[kind].section_no + 1), index + 1
    if current is not None and not titles:
        return current, 0  # a headerless continuation of the table above
    return None


def _could_be_title(text: str, rules: Rules) -> bool:
    """A short line that is not a sentence nor page furniture (— 3 —, 第3页)."""
    if len(text) > 60 or text.endswith((*rules.text.sentence_ends, *rules.text.lead_ins)):
        return False
    return not rules.text.page_number.match(text)


def _distinct(row: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for cell in row:
        text = clean(cell)
        if text and text not in out:
            out.append(text)
    return out


def _read_rows(rows: tuple[tuple[str, ...], ...], table: _Open, rules: Rules) -> tuple[list[Task], _Open]:
    """The tasks of ``rows`` and the table's state after them."""
    tasks: list[Task] = []
    for raw in rows:
        row = tuple(raw) + ("",) * (len(table.header) - len(raw))
        decision, value = _classify(row, table, rules)
        if decision == "end":
            break
        if decision == "skip":
            continue
        table = _advance(table, decision, value)
        if decision != "section":
            tasks.append(_task(row, table, rules))
    return tasks, table


def _classify(row: tuple[str, ...], table: _Open, rules: Rules) -> tuple[str, str | int | None]:
    """What a row is: ``skip`` (blank, repeated header), ``end`` (a note),
    ``section`` (its heading), ``item`` (its number, None when unreadable) or ``part``."""
    texts = _distinct(row)
    if not texts or squeeze("".join(row)) == squeeze("".join(table.header)):
        return "skip", None
    if texts[0].startswith(rules.tables.note_prefixes):
        return "end", None
    item_cell = squeeze(clean(row[table.columns["item_no"]]))
    number = _item_number(item_cell, rules)
    if number is None and len(texts) == 1 and (item_cell or rules.tables.section.match(texts[0])):
        return "section", texts[0]
    if number is not None or item_cell:  # a 序号 we cannot read as a number still starts an item
        return "item", number
    return "part", None


def _advance(table: _Open, decision: str, value: str | int | None) -> _Open:
    """The table state after a row of kind ``decision``."""
    if decision == "section":
        return replace(table, section=str(value), section_no=table.section_no + 1, item_no=None, part_no=0)
    if decision == "item":
        return replace(table, item_no=value if isinstance(value, int) else None, part_no=1)
    return replace(table, part_no=table.part_no + 1)


def _item_number(cell: str, rules: Rules) -> int | None:
    """The printed 序号: 12, 12., 12、, （12）, or a Chinese numeral 一、 / （三）.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [_item_number(c, rules) for c in ("12", "3.", "（4）", "", "二、", "十一", "一、总体要求")]
    [12, 3, 4, None, 2, 11, None]
    """
    match = rules.tables.item_number.fullmatch(cell)
    if not match:
        return None
    if match["arabic"]:
        return int(match["arabic"])
    return numerals.value(match["chinese"], rules.numerals)


def _task(row: tuple[str, ...], table: _Open, rules: Rules) -> Task:
    columns = table.columns

    def cell(kind: str) -> str | None:
        return clean(row[columns[kind]]) or None if kind in columns else None

    text = cell("task") if "task" in columns else cell("content") or cell("name")
    units: list[tuple[str, str]] = []
    for column in UNIT_COLUMNS:
        if column in columns:
            for unit in with_roles(row[columns[column]], column, rules):
                if unit not in units:
                    units.append(unit)
    item = table.item_no
    task_id = f"{table.kind}-{table.section_no}-{item if item is not None else 'x'}-{table.part_no}"
    return Task(
        table=table.kind,
        section=table.section,
        item_no=item,
        part_no=table.part_no,
        task_id=task_id,
        name=cell("name") if "task" not in columns else None,
        text=text,
        deadline=cell("deadline"),
        units=tuple(units),
    )


def _unique(task: Task, seen: set[str]) -> Task:
    task_id, copy = task.task_id, 1
    while task_id in seen:
        copy += 1
        task_id = f"{task.task_id}~{copy}"
    seen.add(task_id)
    return task if task_id == task.task_id else replace(task, task_id=task_id)
