"""The Textual app: one screen per job (modes), a shared store behind a lock, keys in the cadres' language.

Database access: the app opens ONE `Store` (its connection made with `check_same_thread=False`) and every
worker thread uses it inside `app.using_store()`, which holds a lock. One store, not one per worker,
because the store's write clock (`updated_at` strictly increasing per laptop) lives in the Store object:
two Stores in one process could hand out the same stamp. Reads are a few milliseconds, so serialising
them costs nothing a cadre can see; a second app instance on the same file is another process and
SQLite's WAL and busy timeout keep the two apart.

Launch (`run`, issue 12): the first screen is drawn before the store is opened. `store/first_look.py`
reads the language, whether there is a community and its name (in a thread the command line starts
before Textual is imported); the app starts on the dashboard (or the how-to-start screen) with them,
then opens the store in a thread of its own; `store` and `using_store()` wait for it, so a screen's
worker started meanwhile (the dashboard's figures) simply starts a moment later. Built directly
(`CadreApp(path)`: the tests, the bench's keystrokes), the app opens its store before it starts, as it
always did.
"""

from __future__ import annotations

import gc
import inspect
import os
import threading
import time as clock_time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen

from cadre_tui.tui.base_app import COMMON_BINDINGS, BaseApp
from cadre_tui.tui.i18n import LANGS
from cadre_tui.tui.screens.base import CadreMixin

if TYPE_CHECKING:
    from cadre_tui.store.db import Store
    from cadre_tui.store.first_look import FirstLook


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


