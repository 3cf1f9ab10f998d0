"""Bytes of a text notice (or a web page) -> str: the encodings the genre is published in.

In order, stopping at the first that fits:

1. A byte-order mark: UTF-32 or UTF-16 (LE/BE; Notepad's "Unicode") decode as
   the mark says, or fail naming it. After a UTF-8 mark the text is still
   tried as GB18030 and Big5 (an editor that wrote a BOM before GBK bytes).
2. UTF-16 without a mark, recognised by its NUL bytes all falling on odd (LE)
   or even (BE) offsets.
3. UTF-8, then GB18030 (a superset of GBK and GB2312): the common case, and
   fast.
4. Big5 decodes as GB18030 too, into kana, Greek, Cyrillic and private-use
   characters; when GB18030 fails or reads like that, charset-normalizer
   chooses among GB18030, Big5 and its Microsoft and Hong Kong variants.

Decoded text holding a NUL character is binary, wherever the NUL is (the
sniffer refuses one in the first 4 KB the same way). Line ends are normalised
to ``\\n``.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from pipeline.errors import UnreadableInput


class _Bom(NamedTuple):
    mark: bytes
    codec: str
    name: str


_BOMS = (
    _Bom(codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),  # before UTF-16 LE: it starts with the same bytes
    _Bom(codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    _Bom(codecs.BOM_UTF8, "utf-8", "UTF-8"),
    _Bom(codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    _Bom(codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
ENCODINGS = ("utf-8", "gb18030")  # tried first, in order
DETECTED = ("gb18030", "big5", "cp950", "big5hkscs")  # charset-normalizer chooses among these
# What Big5 bytes turn into when read as GB18030; a GBK notice has next to none.
_UNLIKELY = re.compile("[\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u3100-\u312f\ue000-\uf8ff]")
_HEAD = 4096
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def decode(data: bytes, what: str = "text") -> str:
    """The text of ``data``, line ends normalised; ``what`` names it in errors.

    >>> decode("序号\\r\\n".encode("gbk"))
    '序号\\n'
    >>> decode(codecs.BOM_UTF16_LE + "序号\\r\\n".encode("utf-16-le"))
    '序号\\n'
    """
    text = _decode(data, what)
    nul = text.find("\0")
    if nul >= 0:
        raise UnreadableInput(f"binary data in a {what} file (a NUL character at character {nul})")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, what: str) -> str:
    bom = next((b for b in _BOMS if data.startswith(b.mark)), None)
    if bom is not None and bom.codec != "utf-8":
        try:
            return data[len(bom.mark) :].decode(bom.codec)
        except UnicodeDecodeError as exc:
            raise UnreadableInput(
                f"{what} has a {bom.name} byte-order mark but is not valid {bom.name}"
                f" (at byte {exc.start + len(bom.mark)})"
            ) from None
    body = data[len(bom.mark) :] if bom is not None else data
    utf16 = _utf16_order(body[:_HEAD])
    if utf16 is not None:
        try:
            return body.decode(utf16)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: tried as the others below
    failures: list[str] = []
    for encoding in ENCODINGS:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            failures.append(f"{encoding.upper()} fails at byte {exc.start + len(data) - len(body)}")
            continue
        if encoding == "utf-8" or not _looks_wrong(text):
            return text
        failures.append(f"{encoding.upper()} gives unlikely characters")
    detected = _detect(body)
    if detected is not None:
        return detected
    raise UnreadableInput(f"not valid UTF-8 or GB18030 {what}, nor Big5 or UTF-16 ({', '.join(failures)})")


def _looks_wrong(text: str) -> bool:
    """Kana, Greek, Cyrillic or private-use characters in more than 1 % of the non-ASCII
    text (of the first 100,000 characters: enough to tell, and fast on a large file)."""
    sample = text[:100_000]
    foreign = len(sample) - len(sample.encode("ascii", "ignore"))
    return foreign > 0 and len(_UNLIKELY.findall(sample)) * 100 > foreign


def _detect(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body, cp_isolation=list(DETECTED)).best()
    return None if best is None else str(best)


def _utf16_order(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark: its NULs (the high bytes of ASCII: tabs, line
    ends, digits) all on one side, and no control characters once decoded."""
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd + even < max(2, len(head) // 64):
        return None
    order = "utf-16-le" if odd >= 0.9 * (odd + even) else "utf-16-be" if even >= 0.9 * (odd + even) else None
    if order is None:
        return None
    try:
        text = codecs.getincrementaldecoder(order)().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return None if _CONTROLS.search(text) else order


def sniff_text(head: bytes) -> str | None:
    """The start of ``head`` decoded, if it can start a text in one of the genre's encodings.

    ``head`` may end inside a multi-byte character: it is decoded as a prefix.

    >>> sniff_text("序号".encode("gbk"))
    '序号'
    >>> sniff_text(b"\\x00\\x01binary\\x00") is None
    True
    """
    bom = next((b for b in _BOMS if head.startswith(b.mark)), None)
    body = head[len(bom.mark) :] if bom is not None else head
    if bom is not None and bom.codec != "utf-8":
        codecs_to_try: tuple[str, ...] = (bom.codec,)
    else:
        utf16 = _utf16_order(body)
        codecs_to_try = (utf16,) if utf16 is not None else ENCODINGS
    for codec in codecs_to_try:
        try:
            text: str = codecs.getincrementaldecoder(codec)().decode(body, final=False)
        except UnicodeDecodeError:
            continue
        return None if "\0" in text else text
    return None
