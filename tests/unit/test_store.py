"""The store: migrations, refusal of a newer database, permissions, backups, the write clock."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadre_tui.errors import Refused
from cadre_tui.store import schema
from cadre_tui.store.backup import backup_before, backups_dir
from cadre_tui.store.db import BUSY_TIMEOUT_MS, Store, community_id_for, natural_id


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_is_migrated_private_and_wal(db_path: Path) -> None:
    store = Store.open(db_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS >= 30_000
    assert mode(db_path) == 0o600
    assert mode(db_path.parent) == 0o700
    assert [m.name for m in schema.migrations.applied(store.db)] == [
        "0001_initial",
        "0002_rules_indexes",
        "0003_drop_visits_household_date",
        "0004_visits_id_unique_index",
    ]
    store.close()


def test_migrating_an_empty_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    store = Store.open(db_path)
    assert "households" in store.db.table_names()
    store.close()


def test_a_version_2_database_loses_visits_household_date_and_keeps_its_rows(db_path: Path) -> None:
    """Migration 0003 (issue 12): visits_latest serves every query visits_household_date served."""
    from sqlite_utils import Database

    db_path.parent.mkdir(parents=True)
    db = Database(sqlite3.connect(db_path, isolation_level=None))
    schema.migrations.apply(db, stop_before="0003_drop_visits_household_date")
    db.execute("PRAGMA user_version = 2")
    sync = "'2026-11-24T08:00:00.000Z', 'dev'"
    db.execute(f"INSERT INTO zones (id, code, updated_at, origin) VALUES ('z', 'Z1', {sync})")
    db.execute(
        "INSERT INTO households (id, household_no, zone_id, updated_at, origin) "
        f"VALUES ('h', 'H1', 'z', {sync})"
    )
    for day in ("2026-11-02", "2026-11-09"):
        db.execute(
            "INSERT INTO visits (id, household_id, visit_date, outcome, updated_at, origin) "
            f"VALUES ('v{day}', 'h', '{day}', 'met', {sync})"
        )
    db.close()
    store = Store.open(db_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()
    names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "visits_household_date" not in names
    assert {"visits_latest", "visits_met", "visits_team_date", "visits_date"} <= names
    assert store.db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 2
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM visits WHERE household_id = 'h' AND deleted = 0 "
        "ORDER BY visit_date DESC"
    ).fetchall()
    assert "visits_latest" in " ".join(str(row[3]) for row in plan)
    assert list(backups_dir(db_path).glob("*.db")), "a backup before migrating"
    store.close()


def test_a_version_3_database_gets_visits_id_as_an_index_and_keeps_its_rows_in_order(db_path: Path) -> None:
    """Migration 0004 (issue 12): visits.id unique by an index, `visits_id`, not a PRIMARY KEY; the rows,
    their rowids (the table's order), the other indexes and the foreign keys as they were."""
    from sqlite_utils import Database

    db_path.parent.mkdir(parents=True)
    db = Database(sqlite3.connect(db_path, isolation_level=None))
    schema.migrations.apply(db, stop_before="0004_visits_id_unique_index")
    db.execute("PRAGMA user_version = 3")
    sync = "'2026-11-24T08:00:00.000Z', 'dev'"
    db.execute(f"INSERT INTO zones (id, code, updated_at, origin) VALUES ('z', 'Z1', {sync})")
    db.execute(f"INSERT INTO teams (id, code, zone_id, updated_at, origin) VALUES ('t', 'T1', 'z', {sync})")
    db.execute(
        "INSERT INTO households (id, household_no, zone_id, updated_at, origin) "
        f"VALUES ('h', 'H1', 'z', {sync})"
    )
    for rowid, visit_id, day, outcome in (
        (7, "v-b", "2026-11-02", "met"),
        (9, "v-a", "2026-11-09", "absent"),
    ):
        db.execute(
            "INSERT INTO visits (rowid, id, household_id, team_id, visit_date, outcome, notes, updated_at, "
            f"origin, deleted) VALUES ({rowid}, '{visit_id}', 'h', 't', '{day}', '{outcome}', 'n', {sync}, 0)"
        )
    before = db.execute("SELECT rowid, * FROM visits ORDER BY rowid").fetchall()
    db.close()
    store = Store.open(db_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version() == 4
    assert store.db.execute("SELECT rowid, * FROM visits ORDER BY rowid").fetchall() == before
    info = store.db.execute("PRAGMA table_info(visits)").fetchall()
    assert (info[0][1], info[0][3], info[0][5]) == ("id", 1, 0)  # NOT NULL, no PRIMARY KEY
    indexes = {r[1]: r[2] for r in store.db.execute("PRAGMA index_list(visits)")}
    assert indexes == {
        "visits_id": 1,
        "visits_team_date": 0,
        "visits_date": 0,
        "visits_met": 0,
        "visits_latest": 0,
    }
    assert {(r[2], r[3]) for r in store.db.execute("PRAGMA foreign_key_list(visits)")} == {
        ("households", "household_id"),
        ("teams", "team_id"),
    }
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO visits (id, household_id, visit_date, outcome, updated_at, origin) "
            f"VALUES ('v-a', 'h', '2026-11-10', 'met', {sync})"
        )
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO visits (id, household_id, visit_date, outcome, updated_at, origin) "
            f"VALUES ('v-c', 'nowhere', '2026-11-10', 'met', {sync})"
        )
    store.db.execute(
        "INSERT INTO visits (id, household_id, visit_date, outcome, updated_at, origin) "
        f"VALUES ('v-a', 'h', '2026-11-10', 'met', {sync}) "
        "ON CONFLICT(id) DO UPDATE SET visit_date = excluded.visit_date"
    )
    assert store.db.execute("SELECT visit_date FROM visits WHERE id = 'v-a'").fetchone()[0] == "2026-11-10"
    plan = store.db.execute("EXPLAIN QUERY PLAN SELECT * FROM visits WHERE id = 'v-b'").fetchall()
    assert "visits_id" in " ".join(str(row[3]) for row in plan)
    assert store.db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'visits_0003%'").fetchall() == []
    assert list(backups_dir(db_path).glob("*.db")), "a backup before migrating"
    store.close()


