"""Cells of responsible organisations -> organisation names with their roles.

A cell lists names separated by 、 (sometimes ， or line breaks). A leading
``*`` marks the lead organisations of a 责任单位 cell. A bracketed alias
belongs to the name before it, and separators inside brackets do not split
(各县（市、区）政府 is one name). Not part of a name: a note in parentheses at
its end (区财政局（负责资金保障）), a trailing 等, a person written after it
(区人社局 李建国). Role words after a group of names say their role
(区教育局、区卫健局分别牵头，区财政局配合), and so does a label before them
(牵头单位：市发改委；配合单位：市财政局).

Words are matched in simplified characters (牽頭 is 牵头) and names are
returned as written. The separators, lead marks, name endings, role words and
note words are ``rules/tables.yaml``; the brackets ``rules/text.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.rules import OrganisationRules, Rules
from pipeline.simplified import to_simplified
from pipeline.textnorm import fold_width

# A fragment after a line break shorter than this cannot be a name of its own
# (管委\n会), so the break wrapped a name.
MIN_NAME = 3
_HAN = regex.compile(r"\p{Han}")  # a unit's name holds at least one


@dataclass(frozen=True)
class Name:
    """One name of a cell, as written, with what the cell says about it."""

    text: str
    starred: bool  # a lead mark before it
    role: str | None  # a role word after its group (分别牵头 -> lead), else None


def unwrap(cell: str, rules: Rules) -> str:
    """Turn line breaks into separators where they end a name, else remove them.

    A break ends a name when the text before it ends like an organisation's
    name (局, 委, 政府, …, or an alias in brackets after one) or with a role
    word (分别牵头), and the text after it is long enough to be a name of its
    own. A break inside brackets always wraps: an alias is part of its name.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> unwrap("市发展改革委、海宁市政\\n府、\\n平湖市政府\\n市教育局", rules)
    '市发展改革委、海宁市政府、平湖市政府、市教育局'
    >>> unwrap("市委组织部（市委\\n人才办）\\n市人力社保局", rules)
    '市委组织部（市委人才办）、市人力社保局'
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
            and _ends_a_name(to_simplified(out), rules)
            and len(_first_name(line, table)) >= MIN_NAME
        ):
            out += table.separators[0]
        out += line
    return out


def _ends_a_name(text: str, rules: Rules) -> bool:
    """Does ``text`` end with a name (an alias in brackets after it too: 市委组织部（市委人才办）), a role
    word, or a person after a name (区人社局 李建国)? Never inside brackets."""
    table = rules.tables.organisations
    depths = _depths(text, rules)
    if depths and depths[-1] and text[-1] not in rules.text.closings:
        return False  # 市委组织部（市委 | 人才办）: the break wraps the alias
    opening = _trailing_parenthesis(text, rules)
    if opening is not None and opening > 0:
        text = text[:opening]
    if text.endswith(table.name_endings):
        return True
    if any(match.end() == len(text) for match in table.role_word.finditer(text, overlapped=True)):
        return True
    parts = text.rsplit(None, 1)
    return len(parts) == 2 and _is_person(parts[1], table) and parts[0].endswith(table.name_endings)


def _first_name(text: str, table: OrganisationRules) -> str:
    for index, character in enumerate(text):
        if character in table.separators:
            return text[:index]
    return text


def names(cell: str, rules: Rules) -> list[Name]:
    """The names of a cell, in order, with their stars and role words.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [(n.text, n.starred, n.role) for n in names("*市委组织部（市委人才办）、各县（市、区）政府，市财政局配合", rules)]
    [('市委组织部（市委人才办）', True, None), ('各县（市、区）政府', False, None), ('市财政局', False, 'support')]
    >>> [n.text for n in names("区人社局 李建国、区财政局（负责资金保障）、区文旅局等", rules)]
    ['区人社局', '区财政局', '区文旅局']
    """
    table = rules.tables.organisations
    written = unwrap(fold_width(cell), rules)
    simple = to_simplified(written)
    depths = _depths(simple, rules)
    clause_ends = (*rules.text.clause_marks, *rules.text.sentence_ends)
    out: list[Name] = []
    group: list[tuple[int, int, str]] = []  # (start, end, separator before) of the names since the last role word
    start, before = 0, ""
    labelled: str | None = None  # the role of the last label (牵头单位：)
    labels = _matches(table.label, simple, depths)
    role_words = _matches(table.role_word, simple, depths)
    position = 0
    while position <= len(simple):
        at_end = position == len(simple)
        label = labels.get(position)
        if label and position == start:
            out.extend(_names_of(group, written, simple, labelled, rules))  # the names of the label before
            group = []
            labelled = table.label_roles[label["word"]]
            position = start = label.end()
            continue
        role_match = role_words.get(position)
        if role_match and _role_word_ends_group(simple, role_match.end(), table):
            group.append((start, position, before))
            out.extend(_names_of(group, written, simple, table.roles[role_match.group()], rules))
            group = []
            position = role_match.end()
            start, before = position, ""
            continue
        if at_end or (simple[position] in table.separators and not depths[position]):
            group.append((start, position, before))
            before = "" if at_end else simple[position]
            start = position + 1
            if before in clause_ends:  # a role word after the clause's end is not for these names
                out.extend(_names_of(group, written, simple, labelled, rules))
                group = []
        position += 1
    out.extend(_names_of(group, written, simple, labelled, rules))
    return out


def _matches(pattern: regex.Pattern[str], text: str, depths: list[int]) -> dict[int, regex.Match[str]]:
    """Where ``pattern`` matches outside brackets, by start (the longest match at each start)."""
    return {m.start(): m for m in pattern.finditer(text, overlapped=True) if not depths[m.start()]}


