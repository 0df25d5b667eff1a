"""Visits and must-attend matters, and the small corrections of SPEC §8: the store's write API for records.

Every function validates first and raises `InvalidInput` (exit 2) with a plain message, so nothing is
written for bad input. Ids passed in are row ids; the command line turns codes and numbers into ids with
the look-ups at the top of this module.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from cadre_tui.core import values
from cadre_tui.core.domain import (
    KIND_CODES,
    NEED_CODES,
    OUTCOME_CODES,
    RESIDENT_STATUS_CODES,
    SCOPE_CODES,
)
from cadre_tui.core.values import join_list, split_list
from cadre_tui.errors import InvalidInput
from cadre_tui.messages import Message
from cadre_tui.store.db import Store, format_stamp, parse_stamp

_VISIT_FIELDS = (
    "household_id",
    "visit_date",
    "outcome",
    "team_id",
    "cadre_ids",
    "resident_ids",
    "needs",
    "notes",
    "follow_up_date",
    "assistance_yuan",
)
_MATTER_FIELDS = (
    "kind",
    "title",
    "occurred_at",
    "scope",
    "zone_id",
    "household_id",
    "notes",
    "attended_at",
    "cadre_ids",
)


# -- look-ups ------------------------------------------------------------------------------------------


def _one(store: Store, sql: str, params: Sequence[Any]) -> dict[str, Any] | None:
    return next(iter(store.db.query(sql, list(params))), None)


def household_by_no(store: Store, household_no: str) -> dict[str, Any] | None:
    """The household with this ledger number, not deleted; None when there is none."""
    return _one(
        store, "SELECT * FROM households WHERE household_no = ? AND deleted = 0", [household_no.strip()]
    )


def zone_by_code(store: Store, code: str) -> dict[str, Any] | None:
    """The zone with this code, not deleted."""
    return _one(store, "SELECT * FROM zones WHERE code = ? AND deleted = 0", [code.strip()])


def team_by_code(store: Store, code: str) -> dict[str, Any] | None:
    """The team with this code, not deleted."""
    return _one(store, "SELECT * FROM teams WHERE code = ? AND deleted = 0", [code.strip()])


def cadre_by_code(store: Store, code: str) -> dict[str, Any] | None:
    """The cadre with this code, not deleted (active or not: past visits name inactive cadres too)."""
    return _one(store, "SELECT * FROM cadres WHERE code = ? AND deleted = 0", [code.strip()])


def team_of_zone(store: Store, zone_id: str) -> dict[str, Any] | None:
    """The team that owns the zone (one per zone; the lowest code should a bad sync leave two)."""
    return _one(
        store, "SELECT * FROM teams WHERE zone_id = ? AND deleted = 0 ORDER BY code LIMIT 1", [zone_id]
    )


def active_members(store: Store, team: dict[str, Any]) -> list[dict[str, Any]]:
    """The team's active, not deleted cadres, in code order."""
    ids = split_list(team.get("member_ids"))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return list(
        store.db.query(
            f"SELECT * FROM cadres WHERE id IN ({marks}) AND active = 1 AND deleted = 0 ORDER BY code", ids
        )
    )


def _by_id(store: Store, table: str, row_id: str | None) -> dict[str, Any] | None:
    if not row_id:
        return None
    return _one(store, f"SELECT * FROM {table} WHERE id = ? AND deleted = 0", [row_id])


# -- validation ----------------------------------------------------------------------------------------


