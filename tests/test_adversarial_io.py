"""Hostile and unlucky inputs around the write and the batch (issue 11), one test per class.

Each test's id names the class of issue 11 it covers: §2 a kill at every step
of a commit, §4 signals with ``--jobs``, §5 debris, §6 the output folder as an
input, §8 CSV injection, §9 terminal escapes, §11 the worker count, §14 cells
that broke the writer, §15 odd names, read errors and time limits. Runs that
could take the machine down (forks, memory) are in subprocesses under an
address-space limit.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import batch, store
from pipeline.cli import main
from tests.conftest import RAW_DOCS, ROOT, SEED, tree_digest

MEMORY_LIMIT = 2 << 30  # bytes of address space per process in the subprocess tests


def notice(year: int, text: str = "") -> str:
    """The seed notice as another year's notice (its own notice_id), ``text`` appended to a task."""
    source = SEED.read_text(encoding="utf-8").replace("2021年政府工作报告重点工作、", f"{year}年政府工作报告重点工作、", 1)
    return source.replace("新认定高新技术企业300家", f"新认定高新技术企业300家{text}", 1)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Eight distinct notices (2022 ... 2029): more than a tiny batch, so workers read them."""
    folder = tmp_path / "in"
    folder.mkdir()
    for year in range(2022, 2030):
        (folder / f"n{year}.txt").write_text(notice(year), encoding="utf-8")
    return folder


# A command line whose parse is slow (SLOW seconds a file) and whose worker kills
# itself with SIGKILL on a file named oom.txt, as the OOM killer does.
_SLOW = textwrap.dedent(
    """
    import os, signal, sys, time
    import pipeline.ingest as ingest
    parse = ingest.parse_file
    def slow(path, rules, jobs=1):
        if path.name == "oom.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(float(os.environ["SLOW"]))
        return parse(path, rules, jobs)
    ingest.parse_file = slow
    from pipeline.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def start(args: list[str], slow: float = 1.0, code: str = _SLOW) -> subprocess.Popen[str]:
    """``pipeline`` with ``args`` in a session of its own (signals go to its group, as a terminal sends them)."""
    env = {**os.environ, "SLOW": str(slow), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, text=True, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_limit_memory,
    )  # fmt: skip


