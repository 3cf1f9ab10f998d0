"""Every notice in raw_docs/ against its golden CSVs in tests/golden/<file name>/.

Adding raw_docs/X plus tests/golden/X/ adds a test. To accept a deliberate
change, run ``python -m pytest tests/test_golden.py --update-golden`` and
review ``git diff tests/golden``. The notices are ingested by
:func:`pipeline.ingest.ingest_file`, as the command line does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.diff import diff_folders
from pipeline.schema import TABLES
from pipeline.write import to_csv
from tests.conftest import GOLDEN, NOTICES, Ingested

# Fixtures in layouts that no reader handles yet (issue 10), so they have no golden files.
# Strict: when a reader learns one, write its golden files and take it off this list.
PENDING_READER: frozenset[str] = frozenset()


def _param(notice: Path) -> object:
    if notice.name in PENDING_READER:
        return pytest.param(notice, marks=pytest.mark.xfail(strict=True, reason="layout not read yet (issue 10)"))
    return notice


@pytest.mark.parametrize("notice", [_param(p) for p in NOTICES], ids=[p.name for p in NOTICES])
def test_matches_golden(notice: Path, ingested: Callable[[Path], Ingested], update_golden: bool) -> None:
    if update_golden and notice.name in PENDING_READER:
        pytest.skip("no golden files for a layout no reader handles yet: take it off PENDING_READER first")
    out, parsed = ingested(notice)
    golden = GOLDEN / notice.name
    if update_golden:
        golden.mkdir(parents=True, exist_ok=True)
        for table, schema in TABLES.items():  # the exact text (the CSV copies neutralise formulas)
            rows = pq.read_table(out / table / f"{parsed.notice_id}.parquet").to_pylist()
            (golden / f"{table}.csv").write_bytes(to_csv(schema, rows))
        return
    assert golden.is_dir(), f"no golden files for {notice.name}: run with --update-golden and review them"
    differences = diff_folders(golden, out)
    assert not differences, f"{notice.name} differs from its golden files:\n" + "\n".join(differences[:80])


def test_every_golden_folder_has_a_notice() -> None:
    orphans = sorted({p.name for p in GOLDEN.iterdir() if p.is_dir()} - {p.name for p in NOTICES})
    assert not orphans, f"golden folders without a notice in raw_docs/: {orphans}"
