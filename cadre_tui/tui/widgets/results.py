"""The households search box, and its results as a list in fixed columns drawn a line at a time.

A DataTable refilled on every key typed in the search box cost most of the keystroke's time (issue 12):
each refill dropped its render caches, measured its columns again, changed its size and so laid the
whole screen out two or three times, and drew every visible cell through Rich. Here the rows are
replaced in place: the column widths follow the widget's width only, never its content, the widget's
size is set by the screen's CSS, and a new list of rows costs one repaint of this widget's visible
lines, each one a few segments. Up/down/page keys, the mouse and a scroll mark on the right edge work
as in a table; the cursor row is highlighted and announced (`Highlighted`), enter or a click on it
chooses it (`Selected`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from cadre_tui.store.search import HouseholdHit
from cadre_tui.tui.format import fit, pad

# Cells of blank on each side of a column's text, as in a DataTable.
CELL_PADDING = 1


@dataclass(frozen=True)
class ResultColumn:
    """A column: its label and width in cells; a `flex` column takes the width the others leave."""

    label: str
    width: int
    flex: bool = False


@dataclass(frozen=True)
class ResultRow:
    """A row: its key, its cells, a `tail` kept after the flex column's text (never cut) and `dim`."""

    key: str
    cells: tuple[str, ...]
    tail: str = ""
    dim: bool = False


def household_rows(hits: Sequence[HouseholdHit], inactive: str) -> list[ResultRow]:
    """A household search's hits as rows: household_no, address, the residents that matched; an
    inactive household dimmed, `inactive` (its label) after its address."""
    return [
        ResultRow(
            hit.household_id,
            (hit.household_no, hit.address, " ".join(hit.matched_names)),
            tail="" if hit.active else inactive,
            dim=not hit.active,
        )
        for hit in hits
    ]