def screen_css(mode: str) -> list[Path]:
    """The style files of a main screen, as Textual resolves its `CSS_PATH` (launch, issue 12).

    When a new screen brings a file the stylesheet does not have yet, Textual parses every style
    source of the app again (~6 ms), and a `switch_mode` to it restyles the whole screen and refreshes
    the app's styles twice (~10 ms each). With the first screen's file read with the app's own and that
    screen as Textual's default screen (`CadreApp.get_default_screen`: no mode to start, whose new
    screen would refresh every style once more), none is left."""
    if mode == "dashboard":  # only the module of the screen drawn first is imported before it
        from cadre_tui.tui.screens.dashboard import DashboardScreen

        screen: type[Screen[Any]] = DashboardScreen
    else:
        from cadre_tui.tui.screens.start import StartScreen

        screen = StartScreen
    css = screen.CSS_PATH
    paths = css if isinstance(css, list) else [css] if css else []
    return [(Path(inspect.getfile(screen)).parent / path).resolve() for path in paths]


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

    def __init__(
        self,
        db_path: Path | None,
        lang: str = "zh",
        today: date | None = None,
        idle_clock: Callable[[], float] | None = None,
        look: FirstLook | None = None,
        follow_saved_lang: bool = False,
    ) -> None:
        """`look`: the database's first-screen values (`run`); the store is then opened after the first
        screen is drawn, else here. `follow_saved_lang`: `lang` is only the default, and the language
        saved in Settings wins once the store is open (an encrypted database, read only after its key)."""
        # With `look`, the first screen (this mode's) is Textual's default screen (`get_default_screen`):
        # no switch from a blank screen, and no refresh of every style that a new mode's screen costs
        self.first_mode: str | None = None
        if look is not None:
            self.first_mode = "dashboard" if look.community_name is not None else "start"
        super().__init__(lang)
        if self.first_mode is not None:
            # its styles read with the app's: Textual re-parses every style source when a screen's own
            # file first comes in (`screen_css`)
            for path in screen_css(self.first_mode):
                self.stylesheet.read(path)
        from cadre_tui.store.kind import ENV_PASSPHRASE, file_kind

        self.db_path = db_path
        self.store_lock = threading.Lock()
        self._store: Store | None = None
        self.look = look
        self.follow_saved_lang = follow_saved_lang
        # With `look`: the thread that opens the store, started once the first screen is drawn (or by the
        # first use of the store, whichever comes first); `_opened` is set when it has (or has failed to).
        self._opening: threading.Thread | None = None
        self._opening_lock = threading.Lock()
        self._opened = threading.Event()
        self.open_error: BaseException | None = None
        self.fixed_today = today
        self.title = self.t("app.title")
        # The idle lock's clock (seconds; tests drive it) and the last key press by it.
        self.idle_clock: Callable[[], float] = idle_clock or clock_time.monotonic
        self.last_key_at = self.idle_clock()
        self.locked = False
        self.passphrase = os.environ.get(ENV_PASSPHRASE) or None
        # An encrypted database without CADRE_TUI_PASSPHRASE is opened by the unlock screen.
        self.needs_unlock = (
            look is None
            and db_path is not None
            and file_kind(db_path) == "encrypted"
            and self.passphrase is None
        )
        if look is not None:
            self.sub_title = look.community_name or ""
        elif not self.needs_unlock:
            self._open_store(self.passphrase)
            self.sub_title = self._community_name()

    def _open_store(self, passphrase: str | None) -> None:
        from cadre_tui.store.db import Store
        from cadre_tui.store.keys import file_kind

        # No database yet: the how-to-start screen over an empty store in memory, and no file made
        # (`init` must find no database, so that it creates an encrypted one).
        missing = self.db_path is None or file_kind(self.db_path) == "missing"
        self._store = Store.open(None if missing else self.db_path, passphrase=passphrase)

    def _community_name(self) -> str:
        return self._community_name_or_none() or ""

    def _community_name_or_none(self) -> str | None:
        community = self.store.community()
        return community.name if community else None

    # -- for screens ---------------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The open store; at launch, once its thread has opened it (waiting for it until then)."""
        if self._store is None and self.look is not None:
            self._start_opening()
            self._opened.wait()
        if self._store is None:
            raise RuntimeError("the database is not open") from self.open_error
        return self._store

    @contextmanager
    def using_store(self) -> Iterator[Store]:
        """The store, held for this thread alone (see the module docstring)."""
        store = self.store
        with self.store_lock:
            yield store

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
        """Ask for the passphrase first when the database is encrypted; then open the first screen."""
        if self.needs_unlock:
            from cadre_tui.tui.screens.unlock import UnlockScreen

            self.locked = True
            self.push_screen(
                UnlockScreen(self._unlock_open, self.idle_clock, self.lang, locked=False), self._unlocked
            )
            return
        self._first_screen()
        if self.look is None:
            self._store_opened()
        else:
            # the store's imports and queries wait until the first screen is on the terminal: the screen
            # says so (`first_screen_drawn`), this is in case it does not
            self.call_after_refresh(self._start_opening)

    def _unlock_open(self, passphrase: str) -> bool:
        from cadre_tui.store.keys import WrongPassphrase

        try:
            self._open_store(passphrase)
        except WrongPassphrase:
            return False
        self._use_saved_lang(self._saved_lang())
        self.sub_title = self._community_name()
        return True

    def _saved_lang(self) -> str | None:
        """The language saved in Settings, when it is to win over the default one the app started in."""
        from cadre_tui.store.settings import get_local

        return get_local(self.store, "lang") if self.follow_saved_lang else None

    def _use_saved_lang(self, saved: str | None) -> bool:
        """Speak `saved` (the Settings language) from now on; whether that changed the language."""
        if saved not in LANGS or saved == self.lang:
            return False
        self.lang = saved
        self.title = self.t("app.title")
        return True

    def _unlocked(self, _ok: bool | None = None) -> None:
        self.locked = False
        self.last_key_at = self.idle_clock()
        if not hasattr(self, "_started"):
            self._first_screen()
            self._store_opened()

    def _first_screen(self) -> None:
        """Open the dashboard, or the how-to-start screen on a database with no community."""
        self._started = True
        if self.first_mode is not None:
            return  # the default screen already (`get_default_screen`)
        has_community = self.store.community() is not None
        self.switch_mode("dashboard" if has_community else "start")

    def get_default_screen(self) -> Screen[Any]:
        """At launch (`look`), the first screen itself; else Textual's blank one until `_first_screen`."""
        if self.first_mode is None:
            return super().get_default_screen()
        return _dashboard() if self.first_mode == "dashboard" else _start()

    def showing(self, mode: str) -> bool:
        """Whether the main screen of `mode` is the current one (at launch the first is the default's)."""
        current = self.current_mode
        return current == mode or (current == self.DEFAULT_MODE and mode == self.first_mode)

    def first_screen_drawn(self) -> None:
        """The first screen is on the terminal (its first callback after a refresh calls this, before it
        mounts anything more): with `look`, the store is opened now, in a thread, beside the rest of the
        screen's work. Once; the first use of the store starts it too."""
        if self.look is not None:
            self._start_opening()

    def _start_opening(self) -> None:
        """Open the store in a thread of its own (launch, with `look`), once."""
        with self._opening_lock:
            if self._opening is None:
                self._opening = threading.Thread(
                    target=self._open_in_background, name="cadre-open", daemon=True
                )
                self._opening.start()

    def _open_in_background(self) -> None:
        """The opening thread: the store opened, then `_store_opened` on the app's thread."""
        try:
            if self.look is not None and self.look.before_key and self.passphrase and self.db_path:
                from cadre_tui.store.kdf import derive_ahead

                # PBKDF2 on another core while this thread imports the store's modules and SQLCipher
                derive_ahead(self.db_path, self.passphrase, new=False)
            # held while the store is opened and first read: a worker that finds `_store` set waits here
            with self.store_lock:
                self._open_store(self.passphrase)
                reminder = self.store.plain_reminder_due()  # a write: before any worker has the store
                # drawn before the key (an encrypted file): the community's name, or None for none yet,
                # and the language saved in Settings
                before_key = self.look is not None and self.look.before_key
                name = self._community_name_or_none() if before_key else ""
                saved_lang = self._saved_lang() if before_key else None
        except BaseException as exc:  # reported by `run` once the app has ended, as the command line does
            self.open_error = exc
            self._opened.set()
            self._from_thread(partial(self.exit, return_code=1))
            return
        self._opened.set()
        self._from_thread(partial(self._store_opened, reminder, name, saved_lang))

    def _from_thread(self, callback: Callable[[], object]) -> None:
        """Run `callback` on the app's thread, unless the app has ended meanwhile."""
        with suppress(RuntimeError):  # the app is no longer running
            self.call_from_thread(callback)

    def _store_opened(
        self, reminder: bool | None = None, name: str | None = "", saved_lang: str | None = None
    ) -> None:
        """The reminder that the database is not encrypted, the idle lock of an encrypted one; drawn
        before the key, the community's `name` in the header, or (None) the how-to-start screen, and the
        language saved in Settings (`saved_lang`): the first screen drawn again in it."""
        if self.look is not None and self.look.before_key:
            relabelled = self._use_saved_lang(saved_lang)
            self.sub_title = name or ""
            if name is None:
                self.action_go("start")
            elif relabelled and self.current_mode == self.DEFAULT_MODE and len(self.screen_stack) == 1:
                self.switch_mode("dashboard")
            elif relabelled:  # the cadre has moved on already: screens opened meanwhile keep their words
                self.notify(self.t("app.restart_for_lang"))
        if reminder is None:
            reminder = self.store.plain_reminder_due()
        if reminder:
            self.notify(self.t("app.not_encrypted"), severity="warning", timeout=15)
        if self.store.encrypted:
            self.set_interval(15, self.check_idle_lock)
        # Everything loaded at start-up lives as long as the app: moving it out of the collector's
        # reach keeps full collections (50-75 ms each) from landing between a keystroke and its results.
        gc.freeze()
        gc.enable()  # off while the app started (cli/app.py)

    def on_unmount(self) -> None:
        """Close the database when the app ends (once opened, if the app ends while it is being opened)."""
        if self._opening is not None:
            self._opened.wait(timeout=10)
        if self._store is None:
            return
        with self.store_lock:
            self._store.close()

    # -- the idle lock --------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Note every key press (the idle lock counts from the last one)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.last_key_at = self.idle_clock()
        await super().on_event(event)

    def check_idle_lock(self) -> None:
        """Lock an encrypted database's app after `lock_minutes` without a key press (run every 15 s)."""
        from cadre_tui.core.settings import LOCK_MINUTES

        key = self.store.key
        if key is None or self.locked:
            return
        minutes = self.store.get_setting("lock_minutes", LOCK_MINUTES)
        if self.idle_clock() - self.last_key_at < max(1, int(minutes)) * 60:
            return
        from cadre_tui.tui.screens.unlock import UnlockScreen

        self.locked = True
        self.push_screen(UnlockScreen(key.matches, self.idle_clock, self.lang, locked=True), self._unlocked)

    # -- actions ----------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Screen keys are off before a community exists, and (`BaseApp`) in a form or under a dialog."""
        if self.locked and action != "quit":
            return False
        if action in self.SCREEN_ACTIONS and self.showing("start"):
            return False
        return super().check_action(action, parameters)

    def action_go(self, mode: str) -> None:
        """Switch to one of the main screens; the first screen's key keeps it (the default mode's)."""
        if self.showing(mode):
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        super().action_go(mode)

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


