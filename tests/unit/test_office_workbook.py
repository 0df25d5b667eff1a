"""`export log --format xlsx` and `office import` of such a workbook: the CSV's columns and rules in three
sheets, numbers as numbers and text as text, read back cell by cell with python-calamine."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from cadre_tui.errors import Refused
from cadre_tui.io.office_log import export_office_log
from tests.conftest import CliRunner
from tests.unit.test_bundle import laptop
from tests.unit.test_office_log import (
    MATTERS_EN,
    MATTERS_ZH,
    SCORECARD_ZH,
    TODAY,
    VISITS_EN,
    VISITS_ZH,
    W48,
    week_of_work,
)


def sheets(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cells as python-calamine reads them."""
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_workbook_in_chinese_cell_by_cell(tmp_path: Path) -> None:
    store, _ = laptop()
    ids = week_of_work(store)
    [path] = export_office_log(store, W48, tmp_path / "log", today=TODAY, file_format="xlsx")
    assert path.name == "log-幸福社区-2026-W48.xlsx"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cells = sheets(path)
    assert list(cells) == ["走访记录", "必到事项", "评分表"]
    assert cells["走访记录"] == [
        VISITS_ZH.split(","),
        [
            "幸福社区",
            "2026-W48",
            ids["visit"],
            "2026-11-23",
            "Z1",
            "T1",
            "C01;C02",
            "H001",
            "幸福小区 1栋 1单元 101",
            "孤",
            "见到本人或家人",
            "医疗;其他",
            "某某说，女儿某某的电话是***，身份证***",
            "2026-11-27",
            200.0,
        ],
    ]
    assert cells["必到事项"] == [
        MATTERS_ZH.split(","),
        [
            "幸福社区",
            "2026-W48",
            ids["illness"],
            "生病住院",
            "某某住院",
            "住户",
            "Z1",
            "H002",
            "2026-11-23 10:00",
            "2026-11-24 11:00",
            "C01",
            "否",
            "",
        ],
        # text as text: no formula guard is needed in a text cell, and none is added
        [
            "幸福社区",
            "2026-W48",
            ids["dispute"],
            "矛盾纠纷",
            "=楼上漏水",
            "片区",
            "Z1",
            "",
            "2026-11-23 12:00",
            "2026-11-24 18:00",
            "C01;C02",
            "是",
            "联系 ***",
        ],
    ]
    assert cells["评分表"] == [
        SCORECARD_ZH.split(","),
        [
            "幸福社区",
            "2026-W48",
            "T1",
            "Z1",
            "C01;C02",
            "是",
            5.0,
            3.0,
            1.0,
            "否",
            2.0,
            1.0,
            0.5,
            "否",
            1.0,
            0.0,
            "是",
            2.0,
            2.0,
            1.0,
            "否",
        ],
    ]
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(f"xl/worksheets/sheet{n}.xml").decode() for n in (1, 2, 3))
    assert "<f>" not in xml
    everything = json.dumps(cells, ensure_ascii=False)
    for secret in ("王秀英", "曾小燕", "11010519491231002X", "13912345678", "13800000000"):
        assert secret not in everything


def test_workbook_with_english_headers_and_refusal(tmp_path: Path) -> None:
    store, _ = laptop()
    week_of_work(store)
    [path] = export_office_log(store, W48, tmp_path, headers="en", today=TODAY, file_format="xlsx")
    cells = sheets(path)
    assert list(cells) == ["visits", "matters", "scorecard"]
    assert cells["visits"][0] == VISITS_EN.split(",")
    assert cells["visits"][1][9:12] == ["solitary", "met", "medical;other"]
    assert cells["matters"][0] == MATTERS_EN.split(",")
    assert cells["scorecard"][1][5:8] == ["true", 5.0, 3.0]
    with pytest.raises(Refused, match=r"already exists; add --force"):
        export_office_log(store, W48, tmp_path, today=TODAY, file_format="xlsx")


def test_office_imports_the_workbook_like_the_csv_files(cli: CliRunner, tmp_path: Path) -> None:
    store, _ = laptop()
    week_of_work(store)
    csv_dir = tmp_path / "csv"
    export_office_log(store, W48, csv_dir, today=TODAY)
    [book] = export_office_log(store, W48, tmp_path / "xlsx", today=TODAY, file_format="xlsx")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert cli("office", "import", str(csv_dir), db=one).code == 0
    result = cli("office", "import", str(book), db=two)
    assert result.code == 0, result.err
    report_csv = cli("office", "report", "--week", "2026-W48", "--format", "json", db=one).out
    report_xlsx = cli("office", "report", "--week", "2026-W48", "--format", "json", db=two).out
    assert json.loads(report_xlsx) == json.loads(report_csv)
    assert json.loads(report_xlsx)["communities"][0]["visits"] == 1
    # the same workbook again changes nothing; a folder holding it is read too
    again = cli("office", "import", str(tmp_path / "xlsx"), db=two)
    assert again.code == 0
    name = tmp_path / "xlsx" / "log-幸福社区-2026-W48.xlsx"
    assert again.out.splitlines() == [
        f"{name}: 幸福社区 2026-W48 走访 1 行，未变",
        f"{name}: 幸福社区 2026-W48 必到事项 2 行，未变",
        f"{name}: 幸福社区 2026-W48 评分表 1 行，未变",
    ]


def test_a_sheet_that_is_no_log_is_refused_with_its_name(cli: CliRunner, tmp_path: Path) -> None:
    from tests.workbooks import write_rows

    bad = write_rows(tmp_path / "log-x-2026-W48.xlsx", ["姓名"], [["林春生"]], sheet="名单")
    result = cli("office", "import", str(bad), db=tmp_path / "office.db", lang="en")
    assert (result.code, result.err) == (
        2,
        f"cadre-tui: {bad}:名单: not an office log sheet (visits, matters or scorecard)\n",
    )


def test_the_office_app_imports_a_log_workbook_as_office_import_does(tmp_path: Path) -> None:
    from cadre_tui.io.office_import import import_each, import_logs
    from cadre_tui.store.office import OfficeDb
    from tests.workbooks import write_rows

    store, _ = laptop()
    week_of_work(store)
    folder = tmp_path / "usb"
    [book] = export_office_log(store, W48, folder, today=TODAY, file_format="xlsx")
    bad = write_rows(folder / "log-x-2026-W48.xlsx", ["姓名"], [["林春生"]], sheet="名单")
    one, two = OfficeDb.open(str(tmp_path / "one.db")), OfficeDb.open(str(tmp_path / "two.db"))
    summary = import_each(one, [folder])
    assert [(r.source, r.message) for r in summary.refused] == [
        (str(bad), f"{bad}:名单: not an office log sheet (visits, matters or scorecard)")
    ]
    assert [(r.kind, r.rows, r.status) for r in summary.imported] == [
        ("visits", 1, "added"),
        ("matters", 2, "added"),
        ("scorecard", 1, "added"),
    ]
    assert summary.skipped == 0
    import_logs(two, [book])
    assert one.report("2026-W48") == two.report("2026-W48")
    assert one.report("2026-W48")["communities"][0]["visits"] == 1
    again = import_each(one, [book])
    assert [r.status for r in again.imported] == ["unchanged"] * 3
    one.close()
    two.close()
