"""Sync bundles: exact files and manifest, lossless round trips, refusals that change nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import stat
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.io import bundle_export, bundle_source
from cadre_tui.io.bundle import export_bundle, import_bundle
from cadre_tui.io.tables import BUNDLE_FILES, bundle_columns, store_column
from cadre_tui.store.db import Store, natural_id
from cadre_tui.store.merge import peer
from tests.builders import row_by_id
from tests.conftest import CliRunner

HEADERS = {
    "zones.csv": "id,code,name,updated_at,origin,deleted",
    "cadres.csv": "id,code,name,phone,active,updated_at,origin,deleted",
    "teams.csv": "id,code,name,zone_id,member_ids,updated_at,origin,deleted",
    "households.csv": "id,household_no,zone_id,estate,building,unit,room,active,updated_at,origin,deleted",
    "residents.csv": "id,household_id,name,gender,birth_date,id_number,phone,relation,status,notes,"
    "updated_at,origin,deleted",
    "memberships.csv": "id,resident_id,group,since,updated_at,origin,deleted",
    "visits.csv": "id,household_id,team_id,visit_date,cadre_ids,outcome,resident_ids,needs,notes,"
    "follow_up_date,assistance_yuan,updated_at,origin,deleted",
    "matters.csv": "id,kind,title,scope,zone_id,household_id,occurred_at,attended_at,attended_by,notes,"
    "updated_at,origin,deleted",
    "plans.csv": "id,team_id,week,day,household_id,position,reason,manual,updated_at,origin,deleted",
}

TRICKY = [
    "王秀英说：门口的灯坏了，请物业修",
    'a, "quoted", comma',
    "line one\nline two\r\nline three",
    "=SUM(A1:A3)",
    "+86 138",
    "-5 yuan",
    "@someone",
    "\tstarts with a tab",
    "\rstarts with CR",
    "\nstarts with LF",
    "'already quoted",
    "''two quotes",
    "trailing space ",
    " leading space",
]


class Clock:
    """A laptop clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self, ms: int = 1) -> None:
        """Move the clock on."""
        self.now += timedelta(milliseconds=ms)


