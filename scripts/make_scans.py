"""Build scanned copies of the fixture PDFs: image-only PDFs and one page image.

Usage::

    python scripts/make_scans.py raw_docs/jiaxing_2021.pdf [more.pdf ...]

writes ``raw_docs/<name>_scan.pdf`` (every page as a grey JPEG, no text
layer) and ``raw_docs/<name>_scan_p1.png`` (the first page, 16 grey levels) next to each PDF.
Each page is rendered with pypdfium2 at :data:`DPI`, in grey, then made to
look scanned: rotated by a small angle (±0.5–1.5°, the sign and size drawn per
page), slightly blurred, a slightly uneven paper tone, Gaussian noise and a few
dust specks. JPEG quality and resolution keep the seed's 11 pages near 1.5 MB.
The random generator is seeded from the file name, and the PDF carries no
dates, so the output is byte-for-byte reproducible for one Pillow/NumPy.

Needs: PyPI ``pypdfium2``, ``Pillow``, ``numpy`` (the ``ocr`` extra).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

DPI = 150
JPEG_QUALITY = 28
BLUR_RADIUS = 0.7  # scanner optics
NOISE_SIGMA = 5.0
SPECKS_PER_PAGE = 60
FIXED_DATE = time.gmtime(1614243600)  # 2021-02-25 09:00 UTC


def page_images(pdf_bytes: bytes, seed: int) -> list[Image.Image]:
    """Every page rendered at :data:`DPI` and degraded like a scan."""
    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(pdf_bytes)
    images = []
    for page in pdf:
        bitmap = page.render(scale=DPI / 72, grayscale=True)
        images.append(_degrade(bitmap.to_pil().convert("L"), rng))
    pdf.close()
    return images


def _degrade(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    angle = float(rng.uniform(0.5, 1.5) * rng.choice([-1.0, 1.0]))
    rotated = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    blurred = rotated.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    pixels = np.asarray(blurred, dtype=np.float32)
    height, width = pixels.shape
    tone = 235 + 10 * np.linspace(0, 1, width)[None, :]  # paper a little darker on one side
    pixels = pixels / 255.0 * tone
    pixels += rng.normal(0.0, NOISE_SIGMA, size=pixels.shape)
    ys = rng.integers(0, height - 3, SPECKS_PER_PAGE)
    xs = rng.integers(0, width - 3, SPECKS_PER_PAGE)
    for y, x in zip(ys, xs, strict=True):
        pixels[y : y + 2, x : x + 2] = rng.uniform(40, 120)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def image_pdf(images: list[Image.Image]) -> bytes:
    """An image-only PDF, one grey JPEG per page at :data:`DPI`."""
    out = io.BytesIO()
    images[0].save(
        out, format="PDF", save_all=True, append_images=images[1:], resolution=DPI, quality=JPEG_QUALITY,
        creationDate=FIXED_DATE, modDate=FIXED_DATE,
    )
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    """A 16-level grey PNG (4 bits a pixel), as scanners save "text" pages."""
    levels = image.point(lambda v: v // 16)
    indexed = Image.frombytes("P", image.size, levels.tobytes())
    indexed.putpalette([v for i in range(16) for v in (i * 17,) * 3])
    out = io.BytesIO()
    indexed.save(out, format="PNG", optimize=True, bits=4)
    return out.getvalue()


def make(path: Path) -> list[Path]:
    seed = int.from_bytes(hashlib.sha256(path.name.encode()).digest()[:8], "big")
    images = page_images(path.read_bytes(), seed)
    pdf_path = path.with_name(f"{path.stem}_scan.pdf")
    png_path = path.with_name(f"{path.stem}_scan_p1.png")
    pdf_path.write_bytes(image_pdf(images))
    png_path.write_bytes(png(images[0]))
    return [pdf_path, png_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="+", type=Path, help="fixture PDFs with a text layer")
    args = parser.parse_args(argv)
    for path in args.pdfs:
        for written in make(path):
            print(f"{written}: {written.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
