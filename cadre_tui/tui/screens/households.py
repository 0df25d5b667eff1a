"""Households (`h`): search as you type, a detail pane, corrections; enter records a visit."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.worker import get_current_worker

from cadre_tui.core.domain import OUTCOMES, PRIORITY_GROUPS, RESIDENT_STATUSES, label
from cadre_tui.core.ids import mask_id_number, mask_phone
from cadre_tui.store import records
from cadre_tui.store.db import Store
from cadre_tui.store.search import HouseholdHit, search_households, search_index
from cadre_tui.store.views import (
    VISIT_HISTORY_LIMIT,
    HouseholdDetail,
    ResidentSecret,
    household_detail,
    resident_secret,
)
from cadre_tui.tui.format import fit
from cadre_tui.tui.screens.base import CadreScreen
from cadre_tui.tui.widgets.dialogs import ChoiceDialog, ConfirmDialog
from cadre_tui.tui.widgets.results import ResultColumn, ResultsTable, SearchBox, household_rows
from cadre_tui.tui.widgets.tables import highlighted_key, move_to

# One screenful of results and a little more to scroll: never a whole table in a widget.
PAGE = 50
# How long a highlighted household waits before its detail is loaded (see load_detail).
DETAIL_SETTLE_S = 0.1
# Result columns, in cells: the household number and the matched names; the address takes the rest.
NUMBER_WIDTH, NAMES_WIDTH, ADDRESS_MIN_WIDTH = 8, 12, 10


class HouseholdsScreen(CadreScreen):
    """Find a household by anything a cadre remembers about it."""

    CSS_PATH = "households.tcss"
    HELP_KEY = "help.households"
    NAME_KEY = "screen.households"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_search", "key.leave", id="households.leave", show=False),
        Binding("slash", "focus_search", "key.search", id="households.search", key_display="/"),
        Binding("down", "cursor(1)", "", id="households.down", show=False),
        Binding("up", "cursor(-1)", "", id="households.up", show=False),
        # short footer labels (foot.…), the full text (key.…) in help and the palette
        Binding("r", "reveal", "foot.reveal", id="households.reveal", tooltip="key.reveal"),
        Binding("i", "toggle_active", "foot.household_active", id="households.active",
                tooltip="key.household_active"),
        Binding("t", "resident_status", "foot.resident_status", id="households.resident_status",
                tooltip="key.resident_status"),
        Binding("e", "edit_visit", "foot.edit_visit", id="households.edit_visit", tooltip="key.edit_visit"),
        Binding("x", "delete_visit", "foot.delete_visit", id="households.delete_visit",
                tooltip="key.delete_visit"),
    ]  # fmt: skip

    @dataclass
    class ResultsReady(Message):
        """Search results for `query`."""

        query: str
        hits: list[HouseholdHit]

    @dataclass
    class DetailReady(Message):
        """The detail of the highlighted household."""

        household_id: str
        detail: HouseholdDetail | None

    def __init__(self) -> None:
        super().__init__()
        self.detail: HouseholdDetail | None = None
        self.revealed: dict[str, ResidentSecret] = {}
        self.shown_query: str | None = None
        # When the search text last changed (time.monotonic): the detail waits for typing to pause.
        self.typed_at = 0.0

    def compose(self) -> ComposeResult:
        """Search box, results on the left, the household on the right."""
        yield Header()
        yield SearchBox(placeholder=self.t("hh.placeholder"), id="search")
        yield Static(self.t("hh.empty"), id="hits-count", classes="muted")
        with Horizontal(id="panes"):
            yield ResultsTable(
                [
                    ResultColumn(self.t("col.household_no"), NUMBER_WIDTH),
                    ResultColumn(self.t("col.address"), ADDRESS_MIN_WIDTH, flex=True),
                    ResultColumn(self.t("col.matched"), NAMES_WIDTH),
                ],
                id="hits",
            )
            with VerticalScroll(id="detail", can_focus=False):
                yield Static("", id="hh-title", classes="section-title")
                yield Static("", id="hh-zone", classes="muted")
                yield Static(self.t("hh.detail.residents"), classes="section-title")
                yield DataTable(id="residents", cursor_type="row")
                yield Static(self.t("hh.detail.due"), classes="section-title")
                yield Static("", id="due")
                yield Static(self.t("hh.detail.visits"), id="visits-title", classes="section-title")
                yield DataTable(id="visits", cursor_type="row")
        yield Footer()

    @property
    def search_box(self) -> Input:
        """The search box."""
        return self.query_one("#search", Input)

    def table(self, name: str) -> DataTable[Any]:
        """One of the detail pane's tables: residents or visits."""
        return self.query_one(f"#{name}", DataTable)

    @property
    def hits(self) -> ResultsTable:
        """The search results."""
        return self.query_one("#hits", ResultsTable)

    def static(self, name: str) -> Static:
        """One of the screen's lines of text: hits-count, hh-title, hh-zone, due, visits-title."""
        return self.query_one(f"#{name}", Static)

    def on_mount(self) -> None:
        """Columns, and the search box focused."""
        t = self.t
        # name, status, groups and phone fit the narrow pane of an 80-column terminal; the ID number
        # and the relation follow (the table scrolls sideways to them)
        self.table("residents").add_columns(
            *(t(f"col.{name}") for name in ("name", "status", "groups", "phone", "id_number", "relation"))
        )
        # the visits' columns as wide as their cells are fitted: measured at a later idle, a header
        # drawn before that kept its labels' widths above the measured rows (seen in the snapshot)
        for column, width in (("date", 10), ("outcome", 12), ("cadres", 11), ("notes", 20)):
            text = t(f"col.{column}")
            self.table("visits").add_column(text, width=max(width, cell_len(text)))
        self.search_box.focus()

    # -- search --------------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.typed_at = time.monotonic()
        self.search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def search(self, query: str) -> None:
        """Run the search in SQLite off the UI thread."""
        with self.cadre.using_store() as store:
            hits = search_households(store, query, PAGE)
        self.post_message(self.ResultsReady(query, hits))

    @work(thread=True, exit_on_error=False, group="prepare")
    def prepare_search(self) -> None:
        """Read the search's copy of the households ahead of the first key (~0.1 s on 11,000 of them),
        and again when the database has changed (a visit recorded): the key would wait for it."""
        with self.cadre.using_store() as store:
            search_index(store)

    def on_households_screen_results_ready(self, message: ResultsReady) -> None:
        """Show the results, unless the cadre typed on meanwhile (a stale answer)."""
        if message.query != self.search_box.value:
            return
        # the same search again (after a correction): stay on the household being worked on
        keep = self.selected_household_id() if message.query == self.shown_query else None
        self.shown_query = message.query
        # the rows replaced in place: one repaint of the list, no layout (see widgets/results.py)
        self.hits.show(household_rows(message.hits, self.t("hh.inactive")), keep)
        count = len(message.hits)
        if not message.query.strip():
            shown = self.t("hh.empty")
        elif count == 0:
            shown = self.t("hh.no_match")
        elif count >= PAGE:
            shown = self.t("hh.more", count=count)
        else:
            shown = self.t("hh.count", count=count)
        # a line of fixed size: no layout
        self.static("hits-count").update(shown, layout=False)
        if count == 0 and self.detail is not None:
            self._show_detail(None)

    @on(ResultsTable.Highlighted, "#hits")
    def _household_highlighted(self, event: ResultsTable.Highlighted) -> None:
        if event.key:
            self.load_detail(event.key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def load_detail(self, household_id: str) -> None:
        """Load the household's residents, due status and visits, once the highlight has settled.

        Every key typed in the search box highlights a new first result: the detail of each one was
        loaded and drawn (two tables cleared and refilled, the pane laid out again) while the next key
        waited (the keystroke figure of issue 12). A highlight that another replaces within
        DETAIL_SETTLE_S is not loaded at all (`exclusive` cancels this worker), and while keys are
        typed less than DETAIL_SETTLE_S apart the detail waits for the typing to pause: a first result
        that stays first as a name is typed out was otherwise drawn between two keys.
        """
        time.sleep(DETAIL_SETTLE_S)
        worker = get_current_worker()
        while not worker.is_cancelled and (left := self.typed_at + DETAIL_SETTLE_S - time.monotonic()) > 0:
            time.sleep(left)
        if worker.is_cancelled:
            return
        today = self.cadre.today()
        with self.cadre.using_store() as store:
            detail = household_detail(store, household_id, today)
        self.post_message(self.DetailReady(household_id, detail))

    def on_households_screen_detail_ready(self, message: DetailReady) -> None:
        """Show the household, unless another one was highlighted meanwhile."""
        if message.household_id != self.selected_household_id():
            return
        if self.detail is None or self.detail.household.id != message.household_id:
            self.revealed = {}
        self._show_detail(message.detail)

    def _show_detail(self, detail: HouseholdDetail | None) -> None:
        same = (
            detail is not None and self.detail is not None and self.detail.household.id == detail.household.id
        )
        # the same household shown again (after a reveal or a correction): the cursors stay where they were
        keep = {name: self._cursor_of(name) for name in ("residents", "visits")} if same else {}
        self.detail = detail
        lang = self.cadre.lang
        residents = self.table("residents")
        visits = self.table("visits")
        residents.clear()
        visits.clear()
        if detail is None:
            for name in ("hh-title", "hh-zone", "due"):
                self.static(name).update("")
            return
        household = detail.household
        title = f"{household.household_no}  {household.address}"
        if not household.active:
            title += " " + self.t("hh.inactive")
        self.static("hh-title").update(title)
        self.static("hh-zone").update(
            self.t("hh.detail.zone", zone=household.zone_code or "-", team=household.team_code or "-")
        )
        for resident in detail.residents:
            secret = self.revealed.get(resident.id)
            id_number = secret.id_number if secret else mask_id_number(resident.id_number)
            phone = secret.phone if secret else mask_phone(resident.phone)
            status = resident.status
            residents.add_row(
                fit(resident.name, 8),
                Text(label(RESIDENT_STATUSES, status, lang), style="" if status == "present" else "dim"),
                fit("".join(label(PRIORITY_GROUPS, g, lang) for g in resident.groups), 8),
                phone or "",
                id_number or "",
                fit(resident.relation or "", 6),
                key=resident.id,
            )
        due = Text()
        for due_item in detail.due:
            style = {"overdue": "bold red", "due": "yellow"}.get(due_item.status, "green")
            due.append(f"{due_item.name} {due_item.due_date} ")
            due.append(self.t(f"due.{due_item.status}"), style=style)
            due.append("\n")
        self.static("due").update(due if detail.due else self.t("hh.detail.none"))
        visits_title = self.t("hh.detail.visits")
        if len(detail.visits) >= VISIT_HISTORY_LIMIT:
            visits_title += self.t("list.latest", limit=VISIT_HISTORY_LIMIT)
        self.static("visits-title").update(visits_title)
        for item in detail.visits:
            outcome = label(OUTCOMES, item.outcome, lang)
            visits.add_row(
                item.visit_date,
                Text(fit(outcome, 12), style="green" if item.outcome == "met" else ""),
                ",".join(item.cadres),
                fit(item.notes.replace("\n", " "), 20),
                key=item.id,
            )
        for name, (row_key, row) in keep.items():
            # back on the same row, or the nearest one when that row is gone
            move_to(self.table(name), row_key or "", fallback=row)

    def _cursor_of(self, name: str) -> tuple[str | None, int]:
        """The highlighted row's key and index in a detail table."""
        return self._highlighted(name), self.table(name).cursor_row

    # -- moving around ---------------------------------------------------------------------------

    def selected_household_id(self) -> str | None:
        """The highlighted result."""
        return self.hits.highlighted_key

    def action_cursor(self, step: int) -> None:
        """Up/down from the search box move through the results."""
        self.hits.step(step)

    def action_leave_search(self) -> None:
        """Escape from the search box goes to the results, so the screen's keys work."""
        if self.focused is self.search_box:
            self.hits.focus()
        else:
            self.set_focus(None)

    def action_focus_search(self) -> None:
        """`/` goes back to the search box."""
        self.search_box.focus()

    @on(Input.Submitted, "#search")
    def _enter_in_search(self) -> None:
        self._record_visit()

    @on(ResultsTable.Selected, "#hits")
    def _enter_on_result(self) -> None:
        self._record_visit()

    @on(DataTable.RowSelected, "#visits")
    def _enter_on_visit(self) -> None:
        self.action_edit_visit()

    def _record_visit(self) -> None:
        household_id = self.selected_household_id()
        if household_id:
            self.cadre.open_visit_form(household_id, on_saved=self._after_form)

    def _after_form(self, saved: bool | None) -> None:
        household_id = self.selected_household_id()
        if saved and household_id:
            self.load_detail(household_id)
        # the search's copy is read again by on_screen_resume, which follows the form's closing

    def on_screen_resume(self) -> None:
        """Fresh detail when coming back (a visit may have been recorded from another screen)."""
        self.prepare_search()
        household_id = self.selected_household_id()
        if household_id:
            self.load_detail(household_id)

    # -- reveal and corrections -------------------------------------------------------------------

    def _highlighted(self, name: str) -> str | None:
        """The key of the highlighted row of one of the tables (None when it is empty)."""
        return highlighted_key(self.table(name))

    def action_reveal(self) -> None:
        """Show the full ID number and phone of the highlighted resident; written to the audit log."""
        resident_id = self._highlighted("residents")
        if resident_id is None:
            self.notify(self.t("hh.choose_resident"), severity="warning")
            return
        self.reveal(resident_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reveal")
    def reveal(self, resident_id: str) -> None:
        """Read the full values and write who revealed them."""
        with self.cadre.using_store() as store:
            secret = resident_secret(store, resident_id)
            if secret is None:
                return
            store.audit("reveal", resident_id, "id_number,phone")
        self.cadre.call_from_thread(self._revealed, secret)

    def _revealed(self, secret: ResidentSecret) -> None:
        self.revealed[secret.id] = secret
        self.notify(self.t("hh.revealed", name=secret.name))
        self._show_detail(self.detail)
        self.prepare_search()  # the audit line is a write: the next key would wait for the copy

    def action_toggle_active(self) -> None:
        """Set the household inactive, or active again, after asking."""
        if self.detail is None:
            self.notify(self.t("app.choose_household"), severity="warning")
            return
        household = self.detail.household
        key = "hh.set_inactive" if household.active else "hh.set_active"
        question = self.t(key, no=household.household_no)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda store: records.set_household_active(store, household.id, not household.active)
                )

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_resident_status(self) -> None:
        """Mark the highlighted resident present, moved out or deceased (history is kept)."""
        resident_id = self._highlighted("residents")
        if resident_id is None or self.detail is None:
            self.notify(self.t("hh.choose_resident"), severity="warning")
            return
        resident = next(r for r in self.detail.residents if r.id == resident_id)
        options = [(s.code, label(RESIDENT_STATUSES, s.code, self.cadre.lang)) for s in RESIDENT_STATUSES]

        def chosen(status: str | None) -> None:
            if status and status != resident.status:
                self.write(lambda store: records.set_resident_status(store, resident_id, status))

        self.app.push_screen(
            ChoiceDialog(self.t("hh.resident_status", name=resident.name), options, resident.status), chosen
        )

    def action_edit_visit(self) -> None:
        """Open the highlighted visit in the form."""
        visit_id = self._highlighted("visits")
        household_id = self.selected_household_id()
        if visit_id is None or household_id is None:
            self.notify(self.t("hh.choose_visit"), severity="warning")
            return
        self.cadre.open_visit_form(household_id, visit_id, on_saved=self._after_form)

    def action_delete_visit(self) -> None:
        """Delete the highlighted visit (a tombstone), after asking."""
        visit_id = self._highlighted("visits")
        if visit_id is None or self.detail is None:
            self.notify(self.t("hh.choose_visit"), severity="warning")
            return
        visit = next(v for v in self.detail.visits if v.id == visit_id)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: records.delete_visit(store, visit_id))

        self.app.push_screen(ConfirmDialog(self.t("hh.delete_visit", date=visit.visit_date)), answered)

    @work(thread=True, exit_on_error=False, group="write")
    def write(self, correction: Callable[[Store], object]) -> None:
        """One correction (a records function given the store), then the detail again."""
        with self.cadre.using_store() as store:
            correction(store)
        self.cadre.call_from_thread(self._written)

    def _written(self) -> None:
        household_id = self.selected_household_id()
        if household_id:
            self.load_detail(household_id)
        self.search(self.search_box.value)