def laptop(
    path: Path | None = None, start: datetime | None = None, passphrase: str | None = None
) -> tuple[Store, Clock]:
    """A community store (幸福社区) with its own device id and a hand-moved clock."""
    clock = Clock(start or datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    store = Store.open(path, clock=clock, passphrase=passphrase)
    store.set_community("幸福社区", None, "Asia/Shanghai")
    return store, clock


def write(store: Store, table: str, **values: Any) -> str:
    """Insert or replace a row as this laptop writes it now; return its id."""
    row = {**values, **store.sync_columns()}
    row.setdefault("id", str(uuid.uuid4()))
    if "deleted" in values:
        row["deleted"] = values["deleted"]
    with store.transaction():
        store.db.table(table).upsert(row, pk="id", alter=False)
    return str(row["id"])


def seed(store: Store) -> dict[str, str]:
    """Roster-born rows (natural ids), two households, one resident in a priority group."""
    community = store.community()
    assert community is not None
    cid = community.id
    ids = {
        "zone": natural_id(cid, "zone", "Z1"),
        "c1": natural_id(cid, "cadre", "C01"),
        "c2": natural_id(cid, "cadre", "C02"),
        "team": natural_id(cid, "team", "T1"),
        "h1": natural_id(cid, "household", "H001"),
        "h2": natural_id(cid, "household", "H002"),
        "r1": natural_id(cid, "resident", "11010519491231002X"),
        "r2": natural_id(cid, "resident", "H002/曾小燕"),
    }
    write(store, "zones", id=ids["zone"], code="Z1", name="一片区")
    write(store, "cadres", id=ids["c1"], code="C01", name="李娜", phone="13800000001", active=1)
    write(store, "cadres", id=ids["c2"], code="C02", name="陈刚", phone="13800000002", active=1)
    write(store, "teams", id=ids["team"], code="T1", name="一组", zone_id=ids["zone"],
          member_ids=f"{ids['c1']};{ids['c2']}")  # fmt: skip
    for key, no, room in (("h1", "H001", "101"), ("h2", "H002", "102")):
        write(store, "households", id=ids[key], household_no=no, zone_id=ids["zone"], estate="幸福小区",
              building="1栋", unit="1单元", room=room, active=1)  # fmt: skip
    write(store, "residents", id=ids["r1"], household_id=ids["h1"], name="王秀英", gender="女",
          birth_date="1949-12-31", id_number="11010519491231002X", phone="13912345678", relation="户主",
          status="present", notes="", search_keys="")  # fmt: skip
    write(store, "residents", id=ids["r2"], household_id=ids["h2"], name="曾小燕", gender="女",
          birth_date=None, id_number=None, phone=None, relation=None, status="present", notes=None,
          search_keys="")  # fmt: skip
    write(store, "memberships", id=natural_id(cid, "membership", ids["r1"] + "/solitary"),
          resident_id=ids["r1"], group_code="solitary", since="2026-01-01")  # fmt: skip
    return ids


def add_visit(store: Store, ids: dict[str, str], notes: str = "", **extra: Any) -> str:
    """A visit to household H001 by team T1."""
    values = {
        "household_id": ids["h1"],
        "team_id": ids["team"],
        "visit_date": "2026-11-23",
        "cadre_ids": f"{ids['c1']};{ids['c2']}",
        "outcome": "met",
        "resident_ids": ids["r1"],
        "needs": "medical;other",
        "notes": notes,
        "follow_up_date": None,
        "assistance_yuan": None,
    }
    values.update(extra)
    return write(store, "visits", **values)


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced column of every bundle table, rows by id, NULL shown as ''."""
    out = {}
    for name, (table, _columns) in BUNDLE_FILES.items():
        columns = ", ".join(store_column(c) for c in bundle_columns(name))
        rows = store.db.execute(f"SELECT {columns} FROM {table} ORDER BY id").fetchall()
        out[name] = [tuple("" if v is None else v for v in row) for row in rows]
    return out


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- export ---------------------------------------------------------------------------------------------


def test_export_writes_nine_files_with_exact_headers_and_a_manifest(tmp_path: Path, db_path: Path) -> None:
    store, _clock = laptop(db_path)
    ids = seed(store)
    add_visit(store, ids, notes="门口")
    out = tmp_path / "bundle"
    result = export_bundle(store, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([*BUNDLE_FILES, "manifest.json"])
    for name, header in HEADERS.items():
        data = (out / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf" + header.encode() + b"\r\n"), name
        assert mode(out / name) == 0o600
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    community = store.community()
    assert community is not None
    assert list(manifest) == [
        "format", "version", "community", "community_id", "community_code", "timezone", "device_id",
        "created_at", "files",
    ]  # fmt: skip
    assert manifest["format"] == "cadre-bundle"
    assert manifest["version"] == 1
    assert manifest["community"] == "幸福社区"
    assert manifest["community_id"] == community.id
    assert manifest["community_code"] is None
    assert manifest["timezone"] == "Asia/Shanghai"
    assert manifest["device_id"] == store.device_id
    assert manifest["created_at"].endswith("Z")
    expected_rows = {
        "zones.csv": 1, "cadres.csv": 2, "teams.csv": 1, "households.csv": 2, "residents.csv": 2,
        "memberships.csv": 1, "visits.csv": 1, "matters.csv": 0, "plans.csv": 0,
    }  # fmt: skip
    assert {k: v["rows"] for k, v in manifest["files"].items()} == expected_rows
    assert result.rows == expected_rows
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    visits = (out / "visits.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    assert visits[1].split(",")[5] == "met"
    assert visits[1].split(",")[7] == "medical;other"


def test_export_includes_tombstones(tmp_path: Path) -> None:
    store, _clock = laptop()
    ids = seed(store)
    visit = add_visit(store, ids)
    write(store, "visits", **{**row_by_id(store, "visits", visit), "deleted": 1})
    export_bundle(store, tmp_path / "b")
    text = (tmp_path / "b" / "visits.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].endswith(f",{store.device_id},1")


def test_export_refuses_a_non_empty_folder_or_existing_zip_without_force(tmp_path: Path) -> None:
    store, _clock = laptop()
    seed(store)
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"x")
    with pytest.raises(Refused, match="not empty"):
        export_bundle(store, folder)
    export_bundle(store, folder, force=True)
    assert (folder / "manifest.json").exists() and (folder / "photo.jpg").exists()
    target = tmp_path / "b.zip"
    target.write_bytes(b"old")
    with pytest.raises(Refused, match="already exists"):
        export_bundle(store, target)
    assert target.read_bytes() == b"old"
    export_bundle(store, target, force=True)
    assert zipfile.is_zipfile(target)


def test_zip_export_is_private_and_imports(tmp_path: Path) -> None:
    a, _ = laptop()
    ids = seed(a)
    add_visit(a, ids, notes="带 zip")
    target = tmp_path / "out" / "bundle.zip"
    export_bundle(a, target)
    assert mode(target) == 0o600
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == sorted([*BUNDLE_FILES, "manifest.json"])
    b = Store.open(None)
    report = import_bundle(b, target)
    assert report.total.inserted == 10
    assert dump(b) == dump(a)
    assert not list((tmp_path / "out").glob(".cadre-*"))


# -- round trip and merge ----------------------------------------------------------------------------


def test_round_trip_is_lossless_for_tricky_text(tmp_path: Path) -> None:
    a, clock = laptop()
    ids = seed(a)
    for text in TRICKY:
        clock.tick()
        add_visit(a, ids, notes=text)
    write(a, "matters", kind="dispute", title="=HYPERLINK(\"x\")", scope="zone", zone_id=ids["zone"],
          household_id=None, occurred_at="2026-11-23T01:00:00.000Z", attended_at=None, attended_by="",
          notes="@all, \"urgent\"\n第二行")  # fmt: skip
    export_bundle(a, tmp_path / "b")
    b = Store.open(None)  # no community yet: adopts the bundle's
    import_bundle(b, tmp_path / "b")
    assert dump(b) == dump(a)
    notes = {r[0] for r in b.db.execute("SELECT notes FROM visits")}
    assert notes == set(TRICKY)
    community = b.community()
    assert community is not None and community.name == "幸福社区"
    assert community.id == a.community().id  # type: ignore[union-attr]


@pytest.mark.parametrize("out_name", ["b", "b.zip"])
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "sqlcipher"])
@pytest.mark.parametrize("chunk", [1, 4])
def test_export_bytes_are_the_csv_writers_whichever_way_a_chunk_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, encrypted: bool, out_name: str
) -> None:
    """Chunks of plain cells become CSV by replacing separators; chunks with a comma, a quote, a line
    break, a formula start or a separator inside a value are made by SQLite: the same bytes write_csv
    writes for the rows either way (chunks of 1 and 4 rows here: each way runs in one file, and a chunk
    of one row has nothing else in it that would send it the careful way). SQLCipher's SQLite joins a
    record's values with concat(), the system's may with `||`: the same bytes too. In a zip, the chunks
    are checked on the zip's thread, which asks the reading thread for the careful ones."""
    from cadre_tui.io.csvfile import write_csv

    monkeypatch.setattr(bundle_export, "_PROGRESS_EVERY", chunk)
    if encrypted:
        a, clock = laptop(tmp_path / "a.db", passphrase="a test passphrase")
        assert bundle_export._has_concat(a.db.conn)
    else:
        a, clock = laptop()
    ids = seed(a)
    for text in [
        *TRICKY,
        "plain",
        "",
        "x\x1fy",
        "x\x1ey",
        "\x00",
        "普通",
        "ok",
        "also ok",
        "fine",
        "-",
        "1,2",
    ]:
        clock.tick()
        add_visit(a, ids, notes=text)
    export_bundle(a, tmp_path / out_name)
    for name, (table, _columns) in BUNDLE_FILES.items():
        columns = ", ".join(store_column(c) for c in bundle_columns(name))
        rows = a.db.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()
        write_csv(tmp_path / "expected" / name, bundle_columns(name), rows)
        if out_name.endswith(".zip"):
            with zipfile.ZipFile(tmp_path / out_name) as archive:
                written = archive.read(name)
        else:
            written = (tmp_path / out_name / name).read_bytes()
        assert written == (tmp_path / "expected" / name).read_bytes(), name


def test_adopts_code_and_time_zone(tmp_path: Path) -> None:
    a = Store.open(None)
    a.set_community("山水社区", "110105001", "Asia/Urumqi")
    seed(a)
    export_bundle(a, tmp_path / "b")
    b = Store.open(None)
    import_bundle(b, tmp_path / "b")
    assert b.community() == a.community()


def test_same_bundle_twice_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    a, _ = laptop()
    ids = seed(a)
    add_visit(a, ids, notes="第一次")
    export_bundle(a, tmp_path / "b")
    b, _ = laptop(db_path)
    first = import_bundle(b, tmp_path / "b")
    assert (first.total.inserted, first.total.updated, first.total.unchanged) == (10, 0, 0)
    before = dump(b)
    second = import_bundle(b, tmp_path / "b")
    assert (second.total.inserted, second.total.updated, second.total.unchanged) == (0, 0, 10)
    assert second.total.kept_local_newer == 0
    assert dump(b) == before
    remembered = peer(b, a.device_id)
    assert remembered is not None
    assert (
        remembered.last_bundle_created_at
        == json.loads((tmp_path / "b/manifest.json").read_text())["created_at"]
    )
    assert list((db_path.parent / "backups").glob("*-import.db"))


def test_newer_wins_older_is_kept_equal_goes_to_greater_origin(tmp_path: Path) -> None:
    a, clock_a = laptop()
    ids = seed(a)
    v1 = add_visit(a, ids, notes="A 原稿")
    v2 = add_visit(a, ids, notes="A 原稿 2")
    export_bundle(a, tmp_path / "a1")
    b, clock_b = laptop(start=clock_a.now + timedelta(seconds=1))
    import_bundle(b, tmp_path / "a1")
    # B changes v1 later than A's edit; A changes v2 later than B's edit.
    clock_a.tick(5000)
    clock_b.tick(10_000)
    write(a, "visits", **{**row_by_id(a, "visits", v1), "notes": "A 改"})
    write(b, "visits", **{**row_by_id(b, "visits", v1), "notes": "B 改，较新"})
    clock_a.tick(20_000)
    write(a, "visits", **{**row_by_id(a, "visits", v2), "notes": "A 改，较新"})
    write(b, "visits", **{**row_by_id(b, "visits", v2), "notes": "B 改"})
    export_bundle(b, tmp_path / "b1")
    report = import_bundle(a, tmp_path / "b1")
    visits = report.files["visits.csv"]
    assert (visits.inserted, visits.updated, visits.unchanged, visits.kept_local_newer) == (0, 1, 0, 1)
    assert row_by_id(a, "visits", v1)["notes"] == "B 改，较新"
    assert row_by_id(a, "visits", v2)["notes"] == "A 改，较新"
    # Both rows were changed on A after A last imported from B, and B's versions are new: conflicts.
    assert sorted((c.row_id, c.winner) for c in report.conflicts) == sorted([(v1, "incoming"), (v2, "local")])
    # The incoming row keeps its own stamp and origin.
    row = row_by_id(a, "visits", v1)
    assert row["origin"] == b.device_id
    # Same updated_at on both sides: the greater origin wins, on both laptops.
    v3 = add_visit(a, ids, notes="基础")
    export_bundle(a, tmp_path / "a2")
    import_bundle(b, tmp_path / "a2")
    stamp = "2026-11-24T00:00:00.000Z"
    for store, text in ((a, "甲"), (b, "乙")):
        with store.transaction():
            store.db.execute("UPDATE visits SET notes = ?, updated_at = ?, origin = ? WHERE id = ?",
                             [text, stamp, store.device_id, v3])  # fmt: skip
    export_bundle(a, tmp_path / "a3")
    export_bundle(b, tmp_path / "b3")
    import_bundle(a, tmp_path / "b3")
    import_bundle(b, tmp_path / "a3")
    winner = "甲" if a.device_id > b.device_id else "乙"
    assert row_by_id(a, "visits", v3)["notes"] == winner
    assert row_by_id(b, "visits", v3)["notes"] == winner
    assert dump(a) == dump(b)


def test_a_stale_copy_of_my_own_change_is_not_a_conflict(tmp_path: Path) -> None:
    a, clock_a = laptop()
    ids = seed(a)
    v = add_visit(a, ids, notes="原稿")
    export_bundle(a, tmp_path / "a1")
    b, _ = laptop(start=clock_a.now)
    import_bundle(b, tmp_path / "a1")
    export_bundle(b, tmp_path / "b1")
    import_bundle(a, tmp_path / "b1")
    clock_a.tick(1000)
    write(a, "visits", **{**row_by_id(a, "visits", v), "notes": "A 改"})
    export_bundle(b, tmp_path / "b2")  # B has not seen A's change
    report = import_bundle(a, tmp_path / "b2")
    assert report.conflicts == []
    assert report.files["visits.csv"].kept_local_newer == 1


def test_search_keys_recomputed_for_imported_residents(tmp_path: Path) -> None:
    a, _ = laptop()
    ids = seed(a)
    export_bundle(a, tmp_path / "b")
    b = Store.open(None)
    import_bundle(b, tmp_path / "b")
    keys = b.db.execute("SELECT search_keys FROM residents WHERE id = ?", [ids["r2"]]).fetchone()[0]
    assert "zengxiaoyan" in keys.split() and "cengxiaoyan" in keys.split() and "zxy" in keys.split()


def test_same_code_with_another_id_is_a_conflict_and_the_local_row_stays(tmp_path: Path) -> None:
    a, _ = laptop()
    ids = seed(a)
    stray_zone = write(a, "zones", code="Z9", name="A 的九片区")
    write(a, "households", household_no="H900", zone_id=stray_zone, estate=None, building=None, unit=None,
          room=None, active=1)  # fmt: skip
    export_bundle(a, tmp_path / "a")
    b, _ = laptop()
    seed(b)
    local_zone = write(b, "zones", code="Z9", name="B 的九片区")
    report = import_bundle(b, tmp_path / "a")
    reasons = sorted((c.file, c.reason) for c in report.conflicts)
    assert reasons == [("households.csv", "parent_kept_out"), ("zones.csv", "natural_key")]
    assert b.db.execute("SELECT id, name FROM zones WHERE code = 'Z9'").fetchall() == [
        (local_zone, "B 的九片区")
    ]
    assert b.db.execute("SELECT count(*) FROM households WHERE household_no = 'H900'").fetchone()[0] == 0
    assert ids["zone"] == natural_id(a.community().id, "zone", "Z1")  # type: ignore[union-attr]


# -- refusals ---------------------------------------------------------------------------------------------


def _fresh_pair(tmp_path: Path, db_path: Path) -> tuple[Store, Path]:
    a, _ = laptop()
    ids = seed(a)
    add_visit(a, ids, notes="内容")
    export_bundle(a, tmp_path / "b")
    b, _ = laptop(db_path)
    return b, tmp_path / "b"


def test_tampered_bundle_is_refused_and_nothing_written(tmp_path: Path, db_path: Path) -> None:
    b, folder = _fresh_pair(tmp_path, db_path)
    path = folder / "visits.csv"
    data = bytearray(path.read_bytes())
    data[-5] = ord("X") if data[-5] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    before = dump(b)
    with pytest.raises(InvalidInput, match=r"b/visits.csv: does not match the manifest"):
        import_bundle(b, folder)
    assert dump(b) == before


def test_the_backup_is_the_database_before_the_import_and_a_refused_bundle_makes_none(
    tmp_path: Path, db_path: Path
) -> None:
    """As for a roster: the backup is made only for an import that will be written (an altered file, a
    bad row: none, and none of the ten kept is pushed out), and holds the database as it was before."""
    b, folder = _fresh_pair(tmp_path, db_path)
    assert b.path is not None
    backups = b.path.parent / "backups"
    before = dump(b)
    listed = folder / "plans.csv"
    good = listed.read_bytes()
    listed.write_bytes(good + b"\r\n")
    with pytest.raises(InvalidInput, match="does not match the manifest"):
        import_bundle(b, folder)
    assert not list(backups.glob("*-import.db")) if backups.exists() else True
    listed.write_bytes(good)
    import_bundle(b, folder)
    made = list(backups.glob("*-import.db"))
    assert len(made) == 1
    assert dump(b) != before
    backup = Store.open(made[0])
    try:
        assert dump(backup) == before
    finally:
        backup.close()


def test_out_of_wal_mode_the_backup_is_the_database_before_the_import(tmp_path: Path, db_path: Path) -> None:
    """Where WAL is refused (a file system without shared memory) a second connection can read the
    database only until the import writes: the backup is made first thing in the transaction."""
    b, folder = _fresh_pair(tmp_path, db_path)
    assert b.path is not None
    assert b.db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    before = dump(b)
    import_bundle(b, folder)
    made = list((b.path.parent / "backups").glob("*-import.db"))
    assert len(made) == 1
    backup = Store.open(made[0])
    try:
        assert dump(backup) == before
    finally:
        backup.close()


def test_truncated_bundle_file_is_refused(tmp_path: Path, db_path: Path) -> None:
    b, folder = _fresh_pair(tmp_path, db_path)
    path = folder / "residents.csv"
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(InvalidInput, match=r"residents\.csv: does not match the manifest"):
        import_bundle(b, folder)
    assert dump(b)["residents.csv"] == []


def test_missing_file_is_refused(tmp_path: Path, db_path: Path) -> None:
    b, folder = _fresh_pair(tmp_path, db_path)
    (folder / "plans.csv").unlink()
    with pytest.raises(InvalidInput, match=r"plans\.csv: missing"):
        import_bundle(b, folder)
    (folder / "manifest.json").unlink()
    with pytest.raises(InvalidInput, match=r"manifest\.json: missing"):
        import_bundle(b, folder)
    assert all(rows == [] for rows in dump(b).values())


def test_row_count_that_disagrees_with_the_manifest_is_refused(tmp_path: Path, db_path: Path) -> None:
    b, folder = _fresh_pair(tmp_path, db_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["zones.csv"]["rows"] = 2
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InvalidInput, match=r"zones\.csv: 1 rows, the manifest says 2"):
        import_bundle(b, folder)
    assert dump(b)["zones.csv"] == []


def test_another_communitys_bundle_is_refused(tmp_path: Path, db_path: Path) -> None:
    a = Store.open(None)
    a.set_community("山水社区", "110105002", "Asia/Shanghai")
    seed(a)
    export_bundle(a, tmp_path / "b")
    b, _ = laptop(db_path)
    with pytest.raises(Refused, match="a bundle of 山水社区"):
        import_bundle(b, tmp_path / "b")
    assert all(rows == [] for rows in dump(b).values())
    assert not (db_path.parent / "backups").exists() or not list((db_path.parent / "backups").iterdir())


def test_bad_cell_names_file_line_and_column(tmp_path: Path, db_path: Path) -> None:
    b, folder = _fresh_pair(tmp_path, db_path)
    path = folder / "households.csv"
    text = path.read_bytes().replace(b",1,2026-", b",yes,2026-", 1)
    path.write_bytes(text)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["households.csv"]["sha256"] = hashlib.sha256(text).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InvalidInput, match=r"b/households.csv:2: active: not a whole number: yes"):
        import_bundle(b, folder)
    assert dump(b)["zones.csv"] == []