def _check_visit(store: Store, row: dict[str, Any], today: date) -> dict[str, Any]:
    """Validate a visit row (ids, codes, dates) and return it in its stored form."""
    household = _by_id(store, "households", row["household_id"])
    if household is None:
        raise InvalidInput.of("records.no_household_id", id=row["household_id"])
    outcome = row["outcome"]
    if outcome not in OUTCOME_CODES:
        raise InvalidInput.of("records.bad_outcome", outcome=repr(outcome), codes=", ".join(OUTCOME_CODES))
    visit_date = row["visit_date"]
    if not isinstance(visit_date, date):
        raise InvalidInput.of("records.visit_not_date", value=repr(visit_date))
    if visit_date > today:
        raise InvalidInput.of("records.visit_future", date=visit_date.isoformat(), today=today.isoformat())
    if row["team_id"] is None:
        team = team_of_zone(store, household["zone_id"])
        if team is None:
            zone = _by_id(store, "zones", household["zone_id"])
            raise InvalidInput.of(
                "records.zone_no_team",
                household=household["household_no"],
                zone=zone["code"] if zone else "?",
            )
    else:
        team = _by_id(store, "teams", row["team_id"])
        if team is None:
            raise InvalidInput.of("records.no_team_id", id=row["team_id"])
    cadre_ids = row["cadre_ids"]
    if cadre_ids is None:
        cadre_ids = [c["id"] for c in active_members(store, team)]
        if not cadre_ids:
            raise InvalidInput.of("records.team_no_members", team=team["code"])
    cadre_ids = list(dict.fromkeys(cadre_ids))
    if not cadre_ids:
        raise InvalidInput.of("records.visit_no_cadre")
    for cadre_id in cadre_ids:
        if _by_id(store, "cadres", cadre_id) is None:
            raise InvalidInput.of("records.no_cadre_id", id=cadre_id)
    resident_ids = list(dict.fromkeys(row["resident_ids"]))
    for resident_id in resident_ids:
        resident = _by_id(store, "residents", resident_id)
        if resident is None or resident["household_id"] != household["id"]:
            raise InvalidInput.of("records.not_resident", id=resident_id, household=household["household_no"])
    needs = list(dict.fromkeys(row["needs"]))
    for need in needs:
        if need not in NEED_CODES:
            raise InvalidInput.of("records.bad_need", need=repr(need), codes=", ".join(NEED_CODES))
    follow_up = row["follow_up_date"]
    if follow_up is not None and not isinstance(follow_up, date):
        raise InvalidInput.of("records.follow_up_not_date", value=repr(follow_up))
    late = values.follow_up_problem(visit_date, follow_up)
    if late and follow_up is not None:
        raise InvalidInput.of(
            "values.follow_up_early", follow_up=follow_up.isoformat(), visit=visit_date.isoformat()
        )
    return {
        "household_id": household["id"],
        "team_id": team["id"],
        "visit_date": visit_date.isoformat(),
        "cadre_ids": join_list(cadre_ids),
        "outcome": outcome,
        "resident_ids": join_list(resident_ids),
        "needs": join_list(needs),
        "notes": values.optional_text(row["notes"]),
        "follow_up_date": follow_up.isoformat() if follow_up else None,
        "assistance_yuan": parse_yuan(row["assistance_yuan"]),
    }


def parse_yuan(value: Any) -> str | None:
    """Typed assistance as stored text (`core.values.parse_yuan`, trimmed first); None when blank."""
    raw = "" if value is None else str(value).strip()
    try:
        return values.parse_yuan(raw)
    except values.AmountTooLarge:
        raise InvalidInput.of("records.yuan_max", max=values.YUAN_MAX, value=raw) from None
    except ValueError:
        raise InvalidInput.of("records.not_yuan", value=raw) from None


# -- visits --------------------------------------------------------------------------------------------


def add_visit(
    store: Store,
    *,
    household_id: str,
    visit_date: date,
    outcome: str,
    team_id: str | None = None,
    cadre_ids: list[str] | None = None,
    resident_ids: Sequence[str] = (),
    needs: Sequence[str] = (),
    notes: str = "",
    follow_up_date: date | None = None,
    assistance_yuan: str | None = None,
    today: date | None = None,
) -> str:
    """Record a visit and return its id; the team defaults to the zone's, the cadres to its active members."""
    row = _check_visit(
        store,
        {
            "household_id": household_id,
            "visit_date": visit_date,
            "outcome": outcome,
            "team_id": team_id,
            "cadre_ids": cadre_ids,
            "resident_ids": list(resident_ids),
            "needs": list(needs),
            "notes": notes,
            "follow_up_date": follow_up_date,
            "assistance_yuan": assistance_yuan,
        },
        today or store.today(),
    )
    visit_id = str(uuid.uuid4())
    with store.transaction():
        store.db.table("visits").insert({"id": visit_id, **row, **store.sync_columns()})
    return visit_id


def update_visit(store: Store, visit_id: str, **changes: Any) -> None:
    """Change fields of a visit (the names of `add_visit`'s arguments), with the same validation."""
    today = changes.pop("today", None) or store.today()
    unknown = set(changes) - set(_VISIT_FIELDS)
    if unknown:
        raise TypeError(f"update_visit: unknown fields {', '.join(sorted(unknown))}")
    current = _by_id(store, "visits", visit_id)
    if current is None:
        raise InvalidInput.of("records.no_visit", id=visit_id)
    row: dict[str, Any] = {
        "household_id": current["household_id"],
        "visit_date": date.fromisoformat(current["visit_date"]),
        "outcome": current["outcome"],
        "team_id": current["team_id"],
        "cadre_ids": split_list(current["cadre_ids"]),
        "resident_ids": split_list(current["resident_ids"]),
        "needs": split_list(current["needs"]),
        "notes": current["notes"],
        "follow_up_date": date.fromisoformat(current["follow_up_date"])
        if current["follow_up_date"]
        else None,
        "assistance_yuan": current["assistance_yuan"],
    }
    row.update(changes)
    for key in ("resident_ids", "needs"):
        row[key] = list(row[key] or ())
    if "household_id" in changes and "resident_ids" not in changes:
        row["resident_ids"] = []  # residents of the old household cannot have been met at the new one
    stored = _check_visit(store, row, today)
    with store.transaction():
        _update_by_id(store, "visits", visit_id, {**stored, **store.touched()})


