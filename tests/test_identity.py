"""One notice, one identity (issue 12): notice_id, region and level, and what ingest does with them."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.header import Header
from pipeline.identity import core_title, identify, place
from pipeline.rules import Rules
from tests.conftest import RAW_DOCS, SEED

TITLE = "嘉兴市人民政府办公室关于印发2021年政府工作报告重点工作、“1+10”专项行动和市政府民生实事责任分解的通知"


def header(title: str | None = TITLE, issuer: str | None = "嘉兴市人民政府办公室", year: int | None = 2021) -> Header:
    return Header(title=title, issuer=issuer, issue_date=None, year=year)


@pytest.mark.parametrize(
    ("issuer", "title", "region", "level"),
    [
        ("嘉兴市人民政府办公室", None, "嘉兴市", "city"),
        ("丽水市莲都区人民政府办公室", None, "莲都区", "district"),
        ("莲河县人民政府办公室", None, "莲河县", "county"),
        ("广西壮族自治区人民政府办公厅", None, "广西壮族自治区", "province"),
        ("浙江省人民政府办公厅", None, "浙江省", "province"),
        ("巴音郭楞蒙古自治州人民政府", None, "巴音郭楞蒙古自治州", "city"),
        ("鶴汀縣人民政府辦公室", None, "鹤汀县", "county"),  # traditional characters: stored simplified
        ("中共嘉兴市委办公室 嘉兴市人民政府办公室", None, "嘉兴市", "city"),  # joint issuers: the government
        (None, "澜西区人民政府办公室关于印发2021年区政府工作报告重点工作任务分解的通知", "澜西区", "district"),
        ("办公室", "关于印发重点工作的通知", None, None),
    ],
)
def test_region_and_level_from_the_issuer_or_the_title(
    issuer: str | None, title: str | None, region: str | None, level: str | None, rules: Rules
) -> None:
    assert place(header(title, issuer), rules) == (region, level)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(TITLE, id="as-written"),
        pytest.param("嘉兴市人民政府办公室关于印发 2021 年政府工作报告重点工作、\"1+10\"专项行动和市政府民生实事责任分解的通知", id="spaces-and-straight-quotes"),
        pytest.param("嘉興市人民政府辦公室關於印發2021年政府工作報告重點工作、“1+10”專項行動和市政府民生實事責任分解的通知", id="traditional"),
        pytest.param("嘉兴市人民政府办公室关于印发２０２１年政府工作报告重点工作、“１＋１０”专项行动和市政府民生实事责任分解的通知", id="full-width"),
        pytest.param("嘉兴市人民政府关于印发2021年政府工作报告重点工作“1+10”专项行动和市政府民生实事责任分解的通知", id="other-body-no-comma"),
        pytest.param("索引号：123 发布机构：嘉兴市人民政府办公室 名称：" + TITLE + " 文号：嘉政办发〔2021〕5号", id="web-page-text-around"),
        pytest.param(TITLE.replace("的通知", "的补充通知"), id="corrected-re-issue"),
    ],
)
def test_one_notice_whatever_its_copy(variant: str, rules: Rules) -> None:
    assert identify(header(variant), "doc-a", rules).notice_id == identify(header(), "doc-b", rules).notice_id


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(header(year=2022), id="another-year"),
        pytest.param(header(TITLE.replace("嘉兴市", "禾城市"), "禾城市人民政府办公室"), id="another-city"),
        pytest.param(header(TITLE.replace("民生实事责任分解", "民生实事项目清单")), id="another-title"),
        pytest.param(header(TITLE.replace("2021年", "2021年上半年")), id="a-half-year-report"),
    ],
)
def test_different_notices_never_collide(other: Header, rules: Rules) -> None:
    assert identify(other, "doc-b", rules).notice_id != identify(header(), "doc-a", rules).notice_id


@pytest.mark.parametrize(
    "unknown",
    [pytest.param(header(year=None), id="no-year"), pytest.param(header(issuer=None, title="关于印发重点工作的通知"), id="no-region"),
     pytest.param(header(title=None), id="no-title")],
)  # fmt: skip
def test_without_region_year_or_title_the_file_is_its_own_notice(unknown: Header, rules: Rules) -> None:
    assert identify(unknown, "0123456789abcdef", rules).notice_id == "0123456789abcdef"


def test_core_title_drops_issuer_wrapper_and_punctuation(rules: Rules) -> None:
    assert core_title(TITLE, rules) == "2021年政府工作报告重点工作1+10专项行动和市政府民生实事责任分解"
    assert core_title("嘉兴市人民政府办公室2021年重点工作责任分解", rules) == "2021年重点工作责任分解"


# ---------------------------------------------------------------- ingest


def _documents(out: object) -> list[dict[str, object]]:
    return pq.read_table(f"{out}/documents").to_pylist()


def test_twelve_files_of_three_notices_are_three_notices(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12: each notice sits in raw_docs in four formats; the dataset holds three notices, not twelve."""
    files = [RAW_DOCS / f"{name}.{ext}" for name in ("jiaxing_2021", "nanxi_2022", "qinghe_2023")
             for ext in ("txt", "docx", "pdf", "html")]  # fmt: skip
    out = f"{tmp_path}/out"
    assert main(["ingest", *map(str, files), "--out", out, "-q"]) == 0
    capsys.readouterr()
    assert main(["list", out]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[1:3] for line in lines] == [["南溪市", "2022"], ["嘉兴市", "2021"], ["清河市", "2023"]]
    assert lines[1].endswith("files jiaxing_2021.txt; jiaxing_2021.docx; jiaxing_2021.pdf; jiaxing_2021.html")
    assert "tasks key_work 104, special_action 11, livelihood 10  116 targets  0 warnings" in lines[1]
    documents = {d["region"]: d for d in _documents(out)}
    assert documents["嘉兴市"]["source_file"] == "jiaxing_2021.html" and documents["嘉兴市"]["source_format"] == "html"
    assert documents["嘉兴市"]["level"] == "city"
    targets = pq.read_table(f"{out}/targets").to_pylist()
    assert len(targets) == 116 + 116 + 88  # each notice's targets once, not four times


