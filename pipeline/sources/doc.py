"""Word 97-2003 (.doc) and WPS (.wps) notices: OLE files converted by LibreOffice.

The file is converted to .docx by ``soffice --headless --convert-to docx`` and
read with :mod:`pipeline.sources.docx`. Every call gets its own temporary
directory, holding the input, the output and a fresh LibreOffice profile
(``-env:UserInstallation``), so concurrent conversions do not share a
profile lock; the directory is removed afterwards. A conversion that takes
longer than :data:`TIMEOUT` seconds is killed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import InputTooLarge, UnreadableInput
from pipeline.model import Document
from pipeline.rules import Rules
from pipeline.sources import docx

TIMEOUT = 120


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, rules: Rules) -> Document:
    soffice = find_soffice()
    if soffice is None:
        raise UnreadableInput("Word 97-2003/WPS file: install LibreOffice to convert it")
    converted = convert(data, soffice)
    document = docx.read(converted, rules)
    return Document(blocks=document.blocks, source_format="doc")


def convert(data: bytes, soffice: str) -> bytes:
    """The .docx LibreOffice makes of an OLE Word/WPS file."""
    with tempfile.TemporaryDirectory(prefix="pipeline-doc-") as tmp:
        work = Path(tmp)
        source = work / "notice.doc"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise InputTooLarge(f"LibreOffice took more than {TIMEOUT} s to convert the file") from None
        except OSError as exc:
            raise UnreadableInput(f"LibreOffice could not be started ({exc})") from None
        result = work / "out" / "notice.docx"
        if not result.exists():
            raise UnreadableInput("LibreOffice could not convert this Word 97-2003/WPS file")
        return result.read_bytes()
