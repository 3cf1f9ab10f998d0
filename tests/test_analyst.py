"""The README's analyst examples, run as written, against counts made by hand.

The README's question — for each year, how many guaranteed (确保) targets does
each lead unit own? — is asked of the three fixture notices jiaxing_2021,
nanxi_2022 and qinghe_2023 in pandas and in DuckDB, with the code blocks
taken from README.md. Every copy of each notice is ingested (text, Word, PDF
and web page: twelve files); notice identity keeps each notice in the dataset
once, so the answer is the same as from one file per notice. tests/expected/guaranteed_by_lead_unit.csv holds the
answer counted by reading the notices (every 确保 clause, its targets, the
task's lead units), with where each count comes from.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from tests.conftest import RAW_DOCS, ROOT

README = ROOT / "README.md"
HAND_COUNTS = ROOT / "tests" / "expected" / "guaranteed_by_lead_unit.csv"
NAMES = ("jiaxing_2021", "nanxi_2022", "qinghe_2023")
FORMATS = (".txt", ".docx", ".pdf", ".html")
NOTICES = [RAW_DOCS / f"{name}{suffix}" for name in NAMES for suffix in FORMATS]

Counts = dict[tuple[int, str], int]


def readme_block(marker: str, language: str) -> str:
    """The fenced ``language`` block right after ``<!-- example: marker … -->`` in README.md."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- example: {re.escape(marker)}\b[^>]*-->\s*```{language}\n(.*?)```", text, re.S)
    assert found, f"README.md has no {language} block marked {marker!r}"
    return found.group(1)


@pytest.fixture(scope="module")
def analyst_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``parsed/``, the README's output folder, with the twelve files of the three notices."""
    folder = tmp_path_factory.mktemp("analyst")
    assert all(path.is_file() for path in NOTICES)
    assert main(["ingest", *map(str, NOTICES), "--out", str(folder / "parsed"), "-q"]) == 0
    return folder


def test_twelve_files_are_three_notices(analyst_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`pipeline list` shows one line per notice, each with its four files."""
    capsys.readouterr()
    assert main(["list", str(analyst_dir / "parsed")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3, lines
    for name in NAMES:
        line = next(line for line in lines if f"{name}.txt" in line)
        assert line.endswith("files " + "; ".join(f"{name}{suffix}" for suffix in FORMATS)), line
    assert sorted(line.split()[2] for line in lines) == ["2021", "2022", "2023"]


def hand_counts() -> Counts:
    with HAND_COUNTS.open(encoding="utf-8", newline="") as handle:
        return {(int(r["year"]), r["lead_unit"]): int(r["guaranteed_targets"]) for r in csv.DictReader(handle)}


def test_hand_counts_are_whole() -> None:
    counts = hand_counts()
    assert {year for year, _ in counts} == {2021, 2022, 2023}
    # 7, 6 and 6 guaranteed targets; in 2021 one task has two lead units (+1) and one has three (+2)
    assert sum(counts.values()) == (7 + 1 + 2) + 6 + 6


def test_pandas_example(analyst_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(analyst_dir)
    namespace: dict[str, object] = {}
    exec(compile(readme_block("guaranteed-by-lead-unit", "python"), "README.md", "exec"), namespace)
    answer = namespace["answer"]
    assert isinstance(answer, pd.Series)
    got = {(int(year), str(unit)): int(n) for (year, unit), n in answer.items()}
    assert got == hand_counts()
    assert "市生态环境局" in capsys.readouterr().out


def test_duckdb_example(analyst_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    monkeypatch.chdir(analyst_dir)
    rows = duckdb.sql(readme_block("guaranteed-by-lead-unit-sql", "sql")).fetchall()
    assert {(int(year), str(unit)): int(n) for year, unit, n in rows} == hand_counts()
    assert rows == sorted(rows)


@pytest.mark.parametrize(
    ("backend", "integer", "string"),
    [("pyarrow", "int32[pyarrow]", "string[pyarrow]"), ("numpy_nullable", "Int32", "string")],
)
def test_nullable_integers_stay_integers(analyst_dir: Path, backend: str, integer: str, string: str) -> None:
    """docs/columns.md: nullable integers keep their type with either backend (plain pandas: float64)."""
    targets = pd.read_parquet(analyst_dir / "parsed" / "targets", dtype_backend=backend)
    assert str(targets["deadline_year"].dtype) == integer
    assert targets["deadline_year"].isna().any() and targets["deadline_year"].notna().any()
    assert str(targets["indicator"].dtype) == string
    tasks = pd.read_parquet(analyst_dir / "parsed" / "tasks", dtype_backend=backend)
    assert str(tasks["item_no"].dtype) == integer
    assert str(pd.read_parquet(analyst_dir / "parsed" / "targets")["deadline_year"].dtype) == "float64"


def test_columns_reference_lists_every_column() -> None:
    """docs/columns.md names every column of every table in pipeline/schema.py, under its table."""
    from pipeline.schema import TABLES

    text = (ROOT / "docs" / "columns.md").read_text(encoding="utf-8")
    missing = []
    for table, schema in TABLES.items():
        section = re.search(rf"^## {table}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
        assert section, f"docs/columns.md has no section for {table}"
        listed = set(re.findall(r"^\| ([a-z_0-9, ]+?) \|", section.group(1), re.M))
        names = {name.strip() for entry in listed for name in entry.split(",")}
        missing += [f"{table}.{name}" for name in schema.names if name not in names]
    assert not missing, f"not in docs/columns.md: {missing}"
    assert "docs/columns.md" in README.read_text(encoding="utf-8")


def test_one_snapshot_example(analyst_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding 8: the README's recipe for reading several tables of one snapshot."""
    monkeypatch.chdir(analyst_dir)
    namespace: dict[str, object] = {}
    exec(compile(readme_block("one-snapshot", "python"), "README.md", "exec"), namespace)
    assert "/.store/snapshots/" in str(namespace["snapshot"])
    docs, targets = namespace["docs"], namespace["targets"]
    assert isinstance(docs, pd.DataFrame) and isinstance(targets, pd.DataFrame)
    assert len(docs) == 3 and len(targets) == 116 + 116 + 88
    assert set(targets["doc_id"]) == set(docs["doc_id"])
