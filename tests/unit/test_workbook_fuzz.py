"""Workbooks: any text written as a text cell reads back as itself; no workbook, however broken or odd,
produces a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre_tui.cli import main
from cadre_tui.io.roster import ROSTER_COLUMNS
from cadre_tui.io.workbook import read_table
from cadre_tui.store.db import Store
from tests.workbooks import roster_workbook

# Text a person can type into a cell: no control characters (XML cannot hold most of them).
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() == t and t.strip())
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(cells=st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=5))
def test_text_cells_read_back_as_written(tmp_path: Path, cells: list[tuple[str, str, str]]) -> None:
    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("名单")
    for col, header in enumerate(("户编号", "姓名", "备注")):
        sheet.write_string(0, col, header)
    for row, values in enumerate(cells, 1):
        for col, value in enumerate(values):
            sheet.write_string(row, col, value)
    book.close()
    table = read_table(path, ROSTER_COLUMNS)
    assert [(r.values["household_no"], r.values["name"], r.values["notes"]) for r in table.records] == cells


def _db(tmp: Path) -> Path:
    db = tmp / "c.db"
    if not db.exists():
        store = Store.open(db)
        store.set_community("幸福社区", None, "Asia/Shanghai")
        store.close()
    return db


@FUZZ
@given(cut=st.integers(min_value=0, max_value=6000), flip=st.integers(min_value=0, max_value=6000))
def test_truncated_or_damaged_workbooks(
    tmp_path: Path, cut: int, flip: int, capsys: pytest.CaptureFixture[str]
) -> None:
    good = roster_workbook(tmp_path / "good.xlsx").read_bytes()
    damaged = bytearray(good[: max(cut, 1)])
    if flip < len(damaged):
        damaged[flip] ^= 0xFF
    path = tmp_path / "roster.xlsx"
    path.write_bytes(bytes(damaged))
    assert main(["import", "roster", str(path), "--db", str(_db(tmp_path))]) in (0, 2)
    assert "Traceback" not in capsys.readouterr().err


def test_odd_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(tmp_path)
    # a CSV file named .xlsx; a zip that is no workbook; a workbook named .csv
    (tmp_path / "a.xlsx").write_text("户编号,片区,姓名\nH1,Z1,林春生\n", encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    (tmp_path / "b.xlsx").write_bytes(buffer.getvalue())
    (tmp_path / "c.csv").write_bytes(roster_workbook(tmp_path / "c.xlsx").read_bytes())
    for name in ("a.xlsx", "b.xlsx", "c.csv"):
        assert main(["import", "roster", str(tmp_path / name), "--db", str(db), "--lang", "en"]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.startswith(f"cadre-tui: {name}"), err
        if name == "c.csv":
            assert "a workbook (.xlsx/.xls), not a CSV file" in err
    # a huge cell, a sheet of nothing but a header
    book = xlsxwriter.Workbook(str(tmp_path / "d.xlsx"))
    sheet = book.add_worksheet()
    for col, header in enumerate(("户编号", "片区", "姓名")):
        sheet.write_string(0, col, header)
    sheet.write_string(1, 0, "H1")
    sheet.write_string(1, 1, "Z1")
    sheet.write_string(1, 2, "x" * 32_000)
    book.close()
    assert main(["import", "roster", str(tmp_path / "d.xlsx"), "--db", str(db), "--dry-run"]) in (0, 2)
    assert "Traceback" not in capsys.readouterr().err
