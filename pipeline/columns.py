"""Header rows -> column kinds, and a table's kind from its title or its columns.

Columns are mapped by their header's name (``rules/tables.yaml: columns``),
never by position; header cells are compared with every space removed and in
simplified characters (序號 is 序号), so traditional copies read the same.

A header row holds 序号 and a task column, or, in a table without a 序号
column, a task column and a unit column and nothing it cannot name (the tasks
are then numbered inside their text: ``1.实施…``).
"""

from __future__ import annotations

from pipeline.rules import TableRules
from pipeline.simplified import to_simplified
from pipeline.textnorm import squeeze

TEXT_KINDS = ("task", "name", "content")
UNIT_KINDS = ("lead", "responsible", "support")


def map_columns(row: tuple[str, ...], rules: TableRules) -> dict[str, int] | None:
    """Column kind -> index for a header row, or None when it is not one.

    >>> from pipeline.rules import load_rules
    >>> tables = load_rules().tables
    >>> map_columns(("序 号", "主要工作任务", "牵头单位"), tables)
    {'item_no': 0, 'task': 1, 'lead': 2}
    >>> map_columns(("重点任务", "责任单位"), tables)
    {'task': 0, 'responsible': 1}
    >>> map_columns(("序號", "工作任務", "牽頭單位"), tables)
    {'item_no': 0, 'task': 1, 'lead': 2}
    >>> map_columns(("姓名", "电话"), tables) is None
    True
    """
    found: dict[str, int] = {}
    unnamed = 0
    for index, cell in enumerate(row):
        header = to_simplified(squeeze(cell))
        kind = column_kind(header, rules)
        if kind and kind not in found:
            found[kind] = index
        elif header and not kind:
            unnamed += 1
    if not set(TEXT_KINDS) & found.keys():
        return None
    if "item_no" in found:
        return found
    if unnamed == 0 and "task" in found and set(UNIT_KINDS) & found.keys():
        return found  # no 序号 column: the tasks carry their numbers
    return None


def column_kind(header: str, rules: TableRules) -> str | None:
    """The kind of one header cell (spaces removed, simplified): an exact name, else
    the longest name it contains (主要工作任务及目标 -> task).

    >>> from pipeline.rules import load_rules
    >>> tables = load_rules().tables
    >>> [column_kind(h, tables) for h in ("2022年预期目标", "区政府分管领导", "实际完成情况", "备注", "联系电话")]
    ['task', 'leader', 'progress', 'remarks', None]
    """
    if not header:
        return None
    for kind, aliases in rules.columns.items():
        if header in aliases:
            return kind
    best = max(
        ((len(alias), kind) for kind, aliases in rules.columns.items() for alias in aliases if alias in header),
        default=None,
    )
    return best[1] if best else None


def kind_from_title(title: str, rules: TableRules) -> str | None:
    """The table kind a title names (民生实事 -> livelihood), or None."""
    simplified = to_simplified(title)
    for kind, words in rules.kinds:
        if any(word in simplified for word in words):
            return kind
    return None


def kind_from_columns(row: tuple[str, ...], columns: dict[str, int], rules: TableRules) -> str:
    """Without a title: livelihood with a name or content column (but not an indicator name
    beside its requirement), else the task header's kind (专项行动), else key_work."""
    if ("name" in columns or "content" in columns) and "requirement" not in columns:
        return "livelihood"
    text_column = columns.get("task", columns.get("name", 0))
    return kind_from_title(squeeze(row[text_column]), rules) or "key_work"
