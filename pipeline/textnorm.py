"""Small text helpers shared by the stages after the readers."""

from __future__ import annotations

import re

# Full-width digits, the full-width percent sign and the full-width full stop
# between digits fold to ASCII; everything else stays as written. The
# full-width forms of ASCII sit 0xFEE0 above it (U+FF10 is "0").
_FULL_WIDTH_OFFSET = 0xFEE0
_WIDTH = {ord(char) + _FULL_WIDTH_OFFSET: char for char in "0123456789%"}
_FW_POINT = re.compile(r"(?<=[0-9])\uff0e(?=[0-9])")  # U+FF0E, the full-width full stop
_SPACE = re.compile(r"\s+")  # within one line: spaces, tabs, the ideographic space, no-break spaces
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z]")


def fold_width(text: str) -> str:
    """Fold full-width digits and ％ to ASCII for parsing.

    >>> fold_width("新认定３００家，占比１２．５％（Ａ级）")
    '新认定300家，占比12.5%（Ａ级）'
    """
    return _FW_POINT.sub(".", text.translate(_WIDTH))


def squeeze(text: str) -> str:
    """Remove every kind of whitespace: for matching headers such as 序  号.

    >>> squeeze("主  要　工 作\\n任务")
    '主要工作任务'
    """
    return "".join(text.split())


def join_lines(text: str) -> str:
    """Remove line wraps from a cell's text: no space between Chinese characters.

    A space is kept only where the wrap split two Latin words.

    >>> join_lines("  1.全市完成改造9个；\\n 2.新建客厅40个。")
    '1.全市完成改造9个；2.新建客厅40个。'
    >>> join_lines("Wi-Fi\\nnetwork")
    'Wi-Fi network'
    """
    out = ""
    for line in text.split("\n"):
        line = _SPACE.sub(" ", line).strip()
        if not line:
            continue
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.search(line):
            out += " "
        out += line
    return out


def clean(text: str) -> str:
    """Cell text as stored: width folded, wraps removed."""
    return join_lines(fold_width(text))
