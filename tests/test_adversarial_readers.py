"""Hostile and unlucky inputs for the readers (issue 11): one case per class, ids naming it.

* ``READ``: valid files of unusual shape (XHTML, UTF-16, hidden Word text, a
  frame table, a web archive …) give the same tasks and targets as the plain
  notice they carry.
* ``REFUSED``: bombs and broken files are one line on stderr naming the file,
  exit 1 and nothing in the output folder. Each runs the command line in a
  subprocess under an address-space limit (:data:`ADDRESS_SPACE`), so a
  regression fails the test instead of taking the machine down.
* ``.doc`` conversion (LibreOffice installed): no request reaches a local
  listener the document links to, and a conversion stopped by the time limit
  leaves no process and no temporary folder.

The builders are in :mod:`tests.hostile`.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import os
import resource
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline import sources
from pipeline.errors import InputTooLarge, PipelineError, UnreadableInput
from pipeline.ingest import Parsed, parse_bytes
from pipeline.model import Document
from pipeline.rules import Rules
from pipeline.sources import decoding
from tests import hostile
from tests.conftest import RAW_DOCS

ADDRESS_SPACE = 1536 * 2**20  # 1.5 GB of address space for a refused file's whole process
MEMORY_BOUND_MB = 1024  # and what it may really use

# -- valid files of unusual shape --------------------------------------------------------


def _pdf_with_trailing_bytes() -> bytes:
    return (RAW_DOCS / "jiaxing_2021.pdf").read_bytes() + b"\r\n" + bytes(range(256)) * 16


READ: dict[str, tuple[Callable[[], bytes], str]] = {
    # §1: XHTML and other web pages whose first bytes are not <html>
    "xhtml-prologue": (hostile.xhtml_prologue, "html"),
    "html-title-first": (hostile.html_title_first, "html"),
    "html-comments-first": (hostile.html_comments_first, "html"),
    "html-utf16-le-bom": (lambda: hostile.html_utf16("utf-16-le"), "html"),
    "html-utf16-be-bom": (lambda: hostile.html_utf16("utf-16-be"), "html"),
    "html-bogus-charset": (lambda: hostile.html_title_first().replace(b'charset="utf-8"', b'charset="rot13"'), "html"),
    "html-undefined-charset": (lambda: hostile.html_title_first().replace(b'charset="utf-8"', b'charset="undefined"'), "html"),
    # §17: 300 unclosed <div>s (libxml2's default depth limit is 256), an MHTML archive
    "html-300-unclosed-divs": (lambda: hostile.html_unclosed_divs(300), "html"),
    "mhtml-web-archive": (hostile.mhtml_archive, "mhtml"),
    # §3: hidden and deleted Word text is not part of the notice
    "docx-vanish-run": (hostile.docx_vanish_run, "docx"),
    "docx-vanish-style": (hostile.docx_vanish_style, "docx"),
    "docx-vanish-paragraph": (hostile.docx_vanish_paragraph, "docx"),
    "docx-vanish-mark-only": (hostile.docx_vanish_mark_only, "docx"),
    "docx-deleted-text": (hostile.docx_deleted, "docx"),
    "docx-hidden-row": (lambda: hostile.docx_hidden_row("<w:hidden/>"), "docx"),
    "docx-deleted-row": (lambda: hostile.docx_hidden_row('<w:del w:id="9" w:author="x"/>'), "docx"),
    # §17: the main part under another name, a frame table
    "docx-main-part-document2": (lambda: hostile.docx_package(hostile.notice_body(), main="word/document2.xml"), "docx"),
    "docx-frame-table": (hostile.docx_frame_table, "docx"),
    # §16: the encodings of text copies
    "text-utf16-le-bom": (lambda: codecs.BOM_UTF16_LE + hostile.tab_notice().replace("\n", "\r\n").encode("utf-16-le"), "text"),
    "text-utf16-be-bom": (lambda: codecs.BOM_UTF16_BE + hostile.tab_notice().encode("utf-16-be"), "text"),
    "text-utf16-le-no-bom": (lambda: hostile.tab_notice().encode("utf-16-le"), "text"),
    "text-utf8-bom-then-gbk": (lambda: codecs.BOM_UTF8 + hostile.tab_notice().encode("gbk"), "text"),
}


@pytest.fixture(scope="module")
def plain(rules: Rules) -> Parsed:
    """The notice the cases carry, as the plain tab-separated UTF-8 text."""
    return parse_bytes(hostile.tab_notice().encode(), "plain.txt", rules)


def _summary(parsed: Parsed) -> list[tuple[object, ...]]:
    """Tasks (id, text), units (task id, unit, role) and targets (task id, value, unit)."""
    tasks = [(t["task_id"], t["text"]) for t in parsed.tables["tasks"]]
    units = [(u["task_id"], u["unit"], u["role"]) for u in parsed.tables["task_units"]]
    values = [(t["task_id"], t["value"], t["unit"]) for t in parsed.tables["targets"]]
    return [*tasks, *units, *values]


def test_plain_notice_is_read(plain: Parsed) -> None:
    assert [t["text"] for t in plain.tables["tasks"]] == hostile.TASK_TEXTS
    assert [t["value"] for t in plain.tables["targets"]] == [300, 1.2, 45]


@pytest.mark.parametrize("case", READ)
def test_unusual_file_reads_like_the_plain_notice(case: str, plain: Parsed, rules: Rules) -> None:
    make, fmt = READ[case]
    data = make()
    assert sources.sniff(data) == fmt
    parsed = parse_bytes(data, case, rules)
    assert parsed.source_format == fmt
    assert _summary(parsed) == _summary(plain)


def test_hidden_word_row_would_be_a_task(plain: Parsed, rules: Rules) -> None:
    """The hidden-row case is meaningful: the same row visible (``w:val="0"``) is a fourth task."""
    parsed = parse_bytes(hostile.docx_hidden_row('<w:hidden w:val="0"/>'), "visible.docx", rules)
    assert [t["text"] for t in parsed.tables["tasks"]] == [*hostile.TASK_TEXTS, hostile.EXTRA_ROW[1]]


def test_hidden_paragraph_mark_runs_on(rules: Rules) -> None:
    """Only the mark hidden: one line in the cell, not two (the text itself stays)."""
    cell = sources.read(hostile.docx_vanish_mark_only(), rules).tables[0].rows[1][1]
    assert cell == "新认定高新技术企业300家。"


def test_pdf_bytes_after_eof(rules: Rules) -> None:
    """A valid PDF followed by other bytes (a signature block, padding) is read, not called truncated."""
    plain_pdf = parse_bytes((RAW_DOCS / "jiaxing_2021.pdf").read_bytes(), "a.pdf", rules)
    padded = parse_bytes(_pdf_with_trailing_bytes(), "b.pdf", rules)
    assert _summary(padded) == _summary(plain_pdf) and len(padded.tables["tasks"]) == 125


@pytest.mark.parametrize(
    ("fixture", "same_text_as"),
    [("yunling_2024_utf16.txt", "yunling_2024.txt"), ("yunling_2024_big5.txt", "yunling_2024_trad.txt")],
    ids=["fixture-utf16", "fixture-big5"],
)
def test_encoded_fixture_decodes_to_its_source(fixture: str, same_text_as: str) -> None:
    """Issue 10 §11: the UTF-16 copy is the base text, the Big5 copy the traditional text."""
    want = (RAW_DOCS / same_text_as).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert decoding.decode((RAW_DOCS / fixture).read_bytes()) == want


def test_big5_is_not_read_as_gb18030() -> None:
    """Big5 bytes are valid GB18030 too (as kana, Greek and rare characters); the detector picks Big5."""
    text = "雲嶺市人民政府辦公室關於印發2024年重點工作責任分解的通知\n\t序號\n\t工作任務\n\t牽頭單位\n"
    data = text.encode("big5")
    data.decode("gb18030")  # decodes without error: the trap
    assert decoding.decode(data) == text


def test_library_warnings_become_document_warnings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], rules: Rules
) -> None:
    """A library's warnings and log records while reading are kept with the document, not printed."""
    from pipeline.sources import text

    read = text.read

    def noisy(data: bytes, rules: Rules) -> Document:
        for _ in range(500):
            logging.getLogger("some.library").warning("CropBox missing, defaulting to MediaBox")
        warnings.warn("a deprecated call", UserWarning, stacklevel=1)
        return read(data, rules)

    monkeypatch.setattr(text, "read", noisy)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as on the command line: nothing configured
    document = sources.read(hostile.tab_notice().encode(), rules)
    assert capsys.readouterr().err == ""
    assert [(w.where, w.what) for w in document.warnings] == [
        ("some.library", "CropBox missing, defaulting to MediaBox (×500)"),
        ("UserWarning from test_adversarial_readers.py", "a deprecated call"),
    ]


