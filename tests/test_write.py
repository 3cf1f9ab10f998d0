"""The writer: explicit schemas, CSV with BOM, atomic replacement."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import write
from pipeline.errors import OutputError
from pipeline.schema import TABLES


def test_empty_tables_keep_their_schema(tmp_path: Path) -> None:
    write.write_document(tmp_path, "d1", {"documents": [{"doc_id": "d1"}]})
    for name, schema in TABLES.items():
        assert pq.read_schema(tmp_path / name / "d1.parquet").remove_metadata() == schema
    assert (tmp_path / "csv" / "targets" / "d1.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_id,task_id")


def test_failed_write_keeps_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write.write_document(tmp_path, "d1", {"tasks": [{"doc_id": "d1", "task_id": "old"}]})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    original = write.to_arrow

    def broken(name: str, csv_bytes: bytes) -> object:
        if name == "targets":
            raise OSError("disk full")
        return original(name, csv_bytes)

    monkeypatch.setattr(write, "to_arrow", broken)
    with pytest.raises(OutputError, match="disk full"):
        write.write_document(tmp_path, "d1", {"tasks": [{"doc_id": "d1", "task_id": "new"}]})
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


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


def test_signals_wait_until_every_rename_is_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C arriving between two renames is delivered only after the last one."""
    import os
    import signal

    renamed: list[str] = []
    real_replace = os.replace

    def replace(src: Path, dst: Path) -> None:
        real_replace(src, dst)
        renamed.append(Path(dst).name)
        if len(renamed) == 3:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write.write_document(tmp_path, "d1", {"documents": [{"doc_id": "d1"}]})
    assert len(renamed) == 10
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]


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
