"""Cells of responsible organisations -> organisation names with their roles.

A cell lists names separated by 、 (sometimes ， or line breaks). A leading
``*`` marks the lead organisations of a 责任单位 cell. A bracketed alias
belongs to the name before it, and separators inside brackets do not split
(各县（市、区）政府 is one name). The separators, lead marks and name endings
are ``rules/tables.yaml``; the brackets ``rules/text.yaml``.
"""

from __future__ import annotations

from pipeline.rules import OrganisationRules, Rules
from pipeline.textnorm import fold_width

# A fragment after a line break shorter than this cannot be a name of its own
# (管委\n会), so the break wrapped a name.
MIN_NAME = 3


def unwrap(cell: str, rules: Rules) -> str:
    """Turn line breaks into separators where they end a name, else remove them.

    A break ends a name when the text before it ends like an organisation's
    name (局, 委, 政府, …) and the text after it is long enough to be a name of
    its own.

    >>> from pipeline.rules import load_rules
    >>> unwrap("市发展改革委、海宁市政\\n府、\\n平湖市政府\\n市教育局", load_rules())
    '市发展改革委、海宁市政府、平湖市政府、市教育局'
    """
    table = rules.tables.organisations
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if (
            out
            and out[-1] not in table.separators
            and line[0] not in table.separators
            and line[0] not in rules.text.openings
            and out.endswith(table.name_endings)
            and len(_first_name(line, table)) >= MIN_NAME
        ):
            out += table.separators[0]
        out += line
    return out


def _first_name(text: str, table: OrganisationRules) -> str:
    for index, character in enumerate(text):
        if character in table.separators:
            return text[:index]
    return text


def split(cell: str, rules: Rules) -> list[tuple[str, bool]]:
    """Split a cell into ``(name, starred)`` pairs, in order.

    >>> from pipeline.rules import load_rules
    >>> split("*市委组织部（市委人才办）、各县（市、区）政府，市财政局", load_rules())
    [('市委组织部（市委人才办）', True), ('各县（市、区）政府', False), ('市财政局', False)]
    """
    table = rules.tables.organisations
    text = unwrap(fold_width(cell), rules)
    names: list[str] = []
    depth = 0
    current = ""
    for character in text:
        if character in rules.text.openings:
            depth += 1
        elif character in rules.text.closings:
            depth = max(0, depth - 1)
        if character in table.separators and depth == 0:
            names.append(current)
            current = ""
        else:
            current += character
    names.append(current)
    out = []
    for name in names:
        name = name.strip()
        starred = name.startswith(table.lead_markers)
        name = name.lstrip("".join(table.lead_markers)).strip()
        if name:
            out.append((name, starred))
    return out


def with_roles(cell: str, column: str, rules: Rules) -> list[tuple[str, str]]:
    """Organisations of one cell with their roles, by the cell's column kind.

    ``lead`` column: all lead. ``support`` column: all support. ``responsible``
    column: starred names lead and the others support; no star, all lead.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> with_roles("*市发展改革委、市经信局", "responsible", rules)
    [('市发展改革委', 'lead'), ('市经信局', 'support')]
    >>> with_roles("市发展改革委、市经信局", "responsible", rules)
    [('市发展改革委', 'lead'), ('市经信局', 'lead')]
    """
    names = split(cell, rules)
    if column in ("lead", "support"):
        return [(name, column) for name, _ in names]
    any_star = any(starred for _, starred in names)
    return [(name, "lead" if starred or not any_star else "support") for name, starred in names]
