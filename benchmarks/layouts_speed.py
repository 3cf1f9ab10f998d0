"""What the layouts stage costs, in process, per notice.

Run from the repository root::

    python benchmarks/layouts_speed.py             # every fixture, 40 runs each
    python benchmarks/layouts_speed.py --runs 200 jiaxing_2021.txt nanxi_2022.txt

For each notice: the median (and minimum) time of the whole parse
(``ingest.parse_bytes``: read, layouts, header, tables, targets, rows) and of
the layouts stage alone on the reader's document, after one warm-up run, in
milliseconds. The machine is shared and noisy: compare medians of many runs,
and runs of two versions taken in turns.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import layouts, sources  # noqa: E402
from pipeline.ingest import parse_bytes  # noqa: E402
from pipeline.rules import load_rules  # noqa: E402

RAW = ROOT / "raw_docs"


def _times(action: Callable[[], object], runs: int) -> tuple[float, float]:
    action()
    spent = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent) * 1000, min(spent) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notices", nargs="*", help="file names under raw_docs/ (default: every text, Word, web and PDF fixture)")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    rules = load_rules()
    names = args.notices or sorted(
        p.name for p in RAW.iterdir() if p.suffix in (".txt", ".docx", ".html", ".pdf") and "_scan" not in p.name
    )
    print("| notice | parse median / min (ms) | layouts median / min (ms) | layouts share |")
    print("|---|---|---|---|")
    for name in names:
        data = (RAW / name).read_bytes()
        try:
            document = sources.read(data, rules)
            parse = _times(lambda data=data, name=name: parse_bytes(data, name, rules), args.runs)
        except Exception as exc:  # a fixture no reader reads yet is listed, not fatal
            print(f"| {name} | {type(exc).__name__} | | |")
            continue
        laid = _times(lambda document=document: layouts.apply(document, rules), args.runs)
        print(f"| {name} | {parse[0]:.2f} / {parse[1]:.2f} | {laid[0]:.2f} / {laid[1]:.2f} | {laid[0] / parse[0]:.0%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