def children(pid: int) -> set[int]:
    """The processes ``pid`` has started (Linux /proc)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)
    assert condition(), "timed out"  # type: ignore[operator]


def documents(out: Path) -> list[Path]:
    return sorted((out / "documents").glob("**/*.parquet")) if (out / "documents").exists() else []


def assert_whole(out: Path) -> None:
    """Every table shows the same notices, each readable; no staging debris."""
    import pandas as pd

    ids = {name: set(pd.read_parquet(out / name)["doc_id"]) if (out / name).exists() else set()
           for name in ("documents", "tasks", "task_units", "targets")}  # fmt: skip
    assert ids["tasks"] == ids["task_units"] == ids["targets"] == ids["documents"], ids
    snapshots = out / ".store" / "snapshots"
    if snapshots.exists():
        assert not [p for p in snapshots.iterdir() if not p.name.isdigit()], "a snapshot left half built"


# ---------------------------------------------------------------- §4 signals with --jobs


@pytest.mark.slow
@pytest.mark.parametrize("presses", [pytest.param(1, id="s4-ctrl-c-stops-the-batch"),
                                     pytest.param(2, id="s4-second-ctrl-c-never-hangs")])  # fmt: skip
def test_ctrl_c_with_jobs(inbox: Path, tmp_path: Path, presses: int) -> None:
    """Ctrl-C with --jobs 2: workers stop, one line, exit 130, and nothing is written after the message."""
    out = tmp_path / "out"
    run = start(["ingest", str(inbox), "--out", str(out), "-j", "2", "-q"], slow=1.5)
    wait_until(lambda: len(documents(out)) >= 1)
    workers = children(run.pid)
    assert len(workers) == 2
    for _ in range(presses):
        os.killpg(run.pid, signal.SIGINT)
        time.sleep(0.05)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 130, err
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("interrupted: ")
    after_message = tree_digest(out)
    assert not group_alive(run.pid), "a process outlived the command"
    time.sleep(2)
    assert tree_digest(out) == after_message, "written after the message"
    written = int(err.split()[1])
    assert 1 <= written < 8 and len(documents(out)) == written
    assert_whole(out)


@pytest.mark.slow
def test_sigterm_leaves_no_orphan_workers(inbox: Path, tmp_path: Path) -> None:
    """SIGTERM to the command alone (not its group): it stops its workers and exits 143."""
    out = tmp_path / "out"
    run = start(["ingest", str(inbox), "--out", str(out), "-j", "2", "-q"], slow=3)
    wait_until(lambda: len(children(run.pid)) == 2)
    workers = children(run.pid)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 143 and "Traceback" not in err and err.count("\n") == 1, err
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists(), f"worker {pid} outlived the command"
    assert not group_alive(run.pid)
    assert_whole(out)


@pytest.mark.slow
def test_parent_killed_takes_its_workers(inbox: Path, tmp_path: Path) -> None:
    """SIGKILL to the command (nothing can run in it): its workers end too (PR_SET_PDEATHSIG)."""
    run = start(["ingest", str(inbox), "--out", str(tmp_path / "out"), "-j", "2", "-q"], slow=30)
    wait_until(lambda: len(children(run.pid)) == 2)
    workers = children(run.pid)
    run.kill()
    run.communicate(timeout=30)
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), timeout=10)


@pytest.mark.slow
def test_worker_killed_by_the_oom_killer_fails_its_file_only(inbox: Path, tmp_path: Path) -> None:
    """A worker SIGKILLed mid-file: one line for that file, the summary, the other files written."""
    (inbox / "oom.txt").write_text(notice(2030), encoding="utf-8")
    out = tmp_path / "out"
    run = start(["ingest", str(inbox), "--out", str(out), "-j", "2"], slow=0.2)
    stdout, err = run.communicate(timeout=120)
    assert run.returncode == 1
    assert err.splitlines() == [f"error: {inbox / 'oom.txt'}: worker process was killed by SIGKILL (out of memory?)"]
    assert "ingested 8, failed 1, skipped 0" in stdout and "BrokenProcessPool" not in stdout + err
    assert len(documents(out)) == 8
    assert_whole(out)


# ---------------------------------------------------------------- §11 worker count


@pytest.mark.slow
@pytest.mark.parametrize(
    ("files", "most"),
    [pytest.param(["jiaxing_2021.pdf", "nanxi_2022.pdf"], 2, id="s11-jobs-16-on-two-PDFs-two-workers"),
     pytest.param(["jiaxing_2021.txt", "nanxi_2022.txt"], 0, id="s11-jobs-16-on-two-text-files-no-worker")],
)  # fmt: skip
def test_jobs_16_on_two_files(tmp_path: Path, files: list[str], most: int) -> None:
    """-j 16 on two files: two workers at most; none for a tiny batch of quick formats (read in the command)."""
    run = start(["ingest", *(str(RAW_DOCS / f) for f in files), "--out", str(tmp_path / "out"), "-j", "16", "-q"], slow=1)
    seen: set[int] = set()
    while run.poll() is None:
        seen |= children(run.pid)
        time.sleep(0.02)
    assert run.returncode == 0
    assert len(seen) == most


@pytest.mark.parametrize(
    ("jobs", "files", "formats", "most"),
    [(99999, 2, {"pdf"}, 2), (16, 1, {"pdf"}, 1), (99999, 10_000, {"text"}, os.cpu_count()), (2, 6, {"text", "docx"}, 1)],
    ids=["s11-99999-jobs-2-files", "s11-one-file", "s11-99999-jobs-many-files", "s11-tiny-batch-in-process"],
)
def test_worker_count_is_capped(jobs: int, files: int, formats: set[str], most: int) -> None:
    """Issue 11 §11: -j 99999 forked ~5,800 processes; workers are min(jobs, files, cores)."""
    assert 1 <= batch.worker_count(jobs, files, formats) <= most


def test_jobs_help_says_how_many_workers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    assert "min(N, files, CPU cores)" in " ".join(capsys.readouterr().out.split())


# ---------------------------------------------------------------- §2, §5 a kill at every step of a commit

_KILL_AT_STEP = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path

    stop = int(os.environ["STOP"])
    calls = [0]

    def counted(function):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            calls[0] += 1
            if calls[0] == stop:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return wrapper

    import pipeline.publish  # imports pyarrow and the store first: only the commit is counted
    for name in ("link", "replace", "rename", "symlink", "mkdir", "unlink", "rmdir"):
        setattr(os, name, counted(getattr(os, name)))
    Path.write_bytes = counted(Path.write_bytes)
    from pipeline.cli import main
    code = main(sys.argv[1:])
    print(calls[0])
    sys.exit(code)
    """
)


