"""Problems found by using the app in a terminal: each test presses the keys that showed one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, SelectionList, Static

from cadre_tui.tui.app import CadreApp
from cadre_tui.tui.screens.households import HouseholdsScreen
from cadre_tui.tui.screens.visit import VisitFormScreen
from cadre_tui.tui.widgets.dialogs import ChoiceDialog
from tests.tui.conftest import (
    AppFactory,
    db_rows,
    open_household,
    open_visit_form,
    press,
    resident_id,
    running,
    settle,
)

# H0001's older visit (2026-11-10) in the fixture
OLD_VISIT = "00000000-0000-4000-8000-000000000005"


def _met_by_old_visit(path: Path, names: list[str]) -> None:
    ids = ";".join(resident_id(path, name) for name in names)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE visits SET resident_ids = ? WHERE id = ?", (ids, OLD_VISIT))


async def test_correcting_an_old_visit_keeps_a_resident_who_died_since(
    make_app: AppFactory, community_db: Path
) -> None:
    _met_by_old_visit(community_db, ["张三", "李四"])
    app = make_app()
    async with running(app) as pilot:
        await open_household(pilot, "H0001")
        screen = app.screen
        assert isinstance(screen, HouseholdsScreen)
        await pilot.press("tab")
        residents = screen.query_one("#residents", DataTable)
        assert app.focused is residents
        assert str(residents.get_row_at(0)[0]) == "张三"
        await press(pilot, "t")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "down", "enter")  # 在住 → 已迁出 → 已故
        await settle(pilot)
        assert db_rows(community_db, "SELECT status FROM residents WHERE name = '张三'") == [("deceased",)]
        await pilot.press("tab")
        visits = screen.query_one("#visits", DataTable)
        assert app.focused is visits
        await pilot.press("down")  # the older visit, 2026-11-10
        assert str(visits.get_row_at(visits.cursor_row)[0]) == "2026-11-10"
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, VisitFormScreen)
        offered = form.query_one("#residents", SelectionList)
        assert offered.option_count == 2
        assert "已故" in str(offered.get_option_at_index(1).prompt)
        assert set(offered.selected) == {resident_id(community_db, n) for n in ("张三", "李四")}
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HouseholdsScreen)
    saved = db_rows(community_db, "SELECT resident_ids FROM visits WHERE id = ?", (OLD_VISIT,))[0][0]
    assert set(str(saved).split(";")) == {resident_id(community_db, n) for n in ("张三", "李四")}


async def test_escape_on_an_unchanged_correction_leaves_without_asking(
    make_app: AppFactory, community_db: Path
) -> None:
    _met_by_old_visit(community_db, ["李四"])
    app = make_app()
    async with running(app) as pilot:
        await open_household(pilot, "H0001")
        await press(pilot, "tab", "tab", "down", "e")
        assert isinstance(app.screen, VisitFormScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, HouseholdsScreen)


async def test_reveal_keeps_the_cursor_on_the_resident_so_t_acts_on_them(
    make_app: AppFactory, community_db: Path
) -> None:
    app = make_app()
    async with running(app) as pilot:
        await open_household(pilot, "H0001")
        screen = app.screen
        residents = screen.query_one("#residents", DataTable)
        visits = screen.query_one("#visits", DataTable)
        visits.move_cursor(row=1)
        await pilot.press("tab", "down")
        assert residents.cursor_row == 1
        await press(pilot, "r")
        assert residents.cursor_row == 1
        assert visits.cursor_row == 1
        await pilot.press("t", "down", "enter")  # 李四 → 已迁出
        await settle(pilot)
        assert residents.cursor_row == 1
        assert visits.cursor_row == 1
    statuses = db_rows(
        community_db,
        "SELECT r.name, r.status FROM residents r JOIN households h ON h.id = r.household_id "
        "WHERE h.household_no = 'H0001'",
    )
    assert dict(statuses) == {"张三": "present", "李四": "moved_out"}


def _dialog_text(app: CadreApp) -> str:
    from cadre_tui.tui.widgets.dialogs import MessageDialog

    assert isinstance(app.screen, MessageDialog)
    return app.screen.message


async def test_a_store_error_is_shown_in_chinese_in_the_chinese_app(
    make_app: AppFactory, community_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cadre_tui.errors import InvalidInput
    from cadre_tui.store import records

    def refuse(*args: object, **kwargs: object) -> str:
        raise InvalidInput.of("records.team_no_members", team="T9")

    monkeypatch.setattr(records, "add_visit", refuse)
    shown_in = {
        "zh": "小组 T9 没有在岗干部，请选择到场干部",
        "en": "team T9 has no active members; name the cadres present",
    }
    for lang, shown in shown_in.items():
        app = make_app(lang)
        async with running(app) as pilot:
            await open_visit_form(pilot, "H0005")
            await press(pilot, "2", "ctrl+s")
            assert _dialog_text(app) == shown


async def test_a_future_visit_date_is_refused_in_chinese(make_app: AppFactory) -> None:
    app = make_app()
    async with running(app) as pilot:
        await open_visit_form(pilot, "H0005")
        app.screen.query_one("#visit-date", Input).value = "2026-12-30"
        await press(pilot, "2", "ctrl+s")
        message = _dialog_text(app)
        assert "2026-12-30" in message
        assert "future" not in message


async def test_a_bad_date_in_the_form_is_explained_in_the_apps_language(make_app: AppFactory) -> None:
    for lang, expected in (("zh", "不是有效的日期"), ("en", "is not a valid date")):
        app = make_app(lang)
        async with running(app) as pilot:
            await open_visit_form(pilot, "H0005")
            app.screen.query_one("#visit-date", Input).value = "2026-13-45"
            await press(pilot, "2", "ctrl+s")
            shown = [str(n.message) for n in app._notifications]
            assert any(expected in m and "2026-13-45" in m for m in shown), shown
            assert not any("not a real date" in m for m in shown)


async def test_a_bad_time_in_the_attend_form_is_explained_in_chinese(make_app: AppFactory) -> None:
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "m")
        await press(pilot, "a")
        app.screen.query_one("#attended-at", Input).value = "yesterday"
        await press(pilot, "ctrl+s")
        shown = [str(n.message) for n in app._notifications]
        assert any("不是有效的日期和时间" in m for m in shown), shown


async def test_the_palette_lists_sync_visit_and_quit_on_every_screen(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.command import CommandPalette

    from cadre_tui.tui.commands import CadreCommands

    app = make_app()
    async with running(app) as pilot:
        for key in ("d", "p", "h", "m"):
            await pilot.press(key)
            if key == "h":
                await press(pilot, "escape")
            await press(pilot, "ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            provider = CadreCommands(app.screen_stack[-2])
            titles = [str(hit.text) async for hit in provider.discover()]
            assert {"转到：同步", "走访", "退出", "帮助", "转到：设置"} <= set(titles), (key, titles)
            assert "走访" in [str(hit.text) async for hit in provider.search("走访")]
            await press(pilot, "escape")
        # from the palette, 退出 quits
        exits: list[object] = []
        monkeypatch.setattr(app, "exit", lambda *args, **kwargs: exits.append(args))
        await press(pilot, "ctrl+p", *"退出")
        await press(pilot, "enter")
        assert exits


async def test_the_palette_in_a_form_offers_no_screen_switch(make_app: AppFactory) -> None:
    from cadre_tui.tui.commands import CadreCommands

    app = make_app()
    async with running(app) as pilot:
        await open_visit_form(pilot, "H0005")
        assert isinstance(app.screen, VisitFormScreen)
        titles = [str(hit.text) async for hit in CadreCommands(app.screen).discover()]
        assert not [t for t in titles if t.startswith("转到")]
        assert {"保存", "退出"} <= set(titles)


async def test_plan_add_keeps_the_cursor_on_the_added_household_with_its_reason_in_chinese(
    make_app: AppFactory, community_db: Path
) -> None:
    from cadre_tui.tui.screens.plan import PlanScreen

    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "p")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        table = screen.query_one("#plan", DataTable)
        # Wednesday's row, the day after today
        keys = [row.key.value or "" for row in table.ordered_rows]
        table.move_cursor(row=next(n for n, k in enumerate(keys) if k.startswith("2026-11-25")))
        await press(pilot, "a")
        await press(pilot, *"H0005")
        await press(pilot, "enter")
        assert app.screen is screen
        row = table.get_row_at(table.cursor_row)
        assert str(row[1]) == "H0005"
        assert str(row[3]) == "手动添加"
    added = db_rows(
        community_db,
        "SELECT p.day, p.reason FROM plans p JOIN households h ON h.id = p.household_id "
        "WHERE h.household_no = 'H0005' AND p.deleted = 0",
    )
    assert added == [("2026-11-25", "manual")]


async def test_plan_reason_added_by_hand_in_english(make_app: AppFactory) -> None:
    from cadre_tui.tui.screens.plan import PlanScreen

    app = make_app("en")
    async with running(app) as pilot:
        await press(pilot, "p")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        assert screen._reason("manual") == "added by hand"
        assert screen._reason("overdue") == "overdue"


async def test_matter_form_selects_have_a_prompt_in_the_apps_language(make_app: AppFactory) -> None:
    from textual.widgets import Select

    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "m")
        await press(pilot, "n")
        zone = app.screen.query_one("#zone", Select)
        assert zone.is_blank()
        assert "选择片区" in str(zone.query_one("SelectCurrent Static#label", Static).render())


def _unset_me_and_retire(path: Path, retired: str | None = None) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM settings WHERE key = 'me'")
        if retired:
            conn.execute("UPDATE cadres SET active = 0 WHERE code = ?", (retired,))


async def test_attend_without_me_ticks_the_active_members_of_the_matters_team(
    make_app: AppFactory, community_db: Path
) -> None:
    from cadre_tui.tui.screens.matter_forms import AttendForm

    _unset_me_and_retire(community_db, retired="C02")
    zone2 = db_rows(community_db, "SELECT id FROM zones WHERE code = 'Z2'")[0][0]
    with sqlite3.connect(community_db) as conn:
        # a zone matter of Z2 (team T2: C03, C04), newer than the others so it is the first row
        conn.execute(
            "INSERT INTO matters (id, kind, title, scope, zone_id, occurred_at, updated_at, origin, deleted) "
            "VALUES ('10000000-0000-4000-8000-000000000003', 'activity', '西片停水', 'zone', ?, "
            "'2026-11-24T01:00:00.000Z', '2026-11-24T01:00:00.000Z', 'test', 0)",
            (zone2,),
        )
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "m")
        table = app.screen.query_one("#matters", DataTable)
        ticked: dict[str, set[str]] = {}
        for row in range(2):
            table.move_cursor(row=row)
            await press(pilot, "a")
            assert isinstance(app.screen, AttendForm)
            cadres = app.screen.query_one(SelectionList)
            options = [cadres.get_option_at_index(i) for i in range(cadres.option_count)]
            codes = {str(o.prompt).split()[0] for o in options if o.value in cadres.selected}
            ticked[str(table.get_row_at(row)[2])] = codes
            await press(pilot, "escape")
    # the household matter of H0002 (zone Z1, team T1: C01 and C02 who is no longer active)
    assert ticked == {"西片停水": {"C03", "C04"}, "曾国强住院": {"C01"}}


def _columns_in_view(table: DataTable[object]) -> list[str]:
    """The labels of the columns drawn whole within the table's width (no sideways scrolling)."""
    shown: list[str] = []
    right = 0
    for column in table.ordered_columns:
        right += column.get_render_width(table)
        if right > table.scrollable_content_region.width:
            break
        shown.append(str(column.label))
    return shown


