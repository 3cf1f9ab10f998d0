"""The Excel ledger, read back with openpyxl and compared with the output tables."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.cli import main
from tests.conftest import SEED
from tests.datasets import (
    DOC,
    INJECTIONS,
    MARKUP,
    csv_rows,
    invented,
    invented_rows,
    seed_output,
    write_dataset,
)

TABLE_SHEETS = {"key_work": "重点工作", "special_action": "专项行动", "livelihood": "民生实事"}
SEED_BOOK = "嘉兴市_2021_责任分解.xlsx"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_output(tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def seed_book(seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xlsx")
    assert main(["export", "jiaxing_2021.txt", "--xlsx", str(out), "--data", str(seed)]) == 0
    [book] = out.iterdir()
    assert book.name == SEED_BOOK  # named for the notice's region and year
    return book


def records(ws: Worksheet) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def lines(value: object) -> list[str]:
    return str(value).split("\n") if value else []


def test_sheets(seed_book: Path) -> None:
    book = load_workbook(seed_book)
    assert book.sheetnames == ["重点工作", "专项行动", "民生实事", "按单位", "量化指标", "通知信息"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
        assert all(cell.font.b for cell in ws[1])


def test_table_sheets_hold_every_task_with_its_units_and_targets(seed: Path, seed_book: Path) -> None:
    book = load_workbook(seed_book)
    units: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "support": []})
    for unit in csv_rows(seed, "task_units"):
        units[unit["task_id"]][unit["role"]].append(unit["unit"])
    targets: dict[str, list[dict[str, str]]] = defaultdict(list)
    for target in csv_rows(seed, "targets"):
        targets[target["task_id"]].append(target)
    for table, sheet in TABLE_SHEETS.items():
        tasks = [t for t in csv_rows(seed, "tasks") if t["table"] == table]
        got = records(book[sheet])
        assert len(got) == len(tasks)
        for row, task in zip(got, tasks, strict=True):
            assert row["序号"] == int(task["item_no"])
            assert row["工作任务"] == task["text"]
            assert row["牵头单位"] == "、".join(units[task["task_id"]]["lead"])
            assert (row["配合单位"] or "") == "、".join(units[task["task_id"]]["support"])
            assert len(lines(row["量化指标"])) == len(targets[task["task_id"]])
            for line, target in zip(lines(row["量化指标"]), targets[task["task_id"]], strict=True):
                assert line.startswith(f"{target['indicator']} ") and target["unit"] in line


def test_a_target_reads_as_a_phrase(seed_book: Path) -> None:
    cells = {str(row["量化指标"]) for row in records(load_workbook(seed_book)["重点工作"]) if row["量化指标"]}
    assert "高新技术企业 300家\n科技型中小企业 600家" in cells
    assert any("省级企业研究院 ≥40家" in c for c in cells)
    assert any(re.search(r"≥\d+(\.\d+)?%（确保）", c) for c in cells)


def test_targets_sheet_has_every_target_typed(seed: Path, seed_book: Path) -> None:
    got = records(load_workbook(seed_book)["量化指标"])
    want = csv_rows(seed, "targets")
    assert len(got) == len(want) == 116
    words = {"=": None, ">=": "不低于", ">": "超过", "<": "低于", "<=": "不超过", "~": "约", "range": "区间"}
    for row, target in zip(got, want, strict=True):
        assert (row["指标"], row["单位"], row["原文"]) == (
            target["indicator"],
            target["unit"],
            target["span_text"],
        )
        assert isinstance(row["数值"], int | float) and row["数值"] == float(target["value"])
        assert row["比较"] == words[target["comparator"]]
        assert row["承诺"] == {"": None, "guaranteed": "确保", "aspirational": "力争"}[target["commitment"]]
        assert row["期限（年）"] == (int(target["deadline_year"]) if target["deadline_year"] else None)


def test_units_sheet_lists_each_lead_units_tasks(seed: Path, seed_book: Path) -> None:
    texts = {t["task_id"]: t["text"] for t in csv_rows(seed, "tasks")}
    want: dict[str, list[str]] = defaultdict(list)
    for unit in csv_rows(seed, "task_units"):
        if unit["role"] == "lead":
            want[unit["unit_canonical"] or unit["unit"]].append(texts[unit["task_id"]])
    got: dict[str, list[str]] = defaultdict(list)
    rows = records(load_workbook(seed_book)["按单位"])
    for row in rows:
        got[str(row["牵头单位"])].append(str(row["工作任务"]))
        assert [row[q] for q in ("一季度进展", "二季度进展", "三季度进展", "四季度进展", "完成情况")] == [
            None
        ] * 5
    assert got == want
    assert list(got) == list(dict.fromkeys(str(r["牵头单位"]) for r in rows))  # one block per unit


def test_header_sheet_types_dates_and_numbers(seed_book: Path) -> None:
    fields = {
        row[0]: row[1] for row in load_workbook(seed_book)["通知信息"].iter_rows(min_row=2, values_only=True)
    }
    assert fields["发文日期"] == dt.datetime(2021, 2, 25)
    assert fields["年度"] == 2021 and fields["任务数"] == 125 and fields["量化指标数"] == 116
    assert fields["文档编号"] == "814aa2ce3d9bb1b2"
    assert fields["地区"] == "嘉兴市"  # documents.region, read from the issuer


def test_same_dataset_same_bytes_created_on_issue_date(seed: Path, seed_book: Path, tmp_path: Path) -> None:
    assert main(["export", "814aa2ce", "--xlsx", str(tmp_path), "--data", str(seed)]) == 0
    assert (tmp_path / SEED_BOOK).read_bytes() == seed_book.read_bytes()
    core = zipfile.ZipFile(seed_book).read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2021-02-25T00:00:00Z</dcterms:created>' in core


def test_widths_count_chinese_characters_twice_and_text_wraps(tmp_path: Path) -> None:
    data = invented(tmp_path / "data")
    assert main(["export", "qs2024notice", "--xlsx", str(tmp_path), "--data", str(data)]) == 0
    ws = load_workbook(tmp_path / "青松市_2024_责任分解.xlsx")["按单位"]
    # the longest lead unit, 青松市住房和城乡建设局 (11 characters), needs 22 columns + padding
    assert 24 <= ws.column_dimensions["A"].width < 25  # XlsxWriter stores 24 as 24.71 (cell padding)
    assert ws.column_dimensions["C"].width < 9  # 序号
    assert all(cell.alignment.wrap_text for cell in ws["D"][1:])


def test_later_columns_dates_warnings_and_no_formula_injection(tmp_path: Path) -> None:
    data = invented(tmp_path / "data")
    assert main(["export", "qs2024", "--xlsx", str(tmp_path), "--data", str(data)]) == 0
    path = tmp_path / "青松市_2024_责任分解.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == ["重点工作", "民生实事", "按单位", "量化指标", "通知信息", "提示"]
    key_work = book["重点工作"]
    texts = [key_work.cell(row=r, column=3) for r in range(2, 9)]
    assert [unescape(str(c.value)) for c in texts] == [*INJECTIONS, MARKUP]  # \r is stored as _x000D_
    assert all(c.data_type == "s" for c in texts)
    assert key_work["E2"].value == "=SUM(1) 配合" and key_work["E2"].data_type == "s"
    livelihood = records(book["民生实事"])
    assert livelihood[0]["项目名称"] == "=HYPERLINK 项目"
    assert livelihood[0]["完成时限"] == dt.datetime(2024, 6, 30)  # deadline_date, a date
    column = [c.value for c in book["民生实事"][1]].index("完成时限") + 1
    assert book["民生实事"].cell(row=2, column=column).number_format == "yyyy-mm-dd"
    targets = records(book["量化指标"])
    assert targets[0]["指标"] == "=口袋公园" and targets[-1]["上限"] == 400
    units = records(book["按单位"])
    assert [r["牵头单位"] for r in units].count("青松市城市管理局") == 7  # grouped by canonical name
    assert records(book["提示"]) == [{"位置": "第3页", "说明": "表格行无法对齐"}]
    fields = {row[0]: row[1] for row in book["通知信息"].iter_rows(min_row=2, values_only=True)}
    assert fields["地区"] == "青松市" and fields["通知编号"] == "qs2024notice"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_ingest_writes_the_ledger_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(SEED), "--out", str(tmp_path / "out"), "--xlsx", str(tmp_path / "xlsx")]) == 0
    assert [p.name for p in (tmp_path / "xlsx").iterdir()] == [SEED_BOOK]
    assert f"wrote {tmp_path / 'xlsx' / SEED_BOOK}" in capsys.readouterr().out


def test_two_notices_of_one_place_and_year_get_distinct_names(tmp_path: Path) -> None:
    """Two notices of 嘉兴市 in 2021 (the second titled differently) are both 嘉兴市_2021: doc_ids tell them apart."""
    other = tmp_path / "jiaxing_2021_list.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("民生实事责任分解的通知", "民生实事任务清单的通知", 1), encoding="utf-8")
    assert main(["ingest", str(SEED), str(other), "--out", str(tmp_path / "out"), "-q"]) == 0
    assert main(["export", "jiaxing_2021.txt", "jiaxing_2021_list.txt", "--xlsx", str(tmp_path / "x"),
                 "--data", str(tmp_path / "out")]) == 0  # fmt: skip
    names = sorted(p.name for p in (tmp_path / "x").iterdir())
    other_id = hashlib.sha256(other.read_bytes()).hexdigest()[:16]
    assert names == sorted([f"嘉兴市_2021_{other_id}_责任分解.xlsx", "嘉兴市_2021_814aa2ce3d9bb1b2_责任分解.xlsx"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "nothing", "--xlsx"], "error: no notice matches 'nothing'"),
        (["export", "jiaxing", "--xlsx", "--data", "/nonexistent"], "error: /nonexistent: no such folder"),
    ],
)
def test_bad_notice_or_folder_one_line_exit_1_nothing_written(
    seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    args: list[str], message: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    full = args if "--data" in args else [*args, "--data", str(seed)]
    assert main(full) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_one_line(seed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", "814a", "--xlsx", str(blocker / "sub"), "--data", str(seed)]) == 1
    assert capsys.readouterr().err.startswith(f"error: cannot write {blocker / 'sub'}/")


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)",
)
def test_libreoffice_converts_the_ledger_to_pdf(seed_book: Path, tmp_path: Path) -> None:
    import pdfplumber

    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(seed_book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / seed_book.with_suffix(".pdf").name) as pdf:
        assert len(pdf.pages) >= 6  # every sheet printed, one page wide
        first = pdf.pages[0].extract_text()
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "工作任务" in first and "嘉善县政府" in first
    assert "一季度进展" in text and "高新技术企业" in text
    if shutil.which("pdftoppm"):  # a picture to look at: tmp_path/page-01.png
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(tmp_path / seed_book.with_suffix(".pdf").name),
                        str(tmp_path / "page")], check=True, timeout=60)  # fmt: skip
        assert (tmp_path / "page-01.png").stat().st_size > 10_000


def test_tasks_without_a_lead_unit_are_listed_last(tmp_path: Path) -> None:
    rows = invented_rows()
    rows["task_units"] = [u for u in rows["task_units"] if u["task_id"] != "livelihood-0-1-1"]
    data = write_dataset(tmp_path / "data", rows)
    assert main(["export", DOC, "--xlsx", str(tmp_path), "--data", str(data)]) == 0
    units = records(load_workbook(tmp_path / "青松市_2024_责任分解.xlsx")["按单位"])
    assert [r["牵头单位"] for r in units] == ["青松市城市管理局"] * 6 + ["青松市住房和城乡建设局", "（未列牵头单位）"]
    assert units[-1]["工作任务"] == "新增普惠托位300个。"
