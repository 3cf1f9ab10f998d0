"""Traditional characters read as simplified, for matching only.

Older and some southern pages print 序號, 牽頭單位, 萬, 億. Stages that match
words (column names, header cues, units, verbs) match on
:func:`to_simplified` of the text, while the text itself is stored as written.
The conversion is one character for one, so an offset into the converted text
is the same offset into the original: a target found in the simplified text
points at the right span of the text as written.

OpenCC does the conversion (its ``t2s`` tables); it is loaded only when a text
holds a Han character outside GB2312, the simplified character set, so notices
in simplified characters never pay for it (an em dash, outside GB2312 too,
does not count).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import regex

_HAN = regex.compile(r"\p{Han}")


def _outside_gb2312(character: str) -> bool:
    try:
        character.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return True


def to_simplified(text: str) -> str:
    """``text`` with traditional characters replaced by simplified ones, same length.

    >>> to_simplified("序號 牽頭單位 新增5萬噸")
    '序号 牵头单位 新增5万吨'
    >>> to_simplified("序号")
    '序号'
    """
    if text.isascii():
        return text
    try:
        text.encode("gb2312")
        return text  # every character is a simplified one (or punctuation)
    except UnicodeEncodeError:
        pass
    if not any(_outside_gb2312(character) for character in _HAN.findall(text)):
        return text  # only punctuation outside GB2312 (an em dash): nothing to convert
    converter = _converter()
    converted: str = converter.convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: convert character by character instead.
    return "".join(single if len(single := converter.convert(ch)) == 1 else ch for ch in text)


def is_traditional(text: str) -> bool:
    """Does ``text`` hold traditional characters?

    >>> is_traditional("重點工作"), is_traditional("重点工作")
    (True, False)
    """
    return to_simplified(text) != text


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")
