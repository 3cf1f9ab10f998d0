"""What a target counts: the indicator around a number (tests/labels/GUIDE.md).

Works on plain strings cut out of one clause. The words it uses (lead verbs,
link verbs, trims, noun ends, 分别 tails) are in ``rules/words.yaml``; the
jieba user dictionary ``rules/userdict.txt`` keeps a verb inside a term
(建设 in 建设用地指标, 达 in 达标率) from being taken for the verb.
"""

from __future__ import annotations

import regex

from pipeline.rules import Rules

Span = tuple[int, int]


def _boundaries(text: str, rules: Rules) -> set[int]:
    edges, position = {0}, 0
    for token in rules.tokenizer.cut(text, HMM=False):
        position += len(token)
        edges.add(position)
    return edges


def lead_verb(segment: str, rules: Rules) -> regex.Match[str] | None:
    """The leftmost lead verb of ``segment`` that is a word of its own.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> lead_verb("中心城区新增停车位", rules).group()
    '新增'
    >>> lead_verb("建设用地指标", rules) is None
    True
    """
    return _word(segment, rules.words.lead_verb, rules)


def _word(segment: str, words: regex.Pattern[str], rules: Rules) -> regex.Match[str] | None:
    """The leftmost word of ``words`` in ``segment`` that the tokenizer keeps whole."""
    matches = list(words.finditer(segment, overlapped=True))
    if not matches:
        return None
    edges = _boundaries(segment, rules)
    for match in matches:
        if match.start() in edges and match.end() in edges:
            return match
    return None


def trim(phrase: str, rules: Rules) -> str:
    """Drop fillers and trimmed words from both ends.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> trim("全市电信网络诈骗案发数同比", rules), trim("3.全市完成", rules)
    ('全市电信网络诈骗案发数', '全市完成')
    """
    previous = None
    while phrase != previous:
        previous = phrase
        phrase = rules.patterns.fillers.sub("", phrase).strip()
        for word in rules.words.trims:
            phrase = phrase.removeprefix(word).removesuffix(word)
    return phrase


def split_at(segment: str, match: regex.Match[str] | None, rules: Rules) -> str:
    """The part after ``match`` if it has words, else the part before it."""
    if match is None:
        return segment
    after = trim(segment[match.end() :], rules)
    return after if after else trim(segment[: match.start()], rules)


def before_number(segment: str, tiers: list[Span], rules: Rules) -> tuple[str, str | None]:
    """Indicator and verb for a number written after its noun (GUIDE rules 2, 3).

    ``segment`` runs from the clause start (or the previous target) to the number;
    ``tiers`` are the spans of the tier words in it.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> before_number("新认定高新技术企业", [], rules)
    ('高新技术企业', '新认定')
    >>> before_number("全市空气质量优良率达到", [], rules)
    ('全市空气质量优良率', '达到')
    >>> before_number("森林覆盖率不高于", [], rules)
    ('森林覆盖率', '不高于')
    """
    parts = [segment]
    if tiers:
        start, end = tiers[-1]
        parts = [segment[end:], segment[:start]]
    verb = None
    for part in parts:
        indicator, part_verb = _indicator_and_verb(trim(part, rules), rules)
        verb = verb or part_verb
        if indicator:
            return indicator, verb
    return "", verb


def _indicator_and_verb(segment: str, rules: Rules) -> tuple[str, str | None]:
    verb = None
    link = _word(segment, rules.words.link_verb, rules)
    if link is not None:
        verb = link.group()
        segment = trim(segment[: link.start()], rules)
    lead = lead_verb(segment, rules)
    if lead is not None:
        verb = verb or lead.group()
        segment = split_at(segment, lead, rules)
    return trim(segment, rules), verb


def after_number(tail: str, rules: Rules) -> str:
    """Indicator for a number written before its noun (GUIDE rule 4): up to the next verb.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> after_number("授权发明专利实现产业化", rules), after_number("的村经常性收入达到", rules)
    ('授权发明专利', '村经常性收入')
    """
    end = rules.words.noun_end.search(tail)
    noun = trim(tail[: end.start()] if end else tail, rules)
    for opening, closing in rules.text.brackets:
        if noun.endswith(closing) and noun.count(opening) < noun.count(closing):
            noun = noun[:-1]
    return trim(noun, rules)


def lead_verb_of(segment: str, rules: Rules) -> str | None:
    """The lead verb written before a number, for the ``verb`` field."""
    lead = lead_verb(segment, rules)
    return lead.group() if lead else None


def spread(listed: str, count: int, rules: Rules) -> list[str] | None:
    """分别: each listed item joined with the shared tail of the last (GUIDE rule 6).

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> spread("战略性新兴产业、装备制造业增加值占规上工业比重", 2, rules)
    ['战略性新兴产业增加值占规上工业比重', '装备制造业增加值占规上工业比重']
    >>> spread("工业增加值、社会消费品零售总额", 2, rules)
    ['工业增加值', '社会消费品零售总额']
    """
    items = [trim(item, rules) for item in rules.words.list_separator.split(listed)]
    if len(items) != count or not all(items):
        return None
    tail = _shared_tail(items, rules)
    if tail:
        items[-1] = items[-1][: -len(tail)]
    return [item + tail for item in items]


def _shared_tail(items: list[str], rules: Rules) -> str:
    """The tail of the last item that the others share (增加值占规上工业比重), or "".

    Short parallel modifiers (城镇、农村常住居民收入) cut the last item at their
    own length; otherwise a listed tail word starts the tail.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> _shared_tail(["城镇", "农村常住居民人均可支配收入"], rules)
    '常住居民人均可支配收入'
    >>> _shared_tail(["工业增加值", "社会消费品零售总额"], rules)
    ''
    """
    last, others = items[-1], items[:-1]
    width = len(others[-1])
    short = rules.words.shared_tail_short_items
    parallel = all(len(item) == width for item in others) and width <= short and len(last) > width + 1
    if parallel and width in _boundaries(last, rules):
        return last[width:]
    for match in rules.words.shared_tail_start.finditer(last):
        if match.start() > 0 and not any(match.group() in item for item in others):
            return last[match.start() :]
    return ""


def restates_enumeration(segment: str, value: float, rules: Rules) -> bool:
    """A count that only restates the list before it (南湖、嘉善、桐乡3个…; …等12个领域).

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> restates_enumeration("抓好南湖、嘉善、桐乡", 3, rules)
    True
    >>> restates_enumeration("新认定高新技术企业300家、科技型中小企业", 600, rules)
    False
    """
    if segment.endswith(rules.words.list_ends):
        return True
    items = rules.words.list_separator.split(segment)
    return len(items) > 1 and len(items) == value
