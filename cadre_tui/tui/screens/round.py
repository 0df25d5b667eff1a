"""A day's round in one pass (`r` on the Plan screen): the day's households as one list, in the order of
the printed walk list; a key 1–5 gives a household its outcome and moves to the next; n, e and f add a
note, needs (the dialog is in round_forms.py) or a follow-up date; ctrl+s stores them all as visits of
that day by the team's cadres. The Plan screen's `w` (the walk list written to a file) is in
walklist_export.py.

Eight households take ten keys: `r`, eight outcomes, ctrl+s. Households already visited that day say so;
an outcome given to one of them records a second visit (the SPEC allows two visits on one day).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from cadre_tui.core.dates import parse_date
from cadre_tui.core.domain import NEEDS, OUTCOMES, label
from cadre_tui.core.weeks import week_of, weekday_name
from cadre_tui.errors import InvalidInput
from cadre_tui.io.walklist import RoundEntry, WalkDay, WalkHousehold
from cadre_tui.messages import problem_text
from cadre_tui.tui.format import fit
from cadre_tui.tui.screens.base import CadreScreen
from cadre_tui.tui.screens.round_forms import NeedsDialog

# plan.py imports the walk list's export from here (lazily, in its `w` action): kept working.
from cadre_tui.tui.widgets.dialogs import ConfirmDialog
from cadre_tui.tui.widgets.tables import highlighted_key

if TYPE_CHECKING:
    from cadre_tui.tui.screens.plan import PlanScreen

ADDRESS_WIDTH = 18  # at 80 columns; a wider terminal gives the address the difference, up to 34
EXTRA_WIDTH = 20
OUTCOME_STYLES = {"met": "green", "absent": "yellow", "refused": "red", "moved": "magenta", "other": "cyan"}


@dataclass
class RoundRow:
    """One household of the round and what has been entered for it (not yet stored)."""

    household: WalkHousehold
    done: list[str]  # outcomes already recorded that day
    outcome: str | None = None
    notes: str = ""
    needs: tuple[str, ...] = ()
    follow_up: date | None = None


class RoundScreen(CadreScreen):
    """Enter a day's round from the paper walk list, then store it with one ctrl+s."""

    CSS_PATH = "round.tcss"
    HELP_KEY = "help.round"
    NAME_KEY = "screen.round"
    IS_FORM = True
    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(n), f"outcome({n - 1})", "key.outcome", id=f"round.outcome_{n}", show=n == 1,
                    key_display="1-5")
            for n in range(1, len(OUTCOMES) + 1)
        ],
        Binding("0,backspace", "clear", "key.round_clear", id="round.clear", key_display="0"),
        Binding("n", "note", "key.round_note", id="round.note"),
        Binding("e", "needs", "key.round_needs", id="round.needs"),
        Binding("f", "follow_up", "key.round_follow_up", id="round.follow_up"),
        Binding("ctrl+s", "save", "key.round_save", id="round.save", priority=True),
        Binding("escape", "leave", "key.cancel", id="round.leave"),
    ]  # fmt: skip

    class Loaded(Message):
        """The day's households, and what was already recorded that day."""

        def __init__(self, walk: WalkDay | None, done: dict[str, list[str]], today: date) -> None:
            super().__init__()
            self.walk = walk
            self.done = done
            self.today = today

    class Saved(Message):
        """The round was stored: this many visits."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class Failed(Message):
        """Nothing was stored: why."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, team: str, day: date) -> None:
        super().__init__()
        self.team = team
        self.day = day
        self.walk: WalkDay | None = None
        self.rows: list[RoundRow] = []
        self.editing: str | None = None  # "note" or "follow_up" while the input box is open
        self.address_width = ADDRESS_WIDTH
        self.saving = False

    def compose(self) -> ComposeResult:
        """Title, legend, the households, the box for a note or a date."""
        yield Header()
        yield Static("", id="round-title", classes="section-title")
        yield Static(self._legend(), id="round-legend", classes="muted")
        yield Static("", id="round-warning", classes="warning")
        yield DataTable(id="round", cursor_type="row", zebra_stripes=True)
        yield Label("", id="round-input-label")
        yield Input("", id="round-input", compact=True)
        yield Static("", id="round-status", classes="muted")
        yield Footer()

    def _legend(self) -> str:
        codes = "  ".join(
            f"{n} {label(OUTCOMES, o.code, self.cadre.lang)}" for n, o in enumerate(OUTCOMES, 1)
        )
        return f"{codes}\n{self.t('round.keys')}"

    def on_mount(self) -> None:
        """Columns, then the day's households."""
        t = self.t
        table = self.query_one("#round", DataTable)
        # Fixed widths for the columns that change as keys are pressed: fits 80 columns.
        table.add_column("#", key="n")
        table.add_column(t("col.household_no"), key="no")
        self.address_width = max(ADDRESS_WIDTH, min(34, ADDRESS_WIDTH + self.app.size.width - 80))
        table.add_column(t("col.address"), key="address", width=self.address_width)
        table.add_column(t("round.col.outcome"), key="outcome", width=10)
        table.add_column(t("round.col.extra"), key="extra", width=EXTRA_WIDTH)
        table.add_column(t("round.col.done"), key="done", width=12)
        self.query_one("#round-input", Input).display = False
        self.query_one("#round-input-label", Label).display = False
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="round")
    def load(self) -> None:
        """The day's planned households (as the walk list orders them) and the day's visits so far."""
        from cadre_tui.io.walklist import visits_on, walk_days

        # today() takes the store itself, and its lock is not re-entrant: ask before taking it.
        today = self.cadre.today()
        with self.cadre.using_store() as store:
            days = walk_days(
                store, week_of(self.day), team=self.team, day=self.day, lang=self.cadre.lang, today=today,
                save=True,
            )  # fmt: skip
            walk = days[0] if days else None
            done = visits_on(store, [h.household_id for h in walk.households], self.day) if walk else {}
        self.post_message(self.Loaded(walk, done, today))

    def on_round_screen_loaded(self, message: Loaded) -> None:
        """Fill the list; the cursor on the first household not yet visited that day."""
        self.walk = message.walk
        day_text = f"{self.day.isoformat()} {weekday_name(self.day, self.cadre.lang)}"
        walk = message.walk
        cadres = ("、" if self.cadre.lang == "zh" else ", ").join(walk.cadres) if walk else ""
        self.query_one("#round-title", Static).update(
            self.t("round.title", team=f"{self.team} {walk.team_name if walk else ''}".strip(), day=day_text,
                   cadres=cadres)
        )  # fmt: skip
        if self.day > message.today:
            self.query_one("#round-warning", Static).update(self.t("round.future"))
        self.rows = [
            RoundRow(h, message.done.get(h.household_id, [])) for h in (walk.households if walk else ())
        ]
        table = self.query_one("#round", DataTable)
        table.clear()
        for n, row in enumerate(self.rows):
            table.add_row(*self._cells(n, row), key=str(n))
        if not self.rows:
            self.query_one("#round-status", Static).update(self.t("round.empty"))
            return
        first = next((n for n, r in enumerate(self.rows) if not r.done), 0)
        table.move_cursor(row=first)
        table.focus()
        self._status()

    def _cells(self, n: int, row: RoundRow) -> list[Any]:
        lang = self.cadre.lang
        outcome: Any = ""
        if row.outcome:
            number = [o.code for o in OUTCOMES].index(row.outcome) + 1
            short = self.t(f"round.short.{row.outcome}")
            outcome = Text(f"{number} {short}", style=OUTCOME_STYLES[row.outcome])
        extra = []
        if row.notes:
            extra.append(row.notes.replace("\n", " "))
        if row.needs:
            extra.append(
                self.t("round.needs_short", needs="、".join(label(NEEDS, c, lang) for c in row.needs))
            )
        if row.follow_up:
            extra.append(self.t("round.follow_up_short", date=row.follow_up.strftime("%m-%d")))
        done = Text(
            self.t("round.done", outcomes="、".join(self.t(f"round.short.{o}") for o in row.done))
            if row.done
            else "",
            style="dim",
        )
        address = fit(row.household.address, self.address_width)
        return [
            str(n + 1),
            row.household.household_no,
            address,
            outcome,
            fit(" · ".join(extra), EXTRA_WIDTH),
            done,
        ]

    def _refresh_row(self, n: int) -> None:
        table = self.query_one("#round", DataTable)
        cells = self._cells(n, self.rows[n])
        for key, value in zip(("outcome", "extra", "done"), cells[3:], strict=True):
            table.update_cell(str(n), key, value)
        self._status()

    def _status(self) -> None:
        entered = sum(1 for r in self.rows if r.outcome)
        done = sum(1 for r in self.rows if r.done)
        self.query_one("#round-status", Static).update(
            self.t("round.status", entered=entered, total=len(self.rows), done=done)
        )

    def _current(self) -> int | None:
        table = self.query_one("#round", DataTable)
        if not self.rows or table.row_count == 0:
            return None
        return table.cursor_row

    # -- keys ------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the note or date box is open, its keys are for typing (escape and ctrl+s still work)."""
        return self.editing is None or action in ("leave", "save")

    def action_outcome(self, index: int) -> None:
        """Give the household under the cursor its outcome and move to the next."""
        n = self._current()
        if n is None:
            return
        self.rows[n].outcome = OUTCOMES[index].code
        self._refresh_row(n)
        if n + 1 < len(self.rows):
            self.query_one("#round", DataTable).move_cursor(row=n + 1)

    def action_clear(self) -> None:
        """Take back what was entered for the household under the cursor."""
        n = self._current()
        if n is None:
            return
        row = self.rows[n]
        self.rows[n] = RoundRow(row.household, row.done)
        self._refresh_row(n)

    def action_note(self) -> None:
        """Type a note for the household under the cursor (Chinese input works); enter keeps it."""
        self._open_input("note")

    def action_follow_up(self) -> None:
        """A follow-up date for the household under the cursor (YYYY-MM-DD, YYYY/M/D or YYYYMMDD)."""
        self._open_input("follow_up")

    def _open_input(self, what: str) -> None:
        n = self._current()
        if n is None:
            return
        row = self.rows[n]
        box = self.query_one("#round-input", Input)
        caption = self.query_one("#round-input-label", Label)
        if what == "note":
            box.value = row.notes
            box.placeholder = ""
        else:
            box.value = row.follow_up.isoformat() if row.follow_up else ""
            box.placeholder = "YYYY-MM-DD"
        caption.update(self.t(f"round.{what}_for", no=row.household.household_no))
        caption.display = True
        box.display = True
        self.editing = what
        box.focus()

    def _close_input(self) -> None:
        self.editing = None
        self.query_one("#round-input", Input).display = False
        self.query_one("#round-input-label", Label).display = False
        self.query_one("#round", DataTable).focus()

    @on(Input.Submitted, "#round-input")
    def _input_done(self, event: Input.Submitted) -> None:
        n = self._current()
        if n is None or self.editing is None:
            self._close_input()
            return
        text = event.value.strip()
        if self.editing == "note":
            self.rows[n].notes = text
        else:
            if text:
                try:
                    when = parse_date(text)
                except ValueError as exc:
                    self.notify(problem_text(exc, self.base_app.lang), severity="error")
                    return
                if when < self.day:
                    self.notify(self.t("round.follow_up_early", date=self.day.isoformat()), severity="error")
                    return
                self.rows[n].follow_up = when
            else:
                self.rows[n].follow_up = None
        self._close_input()
        self._refresh_row(n)

    def action_needs(self) -> None:
        """Tick the needs raised at the household under the cursor."""
        n = self._current()
        if n is None:
            return
        row = self.rows[n]

        def chosen(needs: tuple[str, ...] | None) -> None:
            if needs is not None:
                self.rows[n] = replace(row, needs=needs)
                self._refresh_row(n)

        self.app.push_screen(
            NeedsDialog(self.t("round.needs_for", no=row.household.household_no), row.needs), chosen
        )

    def action_leave(self) -> None:
        """Close the note box; else leave the round, asking first when something was entered."""
        if self.editing is not None:
            self._close_input()
            return
        if not any(r.outcome or r.notes or r.needs or r.follow_up for r in self.rows):
            self.dismiss(False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(False)

        self.app.push_screen(ConfirmDialog(self.t("round.discard")), answered)

    def action_save(self) -> None:
        """Store every household given an outcome, in one transaction."""
        if self.saving:
            return
        if self.editing is not None:
            self.notify(self.t("round.finish_input"), severity="warning")
            return
        pending = [r for r in self.rows if r.outcome]
        missing = [r for r in self.rows if (r.notes or r.needs or r.follow_up) and not r.outcome]
        if missing:
            self.notify(self.t("round.need_outcome", no=missing[0].household.household_no), severity="error")
            return
        if not pending:
            self.notify(self.t("round.nothing"), severity="warning")
            return
        entries = [
            RoundEntry(r.household.household_id, r.outcome or "", r.notes, r.needs, r.follow_up)
            for r in pending
        ]
        self.saving = True
        self.query_one("#round-status", Static).update(self.t("saving"))
        self.save(entries)

    @work(thread=True, exit_on_error=False, group="round-save")
    def save(self, entries: list[RoundEntry]) -> None:
        """All the round's visits through the records writer, all or none."""
        from cadre_tui.io.walklist import record_round

        today = self.cadre.today()  # outside the store's lock (today() takes it)
        try:
            with self.cadre.using_store() as store:
                ids = record_round(store, self.team, self.day, entries, today=today)
        except InvalidInput as exc:
            self.post_message(self.Failed(self.cadre.error_text(exc)))
            return
        self.post_message(self.Saved(len(ids)))

    def on_round_screen_failed(self, message: Failed) -> None:
        """Nothing stored: say why, keep what was entered."""
        self.saving = False
        self._status()
        self.notify(self.t("round.failed", error=message.error), severity="error", timeout=8)

    def on_round_screen_saved(self, message: Saved) -> None:
        """Stored: back to the plan."""
        self.saving = False
        self.notify(self.t("round.saved", count=message.count, day=self.day.isoformat()))
        self.dismiss(True)


# -- from the Plan screen --------------------------------------------------------------------------------


def open_round(plan: PlanScreen) -> None:
    """Open the round of the day under the Plan screen's cursor (any row of that day)."""
    key = highlighted_key(plan.table)
    if not key or plan.team_code is None:
        plan.notify(plan.t("plan.choose_day"), severity="warning")
        return
    day = date.fromisoformat(key[:10])  # every row's key starts with its day

    def closed(saved: bool | None) -> None:
        if saved:
            plan.load(keep=key)

    plan.app.push_screen(RoundScreen(plan.team_code, day), closed)