def test_newer_database_is_refused_untouched(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema.schema_version() + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(Refused, match="newer cadre-tui"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_device_id_is_kept(db_path: Path) -> None:
    first = Store.open(db_path)
    device = first.device_id
    first.close()
    assert Store.open(db_path).device_id == device


def test_stamps_strictly_increase_within_one_millisecond() -> None:
    fixed = datetime(2026, 11, 24, 8, 0, 0, 123456, tzinfo=UTC)
    store = Store.open(None, clock=lambda: fixed)
    stamps = [store.stamp() for _ in range(3)]
    assert stamps == ["2026-11-24T08:00:00.123Z", "2026-11-24T08:00:00.124Z", "2026-11-24T08:00:00.125Z"]


def test_last_stamp_survives_reopening(db_path: Path) -> None:
    fixed = datetime(2026, 11, 24, 8, 0, 0, tzinfo=UTC)
    store = Store.open(db_path, clock=lambda: fixed)
    store.set_setting("capacity", 8)
    store.close()
    again = Store.open(db_path, clock=lambda: fixed)
    assert again.stamp() > "2026-11-24T08:00:00.000Z"


def test_backups_keep_the_last_ten(store: Store) -> None:
    for _ in range(12):
        backup_before(store, "import")
    kept = sorted(backups_dir(store.path).glob("*.db"))  # type: ignore[arg-type]
    assert len(kept) == 10
    assert all(mode(p) == 0o600 for p in kept)
    assert mode(backups_dir(store.path)) == 0o700  # type: ignore[arg-type]


def test_identity_follows_spec() -> None:
    cid = community_id_for("幸福社区")
    assert cid == "18c7e2b7-ac2d-56c0-8599-07d5ce8debd9"
    assert natural_id(cid, "zone", "Z1") == natural_id(cid, "zone", "Z1")
    assert natural_id(cid, "zone", "Z1") != natural_id(cid, "team", "Z1")


def test_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.set_setting("capacity", 9)
        raise RuntimeError("boom")
    assert store.get_setting("capacity") is None


def test_office_database_is_refused_as_a_community_one(tmp_path: Path) -> None:
    from cadre_tui.store.office import OfficeDb

    office_path = tmp_path / "office.db"
    OfficeDb.open(office_path).close()
    before = office_path.read_bytes()
    with pytest.raises(Refused, match="office database"):
        Store.open(office_path)
    assert office_path.read_bytes() == before


def test_pruning_leaves_another_databases_backups_alone(tmp_path: Path) -> None:
    first = Store.open(tmp_path / "k.db")
    other = Store.open(tmp_path / "k-2.db")
    backup_before(other, "import")
    for _ in range(11):
        backup_before(first, "import")
    names = sorted(p.name for p in (tmp_path / "backups").glob("*.db"))
    assert len([n for n in names if n.startswith("k-2-")]) == 1
    assert len([n for n in names if not n.startswith("k-2-")]) == 10
