"""Word 97-2003 / WPS files: converted by LibreOffice when it is installed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline import layouts, sources
from pipeline.errors import UnreadableInput
from pipeline.rules import Rules
from pipeline.sources import doc as doc_reader
from pipeline.tables import document_to_tasks
from tests.conftest import RAW_DOCS


def test_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch, rules: Rules) -> None:
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    with pytest.raises(UnreadableInput, match="install LibreOffice"):
        sources.read(ole, rules)


@pytest.mark.slow
@pytest.mark.skipif(doc_reader.find_soffice() is None, reason="LibreOffice is not installed")
def test_doc_converted_by_libreoffice_reads_like_the_text(tmp_path: Path, rules: Rules) -> None:
    """A Word 97-2003 copy of the seed (made here by LibreOffice) gives the text version's tables."""
    soffice = doc_reader.find_soffice()
    assert soffice is not None
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(tmp_path), str(RAW_DOCS / "jiaxing_2021.docx")],
        capture_output=True, timeout=180, check=True,
    )
    data = (tmp_path / "jiaxing_2021.doc").read_bytes()
    assert sources.sniff(data) == "doc"
    got = sources.read(data, rules)
    assert got.source_format == "doc"
    want = layouts.apply(sources.read((RAW_DOCS / "jiaxing_2021.txt").read_bytes(), rules), rules)
    assert document_to_tasks(got, rules) == document_to_tasks(want, rules)
