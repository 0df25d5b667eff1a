"""Insert zones, cadres, teams, households, residents, memberships, visits, matters straight into a Store.

For tests only: no validation beyond the database's own, so a test can set up exactly the edge it needs
(a deleted row, a visit recorded with another team's code, an attendance after as_of). Every function
returns the new row's id; ids are random UUIDs unless given.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from cadre_tui.store.db import Store, format_stamp


def _insert(store: Store, table: str, row: dict[str, Any], deleted: bool = False) -> str:
    row_id = row.get("id") or str(uuid.uuid4())
    with store.transaction():
        sync = store.sync_columns()
        sync["deleted"] = int(deleted)
        store.db.table(table).insert({**row, "id": row_id, **sync})
    return row_id


def insert_zone(store: Store, code: str, name: str | None = None, *, deleted: bool = False) -> str:
    """A zone (片区)."""
    return _insert(store, "zones", {"code": code, "name": name or code}, deleted)


def insert_cadre(
    store: Store, code: str, name: str | None = None, *, active: bool = True, deleted: bool = False
) -> str:
    """A cadre (干部)."""
    return _insert(
        store, "cadres", {"code": code, "name": name or code, "phone": None, "active": int(active)}, deleted
    )


def insert_team(
    store: Store, code: str, zone_id: str | None, member_ids: Sequence[str] = (), *, deleted: bool = False
) -> str:
    """A team owning `zone_id`, with these cadre ids as members."""
    return _insert(
        store,
        "teams",
        {"code": code, "name": code, "zone_id": zone_id, "member_ids": ";".join(member_ids)},
        deleted,
    )


def insert_household(
    store: Store,
    household_no: str,
    zone_id: str,
    *,
    estate: str = "幸福小区",
    building: str = "1",
    unit: str = "1",
    room: str = "101",
    active: bool = True,
    deleted: bool = False,
) -> str:
    """A household (户) of a zone."""
    row = {
        "household_no": household_no,
        "zone_id": zone_id,
        "estate": estate,
        "building": building,
        "unit": unit,
        "room": room,
        "active": int(active),
    }
    return _insert(store, "households", row, deleted)


def insert_resident(
    store: Store,
    household_id: str,
    name: str,
    *,
    status: str = "present",
    id_number: str | None = None,
    deleted: bool = False,
) -> str:
    """A resident (居民) of a household."""
    row = {"household_id": household_id, "name": name, "status": status, "id_number": id_number}
    return _insert(store, "residents", row, deleted)


def insert_membership(
    store: Store, resident_id: str, group: str, since: date, *, deleted: bool = False
) -> str:
    """A resident's membership of a priority group from `since`."""
    row = {"resident_id": resident_id, "group_code": group, "since": since.isoformat()}
    return _insert(store, "memberships", row, deleted)


def insert_visit(
    store: Store,
    household_id: str,
    visit_date: date,
    outcome: str = "met",
    *,
    team_id: str | None = None,
    cadre_ids: Sequence[str] = (),
    follow_up_date: date | None = None,
    notes: str = "",
    deleted: bool = False,
) -> str:
    """A visit to a household on a day, recorded for `team_id`."""
    row = {
        "household_id": household_id,
        "team_id": team_id,
        "visit_date": visit_date.isoformat(),
        "cadre_ids": ";".join(cadre_ids),
        "outcome": outcome,
        "resident_ids": "",
        "needs": "",
        "notes": notes,
        "follow_up_date": follow_up_date.isoformat() if follow_up_date else None,
        "assistance_yuan": None,
    }
    return _insert(store, "visits", row, deleted)


def insert_matter(
    store: Store,
    kind: str,
    occurred_at: datetime,
    *,
    scope: str = "community",
    zone_id: str | None = None,
    household_id: str | None = None,
    attended_at: datetime | None = None,
    attended_by: Sequence[str] = (),
    title: str = "事项",
    deleted: bool = False,
) -> str:
    """A must-attend matter; times must be aware (they are stored in UTC)."""
    row = {
        "kind": kind,
        "title": title,
        "scope": scope,
        "zone_id": zone_id,
        "household_id": household_id,
        "occurred_at": format_stamp(occurred_at),
        "attended_at": format_stamp(attended_at) if attended_at else None,
        "attended_by": ";".join(attended_by),
        "notes": "",
    }
    return _insert(store, "matters", row, deleted)


def insert_zone_team(store: Store, zone: str, team: str, cadres: Sequence[str]) -> tuple[str, str, list[str]]:
    """A zone, its team and the team's (new, active) cadres: (zone id, team id, cadre ids)."""
    zone_id = insert_zone(store, zone)
    cadre_ids = [insert_cadre(store, c) for c in cadres]
    return zone_id, insert_team(store, team, zone_id, cadre_ids), cadre_ids
