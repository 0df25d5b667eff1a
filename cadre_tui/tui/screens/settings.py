"""Settings (`o`): which cadre this laptop belongs to, households per field day, the language."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Header, Input, Label, Select, Static

from cadre_tui.store import views
from cadre_tui.tui.screens.base import CadreScreen


class SettingsScreen(CadreScreen):
    """This laptop's cadre, the planner's capacity, the app's language; ctrl+s saves."""

    CSS_PATH = "settings.tcss"
    HELP_KEY = "help.settings"
    NAME_KEY = "screen.settings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="settings.save", priority=True),
    ]

    class Loaded(Message):
        """Cadres and the current values."""

        def __init__(self, cadres: list[dict[str, Any]], me: str | None, capacity: str, lang: str) -> None:
            super().__init__()
            self.cadres = cadres
            self.me = me
            self.capacity = capacity
            self.lang = lang

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
        from cadre_tui.store.settings import get_setting_value

        with self.cadre.using_store() as store:
            cadres = views.cadres(store)
            me = store.get_setting("me")
            capacity = get_setting_value(store, "capacity").value
            lang = views.get_local(store, "lang") or self.cadre.lang
        self.post_message(self.Loaded(cadres, me, capacity, lang))

    def on_settings_screen_loaded(self, message: Loaded) -> None:
        """Show the values."""
        me = self.query_one("#me", Select)
        me.set_options([(f"{c['code']} {c['name']}", c["code"]) for c in message.cadres])
        if message.me in {c["code"] for c in message.cadres}:
            me.value = message.me
        self.query_one("#capacity", Input).value = message.capacity
        self.query_one("#lang", Select).value = message.lang

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
        from cadre_tui.store.settings import change_setting

        with self.cadre.using_store() as store, store.transaction():
            if me:
                change_setting(store, "me", me)
            if capacity:
                change_setting(store, "capacity", capacity)
            views.set_local(store, "lang", lang)
        self.cadre.call_from_thread(self._saved, lang)

    def _saved(self, lang: str) -> None:
        self.notify(self.t("set.saved"))
        if lang != self.cadre.lang:
            self.notify(self.t("app.restart_for_lang"))
