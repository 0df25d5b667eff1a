"""The app driven by the keys a cadre presses; each test then checks the database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TextArea

from cadre_tui.tui.app import CadreApp
from cadre_tui.tui.screens.dashboard import DashboardScreen
from cadre_tui.tui.screens.households import HouseholdsScreen
from cadre_tui.tui.screens.plan import PlanScreen
from cadre_tui.tui.screens.start import StartScreen
from cadre_tui.tui.screens.visit import VisitFormScreen
from cadre_tui.tui.widgets.dialogs import ConfirmDialog, HelpScreen
from cadre_tui.tui.widgets.results import ResultsTable
from tests.tui.conftest import SIZE, AppFactory, db_rows, household_id, press, running, settle


async def test_first_screen_is_the_dashboard(make_app: AppFactory) -> None:
    app = make_app()
    async with running(app):
        assert isinstance(app.screen, DashboardScreen)
        scorecard = app.screen.query_one("#scorecard", DataTable)
        assert scorecard.row_count == 2
        assert str(scorecard.get_row_at(0)[0]) == "T1 一组"
        overdue = app.screen.query_one("#overdue", DataTable)
        assert [str(overdue.get_row_at(n)[0]) for n in range(overdue.row_count)] == ["单田芳", "曾国强"]


async def test_search_by_initials_then_enter_1_ctrl_s_records_a_met_visit(
    make_app: AppFactory, community_db: Path
) -> None:
    before = db_rows(community_db, "SELECT COUNT(*) FROM visits")[0][0]
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "h")
        assert isinstance(app.screen, HouseholdsScreen)
        assert isinstance(app.focused, Input)
        await press(pilot, *"cgq")
        hits = app.screen.query_one("#hits", ResultsTable)
        assert hits.row_count == 1
        assert [str(c) for c in hits.get_row_at(0)] == ["H0002", "幸福小区1栋2单元202", "曾国强"]
        await press(pilot, "enter")
        assert isinstance(app.screen, VisitFormScreen)
        await press(pilot, "1", "ctrl+s")
        assert isinstance(app.screen, HouseholdsScreen)
    rows = db_rows(
        community_db,
        "SELECT v.visit_date, v.outcome, h.household_no, t.code FROM visits v "
        "JOIN households h ON h.id = v.household_id JOIN teams t ON t.id = v.team_id "
        "WHERE v.visit_date = '2026-11-24'",
    )
    assert rows == [("2026-11-24", "met", "H0002", "T1")]
    assert db_rows(community_db, "SELECT COUNT(*) FROM visits")[0][0] == before + 1
    # cadres present default to the `me` cadre's team: C01 and C02
    cadres = db_rows(
        community_db,
        "SELECT c.code FROM visits v JOIN cadres c ON instr(v.cadre_ids, c.id) > 0 "
        "WHERE v.visit_date = '2026-11-24' ORDER BY c.code",
    )
    assert cadres == [("C01",), ("C02",)]


async def test_visit_form_escape_asks_before_dropping_notes(make_app: AppFactory, community_db: Path) -> None:
    app = make_app()
    async with running(app) as pilot:
        app.open_visit_form(household_id(community_db, "H0005"))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitFormScreen)
        form.query_one("#notes", TextArea).focus()
        await pilot.press(*"hello")
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "n")
        assert app.screen is form
        assert form.query_one("#notes", TextArea).text == "hello"
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, DashboardScreen)
    assert db_rows(community_db, "SELECT COUNT(*) FROM visits WHERE visit_date = '2026-11-24'")[0][0] == 0


async def test_n_goes_to_the_visit_forms_notes_from_the_outcome(
    make_app: AppFactory, community_db: Path
) -> None:
    """Keyboard first: an outcome, n, a note in Chinese, saved — no tabbing through eight fields."""
    app = make_app()
    async with running(app) as pilot:
        app.open_visit_form(household_id(community_db, "H0005"))
        await settle(pilot)
        await press(pilot, "2", "n")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"门上留了联系卡n")  # n typed into the notes stays there
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, DashboardScreen)
    assert db_rows(community_db, "SELECT outcome, notes FROM visits WHERE visit_date = '2026-11-24'") == [
        ("absent", "门上留了联系卡n")
    ]


async def test_moved_outcome_offers_to_set_the_household_inactive(
    make_app: AppFactory, community_db: Path
) -> None:
    app = make_app()
    async with running(app) as pilot:
        app.open_visit_form(household_id(community_db, "H0007"))
        await settle(pilot)
        await press(pilot, "4", "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert isinstance(app.screen, DashboardScreen)
    assert db_rows(community_db, "SELECT active FROM households WHERE household_no = 'H0007'") == [(0,)]
    assert db_rows(community_db, "SELECT outcome FROM visits WHERE visit_date = '2026-11-24'") == [("moved",)]


async def test_a_future_visit_date_shows_the_error_and_writes_nothing(
    make_app: AppFactory, community_db: Path
) -> None:
    app = make_app()
    async with running(app) as pilot:
        app.open_visit_form(household_id(community_db, "H0005"))
        await settle(pilot)
        app.screen.query_one("#visit-date", Input).value = "2026-11-30"
        await press(pilot, "2", "ctrl+s")
        assert type(app.screen).__name__ == "MessageDialog"
        await press(pilot, "enter")
        assert isinstance(app.screen, VisitFormScreen)
    assert db_rows(community_db, "SELECT COUNT(*) FROM visits WHERE visit_date >= '2026-11-24'")[0][0] == 0


async def test_plan_generate_then_move_to_the_next_day(make_app: AppFactory, community_db: Path) -> None:
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "p")
        assert isinstance(app.screen, PlanScreen)
        await press(pilot, "g")
        saved = db_rows(
            community_db,
            "SELECT p.day, h.household_no, p.reason, p.manual FROM plans p "
            "JOIN households h ON h.id = p.household_id WHERE p.deleted = 0 ORDER BY p.day, p.position",
        )
        # T1 (the `me` cadre's team) on Tuesday 24 November: overdue first, then the unfamiliar ones
        assert saved == [
            ("2026-11-24", "H0004", "overdue", 0),
            ("2026-11-24", "H0002", "overdue", 0),
            ("2026-11-24", "H0008", "unfamiliar", 0),
            ("2026-11-24", "H0003", "unfamiliar", 0),
        ]
        table = app.screen.query_one("#plan", DataTable)
        # row 0: the matter on Monday; row 1: H0004 on Tuesday
        table.move_cursor(row=1)
        await press(pilot, "right_square_bracket")
    moved = db_rows(
        community_db,
        "SELECT p.day, p.manual FROM plans p JOIN households h ON h.id = p.household_id "
        "WHERE h.household_no = 'H0004' AND p.deleted = 0",
    )
    assert moved == [("2026-11-25", 1)]


async def test_plan_add_finds_a_household_by_address_and_plans_it(
    make_app: AppFactory, community_db: Path
) -> None:
    from cadre_tui.tui.widgets.pick import HouseholdPicker

    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "p", "g", "a")
        assert isinstance(app.screen, HouseholdPicker)
        await press(pilot, *"和平")
        hits = app.screen.query_one("#pick-hits", ResultsTable)
        assert [hits.get_row_at(n)[0] for n in range(hits.row_count)] == ["H0004", "H0005", "H0006"]
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, PlanScreen)
    rows = db_rows(
        community_db,
        "SELECT p.day, p.manual FROM plans p JOIN households h ON h.id = p.household_id "
        "WHERE h.household_no = 'H0005' AND p.deleted = 0",
    )
    assert rows == [("2026-11-24", 1)]


async def test_mark_a_matter_attended(make_app: AppFactory, community_db: Path) -> None:
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "m")
        table = app.screen.query_one("#matters", DataTable)
        assert str(table.get_row_at(0)[2]) == "曾国强住院"
        await press(pilot, "a")
        box = app.screen.query_one("#attended-at", Input)
        assert box.value == "2026-11-24 12:00"
        box.value = "2026-11-23 11:30"
        await press(pilot, "ctrl+s")
        assert str(table.get_row_at(0)[4]).startswith("按时")
    rows = db_rows(
        community_db,
        "SELECT attended_at, attended_by != '' FROM matters "
        "WHERE id = '10000000-0000-4000-8000-000000000001'",
    )
    assert rows == [("2026-11-23T03:30:00.000Z", 1)]


async def test_escape_leaves_the_search_box_then_d_switches(make_app: AppFactory) -> None:
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "h")
        await press(pilot, "d")
        # typed into the search box, not a screen switch
        assert isinstance(app.screen, HouseholdsScreen)
        assert app.screen.query_one("#search", Input).value == "d"
        await press(pilot, "escape", "d")
        assert isinstance(app.screen, DashboardScreen)


async def test_reveal_shows_the_full_id_and_writes_the_audit_log(
    make_app: AppFactory, community_db: Path
) -> None:
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "h", *"H0002")
        residents = app.screen.query_one("#residents", DataTable)
        assert str(residents.get_row_at(0)[4]) == "110105********0023"
        assert str(residents.get_row_at(0)[3]) == "138****5678"
        await press(pilot, "escape", "r")
        assert str(residents.get_row_at(0)[4]) == "110105195503150023"
        assert str(residents.get_row_at(0)[3]) == "13812345678"
    audit = db_rows(community_db, "SELECT who, action, target FROM audit_log WHERE action = 'reveal'")
    resident = db_rows(community_db, "SELECT id FROM residents WHERE name = '曾国强'")[0][0]
    assert audit == [("C01", "reveal", resident)]


async def test_household_inactive_and_back(make_app: AppFactory, community_db: Path) -> None:
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "h", *"H0006", "escape", "i", "y")
        assert db_rows(community_db, "SELECT active FROM households WHERE household_no = 'H0006'") == [(0,)]
        await press(pilot, "i", "y")
    assert db_rows(community_db, "SELECT active FROM households WHERE household_no = 'H0006'") == [(1,)]


async def test_help_and_english(make_app: AppFactory) -> None:
    app = make_app("en")
    async with running(app) as pilot:
        assert str(app.screen.query_one("#scorecard", DataTable).get_row_at(0)[0]) == "T1 一组"
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"Dashboard", "Plan", "Households", "Refresh"} <= descriptions


async def test_the_app_runs_on_when_the_sync_screen_cannot_load(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes the import fail, as a broken or missing module would.
    monkeypatch.setitem(sys.modules, "cadre_tui.tui.screens.sync", None)
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "s")
        assert isinstance(app.screen, DashboardScreen)
        assert any("同步页面暂不可用" in str(n.message) for n in app._notifications)


async def test_a_database_without_community_says_how_to_start(tmp_path: Path) -> None:
    app = CadreApp(tmp_path / "empty.db", "zh")
    async with running(app) as pilot:
        assert isinstance(app.screen, StartScreen)
        assert not (tmp_path / "empty.db").exists()  # `init` will then create an encrypted one
        await press(pilot, "d")
        assert isinstance(app.screen, StartScreen)


async def test_palette_lists_the_screens_and_the_current_screens_actions(make_app: AppFactory) -> None:
    from cadre_tui.tui.commands import CadreCommands

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        provider = CadreCommands(app.screen)
        titles = [str(hit.text) async for hit in provider.discover()]
        assert titles[:6] == [
            "转到：总览",
            "转到：计划",
            "转到：住户",
            "转到：六必到",
            "转到：同步",
            "转到：设置",
        ]
        assert {"生成计划", "移到后一天", "添加", "移除", "上一周", "下一周", "换小组"} <= set(titles)
        hits = [str(hit.text) async for hit in provider.search("生成")]
        assert hits == ["生成计划"]
        await press(pilot, "ctrl+p")
        assert type(app.screen).__name__ == "CommandPalette"


async def test_a_screen_key_leaves_the_sync_screen(make_app: AppFactory) -> None:
    pytest.importorskip("cadre_tui.tui.screens.sync")
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "s")
        assert type(app.screen).__name__ == "SyncScreen"
        app.screen.set_focus(None)
        await press(pilot, "h")
        assert isinstance(app.screen, HouseholdsScreen)
        await press(pilot, "escape", "d")
        assert isinstance(app.screen, DashboardScreen)
        assert len(app.screen_stack) == 1
