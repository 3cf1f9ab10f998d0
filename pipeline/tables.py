"""Document -> task rows: find the responsibility tables and read their rows.

A responsibility table is a :class:`~pipeline.model.Table` whose header row
:func:`~pipeline.columns.map_columns` can read: 序号 and a task column, or a
task and a unit column with the numbers inside the task text. Columns are
mapped by header name (``rules/tables.yaml``), never by position. The table's
kind comes from its title: the paragraphs just above it, or a title row
inside it.

Row rules:

* a numbered row starts an item (part 1);
* a row with an empty 序号 continues the item above (part 2, 3, …) with its
  own text and units (the item's units when its unit cells are empty: merged
  with the row above);
* a row holding a single text that is not a number is a section heading;
  numbering may restart after it, and nested headings (一、 then （一）) join
  as ``一、… / （一）…``; a category column (领域) printed on the first row of
  its group is a heading too, and the later rows of the group, one cell
  short, are aligned to the header;
* a note (注：…) ends the table; a repeated header row is skipped.

What cannot be read whole (a unit cell with no name in it, a 序号 that is no
number, cells beyond the header, rows after a note) is a
:class:`~pipeline.model.Warning` of stage ``tables``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pipeline import numerals
from pipeline.columns import kind_from_columns, kind_from_title, map_columns
from pipeline.errors import NoResponsibilityTable
from pipeline.model import Document, Paragraph, Table, Warning
from pipeline.rules import Rules
from pipeline.simplified import to_simplified
from pipeline.task_rows import Task, build_task, first_listed_rule
from pipeline.textnorm import clean

__all__ = ["Task", "TasksRead", "document_to_tasks", "map_columns", "read_tasks"]

STAGE = "tables"


@dataclass(frozen=True)
class TasksRead:
    """The tasks of a document and what the tables stage could not read whole."""

    tasks: list[Task]
    warnings: list[Warning] = field(default_factory=list)


# ---------------------------------------------------------------- table walk

@dataclass(frozen=True)
class _Open:
    """A responsibility table being read (it may continue over several Table
    blocks) and where the reading stands: headings and item of the last row."""

    kind: str
    header: tuple[str, ...]
    columns: dict[str, int]
    headings: tuple[tuple[int, str], ...] = ()  # (nesting level, heading), outermost first
    section_no: int = 0
    item_no: int | None = None
    part_no: int = 0
    numbered: bool = False  # an item number was read in this table

    header_text: str = ""  # the header row as one string, spaces removed, simplified (set on creation)

    def __post_init__(self) -> None:
        if not self.header_text:
            object.__setattr__(self, "header_text", _squeezed(self.header))

    @property
    def section(self) -> str | None:
        return " / ".join(text for _, text in self.headings) or None


@dataclass
class _Reading:
    """What the walk over one document carries from table to table."""

    rules: Rules
    first_listed: bool
    tasks: list[Task] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    seen_ids: set[str] = field(default_factory=set)

    def warn(self, where: str, what: str) -> None:
        self.warnings.append(Warning(stage=STAGE, where=where, what=what))


def document_to_tasks(doc: Document, rules: Rules) -> list[Task]:
    """Every task row of every responsibility table in ``doc``."""
    return read_tasks(doc, rules).tasks


def read_tasks(doc: Document, rules: Rules) -> TasksRead:
    """Every task row of every responsibility table in ``doc``, with the warnings."""
    reading = _Reading(rules=rules, first_listed=first_listed_rule(doc, rules))
    recent: list[str] = []  # paragraphs since the last table
    current: _Open | None = None
    earlier: dict[str, _Open] = {}  # the last table read of each kind, as it ended
    number = 0
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                recent.append(block.text.strip())
            continue
        number += 1
        opened = _open_table(block, recent, current, earlier, rules)
        recent = []
        if opened is None:
            continue
        current, start = opened
        current = _read_rows(block.rows, start, current, f"table {number}", reading)
        earlier[current.kind] = current
    if not reading.tasks:
        headers = "/".join(rules.tables.number_headers)
        raise NoResponsibilityTable(f"no responsibility table found (no table with {headers} and a task column)")
    return TasksRead(tasks=reading.tasks, warnings=reading.warnings)


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
        titled = next(((t, k) for t in reversed(titles) if (k := kind_from_title(t, rules.tables))), None)
        if current is not None and not titles and _squeezed(row) == current.header_text:
            return current, index + 1  # same table, continued (page break, split table)
        kind = titled[1] if titled else kind_from_columns(row, columns, rules.tables)
        if kind not in earlier:
            return _Open(kind=kind, header=row, columns=columns), index + 1
        # A second table of a kind already read: its rows form a section of
        # their own, headed by its title, so their ids do not collide.
        headings = ((len(rules.tables.section_levels), titled[0]),) if titled else ()
        return _Open(kind, row, columns, headings, earlier[kind].section_no + 1), index + 1
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


def _squeezed(row: tuple[str, ...]) -> str:
    return to_simplified("".join("".join(row).split()))


def _read_rows(rows: tuple[tuple[str, ...], ...], start: int, table: _Open, where: str, reading: _Reading) -> _Open:
    """Read ``rows[start:]`` into ``reading``; the table's state after them."""
    rules = reading.rules
    for index in range(start, len(rows)):
        at = f"{where}, row {index + 1}"
        row = _aligned(rows[index], table, rules)
        category = _cell(row, table, "category")
        if category and len(_distinct(row)) > 1:  # the first row of a category's group
            table = _with_heading(table, clean(category), rules)
            row = tuple("" if n == table.columns["category"] else cell for n, cell in enumerate(row))
        if len(rows[index]) > len(table.header) and any(c.strip() for c in rows[index][len(table.header) :]):
            reading.warn(at, f"{len(rows[index])} cells under a header of {len(table.header)}: the extra cells are not read")
        decision, value = _classify(row, table, rules)
        if decision == "end":
            later = sum(1 for rest in rows[index + 1 :] if _distinct(rest))
            if later:
                rows_after = "1 row" if later == 1 else f"{later} rows"
                reading.warn(at, f"{rows_after} after the note under the table not read")
            break
        if decision == "skip":
            continue
        table = _advance(table, decision, value, rules)
        if decision != "section":
            _add_task(row, decision, value, table, at, reading)
    return table


