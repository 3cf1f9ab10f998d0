"""The web-page reader: charsets, page chrome, the article, rowspan/colspan grids."""

from __future__ import annotations

import pytest

from pipeline import sources
from pipeline.model import Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources import html as html_reader

PAGE = """<!DOCTYPE html><html><head>{meta}<title>通知</title><script>var a = "序号";</script></head>
<body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/x">政务公开</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a></div>
<div class="main"><div class="sidebar"><a href="/1">相关文件一</a><a href="/2">相关文件二</a></div>
<div class="article"><p>嘉兴市人民政府办公室关于印发</p><p>各县（市、区）人民政府：<br>正文第二行</p>
<p>2021年政府工作报告重点工作责任分解</p>
<table>
<tr><th>序号</th><th>主&nbsp;&nbsp;要&nbsp;&nbsp;任&nbsp;&nbsp;务</th><th>牵头单位</th></tr>
<tr><td colspan="3">一、未来五年主要工作任务</td></tr>
<tr><td rowspan="2">12</td><td><p>加快构建</p><p>快速交通体系。</p></td><td>市交通运输局</td></tr>
<tr><td>市区快速路
  建成通车。</td><td>嘉通集团、<br/>铁投集团</td></tr>
<tr><td rowspan="x">13</td><td colspan="0">任务</td><td>市科技局</td></tr>
</table>
<p>注：请各牵头单位按时报送。</p></div></div>
<div class="footer"><p>主办：嘉兴市人民政府办公室</p><p>浙ICP备05000000号</p></div>
</body></html>"""

EXPECTED = (
    Paragraph("嘉兴市人民政府办公室关于印发"),
    Paragraph("各县（市、区）人民政府："),
    Paragraph("正文第二行"),
    Paragraph("2021年政府工作报告重点工作责任分解"),
    Table((
        ("序号", "主  要  任  务", "牵头单位"),
        ("一、未来五年主要工作任务", "", ""),
        ("12", "加快构建\n快速交通体系。", "市交通运输局"),
        ("", "市区快速路 建成通车。", "嘉通集团、\n铁投集团"),
        ("13", "任务", "市科技局"),
    )),
    Paragraph("注：请各牵头单位按时报送。"),
)


@pytest.mark.parametrize(
    ("meta", "encoding"),
    [
        ('<meta charset="utf-8">', "utf-8"),
        ('<meta charset="gb18030">', "gb18030"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gbk">', "gbk"),
        ("", "gb18030"),  # undeclared: UTF-8 fails, GB18030 fits
        ('<meta charset="utf-8">', "gbk"),  # declared wrongly: fall back
        ('<meta charset="gb2312">', "utf-8-sig"),  # the BOM wins over the declaration
    ],
    ids=["utf-8", "meta-gb18030", "http-equiv-gbk", "undeclared-gb18030", "wrong-declaration", "bom"],
)
def test_charsets_chrome_and_grid(meta: str, encoding: str, rules: Rules) -> None:
    read = sources.read(PAGE.format(meta=meta).encode(encoding), rules)
    assert read.source_format == "html"
    assert read.blocks == EXPECTED


def test_page_without_chrome_or_tables(rules: Rules) -> None:
    read = sources.read("<html><body><p>第一段</p>第二段<div>第三段</div></body></html>".encode(), rules)
    assert read.blocks == (Paragraph("第一段"), Paragraph("第二段"), Paragraph("第三段"))


def test_decode_strips_the_bom() -> None:
    assert html_reader.decode(b"\xef\xbb\xbf<p>x</p>") == "<p>x</p>"


def test_table_inside_chrome_named_wrapper_is_kept(rules: Rules) -> None:
    """A responsibility table inside <div class="article-share"> was removed as chrome (id() reuse)."""
    page = (
        '<html><head><meta charset="utf-8"></head><body><div class="nav"><a href="#">首页</a></div>'
        '<div class="article-share"><p>2023年重点工作责任分解</p><table>'
        "<tr><td>序号</td><td>工作任务</td><td>牵头单位</td></tr><tr><td>1</td><td>新增企业10家</td><td>市经信局</td></tr>"
        '</table></div><div class="footer">版权所有</div></body></html>'
    )
    assert sources.read(page.encode(), rules).tables[0].rows[1] == ("1", "新增企业10家", "市经信局")
