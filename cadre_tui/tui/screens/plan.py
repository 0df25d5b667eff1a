"""The week's plan (`p`): households per field day with their reason; generate, move, add, remove, visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from cadre_tui.core.domain import MATTER_KINDS, PLAN_REASONS, label
from cadre_tui.core.weeks import IsoWeek, week_of
from cadre_tui.store.week_views import (
    PlanChange,
    PlanItem,
    PlanMatter,
    PlanView,
    add_planned,
    generate_plan,
    move_planned,
    plan_view,
    remove_planned,
)
from cadre_tui.tui.format import fit
from cadre_tui.tui.screens.base import CadreScreen
from cadre_tui.tui.widgets.dialogs import ChoiceDialog
from cadre_tui.tui.widgets.pick import HouseholdPicker
from cadre_tui.tui.widgets.tables import highlighted_key, move_to

REASON_STYLES = {"overdue": "bold red", "due": "yellow", "revisit": "magenta", "follow_up": "cyan"}


class PlanScreen(CadreScreen):
    """Plan the week's rounds and keep the plan as the week goes."""

    CSS_PATH = "plan.tcss"
    HELP_KEY = "help.plan"
    NAME_KEY = "screen.plan"
    BINDINGS: ClassVar[list[BindingType]] = [
        # short footer labels (foot.…), the full text (key.…) in help and the palette;
        # b/n (weeks) and t (another team) in help and the palette only: the rest fits 80 columns
        Binding("g", "generate", "foot.generate", id="plan.generate", tooltip="key.generate"),
        Binding("left_square_bracket", "move(-1)", "foot.prev_day", id="plan.prev_day", key_display="[",
                tooltip="key.prev_day"),
        Binding("right_square_bracket", "move(1)", "foot.next_day", id="plan.next_day", key_display="]",
                tooltip="key.next_day"),
        Binding("a", "add", "key.add", id="plan.add"),
        Binding("x,delete", "remove", "key.remove", id="plan.remove"),
        Binding("b", "week(-1)", "key.prev_week", id="plan.prev_week", show=False),
        Binding("n", "week(1)", "key.next_week", id="plan.next_week", show=False),
        Binding("t", "team", "key.team", id="plan.team", show=False),
        Binding("r", "round", "foot.round", id="plan.round", tooltip="key.round"),
        Binding("w", "walklist", "foot.walklist", id="plan.walklist", tooltip="key.walklist"),
    ]  # fmt: skip

    @dataclass
    class Loaded(Message):
        """The plan was read or recomputed; `keep` names the row the cursor goes back to."""

        view: PlanView
        keep: str | None

    def __init__(self) -> None:
        super().__init__()
        self.week: IsoWeek | None = None
        self.team_code: str | None = None
        self.view: PlanView | None = None
        # row key (`YYYY-MM-DD/household_no`) -> the household on that row, with its day
        self.rows: dict[str, tuple[date, PlanItem]] = {}

    def compose(self) -> ComposeResult:
        """Title, status and warning, the week table, what did not fit."""
        yield Header()
        yield Static("", id="plan-title", classes="section-title")
        yield Static("", id="plan-status", classes="muted")
        yield Static("", id="plan-warning", classes="warning")
        yield DataTable(id="plan", cursor_type="row")
        yield Static("", id="not-planned")
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        """The week, one row per planned household."""
        return self.query_one("#plan", DataTable)

    def line(self, name: str) -> Static:
        """One of the lines around the table: plan-title, plan-status, plan-warning, not-planned."""
        return self.query_one(f"#{name}", Static)

    def on_mount(self) -> None:
        """Columns; this week."""
        t = self.t
        self.table.add_columns(t("col.date"), t("col.household_no"), t("col.address"), t("col.reason"))
        self.week = week_of(self.cadre.today())

    def on_screen_resume(self) -> None:
        """Fresh plan whenever the screen comes back."""
        if not self.still_loading("plan"):
            self.load(keep=self._highlighted_key())

    # -- loading -------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan")
    def load(self, keep: str | None = None, change: PlanChange | None = None) -> None:
        """Apply one change to the plan (when given), then read it again; all off the UI thread."""
        week = self.week or week_of(self.cadre.today())
        today = self.cadre.today()
        with self.cadre.using_store() as store:
            view = plan_view(store, week, self.team_code, today, change)
        self.post_message(self.Loaded(view, keep))

    def on_plan_screen_loaded(self, message: Loaded) -> None:
        """Show the week, one row per planned household, day by day."""
        view = self.view = message.view
        self.team_code = view.team.code if view.team else None
        t = self.t
        lang = self.cadre.lang
        table = self.table
        table.clear()
        self.rows = {}
        week = view.week
        team = view.team
        self.line("plan-title").update(
            t(
                "plan.title",
                team=f"{team.code} {team.name}" if team else "-",
                week=str(week),
                monday=week.monday.isoformat(),
                sunday=week.sunday.isoformat(),
            )
        )
        plan = view.plan
        if plan is None:
            self.line("plan-status").update(t("plan.no_team"))
            self.line("plan-warning").update("")
            self.line("not-planned").update("")
            return
        status = t("plan.saved") if view.saved else t("plan.proposed")
        self.line("plan-status").update(f"{status} · {t('plan.required', required=plan.required_field_days)}")
        warning = plan.warning
        self.line("plan-warning").update(t("plan.warning", warning=warning) if warning else "")
        by_day = {d.day: d.items for d in plan.days}
        matters_by_day: dict[date, list[PlanMatter]] = {}
        for item in plan.matters:
            matters_by_day.setdefault(item.day, []).append(item)
        weekdays = t("plan.weekday")
        for offset in range(7):
            day = week.monday + timedelta(days=offset)
            iso = day.isoformat()
            day_label = f"{day.strftime('%m-%d')} {weekdays[offset]}"
            first = True

            for n, matter in enumerate(matters_by_day.get(day, [])):
                shown = Text(fit(t("plan.matter", title=matter.title), 30), style="bold magenta")
                kind = label(MATTER_KINDS, matter.kind, lang)
                table.add_row(
                    Text(day_label if first else "", style="bold"), "", shown, kind, key=f"{iso}#matter{n}"
                )
                first = False
            if day in by_day:
                for entry in by_day[day]:
                    key = f"{iso}/{entry.household_no}"
                    self.rows[key] = (day, entry)
                    table.add_row(
                        Text(day_label if first else "", style="bold"),
                        entry.household_no,
                        fit(entry.address, 30),
                        Text(self._reason(entry.reason), style=REASON_STYLES.get(entry.reason, "")),
                        key=key,
                    )
                    first = False
                if not by_day[day]:
                    empty = Text(t("plan.empty_day"), style="dim")
                    table.add_row(
                        Text(day_label if first else "", style="bold"), "", empty, "", key=f"{iso}#day"
                    )
                    first = False
            elif first:
                off = t("plan.rest") if day not in plan.working_days else "—"
                table.add_row(Text(day_label, style="dim"), "", Text(off, style="dim"), "", key=f"{iso}#day")
        not_planned = plan.not_planned
        self.line("not-planned").update(
            t(
                "plan.not_planned",
                items=", ".join(f"{h.household_no}({self._reason(h.reason)})" for h in not_planned),
            )
            if not_planned
            else ""
        )
        keep = message.keep
        if keep and keep.startswith("household:"):
            # a household just added: wherever it landed
            added = keep.split(":", 1)[1]
            move_to(table, lambda key: key in self.rows and self.rows[key][1].household_id == added)
        elif keep and keep in self.rows:
            move_to(table, keep)
        elif keep and "/" in keep:
            # the household moved to another day: find it there
            move_to(table, lambda key: key.endswith("/" + keep.split("/", 1)[1]))

    def _reason(self, reason: str) -> str:
        """Why a household is planned, in the app's language (a household added by hand too)."""
        if any(r.code == reason for r in PLAN_REASONS):
            return label(PLAN_REASONS, reason, self.cadre.lang)
        key = f"plan.reason.{reason}"
        shown = self.t(key)
        return reason if shown == key else shown

    # -- selection -----------------------------------------------------------------------------------

    def _highlighted_key(self) -> str | None:
        return highlighted_key(self.table)

    def selected_row(self) -> tuple[date, PlanItem] | None:
        """The planned household under the cursor and its day (None on a day or matter row)."""
        key = self._highlighted_key()
        return self.rows.get(key) if key else None

    def selected_household_id(self) -> str | None:
        """For `v` and enter: the highlighted household."""
        row = self.selected_row()
        return row[1].household_id if row else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter records a visit for the highlighted household."""
        household_id = self.selected_household_id()
        if household_id:
            self.cadre.open_visit_form(household_id)

    # -- actions ----------------------------------------------------------------------------------------

    def _first_day(self) -> date:
        """The earliest day a household may be put on: the reference day of SPEC §4."""
        assert self.week is not None
        today = self.cadre.today()
        return today if self.week.contains(today) else self.week.monday

    def action_generate(self) -> None:
        """Compute and save the plan (keeping the cadres' own changes when it was saved before)."""
        self.load(keep=self._highlighted_key(), change=generate_plan)
        self.notify(self.t("plan.generated"))

    def action_move(self, step: int) -> None:
        """Move the highlighted household a day earlier or later in the week."""
        row = self.selected_row()
        if row is None or self.week is None:
            self.notify(self.t("plan.choose_entry"), severity="warning")
            return
        planned_day, item = row
        day = planned_day + timedelta(days=step)
        if not self.week.contains(day) or day < self._first_day():
            self.notify(self.t("plan.no_day"), severity="warning")
            return
        self.load(keep=f"{day.isoformat()}/{item.household_no}", change=move_planned(item, day))

    def action_remove(self) -> None:
        """Take the highlighted household off the plan."""
        row = self.selected_row()
        if row is None:
            self.notify(self.t("plan.choose_entry"), severity="warning")
            return
        self.load(change=remove_planned(row[1]))

    def action_add(self) -> None:
        """Find a household and put it on the highlighted day (or the first day that can be chosen)."""
        if self.week is None or self.team_code is None:
            return
        # every row's key starts with its day (YYYY-MM-DD)
        key = self._highlighted_key()
        day = date.fromisoformat(key[:10]) if key else self._first_day()
        day = max(day, self._first_day())

        def picked(household_id: str | None) -> None:
            if household_id:
                self.load(keep=f"household:{household_id}", change=add_planned(household_id, day))

        self.app.push_screen(HouseholdPicker(self.t("plan.add_title", day=day.isoformat())), picked)

    def action_week(self, step: int) -> None:
        """The previous or next week."""
        if self.week is None:
            return
        self.week = self.week.next() if step > 0 else self.week.previous()
        self.load()

    def action_team(self) -> None:
        """Switch to another team's plan."""
        if self.view is None or not self.view.teams:
            return
        options = [(t.code, f"{t.code} {t.name}") for t in self.view.teams]

        def chosen(code: str | None) -> None:
            if code:
                self.team_code = code
                self.load()

        self.app.push_screen(ChoiceDialog(self.t("key.team"), options, self.team_code), chosen)

    def action_round(self) -> None:
        """Enter the highlighted day's round in one pass (keys 1–5 per household, ctrl+s stores all)."""
        from cadre_tui.tui.screens.round import open_round

        open_round(self)

    def action_walklist(self) -> None:
        """Write the week's walk list of the team shown: a printable .xlsx in the home folder."""
        from cadre_tui.tui.screens.walklist_export import export_walklist_for

        export_walklist_for(self)