def test_an_edited_copy_replaces_the_notice_and_says_so(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11 §6: re-ingesting an edited copy used to keep both (targets doubled, no word)."""
    from pathlib import Path

    edited = Path(f"{tmp_path}/jiaxing_2021_fixed.txt")
    edited.write_text(SEED.read_text(encoding="utf-8").replace("新认定高新技术企业300家", "新认定高新技术企业350家"), encoding="utf-8")
    out = f"{tmp_path}/out"
    assert main(["ingest", str(SEED), "--out", out, "-q"]) == 0
    assert main(["ingest", str(edited), "--out", out]) == 0
    assert "replaces the rows ingested from jiaxing_2021.txt" in capsys.readouterr().out
    [document] = _documents(out)
    assert document["source_files"] == "jiaxing_2021.txt; jiaxing_2021_fixed.txt"
    values = [t["value"] for t in pq.read_table(f"{out}/targets").to_pylist() if t["indicator"] == "高新技术企业"]
    assert values == [350.0]
    assert main(["ingest", str(SEED), "--out", out, "-q"]) == 0  # back to the first file: its name is not listed twice
    [document] = _documents(out)
    assert (document["source_file"], document["source_files"]) == ("jiaxing_2021.txt", "jiaxing_2021.txt; jiaxing_2021_fixed.txt")


@pytest.mark.slow
def test_a_worse_copy_does_not_replace_the_notice(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """raw_docs holds the seed's first page as a scan: read last, it replaced 125 tasks with 3 (OCR, one page)."""
    pytest.importorskip("rapidocr_onnxruntime")
    out = f"{tmp_path}/out"
    page = RAW_DOCS / "jiaxing_2021_scan_p1.png"
    assert main(["ingest", str(SEED), str(page), "--out", out]) == 0
    printed = capsys.readouterr().out
    assert f"skipped {page}: notice ca4c2153adb16270: an OCR copy: the copy read from jiaxing_2021.txt is kept" in printed
    [document] = _documents(out)
    assert (document["source_file"], document["source_files"], document["task_count"]) == ("jiaxing_2021.txt", "jiaxing_2021.txt", 125)


def test_a_truncated_copy_does_not_replace_the_whole_notice(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """A download cut short (10 of 125 tasks) is the same notice, but not a better copy of it: kept out, said so."""
    from pathlib import Path

    part = Path(f"{tmp_path}/jiaxing_2021_part.txt")
    part.write_text("\n".join(SEED.read_text(encoding="utf-8").split("\n")[:60]), encoding="utf-8")
    out = f"{tmp_path}/out"
    assert main(["ingest", str(SEED), "--out", out, "-q"]) == 0
    assert main(["ingest", str(part), "--out", out]) == 0
    assert capsys.readouterr().out == (
        f"skipped {part}: notice ca4c2153adb16270: a partial copy? 10 tasks against 125 in jiaxing_2021.txt, "
        "which is kept (pipeline rm it to replace it)\n"
    )
    [document] = _documents(out)
    assert (document["source_files"], document["task_count"]) == ("jiaxing_2021.txt", 125)
