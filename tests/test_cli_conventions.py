"""Command-line conventions (issue 13 §3): closed pipes, ``--format json``, ``-`` for stdin, ``--jobs auto``,
``--help`` with defaults, the program's own name, and the ``ok`` line naming the notice."""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import console, ingest, inputs
from pipeline.cli import build_parser, main
from tests.conftest import RAW_DOCS, ROOT, SEED

NOTICE_ID = "ca4c2153adb16270"  # the seed's (region, year, title): pipeline.identity


def _notice(year: int) -> str:
    """The seed as another year's notice: its own notice_id."""
    return SEED.read_text(encoding="utf-8").replace("2021年政府工作报告重点工作、", f"{year}年政府工作报告重点工作、", 1)


def _rows(out: Path, table: str, notice_id: str = NOTICE_ID) -> int:
    return pq.read_metadata(out / table / f"{notice_id}.parquet").num_rows


# ---------------------------------------------------------------- output to a closed pipe

# Each file parses SLOW seconds longer, so the pipe closes while the batch is running.
_SLOW = textwrap.dedent(
    """
    import os, sys, time
    import pipeline.ingest as ingest
    parse = ingest.parse_file
    def slow(path, rules, jobs=1):
        time.sleep(float(os.environ["SLOW"]))
        return parse(path, rules, jobs)
    ingest.parse_file = slow
    from pipeline.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("closed", ["stdout", "stdout and stderr"])
def test_a_closed_pipe_never_stops_a_batch(closed: str, jobs: str, tmp_path: Path) -> None:
    """``ingest … | head -1`` (and ``2>&1 | head -1``): the first line is read, the pipe closed; every
    document is still written, no BrokenPipeError traceback, the usual exit code (issue 13 §3: 2 of 12
    documents were written)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    for year in range(2022, 2034):
        (inbox / f"n{year}.txt").write_text(_notice(year), encoding="utf-8")
    both = closed == "stdout and stderr"
    if not both:
        (inbox / "zz_bad.bin").write_bytes(bytes(range(256)) * 4)  # its error line comes after the close
    out = tmp_path / "out"
    run = subprocess.Popen(
        [sys.executable, "-c", _SLOW, "ingest", str(inbox), "--out", str(out), "-j", jobs],
        cwd=ROOT, env={**os.environ, "SLOW": "0.15", "PYTHONPATH": str(ROOT)}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT if both else subprocess.PIPE,
    )  # fmt: skip
    assert run.stdout is not None
    first = run.stdout.readline()
    run.stdout.close()  # what head does after its line
    err = "" if both else run.stderr.read()  # type: ignore[union-attr]
    code = run.wait(timeout=120)
    assert first.startswith("ok ")
    assert code == (0 if both else 1), err
    if not both:
        assert err.count("\n") == 1 and err.startswith(f"error: {inbox / 'zz_bad.bin'}: unknown format"), err
    assert len(list((out / "documents").glob("*.parquet"))) == 12
    for table in ("tasks", "task_units", "targets"):
        assert len(list((out / table).glob("*.parquet"))) == 12


class _ClosedPipe(io.StringIO):
    """A stdout whose reader has gone: every write raises BrokenPipeError, as a closed pipe does."""

    writes = 0

    def write(self, text: str) -> int:
        type(self).writes += 1
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("command", ["list", "diff", "ingest-json", "eval"])
def test_every_command_survives_a_closed_stdout(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process: the first failed write silences stdout (one attempt, not one per line) and the
    command returns its usual code."""
    out = tmp_path / "out"
    assert main(["ingest", str(SEED), "--out", str(out), "-q"]) == 0
    args, expected = {
        "list": (["list", str(out)], 0),
        "diff": (["diff", str(out), str(RAW_DOCS.parent / "tests" / "golden" / "nanxi_2022.txt")], 1),
        "ingest-json": (["ingest", str(SEED), "--out", str(out), "--format", "json"], 0),
        "eval": (["eval", "--docs", str(RAW_DOCS), "--labels", str(_one_label(tmp_path)), "--expected", str(tmp_path)], 0),
    }[command]
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    _ClosedPipe.writes = 0
    assert main(args) == expected
    assert _ClosedPipe.writes == 1


def _one_label(tmp_path: Path) -> Path:
    """A labels folder holding nanxi_2022's labels alone (eval scores that notice only)."""
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "nanxi_2022.csv").write_bytes((ROOT / "tests" / "labels" / "nanxi_2022.csv").read_bytes())
    return labels


def test_console_stops_writing_to_a_gone_stream() -> None:
    stream = _ClosedPipe()
    _ClosedPipe.writes = 0
    for line in ("a", "b", "c"):
        console.write(stream, line)
    console.finish()
    assert _ClosedPipe.writes == 1


# ---------------------------------------------------------------- the ok line, --format json


def test_ok_line_names_the_notice_and_its_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(SEED), "--out", str(out)]) == 0
    line = capsys.readouterr().out
    counts = f"{_rows(out, 'tasks')} tasks, {_rows(out, 'task_units')} units, {_rows(out, 'targets')} targets, 0 warnings"
    assert line == (
        f"ok {SEED} -> 嘉兴市 2021 《…年政府工作报告重点工作、“1+10”专项行动和市政府民生实事责任分解的通知》 "
        f"{out}/ (notice {NOTICE_ID}; text: {counts})\n"
    )
    assert "*" not in line and (out / "documents" / f"{NOTICE_ID}.parquet").is_file()


