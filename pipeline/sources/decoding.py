"""Bytes of a text notice -> str: the encodings the genre is published in.

UTF-8 with or without BOM, then GB18030 (a superset of GBK and GB2312); line
ends are normalised to ``\\n``.
"""

from __future__ import annotations

from pipeline.errors import UnreadableInput

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; normalise line ends.

    >>> decode("序号\\r\\n".encode("gbk"))
    '序号\\n'
    """
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise UnreadableInput("not valid UTF-8 or GB18030 text")
