"""Fixtures for the app's tests: the small community on disk, and the app on it with a fixed today."""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from cadre_tui.store.db import Store
from cadre_tui.tui.app import CadreApp
from tests.tui.community import TODAY, make_database


@pytest.fixture
def community_db(tmp_path: Path) -> Path:
    """The fixture community in a fresh database file."""
    path = tmp_path / "data" / "cadre.db"
    make_database(path)
    # Today's "not encrypted" reminder counted as given, so no toast covers the screens under test
    # (tests/tui/test_unlock.py checks the reminder itself).
    store = Store.open(path)
    store.plain_reminder_due()
    store.close()
    return path


@pytest.fixture
def make_app(community_db: Path) -> Callable[..., CadreApp]:
    """A factory: the app on the fixture community, Chinese unless told, today fixed at 2026-11-24."""

    def build(lang: str = "zh", path: Path | None = None) -> CadreApp:
        return CadreApp(path or community_db, lang, today=TODAY)

    return build


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages flow and every worker finish (twice: a worker's result may start another)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def freeze(pilot: Pilot[Any]) -> None:
    """Settle, then stop cursors blinking so a snapshot does not depend on when it was taken."""
    await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False
    # DataTable sizes its columns on a later refresh: give it a moment, then settle again
    await pilot.pause(0.2)
    await settle(pilot)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no asyncio plugin is installed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


# -- helpers the app's tests share -------------------------------------------------------------------

SIZE = (100, 30)
AppFactory = Callable[..., CadreApp]


@asynccontextmanager
async def running(app: CadreApp, size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot[int]]:
    """The app running headless at `size`, its first screen loaded."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press `keys`, then let the app settle (workers done, screens drawn)."""
    await pilot.press(*keys)
    await settle(pilot)


async def open_household(pilot: Pilot[Any], household_no: str) -> None:
    """Households screen, search the number, leave the search box (the screen's keys work then)."""
    await press(pilot, "h", *household_no, "escape")


async def open_visit_form(pilot: Pilot[Any], household_no: str) -> None:
    """The visit form for a household, opened as a cadre would: search it, enter."""
    await open_household(pilot, household_no)
    await press(pilot, "enter")


def db_rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """What the database file holds (read apart from the app, as a check)."""
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


def household_id(path: Path, household_no: str) -> str:
    """The id of a household of the fixture community."""
    return str(db_rows(path, "SELECT id FROM households WHERE household_no = ?", (household_no,))[0][0])


def resident_id(path: Path, name: str) -> str:
    """The id of a resident of the fixture community."""
    return str(db_rows(path, "SELECT id FROM residents WHERE name = ?", (name,))[0][0])
