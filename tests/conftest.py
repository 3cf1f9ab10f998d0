from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW_DOCS = ROOT / "raw_docs"
GOLDEN = ROOT / "tests" / "golden"
SEED = RAW_DOCS / "jiaxing_2021.txt"


def is_scan(path: Path) -> bool:
    """Scanned fixtures (``raw_docs/*_scan*``) need OCR: tests/test_scan.py and
    benchmarks/ocr_accuracy.py cover them, the per-format tests leave them out."""
    return "_scan" in path.stem


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current pipeline instead of comparing (review the git diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
