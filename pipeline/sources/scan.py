"""Scanned notices: image-only PDFs and page images (PNG, JPEG, TIFF), read by OCR.

Each page is turned into a grey image (PDF pages rendered by pypdfium2 at
:data:`DPI`; every frame of an image file as it is), then read on its own by
:func:`pipeline.sources.scan_page.read_page` — deskew, ruling lines, cells, OCR
— optionally in a pool of ``jobs`` processes, since OCR is the whole cost.
The pages' tables and lines are then joined across pages by
:mod:`pipeline.sources.pages`, as the PDF reader's are, with tolerances in
pixels (:func:`tolerances`).

The document carries the OCR's quality in ``Document.warnings``: the mean
confidence over all characters first, then one line per cell or text line
read below the threshold of ``rules/ocr.yaml``.
"""

from __future__ import annotations

import io
import multiprocessing
import signal
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING

from pipeline.errors import InputTooLarge, PipelineError, UnreadableInput
from pipeline.model import Document, Warning
from pipeline.rules import OcrRules, Rules
from pipeline.sources.pages import NO_BREAKS, Breaks, Tolerances, join_pages
from pipeline.sources.scan_ocr import NO_ENGINE, available
from pipeline.textnorm import squeeze

if TYPE_CHECKING:  # the page reader needs OpenCV, which comes with the OCR engine: imported once it is known
    import numpy as np

    from pipeline.sources.scan_page import PageRead

DPI = 200  # PDF pages are rendered at this resolution
MAX_PAGES = 2000
MAX_PIXELS = 60_000_000  # one page image; 2000 × 3000 at 300 dpi is 6 million
# A gap between two lines over this share of the line's box height is a blank line: a new paragraph.
# Measured on the scans: lines of one paragraph 0.5 box heights apart, paragraphs 1.1-1.3 apart.
PARAGRAPH_GAP = 0.9
COLUMN_SHARE = 0.01  # of the page width: column lines this close are the same column
SAME_HEADER = 0.8  # two OCR readings of a header row this similar are the same header


def read(data: bytes, rules: Rules, jobs: int = 1) -> Document:
    """OCR every page of ``data`` (an image-only PDF or an image file) into a Document."""
    kind = "PDF" if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024] else "image"
    if not available():  # checked before anything that needs the engine's packages is imported
        raise UnreadableInput(NO_ENGINE.replace("scanned PDF", f"scanned {kind}"))
    pages = _pdf_pages(data) if kind == "PDF" else _image_pages(data)
    reads = read_pages(pages, rules.ocr, jobs, (rules.text.no_break_before, rules.text.no_break_after))
    blocks = join_pages([page.items for page in reads], tolerances(rules))
    if not blocks:
        raise UnreadableInput(f"scanned {kind}: no text found by OCR")
    return Document(blocks=tuple(blocks), source_format="scan", warnings=quality(reads))


def tolerances(rules: Rules) -> Tolerances:
    """How pages of OCR boxes are joined: page numbers as the OCR reads them, tolerances in pixels."""
    ocr = rules.ocr

    def is_page_number(text: str) -> bool:
        return any(pattern.fullmatch(squeeze(text)) for pattern in ocr.page_number)

    return Tolerances(ocr.closing, is_page_number, PARAGRAPH_GAP, COLUMN_SHARE, SAME_HEADER,
                      paragraph_ends=ocr.closing + rules.text.lead_ins)


def read_pages(pages: Iterator[np.ndarray], ocr: OcrRules, jobs: int = 1, breaks: Breaks = NO_BREAKS) -> list[PageRead]:
    """Read every page, in order; ``jobs`` > 1 reads that many pages at once in worker processes.

    At most ``2 * jobs`` rendered pages wait for a worker. When reading stops
    early (an unreadable page, the time limit, Ctrl-C), the workers are
    terminated at once rather than left to finish the pages they hold.
    """
    from pipeline.sources.scan_page import read_page

    if jobs <= 1:
        return [read_page(number, grey, ocr, breaks) for number, grey in enumerate(pages)]
    reads: list[PageRead] = []
    pool = multiprocessing.Pool(jobs, initializer=_ignore_interrupts)
    try:
        pending: deque[AsyncResult[PageRead]] = deque()
        for number, grey in enumerate(pages):
            pending.append(pool.apply_async(read_page, (number, grey, ocr, breaks)))
            if len(pending) >= 2 * jobs:  # keep few rendered pages in memory
                reads.append(pending.popleft().get())
        reads.extend(result.get() for result in pending)
    finally:
        with _signals_held():  # the time limit's timer must not cut the clean-up short
            pool.terminate()
            pool.join()
    return reads


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGALRM and SIGINT until the block ends (then they are delivered)."""
    held = {signal.SIGALRM, signal.SIGINT}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _ignore_interrupts() -> None:
    """In a page worker: Ctrl-C is the parent's to handle (it terminates the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def quality(reads: list[PageRead]) -> tuple[Warning, ...]:
    """The mean OCR confidence (over characters), then every low-confidence cell and line."""
    chars = sum(n for page in reads for _, n in page.confidences)
    if not chars:
        return ()
    mean = sum(c * n for page in reads for c, n in page.confidences) / chars
    summary = Warning("reader", "document", f"OCR mean confidence {mean:.1f} over {chars} characters on {len(reads)} pages")
    lines = (warning.partition(": ") for page in reads for warning in page.warnings)
    return (summary, *(Warning("reader", where, what) for where, _, what in lines))


def _pdf_pages(data: bytes) -> Iterator[np.ndarray]:
    import numpy as np
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableInput(f"corrupt PDF ({exc})") from None
    try:
        if len(pdf) > MAX_PAGES:
            raise InputTooLarge(f"PDF has {len(pdf)} pages (limit {MAX_PAGES})")
        for index in range(len(pdf)):
            page = pdf[index]
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            yield np.asarray(bitmap.to_pil().convert("L"))
            page.close()
    finally:
        pdf.close()


def _image_pages(data: bytes) -> Iterator[np.ndarray]:
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise InputTooLarge(f"image is {image.width} × {image.height} pixels (limit {MAX_PIXELS})")
        frames = [np.asarray(frame.convert("L")) for frame in ImageSequence.Iterator(image)]
    except PipelineError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnreadableInput(f"broken image ({type(exc).__name__}: {exc})") from None
    if len(frames) > MAX_PAGES:
        raise InputTooLarge(f"image has {len(frames)} pages (limit {MAX_PAGES})")
    yield from frames