def _add_task(row: tuple[str, ...], decision: str, value: str | int | None, table: _Open, at: str, reading: _Reading) -> None:
    """The task of an item or part row, and the warnings about it."""
    if decision == "item" and value is None:
        reading.warn(at, f"item number {_cell(row, table, 'item_no')!r} is not a number")
    if decision == "part" and table.item_no is None and table.part_no == 1:
        reading.warn(at, "a row without an item number before any numbered row")
    place = (table.section, table.section_no, table.item_no, table.part_no)
    built = build_task(row, table.kind, table.columns, place, reading.rules, reading.first_listed)
    for problem in built.problems:
        reading.warn(at, problem)
    task = built.task
    if decision == "part" and table.part_no > 1 and not task.units and _no_units(row, table):
        # The unit cell was merged with the rows above: the item's units hold.
        task = replace(task, units=reading.tasks[-1].units)
    reading.tasks.append(_unique(task, reading.seen_ids))


def _no_units(row: tuple[str, ...], table: _Open) -> bool:
    return not any(_cell(row, table, kind) for kind in ("lead", "responsible", "support"))


def _cell(row: tuple[str, ...], table: _Open, kind: str) -> str:
    return row[table.columns[kind]].strip() if kind in table.columns else ""


def _aligned(raw: tuple[str, ...], table: _Open, rules: Rules) -> tuple[str, ...]:
    """The row padded to the header's width; a row whose category cell was merged
    with the rows above (one cell short, or its 序号 standing in the category's
    place) gets an empty category cell."""
    width = len(table.header)
    row = tuple(raw)
    category = table.columns.get("category")
    if category is not None and len(_distinct(row)) > 1:
        item = table.columns.get("item_no")
        if len(row) == width - 1:
            row = (*row[:category], "", *row[category:])
        elif (
            item is not None and item == category + 1 and len(row) == width and not row[-1].strip()
            and _item_number(row[category], rules) is not None and _item_number(row[item], rules) is None
        ):
            row = (*row[:category], "", *row[category:-1])
    return row + ("",) * (width - len(row))


