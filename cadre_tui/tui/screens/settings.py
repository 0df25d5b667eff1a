"""Settings (`o`): which cadre this laptop belongs to, households per field day, the language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Header, Input, Label, Select, Static

from cadre_tui.store import views
from cadre_tui.store.settings import AppSettings, app_settings, save_app_settings
from cadre_tui.store.views import Cadre
from cadre_tui.tui.screens.base import CadreScreen


class SettingsScreen(CadreScreen):
    """This laptop's cadre, the planner's capacity, the app's language; ctrl+s saves."""

    CSS_PATH = "settings.tcss"
    HELP_KEY = "help.settings"
    NAME_KEY = "screen.settings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="settings.save", priority=True),
    ]

    @dataclass
    class Loaded(Message):
        """Cadres and the current values."""

        cadres: list[Cadre]
        values: AppSettings

    def compose(self) -> ComposeResult:
        """Three settings and a hint."""
        t = self.t
        yield Header()
        with Vertical(id="settings"):
            yield Static(t("set.title"), classes="section-title")
            yield Label(t("set.me"))
            yield Select[str]([], id="me", prompt=t("set.none"))
            yield Label(t("set.capacity"))
            yield Input(id="capacity", type="integer")
            yield Label(t("set.lang"))
            yield Select[str](
                [("中文", "zh"), ("English", "en")], id="lang", allow_blank=False, value=self.cadre.lang
            )
            yield Static("ctrl+s " + t("key.save"), classes="muted")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Read the current values."""
        if not self.still_loading("settings"):
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def load(self) -> None:
        """Cadres, `me`, capacity and the saved language."""
        with self.cadre.using_store() as store:
            cadres = views.cadres(store)
            values = app_settings(store)
        self.post_message(self.Loaded(cadres, values))

    def on_settings_screen_loaded(self, message: Loaded) -> None:
        """Show the values."""
        values = message.values
        me = self.query_one("#me", Select)
        me.set_options([(f"{c.code} {c.name}", c.code) for c in message.cadres])
        if values.me in {c.code for c in message.cadres}:
            me.value = values.me
        self.query_one("#capacity", Input).value = values.capacity
        self.query_one("#lang", Select).value = values.lang or self.cadre.lang

    def action_save(self) -> None:
        """Write the three settings in a worker."""
        me = self.query_one("#me", Select).value
        lang = self.query_one("#lang", Select).value
        self.save(
            me if isinstance(me, str) else None,
            self.query_one("#capacity", Input).value.strip(),
            lang if isinstance(lang, str) else self.cadre.lang,
        )

    @work(thread=True, exit_on_error=False, group="settings-save")
    def save(self, me: str | None, capacity: str, lang: str) -> None:
        """Through the settings functions of the store, which check the values."""
        with self.cadre.using_store() as store:
            save_app_settings(store, me, capacity, lang)
        self.cadre.call_from_thread(self._saved, lang)

    def _saved(self, lang: str) -> None:
        self.notify(self.t("set.saved"))
        if lang != self.cadre.lang:
            self.notify(self.t("app.restart_for_lang"))