class ResultsTable(Widget, can_focus=True):
    """Rows in fixed columns with a row cursor; only the lines on the screen are drawn."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "results--header",
        "results--cursor",
        "results--even-row",
        "results--scrollbar",
        "results--scrollbar-thumb",
    }
    DEFAULT_CSS = """
    ResultsTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        &:focus {
            background-tint: $foreground 5%;
            & > .results--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .results--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .results--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .results--even-row {
            background: $surface-lighten-1 50%;
        }
        &:dark > .results--even-row {
            background: $surface-darken-1 40%;
        }
        & > .results--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .results--scrollbar {
            background: $scrollbar-background;
        }
        & > .results--scrollbar-thumb {
            background: $scrollbar;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", show=False),
        Binding("up", "step(-1)", show=False),
        Binding("down", "step(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "step(-1000000)", show=False),
        Binding("end", "step(1000000)", show=False),
    ]

    @dataclass
    class Highlighted(Message):
        """Another row is highlighted (`key` None when the list became empty)."""

        results: ResultsTable
        key: str | None

        @property
        def control(self) -> ResultsTable:
            """The list (for `@on(…, "#id")`)."""
            return self.results

    @dataclass
    class Selected(Message):
        """The highlighted row was chosen: enter, or a click on it."""

        results: ResultsTable
        key: str

        @property
        def control(self) -> ResultsTable:
            """The list (for `@on(…, "#id")`)."""
            return self.results

    def __init__(self, columns: Sequence[ResultColumn], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.rows: list[ResultRow] = []
        self.cursor_row = 0
        self.top = 0
        self._announced: str | None = None
        self._styles: dict[str, Style] | None = None

    # -- the rows ---------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows there are."""
        return len(self.rows)

    @property
    def highlighted_key(self) -> str | None:
        """The key of the highlighted row; None when the list is empty."""
        return self.rows[self.cursor_row].key if self.rows else None

    def get_row_at(self, index: int) -> list[str]:
        """A row's cells as shown (the tail after the flex column's text)."""
        row = self.rows[index]
        return [
            cell + row.tail if column.flex else cell
            for cell, column in zip(row.cells, self.columns, strict=True)
        ]

    def show(self, rows: Sequence[ResultRow], keep: str | None = None) -> None:
        """Replace the rows; the cursor on the row keyed `keep` if there is one, else on the first."""
        self.rows = list(rows)
        found = next((n for n, row in enumerate(self.rows) if row.key == keep), None) if keep else None
        self.cursor_row = found or 0
        self.top = 0
        self._scroll_to_cursor()
        self.refresh()
        self._announce()

    def step(self, step: int) -> None:
        """Move the cursor `step` rows down (up when negative), staying inside the list."""
        if self.rows:
            self._move(max(0, min(len(self.rows) - 1, self.cursor_row + step)))

    def _move(self, row: int) -> None:
        if row != self.cursor_row:
            old_top = self.top
            old_line = self.cursor_row - self.top + 1
            self.cursor_row = row
            self._scroll_to_cursor()
            if self.top == old_top:
                # only the two rows whose look changed
                self.refresh_line(old_line)
                self.refresh_line(self.cursor_row - self.top + 1)
            else:
                self.refresh()
        self._announce()

    def _announce(self) -> None:
        key = self.highlighted_key
        if key != self._announced:
            self._announced = key
            self.post_message(self.Highlighted(self, key))

    # -- scrolling ----------------------------------------------------------------------------------

    @property
    def visible_rows(self) -> int:
        """Rows that fit under the header."""
        return max(1, self.size.height - 1)

    def _scroll_to_cursor(self) -> None:
        visible = self.visible_rows
        if self.cursor_row < self.top:
            self.top = self.cursor_row
        elif self.cursor_row >= self.top + visible:
            self.top = self.cursor_row - visible + 1
        self.top = max(0, min(self.top, max(0, len(self.rows) - visible)))

    def _scroll(self, lines: int) -> None:
        top = max(0, min(self.top + lines, max(0, len(self.rows) - self.visible_rows)))
        if top != self.top:
            self.top = top
            self.refresh()

    def refresh_line(self, y: int) -> None:
        """Repaint one line of the widget."""
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, event: events.Resize) -> None:
        """Keep the cursor on the screen when the list gets shorter."""
        self._scroll_to_cursor()
        self.refresh()

    # -- keys and the mouse ---------------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        """Up/down/home/end."""
        self.step(step)

    def action_page(self, pages: int) -> None:
        """Page up/down."""
        self.step(pages * self.visible_rows)

    def action_select(self) -> None:
        """Enter: choose the highlighted row."""
        key = self.highlighted_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a click on the highlighted row chooses it."""
        row = self.top + event.y - 1
        if event.y < 1 or not 0 <= row < len(self.rows):
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self._move(row)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """The wheel scrolls the list, the cursor stays on its row."""
        event.stop()
        self._scroll(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The wheel scrolls the list, the cursor stays on its row."""
        event.stop()
        self._scroll(-3)

    # -- drawing ----------------------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        """Each column's text width for a list `width` cells wide (one cell kept for the scroll mark).

        A fixed column is as wide as its label when the flex column keeps its own width beside it
        (a long English label on a wide screen), else as wide as it was declared (80 columns).
        """
        flex = [n for n, c in enumerate(self.columns) if c.flex]
        room = width - 1 - 2 * CELL_PADDING * len(self.columns)

        def spread(widths: list[int]) -> tuple[int, list[int]]:
            """What each flex column gets beside these fixed widths, and all the widths with it."""
            share = max(0, room - sum(w for n, w in enumerate(widths) if n not in flex)) // max(1, len(flex))
            return share, [max(share, w) if n in flex else w for n, w in enumerate(widths)]

        share, widths = spread([c.width if c.flex else max(c.width, cell_len(c.label)) for c in self.columns])
        if all(share >= self.columns[n].width for n in flex):
            return widths
        return spread([c.width for c in self.columns])[1]

    def _line(self, texts: list[str], styles: list[Style], width: int, scroll: Style) -> Strip:
        """One line: the cells padded to their widths, cut at `width`, and the scroll mark's cell."""
        gap = " " * CELL_PADDING
        segments = [Segment(f"{gap}{text}{gap}", style) for text, style in zip(texts, styles, strict=True)]
        strip = Strip(segments).crop_extend(0, width - 1, styles[-1] if styles else None)
        return Strip.join([strip, Strip([Segment(" ", scroll)], 1)])

    def notify_style_update(self) -> None:
        """Styles changed (focus, theme): the cached ones are stale."""
        super().notify_style_update()
        self._styles = None

    def _style(self, name: str) -> Style:
        """A style of the list: base, header, cursor, even, dim, track or thumb (cached: `rich_style`
        walks the widget's ancestors, and was most of a line's cost)."""
        if self._styles is None:
            base = self.rich_style
            part = self.get_component_rich_style
            self._styles = {
                "base": base,
                "header": base + part("results--header"),
                "cursor": base + part("results--cursor"),
                "even": base + part("results--even-row"),
                "dim": Style(dim=True),
                "track": base + part("results--scrollbar"),
                "thumb": base + part("results--scrollbar-thumb"),
            }
        return self._styles[name]

    def render_line(self, y: int) -> Strip:
        """Line `y`: the header, a row, or blank under the last row."""
        width = self.size.width
        base = self._style("base")
        if width <= 1:
            return Strip.blank(width, base)
        widths = self._widths(width)
        if y == 0:
            header = self._style("header")
            texts = [pad(c.label, w) for c, w in zip(self.columns, widths, strict=True)]
            return self._line(texts, [header] * len(texts), width, header)
        index = self.top + y - 1
        scroll = self._scroll_style(y - 1)
        if index >= len(self.rows):
            return Strip.join([Strip.blank(width - 1, base), Strip([Segment(" ", scroll)], 1)])
        row = self.rows[index]
        if index == self.cursor_row:
            style = self._style("cursor")
        else:
            style = self._style("even") if index % 2 == 0 else base
        texts = []
        styles = []
        for cell, column, cell_width in zip(row.cells, self.columns, widths, strict=True):
            if column.flex and row.tail:
                texts.append(pad(fit(cell, max(0, cell_width - cell_len(row.tail))) + row.tail, cell_width))
            else:
                texts.append(pad(cell, cell_width))
            styles.append(style + self._style("dim") if row.dim and column.flex else style)
        return self._line(texts, styles, width, scroll)

    def _scroll_style(self, line: int) -> Style:
        """The scroll mark's cell on row line `line`: the thumb where the visible rows are."""
        visible = self.visible_rows
        total = len(self.rows)
        if total <= visible:
            return self._style("base")
        start = self.top * visible // total
        end = max(start + 1, (self.top + visible) * visible // total)
        return self._style("thumb" if start <= line < end else "track")


class SearchBox(Input):
    """An Input whose new text repaints it without laying the screen out again.

    Textual's Input sets its virtual size (the text's width) on every change of its value, and
    Widget declares `virtual_size` reactive with `layout=True`: each key typed laid the whole screen
    out again. The box's own size is set by CSS and never depends on its text (its width is read
    from `virtual_size` when it scrolls sideways), so here the same reactive only repaints.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0))