def _role_word_ends_group(text: str, end: int, table: OrganisationRules) -> bool:
    """A role word counts at the end of the cell or before a separator (分别牵头，…)."""
    return end == len(text) or text[end] in table.separators


def _depths(text: str, rules: Rules) -> list[int]:
    """Bracket depth at each character (an opening bracket is inside)."""
    openings, closings = rules.text.openings, rules.text.closings
    if not any(character in openings for character in text):
        return [0] * len(text)
    depths, depth = [], 0
    for character in text:
        if character in openings:
            depth += 1
        depths.append(depth)
        if character in closings:
            depth = max(0, depth - 1)
    return depths


def _names_of(
    spans: list[tuple[int, int, str]], written: str, simple: str, role: str | None, rules: Rules
) -> list[Name]:
    table = rules.tables.organisations
    out = []
    for start, end, before in spans:
        raw, plain = written[start:end], simple[start:end]
        stripped = _strip_marks(plain, table)
        starred = len(stripped) < len(plain.lstrip())
        offset = len(plain) - len(stripped)
        cut = _name_end(stripped, rules)
        own_role = _role_in_parenthesis(stripped[cut:], rules) if cut < len(stripped) else None
        text = raw[offset : offset + cut].strip()
        simple_text = stripped[:cut].strip()  # the same characters, simplified
        if not _HAN.search(text) or simple_text in table.no_unit:
            continue  # a dash, a slash, a bare number (a table's figures run into the cell), 无
        if before.isspace() and _is_person(simple_text, table):
            continue
        out.append(Name(text=text, starred=starred, role=own_role or role))
    return out


def _strip_marks(name: str, table: OrganisationRules) -> str:
    """``name`` without the lead marks and spaces before it."""
    name = name.lstrip()
    while name.startswith(table.lead_markers):
        marker = next(m for m in table.lead_markers if name.startswith(m))
        name = name[len(marker) :].lstrip()
    return name


def _role_in_parenthesis(dropped: str, rules: Rules) -> str | None:
    """The role a dropped note says (市商务局（牵头）), or None."""
    table = rules.tables.organisations
    inside = dropped.strip().strip(rules.text.openings + rules.text.closings)
    return table.roles.get(inside) if inside else None


def _name_end(name: str, rules: Rules) -> int:
    """Where the name ends: before a trailing note in parentheses and a list's closing 等."""
    table = rules.tables.organisations
    end = len(name.rstrip())
    while True:
        trailing = table.trailing.search(name[:end])
        if trailing and trailing.start() > 0:
            end = trailing.start()
            continue
        opening = _trailing_parenthesis(name[:end], rules)
        if opening is not None and opening > 0 and _is_note(name[opening + 1 : end - 1], rules):
            end = len(name[:opening].rstrip())
            continue
        return end


def _trailing_parenthesis(name: str, rules: Rules) -> int | None:
    """Where the bracket closing ``name`` opens, or None."""
    if not name or name[-1] not in rules.text.closings:
        return None
    depth = 0
    for index in range(len(name) - 1, -1, -1):
        if name[index] in rules.text.closings:
            depth += 1
        elif name[index] in rules.text.openings:
            depth -= 1
            if depth == 0:
                return index
    return None


def _is_note(inside: str, rules: Rules) -> bool:
    table = rules.tables.organisations
    if inside.startswith(table.note_starts) or any(mark in inside for mark in rules.text.clause_marks):
        return True
    return any(end in inside for end in rules.text.sentence_ends)


def _is_person(name: str, table: OrganisationRules) -> bool:
    return bool(table.person.match(name)) and not name.endswith(table.name_endings)


def with_roles(cell: str, column: str, rules: Rules, first_listed: bool = False) -> list[tuple[str, str]]:
    """Organisations of one cell with their roles, by the cell's column kind.

    A role word in the cell decides for its names (区教育局、区卫健局分别牵头);
    otherwise a ``lead`` column: all lead; a ``support`` column: all support; a
    ``responsible`` column: starred names (or names a role word makes lead) lead
    and the others support; with none of those, all lead, or, when the notice
    says so (``first_listed``), the first name leads and the others support.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> with_roles("*市发展改革委、市经信局", "responsible", rules)
    [('市发展改革委', 'lead'), ('市经信局', 'support')]
    >>> with_roles("市发展改革委、市经信局", "responsible", rules)
    [('市发展改革委', 'lead'), ('市经信局', 'lead')]
    >>> with_roles("市发展改革委、市经信局", "responsible", rules, first_listed=True)
    [('市发展改革委', 'lead'), ('市经信局', 'support')]
    >>> with_roles("区教育局、区卫健局分别牵头\\n区财政局", "responsible", rules, first_listed=True)
    [('区教育局', 'lead'), ('区卫健局', 'lead'), ('区财政局', 'support')]
    """
    found = names(cell, rules)
    named_lead = any(name.starred or name.role == "lead" for name in found)
    out = []
    for index, name in enumerate(found):
        if name.role is not None:
            role = name.role
        elif column in ("lead", "support"):
            role = column
        elif named_lead:
            role = "lead" if name.starred else "support"
        elif first_listed:
            role = "lead" if index == 0 else "support"
        else:
            role = "lead"
        out.append((name.text, role))
    return out


def split(cell: str, rules: Rules) -> list[tuple[str, bool]]:
    """Split a cell into ``(name, starred)`` pairs, in order.

    >>> from pipeline.rules import load_rules
    >>> split("*市委组织部（市委人才办）、各县（市、区）政府，市财政局", load_rules())
    [('市委组织部（市委人才办）', True), ('各县（市、区）政府', False), ('市财政局', False)]
    """
    return [(name.text, name.starred) for name in names(cell, rules)]
