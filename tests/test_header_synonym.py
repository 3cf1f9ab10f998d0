"""Proof that column names are data: adding 编号 to the item_no names in a copy of
rules/tables.yaml, and nothing else, makes a table headed 编号 parse in every reader.

The inputs are built here. The text reader uses the names to end a table
before the next one's title, the web-page reader to keep a responsibility
table found inside page chrome; Word and PDF tables reach the tables stage
as they are.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import NoResponsibilityTable
from pipeline.ingest import parse_bytes
from pipeline.rules import Rules, default_rules_dir, load_rules
from tests.builders import docx_notice, pdf_bytes, ruled_page

HEADER = ["编号", "工作任务", "牵头单位"]
ROWS = [["1", "新增企业10家", "市经信局"], ["2", "建成公园3个", "市建设局"]]
TITLE = "2023年重点工作责任分解"


def _text() -> bytes:
    def table(rows: list[list[str]]) -> str:
        return "\n".join("\t" + "\n\t".join(row) + "\n" for row in rows)

    second = [["编号", "项目名称", "牵头单位"], ["1", "新建养老机构2家", "市民政局"]]
    return (f"{TITLE}\n{table([HEADER, *ROWS])}民生实事责任分解\n\n{table(second)}").encode()


def _html() -> bytes:
    cells = "".join(f"<tr>{''.join(f'<td>{c}</td>' for c in row)}</tr>" for row in [HEADER, *ROWS])
    return (
        '<html><head><meta charset="utf-8"></head><body><div class="nav"><a href="#">首页</a></div>'
        f'<div class="article-share"><p>{TITLE}</p><table>{cells}</table></div>'
        '<div class="footer">版权所有</div></body></html>'
    ).encode()


def _docx() -> bytes:
    return docx_notice(TITLE, [HEADER, *ROWS])


def _pdf() -> bytes:
    return pdf_bytes([ruled_page([HEADER, *ROWS], "- 1 -")])


BUILDERS: dict[str, Callable[[], bytes]] = {"text": _text, "html": _html, "docx": _docx, "pdf": _pdf}
EXPECTED = [("key_work", 1, "新增企业10家", "市经信局"), ("key_work", 2, "建成公园3个", "市建设局")]


@pytest.fixture(scope="module")
def with_bianhao(tmp_path_factory: pytest.TempPathFactory) -> Rules:
    folder = tmp_path_factory.mktemp("bianhao") / "rules"
    shutil.copytree(default_rules_dir(), folder)
    tables = folder / "tables.yaml"
    text = tables.read_text(encoding="utf-8")
    assert "  item_no: [序号]\n" in text
    tables.write_text(text.replace("  item_no: [序号]\n", "  item_no: [序号, 编号]\n"), encoding="utf-8")
    return load_rules(folder)


@pytest.mark.parametrize("reader", BUILDERS)
def test_bianhao_is_a_number_column_once_listed(reader: str, with_bianhao: Rules) -> None:
    parsed = parse_bytes(BUILDERS[reader](), f"notice.{reader}", with_bianhao)
    assert parsed.source_format == reader
    tasks = parsed.tables["tasks"]
    units = {row["task_id"]: row["unit"] for row in parsed.tables["task_units"]}
    got = [(row["table"], row["item_no"], row["text"], units[row["task_id"]]) for row in tasks]
    assert got[:2] == EXPECTED
    if reader == "text":  # the title line ended the first table instead of joining its last cell
        assert got[2:] == [("livelihood", 1, "新建养老机构2家", "市民政局")]
    else:
        assert len(got) == 2


@pytest.mark.parametrize("reader", BUILDERS)
def test_without_the_name_there_is_no_table(reader: str, rules: Rules) -> None:
    with pytest.raises(NoResponsibilityTable, match="no table with 序号 and a task column"):
        parse_bytes(BUILDERS[reader](), f"notice.{reader}", rules)


def test_message_names_every_listed_number_column(with_bianhao: Rules) -> None:
    with pytest.raises(NoResponsibilityTable, match="no table with 序号/编号 and a task column"):
        parse_bytes("只有正文。\n".encode(), "notice.txt", with_bianhao)


def test_the_rules_folder_is_not_touched() -> None:
    assert "编号" not in (default_rules_dir() / "tables.yaml").read_text(encoding="utf-8")
    assert isinstance(Path(default_rules_dir()), Path)
