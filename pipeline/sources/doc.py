"""Word 97-2003 (.doc) and WPS (.wps) notices: OLE files converted by LibreOffice.

The file is converted to .docx by ``soffice --headless --convert-to docx`` and
read with :mod:`pipeline.sources.docx`. Every call gets its own temporary
folder (:func:`pipeline.sources.sandbox.work_folder`), holding the input, the
output and a fresh LibreOffice profile (``-env:UserInstallation``), so
concurrent conversions do not share a profile lock.

A notice may link an image or another file by URL, and LibreOffice fetches
it while converting (an OPTIONS, HEAD and GET to the linked host were seen).
So the conversion never reaches a network: it runs in a network namespace of
its own when the system allows one (:mod:`pipeline.sources.sandbox`), and the
profile is written before LibreOffice starts with every protocol sent to a
proxy that does not exist (``127.0.0.1:9``) and link updates off; with that
profile LibreOffice makes no connection at all, namespace or not. The
conversion is killed, with every process it started, after :data:`TIMEOUT`
seconds or when the pipeline's own time limit or Ctrl-C interrupts it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.errors import UnreadableInput
from pipeline.model import Document
from pipeline.rules import Rules
from pipeline.sources import docx, sandbox

TIMEOUT = 120

_SETTINGS = {
    "/org.openoffice.Inet/Settings": {
        "ooInetProxyType": "1",  # manual proxies …
        "ooInetNoProxy": "",  # … for every host
        **{f"ooInet{kind}ProxyName": "127.0.0.1" for kind in ("HTTP", "HTTPS", "FTP")},
        **{f"ooInet{kind}ProxyPort": "9" for kind in ("HTTP", "HTTPS", "FTP")},  # discard: nothing listens
    },
    "/org.openoffice.Office.Writer/Content/Update": {"Link": "2"},  # never update links
    "/org.openoffice.Office.Common/Security/Scripting": {"BlockUntrustedRefererLinks": "true"},
}


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, rules: Rules) -> Document:
    soffice = find_soffice()
    if soffice is None:
        raise UnreadableInput("Word 97-2003/WPS file: install LibreOffice to convert it")
    converted = convert(data, soffice)
    document = docx.read(converted, rules)
    return Document(blocks=document.blocks, source_format="doc")


def convert(data: bytes, soffice: str, target: str = "docx:MS Word 2007 XML", seconds: float = TIMEOUT) -> bytes:
    """What LibreOffice makes of ``data`` (by default a .docx of an OLE Word/WPS file)."""
    with sandbox.work_folder() as work:
        source = work / "notice.doc"
        source.write_bytes(data)
        profile = work / "profile"
        write_profile(profile)
        command = [
            *sandbox.isolation(),
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless", "--norestore", "--nolockcheck",
            "--convert-to", target,
            "--outdir", str(work / "out"),
            str(source),
        ]
        try:
            sandbox.run(command, seconds, "LibreOffice's conversion")
        except OSError as exc:
            raise UnreadableInput(f"LibreOffice could not be started ({exc})") from None
        results = sorted((work / "out").glob("notice.*"))
        if not results:
            raise UnreadableInput("LibreOffice could not convert this Word 97-2003/WPS file")
        return results[0].read_bytes()


def write_profile(folder: Path) -> None:
    """A LibreOffice user profile holding :data:`_SETTINGS` (read when LibreOffice starts)."""
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, props in _SETTINGS.items()
        for name, value in props.items()
    )
    (folder / "user").mkdir(parents=True)
    (folder / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
        ' xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n",
        encoding="utf-8",
    )
