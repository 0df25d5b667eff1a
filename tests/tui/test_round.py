"""A day's round in one pass, and the walk list from the Plan screen: keys pressed, then the database."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from python_calamine import CalamineWorkbook
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from cadre_tui.tui.app import CadreApp
from cadre_tui.tui.screens.plan import PlanScreen
from cadre_tui.tui.screens.round import RoundScreen
from cadre_tui.tui.screens.round_forms import NeedsDialog
from cadre_tui.tui.widgets.dialogs import ConfirmDialog
from tests.tui.conftest import settle

AppFactory = Callable[..., CadreApp]
SIZE = (100, 30)


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


VISITS_OF_THE_DAY = (
    "SELECT h.household_no, v.outcome, v.notes, v.needs, v.follow_up_date, t.code, "
    "(SELECT group_concat(c.code, ',') FROM cadres c WHERE instr(v.cadre_ids, c.id) > 0) "
    "FROM visits v JOIN households h ON h.id = v.household_id JOIN teams t ON t.id = v.team_id "
    "WHERE v.visit_date = '2026-11-24' AND v.deleted = 0 ORDER BY h.household_no"
)


async def test_a_day_of_four_households_in_seven_keys(make_app: AppFactory, community_db: Path) -> None:
    assert _rows(community_db, VISITS_OF_THE_DAY) == []
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # p: the plan; down: Tuesday 11-24 (today); r: its round
        await pilot.press("p", "down", "r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RoundScreen)
        table = screen.query_one("#round", DataTable)
        # the walk list's order: by building, in the order the plan first reaches them
        assert [str(table.get_row_at(n)[1]) for n in range(table.row_count)] == [
            "H0004",
            "H0002",
            "H0008",
            "H0003",
        ]
        assert table.cursor_row == 0
        # an outcome per household, the cursor moving on by itself; one ctrl+s
        await pilot.press("1", "2", "1", "3", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    assert _rows(community_db, VISITS_OF_THE_DAY) == [
        ("H0002", "absent", None, "", None, "T1", "C01,C02"),
        ("H0003", "refused", None, "", None, "T1", "C01,C02"),
        ("H0004", "met", None, "", None, "T1", "C01,C02"),
        ("H0008", "met", None, "", None, "T1", "C01,C02"),
    ]


async def test_notes_needs_follow_up_and_households_already_visited(
    make_app: AppFactory, community_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", "down", "r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RoundScreen)
        # H0004: a note typed in Chinese, needs (medical), a follow-up date, then the outcome
        await pilot.press("n")
        assert isinstance(app.focused, Input)
        await pilot.press(*"老人住院了", "enter")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NeedsDialog)
        await pilot.press("down", "down", "space", "enter")  # the third need: medical
        await settle(pilot)
        await pilot.press("f", *"20261201", "enter", "1")
        # H0002 only: the cursor is on it now
        await pilot.press("2", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        # again: both are marked as visited that day, the cursor waits on the first one not visited
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RoundScreen)
        table = screen.query_one("#round", DataTable)
        assert [str(table.get_row_at(n)[5]) for n in range(4)] == [
            "已记：见到",
            "已记：无人",
            "",
            "",
        ]
        assert table.cursor_row == 2
        # something entered, then escape: asked before it is dropped
        await pilot.press("1", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    assert _rows(community_db, VISITS_OF_THE_DAY) == [
        ("H0002", "absent", None, "", None, "T1", "C01,C02"),
        ("H0004", "met", "老人住院了", "medical", "2026-12-01", "T1", "C01,C02"),
    ]


async def test_a_future_day_is_not_stored(make_app: AppFactory, community_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", "n")  # next week: every day is still to come
        await settle(pilot)
        table = app.screen.query_one("#plan", DataTable)
        row = next(n for n in range(table.row_count) if str(table.get_row_at(n)[1]).startswith("H"))
        table.move_cursor(row=row)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RoundScreen)
        assert "还没到" in str(app.screen.query_one("#round-warning").render())
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RoundScreen)  # stays, with what was entered
    assert _rows(community_db, "SELECT COUNT(*) FROM visits WHERE visit_date > '2026-11-24'") == [(0,)]


async def test_w_writes_the_walk_list_of_the_team_and_week(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p", "w")
        await settle(pilot)
        path = Path.home() / "walklist-T1-2026-W48.xlsx"
        assert path.exists()
        book = CalamineWorkbook.from_path(str(path))
        assert book.sheet_names == ["T1 11-24 周二"]
        rows = book.get_sheet_by_index(0).to_python()
        assert [r[1] for r in rows if isinstance(r[0], float)] == ["H0004", "H0002", "H0008", "H0003"]
        # again: asked before the old file is overwritten
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)


class OnceLock:
    """The app's store lock, failing loudly where the real one would wait for ever: taken twice by one
    thread (app.today() inside app.using_store())."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.owner: int | None = None

    def __enter__(self) -> None:
        if self.owner == threading.get_ident():
            raise RuntimeError("the store lock was taken twice by one thread: it would deadlock")
        self.lock.acquire()
        self.owner = threading.get_ident()

    def __exit__(self, *exc: object) -> None:
        self.owner = None
        self.lock.release()


async def test_with_the_community_clock_not_a_fixed_day(community_db: Path) -> None:
    """The app as cadres run it: today from the store's clock (a worker must not take the store twice)."""
    app = CadreApp(community_db, "zh", today=None)
    app.store.clock = lambda: datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # noon in Shanghai
    app.store_lock = OnceLock()  # type: ignore[assignment]

    async def steps(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("p", "down", "r")
        await settle(pilot)
        assert isinstance(app.screen, RoundScreen)
        assert app.screen.query_one("#round", DataTable).row_count == 4
        await pilot.press("1", "1", "1", "1", "ctrl+s")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)

    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(steps(pilot), timeout=30)
        assert isinstance(app.screen, PlanScreen)
    assert len(_rows(community_db, VISITS_OF_THE_DAY)) == 4
    assert (Path.home() / "walklist-T1-2026-W48.xlsx").exists()
