"""Command line: ``python -m pipeline ingest|list|rm|diff|eval|export|review|compare``.

Only argument parsing and messages live here; the work is in the library.
Exit codes: 0 all inputs written, 1 any input failed, 2 usage error or a
broken rule file (checked once, before any input is read), 130 after Ctrl-C
and 143 after SIGTERM. Every line printed goes through
:func:`pipeline.names.shown`: a file name cannot split a line or drive the terminal.
"""

from __future__ import annotations

import argparse
import logging
import math
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.batch import DEFAULT_TIME_LIMIT
from pipeline.errors import PipelineError, RuleError
from pipeline.names import shown

if TYPE_CHECKING:
    from pipeline.batch import Interrupted, Outcome
    from pipeline.rules import Rules

RULES_HELP = "rules folder (default: the checkout's rules/, else the installed copy)"
MAX_TIME_LIMIT = 1e6  # seconds (11 days): beyond it a timer cannot be set on every system
PARTITIONS = {"year": "year", "none": "flat"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="parse notices and write the output tables")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="notice files or folders")
    ingest.add_argument("--out", type=Path, default=Path("parsed"), help="output folder (default: parsed/)")
    ingest.add_argument(
        "--jobs", "-j", type=_positive_int, default=1, metavar="N",
        help="parse in parallel with min(N, files, CPU cores) worker processes; with one worker, or at most "
        "6 text/HTML/Word files, files are read in this process; one file with N > 1 reads a scan's pages N at a time",
    )
    ingest.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no per-file lines")
    ingest.add_argument(
        "--time-limit", type=_time_limit, default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
        help=f"per-file parsing time budget, 0 to {MAX_TIME_LIMIT:g} (0: none)",
    )
    ingest.add_argument(
        "--partition", choices=sorted(PARTITIONS), metavar="{year,none}",
        help="Hive folders by year (year=2021/) or none; a dataset keeps the layout it was created with "
        "(default: the output folder's, none for a new one)",
    )
    ingest.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")
    ingest.add_argument("--rules", type=Path, metavar="DIR", help=RULES_HELP)
    ingest.add_argument(
        "--xlsx", type=Path, metavar="DIR", help="also write each written notice's Excel ledger into DIR"
    )

    listing = commands.add_parser("list", help="one line per notice in an output folder")
    listing.add_argument("data", nargs="?", type=Path, default=Path("parsed"), metavar="DIR", help="output folder (default: parsed/)")

    remove = commands.add_parser("rm", help="remove notices from an output folder")
    remove.add_argument("notices", nargs="+", metavar="NOTICE", help="notice_id, doc_id (or a unique prefix) or source file name")
    remove.add_argument("--out", type=Path, default=Path("parsed"), metavar="DIR", help="output folder (default: parsed/)")

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
        if args.command == "list":
            return _list(args)
        if args.command == "rm":
            return _rm(args)
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
        _error(f"error: {exc}")
        return 2
    except PipelineError as exc:
        _error(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        # A commit is whole or not made; nothing earlier is touched.
        _error("interrupted: documents already written are complete, the rest were not written")
        return 130


def _say(line: str) -> None:
    print(shown(line))


def _error(line: str) -> None:
    print(shown(line), file=sys.stderr)


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


def _time_limit(text: str) -> float:
    """Seconds: a finite number from 0 to MAX_TIME_LIMIT (nan, inf, 1e300 and -1 are usage errors)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_TIME_LIMIT:
        raise argparse.ArgumentTypeError(f"must be a number of seconds from 0 to {MAX_TIME_LIMIT:g}, not {text!r}")
    return value


def _rules(folder: Path | None) -> Rules:
    from pipeline.rules import load_rules

    return load_rules(folder)


def _ingest(args: argparse.Namespace, rules: Rules) -> int:
    from pipeline.batch import Interrupted, run

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
            message = _shown_lines(f"error: {outcome.path}: {outcome.detail}", args.debug)
            if bar is not None:
                bar.write(message, file=sys.stderr)
            else:
                print(message, file=sys.stderr)
        elif outcome.status == "ok" and bar is None and not args.quiet:
            _say(f"ok {outcome.path} -> {args.out}/*/{outcome.notice_id}.parquet ({outcome.detail})")
        elif outcome.status == "skipped" and bar is None and not args.quiet:
            _say(f"skipped {outcome.path}: {outcome.detail}")
        if bar is not None:
            bar.update()

    layout = PARTITIONS[args.partition] if args.partition else None
    try:
        outcomes = run(args.paths, args.out, rules, args.jobs, args.time_limit, args.debug, on_done, on_start, layout)
    except Interrupted as stop:
        return _interrupted(stop, args.out)
    finally:
        for bar in bars:
            bar.close()
    _summary(outcomes, args.out, verbose=len(outcomes) > 1)
    written = list(dict.fromkeys(o.notice_id for o in outcomes if o.status == "ok" and o.notice_id))
    if args.xlsx is not None and written:
        _write_workbooks(args.out, written, args.xlsx, quiet=args.quiet)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _shown_lines(text: str, debug: bool) -> str:
    """A failure's line; with --debug its traceback keeps its lines (each shown safely)."""
    return "\n".join(shown(line) for line in text.split("\n")) if debug else shown(text)


def _interrupted(stop: Interrupted, out: Path) -> int:
    """Ctrl-C or SIGTERM: say what was written, in one line; 128 + the signal's number."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)  # the batch has stopped; a second Ctrl-C changes nothing
    written = sum(o.status == "ok" for o in stop.outcomes)
    _summary(stop.outcomes, out, verbose=len(stop.outcomes) > 1, unfinished=stop.unfinished)
    _error(
        f"interrupted: {written} document{'s' * (written != 1)} written whole, "
        f"{stop.unfinished} input{'s' * (stop.unfinished != 1)} not written"
    )
    return 128 + stop.signum


def _summary(outcomes: Sequence[Outcome], out: Path, verbose: bool, unfinished: int = 0) -> None:
    counts = {status: sum(o.status == status for o in outcomes) for status in ("ok", "failed", "skipped")}
    if not verbose:
        return
    rest = f", not written {unfinished}" if unfinished else ""
    _say(f"ingested {counts['ok']}, failed {counts['failed']}, skipped {counts['skipped']}{rest} -> {out}/")
    for outcome in outcomes:
        if outcome.status != "ok":
            _say(f"  {outcome.status:<8}{outcome.path}: {outcome.detail}")


def _list(args: argparse.Namespace) -> int:
    from pipeline.catalog import notice_lines

    for line in notice_lines(args.data):
        _say(line)
    return 0


def _rm(args: argparse.Namespace) -> int:
    from pipeline.catalog import remove

    for document in remove(args.out, args.notices):
        name = document.get("source_files") or document.get("source_file")
        _say(f"removed {document.get('notice_id') or document['doc_id']} ({document.get('title')}; {name})")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from pipeline.diff import diff_folders

    ignore = [c.strip() for c in args.ignore.split(",") if c.strip()]
    lines = diff_folders(args.a, args.b, ignore)
    for line in lines:
        _say(line)
    return 1 if lines else 0


def _export(args: argparse.Namespace) -> int:
    _write_workbooks(args.data, args.notices, args.xlsx)
    return 0


def _write_workbooks(data: Path, notices: Sequence[str], folder: Path, quiet: bool = False) -> None:
    from pipeline.dataset import load, select
    from pipeline.export import export_xlsx

    for path in export_xlsx(select(load(data), notices), folder):
        if not quiet:
            _say(f"wrote {path}")


def _review(args: argparse.Namespace) -> int:
    from pipeline.dataset import load, select
    from pipeline.review import write_reviews

    for path in write_reviews(select(load(args.data), args.notices), args.out):
        _say(f"wrote {path}")
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
