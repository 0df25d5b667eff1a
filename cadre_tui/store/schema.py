"""Named, append-only schema migrations. `PRAGMA user_version` holds how many have been applied.

Never edit a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils import Database

    from cadre_tui.store.db import Db

Migration = TypeVar("Migration", bound="Callable[[Database], None]")


class Migrations:
    """sqlite-utils' `Migrations`, its list written down without importing sqlite-utils (issue 12).

    sqlite-utils takes ~50 ms to import (15 ms of it compiling regular expressions), and a database
    whose `user_version` is `schema_version()` (every open but the first of a new program) needs none of
    it: `Store.open` then skips the migrations. A new or older database loads it here, and sqlite-utils'
    own `Migrations` applies the same functions under the same names (its `_sqlite_migrations` table).
    `pending`, `applied` and `apply` take sqlite-utils' `Database` or the store's `Db`.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[tuple[str, Callable[[Database], None]]] = []

    def __call__(self, *, name: str) -> Callable[[Migration], Migration]:
        """Register the decorated function as the next migration, `name` its record."""

        def register(fn: Migration) -> Migration:
            if any(known == name for known, _ in self._migrations):
                raise ValueError(f"migration {name!r} registered twice")
            self._migrations.append((name, fn))
            return fn

        return register

    def __len__(self) -> int:
        return len(self._migrations)

    def pending(self, db: Database | Db) -> list[Any]:
        """The migrations not yet applied to `db` (sqlite-utils' records of them), in order."""
        return self._loaded().pending(_database(db))

    def applied(self, db: Database | Db) -> list[Any]:
        """The migrations applied to `db`, in the order they were applied."""
        return self._loaded().applied(_database(db))

    def apply(self, db: Database | Db, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply the pending migrations, each in its own transaction with its record."""
        self._loaded().apply(_database(db), stop_before=stop_before)

    def _loaded(self) -> sqlite_utils.Migrations:
        from sqlite_utils import Migrations as Loaded

        loaded = Loaded(self.name)
        for name, fn in self._migrations:
            loaded(name=name)(fn)
        return loaded


def _database(db: Database | Db) -> Database:
    from cadre_tui.store.db import Db

    return db.utils if isinstance(db, Db) else db


migrations = Migrations("cadre-tui")

# Columns every synced row carries (SPEC §3).
SYNC = "updated_at TEXT NOT NULL, origin TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0"


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    """Every entity of SPEC §3, with its sync columns."""
    run_script(
        db,
        f"""
        CREATE TABLE zones (
            id TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', {SYNC});
        CREATE UNIQUE INDEX zones_code ON zones(code);

        CREATE TABLE cadres (
            id TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', phone TEXT,
            active INTEGER NOT NULL DEFAULT 1, {SYNC});
        CREATE UNIQUE INDEX cadres_code ON cadres(code);

        -- member_ids: the cadre ids of the team, ';'-separated (the bundle's own form).
        CREATE TABLE teams (
            id TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL DEFAULT '',
            zone_id TEXT REFERENCES zones(id), member_ids TEXT NOT NULL DEFAULT '', {SYNC});
        CREATE UNIQUE INDEX teams_code ON teams(code);
        CREATE INDEX teams_zone ON teams(zone_id);

        CREATE TABLE households (
            id TEXT PRIMARY KEY, household_no TEXT NOT NULL, zone_id TEXT NOT NULL REFERENCES zones(id),
            estate TEXT, building TEXT, unit TEXT, room TEXT, active INTEGER NOT NULL DEFAULT 1, {SYNC});
        CREATE UNIQUE INDEX households_no ON households(household_no);
        CREATE INDEX households_zone ON households(zone_id);

        -- search_keys: pinyin of the name (every reading, full and initials), computed on write;
        -- local only, never in a bundle.
        CREATE TABLE residents (
            id TEXT PRIMARY KEY, household_id TEXT NOT NULL REFERENCES households(id), name TEXT NOT NULL,
            gender TEXT, birth_date TEXT, id_number TEXT, phone TEXT, relation TEXT,
            status TEXT NOT NULL DEFAULT 'present', notes TEXT, search_keys TEXT NOT NULL DEFAULT '',
            {SYNC});
        CREATE INDEX residents_household ON residents(household_id);
        CREATE INDEX residents_id_number ON residents(id_number);

        -- group_code is the bundle's `group` column (a reserved word in SQL).
        CREATE TABLE memberships (
            id TEXT PRIMARY KEY, resident_id TEXT NOT NULL REFERENCES residents(id),
            group_code TEXT NOT NULL, since TEXT NOT NULL, {SYNC});
        CREATE INDEX memberships_resident ON memberships(resident_id);

        CREATE TABLE visits (
            id TEXT PRIMARY KEY, household_id TEXT NOT NULL REFERENCES households(id),
            team_id TEXT REFERENCES teams(id), visit_date TEXT NOT NULL, cadre_ids TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL, resident_ids TEXT NOT NULL DEFAULT '', needs TEXT NOT NULL DEFAULT '',
            notes TEXT, follow_up_date TEXT, assistance_yuan TEXT, {SYNC});
        CREATE INDEX visits_household_date ON visits(household_id, visit_date);
        CREATE INDEX visits_team_date ON visits(team_id, visit_date);
        CREATE INDEX visits_date ON visits(visit_date);

        CREATE TABLE matters (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, scope TEXT NOT NULL,
            zone_id TEXT REFERENCES zones(id), household_id TEXT REFERENCES households(id),
            occurred_at TEXT NOT NULL, attended_at TEXT, attended_by TEXT NOT NULL DEFAULT '', notes TEXT,
            {SYNC});
        CREATE INDEX matters_occurred ON matters(occurred_at);

        -- A saved weekly plan. manual=1 marks an entry a cadre moved, added or removed (removed:
        -- deleted=1), which `plan --regenerate` keeps.
        CREATE TABLE plans (
            id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), week TEXT NOT NULL,
            day TEXT NOT NULL, household_id TEXT NOT NULL REFERENCES households(id),
            position INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL, manual INTEGER NOT NULL DEFAULT 0,
            {SYNC});
        CREATE INDEX plans_team_week ON plans(team_id, week);

        -- Community settings (SPEC §2-§4); value is JSON.
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, {SYNC});

        -- This laptop only: device id, the last updated_at it issued. Never synced.
        CREATE TABLE local (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        -- Per partner device: when this database last imported a bundle from it (SPEC §6).
        CREATE TABLE sync_peers (
            device_id TEXT PRIMARY KEY, last_imported_at TEXT NOT NULL, last_bundle_created_at TEXT);

        -- Who revealed which resident's ID number or phone, and other sensitive acts (SPEC §10).
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT, action TEXT NOT NULL, target TEXT,
            detail TEXT);
        """,
    )


def run_script(db: Database, script: str) -> None:
    """Run statements one by one: `executescript` would commit the migration's transaction early."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete statement in migration: {buffer!r}")


def schema_version() -> int:
    """The `user_version` this program writes: the number of migrations it knows."""
    return len(migrations)


@migrations(name="0002_rules_indexes")
def rules_indexes(db: Database) -> None:
    """Indexes for the scorecard and the planner (SPEC §9: `report` < 0.5 s, `plan` < 0.8 s).

    visits_met: each household's latest `met` visit (familiarity, due dates) without reading the rows;
    visits_latest: each household's latest visit, its outcomes and follow-up date (revisit, follow_up).
    """
    run_script(
        db,
        """
        CREATE INDEX visits_met ON visits(household_id, visit_date) WHERE outcome = 'met' AND deleted = 0;
        CREATE INDEX visits_latest ON visits(household_id, visit_date, outcome, follow_up_date)
            WHERE deleted = 0;
        """,
    )


@migrations(name="0003_drop_visits_household_date")
def drop_visits_household_date(db: Database) -> None:
    """visits_household_date (household_id, visit_date) goes: every query that used it reads visits that are
    not deleted, and visits_latest (household_id, visit_date, …) WHERE deleted = 0 serves each of them with
    the same plan (issue 12, EXPLAIN QUERY PLAN on the 11,000-household community). One index less for
    every visit written: a bundle import into an empty database builds four instead of five, and an
    encrypted one decrypts the visits table once less."""
    db.execute("DROP INDEX IF EXISTS visits_household_date")


_VISIT_COLUMNS = (
    "id, household_id, team_id, visit_date, cadre_ids, outcome, resident_ids, needs, notes, follow_up_date, "
    "assistance_yuan, updated_at, origin, deleted"
)


@migrations(name="0004_visits_id_unique_index")
def visits_id_unique_index(db: Database) -> None:
    """visits.id kept unique by an index of its own, `visits_id`, not the table's PRIMARY KEY (issue 12).

    The table is the same rowid table, its rows in the same order (their rowids kept), every `WHERE id = ?`
    and `ON CONFLICT(id)` served by the index as by the key's. An index, unlike a PRIMARY KEY, can be set
    aside while a new laptop's first import writes 100,000 visits and built once after them: their
    random-UUID ids, filled into the key's index one by one, were half of each insert's cost (a scratch
    copy of the bench's 124,238 visits: 0.95-1.06 s with the key, 0.73-0.80 s with the index built after,
    the other indexes included). sqlite-utils now takes the table's key to be its rowid: write visits by
    id in SQL (`records.update_visit`)."""
    run_script(
        db,
        f"""
        DROP INDEX IF EXISTS visits_team_date;
        DROP INDEX IF EXISTS visits_date;
        DROP INDEX IF EXISTS visits_met;
        DROP INDEX IF EXISTS visits_latest;
        ALTER TABLE visits RENAME TO visits_0003;
        CREATE TABLE visits (
            id TEXT NOT NULL, household_id TEXT NOT NULL REFERENCES households(id),
            team_id TEXT REFERENCES teams(id), visit_date TEXT NOT NULL, cadre_ids TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL, resident_ids TEXT NOT NULL DEFAULT '', needs TEXT NOT NULL DEFAULT '',
            notes TEXT, follow_up_date TEXT, assistance_yuan TEXT, {SYNC});
        INSERT INTO visits (rowid, {_VISIT_COLUMNS})
            SELECT rowid, {_VISIT_COLUMNS} FROM visits_0003 ORDER BY rowid;
        DROP TABLE visits_0003;
        CREATE UNIQUE INDEX visits_id ON visits(id);
        CREATE INDEX visits_team_date ON visits(team_id, visit_date);
        CREATE INDEX visits_date ON visits(visit_date);
        CREATE INDEX visits_met ON visits(household_id, visit_date) WHERE outcome = 'met' AND deleted = 0;
        CREATE INDEX visits_latest ON visits(household_id, visit_date, outcome, follow_up_date)
            WHERE deleted = 0;
        """,
    )
