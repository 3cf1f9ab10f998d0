"""Words found in simplified characters, returned as the notice writes them.

Stages match words on :func:`pipeline.simplified.to_simplified` of a text,
which has the same length as the text, so a span found in the simplified
text is the same span of the text as written. A phrase built from the
simplified text (an indicator, a verb) is mapped back piece by piece: each
longest piece of it that occurs in the simplified text, at the occurrence
nearest before an anchor (the target's number), is replaced by the written
characters at that place. A phrase joined from two places (a 分别 item and
its shared tail) maps back in two pieces.
"""

from __future__ import annotations


def as_written(phrase: str | None, simple: str, written: str, anchor: int) -> str | None:
    """``phrase`` (taken from ``simple``) in the characters of ``written``.

    >>> as_written("地区生产总值", "全市地区生产总值增长", "全市地區生產總值增長", 10)
    '地區生產總值'
    >>> as_written("工业增加值比重", "工业、农业增加值比重", "工業、農業增加值比重", 10)
    '工業增加值比重'
    """
    if not phrase or simple == written:
        return phrase
    out = []
    start = 0
    while start < len(phrase):
        for end in range(len(phrase), start, -1):
            piece = phrase[start:end]
            at = _nearest(simple, piece, anchor)
            if at >= 0:
                out.append(written[at : at + len(piece)])
                start = end
                break
        else:  # a character the text does not hold: keep it
            out.append(phrase[start])
            start += 1
    return "".join(out)


def _nearest(text: str, piece: str, anchor: int) -> int:
    """Where ``piece`` occurs in ``text``: the last place starting before ``anchor``, else the first."""
    at = text.rfind(piece, 0, max(anchor, 0) + len(piece) - 1) if anchor > 0 else -1
    return at if at >= 0 else text.find(piece)
