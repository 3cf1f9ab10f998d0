from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.ingest import Parsed, ingest_file
from pipeline.rules import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent
RAW_DOCS = ROOT / "raw_docs"
GOLDEN = ROOT / "tests" / "golden"
SEED = RAW_DOCS / "jiaxing_2021.txt"


def is_scan(path: Path) -> bool:
    """Scanned fixtures (``raw_docs/*_scan*``) need OCR: tests/test_scan.py and
    benchmarks/ocr_accuracy.py cover them, the per-format tests leave them out."""
    return "_scan" in path.stem


# Every fixture notice but the scans: the golden and per-format tests run over these.
NOTICES = sorted(p for p in RAW_DOCS.iterdir() if p.is_file() and not p.name.startswith(".") and not is_scan(p))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current pipeline instead of comparing (review the git diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The repository's rules, loaded once per test run."""
    return load_rules()


Ingested = tuple[Path, Parsed]


@pytest.fixture(scope="session")
def ingested(rules: Rules, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Ingested]:
    """``ingested(path)``: the output folder and rows of one raw_docs/ notice, ingested once per test run.

    The golden, cross-format and reader tests share it, so each fixture (a
    PDF takes a few hundred ms) is parsed once.
    """
    done: dict[Path, Ingested] = {}

    def ingest(path: Path) -> Ingested:
        if path not in done:
            out = tmp_path_factory.mktemp(path.name)
            done[path] = (out, ingest_file(path, out, rules))
        return done[path]

    return ingest


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file a reader sees under ``folder`` (relative path) with the SHA-256 of its bytes.

    Symbolic links to folders are followed (an output folder's tables link into
    its current snapshot); the store's own ``.store`` is not what readers see.
    """
    import os

    found = {}
    for top, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != ".store")
        for name in sorted(files):
            path = Path(top) / name
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# PDFs of a notice printed in another page layout (scripts/make_pdf_layouts.py): their text version
# and expected parse are those of the notice named here; tests/test_pdf_layouts.py checks them.
PDF_LAYOUTS = {"yunling_2024_unruled.pdf": "yunling_2024"}