def _zip_with(path: Path, members: dict[str, bytes], symlink: str | None = None) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")


def _bundle_members(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_zip_with_parent_paths_or_strangers_is_refused(tmp_path: Path, db_path: Path) -> None:
    b, folder = _fresh_pair(tmp_path, db_path)
    members = _bundle_members(folder)
    cases = {
        "dotdot.zip": ({**members, "../evil.csv": b"x"}, None, "leading out of the bundle"),
        "absolute.zip": ({**members, "/tmp/evil.csv": b"x"}, None, "absolute path"),
        "stranger.zip": ({**members, "notes.txt": b"x"}, None, "not a file of a bundle"),
        "link.zip": (members, "zones2.csv", "symbolic link"),
    }
    for name, (content, link, message) in cases.items():
        target = tmp_path / name
        _zip_with(target, content, link)
        with pytest.raises(InvalidInput, match=message):
            import_bundle(b, target)
    assert not (tmp_path / "evil.csv").exists()
    assert all(rows == [] for rows in dump(b).values())


def test_zip_with_an_oversized_member_is_refused(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    b, folder = _fresh_pair(tmp_path, db_path)
    monkeypatch.setattr(bundle_source, "MAX_MEMBER_BYTES", 1000)
    target = tmp_path / "big.zip"
    _zip_with(target, {**_bundle_members(folder), "visits.csv": b"a" * 5000})
    with pytest.raises(InvalidInput, match=r"visits\.csv: too large"):
        import_bundle(b, target)
    assert all(rows == [] for rows in dump(b).values())


def test_truncated_zip_is_refused(tmp_path: Path, db_path: Path) -> None:
    b, folder = _fresh_pair(tmp_path, db_path)
    whole = tmp_path / "whole.zip"
    _zip_with(whole, _bundle_members(folder))
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InvalidInput, match=r"cut\.zip: not a bundle"):
        import_bundle(b, cut)
    assert all(rows == [] for rows in dump(b).values())


def test_zipped_folder_is_accepted(tmp_path: Path) -> None:
    a, _ = laptop()
    seed(a)
    export_bundle(a, tmp_path / "b")
    target = tmp_path / "folder.zip"
    _zip_with(target, {f"b/{k}": v for k, v in _bundle_members(tmp_path / "b").items()})
    c = Store.open(None)
    import_bundle(c, target)
    assert dump(c) == dump(a)


# -- the commands ------------------------------------------------------------------------------------


def test_bundle_commands_and_their_exit_codes(cli: CliRunner, tmp_path: Path, db_path: Path) -> None:
    a, _ = laptop(db_path)
    ids = seed(a)
    add_visit(a, ids, notes="命令行")
    a.close()
    out = tmp_path / "usb" / "bundle.zip"
    assert cli("export", "bundle", "--out", str(out)).code == 2  # a .zip only with --unencrypted
    exported = cli("export", "bundle", "--out", str(out), "--unencrypted")
    assert exported.code == 0, exported.err
    assert exported.out == f"{out}\n"
    assert "10" in exported.err and "未加密" in exported.err
    assert cli("export", "bundle", "--out", str(out), "--unencrypted").code == 3
    other = tmp_path / "b" / "cadre.db"
    Store.open(other).close()  # a plain database (a new one would be encrypted: tests/unit/test_crypto.py)
    first = cli("import", "bundle", str(out), "--lang", "en", db=other)
    assert first.code == 0, first.err
    assert "unencrypted bundle" in first.err
    assert first.out.splitlines()[0].split() == [
        "file",
        "inserted",
        "updated",
        "unchanged",
        "kept-local-newer",
    ]
    assert first.out.splitlines()[10].split() == ["total", "10", "0", "0", "0"]
    second = cli("import", "bundle", str(out), db=other)
    assert second.out.splitlines()[10].split() == ["合计", "0", "0", "10", "0"]
    assert second.out.splitlines()[-1] == "没有冲突。"
    foreign = Store.open(tmp_path / "f" / "cadre.db")
    foreign.set_community("山水社区", "X1", "Asia/Shanghai")
    foreign.close()
    refused = cli("import", "bundle", str(out), db=tmp_path / "f" / "cadre.db")
    assert refused.code == 3 and "山水社区" in refused.err
    broken = tmp_path / "broken.zip"
    broken.write_bytes(out.read_bytes()[:100])
    bad = cli("import", "bundle", str(broken), db=other)
    assert bad.code == 2 and "Traceback" not in bad.err
    assert cli("import", "bundle", str(tmp_path / "nowhere"), db=other).code == 2


def test_demo_community_arrives_identical_on_the_partner_laptop(tmp_path: Path, store: Store) -> None:
    """Every synced cell, blanks included, is the same on both laptops after one bundle."""
    from cadre_tui.io.demo import load_seeds

    load_seeds(store, force=True)
    export_bundle(store, tmp_path / "demo.zip")
    partner = Store.open(tmp_path / "partner.db")
    import_bundle(partner, tmp_path / "demo.zip")

    def strict(s: Store) -> dict[str, list[tuple[Any, ...]]]:
        out = {}
        for name, (table, _columns) in BUNDLE_FILES.items():
            columns = ", ".join(store_column(c) for c in bundle_columns(name))
            out[name] = s.db.execute(f"SELECT {columns} FROM {table} ORDER BY id").fetchall()
        return out

    assert strict(partner) == strict(store)


@pytest.mark.parametrize(
    ("file_name", "column", "value", "problem"),
    [
        ("residents.csv", "id_number", "1.10105E+17", "id_number: number mangled by Excel"),
        ("residents.csv", "status", "alive", "status: unknown code 'alive'"),
        ("visits.csv", "outcome", "weird", "outcome: unknown code 'weird'"),
        ("visits.csv", "visit_date", "2026-13-01", "visit_date: not a date"),
        ("visits.csv", "assistance_yuan", "-5", "assistance_yuan: not an amount in yuan"),
        ("matters.csv", "kind", "party", "kind: unknown code 'party'"),
    ],
)
def test_a_bad_value_in_a_bundle_is_refused_with_nothing_written(
    tmp_path: Path, file_name: str, column: str, value: str, problem: str
) -> None:
    a, _clock = laptop()
    ids = seed(a)
    add_visit(a, ids)
    write(a, "matters", kind="dispute", title="纠纷", scope="zone", zone_id=ids["zone"], household_id=None,
          occurred_at="2026-11-23T01:00:00.000Z", attended_at=None, attended_by="", notes=None)  # fmt: skip
    folder = tmp_path / "b"
    export_bundle(a, folder)
    path = folder / file_name
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = value
    lines[1] = ",".join(cells)
    data = ("\ufeff" + "\r\n".join(lines)).encode()
    path.write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][file_name]["sha256"] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    b = Store.open(None)
    with pytest.raises(InvalidInput) as refused:
        import_bundle(b, folder)
    assert refused.value.message.startswith(f"b/{file_name}:2: {problem}")
    assert b.community() is None
    assert b.db.execute("SELECT COUNT(*) FROM residents").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone: unknown time zone Mars/Olympus"),
        ({"version": "1"}, "version: not a whole number"),
        ({"files": []}, "files: not a table of files"),
        ({"community": ["x"]}, "community: not text"),
    ],
)
def test_a_manifest_with_wrong_values_is_refused(
    tmp_path: Path, change: dict[str, Any], problem: str
) -> None:
    a, _clock = laptop()
    seed(a)
    folder = tmp_path / "b"
    export_bundle(a, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(change)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    b = Store.open(None)
    with pytest.raises(InvalidInput) as refused:
        import_bundle(b, folder)
    assert refused.value.message == f"b/manifest.json: {problem}"
    assert b.community() is None


def test_a_deeply_nested_manifest_is_refused(tmp_path: Path) -> None:
    a, _clock = laptop()
    seed(a)
    folder = tmp_path / "b"
    export_bundle(a, folder)
    (folder / "manifest.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"manifest\.json: not"):
        import_bundle(Store.open(None), folder)


def test_a_first_import_rebuilds_every_index_and_a_failed_one_keeps_them(tmp_path: Path) -> None:
    a, _clock = laptop()
    ids = seed(a)
    add_visit(a, ids)
    export_bundle(a, tmp_path / "good")

    def indexes(s: Store) -> list[str]:
        return sorted(
            r[0] for r in s.db.execute("SELECT sql FROM sqlite_master WHERE type = 'index'") if r[0]
        )

    fresh = Store.open(None)
    expected = indexes(fresh)
    import_bundle(fresh, tmp_path / "good")
    assert indexes(fresh) == expected
    assert fresh.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    broken = tmp_path / "broken"
    export_bundle(a, broken)
    visits = broken / "visits.csv"
    data = visits.read_bytes().replace(b",met,", b",weird,")
    visits.write_bytes(data)
    manifest = json.loads((broken / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["visits.csv"]["sha256"] = hashlib.sha256(data).hexdigest()
    (broken / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    other = Store.open(None)
    with pytest.raises(InvalidInput, match="outcome"):
        import_bundle(other, broken)
    assert indexes(other) == expected


def _rewrite_cell(folder: Path, file_name: str, line: int, column: str, value: str) -> None:
    """Put `value` in `column` of the record on `line` (1 = header) and fix the manifest's SHA-256."""
    path = folder / file_name
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    data = ("\ufeff" + "\r\n".join(lines)).encode()
    path.write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][file_name]["sha256"] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("id", "first", "id: first given twice"),
        ("household_id", "nowhere", "household_id: refers to 'nowhere', which does not exist"),
        ("outcome", "weird", "outcome: unknown code 'weird'"),
        ("follow_up_date", "2026-11-01", "follow_up_date: "),
        ("deleted", "2", "deleted: "),
        ("updated_at", "yesterday", "updated_at: "),
        ("deleted", "x", "deleted: not a whole number: x"),
    ],
)
def test_a_bad_row_in_a_later_batch_is_named_by_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: str, value: str, problem: str
) -> None:
    """Batches are checked a column at a time and only a doubtful one row by row: the first bad row is
    still named by its file, line and column, wherever its batch begins."""
    from cadre_tui.io import bundle_import

    monkeypatch.setattr(bundle_import, "_BATCH", 2)
    a, clock = laptop()
    ids = seed(a)
    for i in range(7):
        clock.tick()
        add_visit(a, ids, notes=f"visit {i}", follow_up_date="2026-11-30")
    folder = tmp_path / "b"
    export_bundle(a, folder)
    good = Store.open(None)
    import_bundle(good, folder)
    assert dump(good) == dump(a)
    if column == "id":
        first = (folder / "visits.csv").read_bytes().decode("utf-8-sig").split("\r\n")[1].split(",")[0]
        value, problem = first, problem.replace("first", first)
    _rewrite_cell(folder, "visits.csv", 7, column, value)
    b = Store.open(None)
    with pytest.raises(InvalidInput) as refused:
        import_bundle(b, folder)
    assert refused.value.message.startswith(f"b/visits.csv:7: {problem}"), refused.value.message
    assert b.community() is None
    assert b.db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 0


@pytest.mark.parametrize("out_name", ["b.zip", "b.cadre"])
def test_an_export_that_fails_half_way_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out_name: str
) -> None:
    """The zip (encrypted or not) is written as it is made: a failure half way stops the export with
    its error, and neither the bundle nor its `.part` file stays behind."""
    a, _clock = laptop()
    ids = seed(a)
    add_visit(a, ids)
    real = bundle_export._write_bundle_file

    def failing(store: Store, name: str, *args: Any) -> int:
        if name == "households.csv":
            raise OSError("disk gone")
        return real(store, name, *args)

    monkeypatch.setattr(bundle_export, "_write_bundle_file", failing)
    passphrase = "sync passphrase" if out_name.endswith(".cadre") else None
    with pytest.raises(OSError, match="disk gone"):
        export_bundle(a, tmp_path / out_name, passphrase=passphrase)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("out_name", ["b.zip", "b.cadre"])
