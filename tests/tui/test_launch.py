"""The app as `cadre-tui` launches it (issue 12): the first screen drawn from `first_look` before the store
is open, the store opened in a thread afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from cadre_tui.errors import Refused
from cadre_tui.store.db import Store
from cadre_tui.store.first_look import BEFORE_THE_KEY, FirstLook, first_look, first_look_soon
from cadre_tui.store.keys import ENV_PASSPHRASE, WrongPassphrase
from cadre_tui.store.settings import set_local
from cadre_tui.tui.app import CadreApp
from cadre_tui.tui.i18n import text
from cadre_tui.tui.screens.dashboard import DashboardScreen
from cadre_tui.tui.screens.households import HouseholdsScreen
from cadre_tui.tui.screens.start import StartScreen
from cadre_tui.tui.screens.unlock import UnlockScreen
from tests.tui.community import TODAY, build_community
from tests.tui.conftest import SIZE, press, running, settle
from tests.tui.test_unlock import FakeClock

PASSPHRASE = "correcthorse"


async def test_the_dashboard_is_drawn_then_filled_once_the_store_is_open(community_db: Path) -> None:
    look = first_look(community_db)
    assert look is not None and look.community_name
    app = CadreApp(community_db, "zh", today=TODAY, look=look)
    assert app._store is None  # nothing opened before the app runs
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        # the scorecard's columns are there before its figures
        labels = [str(c.label) for c in app.screen.query_one("#scorecard", DataTable).columns.values()]
        assert text("dash.col.members", "zh") in labels
        await settle(pilot)
        assert app._store is not None
        assert app.sub_title == look.community_name
        assert app.screen.query_one("#scorecard", DataTable).row_count == 2
        overdue = app.screen.query_one("#overdue", DataTable)
        assert [str(overdue.get_row_at(n)[0]) for n in range(overdue.row_count)] == ["单田芳", "曾国强"]
        await press(pilot, "h")
        assert isinstance(app.screen, HouseholdsScreen)
    assert app.open_error is None


async def test_a_key_pressed_before_the_store_is_open_waits_for_it(community_db: Path) -> None:
    app = CadreApp(community_db, "zh", today=TODAY, look=first_look(community_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdsScreen)
        assert app._store is not None


async def test_no_community_yet_is_the_how_to_start_screen(plain_db: Path) -> None:
    app = CadreApp(plain_db, "zh", today=TODAY, look=FirstLook(lang=None, community_name=None))
    async with running(app):
        assert isinstance(app.screen, StartScreen)


async def test_a_database_that_fails_to_open_afterwards_ends_the_app_with_its_error(plain_db: Path) -> None:
    """`first_look` saw an ordinary database, then another program made it newer: `run` raises the error
    (the command line prints it, exit 3) instead of a screen on a database it cannot read."""
    store = Store.open(plain_db)
    store.db.execute("PRAGMA user_version = 99")
    store.close()
    app = CadreApp(plain_db, "zh", today=TODAY, look=FirstLook(lang=None, community_name="幸福社区"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert isinstance(app.open_error, Refused)
    assert app.return_code == 1


# -- an encrypted database with CADRE_TUI_PASSPHRASE: drawn before its key ---------------------------------


@pytest.fixture
def secret_community(tmp_path: Path) -> Path:
    """The fixture community in an encrypted database, English saved in Settings."""
    path = tmp_path / "secret" / "cadre.db"
    store = Store.open(path, passphrase=PASSPHRASE)
    store.set_community("幸福社区", "XF01", "Asia/Shanghai")
    build_community(store)
    set_local(store, "lang", "en")
    store.close()
    return path


async def test_an_encrypted_dashboard_is_drawn_then_named_and_filled_once_its_key_is_derived(
    secret_community: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    look = first_look_soon(secret_community, PASSPHRASE)()
    assert look == BEFORE_THE_KEY
    app = CadreApp(secret_community, "zh", today=TODAY, look=look)
    assert app._store is None and app.sub_title == ""  # the name comes with the store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await settle(pilot)
        assert app._store is not None and app._store.encrypted
        assert app.sub_title == "幸福社区"
        assert app.screen.query_one("#scorecard", DataTable).row_count == 2
        # `--lang` given (no follow_saved_lang): the saved English does not replace it
        assert app.lang == "zh"
        first = app.screen
        await press(pilot, "d")  # the first screen's own key keeps it
        assert app.screen is first
        await press(pilot, "h")
        await press(pilot, "escape")  # out of the search box
        await press(pilot, "d")
        assert isinstance(app.screen, DashboardScreen)
        await settle(pilot)
        assert app.screen.query_one("#scorecard", DataTable).row_count == 2
    assert app.open_error is None


def scorecard_labels(app: CadreApp) -> list[str]:
    """The dashboard's scorecard column labels as drawn."""
    table = app.screen.query_one("#scorecard", DataTable)
    return [str(column.label) for column in table.columns.values()]


async def test_an_encrypted_dashboard_drawn_before_its_key_follows_the_saved_language_once_open(
    secret_community: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    app = CadreApp(secret_community, "zh", today=TODAY, look=BEFORE_THE_KEY, follow_saved_lang=True)
    async with app.run_test(size=SIZE) as pilot:
        # drawn in the default language (the saved English cannot be read before the key), then again
        await settle(pilot)
        assert app._opened.wait(10)
        await settle(pilot)  # the dashboard drawn again, and its figures loaded
        await settle(pilot)
        assert app.lang == "en"
        assert isinstance(app.screen, DashboardScreen)
        assert text("dash.col.members", "en") in scorecard_labels(app)
        assert app.title == text("app.title", "en")
        assert app.screen.query_one("#scorecard", DataTable).row_count == 2
        await press(pilot, "h")
        assert isinstance(app.screen, HouseholdsScreen)
        await press(pilot, "escape", "d")
        assert isinstance(app.screen, DashboardScreen)
    assert app.open_error is None


async def test_the_unlock_screen_then_the_saved_language(
    secret_community: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    app = CadreApp(secret_community, "zh", today=TODAY, follow_saved_lang=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.lang == "en"
        assert text("dash.col.members", "en") in scorecard_labels(app)


async def test_the_idle_lock_works_on_a_database_opened_after_its_first_screen(
    secret_community: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    clock = FakeClock()
    app = CadreApp(secret_community, "zh", today=TODAY, idle_clock=clock, look=BEFORE_THE_KEY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        clock.now += 11 * 60
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_an_encrypted_database_without_a_community_shows_how_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "empty.db"
    Store.open(path, passphrase=PASSPHRASE).close()
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    app = CadreApp(path, "zh", today=TODAY, look=first_look_soon(path, PASSPHRASE)())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await press(pilot, "h")  # screen keys are off before a community exists
        assert isinstance(app.screen, StartScreen)


async def test_a_wrong_passphrase_ends_the_app_with_its_refusal_and_touches_nothing(
    secret_community: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, "not the passphrase")
    before = sorted(p.name for p in secret_community.parent.iterdir()), secret_community.read_bytes()
    app = CadreApp(secret_community, "zh", today=TODAY, look=first_look_soon(secret_community, "x")())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert isinstance(app.open_error, WrongPassphrase)
    assert app.return_code == 1  # `run` raises the error: the command line says it, exit 3
    assert (
        sorted(p.name for p in secret_community.parent.iterdir()),
        secret_community.read_bytes(),
    ) == before