def _read_with_pandas(out: Path) -> dict[str, object]:
    """What pandas shows of every table: the doc_ids and the (exact) targets' values."""
    import pandas as pd

    shown: dict[str, object] = {}
    for name in ("documents", "tasks", "task_units", "targets", "warnings"):
        frame = pd.read_parquet(out / name)
        shown[name] = sorted(map(str, frame["doc_id"]))
    targets = pd.read_parquet(out / "targets")
    shown["values"] = sorted(targets["value"].tolist())
    return shown


@pytest.mark.slow
@pytest.mark.parametrize("spare", [False, True], ids=["s2-built-from-nothing", "s2-built-from-a-spare"])
def test_kill_at_every_step_of_an_ingest_commit(tmp_path: Path, spare: bool) -> None:
    """SIGKILL right after each file-system call of `ingest`'s commit: pandas sees the old or the new notice whole.

    The old notice is the seed; the new one is an edited copy of it (the same
    notice, so it replaces the seed's rows). The next ingest clears the debris.
    With ``spare``, two commits before (another notice added, then removed)
    leave a spare snapshot that the killed commit builds from.
    """
    old_file, new_file = tmp_path / "jiaxing_2021.txt", tmp_path / "jiaxing_2021_fixed.txt"
    old_file.write_bytes(SEED.read_bytes())
    new_file.write_text(SEED.read_text(encoding="utf-8").replace("新认定高新技术企业300家", "新认定高新技术企业350家"),
                        encoding="utf-8")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def ingest(out: Path, path: Path, stop: int) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", _KILL_AT_STEP, "ingest", str(path), "--out", str(out), "-q"]
        return subprocess.run(command, env={**env, "STOP": str(stop)}, capture_output=True, text=True, cwd=ROOT)

    other = tmp_path / "other.txt"
    other.write_text(notice(2022), encoding="utf-8")

    def before(out: Path) -> None:
        assert main(["ingest", str(old_file), "--out", str(out), "-q"]) == 0
        if spare:
            assert main(["ingest", str(other), "--out", str(out), "-q"]) == 0
            assert main(["rm", "other.txt", "--out", str(out)]) == 0

    reference = tmp_path / "reference"
    before(reference)
    old = _read_with_pandas(reference)
    first = ingest(reference, new_file, 0)
    steps = int(first.stdout)
    new = _read_with_pandas(reference)
    assert old != new and steps > (10 if spare else 20)  # mkdir or rename, links, writes, rename, switch ...
    outcomes = set()
    for stop in range(1, steps + 1):
        out = tmp_path / f"kill-{stop}"
        before(out)
        result = ingest(out, new_file, stop)
        assert result.returncode == -9, result.stderr
        seen = _read_with_pandas(out)
        assert seen in (old, new), f"killed at step {stop}: pandas sees a mixed dataset"
        outcomes.add("new" if seen == new else "old")
        assert main(["ingest", str(new_file), "--out", str(out), "-q"]) == 0  # the next run clears the debris
        assert _read_with_pandas(out) == new
        assert_whole(out)
        assert sorted(p.name for p in (out / ".store").iterdir()) == ["current", "layout.json", "lock", "snapshots"]
        assert len(list((out / ".store" / "snapshots").iterdir())) <= store.KEEP + store.SPARES
    assert outcomes == {"old", "new"}


