"""The command line: exit codes, one-line errors, nothing left behind, deterministic output."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import ROOT, SEED, tree_digest


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    files = {
        "missing": folder / "missing.txt",
        "unknown": folder / "random.bin",
        "no-table": folder / "no_table.txt",
        "empty": folder / "empty.txt",
    }
    files["unknown"].write_bytes(bytes(range(256)) * 8)
    files["no-table"].write_text("某某市人民政府办公室关于某事的通知\n各部门：\n请认真贯彻执行。\n", encoding="utf-8")
    files["empty"].write_bytes(b"")
    return files


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("missing", "no such file"),
        ("unknown", "unknown format"),
        ("no-table", "no responsibility table"),
        ("empty", "empty file"),
    ],
)
def test_bad_input_one_line_error_exit_1_nothing_written(
    kind: str, message: str, bad_inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["ingest", str(bad_inputs[kind]), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(bad_inputs[kind]) in err and message in err
    assert not out.exists()


def test_good_and_bad_together_writes_the_good_one(
    bad_inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["ingest", str(SEED), str(bad_inputs["unknown"]), "--out", str(out)])
    assert code == 1
    assert len(list((out / "tasks").glob("*.parquet"))) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest"])
    assert exit_info.value.code == 2


def test_output_layout_and_determinism(tmp_path: Path) -> None:
    assert main(["ingest", str(SEED), "--out", str(tmp_path / "a")]) == 0
    assert main(["ingest", str(SEED), "--out", str(tmp_path / "b")]) == 0
    first = tree_digest(tmp_path / "a")
    assert first == tree_digest(tmp_path / "b")
    names = sorted(first)
    notice_id = "ca4c2153adb16270"  # 嘉兴市, 2021 and the title (pipeline.identity), not the bytes
    for table in ("documents", "tasks", "task_units", "targets", "warnings"):
        assert f"{table}/{notice_id}.parquet" in names
        assert f"csv/{table}/{notice_id}.csv" in names
    assert len(names) == 10
    doc_id = hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]
    assert f"\n{doc_id}," in (tmp_path / "a" / "csv" / "documents" / f"{notice_id}.csv").read_text(encoding="utf-8-sig")


def test_reingest_replaces_in_place_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(SEED), "--out", str(out)]) == 0
    before = tree_digest(out)
    assert main(["ingest", str(SEED), "--out", str(out)]) == 0
    assert tree_digest(out) == before
    snapshots = sorted(p.name for p in (out / ".store" / "snapshots").iterdir())
    assert snapshots == ["000001", "000002"], "debris of a commit left behind"
    assert sorted(p.name for p in (out / ".store").iterdir()) == ["current", "layout.json", "lock", "snapshots"]


def test_folder_argument_is_walked(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "sub"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / ".hidden").write_bytes(b"junk")
    assert main(["ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 0


def test_diff_prints_changed_rows_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    main(["ingest", str(SEED), "--out", str(a)])
    main(["ingest", str(SEED), "--out", str(b)])
    capsys.readouterr()
    assert main(["diff", str(a), str(b)]) == 0
    csv_file = next((b / "csv" / "task_units").glob("*.csv"))
    (b / "task_units").unlink()  # the link to the Parquet folder: diff reads the CSV copies instead
    csv_file.write_text(csv_file.read_text(encoding="utf-8-sig").replace(",市科技局,lead,1", ",市科学局,lead,1", 1), encoding="utf-8-sig")
    assert main(["diff", str(a), str(b)]) == 1
    printed = capsys.readouterr().out
    assert "~ task_units" in printed and "'市科技局' -> '市科学局'" in printed


def test_eval_scores_tasks_against_expected_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """eval scores tasks, units and header of a notice with an expected parse; an unreadable one finds nothing."""
    import json
    import shutil

    docs, expected, labels = (tmp_path / name for name in ("docs", "expected", "labels"))
    for folder in (docs, expected, labels):
        folder.mkdir()
    nanxi = ROOT / "tests" / "expected" / "nanxi_2022.json"
    shutil.copy(ROOT / "raw_docs" / "nanxi_2022.txt", docs)
    shutil.copy(nanxi, expected)
    data = json.loads(nanxi.read_text(encoding="utf-8"))
    (expected / "broken.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (docs / "broken.txt").write_text("no table here\n", encoding="utf-8")
    assert main(["eval", "--docs", str(docs), "--expected", str(expected), "--labels", str(labels)]) == 0
    out = capsys.readouterr().out
    nanxi_part = out.split("== nanxi_2022")[1]
    assert "tasks found          1.000    44    44" in nanxi_part and "lead units         1.000    44    44" in nanxi_part
    broken_part = out.split("== broken")[1].split("== nanxi_2022")[0]
    assert "tasks found          0.000     0    44" in broken_part and "FAILED broken.txt" in broken_part


def _eval_folders(tmp_path: Path) -> list[str]:
    """eval arguments over nanxi_2022 alone (its labels and expected parse)."""
    import shutil

    docs, expected, labels = (tmp_path / name for name in ("docs", "expected", "labels"))
    for folder in (docs, expected, labels):
        folder.mkdir()
    shutil.copy(ROOT / "raw_docs" / "nanxi_2022.txt", docs)
    shutil.copy(ROOT / "tests" / "expected" / "nanxi_2022.json", expected)
    shutil.copy(ROOT / "tests" / "labels" / "nanxi_2022.csv", labels)
    return ["eval", "--quiet", "--docs", str(docs), "--expected", str(expected), "--labels", str(labels)]


def test_eval_fail_under_passes_at_the_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """nanxi_2022 scores 1.000 on every measure: thresholds up to 1 pass."""
    args = _eval_folders(tmp_path)
    assert main([*args, "--fail-under", "1", "--fail-under", "tasks=1", "--fail-under", "leads=0.85"]) == 0
    assert capsys.readouterr().err == ""


def test_eval_fail_under_fails_when_accuracy_drops(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A label changed to a wrong indicator drops whole-record F1 below 1: exit 1, naming the measure."""
    args = _eval_folders(tmp_path)
    labels = tmp_path / "labels" / "nanxi_2022.csv"
    lines = labels.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[4] = "不是这个指标"
    labels.write_text("".join([lines[0], ",".join(fields), *lines[2:]]), encoding="utf-8")
    assert main([*args, "--fail-under", "0.9"]) == 0
    capsys.readouterr()
    assert main([*args, "--fail-under", "1.0", "--fail-under", "tasks=1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("eval: record F1 0.99") and "is under 1.000" in err and "tasks" not in err


@pytest.mark.parametrize("value", ["2", "abc", "speed=0.5"])
def test_eval_fail_under_refuses_a_bad_threshold(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "--fail-under", value])
    assert exit_info.value.code == 2
    assert "--fail-under" in capsys.readouterr().err