def test_library_warnings_also_printed_when_debugging(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], rules: Rules
) -> None:
    """With logging configured (``ingest --debug``) they reach stderr too; the document keeps them the same."""
    from pipeline.sources import text

    read = text.read

    def noisy(data: bytes, rules: Rules) -> Document:
        logging.getLogger("some.library").warning("odd table")
        warnings.warn("a deprecated call", UserWarning, stacklevel=1)
        return read(data, rules)

    monkeypatch.setattr(text, "read", noisy)
    monkeypatch.setattr(logging.getLogger(), "handlers", [logging.StreamHandler(sys.stderr)])
    document = sources.read(hostile.tab_notice().encode(), rules)
    assert capsys.readouterr().err.splitlines() == ["odd table", "UserWarning from test_adversarial_readers.py: a deprecated call"]
    assert [w.what for w in document.warnings] == ["odd table", "a deprecated call"]


@pytest.mark.slow
@pytest.mark.parametrize("case", ["mhtml-web-archive", "html-utf16-le-bom", "docx-vanish-style", "docx-deleted-text", "text-utf16-le-bom"])
def test_mutated_unusual_file_is_read_or_refused_in_one_line(case: str, rules: Rules) -> None:
    """Damaged copies of the new shapes: a result or the pipeline's own one-line error (a zlib
    error reading ``_rels/.rels`` of a damaged package was neither)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    original = READ[case][0]()

    @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.integers(0, len(original) - 1), st.integers(1, 255), st.sampled_from(["flip", "truncate"]))
    def check(at: int, value: int, kind: str) -> None:
        data = bytearray(original)
        if kind == "flip":
            data[at] ^= value
        else:
            del data[at:]
        try:
            parse_bytes(bytes(data), case, rules)
        except PipelineError as exc:
            assert str(exc) and "\n" not in str(exc)

    check()


# -- refused files: one line, exit 1, nothing written, bounded memory -----------------------------


def _nul_after_head() -> bytes:
    text = hostile.tab_notice() * 40
    return (text[:3000] + "\0" + text[3000:]).encode()


def _undecodable() -> bytes:
    return hostile.tab_notice().encode("gbk") * 30 + b"\xff\xfe\x81\x20 " * 8


REFUSED: dict[str, tuple[Callable[[], bytes], str, str]] = {
    # §10: tiny files needing gigabytes
    "docx-gridspan-bomb": (hostile.docx_grid_span_bomb, "notice.docx", "× 2000000 columns is too large (limit 5000 columns)"),
    "docx-tblgrid-bomb": (hostile.docx_table_grid_bomb, "notice.docx", "× 110003 columns is too large (limit 5000 columns)"),
    "docx-xml-tag-bomb": (hostile.docx_tag_bomb, "notice.docx", "Word document holds more than 4000000 XML tags"),
    "html-colspan-bomb": (hostile.html_span_bomb, "notice.html", "is too large (limit 2000000 cells)"),
    # §17: deeper than the parser goes is said, not read in part
    "html-too-deep": (lambda: hostile.html_unclosed_divs(3000), "notice.html", "nested deeper than 2048"),
    "mhtml-without-page": (
        lambda: hostile.mhtml_archive().replace(b"text/html", b"text/plain"), "notice.mht", "web archive (MHTML) without an HTML page",
    ),
    # §12: the page limit is checked from the page tree
    "pdf-300k-pages": (lambda: hostile.pdf_many_pages(300_000), "notice.pdf", "PDF has 300000 pages (limit 2000)"),
    # §16 and §17: encodings and binary data
    "text-nul-after-4k": (_nul_after_head, "notice.txt", "binary data in a text file (a NUL character at character 3000)"),
    "text-utf16-bom-broken": (
        lambda: codecs.BOM_UTF16_LE + (hostile.tab_notice() * 40).encode("utf-16-le") + b"\x00\xdc", "notice.txt",
        "text has a UTF-16 LE byte-order mark but is not valid UTF-16 LE",
    ),
    "text-undecodable": (_undecodable, "notice.txt", "not valid UTF-8 or GB18030 text, nor Big5 or UTF-16 (UTF-8 fails at byte"),
}


@dataclasses.dataclass(frozen=True)
class Limited:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def run_limited(args: list[str], cwd: Path, timeout: float = 120) -> Limited:
    """Run ``args`` under :data:`ADDRESS_SPACE`, with its wall time and peak memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    # pyarrow's default allocator reserves ~1 GB of address space up front; the system one does not.
    env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "system"}
    out, err = cwd / "stdout.txt", cwd / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=stdout, stderr=stderr, cwd=cwd, env=env, preexec_fn=limit)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
    return Limited(process.returncode, out.read_text(), err.read_text(), seconds, usage.ru_maxrss / 1024)


