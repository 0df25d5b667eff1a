"""The dashboard (`d`, the first screen): this week's 23766 per team, overdue residents, open matters.

At launch it is drawn before the store is opened (tui/app.py): the scorecard's columns are there at
once, the figures come from the worker (which imports the store's modules, not this one), and the two
lists below and the footer are mounted a refresh after the rest (two tables, the footer's keys and
their styles were half of the first screen's work); the worker's answer fills the lists whether they
are mounted yet or not.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import MountError
from textual.widgets import DataTable, Header, Static

from cadre_tui.tui.format import bars, fit, fixed_columns, local_time, mark, percent, sized_columns
from cadre_tui.tui.screens.base import CadreScreen
from cadre_tui.tui.widgets.tables import highlighted_key

if TYPE_CHECKING:
    from cadre_tui.store.week_views import Dashboard, TeamScore

# The scorecard's columns: label and least width (each grows to its longest value when the rows come).
SCORE_COLUMNS = [
    ("dash.col.team", 14),
    ("dash.col.zone", 4),
    ("dash.col.members", 9),
    ("dash.col.field_days", 6),
    ("dash.col.familiarity", 8),
    ("dash.col.priority", 6),
    ("dash.col.matters", 10),
]


class DashboardScreen(CadreScreen):
    """Where the routine is slipping, at a glance."""

    CSS_PATH = "dashboard.tcss"
    HELP_KEY = "help.dashboard"
    NAME_KEY = "screen.dashboard"
    FOOTER_APP_KEYS = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "key.refresh", id="dashboard.refresh"),
        Binding("tab", "app.focus_next", "key.next_pane", id="dashboard.next_pane", show=False),
    ]

    @dataclass
    class Loaded(Message):
        """The worker computed the dashboard."""

        data: Dashboard

    def compose(self) -> ComposeResult:
        """Scorecard, chart, then overdue residents beside open matters (columns in the chosen language)."""
        t = self.t
        yield Header()
        yield Static(t("dash.loading"), id="score-title", classes="section-title")
        scorecard: DataTable[Any] = DataTable(id="scorecard", cursor_type="row", zebra_stripes=True)
        fixed_columns(scorecard, [(t(key), width) for key, width in SCORE_COLUMNS])  # sized again later
        yield scorecard
        yield Static("", id="chart")
        # Fixed widths: the lists are refilled on every visit to the screen and must not jump about.
        self.overdue_table: DataTable[Any] = DataTable(id="overdue", cursor_type="row")
        fixed_columns(
            self.overdue_table,
            [(t("col.name"), 8), (t("col.household_no"), 8), (t("col.team"), 4), (t("col.groups"), 6),
             (t("col.overdue"), 4)],
        )  # fmt: skip
        self.matters_table: DataTable[Any] = DataTable(id="open-matters", cursor_type="row")
        fixed_columns(
            self.matters_table,
            [(t("col.kind"), 8), (t("col.title"), 16), (t("col.where"), 8), (t("col.occurred"), 11)],
        )
        self.overdue_title = Static(t("dash.overdue"), id="overdue-title", classes="section-title")
        self.matters_title = Static(t("dash.open_matters"), id="matters-title", classes="section-title")
        self.lists = Horizontal(
            Vertical(self.overdue_title, self.overdue_table, id="overdue-box"),
            Vertical(self.matters_title, self.matters_table, id="matters-box"),
            id="lists",
        )

    def on_mount(self) -> None:
        """The lists and the footer once the rest is on the terminal."""
        self.call_after_refresh(self._mount_the_rest)

    async def _mount_the_rest(self) -> None:
        self.cadre.first_screen_drawn()  # at launch the store is opened now, beside this
        from textual.widgets import Footer  # (its module too: not before the first screen)

        with suppress(MountError):  # the app ended before the screen was complete
            await self.mount(self.lists, Footer())
            self.refresh_bindings()  # the footer shows the keys when told they changed

    def on_screen_resume(self) -> None:
        """Fresh figures whenever the screen comes back (a visit may have been recorded meanwhile)."""
        if not self.still_loading("dashboard"):
            self.load()

    def action_refresh(self) -> None:
        """Recompute."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dashboard")
    def load(self) -> None:
        """Compute the dashboard off the UI thread."""
        from cadre_tui.store.week_views import dashboard

        today = self.cadre.today()
        now = self.cadre.now()
        with self.cadre.using_store() as store:
            if store.community() is None:  # drawn before an encrypted file's key: the app shows how to start
                return
            data = dashboard(store, today, now)
        self.post_message(self.Loaded(data))

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        """Fill the tables."""
        data = message.data
        t = self.t
        self.query_one("#score-title", Static).update(
            t("dash.title", week=data.week, as_of=data.as_of)
            + "    "
            + t("dash.community_familiarity", value=percent(data.community_familiarity))
        )
        self._show_scorecard(data.teams)
        self._show_chart(data)
        self._show_overdue(data)
        self._show_open_matters(data)

    def _show_scorecard(self, teams: tuple[TeamScore, ...]) -> None:
        t = self.t
        rows: list[tuple[Any, ...]] = []
        for row in teams:
            matters = f"{row.matters_attended}/{row.matters}"
            if row.matters_late:
                matters += f" ({t('mat.late')} {row.matters_late})"
            rows.append(
                (
                    f"{row.team} {fit(row.name, 10)}",
                    row.zone or "",
                    mark(row.team_size_ok, ",".join(row.members) or "-"),
                    mark(row.field_days_ok, f"{row.field_days}/{row.required_field_days}"),
                    mark(row.familiarity_ok, percent(row.familiarity)),
                    mark(row.priority_ok, f"{row.priority_overdue}/{row.priority_residents}"),
                    mark(row.matters_ok, matters),
                )
            )
        # each column as wide as its longest value (a late matter's `2/2 (超时 1) ✗` is never cut)
        sized_columns(
            self.query_one("#scorecard", DataTable),
            [(t(key), width) for key, width in SCORE_COLUMNS],
            rows,
            keys=[row.team for row in teams],
        )

    def _show_overdue(self, data: Dashboard) -> None:
        from cadre_tui.core.domain import PRIORITY_GROUPS, label  # not needed for the first screen

        lang = self.cadre.lang
        shown = self.t("dash.overdue")
        if len(data.overdue) >= data.limit:
            shown += self.t("list.first", limit=data.limit)
        self.overdue_title.update(shown)
        overdue = self.overdue_table
        overdue.clear()
        for n, item in enumerate(data.overdue):
            groups = "".join(label(PRIORITY_GROUPS, g, lang) for g in item.groups)
            overdue.add_row(
                fit(item.name, 10),
                item.household_no,
                item.team or "",
                groups if lang == "zh" else fit(",".join(item.groups), 14),
                Text(str(item.days_overdue), style="bold red"),
                key=f"{n}:{item.household_id}",
            )
        if not data.overdue:
            overdue.add_row(self.t("dash.none"), "", "", "", "")

    def _show_open_matters(self, data: Dashboard) -> None:
        from cadre_tui.core.domain import MATTER_KINDS, label

        t = self.t
        lang = self.cadre.lang
        shown = t("dash.open_matters")
        if len(data.open_matters) >= data.limit:
            shown += t("list.latest", limit=data.limit)
        self.matters_title.update(shown)
        table = self.matters_table
        table.clear()
        tz = self.cadre.store.tz()
        for item in data.open_matters:
            kind = label(MATTER_KINDS, item.kind, lang)
            style = "bold red" if item.overdue else ""
            table.add_row(
                Text(fit(kind, 8), style=style),
                fit(item.title, 16),
                item.where or t("mat.community"),
                Text(local_time(item.occurred_at, tz)[5:], style=style),
                key=item.id,
            )
        if not data.open_matters:
            table.add_row(t("dash.none"), "", "", "")

    def _show_chart(self, data: Dashboard) -> None:
        chart = Text(self.t("dash.chart", first=data.chart_weeks[0], last=data.chart_weeks[-1]))
        for team, values in data.field_days.items():
            chart.append(f"\n{team:<4}")
            for value in values:
                # green where the week had the three field days of the routine
                chart.append(bars([value]) * 2 + " ", style="green" if value >= 3 else "red")
            chart.append("  " + " ".join(str(v) for v in values), style="dim")
        self.query_one("#chart", Static).update(chart)

    def selected_household_id(self) -> str | None:
        """The household of the highlighted overdue resident."""
        key = highlighted_key(self.overdue_table) or ""
        return key.split(":", 1)[1] if ":" in key else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an overdue resident opens the visit form for their household."""
        if event.data_table.id == "overdue":
            household_id = self.selected_household_id()
            if household_id:
                self.cadre.open_visit_form(household_id)
