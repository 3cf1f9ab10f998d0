"""Command line: ``python -m pipeline ingest|diff|eval|export|review|compare``.

Only argument parsing and messages live here; the work is in the library.
Exit codes: 0 all inputs written, 1 any input failed, 2 usage error or a
broken rule file (checked once, before any input is read).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.batch import DEFAULT_TIME_LIMIT
from pipeline.errors import PipelineError, RuleError

if TYPE_CHECKING:
    from pipeline.batch import Outcome
    from pipeline.rules import Rules

RULES_HELP = "rules folder (default: the checkout's rules/, else the installed copy)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="parse notices and write the output tables")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="notice files or folders")
    ingest.add_argument("--out", type=Path, default=Path("parsed"), help="output folder (default: parsed/)")
    ingest.add_argument("--jobs", "-j", type=_positive_int, default=1, help="parallel worker processes")
    ingest.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no per-file lines")
    ingest.add_argument(
        "--time-limit", type=float, default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
        help="per-file parsing time budget (0: none)",
    )
    ingest.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")
    ingest.add_argument("--rules", type=Path, metavar="DIR", help=RULES_HELP)
    ingest.add_argument(
        "--xlsx", type=Path, metavar="DIR", help="also write each written notice's Excel ledger into DIR"
    )

    diff = commands.add_parser("diff", help="compare two output or golden folders, print differing rows")
    diff.add_argument("a", type=Path)
    diff.add_argument("b", type=Path)
    diff.add_argument("--ignore", default="", help="comma-separated columns to leave out, e.g. doc_id")

    export = commands.add_parser("export", help="write each notice's Excel ledger (tasks, units, targets) from an output folder")
    export.add_argument("notices", nargs="+", metavar="NOTICE", help="notice_id, doc_id (or a unique prefix) or source file name")
    export.add_argument(
        "--xlsx", type=Path, nargs="?", const=Path("."), required=True, metavar="DIR",
        help="write one workbook per notice, named for it, into DIR (default: the current folder)",
    )
    export.add_argument("--data", type=Path, default=Path("parsed"), metavar="DIR", help="output folder of ingest (default: parsed/)")

    review = commands.add_parser("review", help="write each notice's self-contained HTML review page")
    review.add_argument("notices", nargs="+", metavar="NOTICE", help="notice_id, doc_id (or a unique prefix) or source file name")
    review.add_argument(
        "--out", type=Path, metavar="FILE",
        help="the page for one notice, the folder for several (default: a page named for the notice, here)",
    )
    review.add_argument("--data", type=Path, default=Path("parsed"), metavar="DIR", help="output folder of ingest (default: parsed/)")

    compare = commands.add_parser(
        "compare", help="pair the targets of two notices of one place: raised, lowered, unchanged, new, dropped"
    )
    compare.add_argument(
        "notices", nargs="*", metavar="NOTICE",
        help="OLD NEW: notice_id, doc_id (or a unique prefix) or source file name",
    )
    compare.add_argument("--region", metavar="R", help="every two consecutive years of region R instead")
    compare.add_argument("--csv", type=Path, metavar="FILE", help="also write the pairs to FILE (CSV)")
    compare.add_argument("--data", type=Path, default=Path("parsed"), metavar="DIR", help="output folder of ingest (default: parsed/)")
    compare.add_argument("--rules", type=Path, metavar="DIR", help=RULES_HELP)

    evaluate = commands.add_parser("eval", help="score targets, tasks and units against hand labels")
    evaluate.add_argument("--labels", type=Path, default=Path("tests/labels"), help="folder of <notice>.csv")
    evaluate.add_argument("--docs", type=Path, default=Path("raw_docs"), help="folder of the notices")
    evaluate.add_argument(
        "--expected", type=Path, default=Path("tests/expected"),
        help="folder of <notice>.json expected parses (tasks, units, header)",
    )
    evaluate.add_argument("--quiet", action="store_true", help="scores only, no list of misses")
    evaluate.add_argument(
        "--fail-under", action="append", type=_threshold, default=[], metavar="[MEASURE=]F",
        help="exit 1 when a measure over all notices is below F: record (the default: whole-record F1 of the "
        "targets), value, tasks, leads, units, keys, header; may be given several times",
    )
    evaluate.add_argument("--rules", type=Path, metavar="DIR", help=RULES_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "compare" and (len(args.notices) != 2) == (args.region is None):
        parser.error("compare takes two NOTICEs (OLD NEW) or --region R")
    try:
        if args.command == "diff":
            return _diff(args)
        if args.command == "export":
            return _export(args)
        if args.command == "review":
            return _review(args)
        rules = _rules(args.rules)
        if args.command == "ingest":
            return _ingest(args, rules)
        if args.command == "compare":
            return _compare(args, rules)
        return _eval(args, rules)
    except RuleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Files being written are only ever temporary names; nothing earlier is touched.
        print("interrupted: documents already written are complete, the rest were not written", file=sys.stderr)
        return 130


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _threshold(text: str) -> tuple[str, float]:
    from pipeline.evaluate import MEASURE_NAMES

    name, _, value = text.rpartition("=")
    name = name or "record"
    if name not in MEASURE_NAMES:
        raise argparse.ArgumentTypeError(f"unknown measure {name!r} (one of {', '.join(MEASURE_NAMES)})")
    try:
        threshold = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0 <= threshold <= 1:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return name, threshold


def _rules(folder: Path | None) -> Rules:
    from pipeline.rules import load_rules

    return load_rules(folder)


def _ingest(args: argparse.Namespace, rules: Rules) -> int:
    from pipeline.batch import run

    if args.debug:  # library warnings and log lines on stderr too (sources/noise.py keeps them anyway)
        logging.basicConfig(level="WARNING", format="%(name)s: %(message)s")

    bars: list[Any] = []

    def on_start(total: int) -> None:
        if not args.quiet and sys.stderr.isatty() and total > 1:
            from tqdm import tqdm

            bars.append(tqdm(total=total, unit="file", file=sys.stderr, leave=False))

    def on_done(outcome: Outcome) -> None:
        bar = bars[0] if bars else None
        if outcome.status == "failed":
            message = f"error: {outcome.path}: {outcome.detail}"
            if bar is not None:
                bar.write(message, file=sys.stderr)
            else:
                print(message, file=sys.stderr)
        elif outcome.status == "ok" and bar is None and not args.quiet:
            print(f"ok {outcome.path} -> {args.out}/*/{outcome.doc_id}.parquet ({outcome.detail})")
        if bar is not None:
            bar.update()

    try:
        outcomes = run(args.paths, args.out, rules, args.jobs, args.time_limit, args.debug, on_done, on_start)
    finally:
        for bar in bars:
            bar.close()
    _summary(outcomes, args.out, verbose=len(outcomes) > 1)
    written = [o.doc_id for o in outcomes if o.status == "ok" and o.doc_id]
    if args.xlsx is not None and written:
        _write_workbooks(args.out, written, args.xlsx, quiet=args.quiet)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _summary(outcomes: Sequence[Outcome], out: Path, verbose: bool) -> None:
    counts = {status: sum(o.status == status for o in outcomes) for status in ("ok", "failed", "skipped")}
    if not verbose:
        return
    print(f"ingested {counts['ok']}, failed {counts['failed']}, skipped {counts['skipped']} -> {out}/")
    for outcome in outcomes:
        if outcome.status != "ok":
            print(f"  {outcome.status:<8}{outcome.path}: {outcome.detail}")


def _diff(args: argparse.Namespace) -> int:
    from pipeline.diff import diff_folders

    ignore = [c.strip() for c in args.ignore.split(",") if c.strip()]
    lines = diff_folders(args.a, args.b, ignore)
    for line in lines:
        print(line)
    return 1 if lines else 0


def _export(args: argparse.Namespace) -> int:
    _write_workbooks(args.data, args.notices, args.xlsx)
    return 0


def _write_workbooks(data: Path, notices: Sequence[str], folder: Path, quiet: bool = False) -> None:
    from pipeline.dataset import load, select
    from pipeline.export import export_xlsx

    for path in export_xlsx(select(load(data), notices), folder):
        if not quiet:
            print(f"wrote {path}")


def _review(args: argparse.Namespace) -> int:
    from pipeline.dataset import load, select
    from pipeline.review import write_reviews

    for path in write_reviews(select(load(args.data), args.notices), args.out):
        print(f"wrote {path}")
    return 0


def _compare(args: argparse.Namespace, rules: Rules) -> int:
    from pipeline.compare import compare, region_pairs
    from pipeline.compare_report import Comparison, csv_bytes, table
    from pipeline.dataset import load, select
    from pipeline.files import replace_file

    dataset = load(args.data)
    pairs = region_pairs(dataset, args.region) if args.region else [tuple(select(dataset, args.notices))]
    comparisons = [Comparison(old, new, compare(old, new, rules)) for old, new in pairs]
    separator = rules.tables.organisations.separators[0]
    if args.csv is not None:
        replace_file(args.csv, csv_bytes(comparisons, separator))
    print("\n\n".join(table(comparison, separator) for comparison in comparisons))
    return 0


def _eval(args: argparse.Namespace, rules: Rules) -> int:
    from pipeline.evaluate import evaluate_folder

    report = evaluate_folder(args.labels, args.docs, rules, args.expected if args.expected.is_dir() else None)
    print(report.render(verbose=not args.quiet))
    below = report.below(dict(args.fail_under))
    for line in below:
        print(f"eval: {line}", file=sys.stderr)
    return 1 if below else 0