@pytest.mark.slow
@pytest.mark.parametrize("case", REFUSED)
def test_refused_in_one_line_with_bounded_memory(case: str, tmp_path: Path) -> None:
    make, name, message = REFUSED[case]
    (tmp_path / name).write_bytes(make())
    run = run_limited([sys.executable, "-m", "pipeline", "ingest", name, "--out", "out"], tmp_path)
    assert run.code == 1, run.stderr
    assert run.stderr.splitlines() == [run.stderr.strip()], run.stderr  # one line
    assert run.stderr.startswith(f"error: {name}: ") and message in run.stderr, run.stderr
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()], "something was written"
    assert run.max_rss_mb < MEMORY_BOUND_MB, f"{run.max_rss_mb:.0f} MB"
    assert run.seconds < 30


@pytest.mark.slow
@pytest.mark.parametrize("pages", ["tree", "compact"])
def test_page_limit_from_the_page_tree(pages: str, tmp_path: Path) -> None:
    """§12: 300,000 pages (31 MB written out, or 8 KB with one page object repeated) refused in < 2 s."""
    data = hostile.pdf_many_pages(300_000) if pages == "tree" else hostile.pdf_repeated_pages(300, 1000)
    (tmp_path / "pages.pdf").write_bytes(data)
    code = (
        "import time, sys; from pathlib import Path; from pipeline import sources; from pipeline.rules import load_rules\n"
        "rules = load_rules(); data = Path('pages.pdf').read_bytes(); start = time.perf_counter()\n"
        "try: sources.read(data, rules)\n"
        "except Exception as exc: print(type(exc).__name__, exc)\n"
        "print(time.perf_counter() - start)\n"
    )
    run = run_limited([sys.executable, "-c", code], tmp_path)
    error, seconds = run.stdout.splitlines()
    assert error == "InputTooLarge PDF has 300000 pages (limit 2000)", run.stderr
    assert float(seconds) < 2.0 and run.max_rss_mb < MEMORY_BOUND_MB, (seconds, run.max_rss_mb)