def _classify(row: tuple[str, ...], table: _Open, rules: Rules) -> tuple[str, str | int | None]:
    """What a row is: ``skip`` (blank, repeated header), ``end`` (a note),
    ``section`` (its heading), ``item`` (its number, None when unreadable) or ``part``."""
    texts = _distinct(row)
    if not texts or _squeezed(row) == table.header_text:
        return "skip", None
    first = to_simplified(texts[0])
    if first.startswith(rules.tables.note_prefixes):
        return "end", None
    if _cell(row, table, "category") and len(texts) == 1:
        return "section", texts[0]
    if "item_no" not in table.columns:
        return _classify_by_text(row, texts, table, rules)
    item_cell = "".join(_cell(row, table, "item_no").split())
    number = _item_number(item_cell, rules)
    if number is None and len(texts) == 1 and (item_cell or rules.tables.section.match(first)):
        return "section", texts[0]
    if number is not None and len(texts) == 2 and _numbered_heading(item_cell, row, table, rules):
        # 一 | 经济发展, nothing else: a heading split over the 序号 and task cells
        joiner = rules.tables.heading_joiner if item_cell[-1].isalnum() else ""
        return "section", item_cell + joiner + clean(_cell(row, table, "task"))
    if number is not None or item_cell:  # a 序号 we cannot read as a number still starts an item
        return "item", number
    return "part", None


def _numbered_heading(item_cell: str, row: tuple[str, ...], table: _Open, rules: Rules) -> bool:
    """A Chinese-numeral 序号 (一, 二、) beside a task text and no other cell: a heading."""
    match = rules.tables.item_number.fullmatch(to_simplified(item_cell))
    return bool(match and match["chinese"] and _cell(row, table, "task"))


def _classify_by_text(row: tuple[str, ...], texts: list[str], table: _Open, rules: Rules) -> tuple[str, str | int | None]:
    """A table without a 序号 column: the number printed at the task text's start."""
    if len(texts) == 1 and rules.tables.section.match(to_simplified(texts[0])):
        return "section", texts[0]
    match = rules.tables.text_item_number.match(_cell(row, table, "task"))
    if match:
        return "item", int(match["arabic"])
    return ("part", None) if table.numbered else ("item", "")


def _advance(table: _Open, decision: str, value: str | int | None, rules: Rules) -> _Open:
    """The table state after a row of kind ``decision``."""
    if decision == "section":
        return _with_heading(table, str(value), rules)
    if decision == "item":
        number = value if isinstance(value, int) else None
        return replace(table, item_no=number, part_no=1, numbered=table.numbered or number is not None)
    return replace(table, part_no=table.part_no + 1)


def _with_heading(table: _Open, heading: str, rules: Rules) -> _Open:
    """The state after a section heading: it replaces the headings at its level and inside it."""
    levels = rules.tables.section_levels
    simplified = to_simplified(heading)
    level = next((n for n, pattern in enumerate(levels) if pattern.match(simplified)), None)
    headings: tuple[tuple[int, str], ...]
    if level is None:  # a heading of no known level replaces every heading, and any heading replaces it
        headings = ((len(levels), heading),)
    else:
        headings = (*(h for h in table.headings if h[0] < level), (level, heading))
    return replace(table, headings=headings, section_no=table.section_no + 1, item_no=None, part_no=0)


def _item_number(cell: str, rules: Rules) -> int | None:
    """The printed 序号: 12, 12., 12、, （12）, or a Chinese numeral 一、 / （三）.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [_item_number(c, rules) for c in ("12", "3.", "（4）", "", "二、", "十一", "一、总体要求")]
    [12, 3, 4, None, 2, 11, None]
    """
    match = rules.tables.item_number.fullmatch(to_simplified("".join(cell.split())))
    if not match:
        return None
    if match["arabic"]:
        return int(match["arabic"])
    return numerals.value(match["chinese"], rules.numerals)


def _unique(task: Task, seen: set[str]) -> Task:
    task_id, copy = task.task_id, 1
    while task_id in seen:
        copy += 1
        task_id = f"{task.task_id}~{copy}"
    seen.add(task_id)
    return task if task_id == task.task_id else replace(task, task_id=task_id)
