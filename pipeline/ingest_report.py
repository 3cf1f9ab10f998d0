"""What ``ingest`` says about its inputs: a line per file and a summary, or one JSON document.

A written file's line names the notice and where its files are::

    ok raw_docs/jiaxing_2021.txt -> 嘉兴市 2021 《…重点工作、“1+10”专项行动和市政府民生实事责任分解的通知》 parsed/
        (notice ca4c2153adb16270; text: 125 tasks, 216 units, 116 targets, 0 warnings)

(one line in fact). ``--format json`` prints :func:`json_document` instead:
one document for the whole batch, each input with its status, notice, counts,
warnings, the file it replaced and its error. Paths are shown as in the lines
(:func:`pipeline.names.shown`); ``names`` maps a path to the name it is shown
by (the notice read from standard input is ``stdin``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline import console
from pipeline.inputs import Outcome
from pipeline.names import shown

TITLE_WIDTH = 40  # characters of a title shown in an ok line; a longer one keeps its end
STATUSES = ("ok", "failed", "skipped")


class Report:
    """The lines and the JSON document of one ``ingest`` into ``out``."""

    def __init__(self, out: Path, names: Mapping[Path, str] | None = None) -> None:
        self.out = out
        self.names = dict(names or {})

    def name(self, path: Path) -> str:
        return self.names.get(path, str(path))

    def detail(self, outcome: Outcome) -> str:
        """The outcome's detail, naming a renamed path (``same content as stdin``) as the lines do."""
        text = outcome.detail
        for path, name in self.names.items():
            text = text.replace(str(path), name)
        return text

    def ok_line(self, outcome: Outcome) -> str:
        """``ok PATH -> REGION YEAR 《TITLE》 OUT/ (notice ID; FORMAT: counts[; replaces …])``."""
        label = notice_label(outcome)
        return f"ok {self.name(outcome.path)} -> {label} {self.out}/ (notice {outcome.notice_id}; {self.detail(outcome)})"

    def line(self, outcome: Outcome) -> str:
        """The line of a file that was not written: ``error: PATH: why`` or ``skipped PATH: why``."""
        if outcome.status == "failed":
            return f"error: {self.name(outcome.path)}: {self.detail(outcome)}"
        return f"{outcome.status} {self.name(outcome.path)}: {self.detail(outcome)}"

    def summary(self, outcomes: Sequence[Outcome], unfinished: int = 0) -> list[str]:
        """The batch in a line, then a line per input that was not written."""
        counts = tally(outcomes)
        rest = f", not written {unfinished}" if unfinished else ""
        lines = [f"ingested {counts['ok']}, failed {counts['failed']}, skipped {counts['skipped']}{rest} -> {self.out}/"]
        lines.extend(
            f"  {o.status:<8}{self.name(o.path)}: {self.detail(o)}" for o in outcomes if o.status != "ok"
        )
        return lines

    def json_document(
        self, outcomes: Sequence[Outcome], exit_code: int, unfinished: int = 0,
        interrupted: bool = False, workbooks: Sequence[Path] = (),
    ) -> dict[str, Any]:  # fmt: skip
        counts = tally(outcomes)
        return {
            "out": shown(self.out),
            "exit_code": exit_code,
            "interrupted": interrupted,
            "ingested": counts["ok"],
            "failed": counts["failed"],
            "skipped": counts["skipped"],
            "not_written": unfinished,
            "files": [self._file(o) for o in outcomes],
            "workbooks": [shown(p) for p in workbooks],
        }

    def _file(self, outcome: Outcome) -> dict[str, Any]:
        ok = outcome.status == "ok"
        return {
            "path": shown(self.name(outcome.path)),
            "status": outcome.status,
            "notice_id": outcome.notice_id,
            "doc_id": outcome.doc_id,
            "region": outcome.region,
            "year": outcome.year,
            "title": outcome.title,
            "source_format": outcome.source_format,
            "counts": dict(outcome.counts) if ok else None,
            "warnings": [{"stage": s, "where": w, "what": t} for s, w, t in outcome.warnings] if ok else None,
            "replaced": outcome.replaced,
            "error": self.detail(outcome) if outcome.status == "failed" else None,
            "reason": self.detail(outcome) if outcome.status == "skipped" else None,
        }


class Progress:
    """An ingest as it runs: a progress bar on a terminal (several files), else a line per file.

    A failed file's line always goes to stderr (with ``debug``, its traceback
    too); ``lines`` says whether written and skipped files get theirs on stdout.
    """

    def __init__(self, report: Report, lines: bool = True, bar: bool = True, debug: bool = False) -> None:
        self.report = report
        self.lines = lines
        self.want_bar = bar
        self.debug = debug
        self.bar: Any = None

    def start(self, total: int) -> None:
        if self.want_bar and total > 1 and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, leave=False)

    def done(self, outcome: Outcome) -> None:
        if outcome.status == "failed":
            line = self.report.line(outcome)
            message = "\n".join(shown(part) for part in line.split("\n")) if self.debug else shown(line)
            if self.bar is not None:
                self.bar.write(message, file=sys.stderr)
            else:
                console.write(sys.stderr, message)
        elif self.lines and self.bar is None:
            console.say(self.report.ok_line(outcome) if outcome.status == "ok" else self.report.line(outcome))
        if self.bar is not None:
            self.bar.update()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.close()


def tally(outcomes: Sequence[Outcome]) -> dict[str, int]:
    return {status: sum(o.status == status for o in outcomes) for status in STATUSES}


def notice_label(outcome: Outcome) -> str:
    """``嘉兴市 2021 《…》``: what is known of the notice's region, year and title (its end, when long).

    >>> notice_label(Outcome(Path("a.txt"), "ok", "", region="云岭市", year=2024, title="关于印发责任分解的通知"))
    '云岭市 2024 《关于印发责任分解的通知》'
    >>> notice_label(Outcome(Path("a.txt"), "ok", "", title="某" * 50))[:6], notice_label(Outcome(Path("a"), "ok", ""))
    ('《…某某某某', '(no title)')
    """
    from pipeline.labels import labels

    parts = [str(part) for part in (outcome.region, outcome.year) if part]
    title = short_title(outcome.title or "")
    parts.append(labels()["formats"]["notice_title"].format(title=title) if title else "(no title)")
    return " ".join(parts)


def short_title(title: str, width: int = TITLE_WIDTH) -> str:
    """``title``, or its last characters after an ellipsis when longer than ``width`` (a number is not cut).

    >>> short_title("abc 2021 defgh", 9), short_title("abc 2021 defgh", 4), short_title("short", 9)
    ('… defgh', '…fgh', 'short')
    """
    if len(title) <= width:
        return title
    start = len(title) - (width - 1)
    while 0 < start < len(title) and title[start - 1].isdigit() and title[start].isdigit():
        start += 1
    return "…" + title[start:]


def json_text(document: Any) -> str:
    """``document`` as one line of JSON, Chinese as is, any character a terminal would act on escaped.

    >>> json_text({"t": "云岭\\x1b[2J\\u202e"})
    '{"t": "云岭\\\\u001b[2J\\\\u202e"}'
    """
    text = json.dumps(document, ensure_ascii=False)
    return "".join(ch if ch.isprintable() else _json_escape(ch) for ch in text)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON writes characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
