"""Read queries the app's screens need: teams and cadres, a household in full, the matters log, the dashboard.

Plain dictionaries and dataclasses out, never widgets: the screens call these in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cadre_tui.core.domain import KINDS_BY_CODE
from cadre_tui.store.db import Store, parse_stamp
from cadre_tui.store.search import address_of

# How many visits the household pane lists: a screenful is plenty, the rest is in the office log.
VISIT_HISTORY_LIMIT = 30


def _rows(store: Store, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cursor = store.db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def split_ids(text: str | None) -> list[str]:
    """A `;`-separated list column as a list (empty items dropped)."""
    return [part for part in (text or "").split(";") if part]


# -- teams and cadres ------------------------------------------------------------------------------


def teams(store: Store) -> list[dict[str, Any]]:
    """Every team in code order: id, code, name, zone_id, zone_code, member_ids (list)."""
    rows = _rows(
        store,
        "SELECT t.id, t.code, t.name, t.zone_id, z.code AS zone_code, t.member_ids FROM teams t "
        "LEFT JOIN zones z ON z.id = t.zone_id WHERE t.deleted = 0 ORDER BY t.code",
    )
    for row in rows:
        row["member_ids"] = split_ids(row["member_ids"])
    return rows


def cadres(store: Store, active_only: bool = True) -> list[dict[str, Any]]:
    """Cadres in code order: id, code, name, active."""
    where = "deleted = 0" + (" AND active = 1" if active_only else "")
    return _rows(store, f"SELECT id, code, name, active FROM cadres WHERE {where} ORDER BY code")


def cadre_codes(store: Store, cadre_ids: list[str]) -> list[str]:
    """The codes of these cadre ids, in the given order (an unknown id shows as itself)."""
    if not cadre_ids:
        return []
    marks = ", ".join("?" for _ in cadre_ids)
    known = dict(store.db.execute(f"SELECT id, code FROM cadres WHERE id IN ({marks})", cadre_ids).fetchall())
    return [known.get(cid, cid) for cid in cadre_ids]


def my_team(store: Store) -> dict[str, Any] | None:
    """The team of the `me` cadre of this laptop, or None when `me` is unset or in no team."""
    me = store.get_setting("me")
    if not me:
        return None
    row = store.db.execute("SELECT id FROM cadres WHERE code = ? AND deleted = 0", [me]).fetchone()
    if row is None:
        return None
    return next((t for t in teams(store) if row[0] in t["member_ids"]), None)


def team_of_household(store: Store, household_id: str) -> dict[str, Any] | None:
    """The team owning the household's zone."""
    row = store.db.execute("SELECT zone_id FROM households WHERE id = ?", [household_id]).fetchone()
    if row is None:
        return None
    return next((t for t in teams(store) if t["zone_id"] == row[0]), None)


def visit_team(store: Store, household_id: str) -> dict[str, Any] | None:
    """The team a new visit defaults to: the `me` cadre's, else the household zone's."""
    return my_team(store) or team_of_household(store, household_id)


# -- households -------------------------------------------------------------------------------------


@dataclass
class HouseholdDetail:
    """A household with its residents (and their groups), its due status and its latest visits."""

    household: dict[str, Any]
    residents: list[dict[str, Any]] = field(default_factory=list)
    due: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)


def household_detail(store: Store, household_id: str, as_of: date) -> HouseholdDetail | None:
    """Everything the household pane shows; None when the household does not exist or is deleted."""
    found = _rows(
        store,
        "SELECT h.*, z.code AS zone_code FROM households h LEFT JOIN zones z ON z.id = h.zone_id "
        "WHERE h.id = ? AND h.deleted = 0",
        [household_id],
    )
    if not found:
        return None
    household = found[0]
    household["address"] = address_of(household)
    team = team_of_household(store, household_id)
    household["team_code"] = team["code"] if team else ""
    residents = _rows(
        store,
        "SELECT id, name, gender, birth_date, id_number, phone, relation, status FROM residents "
        "WHERE household_id = ? AND deleted = 0 ORDER BY CASE WHEN relation = '户主' THEN 0 ELSE 1 END, name",
        [household_id],
    )
    groups: dict[str, list[str]] = {}
    for resident_id, group in store.db.execute(
        "SELECT m.resident_id, m.group_code FROM memberships m JOIN residents r ON r.id = m.resident_id "
        "WHERE r.household_id = ? AND m.deleted = 0 AND m.since <= ? ORDER BY m.group_code",
        [household_id, as_of.isoformat()],
    ):
        groups.setdefault(resident_id, []).append(group)
    for resident in residents:
        resident["groups"] = groups.get(resident["id"], [])
    return HouseholdDetail(
        household=household,
        residents=residents,
        due=_household_due(store, household_id, as_of),
        visits=visit_history(store, household_id),
    )


