"""What a cell looks like: units, people, a deadline, a project name or task text.

When nothing delimits the cells (one cell per line with empty cells leaving
no line, or cells run together) a cell is placed in the column whose shape
it fits. :func:`cell_cost` says how badly a text fits a column's shape (0:
as expected; 3 or more: it does not look like one), :data:`SKIP` what an
empty cell of each shape costs. The words (unit-name endings, role words,
deadline forms) are ``rules/layouts.yaml`` and ``rules/tables.yaml``; texts
are compared in simplified characters.
"""

from __future__ import annotations

import regex

from pipeline.rules import Rules
from pipeline.textnorm import fold_width, squeeze

MISFIT = 3.0  # a cell costing this much or more is placed with a warning
MIN_UNIT = 3  # characters of a unit name (市委 alone is taken for part of a longer name)
MAX_UNIT = 30
MAX_NOTE = 20  # characters of a note in brackets after a name (（负责资金保障）)
MAX_NAME = 25  # characters of a project name
_PERSON = regex.compile(r"^\p{Han}{2,4}$")
PERSON_LONG, PERSON_SHORT = 3, 2  # characters of a person's name run together with a unit: most names are three
_DIGIT = regex.compile(r"\d")

# The cost of leaving a column empty, by shape. A task text is never missing;
# the first unit column rarely; a second unit column, a category printed only
# on its group's first row, a remark often.
SKIP = {
    "text": 5.0, "name": 2.0, "units": 2.0, "deadline": 1.5, "person": 1.0, "category": 0.3, "free": 0.5,
    "number": 0.5,
}
SKIP_LATER_UNITS = 0.7  # a unit column after the first (配合单位)


def names(text: str, rules: Rules) -> list[str]:
    """The parts of a cell between unit separators and line breaks, brackets kept whole.

    >>> from pipeline.rules import load_rules
    >>> names("*市发展改革委、各县（市、区）政府\\n市统计局 李明", load_rules())
    ['*市发展改革委', '各县（市、区）政府', '市统计局', '李明']
    """
    separators = (*rules.tables.organisations.separators, "\n")
    openings, closings = rules.text.openings, rules.text.closings
    parts, current, depth = [], "", 0
    for character in text:
        if character in openings:
            depth += 1
        elif character in closings:
            depth = max(0, depth - 1)
        if depth == 0 and character in separators:
            parts.append(current)
            current = ""
        else:
            current += character
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def bare_name(part: str, rules: Rules) -> str:
    """A part without its lead mark, trailing role words (牵头, 配合, 等) and trailing bracket."""
    name = part.lstrip("".join(rules.tables.organisations.lead_markers)).strip()
    changed = True
    while changed and name:
        changed = False
        for suffix, _ in rules.layouts.role_suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                name, changed = name[: -len(suffix)], True
        for trailer in rules.layouts.unit_trailers:
            if name.endswith(trailer) and len(name) > len(trailer):
                name, changed = name[: -len(trailer)], True
        if name and name[-1] in rules.text.closings:
            opening = max(name.rfind(o) for o in rules.text.openings)
            if opening > 0:
                name, changed = name[:opening], True
    return name


def is_unit(part: str, rules: Rules) -> bool:
    """Does one part look like an organisation's name (it ends like one)?

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> units = ("市委组织部（市委人才办）", "区财政局（负责资金保障）", "各县（市、区）", "市委", "新增学位1.2万个。", "各地要落实。")
    >>> [is_unit(p, rules) for p in units]
    [True, True, True, False, False, False]
    """
    if len(part) > MAX_UNIT + MAX_NOTE or any(end in part for end in rules.text.sentence_ends):
        return False
    name = bare_name(part, rules)
    if name.startswith(rules.layouts.unit_starts):
        return len(name) > 1 and len(part) <= MAX_UNIT  # 各县（市、区）, 各乡镇
    return MIN_UNIT <= len(name) <= MAX_UNIT and name.endswith(rules.layouts.unit_endings)


def is_person(part: str) -> bool:
    return bool(_PERSON.match(part))


def person_before_unit(text: str, rules: Rules) -> int | None:
    """Where a person's name run together with the unit after it ends (周立新教育局 -> 3,
    张明市教育局 -> 2: a unit written with its level, 市教育局, is preferred), or None.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [person_before_unit(t, rules) for t in ("周立新教育局", "张明市教育局", "吴敏民政局", "市教育局", "教育局")]
    [3, 2, 2, None, None]
    """
    if is_unit(text, rules) and rules.aliases.place.match(text[:1]):
        return None  # 市教育局: a unit with its level
    cuts = [cut for cut in (PERSON_LONG, PERSON_SHORT) if is_person(text[:cut]) and is_unit(text[cut:], rules)]
    leveled = [cut for cut in cuts if rules.aliases.place.match(text[cut : cut + 1])]
    preferred = leveled or cuts
    return preferred[0] if preferred else None


def is_units(text: str, rules: Rules) -> bool:
    """A cell of organisations: every part a unit name, or a person's name after one (区人社局 李建国)."""
    parts = names(text, rules)
    if not parts:
        return False
    seen_unit = False
    for part in parts:
        if is_unit(part, rules):
            seen_unit = True
        elif not (seen_unit and is_person(part)):
            return False
    return seen_unit


def is_people(text: str, rules: Rules) -> bool:
    parts = names(text, rules)
    return bool(parts) and all(is_person(p) and not is_unit(p, rules) for p in parts)


def is_deadline(text: str, rules: Rules) -> bool:
    return bool(rules.layouts.deadline.match(squeeze(fold_width(text))))


def ends_sentence(text: str, rules: Rules) -> bool:
    return text.rstrip().endswith(rules.text.sentence_ends)


def cell_cost(shape: str, text: str, rules: Rules) -> float:
    """How badly ``text`` (simplified) fits a column of ``shape``: 0 fits, :data:`MISFIT` or more does not."""
    text = text.strip()
    if shape == "units":
        return 0.0 if is_units(text, rules) else MISFIT + 1 + ends_sentence(text, rules)
    if shape == "deadline":
        return 0.0 if is_deadline(text, rules) else MISFIT + 1
    if shape == "person":
        if is_people(text, rules):
            return 0.0
        return MISFIT - 0.5 if is_units(text, rules) else MISFIT
    if shape in ("category", "free"):
        return 2.0 if is_units(text, rules) or is_deadline(text, rules) else 0.5
    if shape == "number":
        return 0.0 if text.isdigit() else MISFIT
    if shape == "name":
        return _name_cost(text, rules)
    return _text_cost(text, rules)


def _name_cost(text: str, rules: Rules) -> float:
    if ends_sentence(text, rules) or is_units(text, rules) or is_deadline(text, rules):
        return MISFIT
    if squeeze(text).endswith(rules.layouts.project_endings):
        return 0.0
    return 0.5 if len(squeeze(text)) <= MAX_NAME else 2.0


def _text_cost(text: str, rules: Rules) -> float:
    if text.endswith(rules.text.lead_ins):
        return MISFIT + 1  # a label with nothing after it (分享到：) is no task
    if is_deadline(text, rules) or is_units(text, rules):
        return MISFIT
    if is_people(text, rules):
        return 2.0
    if ends_sentence(text, rules):
        return 0.0
    return 0.5 if _DIGIT.search(text) or len(text) > MAX_NAME else 1.0