def test_a_zip_that_fails_on_its_own_thread_stops_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out_name: str
) -> None:
    """The zip is made on another thread (`_Zipper`): its failure (a full disk) is raised by the export
    with its error, that thread ends, and neither the bundle nor its `.part` file stays behind."""
    import threading

    a, _clock = laptop()
    ids = seed(a)
    add_visit(a, ids)

    class Failing:
        def update(self, data: bytes) -> None:
            raise OSError("disk full")

    monkeypatch.setattr(bundle_export, "hashlib", type("H", (), {"sha256": Failing}))
    passphrase = "sync passphrase" if out_name.endswith(".cadre") else None
    with pytest.raises(OSError, match="disk full"):
        export_bundle(a, tmp_path / out_name, passphrase=passphrase)
    assert list(tmp_path.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == bundle_export.ZIP_THREAD]


@pytest.mark.parametrize("out_name", ["b.zip", "b.cadre"])
def test_a_zip_that_fails_at_its_manifest_stops_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out_name: str
) -> None:
    """The last job (the manifest, the zip closed: a full disk, a pulled stick) failing on the zip's
    thread ends the export with its error: neither thread waits for a job that will not come (found by
    the review: it hung), and nothing stays behind."""
    import threading

    a, _clock = laptop()
    ids = seed(a)
    add_visit(a, ids)

    def failing(*_args: object) -> bytes:
        raise OSError("disk full at the manifest")

    monkeypatch.setattr(bundle_export, "_manifest", failing)
    passphrase = "sync passphrase" if out_name.endswith(".cadre") else None
    outcome: dict[str, BaseException] = {}

    def export() -> None:
        try:
            export_bundle(a, tmp_path / out_name, passphrase=passphrase)
        except BaseException as exc:
            outcome["error"] = exc

    exporting = threading.Thread(target=export, daemon=True)
    exporting.start()
    exporting.join(30)
    assert not exporting.is_alive(), "the export hangs"
    assert isinstance(outcome.get("error"), OSError)
    assert list(tmp_path.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == bundle_export.ZIP_THREAD]


