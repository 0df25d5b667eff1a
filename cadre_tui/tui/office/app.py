"""The office app (`cadre-tui office --db FILE`): the week's roll-up, importing logs, exporting the roll-up.

Database access: every worker opens its own connection to the office database (`app.office()`) and
closes it when done; SQLite's WAL lets a read run beside an import. The screens never run SQL: they call
the office store (`store/office.py`) inside a thread worker and get the result back as a message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from cadre_tui.core.domain import DEFAULT_TIMEZONE
from cadre_tui.store.office import OfficeDb
from cadre_tui.tui.bindings import localise_bindings
from cadre_tui.tui.i18n import text
from cadre_tui.tui.office.commands import OfficeCommands


def _week() -> Screen[Any]:
    from cadre_tui.tui.office.week import WeekScreen

    return WeekScreen()


def _import() -> Screen[Any]:
    from cadre_tui.tui.office.importing import ImportScreen

    return ImportScreen()


def _export() -> Screen[Any]:
    from cadre_tui.tui.office.export import ExportScreen

    return ExportScreen()


class OfficeApp(App[int]):
    """The sub-district clerk's app. `today` may be fixed (tests, snapshots); else today in Shanghai."""

    CSS_PATH = "app.tcss"
    TITLE = "cadre-tui"
    COMMANDS: ClassVar = App.COMMANDS | {OfficeCommands}
    MODES: ClassVar = {"week": _week, "import": _import, "export": _export}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "go('week')", "key.office_week", id="office.go.week"),
        Binding("i", "go('import')", "key.office_import", id="office.go.import"),
        Binding("e", "go('export')", "key.office_export", id="office.go.export"),
        Binding("question_mark", "help", "key.help", id="help", key_display="?"),
        Binding("escape", "leave_text_box", "key.leave", id="leave", show=False),
    ]

    def __init__(self, db_path: Path, lang: str = "zh", today: date | None = None) -> None:
        super().__init__()
        # Refuse a community's database (exit 3) before anything is drawn; create a new office database.
        OfficeDb.open(db_path).close()
        self.db_path = db_path
        self.lang = lang if lang in ("zh", "en") else "zh"
        self.fixed_today = today
        self.week: str | None = None
        """The week the Week screen shows and the Export screen offers (None until the first load)."""
        self.title = self.t("office.title")
        self.sub_title = db_path.name
        localise_bindings(self, self.lang)

    # -- for screens ---------------------------------------------------------------------------------

    def t(self, key: str, **fields: Any) -> str:
        """A label of the catalogue in the app's language."""
        return text(key, self.lang, **fields)

    @contextmanager
    def office(self) -> Iterator[OfficeDb]:
        """A connection of this thread's own to the office database, closed after use."""
        office = OfficeDb.open(self.db_path)
        try:
            yield office
        finally:
            office.close()

    def today(self) -> date:
        """Today in the office's time zone (Asia/Shanghai), or the fixed day the app was started with."""
        if self.fixed_today is not None:
            return self.fixed_today
        return datetime.now(UTC).astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()

    def error_text(self, error: BaseException) -> str:
        """A failure in plain words, in Chinese when the app speaks it and the error has its Chinese text."""
        from cadre_tui.errors import CadreError

        if not isinstance(error, CadreError):
            return f"{type(error).__name__}: {error}"
        zh = getattr(error, "zh", None)
        return zh if self.lang == "zh" and zh else error.message

    def show_error(self, error: BaseException) -> None:
        """The one place a failure reaches the clerk: a dialog with the message in plain words."""
        from cadre_tui.tui.widgets.dialogs import MessageDialog

        self.push_screen(MessageDialog(self.t("app.error.title"), self.error_text(error)))

    # -- lifecycle and actions ------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Open on the week's roll-up."""
        self.switch_mode("week")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The screen keys wait while a dialog is open (it must be answered or closed first)."""
        if action == "go":
            return not isinstance(self.working_screen(), ModalScreen)
        return True

    def working_screen(self) -> Screen[Any]:
        """The screen the clerk works on: under the command palette when it is open."""
        from textual.command import CommandPalette

        for screen in reversed(self.screen_stack):
            if not isinstance(screen, CommandPalette):
                return screen
        return self.screen

    def action_go(self, mode: str) -> None:
        """Switch to one of the office screens."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode(mode)

    def action_help(self) -> None:
        """Help for the current screen: what it does and its keys."""
        from cadre_tui.tui.office.help import OfficeHelpScreen

        if isinstance(self.screen, OfficeHelpScreen):
            return
        self.push_screen(OfficeHelpScreen(self.screen))

    def action_leave_text_box(self) -> None:
        """Escape: leave a text box so the screen's single-letter keys work again."""
        if isinstance(self.focused, Input | TextArea):
            self.screen.set_focus(None)


def run(db_path: Path, lang: str = "zh") -> int:
    """Open the office app on the office database at `db_path`; return the exit code."""
    app = OfficeApp(db_path, lang)
    app.run()
    return app.return_code or 0
