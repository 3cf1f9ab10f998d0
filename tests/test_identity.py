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
        ("丽水市莲都区人民政府办公室", None, "丽水市莲都区", "district"),  # the chain as written, the inner level
        ("浙江省丽水市莲都区人民政府", None, "浙江省丽水市莲都区", "district"),
        ("中共南溪市澜西区委办公室 南溪市澜西区人民政府办公室", None, "南溪市澜西区", "district"),
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
        pytest.param(TITLE.replace("关于印发", "关于重新印发"), id="re-issue"),
        pytest.param(TITLE.replace("印发", "下发"), id="xiafa"),  # review finding 13
        pytest.param(TITLE.removesuffix("的通知"), id="web-title-without-tongzhi"),  # review finding 13
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
        # Review finding 3: a supplement (补充通知) was taken for the notice it supplements, and a district's
        # notice for that of the district of the same name in another city.
        pytest.param(header(TITLE.replace("的通知", "的补充通知")), id="a-supplement"),
        pytest.param(header(TITLE.replace("嘉兴市", "嘉兴市澜西区"), "嘉兴市澜西区人民政府办公室"), id="a-district-of-the-city"),
    ],
)
def test_different_notices_never_collide(other: Header, rules: Rules) -> None:
    assert identify(other, "doc-b", rules).notice_id != identify(header(), "doc-a", rules).notice_id


def test_districts_of_one_name_in_two_cities_are_two_notices(rules: Rules) -> None:
    """Review finding 3: identity kept only the inner region, so 南溪市澜西区 and 松涛市澜西区 collided (as would
    鼓楼区, 朝阳区, 普陀区, 西湖区 … of different cities)."""
    title = "澜西区人民政府办公室关于印发2021年区政府工作报告重点工作任务分解的通知"
    nanxi, songtao = (identify(header(title, f"{city}澜西区人民政府办公室"), "doc", rules) for city in ("南溪市", "松涛市"))
    assert (nanxi.region, songtao.region) == ("南溪市澜西区", "松涛市澜西区")
    assert nanxi.notice_id != songtao.notice_id


@pytest.mark.parametrize(
    "unknown",
    [pytest.param(header(year=None), id="no-year"), pytest.param(header(issuer=None, title="关于印发重点工作的通知"), id="no-region"),
     pytest.param(header(title=None), id="no-title")],
)  # fmt: skip
def test_without_region_year_or_title_the_file_is_its_own_notice(unknown: Header, rules: Rules) -> None:
    assert identify(unknown, "0123456789abcdef", rules).notice_id == "0123456789abcdef"


def test_xiafa_and_a_web_title_without_tongzhi_are_the_notice(rules: Rules) -> None:
    """Review finding 13: 关于下发…的通知 was not unwrapped (only 印发/转发/下达), and a web title without 的通知
    kept 关于印发 in the key: each copy was another notice_id."""
    core = core_title(TITLE, rules)
    assert core_title(TITLE.replace("印发", "下发"), rules) == core
    assert core_title(TITLE.removesuffix("的通知"), rules) == core
    assert core_title(TITLE.replace("的通知", "的补充通知"), rules) != core  # a supplement stays itself


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


LANXI = RAW_DOCS / "lanxi_2021.txt"


