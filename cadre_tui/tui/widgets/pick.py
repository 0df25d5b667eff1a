"""A dialog to find one household (the plan's "add"): the same search as the households screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from cadre_tui.store.search import HouseholdHit, search_households
from cadre_tui.tui.format import fit
from cadre_tui.tui.screens.base import CadreModal
from cadre_tui.tui.widgets.dialogs import DIALOG_CSS
from cadre_tui.tui.widgets.tables import highlighted_key, step_cursor

# A dialog shows fewer rows than the households screen.
PICK_LIMIT = 20


class HouseholdPicker(CadreModal):
    """Type, move with up/down, enter picks; escape picks nothing. Returns a household id."""

    DEFAULT_CSS = (
        DIALOG_CSS
        + """
    HouseholdPicker { align: center middle; }
    HouseholdPicker .dialog { width: 72; }
    HouseholdPicker DataTable { height: 12; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "key.cancel", id="pick.cancel"),
        Binding("down", "cursor(1)", "", id="pick.down", show=False),
        Binding("up", "cursor(-1)", "", id="pick.up", show=False),
    ]

    @dataclass
    class ResultsReady(Message):
        """Results for `query`."""

        query: str
        hits: list[HouseholdHit]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        """Title, search box, results."""
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder=self.t("hh.placeholder"), id="pick-search")
            yield DataTable(id="pick-hits", cursor_type="row")
            yield Static("", id="pick-more", classes="muted")

    @property
    def table(self) -> DataTable[Any]:
        """The results."""
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        """Columns; the search box focused."""
        self.table.add_columns(self.t("col.household_no"), self.t("col.address"), self.t("col.name"))
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pick")
    def search(self, query: str) -> None:
        """Search off the UI thread."""
        with self.cadre.using_store() as store:
            hits = search_households(store, query, PICK_LIMIT)
        self.post_message(self.ResultsReady(query, hits))

    def on_household_picker_results_ready(self, message: ResultsReady) -> None:
        """Show fresh results only."""
        if message.query != self.query_one(Input).value:
            return
        more = len(message.hits) >= PICK_LIMIT
        self.query_one("#pick-more", Static).update(self.t("list.first", limit=PICK_LIMIT) if more else "")
        table = self.table
        table.clear()
        for hit in message.hits:
            table.add_row(
                hit.household_no,
                fit(hit.address, 28),
                fit(" ".join(hit.matched_names), 14),
                key=hit.household_id,
            )

    def action_cursor(self, step: int) -> None:
        """Up/down from the search box move through the results."""
        step_cursor(self.table, step)

    @on(Input.Submitted)
    @on(DataTable.RowSelected)
    def _pick(self) -> None:
        key = highlighted_key(self.table)
        if key:
            self.dismiss(key)

    def action_cancel(self) -> None:
        """Pick nothing."""
        self.dismiss(None)
