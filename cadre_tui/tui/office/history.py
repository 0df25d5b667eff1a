"""A community's teams over the last 8 weeks (enter on the Week screen): field days and familiarity.

Two lines per team, a column of five cells per week: a bar and the number. Field days are green in a
week that kept the 3 (the scorecard's own ✓), red where it did not; familiarity in whole per cent, green
at the 70% target. `-` marks a week with no scorecard for the team.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from cadre_tui.store.office import CommunityHistory, TeamWeek, history
from cadre_tui.tui.format import bars, pad
from cadre_tui.tui.office.base import OfficeModal

WEEKS = 8
LABEL_WIDTH = 16
CELL = 5


def _style(ok: bool | None) -> str:
    return "dim" if ok is None else ("green" if ok else "bold red")


def _field_days(entry: TeamWeek | None) -> tuple[str, str]:
    if entry is None or entry.field_days is None:
        return pad("  -", CELL), "dim"
    return pad(f"{bars([entry.field_days], top=5)}{entry.field_days:>3}", CELL), _style(entry.field_days_ok)


def _familiarity(entry: TeamWeek | None) -> tuple[str, str]:
    if entry is None or entry.familiarity is None:
        return pad("  -", CELL), "dim"
    share = round(entry.familiarity * 100)
    return pad(f"{bars([share], top=100)}{share:>3}", CELL), _style(entry.familiarity_ok)


def history_chart(data: CommunityHistory, field_label: str, familiar_label: str, none_label: str) -> Text:
    """The chart as styled text: a header of week numbers, then two lines per team."""
    chart = Text(" " * LABEL_WIDTH)
    for week, sent in zip(data.weeks, data.sent, strict=True):
        chart.append(pad(week[-3:], CELL), style="bold" if sent else "dim")
    if not data.teams:
        chart.append("\n" + none_label, style="dim")
    for team in data.teams:
        # the label column: team and zone, the figure's name, one space before the first week
        head = pad(f"{team.team} {team.zone}", LABEL_WIDTH - cell_len(field_label) - 2)
        rows = ((head, field_label, _field_days), (" " * cell_len(head), familiar_label, _familiarity))
        for lead, label, cell in rows:
            chart.append(f"\n{lead} {label} ")
            for entry in team.weeks:
                shown, style = cell(entry)
                chart.append(shown, style=style)
    return chart


class HistoryScreen(OfficeModal):
    """One community's teams over the 8 weeks ending with the week on screen."""

    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen .dialog { width: 66; max-width: 100%; height: auto; max-height: 100%;
                            border: thick $primary; background: $surface; padding: 0 1; }
    HistoryScreen .dialog-title { text-style: bold; }
    HistoryScreen #history-body { height: auto; max-height: 18; }
    """
    NAME_KEY = "screen.office_history"
    HELP_KEY = "office.help.history"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "key.close", id="office.history.close"),
    ]

    @dataclass
    class Loaded(Message):
        """The worker read the community's weeks."""

        data: CommunityHistory

    def __init__(self, community: str, week: str) -> None:
        super().__init__()
        self.community = community
        self.week = week

    def compose(self) -> ComposeResult:
        """Title, legend, chart."""
        with Vertical(classes="dialog"):
            yield Label(self.community, id="history-title", classes="dialog-title")
            yield Static(self.t("office.history.legend"), classes="muted")
            with VerticalScroll(id="history-body"):
                yield Static(self.t("office.loading"), id="history-chart")

    def on_mount(self) -> None:
        """Read the weeks."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def load(self) -> None:
        """The community's 8 weeks off the UI thread."""
        with self.office_app.office() as office:
            data = history(office, self.community, self.week, WEEKS)
        self.post_message(self.Loaded(data))

    def on_history_screen_loaded(self, message: Loaded) -> None:
        """Draw the chart."""
        data = message.data
        self.query_one("#history-title", Label).update(
            self.t("office.history.title", community=data.community, first=data.weeks[0], last=data.weeks[-1])
        )
        chart = history_chart(
            data, self.t("office.history.field_days"), self.t("office.history.familiarity"),
            self.t("office.history.none"),
        )  # fmt: skip
        self.query_one("#history-chart", Static).update(chart)

    def action_close(self) -> None:
        """Back to the week."""
        self.dismiss(None)
