"""`import roster|staff FILE.xlsx|.xls|.ods`: the same rules as CSV, messages as FILE:SHEET:ROW."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from cadre_tui.errors import InvalidInput
from cadre_tui.io.roster import ROSTER_COLUMNS, import_roster
from cadre_tui.io.staff import import_staff
from cadre_tui.io.workbook import parse_sheet_ahead, read_table, stream_workbook
from cadre_tui.store.db import Store
from tests.conftest import FIXTURES, CliRunner
from tests.unit.test_roster import dump
from tests.workbooks import ROSTER_HEADER, roster_workbook, write_rows

TODAY = date(2026, 11, 24)


def test_excel_roster_imports_exactly_as_the_csv(store: Store, tmp_path: Path, db_path: Path) -> None:
    book = roster_workbook(tmp_path / "花名册.xlsx")
    report = import_roster(store, book, today=TODAY)
    assert [(k, c.added, c.updated, c.unchanged) for k, c in report.counts.items()] == [
        ("households", 3, 0, 0),
        ("residents", 5, 0, 0),
        ("memberships", 5, 0, 0),
    ]
    assert report.warnings == []
    # The CSV of the same roster, into a second database: the same rows, ids and values.
    other = Store.open(tmp_path / "other.db")
    other.set_community("幸福社区", None, "Asia/Shanghai")
    import_roster(other, FIXTURES / "roster" / "roster-gb18030.csv", today=TODAY)

    def data(s: Store) -> list[tuple[object, ...]]:
        return sorted(
            tuple(r)
            for r in s.db.execute(
                "SELECT r.id, r.name, r.gender, r.birth_date, r.id_number, r.phone, r.relation, r.notes, "
                "h.household_no, h.estate, h.building, h.unit, h.room FROM residents r "
                "JOIN households h ON h.id = r.household_id"
            )
        )

    assert data(store) == data(other)
    assert sorted(store.db.execute("SELECT id, group_code, since FROM memberships").fetchall()) == sorted(
        other.db.execute("SELECT id, group_code, since FROM memberships").fetchall()
    )
    # Excel date cells became dates; the ID number's lower-case x was normalised; numbers are digits.
    assert store.db.execute(
        "SELECT birth_date, id_number FROM residents WHERE name = '秦玉兰'"
    ).fetchone() == ("1950-06-01", "11010519500601002X")
    assert store.db.execute("SELECT phone FROM residents WHERE name = '林春生'").fetchone() == (
        "13800001111",
    )
    assert store.db.execute("SELECT room FROM households WHERE household_no = 'H001'").fetchone() == ("101",)
    other.close()
    # Importing the workbook again changes nothing.
    before = dump(store)
    report = import_roster(store, book, today=date(2026, 12, 1))
    assert dump(store) == before
    assert report.added == report.updated == 0


def test_id_numbers_stored_as_numbers_are_refused_with_the_fix(
    store: Store, tmp_path: Path, cli: CliRunner
) -> None:
    book = roster_workbook(tmp_path / "花名册.xlsx", ids_as_numbers=True)
    result = cli("import", "roster", str(book), lang="en")
    assert result.code == 2
    fix = (
        "id_number: stored as a number (1.10105E+17), so its last digits are lost: in Excel or WPS "
        "format the column as text (设置单元格格式 → 文本), then type the ID numbers again or import the "
        "original file"
    )
    # 秦玉兰's and 贺志远's numbers end in X: Excel kept them as text, and they are fine.
    assert result.err.splitlines() == [
        f"花名册.xlsx:名单:3: {fix}",
        f"花名册.xlsx:名单:7: {fix}",
        "cadre-tui: 花名册.xlsx:名单: 2 errors in 2 records; nothing was written",
    ]
    assert store.db.execute("SELECT count(*) FROM residents").fetchone() == (0,)


def test_errors_name_file_sheet_and_row(store: Store, tmp_path: Path) -> None:
    header = ["household_no", "zone", "name", "id_number", "groups"]
    rows: list[list[object]] = [
        ["H020", "Z3", "卓一凡", "110105195511110136", "病"],
        ["H020", "Z3", "卓二妹", "110105194803120010", None],
        ["H021", "Z3", "卢三川", None, "老年"],
        [None, None, None, None, None],
        ["H022", "Z3", "路四海", "", None],
    ]
    book = write_rows(tmp_path / "r.xlsx", header, rows, sheet="Sheet2", first_sheet="说明")
    with pytest.raises(InvalidInput) as caught:
        import_roster(store, book, today=TODAY, sheet="Sheet2")
    assert caught.value.lines == [
        "r.xlsx:Sheet2:3: id_number: checksum does not match",
        "r.xlsx:Sheet2:4: groups: unknown priority group 老年 (use 孤 寡 贫 弱 病 老 or solitary widowed "
        "poor frail ill elderly)",
    ]
    # --skip-invalid: the valid rows go in, the rejects beside the workbook as CSV (row numbers as well).
    report = import_roster(store, book, today=TODAY, sheet="Sheet2", skip_invalid=True)
    assert report.rejected == 2
    rejects = tmp_path / "r.xlsx.rejects.csv"
    assert report.rejects_path == rejects
    assert rejects.read_bytes().decode("utf-8-sig").splitlines() == [
        "household_no,zone,name,id_number,groups,error",
        "H020,Z3,卓二妹,110105194803120010,,r.xlsx:Sheet2:3: id_number: checksum does not match",
        "H021,Z3,卢三川,,老年,r.xlsx:Sheet2:4: groups: unknown priority group 老年 (use 孤 寡 贫 弱 病 老 or "
        "solitary widowed poor frail ill elderly)",
    ]
    assert sorted(r[0] for r in store.db.execute("SELECT name FROM residents")) == ["卓一凡", "路四海"]


def test_sheet_choice_and_broken_workbooks(store: Store, tmp_path: Path, cli: CliRunner) -> None:
    book = roster_workbook(tmp_path / "r.xlsx")
    result = cli("import", "roster", str(book), "--sheet", "人员", lang="en")
    assert (result.code, result.err) == (2, "cadre-tui: r.xlsx: no sheet named 人员 (the sheets: 名单)\n")
    csv = FIXTURES / "roster" / "roster-utf8-bom.csv"
    result = cli("import", "roster", str(csv), "--sheet", "名单", lang="en")
    assert result.code == 2
    assert "--sheet is for a workbook" in result.err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip file")
    result = cli("import", "roster", str(broken), lang="en")
    assert result.code == 2
    assert result.err.startswith("cadre-tui: broken.xlsx: not a readable workbook (")
    assert "Traceback" not in result.err
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert cli("import", "roster", str(empty), lang="en").err == "cadre-tui: empty.xlsx: the file is empty\n"
    blank = tmp_path / "blank.xlsx"
    book2 = xlsxwriter.Workbook(str(blank))
    book2.add_worksheet("名单")
    book2.close()
    assert cli("import", "roster", str(blank), lang="en").err == (
        "cadre-tui: blank.xlsx:名单:1: the sheet is empty (no header row)\n"
    )
    missing = write_rows(tmp_path / "m.xlsx", ["姓名", "片区"], [["林春生", "Z1"]])
    assert cli("import", "roster", str(missing), lang="en").err == (
        "cadre-tui: m.xlsx:名单:1: missing required column household_no (户编号)\n"
    )


def test_a_date_column_of_bare_numbers_and_mangled_household_numbers(tmp_path: Path) -> None:
    book = write_rows(
        tmp_path / "r.xlsx",
        ["户编号", "片区", "姓名", "出生日期", "联系电话"],
        [[1.10105e17, "Z1", "林春生", 17968, 13800001111.0], ["0012", "Z1", "秦玉兰", "1950/6/1", None]],
    )
    table = read_table(book, ROSTER_COLUMNS)
    assert [r.values for r in table.records] == [
        {
            "household_no": "1.10105e+17",
            "zone": "Z1",
            "name": "林春生",
            "birth_date": "17968",
            "phone": "13800001111",
        },
        {"household_no": "0012", "zone": "Z1", "name": "秦玉兰", "birth_date": "1950/6/1", "phone": ""},
    ]
    assert [r.line for r in table.records] == [2, 3]
    assert table.name == "r.xlsx:名单"


def test_staff_workbook(store: Store, tmp_path: Path) -> None:
    header = ["编号", "姓名", "电话", "小组", "片区", "小组名称", "片区名称"]
    rows: list[list[object]] = [
        ["C01", "欧阳明远", 13700000001, "T1", "Z1", "第一小组", "东片"],
        ["C02", "司马慧", "13700000002", "T1", "Z1", "第一小组", "东片"],
    ]
    report = import_staff(store, write_rows(tmp_path / "staff.xlsx", header, rows))
    assert report.counts["cadres"].added == 2
    assert store.db.execute("SELECT code, name, phone FROM cadres ORDER BY code").fetchall() == [
        ("C01", "欧阳明远", "13700000001"),
        ("C02", "司马慧", "13700000002"),
    ]
    rows[1][3] = "T2"
    with pytest.raises(InvalidInput) as caught:
        import_staff(store, write_rows(tmp_path / "staff2.xlsx", header, rows))
    assert all(line.startswith("staff2.xlsx:名单:3: ") for line in caught.value.lines)


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_ods_and_xls_rosters(store: Store, suffix: str) -> None:
    report = import_roster(store, FIXTURES / "roster" / f"roster.{suffix}", today=TODAY)
    assert [(k, c.added) for k, c in report.counts.items()] == [
        ("households", 3),
        ("residents", 5),
        ("memberships", 5),
    ]
    assert store.db.execute(
        "SELECT birth_date, id_number, phone FROM residents WHERE name = '秦玉兰'"
    ).fetchone() == ("1950-06-01", "11010519500601002X", None)


def test_header_constant_matches_the_roster_labels() -> None:
    assert list(ROSTER_COLUMNS.values()) == ROSTER_HEADER


def test_a_sheet_starting_in_a_later_column_keeps_its_row_numbers_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    sheet.write_string(0, 3, "幸福社区居民花名册")
    for col, text in enumerate(["户编号", "片区", "姓名"]):
        sheet.write_string(2, 2 + col, text)
    for col, text in enumerate(["H1", "Z1", "张三"]):
        sheet.write_string(4, 2 + col, text)
    book.close()
    table = read_table(path, ROSTER_COLUMNS)
    assert table.header == ["", "", "户编号", "片区", "姓名"]
    assert [(r.line, r.raw, r.values) for r in table.records] == [
        (5, ["", "", "H1", "Z1", "张三"], {"household_no": "H1", "zone": "Z1", "name": "张三"})
    ]


def test_a_cell_too_large_in_an_ods_sheet_is_exit_2_with_its_place(
    store: Store, cli: CliRunner, tmp_path: Path
) -> None:
    """.ods has no cell limit of its own (.xlsx/.xls stop at 32,767 characters): the reader's MAX_CELL
    refuses it as in a CSV file, and the workbook's closing must not hide that message."""
    import zipfile

    from cadre_tui.io.csvfile import MAX_CELL

    def row(cells: list[str]) -> str:
        return (
            "<table:table-row>"
            + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
                for c in cells
            )
            + "</table:table-row>"
        )

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="名单">'
        + row(["户编号", "片区", "姓名", "备注"])
        + row(["1", "Z1", "张三", "x" * (MAX_CELL + 1)])
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    big = tmp_path / "big.ods"
    with zipfile.ZipFile(big, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    result = cli("import", "roster", str(big), lang="en")
    assert result.code == 2
    assert result.err.startswith("cadre-tui: big.ods:名单:2: notes: ")
    assert "Traceback" not in result.err and "internal" not in result.err.lower()


def test_a_sheet_parsed_ahead_gives_the_same_records_and_its_error_when_asked(tmp_path: Path) -> None:
    book = roster_workbook(tmp_path / "r.xlsx")
    ahead = stream_workbook(book, ROSTER_COLUMNS, parsed=parse_sheet_ahead(book)())
    in_place = stream_workbook(book, ROSTER_COLUMNS)
    assert (ahead.name, ahead.header, list(ahead.rows)) == (
        in_place.name,
        in_place.header,
        list(in_place.rows),
    )
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip file")
    parsed = parse_sheet_ahead(broken)  # begun: nothing raised yet
    with pytest.raises(InvalidInput, match=r"broken\.xlsx"):
        parsed()
    with pytest.raises(InvalidInput, match="no sheet named"):
        parse_sheet_ahead(book, "人员")()


def test_the_command_line_begins_a_roster_workbooks_parse_and_the_command_takes_it(
    store: Store, tmp_path: Path, cli: CliRunner
) -> None:
    from cadre_tui.cli.imports import read_ahead
    from cadre_tui.io import workbook

    book = roster_workbook(tmp_path / "r.xlsx")
    read_ahead(["--db", "x.db", "import", "roster", "--sheet", "名单", str(book), "--dry-run"])
    assert list(workbook._ahead) == [(str(book), "名单", None)]
    read_ahead(["import", "roster", str(FIXTURES / "roster" / "roster-utf8-bom.csv")])  # a CSV: none
    assert workbook._ahead == {}  # and the one not taken is forgotten
    read_ahead(["import", "staff", str(book)])
    read_ahead(["import", "roster", str(tmp_path / "missing.xlsx")])
    assert workbook._ahead == {}
    result = cli("import", "roster", str(book), lang="en")
    assert result.code == 0, result.err
    assert workbook._ahead == {}  # taken by the command
    assert store.db.execute("SELECT count(*) FROM residents").fetchone() == (5,)


def test_a_wrong_guess_of_the_sheet_is_not_kept_once_the_command_asks(tmp_path: Path) -> None:
    """`import roster r.xlsx --she 名单`: argparse takes the abbreviation, the guess ahead did not (it
    parsed the first sheet); once the command asks for its own sheet the wrong parse is dropped, not kept
    (with its ~25 MB for 30,000 rows) to the command's end."""
    from cadre_tui.cli.imports import read_ahead
    from cadre_tui.io import workbook

    book = roster_workbook(tmp_path / "r.xlsx")
    read_ahead(["import", "roster", str(book), "--she", "名单"])
    assert list(workbook._ahead) == [(str(book), None, None)]
    parse_sheet_ahead(book, "名单")
    assert workbook._ahead == {}
