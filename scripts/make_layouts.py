"""Write the mechanical copies of the layout fixtures, and their expected parses and labels.

Usage::

    python scripts/make_layouts.py          # rewrite the generated files
    python scripts/make_layouts.py --check  # exit 1 when a generated file is stale

The base notice ``raw_docs/yunling_2024.txt`` (tab form) and its hand-written
layout copies (``_cells``, ``_pipes``, ``_tabrows``, ``_runon``, ``_paras``) are
written by hand; see ``docs/layouts.md``. This script only does what needs no
judgement:

* ``yunling_2024_utf16.txt`` — the base saved as Notepad's "Unicode": UTF-16 LE
  with a BOM and CRLF line ends;
* ``yunling_2024_trad.txt`` — the base in traditional characters (OpenCC
  ``s2tw``: Taiwan forms such as 為, which Big5 can encode), plus the few mixed
  forms that web converters leave (:data:`QUIRKS`);
* ``yunling_2024_big5.txt`` — the traditional text encoded as Big5, CRLF;
* ``tests/expected/yunling_2024_<layout>.json`` — the base's expected parse with
  a ``notes`` list saying what the layout cannot carry (:data:`NOTES`), converted
  to traditional for ``_trad``/``_big5`` (task text and unit names as written);
* ``tests/labels/yunling_2024_<layout>.csv`` — the base's labels, likewise
  converted (``indicator``, ``section``, ``span_text`` and ``unit`` as written;
  ``unit_base`` stays simplified, see ``tests/labels/GUIDE.md``).

Needs: PyPI ``opencc`` (in the ``dev`` extras).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw_docs"
EXPECTED = ROOT / "tests" / "expected"
LABELS = ROOT / "tests" / "labels"
BASE = "yunling_2024"

# Mixed forms left by simple character-table converters on aggregator sites
# (关于 -> 關于, 并 kept): applied after OpenCC, to text and expectations alike.
QUIRKS = (("關於", "關于"),)

NOTES: dict[str, list[str]] = {
    "cells": [
        "One cell per line, blank lines between cells; empty cells (the 配合单位 of 二、3) leave no line.",
        "A line break without a blank line stays inside one cell: units one per line, a wrapped task text "
        "(一、4) and a wrapped project name (3); lines holding only a space or a no-break space count as blank.",
    ],
    "pipes": [
        "Pipe rows; the page's metadata block (索引号 / 文号 / 成文日期 …) above the title is also pipe rows "
        "and is never a table, title, issuer or date.",
        "Row 一、4 is broken over two lines inside its task cell.",
    ],
    "tabrows": [
        "Whole row on one tab-separated line; 附件2 / 附件3 and the next title follow the last row directly.",
        "Row 一、4 is broken over two lines inside its task cell; a section row ends with stray tabs.",
    ],
    "runon": [
        "Cells run together: rows come from the item numbers, sentence ends, unit-name shapes and deadline shapes.",
        "The 牵头单位 and 配合单位 cells touch with no separator (市发展改革委市财政局、市统计局): units joined by 、 "
        "share a cell, a unit name followed directly by another starts the next cell.",
        "The key-work header is repeated before 二、 (a page break on the source site).",
        "The aggregator's 发布时间 line is chrome, not the issue date.",
    ],
    "paras": [
        "No tables: numbered paragraphs under 附件 titles and 一、 section headings; an unnumbered paragraph after "
        "一、3 continues it (part 2).",
        "Units in a trailing parenthesis: （牵头单位：…；配合单位：…）, （…牵头，…配合）, （…按职责分工负责） (all lead), "
        "（责任单位：…）; livelihood paragraphs carry the project name before ： and （…；完成时限：…）.",
        "The special-action note on * markers is absent (no markers in paragraphs).",
    ],
    "trad": [
        "Traditional characters (OpenCC s2tw, 關于 left mixed as converters do); text, units, sections and "
        "labels are stored as written.",
    ],
    "utf16": ["UTF-16 LE with BOM and CRLF line ends (Notepad 'Unicode'); otherwise the base text."],
    "big5": ["Big5 encoding of the traditional copy, CRLF line ends; expectations as for _trad."],
}
TRADITIONAL = frozenset({"trad", "big5"})
LABEL_TEXT_COLUMNS = ("section", "indicator", "unit", "span_text")


def to_traditional() -> Callable[[str], str]:
    converter = opencc.OpenCC("s2tw.json")

    def convert(text: str) -> str:
        out = converter.convert(text)
        for simple, mixed in QUIRKS:
            out = out.replace(simple, mixed)
        return out

    return convert


def convert_strings(value: object, convert: Callable[[str], str]) -> object:
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [convert_strings(v, convert) for v in value]
    if isinstance(value, dict):
        return {k: convert_strings(v, convert) for k, v in value.items()}
    return value


def expected_json(layout: str, base: dict[str, object], convert: Callable[[str], str]) -> str:
    body = convert_strings(base, convert) if layout in TRADITIONAL else base
    assert isinstance(body, dict)
    out = {"notes": NOTES[layout], **body}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def labels_csv(layout: str, text: str, convert: Callable[[str], str]) -> str:
    if layout not in TRADITIONAL:
        return text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, "base labels are empty"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: convert(v) if k in LABEL_TEXT_COLUMNS else v for k, v in row.items()})
    return buffer.getvalue()


def outputs() -> dict[Path, bytes]:
    convert = to_traditional()
    base_text = (RAW / f"{BASE}.txt").read_text(encoding="utf-8")
    trad_text = convert(base_text)
    crlf = base_text.replace("\n", "\r\n")
    out = {
        RAW / f"{BASE}_utf16.txt": "\ufeff".encode("utf-16-le") + crlf.encode("utf-16-le"),
        RAW / f"{BASE}_trad.txt": trad_text.encode("utf-8"),
        RAW / f"{BASE}_big5.txt": trad_text.replace("\n", "\r\n").encode("big5"),
    }
    base_json = json.loads((EXPECTED / f"{BASE}.json").read_text(encoding="utf-8"))
    base_labels = (LABELS / f"{BASE}.csv").read_text(encoding="utf-8")
    for layout in NOTES:
        out[EXPECTED / f"{BASE}_{layout}.json"] = expected_json(layout, base_json, convert).encode("utf-8")
        out[LABELS / f"{BASE}_{layout}.csv"] = labels_csv(layout, base_labels, convert).encode("utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for path, data in outputs().items():
        if path.exists() and path.read_bytes() == data:
            continue
        stale.append(path.relative_to(ROOT).as_posix())
        if not args.check:
            path.write_bytes(data)
    if args.check and stale:
        print("stale: " + ", ".join(stale), file=sys.stderr)
        return 1
    if not args.check:
        print(f"wrote {len(stale)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