@pytest.mark.parametrize("out_name", ["b.zip", "b.cadre"])
def test_a_careful_chunk_that_fails_stops_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out_name: str
) -> None:
    """A chunk that needs quoting is asked for by the zip's thread and made on the reading thread: when
    that fails, the export raises its error, the waiting zip's thread ends, and no file stays."""
    import threading

    a, _clock = laptop()
    ids = seed(a)
    add_visit(a, ids, notes="a, b")  # a comma: the visits' chunk is made carefully

    def failing(*args: Any) -> bytes:
        raise OSError("database gone")

    monkeypatch.setattr(bundle_export, "_careful_chunk", failing)
    passphrase = "sync passphrase" if out_name.endswith(".cadre") else None
    with pytest.raises(OSError, match="database gone"):
        export_bundle(a, tmp_path / out_name, passphrase=passphrase)
    assert list(tmp_path.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == bundle_export.ZIP_THREAD]


@pytest.mark.parametrize("out_name", ["b", "b.zip", "b.cadre"])
def test_export_progress_counts_every_row(tmp_path: Path, out_name: str) -> None:
    """A progress callback sees the total of all nine files from the start and reaches it at the end
    (without one, the command line's export counts nothing)."""
    a, _clock = laptop()
    ids = seed(a)
    add_visit(a, ids)
    seen: list[tuple[int, int]] = []
    passphrase = "sync passphrase" if out_name.endswith(".cadre") else None
    result = export_bundle(
        a, tmp_path / out_name, passphrase=passphrase, progress=lambda d, t: seen.append((d, t))
    )
    assert result.total == 10
    assert seen[0] == (0, 10) and seen[-1] == (10, 10)
    assert all(total == 10 for _done, total in seen)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet=",\"\r\n=+-@\t'a1\x00\x1e\x1f普", max_size=3), min_size=3, max_size=3),
        min_size=1,
        max_size=4,
    )
)
def test_plain_csv_is_true_only_for_what_write_rows_writes(rows: list[list[str]]) -> None:
    """`plain_csv` passes records joined by commas and CRLF only when they are the bytes `write_rows`
    writes for the same values (no quoting, no formula guard needed)."""
    import io

    from cadre_tui.io.csvfile import write_rows

    data = "".join(",".join(row) + "\r\n" for row in rows).encode()
    buffer = io.StringIO(newline="")
    write_rows(buffer, ["a", "b", "c"], rows)
    expected = buffer.getvalue().split("\r\n", 1)[1].encode()
    if bundle_export.plain_csv(data, len(rows), 2):
        assert data == expected
    elif all(not set(c) & set(',"\r\n\x00\x1e\x1f') and c[:1] not in "=+-@\t'" for row in rows for c in row):
        raise AssertionError(f"plain values refused: {rows!r}")


