"""Week (`w`, the first screen): every community × team of the week with ✓/✗ for each 23766 figure.

The communities seen before that sent nothing this week are named at the top. `[`/`]` (also `b`/`n`, as
on the cadre's plan screen) go to the previous/next week; enter (or h) on a row opens that community's
last 8 weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from cadre_tui.core.weeks import IsoWeek, week_of
from cadre_tui.store.office import SCORECARD_BOOLS, latest_week
from cadre_tui.tui.format import fit, fixed_columns, mark, percent
from cadre_tui.tui.office.base import OfficeScreen
from cadre_tui.tui.widgets.tables import highlighted_key

# Widths in cells: the table (77 cells) fits 80 columns with its scroll bar.
COMMUNITY_WIDTH = 10


def shift_week(week: str, step: int) -> str:
    """The week `step` weeks after `week` (before it when negative)."""
    year, number = week.split("-W")
    current = IsoWeek(int(year), int(number))
    for _ in range(abs(step)):
        current = current.next() if step > 0 else current.previous()
    return str(current)


def _mark(ok: bool | None, shown: str) -> Text:
    return Text(f"{shown} -") if ok is None else mark(ok, shown)


class WeekScreen(OfficeScreen):
    """The week's roll-up of every community's scorecard."""

    CSS_PATH = "week.tcss"
    HELP_KEY = "office.help.week"
    NAME_KEY = "screen.office_week"
    FOOTER_APP_KEYS = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket,b", "week(-1)", "key.prev_week", id="office.week.prev", key_display="["),
        Binding("right_square_bracket,n", "week(1)", "key.next_week", id="office.week.next", key_display="]"),
        # enter on a row does the same (the table's own enter comes first, so the key shown is h)
        Binding("h", "history", "key.office_history", id="office.week.history"),
        Binding("r", "refresh", "key.refresh", id="office.week.refresh", show=False),
    ]

    @dataclass
    class Loaded(Message):
        """The worker read the week's roll-up."""

        report: dict[str, Any]

    def compose(self) -> ComposeResult:
        """The week and its counts, who sent nothing, then the table."""
        yield Header()
        yield Static(self.t("office.loading"), id="week-title", classes="section-title")
        yield Static("", id="missing")
        yield DataTable(id="rollup", cursor_type="row", zebra_stripes=True)
        yield Static("", id="community-line", classes="muted")
        yield Footer()

    def __init__(self) -> None:
        super().__init__()
        self.report: dict[str, Any] | None = None
        self.requested: str | None = None

    @property
    def table(self) -> DataTable[Any]:
        """The roll-up: one row per community and team."""
        return self.query_one("#rollup", DataTable)

    def on_mount(self) -> None:
        """Columns in the chosen language; the digits of 23766 head the figures' columns."""
        t = self.t
        fixed_columns(
            self.table,
            [
                (t("office.col.community"), COMMUNITY_WIDTH),
                (t("office.col.team"), 4),
                (t("office.col.zone"), 4),
                (t("office.col.pair"), 7),
                (t("office.col.field_days"), 6),
                (t("office.col.familiarity"), 8),
                (t("office.col.priority"), 8),
                (t("office.col.matters"), 8),
                (t("office.col.all_ok"), 4),
            ],
        )

    def on_screen_resume(self) -> None:
        """Fresh figures whenever the screen comes back (logs may have been imported meanwhile)."""
        if not self.still_loading("week"):
            self.show_week(self.office_app.week)

    # -- actions ---------------------------------------------------------------------------------------

    def action_week(self, step: int) -> None:
        """The previous or next week."""
        if self.office_app.week is not None:
            self.show_week(shift_week(self.requested or self.office_app.week, step))

    def action_refresh(self) -> None:
        """Read the week again."""
        self.show_week(self.office_app.week)

    def action_history(self) -> None:
        """The highlighted community's teams over the last 8 weeks."""
        community = self.selected_community()
        if community is None or self.office_app.week is None:
            return
        from cadre_tui.tui.office.history import HistoryScreen

        self.app.push_screen(HistoryScreen(community, self.office_app.week))

    @on(DataTable.RowSelected, "#rollup")
    def _row_selected(self) -> None:
        self.action_history()

    @on(DataTable.RowHighlighted, "#rollup")
    def _row_highlighted(self) -> None:
        self.show_community_line()

    def show_community_line(self) -> None:
        """Under the table: the highlighted community's familiarity and what its logs hold."""
        name = self.selected_community()
        line = self.query_one("#community-line", Static)
        found = [c for c in (self.report or {}).get("communities", []) if c["community"] == name]
        if not found:
            line.update("")
            return
        community = found[0]
        line.update(
            self.t(
                "office.week.community" if community["scorecard"] else "office.week.community_no_card",
                community=community["community"],
                familiarity=percent(community["familiarity"]),
                familiar=community["familiar_households"],
                households=community["households"],
                visits=community["visits"] if community["visits"] is not None else "-",
                matters=community["matters"] if community["matters"] is not None else "-",
            )
        )

    def selected_community(self) -> str | None:
        """The community of the highlighted row (rows are keyed `community<TAB>team number`)."""
        key = highlighted_key(self.table) or ""
        return key.split("\t", 1)[0] or None

    # -- work ------------------------------------------------------------------------------------------

    def show_week(self, week: str | None) -> None:
        """Read `week` (None: the latest with a log) and show it when it comes."""
        self.requested = week
        self.load(week)

    @work(thread=True, exclusive=True, exit_on_error=False, group="week")
    def load(self, week: str | None) -> None:
        """Read the roll-up off the UI thread; with no week chosen yet, the latest week with a log."""
        with self.office_app.office() as office:
            if week is None:
                week = latest_week(office) or str(week_of(self.office_app.today()))
            report = office.report(week)
        self.post_message(self.Loaded(report))

    def on_week_screen_loaded(self, message: Loaded) -> None:
        """Fill the title, the line of who sent nothing, and the table."""
        report = message.report
        if self.requested is not None and report["week"] != self.requested:
            return  # an older request: the clerk has moved on (keys pressed faster than a read)
        t = self.t
        self.report = report
        self.office_app.week = report["week"]
        teams = [team for c in report["communities"] for team in c["teams"]]
        teams_ok = sum(1 for team in teams if all(team.get(k) for k in SCORECARD_BOOLS))
        self.query_one("#week-title", Static).update(
            t(
                "office.week.title",
                week=report["week"],
                sent=len(report["communities"]),
                ok=teams_ok,
                teams=len(teams),
            )
        )
        missing = self.query_one("#missing", Static)
        if report["missing"]:
            names = ("、" if self.office_app.lang == "zh" else ", ").join(report["missing"])
            missing.update(Text(t("office.week.missing", names=names), style="bold red"))
        elif report["communities"]:
            missing.update(Text(t("office.week.all_sent"), style="green"))
        else:
            missing.update(Text(t("office.week.empty"), style="dim"))
        table = self.table
        cursor = table.cursor_row
        table.clear()
        for community in report["communities"]:
            name = community["community"]
            if not community["teams"]:
                table.add_row(
                    fit(name, COMMUNITY_WIDTH), "", "", Text(t("office.no_scorecard"), style="bold red"),
                    "", "", "", "", "", key=f"{name}\t0",
                )  # fmt: skip
            for n, team in enumerate(community["teams"]):
                all_ok = all(team.get(k) for k in SCORECARD_BOOLS)
                matters = f"{team['matters_attended']}/{team['matters']}"
                table.add_row(
                    fit(name, COMMUNITY_WIDTH) if n == 0 else "",
                    team["team"] or "",
                    team["zone"] or "",
                    _mark(team["team_size_ok"], str(len(team["members"]))),
                    _mark(team["field_days_ok"], f"{team['field_days']}/{team['required_field_days']}"),
                    _mark(team["familiarity_ok"], percent(team["familiarity"] or 0)),
                    _mark(team["priority_ok"], f"{team['priority_overdue']}/{team['priority_residents']}"),
                    _mark(team["matters_ok"], matters),
                    Text("✓", style="bold green") if all_ok else Text("✗", style="bold red"),
                    key=f"{name}\t{n}",
                )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self.show_community_line()
