"""Text for the screen: fitting Chinese text to a width in terminal cells, marks, local times, bars.

Widths are terminal cells (`rich.cells.cell_len`): a Chinese character takes two, so `len()` would cut
names and addresses in the wrong place.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

ELLIPSIS = "…"
BARS = " ▁▂▃▄▅▆▇█"


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal cells, with `…` when something was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out = ""
    used = 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - cell_len(ELLIPSIS):
            break
        out += ch
        used += w
    return out + ELLIPSIS


def pad(text: str, width: int) -> str:
    """`text` fitted and padded with spaces to exactly `width` cells."""
    fitted = fit(text, width)
    return fitted + " " * (width - cell_len(fitted))


def mark(ok: bool, shown: str, ok_mark: str = "✓", bad_mark: str = "✗") -> Text:
    """A value with its ✓ (green) or ✗ (red, bold) mark."""
    return Text.assemble(shown + " ", (ok_mark, "bold green") if ok else (bad_mark, "bold red"))


def local_time(stamp: str | None, tz: tzinfo) -> str:
    """A stored UTC time as `YYYY-MM-DD HH:MM` in the community's time zone ('' when unset)."""
    if not stamp:
        return ""
    from cadre_tui.store.db import parse_stamp  # not at import: the first screen is drawn without the store

    return parse_stamp(stamp).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def percent(ratio: float) -> str:
    """0.733 -> `73.3%`."""
    return f"{ratio * 100:.1f}%"


def bars(values: list[int], top: int = 7) -> str:
    """A sparkline: one block character per value, scaled so that `top` is a full block."""
    out = []
    for value in values:
        level = 0 if top <= 0 else round(min(value, top) / top * (len(BARS) - 1))
        # a week with no field day shows a dot, so the weeks stay countable
        out.append(BARS[max(level, 1)] if value > 0 else "·")
    return "".join(out)


def fixed_columns(table: DataTable[object], columns: list[tuple[str, int]]) -> None:
    """Add columns of a fixed width in cells (at least the label's own width).

    Labels go in as `Text`: a `str` is read as Rich markup, whose first use loads Rich's emoji table
    (3-8 ms, before the app's first screen: issue 12, launch), and a label is plain text anyway."""
    for label, width in columns:
        table.add_column(Text(label), width=max(width, cell_len(label)))


def sized_columns(
    table: DataTable[Any], columns: list[tuple[str, int]], rows: list[tuple[Any, ...]], keys: list[str]
) -> None:
    """Refill `table` with columns as wide as their label, their minimum and their longest value.

    Widths are measured in terminal cells (a Chinese character takes two), so no value is ever cut.
    """
    widths = [max(width, cell_len(label)) for label, width in columns]
    for row in rows:
        for n, cell in enumerate(row):
            widths[n] = max(widths[n], cell_len(cell.plain if isinstance(cell, Text) else str(cell)))
    table.clear(columns=True)
    for (label, _), width in zip(columns, widths, strict=True):
        table.add_column(Text(label), width=width)
    for row, key in zip(rows, keys, strict=True):
        table.add_row(*row, key=key)
