"""Neutral documents of the layout fixtures, as the layouts stage delivers them.

The readers of one cell per line, pipe rows and paragraph notices (issue 10)
turn those copies into :class:`~pipeline.model.Table` blocks whose first row
is the header as written (for a paragraph notice, a header made of the
column names of ``rules/tables.yaml``) and whose section headings are rows
holding only the heading. These documents, written by hand, test the tables
and header stages apart from the layouts stage (tests/test_table_meaning.py
reads each fixture both ways). The paragraphs above the first table are the
fixture's own lines; the table cells are copied from the fixture by hand.
"""

from __future__ import annotations

from pipeline.model import Document, Paragraph, Table
from tests.conftest import RAW_DOCS


def _paragraphs(name: str, lines: int) -> list[Paragraph]:
    """The first ``lines`` lines of ``raw_docs/<name>.txt`` as paragraphs, blank ones left out."""
    text = (RAW_DOCS / f"{name}.txt").read_text(encoding="utf-8")
    return [Paragraph(line.strip()) for line in text.split("\n")[:lines] if line.strip()]


def _document(*blocks: Paragraph | Table | list[Paragraph]) -> Document:
    flat: list[Paragraph | Table] = []
    for block in blocks:
        flat.extend(block if isinstance(block, list) else [block])
    return Document(blocks=tuple(flat), source_format="text")


def lanxi_2021() -> Document:
    """One cell per line; units one per line inside a cell; the first-listed rule in the letter."""
    return _document(
        _paragraphs("lanxi_2021", 21),
        Table(
            (
                ("序号", "内 容 与 要 求", "责 任 单 位", "完成时限"),
                ("1", "全区一般公共预算收入增长4%。", "区财政局\n区税务局", "12月底"),
                ("2", "新增国家级高新技术企业30家，技术合同成交额达到15亿元。", "区科技局、区财政局（负责资金保障）", "12月底"),
                ("3", "社会消费品零售总额增长8%，新增限上商贸企业40家。", "区商务局、区市场监管局、区文旅局等", "12月底"),
                ("4", "新增城镇就业5500人，开展职业技能培训1万人次。", "区人社局 李建国\n区总工会", "12月底"),
                ("5", "新建普惠性幼儿园4所，新增社区卫生服务站6个。", "区教育局、区卫健局分别牵头\n区财政局", "12月底"),
                ("6", "完成老旧小区改造18个，加装电梯60台。", "区住建局、各街道办事处", "11月底"),
                ("7", "新引进高层次人才团队8个。", "区委组织部（区委人才办）、区人社局", "12月底"),
                ("8", "新建养老服务中心5个，为80周岁以上老年人发放高龄津贴。", "区民政局 孙丽华", "12月底"),
            )
        ),
    )


def songtao_2022() -> Document:
    """A paragraph notice: numbered tasks with 责任单位 lines, leader sections, nested headings."""
    header = ("序号", "主要工作任务", "责任单位")
    return _document(
        _paragraphs("songtao_2022", 11),
        Table(
            (
                header,
                ("一、周卫东市长牵头重点工作", "", ""),
                ("1", "全市地区生产总值增长6.5%左右，一般公共预算收入增长6%。",
                 "市发展改革委、市财政局、市统计局（列第一位者为牵头单位，下同）"),
                ("2", "固定资产投资增长9%，制造业投资增长15%以上。", "市发展改革委、市经信局"),
                ("3", "深化国资国企改革，市属国有企业营业收入突破500亿元。", "市国资委"),
                ("二、林海副市长牵头重点工作", "", ""),
                ("1", "新增规上工业企业120家，规上工业增加值增长9%。", "市经信局、市统计局"),
                ("2", "外贸进出口总额增长8%，实际使用外资2.5亿美元。", "市商务局、松涛海关"),
                ("3", "新认定高新技术企业150家。", "市科技局"),
                ("三、刘芳副市长牵头重点工作", "", ""),
                ("（一）教育卫生", "", ""),
                ("1", "建成中小学12所，新增三级医院1家。", "市教育局、市卫生健康委分别牵头，市财政局配合"),
                ("2", "每千人口拥有3岁以下婴幼儿托位数达到3.5个。", "市卫生健康委、市教育局"),
                ("（二）社会保障", "", ""),
                ("1", "新增城镇就业5万人，城镇调查失业率控制在5.5%以内。", "市人力社保局、市财政局"),
                ("2", "城乡居民基本养老保险参保率稳定在95%以上。", "市人力社保局、市税务局等"),
            )
        ),
    )


def baisha_2022() -> Document:
    """Pipe rows: an indicator name beside its requirement; a table without a 序号 column."""
    return _document(
        _paragraphs("baisha_2022", 10),
        Table(
            (
                ("序号", "任务名称", "指标要求", "牵头单位", "配合单位"),
                ("1", "地区生产总值", "增长5.5%左右", "市发展改革委", "市统计局"),
                ("2", "一般公共预算收入", "增长6%", "市财政局", "市税务局"),
                ("3", "固定资产投资", "增长8%以上", "市发展改革委", "市住建局、市自然资源和规划局"),
                ("4", "社会消费品零售总额", "增长7%", "市商务局", "市统计局"),
                ("5", "城镇调查失业率", "控制在5.5%以内", "市人力社保局", ""),
                ("6", "单位地区生产总值能耗", "完成省下达目标", "市发展改革委", "市经信局、市生态环境局"),
                ("7", "细颗粒物（PM2.5）平均浓度", "控制在32微克/立方米以内", "市生态环境局", ""),
            )
        ),
        Paragraph("附件2"),
        Paragraph("2022年政府工作报告重点任务责任分解"),
        Table(
            (
                ("重点任务", "责任单位"),
                ("1.实施工业强市战略，新增规上工业企业80家。", "市经信局"),
                ("2.推进科技创新，新认定高新技术企业120家。", "市科技局、市财政局"),
                ("3.建设高标准农田4万亩，粮食播种面积稳定在95万亩以上。", "市农业农村局"),
                ("4.新增城镇就业2.8万人。", "市人力社保局"),
                ("5.新增公办幼儿园学位3000个。", "市教育局"),
            )
        ),
        Paragraph("注：表中责任单位均为牵头单位。"),
    )


def lianhe_2016() -> Document:
    """An old county copy: blank-separated units gathered into one cell, a merged unit cell."""
    return _document(
        _paragraphs("lianhe_2016", 26),
        Table(
            (
                ("序号", "民生实事", "责任单位", "完成时限"),
                ("1", "新建城区人行天桥2座。", "县住建局", "9月底前"),
                ("2", "建成县图书馆新馆。", "县文广新局\n县代建中心", "12月底前"),
                ("3", "新建乡镇中心幼儿园3所。", "县教育局\n县代建中心", "12月底前"),
                ("4", "开工建设县老年养护中心。", "县民政局", "5月底前动工"),
                ("", "新增农村幸福院床位300张。", "", "12月底前"),
                ("5", "完成棚户区改造1500户。", "县住建局", "12月底前"),
                ("6", "新建城区农贸市场1个。", "县商务局\n县市场监管局", "10月底前"),
                ("7", "新增城区公共停车位1200个。", "县住建局\n县公安局\n县城管局", "12月底前"),
                ("8", "为农村困难群众提供免费体检2万人次。", "县卫计局", "11月底前"),
            )
        ),
        Paragraph("分享到："),
    )


DOCUMENTS = {"lanxi_2021": lanxi_2021, "songtao_2022": songtao_2022, "baisha_2022": baisha_2022, "lianhe_2016": lianhe_2016}