def run(db_path: Path, lang: str = "zh", look: Callable[[], FirstLook | None] | None = None) -> int:
    """Open the app on the database at `db_path`; return the exit code.

    `look`: the database's first-screen values (`store.first_look.first_look_soon`); with them the first
    screen is drawn before the store is opened. Without them, or when they say the database must be
    opened as usual first (a migration, a newer program's file, a wrong passphrase), the store is opened
    here and reports what it finds as it always has.
    """
    from cadre_tui.store.kind import ENV_PASSPHRASE, file_kind

    # `--lang` defaults to zh, so the language saved in Settings wins over the default (docs/app.md).
    # (An encrypted database cannot be read before its key: the unlock screen, and the first screen drawn
    # before the key, speak `--lang`; the app speaks the saved language once the store is open.)
    if look is not None:
        # the usual first screen's module imported while the first look is read
        import cadre_tui.tui.screens.dashboard  # noqa: F401
    seen = look() if look is not None else None
    if seen is not None:
        # `--lang` is the default (zh) and the language could not be read before the key: the saved one
        # is applied once the store is open
        follow = lang == "zh" and seen.lang is None
        app = CadreApp(
            db_path, (seen.lang or lang) if lang == "zh" else lang, look=seen, follow_saved_lang=follow
        )
    else:
        gc.enable()  # the unlock screen may wait a long time; the store is opened here
        passphrase = os.environ.get(ENV_PASSPHRASE) or None
        kind = file_kind(db_path)
        if lang == "zh" and (kind == "plain" or (kind == "encrypted" and passphrase)):
            from cadre_tui.store.db import Store
            from cadre_tui.store.settings import get_local

            store = Store.open(db_path, passphrase=passphrase)
            try:
                lang = get_local(store, "lang") or lang
            finally:
                store.close()
        # an encrypted database without the passphrase in the environment: unlocked in the app
        app = CadreApp(
            db_path, lang, follow_saved_lang=lang == "zh" and kind == "encrypted" and not passphrase
        )
    app.run()
    if app.open_error is not None:
        raise app.open_error
    return app.return_code or 0
