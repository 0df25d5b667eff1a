"""The office database's SQL that differs between SQLite and PostgreSQL, side by side: the one place.

Every other office query is written once, in the subset both engines read the same way, with `?`
placeholders (the PostgreSQL engine turns them into psycopg's `%s`), and runs on both through
`OfficeEngine` (store/office_engine.py). The rules of that subset are in docs/DEVELOPING.md ("The office
database on two engines"); the parametrized suite of tests/unit/test_office.py holds them to it.

A schema change is a new migration appended to OFFICE_MIGRATIONS, written for both engines; never edit
one that has shipped. The SQLite scripts are applied through sqlite-utils' migrations (set
"cadre-tui-office", as office databases of the first version recorded them); PostgreSQL records applied
names in `cadre_office_migrations`.
"""

from __future__ import annotations

from typing import Literal

Engine = Literal["sqlite", "postgres"]

# (name, {engine: script}) in order. Column types differ only where the engines do: SQLite's REAL is a
# double, PostgreSQL's is not (DOUBLE PRECISION keeps the same float to the bit); the row tables of
# PostgreSQL carry an explicit `rowid` (BIGSERIAL) standing for SQLite's implicit one, so `ORDER BY rowid`
# (the order the rows came in) reads the same on both. BIGSERIAL, not identity columns: openGauss and
# KingbaseES, which speak PostgreSQL's protocol from older versions, know it.
OFFICE_MIGRATIONS: list[tuple[str, dict[Engine, str]]] = [
    (
        "0001_office",
        {
            "sqlite": """
            CREATE TABLE logs (
                id INTEGER PRIMARY KEY, community TEXT NOT NULL, week TEXT NOT NULL, kind TEXT NOT NULL,
                content_sha256 TEXT NOT NULL, source TEXT NOT NULL, imported_at TEXT NOT NULL,
                rows INTEGER NOT NULL, UNIQUE (community, week, kind));
            CREATE INDEX logs_week ON logs(week);

            CREATE TABLE log_visits (
                log_id INTEGER NOT NULL REFERENCES logs(id), visit_id TEXT, visit_date TEXT, zone TEXT,
                team TEXT, cadres TEXT, household_no TEXT, address TEXT, groups TEXT, outcome TEXT,
                needs TEXT, notes TEXT, follow_up_date TEXT, assistance_yuan TEXT);
            CREATE INDEX log_visits_log ON log_visits(log_id);

            CREATE TABLE log_matters (
                log_id INTEGER NOT NULL REFERENCES logs(id), matter_id TEXT, kind TEXT, title TEXT,
                scope TEXT, zone TEXT, household_no TEXT, occurred_at TEXT, attended_at TEXT,
                attended_by TEXT, late INTEGER, notes TEXT);
            CREATE INDEX log_matters_log ON log_matters(log_id);

            CREATE TABLE log_scorecard (
                log_id INTEGER NOT NULL REFERENCES logs(id), team TEXT, zone TEXT, members TEXT,
                team_size_ok INTEGER, working_days INTEGER, required_field_days INTEGER, field_days INTEGER,
                field_days_ok INTEGER, households INTEGER, familiar_households INTEGER, familiarity REAL,
                familiarity_ok INTEGER, priority_residents INTEGER, priority_overdue INTEGER,
                priority_ok INTEGER, matters INTEGER, matters_attended INTEGER, matters_late INTEGER,
                matters_ok INTEGER);
            CREATE INDEX log_scorecard_log ON log_scorecard(log_id);
            """,
            "postgres": """
            CREATE TABLE logs (
                id BIGSERIAL PRIMARY KEY, community TEXT NOT NULL, week TEXT NOT NULL, kind TEXT NOT NULL,
                content_sha256 TEXT NOT NULL, source TEXT NOT NULL, imported_at TEXT NOT NULL,
                rows INTEGER NOT NULL, UNIQUE (community, week, kind));
            CREATE INDEX logs_week ON logs(week);

            CREATE TABLE log_visits (
                rowid BIGSERIAL,
                log_id BIGINT NOT NULL REFERENCES logs(id), visit_id TEXT, visit_date TEXT, zone TEXT,
                team TEXT, cadres TEXT, household_no TEXT, address TEXT, groups TEXT, outcome TEXT,
                needs TEXT, notes TEXT, follow_up_date TEXT, assistance_yuan TEXT);
            CREATE INDEX log_visits_log ON log_visits(log_id);

            CREATE TABLE log_matters (
                rowid BIGSERIAL,
                log_id BIGINT NOT NULL REFERENCES logs(id), matter_id TEXT, kind TEXT, title TEXT,
                scope TEXT, zone TEXT, household_no TEXT, occurred_at TEXT, attended_at TEXT,
                attended_by TEXT, late INTEGER, notes TEXT);
            CREATE INDEX log_matters_log ON log_matters(log_id);

            CREATE TABLE log_scorecard (
                rowid BIGSERIAL,
                log_id BIGINT NOT NULL REFERENCES logs(id), team TEXT, zone TEXT, members TEXT,
                team_size_ok INTEGER, working_days INTEGER, required_field_days INTEGER, field_days INTEGER,
                field_days_ok INTEGER, households INTEGER, familiar_households INTEGER,
                familiarity DOUBLE PRECISION, familiarity_ok INTEGER, priority_residents INTEGER,
                priority_overdue INTEGER, priority_ok INTEGER, matters INTEGER, matters_attended INTEGER,
                matters_late INTEGER, matters_ok INTEGER);
            CREATE INDEX log_scorecard_log ON log_scorecard(log_id);
            """,
        },
    ),
    (
        # The office's own settings (the office app's last import and export folders).
        "0002_office_settings",
        {
            "sqlite": "CREATE TABLE office_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
            "postgres": "CREATE TABLE office_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        },
    ),
]

# Statements one engine spells differently, by key; `None` where an engine needs none.
STATEMENTS: dict[str, dict[Engine, str | None]] = {
    # A log's row, locked until the end of the write transaction, so that two clerks importing the same
    # log at once end with one (store_logs first inserts it with ON CONFLICT DO NOTHING; when it was
    # there already, this reads it). SQLite's BEGIN IMMEDIATE already holds the database's one write
    # lock; PostgreSQL locks the row (a lock on the row itself, not one of the server's limited lock
    # slots: an import of 31,200 logs takes 31,200 of them), so imports of different communities never
    # wait for each other.
    "log_for_update": {
        "sqlite": "SELECT id, content_sha256 FROM logs WHERE community = ? AND week = ? AND kind = ?",
        "postgres": (
            "SELECT id, content_sha256 FROM logs WHERE community = ? AND week = ? AND kind = ? FOR UPDATE"
        ),
    },
    # The tables of the database (to tell an office database from anything else).
    "tables": {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
        "postgres": "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
    },
}


def statement(engine: Engine, key: str) -> str | None:
    """The statement `key` as `engine` spells it."""
    return STATEMENTS[key][engine]
