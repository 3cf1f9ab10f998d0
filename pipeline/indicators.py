"""What a target counts: the indicator around a number (tests/labels/GUIDE.md).

Works on plain strings cut out of one clause. The words it uses (lead verbs,
link verbs, trims, noun ends, 分别 tails) are in ``rules/words.yaml``; the
jieba user dictionary ``rules/userdict.txt`` keeps a lead verb inside a term
(建设 in 建设用地指标) from being taken for the verb.
"""

from __future__ import annotations

from typing import Any

import regex

from pipeline import numbers, rules
from pipeline.errors import RuleError

WORDS_FILE = "words.yaml"
WORDS_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "comparators_before": dict,
    "comparators_after": dict,
    "tiers": dict,
    "tier_exceptions": list,
    "lead_verbs": list,
    "link_verbs": list,
    "trims": list,
    "noun_ends": list,
    "shared_tail_starts": list,
    "shared_tail_short_items": int,
}
_COMPARATORS = {">=", ">", "<", "<=", "~", "=", "range"}
_COMMITMENTS = {"guaranteed", "aspirational"}
_LIST_SEPARATORS = "、和及与"


@rules.cached
def word_rules() -> dict[str, Any]:
    """words.yaml, checked."""
    data = rules.load(WORDS_FILE, WORDS_SCHEMA)
    for key in ("tier_exceptions", "lead_verbs", "link_verbs", "trims", "noun_ends", "shared_tail_starts"):
        rules.string_list(data, key, WORDS_FILE)
    for key, allowed in (
        ("comparators_before", _COMPARATORS),
        ("comparators_after", _COMPARATORS),
        ("tiers", _COMMITMENTS),
    ):
        for word, value in data[key].items():
            if value not in allowed:
                raise RuleError(
                    f"rules/{WORDS_FILE}: key {key!r} entry {word!r} should be one of {sorted(allowed)}"
                )
    return data


@rules.cached
def word_pattern(key: str) -> regex.Pattern[str]:
    """Any word of a words.yaml list (longest first at one position)."""
    return regex.compile(r"\L<words>", words=list(word_rules()[key]))


@rules.cached
def _fillers() -> regex.Pattern[str]:
    return numbers.compile_rule(numbers.PATTERNS_FILE, "fillers", numbers.pattern_rules()["fillers"])


