"""The Textual app: one screen per job (modes), a shared store behind a lock, keys in the cadres' language.

Database access: the app opens ONE `Store` (its connection made with `check_same_thread=False`) and every
worker thread uses it inside `app.using_store()`, which holds a lock. One store, not one per worker,
because the store's write clock (`updated_at` strictly increasing per laptop) lives in the Store object:
two Stores in one process could hand out the same stamp. Reads are a few milliseconds, so serialising
them costs nothing a cadre can see; a second app instance on the same file is another process and
SQLite's WAL and busy timeout keep the two apart.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from cadre_tui.store.db import Store
from cadre_tui.tui.base_app import COMMON_BINDINGS, BaseApp
from cadre_tui.tui.screens.base import CadreMixin


def _dashboard() -> Screen[Any]:
    from cadre_tui.tui.screens.dashboard import DashboardScreen

    return DashboardScreen()


def _plan() -> Screen[Any]:
    from cadre_tui.tui.screens.plan import PlanScreen

    return PlanScreen()


def _households() -> Screen[Any]:
    from cadre_tui.tui.screens.households import HouseholdsScreen

    return HouseholdsScreen()


def _matters() -> Screen[Any]:
    from cadre_tui.tui.screens.matters import MattersScreen

    return MattersScreen()


def _settings() -> Screen[Any]:
    from cadre_tui.tui.screens.settings import SettingsScreen

    return SettingsScreen()


def _start() -> Screen[Any]:
    from cadre_tui.tui.screens.start import StartScreen

    return StartScreen()


class CadreApp(BaseApp):
    """cadre-tui's app. `today` may be fixed (tests, snapshots); else it is the community's today.

    A new main screen: a factory in `MODES` and a `go.<mode>` binding in `BINDINGS` (its description a
    catalogue key); the footer, the help screen and the command palette pick it up from the binding.
    A screen's own keys are its `BINDINGS`, each with an `id` (see docs/app.md, "Notes for developers").
    What it shares with the office app (help, palette, escape, quit, the error dialog) is `BaseApp`'s.
    """

    SCREEN_ACTIONS: ClassVar = frozenset({"go", "sync", "visit"})
    MODES: ClassVar = {
        "dashboard": _dashboard,
        "plan": _plan,
        "households": _households,
        "matters": _matters,
        "settings": _settings,
        "start": _start,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "go('dashboard')", "key.dashboard", id="go.dashboard"),
        Binding("p", "go('plan')", "key.plan", id="go.plan"),
        Binding("h", "go('households')", "key.households", id="go.households"),
        Binding("m", "go('matters')", "key.matters", id="go.matters"),
        Binding("s", "sync", "key.sync", id="go.sync"),
        Binding("o", "go('settings')", "key.settings", id="go.settings", show=False),
        Binding("v", "visit", "key.visit", id="visit.new"),
        *COMMON_BINDINGS,
    ]

    def __init__(self, db_path: Path | None, lang: str = "zh", today: date | None = None) -> None:
        super().__init__(lang)
        self.store = Store.open(db_path)
        self.store_lock = threading.Lock()
        self.fixed_today = today
        self.title = self.t("app.title")
        community = self.store.community()
        self.sub_title = community.name if community else ""

    # -- for screens ---------------------------------------------------------------------------------

    @contextmanager
    def using_store(self) -> Iterator[Store]:
        """The store, held for this thread alone (see the module docstring)."""
        with self.store_lock:
            yield self.store

    def today(self) -> date:
        """Today in the community's time zone, or the fixed day the app was started with."""
        if self.fixed_today is not None:
            return self.fixed_today
        with self.using_store() as store:
            return store.today()

    def now(self) -> datetime:
        """Now (UTC); with a fixed today, noon of that day in the community's time zone."""
        if self.fixed_today is not None:
            return datetime.combine(self.fixed_today, time(12, 0), tzinfo=self.store.tz()).astimezone(UTC)
        return datetime.now(UTC)

    # -- lifecycle ------------------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Open the dashboard, or the how-to-start screen on a database with no community."""
        self.switch_mode("dashboard" if self.store.community() else "start")
        # Everything loaded at start-up lives as long as the app: moving it out of the collector's
        # reach keeps full collections (50-75 ms each) from landing between a keystroke and its results.
        gc.freeze()

    def on_unmount(self) -> None:
        """Close the database when the app ends."""
        with self.using_store() as store:
            store.close()

    # -- actions ----------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Screen keys are off before a community exists, and (`BaseApp`) in a form or under a dialog."""
        if action in self.SCREEN_ACTIONS and self.current_mode == "start":
            return False
        return super().check_action(action, parameters)

    def action_sync(self) -> None:
        """Open the sync screen; the app runs on without it when it cannot be loaded."""
        if type(self.screen).__name__ == "SyncScreen":
            return
        try:
            from cadre_tui.tui.screens.sync import SyncScreen

            screen = SyncScreen()
        except Exception as exc:  # any failure to load it must not take the app down
            self.notify(self.t("app.sync_missing", error=f"{type(exc).__name__}: {exc}"), severity="warning")
            return
        self.push_screen(screen)

    def action_visit(self) -> None:
        """Open the visit form for the household selected on the current screen."""
        screen = self.screen
        household_id = screen.selected_household_id() if isinstance(screen, CadreMixin) else None
        if not household_id:
            self.notify(self.t("app.choose_household"), severity="warning")
            return
        self.open_visit_form(household_id)

    def open_visit_form(
        self,
        household_id: str,
        visit_id: str | None = None,
        on_saved: Callable[[bool | None], None] | None = None,
    ) -> None:
        """Push the visit form for a household (a new visit, or `visit_id` to edit)."""
        from cadre_tui.tui.screens.visit import VisitFormScreen

        self.push_screen(VisitFormScreen(household_id, visit_id), on_saved)


def run(db_path: Path, lang: str = "zh") -> int:
    """Open the app on the database at `db_path`; return the exit code."""
    from cadre_tui.store.settings import get_local

    if lang == "zh":
        # `--lang` defaults to zh, so the language saved in Settings wins over the default (docs/app.md).
        store = Store.open(db_path)
        try:
            lang = get_local(store, "lang") or lang
        finally:
            store.close()
    app = CadreApp(db_path, lang)
    app.run()
    return app.return_code or 0