def _household_due(store: Store, household_id: str, as_of: date) -> list[dict[str, Any]]:
    from cadre_tui.store.due import household_due

    return household_due(store, household_id, as_of)


def visit_history(store: Store, household_id: str, limit: int = VISIT_HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The household's visits, latest first, with team and cadre codes."""
    visits = _rows(
        store,
        "SELECT v.id, v.visit_date, v.outcome, v.cadre_ids, v.resident_ids, v.needs, v.notes, "
        "v.follow_up_date, v.assistance_yuan, v.team_id, t.code AS team_code FROM visits v "
        "LEFT JOIN teams t ON t.id = v.team_id WHERE v.household_id = ? AND v.deleted = 0 "
        "ORDER BY v.visit_date DESC, v.updated_at DESC LIMIT ?",
        [household_id, limit],
    )
    for visit in visits:
        visit["cadre_ids"] = split_ids(visit["cadre_ids"])
        visit["cadres"] = cadre_codes(store, visit["cadre_ids"])
        visit["resident_ids"] = split_ids(visit["resident_ids"])
        visit["needs"] = split_ids(visit["needs"])
    return visits


def visit(store: Store, visit_id: str) -> dict[str, Any] | None:
    """One visit (not deleted) with its list columns split, for the edit form."""
    found = _rows(store, "SELECT * FROM visits WHERE id = ? AND deleted = 0", [visit_id])
    if not found:
        return None
    row = found[0]
    for key in ("cadre_ids", "resident_ids", "needs"):
        row[key] = split_ids(row[key])
    return row


def household_residents(store: Store, household_id: str) -> list[dict[str, Any]]:
    """Residents present in the household (for "residents met"), head first."""
    return _rows(
        store,
        "SELECT id, name, relation FROM residents "
        "WHERE household_id = ? AND deleted = 0 AND status = 'present' "
        "ORDER BY CASE WHEN relation = '户主' THEN 0 ELSE 1 END, name",
        [household_id],
    )


def household_brief(store: Store, household_id: str) -> dict[str, Any] | None:
    """household_no, address and active flag of a household (for form titles)."""
    found = _rows(
        store,
        "SELECT id, household_no, estate, building, unit, room, active, zone_id FROM households "
        "WHERE id = ? AND deleted = 0",
        [household_id],
    )
    if not found:
        return None
    found[0]["address"] = address_of(found[0])
    return found[0]


def household_ids(store: Store, household_nos: list[str]) -> dict[str, str]:
    """household_no -> id for the given numbers (deleted households left out)."""
    found: dict[str, str] = {}
    # chunks stay under SQLite's limit on bound parameters
    for start in range(0, len(household_nos), 500):
        chunk = household_nos[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(
            store.db.execute(
                f"SELECT household_no, id FROM households WHERE deleted = 0 AND household_no IN ({marks})",
                chunk,
            ).fetchall()
        )
    return found


def households_brief(store: Store, household_nos: list[str]) -> dict[str, dict[str, Any]]:
    """household_no -> id, address, active for the given numbers (for the plan's rows)."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(household_nos), 500):
        chunk = household_nos[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in _rows(
            store,
            "SELECT id, household_no, estate, building, unit, room, active FROM households "
            f"WHERE deleted = 0 AND household_no IN ({marks})",
            chunk,
        ):
            row["address"] = address_of(row)
            found[row["household_no"]] = row
    return found


def resident_secret(store: Store, resident_id: str) -> dict[str, Any] | None:
    """The full ID number and phone of a resident (the caller writes the reveal to the audit log)."""
    found = _rows(store, "SELECT id, name, id_number, phone FROM residents WHERE id = ?", [resident_id])
    return found[0] if found else None


# -- matters ---------------------------------------------------------------------------------------


def matter_targets(store: Store) -> dict[str, timedelta]:
    """Response target per matter kind: the community's settings over the defaults of SPEC §2."""
    try:
        from cadre_tui.store.settings import load_rules
    except ImportError:
        return {code: kind.target for code, kind in KINDS_BY_CODE.items()}
    return dict(load_rules(store).targets)


def matters_log(
    store: Store, now: datetime, open_only: bool = False, limit: int = 200
) -> list[dict[str, Any]]:
    """Must-attend matters, latest first (open ones first when `open_only`), with where and lateness.

    Each row gains: `where` (household_no, zone code or empty for the community), `attended_codes`,
    `late` (attended after the target), `overdue` (still open past the target at `now`).
    """
    where = "m.deleted = 0" + (" AND m.attended_at IS NULL" if open_only else "")
    rows = _rows(
        store,
        "SELECT m.*, z.code AS zone_code, h.household_no FROM matters m "
        "LEFT JOIN zones z ON z.id = m.zone_id LEFT JOIN households h ON h.id = m.household_id "
        f"WHERE {where} ORDER BY m.occurred_at DESC LIMIT ?",
        [limit],
    )
    targets = matter_targets(store)
    for row in rows:
        occurred = parse_stamp(row["occurred_at"])
        target = targets.get(row["kind"], timedelta(hours=24))
        row["where"] = row["household_no"] or row["zone_code"] or ""
        row["attended_codes"] = cadre_codes(store, split_ids(row["attended_by"]))
        if row["attended_at"]:
            row["late"] = parse_stamp(row["attended_at"]) - occurred > target
            row["overdue"] = False
        else:
            row["late"] = False
            row["overdue"] = now.astimezone(UTC) - occurred > target
    return rows


def matter(store: Store, matter_id: str) -> dict[str, Any] | None:
    """One matter (not deleted) for the edit form, with its household_no and zone code."""
    found = _rows(
        store,
        "SELECT m.*, z.code AS zone_code, h.household_no FROM matters m "
        "LEFT JOIN zones z ON z.id = m.zone_id LEFT JOIN households h ON h.id = m.household_id "
        "WHERE m.id = ? AND m.deleted = 0",
        [matter_id],
    )
    if not found:
        return None
    found[0]["attended_by"] = split_ids(found[0]["attended_by"])
    return found[0]


def zones(store: Store) -> list[dict[str, Any]]:
    """Zones in code order: id, code, name."""
    return _rows(store, "SELECT id, code, name FROM zones WHERE deleted = 0 ORDER BY code")


# -- dashboard -------------------------------------------------------------------------------------

# Weeks of field days the dashboard charts.
CHART_WEEKS = 8


@dataclass
class Dashboard:
    """What the first screen shows, computed in one worker run."""

    scorecard: dict[str, Any]
    team_names: dict[str, str]
    overdue: list[dict[str, Any]]
    open_matters: list[dict[str, Any]]
    field_days: dict[str, list[int]]
    chart_weeks: list[str]


def dashboard(store: Store, today: date, now: datetime, overdue_limit: int = 50) -> Dashboard:
    """This week's scorecard, overdue priority residents, open matters, field days of the last 8 weeks."""
    from cadre_tui.core.weeks import week_of
    from cadre_tui.store.due import overdue_residents
    from cadre_tui.store.facts import field_days_history, weekly_scorecard

    week = week_of(today)
    weeks = [week]
    for _ in range(CHART_WEEKS - 1):
        weeks.insert(0, weeks[0].previous())
    team_rows = teams(store)
    overdue = overdue_residents(store, today, limit=overdue_limit)
    ids = household_ids(store, [item["household_no"] for item in overdue])
    for item in overdue:
        item["household_id"] = ids.get(item["household_no"], "")
    return Dashboard(
        scorecard=weekly_scorecard(store, week, today=today),
        team_names={t["code"]: t["name"] for t in team_rows},
        overdue=overdue,
        open_matters=matters_log(store, now, open_only=True, limit=50),
        field_days={t["code"]: field_days_history(store, t["code"], weeks) for t in team_rows},
        chart_weeks=[str(w) for w in weeks],
    )


# -- this laptop's own preferences ----------------------------------------------------------------


def get_local(store: Store, key: str) -> str | None:
    """A preference of this laptop only (never synced), e.g. the app's language."""
    row = store.db.execute("SELECT value FROM local WHERE key = ?", [f"pref.{key}"]).fetchone()
    return row[0] if row else None


def set_local(store: Store, key: str, value: str) -> None:
    """Set a preference of this laptop only."""
    with store.transaction():
        store.db.execute(
            "INSERT INTO local (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [f"pref.{key}", value],
        )
