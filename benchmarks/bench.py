"""Benchmark: wall time and peak memory of ``ingest`` against its floors.

Run from the repository root::

    python benchmarks/bench.py            # full run, prints a Markdown report
    python benchmarks/bench.py --quick    # fewer repeats and a smaller batch
    python benchmarks/bench.py --pdf      # only the PDF rows

Every figure is measured on a fresh process, the way an officer or CI runs the
command. Peak memory is the child's maximum resident set size (``wait4``).

* import floor: ``python -c "import pandas, pyarrow, jieba, regex"``
* PDF floor (issue 14): ``import pypdfium2`` and the full text of every page
  (``get_textpage().get_text_bounded()``), in one process. It, the PDF reader
  alone in a process, and the PDF ingest run in turns, so that a slow spell of
  the machine hits all three
* ingest: ``python -m pipeline ingest FILE --out TMP -q``
* batch (issue 14): 200 distinct text notices with ``--jobs 1`` and ``--jobs 2``
  in alternated pairs, the median of each and of the pairs' ratios (start-up
  included); ``--jobs 16`` on 2 files, counting the worker processes it
  starts; 250 and 1,000 notices with ``--jobs 2``, sampling the parent's and
  the workers' resident memory every 50 ms (flat: the same at both sizes).
  ``--batch`` runs only these rows
* growth: one notice with its key-work table repeated k times
* commits (review finding 7): a dataset of 100, 1,000 and 5,000 notices (the
  seed's files copied under as many notice keys: a commit's cost is the number
  of files, not what they hold), then one notice published into it: the first
  commit (no spare snapshot to build from: a full build), the median of the
  next five in process, and ``ingest`` of one file as a command. ``--commits``
  runs only these rows
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw_docs"
PY = sys.executable


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    cpu: float = 0.0  # CPU seconds of the process and the children it waited for (its workers)


def run(command: list[str], repeat: int, ok: tuple[int, ...] = (0, 1)) -> Run:
    """Median wall time and the largest peak RSS over ``repeat`` fresh processes.

    An exit code outside ``ok`` stops the benchmark (a batch may hold notices
    that fail with exit 1; a PDF row must succeed).
    """
    times, rss, cpu = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok:
            raise SystemExit(f"{command} failed: {process.stderr.read().decode() if process.stderr else ''}")
        times.append(elapsed)
        rss.append(usage.ru_maxrss / 1024)
        cpu.append(usage.ru_utime + usage.ru_stime)
    return Run(statistics.median(times), max(rss), statistics.median(cpu))


IMPORT_FLOOR = [PY, "-c", "import pandas, pyarrow, jieba, regex"]


def alternated(commands: list[list[str]], repeat: int) -> list[Run]:
    """Each command ``repeat`` times, in turns (a, b, c, a, b, c, ...): the median of each."""
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, done in zip(commands, runs, strict=True):
            done.append(run(command, 1, ok=(0,)))
    return [Run(statistics.median(r.seconds for r in done), max(r.max_rss_mb for r in done)) for done in runs]


def pdf_floor(pdf: Path) -> list[str]:
    code = (
        "import sys, pypdfium2\n"
        "pdf = pypdfium2.PdfDocument(sys.argv[1])\n"
        "for page in pdf:\n"
        "    page.get_textpage().get_text_bounded()\n"
    )
    return [PY, "-c", code, str(pdf)]


def pdf_reader(pdf: Path) -> list[str]:
    """The project's PDF reader alone, in a process of its own: what the reader adds to the floor."""
    code = ("import sys\nfrom pipeline.rules import load_rules\nfrom pipeline.sources import pdf\n"
            "pdf.read(open(sys.argv[1], 'rb').read(), load_rules())\n")
    return [PY, "-c", code, str(pdf)]


def ingest(paths: list[Path], out: Path, jobs: int = 1) -> list[str]:
    return [PY, "-m", "pipeline", "ingest", *map(str, paths), "--out", str(out), "-q", "--jobs", str(jobs)]


BATCH_SOURCES = ("jiaxing_2021.txt", "nanxi_2022.txt", "qinghe_2023.txt", "yunling_2024.txt")


