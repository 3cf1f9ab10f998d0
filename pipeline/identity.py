"""Which notice a file holds: ``notice_id``, ``region`` and ``level``.

One notice reaches the pipeline as several files: its PDF, its Word file and
its web page, a re-download, a corrected re-issue. Their bytes differ (so do
their ``doc_id``), but they are one notice, known by what it is: the region
that issued it, its year and its title without the words every such title
wraps around its subject (嘉兴市人民政府办公室关于印发…的通知). ``notice_id``
is a hash of those three, normalised so that a copy's spacing, punctuation,
quotes, full-width forms and traditional characters do not matter::

    嘉兴市 | 2021 | 2021年政府工作报告重点工作1+10专项行动和市政府民生实事责任分解

When the region, the year or the title cannot be read, nothing safe says
which notice the file is, and ``notice_id`` falls back to the file's own
``doc_id``: two different notices never share an identity.

``region`` is the issuing government's place as its chain is written (嘉兴市,
丽水市莲都区; simplified characters): two districts of one name in two cities are
two places. ``level`` is its administrative level from the last suffix
(province, city, county, district), read from the issuer line, else from the
issuer prefix of the title. A supplement (…的补充通知) keeps 补充 in its title, so
it is a notice of its own. The words are ``rules/identity.yaml``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from pipeline.header import Header
from pipeline.rules import Rules
from pipeline.simplified import to_simplified

ID_DIGITS = 16  # as many hex digits as a doc_id


@dataclass(frozen=True)
class Identity:
    notice_id: str
    region: str | None
    level: str | None


def identify(header: Header, doc_id: str, rules: Rules) -> Identity:
    """The identity of the notice whose header is ``header`` (read from the file ``doc_id``)."""
    region, level = place(header, rules)
    core = core_title(header.title, rules) if header.title else ""
    if region and header.year and core:
        key = "\x1f".join((region, str(header.year), core))
        notice_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_DIGITS]
    else:
        notice_id = doc_id
    return Identity(notice_id=notice_id, region=region, level=level)


def place(header: Header, rules: Rules) -> tuple[str | None, str | None]:
    """The region and level of the issuer, else of the title's issuer prefix."""
    pattern = rules.identity.issuer
    for text, at_start in ((header.issuer, False), (header.title, True)):
        if not text:
            continue
        normal = normalise(text)
        found = pattern.match(normal) if at_start else pattern.search(normal)
        if found:
            return found["region"], rules.identity.levels[found["suffix"]]
    return None, None


def core_title(title: str, rules: Rules) -> str:
    """What a title names, without its issuer, its wrapper words and its punctuation.

    >>> from pipeline.rules import load_rules
    >>> core_title("嘉兴市人民政府办公室关于印发 2021年“1+10”专项行动责任分解的通知", load_rules())
    '2021年1+10专项行动责任分解'
    """
    text = normalise(title)
    for wrapper in rules.identity.wrappers:
        found = wrapper.search(text)  # web copies put page text around the title
        if found:
            text = found["core"]
            break
    else:
        issuer = rules.identity.issuer.match(text)
        if issuer:
            text = text[issuer.end() :]
            text = next((text[len(w) :] for w in rules.identity.body if text.startswith(w)), text)
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))


def normalise(text: str) -> str:
    """Compatibility forms folded (full-width Ａ１, ideographic space), simplified, no whitespace.

    >>> normalise("鶴汀縣 人民政府　２０２２年")
    '鹤汀县人民政府2022年'
    """
    return "".join(to_simplified(unicodedata.normalize("NFKC", text)).split())
