"""The OCR engine: a page image -> text boxes with their confidence.

The engine is RapidOCR (PaddleOCR's PP-OCRv4 Chinese detection and
recognition models run by onnxruntime); its models ship inside the
``rapidocr-onnxruntime`` wheel, so nothing is fetched at run time. It was
chosen over Tesseract (``chi_sim``) on the scanned fixtures: see
``benchmarks/ocr_accuracy.py`` and the README's scan section for the numbers.

One engine is built per process (the models take about a second to load) and
kept; a pool of page workers therefore loads it once per worker. Each worker
runs onnxruntime on one thread, so ``jobs`` workers use ``jobs`` cores.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from pipeline.errors import UnreadableInput

# The engine is one PyPI package (the project's ``ocr`` extra); without it, OpenCV is missing too.
NO_ENGINE = "scanned PDF: install the OCR engine (pip install rapidocr-onnxruntime, the [ocr] extra) to read it"


@dataclass(frozen=True)
class TextBox:
    """One run of text the engine found: its box on the page, text and confidence (0-100)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float
    # The box's characters (or Latin words) with their left and right edges, when the engine
    # reports them: a box that runs across a table's column line is split with them.
    pieces: tuple[tuple[str, float, float], ...] = ()

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def split(self, cuts: list[float]) -> list[TextBox]:
        """This box cut at the x positions ``cuts`` (column lines), by the centre of each piece."""
        if not self.pieces or not any(self.x0 < cut < self.x1 for cut in cuts):
            return [self]
        runs: list[list[tuple[str, float, float]]] = []
        side = None
        for piece in self.pieces:
            centre = (piece[1] + piece[2]) / 2
            here = sum(1 for cut in cuts if cut < centre)
            if here != side:
                runs.append([])
                side = here
            runs[-1].append(piece)
        return [
            TextBox(run[0][1], self.top, run[-1][2], self.bottom, "".join(p[0] for p in run).strip(),
                    self.confidence, tuple(run))
            for run in runs
            if "".join(p[0] for p in run).strip()
        ]


def available() -> bool:
    """Can the OCR engine be imported here?"""
    try:
        _import_engine()
    except ImportError:
        return False
    return True


def require_engine() -> None:
    """Raise the one-line install hint when no OCR engine is installed."""
    if not available():
        raise UnreadableInput(NO_ENGINE)


def _import_engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR


@cache
def _engine() -> Any:
    rapid_ocr = _import_engine()
    # Pages are upright after deskew: the 180° direction classifier is skipped.
    return rapid_ocr(intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False, print_verbose=False)


def recognise(grey: np.ndarray, left: float = 0.0, top: float = 0.0) -> list[TextBox]:
    """Every text box the engine finds on a grey image, top to bottom.

    ``left`` and ``top`` are added to every position (the image is a crop of a page).
    """
    import cv2

    colour = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    result, _ = _engine()(colour, use_cls=False, return_word_box=True)
    boxes = []
    for points, text, score, *words in result or []:
        xs = [float(p[0]) + left for p in points]
        ys = [float(p[1]) + top for p in points]
        if text.strip():
            box = TextBox(min(xs), min(ys), max(xs), max(ys), text.strip(), round(100 * float(score), 1))
            boxes.append(_with_pieces(box, words, left))
    boxes.sort(key=lambda b: (b.top, b.x0))
    return boxes


def _with_pieces(box: TextBox, words: list[Any], left: float) -> TextBox:
    """Attach the engine's character boxes when they spell the box's text."""
    if len(words) < 2 or len(words[0]) != len(words[1]) or "".join(words[1]).strip() != box.text:
        return box
    pieces = tuple(
        (str(word), min(float(p[0]) for p in quad) + left, max(float(p[0]) for p in quad) + left)
        for quad, word in zip(words[0], words[1], strict=True)
    )
    return TextBox(box.x0, box.top, box.x1, box.bottom, box.text, box.confidence, pieces)
