"""The one CSV reader: what it refuses, with file and line, before anything is written."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre_tui.errors import InvalidInput
from cadre_tui.io import csvfile
from cadre_tui.io.csvfile import read_csv, write_csv

COLUMNS = {"household_no": "户编号", "zone": "片区", "name": "姓名", "notes": "备注"}


def _read(path: Path) -> csvfile.CsvTable:
    return read_csv(path, COLUMNS, required=("household_no", "zone", "name"))


def test_a_stray_quote_stops_the_import_instead_of_swallowing_rows(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        'household_no,zone,name,notes\r\nXF1,Z1,张三,"note starts\r\nXF2,Z1,李四,ok\r\nXF3,Z1,王五,ok\r\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as refused:
        _read(path)
    assert (
        refused.value.message
        == 'q.csv:2: a quoted cell starts here and is never closed (a stray " in the file?)'
    )


def test_more_cells_than_the_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("household_no,zone,name\r\nXF1,Z1,张三\r\nXF2,Z1,李四,多出来\r\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"^wide.csv:3: 4 cells, but the header has 3$"):
        _read(path)
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("household_no,zone,name\r\nXF1,Z1,张三,,\r\n", encoding="utf-8")
    assert [r.values["name"] for r in _read(trailing).records] == ["张三"]


def test_a_folder_or_a_device_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a file"):
        _read(tmp_path)
    with pytest.raises(InvalidInput, match="not a file"):
        _read(Path("/dev/zero"))


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("household_no,zone,name\r\n" + "XF1,Z1,张三\r\n" * 20, encoding="utf-8")
    with pytest.raises(InvalidInput, match="too large"):
        _read(path)


def test_many_unknown_columns_make_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    extra = [f"x{i}" for i in range(50)]
    write_csv(path, ["household_no", "zone", "name", *extra], [["XF1", "Z1", "张三", *([""] * 50)]])
    assert _read(path).warnings == ["many.csv:1: 50 unknown columns ignored (x0, x1, x2, x3, x4 …)"]


# -- CSV records made by SQLite (bundle export) --------------------------------------------------------

_cells = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(alphabet=st.sampled_from(list("ab,\"'=+-@\t\r\n 张三；;1")), max_size=8),
    st.text(max_size=6),
)


@given(st.lists(st.tuples(_cells, _cells, _cells), min_size=1, max_size=5))
def test_sqlite_record_is_the_csv_module_row(rows: list[tuple[object, object, object]]) -> None:
    """csv_record_sql gives, byte for byte, the record write_rows writes: formula guard, quoting, NULL."""
    import io
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a TEXT, b INTEGER, c)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    stored = db.execute("SELECT a, b, c FROM t ORDER BY rowid").fetchall()
    expected = io.StringIO()
    csvfile.write_rows(expected, ["a", "b", "c"], stored)
    made = [
        r[0] for r in db.execute(f"SELECT {csvfile.csv_record_sql(['a', 'b', 'c'])} FROM t ORDER BY rowid")
    ]
    assert csvfile.header_record(["a", "b", "c"]) + "".join(m + "\r\n" for m in made) == expected.getvalue()


def _asked_again(asks: Iterator[int]) -> bool:
    return next(asks, None) is not None


def _stream(path: Path) -> csvfile.CsvStream:
    return csvfile.stream_csv(path, COLUMNS, required=("household_no", "zone", "name"))


@pytest.mark.parametrize("count", [0, 1, 255, 256, 512, 700])
def test_records_read_while_another_thread_works_come_first_and_in_order(tmp_path: Path, count: int) -> None:
    """Issue 12: the roster's records read while the key is derived; exactly what `rows` would have
    given, whatever the count (a multiple of the 256 read between two asks included), busy or not."""
    path = tmp_path / "r.csv"
    lines = [f"XF{n},Z1,居民{n}," for n in range(count)]
    path.write_text("household_no,zone,name,notes\r\n" + "".join(f"{x}\r\n" for x in lines), encoding="utf-8")
    whole = list(_stream(path).rows)
    cases = ((10**6, 10**6, count), (1, 10**6, min(count, 256)), (0, 10**6, 0), (10**6, 300, min(count, 512)))
    for busy_for, most, read_ahead in cases:
        stream = _stream(path)
        asks = iter(range(busy_for))
        read = csvfile.read_while(stream, partial(_asked_again, asks), most)
        assert list(read) == whole[:read_ahead]  # what was read ahead (256 between two asks)
        assert list(stream.rows) == whole
    assert [line for line, _ in whole] == list(range(2, count + 2))


def test_a_broken_record_read_ahead_is_refused_only_when_the_records_reach_it(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("household_no,zone,name\r\nXF1,Z1,张三\r\nXF2,Z1,李四,多出来\r\n", encoding="utf-8")
    stream = _stream(path)
    csvfile.read_while(stream, lambda: True, 1000)  # nothing raised yet: the store's errors come first
    assert next(stream.rows) == (2, ["XF1", "Z1", "张三"])
    with pytest.raises(InvalidInput, match=r"^wide.csv:3: 4 cells, but the header has 3$"):
        next(stream.rows)
