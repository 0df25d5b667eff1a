"""The unlock screen: the database passphrase, asked before anything else and again after the idle lock.

It covers the whole app (opaque), so nothing behind it shows, and it is pushed over whatever was open:
dismissing it returns to that screen as it was, unsaved form text included. Five wrong tries in a row
make it wait 30 s before the next. The time comes from the app's `idle_clock` (tests drive it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from cadre_tui.tui.i18n import text

MAX_TRIES = 5
WAIT_SECONDS = 30.0


class UnlockScreen(ModalScreen[bool]):
    """A masked passphrase box. `check(passphrase)` says whether it is right (and does the unlocking)."""

    CSS_PATH = "unlock.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "nothing", show=False)]

    def __init__(
        self, check: Callable[[str], bool], clock: Callable[[], float], lang: str, *, locked: bool
    ) -> None:
        super().__init__()
        self.check = check
        self.clock = clock
        self.lang = lang
        self.locked = locked
        self.wrong = 0
        self.blocked_until = 0.0

    def t(self, key: str, **fields: object) -> str:
        """A label in the language the app was started with (the database is not readable yet)."""
        return text(key, self.lang, **fields)

    def compose(self) -> ComposeResult:
        """Title, the masked box, the message line."""
        with Vertical(id="unlock-box"):
            yield Label(self.t("unlock.locked" if self.locked else "unlock.title"), id="unlock-title")
            yield Static(self.t("unlock.prompt"), id="unlock-prompt")
            yield Input(password=True, id="unlock-passphrase", placeholder=self.t("unlock.placeholder"))
            yield Static("", id="unlock-message", markup=False)
            yield Static(self.t("unlock.quit"), id="unlock-quit", classes="muted")

    def on_mount(self) -> None:
        """The cursor in the box."""
        self.query_one("#unlock-passphrase", Input).focus()

    def action_nothing(self) -> None:
        """Escape does not leave the lock."""

    @on(Input.Submitted, "#unlock-passphrase")
    def submitted(self, event: Input.Submitted) -> None:
        """Check the passphrase; after five wrong ones in a row, wait 30 s."""
        box = self.query_one("#unlock-passphrase", Input)
        message = self.query_one("#unlock-message", Static)
        now = self.clock()
        if now < self.blocked_until:
            message.update(self.t("unlock.wait", seconds=int(self.blocked_until - now + 0.999)))
            box.value = ""
            return
        value = event.value
        box.value = ""
        if value and self.check(value):
            self.dismiss(True)
            return
        self.wrong += 1
        if self.wrong >= MAX_TRIES:
            self.wrong = 0
            self.blocked_until = now + WAIT_SECONDS
            message.update(self.t("unlock.wait", seconds=int(WAIT_SECONDS)))
        else:
            message.update(self.t("unlock.wrong", left=MAX_TRIES - self.wrong))
