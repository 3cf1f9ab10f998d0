"""OCR accuracy and speed on the scanned fixtures, against their text versions.

Run from the repository root::

    python benchmarks/ocr_accuracy.py                      # every raw_docs/*_scan.pdf
    python benchmarks/ocr_accuracy.py raw_docs/jiaxing_2021_scan.pdf --jobs 2
    python benchmarks/ocr_accuracy.py --engine tesseract   # the same pipeline, Tesseract reading the page

Each scan ``X_scan.pdf`` and its text version ``X.txt`` are parsed with
``pipeline.ingest.parse_file``; tasks are matched by ``task_id``:

* **lead units** — share of the text version's tasks whose scan task has
  exactly the same lead units in the same order (a missing task counts as wrong);
* **char accuracy** — 1 − (sum of edit distances between matched task texts,
  a missing task costing its whole length) / (total length of the text tasks);
* **value F1** — targets as (task_id, value) pairs, precision and recall of the
  scan's against the text version's;
* **s/page** — wall time of the read (OCR included) divided by the pages.

``--engine tesseract`` swaps the OCR call for Tesseract (``tesserocr`` and the
Debian ``chi_sim`` data) reading word boxes on the same deskewed page with the
ruling lines erased; everything else is unchanged. It exists for the engine
comparison only.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from pipeline.ingest import Parsed, parse_bytes, parse_file  # noqa: E402
from pipeline.rules import load_rules  # noqa: E402
from pipeline.sources import scan_ocr, scan_page  # noqa: E402

TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"


def leads(parsed: Parsed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {row["task_id"]: [] for row in parsed.tables["tasks"]}
    for row in parsed.tables["task_units"]:
        if row["role"] == "lead":
            out[row["task_id"]].append(row["unit"])
    return out


def compare(text: Parsed, scan: Parsed) -> dict[str, float]:
    want = {row["task_id"]: row["text"] or "" for row in text.tables["tasks"]}
    got = {row["task_id"]: row["text"] or "" for row in scan.tables["tasks"]}
    want_leads, got_leads = leads(text), leads(scan)
    exact = sum(1 for task_id in want if task_id in got and got_leads[task_id] == want_leads[task_id])
    length = sum(len(t) for t in want.values())
    distance = sum(Levenshtein.distance(t, got[k]) if k in got else len(t) for k, t in want.items())
    extra = sum(len(t) for k, t in got.items() if k not in want)  # tasks the scan invented
    want_values = Counter((r["task_id"], r["value"]) for r in text.tables["targets"])
    got_values = Counter((r["task_id"], r["value"]) for r in scan.tables["targets"])
    hits = sum((want_values & got_values).values())
    precision = hits / max(1, sum(got_values.values()))
    recall = hits / max(1, sum(want_values.values()))
    return {
        "tasks": len(want),
        "scan tasks": len(got),
        "lead units exact %": 100 * exact / max(1, len(want)),
        "char accuracy %": 100 * (1 - (distance + extra) / max(1, length)),
        "value F1": 2 * precision * recall / max(1e-9, precision + recall),
    }


def misses(text: Parsed, scan: Parsed, limit: int = 40) -> list[str]:
    want = {row["task_id"]: row["text"] or "" for row in text.tables["tasks"]}
    got = {row["task_id"]: row["text"] or "" for row in scan.tables["tasks"]}
    want_leads, got_leads = leads(text), leads(scan)
    lines = []
    for task_id, t in want.items():
        if task_id not in got:
            lines.append(f"  {task_id}: missing")
            continue
        if got[task_id] != t:
            ops = Levenshtein.opcodes(t, got[task_id])
            diffs = [f"{t[a:b]!r}->{got[task_id][c:d]!r}" for tag, a, b, c, d in ops if tag != "equal"]
            lines.append(f"  {task_id}: text {' '.join(diffs)[:200]}")
        if got_leads.get(task_id) != want_leads[task_id]:
            lines.append(f"  {task_id}: leads {want_leads[task_id]} -> {got_leads.get(task_id)}")
    lines += [f"  {k}: extra" for k in got if k not in want]
    return lines[:limit]


def tesseract_engine() -> None:
    """Replace the OCR call with Tesseract word boxes (comparison only)."""
    import tesserocr
    from PIL import Image

    api = tesserocr.PyTessBaseAPI(path=TESSDATA, lang="chi_sim", psm=tesserocr.PSM.AUTO)

    def recognise(grey: Any, left: float = 0.0, top: float = 0.0) -> list[scan_ocr.TextBox]:
        api.SetImage(Image.fromarray(grey))
        api.Recognize()
        boxes: list[scan_ocr.TextBox] = []
        iterator = api.GetIterator()
        level = tesserocr.RIL.WORD
        if iterator is None:
            return boxes
        for word in tesserocr.iterate_level(iterator, level):
            try:
                text = word.GetUTF8Text(level)
            except RuntimeError:  # an empty word
                continue
            box = word.BoundingBox(level)
            if text and text.strip() and box:
                x0, y0, x1, y1 = box[0] + left, box[1] + top, box[2] + left, box[3] + top
                boxes.append(scan_ocr.TextBox(x0, y0, x1, y1, text.strip(), word.Confidence(level)))
        return sorted(boxes, key=lambda b: (b.top, b.x0))

    scan_page.recognise = recognise  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scans", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=1, help="pages read at once")
    parser.add_argument("--engine", choices=["rapidocr", "tesseract"], default="rapidocr")
    parser.add_argument("--misses", action="store_true", help="list the tasks that differ")
    args = parser.parse_args(argv)
    if args.engine == "tesseract":
        tesseract_engine()
    scans = args.scans or sorted((ROOT / "raw_docs").glob("*_scan.pdf"))
    import pypdfium2 as pdfium

    rules = load_rules()
    for path in scans:
        text_version = path.with_name(path.name.replace("_scan.pdf", ".txt"))
        data = path.read_bytes()
        pages = len(pdfium.PdfDocument(data))
        start = time.perf_counter()
        scanned = parse_bytes(data, path.name, rules, args.jobs)
        seconds = time.perf_counter() - start
        result = compare(parse_file(text_version, rules), scanned)
        figures = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items())
        print(f"{path.name} ({args.engine}, jobs {args.jobs}): {figures}, "
              f"{seconds / pages:.2f} s/page over {pages} pages")
        if args.misses:
            print("\n".join(misses(parse_file(text_version, rules), scanned)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
