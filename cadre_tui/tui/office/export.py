"""Export (`e`): the week's roll-up as a file for the sub-district's leaders.

The formats are `io/office_rollup.py`'s `EXPORTERS` in their order: the print-ready Excel workbook first,
then the CSV table. The folder and the format chosen last time come back. Writing over an existing file is
asked first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from cadre_tui.core.weeks import parse_week
from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.io.office_rollup import EXPORTERS, export_rollup
from cadre_tui.messages import problem_text
from cadre_tui.store.office import get_setting, set_setting
from cadre_tui.tui.office.base import OfficeScreen
from cadre_tui.tui.widgets.dialogs import ConfirmDialog

FOLDER_SETTING = "export_folder"
FORMAT_SETTING = "export_format"


class ExportScreen(OfficeScreen):
    """Write the week's roll-up."""

    CSS_PATH = "export.tcss"
    HELP_KEY = "office.help.export"
    NAME_KEY = "screen.office_export"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "key.office_run_export", id="office.export.run"),
    ]

    @dataclass
    class Remembered(Message):
        """The folder and the format exported to last time."""

        folder: str | None
        fmt: str | None

    @dataclass
    class Finished(Message):
        """The file written, or why nothing was."""

        lines: list[str]
        ok: bool = True

    @dataclass
    class AskOverwrite(Message):
        """The file exists: ask before writing over it."""

        message: str

    def __init__(self) -> None:
        super().__init__()
        self.offered_week = self.office_app.week

    def compose(self) -> ComposeResult:
        """Week, folder and format, the button, the summary (fits 80×24)."""
        t = self.t
        yield Header()
        yield Static(t("office.export.title"), classes="section-title")
        with Horizontal(classes="row"):
            yield Label(t("office.export.week"), classes="caption")
            yield Input(self.offered_week or "this", id="export-week")
            yield Label(t("office.export.format"), classes="caption short")
            yield Select[str](
                [(t(f"office.format.{fmt}"), fmt) for fmt in EXPORTERS],
                value=next(iter(EXPORTERS)),
                allow_blank=False,
                id="export-format",
            )
        with Horizontal(classes="row"):
            yield Label(t("office.export.folder"), classes="caption")
            yield Input(str(Path.home() / "23766"), id="export-folder")
        with Horizontal(classes="buttons"):
            yield Button(t("office.export.run"), id="export-run", variant="primary")
        yield Static(t("office.export.hint"), classes="muted", id="export-hint")
        yield Static("", id="export-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Start on the button: the screen keys keep working; the last folder comes in as its default."""
        self.query_one("#export-run", Button).focus()
        self.remember()

    @property
    def week_box(self) -> Input:
        """The week to export: 2026-W48, this or last."""
        return self.query_one("#export-week", Input)

    @property
    def folder_box(self) -> Input:
        """The folder the file goes to."""
        return self.query_one("#export-folder", Input)

    @property
    def summary(self) -> Static:
        """The file written, or why nothing was."""
        return self.query_one("#export-summary", Static)

    def on_screen_resume(self) -> None:
        """Offer the week the Week screen shows, when it changed there (not after a dialog here)."""
        if self.office_app.week and self.office_app.week != self.offered_week:
            self.offered_week = self.office_app.week
            self.week_box.value = self.office_app.week

    @work(thread=True, exclusive=True, exit_on_error=False, group="export-setting")
    def remember(self) -> None:
        """Read the last folder and format off the UI thread."""
        with self.office_app.office() as office:
            folder = get_setting(office, FOLDER_SETTING)
            fmt = get_setting(office, FORMAT_SETTING)
        if folder or fmt:
            self.post_message(self.Remembered(folder, fmt))

    def on_export_screen_remembered(self, message: Remembered) -> None:
        """Offer the last folder and format (a format no longer offered is left alone)."""
        if message.folder:
            self.folder_box.value = message.folder
        if message.fmt in EXPORTERS:
            self.query_one("#export-format", Select).value = message.fmt

    # -- actions ---------------------------------------------------------------------------------------

    @on(Button.Pressed, "#export-run")
    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_export()

    def action_export(self, force: bool = False) -> None:
        """Write the roll-up of the week typed in."""
        week = self.week_box.value.strip()
        folder = Path(self.folder_box.value.strip() or ".").expanduser()
        fmt = str(self.query_one("#export-format", Select).value)
        self.summary.update(self.t("office.export.running"))
        self.write(week, folder, fmt, force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def write(self, week_text: str, folder: Path, fmt: str, force: bool) -> None:
        """Read the week's report and write it in a thread."""
        try:
            week = str(parse_week(week_text, self.office_app.today()))
        except ValueError as exc:
            error = problem_text(exc, self.office_app.lang)
            self.post_message(self.Finished([self.t("office.export.bad_week", error=error)], ok=False))
            return
        try:
            with self.office_app.office() as office:
                report = office.report(week)
                path = export_rollup(report, folder, fmt, self.office_app.lang, force)
                set_setting(office, FOLDER_SETTING, str(folder))
                set_setting(office, FORMAT_SETTING, fmt)
        except Refused as exc:
            self.post_message(self.AskOverwrite(self.office_app.error_text(exc)))
            return
        except InvalidInput as exc:
            self.post_message(self.Finished([self.office_app.error_text(exc)], ok=False))
            return
        rows = len(report["missing"]) + sum(max(1, len(c["teams"])) for c in report["communities"])
        lines = [self.t("office.export.written", week=week, rows=rows), str(path)]
        if report["missing"]:
            lines.append(self.t("office.export.missing", count=len(report["missing"])))
        self.post_message(self.Finished(lines))

    def on_export_screen_finished(self, message: Finished) -> None:
        """Say what was written, or why nothing was."""
        self.summary.update(Text("\n".join(message.lines), style="" if message.ok else "bold red"))

    def on_export_screen_ask_overwrite(self, message: AskOverwrite) -> None:
        """Ask; on yes, write again over the old file."""

        def answered(yes: Any) -> None:
            if yes:
                self.action_export(force=True)
            else:
                self.summary.update(self.t("office.export.cancelled"))

        self.app.push_screen(
            ConfirmDialog(self.t("office.export.overwrite", reason=message.message)), answered
        )
