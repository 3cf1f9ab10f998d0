"""One table row -> one :class:`Task`: what its cells mean, by their column kind.

* the task text is the task cell, else the project content or name; an
  indicator name beside its requirement (任务名称 + 指标要求) gives both joined,
  the name staying in ``name``; in a table without a 序号 column the number
  printed at the text's start is dropped (it is the item number);
* units come from the 牵头单位, 责任单位 and 配合单位 cells
  (:mod:`pipeline.organisations`); when a row has both a 牵头单位 and a
  责任单位 cell, the 责任单位 units support, and a unit listed in both is listed
  once, as lead;
* a leader cell (责任领导: people) goes to ``leader`` and a progress cell
  (进展情况) to ``progress``: never units, text or targets.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Document, Paragraph
from pipeline.organisations import with_roles
from pipeline.rules import Rules
from pipeline.simplified import to_simplified
from pipeline.textnorm import clean

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


@dataclass(frozen=True)
class BuiltTask:
    task: Task
    problems: tuple[str, ...]  # what the row's cells did not give whole


Place = tuple[str | None, int, int | None, int]  # section, section number, item number, part number


def first_listed_rule(doc: Document, rules: Rules) -> bool:
    """Does the notice say that the first unit listed in a 责任单位 cell leads
    (列第一位的为牵头单位), in a paragraph or in a cell?"""
    texts = (
        text for block in doc.blocks
        for text in ([block.text] if isinstance(block, Paragraph) else [cell for row in block.rows for cell in row])
    )
    # One string, a line per paragraph or cell, spaces removed: one search over the notice.
    whole = to_simplified("\n".join("".join(text.split()) for text in texts))
    return bool(rules.tables.organisations.first_listed.search(whole))


def build_task(
    row: tuple[str, ...], kind: str, columns: dict[str, int], place: Place, rules: Rules, first_listed: bool
) -> BuiltTask:
    """The task of one row (padded to the header's width) at ``place`` in a table of ``kind``."""

    def cell(column: str) -> str | None:
        return clean(row[columns[column]]) or None if column in columns else None

    name = cell("name") if "task" not in columns else None
    if "task" in columns:
        text = cell("task")
        if "item_no" not in columns and text:
            text = rules.tables.text_item_number.sub("", text, count=1) or None
    elif "requirement" in columns:
        text = "".join(part for part in (cell("name"), cell("requirement")) if part) or None
    else:
        text = cell("content") or cell("name")
    units, problems = _units(row, columns, rules, first_listed)
    if text is None and units:
        problems.append("a row with units but no task text")
    section, section_no, item, part = place
    task_id = f"{kind}-{section_no}-{item if item is not None else 'x'}-{part}"
    task = Task(
        table=kind,
        section=section,
        item_no=item,
        part_no=part,
        task_id=task_id,
        name=name,
        text=text,
        deadline=cell("deadline"),
        units=tuple(units),
        leader=cell("leader"),
        progress=cell("progress"),
    )
    return BuiltTask(task=task, problems=tuple(problems))


def _units(
    row: tuple[str, ...], columns: dict[str, int], rules: Rules, first_listed: bool
) -> tuple[list[tuple[str, str]], list[str]]:
    """The units of a row's unit cells with their roles, each unit once; and the cells
    that held text but no unit name."""
    units: list[tuple[str, str]] = []
    problems: list[str] = []
    for column in UNIT_COLUMNS:
        if column not in columns:
            continue
        written = row[columns[column]]
        # Beside a 牵头单位 cell naming units, the row's 责任单位 cell lists the others: they support.
        # A row whose 牵头单位 cell is empty reads its 责任单位 cell as any other (a paragraph notice's
        # table has both columns when some of its tasks have a 牵头单位 label and others do not).
        beside_lead = column == "responsible" and any(role == "lead" for _, role in units)
        found = with_roles(written, "support" if beside_lead else column, rules, first_listed)
        if not found and _names_something(written, rules):
            problems.append(f"unit cell {clean(written)!r} holds no unit name")
        for unit, unit_role in found:
            if all(unit != seen for seen, _ in units):
                units.append((unit, unit_role))
    return units, problems


def _names_something(cell: str, rules: Rules) -> bool:
    """Does a unit cell hold more than nothing, a dash or 无 (so a unit name was expected)?"""
    table = rules.tables.organisations
    text = to_simplified(clean(cell))
    if not text or text in table.no_unit:
        return False
    return any(c.isalnum() for c in text) or any(marker in text for marker in table.lead_markers)
