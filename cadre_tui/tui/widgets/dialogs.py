"""Small dialogs of both apps: a message, a yes/no question, a choice among a few options, the help screen."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from cadre_tui.tui.screens.base import BaseMixin, BaseModal, full_description

DIALOG_CSS = """
MessageDialog, ConfirmDialog, ChoiceDialog, HelpScreen { align: center middle; }
.dialog { width: 64; max-width: 95%; height: auto; max-height: 90%; border: thick $primary;
          background: $surface; padding: 1 2; }
.dialog .dialog-title { text-style: bold; margin-bottom: 1; }
.dialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
.dialog Button { margin-left: 2; }
#help-body { height: auto; max-height: 20; }
"""


class MessageDialog(BaseModal):
    """A message the cadre acknowledges with enter or escape."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "key.close", id="dialog.close"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        """Title, message, one button."""
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.t("key.close"), id="close", variant="primary")

    def on_button_pressed(self) -> None:
        """The only button closes."""
        self.dismiss(None)

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)


class ConfirmDialog(BaseModal):
    """A yes/no question: y or enter for yes, n or escape for no."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "key.yes", id="dialog.yes"),
        Binding("n,escape", "answer(False)", "key.no", id="dialog.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and two buttons, yes focused."""
        with Vertical(classes="dialog"):
            yield Label(self.t("dlg.confirm"), classes="dialog-title")
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.t('key.yes')} (y)", id="yes", variant="primary")
                yield Button(f"{self.t('key.no')} (n)", id="no")

    def on_mount(self) -> None:
        """Enter answers yes."""
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Yes or no."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Answer by key."""
        self.dismiss(answer)


class ChoiceDialog(BaseModal):
    """Pick one of a few options (enter), or escape for none."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "key.cancel", id="dialog.cancel"),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        """Title and the options."""
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(label, id=value) for value, label in self.options])

    def on_mount(self) -> None:
        """Highlight the current value."""
        option_list = self.query_one(OptionList)
        values = [value for value, _ in self.options]
        if self.current in values:
            option_list.highlighted = values.index(self.current)
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter picks the highlighted option."""
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Pick nothing."""
        self.dismiss(None)


class HelpScreen(BaseModal):
    """`?`: what the current screen is for, and every key that works on it."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,question_mark", "close", "key.close", id="help.close"),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        """The screen's help text, then its keys with their descriptions."""
        screen = self.for_screen
        name_key = (screen.NAME_KEY if isinstance(screen, BaseMixin) else "") or "screen.dashboard"
        help_key = screen.HELP_KEY if isinstance(screen, BaseMixin) else ""
        lines = [self.t(help_key), "", self.t("help.keys")] if help_key else [self.t("help.keys")]
        seen: set[str] = set()
        for key, active in self.for_screen.active_bindings.items():
            binding = active.binding
            # only the app's own keys (they all have ids); widgets' cursor keys go without saying
            if binding.id is None or not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            shown = binding.key_display or self.app.get_key_display(binding)
            lines.append(f"  {shown or key:<12} {full_description(binding)}")
        lines += ["", self.t("help.global") + " · ".join(self._global_keys())]
        with Vertical(classes="dialog"):
            yield Label(self.t("help.title", screen=self.t(name_key)), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static("\n".join(lines), markup=False)

    def _global_keys(self) -> list[str]:
        """The app's own keys (those that work on every screen), from its `BINDINGS`: `d 总览`, …"""
        shown = []
        for binding in self.app.BINDINGS:
            if isinstance(binding, Binding) and binding.id and binding.description:
                key = binding.key_display or self.app.get_key_display(binding)
                shown.append(f"{key} {self.t(binding.description)}")
        return shown

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
