"""What the cadre app and the office app share: the language, the one dialog a failure reaches, the keys
that work everywhere (help, escape, the command palette, quit), going from screen to screen, and the
shared styles (app.tcss beside this module).

An app built on it adds its modes with a `go.<mode>` binding each, then `*COMMON_BINDINGS`, in its own
`BINDINGS` (help's "keys that work everywhere" line lists that class attribute as it stands), its database
and its `today()`. Actions that leave the current screen are named in `SCREEN_ACTIONS`: they are off
under a dialog and in a form (a screen with `IS_FORM`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from cadre_tui.tui.commands import CadreCommands
from cadre_tui.tui.i18n import LANGS, text
from cadre_tui.tui.screens.base import BaseMixin

# The keys of both apps, after their screen keys; descriptions are catalogue keys.
COMMON_BINDINGS: list[BindingType] = [
    Binding("question_mark", "help", "key.help", id="help", key_display="?"),
    Binding("escape", "leave_text_box", "key.leave", id="leave", show=False),
    # Textual adds ctrl+p and ctrl+q with English descriptions unless the app binds them itself
    Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "key.palette", id="palette", show=False,
            priority=True),
    Binding("ctrl+q", "quit", "key.quit", id="quit", show=False, priority=True),
]  # fmt: skip


class BaseApp(App[int]):
    """The shared half of an app of cadre-tui: language, errors, help, palette, switching screens."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "cadre-tui"
    COMMANDS: ClassVar = {CadreCommands}  # Textual's own commands through it: `get_system_commands`
    SCREEN_ACTIONS: ClassVar[frozenset[str]] = frozenset({"go"})
    """Actions that leave the current screen: off under a dialog and in a form."""

    def __init__(self, lang: str = "zh") -> None:
        super().__init__()
        self.lang = lang if lang in LANGS else "zh"

    def t(self, key: str, **fields: Any) -> str:
        """A label of the catalogue in the app's language."""
        return text(key, self.lang, **fields)

    def error_text(self, error: BaseException) -> str:
        """A failure in plain words, in the app's language (the errors' catalogue: cadre_tui/messages.py)."""
        from cadre_tui.errors import CadreError

        if not isinstance(error, CadreError):
            return f"{type(error).__name__}: {error}"
        return error.text(self.lang)

    def show_error(self, error: BaseException) -> None:
        """The one place a failure reaches the user: a dialog with the message in plain words."""
        from cadre_tui.tui.widgets.dialogs import MessageDialog

        self.push_screen(MessageDialog(self.t("app.error.title"), self.error_text(error)))

    def working_screen(self) -> Screen[Any]:
        """The screen the user works on: under the command palette when it is open."""
        from textual.command import CommandPalette

        for screen in reversed(self.screen_stack):
            if not isinstance(screen, CommandPalette):
                return screen
        return self.screen

    # -- actions ----------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Screen keys wait while a dialog is open (answer it first) or a form is (save or leave it first)."""
        if action in self.SCREEN_ACTIONS:
            screen = self.working_screen()
            if (isinstance(screen, BaseMixin) and screen.IS_FORM) or isinstance(screen, ModalScreen):
                return False
        return True

    def action_go(self, mode: str) -> None:
        """Switch to one of the main screens (closing a screen opened over this one, such as Sync)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode(mode)

    def action_help(self) -> None:
        """Help for the current screen: what it does and its keys."""
        from cadre_tui.tui.widgets.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands a cadre or clerk can use, in the app's language.

        Left out: Textual's Quit (the palette already has 退出, from the app's key), Keys (Textual's key
        panel, in English; `?` is the help) and Screenshot, which would write the screen, residents'
        names and all, to an SVG file in the Downloads folder readable by others (SPEC §10)."""
        yield SystemCommand(self.t("cmd.theme"), self.t("cmd.theme.help"), self.action_change_theme)
        if screen.maximized is not None:
            yield SystemCommand(self.t("cmd.minimize"), self.t("cmd.minimize.help"), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(self.t("cmd.maximize"), self.t("cmd.maximize.help"), screen.action_maximize)

    def search_themes(self) -> None:
        """Textual's theme picker, its search box prompting in the app's language."""
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(
            CommandPalette(providers=[ThemeProvider], placeholder=self.t("cmd.theme.placeholder"))
        )

    def action_command_palette(self) -> None:
        """The command palette (Textual's), its search box prompting in the app's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            self.push_screen(CommandPalette(placeholder=self.t("cmd.placeholder"), id="--command-palette"))

    def action_leave_text_box(self) -> None:
        """Escape: leave a text box so the screen's single-letter keys work again."""
        from textual.widgets import Input, TextArea  # TextArea's modules are not loaded for the first screen

        if isinstance(self.focused, Input | TextArea):
            self.screen.set_focus(None)
