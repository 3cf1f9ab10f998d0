"""``pipeline diff OLD NEW``: exit codes, direction, moved spans, --doc, the summary, JSON, folder kinds."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.diff import compare_folders, load_table
from pipeline.schema import TABLES
from tests.conftest import RAW_DOCS, SEED

# A corrected re-issue of the seed: words inserted before item 18's two targets move their spans.
TASK_18 = "实施新一轮科技企业“双倍增”计划，"
INSERTED = "（按年度计划推进）"
NANXI = RAW_DOCS / "nanxi_2022.txt"


def _ingest(files: list[Path], out: Path, *extra: str) -> Path:
    assert main(["ingest", *map(str, files), "--out", str(out), "-q", *extra]) == 0
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``old``: the seed and nanxi; ``new``: the corrected seed and nanxi with one target's value changed."""
    root = tmp_path_factory.mktemp("diff")
    seed = SEED.read_text(encoding="utf-8")
    assert seed.count(TASK_18) == 1 and seed.count("新认定高新技术企业300家") == 1
    nanxi = NANXI.read_text(encoding="utf-8")
    first = _lone_target()
    task = next(row for row in _golden_rows("nanxi_2022.txt", "tasks") if row["task_id"] == first["task_id"])
    changed_text = task["text"].replace(first["span_text"], first["span_text"].replace(first["value"], first["value"] + "1", 1), 1)
    assert nanxi.count(task["text"]) == 1, "the task's text is one line of the fixture"
    inputs = root / "in"
    inputs.mkdir()
    (inputs / "seed_v2.txt").write_text(seed.replace(TASK_18, TASK_18 + INSERTED), encoding="utf-8")
    (inputs / "nanxi_v2.txt").write_text(nanxi.replace(task["text"], changed_text), encoding="utf-8")
    return {
        "old": _ingest([SEED, NANXI], root / "old"),
        "new": _ingest([inputs / "seed_v2.txt", inputs / "nanxi_v2.txt"], root / "new"),
    }


def _lone_target() -> dict[str, str]:
    """nanxi_2022's first target that is the only one of its task (changing it moves no other span)."""
    rows = _golden_rows("nanxi_2022.txt", "targets")
    tasks = [row["task_id"] for row in rows]
    return next(row for row in rows if tasks.count(row["task_id"]) == 1 and row["span_text"].startswith(row["value"]))


