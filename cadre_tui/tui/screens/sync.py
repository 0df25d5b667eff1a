"""Sync (`s`): export a bundle for the partner, import the partner's, export the week's office log.

Bundles are encrypted with the team's sync passphrase (`*.cadre`); when this laptop has none set, a
masked box asks for it, and an encrypted database keeps it after its first use.

The work runs in a thread worker that reports progress and its result with messages; the screen never
touches the database itself. Writing over an existing file or folder is asked first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, ProgressBar, Static

from cadre_tui.core.weeks import IsoWeek, parse_week, week_of
from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.tui.screens.base import CadreScreen
from cadre_tui.tui.widgets.dialogs import ConfirmDialog


class SyncScreen(CadreScreen):
    """Bundles to and from the partner's laptop, and the office log."""

    CSS_PATH = "sync.tcss"
    HELP_KEY = "help.sync"
    NAME_KEY = "screen.sync"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "export_bundle", "key.export_bundle", id="sync.export_bundle"),
        Binding("ctrl+r", "import_bundle", "key.import_bundle", id="sync.import_bundle"),
        Binding("ctrl+g", "export_log", "key.export_log", id="sync.export_log"),
        Binding("escape", "close", "key.close", id="sync.close"),
        # a small week picker: up/down in the week box step it a week back or on
        Binding("up", "step_week(-1)", "key.prev_week", id="sync.prev_week", show=False),
        Binding("down", "step_week(1)", "key.next_week", id="sync.next_week", show=False),
    ]

    @dataclass
    class Progressed(Message):
        """A worker's progress: `done` of `total` rows or files."""

        done: int
        total: int

    @dataclass
    class Finished(Message):
        """A worker's summary, ready to show."""

        lines: list[str]
        ok: bool = True

    @dataclass
    class AskOverwrite(Message):
        """The target exists: ask before writing over it, then run `job` again with force."""

        message: str
        job: str

    def compose(self) -> ComposeResult:
        """Paths on top, the three jobs as buttons, then the progress bar and the summary (fits 80×24)."""
        from cadre_tui.store.keys import sync_passphrase

        t = self.t
        today = self.cadre.today().isoformat()
        with self.cadre.using_store() as store:
            self.known_passphrase = sync_passphrase(store)
        yield Header()
        yield Static(t("sync.title"), classes="section-title")
        with Horizontal(classes="row"):
            yield Label(t("sync.bundle_path"), classes="caption")
            yield Input(str(Path.home() / f"cadre-bundle-{today}.cadre"), id="bundle-path")
        if self.known_passphrase is None:
            with Horizontal(classes="row"):
                yield Label(t("sync.passphrase"), classes="caption")
                yield Input("", password=True, id="sync-passphrase", placeholder=t("sync.passphrase_needed"))
        with Horizontal(classes="row"):
            yield Label(t("sync.log_week"), classes="caption")
            yield Input(t("week.this"), id="log-week")
            yield Label(t("sync.log_folder"), classes="caption short")
            yield Input(str(Path.home() / "cadre-logs"), id="log-folder")
        with Horizontal(classes="buttons"):
            yield Button(t("sync.export_bundle"), id="export-bundle", variant="primary")
            yield Button(t("sync.import_bundle"), id="import-bundle")
            yield Button(t("sync.export_log"), id="export-log")
        yield Static(t("sync.encrypted_note"), classes="muted")
        yield ProgressBar(id="progress", show_eta=False)
        with VerticalScroll(id="summary-box"):
            yield Static(t("sync.ready"), id="summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Start on the first button, not in a text box: the screen keys (d, p, h …) keep working and a
        stray letter cannot overwrite the prepared path."""
        self.query_one("#export-bundle", Button).focus()
        self.progress.update(total=100, progress=0)

    @property
    def progress(self) -> ProgressBar:
        """The bar of the job running."""
        return self.query_one("#progress", ProgressBar)

    @property
    def summary(self) -> Static:
        """What the last job did, or why it did nothing."""
        return self.query_one("#summary", Static)

    # -- the week box ----------------------------------------------------------------------------------

    @property
    def week_box(self) -> Input:
        """The office log's week: 本周, 上周, 下周 (this, last, next) or 2026-W48."""
        return self.query_one("#log-week", Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Up/down step the week only in the week box (elsewhere they move as usual)."""
        if action == "step_week":
            return self.focused is self.week_box
        return True

    def action_step_week(self, step: int) -> None:
        """The week before or after the one in the box (from this week when the box holds no week)."""
        today = self.cadre.today()
        try:
            week = parse_week(self.week_box.value, today)
        except ValueError:
            week = week_of(today)
        week = week.next() if step > 0 else week.previous()
        self.week_box.value = week_text(week, today, self.cadre.lang)

    # -- actions ---------------------------------------------------------------------------------------

    def action_close(self) -> None:
        """Back to the screen the sync was opened from."""
        self.dismiss(None)

    def action_export_bundle(self, force: bool = False) -> None:
        """Write an encrypted bundle for the partner's laptop."""
        passphrase = self._sync_passphrase()
        if passphrase is None:
            self.post_message(self.Finished([self.t("sync.passphrase_needed")], ok=False))
            return
        path = self._path("#bundle-path")
        if path.suffix.lower() != ".cadre":
            path = path.with_name(path.name + ".cadre")
        self._start(self.t("sync.exporting"))
        self.export_bundle(path, force, passphrase)

    def action_import_bundle(self) -> None:
        """Merge the partner's bundle."""
        self._start(self.t("sync.importing"))
        self.import_bundle(self._path("#bundle-path"), self._sync_passphrase())

    def _sync_passphrase(self) -> str | None:
        if self.known_passphrase is not None:
            return self.known_passphrase
        return self.query_one("#sync-passphrase", Input).value or None

    def _keep_passphrase(self, store: Any, passphrase: str | None) -> None:
        """After its first use, an encrypted database keeps the typed sync passphrase."""
        from cadre_tui.store.keys import MIN_LENGTH, save_sync_passphrase

        if self.known_passphrase is None and passphrase and store.encrypted and len(passphrase) >= MIN_LENGTH:
            save_sync_passphrase(store, passphrase)
            self.known_passphrase = passphrase

    def action_export_log(self, force: bool = False) -> None:
        """Write the week's office log."""
        self._start(self.t("sync.exporting"))
        self.export_log(self.week_box.value, self.cadre.today(), self._path("#log-folder"), force)

    @on(Button.Pressed, "#export-bundle")
    def _export_bundle_pressed(self) -> None:
        self.action_export_bundle()

    @on(Button.Pressed, "#import-bundle")
    def _import_bundle_pressed(self) -> None:
        self.action_import_bundle()

    @on(Button.Pressed, "#export-log")
    def _export_log_pressed(self) -> None:
        self.action_export_log()

    def _path(self, selector: str) -> Path:
        return Path(self.query_one(selector, Input).value.strip() or ".").expanduser()

    def _start(self, what: str) -> None:
        self.progress.update(total=None, progress=0)
        self.summary.update(what)

    def _progress(self, done: int, total: int) -> None:
        # Called from the worker thread: a message is the thread-safe way back to the screen.
        self.post_message(self.Progressed(done, total))

    # -- workers ---------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def export_bundle(self, path: Path, force: bool, passphrase: str) -> None:
        """Export in a thread; the summary comes back as a message."""
        from cadre_tui.io.bundle import export_bundle

        try:
            with self.cadre.using_store() as store:
                result = export_bundle(
                    store, path, force=force, progress=self._progress, passphrase=passphrase
                )
                self._keep_passphrase(store, passphrase)
        except Refused as exc:
            self.post_message(self.AskOverwrite(self.cadre.error_text(exc), "bundle"))
            return
        except InvalidInput as exc:
            self.post_message(self.Finished([self.cadre.error_text(exc)], ok=False))
            return
        self.post_message(
            self.Finished(
                [
                    self.t("sync.exported", rows=result.total, path=str(result.path)),
                    self.t("sync.encrypted_note"),
                ]
            )
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def import_bundle(self, path: Path, passphrase: str | None) -> None:
        """Import in a thread; counts and conflicts come back as a message."""
        from cadre_tui.io.bundle import import_bundle

        try:
            with self.cadre.using_store() as store:
                report = import_bundle(store, path, progress=self._progress, passphrase=passphrase)
                self._keep_passphrase(store, passphrase)
        except (InvalidInput, Refused) as exc:
            self.post_message(
                self.Finished([self.t("sync.nothing_imported"), self.cadre.error_text(exc)], ok=False)
            )
            return
        lines = [self.t("sync.imported", path=str(path)), *report.lines(self.cadre.lang)]
        self.post_message(self.Finished(lines))

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def export_log(self, typed_week: str, today: date, folder: Path, force: bool) -> None:
        """Write the office log in a thread."""
        from cadre_tui.io.office_log import export_office_log

        try:
            week = parse_week(typed_week, today)
        except ValueError:
            self.post_message(self.Finished([self.t("sync.bad_week", typed=typed_week.strip())], ok=False))
            return
        try:
            with self.cadre.using_store() as store:
                paths = export_office_log(store, week, folder, force=force, progress=self._progress)
        except Refused as exc:
            self.post_message(self.AskOverwrite(self.cadre.error_text(exc), "log"))
            return
        except InvalidInput as exc:
            self.post_message(self.Finished([self.cadre.error_text(exc)], ok=False))
            return
        lines = [self.t("sync.log_written", week=str(week)), *(str(p) for p in paths)]
        self.post_message(self.Finished([*lines, self.t("sync.log_privacy")]))

    # -- results ---------------------------------------------------------------------------------------

    def on_sync_screen_progressed(self, message: Progressed) -> None:
        """Move the bar."""
        self.progress.update(total=max(message.total, 1), progress=message.done)

    def on_sync_screen_finished(self, message: Finished) -> None:
        """Show what changed and what conflicted, or why nothing was done."""
        bar = self.progress
        if message.ok:
            bar.update(total=1, progress=1)
        else:
            bar.update(total=1, progress=0)
        summary = self.summary
        summary.set_class(not message.ok, "warning")
        summary.update("\n".join(message.lines))

    def on_sync_screen_ask_overwrite(self, message: AskOverwrite) -> None:
        """Ask; on yes, run the job again writing over the old files."""

        def answered(yes: Any) -> None:
            if not yes:
                self.summary.update(self.t("sync.cancelled"))
                return
            if message.job == "bundle":
                self.action_export_bundle(force=True)
            else:
                self.action_export_log(force=True)

        self.app.push_screen(ConfirmDialog(self.t("sync.overwrite", reason=message.message)), answered)


def week_text(week: IsoWeek, today: date, lang: str) -> str:
    """How the box shows `week`: 本周, 上周, 下周 (this, last, next) when it is one of them, else 2026-W48."""
    from cadre_tui.tui.i18n import text

    this = week_of(today)
    words = {this: "week.this", this.previous(): "week.last", this.next(): "week.next"}
    return text(words[week], lang) if week in words else str(week)
