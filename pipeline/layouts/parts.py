"""The units of a task written in words: labelled parts and role clauses.

Paragraph notices say who is responsible in three ways (words from
``rules/layouts.yaml``):

* labelled parts: ``牵头单位：市发展改革委；配合单位：市财政局、市统计局``,
  also ``责任领导：…`` (a person) and ``完成时限：…`` (a deadline);
* role clauses: ``市交通运输局牵头，市财政局配合``,
  ``市发展改革委、市财政局按职责分工负责``, ``市教育局、市卫生健康委分别牵头``;
* a bare list of unit names: ``市发展改革委、市财政局``.

:func:`read_parts` turns such a text into cells by column kind (lead,
support, responsible, leader, deadline), the units as written: what a role
means is the tables stage's business (a 责任单位 list may follow the notice's
first-listed rule there).
"""

from __future__ import annotations

import regex

from pipeline.layouts.shapes import is_deadline, is_units
from pipeline.rules import Rules

MAX_NAMES = 60  # characters of the units before a role word


def read_parts(raw: str, plain: str, rules: Rules) -> dict[str, str] | None:
    """Cells by column kind for a text holding only units, or None when it does not.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> text = "牵头单位：市发展改革委；配合单位：市财政局、市统计局"
    >>> read_parts(text, text, rules)
    {'lead': '市发展改革委', 'support': '市财政局、市统计局'}
    >>> text = "市交通运输局牵头，各县（市、区）人民政府配合"
    >>> read_parts(text, text, rules)
    {'lead': '市交通运输局', 'support': '各县（市、区）人民政府'}
    >>> text = "市民政局牵头，市财政局配合；完成时限：2023年12月底"
    >>> read_parts(text, text, rules)
    {'lead': '市民政局', 'support': '市财政局', 'deadline': '2023年12月底'}
    >>> read_parts("其中公办8000个", "其中公办8000个", rules) is None
    True
    """
    matches = [m for m in rules.layouts.label.finditer(plain) if _part_start(plain, m.start(), rules)]
    first = matches[0].start() if matches else len(plain)
    cells: dict[str, str] = {}
    if _strip(plain[:first], rules):  # role clauses or bare units before any label
        clauses = _clauses(raw[:first], plain[:first], rules)
        if clauses is None:
            return None
        cells.update(clauses)
    labelled = _labelled(raw, plain, matches, rules)
    if labelled is None and not cells:
        return None
    separator = rules.tables.organisations.separators[0]
    for kind, value in (labelled or {}).items():
        cells[kind] = f"{cells[kind]}{separator}{value}" if kind in cells else value
    return cells


def starts_with_label(plain: str, rules: Rules) -> bool:
    match = rules.layouts.label.match(plain)
    return match is not None


def first_label(plain: str, rules: Rules, start: int = 0) -> int | None:
    """Where the first label standing at a part's start (after a sentence end, a space or a clause mark),
    outside brackets, is."""
    for match in rules.layouts.label.finditer(plain, start):
        at = match.start()
        depth = sum(plain[:at].count(o) for o in rules.text.openings) - sum(plain[:at].count(c) for c in rules.text.closings)
        if depth <= 0 and _part_start(plain, at, rules):
            return at
    return None


def _part_start(plain: str, at: int, rules: Rules) -> bool:
    if at == 0:
        return True
    before = plain[at - 1]
    return before.isspace() or before in rules.layouts.part_separators or before in rules.text.sentence_ends


def _strip(text: str, rules: Rules) -> str:
    """A part without the spaces, separators and sentence ends around it."""
    marks = "".join((*rules.layouts.part_separators, *rules.text.sentence_ends))
    while text != (stripped := text.strip().strip(marks)):
        text = stripped
    return text


def _labelled(raw: str, plain: str, matches: list[regex.Match[str]], rules: Rules) -> dict[str, str] | None:
    """The labelled parts: each label's value up to the next label."""
    if not matches:
        return None
    cells: dict[str, list[str]] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(plain)
        value, value_plain = _strip(raw[match.end() : end], rules), _strip(plain[match.end() : end], rules)
        if not value:
            continue
        kind = rules.layouts.label_kinds[match["label"]]
        split = _clauses(value, value_plain, rules) if kind in ("lead", "support", "responsible") else None
        if split is not None and any(k != "responsible" for k in split):
            for role, units in split.items():
                cells.setdefault(role, []).append(units)
        else:
            cells.setdefault(kind, []).append(value)
    separator = rules.tables.organisations.separators[0]
    return {kind: separator.join(values) for kind, values in cells.items()} if cells else None


def _clauses(raw: str, plain: str, rules: Rules) -> dict[str, str] | None:
    """Role clauses (…牵头，…配合), a deadline among them, or a bare list of units (responsible)."""
    cells: dict[str, list[str]] = {}
    any_role = False
    for first, last in _split_clauses(plain, rules):
        clause, clause_plain = _strip(raw[first:last], rules), _strip(plain[first:last], rules)
        if not clause:
            continue
        role = next((r for suffix, r in rules.layouts.role_suffixes if clause_plain.endswith(suffix)), None)
        if role is not None:
            suffix = next(s for s, _ in rules.layouts.role_suffixes if clause_plain.endswith(s))
            units, units_plain = clause[: -len(suffix)], clause_plain[: -len(suffix)]
            if not _named_by_role(units_plain, rules):
                return None
            cells.setdefault(role, []).append(units)
            any_role = True
        elif is_deadline(clause_plain, rules):
            cells.setdefault("deadline", []).append(clause)
        elif is_units(clause_plain, rules):
            cells.setdefault("responsible", []).append(clause)
        else:
            return None
    if not cells or (not any_role and "responsible" not in cells):
        return None
    separator = rules.tables.organisations.separators[0]
    return {kind: separator.join(values) for kind, values in cells.items()}


def _named_by_role(text: str, rules: Rules) -> bool:
    """Before a role word (牵头, 配合) a name need not end like a known unit (市气象台): only not be a sentence."""
    if is_units(text, rules):
        return True
    return 0 < len(text) <= MAX_NAMES and not any(end in text for end in rules.text.sentence_ends)


def _split_clauses(plain: str, rules: Rules) -> list[tuple[int, int]]:
    """Spans between clause marks outside brackets."""
    openings, closings = rules.text.openings, rules.text.closings
    spans, start, depth = [], 0, 0
    for at, character in enumerate(plain):
        if character in openings:
            depth += 1
        elif character in closings:
            depth = max(0, depth - 1)
        elif character in rules.layouts.part_separators and depth == 0:
            spans.append((start, at))
            start = at + 1
    spans.append((start, len(plain)))
    return spans
