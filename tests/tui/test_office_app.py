"""The office app driven by the clerk's keys: import a folder, read the week, a community's weeks, export."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from cadre_tui.cli import main
from cadre_tui.errors import Refused
from cadre_tui.io.csvfile import write_csv
from cadre_tui.io.office_import import import_each
from cadre_tui.io.office_log import SCORECARD_COLUMNS
from cadre_tui.store.office import OfficeDb, get_setting
from cadre_tui.tui.office.app import OfficeApp
from cadre_tui.tui.office.export import ExportScreen
from cadre_tui.tui.office.history import HistoryScreen
from cadre_tui.tui.office.importing import ImportScreen
from cadre_tui.tui.office.week import WeekScreen
from cadre_tui.tui.widgets.dialogs import ConfirmDialog
from tests.tui.community import TODAY
from tests.tui.conftest import settle
from tests.tui.office_logs import make_office_logs
from tests.unit.test_office_workbook import sheets

SIZE = (100, 30)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight weeks of three communities' logs (阳光社区 without W48), and one bad file."""
    folder = make_office_logs(tmp_path_factory.mktemp("office") / "logs")
    bad = folder / "坏社区" / "scorecard-坏社区-2026-W48.csv"
    row = ["坏社区", "2026-W48", "T1", "Z1", "C01;C02", "是", 5, 3, "abc"] + [""] * 12
    write_csv(bad, list(SCORECARD_COLUMNS.values()), [row])
    return folder


def _cells(table: DataTable[object], row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


def _text(screen: object, selector: str) -> str:
    widget = screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.render())


