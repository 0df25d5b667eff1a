"""The unlock screen and the idle lock of an encrypted database (issue 9), driven by a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from cadre_tui.store.db import Store
from cadre_tui.tui.app import CadreApp
from cadre_tui.tui.screens.dashboard import DashboardScreen
from cadre_tui.tui.screens.unlock import UnlockScreen
from cadre_tui.tui.screens.visit import VisitFormScreen
from tests.tui.community import TODAY, build_community, make_database
from tests.tui.conftest import settle

PASSPHRASE = "correcthorse"
SIZE = (80, 24)


class FakeClock:
    """Seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def secret_db(tmp_path: Path) -> Path:
    """The fixture community in an encrypted database."""
    path = tmp_path / "data" / "cadre.db"
    store = Store.open(path, passphrase=PASSPHRASE)
    store.set_community("幸福社区", "XF01", "Asia/Shanghai")
    build_community(store)
    store.close()
    return path


def _message(app: CadreApp) -> str:
    return str(app.screen.query_one("#unlock-message", Static).render())


async def test_the_unlock_screen_comes_first_and_opens_the_database(secret_db: Path) -> None:
    app = CadreApp(secret_db, "zh", today=TODAY, idle_clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "数据库已加密" in str(app.screen.query_one("#unlock-title").render())
        await pilot.press("d")  # a screen key does nothing: it is typed into the box
        await pilot.press("enter")
        assert isinstance(app.screen, UnlockScreen)
        assert "口令不对" in _message(app)
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.store.community() is not None and app.store.encrypted


async def test_five_wrong_tries_make_it_wait_30_seconds(secret_db: Path) -> None:
    clock = FakeClock()
    app = CadreApp(secret_db, "zh", today=TODAY, idle_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(5):
            await pilot.press(*"wrongpass", "enter")
        assert "等待 30 秒" in _message(app)
        await pilot.press(*PASSPHRASE, "enter")  # the right one, but too soon: still locked
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "等待 30 秒" in _message(app)
        clock.now += 30
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_idle_lock_comes_over_a_form_and_keeps_its_text(
    secret_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", PASSPHRASE)
    clock = FakeClock()
    app = CadreApp(secret_db, "zh", today=TODAY, idle_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)  # the variable set: no unlock screen at start
        household = app.store.db.execute("SELECT id FROM households WHERE household_no = 'H0003'").fetchone()[
            0
        ]
        app.open_visit_form(household)
        await settle(pilot)
        notes = app.screen.query_one("#notes", TextArea)
        notes.focus()
        await pilot.press(*"unsaved")
        clock.now += 9 * 60
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, VisitFormScreen)  # 9 minutes: not yet
        clock.now += 10 * 60
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "已锁定" in str(app.screen.query_one("#unlock-title").render())
        await pilot.press(*"wrongpass", "enter")
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, VisitFormScreen)
        assert app.screen.query_one("#notes", TextArea).text == "unsaved"
        clock.now += 5 * 60
        await pilot.press("x")  # a key press restarts the count
        clock.now += 6 * 60
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, VisitFormScreen)


async def test_a_plain_database_never_locks_and_says_it_is_not_encrypted(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    make_database(plain)
    clock = FakeClock()
    app = CadreApp(plain, "zh", today=TODAY, idle_clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        clock.now += 3600
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert any("没有加密" in str(n.message) for n in app._notifications)
