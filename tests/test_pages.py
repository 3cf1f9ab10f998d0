"""Joining the pages of a PDF or a scan (pipeline/sources/pages.py), on hand-made lines and chunks."""

from __future__ import annotations

import pytest

from pipeline.model import Paragraph, Table
from pipeline.rules import Rules
from pipeline.sources import pages
from pipeline.sources.pages import Chunk, Item, Line, Tolerances, join_pages, lead_width

HEIGHT = 842.0
LEFT, RIGHT = 62.0, 533.0


def _tolerances(rules: Rules) -> Tolerances:
    return Tolerances(
        closing=rules.text.sentence_ends,
        is_page_number=lambda text: bool(rules.text.page_number.match(text)),
        paragraph_gap=1.2,
        column_share=0.0035,
        paragraph_ends=rules.text.sentence_ends + rules.text.lead_ins,
    )


def _line(top: float, x0: float, x1: float, text: str, size: float = 16.0, lead: float = 0.0, page: int = 0) -> Line:
    return Line(page, HEIGHT, top, top + size, x0, x1, size, text, lead)


def _body(top: float) -> list[Item]:
    """Two full-width body lines (16 pt), so that the body size is 16."""
    return [_line(top, LEFT, RIGHT, "甲" * 29), _line(top + 26, LEFT, RIGHT - 100, "乙" * 22 + "。")]


def _texts(items: list[Item], rules: Rules) -> list[str]:
    return [b.text for b in join_pages([items], _tolerances(rules)) if isinstance(b, Paragraph)]


# -- lines broken early ------------------------------------------------------------------


def test_line_broken_before_a_run_that_did_not_fit_is_joined(rules: Rules) -> None:
    """qinghe_2023.pdf: 《2023 ends a line 65 pt short, because 年“8+4”专 (68 pt) cannot be split."""
    items = [_line(100, LEFT, RIGHT - 65, "现将《2023"), _line(126, LEFT, RIGHT, "年“8+4”专项行动", lead=68)]
    assert _texts(items, rules) == ["现将《2023年“8+4”专项行动"]


@pytest.mark.parametrize(
    ("first", "lead", "x0"),
    [
        pytest.param("现将《2023", 50.0, LEFT, id="the-run-would-have-fitted"),
        pytest.param("印发给你们。", 68.0, LEFT, id="the-line-ends-its-sentence"),
        pytest.param("各直属单位：", 68.0, LEFT, id="the-line-leads-in"),
        pytest.param("现将《2023", 68.0, LEFT + 32, id="the-next-line-is-indented"),
    ],
)
def test_short_line_stays_a_paragraph_end(first: str, lead: float, x0: float, rules: Rules) -> None:
    items = [_line(100, LEFT, RIGHT - 65, first), _line(126, x0, RIGHT, "年“8+4”专项行动", lead=lead)]
    assert len(_texts(items, rules)) == 2


def test_blank_line_between_stops_the_join(rules: Rules) -> None:
    items = [_line(100, LEFT, RIGHT, "甲" * 29), _line(150, LEFT, RIGHT, "乙" * 29)]
    assert len(_texts(items, rules)) == 2


@pytest.mark.parametrize(
    ("pieces", "width"),
    [
        pytest.param([("年", 0, 12), ("“", 12, 24), ("8", 24, 30.7), ("+", 30.7, 37.3), ("4", 37.3, 44),
                      ("”", 44, 56), ("专", 56, 68), ("项", 68, 80)], 68, id="quote-number-quote"),
        pytest.param([("市", 0, 12), ("政", 12, 24)], 12, id="ideographs-break-anywhere"),
        pytest.param([("1", 0, 6), ("0", 6, 12), ("0", 12, 18), ("%", 18, 28), ("以", 28, 40)], 28, id="percent"),
        pytest.param([("（", 0, 12), ("市", 12, 24), ("）", 24, 36), ("等", 36, 48)], 36, id="brackets"),
        pytest.param([(" ", 0, 3), ("A", 3, 9), ("B", 9, 15), (" ", 15, 18), ("C", 18, 24)], 12, id="words"),
        pytest.param([], 0, id="empty"),
    ],
)
def test_lead_width(pieces: list[tuple[str, float, float]], width: float, rules: Rules) -> None:
    assert lead_width(pieces, rules.text.no_break_before, rules.text.no_break_after) == pytest.approx(width)


