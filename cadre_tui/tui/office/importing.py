"""Import (`i`): every community log in a folder (or one file) into the office database, with progress.

Each file goes in on its own: a bad file is refused (nothing of it is kept) and listed with its file,
line and problem, and the good ones are imported all the same (`office import` on the command line stays
all or nothing). The folder is kept in the office database as the next default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, ProgressBar, Static

from cadre_tui.errors import InvalidInput
from cadre_tui.io.office_import import ImportSummary, import_each
from cadre_tui.messages import problem_text
from cadre_tui.store.office import get_setting, set_setting
from cadre_tui.tui.office.base import OfficeScreen

FOLDER_SETTING = "import_folder"
STATUSES = ("added", "replaced", "unchanged")


def _short(text: str, root: Path) -> str:
    """A path or message with the folder imported from left out (the summary names it once)."""
    prefix = str(root) + "/" if root.is_dir() else str(root.parent) + "/"
    return text.replace(prefix, "")


class ImportScreen(OfficeScreen):
    """Import the communities' weekly logs."""

    CSS_PATH = "importing.tcss"
    HELP_KEY = "office.help.import"
    NAME_KEY = "screen.office_import"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run_import", "key.office_run_import", id="office.import.run"),
    ]

    @dataclass
    class Remembered(Message):
        """The folder imported from last time."""

        folder: str

    @dataclass
    class Progressed(Message):
        """`done` of `total` files."""

        done: int
        total: int

    @dataclass
    class Finished(Message):
        """What the import did, or why it did nothing (`error`)."""

        root: Path
        summary: ImportSummary | None
        error: str = ""

    def compose(self) -> ComposeResult:
        """The path, the button, the progress bar, the summary."""
        t = self.t
        yield Header()
        yield Static(t("office.import.title"), classes="section-title")
        with Horizontal(classes="row"):
            yield Label(t("office.import.path"), classes="caption")
            yield Input("", placeholder=t("office.import.placeholder"), id="import-path")
            yield Button(t("office.import.run"), id="import-run", variant="primary")
        yield Static(t("office.import.hint"), classes="muted", id="import-hint")
        yield ProgressBar(id="progress", show_eta=False)
        with VerticalScroll(id="summary-box"):
            yield Static(t("office.import.ready"), id="summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """The path box has the cursor; the last folder comes in as its default."""
        self.progress.update(total=100, progress=0)
        self.path_box.focus()
        self.remember()

    @property
    def path_box(self) -> Input:
        """The folder or file to import."""
        return self.query_one("#import-path", Input)

    @property
    def progress(self) -> ProgressBar:
        """Files imported of all found."""
        return self.query_one("#progress", ProgressBar)

    @property
    def summary(self) -> Static:
        """What the import did, or why it did nothing."""
        return self.query_one("#summary", Static)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-setting")
    def remember(self) -> None:
        """Read the last folder off the UI thread."""
        with self.office_app.office() as office:
            folder = get_setting(office, FOLDER_SETTING)
        if folder:
            self.post_message(self.Remembered(folder))

    def on_import_screen_remembered(self, message: Remembered) -> None:
        """Offer the last folder, unless something was typed meanwhile."""
        if not self.path_box.value:
            self.path_box.value = message.folder

    # -- actions ---------------------------------------------------------------------------------------

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#import-run")
    def action_run_import(self) -> None:
        """Import the folder or file typed in."""
        typed = self.path_box.value.strip()
        if not typed:
            self.summary.update(Text(self.t("office.import.no_path"), style="bold red"))
            return
        self.progress.update(total=None, progress=0)
        self.summary.update(self.t("office.import.running"))
        self.import_path(Path(typed).expanduser())

    def _progress(self, done: int, total: int) -> None:
        # Called from the worker thread: a message is the thread-safe way back to the screen.
        self.post_message(self.Progressed(done, total))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def import_path(self, root: Path) -> None:
        """Import file by file in a thread; remember the folder."""
        try:
            with self.office_app.office() as office:
                summary = import_each(office, [root], progress=self._progress)
                set_setting(office, FOLDER_SETTING, str(root if root.is_dir() else root.parent))
        except InvalidInput as exc:
            self.post_message(self.Finished(root, None, self.office_app.error_text(exc)))
            return
        self.post_message(self.Finished(root, summary))

    # -- results ---------------------------------------------------------------------------------------

    def on_import_screen_progressed(self, message: Progressed) -> None:
        """Move the bar."""
        self.progress.update(total=max(message.total, 1), progress=message.done)

    def on_import_screen_finished(self, message: Finished) -> None:
        """Counts first, then the refused files (red) and every log imported."""
        result = message.summary
        if result is None:
            self.progress.update(total=1, progress=0)
            self.summary.update(Text(message.error, style="bold red"))
            return
        self.progress.update(total=1, progress=1)
        self.summary.update(self.summary_text(message.root, result))
        weeks = [r.week for r in result.imported if r.status != "unchanged"]
        if weeks:
            # the Week screen opens on the latest week this import brought
            self.office_app.week = max(weeks)

    def summary_text(self, root: Path, result: ImportSummary) -> Text:
        """The summary as the clerk reads it."""
        t = self.t
        lines = Text(
            t(
                "office.import.done",
                path=str(root),
                added=result.count("added"),
                replaced=result.count("replaced"),
                unchanged=result.count("unchanged"),
                refused=len(result.refused),
            ),
            style="bold",
        )
        if result.skipped:
            lines.append("\n" + t("office.import.skipped", count=result.skipped), style="dim")
        if not result.imported and not result.refused:
            lines.append("\n" + t("office.import.none"), style="bold red")
        for refusal in result.refused:
            said = _short(problem_text(refusal.message, self.office_app.lang), root)
            lines.append(f"\n{t('office.status.refused')}  {said}", style="bold red")
        # one line per status, community and week: its kinds with their rows
        grouped: dict[tuple[int, str, str], list[str]] = {}
        for log in result.imported:
            kinds = grouped.setdefault((STATUSES.index(log.status), log.community, log.week), [])
            kinds.append(t("office.import.rows", kind=t(f"office.kind.{log.kind}"), rows=log.rows))
        for (status, community, week), kinds in sorted(grouped.items()):
            shown = t(f"office.status.{STATUSES[status]}")
            style = "dim" if STATUSES[status] == "unchanged" else ""
            lines.append(f"\n{shown}  {community}  {week}  {' · '.join(kinds)}", style=style)
        return lines
