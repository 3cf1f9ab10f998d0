"""The header stage on web copies: page chrome, lost dates, wrapped titles (issue 10 §9).

Each case is the paragraphs above a notice's table, as a reader delivers them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.header import Header, read_header
from pipeline.model import Document, Paragraph, Table
from pipeline.rules import Rules

TITLE = "某市人民政府办公室关于印发2022年政府工作报告重点工作责任分解的通知"
ISSUER = "某市人民政府办公室"
BODY = ["各区县人民政府，市政府各部门：", "现将《重点工作责任分解》印发给你们，请认真贯彻落实。"]
TABLE = Table((("序号", "主要工作任务", "牵头单位"), ("1", "任务甲", "市发改委")))


def _header(lines: list[str], rules: Rules, *blocks: Table) -> Header:
    doc = Document(blocks=(*blocks, *(Paragraph(line) for line in lines), TABLE), source_format="text")
    return read_header(doc, rules)


def _fields(header: Header) -> tuple[str | None, str | None, str | None, int | None]:
    return header.title, header.issuer, header.issue_date.isoformat() if header.issue_date else None, header.year


CASES = {
    "breadcrumb-metadata-share": (
        ["首页 > 政务公开 > 政府文件", "索引号：1133/2022-00047", "发文文号：某政办发〔2022〕9号", "成文日期：2022-05-10",
         "发布日期：2022-05-12", "信息来源：市政府办公室", "浏览次数：1136", "【字体：大 中 小】  打印  分享到：",
         TITLE, "某政办发〔2022〕9号", *BODY, ISSUER, "2022510"],
        (TITLE, ISSUER, "2022-05-10", 2022),
    ),
    "lost-date-without-metadata": ([TITLE, *BODY, ISSUER, "2022510"], (TITLE, ISSUER, None, 2022)),
    "publication-time-is-not-the-issue-date": (
        [TITLE, "发布时间：2022-05-12 09:30:15　来源：某市人民政府网　【打印】【关闭】", *BODY, ISSUER, "二○二二年五月十日"],
        (TITLE, ISSUER, "2022-05-10", 2022),
    ),
    "title-printed-twice": ([TITLE, TITLE, *BODY, ISSUER, "2022年5月10日"], (TITLE, ISSUER, "2022-05-10", 2022)),
    "masthead-and-spaced-labels": (
        ["某市人民政府办公室文件", "文       号 : 某政办发〔2022〕9号", "某政办发〔2022〕9号", TITLE, *BODY, ISSUER, "2022年5月10日"],
        (TITLE, ISSUER, "2022-05-10", 2022),
    ),
    "title-over-three-lines": (
        ["某政办发〔2022〕9号", TITLE[:20], TITLE[20:40], TITLE[40:], *BODY, ISSUER, "2022年5月10日"],
        (TITLE, ISSUER, "2022-05-10", 2022),
    ),
    "timestamp-above-the-title-is-not-the-date": (
        ["2022-05-12", TITLE, *BODY, ISSUER, "2022-05-10"], (TITLE, ISSUER, "2022-05-10", 2022),
    ),
    "name-metadata-is-not-the-title": (
        ["名称：" + TITLE, "成文日期：2022年05月10日", TITLE, *BODY, ISSUER, "2022年5月1日"],
        (TITLE, ISSUER, "2022-05-01", 2022),
    ),
    # held-out check: accessibility links after a bullet were glued onto the title below them
    "bulleted-page-tools": (
        ["• 设为首页", "• 加入收藏", "•无障碍 •长辈版", "• 长者版", "» 首页 > 政务公开", TITLE, *BODY, ISSUER, "2022年5月10日"],
        (TITLE, ISSUER, "2022-05-10", 2022),
    ),
    # real excerpts starting below the title: a sentence or a lone word is no title
    "no-title-line": (["全文", "为推动高质量发展，制定本方案。", "一、主要目标"], (None, None, None, None)),
    "traditional": (
        ["首頁 > 政務公開", "發布日期：2022-05-12", "某市人民政府辦公室關於印發2022年政府工作報告重點工作責任分解的通知",
         "各區縣人民政府：", "現將責任分解印發給你們。", "某市人民政府辦公室", "二〇二二年五月十日"],
        ("某市人民政府辦公室關於印發2022年政府工作報告重點工作責任分解的通知", "某市人民政府辦公室", "2022-05-10", 2022),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_header_of_web_copies(case: str, rules: Rules) -> None:
    lines, want = CASES[case]
    assert _fields(_header(lines, rules)) == want


def test_metadata_block_read_as_a_table(rules: Rules) -> None:
    """Pipe metadata that a reader turned into a table: chrome, but its 成文日期 still serves."""
    metadata = Table((("索引号:", "1153/2024-00031", "公开方式:", "主动公开"), ("文号:", "某政办发〔2024〕6号", "成文日期:", "2024-02-26")))
    header = _header([TITLE, *BODY, ISSUER, "20240226"], rules, metadata)
    assert _fields(header) == (TITLE, ISSUER, "2024-02-26", 2022)


def test_a_lost_date_never_guesses(rules: Rules) -> None:
    """2022510 could be 5月10日 or 5月1日-0: no date rather than a wrong one."""
    header = _header([TITLE, *BODY, ISSUER, "2022510"], rules)
    assert header.issue_date is None and header.issuer == ISSUER
    assert isinstance(_header([TITLE, *BODY, ISSUER, "2022年5月10日"], rules).issue_date, dt.date)
