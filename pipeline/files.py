"""Writing the files a person opens (workbooks, review pages): whole or not at all."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from pipeline.dataset import Notice
from pipeline.errors import OutputError


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary name, so ``path`` is never half written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        with suppress(OSError):  # nothing to remove, or the folder itself is unusable
            tmp.unlink(missing_ok=True)


def unique_stems(notices: Sequence[Notice]) -> list[str]:
    """Each notice's file-name stem; notices sharing one get their doc_id added."""
    counts = Counter(n.name for n in notices)
    return [n.name if counts[n.name] == 1 else f"{n.name}_{n.doc_id}" for n in notices]