async def test_import_a_folder_then_read_the_week_a_community_and_export(logs: Path, tmp_path: Path) -> None:
    office_db = tmp_path / "office.db"
    app = OfficeApp(office_db, "zh", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)
        assert "这一周还没有任何社区的日志" in _text(app.screen, "#missing")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        assert isinstance(app.focused, Input)
        await pilot.press(*str(logs), "enter")
        await settle(pilot)
        summary = _text(app.screen, "#summary").splitlines()
        assert summary[0] == f"{logs}：新增 69 · 替换 0 · 未变 0 · 拒收 1"
        assert summary[1] == "拒收  坏社区/scorecard-坏社区-2026-W48.csv:2: field_days: 不是整数：abc"
        assert summary[2] == "新增  山水社区  2026-W41  必到事项 0 行 · 评分表 2 行 · 走访 0 行"
        assert summary[-1] == "新增  阳光社区  2026-W47  必到事项 1 行 · 评分表 2 行 · 走访 3 行"
        assert len(summary) == 2 + 23

        await pilot.press("escape", "w")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)
        assert _text(app.screen, "#week-title") == "2026-W48  2 个社区报送 · 小组全部达标 0/4"
        assert _text(app.screen, "#missing") == "本周未报送：阳光社区"
        table = app.screen.query_one("#rollup", DataTable)
        assert [_cells(table, n) for n in range(table.row_count)] == [
            ["山水社区", "T1", "Z1", "2 ✓", "2/3 ✗", "80.0% ✓", "2/2 ✗", "0/1 ✗", "✗"],
            ["", "T2", "Z2", "2 ✓", "1/3 ✗", "100.0% ✓", "0/1 ✓", "0/0 ✓", "✗"],
            ["幸福社区", "T1", "Z1", "2 ✓", "1/3 ✗", "40.0% ✗", "2/2 ✗", "0/1 ✗", "✗"],
            ["", "T2", "Z2", "2 ✓", "0/3 ✗", "66.7% ✗", "0/1 ✓", "0/0 ✓", "✗"],
        ]
        assert (
            _text(app.screen, "#community-line") == "山水社区：熟悉率 87.5%（7/8 户） · 走访 3 条 · 事项 1 条"
        )
        await pilot.press("down", "down")
        await settle(pilot)
        assert (
            _text(app.screen, "#community-line") == "幸福社区：熟悉率 50.0%（4/8 户） · 走访 1 条 · 事项 1 条"
        )
        await pilot.press("up", "up")

        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert _text(app.screen, "#week-title") == "2026-W47  3 个社区报送 · 小组全部达标 1/6"
        assert _text(app.screen, "#missing") == "以往报送过的社区本周都已报送。"
        assert table.row_count == 6
        assert _cells(table, 1) == ["", "T2", "Z2", "2 ✓", "3/3 ✓", "100.0% ✓", "0/1 ✓", "1/1 ✓", "✓"]
        assert _cells(table, 4)[0] == "阳光社区"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.week == "2026-W48" and table.row_count == 4
        await pilot.press("b")
        await settle(pilot)
        assert app.week == "2026-W47"

        # enter on 山水社区's second row: its teams over the 8 weeks up to W47
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.community == "山水社区"
        assert _text(app.screen, "#history-title") == "山水社区  2026-W40 – 2026-W47"
        assert _text(app.screen, "#history-chart").splitlines() == [
            "                W40  W41  W42  W43  W44  W45  W46  W47  ",
            "T1 Z1      走访   -  ·  0 ▂  1 ·  0 ·  0 ▂  1 ▃  2 ▂  1 ",
            "           熟悉   -  ·  0 ▂ 20 ▂ 20 ▂ 20 ▃ 40 ▅ 60 ▅ 60 ",
            "T2 Z2      走访   -  ·  0 ·  0 ·  0 ·  0 ·  0 ·  0 ▅  3 ",
            "           熟悉   -  ·  0 ·  0 ·  0 ·  0 ·  0 ·  0 █100 ",
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)

        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-week", Input).value == "2026-W47"
        app.screen.query_one("#export-week", Input).value = "2026-W48"
        out = tmp_path / "out"
        app.screen.query_one("#export-folder", Input).value = str(out)
        # the workbook is offered first; the CSV is chosen with the keys (up from the button to the list)
        formats = app.screen.query_one("#export-format", Select)
        assert formats.value == "xlsx"
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is formats
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        assert formats.value == "csv"
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = out / "23766-2026-W48.csv"
        assert _text(app.screen, "#export-summary").splitlines() == [
            "2026-W48 汇总已写出（5 行）：",
            str(written),
            "其中 1 个社区本周未报送。",
        ]
        first = written.read_bytes()
        # again: asked first; no leaves the file as it was, yes writes it again
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert _text(app.screen, "#export-summary") == "已取消，没有覆盖任何文件。"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert _text(app.screen, "#export-summary").startswith("2026-W48 汇总已写出")
        assert written.read_bytes() == first

    assert first.startswith(b"\xef\xbb\xbf")
    assert written.stat().st_mode & 0o777 == 0o600
    assert first[3:].decode("utf-8").split("\r\n") == [
        "社区,周,报送情况,小组,片区,成员,两人成组,走访天数,应走访天数,走访天数达标,熟悉户数,户数,熟悉率,"
        "熟悉率达标,逾期未访,重点人员,重点走访达标,已到场,必到事项,超时事项,必到达标,全部达标",
        "山水社区,2026-W48,已报送,T1,Z1,C01;C02,✓,2,3,✗,4,5,80.0%,✓,2,2,✗,0,1,0,✗,✗",
        "山水社区,2026-W48,已报送,T2,Z2,C03;C04,✓,1,3,✗,3,3,100.0%,✓,0,1,✓,0,0,0,✓,✗",
        "幸福社区,2026-W48,已报送,T1,Z1,C01;C02,✓,1,3,✗,2,5,40.0%,✗,2,2,✗,0,1,0,✗,✗",
        "幸福社区,2026-W48,已报送,T2,Z2,C03;C04,✓,0,3,✗,2,3,66.7%,✗,0,1,✓,0,0,0,✓,✗",
        "阳光社区,2026-W48,未报送" + "," * 19,
        "",
    ]
    with sqlite3.connect(office_db) as conn:
        counts = conn.execute(
            "SELECT community, count(*), min(week), max(week) FROM logs GROUP BY community ORDER BY community"
        ).fetchall()
        assert counts == [
            ("山水社区", 24, "2026-W41", "2026-W48"),
            ("幸福社区", 24, "2026-W41", "2026-W48"),
            ("阳光社区", 21, "2026-W41", "2026-W47"),
        ]
        assert conn.execute("SELECT count(*) FROM log_scorecard").fetchone()[0] == 23 * 2
    office = OfficeDb.open(office_db)
    assert get_setting(office, "import_folder") == str(logs)
    assert get_setting(office, "export_folder") == str(out)
    assert get_setting(office, "export_format") == "csv"
    office.close()