def test_ingest_format_json_is_one_document_and_nothing_else(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    bad = tmp_path / "bad.txt"
    bad.write_text("no table here\n", encoding="utf-8")
    assert main(["ingest", str(SEED), "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    docx = SEED.with_suffix(".docx")
    assert main(["ingest", str(docx), str(bad), str(SEED), "--out", str(out), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 1, "one JSON document on one line, nothing else on stdout"
    assert captured.err.count("\n") == 1 and str(bad) in captured.err  # the failure's line stays on stderr
    document = json.loads(captured.out)
    assert {k: document[k] for k in ("out", "exit_code", "interrupted", "ingested", "failed", "skipped")} == {
        "out": str(out), "exit_code": 1, "interrupted": False, "ingested": 2, "failed": 1, "skipped": 0,
    }
    word, failed, text = document["files"]
    assert word["path"] == str(docx) and word["status"] == "ok" and word["source_format"] == "docx"
    assert (word["notice_id"], word["region"], word["year"]) == (NOTICE_ID, "嘉兴市", 2021)
    assert word["title"].startswith("嘉兴市人民政府办公室关于印发2021年") and word["title"].endswith("的通知")
    assert word["counts"] == {t: _rows(out, t) for t in ("documents", "tasks", "task_units", "targets", "warnings")}
    assert word["warnings"] == [] and word["replaced"] == SEED.name and word["error"] is None
    assert text["replaced"] == docx.name
    assert failed["status"] == "failed" and failed["error"].startswith("no responsibility table")
    assert failed["notice_id"] is None and failed["counts"] is None


def test_json_lists_the_workbooks_and_says_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out, books = tmp_path / "out", tmp_path / "books"
    assert main(["ingest", str(SEED), "--out", str(out), "--xlsx", str(books), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["workbooks"] == [str(path) for path in sorted(books.iterdir())] and len(document["workbooks"]) == 1

    from pipeline import batch
    from pipeline.inputs import Outcome

    def interrupted(*args: object, **kwargs: object) -> list[Outcome]:
        raise batch.Interrupted([Outcome(SEED, "ok", "text: …", "d", NOTICE_ID)], unfinished=2, signum=2)

    monkeypatch.setattr(batch, "run", interrupted)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        assert main(["ingest", str(SEED), "--out", str(out), "--format", "json"]) == 130
    finally:  # the command ignores a second Ctrl-C from then on; pytest's later subprocesses must not inherit that
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert (document["interrupted"], document["exit_code"], document["ingested"], document["not_written"]) == (True, 130, 1, 2)
    assert captured.err == "interrupted: 1 document written whole, 2 inputs not written\n"


def test_json_keeps_chinese_and_escapes_what_drives_a_terminal() -> None:
    from pipeline.ingest_report import json_text

    text = json_text({"title": "云岭\x1b]0;x\x07\u202e", "n": 1})
    assert text == '{"title": "云岭\\u001b]0;x\\u0007\\u202e", "n": 1}'
    assert json.loads(text)["title"] == "云岭\x1b]0;x\x07\u202e"


# ---------------------------------------------------------------- - reads standard input


class _Stdin(io.TextIOWrapper):
    def __init__(self, data: bytes, tty: bool = False) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_dash_reads_one_notice_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "stdin", _Stdin(SEED.with_suffix(".docx").read_bytes()))
    assert main(["ingest", "-", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("ok stdin -> 嘉兴市 2021 《")
    document = pq.read_table(out / "documents" / f"{NOTICE_ID}.parquet").to_pylist()[0]
    assert (document["source_file"], document["source_format"]) == ("stdin", "docx")


def test_stdin_size_limit_and_errors_name_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """An endless stream is read one byte past the limit, then refused like a too-large file."""
    limit = 4096
    monkeypatch.setattr(inputs, "MAX_FILE_BYTES", limit)
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", limit)
    stream = _Stdin(SEED.read_bytes() * 3)
    monkeypatch.setattr(sys, "stdin", stream)
    out = tmp_path / "out"
    assert main(["ingest", "-", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: stdin: file is ") and "limit" in err and err.count("\n") == 1
    assert stream.buffer.tell() == limit + 1
    assert not out.exists()
    monkeypatch.setattr(sys, "stdin", _Stdin(b"no table here\n"))
    assert main(["ingest", "-", "--out", str(out)]) == 1
    assert capsys.readouterr().err.startswith("error: stdin: no responsibility table")


def test_a_copy_of_stdin_is_skipped_naming_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(SEED.read_bytes()))
    assert main(["ingest", "-", str(SEED), "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"skipped {SEED}: same content as stdin" in lines and any(line.startswith("ok stdin -> ") for line in lines)
    assert "notice-pipeline-" not in "\n".join(lines), "the temporary file is never named"


def test_stdin_from_a_terminal_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"", tty=True))
    assert main(["ingest", "-", "--out", "unused"]) == 2
    assert capsys.readouterr().err == "error: stdin: is a terminal; pipe a notice into it (ingest - < notice.txt)\n"


@pytest.mark.slow
def test_dash_with_a_real_pipe(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", "-", "--out", str(tmp_path / "out"), "--format", "json"],
        input=SEED.read_bytes(), capture_output=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    [file] = json.loads(run.stdout)["files"]
    assert (file["path"], file["status"], file["notice_id"]) == ("stdin", "ok", NOTICE_ID)


# ---------------------------------------------------------------- --jobs auto, --help, the program's name


def test_jobs_auto_is_the_cores(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    assert parser.parse_args(["ingest", "x", "--jobs", "auto"]).jobs == len(os.sched_getaffinity(0))
    assert parser.parse_args(["ingest", "x", "-j", "3"]).jobs == 3
    for bad in ("0", "many"):
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args(["ingest", "x", "--jobs", bad])
        assert exit_info.value.code == 2
    assert "auto" in capsys.readouterr().err


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(_subcommands(build_parser())))
def test_help_describes_every_argument_with_its_default(command: str) -> None:
    subparser = _subcommands(build_parser())[command]
    text = " ".join(subparser.format_help().split())
    for action in subparser._actions:
        name = action.option_strings[-1] if action.option_strings else action.metavar or action.dest
        assert action.help and len(action.help) > 10, f"{command} {name}: no description"
        default = action.default
        if default not in (None, False, [], "", argparse.SUPPRESS):
            assert f"(default: {default})" in text, f"{command} {name}: default {default!r} not shown"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "name"),
    [([str(Path(sys.executable).with_name("notice-pipeline"))], "notice-pipeline"), ([sys.executable, "-m", "pipeline"], "python -m pipeline")],
    ids=["console-script", "module"],
)
def test_help_names_the_program_as_it_was_run(command: list[str], name: str) -> None:
    if not Path(command[0]).exists():
        pytest.skip(f"{command[0]} is not installed (pip install -e . makes it)")
    for args in (["--help"], ["diff", "--help"]):
        run = subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert run.returncode == 0 and run.stdout.startswith(f"usage: {name} "), run.stdout[:80]


def test_readme_documents_every_command_and_option() -> None:
    """README's "Command line" section names every subcommand and every option of each (from the parser)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    for name, subparser in _subcommands(build_parser()).items():
        assert f"`{name}" in section or f"| {name} |" in section, f"README: no {name}"
        for action in subparser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in section or f"{option} " in section, f"README: {name} {option} missing"
