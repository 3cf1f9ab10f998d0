"""The review page: highlights match the targets table, text is escaped, the filter works in Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from pipeline.cli import main
from pipeline.dataset import load, select
from pipeline.review import render
from tests.datasets import DOC, MARKUP, csv_rows, invented, invented_rows, seed_output, write_dataset

SEED_PAGE = "嘉兴市_2021_核对.html"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--window-size=1400,1000",
]  # fmt: skip


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_output(tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def seed_page(seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review") / "seed.html"
    assert main(["review", "jiaxing_2021.txt", "--out", str(out), "--data", str(seed)]) == 0
    return out


def task_marks(page: Any) -> list[Any]:
    return list(page.xpath("//tr[@class='task']//mark"))


def test_every_target_is_highlighted_in_place(seed: Path, seed_page: Path) -> None:
    page = lxml.html.parse(str(seed_page)).getroot()
    targets = csv_rows(seed, "targets")
    marks = task_marks(page)
    assert [m.text_content() for m in marks] == [t["span_text"] for t in targets]
    assert [m.get("data-indicator") for m in marks] == [t["indicator"] for t in targets]
    for mark, target in zip(marks, targets, strict=True):
        row = mark.getparent().getparent().getparent()
        assert row.get("id") == target["task_id"]
        text = row.xpath(".//span[@class='task-text']")[0].text_content()
        assert text[int(target["span_start"]) : int(target["span_end"])] == target["span_text"]
        commitment = target["commitment"] or "none"
        assert f"c-{commitment}" in mark.get("class")
        assert f"指标: {target['indicator']}" in mark.get("title")
    assert not page.xpath("//tr[@class='task']//mark[contains(@class, 'unplaced')]")


def test_tasks_units_summary_and_header(seed: Path, seed_page: Path) -> None:
    page = lxml.html.parse(str(seed_page)).getroot()
    tasks = csv_rows(seed, "tasks")
    rows = page.xpath("//tr[@class='task']")
    assert [r.get("id") for r in rows] == [t["task_id"] for t in tasks]
    assert [r.xpath(".//span[@class='task-text']")[0].text_content() for r in rows] == [
        t["text"] for t in tasks
    ]
    units = page.xpath("//tr[@class='task']//span[starts-with(@class, 'unit ')]")
    assert [(u.text_content(), u.get("class")) for u in units] == [
        (u["unit"], f"unit role-{u['role']}") for u in csv_rows(seed, "task_units")
    ]
    summary = [
        [td.text_content() for td in tr.xpath("td")] for tr in page.xpath("//table[@id='summary']/tr")[1:]
    ]
    per_table = {
        label: (str(sum(t["table"] == key for t in tasks)), str(sum(t["table"] == key for t in csv_rows(seed, "targets"))))
        for key, label in (("key_work", "重点工作"), ("special_action", "专项行动"), ("livelihood", "民生实事"))
    }  # fmt: skip
    assert summary == [[label, *counts] for label, counts in per_table.items()] + [["合计", "125", "116"]]
    header = dict(zip(page.xpath("//dl/dt/text()"), page.xpath("//dl/dd/text()"), strict=True))
    assert header["发文日期"] == "2021-02-25" and header["文档编号"] == "814aa2ce3d9bb1b2"
    assert page.get_element_by_id("warnings").text_content() == "无"  # read whole: an empty warnings table


def test_self_contained_and_deterministic(seed: Path, seed_page: Path, tmp_path: Path) -> None:
    html = seed_page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    page = lxml.html.fromstring(html)
    assert not page.xpath("//*[@src or @href] | //link | //iframe | //object")
    assert "http:" not in html and "https:" not in html and "url(" not in html and "@import" not in html
    assert len(page.xpath("//script")) == 1
    again = tmp_path / "again.html"
    assert main(["review", "814aa2ce3d9bb1b2", "--out", str(again), "--data", str(seed)]) == 0
    assert again.read_bytes() == seed_page.read_bytes()


def test_text_is_escaped(tmp_path: Path) -> None:
    [notice] = select(load(invented(tmp_path)), [DOC])
    html = render(notice)
    assert "<script>alert" not in html and "<b>粗</b>" not in html and "<i>市财政局</i>" not in html
    page = lxml.html.fromstring(html)
    assert len(page.xpath("//script")) == 1 and not page.xpath(
        "//tr[@class='task']//*[self::b or self::i or self::script]"
    )
    row = page.get_element_by_id("key_work-0-7-1")
    assert row.xpath(".//span[@class='task-text']")[0].text_content() == MARKUP
    assert row.get("data-text").endswith(MARKUP)
    assert [u.text_content() for u in row.xpath(".//span[starts-with(@class, 'unit ')]")] == [
        "市城管局",
        "<i>市财政局</i>",
    ]
    assert page.get_element_by_id("warnings").text_content().strip() == "第3页：表格行无法对齐"
    livelihood = page.get_element_by_id("livelihood-0-1-1")
    assert livelihood.xpath(".//span[@class='name']")[0].text_content() == "=HYPERLINK 项目"
    assert livelihood.xpath("td[@class='deadline']")[0].text_content() == "2024-06-30"


def test_empty_warnings_and_a_span_that_does_not_fit(tmp_path: Path) -> None:
    rows = invented_rows()
    rows["targets"][1]["span_start"] += 1  # the span no longer covers its span_text
    [notice] = select(load(write_dataset(tmp_path, rows, warnings=[])), [DOC])
    page = lxml.html.fromstring(render(notice))
    assert page.get_element_by_id("warnings").text_content() == "无"
    unplaced = page.xpath("//tr[@class='task']//span[@class='unplaced-list']/mark")
    assert [m.text_content() for m in unplaced] == ["3000户以上"]
    assert len(task_marks(page)) == len(rows["targets"])


def test_several_notices_need_a_folder(
    seed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["ingest", str(Path(__file__).parent.parent / "raw_docs" / "qinghe_2023.txt"), "--out", str(data), "-q"]) == 0
    invented(data)  # written beside it, into the folders the output links to
    assert main(["review", DOC, "qinghe_2023", "--out", str(tmp_path / "pages"), "--data", str(data)]) == 0
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == [
        "清河市_2023_核对.html",
        "青松市_2024_核对.html",
    ]
    page = tmp_path / "one.html"
    page.write_text("x")
    assert main(["review", DOC, "qinghe_2023.txt", "--out", str(page), "--data", str(data)]) == 1
    assert "several notices need a folder for --out" in capsys.readouterr().err


# --- in a real browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium driven by selenium through Debian's chromedriver (no download, works offline)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        if os.environ.get("CI"):  # .ci/run installs them: a missing browser there is a broken CI
            pytest.fail("CI=true but Chromium/chromedriver are missing (.ci/run should have installed them)")
        pytest.skip(
            "Chromium is not installed (apt-get install chromium chromium-driver); the review page is untested in a browser"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    session.set_page_load_timeout(60)
    try:
        yield session
    finally:
        session.quit()


def visible_tasks(browser: Any) -> list[str]:
    return list(
        browser.execute_script(
            "return [...document.querySelectorAll('tr.task')].filter(r => r.offsetParent !== null).map(r => r.id)"
        )
    )


def test_in_chromium_highlights_and_filter(browser: Any, seed: Path, seed_page: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(seed_page.as_uri())
    targets = csv_rows(seed, "targets")
    marks = browser.find_elements(By.CSS_SELECTOR, "tr.task mark.target")
    assert [m.get_attribute("textContent") for m in marks] == [t["span_text"] for t in targets]
    assert all(
        m.is_displayed() and m.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
        for m in marks[:5]
    )
    tasks = csv_rows(seed, "tasks")
    assert len(visible_tasks(browser)) == len(tasks) == 125
    browser.save_screenshot(str(tmp_path / "review.png"))

    units: dict[str, list[str]] = {}
    for unit in csv_rows(seed, "task_units"):
        units.setdefault(unit["task_id"], []).append(unit["unit"])
    unit_box = browser.find_element(By.ID, "filter-unit")
    text_box = browser.find_element(By.ID, "filter-text")
    unit_box.send_keys("市科技局")
    by_unit = [t["task_id"] for t in tasks if any("市科技局" in u for u in units.get(t["task_id"], []))]
    assert visible_tasks(browser) == by_unit and len(by_unit) > 5
    assert browser.find_element(By.ID, "shown-count").text == f"显示 {len(by_unit)} / 125 项任务"
    text_box.send_keys("企业")
    both = [t for t in by_unit if "企业" in next(x["text"] for x in tasks if x["task_id"] == t)]
    assert visible_tasks(browser) == both and 0 < len(both) < len(by_unit)
    shown_sections = (
        "return [...document.querySelectorAll('tr.section')].filter(r => r.offsetParent !== null).length"
    )
    assert browser.execute_script(shown_sections) == 0  # the special actions' sections hold none of them
    browser.execute_script("document.getElementById('table-key_work').scrollIntoView()")
    browser.save_screenshot(str(tmp_path / "review-filtered.png"))
    unit_box.clear()
    browser.execute_script("document.getElementById('filter-unit').dispatchEvent(new Event('input'))")
    assert visible_tasks(browser) == [t["task_id"] for t in tasks if "企业" in t["text"]]
    sections = {(t["table"], t["section"]) for t in tasks if t["section"] and "企业" in t["text"]}
    assert browser.execute_script(shown_sections) == len(sections)
    text_box.clear()
    browser.execute_script("document.getElementById('filter-text').dispatchEvent(new Event('input'))")
    assert len(visible_tasks(browser)) == 125
    assert (
        browser.execute_script(shown_sections)
        == len({(t["table"], t["section"]) for t in tasks if t["section"]})
        == 2
    )
    for name in ("review.png", "review-filtered.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and (
            tmp_path / name
        ).stat().st_size > 20_000


def test_in_chromium_markup_in_text_stays_text(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    data = invented(tmp_path / "data")
    page = tmp_path / "page.html"
    assert main(["review", DOC, "--out", str(page), "--data", str(data)]) == 0
    browser.get(page.as_uri())  # an injected alert() would make the next call fail
    assert browser.execute_script("return document.scripts.length") == 1
    text = browser.find_element(By.CSS_SELECTOR, "#key_work-0-7-1 span.task-text")
    assert text.get_attribute("textContent") == MARKUP
    assert [m.get_attribute("textContent") for m in browser.find_elements(By.CSS_SELECTOR, "tr.task mark.target")] == [
        "12个", "3000户以上", "800个", "6个", "300个",
    ]  # fmt: skip
