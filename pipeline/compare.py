"""Two notices of one place, their targets paired: raised, lowered, unchanged, new or dropped.

Works on the output folder (:mod:`pipeline.dataset`), never on the notices. A
target of the older notice and one of the newer are the same indicator when
they have the same ``unit_base`` and their indicators, normalised, contain one
another (``rules/compare.yaml``): 新认定高新技术企业 and 高新技术企业 are one
indicator, 城镇… and 农村…居民收入 are two. Normalising removes the lead verbs
wherever the Rules tokenizer keeps them as words, the scope words at the start
(全市) and replaces synonyms; containment is over pairs of neighbouring
characters, so word order counts but a short indicator matches a longer one
holding it. Pairs are chosen one to one, best first: an exact match, then the
smallest difference, the same commitment, the same comparator, the nearer
place in the notice.

    changes = compare(old_notice, new_notice, rules)     # list of Change, new notice's order, then dropped
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import regex

from pipeline.dataset import Dataset, Notice, Row, select
from pipeline.errors import DatasetError
from pipeline.rules import Rules
from pipeline.simplified import to_simplified
from pipeline.textnorm import fold_width

STATUSES = ("raised", "lowered", "unchanged", "new", "dropped")
_NOT_A_CHARACTER = regex.compile(r"[\p{P}\p{S}\s]+")


@dataclass(frozen=True)
class Side:
    """One target of one notice, with its task and the task's lead units."""

    target: Row
    task: Row | None
    leads: tuple[str, ...]  # canonical names where known
    key: str  # the normalised indicator
    rank: int  # place in the notice

    @property
    def grams(self) -> frozenset[str]:
        return grams(self.key)


@dataclass(frozen=True)
class Change:
    status: str  # one of STATUSES
    old: Side | None
    new: Side | None


def compare(old: Notice, new: Notice, rules: Rules) -> list[Change]:
    """Every target of both notices, paired where they are one indicator."""
    olds, news = sides(old, rules), sides(new, rules)
    pairs = pair(olds, news)
    by_new = {j: i for i, j in pairs}
    paired_old = set(by_new.values())
    changes = []
    for j, side in enumerate(news):
        i = by_new.get(j)
        changes.append(Change("new", None, side) if i is None else Change(status(olds[i], side), olds[i], side))
    changes.extend(Change("dropped", side, None) for i, side in enumerate(olds) if i not in paired_old)
    return changes


def sides(notice: Notice, rules: Rules) -> list[Side]:
    tasks = {task["task_id"]: task for task in notice.tasks}
    leads: dict[Any, list[str]] = {}
    for unit in notice.units:
        if unit.get("role") == "lead":
            leads.setdefault(unit["task_id"], []).append(str(unit.get("unit_canonical") or unit["unit"]))
    return [
        Side(
            target=target,
            task=tasks.get(target["task_id"]),
            leads=tuple(leads.get(target["task_id"], ())),
            key=normalise(str(target.get("indicator") or ""), rules),
            rank=rank,
        )
        for rank, target in enumerate(notice.targets)
    ]


def normalise(indicator: str, rules: Rules) -> str:
    """The indicator as compared: synonyms replaced, lead verbs, trims and scope words removed.

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> [normalise(i, rules) for i in ("全市地区生产总值", "城镇新增就业", "老旧小区改造", "“未来社区”")]
    ['地区生产总值', '城镇就业', '老旧小区', '未来社区']
    """
    table = rules.compare
    text = _NOT_A_CHARACTER.sub("", fold_width(to_simplified(indicator)))
    text = table.synonym.sub(lambda found: table.synonyms[found.group()], text)
    dropped = set(rules.words.lead_verbs) | set(rules.words.trims)
    text = "".join(token for token in rules.tokenizer.cut(text, HMM=False) if token not in dropped)
    return table.scope.sub("", text)


def grams(key: str) -> frozenset[str]:
    """The pairs of neighbouring characters of ``key`` (a one-character key is itself).

    >>> sorted(grams("就业")), sorted(grams("城镇就业")), sorted(grams("村"))
    (['就业'], ['城镇', '就业', '镇就'], ['村'])
    """
    if len(key) < 2:
        return frozenset([key] if key else [])
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def pair(olds: Sequence[Side], news: Sequence[Side]) -> list[tuple[int, int]]:
    """(old index, new index) of the targets that are one indicator, each used once, best first."""
    candidates = []
    for i, old in enumerate(olds):
        for j, new in enumerate(news):
            if old.target.get("unit_base") != new.target.get("unit_base") or not old.key or not new.key:
                continue
            a, b = old.grams, new.grams
            if not (a <= b or b <= a):
                continue
            candidates.append((_preference(old, new, len(olds), len(news)), i, j))
    candidates.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    return pairs


def _preference(old: Side, new: Side, old_count: int, new_count: int) -> tuple[Any, ...]:
    """Smaller is better: exact key, fewer differing pairs, same commitment, same comparator, nearer place."""
    return (
        old.key != new.key,
        len(old.grams ^ new.grams),
        old.target.get("commitment") != new.target.get("commitment"),
        old.target.get("comparator") != new.target.get("comparator"),
        abs(old.rank / max(old_count, 1) - new.rank / max(new_count, 1)),
    )


def status(old: Side, new: Side) -> str:
    """raised, lowered or unchanged: the value (scale folded in), then the high end of a range."""
    before = _values(old.target)
    after = _values(new.target)
    if after > before:
        return "raised"
    if after < before:
        return "lowered"
    return "unchanged"


def _values(target: Row) -> tuple[float, float]:
    value = target.get("value_base")
    high = target.get("value_max_base")
    low = float(value) if value is not None else float("-inf")
    return low, float(high) if high is not None else low


def region_pairs(dataset: Dataset, region: str) -> list[tuple[Notice, Notice]]:
    """The notices of ``region``, one per year, paired year after year (2022-2023, 2023-2024, …).

    A document belongs to the region when its ``region`` is ``region``; a dataset
    written before the region column was filled falls back on the issuer starting with it.
    """
    documents = [d for d in dataset.documents if _in_region(d, region)]
    by_year: dict[int, list[Row]] = {}
    for document in documents:
        if document.get("year") is not None:
            by_year.setdefault(int(document["year"]), []).append(document)
    for year, found in sorted(by_year.items()):
        if len(found) > 1:
            shown = ", ".join(f"{d['doc_id']} ({d.get('source_file')})" for d in found)
            raise DatasetError(f"{region} has {len(found)} documents for {year}: {shown}; compare two of them by name")
    years = sorted(by_year)
    if len(years) < 2:
        held = f"only {years[0]}" if years else "none"
        raise DatasetError(f"{region}: notices of at least two years are needed in {dataset.folder} (found {held})")
    notices = select(dataset, [str(by_year[year][0]["doc_id"]) for year in years])
    return list(itertools.pairwise(notices))


def _in_region(document: Row, region: str) -> bool:
    if document.get("region"):
        return bool(document["region"] == region)
    return str(document.get("issuer") or "").startswith(region)