def make_batch(folder: Path, count: int) -> list[Path]:
    """``count`` distinct text notices: the sample notices, each title given a batch number.

    A different title is a different notice (``notice_id``), so every file adds
    a notice to the dataset instead of replacing an earlier copy.
    """
    sources = [(RAW / name).read_text(encoding="utf-8") for name in BATCH_SOURCES]
    paths = []
    for i in range(count):
        text = sources[i % len(sources)].replace("年政府工作报告", f"年第{i}批政府工作报告", 1)
        path = folder / f"notice_{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class Sampled:
    seconds: float
    workers: int  # worker processes seen over the run
    parent_mb: float  # largest resident set of the parent
    worker_mb: float  # largest resident set of any worker


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sampled(command: list[str]) -> Sampled:
    """Run ``command``, sampling its worker processes and resident memory every 50 ms (Linux /proc)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: set[int] = set()
    parent = worker = 0.0
    while process.poll() is None:
        try:
            kids = {int(p) for p in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()}
        except OSError:
            kids = set()
        seen |= kids
        parent = max(parent, _rss_mb(process.pid))
        worker = max([worker, *(_rss_mb(k) for k in kids)])
        time.sleep(0.05)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command} failed")
    return Sampled(time.perf_counter() - start, len(seen), parent, worker)


def batch_rows(tmp: Path, pairs: int, quick: bool) -> list[str]:
    """The batch rows of issue 14: --jobs 2 against --jobs 1, workers started, memory over a long batch."""
    folder = tmp / "batch"
    folder.mkdir()
    paths = make_batch(folder, 250 if quick else 1000)
    size = 50 if quick else 200
    load_before = os.getloadavg()[0]
    one, two, ratios, cores = [], [], [], []
    for _ in range(pairs):
        measured = []
        for jobs in (1, 2):
            shutil.rmtree(tmp / "out", ignore_errors=True)
            measured.append(run(ingest(paths[:size], tmp / "out", jobs), 1))
        one.append(measured[0].seconds)
        two.append(measured[1].seconds)
        ratios.append(measured[0].seconds / measured[1].seconds)
        cores.append(measured[1].cpu / measured[1].seconds)
    lines = ["", f"Batch of distinct text notices ({pairs} alternated pairs, medians; start-up included):", "",
             "| what | measured | goal |", "|---|---|---|",
             f"| {size} notices, --jobs 1 | {statistics.median(one):.2f} s ({size / statistics.median(one):.0f}/s) | |",
             f"| {size} notices, --jobs 2 | {statistics.median(two):.2f} s ({size / statistics.median(two):.0f}/s) | |",
             f"| --jobs 2 vs --jobs 1 (median of the pairs' ratios; each pair: {', '.join(f'{r:.2f}' for r in ratios)}) | "
             f"{statistics.median(ratios):.2f}× faster | ≥ 1.8× |",
             f"| --jobs 2: CPU seconds over wall seconds (the cores it got; each pair: {', '.join(f'{c:.2f}' for c in cores)}) | "
             f"{statistics.median(cores):.2f} | 2 on an idle machine |",
             f"| load average before / after (1 min) | {load_before:.2f} / {os.getloadavg()[0]:.2f} | |"]
    for label, pair in (("text files", paths[:2]), ("PDFs", [RAW / "jiaxing_2021.pdf", RAW / "nanxi_2022.pdf"])):
        shutil.rmtree(tmp / "out", ignore_errors=True)
        sixteen = sampled(ingest(pair, tmp / "out", 16))
        lines.append(f"| --jobs 16 on 2 {label}: worker processes started | {sixteen.workers} "
                     f"({sixteen.seconds:.2f} s, parent {sixteen.parent_mb:.0f} MB) | ≤ 2 |")
    for count in (len(paths) // 4, len(paths)):
        shutil.rmtree(tmp / "out", ignore_errors=True)
        long = sampled(ingest(paths[:count], tmp / "out", 2))
        lines.append(f"| {count} notices, --jobs 2: peak resident memory, parent / largest worker | "
                     f"{long.parent_mb:.0f} MB / {long.worker_mb:.0f} MB ({long.seconds:.1f} s, {long.workers} workers) | flat |")
    return lines


def make_dataset(out: Path, size: int) -> None:
    """An output folder of ``size`` notices: the seed's files under ``size`` keys, with their markers."""
    sys.path.insert(0, str(ROOT))
    from pipeline.ingest import parse_file, to_prepared
    from pipeline.publish import MARKERS
    from pipeline.rules import load_rules
    from pipeline.store import Store
    from pipeline.write import VIEWS

    base = to_prepared(parse_file(RAW / "jiaxing_2021.txt", load_rules()), "flat")
    changes: dict[str, dict[str, bytes | Path]] = {}
    for i in range(size):
        key = f"{i:016x}"
        changes[key] = {rel.replace(base.notice_id, key): data for rel, data in base.files.items()}
        changes[f"doc-{key}"] = {f"{MARKERS}/doc-{key}.{key}": b""}
    Store(out, VIEWS, "flat").commit(changes)


