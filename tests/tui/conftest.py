"""Fixtures for the app's tests: the small community on disk, and the app on it with a fixed today."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path

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


async def settle(pilot: Pilot[object]) -> None:
    """Let messages flow and every worker finish (twice: a worker's result may start another)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def freeze(pilot: Pilot[object]) -> None:
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
