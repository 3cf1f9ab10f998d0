"""`pipeline list`, `pipeline rm` and the year-partitioned layout, read by pandas, pyarrow.dataset and DuckDB."""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from tests.conftest import RAW_DOCS, SEED, tree_digest

NOTICES = [SEED, RAW_DOCS / "nanxi_2022.txt", RAW_DOCS / "qinghe_2023.txt"]
TABLES = ("documents", "tasks", "task_units", "targets", "warnings")


def no_year(folder: Path) -> Path:
    """The seed with every year of its header written out of it: a notice of unknown year."""
    text = SEED.read_text(encoding="utf-8")
    head, table = text.split("\t序号", 1)
    path = folder / "undated.txt"
    path.write_text(head.replace("2021年", "本年") + "\t序号" + table, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("three") / "out"
    assert main(["ingest", *map(str, NOTICES), "--out", str(out), "-q"]) == 0
    return out


def test_list_one_line_per_notice(three: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", str(three)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    nanxi = lines[0].split("  ")
    assert nanxi[1:3] == ["南溪市", "2022"] and nanxi[3].startswith("南溪市人民政府办公室关于印发2022年")
    assert nanxi[4:] == ["tasks key_work 36, livelihood 8", "116 targets", "0 warnings", "files nanxi_2022.txt"]


def test_list_of_a_missing_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", str(tmp_path / "nothing")]) == 1
    assert capsys.readouterr().err == f"error: {tmp_path / 'nothing'}: no such folder (run ingest first, or give --data)\n"


@pytest.mark.parametrize("query", ["ca4c2153adb16270", "ca4c", "814aa2ce3d9bb1b2", "jiaxing_2021.txt", "jiaxing_2021"])
def test_rm_by_notice_id_prefix_doc_id_or_file_name(three: Path, tmp_path: Path, query: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    import shutil

    out = tmp_path / "out"
    shutil.copytree(three, out, symlinks=True)
    assert main(["rm", query, "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("removed ca4c2153adb16270 (嘉兴市人民政府办公室关于印发2021年")
    for table in TABLES:
        assert {r["doc_id"] for r in pq.read_table(out / table).to_pylist()} <= {"f8f8ec994e5630b7", "8627575cff6ec7c7"}
    assert len(list((out / "documents").iterdir())) == 2


def test_rm_of_an_unknown_notice_removes_nothing(three: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(three, out, symlinks=True)
    before = tree_digest(out)
    assert main(["rm", "nanxi_2022.txt", "no_such_notice", "--out", str(out)]) == 1
    assert "no notice matches 'no_such_notice'" in capsys.readouterr().err
    assert tree_digest(out) == before


# ---------------------------------------------------------------- --partition year


@pytest.fixture(scope="module")
def by_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("years")
    out = folder / "out"
    assert main(["ingest", *map(str, NOTICES), "--out", str(out), "-q", "--partition", "year"]) == 0
    return out


def test_year_layout_has_hive_folders(by_year: Path, three: Path) -> None:
    assert sorted(p.name for p in (by_year / "targets").iterdir()) == ["year=2021", "year=2022", "year=2023"]
    assert sorted(p.name for p in (by_year / "csv" / "tasks" / "year=2021").iterdir()) == ["ca4c2153adb16270.csv"]
    assert not [p for p in (three / "targets").iterdir() if p.is_dir()]  # the default layout is unchanged


def _expected_years() -> dict[str, list[int]]:
    return {"documents": [2021, 2022, 2023], "targets": [2021] * 116 + [2022] * 116 + [2023] * 88}


def test_pandas_reads_the_year_back(by_year: Path) -> None:
    import pandas as pd

    for table, years in _expected_years().items():
        frame = pd.read_parquet(by_year / table)  # the year comes back as a category of int32
        assert sorted(frame["year"].astype(int)) == years
    docs = pd.read_parquet(by_year / "documents")
    assert sorted(docs["region"]) == ["南溪市", "嘉兴市", "清河市"]


def test_pyarrow_dataset_reads_the_year_back(by_year: Path) -> None:
    import pyarrow.dataset as ds

    for table, years in _expected_years().items():
        read = ds.dataset(by_year / table, format="parquet", partitioning="hive").to_table()
        assert sorted(read.column("year").to_pylist()) == years


def test_duckdb_reads_the_year_back(by_year: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    for table, years in _expected_years().items():
        rows = duckdb.sql(
            f"SELECT year FROM read_parquet('{by_year / table}/*/*.parquet', hive_partitioning = true)"
        ).fetchall()
        assert sorted(row[0] for row in rows) == years
    joined = duckdb.sql(
        f"""SELECT d.region, t.year, count(*) FROM read_parquet('{by_year}/targets/*/*.parquet', hive_partitioning = true) t
            JOIN read_parquet('{by_year}/documents/*/*.parquet', hive_partitioning = true) d USING (doc_id)
            WHERE t.commitment = 'guaranteed' GROUP BY ALL ORDER BY t.year"""
    ).fetchall()
    assert [row[:2] for row in joined] == [("嘉兴市", 2021), ("南溪市", 2022), ("清河市", 2023)]


def test_unknown_year_is_the_null_partition(tmp_path: Path) -> None:
    """A notice whose year is unknown goes under Hive's null folder; every reader gives year null."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.dataset as ds

    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "out"
    assert main(["ingest", str(SEED), str(no_year(tmp_path)), "--out", str(out), "-q", "--partition", "year"]) == 0
    assert sorted(p.name for p in (out / "documents").iterdir()) == ["year=2021", "year=__HIVE_DEFAULT_PARTITION__"]
    years = ds.dataset(out / "documents", partitioning="hive").to_table().column("year").to_pylist()
    assert sorted(years, key=str) == [2021, None]
    # pandas' own guess makes the folder name a category, which cannot hold the null: name the type (README).
    year = ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive")
    frame = pd.read_parquet(out / "documents", partitioning=year, dtype_backend="pyarrow")
    assert str(frame["year"].dtype) == "int32[pyarrow]"
    assert frame["year"].isna().sum() == 1 and frame["year"].dropna().tolist() == [2021]
    rows = duckdb.sql(f"SELECT year FROM read_parquet('{out}/documents/*/*.parquet', hive_partitioning = true)").fetchall()
    assert sorted((r[0] for r in rows), key=str) == [2021, None]


def test_a_dataset_keeps_its_layout(by_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(by_year, out, symlinks=True)
    assert main(["ingest", str(RAW_DOCS / "yunling_2024.txt"), "--out", str(out), "-q"]) == 0  # no flag: its own layout
    assert (out / "tasks" / "year=2024").is_dir()
    before = tree_digest(out)
    assert main(["ingest", str(SEED), "--out", str(out), "--partition", "none"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "it holds a dataset with layout 'year', not 'flat'" in err
    assert tree_digest(out) == before


def test_list_and_rm_work_on_the_year_layout(by_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(by_year, out, symlinks=True)
    capsys.readouterr()
    assert main(["list", str(out)]) == 0
    assert [line.split("  ")[2] for line in capsys.readouterr().out.splitlines()] == ["2022", "2021", "2023"]
    assert main(["rm", "qinghe_2023", "--out", str(out)]) == 0
    assert not (out / "tasks" / "year=2023").exists() or not list((out / "tasks" / "year=2023").iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("second", [[], ["--partition", "none"]], ids=["second-without-partition", "second-flat"])
def test_two_first_runs_with_different_layouts(tmp_path: Path, second: list[str]) -> None:
    """Review finding 14: two first-ever runs into one folder, one with --partition year: the flat one failed
    every file at its commit ("…not 'flat'; use another --out") after reading them all. The first run settles
    the layout before it reads anything; the second adopts it, or (asking for another) is refused at once."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "out"
    script = (
        "import sys, time, pipeline.ingest as i; parse = i.parse_file\n"
        "def slow(path, rules, jobs=1):\n    time.sleep(1.5); return parse(path, rules, jobs)\n"
        "i.parse_file = slow\nfrom pipeline.cli import main\nsys.exit(main(sys.argv[1:]))"
    )
    first = subprocess.Popen([sys.executable, "-c", script, "ingest", str(SEED), "--out", str(out), "-q", "--partition", "year"],
                             cwd=ROOT, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 30
    while not (out / ".store" / "staging").exists() and time.monotonic() < deadline:  # the first run is reading
        time.sleep(0.05)
    start = time.monotonic()
    code = main(["ingest", str(RAW_DOCS / "nanxi_2022.txt"), "--out", str(out), "-q", *second])
    took = time.monotonic() - start
    assert first.wait(timeout=60) == 0, first.stderr
    if second:
        assert code == 1 and took < 1.5  # refused before reading, while the first was still parsing
        assert sorted(p.name for p in (out / "documents").iterdir()) == ["year=2021"]
    else:
        assert code == 0
        assert sorted(p.name for p in (out / "documents").iterdir()) == ["year=2021", "year=2022"]


def test_unknown_year_is_said_at_ingest_and_the_readme_read_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """Review finding 9: with --partition year, one notice of unknown year made a plain pd.read_parquet of a table
    fail (ArrowInvalid "Cannot yet unify dictionaries with nulls"), and nothing said so; the README led with that
    plain read."""
    import pandas as pd
    import pyarrow as pa

    from tests.test_analyst import readme_block

    out = tmp_path / "parsed"
    assert main(["ingest", str(SEED), str(no_year(tmp_path)), "--out", str(out), "--partition", "year"]) == 0
    lines = capsys.readouterr().out.splitlines()
    note = "year unknown: written under year=__HIVE_DEFAULT_PARTITION__"
    assert [note in line for line in lines[:2]] == [False, True]
    with pytest.raises(pa.ArrowInvalid, match="unify dictionaries with nulls"):
        pd.read_parquet(out / "targets")  # why the README leads with the read below
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(readme_block("year-partitions", "python"), "README.md", "exec"), namespace)
    targets = namespace["targets"]
    assert isinstance(targets, pd.DataFrame) and str(targets["year"].dtype) == "int32[pyarrow]"
    assert targets["year"].isna().sum() == 116 and targets["year"].dropna().tolist() == [2021] * 116
