"""Must-attend matters (`m`): the log, latest first, late ones in red; the forms are in matter_forms.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from cadre_tui.core.domain import MATTER_KINDS, label
from cadre_tui.store.matter_views import MATTERS_LOG_LIMIT, Matter, matters_log
from cadre_tui.tui.format import fit, local_time
from cadre_tui.tui.screens.base import CadreScreen
from cadre_tui.tui.screens.matter_forms import AttendForm, MatterForm
from cadre_tui.tui.widgets.dialogs import ConfirmDialog
from cadre_tui.tui.widgets.tables import highlighted_key, move_to


class MattersScreen(CadreScreen):
    """The log of must-attend matters, latest first."""

    CSS_PATH = "matters.tcss"
    HELP_KEY = "help.matters"
    NAME_KEY = "screen.matters"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "key.new_matter", id="matters.new"),
        Binding("a", "attend", "key.attend", id="matters.attend"),
        Binding("e", "edit", "key.edit", id="matters.edit"),
        Binding("x,delete", "delete", "key.delete", id="matters.delete"),
        Binding("r", "refresh", "key.refresh", id="matters.refresh", show=False),
    ]

    @dataclass
    class Loaded(Message):
        """The log was read."""

        matters: list[Matter]

    def __init__(self) -> None:
        super().__init__()
        self.matters: dict[str, Matter] = {}

    def compose(self) -> ComposeResult:
        """Title and the log."""
        yield Header()
        yield Static(self.t("mat.title"), id="matters-title", classes="section-title")
        yield DataTable(id="matters", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        """The log."""
        return self.query_one("#matters", DataTable)

    def on_mount(self) -> None:
        """Columns."""
        t = self.t
        self.table.add_columns(
            t("col.occurred"),
            t("col.kind"),
            t("col.title"),
            t("col.where"),
            # the state before when and by whom: it stays in view on an 80-column terminal
            t("col.status"),
            t("col.attended"),
            t("col.attended_by"),
        )
        self.table.focus()

    def on_screen_resume(self) -> None:
        """Fresh log whenever the screen comes back."""
        if not self.still_loading("matters"):
            self.load()

    def action_refresh(self) -> None:
        """Read the log again."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="matters")
    def load(self) -> None:
        """Read the log off the UI thread."""
        now = self.cadre.now()
        with self.cadre.using_store() as store:
            matters = matters_log(store, now, limit=MATTERS_LOG_LIMIT)
        self.post_message(self.Loaded(matters))

    def on_matters_screen_loaded(self, message: Loaded) -> None:
        """Fill the table; late and overdue ones in red; say so when the log stops at its limit."""
        t = self.t
        lang = self.cadre.lang
        tz = self.cadre.store.tz()
        title = t("mat.title")
        if len(message.matters) >= MATTERS_LOG_LIMIT:
            title += t("list.latest", limit=MATTERS_LOG_LIMIT)
        self.query_one("#matters-title", Static).update(title)
        table = self.table
        keep = self._highlighted()
        table.clear()
        self.matters = {m.id: m for m in message.matters}
        for item in message.matters:
            table.add_row(
                local_time(item.occurred_at, tz),
                fit(label(MATTER_KINDS, item.kind, lang), 10),
                fit(item.title, 20),
                item.where or t("mat.community"),
                self._state(item),
                local_time(item.attended_at, tz)[5:],
                codes_in_short(item.attended_codes),
                key=item.id,
            )
        if keep:
            move_to(table, keep)

    def _state(self, item: Matter) -> Text:
        """On time ✓, late ✗ (red), open, or open past its target (red)."""
        if item.attended_at:
            if item.late:
                return Text(self.t("mat.late") + " ✗", style="bold red")
            return Text(self.t("mat.on_time") + " ✓", style="green")
        if item.overdue:
            return Text(self.t("mat.overdue") + " ✗", style="bold red reverse")
        return Text(self.t("mat.open"), style="yellow")

    def _highlighted(self) -> str | None:
        return highlighted_key(self.table)

    def _chosen(self) -> Matter | None:
        """The highlighted matter; None (and a hint) when there is none."""
        key = self._highlighted()
        matter = self.matters.get(key) if key else None
        if matter is None:
            self.notify(self.t("mat.choose"), severity="warning")
        return matter

    def selected_household_id(self) -> str | None:
        """A household's matter: `v` records a visit to that household."""
        key = self._highlighted()
        matter = self.matters.get(key) if key else None
        return matter.household_id if matter else None

    def _reload(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_new(self) -> None:
        """Log a new matter."""
        self.app.push_screen(MatterForm(None), self._reload)

    def action_edit(self) -> None:
        """Correct the highlighted matter."""
        if matter := self._chosen():
            self.app.push_screen(MatterForm(matter.id), self._reload)

    def action_attend(self) -> None:
        """Mark the highlighted matter attended: when, and which cadres."""
        if matter := self._chosen():
            self.app.push_screen(AttendForm(matter), self._reload)

    def action_delete(self) -> None:
        """Delete the highlighted matter (a tombstone), after asking."""
        matter = self._chosen()
        if matter is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(matter.id)

        self.app.push_screen(ConfirmDialog(self.t("mat.delete", title=matter.title)), answered)

    @work(thread=True, exit_on_error=False, group="matters-write")
    def delete(self, matter_id: str) -> None:
        """Tombstone the matter, then read the log again."""
        from cadre_tui.store.records import delete_matter

        with self.cadre.using_store() as store:
            delete_matter(store, matter_id)
        self.cadre.call_from_thread(self.load)


def codes_in_short(codes: tuple[str, ...], shown: int = 2) -> str:
    """The first cadres' codes and how many more (`C01,C02…+6`): a community matter may have many."""
    if len(codes) <= shown + 1:
        return ",".join(codes)
    return ",".join(codes[:shown]) + f"…+{len(codes) - shown}"
