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
from cadre_tui.store import views
from cadre_tui.tui.format import fit
from cadre_tui.tui.screens.base import CadreScreen
from cadre_tui.tui.widgets.dialogs import ChoiceDialog
from cadre_tui.tui.widgets.pick import HouseholdPicker

REASON_STYLES = {"overdue": "bold red", "due": "yellow", "revisit": "magenta", "follow_up": "cyan"}


@dataclass(frozen=True)
class PlanRow:
    """One household row of the plan table."""

    day: date
    household_id: str
    household_no: str
    entry_id: str | None


@dataclass
class PlanView:
    """The team's plan for the week, with what the rows need to show."""

    week: IsoWeek
    team_code: str | None
    teams: list[dict[str, Any]]
    plan: dict[str, Any] | None
    saved: bool
    households: dict[str, dict[str, Any]]


class PlanScreen(CadreScreen):
    """Plan the week's rounds and keep the plan as the week goes."""

    CSS_PATH = "plan.tcss"
    HELP_KEY = "help.plan"
    NAME_KEY = "screen.plan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "generate", "key.generate", id="plan.generate"),
        Binding("left_square_bracket", "move(-1)", "key.prev_day", id="plan.prev_day", key_display="["),
        Binding("right_square_bracket", "move(1)", "key.next_day", id="plan.next_day", key_display="]"),
        Binding("a", "add", "key.add", id="plan.add"),
        Binding("x,delete", "remove", "key.remove", id="plan.remove"),
        Binding("b", "week(-1)", "key.prev_week", id="plan.prev_week"),
        Binding("n", "week(1)", "key.next_week", id="plan.next_week"),
        Binding("t", "team", "key.team", id="plan.team"),
        Binding("r", "round", "key.round", id="plan.round"),
        Binding("w", "walklist", "key.walklist", id="plan.walklist"),
    ]

    class Loaded(Message):
        """The plan was read or recomputed."""

        def __init__(self, view: PlanView, keep: str | None) -> None:
            super().__init__()
            self.view = view
            self.keep = keep

    def __init__(self) -> None:
        super().__init__()
        self.week: IsoWeek | None = None
        self.team_code: str | None = None
        self.view: PlanView | None = None
        self.rows: dict[str, PlanRow] = {}

    def compose(self) -> ComposeResult:
        """Title, status and warning, the week table, what did not fit."""
        yield Header()
        yield Static("", id="plan-title", classes="section-title")
        yield Static("", id="plan-status", classes="muted")
        yield Static("", id="plan-warning", classes="warning")
        yield DataTable(id="plan", cursor_type="row")
        yield Static("", id="not-planned")
        yield Footer()

    def on_mount(self) -> None:
        """Columns; this week."""
        t = self.t
        self.query_one("#plan", DataTable).add_columns(
            t("col.date"), t("col.household_no"), t("col.address"), t("col.reason")
        )
        self.week = week_of(self.cadre.today())

    def on_screen_resume(self) -> None:
        """Fresh plan whenever the screen comes back."""
        if not self.still_loading("plan"):
            self.load(keep=self._highlighted_key())

    # -- loading -------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan")
    def load(self, keep: str | None = None, change: tuple[str, Any] | None = None) -> None:
        """Apply one change to the plan (when given), then read it again; all off the UI thread."""
        from cadre_tui.store import plans as rules

        week = self.week or week_of(self.cadre.today())
        today = self.cadre.today()
        with self.cadre.using_store() as store:
            teams = views.teams(store)
            team_code = self.team_code
            if team_code is None or team_code not in {t["code"] for t in teams}:
                mine = views.my_team(store)
                team_code = mine["code"] if mine else (teams[0]["code"] if teams else None)
            if team_code is not None and change is not None:
                self._apply(store, rules, week, team_code, today, change)
            plan = None
            saved = False
            nos: list[str] = []
            if team_code is not None:
                plan = rules.weekly_plan(store, week, team_code, today=today)["plans"][0]
                saved = rules.has_saved_plan(store, team_code, week)
                nos = [h["household_no"] for d in plan["days"] for h in d["households"]]
                nos += [h["household_no"] for h in plan["not_planned"]]
            households = views.households_brief(store, nos)
        self.post_message(self.Loaded(PlanView(week, team_code, teams, plan, saved, households), keep))

    def _apply(
        self, store: Any, rules: Any, week: IsoWeek, team: str, today: date, change: tuple[str, Any]
    ) -> None:
        """One edit of the plan. Moves and removals need a saved plan: save the proposal first."""
        what, arg = change
        if what == "generate":
            if rules.has_saved_plan(store, team, week):
                rules.regenerate_plan(store, week, team, today=today)
            else:
                rules.save_plan(store, week, team, today=today)
            return
        if what == "add":
            day, household_id = arg
            rules.add_plan_entry(store, team, week, day, household_id)
            return
        row, day = arg
        entry_id = row.entry_id
        if entry_id is None:
            rules.save_plan(store, week, team, today=today)
            saved = rules.weekly_plan(store, week, team, today=today)["plans"][0]
            entry_id = next(
                h.get("entry_id")
                for d in saved["days"]
                for h in d["households"]
                if h["household_no"] == row.household_no
            )
        if what == "move":
            rules.move_plan_entry(store, entry_id, day)
        elif what == "remove":
            rules.remove_plan_entry(store, entry_id)

    def on_plan_screen_loaded(self, message: Loaded) -> None:
        """Show the week, one row per planned household, day by day."""
        view = self.view = message.view
        self.team_code = view.team_code
        t = self.t
        lang = self.cadre.lang
        table = self.query_one("#plan", DataTable)
        table.clear()
        self.rows = {}
        week = view.week
        team = next((x for x in view.teams if x["code"] == view.team_code), None)
        self.query_one("#plan-title", Static).update(
            t(
                "plan.title",
                team=f"{view.team_code or '-'} {team['name'] if team else ''}".strip(),
                week=str(week),
                monday=week.monday.isoformat(),
                sunday=week.sunday.isoformat(),
            )
        )
        plan = view.plan
        if plan is None:
            self.query_one("#plan-status", Static).update(t("plan.no_team"))
            self.query_one("#plan-warning", Static).update("")
            self.query_one("#not-planned", Static).update("")
            return
        status = t("plan.saved") if view.saved else t("plan.proposed")
        self.query_one("#plan-status", Static).update(
            f"{status} · {t('plan.required', required=plan['required_field_days'])}"
        )
        warning = plan.get("warning")
        self.query_one("#plan-warning", Static).update(t("plan.warning", warning=warning) if warning else "")
        by_day = {d["date"]: d["households"] for d in plan["days"]}
        matters_by_day: dict[str, list[dict[str, Any]]] = {}
        for item in plan["matters"]:
            matters_by_day.setdefault(item["date"], []).append(item)
        working = set(plan["working_days"])
        weekdays = t("plan.weekday")
        for offset in range(7):
            day = week.monday + timedelta(days=offset)
            iso = day.isoformat()
            day_label = f"{day.strftime('%m-%d')} {weekdays[offset]}"
            first = True

            for n, item in enumerate(matters_by_day.get(iso, [])):
                shown = Text(fit(t("plan.matter", title=item["title"]), 30), style="bold magenta")
                kind = label(MATTER_KINDS, item["kind"], lang)
                table.add_row(
                    Text(day_label if first else "", style="bold"), "", shown, kind, key=f"{iso}#matter{n}"
                )
                first = False
            if iso in by_day:
                for entry in by_day[iso]:
                    brief = view.households.get(entry["household_no"], {})
                    row = PlanRow(day, brief.get("id", ""), entry["household_no"], entry.get("entry_id"))
                    key = f"{iso}/{entry['household_no']}"
                    self.rows[key] = row
                    reason = entry["reason"]
                    table.add_row(
                        Text(day_label if first else "", style="bold"),
                        entry["household_no"],
                        fit(brief.get("address", ""), 30),
                        Text(self._reason(reason), style=REASON_STYLES.get(reason, "")),
                        key=key,
                    )
                    first = False
                if not by_day[iso]:
                    empty = Text(t("plan.empty_day"), style="dim")
                    table.add_row(
                        Text(day_label if first else "", style="bold"), "", empty, "", key=f"{iso}#day"
                    )
                    first = False
            elif first:
                off = t("plan.rest") if iso not in working else "—"
                table.add_row(Text(day_label, style="dim"), "", Text(off, style="dim"), "", key=f"{iso}#day")
        not_planned = plan["not_planned"]
        self.query_one("#not-planned", Static).update(
            t(
                "plan.not_planned",
                items=", ".join(f"{h['household_no']}({self._reason(h['reason'])})" for h in not_planned),
            )
            if not_planned
            else ""
        )
        if message.keep and message.keep.startswith("household:"):
            # a household just added: wherever it landed
            household_id = message.keep.split(":", 1)[1]
            keys = [row.key.value or "" for row in table.ordered_rows]
            for n, key in enumerate(keys):
                planned = self.rows.get(key)
                if planned and planned.household_id == household_id:
                    table.move_cursor(row=n)
                    break
        elif message.keep and message.keep in self.rows:
            kept = [row.key.value for row in table.ordered_rows]
            table.move_cursor(row=kept.index(message.keep))
        elif message.keep and "/" in message.keep:
            # the household moved to another day: find it there
            household_no = message.keep.split("/", 1)[1]
            keys = [row.key.value or "" for row in table.ordered_rows]
            for n, key in enumerate(keys):
                if key.endswith("/" + household_no):
                    table.move_cursor(row=n)
                    break

    def _reason(self, reason: str) -> str:
        """Why a household is planned, in the app's language (a household added by hand too)."""
        if any(r.code == reason for r in PLAN_REASONS):
            return label(PLAN_REASONS, reason, self.cadre.lang)
        key = f"plan.reason.{reason}"
        shown = self.t(key)
        return reason if shown == key else shown

    # -- selection -----------------------------------------------------------------------------------

    def _highlighted_key(self) -> str | None:
        table = self.query_one("#plan", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_row(self) -> PlanRow | None:
        """The planned household under the cursor (None on a day or matter row)."""
        key = self._highlighted_key()
        return self.rows.get(key) if key else None

    def selected_household_id(self) -> str | None:
        """For `v` and enter: the highlighted household."""
        row = self.selected_row()
        return row.household_id if row else None

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
        self.load(keep=self._highlighted_key(), change=("generate", None))
        self.notify(self.t("plan.generated"))

    def action_move(self, step: int) -> None:
        """Move the highlighted household a day earlier or later in the week."""
        row = self.selected_row()
        if row is None or self.week is None:
            self.notify(self.t("plan.choose_entry"), severity="warning")
            return
        day = row.day + timedelta(days=step)
        if not self.week.contains(day) or day < self._first_day():
            self.notify(self.t("plan.no_day"), severity="warning")
            return
        self.load(keep=f"{day.isoformat()}/{row.household_no}", change=("move", (row, day)))

    def action_remove(self) -> None:
        """Take the highlighted household off the plan."""
        row = self.selected_row()
        if row is None:
            self.notify(self.t("plan.choose_entry"), severity="warning")
            return
        self.load(change=("remove", (row, row.day)))

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
                self.load(keep=f"household:{household_id}", change=("add", (day, household_id)))

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
        options = [(t["code"], f"{t['code']} {t['name']}") for t in self.view.teams]

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
        from cadre_tui.tui.screens.round import export_walklist_for

        export_walklist_for(self)
