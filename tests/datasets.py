"""Output folders for the export and review tests.

``seed_output`` is the real writer's output for the seed notice. ``invented``
is a small notice written here (invented city 青松市, tasks and units) with
the columns later work will add (notice_id, region, level, deadline_date,
unit_canonical, a warnings table) and text that tries formula injection and
markup injection.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.cli import main
from pipeline.schema import TABLES
from pipeline.write import FORMULA_STARTS
from tests.conftest import SEED

DOC = "0a1b2c3d4e5f6789"
INJECTIONS = [
    "=1+1 新建口袋公园12个",
    "@SUM(A1) 改造老旧小区3000户以上",
    "+3 新增停车位800个",
    "-2 下降5%",
    "\t=2+3 测试",
    "\r=4 测试",
]
MARKUP = "<script>alert(1)</script> & \"引号\" 'x' <b>粗</b> 建设驿站6个"

# Columns added after the first release: an older dataset (extra=False) lacks them.
EXTRA = {
    "documents": ["notice_id", "region", "level", "source_files", "warning_count"],
    "tasks": ["deadline_date", "leader", "progress"],
    "task_units": ["unit_canonical"],
}
WARNINGS = TABLES["warnings"]


def seed_output(folder: Path) -> Path:
    """Ingest the seed notice into ``folder`` with the real CLI."""
    assert main(["ingest", str(SEED), "--out", str(folder), "--quiet"]) == 0
    return folder


def csv_rows(folder: Path, table: str) -> list[dict[str, str]]:
    """A table's rows from the CSV copies (a second path to the data than the Parquet reader).

    A cell Excel would take for a formula has a ``'`` before it in the copy
    (:func:`pipeline.write.neutralise`); it is taken off here.
    """
    rows: list[dict[str, str]] = []
    for path in sorted((folder / "csv" / table).glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows.extend({k: _exact(v) for k, v in row.items()} for row in csv.DictReader(handle))
    return rows


def _exact(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _target(task_id: str, text: str, span: str, **fields: Any) -> dict[str, Any]:
    start = text.index(span)
    row = {
        "doc_id": DOC,
        "task_id": task_id,
        "span_start": start,
        "span_end": start + len(span),
        "span_text": span,
    }
    row.update(fields)
    return row


def invented_rows(
    doc_id: str = DOC, title: str = "青松市人民政府办公室关于印发2024年重点工作责任分解的通知"
) -> dict[str, list[dict[str, Any]]]:
    texts = [*INJECTIONS, MARKUP]
    tasks = [
        {"doc_id": doc_id, "task_id": f"key_work-0-{i}-1", "table": "key_work", "item_no": i, "part_no": 1,
         "text": text, "row_no": i, "section": "一、城市建设" if i < 4 else "二、民生保障"}
        for i, text in enumerate(texts, start=1)
    ]  # fmt: skip
    tasks.append(
        {"doc_id": doc_id, "task_id": "livelihood-0-1-1", "table": "livelihood", "item_no": 1, "part_no": 1,
         "name": "=HYPERLINK 项目", "text": "新增普惠托位300个。", "deadline": "2024年6月底", "row_no": len(texts) + 1,
         "deadline_date": dt.date(2024, 6, 30)}
    )  # fmt: skip
    units = []
    for task in tasks:
        units.append({"doc_id": doc_id, "task_id": task["task_id"], "unit": "市城管局", "role": "lead", "position": 1,
                      "unit_canonical": "青松市城市管理局"})  # fmt: skip
    units[1]["unit"] = "市住建局"
    units[1]["unit_canonical"] = "青松市住房和城乡建设局"
    units.append(
        {
            "doc_id": doc_id,
            "task_id": tasks[0]["task_id"],
            "unit": "=SUM(1) 配合",
            "role": "support",
            "position": 2,
        }
    )
    units.append(
        {
            "doc_id": doc_id,
            "task_id": tasks[6]["task_id"],
            "unit": "<i>市财政局</i>",
            "role": "support",
            "position": 2,
        }
    )
    targets = [
        _target(tasks[0]["task_id"], texts[0], "12个", indicator="=口袋公园", value=12.0, unit="个", comparator="=",
                commitment="guaranteed", table="key_work", item_no=1, deadline_year=2024),
        _target(tasks[1]["task_id"], texts[1], "3000户以上", indicator="老旧小区", value=3000.0, unit="户",
                comparator=">=", commitment="aspirational", table="key_work", item_no=2),
        _target(tasks[2]["task_id"], texts[2], "800个", indicator="停车位", value=800.0, unit="个", comparator="=",
                table="key_work", item_no=3),
        _target(tasks[6]["task_id"], texts[6], "6个", indicator="驿站", value=6.0, unit="个", comparator="=",
                table="key_work", item_no=7),
        _target(tasks[7]["task_id"], tasks[7]["text"], "300个", indicator="普惠托位", value=300.0, unit="个",
                comparator="range", value_max=400.0, table="livelihood", item_no=1),
    ]  # fmt: skip
    document = {
        "doc_id": doc_id, "title": title, "issuer": "青松市人民政府办公室", "issue_date": dt.date(2024, 2, 20),
        "year": 2024, "source_file": "qingsong_2024.txt", "source_format": "text", "source_sha256": doc_id * 4,
        "pipeline_version": "0.1.0", "rules_version": "0000", "task_count": len(tasks), "target_count": len(targets),
        "notice_id": "qs2024notice", "region": "青松市", "level": "city",
    }  # fmt: skip
    return {"documents": [document], "tasks": tasks, "task_units": units, "targets": targets}


def write_dataset(folder: Path, tables: dict[str, list[dict[str, Any]]], extra: bool = True,
                  warnings: list[dict[str, Any]] | None = None) -> Path:  # fmt: skip
    """Write ``tables`` as ingest lays them out, with the later columns when ``extra``."""
    doc_id = tables["documents"][0]["doc_id"]
    for name, schema in TABLES.items():
        if name == "warnings":
            continue
        if not extra:
            for field_name in EXTRA.get(name, []):
                schema = schema.remove(schema.get_field_index(field_name))
        rows = [{k: v for k, v in row.items() if k in schema.names} for row in tables.get(name, [])]
        (folder / name).mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / name / f"{doc_id}.parquet")
    if warnings is not None:
        (folder / "warnings").mkdir(parents=True, exist_ok=True)
        pq.write_table(
            pa.Table.from_pylist(warnings, schema=WARNINGS), folder / "warnings" / f"{doc_id}.parquet"
        )
    return folder


def invented(folder: Path, warnings: list[dict[str, Any]] | None = None) -> Path:
    if warnings is None:
        warnings = [{"doc_id": DOC, "stage": "tables", "where": "第3页", "what": "表格行无法对齐"}]
    return write_dataset(folder, invented_rows(), warnings=warnings)
