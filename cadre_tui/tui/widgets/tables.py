"""The cursor of a DataTable by row key: which row is highlighted, and put it back on a row.

Every list of the app keys its rows by id (a household, a matter, a plan row), so a refreshed table finds
its place again by key rather than by position.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import DataTable


def highlighted_key(table: DataTable[Any]) -> str | None:
    """The key of the highlighted row; None when the table is empty."""
    if table.row_count == 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def move_to(table: DataTable[Any], wanted: str | Callable[[str], bool], fallback: int | None = None) -> bool:
    """Highlight the first row whose key is `wanted` (or satisfies it); else row `fallback`, if given.

    Returns whether a row was found by its key.
    """
    matches = wanted if callable(wanted) else wanted.__eq__
    for n, row in enumerate(table.ordered_rows):
        if matches(row.key.value or ""):
            table.move_cursor(row=n, animate=False)
            return True
    if fallback is not None and table.row_count:
        table.move_cursor(row=min(fallback, table.row_count - 1), animate=False)
    return False