def delete_visit(store: Store, visit_id: str) -> None:
    """Delete a visit (a tombstone: the row stays with deleted = 1, so partners learn of it)."""
    _tombstone(store, "visits", visit_id, "visit")


def _tombstone(store: Store, table: str, row_id: str, what: str) -> None:
    if _by_id(store, table, row_id) is None:
        raise InvalidInput.of(f"records.no_{what}", id=row_id)
    with store.transaction():
        _update_by_id(store, table, row_id, {"deleted": 1, **store.touched()})


def _update_by_id(store: Store, table: str, row_id: str, values: dict[str, Any]) -> None:
    """Set columns of the row with this id. (Not sqlite-utils' `update`: it takes visits' key to be the
    rowid, since their id is kept unique by an index, `visits_id`, not a PRIMARY KEY: migration 0004.)"""
    sets = ", ".join(f"{name} = ?" for name in values)
    store.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])


# -- matters -------------------------------------------------------------------------------------------


def _aware(moment: Any, what: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise InvalidInput.of("records.not_aware", what=Message(what), value=repr(moment))
    return moment


def _check_matter(store: Store, row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Validate a matter row and return it in its stored form."""
    kind = row["kind"]
    if kind not in KIND_CODES:
        raise InvalidInput.of("records.bad_kind", kind=repr(kind), codes=", ".join(KIND_CODES))
    try:
        title = values.parse_title(row["title"])
    except ValueError:
        raise InvalidInput.of("records.no_title") from None
    occurred_at = _aware(row["occurred_at"], "records.occurred_at")
    scope = row["scope"]
    if scope not in SCOPE_CODES:
        raise InvalidInput.of("records.bad_scope", scope=repr(scope), codes=", ".join(SCOPE_CODES))
    zone_id, household_id = row["zone_id"], row["household_id"]
    mismatch = values.scope_problem(scope, zone_id, household_id)
    if mismatch:
        raise InvalidInput(mismatch)
    if scope == "zone" and _by_id(store, "zones", zone_id) is None:
        raise InvalidInput.of("records.no_zone_id", id=zone_id)
    if scope == "household" and _by_id(store, "households", household_id) is None:
        raise InvalidInput.of("records.no_household_id", id=household_id)
    attended_at = row["attended_at"]
    cadre_ids = list(dict.fromkeys(row["cadre_ids"] or ()))
    if attended_at is not None:
        attended_at = _aware(attended_at, "records.attended_at")
        _check_attendance(store, occurred_at, attended_at, cadre_ids, now)
    elif cadre_ids:
        raise InvalidInput.of("records.cadres_without_time")
    return {
        "kind": kind,
        "title": title,
        "scope": scope,
        "zone_id": zone_id if scope == "zone" else None,
        "household_id": household_id if scope == "household" else None,
        "occurred_at": format_stamp(occurred_at),
        "attended_at": format_stamp(attended_at) if attended_at is not None else None,
        "attended_by": join_list(cadre_ids),
        "notes": values.optional_text(row["notes"]),
    }


def _check_attendance(
    store: Store, occurred_at: datetime, attended_at: datetime, cadre_ids: Sequence[str], now: datetime
) -> None:
    tz = store.tz()
    if attended_at > now:
        raise InvalidInput.of("records.attended_future", when=_local(attended_at, tz), now=_local(now, tz))
    if attended_at < occurred_at:
        when, occurred = _local(attended_at, tz), _local(occurred_at, tz)
        raise InvalidInput.of("records.attended_early", when=when, occurred=occurred)
    if not cadre_ids:
        raise InvalidInput.of("records.attend_no_cadre")
    for cadre_id in cadre_ids:
        if _by_id(store, "cadres", cadre_id) is None:
            raise InvalidInput.of("records.no_cadre_id", id=cadre_id)


def _local(moment: datetime, tz: Any) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def add_matter(
    store: Store,
    *,
    kind: str,
    title: str,
    occurred_at: datetime,
    scope: str,
    zone_id: str | None = None,
    household_id: str | None = None,
    notes: str = "",
) -> str:
    """Log a must-attend matter (it may lie ahead: an activity is logged before it starts); return its id."""
    row = _check_matter(
        store,
        {
            "kind": kind,
            "title": title,
            "occurred_at": occurred_at,
            "scope": scope,
            "zone_id": zone_id,
            "household_id": household_id,
            "notes": notes,
            "attended_at": None,
            "cadre_ids": [],
        },
        store.clock(),
    )
    matter_id = str(uuid.uuid4())
    with store.transaction():
        store.db.table("matters").insert({"id": matter_id, **row, **store.sync_columns()})
    return matter_id


def _matter_row(current: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": current["kind"],
        "title": current["title"],
        "occurred_at": parse_stamp(current["occurred_at"]),
        "scope": current["scope"],
        "zone_id": current["zone_id"],
        "household_id": current["household_id"],
        "notes": current["notes"],
        "attended_at": parse_stamp(current["attended_at"]) if current["attended_at"] else None,
        "cadre_ids": split_list(current["attended_by"]),
    }


def attend_matter(
    store: Store,
    matter_id: str,
    *,
    attended_at: datetime,
    cadre_ids: Sequence[str],
    now: datetime | None = None,
) -> None:
    """Mark a matter attended by these cadres; not in the future, not before it occurred."""
    current = _by_id(store, "matters", matter_id)
    if current is None:
        raise InvalidInput.of("records.no_matter", id=matter_id)
    row = _matter_row(current)
    row["attended_at"] = attended_at
    row["cadre_ids"] = list(cadre_ids)
    _write_matter(store, matter_id, row, now or store.clock())


def update_matter(store: Store, matter_id: str, **changes: Any) -> None:
    """Change fields of a matter (`add_matter`'s arguments, `attended_at`, `cadre_ids`), same validation."""
    now = changes.pop("now", None) or store.clock()
    unknown = set(changes) - set(_MATTER_FIELDS)
    if unknown:
        raise TypeError(f"update_matter: unknown fields {', '.join(sorted(unknown))}")
    current = _by_id(store, "matters", matter_id)
    if current is None:
        raise InvalidInput.of("records.no_matter", id=matter_id)
    row = _matter_row(current)
    row.update(changes)
    if "attended_at" in changes and changes["attended_at"] is None and "cadre_ids" not in changes:
        row["cadre_ids"] = []  # clearing the attendance clears who attended
    _write_matter(store, matter_id, row, now)


def _write_matter(store: Store, matter_id: str, row: dict[str, Any], now: datetime) -> None:
    stored = _check_matter(store, row, now)
    with store.transaction():
        store.db.table("matters").update(matter_id, {**stored, **store.touched()})


def delete_matter(store: Store, matter_id: str) -> None:
    """Delete a matter (a tombstone)."""
    _tombstone(store, "matters", matter_id, "matter")


def matter_by_id(store: Store, text: str) -> dict[str, Any] | None:
    """The matter with this id, or with this unique id prefix (8 characters or more), not deleted."""
    wanted = text.strip().lower()
    exact = _by_id(store, "matters", wanted)
    if exact is not None or len(wanted) < 8:
        return exact
    found = list(
        store.db.query(
            "SELECT * FROM matters WHERE id LIKE ? ESCAPE '\\' AND deleted = 0 LIMIT 2",
            [wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        )
    )
    return found[0] if len(found) == 1 else None


# -- corrections ---------------------------------------------------------------------------------------


def set_household_active(store: Store, household_id: str, active: bool) -> None:
    """Set a household inactive (moved away, empty) or back; inactive ones leave plans and scorecard."""
    household = _by_id(store, "households", household_id)
    if household is None:
        raise InvalidInput.of("records.no_household_id", id=household_id)
    if bool(household["active"]) == active:
        return
    with store.transaction():
        store.db.table("households").update(
            household_id,
            {"active": 1 if active else 0, **store.touched()},
        )


def set_resident_status(store: Store, resident_id: str, status: str) -> None:
    """Mark a resident present, moved out or deceased; the history stays."""
    if status not in RESIDENT_STATUS_CODES:
        raise InvalidInput.of(
            "records.bad_status", status=repr(status), codes=", ".join(RESIDENT_STATUS_CODES)
        )
    resident = _by_id(store, "residents", resident_id)
    if resident is None:
        raise InvalidInput.of("records.no_resident_id", id=resident_id)
    if resident["status"] == status:
        return
    with store.transaction():
        store.db.table("residents").update(resident_id, {"status": status, **store.touched()})