def commit_rows(tmp: Path, sizes: tuple[int, ...] = (100, 1000, 5000), repeat: int = 5) -> list[str]:
    """One notice published into datasets of ``sizes`` notices: in process, and as an ``ingest`` command."""
    sys.path.insert(0, str(ROOT))
    from pipeline.ingest import parse_file, to_prepared
    from pipeline.publish import Publisher
    from pipeline.rules import load_rules

    prepared = to_prepared(parse_file(RAW / "jiaxing_2021.txt", load_rules()), "flat")
    lines = ["", "One notice published into a dataset (review finding 7; in process: median of "
             f"{repeat} commits after two; command: median of 3 runs of `ingest` of one file):", "",
             "| notices in the dataset (files) | first commit (full build) | commit, in process | "
             "ingest one file, command | import floor |", "|---|---|---|---|---|"]
    floor = run(IMPORT_FLOOR, 3).seconds
    for size in sizes:
        out = tmp / f"commits-{size}"
        make_dataset(out, size)
        publisher = Publisher(out)
        times = []
        for _ in range(repeat + 2):
            start = time.perf_counter()
            publisher.publish([prepared])
            times.append(time.perf_counter() - start)
        command = run(ingest([RAW / "jiaxing_2021.txt"], out), 3, ok=(0,))
        lines.append(f"| {size:,} ({size * 10:,}) | {times[0] * 1000:.0f} ms | {statistics.median(times[2:]) * 1000:.0f} ms "
                     f"| {command.seconds:.2f} s | {floor:.2f} s |")
        shutil.rmtree(out)
    return lines


def make_scaled(folder: Path, factor: int) -> Path:
    """The seed notice with its key-work rows repeated ``factor`` times (numbered on)."""
    seed = (RAW / "jiaxing_2021.txt").read_text(encoding="utf-8")
    head, rest = seed.split("\t1\n", 1)
    body, tail = rest.split("\n\n\n“1+10”", 1)
    rows = "\t1\n" + body
    copies = [rows]
    for k in range(1, factor):
        copies.append(rows.replace("\t1\n", f"\t{k * 100 + 1}\n", 1))
    path = folder / f"scaled_{factor}.txt"
    path.write_text(head + "\n\n".join(copies) + "\n\n\n“1+10”" + tail, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pdf", action="store_true", help="only the PDF rows")
    parser.add_argument("--batch", action="store_true", help="only the batch rows")
    parser.add_argument("--commits", action="store_true", help="only the commit-time rows")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                 f"{platform.platform()}", ""]
        if args.batch:
            print("\n".join(lines + batch_rows(tmp, 3 if args.quick else 5, args.quick)))
            return
        if args.commits:
            print("\n".join(lines + commit_rows(tmp)))
            return
        lines += ["| what | wall s (median) | peak RSS MB | floor s | ratio |", "|---|---|---|---|---|"]
        if not args.pdf:
            floor = run(IMPORT_FLOOR, repeat)
            lines.append(f"| import floor (pandas+pyarrow+jieba+regex) | {floor.seconds:.3f} | {floor.max_rss_mb:.0f} | | |")
        for notice in sorted(RAW.iterdir()):
            if notice.name.startswith(".") or "_scan" in notice.stem or (args.pdf and notice.suffix != ".pdf"):
                continue
            if notice.suffix == ".pdf":
                base, reader, measured = alternated(
                    [pdf_floor(notice), pdf_reader(notice), ingest([notice], tmp / "out")], repeat)
                lines.append(f"| PDF floor: pypdfium2 full text, {notice.name} | "
                             f"{base.seconds:.3f} | {base.max_rss_mb:.0f} | | |")
                lines.append(f"| PDF reader alone (pipeline.sources.pdf.read), {notice.name} | {reader.seconds:.3f} | "
                             f"{reader.max_rss_mb:.0f} | {base.seconds:.3f} (PDF floor) | {reader.seconds / base.seconds:.2f} |")
                label = "PDF floor"
            else:
                measured = run(ingest([notice], tmp / "out"), repeat)
                base = floor
                label = "import floor"
            lines.append(f"| ingest {notice.name} | {measured.seconds:.3f} | {measured.max_rss_mb:.0f} | "
                         f"{base.seconds:.3f} ({label}) | {measured.seconds / base.seconds:.2f} |")
        if args.pdf:
            print("\n".join(lines))
            return

        lines += batch_rows(tmp, 3 if args.quick else 5, args.quick)
        lines += commit_rows(tmp, (100, 1000) if args.quick else (100, 1000, 5000))

        lines += ["", "Growth with notice size (seed key-work table repeated):", "",
                  "| key-work rows | wall s | peak RSS MB |", "|---|---|---|"]
        for factor in (1, 2, 4, 8, 16):
            notice = make_scaled(tmp, factor)
            measured = run(ingest([notice], tmp / "out"), max(1, repeat // 2))
            lines.append(f"| {104 * factor} | {measured.seconds:.3f} | {measured.max_rss_mb:.0f} |")
        print("\n".join(lines))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