def test_zip_members_are_deflated_by_isal(tmp_path: Path) -> None:
    """zipfile's writer takes ISA-L's deflate in place of zlib's (its `_compressor`, replaced before the
    first write: this fails if a Python renames it), and the member reads back the same."""
    data = "".join(f"{i},第{i}户,{i * 7}\r\n" for i in range(20000)).encode()
    with (
        zipfile.ZipFile(
            tmp_path / "z.zip", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
        ) as archive,
        archive.open("visits.csv", "w") as member,
    ):
        bundle_export._faster_deflate(member)
        assert type(member._compressor).__module__.startswith("isal")  # type: ignore[attr-defined]
        member.write(data)
    with zipfile.ZipFile(tmp_path / "z.zip") as archive:
        assert archive.testzip() is None
        assert archive.read("visits.csv") == data


def test_the_fast_record_conversion_is_the_checked_ones() -> None:
    """`_record_function` (every record) and `_convert` (a failing record, for its message) read cells
    alike: an empty nullable cell is NULL, numbers are whole, one leading `'` of text is dropped."""
    from cadre_tui.io.bundle_import import _convert, _record_function

    specs = [(0, False, False, "a"), (1, False, True, "b"), (2, True, False, "c"), (3, True, True, "d")]
    fast = _record_function(specs)
    for raw in (
        ["x", "", "7", ""],
        ["'=x", "''y", "-3", "12"],
        ["", "'", "0", ""],
        ["''", "z", "007", "5"],
    ):
        assert fast(raw) == _convert(raw, specs, "visits.csv", 2)
    with pytest.raises(ValueError):
        fast(["x", "", "x", ""])
    with pytest.raises(InvalidInput, match=r"visits\.csv"):
        _convert(["x", "", "x", ""], specs, "visits.csv", 2)


