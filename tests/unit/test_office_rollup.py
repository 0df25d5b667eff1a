"""The roll-up file of the office app's Export screen, without the screen: columns, rows, safety."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre_tui.errors import Refused
from cadre_tui.io.csvfile import read_csv
from cadre_tui.io.office_rollup import FIGURES, export_rollup, rollup_header, rollup_keys, rollup_rows
from tests.unit.test_office_workbook import sheets as book_cells

TEAM = {
    "team": "T1", "zone": "Z1", "members": ["C01", "C02"], "team_size_ok": True, "working_days": 5,
    "required_field_days": 3, "field_days": 3, "field_days_ok": True, "households": 150,
    "familiar_households": 106, "familiarity": 0.707, "familiarity_ok": True, "priority_residents": 12,
    "priority_overdue": 0, "priority_ok": True, "matters": 2, "matters_attended": 2, "matters_late": 0,
    "matters_ok": True,
}  # fmt: skip
REPORT = {
    "week": "2026-W48",
    "communities": [
        {"community": "=HYPERLINK(1)社区", "scorecard": True, "visits": 3, "matters": 1, "teams": [TEAM]},
        {"community": "山水社区", "scorecard": False, "visits": 3, "matters": None, "teams": []},
    ],
    "missing": ["明月社区"],
}


def test_english_header_and_every_kind_of_row() -> None:
    assert rollup_header("en") == rollup_keys() == [
        "community", "week", "status", "team", "zone", "members", "team_size_ok", "field_days",
        "required_field_days", "field_days_ok", "familiar_households", "households", "familiarity",
        "familiarity_ok", "priority_overdue", "priority_residents", "priority_ok", "matters_attended",
        "matters", "matters_late", "matters_ok", "all_ok",
    ]  # fmt: skip
    assert rollup_rows(REPORT, "en") == [
        ["=HYPERLINK(1)社区", "2026-W48", "sent", "T1", "Z1", "C01;C02", "✓", 3, 3, "✓", 106, 150, "70.7%",
         "✓", 0, 12, "✓", 2, 2, 0, "✓", "✓"],
        ["山水社区", "2026-W48", "no scorecard", *[""] * 19],
        ["明月社区", "2026-W48", "nothing sent", *[""] * 19],
    ]  # fmt: skip


def test_the_csv_is_formula_safe_private_and_not_overwritten_unasked(tmp_path: Path) -> None:
    path = export_rollup(REPORT, tmp_path / "out", "csv", "zh")
    assert path == tmp_path / "out" / "23766-2026-W48.csv"
    assert path.stat().st_mode & 0o777 == 0o600
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith("'=HYPERLINK(1)社区,2026-W48,已报送,T1,")
    assert lines[2] == "山水社区,2026-W48,未报送评分表" + "," * 19
    # read back with the reader every import uses: the leading ' comes off again
    table = read_csv(path, dict(zip(rollup_keys(), rollup_header("zh"), strict=True)))
    assert table.records[0].values["community"] == "=HYPERLINK(1)社区"
    with pytest.raises(Refused, match="already exists"):
        export_rollup(REPORT, tmp_path / "out", "csv", "zh")
    again = dict(REPORT, missing=[])
    export_rollup(again, tmp_path / "out", "csv", "zh", force=True)
    assert len(path.read_bytes().decode("utf-8-sig").split("\r\n")) == 4  # header, 2 rows, end
    (tmp_path / "file").write_text("x")
    with pytest.raises(Refused, match="is a file"):
        export_rollup(REPORT, tmp_path / "file", "csv", "zh")


def test_the_rollup_module_leaves_textual_out() -> None:
    code = (
        "import sys, cadre_tui.io.office_rollup;"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


# -- the workbook -----------------------------------------------------------------------------------

LATE = {
    "team": "T2", "zone": "Z2", "members": ["C03"], "team_size_ok": False, "working_days": 5,
    "required_field_days": 3, "field_days": 1, "field_days_ok": False, "households": 0,
    "familiar_households": 0, "familiarity": 0.0, "familiarity_ok": False, "priority_residents": 2,
    "priority_overdue": 2, "priority_ok": False, "matters": 1, "matters_attended": 0, "matters_late": 0,
    "matters_ok": False,
}  # fmt: skip
BOOK_REPORT = {
    "week": "2026-W48",
    "communities": [
        {
            "community": "=HYPERLINK(1)社区",
            "scorecard": True,
            "visits": 3,
            "matters": 1,
            "teams": [TEAM, LATE],
        },
        {"community": "山水社区", "scorecard": False, "visits": 3, "matters": None, "teams": []},
    ],
    "missing": ["明月社区", "阳光社区"],
}
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
GREEN, RED = "FFC6EFCE", "FFFFC7CE"


def fills(path: Path, sheet: int) -> dict[str, str | None]:
    """Cell reference -> its fill colour (ARGB) or None, for every cell of sheet N with a value."""
    with zipfile.ZipFile(path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        xml = ElementTree.fromstring(z.read(f"xl/worksheets/sheet{sheet}.xml"))
    colours: list[str | None] = []
    for fill in styles.iter(f"{{{MAIN}}}fill"):
        fg = fill.find(f"{{{MAIN}}}patternFill/{{{MAIN}}}fgColor")
        colours.append(None if fg is None else fg.get("rgb"))
    xfs = styles.find(f"{{{MAIN}}}cellXfs")
    assert xfs is not None
    fill_of = [colours[int(xf.get("fillId", "0"))] for xf in xfs]
    return {
        c.get("r", ""): fill_of[int(c.get("s", "0"))]
        for c in xml.iter(f"{{{MAIN}}}c")
        if c.find(f"{{{MAIN}}}is") is not None or c.find(f"{{{MAIN}}}v") is not None
    }


def test_the_workbook_in_chinese_cell_by_cell(tmp_path: Path) -> None:
    path = export_rollup(BOOK_REPORT, tmp_path / "out", "xlsx", "zh")
    assert path == tmp_path / "out" / "23766-2026-W48.xlsx"
    cells = book_cells(path)
    assert list(cells) == ["总览", "2 成组", "3 走访", "7 熟悉率", "6 重点", "6 必到"]
    assert cells["总览"] == [
        ["23766 周汇总 · 2026-W48", *[""] * 9],
        ["共 4 个社区：已报送 1 个，未报送评分表 1 个，未报送 2 个；小组全部达标 1/2", *[""] * 9],
        ["本周未报送：明月社区、阳光社区", *[""] * 9],
        ["社区", "报送情况", "小组", "片区", "2 成组", "3 走访", "7 熟悉率", "6 重点", "6 必到", "全部达标"],
        ["=HYPERLINK(1)社区", "已报送", "T1", "Z1", "✓", "✓", "✓", "✓", "✓", "✓"],
        ["=HYPERLINK(1)社区", "已报送", "T2", "Z2", "✗", "✗", "✗", "✗", "✗", "✗"],
        ["山水社区", "未报送评分表", *[""] * 8],
        ["明月社区", "未报送", *[""] * 8],
        ["阳光社区", "未报送", *[""] * 8],
    ]
    names = [("山水社区", "（未报送评分表）"), ("明月社区", "（未报送）"), ("阳光社区", "（未报送）")]

    def silent(width: int) -> list[list[object]]:
        return [[name, status, *[""] * (width - 2)] for name, status in names]

    assert cells["2 成组"][:3] == [
        ["2 成组 · 2026-W48", "", "", "", ""],
        ["两人成组：每个小组恰好两名在岗干部，各管一个片区", "", "", "", ""],
        ["✓ 达标（绿色）  ✗ 未达标（红色）", "", "", "", ""],
    ]
    assert cells["2 成组"][3:] == [
        ["社区", "小组", "片区", "成员", "达标"],
        ["=HYPERLINK(1)社区", "T1", "Z1", "C01、C02", "✓"],
        ["=HYPERLINK(1)社区", "T2", "Z2", "C03", "✗"],
        *silent(5),
    ]
    assert cells["3 走访"][3:] == [
        ["社区", "小组", "片区", "走访天数", "应走访天数", "达标"],
        ["=HYPERLINK(1)社区", "T1", "Z1", 3.0, 3.0, "✓"],
        ["=HYPERLINK(1)社区", "T2", "Z2", 1.0, 3.0, "✗"],
        *silent(6),
    ]
    assert cells["7 熟悉率"][3:] == [
        ["社区", "小组", "片区", "熟悉户数", "户数", "熟悉率", "达标"],
        ["=HYPERLINK(1)社区", "T1", "Z1", 106.0, 150.0, 0.707, "✓"],
        ["=HYPERLINK(1)社区", "T2", "Z2", 0.0, 0.0, 0.0, "✗"],
        *silent(7),
    ]
    assert cells["6 重点"][3:6] == [
        ["社区", "小组", "片区", "逾期未访", "重点人员", "达标"],
        ["=HYPERLINK(1)社区", "T1", "Z1", 0.0, 12.0, "✓"],
        ["=HYPERLINK(1)社区", "T2", "Z2", 2.0, 2.0, "✗"],
    ]
    assert cells["6 必到"][3:] == [
        ["社区", "小组", "片区", "已到场", "必到事项", "超时", "达标"],
        ["=HYPERLINK(1)社区", "T1", "Z1", 2.0, 2.0, 0.0, "✓"],
        ["=HYPERLINK(1)社区", "T2", "Z2", 0.0, 1.0, 0.0, "✗"],
        *silent(7),
    ]
    # numbers are number cells (calamine gives floats), text stays text however it begins
    assert all(isinstance(v, float) for row in cells["6 必到"][4:6] for v in row[3:6])


def test_the_workbook_in_english(tmp_path: Path) -> None:
    path = export_rollup(BOOK_REPORT, tmp_path, "xlsx", "en")
    cells = book_cells(path)
    assert list(cells) == [
        "Overview",
        "2 Pairs",
        "3 Field days",
        "7 Familiarity",
        "6 Priority",
        "6 Must-attend",
    ]
    assert cells["Overview"][1][0] == (
        "4 communities: 1 sent, 1 without a scorecard, 2 sent nothing; teams keeping all 1/2"
    )
    assert cells["Overview"][2][0] == "Sent nothing this week: 明月社区, 阳光社区"
    assert cells["Overview"][3] == [
        "Community", "Status", "Team", "Zone", "2 Pairs", "3 Field days", "7 Familiarity", "6 Priority",
        "6 Must-attend", "All kept",
    ]  # fmt: skip
    assert cells["Overview"][6][:2] == ["山水社区", "no scorecard"]
    assert cells["7 Familiarity"][3] == ["Community", "Team", "Zone", "Familiar households", "Households",
                                         "Familiarity", "Kept"]  # fmt: skip
    assert cells["7 Familiarity"][8][:2] == ["阳光社区", "(nothing sent)"]
    with zipfile.ZipFile(path) as z:
        assert "宋体" not in z.read("xl/styles.xml").decode()


def test_the_marks_are_filled_green_and_red(tmp_path: Path) -> None:
    path = export_rollup(BOOK_REPORT, tmp_path, "xlsx", "zh")
    overview = fills(path, 1)
    assert [overview[f"{col}5"] for col in "EFGHIJ"] == [GREEN] * 6
    assert [overview[f"{col}6"] for col in "EFGHIJ"] == [RED] * 6
    assert {
        overview[f"{col}{row}"] for col in "ABCD" for row in range(5, 10) if f"{col}{row}" in overview
    } == {None}
    assert overview["A4"] == "FFD9D9D9"  # the header's grey
    familiarity = fills(path, 4)
    assert (familiarity["F5"], familiarity["G5"], familiarity["G6"]) == (None, GREEN, RED)
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml").decode()
        assert '<numFmt numFmtId="164" formatCode="0.0%"/>' in styles
        assert '<font><b/><sz val="10"/><color rgb="FF006100"/><name val="宋体"/>' in styles


def test_the_workbook_is_print_ready_formula_free_private_and_not_overwritten_unasked(tmp_path: Path) -> None:
    path = export_rollup(BOOK_REPORT, tmp_path / "out", "xlsx", "zh")
    assert path.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(names) == 6
        for name in names:
            xml = z.read(name).decode()
            assert '<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>' in xml, name
            assert '<printOptions gridLines="1"/>' in xml, name
            assert "<f>" not in xml and "<f " not in xml, name
            assert "&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>" in xml, name
        book = z.read("xl/workbook.xml").decode()
        titles = re.findall(
            r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d)">(.+?)</definedName>', book
        )
        assert sorted(titles) == [
            ("0", "总览!$1:$4"),
            ("1", "'2 成组'!$1:$4"),
            ("2", "'3 走访'!$1:$4"),
            ("3", "'7 熟悉率'!$1:$4"),
            ("4", "'6 重点'!$1:$4"),
            ("5", "'6 必到'!$1:$4"),
        ]
        sheet1 = z.read("xl/worksheets/sheet1.xml").decode()
        assert (
            "<oddHeader>&amp;L2026-W48&amp;C&amp;B23766 周汇总&amp;R4 个社区，2 个未报送</oddHeader>"
            in sheet1
        )
    first = path.read_bytes()
    with pytest.raises(Refused, match="already exists"):
        export_rollup(BOOK_REPORT, tmp_path / "out", "xlsx", "zh")
    assert path.read_bytes() == first
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["23766-2026-W48.xlsx"]
    export_rollup(dict(BOOK_REPORT, missing=[]), tmp_path / "out", "xlsx", "zh", force=True)
    assert book_cells(path)["总览"][2][0] == "以往报送过的社区本周都已报送。"
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_long_list_of_silent_communities_wraps_above_the_table(tmp_path: Path) -> None:
    many = dict(BOOK_REPORT, missing=[f"第{n}号示例社区" for n in range(1, 31)])
    path = export_rollup(many, tmp_path, "xlsx", "zh")
    cells = book_cells(path)["总览"]
    assert cells[2][0] == "本周未报送：" + "、".join(f"第{n}号示例社区" for n in range(1, 31))
    assert [row[:2] for row in cells[-2:]] == [["第29号示例社区", "未报送"], ["第30号示例社区", "未报送"]]
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    # 483 columns of text (+2) over a table 97 columns wide: five lines of 14 points (Excel keeps 69.75)
    assert '<row r="3" ht="69.75" customHeight="1">' in xml
    assert '<row r="2">' in xml  # the counts fit on one line


# Text a clerk or a community can put in a name: no control characters (XML cannot hold most of them).
NAME = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip() == t)
COUNT = st.integers(min_value=0, max_value=100_000)
TEAMS = st.lists(
    st.fixed_dictionaries(
        {
            "team": NAME,
            "zone": NAME,
            "members": st.lists(NAME, max_size=3),
            "field_days": COUNT,
            "required_field_days": COUNT,
            "familiar_households": COUNT,
            "households": COUNT,
            "familiarity": st.integers(min_value=0, max_value=1000).map(lambda n: n / 1000),
            "priority_overdue": COUNT,
            "priority_residents": COUNT,
            "matters_attended": COUNT,
            "matters": COUNT,
            "matters_late": COUNT,
            **{f.ok: st.booleans() for f in FIGURES},
        }
    ),
    max_size=3,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(NAME, min_size=1, max_size=6, unique=True),
    teams=st.lists(TEAMS, min_size=6, max_size=6),
    silent=st.integers(min_value=0, max_value=2),
)
def test_any_names_and_numbers_read_back_as_written(
    tmp_path: Path, names: list[str], teams: list[list[dict[str, Any]]], silent: int
) -> None:
    split = max(1, len(names) - silent)
    sent, missing = names[:split], names[split:]
    report = {
        "week": "2026-W48",
        "communities": [{"community": n, "teams": t} for n, t in zip(sent, teams, strict=False)],
        "missing": missing,
    }
    path = export_rollup(report, tmp_path, "xlsx", "zh", force=True)
    cells = book_cells(path)
    mark = {True: "✓", False: "✗"}
    expected_overview = []
    for community in report["communities"]:
        if not community["teams"]:
            expected_overview.append([community["community"], "未报送评分表", *[""] * 8])
        for team in community["teams"]:
            oks = [mark[team[f.ok]] for f in FIGURES]
            all_ok = mark[all(team[f.ok] for f in FIGURES)]
            expected_overview.append(
                [community["community"], "已报送", team["team"], team["zone"], *oks, all_ok]
            )
    expected_overview += [[n, "未报送", *[""] * 8] for n in missing]
    assert cells["总览"][4:] == expected_overview
    expected_numbers = [
        [c["community"], t["team"], t["zone"], float(t["familiar_households"]), float(t["households"]),
         t["familiarity"], mark[t["familiarity_ok"]]]
        for c in report["communities"] for t in c["teams"]
    ]  # fmt: skip
    assert [row for row in cells["7 熟悉率"][4:] if row[3] != ""] == expected_numbers
    with zipfile.ZipFile(path) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
