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
* batch: N distinct notices (the samples with one number changed each) with
  ``--jobs 1`` and ``--jobs 2``; throughput excludes nothing (start-up included)
* growth: one notice with its key-work table repeated k times
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


def run(command: list[str], repeat: int) -> Run:
    """Median wall time and the largest peak RSS over ``repeat`` fresh processes."""
    times, rss = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            raise SystemExit(f"{command} failed: {process.stderr.read().decode() if process.stderr else ''}")
        times.append(elapsed)
        rss.append(usage.ru_maxrss / 1024)
    return Run(statistics.median(times), max(rss))


IMPORT_FLOOR = [PY, "-c", "import pandas, pyarrow, jieba, regex"]


def alternated(commands: list[list[str]], repeat: int) -> list[Run]:
    """Each command ``repeat`` times, in turns (a, b, c, a, b, c, ...): the median of each."""
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, done in zip(commands, runs, strict=True):
            done.append(run(command, 1))
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
    code = "import sys\nfrom pipeline.sources import pdf\npdf.read(open(sys.argv[1], 'rb').read())\n"
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
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    batch_size = 40 if args.quick else 240

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                 f"{platform.platform()}", ""]
        lines += ["| what | wall s (median) | peak RSS MB | floor s | ratio |", "|---|---|---|---|---|"]
        if not args.pdf:
            floor = run(IMPORT_FLOOR, repeat)
            lines.append(f"| import floor (pandas+pyarrow+jieba+regex) | {floor.seconds:.3f} | {floor.max_rss_mb:.0f} | | |")
        for notice in sorted(RAW.iterdir()):
            if notice.name.startswith(".") or (args.pdf and notice.suffix != ".pdf"):
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

        lines += ["", "Batch of distinct text notices (start-up included):", "",
                  "| notices | jobs | wall s | notices/s | peak RSS MB (largest process) |", "|---|---|---|---|---|"]
        folder = tmp / "batch"
        folder.mkdir()
        paths = make_batch(folder, batch_size)
        for size in (batch_size // 4, batch_size):
            for jobs in (1, 2):
                shutil.rmtree(tmp / "out", ignore_errors=True)
                measured = run(ingest(paths[:size], tmp / "out", jobs), 1)
                lines.append(f"| {size} | {jobs} | {measured.seconds:.2f} | {size / measured.seconds:.1f} | "
                             f"{measured.max_rss_mb:.0f} |")

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
