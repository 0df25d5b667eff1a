"""`export register`: the visit register (走访台账), read back cell by cell with python-calamine."""

from __future__ import annotations

import stat
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from cadre_tui.errors import InvalidInput
from cadre_tui.io.register import export_register
from cadre_tui.store import records
from cadre_tui.store.db import Store
from tests.builders import insert_matter
from tests.conftest import CliRunner
from tests.unit.paper_community import paper_community

TODAY = date(2026, 11, 24)


def history(store: Store) -> dict[str, str]:
    """The paper community plus two visits with assistance and two matters (one late)."""
    ids = paper_community(store)
    lin = store.db.execute("SELECT id FROM residents WHERE name = '林春生'").fetchone()[0]
    records.add_visit(
        store,
        household_id=ids["h1"],
        visit_date=date(2026, 11, 2),
        outcome="met",
        resident_ids=[lin],
        needs=["assistance", "medical"],
        notes="=1+1 送去慰问金",
        assistance_yuan="200",
        follow_up_date=date(2026, 11, 9),
        today=TODAY,
    )
    records.add_visit(
        store,
        household_id=ids["h3"],
        visit_date=date(2026, 10, 30),
        outcome="absent",
        cadre_ids=[ids["li"]],
        assistance_yuan="150.5",
        today=TODAY,
    )
    insert_matter(
        store,
        "emergency",
        datetime(2026, 11, 3, 1, 0, tzinfo=UTC),
        scope="zone",
        zone_id=ids["zone"],
        attended_at=datetime(2026, 11, 3, 4, 30, tzinfo=UTC),
        attended_by=[ids["wang"]],
        title="燃气泄漏",
    )
    insert_matter(
        store,
        "activity",
        datetime(2026, 11, 5, 6, 0, tzinfo=UTC),
        scope="community",
        attended_at=datetime(2026, 11, 5, 6, 30, tzinfo=UTC),
        attended_by=[ids["li"], ids["wang"]],
        title="重阳节活动",
    )
    return ids


def test_register_cells(store: Store, tmp_path: Path) -> None:
    history(store)
    out = tmp_path / "台账.xlsx"
    result = export_register(store, date(2026, 10, 15), date(2026, 11, 30), out)
    assert (result.visits, result.assistance, result.matters, result.months) == (5, "350.50", 3, 2)
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["2026-10", "2026-11", "必到事项"]
    header = [
        "走访日期",
        "小组",
        "走访干部",
        "户编号",
        "地址",
        "见到的居民",
        "结果",
        "诉求",
        "走访记录",
        "跟进日期",
        "帮扶金额（元）",
    ]
    blank10 = [""] * 10
    assert book.get_sheet_by_name("2026-10").to_python() == [
        ["幸福社区 走访台账 · 2026-10", *blank10],
        header,
        ["2026-10-30", "T1", "李强", "H03", "幸福小区2栋2单元301", "", "无人在家", "", "", "", 150.5],
        ["合计", "走访 1 次", "", "", "", "", "", "", "", "", 150.5],
    ]
    assert book.get_sheet_by_name("2026-11").to_python() == [
        ["幸福社区 走访台账 · 2026-11", *blank10],
        header,
        [
            "2026-11-02",
            "T1",
            "王芳、李强",
            "H01",
            "幸福小区2栋1单元101",
            "林春生",
            "见到本人或家人",
            "救助/低保、医疗",
            "=1+1 送去慰问金",
            "2026-11-09",
            200.0,
        ],
        [
            "2026-11-12",
            "T1",
            "王芳、李强",
            "H04",
            "幸福小区1栋2单元102",
            "",
            "见到本人或家人",
            "",
            "",
            "",
            "",
        ],
        [
            "2026-11-16",
            "T1",
            "王芳、李强",
            "H02",
            "幸福小区1栋1单元202",
            "",
            "见到本人或家人",
            "",
            "",
            "2026-11-26",
            "",
        ],
        ["2026-11-18", "T1", "王芳", "H05", "和平花园3栋1单元101", "", "见到本人或家人", "", "", "", ""],
        ["合计", "走访 4 次", "", "", "", "", "", "", "", "", 200.0],
    ]
    blank8 = [""] * 8
    assert book.get_sheet_by_name("必到事项").to_python() == [
        ["幸福社区 必到事项 · 2026-10-15 至 2026-11-30", *blank8],
        ["发生时间", "类型", "事项", "范围", "到场时间", "到场干部", "用时（小时）", "是否超时", "备注"],
        ["2026-11-03 09:00", "突发事件", "燃气泄漏", "片区 Z1", "2026-11-03 12:30", "王芳", 3.5, "超时", ""],
        [
            "2026-11-05 14:00",
            "重要活动",
            "重阳节活动",
            "全社区",
            "2026-11-05 14:30",
            "王芳、李强",
            0.5,
            "按时",
            "",
        ],
        ["2026-11-22 10:00", "生病住院", "林春生住院", "住户 H01", "", "", "", "未到场", ""],
        ["", *blank8],
        [
            "到场时限：突发事件 2 小时；重要活动 1 小时；生病住院 48 小时；矛盾纠纷 24 小时；"
            "困难灾祸 24 小时；红白喜事 24 小时",
            *blank8,
        ],
    ]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(f"xl/worksheets/sheet{n}.xml").decode() for n in (1, 2, 3)]
    assert all("<f>" not in s for s in sheets)  # the notes "=1+1 …" and the totals are values
    assert '<c r="I3" t="inlineStr"><is><t>=1+1 送去慰问金</t></is></c>' in sheets[1].replace(' s="3"', "")
    assert all('orientation="landscape"' in s and '<printOptions gridLines="1"/>' in s for s in sheets)


def test_one_team_and_refusals(store: Store, tmp_path: Path, cli: CliRunner) -> None:
    history(store)
    result = export_register(store, date(2026, 11, 1), date(2026, 11, 30), tmp_path / "a.xlsx", team="T1")
    assert (result.visits, result.matters) == (4, 3)
    with pytest.raises(InvalidInput, match=r"--team: no team T9"):
        export_register(store, date(2026, 11, 1), date(2026, 11, 30), tmp_path / "b.xlsx", team="T9")
    bad = cli(
        "export", "register", "--from", "2026-11-30", "--to", "2026-11-01", "--out", str(tmp_path / "c.xlsx")
    )
    assert (bad.code, bad.err) == (2, "cadre-tui: --to 2026-11-01 早于 --from 2026-11-30\n")
    again = cli(
        "export", "register", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(tmp_path / "a.xlsx")
    )
    assert again.code == 3
    ok = cli(
        "export", "register", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(tmp_path / "a.xlsx"),
        "--force", "--lang", "en",
    )  # fmt: skip
    assert (ok.code, ok.out) == (0, f"{tmp_path / 'a.xlsx'}\n")
    assert "4 visits, assistance 200 yuan in all, 3 matters" in ok.err
    rows = CalamineWorkbook.from_path(str(tmp_path / "a.xlsx")).get_sheet_by_index(0).to_python()
    assert rows[1][:3] == ["Date", "Team", "Cadres"]
    assert rows[2][6:8] == ["met", "assistance, medical"]
