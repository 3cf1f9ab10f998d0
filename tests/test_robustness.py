"""Bad input: the only outcomes are a result or the pipeline's own error.

Property-based tests feed random bytes and mutated notices of every format to
the readers and the whole parse. A mixed folder of good notices and every kind
of bad input ingests the good ones, names each bad one, exits 1, and a second
run gives byte-identical output.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.ingest import parse_bytes
from pipeline.rules import Rules
from tests.builders import ENCRYPT, image_only_pdf, pdf_bytes, pdf_text, zip_bytes
from tests.conftest import GOLDEN, RAW_DOCS, tree_digest

FIXTURES = {p.suffix: p.read_bytes() for p in sorted(RAW_DOCS.glob("jiaxing_2021.*"))}


def fast(examples: int) -> settings:
    """Derandomized (CI reruns the same cases), no per-example deadline: PDFs parse slowly."""
    return settings(max_examples=examples, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def _parse_or_own_error(data: bytes, rules: Rules) -> None:
    try:
        parse_bytes(data, "fuzzed", rules)
    except PipelineError as exc:
        assert str(exc) and "\n" not in str(exc)


@fast(150)
@given(data=st.binary(max_size=4096))
def test_random_bytes(data: bytes, rules: Rules) -> None:
    _parse_or_own_error(data, rules)


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del data[at : at + draw(st.integers(1, 256))]
    return bytes(data)


@pytest.mark.parametrize(
    ("suffix", "examples"),
    [(".txt", 60), (".html", 60), (".docx", 40), pytest.param(".pdf", 12, marks=pytest.mark.slow)],
)
def test_mutated_notice(suffix: str, examples: int, rules: Rules) -> None:
    @fast(examples)
    @given(mutated(FIXTURES[suffix]))
    def check(data: bytes) -> None:
        _parse_or_own_error(data, rules)

    check()


# ---------------------------------------------------------------- the mixed folder


def _bomb() -> bytes:
    """A docx whose document.xml really inflates to 300 MB (about 300 KB on disk)."""
    buffer = io.BytesIO()
    chunk = b" " * (1 << 20)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(chunk)
    return buffer.getvalue()


BAD = {
    "empty.txt": (lambda: b"", "empty file"),
    "truncated.pdf": (lambda: FIXTURES[".pdf"][: len(FIXTURES[".pdf"]) // 2], "PDF is truncated"),
    "encrypted.pdf": (lambda: pdf_bytes([pdf_text(50, 300, "Secret")], encrypt=ENCRYPT), "PDF is encrypted"),
    "scanned.pdf": (image_only_pdf, "scanned PDF: "),
    "broken.docx": (lambda: FIXTURES[".docx"][: len(FIXTURES[".docx"]) // 2], "broken zip archive"),
    "random.bin": (lambda: random.Random(7).randbytes(5000), "unknown format"),
    "spreadsheet.xlsx": (lambda: zip_bytes({"xl/workbook.xml": b"<workbook/>"}), "zip archive without a Word document"),
    "no_table.txt": (lambda: "某市人民政府办公室关于某事的通知\n请认真贯彻执行。\n".encode(), "no responsibility table"),
    "bomb.docx": (_bomb, "inflate"),
    "notice.pdf.txt": (lambda: FIXTURES[".pdf"][:2000], "PDF is truncated"),  # mislabelled: name says text
}


@dataclass(frozen=True)
class Runs:
    out: Path
    codes: tuple[int, int]
    errors: list[str]  # stderr lines of the first run
    stdout: str
    digests: tuple[dict[str, str], dict[str, str]]  # the output folder after each run


# The notices a reader handles (those with golden files); layout fixtures still
# waiting for a reader (issue 10) would fail for the wrong reason here.
# Good notices: the text copies and the seed's Word and web copies (the PDFs have their own tests).
READ_NOTICES = sorted(
    p for p in [*RAW_DOCS.glob("*.txt"), RAW_DOCS / "jiaxing_2021.docx", RAW_DOCS / "jiaxing_2021.html"]
    if (GOLDEN / p.name).is_dir()
)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """A folder of good notices and every kind of bad input, ingested twice with --jobs 2."""
    import contextlib

    folder = tmp_path_factory.mktemp("mixed")
    for path in READ_NOTICES:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "bad").mkdir()
    for name, (make, _) in BAD.items():
        (folder / "bad" / name).write_bytes(make())
    out = tmp_path_factory.mktemp("mixed-out")
    err, std = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
        first = main(["ingest", str(folder), "--out", str(out), "--jobs", "2"])
    digest = tree_digest(out)
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        second = main(["ingest", str(folder), "--out", str(out), "--quiet"])
    return Runs(out, (first, second), err.getvalue().splitlines(), std.getvalue(), (digest, tree_digest(out)))


@pytest.mark.parametrize("name", BAD)
def test_mixed_folder_names_each_bad_file(name: str, mixed: Runs) -> None:
    message = BAD[name][1]
    line = next((e for e in mixed.errors if f"bad/{name}:" in e), None)
    assert line is not None and message in line, (name, line)


def test_mixed_folder_one_line_per_bad_file_and_exit_1(mixed: Runs) -> None:
    assert mixed.codes == (1, 1)
    assert len(mixed.errors) == len(BAD)
    assert not [e for e in mixed.errors if "Traceback" in e or "internal error" in e]


def test_mixed_folder_writes_every_good_notice(mixed: Runs) -> None:
    """Every good file is ingested; copies of one notice are one document: the seed's three formats,
    and the yunling notice in its text layouts and encodings."""
    files: dict[str, set[str]] = {}
    for path in READ_NOTICES:
        with (GOLDEN / path.name / "documents.csv").open(encoding="utf-8-sig") as handle:
            files.setdefault(next(csv.DictReader(handle))["notice_id"], set()).add(path.name)
    copies = sorted(sorted(names) for names in files.values() if len(names) > 1)
    assert copies == [
        ["jiaxing_2021.docx", "jiaxing_2021.html", "jiaxing_2021.txt"],
        sorted(p.name for p in READ_NOTICES if p.name.startswith("yunling_2024")),
    ]
    assert len(copies[1]) >= 9
    written = sorted(p.stem for p in (mixed.out / "documents").glob("*.parquet"))
    assert written == sorted(files)
    assert f"ingested {len(READ_NOTICES)}, failed {len(BAD)}, skipped 0" in mixed.stdout


def test_mixed_folder_second_run_is_byte_identical(mixed: Runs) -> None:
    first, second = mixed.digests
    assert first and first == second
