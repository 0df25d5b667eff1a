"""The sub-district office's database: weekly logs of many communities and the roll-up (SPEC §6).

An office database is never a community's. It is marked with its own `PRAGMA application_id`, and
its `user_version` is far above any community schema, so `Store.open` refuses it (exit 3) without
touching it; this module refuses a community database in turn.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from cadre_tui.core.office_columns import LOG_KINDS, SCORECARD_COLUMNS
from cadre_tui.core.scorecard import rounded_share
from cadre_tui.core.values import split_list
from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.paths import make_private_dir, make_private_file
from cadre_tui.store.db import BUSY_TIMEOUT_MS, OFFICE_APPLICATION_ID, format_stamp
from cadre_tui.store.schema import run_script

# OFFICE_APPLICATION_ID ("CDOF") marks an office database; a community database leaves it at 0.
# user_version of an office database = this + migrations applied: a community Store refuses it as newer.
OFFICE_VERSION_BASE = 1_000_000

migrations = Migrations("cadre-tui-office")


@migrations(name="0001_office")
def office_initial(db: Database) -> None:
    """Logs by community, week and kind, and their rows (codes, whatever the header language)."""
    run_script(
        db,
        """
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
            log_id INTEGER NOT NULL REFERENCES logs(id), matter_id TEXT, kind TEXT, title TEXT, scope TEXT,
            zone TEXT, household_no TEXT, occurred_at TEXT, attended_at TEXT, attended_by TEXT,
            late INTEGER, notes TEXT);
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
    )


SCORECARD_BOOLS = ("team_size_ok", "field_days_ok", "familiarity_ok", "priority_ok", "matters_ok")


@dataclass(frozen=True)
class LogImport:
    """What importing one log file did: `status` is added, replaced or unchanged."""

    source: str
    community: str
    week: str
    kind: str
    rows: int
    status: str


class OfficeDb:
    """An open office database."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.db = Database(conn)
        self.path = path

    @classmethod
    def open(cls, path: Path) -> OfficeDb:
        """Open or create the office database at `path`; refuse a community database (exit 3)."""
        if path.exists() and path.is_dir():
            raise InvalidInput.of("store.is_folder", path=path)
        make_private_dir(path.parent)
        old_umask = os.umask(0o077)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise InvalidInput.of("office.not_database_because", path=path, error=exc) from None
        finally:
            os.umask(old_umask)
        if app_id != OFFICE_APPLICATION_ID and (tables or version):
            conn.close()
            if "settings" in tables or "households" in tables:
                raise Refused.of("office.is_community", path=path)
            raise Refused.of("office.not_database", path=path)
        if version > OFFICE_VERSION_BASE + len(migrations._migrations):
            conn.close()
            raise Refused.of("office.newer", path=path)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        office = cls(conn, path)
        if migrations.pending(office.db):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(f"PRAGMA application_id = {OFFICE_APPLICATION_ID}")
                migrations.apply(office.db)
                applied = len(migrations.applied(office.db))
                conn.execute(f"PRAGMA user_version = {OFFICE_VERSION_BASE + applied}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        for suffix in ("", "-wal", "-shm"):
            make_private_file(Path(str(path) + suffix))
        return office

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # -- import ----------------------------------------------------------------------------------------

    def store_logs(self, logs: Iterable[ParsedLog]) -> list[LogImport]:
        """Store parsed logs in one transaction: all of them, or none when reading one fails."""
        results: list[LogImport] = []
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            results.extend(self._store_log(log) for log in logs)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        return results

    def _store_log(self, log: ParsedLog) -> LogImport:
        existing = self.conn.execute(
            "SELECT id, content_sha256 FROM logs WHERE community = ? AND week = ? AND kind = ?",
            [log.community, log.week, log.kind],
        ).fetchone()
        if existing and existing[1] == log.sha256:
            return LogImport(log.source, log.community, log.week, log.kind, len(log.rows), "unchanged")
        table = f"log_{log.kind}"
        now = format_stamp(datetime.now(UTC))
        if existing:
            log_id = existing[0]
            self.conn.execute(f"DELETE FROM {table} WHERE log_id = ?", [log_id])
            self.conn.execute(
                "UPDATE logs SET content_sha256 = ?, source = ?, imported_at = ?, rows = ? WHERE id = ?",
                [log.sha256, log.source, now, len(log.rows), log_id],
            )
        else:
            cursor = self.conn.execute(
                "INSERT INTO logs (community, week, kind, content_sha256, source, imported_at, rows) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [log.community, log.week, log.kind, log.sha256, log.source, now, len(log.rows)],
            )
            log_id = cursor.lastrowid
        columns = list(LOG_KINDS[log.kind])[2:]
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        self.conn.executemany(
            f"INSERT INTO {table} (log_id, {', '.join(columns)}) VALUES ({marks})",
            ((log_id, *row) for row in log.rows),
        )
        status = "replaced" if existing else "added"
        return LogImport(log.source, log.community, log.week, log.kind, len(log.rows), status)

    # -- report ------------------------------------------------------------------------------------------

    def report(self, week: str) -> dict[str, Any]:
        """Every community's scorecard for `week` side by side, and who sent nothing that week."""
        known = [r[0] for r in self.conn.execute("SELECT DISTINCT community FROM logs ORDER BY community")]
        logs: dict[str, dict[str, tuple[int, int]]] = {}
        for log_id, community, kind, rows in self.conn.execute(
            "SELECT id, community, kind, rows FROM logs WHERE week = ?", [week]
        ):
            logs.setdefault(community, {})[kind] = (log_id, rows)
        columns = list(SCORECARD_COLUMNS)[2:]
        communities = []
        for community in sorted(logs):
            kinds = logs[community]
            teams = []
            if "scorecard" in kinds:
                for row in self.conn.execute(
                    f"SELECT {', '.join(columns)} FROM log_scorecard WHERE log_id = ? ORDER BY rowid",
                    [kinds["scorecard"][0]],
                ):
                    team = dict(zip(columns, row, strict=True))
                    team["members"] = split_list(team["members"])
                    for key in SCORECARD_BOOLS:
                        team[key] = None if team[key] is None else bool(team[key])
                    teams.append(team)
            households = sum(t["households"] or 0 for t in teams)
            familiar = sum(t["familiar_households"] or 0 for t in teams)
            communities.append(
                {
                    "community": community,
                    "scorecard": "scorecard" in kinds,
                    "visits": kinds["visits"][1] if "visits" in kinds else None,
                    "matters": kinds["matters"][1] if "matters" in kinds else None,
                    "households": households,
                    "familiar_households": familiar,
                    "familiarity": rounded_share(familiar, households),
                    "teams_ok": sum(1 for t in teams if _team_ok(t)),
                    "teams": teams,
                }
            )
        missing = [c for c in known if c not in logs]
        return {"week": week, "communities": communities, "missing": missing}