def _golden_rows(notice: str, table: str) -> list[dict[str, str]]:
    with (Path(__file__).parent / "golden" / notice / f"{table}.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _golden_copy(out: Path, folder: Path) -> Path:
    """``out`` written as a golden folder (``<table>.csv``, every value as the CSV writes it)."""
    folder.mkdir(parents=True)
    for table, schema in TABLES.items():
        rows = load_table(out, table) or []
        with (folder / f"{table}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=schema.names)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def test_same_folders_exit_0_with_a_summary(outputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(outputs["old"]), str(outputs["old"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"same: {outputs['old']} and {outputs['old']} hold the same rows (documents 2, tasks ")
    assert out.count("\n") == 1


def test_a_moved_span_is_one_change_and_the_summary_counts_per_table(
    outputs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Item 18's two targets moved by the inserted words: two changed targets, none removed or added;
    the re-issue is paired with the old file by notice_id, so its rows are not all removed and added."""
    assert main(["diff", str(outputs["old"]), str(outputs["new"]), "--doc", "jiaxing_2021.txt"]) == 1
    lines = capsys.readouterr().out.splitlines()
    moved = [line for line in lines if line.startswith("~ targets")]
    assert len(moved) == 2
    assert "task_id=key_work-0-18-1" in moved[0] and "indicator='高新技术企业' span_text='300家'" in moved[0]
    assert "indicator='科技型中小企业' span_text='600家'" in moved[1]
    shift = len(INSERTED)
    assert f"    span_start: '26' -> '{26 + shift}'" in lines and f"    span_end: '30' -> '{30 + shift}'" in lines
    assert not [line for line in lines if line.startswith(("-", "+"))], "a moved target is not removed and added"
    assert [line for line in lines if line.startswith("~ tasks")] == [
        "~ tasks [doc_id=814aa2ce3d9bb1b2, task_id=key_work-0-18-1] text='实施新一轮科技企业“双倍增”计划，新认定高新技术企业300…'"
    ]
    assert lines[-1] == (
        f"{outputs['old']} -> {outputs['new']}: documents 0 added, 0 removed, 1 changed; "
        "tasks 0 added, 0 removed, 1 changed; targets 0 added, 0 removed, 2 changed"
    )


def test_a_changed_value_shows_the_indicator_and_the_span(outputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(outputs["old"]), str(outputs["new"]), "--doc", "nanxi_2022.txt"]) == 1
    lines = capsys.readouterr().out.splitlines()
    first = _lone_target()
    [changed] = [i for i, line in enumerate(lines) if line.startswith("~ targets")]
    assert f"indicator={first['indicator']!r} span_text={first['span_text']!r}" in lines[changed]
    assert f"    value: {first['value']!r} -> '{first['value']}1'" in lines[changed + 1 :]
    assert "jiaxing" not in "\n".join(lines) and "814aa2ce3d9bb1b2" not in "\n".join(lines), "--doc keeps one notice"


def test_direction_is_old_to_new(tmp_path: Path, outputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """A notice only in NEW is added; the same folders the other way round, removed."""
    seed_only = _ingest([SEED], tmp_path / "seed_only")
    assert main(["diff", str(seed_only), str(outputs["old"])]) == 1
    forward = capsys.readouterr().out.splitlines()
    assert main(["diff", str(outputs["old"]), str(seed_only)]) == 1
    backward = capsys.readouterr().out.splitlines()
    assert forward[0].startswith("+ documents") and "南溪市" in forward[0]
    assert backward[0].startswith("- documents") and "南溪市" in backward[0]
    assert [line[1:] for line in forward[:-1]] == [line[1:] for line in backward[:-1]]
    assert "documents 1 added, 0 removed, 0 changed" in forward[-1]
    assert "documents 0 added, 1 removed, 0 changed" in backward[-1]


def test_json_format(outputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(outputs["old"]), str(outputs["new"]), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    document = json.loads(out)
    assert document["same"] is False and document["old"] == str(outputs["old"])
    rows = len(load_table(outputs["old"], "targets") or [])
    assert document["summary"]["targets"] == {"added": 0, "removed": 0, "changed": 3, "old_rows": rows, "new_rows": rows}
    moved = [c for c in document["changes"] if c["table"] == "targets" and "span_start" in c["columns"]]
    assert len(moved) == 2 and moved[0]["columns"] == ["span_end", "span_start"]
    assert moved[0]["key"]["task_id"] == "key_work-0-18-1" and moved[0]["old"]["indicator"] == "高新技术企业"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("missing", "no such folder"),
        ("a_file", "not a folder"),
        ("bad_csv", "cannot be read as a CSV table"),
        ("empty", "not an output or golden folder"),
        ("no_rows", "hold no rows: nothing to compare"),
        ("unknown_doc", "names no document in either folder"),
    ],
)
def test_errors_exit_2(make: str, message: str, tmp_path: Path, outputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    extra: list[str] = []
    if make == "a_file":
        old.write_text("x", encoding="utf-8")
        new.mkdir()
    elif make == "bad_csv":  # a golden folder whose CSV is not UTF-8
        for folder in (old, new):
            folder.mkdir()
            (folder / "documents.csv").write_bytes(b"doc_id,title\nx,\xff\xfe\n")
    elif make == "empty":
        old.mkdir()
        new.mkdir()
    elif make == "no_rows":  # golden-style folders with headers only
        for folder in (old, new):
            folder.mkdir()
            (folder / "documents.csv").write_text("doc_id,title\n", encoding="utf-8")
    elif make == "unknown_doc":
        old, new = outputs["old"], outputs["new"]
        extra = ["--doc", "no-such-notice"]
    code = main(["diff", str(old), str(new), *extra])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: ") and message in captured.err


def test_output_folder_partitions_csv_copies_and_golden_folders_read_alike(tmp_path: Path, outputs: dict[str, Path]) -> None:
    """A flat output, a --partition year output (year restored from year=2021/ only where the table has
    it), its csv/ copies and a golden folder of it all hold the same rows: no difference between any two."""
    flat = _ingest([SEED], tmp_path / "flat")
    year = _ingest([SEED], tmp_path / "year", "--partition", "year")
    assert (year / "documents" / "year=2021").is_dir()
    copies = tmp_path / "copies"
    shutil.copytree(year / "csv", copies / "csv")
    golden = _golden_copy(flat, tmp_path / "golden")
    for old, new in [(flat, year), (year, flat), (flat, copies), (golden, year), (golden, flat)]:
        diff = compare_folders(old, new)
        assert diff.same, [(c.table, c.kind, c.columns) for c in diff.changes[:5]]
    assert compare_folders(golden, flat).rows["targets"][0] > 100


def test_another_copy_of_a_notice_differs_in_its_documents_row_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seed's .txt and .docx are one notice under two doc_ids: matched by notice_id, only the
    documents row's file columns differ."""
    text = _ingest([SEED], tmp_path / "text")
    word = _ingest([SEED.with_suffix(".docx")], tmp_path / "word")
    capsys.readouterr()
    assert main(["diff", str(text), str(word)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("~ documents [doc_id=814aa2ce3d9bb1b2]")
    assert {line.split(":")[0].strip() for line in lines[1:-1]} == {
        "doc_id", "source_file", "source_files", "source_format", "source_sha256"
    }
    assert lines[-1].endswith(": documents 0 added, 0 removed, 1 changed")
