"""Batch ingestion: parallel workers, duplicates, time budget, concurrent runs."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.cli import main
from pipeline.errors import InputTooLarge
from pipeline.rules import Rules
from pipeline.timelimit import time_limit
from tests.conftest import ROOT, SEED, tree_digest


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    source = SEED.read_text(encoding="utf-8")
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text(source, encoding="utf-8")
    # Another notice: the next year's (its title says 2022), with one number changed.
    other = source.replace("2021年政府工作报告重点工作、", "2022年政府工作报告重点工作、", 1)
    (inbox / "b.txt").write_text(other.replace("新认定高新技术企业300家", "新认定高新技术企业301家"), encoding="utf-8")
    (inbox / "copy_of_a.txt").write_text(source, encoding="utf-8")
    (inbox / "bad.bin").write_bytes(b"\x00\x01\x02" * 100)
    return inbox


def test_jobs_2_equals_jobs_1(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "TINY_BATCH", 0)  # workers even for these few text files
    assert main(["ingest", str(folder), "--out", str(tmp_path / "one"), "-j", "1", "-q"]) == 1
    assert main(["ingest", str(folder), "--out", str(tmp_path / "two"), "-j", "2", "-q"]) == 1
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    assert len(list((tmp_path / "one" / "tasks").glob("*.parquet"))) == 2


def test_duplicate_content_is_skipped_once(folder: Path, tmp_path: Path, rules: Rules) -> None:
    outcomes = batch.run(sorted(folder.iterdir()), tmp_path / "out", rules)
    assert [(o.path.name, o.status) for o in outcomes] == [
        ("a.txt", "ok"),
        ("b.txt", "ok"),
        ("bad.bin", "failed"),
        ("copy_of_a.txt", "skipped"),
    ]


def test_summary_names_failures_and_skips(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ingest", str(folder), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert "ingested 2, failed 1, skipped 1" in out
    assert "bad.bin: unknown format" in out and "copy_of_a.txt: same content as" in out


def test_time_limit_raises_pipeline_error() -> None:
    with pytest.raises(InputTooLarge, match="time limit"), time_limit(0.005):
        time.sleep(1)


def test_time_limit_reported_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: Rules) -> None:
    import pipeline.ingest

    monkeypatch.setattr(pipeline.ingest, "parse_file", lambda path, rules, jobs=1: time.sleep(2))
    outcome = batch.ingest_one(SEED, tmp_path / "out", rules, seconds=0.1)
    assert (outcome.status, outcome.detail) == ("failed", "took longer than the 0.1 s time limit")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_two_concurrent_ingests_into_one_folder(folder: Path, tmp_path: Path) -> None:
    """Two processes writing the same documents at once leave whole, identical files."""
    out = tmp_path / "shared"
    command = [sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out), "-q"]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    assert [run.wait(timeout=120) for run in runs] == [1, 1]
    main(["ingest", str(folder), "--out", str(tmp_path / "alone"), "-q"])
    assert tree_digest(out) == tree_digest(tmp_path / "alone")


@pytest.mark.slow
def test_ctrl_c_mid_batch_leaves_whole_documents(folder: Path, tmp_path: Path) -> None:
    """SIGINT during a batch: exit 130, one line, no traceback, no temporary files, whole documents."""
    import signal

    import pyarrow.parquet as pq

    out = tmp_path / "out"
    script = (
        "import time, sys, pipeline.ingest as i; parse = i.parse_file\n"
        "def slow(path, rules, jobs=1):\n    time.sleep(1); return parse(path, rules, jobs)\n"
        "i.parse_file = slow\nfrom pipeline.cli import main\nsys.exit(main(sys.argv[1:]))"
    )
    run = subprocess.Popen(
        [sys.executable, "-c", script, "ingest", str(folder / "a.txt"), str(folder / "b.txt"),
         "--out", str(out), "-q", "--time-limit", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not list((out / "documents").glob("*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # now inside the second file's parse (a one-second sleep)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and "Traceback" not in err and err.count("\n") == 1
    assert not [p for p in out.rglob(".*") if p.is_file()], "temporary files left behind"
    written = sorted(out.rglob("*.parquet"))
    assert len(written) == 5  # the first document, whole: five tables
    for parquet in written:
        pq.read_table(parquet)


def test_fifo_is_refused_not_waited_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A FIFO (or /dev/zero) made the up-front hashing block forever."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert main(["ingest", str(fifo), "/dev/zero", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"error: {fifo}: not a regular file" in err and "error: /dev/zero: not a regular file" in err


def test_empty_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["ingest", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 1
    assert "folder holds no files" in capsys.readouterr().err


def test_unreadable_subfolder_is_reported(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_walk = os.walk

    def walk(top: Path, onerror: object = None) -> object:
        assert callable(onerror)
        onerror(PermissionError(13, "Permission denied", str(Path(top) / "locked")))
        return real_walk(top)

    monkeypatch.setattr(batch.os, "walk", walk)
    files, problems = batch.collect([folder])
    assert len(files) == 4
    assert [(p.path.name, p.detail) for p in problems] == [("locked", "cannot read folder (Permission denied)")]


def test_read_only_output_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    assert main(["ingest", str(SEED), "--out", str(blocker)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"cannot write to {blocker}" in err and "internal error" not in err


def test_workers_use_the_rules_they_are_given(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 2 with --rules: each worker receives the given rules once, at start (not the default folder)."""
    import shutil

    from pipeline.rules import default_rules_dir, load_rules

    monkeypatch.setattr(batch, "TINY_BATCH", 0)  # workers even for two text files
    custom = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), custom)
    units = custom / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("\n  - 亩\n", "\n", 1), encoding="utf-8")
    outcomes = batch.run([folder / "a.txt", folder / "b.txt"], tmp_path / "out", load_rules(custom), jobs=2)
    assert [o.status for o in outcomes] == ["ok", "ok"]
    written = sorted((tmp_path / "out" / "csv" / "targets").glob("*.csv"))
    assert len(written) == 2
    for path in written:
        with path.open(encoding="utf-8-sig") as handle:
            units = {row["unit"] for row in csv.DictReader(handle)}
        assert "家" in units and not [unit for unit in units if "亩" in unit]


def test_a_bug_mid_batch_is_one_line_and_the_summary(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """Review finding 1: an unexpected exception in the batch (BrokenPipeError from the pool) was a traceback
    and no summary."""
    from pipeline.publish import Batcher

    add = Batcher.add
    calls = [0]

    def add_then_fail(self: Batcher, index: int, item: object) -> None:
        calls[0] += 1
        if calls[0] == 2:
            raise RuntimeError("boom")
        add(self, index, item)  # type: ignore[arg-type]

    monkeypatch.setattr(Batcher, "add", add_then_fail)
    monkeypatch.setattr("pipeline.publish.MIN_GAP", 0)  # the first file is published at once
    out = tmp_path / "out"
    assert main(["ingest", str(folder / "a.txt"), str(folder / "b.txt"), str(folder / "bad.bin"), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.splitlines()[-1] == (
        "error: internal error (RuntimeError: boom); 1 document written whole, 2 inputs not written"
    )
    assert "ingested 1, failed 0, skipped 0, not written 2" in captured.out
    assert len(list((out / "documents").glob("*.parquet"))) == 1