def _team_ok(team: dict[str, Any]) -> bool:
    return all(team.get(key) for key in SCORECARD_BOOLS)


@dataclass
class ParsedLog:
    """One log file, normalised to codes: its community, week, kind and rows (columns after week)."""

    source: str
    community: str
    week: str
    kind: str
    rows: list[tuple[Any, ...]]
    sha256: str


# -- for the office app: a community's weeks, settings ----------------------------------


@migrations(name="0002_office_settings")
def office_settings(db: Database) -> None:
    """The office's own settings (the app's last import and export folders)."""
    run_script(db, "CREATE TABLE office_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);")


def latest_week(office: OfficeDb) -> str | None:
    """The latest week any log was imported for, or None in an empty office database."""
    row = office.conn.execute("SELECT max(week) FROM logs").fetchone()
    return row[0] if row else None


def week_before(week: str, weeks: int = 1) -> str:
    """The ISO week `weeks` weeks before `week` (`2026-W02`, 3 -> `2025-W51`)."""
    from datetime import timedelta

    from cadre_tui.core.weeks import parse_week_code, week_of

    return str(week_of(parse_week_code(week).monday - timedelta(days=7 * weeks)))


@dataclass(frozen=True)
class TeamWeek:
    """One team's field days and familiarity in one week's scorecard."""

    field_days: int | None
    required_field_days: int | None
    field_days_ok: bool | None
    familiar_households: int | None
    households: int | None
    familiarity: float | None
    familiarity_ok: bool | None


@dataclass
class TeamHistory:
    """A team over the weeks: `weeks[i]` is None where no scorecard listed the team that week."""

    team: str
    zone: str
    weeks: list[TeamWeek | None]


@dataclass
class CommunityHistory:
    """A community's teams over `weeks` (oldest first), and which of those weeks sent a scorecard."""

    community: str
    weeks: list[str]
    sent: list[bool]
    teams: list[TeamHistory]


def history(office: OfficeDb, community: str, week: str, weeks: int = 8) -> CommunityHistory:
    """A community's teams in the `weeks` weeks that end with `week`, from their scorecards.

    Teams come in the order of the latest scorecard, then teams last listed in an earlier week (the more
    recent first); a team's zone is the one its latest scorecard gives.
    """
    span = [week_before(week, n) for n in range(weeks - 1, -1, -1)]
    at = {w: i for i, w in enumerate(span)}
    sent = [False] * weeks
    teams: dict[str, TeamHistory] = {}
    order: dict[str, tuple[int, int]] = {}
    marks = ", ".join("?" for _ in span)
    rows = office.conn.execute(
        "SELECT l.week, s.team, s.zone, s.field_days, s.required_field_days, s.field_days_ok, "
        "s.familiar_households, s.households, s.familiarity, s.familiarity_ok "
        "FROM logs l JOIN log_scorecard s ON s.log_id = l.id "
        f"WHERE l.community = ? AND l.kind = 'scorecard' AND l.week IN ({marks}) "
        "ORDER BY l.week, s.rowid",
        [community, *span],
    )
    for n, (here, team, zone, days, required, days_ok, familiar, households, share, share_ok) in enumerate(
        rows
    ):
        i = at[here]
        entry = teams.setdefault(team or "", TeamHistory(team or "", "", [None] * weeks))
        entry.zone = zone or ""
        entry.weeks[i] = TeamWeek(
            days, required, _flag(days_ok), familiar, households, share, _flag(share_ok)
        )
        # the latest week first, and inside it the scorecard's own order
        order[entry.team] = (-i, n)
    for (here,) in office.conn.execute(
        f"SELECT week FROM logs WHERE community = ? AND kind = 'scorecard' AND week IN ({marks})",
        [community, *span],
    ):
        sent[at[here]] = True
    listed = sorted(teams.values(), key=lambda t: order[t.team])
    return CommunityHistory(community, span, sent, listed)


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def get_setting(office: OfficeDb, key: str) -> str | None:
    """One of the office's own settings, or None."""
    row = office.conn.execute("SELECT value FROM office_settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(office: OfficeDb, key: str, value: str) -> None:
    """Keep one of the office's own settings."""
    office.conn.execute(
        "INSERT INTO office_settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