def lanxi(folder: object, name: str, city: str = "", title_end: str = "的通知", tasks: list[str] | None = None) -> str:
    """raw_docs/lanxi_2021.txt as another file: the issuer written with its city, another title ending, other tasks
    (the first ``len(tasks)`` rows get these texts, the others are left out)."""
    from pathlib import Path

    lines = LANXI.read_text(encoding="utf-8").replace("澜西区人民政府办公室", f"{city}澜西区人民政府办公室")
    lines = lines.replace("任务分解的通知", f"任务分解{title_end}", 1).split("\n")
    if tasks is not None:
        numbers = [i for i, line in enumerate(lines) if line.isdigit() and i > 25]
        for number, text in zip(numbers, tasks, strict=False):
            lines[number + 2] = text
        if len(tasks) < len(numbers):
            del lines[numbers[len(tasks)] : numbers[-1] + 8]
    path = Path(f"{folder}/{name}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(path)


OTHER_TASKS = [
    "新增省级专精特新企业12家。", "新建城市书房5个。", "改造提升农贸市场3个。", "新增公共停车泊位800个。",
    "完成老旧小区加装电梯20台。", "新建口袋公园6个。", "建成社区食堂10家。", "新增普惠性托育托位300个。",
]


def test_districts_of_one_name_in_two_cities_are_two_notices_in_the_dataset(tmp_path: object,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """Review finding 3: 南溪市澜西区 and 松涛市澜西区 were one notice: the second replaced the first."""
    out = f"{tmp_path}/out"
    files = [lanxi(tmp_path, "nanxi_lanxi.txt", "南溪市"), lanxi(tmp_path, "songtao_lanxi.txt", "松涛市")]
    assert main(["ingest", *files, "--out", out, "-q"]) == 0
    assert sorted((d["region"], d["level"]) for d in _documents(out)) == [("南溪市澜西区", "district"), ("松涛市澜西区", "district")]


def test_a_supplement_is_a_notice_of_its_own(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """Review finding 3: a supplement (补充通知, two new tasks) was "skipped … a partial copy? 2 tasks against 8";
    one with at least half the tasks would have replaced the original."""
    out = f"{tmp_path}/out"
    supplement = lanxi(tmp_path, "lanxi_2021_supplement.txt", title_end="的补充通知", tasks=OTHER_TASKS[:2])
    assert main(["ingest", str(LANXI), supplement, "--out", out]) == 0
    assert "ingested 2, failed 0, skipped 0" in capsys.readouterr().out
    assert sorted(d["task_count"] for d in _documents(out)) == [2, 8]


def test_a_copy_whose_tasks_are_others_is_a_notice_of_its_own(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """Review finding 3: a file with a notice's identity but other tasks (a title repeated by another list)
    replaced the notice; it is now a notice of its own, under its doc_id, with a warning that says why."""
    out = f"{tmp_path}/out"
    other = lanxi(tmp_path, "lanxi_2021_other.txt", tasks=OTHER_TASKS)
    assert main(["ingest", str(LANXI), "--out", out, "-q"]) == 0
    assert main(["ingest", other, "--out", out]) == 0
    printed = capsys.readouterr().out
    documents = {d["source_file"]: d for d in _documents(out)}
    original, own = documents["lanxi_2021.txt"], documents["lanxi_2021_other.txt"]
    assert own["notice_id"] == own["doc_id"] != original["notice_id"]
    assert f"; not the notice {original['notice_id']} holds (0% of the tasks alike, with lanxi_2021.txt)" in printed
    assert (own["task_count"], own["warning_count"], original["task_count"]) == (8, 1, 8)
    [warning] = [w for w in pq.read_table(f"{out}/warnings").to_pylist() if w["doc_id"] == own["doc_id"]]
    assert (warning["stage"], warning["where"]) == ("identity", "title")
    assert main(["ingest", other, "--out", out, "-q"]) == 0  # again: it replaces itself, nothing more
    assert len(_documents(out)) == 2


def test_a_corrected_copy_still_replaces_the_notice(tmp_path: object) -> None:
    """The task-overlap check lets an edited copy (one task rewritten, numbers changed) replace its notice."""
    out = f"{tmp_path}/out"
    text = LANXI.read_text(encoding="utf-8").replace("5500人", "6000人").replace("12月底", "11月底")
    edited = f"{tmp_path}/lanxi_2021_fixed.txt"
    from pathlib import Path

    Path(edited).write_text(text, encoding="utf-8")
    assert main(["ingest", str(LANXI), edited, "--out", out, "-q"]) == 0
    [document] = _documents(out)
    assert document["source_files"] == "lanxi_2021.txt; lanxi_2021_fixed.txt"


def _rules_without_first_wrapper(folder: object) -> str:
    """The rules with the first title wrapper removed: the same file reads as another notice_id (a rules upgrade)."""
    import shutil
    from pathlib import Path

    from pipeline.rules import default_rules_dir

    rules = Path(f"{folder}/rules2")
    shutil.copytree(default_rules_dir(), rules)
    identity = rules / "identity.yaml"
    text = identity.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("  - "))
    identity.write_text(text.replace(first + "\n", "", 1), encoding="utf-8")
    return str(rules)


@pytest.mark.parametrize("state", ["this-version", "without-markers", "two-keys-already"])
def test_one_file_is_never_two_notices(tmp_path: object, state: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Review finding 4: after a rules change gave the same file another notice_id, it was stored under both
    keys: 38 targets instead of 19, list counted twice, rm/export by doc_id failed "matches 2 documents".
    A dataset of the version before the markers (``without-markers``), even one already holding the file under
    two keys (``two-keys-already``), is put right by the file's next ingest."""
    import os
    import shutil
    from pathlib import Path

    out = f"{tmp_path}/out"
    notice = RAW_DOCS / "lanqiao_2023.txt"
    assert main(["ingest", str(notice), "--out", out, "-q"]) == 0
    [before] = _documents(out)
    current = Path(out) / ".store" / "current"
    if state != "this-version":  # as written by the version before the markers
        shutil.rmtree(current / "_docs")
    if state == "two-keys-already":
        for path in [p for p in current.rglob(f"{before['notice_id']}.*") if p.is_file()]:
            os.link(path, path.with_stem("0123456789abcdef"))
        assert len(_documents(out)) == 2
        assert main(["list", out]) == 0  # each key's own rows: 19 targets each, not 38
        assert [line.split("  ")[5] for line in capsys.readouterr().out.splitlines()] == ["19 targets"] * 2
    assert main(["ingest", str(notice), "--out", out, "--rules", _rules_without_first_wrapper(tmp_path)]) == 0
    printed = capsys.readouterr().out
    stale = f"{before['notice_id']} (lanqiao_2023.txt)"
    if state == "two-keys-already":
        stale = f"0123456789abcdef (lanqiao_2023.txt), {stale}"
    assert f"replaces notice {stale}: the same file, read as another notice before" in printed
    [after] = _documents(out)
    assert after["notice_id"] != before["notice_id"] and after["source_files"] == "lanqiao_2023.txt"
    assert len(pq.read_table(f"{out}/targets")) == before["target_count"]
    assert [p.name for p in (Path(out) / ".store" / "current" / "_docs").iterdir()] == [
        f"doc-{after['doc_id']}.{after['notice_id']}"
    ]
    assert main(["rm", str(after["doc_id"]), "--out", out]) == 0
    assert _documents(out) == [] and not (Path(out) / ".store" / "current" / "_docs").exists()


def test_a_file_name_with_the_separator_is_listed_whole(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """Review finding 14: a file name holding "; " split documents.source_files wrongly (and `rm NAME` missed)."""
    from pathlib import Path

    from pipeline.names import split_names

    out = f"{tmp_path}/out"
    odd, plain = Path(f"{tmp_path}/a; b.txt"), Path(f"{tmp_path}/c.txt")
    odd.write_bytes(SEED.read_bytes())
    plain.write_text(SEED.read_text(encoding="utf-8").replace("300家", "301家"), encoding="utf-8")
    assert main(["ingest", str(odd), str(plain), "--out", out, "-q"]) == 0
    [document] = _documents(out)
    assert document["source_files"] == "a\\; b.txt; c.txt"
    assert split_names(document["source_files"]) == ["a; b.txt", "c.txt"]
    assert main(["rm", "a; b.txt", "--out", out]) == 0
    assert _documents(out) == []
