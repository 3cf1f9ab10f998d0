"""The writer: explicit schemas, CSV with BOM, atomic replacement."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import write
from pipeline.errors import OutputError
from pipeline.schema import TABLES
from tests.conftest import tree_digest


def test_empty_tables_keep_their_schema(tmp_path: Path) -> None:
    write.write_document(tmp_path, "d1", {"documents": [{"doc_id": "d1"}]})
    for name, schema in TABLES.items():
        assert pq.read_schema(tmp_path / name / "d1.parquet").remove_metadata() == schema
    assert (tmp_path / "csv" / "targets" / "d1.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_id,task_id")


def test_failed_write_keeps_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk mid-commit: the previous version stays, whole, and nothing is left behind."""
    import errno

    write.write_document(tmp_path, "d1", {"tasks": [{"doc_id": "d1", "task_id": "old"}]})
    before = tree_digest(tmp_path)
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if "targets" in self.parts:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write.write_document(tmp_path, "d1", {"tasks": [{"doc_id": "d1", "task_id": "new"}]})
    assert tree_digest(tmp_path) == before
    assert [p.name for p in (tmp_path / ".store" / "snapshots").iterdir()] == ["000001"]


def test_dataset_folder_loads_with_pandas(tmp_path: Path) -> None:
    import pandas as pd

    for doc in ("d1", "d2"):
        write.write_document(tmp_path, doc, {"tasks": [{"doc_id": doc, "task_id": "t", "item_no": 1}]})
    frame = pd.read_parquet(tmp_path / "tasks")
    assert sorted(frame["doc_id"]) == ["d1", "d2"]
    assert str(frame["item_no"].dtype) == "int32"


def test_parquet_and_csv_hold_the_same_values(tmp_path: Path) -> None:
    row = {"doc_id": "d1", "task_id": "t", "indicator": "实际利用外资", "value": 2.8, "unit": "亿美元",
           "value_base": 280000000.0, "span_text": '“1,2”', "deadline_year": 2023, "value_max": None}
    write.write_document(tmp_path, "d1", {"targets": [row]})
    stored = pq.read_table(tmp_path / "targets" / "d1.parquet").to_pylist()[0]
    assert {k: stored[k] for k in row} == row


def test_no_pandas_import_when_writing() -> None:
    import subprocess
    import sys

    code = ("import sys, tempfile, pathlib; from pipeline import write; "
            "write.write_document(pathlib.Path(tempfile.mkdtemp()), 'd', {'tasks': [{'doc_id': 'd', 'item_no': 1}]}); "
            "print('pandas' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_ctrl_c_during_a_commit_lands_after_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while a snapshot is being built is delivered once it is published: whole, never half."""
    import os
    import signal

    real = Path.write_bytes
    sent: list[bool] = []

    def write_bytes(self: Path, data: bytes) -> int:
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(KeyboardInterrupt):
        write.write_document(tmp_path, "d1", {"documents": [{"doc_id": "d1"}]})
    assert sent and len(tree_digest(tmp_path)) == 10  # every table and its CSV copy
    assert sorted(p.name for p in (tmp_path / ".store" / "snapshots").iterdir()) == ["000001"]


def test_unwritable_output_folder_is_a_pipeline_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    with pytest.raises(OutputError, match=f"cannot write to {blocker}"):
        write.write_document(blocker, "d1", {})


def test_text_that_looks_like_a_null_marker_stays_text(tmp_path: Path) -> None:
    row = {"doc_id": "d1", "task_id": "t", "unit": "NA", "indicator": "null", "span_text": "N/A"}
    write.write_document(tmp_path, "d1", {"targets": [row]})
    stored = pq.read_table(tmp_path / "targets" / "d1.parquet").to_pylist()[0]
    assert (stored["unit"], stored["indicator"], stored["span_text"]) == ("NA", "null", "N/A")


def test_csv_copy_neutralises_formulas_parquet_keeps_the_text(tmp_path: Path) -> None:
    """CSV injection (issue 11 §8): = + - @ tab CR at the start of a text cell get a ' in the CSV only."""
    import csv

    texts = ["=1+1", "+3 新增", "-2 下降5%", "@SUM(A1)", "\t=2+3", "\r=4", "普通文本", "'=已有引号"]
    rows = [{"doc_id": "d1", "task_id": f"t{i}", "text": text, "item_no": -1} for i, text in enumerate(texts)]
    write.write_document(tmp_path, "d1", {"tasks": rows})
    stored = pq.read_table(tmp_path / "tasks" / "d1.parquet").column("text").to_pylist()
    assert stored == texts
    with (tmp_path / "csv" / "tasks" / "d1.csv").open(encoding="utf-8-sig", newline="") as handle:
        copied = list(csv.DictReader(handle))
    assert [r["text"] for r in copied] == ["'=1+1", "'+3 新增", "'-2 下降5%", "'@SUM(A1)", "'\t=2+3", "'\r=4", "普通文本", "'=已有引号"]
    assert {r["item_no"] for r in copied} == {"-1"}  # numbers are numbers, never prefixed


@pytest.mark.parametrize(
    "text",
    [pytest.param("行1\r行2", id="lone-CR"), pytest.param("a\r\nb\nc\r", id="CRLF-LF-CR"),
     pytest.param("任务" * 1_100_000 + "300家", id="cell-over-2MB")],
)  # fmt: skip
def test_cells_that_broke_the_writer(tmp_path: Path, text: str) -> None:
    """Issue 11 §14: a lone CR (csv does not quote it; pyarrow read it as a row break), a cell over pyarrow's 1 MB block."""
    write.write_document(tmp_path, "d1", {"tasks": [{"doc_id": "d1", "task_id": "t", "text": text}]})
    assert pq.read_table(tmp_path / "tasks" / "d1.parquet").column("text").to_pylist() == [text]


def test_year_layout_puts_the_year_in_the_folder(tmp_path: Path) -> None:
    tables = {"documents": [{"doc_id": "d1", "year": 2021}], "tasks": [{"doc_id": "d1", "task_id": "t"}]}
    files = write.render("k", tables, "year", 2021)
    assert sorted(files)[:3] == ["csv/documents/year=2021/k.csv", "csv/targets/year=2021/k.csv", "csv/task_units/year=2021/k.csv"]
    assert "documents/year=2021/k.parquet" in files
    write.write_document(tmp_path, "k", tables, layout="year")
    assert "year" not in pq.read_schema(tmp_path / "documents" / "year=2021" / "k.parquet").names
    assert sorted(write.render("k", tables, "year", None))[0] == "csv/documents/year=__HIVE_DEFAULT_PARTITION__/k.csv"
