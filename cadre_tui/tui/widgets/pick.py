"""A dialog to find one household (the plan's "add"): the same search as the households screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from cadre_tui.store.search import HouseholdHit, search_households
from cadre_tui.tui.screens.base import CadreModal
from cadre_tui.tui.widgets.dialogs import DIALOG_CSS
from cadre_tui.tui.widgets.results import ResultColumn, ResultsTable, SearchBox, household_rows

# A dialog shows fewer rows than the households screen.
PICK_LIMIT = 20
# The columns' widths in cells: the address takes what the dialog leaves.
NUMBER_WIDTH, NAMES_WIDTH, ADDRESS_MIN_WIDTH = 8, 14, 10


class HouseholdPicker(CadreModal):
    """Type, move with up/down, enter picks; escape picks nothing. Returns a household id.

    The search box and the results are the households screen's (widgets/results.py): a key typed
    repaints the list in place, with no layout of the dialog.
    """

    DEFAULT_CSS = (
        DIALOG_CSS
        + """
    HouseholdPicker { align: center middle; }
    HouseholdPicker .dialog { width: 72; }
    HouseholdPicker ResultsTable { height: 12; }
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
            yield SearchBox(placeholder=self.t("hh.placeholder"), id="pick-search")
            yield ResultsTable(
                [
                    ResultColumn(self.t("col.household_no"), NUMBER_WIDTH),
                    ResultColumn(self.t("col.address"), ADDRESS_MIN_WIDTH, flex=True),
                    ResultColumn(self.t("col.name"), NAMES_WIDTH),
                ],
                id="pick-hits",
            )
            yield Static("", id="pick-more", classes="muted")

    @property
    def results(self) -> ResultsTable:
        """The results."""
        return self.query_one("#pick-hits", ResultsTable)

    def on_mount(self) -> None:
        """The search box focused."""
        self.query_one("#pick-search", Input).focus()

    @on(Input.Changed, "#pick-search")
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
        if message.query != self.query_one("#pick-search", Input).value:
            return
        more = len(message.hits) >= PICK_LIMIT
        self.query_one("#pick-more", Static).update(self.t("list.first", limit=PICK_LIMIT) if more else "")
        self.results.show(household_rows(message.hits, self.t("hh.inactive")))

    def action_cursor(self, step: int) -> None:
        """Up/down from the search box move through the results."""
        self.results.step(step)

    @on(Input.Submitted, "#pick-search")
    @on(ResultsTable.Selected, "#pick-hits")
    def _pick(self) -> None:
        key = self.results.highlighted_key
        if key:
            self.dismiss(key)

    def action_cancel(self) -> None:
        """Pick nothing."""
        self.dismiss(None)
