"""Quantities: Arabic and Chinese numbers with scale words, ranges and units."""

from __future__ import annotations

import pytest

from pipeline import numbers
from pipeline.rules import Rules
from pipeline.textnorm import fold_width

# (text, [(value, value_max, unit, value_base, unit_base, value_max_base), ...])
QUANTITIES = [
    # seed notice
    pytest.param("新认定高新技术企业300家", [(300, None, "家", 300, "家", None)], id="seed-count"),
    pytest.param("向上争取新增建设用地指标1.3万亩以上", [(1.3, None, "万亩", 13000, "亩", None)], id="seed-decimal-wan-mu"),
    pytest.param("实际利用外资确保28亿美元", [(28, None, "亿美元", 2.8e9, "美元", None)], id="seed-yi-usd"),
    pytest.param("新引进大学生12万人左右", [(12, None, "万人", 120000, "人", None)], id="seed-wan-ren"),
    pytest.param("腾出40万吨标煤空间", [(40, None, "万吨标煤", 400000, "吨标煤", None)], id="seed-coal"),
    pytest.param("培育1-2个省级智慧商圈", [(1, 2, "个", 1, "个", 2)], id="seed-range"),
    pytest.param("约32万60岁以上男性", [(32, None, "万", 320000, None, None), (60, None, "岁", 60, "岁", None)],
                 id="seed-bare-wan-scope-age-is-a-quantity-not-a-target"),
    pytest.param("市区PM2.5浓度低于32微克", [(32, None, "微克", 32, "微克", None)], id="seed-pm25"),
    pytest.param("达到45.5%、39%和65.5%", [(45.5, None, "%", 45.5, "%", None), (39, None, "%", 39, "%", None),
                                          (65.5, None, "%", 65.5, "%", None)], id="seed-percent-list"),
    pytest.param("核心区亩均效益达到面上农业3倍以上", [(3, None, "倍", 3, "倍", None)], id="seed-multiple"),
    pytest.param("人工干预诈骗信息10万次", [(10, None, "万次", 100000, "次", None)], id="seed-wan-ci"),
    # other notices
    pytest.param("每户补助10-50万元", [(10, 50, "万元", 100000, "元", 500000)], id="range-scale-on-end"),
    pytest.param("10万元-50万元", [(10, 50, "万元", 100000, "元", 500000)], id="range-scale-both-ends"),
    pytest.param("增长8%-10%", [(8, 10, "%", 8, "%", 10)], id="range-percent-both-ends"),
    pytest.param("培育1～2个", [(1, 2, "个", 1, "个", 2)], id="range-tilde"),
    pytest.param("培育1至2个", [(1, 2, "个", 1, "个", 2)], id="range-zhi"),
    pytest.param("三至五个", [(3, 5, "个", 3, "个", 5)], id="range-chinese"),
    pytest.param("总量达到1.2万亿元", [(1.2, None, "万亿元", 1.2e12, "元", None)], id="decimal-wan-yi"),
    pytest.param("总量达到１．２万亿元", [(1.2, None, "万亿元", 1.2e12, "元", None)], id="full-width-digits"),
    pytest.param("增长８％", [(8, None, "%", 8, "%", None)], id="full-width-percent"),
    pytest.param("新增贷款3千万元", [(3, None, "千万元", 3e7, "元", None)], id="qian-wan"),
    pytest.param("建设十个未来社区", [(10, None, "个", 10, "个", None)], id="chinese-shi-ge"),
    pytest.param("提高两成", [(2, None, "成", 20, "%", None)], id="chinese-liang-cheng"),
    pytest.param("降低百分之五", [(5, None, "%", 5, "%", None)], id="chinese-bai-fen-zhi"),
    pytest.param("新增就业一千二百人", [(1200, None, "人", 1200, "人", None)], id="chinese-yi-qian-er-bai"),
    pytest.param("新增就业一万二千人", [(12000, None, "人", 12000, "人", None)], id="chinese-inner-scale"),
    pytest.param("新建三十万套", [(30, None, "万套", 300000, "套", None)], id="chinese-trailing-scale"),
    pytest.param("减少5个百分点", [(5, None, "个百分点", 5, "个百分点", None)], id="percentage-points"),
    pytest.param("控制在30微克/立方米以内", [(30, None, "微克/立方米", 30, "微克/立方米", None)], id="unit-with-slash"),
]

# Text without any quantity: Chinese numerals with no unit after them, bare numbers.
NO_QUANTITY = [
    pytest.param("一带一路", id="yi-dai-yi-lu"),
    pytest.param("三农", id="san-nong"),
    pytest.param("统一", id="tong-yi"),
    pytest.param("市区快速路一二期建成通车", id="yi-er-qi"),
    pytest.param("三年行动计划", id="san-nian"),
    pytest.param("百亿企业", id="bai-yi-qi-ye"),
    pytest.param("2021年", id="year"),
    pytest.param("G60科创走廊", id="latin-prefix"),
    pytest.param("亿元以上涉农项目", id="bare-scale-no-digit"),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITIES)
def test_quantities(text: str, expected: list[tuple], rules: Rules) -> None:
    found = [
        (q.value, q.value_max, q.unit, q.value_base, q.unit_base, q.value_max_base)
        for q in numbers.find_quantities(fold_width(text), rules)
    ]
    assert found == [tuple(float(x) if isinstance(x, int) else x for x in row) for row in expected]


@pytest.mark.parametrize("text", NO_QUANTITY)
def test_no_quantity(text: str, rules: Rules) -> None:
    assert numbers.find_quantities(text, rules) == []


def test_fold_width_keeps_length() -> None:
    text = "增长１２．５％以上"
    assert len(fold_width(text)) == len(text)
