"""The launch floor (issue 12): a bare Textual app, one Static, started and timed as the app is."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "bare Textual app drawn"


class BareApp(App[None]):
    """Nothing but one line of text: what any Textual app costs to start and draw."""

    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    BareApp().run()
