"""The sub-district office's database: weekly logs of many communities and the roll-up (SPEC §6).

The office database is a SQLite file (the default) or a PostgreSQL database (`--db postgresql://…`), the
same schema, import and report on both, to the byte; the engine is hidden behind `OfficeEngine`
(store/office_engine.py) and the SQL that differs sits in store/office_sql.py. An office database is
never a community's: a SQLite one is marked with its own `PRAGMA application_id` and a `user_version` far
above any community schema, so `Store.open` refuses it (exit 3) without touching it; this module refuses
a community database in turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cadre_tui.core.domain import DEFAULT_TIMEZONE
from cadre_tui.core.office_columns import LOG_KINDS, SCORECARD_COLUMNS
from cadre_tui.core.scorecard import rounded_share
from cadre_tui.core.values import split_list
from cadre_tui.store.db import OFFICE_APPLICATION_ID, format_stamp
from cadre_tui.store.office_engine import OFFICE_VERSION_BASE, OfficeEngine, is_postgres_url, open_engine


def office_today() -> date:
    """Today in the office's time zone (Asia/Shanghai, SPEC §3): the office's `this`/`last` week."""
    return datetime.now(UTC).astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()


__all__ = [
    "OFFICE_APPLICATION_ID",
    "OFFICE_VERSION_BASE",
    "LogImport",
    "OfficeDb",
    "ParsedLog",
    "is_postgres_url",
]

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
    """An open office database, on SQLite or PostgreSQL (`self.engine`, store/office_engine.py).

    A query method is written once for both engines: `self.engine.fetchall(sql, params)` with `?`
    placeholders in the SQL both read alike (docs/DEVELOPING.md, "The office database on two engines").
    """

    def __init__(self, engine: OfficeEngine) -> None:
        self.engine = engine
        # The SQLite file (None on PostgreSQL) and the database as messages name it.
        self.path: Path | None = engine.path
        self.where = engine.where

    @classmethod
    def open(cls, target: Path | str) -> OfficeDb:
        """Open or create the office database: a file path (SQLite) or a `postgresql://` URL.

        Refuses a community's database or anything else that is not an office's, and one written by a
        newer cadre-tui (exit 3); applies pending migrations.
        """
        return cls(open_engine(target))

    def close(self) -> None:
        """Close the connection."""
        self.engine.close()

    # -- import ----------------------------------------------------------------------------------------

    def store_logs(self, logs: Iterable[ParsedLog]) -> list[LogImport]:
        """Store parsed logs in one transaction: all of them, or none when reading one fails."""
        results: list[LogImport] = []
        with self.engine.write():
            results.extend(self._store_log(log) for log in logs)
        return results

    def _store_log(self, log: ParsedLog) -> LogImport:
        table = f"log_{log.kind}"
        now = format_stamp(datetime.now(UTC))
        inserted = self.engine.fetchone(
            "INSERT INTO logs (community, week, kind, content_sha256, source, imported_at, rows) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (community, week, kind) DO NOTHING RETURNING id",
            [log.community, log.week, log.kind, log.sha256, log.source, now, len(log.rows)],
        )
        if inserted is not None:
            log_id, status = inserted[0], "added"
        else:
            existing = self.engine.fetchone(
                self.engine.statement("log_for_update") or "", [log.community, log.week, log.kind]
            )
            assert existing is not None  # the conflict was with it, and rows of logs are never deleted
            if existing[1] == log.sha256:
                return LogImport(log.source, log.community, log.week, log.kind, len(log.rows), "unchanged")
            log_id, status = existing[0], "replaced"
            self.engine.execute(f"DELETE FROM {table} WHERE log_id = ?", [log_id])
            self.engine.execute(
                "UPDATE logs SET content_sha256 = ?, source = ?, imported_at = ?, rows = ? WHERE id = ?",
                [log.sha256, log.source, now, len(log.rows), log_id],
            )
        columns = ["log_id", *list(LOG_KINDS[log.kind])[2:]]
        self.engine.insert_rows(table, columns, ((log_id, *row) for row in log.rows))
        return LogImport(log.source, log.community, log.week, log.kind, len(log.rows), status)

    # -- report ------------------------------------------------------------------------------------------

    def report(self, week: str) -> dict[str, Any]:
        """Every community's scorecard for `week` side by side, and who sent nothing that week."""
        with self.engine.read():
            return self._report(week)

    def _report(self, week: str) -> dict[str, Any]:
        # Text is ordered in Python (code points, as SQLite's BINARY), never by the server's collation.
        known = sorted(r[0] for r in self.engine.fetchall("SELECT DISTINCT community FROM logs"))
        logs: dict[str, dict[str, tuple[int, int]]] = {}
        for log_id, community, kind, rows in self.engine.fetchall(
            "SELECT id, community, kind, rows FROM logs WHERE week = ?", [week]
        ):
            logs.setdefault(community, {})[kind] = (log_id, rows)
        columns = list(SCORECARD_COLUMNS)[2:]
        communities = []
        for community in sorted(logs):
            kinds = logs[community]
            teams = []
            if "scorecard" in kinds:
                # rowid: the order the rows came in (explicit on PostgreSQL, office_sql.py).
                for row in self.engine.fetchall(
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


def latest_week(office: OfficeDb) -> str | None:
    """The latest week any log was imported for, or None in an empty office database."""
    with office.engine.read():
        row = office.engine.fetchone("SELECT max(week) FROM logs")
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
    with office.engine.read():
        rows = office.engine.fetchall(
            "SELECT l.week, s.team, s.zone, s.field_days, s.required_field_days, s.field_days_ok, "
            "s.familiar_households, s.households, s.familiarity, s.familiarity_ok "
            "FROM logs l JOIN log_scorecard s ON s.log_id = l.id "
            f"WHERE l.community = ? AND l.kind = 'scorecard' AND l.week IN ({marks}) "
            "ORDER BY l.week, s.rowid",
            [community, *span],
        )
        sent_weeks = office.engine.fetchall(
            f"SELECT week FROM logs WHERE community = ? AND kind = 'scorecard' AND week IN ({marks})",
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
    for (here,) in sent_weeks:
        sent[at[here]] = True
    listed = sorted(teams.values(), key=lambda t: order[t.team])
    return CommunityHistory(community, span, sent, listed)


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def get_setting(office: OfficeDb, key: str) -> str | None:
    """One of the office's own settings, or None."""
    with office.engine.read():
        row = office.engine.fetchone("SELECT value FROM office_settings WHERE key = ?", [key])
    return row[0] if row else None


def set_setting(office: OfficeDb, key: str, value: str) -> None:
    """Keep one of the office's own settings."""
    with office.engine.write():
        office.engine.execute(
            "INSERT INTO office_settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
