"""Ingest many notices: in order or in worker processes, with a time budget per file.

The files are chosen by :mod:`pipeline.inputs`. Each is read, parsed and
rendered by itself (:func:`pipeline.ingest.prepare`), so one bad file never
stops or corrupts the others; the parent process alone publishes, in input
order and several files per snapshot (:mod:`pipeline.publish`), so the output
is the same whatever ``--jobs``.

Workers (:mod:`pipeline.pool`): min(jobs, files, cores), forked once the
parent has imported what the inputs' formats need; a batch that would get one
worker, or a tiny batch of quick formats, runs in this process. Ctrl-C or
SIGTERM stops the batch: workers are stopped, nothing more is published, and
:class:`Interrupted` says what was.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import threading
import traceback
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import OutputError, PipelineError
from pipeline.ingest import Prepared, prepare
from pipeline.inputs import Outcome, collect, plan
from pipeline.pool import Died, NotStarted, Pool
from pipeline.publish import Batcher, Published, Publisher
from pipeline.rules import Rules

DEFAULT_TIME_LIMIT = 120.0
# A batch of at most this many files of quick formats runs in this process: forking warm
# workers costs more (~0.05-0.1 s) than reading a text notice (~0.02 s) saves.
TINY_BATCH = 6
QUICK_FORMATS = frozenset({"text", "html", "docx"})


class Terminated(BaseException):
    """SIGTERM reached the parent process during a batch."""


class Interrupted(Exception):
    """The batch was stopped (Ctrl-C or SIGTERM): ``outcomes`` are what happened before, in input order."""

    def __init__(self, outcomes: list[Outcome], unfinished: int, signum: int) -> None:
        super().__init__("interrupted")
        self.outcomes = outcomes
        self.unfinished = unfinished  # inputs neither written nor failed
        self.signum = signum


class Aborted(Exception):
    """The batch stopped on an unexpected error (a bug): ``outcomes`` are what happened before, in input order."""

    def __init__(self, outcomes: list[Outcome], unfinished: int, detail: str) -> None:
        super().__init__(detail)
        self.outcomes = outcomes
        self.unfinished = unfinished  # inputs neither written nor failed
        self.detail = detail  # one line, or the traceback with --debug


@dataclass(frozen=True)
class Job:
    path: Path
    seconds: float
    layout: str
    debug: bool
    staging: Path | None


def prepare_one(
    path: Path, rules: Rules, seconds: float = DEFAULT_TIME_LIMIT, layout: str = "flat", debug: bool = False,
    jobs: int = 1, staging: Path | None = None,
) -> Prepared | Outcome:  # fmt: skip
    """:func:`pipeline.ingest.prepare`, with every failure turned into an Outcome, never an exception."""
    try:
        return prepare(path, rules, seconds, layout, jobs, staging)
    except PipelineError as exc:
        return Outcome(path, "failed", str(exc))
    except MemoryError:
        return Outcome(path, "failed", "ran out of memory")
    except Exception as exc:  # a bug: reported in one line, traceback only with --debug
        detail = traceback.format_exc() if debug else f"internal error ({type(exc).__name__}: {exc})"
        return Outcome(path, "failed", detail.strip())


def ingest_one(path: Path, out: Path, rules: Rules, seconds: float = DEFAULT_TIME_LIMIT, debug: bool = False) -> Outcome:
    """Prepare and publish one file; every failure is an Outcome."""
    [outcome] = run([path], out, rules, seconds=seconds, debug=debug)
    return outcome


def written(path: Path, item: Prepared, done: Published) -> Outcome:
    if done.kept is not None:
        return Outcome(
            path, "skipped", f"notice {done.notice_id}: {done.kept} (pipeline rm it to replace it)",
            item.doc_id, done.notice_id,
        )  # fmt: skip
    counts, warnings = dict(item.counts), item.warnings
    if done.own is not None:  # its warnings row says why it is a notice of its own
        counts["warnings"] = counts.get("warnings", 0) + 1
        warnings = (*warnings, ("identity", "title", done.own))
    detail = (
        f"{item.source_format}: {counts['tasks']} tasks, {counts['task_units']} units, {counts['targets']} targets, "
        f"{counts.get('warnings', 0)} warnings"
    )
    if done.replaced is not None:
        detail += f"; replaces the rows ingested from {done.replaced}"
    if done.dropped is not None:
        detail += f"; replaces notice {done.dropped}: the same file, read as another notice before"
    if done.own is not None:
        detail += f"; {done.own}"
    if done.note is not None:
        detail += f"; {done.note}"
    document = item.document
    return Outcome(
        path, "ok", detail, item.doc_id, done.notice_id, region=document.get("region"), year=document.get("year"),
        title=document.get("title"), source_format=item.source_format, counts=counts, replaced=done.replaced,
        warnings=warnings,
    )  # fmt: skip


# The rules of a worker process: set in the parent before the workers are forked.
_worker_rules: Rules | None = None


def _work(job: Job) -> Prepared | Outcome:
    assert _worker_rules is not None, "worker started without rules"
    return prepare_one(job.path, _worker_rules, job.seconds, job.layout, job.debug, 1, job.staging)


def worker_count(jobs: int, files: int, formats: frozenset[str] | set[str] = frozenset()) -> int:
    """Workers for ``files`` files with ``--jobs jobs``: min(jobs, files, cores), 1 for a tiny batch.

    1 means the files are read in this process. A tiny batch is at most
    :data:`TINY_BATCH` files, all of quick formats (``formats`` of the inputs).
    """
    if formats and formats <= QUICK_FORMATS and files <= TINY_BATCH:
        return 1
    return max(1, min(jobs, files, cores()))


def cores() -> int:
    """The CPU cores this process may run on (``--jobs auto``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def warm(rules: Rules, formats: set[str]) -> None:
    """Import and build in the parent what every worker would otherwise do for itself."""
    from pipeline.write import render

    rules.tokenizer  # noqa: B018 - built once, inherited by every worker
    render("warm", {}, names=("warnings",))
    for fmt in sorted(formats):
        importlib.import_module(f"pipeline.sources.{fmt}")
        if fmt in ("docx", "doc"):
            importlib.import_module("docx")


def run(
    paths: Sequence[Path],
    out: Path,
    rules: Rules,
    jobs: int = 1,
    seconds: float = DEFAULT_TIME_LIMIT,
    debug: bool = False,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
    on_start: Callable[[int], None] = lambda total: None,
    layout: str | None = None,
    on_wait: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Ingest every path (files or folders); outcomes in input order, ``on_done`` as each is settled.

    ``layout`` is ``flat`` or ``year`` (None: the output folder's own). Raises
    :class:`Interrupted` on Ctrl-C or SIGTERM, :class:`Aborted` on a bug, and
    :class:`~pipeline.errors.OutputError` when the output folder is unusable
    before anything is read (a layout mismatch). ``on_wait()`` is called when
    another ingest or rm holds the output folder for over a second.
    """
    files, problems = collect(paths, out)
    on_start(len(files) + len(problems))
    todo, skipped, formats = plan(files)
    publisher = Publisher(out, layout, on_wait)
    for outcome in problems + skipped:
        on_done(outcome)
    settled: dict[int, Outcome] = {}

    def settle(index: int, outcome: Outcome) -> None:
        settled[index] = outcome
        on_done(outcome)

    pending: dict[int, Prepared] = {}  # prepared, not yet published

    def published(index: int, done: Published) -> None:
        settle(index, written(todo[index], pending.pop(index), done))

    def not_published(index: int, error: OutputError) -> None:
        del pending[index]
        settle(index, Outcome(todo[index], "failed", str(error)))

    batcher = Batcher(publisher, published, not_published)

    def take(index: int, result: Prepared | Outcome) -> None:  # called in input order
        if isinstance(result, Outcome):
            settle(index, result)
        else:
            pending[index] = result
            batcher.add(index, result)

    try:
        with _sigterm_raises(), _tidied(publisher), publisher.staging() as staging:
            workers = worker_count(jobs, len(todo), formats)
            if workers == 1:
                for index, path in enumerate(todo):
                    batcher.tick()  # what is ready is published before a file that may take long
                    take(index, prepare_one(path, rules, seconds, publisher.layout, debug, jobs, staging))
            else:
                jobs_ = [Job(path, seconds, publisher.layout, debug, staging) for path in todo]
                results = _parallel(jobs_, rules, workers, formats, batcher.tick)
                with closing(results):  # an exception here stops the workers at once
                    for index, result in _in_order(results):
                        take(index, result)
            batcher.flush()
    except (KeyboardInterrupt, Terminated) as stop:
        signum = signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT
        done = [settled[i] for i in sorted(settled)]
        raise Interrupted(problems + skipped + done, len(todo) - len(settled), signum) from None
    except PipelineError:
        raise  # the output folder refused before anything was read (one line)
    except Exception as exc:  # a bug: what was written is whole; say so, in one line
        detail = traceback.format_exc() if debug else f"internal error ({type(exc).__name__}: {exc})"
        done = [settled[i] for i in sorted(settled)]
        raise Aborted(problems + skipped + done, len(todo) - len(settled), detail.strip()) from None
    order = {path: i for i, path in enumerate(files)}
    outcomes = [settled[i] for i in range(len(todo))]
    return problems + sorted(outcomes + skipped, key=lambda o: order[o.path])


def _parallel(
    jobs: list[Job], rules: Rules, workers: int, formats: set[str], idle: Callable[[], None]
) -> Generator[tuple[int, Prepared | Outcome], None, None]:
    global _worker_rules
    warm(rules, formats)
    _worker_rules = rules
    gc.freeze()  # the parent's objects: the workers' collector leaves them alone, and their pages shared
    try:
        with Pool(workers, _work) as pool:
            for index, result in pool.results(jobs, idle):
                lost = isinstance(result, Died | NotStarted)
                yield index, Outcome(jobs[index].path, "failed", str(result)) if lost else result
    finally:
        gc.unfreeze()


@contextmanager
def _tidied(publisher: Publisher) -> Iterator[None]:
    """At the end, remove what this run made in the output folder if nothing was ever published there."""
    try:
        yield
    except BaseException:
        publisher.store.tidy(wait=False)  # Ctrl-C: not after waiting for another run's commit
        raise
    publisher.store.tidy()


def _in_order(results: Iterator[tuple[int, Prepared | Outcome]]) -> Iterator[tuple[int, Prepared | Outcome]]:
    """``results`` (in any order of index) re-ordered by index, each as soon as its turn comes."""
    ready: dict[int, Prepared | Outcome] = {}
    turn = 0
    for index, result in results:
        ready[index] = result
        while turn in ready:
            yield turn, ready.pop(turn)
            turn += 1


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` in the main thread while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