# -- titles ------------------------------------------------------------------------------


def test_centred_title_over_three_lines_is_one_paragraph(rules: Rules) -> None:
    """The title of a notice exported by LibreOffice: 22 pt, centred, the last line short."""
    title = [
        _line(113, 69, 526, "云岭市人民政府办公室关于印发2024年政府工", 22),
        _line(150, 71, 525, "作报告重点工作、“4+1”专项行动和民生实事", 22),
        _line(186, 199, 397, "项目责任分解的通知", 22),
    ]
    texts = _texts([_line(76, 218, 378, "云政办发〔2024〕6号"), *title, *_body(230)], rules)
    assert texts[:2] == ["云政办发〔2024〕6号", "云岭市人民政府办公室关于印发2024年政府工作报告重点工作、“4+1”专项行动和民生实事项目责任分解的通知"]


def test_title_broken_by_hand_into_short_centred_lines(rules: Rules) -> None:
    title = [_line(113, 201, 395, "南溪市人民政府办公室关于印发", 22), _line(150, 110, 486, "2022年政府工作报告责任分解的通知", 22)]
    assert _texts([*title, *_body(230)], rules)[0] == "南溪市人民政府办公室关于印发2022年政府工作报告责任分解的通知"


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(_line(150, 150, 446, "（2024年2月26日）", 16), id="body-size-centred"),
        pytest.param(_line(150, LEFT + 40, 400, "项目责任分解的通知", 22), id="not-centred"),
        pytest.param(_line(150, 199, 397, "项目责任分解的通知", 18), id="another-size"),
        pytest.param(_line(150, 199, 397, "项目责任分解的通知", 22, page=1), id="next-page"),
    ],
)
def test_not_a_title_line(second: Line, rules: Rules) -> None:
    first = _line(113, 201, 395, "南溪市人民政府办公室关于印发", 22)
    assert len(_texts([first, second, *_body(230)], rules)) == 3  # the body is one paragraph


def test_centred_lines_of_body_size_are_not_joined(rules: Rules) -> None:
    """A notice set in one size (the fixtures of make_fixtures.py): centred lines stay as they are."""
    items = [_line(100, 218, 378, "第一行居中"), _line(126, 230, 366, "第二行居中"), *_body(160)]
    assert _texts(items, rules)[:2] == ["第一行居中", "第二行居中"]


# -- tables across pages -----------------------------------------------------------------


def test_chunks_with_the_same_columns_join_and_a_split_row_is_mended(rules: Rules) -> None:
    header = ["序号", "工作任务", "牵头单位"]
    first = Chunk(0, 595.3, 100, (62, 100, 400), [header, ["1", "建成农村", "市交通运输局"]])
    second = Chunk(1, 595.3, 60, (62.5, 100.5, 400.5), [["", "公路300公里。", ""], ["2", "下一项。", "市商务局"]])
    blocks = join_pages([[first], [second]], _tolerances(rules))
    assert blocks == [Table((tuple(header), ("1", "建成农村\n公路300公里。", "市交通运输局"), ("2", "下一项。", "市商务局")))]


def test_page_numbers_in_the_margin_are_dropped(rules: Rules) -> None:
    items: list[list[Item]] = [
        [_line(100, LEFT, 300, f"第{n}页正文。", page=n), _line(800, 281, 315, f"— {n + 1} —", page=n)] for n in range(3)
    ]
    items[0].insert(0, _line(60, LEFT, RIGHT, "甲" * 29 + "。"))
    blocks = join_pages(items, _tolerances(rules))
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["甲" * 29 + "。", "第0页正文。", "第1页正文。", "第2页正文。"]


def test_body_size_is_the_size_most_text_is_set_in() -> None:
    lines = [_line(0, 0, 1, "甲" * 40, 16), _line(0, 0, 1, "乙" * 10, 22), _line(0, 0, 1, "丙" * 5, 12)]
    assert pages._body_size(lines) == 16
