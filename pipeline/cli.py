"""Command line: ``notice-pipeline ingest|list|rm|diff|eval|export|review|compare`` (or ``python -m pipeline``).

Only argument parsing and messages live here; the work is in the library.
Exit codes: 0 all inputs written, 1 any input failed, 2 usage error or a
broken rule file (checked once, before any input is read), 130 after Ctrl-C
and 143 after SIGTERM; ``diff`` exits 0 when the folders hold the same rows, 1
when they differ and 2 on an error. Every line goes through
:mod:`pipeline.console`: escaped (a file name cannot split a line or drive the
terminal), and a closed pipe (``| head``) stops the printing, never the work.
"""

from __future__ import annotations

import argparse
import logging
import math
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__, console
from pipeline.batch import DEFAULT_TIME_LIMIT
from pipeline.errors import PipelineError, RuleError
from pipeline.inputs import STDIN_NAME

if TYPE_CHECKING:
    from pipeline.batch import Aborted, Interrupted
    from pipeline.ingest_report import Report
    from pipeline.rules import Rules

RULES_HELP = "rules folder (default: the checkout's rules/, else the installed copy)"
NOTICE_HELP = "notice_id, doc_id (or a unique prefix) or source file name"
MAX_TIME_LIMIT = 1e6  # seconds (11 days): beyond it a timer cannot be set on every system
PARTITIONS = {"year": "year", "none": "flat"}
FORMATS = ("text", "json")
INTERRUPTED = {  # what Ctrl-C leaves, per command (rm and ingest say more themselves)
    "ingest": "interrupted: documents already written are complete, the rest were not written",
    "rm": "interrupted: nothing was removed",
    "export": "interrupted: the workbooks named above are complete, the rest were not written",
    "review": "interrupted: the pages named above are complete, the rest were not written",
}
DESCRIPTION = "Read Chinese government responsibility notices into Parquet and CSV tables, and work with them."
EPILOG = (
    "exit codes: 0 done, 1 an input failed, 2 usage error or broken rule file, 130 Ctrl-C, 143 SIGTERM; "
    "diff: 0 same, 1 different, 2 error. COMMAND --help describes a command's arguments."
)


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Every argument's default in its help (``(default: parsed)``), unless there is none to show."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        default = action.default
        if default is None or default is False or default == [] or default == "" or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def program_name(argv0: str | None = None) -> str:
    """The name the command was run by: ``notice-pipeline`` (the console script) or ``python -m pipeline``.

    >>> program_name("/venv/bin/notice-pipeline"), program_name("/src/pipeline/__main__.py")
    ('notice-pipeline', 'python -m pipeline')
    """
    name = Path(sys.argv[0] if argv0 is None else argv0).name
    if name in ("__main__.py", "-c", "") or name.startswith("python"):
        return "python -m pipeline"
    return name


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog or program_name(), description=DESCRIPTION, formatter_class=HelpFormatter,
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, description=help, formatter_class=HelpFormatter)

    _ingest_arguments(command("ingest", "parse notices and write the output tables"))

    listing = command("list", "one line per notice in an output folder")
    listing.add_argument("data", nargs="?", type=Path, default=Path("parsed"), metavar="DIR", help="output folder")

    remove = command("rm", "remove notices from an output folder")
    remove.add_argument("notices", nargs="+", metavar="NOTICE", help=NOTICE_HELP)
    remove.add_argument("--out", type=Path, default=Path("parsed"), metavar="DIR", help="output folder")

    diff = command("diff", "what changed from OLD to NEW (output or golden folders): exit 0 same, 1 differ, 2 error")
    diff.add_argument("old", type=Path, metavar="OLD", help="the folder before (rows only here are 'removed')")
    diff.add_argument("new", type=Path, metavar="NEW", help="the folder after (rows only here are 'added')")
    diff.add_argument("--ignore", default="", metavar="COLUMNS", help="comma-separated columns to leave out, e.g. doc_id,source_file")
    diff.add_argument(
        "--doc", action="append", default=[], metavar="NOTICE",
        help="only the rows of this notice: its notice_id or doc_id (or a prefix of one), or a source file "
        "name; may be given several times",
    )
    diff.add_argument("--format", choices=FORMATS, default="text", help="lines and a summary, or one JSON document")

    export = command("export", "write each notice's Excel ledger (tasks, units, targets) from an output folder")
    export.add_argument("notices", nargs="+", metavar="NOTICE", help=NOTICE_HELP)
    export.add_argument(
        "--xlsx", type=Path, nargs="?", const=Path("."), required=True, metavar="DIR",
        help="write one workbook per notice, named for it, into DIR (the current folder when DIR is left out)",
    )
    export.add_argument("--data", type=Path, default=Path("parsed"), metavar="DIR", help="output folder of ingest")

    review = command("review", "write each notice's self-contained HTML review page")
    review.add_argument("notices", nargs="+", metavar="NOTICE", help=NOTICE_HELP)
    review.add_argument(
        "--out", type=Path, metavar="FILE",
        help="the page for one notice, the folder for several (when left out: a page named for the notice, here)",
    )
    review.add_argument("--data", type=Path, default=Path("parsed"), metavar="DIR", help="output folder of ingest")

    compare = command("compare", "pair the targets of two notices of one place: raised, lowered, unchanged, new, dropped")
    compare.add_argument("notices", nargs="*", metavar="NOTICE", help="OLD NEW: " + NOTICE_HELP)
    compare.add_argument("--region", metavar="R", help="every two consecutive years of region R instead")
    compare.add_argument("--csv", type=Path, metavar="FILE", help="also write the pairs to FILE (CSV)")
    compare.add_argument("--data", type=Path, default=Path("parsed"), metavar="DIR", help="output folder of ingest")
    compare.add_argument("--rules", type=Path, metavar="DIR", help=RULES_HELP)

    evaluate = command("eval", "score targets, tasks and units against hand labels")
    evaluate.add_argument("--labels", type=Path, default=Path("tests/labels"), metavar="DIR", help="folder of <notice>.csv target labels")
    evaluate.add_argument("--docs", type=Path, default=Path("raw_docs"), metavar="DIR", help="folder of the notices")
    evaluate.add_argument(
        "--expected", type=Path, default=Path("tests/expected"), metavar="DIR",
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


def _ingest_arguments(ingest: argparse.ArgumentParser) -> None:
    ingest.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH",
        help="notice files or folders (walked recursively); - reads one notice from standard input",
    )
    ingest.add_argument("--out", type=Path, default=Path("parsed"), metavar="DIR", help="output folder")
    ingest.add_argument(
        "--jobs", "-j", type=_jobs, default=1, metavar="N|auto",
        help="parse in parallel with min(N, files, CPU cores) worker processes (auto: as many as CPU cores); "
        "with one worker, or at most 6 text/HTML/Word files, files are read in this process; one file with "
        "N > 1 reads a scan's pages N at a time",
    )
    ingest.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no per-file lines")
    ingest.add_argument(
        "--format", choices=FORMATS, default="text",
        help="text: a line per file and a summary; json: one JSON document on stdout, nothing else there",
    )
    ingest.add_argument(
        "--time-limit", type=_time_limit, default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
        help=f"per-file parsing time budget, 0 to {MAX_TIME_LIMIT:g} (0: none)",
    )
    ingest.add_argument(
        "--partition", choices=sorted(PARTITIONS), metavar="{year,none}",
        help="Hive folders by year (year=2021/) or none; a dataset keeps the layout it was created with "
        "(when left out: the output folder's, none for a new one)",
    )
    ingest.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors, and library warnings")
    ingest.add_argument("--rules", type=Path, metavar="DIR", help=RULES_HELP)
    ingest.add_argument(
        "--xlsx", type=Path, metavar="DIR", help="also write each written notice's Excel ledger into DIR"
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    finally:
        console.finish()  # a closed pipe is not an error, even at exit


def _main(argv: Sequence[str] | None) -> int:
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
        console.error(f"error: {exc}")
        return 2
    except PipelineError as exc:
        console.error(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        # A commit is whole or not made; nothing earlier is touched.
        console.error(INTERRUPTED.get(args.command, "interrupted"))
        return 130
    except Exception as exc:  # a bug: one line, never a traceback
        console.error(f"error: internal error ({type(exc).__name__}: {exc})")
        return 1


def _jobs(text: str) -> int:
    """A number of workers at least 1, or ``auto``: as many as this process may use CPU cores."""
    if text == "auto":
        from pipeline.batch import cores

        return cores()
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or auto: {text!r}") from None
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
    from pipeline.inputs import STDIN, saved_stdin

    if args.debug:  # library warnings and log lines on stderr too (sources/noise.py keeps them anyway)
        logging.basicConfig(level="WARNING", format="%(name)s: %(message)s")
    if any(str(path) == STDIN for path in args.paths):
        if sys.stdin is None or sys.stdin.isatty():
            why = "is not open" if sys.stdin is None else "is a terminal"
            console.error(f"error: stdin: {why}; pipe a notice into it (ingest - < notice.txt)")
            return 2
        with saved_stdin(sys.stdin.buffer) as saved:
            paths = [saved if str(path) == STDIN else path for path in args.paths]
            return _ingest_paths(args, rules, paths, {saved: STDIN_NAME})
    return _ingest_paths(args, rules, args.paths, {})


def _ingest_paths(args: argparse.Namespace, rules: Rules, paths: list[Path], names: dict[Path, str]) -> int:
    from pipeline.batch import Aborted, Interrupted, run
    from pipeline.ingest_report import Progress, Report, json_text

    report = Report(args.out, names)
    as_json = args.format == "json"
    progress = Progress(report, lines=not (args.quiet or as_json), bar=not args.quiet, debug=args.debug)
    layout = PARTITIONS[args.partition] if args.partition else None
    try:
        with progress:
            outcomes = run(
                paths, args.out, rules, args.jobs, args.time_limit, args.debug, progress.done, progress.start, layout,
                _waiting(args.out),
            )
    except Interrupted as stop:
        return _interrupted(stop, report, as_json)
    except Aborted as stop:
        return _aborted(stop, report, as_json)
    if not as_json and len(outcomes) > 1:
        for line in report.summary(outcomes):
            console.say(line)
    written = list(dict.fromkeys(o.notice_id for o in outcomes if o.status == "ok" and o.notice_id))
    workbooks: list[Path] = []
    if args.xlsx is not None and written:
        workbooks = _write_workbooks(args.out, written, args.xlsx, quiet=args.quiet or as_json)
    code = 1 if any(o.status == "failed" for o in outcomes) else 0
    if as_json:
        console.say_raw(json_text(report.json_document(outcomes, code, workbooks=workbooks)))
    return code


def _interrupted(stop: Interrupted, report: Report, as_json: bool) -> int:
    """Ctrl-C or SIGTERM: say what was written, in one line; 128 + the signal's number."""
    from pipeline.ingest_report import json_text

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)  # the batch has stopped; a second Ctrl-C changes nothing
    written = sum(o.status == "ok" for o in stop.outcomes)
    code = 128 + stop.signum
    if as_json:
        document = report.json_document(stop.outcomes, code, stop.unfinished, interrupted=True)
        console.say_raw(json_text(document))
    elif len(stop.outcomes) > 1:
        for line in report.summary(stop.outcomes, stop.unfinished):
            console.say(line)
    console.error(
        f"interrupted: {written} document{'s' * (written != 1)} written whole, "
        f"{stop.unfinished} input{'s' * (stop.unfinished != 1)} not written"
    )
    return code


def _aborted(stop: Aborted, report: Report, as_json: bool) -> int:
    """A bug stopped the batch: the summary, then one line (the traceback with --debug); exit 1."""
    from pipeline.ingest_report import json_text

    if as_json:
        console.say_raw(json_text(report.json_document(stop.outcomes, 1, stop.unfinished)))
    elif len(stop.outcomes) + stop.unfinished > 1:
        for line in report.summary(stop.outcomes, stop.unfinished):
            console.say(line)
    written = sum(o.status == "ok" for o in stop.outcomes)
    *trace, last = stop.detail.split("\n")
    for line in trace:
        console.error(line)
    console.error(
        f"error: {last}; {written} document{'s' * (written != 1)} written whole, "
        f"{stop.unfinished} input{'s' * (stop.unfinished != 1)} not written"
    )
    return 1


def _list(args: argparse.Namespace) -> int:
    from pipeline.catalog import notice_lines

    for line in notice_lines(args.data):
        console.say(line)
    return 0


def _rm(args: argparse.Namespace) -> int:
    from pipeline.catalog import remove

    removed: list[object] = []

    def report(documents: list[dict[str, object]]) -> None:  # the notices are out of the dataset
        for document in documents:
            name = document.get("source_files") or document.get("source_file")
            console.say(f"removed {document.get('notice_id') or document['doc_id']} ({document.get('title')}; {name})")
            removed.append(document)

    try:
        remove(args.out, args.notices, report, _waiting(args.out))
    except KeyboardInterrupt:
        console.error("interrupted: the notices above were removed" if removed else "interrupted: nothing was removed")
        return 130
    return 0


def _waiting(out: Path) -> Callable[[], None]:
    return lambda: console.error(f"waiting for another ingest or rm on {out} to finish …")


def _diff(args: argparse.Namespace) -> int:
    """Exit 0 when OLD and NEW hold the same rows, 1 when they differ, 2 when they cannot be compared."""
    from pipeline.diff import compare_folders
    from pipeline.diff_report import change_lines, json_document, summary_line
    from pipeline.ingest_report import json_text

    ignore = [c.strip() for c in args.ignore.split(",") if c.strip()]
    try:
        diff = compare_folders(args.old, args.new, ignore, args.doc)
    except PipelineError as exc:
        console.error(f"error: {exc}")
        return 2
    if args.format == "json":
        console.say_raw(json_text(json_document(diff)))
    else:
        for line in [*change_lines(diff), summary_line(diff)]:
            console.say(line)
    return 0 if diff.same else 1


def _export(args: argparse.Namespace) -> int:
    _write_workbooks(args.data, args.notices, args.xlsx)
    return 0


def _write_workbooks(data: Path, notices: Sequence[str], folder: Path, quiet: bool = False) -> list[Path]:
    from pipeline.dataset import load, select
    from pipeline.export import export_xlsx

    paths = list(export_xlsx(select(load(data), notices), folder))
    for path in paths if not quiet else ():
        console.say(f"wrote {path}")
    return paths


def _review(args: argparse.Namespace) -> int:
    from pipeline.dataset import load, select
    from pipeline.review import write_reviews

    for path in write_reviews(select(load(args.data), args.notices), args.out):
        console.say(f"wrote {path}")
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
    console.write(sys.stdout, "\n\n".join(table(comparison, separator) for comparison in comparisons))
    return 0


def _eval(args: argparse.Namespace, rules: Rules) -> int:
    from pipeline.evaluate import evaluate_folder

    report = evaluate_folder(args.labels, args.docs, rules, args.expected if args.expected.is_dir() else None)
    console.write(sys.stdout, report.render(verbose=not args.quiet))
    below = report.below(dict(args.fail_under))
    for line in below:
        console.error(f"eval: {line}")
    return 1 if below else 0
