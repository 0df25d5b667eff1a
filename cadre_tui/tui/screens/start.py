"""The screen of a database with no community yet: how to start."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, Label, Static

from cadre_tui.tui.screens.base import CadreScreen


class StartScreen(CadreScreen):
    """Says which commands create or bring in a community; ctrl+q quits."""

    HELP_KEY = "help.no_community"
    NAME_KEY = "screen.no_community"
    CSS_PATH = "start.tcss"

    def compose(self) -> ComposeResult:
        """The instructions."""
        yield Header()
        with Vertical(id="start"):
            yield Label(self.t("app.no_community.title"), id="start-title")
            yield Static(self.t("app.no_community.body", path=self.cadre.db_path or ":memory:"), markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """At launch the store is opened once this screen is on the terminal."""
        self.call_after_refresh(self.cadre.first_screen_drawn)