def test_full_disk_leaves_no_debris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11 §5: ENOSPC mid-commit: one line, the earlier notice intact, no staging left."""
    out = tmp_path / "out"
    assert main(["ingest", str(SEED), "--out", str(out), "-q"]) == 0
    before = tree_digest(out)
    other = tmp_path / "other.txt"
    other.write_text(notice(2022), encoding="utf-8")
    real = Path.write_bytes
    written: list[Path] = []

    def full(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) == 4:  # the disk fills up in the middle of a document's files
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    assert main(["ingest", str(other), "--out", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {other}: cannot write to {out}: No space left on device\n"
    assert tree_digest(out) == before
    assert [p.name for p in (out / ".store" / "snapshots").iterdir()] == ["000001"]
    assert not [p for p in written if p.exists()], "staged files left behind"
    assert sorted(p.name for p in (out / ".store").iterdir()) == ["current", "layout.json", "lock", "snapshots"]


def test_older_flat_output_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "old"
    (out / "documents").mkdir(parents=True)
    (out / "documents" / "814aa2ce3d9bb1b2.parquet").write_bytes(b"old")
    assert main(["ingest", str(SEED), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "documents/ is not this pipeline's output" in err
    assert sorted(p.name for p in out.iterdir()) == ["documents"]


# ---------------------------------------------------------------- §6 the output folder is never an input


def test_ingest_dot_twice_never_reads_its_own_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    Path("notice.txt").write_bytes(SEED.read_bytes())
    assert main(["ingest", ".", "-q"]) == 0
    first = tree_digest(tmp_path / "parsed")
    assert main(["ingest", "."]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == 1 and "csv" not in out
    assert tree_digest(tmp_path / "parsed") == first


@pytest.mark.parametrize("inside", ["", "csv", "csv/tasks", ".store"], ids=lambda p: f"s6-output-folder-{p or 'itself'}")
def test_an_output_folder_given_as_input_is_refused(tmp_path: Path, inside: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["ingest", str(SEED), "--out", str(data), "-q"]) == 0
    before = tree_digest(data)
    assert main(["ingest", str(data / inside), "--out", str(tmp_path / "other"), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "output folder of the pipeline, not an input" in err
    assert tree_digest(data) == before and not (tmp_path / "other").exists()


# ---------------------------------------------------------------- §8 CSV injection


def test_csv_copy_neutralises_formulas(tmp_path: Path) -> None:
    """A task starting with = + - @ TAB CR: ' before it in the CSV copy, the exact text in Parquet."""
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=2", "\r=3"]
    source = notice(2022, "。" + "".join(f"{c}x" for c in cells))
    lines = source.split("\n")
    row = next(i for i, line in enumerate(lines) if "新认定高新技术企业300家" in line)
    cell_text = lines[row].split("\t")
    task_at = next(i for i, c in enumerate(cell_text) if "新认定高新技术企业300家" in c)
    cell_text[task_at] = "=HYPERLINK(\"http://x\")" + cell_text[task_at]
    lines[row] = "\t".join(cell_text)
    path = tmp_path / "formula.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ingest", str(path), "--out", str(out), "-q"]) == 0
    texts = pq.read_table(out / "tasks").column("text").to_pylist()
    exact = next(t for t in texts if "HYPERLINK" in t)
    assert exact.startswith('=HYPERLINK("http://x")')
    with next((out / "csv" / "tasks").glob("*.csv")).open(encoding="utf-8-sig", newline="") as handle:
        copied = next(r["text"] for r in csv.DictReader(handle) if "HYPERLINK" in r["text"])
    assert copied == "'" + exact


# ---------------------------------------------------------------- §9 terminal escapes


