"""Bounds on table grids, checked before a grid is allocated.

A few kilobytes of Word XML or HTML can declare a table of billions of cells:
a ``gridSpan`` or ``colspan`` of a thousand repeated in every cell, a
``tblGrid`` of 600,000 columns, or rowspans that push every later row further
right. The readers compute the size a table will have from its spans, then
:meth:`CellBudget.take` it before building a single row, so such a file is a
one-line error instead of gigabytes of memory.

Real notices are far inside the bounds: Word allows 63 columns, the widest web
table seen has 9, and the longest notice a few hundred rows.
"""

from __future__ import annotations

from pipeline.errors import InputTooLarge

MAX_COLUMNS = 5_000  # a browser caps colspan at 1,000; a few such cells side by side still fit
MAX_TABLE_CELLS = 2_000_000
MAX_DOCUMENT_CELLS = 4_000_000
# Overlapping HTML spans can cover the same slot many times: the slots all spans of a
# table cover together are bounded too (the work of laying them out).
MAX_SPANNED_SLOTS = 4 * MAX_TABLE_CELLS


class CellBudget:
    """The cells one document's tables may still allocate.

    >>> budget = CellBudget()
    >>> budget.take(300, 6)
    >>> budget.take(3, 600_000)
    Traceback (most recent call last):
    ...
    pipeline.errors.InputTooLarge: table of 3 rows × 600000 columns is too large (limit 5000 columns)
    """

    def __init__(self, cells: int = MAX_DOCUMENT_CELLS) -> None:
        self.left = cells

    def check(self, rows: int, columns: int) -> None:
        """Raise :class:`InputTooLarge` unless one table may have ``rows`` × ``columns`` cells."""
        size = f"table of {rows} rows × {columns} columns is too large"
        if columns > MAX_COLUMNS:
            raise InputTooLarge(f"{size} (limit {MAX_COLUMNS} columns)")
        if rows * columns > MAX_TABLE_CELLS:
            raise InputTooLarge(f"{size} (limit {MAX_TABLE_CELLS} cells)")

    def take(self, rows: int, columns: int) -> None:
        """Charge a ``rows`` × ``columns`` grid, or raise :class:`InputTooLarge`."""
        self.check(rows, columns)
        self.left -= rows * columns
        if self.left < 0:
            raise InputTooLarge(f"the tables hold more than {MAX_DOCUMENT_CELLS} cells in all")


def check_spanned(slots: int) -> None:
    """Raise :class:`InputTooLarge` when a table's spans cover more than :data:`MAX_SPANNED_SLOTS`."""
    if slots > MAX_SPANNED_SLOTS:
        raise InputTooLarge(f"table's row and column spans cover more than {MAX_SPANNED_SLOTS} cells")
