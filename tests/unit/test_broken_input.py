"""No input file, however broken, produces a traceback or an internal error (SPEC §10)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre_tui.cli import main
from cadre_tui.store.db import Store

ROSTER_HEADER = "户编号,片区,姓名,身份证号,重点人群,出生日期\r\n".encode()
STAFF_HEADER = b"code,name,team,zone\r\n"

CELLS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
ROWS = st.lists(st.lists(CELLS, max_size=8), max_size=6)


def _run(*args: str, db: Path) -> int:
    return main([*args, "--db", str(db)])


def _prepared(tmp: Path) -> Path:
    db = tmp / "c.db"
    if not db.exists():
        store = Store.open(db)
        store.set_community("幸福社区", None, "Asia/Shanghai")
        store.close()
    return db


def _csv(rows: list[list[str]]) -> bytes:
    return "\r\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows).encode()


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_as_a_roster(tmp_path: Path, data: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    db = _prepared(tmp_path)
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    assert _run("import", "roster", str(path), db=db) in (0, 2)
    assert "internal error" not in capsys.readouterr().err


@FUZZ
@given(rows=ROWS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_random_rows_under_a_roster_header(
    tmp_path: Path, rows: list[list[str]], encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _prepared(tmp_path)
    path = tmp_path / "roster.csv"
    body = _csv(rows).decode()
    try:
        data = ROSTER_HEADER.decode().encode(encoding) + body.encode(encoding, errors="replace")
    except UnicodeEncodeError:
        data = ROSTER_HEADER + body.encode()
    path.write_bytes(data)
    assert _run("import", "roster", str(path), db=db) in (0, 2)
    assert "internal error" not in capsys.readouterr().err


@FUZZ
@given(rows=ROWS)
def test_random_rows_under_a_staff_header(
    tmp_path: Path, rows: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    db = _prepared(tmp_path)
    path = tmp_path / "staff.csv"
    path.write_bytes(STAFF_HEADER + _csv(rows))
    assert _run("import", "staff", str(path), db=db) in (0, 2)
    assert "internal error" not in capsys.readouterr().err


@FUZZ
@given(data=st.binary(max_size=600), as_zip=st.booleans())
def test_random_bytes_as_a_bundle(
    tmp_path: Path, data: bytes, as_zip: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _prepared(tmp_path)
    if as_zip:
        path = tmp_path / "b.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("manifest.json", data)
            archive.writestr("visits.csv", data[::-1])
    else:
        path = tmp_path / "b.zip"
        path.write_bytes(data)
    assert _run("import", "bundle", str(path), db=db) in (2, 3)
    assert "internal error" not in capsys.readouterr().err