def _bomb_with_member(name: str) -> bytes:
    """A .docx whose member ``name`` declares more than the 200 MB inflate limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(201):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "member"),
    [pytest.param("evil\x1b]0;owned\x07\nname.txt", None, id="s9-escape-and-newline-in-file-name"),
     pytest.param("rtl\u202etxt.exe", None, id="s9-bidi-override-in-file-name"),
     pytest.param("bomb.docx", "word/\x1b[31mred\n.xml", id="s9-escape-in-zip-member-name")],
)  # fmt: skip
def test_names_are_escaped_in_every_message(tmp_path: Path, name: str, member: str | None,
                                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(_bomb_with_member(member) if member else b"\x00\x01\x02" * 50)
    (folder / "good.txt").write_bytes(SEED.read_bytes())
    assert main(["ingest", str(folder), "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    for stream in (captured.err, captured.out):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
    [line] = captured.err.splitlines()
    assert line.startswith("error: ") and ("\\x1b" in line or "\\u202e" in line)
    assert "failed 1" in captured.out


# ---------------------------------------------------------------- §14 cells that broke the writer


@pytest.mark.parametrize(
    "cell",
    [pytest.param("完成改造\r新建300家", id="s14-lone-CR-in-a-cell"),
     pytest.param("新建" + "口袋公园" * 600_000 + "300个", id="s14-cell-over-2MB", marks=pytest.mark.slow)],
)  # fmt: skip
def test_cells_that_broke_the_write(tmp_path: Path, cell: str) -> None:
    lines = notice(2022).split("\n")
    row = next(i for i, line in enumerate(lines) if "新认定高新技术企业300家" in line)
    lines[row] = lines[row].replace("新认定高新技术企业300家", cell, 1)
    path = tmp_path / "cell.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ingest", str(path), "--out", str(out), "-q", "--time-limit", "0"]) == 0
    texts = pq.read_table(out / "tasks").column("text").to_pylist()
    assert any(cell.replace("\r", "") in t.replace("\r", "") for t in texts)


# ---------------------------------------------------------------- §15 odd names, read errors, time limits


@pytest.fixture
def gbk_name(tmp_path: Path) -> Iterator[Path]:
    """A file whose name is GBK bytes (测试通知.txt), as unzipped from a Windows zip file."""
    try:
        path = tmp_path / os.fsdecode("测试通知.txt".encode("gbk"))
        path.write_bytes(SEED.read_bytes())
    except (UnicodeError, OSError):
        pytest.skip("the file system refuses non-UTF-8 names")
    yield path


def test_gbk_file_name_is_ingested_and_named(gbk_name: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(gbk_name), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "\\xb2\\xe2\\xca\\xd4" in printed and "internal error" not in printed
    assert pq.read_table(out / "documents").column("source_file").to_pylist() == ["测试通知.txt"]


def test_gbk_file_name_of_a_bad_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / os.fsdecode("坏文件.bin".encode("gbk"))
    path.write_bytes(b"\x00\x01" * 100)
    assert main(["ingest", str(path), "--out", str(tmp_path / "out")]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith("unknown format (not text, HTML, Word or PDF)") and "\\x" in line


def test_non_utf8_output_folder_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / os.fsdecode("输出".encode("gbk"))
    assert main(["ingest", str(SEED), "--out", str(out)]) == 0
    assert main(["list", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "嘉兴市" in printed and "\\xca\\xe4" in printed
    assert len(list((out / "documents").glob("*.parquet"))) == 1


def test_read_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """EIO from a failing disk (or a network share that went away)."""
    path = tmp_path / "notice.txt"
    path.write_bytes(SEED.read_bytes())
    real = Path.read_bytes

    def failing(self: Path) -> bytes:
        if self.name == "notice.txt":
            raise OSError(errno.EIO, "Input/output error")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", failing)
    assert main(["ingest", str(path), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == f"error: {path}: cannot read (Input/output error)\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "-1", "ten"], ids=lambda v: f"s15-time-limit-{v}")
def test_time_limit_out_of_range_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["ingest", str(SEED), f"--time-limit={value}"])
    assert stop.value.code == 2
    assert "--time-limit" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_tiny_time_limit_gives_the_message_and_no_debris(tmp_path: Path, jobs: str) -> None:
    """--time-limit 1e-7 once killed the process with SIGALRM and printed 'Exception ignored' debris."""
    out = tmp_path / "out"
    other = tmp_path / "other.txt"
    other.write_text(notice(2022), encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "ingest", str(SEED), str(other), "--out", str(out), "--time-limit", "1e-7", "-j", jobs]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, preexec_fn=_limit_memory)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"error: {p}: took longer than the 1e-07 s time limit" for p in (SEED, other)]
    assert not out.exists()


@pytest.mark.parametrize(
    ("cwd", "inputs", "out"), [("data", "notices", "."), ("data/notices", ".", ".."), ("", "data/notices", "data")],
    ids=["out-dot", "out-parent", "out-above"],
)
def test_an_output_folder_above_the_inputs_takes_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cwd: str,
                                                      inputs: str, out: str, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """Review finding 12: --out . (or any parent of the inputs) refused every input, "is in an output folder of
    the pipeline", although nothing was output yet; a second run into it must read the notices, not the tables."""
    data = tmp_path / "data"
    (data / "notices").mkdir(parents=True)
    (data / "notices" / "a.txt").write_bytes(SEED.read_bytes())
    monkeypatch.chdir(tmp_path / cwd)
    assert main(["ingest", inputs, "--out", out, "-q"]) == 0
    assert [p.name for p in (data / "documents").iterdir()] == ["ca4c2153adb16270.parquet"]
    assert main(["ingest", inputs, "--out", out]) == 0  # again: the notice, not the tables
    printed = capsys.readouterr().out
    assert printed.count("ok ") == 1 and "csv" not in printed and "documents" not in printed
    assert main(["ingest", str(data / "documents"), "--out", str(tmp_path / "other"), "-q"]) == 1
    assert "output folder of the pipeline, not an input" in capsys.readouterr().err


def test_an_output_folder_inside_another_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Review finding 6: --out inside an existing output folder wrote into the outer published snapshot
    (pandas then failed on the outer folder, and list printed junk lines)."""
    outer = tmp_path / "outer"
    assert main(["ingest", str(SEED), "--out", str(outer), "-q"]) == 0
    before = tree_digest(outer)
    for inner in (outer / "documents", outer / "sub", outer / ".store" / "x"):
        assert main(["ingest", str(RAW_DOCS / "nanxi_2022.txt"), "--out", str(inner), "-q"]) == 1
        err = capsys.readouterr().err
        assert err == f"error: cannot write to {inner}: it is inside the output folder {outer}; choose an --out outside it\n"
    assert tree_digest(outer) == before
    assert sorted(p.name for p in outer.iterdir()) == [".store", "csv", "documents", "targets", "task_units", "tasks", "warnings"]
