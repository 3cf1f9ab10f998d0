"""Command line: ``python -m pipeline ingest|diff|eval``.

Only argument parsing and messages live here; the work is in the library.
Exit codes: 0 all inputs written, 1 any input failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.errors import PipelineError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="parse notices and write the output tables")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="notice files or folders")
    ingest.add_argument("--out", type=Path, default=Path("parsed"), help="output folder (default: parsed/)")
    ingest.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")

    diff = commands.add_parser("diff", help="compare two output or golden folders, print differing rows")
    diff.add_argument("a", type=Path)
    diff.add_argument("b", type=Path)
    diff.add_argument("--ignore", default="", help="comma-separated columns to leave out, e.g. doc_id")

    evaluate = commands.add_parser("eval", help="score target extraction against hand labels")
    evaluate.add_argument("--labels", type=Path, default=Path("tests/labels"), help="folder of <notice>.csv")
    evaluate.add_argument("--docs", type=Path, default=Path("raw_docs"), help="folder of the notices")
    evaluate.add_argument("--quiet", action="store_true", help="scores only, no list of misses")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "diff":
            return _diff(args)
        return _eval(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def expand(paths: Sequence[Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively in sorted order, hidden files skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        else:
            yield path


def _ingest(args: argparse.Namespace) -> int:
    from pipeline.ingest import ingest_file

    failed = 0
    for path in expand(args.paths):
        try:
            parsed = ingest_file(path, args.out)
        except PipelineError as exc:
            failed += 1
            print(f"error: {path}: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # a bug, reported as one line unless --debug
            failed += 1
            if args.debug:
                traceback.print_exc()
            print(f"error: {path}: internal error ({type(exc).__name__}: {exc})", file=sys.stderr)
            continue
        counts = {name: len(rows) for name, rows in parsed.tables.items()}
        print(
            f"ok {path} -> {args.out}/*/{parsed.doc_id}.parquet "
            f"({parsed.source_format}: {counts['tasks']} tasks, {counts['task_units']} units, "
            f"{counts['targets']} targets)"
        )
    return 1 if failed else 0


def _diff(args: argparse.Namespace) -> int:
    from pipeline.diff import diff_folders

    ignore = [c.strip() for c in args.ignore.split(",") if c.strip()]
    lines = diff_folders(args.a, args.b, ignore)
    for line in lines:
        print(line)
    return 1 if lines else 0


def _eval(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate_folder

    report = evaluate_folder(args.labels, args.docs)
    print(report.render(verbose=not args.quiet))
    return 0
