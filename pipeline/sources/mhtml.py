"""MHTML web archives (.mht/.mhtml): a page a browser saved "as a single file".

The archive is a MIME message (``multipart/related``) holding the page and
its images and styles. The first ``text/html`` part is the notice: its
transfer encoding (quoted-printable, base64) is undone by the standard
library's :mod:`email` parser and the page is read by
:mod:`pipeline.sources.html`, the part's declared charset first.
"""

from __future__ import annotations

import email
import email.policy

from pipeline.errors import UnreadableInput
from pipeline.model import Document
from pipeline.rules import Rules
from pipeline.sources import html


def read(data: bytes, rules: Rules) -> Document:
    page, charset = _page(data)
    document = html.read(page, rules, charset)
    return Document(blocks=document.blocks, source_format="mhtml", warnings=document.warnings)


def _page(data: bytes) -> tuple[bytes, str | None]:
    """The bytes of the archive's first HTML part and its declared charset."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes) and payload.strip():
                    return payload, part.get_content_charset()
    except (RecursionError, LookupError, ValueError) as exc:  # nested past Python's stack, bad headers
        raise UnreadableInput(f"broken web archive ({type(exc).__name__})") from None
    raise UnreadableInput("web archive (MHTML) without an HTML page")