def test_a_first_import_into_an_empty_file_takes_a_rollback_journal_and_leaves_it_in_wal_mode(
    tmp_path: Path, db_path: Path
) -> None:
    """Issue 12: a database with no community yet takes the import with a rollback journal (its pages
    written once, not to the WAL and again by the checkpoint), in one transaction, and is back in WAL
    mode after it, whether the import is refused or not; with another connection open it stays in WAL."""
    a, _clock = laptop()
    ids = seed(a)
    add_visit(a, ids)
    export_bundle(a, tmp_path / "good")
    broken = tmp_path / "broken"
    export_bundle(a, broken)
    _rewrite_cell(broken, "visits.csv", 2, "outcome", "weird")

    def journal(store: Store) -> list[str]:
        seen: list[str] = []

        def progress(_done: int, _total: int) -> None:
            seen.append(store.db.execute("PRAGMA journal_mode").fetchone()[0])

        return seen if import_bundle(store, tmp_path / "good", progress=progress) else []

    fresh = Store.open(db_path)
    assert set(journal(fresh)[1:]) == {"delete"}
    assert fresh.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert dump(fresh) == dump(a)
    assert fresh.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fresh.close()
    assert not Path(f"{db_path}-journal").exists()

    other_path = tmp_path / "other" / "cadre.db"
    other = Store.open(other_path)
    with pytest.raises(InvalidInput, match=r"visits\.csv:2: outcome"):
        import_bundle(other, broken)
    assert other.community() is None
    assert all(rows == [] for rows in dump(other).values())
    assert other.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not Path(f"{other_path}-journal").exists()

    reader = sqlite3.connect(other_path)
    reader.execute("SELECT COUNT(*) FROM zones").fetchone()
    assert set(journal(other)) == {"wal"}
    assert dump(other) == dump(a)
    reader.close()


def test_an_altered_file_is_named_before_what_its_rows_would_cause(tmp_path: Path, db_path: Path) -> None:
    """Issue 12: the files' SHA-256 are computed as their rows are read, not in a pass before; an
    altered file is still what is reported (a bad row, a wrong count, another file altered later, another
    community), and nothing is written."""
    b, folder = _fresh_pair(tmp_path, db_path)
    before = dump(b)
    households = folder / "households.csv"
    good = households.read_bytes()
    households.write_bytes(good.replace(b",1,2026-", b",yes,2026-", 1))
    with pytest.raises(InvalidInput, match=r"b/households.csv: does not match the manifest"):
        import_bundle(b, folder)
    households.write_bytes(good + good.splitlines(keepends=True)[-1])  # a row more than listed
    with pytest.raises(InvalidInput, match=r"b/households.csv: does not match the manifest"):
        import_bundle(b, folder)
    households.write_bytes(good)
    plans = folder / "plans.csv"
    plans.write_bytes(plans.read_bytes() + b"\r\n")  # read last, after every row was merged
    with pytest.raises(InvalidInput, match=r"b/plans.csv: does not match the manifest"):
        import_bundle(b, folder)
    assert dump(b) == before
    fresh = Store.open(tmp_path / "fresh" / "cadre.db")
    with pytest.raises(InvalidInput, match=r"b/plans.csv: does not match the manifest"):
        import_bundle(fresh, folder)
    assert fresh.community() is None
    assert all(rows == [] for rows in dump(fresh).values())
    other = Store.open(None)
    other.set_community("山水社区", "110105002", "Asia/Shanghai")
    with pytest.raises(InvalidInput, match=r"b/plans.csv: does not match the manifest"):
        import_bundle(other, folder)


