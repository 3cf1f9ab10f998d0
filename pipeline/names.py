"""File names as text: decoded for the data, escaped for messages.

A file name is bytes. Names from Windows zip files are often GBK, which a
UTF-8 system hands to Python as lone surrogates (``'\\udcb2\\udce2.txt'``);
such a string cannot be written to Parquet or printed. And a name may hold a
newline or an escape sequence that would split a one-line error or drive the
terminal. So:

* :func:`file_name` is the name stored in the data (``documents.source_file``):
  UTF-8 when it is, else GB18030 when that decodes, else the bytes escaped;
* :func:`shown` is how every message shows a name, a zip member or any text
  that came from outside: control characters, bidirectional overrides and
  undecodable bytes written as escapes, everything else as is. The command
  line passes every line it prints through it.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

SEPARATOR = "; "  # between the file names of a list (documents.source_files)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Bidirectional controls reorder what follows them on screen (a name that reads backwards).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def shown(text: object) -> str:
    """``text`` safe to print on one terminal line.

    >>> shown("a\\x1b]0;owned\\x07b\\nc.txt")
    'a\\\\x1b]0;owned\\\\x07b\\\\nc.txt'
    >>> shown("\\udcb2\\udce2.txt"), shown("正常.txt"), shown("x\\u202etxt.exe")
    ('\\\\xb2\\\\xe2.txt', '正常.txt', 'x\\\\u202etxt.exe')
    """
    value = str(text)
    if value.isprintable():
        return value
    return "".join(_escape(ch) for ch in value)


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def file_name(path: Path) -> str:
    """The name of ``path`` as text for the data: its bytes decoded as UTF-8, else GB18030, else escaped.

    >>> file_name(Path(os.fsdecode("测试通知.txt".encode("gbk"))))
    '测试通知.txt'
    >>> file_name(Path("notice.txt"))
    'notice.txt'
    """
    raw = os.fsencode(path.name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "backslashreplace")  # pragma: no cover - gb18030 decodes nearly anything


def join_names(names: list[str]) -> str:
    r"""File names as one text, ``; ``-separated; a ``;`` or ``\`` inside a name gets a ``\`` before it.

    >>> print(join_names(["a.txt", "b; c.pdf", "d\\e.html"]))
    a.txt; b\; c.pdf; d\\e.html
    >>> split_names(join_names(["a.txt", "b; c.pdf", "d\\e.html", "f;.docx"])) == ["a.txt", "b; c.pdf", "d\\e.html", "f;.docx"]
    True
    """
    return SEPARATOR.join(name.replace("\\", "\\\\").replace(";", "\\;") for name in names)


def split_names(text: str) -> list[str]:
    """The file names of :func:`join_names`' text (a list written before names were escaped reads the same)."""
    names: list[str] = []
    current: list[str] = []
    characters = iter(text)
    for ch in characters:
        if ch == "\\":
            current.append(next(characters, ""))
        elif ch == ";":
            names.append("".join(current))
            current = []
            next_ch = next(characters, "")
            if next_ch != " ":
                current.append(next_ch)
        else:
            current.append(ch)
    names.append("".join(current))
    return [name for name in names if name]
