"""Errors the pipeline raises on purpose.

The CLI turns each into a one-line message naming the file; anything else
reaching the user is a bug.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a problem with an input or a rule file, explained in one line."""


class UnreadableInput(PipelineError):
    """The file cannot be read as any supported notice format."""


class UnsupportedFormat(UnreadableInput):
    """The file's content is not a format the pipeline reads."""


class NoResponsibilityTable(PipelineError):
    """The document was read but holds no responsibility table."""


class NoTextLayer(UnreadableInput):
    """A PDF whose pages hold no text: a scan, for the OCR reader."""


class InputTooLarge(UnreadableInput):
    """The file exceeds a configured limit (size, pages, inflated size, time)."""


class OutputError(PipelineError):
    """The output folder cannot be written."""


class RuleError(PipelineError):
    """A file under rules/ is malformed."""


class DatasetError(PipelineError):
    """An output folder cannot be read as a dataset (missing, empty, unreadable Parquet)."""


class SelectionError(DatasetError):
    """A NOTICE argument matches no document, or several."""