async def test_export_the_leaders_workbook_then_the_format_comes_back(logs: Path, tmp_path: Path) -> None:
    office_db = tmp_path / "office.db"
    office = OfficeDb.open(office_db)
    import_each(office, [logs])
    office.close()
    out = tmp_path / "for the leaders"
    app = OfficeApp(office_db, "zh", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-format", Select).value == "xlsx"
        assert app.screen.query_one("#export-week", Input).value == "2026-W48"
        folder = app.screen.query_one("#export-folder", Input)
        folder.value = ""
        folder.focus()
        await pilot.press(*str(out), "enter")
        await settle(pilot)
        written = out / "23766-2026-W48.xlsx"
        assert _text(app.screen, "#export-summary").splitlines() == [
            "2026-W48 汇总已写出（5 行）：",
            str(written),
            "其中 1 个社区本周未报送。",
        ]
    assert written.stat().st_mode & 0o777 == 0o600
    cells = sheets(written)
    assert list(cells) == ["总览", "2 成组", "3 走访", "7 熟悉率", "6 重点", "6 必到"]
    assert cells["总览"][1:] == [
        ["共 3 个社区：已报送 2 个，未报送评分表 0 个，未报送 1 个；小组全部达标 0/4", *[""] * 9],
        ["本周未报送：阳光社区", *[""] * 9],
        ["社区", "报送情况", "小组", "片区", "2 成组", "3 走访", "7 熟悉率", "6 重点", "6 必到", "全部达标"],
        ["山水社区", "已报送", "T1", "Z1", "✓", "✗", "✓", "✗", "✗", "✗"],
        ["山水社区", "已报送", "T2", "Z2", "✓", "✗", "✓", "✓", "✓", "✗"],
        ["幸福社区", "已报送", "T1", "Z1", "✓", "✗", "✗", "✗", "✗", "✗"],
        ["幸福社区", "已报送", "T2", "Z2", "✓", "✗", "✗", "✓", "✓", "✗"],
        ["阳光社区", "未报送", *[""] * 8],
    ]
    # the same numbers as the CSV of the test above, as number cells
    assert cells["7 熟悉率"][4:9] == [
        ["山水社区", "T1", "Z1", 4.0, 5.0, 0.8, "✓"],
        ["山水社区", "T2", "Z2", 3.0, 3.0, 1.0, "✓"],
        ["幸福社区", "T1", "Z1", 2.0, 5.0, 0.4, "✗"],
        ["幸福社区", "T2", "Z2", 2.0, 3.0, 0.667, "✗"],
        ["阳光社区", "（未报送）", "", "", "", "", ""],
    ]
    # in English next time: the format and the folder chosen come back
    app = OfficeApp(office_db, "en", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#export-format", Select).value == "xlsx"
        assert app.screen.query_one("#export-folder", Input).value == str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert _text(app.screen, "#export-summary").startswith("The roll-up of 2026-W48 is written")
    assert list(sheets(written))[:2] == ["Overview", "2 Pairs"]


async def test_the_last_folder_comes_back_and_a_missing_path_is_said(logs: Path, tmp_path: Path) -> None:
    office_db = tmp_path / "office.db"
    office = OfficeDb.open(office_db)
    import_each(office, [logs / "幸福社区"])
    from cadre_tui.store.office import set_setting

    set_setting(office, "import_folder", str(logs / "幸福社区"))
    office.close()
    app = OfficeApp(office_db, "en", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # the latest week holding a log comes first
        assert app.week == "2026-W48"
        assert (
            str(app.screen.query_one("#missing", Static).render())
            == "Every community seen before sent a log."
        )
        await pilot.press("i")
        await settle(pilot)
        box = app.screen.query_one("#import-path", Input)
        assert box.value == str(logs / "幸福社区")
        await pilot.press("enter")
        await settle(pilot)
        assert _text(app.screen, "#summary").splitlines()[0] == (
            f"{logs / '幸福社区'}: added 0 · replaced 0 · unchanged 24 · refused 0"
        )
        box.value = str(tmp_path / "absent")
        await pilot.press("enter")
        await settle(pilot)
        assert _text(app.screen, "#summary") == f"{tmp_path / 'absent'}: no such file or folder"
        # 阳光社区 sends its W48 visits without the scorecard: one row that says so
        late = logs / "阳光社区" / "visits-阳光社区-2026-W47.csv"
        visits_only = tmp_path / "visits-阳光社区-2026-W48.csv"
        visits_only.write_bytes(late.read_bytes().replace(b"2026-W47", b"2026-W48"))
        box.value = str(visits_only)
        await pilot.press("enter")
        await settle(pilot)
        assert _text(app.screen, "#summary").splitlines() == [
            f"{visits_only}: added 1 · replaced 0 · unchanged 0 · refused 0",
            "added  阳光社区  2026-W48  visits 3 rows",
        ]
        await pilot.press("escape", "w")
        await settle(pilot)
        table = app.screen.query_one("#rollup", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Community", "Team", "Zone", "2 pair", "3 days", "7 known", "6 prio", "6 must", "all"
        ]  # fmt: skip
        assert _cells(table, 2) == ["阳光社区", "", "", "no card", "", "", "", "", ""]
        assert _text(app.screen, "#week-title") == "2026-W48  2 communities sent · teams keeping all 0/2"
        await pilot.press("down", "down")
        await settle(pilot)
        assert _text(app.screen, "#community-line") == ("阳光社区: no scorecard sent · 3 visits · - matters")


async def test_help_palette_and_screen_keys(logs: Path, tmp_path: Path) -> None:
    from cadre_tui.tui.commands import CadreCommands
    from cadre_tui.tui.widgets.dialogs import HelpScreen

    app = OfficeApp(tmp_path / "office.db", "zh", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.week == "2026-W48"  # an empty office database opens on the current week
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("#help-body Static", Static).render())
        assert "全局：w 周汇总 · i 导入 · e 导出" in shown and "近 8 周" in shown
        await pilot.press("w")  # the screen keys wait while a dialog is open
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        provider = CadreCommands(app.screen)
        titles = [str(hit.text) async for hit in provider.discover()]
        assert titles[:3] == ["转到：周汇总", "转到：导入", "转到：导出"]
        assert {"上一周", "下一周", "近 8 周", "刷新", "退出"} <= set(titles)
        # keys faster than the reads: the last week asked for is the one shown
        await pilot.press("right_square_bracket", "right_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert app.week == "2026-W49"
        assert _text(app.screen, "#week-title").startswith("2026-W49  0 个社区报送")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-week", Input).value == "2026-W49"
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)


def test_the_office_command_opens_the_app_on_an_office_database_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import cadre_tui.tui.office.app as office_app

    opened: list[tuple[Path, str]] = []
    monkeypatch.setattr(office_app, "run", lambda path, lang: opened.append((path, lang)) or 0)
    assert main(["office", "--db", str(tmp_path / "office.db"), "--lang", "en"]) == 0
    assert opened == [(str(tmp_path / "office.db"), "en")]  # as given: a file, or a postgresql:// URL
    assert main(["office"]) == 2
    assert "--db" in capsys.readouterr().err
    from cadre_tui.store.db import Store

    Store.open(tmp_path / "cadre.db").close()
    assert main(["office", "--db", str(tmp_path / "cadre.db")]) == 3
    assert "这是社区的数据库" in capsys.readouterr().err
    assert len(opened) == 1
    with pytest.raises(Refused):
        OfficeApp(tmp_path / "cadre.db")


def test_every_office_binding_has_an_id_and_a_catalogue_description() -> None:
    from cadre_tui.tui.i18n import EN, ZH

    for owner in (OfficeApp, WeekScreen, ImportScreen, ExportScreen, HistoryScreen):
        for binding in owner.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id, (owner.__name__, binding.key)
            assert binding.description in ZH and binding.description in EN, (owner.__name__, binding.key)


async def test_what_the_office_app_shares_with_the_cadre_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one error dialog (screen keys wait under it), the palette in Chinese built from the bindings."""
    from textual.command import CommandPalette

    import cadre_tui.tui.office.week as week_module
    from cadre_tui.errors import InvalidInput
    from cadre_tui.tui.widgets.dialogs import MessageDialog

    read = week_module.latest_week

    def broken_once(office: OfficeDb) -> str | None:
        monkeypatch.setattr(week_module, "latest_week", read)  # read again on return: it works
        raise InvalidInput.of("office.not_database", path="office.db")

    monkeypatch.setattr(week_module, "latest_week", broken_once)
    app = OfficeApp(tmp_path / "office.db", "zh", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # the Week screen's failed read reaches the one error dialog, in Chinese
        assert isinstance(app.screen, MessageDialog)
        shown = [str(widget.render()) for widget in app.screen.query(Static)]
        assert shown[:2] == ["出错了", "office.db：不是 cadre-tui 的街道数据库；请换一个 --db"]
        await pilot.press("i")  # the screen keys wait under the dialog
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)
        assert app.screen.active_bindings["ctrl+p"].binding.description == "命令"
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "搜索命令…"
        await pilot.press(*"转到：导入")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)


async def test_the_import_screen_takes_a_log_workbook(tmp_path: Path) -> None:
    from cadre_tui.io.office_log import export_office_log
    from tests.unit.test_bundle import laptop
    from tests.unit.test_office_log import TODAY as LOG_TODAY
    from tests.unit.test_office_log import W48, week_of_work

    store, _ = laptop()
    week_of_work(store)
    usb = tmp_path / "U盘"
    [book] = export_office_log(store, W48, usb, today=LOG_TODAY, file_format="xlsx")
    office_db = tmp_path / "office.db"
    app = OfficeApp(office_db, "zh", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*str(usb), "enter")
        await settle(pilot)
        assert _text(app.screen, "#summary").splitlines() == [
            f"{usb}：新增 3 · 替换 0 · 未变 0 · 拒收 0",
            "新增  幸福社区  2026-W48  走访 1 行 · 必到事项 2 行 · 评分表 1 行",
        ]
    office = OfficeDb.open(office_db)
    report = office.report("2026-W48")
    office.close()
    assert [(c["community"], c["visits"], c["matters"], len(c["teams"])) for c in report["communities"]] == [
        ("幸福社区", 1, 2, 1)
    ]
    assert book.name == "log-幸福社区-2026-W48.xlsx"
