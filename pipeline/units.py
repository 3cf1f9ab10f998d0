"""Unit cells -> unit names with roles.

A unit cell lists unit names separated by 、 (sometimes ， or line breaks). A
leading ``*`` marks the lead units of a 责任单位 cell. A parenthesised alias
belongs to the name before it, and separators inside parentheses do not split
(各县（市、区）政府 is one unit).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import rules
from pipeline.textnorm import fold_width

_OPEN = "（(〔["
_CLOSE = "）)〕]"
# A fragment after a line break shorter than this cannot be a unit name of its
# own (管委\n会), so the break wrapped a name.
MIN_NAME = 3

SCHEMA: dict[str, type | tuple[type, ...]] = {
    "columns": dict,
    "table_kinds": dict,
    "title_lookback": int,
    "section_pattern": str,
    "note_prefixes": list,
    "unit_separators": list,
    "lead_marker": str,
    "unit_name_endings": list,
}


@dataclass(frozen=True)
class UnitRules:
    separators: frozenset[str]
    lead_marker: str
    name_endings: tuple[str, ...]


@rules.cached
def unit_rules() -> UnitRules:
    data = rules.load("tables.yaml", SCHEMA)
    return UnitRules(
        separators=frozenset(rules.string_list(data, "unit_separators", "tables.yaml")),
        lead_marker=data["lead_marker"],
        name_endings=tuple(rules.string_list(data, "unit_name_endings", "tables.yaml")),
    )


def unwrap(cell: str, r: UnitRules) -> str:
    """Turn line breaks into separators where they end a unit name, else remove them.

    A break ends a name when the text before it ends like a unit name (局, 委,
    政府, …) and the text after it is long enough to be a name of its own.

    >>> r = unit_rules()
    >>> unwrap("市发展改革委、海宁市政\\n府、\\n平湖市政府\\n市教育局", r)
    '市发展改革委、海宁市政府、平湖市政府、市教育局'
    """
    lines = [ln.strip() for ln in cell.split("\n") if ln.strip()]
    out = ""
    for line in lines:
        if (
            out
            and out[-1] not in r.separators
            and line[0] not in r.separators
            and line[0] not in _OPEN
            and out.endswith(r.name_endings)
            and len(_first_name(line, r)) >= MIN_NAME
        ):
            out += "、"
        out += line
    return out


def _first_name(text: str, r: UnitRules) -> str:
    for i, ch in enumerate(text):
        if ch in r.separators:
            return text[:i]
    return text


def split(cell: str, r: UnitRules | None = None) -> list[tuple[str, bool]]:
    """Split a unit cell into ``(name, starred)`` pairs, in order.

    >>> split("*市委组织部（市委人才办）、各县（市、区）政府，市财政局")
    [('市委组织部（市委人才办）', True), ('各县（市、区）政府', False), ('市财政局', False)]
    """
    r = r or unit_rules()
    text = unwrap(fold_width(cell).replace("＊", r.lead_marker), r)
    names: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in r.separators and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    out = []
    for name in names:
        name = name.strip()
        starred = name.startswith(r.lead_marker)
        name = name.lstrip(r.lead_marker).strip()
        if name:
            out.append((name, starred))
    return out


def with_roles(cell: str, column: str) -> list[tuple[str, str]]:
    """Units of one cell with their roles, by the cell's column kind.

    ``lead`` column: all lead. ``support`` column: all support. ``responsible``
    column: starred units lead and the others support; no star, all lead.

    >>> with_roles("*市发展改革委、市经信局", "responsible")
    [('市发展改革委', 'lead'), ('市经信局', 'support')]
    >>> with_roles("市发展改革委、市经信局", "responsible")
    [('市发展改革委', 'lead'), ('市经信局', 'lead')]
    """
    units = split(cell)
    if column in ("lead", "support"):
        return [(name, column) for name, _ in units]
    any_star = any(starred for _, starred in units)
    return [(name, "lead" if starred or not any_star else "support") for name, starred in units]