@pytest.mark.slow
def test_every_unusual_file_ingests_quietly(tmp_path: Path) -> None:
    """On success nothing reaches stderr (no library warning or log line), exit 0, every file written."""
    folder = tmp_path / "in"
    folder.mkdir()
    for case, (make, _) in READ.items():
        (folder / case).write_bytes(make())
    (folder / "padded.pdf").write_bytes(_pdf_with_trailing_bytes())
    run = run_limited([sys.executable, "-m", "pipeline", "ingest", "in", "--out", "out", "--quiet"], tmp_path)
    assert (run.code, run.stderr) == (0, "")
    assert len(list((tmp_path / "out" / "documents").glob("*.parquet"))) == len(READ) + 1


# -- .doc conversion: no network, nothing left behind --------------------------------------------


def _soffice() -> str | None:
    from pipeline.sources import doc

    return doc.find_soffice()


needs_libreoffice = pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def listener() -> Iterator[hostile.Listener]:
    """A local HTTP server recording every connection and request it gets."""
    with hostile.Listener() as server:
        yield server


@pytest.fixture(scope="module")
def linked_doc(listener: hostile.Listener, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A Word 97-2003 notice whose image is linked from the listener (converted here from a .docx)."""
    folder = tmp_path_factory.mktemp("linked")
    (folder / "linked.docx").write_bytes(hostile.docx_linked_image(listener.url("/linked.png")))
    subprocess.run(
        [_soffice() or "soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(folder), str(folder / "linked.docx")],
        capture_output=True, timeout=180, check=True,
    )
    return (folder / "linked.doc").read_bytes()


@pytest.mark.slow
@needs_libreoffice
def test_linked_image_is_fetched_by_plain_libreoffice(linked_doc: bytes, listener: hostile.Listener) -> None:
    """The trap is real: LibreOffice, run plainly to make the .doc, fetched the linked image."""
    assert any(request.endswith("/linked.png") for request in listener.requests), listener.requests


@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize("isolation", ["namespace", "profile-only"])
def test_doc_conversion_makes_no_network_request(
    isolation: str, linked_doc: bytes, listener: hostile.Listener, monkeypatch: pytest.MonkeyPatch, rules: Rules
) -> None:
    """§7: converting reaches no network: in a network namespace, or (where none is allowed) by its profile."""
    from pipeline.sources import sandbox

    if isolation == "profile-only":
        monkeypatch.setattr(sandbox, "isolation", lambda: [])
    listener.clear()
    document = sources.read(linked_doc, rules)
    assert document.source_format == "doc" and document.tables[0].rows[1][1] == hostile.TASK_TEXTS[0]
    assert listener.connections == 0 and listener.requests == []


@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize("limit", [0.05, 0.4, 0.8])
def test_doc_conversion_stopped_by_the_time_limit_leaves_nothing(
    limit: float, linked_doc: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: Rules
) -> None:
    """§13: a conversion killed by the time limit leaves no LibreOffice process and no temporary folder."""
    import tempfile

    from pipeline.timelimit import time_limit

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with pytest.raises(InputTooLarge, match="time limit"), time_limit(limit):
        sources.read(linked_doc, rules)
    assert not _processes_mentioning(str(temp))
    assert list(temp.iterdir()) == []


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command:
            found.append(f"{entry}: {command}")
    return found


def test_stale_conversion_folder_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder left by a process killed outright goes at the next conversion; one in use stays."""
    import fcntl
    import tempfile

    from pipeline.sources import sandbox

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale, busy = tmp_path / f"{sandbox.PREFIX}stale", tmp_path / f"{sandbox.PREFIX}busy"
    for folder in (stale, busy):
        (folder / "profile").mkdir(parents=True)
        (folder / ".lock").touch()
        os.utime(folder, (time.time() - 3600, time.time() - 3600))
    with (busy / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with sandbox.work_folder() as work:
            assert work.is_dir()
        assert not stale.exists() and busy.is_dir() and not work.exists()


def test_nul_in_a_text_file_is_binary_wherever_it_is() -> None:
    """§17: the sniffer calls a NUL in the first 4 KB binary; the decoder does the same after it."""
    with pytest.raises(UnreadableInput, match="unknown format"):
        sources.sniff(b"\0" + hostile.tab_notice().encode())
    with pytest.raises(UnreadableInput, match="NUL"):
        decoding.decode(_nul_after_head())
