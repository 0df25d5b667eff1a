"""Loose ends of the first version, each pressed as a cadre would: a late matter's scorecard cell, the
footer's palette key in Chinese, the Sync screen's week box in Chinese, lists that say where they stop."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Input, Static

from cadre_tui.tui.screens.sync import SyncScreen
from tests.tui.conftest import AppFactory, press, running

# A community activity (target 1 hour) on Monday of the fixture's week, attended by both teams four
# hours later: late.
LATE_ACTIVITY = (
    "INSERT INTO matters (id, kind, title, scope, occurred_at, attended_at, attended_by, updated_at, origin, "
    "deleted) VALUES ('10000000-0000-4000-8000-000000000009', 'activity', '消防演练', 'community', "
    "'2026-11-23T01:00:00.000Z', '2026-11-23T05:00:00.000Z', "
    "(SELECT group_concat(id, ';') FROM cadres WHERE code IN ('C01', 'C03')), "
    "'2026-11-23T05:00:00.000Z', 'test', 0)"
)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_late_matters_scorecard_cell_is_shown_whole(
    make_app: AppFactory, community_db: Path, size: tuple[int, int]
) -> None:
    with sqlite3.connect(community_db) as conn:
        conn.execute(LATE_ACTIVITY)
    app = make_app()
    async with running(app, size) as pilot:
        await pilot.pause(0.2)
        table = app.screen.query_one("#scorecard", DataTable)
        column = table.ordered_columns[-1]
        cells = [str(table.get_row_at(n)[-1]) for n in range(table.row_count)]
        assert "1/2 (超时 1) ✗" in cells
        assert column.width >= max(cell_len(c) for c in cells)
        # the whole table, its last column too, is drawn without scrolling sideways
        drawn = sum(c.get_render_width(table) for c in table.ordered_columns)
        assert drawn <= table.scrollable_content_region.width


@pytest.mark.parametrize(("lang", "shown"), [("zh", "命令"), ("en", "Commands")])
async def test_the_footers_palette_key_speaks_the_apps_language(
    make_app: AppFactory, lang: str, shown: str
) -> None:
    app = make_app(lang)
    async with running(app):
        palette = app.screen.active_bindings["ctrl+p"].binding
        assert (palette.action, palette.description) == ("command_palette", shown)


async def test_the_palettes_search_box_prompts_in_chinese(make_app: AppFactory) -> None:
    from textual.command import CommandPalette

    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "搜索命令…"


async def test_textuals_own_palette_commands_speak_chinese_and_write_no_screenshot(
    make_app: AppFactory,
) -> None:
    from textual.command import CommandPalette

    from cadre_tui.tui.commands import CadreCommands

    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "h")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        # the results list has focus and can be maximized; no English Quit/Keys, no Screenshot to a file
        assert titles == ["配色", "放大"]
        # after the app's own commands, in the palette's one provider
        listed = [str(hit.text) async for hit in CadreCommands(app.screen).discover()]
        assert listed[-3:] == ["退出", "配色", "放大"]
        await press(pilot, "ctrl+p")
        await pilot.press(*"配色")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "搜索配色…"


async def test_help_lists_the_apps_own_keys_from_its_bindings(make_app: AppFactory) -> None:
    from cadre_tui.tui.widgets.dialogs import HelpScreen

    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "全局：d 总览 · p 计划 · h 住户 · m 六必到 · s 同步 · o 设置 · v 走访" in shown
        assert "^p 命令 · ^q 退出" in shown


async def test_the_week_box_takes_chinese_and_steps_with_up_and_down(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with running(app, (80, 24)) as pilot:
        await press(pilot, "s")
        assert isinstance(app.screen, SyncScreen)
        week = app.screen.query_one("#log-week", Input)
        assert week.value == "本周"
        app.screen.query_one("#log-folder", Input).value = str(tmp_path / "log")
        week.value = "上周"
        await press(pilot, "ctrl+g")
        assert sorted(p.name for p in (tmp_path / "log").iterdir())[0] == "matters-幸福社区-2026-W47.csv"
        week.focus()
        await press(pilot, "up")
        assert week.value == "2026-W46"
        await press(pilot, "down", "down", "down")
        assert week.value == "下周"
        await press(pilot, "up")
        assert week.value == "本周"


async def test_the_matters_log_says_where_it_stops(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cadre_tui.tui.screens import matters

    monkeypatch.setattr(matters, "MATTERS_LOG_LIMIT", 2)
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "m")
        title = str(app.screen.query_one("#matters-title", Static).render())
        assert title == "必到事项记录（只显示最近 2 条）"
        assert app.screen.query_one("#matters", DataTable).row_count == 2
