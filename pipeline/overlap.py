"""Do two copies of a notice hold the same tasks? The share of the shorter list found in the other.

Two files with one ``notice_id`` are normally copies of one notice (its PDF and
its Word file, a corrected re-issue), and the later replaces the earlier. But a
title can repeat across different lists (a supplement written like the
original, a rules change that makes two titles one): then the task texts
barely overlap, and the later file is its own notice. Task texts are compared
after folding what differs between copies (spacing, punctuation, full-width
forms, traditional characters); two texts are alike when most of their
character trigrams are shared, so an edited number or a reader's different
line breaks still match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from pipeline.simplified import to_simplified

SAME_NOTICE = 0.5  # below this share of alike tasks, two copies are two notices
ALIKE = 0.6  # Dice coefficient of character trigrams from which two task texts are alike


def shared(ours: Sequence[str], theirs: Sequence[str]) -> float:
    """The share of the shorter list's tasks that have an alike task in the other list (1.0 when one is empty).

    >>> shared(["新认定高新技术企业300家", "新建5G基站1000个"], ["新认定高新技术企业350家", "新建5G基站1000个", "其他"])
    1.0
    >>> shared(["新建城市公园3个"], ["新认定高新技术企业300家", "新建5G基站1000个"])
    0.0
    """
    if not ours or not theirs:
        return 1.0
    shorter, longer = sorted(([_fold(t) for t in ours], [_fold(t) for t in theirs]), key=len)
    exact = set(longer)
    grams = [_trigrams(text) for text in longer]
    found = sum(text in exact or any(_dice(_trigrams(text), other) >= ALIKE for other in grams) for text in shorter)
    return found / len(shorter)


def _fold(text: str) -> str:
    folded = to_simplified(unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in folded if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def _trigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 3] for i in range(max(1, len(text) - 2)))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0
