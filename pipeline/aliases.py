"""Bureau names -> one canonical name per body (``task_units.unit_canonical``).

Notices name one bureau several ways (市发改委, 市发展改革委, 市发展和改革委员会),
and bodies are renamed in reforms (市建设局 became 市住建局). A name is read as
``<place><body><second name>``: the body is looked up among the variants of
``rules/unit_aliases.yaml`` as the longest suffix of the name whose rest is a
place (嘉兴市, 县, 各县（市、区）, or nothing), and the place is kept as
written, so one entry serves every city and county. A second name in brackets
at the end (市委组织部（市委人才办）) is left out. Names are compared in
simplified characters (:func:`pipeline.simplified.to_simplified`) with spaces
removed; the canonical name is written that way too.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [canonical(n, 2022, rules) for n in ("市发改委", "嘉兴市发展和改革委员会", "縣發改局")]
    ['市发展改革委', '嘉兴市发展改革委', '县发展改革局']
    >>> canonical("市建设局", 2022, rules), canonical("市建设局", 2016, rules)
    ('市住建局', '市建设局')
"""

from __future__ import annotations

from pipeline.rules import Rules
from pipeline.rules.aliases import AliasRules, Rename
from pipeline.simplified import to_simplified
from pipeline.textnorm import squeeze


def canonical(name: str, year: int | None, rules: Rules) -> str:
    """The canonical name of the body ``name`` names, in a notice of ``year``.

    A dated rename applies from its year on; with no year it does not apply.
    A name no rule covers is its own canonical name (simplified, spaces removed).

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> canonical("市发展改革委（市协作办）", 2021, rules)
    '市发展改革委'
    >>> canonical("各县（市、区）人民政府", 2021, rules), canonical("各乡镇（街道）", 2021, rules)
    ('各县（市、区）政府', '各乡镇（街道）')
    >>> canonical("市城乡建设局", 2022, rules)   # 城乡 is not a place
    '市城乡建设局'
    """
    table = rules.aliases
    text = drop_second_name(squeeze(to_simplified(name)), table)
    if text in table.names:
        return table.names[text]
    start = max(0, len(text) - table.longest_body)
    for cut in range(start, len(text)):  # the longest suffix first
        body = table.bodies.get(text[cut:])
        if body is not None and table.place.fullmatch(text[:cut]):
            return text[:cut] + _named(body, year)
    return text


def drop_second_name(name: str, table: AliasRules) -> str:
    """``name`` without a bracketed second name at its end.

    >>> from pipeline.rules import load_rules
    >>> table = load_rules().aliases
    >>> drop_second_name("市委组织部（市委人才办）", table), drop_second_name("各县（市、区）", table)
    ('市委组织部', '各县（市、区）')
    """
    found = table.second_name.search(name)
    return name[: found.start()] if found and found.start() > 0 else name


def _named(body: str | Rename, year: int | None) -> str:
    if isinstance(body, str):
        return body
    return body.new if year is not None and year >= body.since else body.old