async def test_at_80_by_24_a_residents_status_and_revealed_phone_are_in_view(make_app: AppFactory) -> None:
    app = make_app()
    async with running(app, (80, 24)) as pilot:
        await open_household(pilot, "H0002")
        await press(pilot, "tab", "r")
        await pilot.pause(0.2)
        residents = app.screen.query_one("#residents", DataTable)
        assert str(residents.get_row_at(0)[3]) == "13812345678"
        assert {"姓名", "状态", "人群", "电话"} <= set(_columns_in_view(residents))


async def test_at_80_by_24_the_matters_status_is_in_view_with_many_cadres_attending(
    make_app: AppFactory, community_db: Path
) -> None:
    with sqlite3.connect(community_db) as conn:
        everyone = ";".join(row[0] for row in conn.execute("SELECT id FROM cadres ORDER BY code"))
        conn.execute(
            "UPDATE matters SET attended_by = ? WHERE id = '10000000-0000-4000-8000-000000000002'",
            (everyone + ";" + everyone,),
        )
    app = make_app()
    async with running(app, (80, 24)) as pilot:
        await press(pilot, "m")
        await pilot.pause(0.2)
        table = app.screen.query_one("#matters", DataTable)
        assert str(table.get_row_at(1)[6]) == "C01,C02…+6"
        assert "状态" in _columns_in_view(table)