@rules.cached
def _tokenizer() -> Any:
    """A jieba tokenizer over the small domain dictionary (not jieba's 350k-word default).

    The prefix dictionary is built in memory: no cache file, no log lines.
    """
    import jieba

    path = rules.rules_dir() / "userdict.txt"
    tokenizer = jieba.Tokenizer()
    try:
        with path.open("rb") as lines:
            tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(lines)
    except OSError as exc:
        raise RuleError(f"rules/{path.name}: cannot read ({exc.strerror})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise RuleError(f"rules/{path.name}: {exc}") from None
    tokenizer.initialized = True
    for verb in (*word_rules()["lead_verbs"], *word_rules()["link_verbs"]):
        tokenizer.add_word(verb, 1000)
    return tokenizer


def _boundaries(text: str) -> set[int]:
    edges, position = {0}, 0
    for token in _tokenizer().cut(text, HMM=False):
        position += len(token)
        edges.add(position)
    return edges


def lead_verb(segment: str) -> regex.Match[str] | None:
    """The leftmost lead verb of ``segment`` that is a word of its own.

    >>> lead_verb("中心城区新增停车位").group()
    '新增'
    >>> lead_verb("建设用地指标") is None
    True
    """
    return _word(segment, "lead_verbs")


def _word(segment: str, key: str) -> regex.Match[str] | None:
    """The leftmost word of a words.yaml list in ``segment`` that the tokenizer keeps whole."""
    matches = list(word_pattern(key).finditer(segment, overlapped=True))
    if not matches:
        return None
    edges = _boundaries(segment)
    for match in matches:
        if match.start() in edges and match.end() in edges:
            return match
    return None


def trim(phrase: str) -> str:
    """Drop fillers and trimmed words from both ends.

    >>> trim("全市电信网络诈骗案发数同比")
    '全市电信网络诈骗案发数'
    >>> trim("3.全市完成")
    '全市完成'
    """
    trims = word_rules()["trims"]
    previous = None
    while phrase != previous:
        previous = phrase
        phrase = _fillers().sub("", phrase).strip()
        for word in trims:
            phrase = phrase.removeprefix(word).removesuffix(word)
    return phrase


def split_at(segment: str, match: regex.Match[str] | None) -> str:
    """The part after ``match`` if it has words, else the part before it."""
    if match is None:
        return segment
    after = trim(segment[match.end() :])
    return after if after else trim(segment[: match.start()])


def before_number(segment: str, tiers: list[regex.Match[str]]) -> tuple[str, str | None]:
    """Indicator and verb for a number written after its noun (GUIDE rules 2, 3).

    ``segment`` runs from the clause start (or the previous target) to the number;
    ``tiers`` are the tier words found in it.

    >>> before_number("新认定高新技术企业", [])
    ('高新技术企业', '新认定')
    >>> before_number("全市空气质量优良率达到", [])
    ('全市空气质量优良率', '达到')
    """
    parts = [segment]
    if tiers:
        last = tiers[-1]
        parts = [segment[last.end() :], segment[: last.start()]]
    verb = None
    for part in parts:
        indicator, part_verb = _indicator_and_verb(trim(part))
        verb = verb or part_verb
        if indicator:
            return indicator, verb
    return "", verb


def _indicator_and_verb(segment: str) -> tuple[str, str | None]:
    verb = None
    link = _word(segment, "link_verbs")
    if link is not None:
        verb = link.group()
        segment = trim(segment[: link.start()])
    lead = lead_verb(segment)
    if lead is not None:
        verb = verb or lead.group()
        segment = split_at(segment, lead)
    return trim(segment), verb


def after_number(tail: str) -> str:
    """Indicator for a number written before its noun (GUIDE rule 4): up to the next verb.

    >>> after_number("授权发明专利实现产业化")
    '授权发明专利'
    >>> after_number("的村经常性收入达到")
    '村经常性收入'
    """
    end = word_pattern("noun_ends").search(tail)
    noun = trim(tail[: end.start()] if end else tail)
    for opening, closing in ("（）", "()"):
        if noun.endswith(closing) and noun.count(opening) < noun.count(closing):
            noun = noun[:-1]
    return trim(noun)


def lead_verb_of(segment: str) -> str | None:
    """The lead verb written before a number, for the ``verb`` field."""
    lead = lead_verb(segment)
    return lead.group() if lead else None


def spread(listed: str, count: int) -> list[str] | None:
    """分别: each listed item joined with the shared tail of the last (GUIDE rule 6).

    >>> spread("战略性新兴产业、装备制造业增加值占规上工业比重", 2)
    ['战略性新兴产业增加值占规上工业比重', '装备制造业增加值占规上工业比重']
    >>> spread("工业增加值、社会消费品零售总额", 2)
    ['工业增加值', '社会消费品零售总额']
    """
    items = [trim(item) for item in regex.split(f"[{_LIST_SEPARATORS}]", listed)]
    if len(items) != count or not all(items):
        return None
    tail = _shared_tail(items)
    if tail:
        items[-1] = items[-1][: -len(tail)]
    return [item + tail for item in items]


def _shared_tail(items: list[str]) -> str:
    """The tail of the last item that the others share (增加值占规上工业比重), or "".

    Short parallel modifiers (城镇、农村常住居民收入) cut the last item at their
    own length; otherwise a listed tail word starts the tail.

    >>> _shared_tail(["城镇", "农村常住居民人均可支配收入"])
    '常住居民人均可支配收入'
    >>> _shared_tail(["工业增加值", "社会消费品零售总额"])
    ''
    """
    last, others = items[-1], items[:-1]
    width = len(others[-1])
    short = word_rules()["shared_tail_short_items"]
    parallel = all(len(item) == width for item in others) and width <= short and len(last) > width + 1
    if parallel and width in _boundaries(last):
        return last[width:]
    for match in word_pattern("shared_tail_starts").finditer(last):
        if match.start() > 0 and not any(match.group() in item for item in others):
            return last[match.start() :]
    return ""


def restates_enumeration(segment: str, value: float) -> bool:
    """A count that only restates the list before it (南湖、嘉善、桐乡3个…; …等12个领域).

    >>> restates_enumeration("抓好南湖、嘉善、桐乡", 3)
    True
    >>> restates_enumeration("新认定高新技术企业300家、科技型中小企业", 600)
    False
    """
    if segment.endswith("等"):
        return True
    items = segment.split("、")
    return len(items) > 1 and len(items) == value
