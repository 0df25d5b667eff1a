"""`export walklist`: one printable sheet per team-day, read back cell by cell with python-calamine."""

from __future__ import annotations

import re
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from cadre_tui.core.weeks import parse_week
from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.io.walklist import export_walklist
from cadre_tui.store.db import Store
from tests.conftest import CliRunner
from tests.unit.paper_community import MONDAY, WEEK, paper_community


def cells(path: Path, sheet: int = 0) -> list[list[object]]:
    """The sheet's cells as python-calamine reads them (from A1)."""
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(sheet).to_python(skip_empty_area=False)


def test_walk_list_cells(store: Store, tmp_path: Path) -> None:
    paper_community(store)
    out = tmp_path / "walk.xlsx"
    result = export_walklist(store, parse_week(WEEK, MONDAY), out, today=MONDAY)
    assert (result.sheets, result.households) == (1, 4)
    assert CalamineWorkbook.from_path(str(out)).sheet_names == ["T1 11-23 周一"]
    blank = [""] * 7
    assert cells(out) == [
        ["幸福社区 走访清单 · T1 第一小组 · 2026-11-23 周一", *blank],
        ["走访干部：王芳、李强    片区：Z1    共 4 户", *blank],
        ["结果（填数字）：1 见到本人或家人  2 无人在家  3 拒绝  4 已搬离/空置  5 其他", *blank],
        ["序号", "户编号", "地址", "重点人员（人群）", "列入原因", "户主电话", "结果 1–5", "走访记录 / 诉求"],
        # grouped by building, buildings in the order the plan first reaches them
        ["幸福小区2栋", *blank],
        [
            1.0,
            "H01",
            "幸福小区2栋1单元101",
            "林春生（孤）；秦玉兰（病、老）",
            "逾期（2026-10-08 起）\n必到：生病住院「林春生住院」11-22 10:00 未到场",
            "138****1111",
            "",
            "",
        ],
        [2.0, "H03", "幸福小区2栋2单元301", "", "未走访过", "", "", ""],
        ["幸福小区1栋", *blank],
        [
            3.0,
            "H04",
            "幸福小区1栋2单元102",
            "单秀珍（贫）",
            "本周到期（2026-11-26）",
            "（女儿）136****5678",
            "",
            "",
        ],
        [4.0, "H02", "幸福小区1栋1单元202", "", "跟进（约定 2026-11-26）", "", "", ""],
    ]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
    # A4 landscape, one page wide, gridlines printed, page header and numbered footer, rows 1-4 repeated.
    assert re.search(r'<pageSetup paperSize="9"[^>]*orientation="landscape"', sheet)
    assert 'fitToHeight="0"' in sheet
    assert '<printOptions gridLines="1"/>' in sheet
    assert (
        "<oddHeader>&amp;LT1 第一小组&amp;C&amp;B走访清单 2026-11-23 周一"
        "&amp;R走访干部：王芳、李强</oddHeader>" in sheet
    )
    assert "<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>" in sheet
    assert "'T1 11-23 周一'!$1:$4" in workbook
    assert "<f>" not in sheet  # nothing is a formula


def test_english_walk_list_and_one_day(store: Store, tmp_path: Path) -> None:
    paper_community(store)
    out = tmp_path / "walk.xlsx"
    export_walklist(store, parse_week(WEEK, MONDAY), out, team="T1", day=MONDAY, lang="en", today=MONDAY)
    rows = cells(out)
    assert rows[3] == ["#", "Household", "Address", "Priority residents (groups)", "Why on the list",
                       "Head's phone", "Outcome 1–5", "Notes / needs"]  # fmt: skip
    assert rows[2][0] == "Outcome (write the number): 1 met  2 absent  3 refused  4 moved  5 other"
    assert rows[5][3:6] == [
        "林春生 (solitary); 秦玉兰 (ill, elderly)",
        "overdue since 2026-10-08\nmust-attend: illness “林春生住院” 11-22 10:00 not attended",
        "138****1111",
    ]
    assert rows[8][5] == "(女儿) 136****5678"


def test_refusals(store: Store, tmp_path: Path, cli: CliRunner) -> None:
    paper_community(store)
    week = parse_week(WEEK, MONDAY)
    out = tmp_path / "walk.xlsx"
    out.write_text("old")
    with pytest.raises(Refused, match=r"already exists; add --force"):
        export_walklist(store, week, out, today=MONDAY)
    assert out.read_text() == "old"
    export_walklist(store, week, out, today=MONDAY, force=True)
    with pytest.raises(InvalidInput, match=r"not in 2026-W48"):
        export_walklist(store, week, tmp_path / "a.xlsx", day=date(2026, 12, 1), today=MONDAY)
    with pytest.raises(InvalidInput, match=r"no household is planned for T1 2026-11-24"):
        export_walklist(store, week, tmp_path / "a.xlsx", team="T1", day=date(2026, 11, 24), today=MONDAY)
    with pytest.raises(InvalidInput, match=r"--team: no team T9"):
        export_walklist(store, week, tmp_path / "a.xlsx", team="T9", today=MONDAY)
    with pytest.raises(InvalidInput, match=r"ending in \.xlsx"):
        export_walklist(store, week, tmp_path / "a.csv", today=MONDAY)
    assert not (tmp_path / "a.xlsx").exists()
    result = cli("export", "walklist", "--week", WEEK, "--out", str(out))
    assert (result.code, result.out) == (3, "")
    assert "加 --force 覆盖它" in result.err