def test_rows_of_an_empty_table_go_in_on_a_second_thread_and_a_refusal_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 (`store.writer.ManyRows`): a table empty when the merge began gets its rows from a second
    thread, INSERTs of many rows a batch at a time, in the import's one transaction; no temporary table is
    left, whether the import is refused or not."""
    import threading

    from cadre_tui.io import bundle_import
    from cadre_tui.store import writer

    monkeypatch.setattr(bundle_import, "_BATCH", 2)
    monkeypatch.setattr(bundle_import, "_TWO_CORES", True)
    threads: list[str] = []
    execute = writer.WriteThread._execute

    def spy(self: writer.WriteThread, statements: list[writer.Statement]) -> None:
        threads.append(threading.current_thread().name)
        execute(self, statements)

    monkeypatch.setattr(writer.WriteThread, "_execute", spy)
    a, clock = laptop()
    ids = seed(a)
    for i in range(7):
        clock.tick()
        add_visit(a, ids, notes=f"visit {i}")
    folder = tmp_path / "b"
    export_bundle(a, folder)
    good = Store.open(None)
    import_bundle(good, folder)
    assert dump(good) == dump(a)
    assert threads and all(name.startswith("cadre-import") for name in threads)
    assert len(threads) >= 4  # visits alone: 7 rows in batches of 2
    assert good.db.execute("SELECT name FROM sqlite_temp_master").fetchall() == []
    assert good.db.execute("PRAGMA temp_store").fetchone()[0] == 0

    _rewrite_cell(folder, "visits.csv", 7, "outcome", "weird")
    threads.clear()
    refused = Store.open(None)
    with pytest.raises(InvalidInput, match=r"b/visits.csv:7: outcome"):
        import_bundle(refused, folder)
    assert threads, "batches before the bad row went through the second thread"
    assert all(rows == [] for rows in dump(refused).values())
    assert refused.db.execute("SELECT name FROM sqlite_temp_master").fetchall() == []

    monkeypatch.setattr(bundle_import, "_TWO_CORES", False)  # one core: all on the reading thread
    threads.clear()
    export_bundle(a, tmp_path / "c")
    one_core = Store.open(None)
    import_bundle(one_core, tmp_path / "c")
    assert dump(one_core) == dump(a)
    assert threads == []


@pytest.mark.parametrize("batch", [2, 3, 2500])
def test_lines_are_counted_across_quoted_line_breaks_and_blank_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Issue 12: a batch whose records take a line each is read in one pass, its lines counted from its
    first; any other batch record by record, each record's line worked out from the line breaks in its
    cells. Either way a bad row is named by the line csv.reader is on, as before."""
    from cadre_tui.io import bundle_import

    monkeypatch.setattr(bundle_import, "_BATCH", batch)
    a, clock = laptop()
    ids = seed(a)
    for notes in ("one", "two\nlines", "three\r\nlines", "cr\ronly", "plain", "x\n\ny", "last", "after"):
        clock.tick()
        add_visit(a, ids, notes=notes)
    folder = tmp_path / "b"
    export_bundle(a, folder)
    path = folder / "visits.csv"
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    notes = next(reader).index("notes")
    line_of = {}
    line = 2
    for record in reader:
        line_of[record[notes]] = line
        line = reader.line_num + 1
    assert line_of["last"] > 8  # the quoted line breaks count
    # A blank line before the "plain" visit, and a bad outcome in the "last" one.
    blank = text.rfind("\r\n", 0, text.index(",plain,"))
    text = text[:blank] + "\r\n" + text[blank:]
    begins = text.rfind("\r\n", 0, text.index(",last,"))
    text = text[:begins] + text[begins:].replace(",met,", ",weird,", 1)
    data = ("\ufeff" + text).encode()
    path.write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["visits.csv"]["sha256"] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        import_bundle(Store.open(None), folder)
    expected = f"b/visits.csv:{line_of['last'] + 1}: outcome: unknown code 'weird'"
    assert refused.value.message.startswith(expected), refused.value.message


def test_zip_members_are_inflated_by_isal_and_a_broken_stream_is_a_damaged_zip(
    tmp_path: Path, db_path: Path
) -> None:
    """A deflated member read through ZipSource is inflated by ISA-L (its reader's `_decompressor`,
    replaced before the first read: this fails if a Python renames it) and reads back the same, in any
    read sizes; a broken deflate stream is still a damaged zip (exit 2), nothing written."""
    data = "".join(f"{i},第{i}户,{i * 7}\r\n" for i in range(40000)).encode()
    with zipfile.ZipFile(tmp_path / "z.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("visits.csv", data)
        archive.writestr("plans.csv", b"")
    with zipfile.ZipFile(tmp_path / "z.zip") as archive:
        source = bundle_source.ZipSource(archive, "z.zip")
        with source.open("visits.csv") as handle:
            assert isinstance(handle.raw.inner._decompressor, bundle_source._Inflater)  # type: ignore[attr-defined]
            pieces = [handle.read(n) for n in (1, 7, 65536, 3, 1 << 20)]
            assert b"".join(pieces) + handle.read() == data
        with source.open("plans.csv") as handle:
            assert handle.read() == b""

    b, folder = _fresh_pair(tmp_path, db_path)
    members = _bundle_members(folder)
    members["visits.csv"] = members["visits.csv"] * 200  # a deflate stream long enough to break
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, value in members.items():
            archive.writestr(name, value)
    with zipfile.ZipFile(whole) as archive:
        info = archive.getinfo("visits.csv")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw = bytearray(whole.read_bytes())
    for at in range(start + 40, start + min(info.compress_size, 400), 7):
        raw[at] ^= 0x5A
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(raw))
    with pytest.raises(InvalidInput, match=r"broken\.zip: a damaged or truncated zip"):
        import_bundle(b, broken)
    assert all(rows == [] for rows in dump(b).values())


@pytest.mark.parametrize("batch", [1, 2, 1250])
def test_a_household_number_given_twice_keeps_the_second_out_of_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Issue 12: households go into an empty table as new rows a batch at a time when their numbers are new;
    a batch with a number given twice, or taken by a batch before, goes row by row, which keeps the second
    household out (and its residents), as the row-by-row merge always did."""
    from cadre_tui.io import bundle_import

    monkeypatch.setattr(bundle_import, "_BATCH", batch)
    a, _clock = laptop()
    seed(a)
    folder = tmp_path / "b"
    export_bundle(a, folder)
    lines = (folder / "households.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    header = lines[0].split(",")
    first, second = (lines[n].split(",") for n in (1, 2))
    _rewrite_cell(folder, "households.csv", 3, "household_no", first[header.index("household_no")])
    b = Store.open(None)
    report = import_bundle(b, folder)
    assert [(c.file, c.row_id, c.reason) for c in report.conflicts][:1] == [
        ("households.csv", second[0], "natural_key")
    ]
    assert {c.reason for c in report.conflicts[1:]} <= {"parent_kept_out"}
    kept = b.db.execute("SELECT id FROM households").fetchall()
    assert kept == [(first[0],)]
    assert (
        b.db.execute("SELECT COUNT(*) FROM residents WHERE household_id = ?", [second[0]]).fetchone()[0] == 0
    )
    assert report.files["households.csv"].inserted == 1
    assert report.files["households.csv"].kept_local_newer == 1


def test_a_failure_on_the_writer_thread_leaves_a_new_laptop_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 2: a statement failing on the second thread (the residents' rows of a first import) is the
    import's error; nothing is written, not even the community, and the indexes set aside are back."""
    from cadre_tui.io import bundle_import
    from cadre_tui.store import writer

    monkeypatch.setattr(bundle_import, "_TWO_CORES", True)
    a, clock = laptop()
    ids = seed(a)
    for n in range(5):
        clock.tick()
        add_visit(a, ids, notes=f"第{n}次")
    export_bundle(a, tmp_path / "b")
    real = writer.ManyRows.statements

    def failing(self: writer.ManyRows, values: list[Any], *, whole_only: bool = False) -> Any:
        made = real(self, values, whole_only=whole_only)
        if self.head.startswith("INSERT INTO residents"):
            made.append(("INSERT INTO nowhere VALUES (1)", ()))
        return made

    monkeypatch.setattr(writer.ManyRows, "statements", failing)
    b = Store.open(None)
    indexes = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
    before = b.db.execute(indexes).fetchall()
    with pytest.raises(sqlite3.OperationalError, match="no such table: nowhere"):
        import_bundle(b, tmp_path / "b")
    assert not b.db.conn.in_transaction
    assert all(rows == [] for rows in dump(b).values())
    assert b.community() is None
    assert b.db.execute(indexes).fetchall() == before
