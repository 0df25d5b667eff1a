"""Insert zones, cadres, teams, households, residents, memberships, visits, matters straight into a Store.

For tests only: no validation beyond the database's own, so a test can set up exactly the edge it needs
(a deleted row, a visit recorded with another team's code, an attendance after as_of). Every function
returns the new row's id; ids are random UUIDs unless given.

One `insert` does the work, driven by `DEFAULTS`: a test names the columns its case is about and the
table's defaults fill the rest. Values are stored as the store keeps them: a date as `YYYY-MM-DD`, an
aware time as UTC (`format_stamp`), a list or tuple `;`-joined, a bool as 0/1.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from cadre_tui.store.db import Store, format_stamp

# Per table, the columns a test may leave out and what they then hold.
DEFAULTS: dict[str, dict[str, Any]] = {
    "zones": {},
    "cadres": {"phone": None, "active": True},
    "teams": {"member_ids": ()},
    "households": {"estate": "幸福小区", "building": "1", "unit": "1", "room": "101", "active": True},
    "residents": {"status": "present", "id_number": None},
    "memberships": {},
    "visits": {
        "outcome": "met",
        "team_id": None,
        "cadre_ids": (),
        "resident_ids": (),
        "needs": (),
        "notes": "",
        "follow_up_date": None,
        "assistance_yuan": None,
    },
    "matters": {
        "scope": "community",
        "zone_id": None,
        "household_id": None,
        "attended_at": None,
        "attended_by": (),
        "title": "事项",
        "notes": "",
    },
}


def _stored(value: Any) -> Any:
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return format_stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(value)
    if isinstance(value, bool):
        return int(value)
    return value


def insert(store: Store, table: str, *, deleted: bool = False, **columns: Any) -> str:
    """A row of `table`: the given columns over the table's `DEFAULTS`, with this laptop's sync columns."""
    row = {k: _stored(v) for k, v in {**DEFAULTS[table], **columns}.items()}
    row_id = row.get("id") or str(uuid.uuid4())
    with store.transaction():
        sync = store.sync_columns()
        sync["deleted"] = int(deleted)
        store.db.table(table).insert({**row, "id": row_id, **sync})
    return row_id


def insert_zone(store: Store, code: str, name: str | None = None, **columns: Any) -> str:
    """A zone (片区)."""
    return insert(store, "zones", code=code, name=name or code, **columns)


def insert_cadre(store: Store, code: str, name: str | None = None, **columns: Any) -> str:
    """A cadre (干部); `active=False` for one who left."""
    return insert(store, "cadres", code=code, name=name or code, **columns)


def insert_team(
    store: Store, code: str, zone_id: str | None, member_ids: Sequence[str] = (), **columns: Any
) -> str:
    """A team owning `zone_id`, with these cadre ids as members."""
    return insert(store, "teams", code=code, name=code, zone_id=zone_id, member_ids=member_ids, **columns)


def insert_household(store: Store, household_no: str, zone_id: str, **columns: Any) -> str:
    """A household (户) of a zone; `estate`, `building`, `unit`, `room`, `active` as the case needs."""
    return insert(store, "households", household_no=household_no, zone_id=zone_id, **columns)


def insert_resident(store: Store, household_id: str, name: str, **columns: Any) -> str:
    """A resident (居民) of a household; `status`, `id_number` as the case needs."""
    return insert(store, "residents", household_id=household_id, name=name, **columns)


def insert_membership(store: Store, resident_id: str, group: str, since: date, **columns: Any) -> str:
    """A resident's membership of a priority group from `since`."""
    return insert(store, "memberships", resident_id=resident_id, group_code=group, since=since, **columns)


def insert_visit(
    store: Store, household_id: str, visit_date: date, outcome: str = "met", **columns: Any
) -> str:
    """A visit to a household on a day; `team_id`, `cadre_ids`, `follow_up_date`, `notes` as needed."""
    return insert(
        store, "visits", household_id=household_id, visit_date=visit_date, outcome=outcome, **columns
    )


def insert_matter(store: Store, kind: str, occurred_at: datetime, **columns: Any) -> str:
    """A must-attend matter; times must be aware (they are stored in UTC)."""
    return insert(store, "matters", kind=kind, occurred_at=occurred_at, **columns)


def insert_zone_team(store: Store, zone: str, team: str, cadres: Sequence[str]) -> tuple[str, str, list[str]]:
    """A zone, its team and the team's (new, active) cadres: (zone id, team id, cadre ids)."""
    zone_id = insert_zone(store, zone)
    cadre_ids = [insert_cadre(store, c) for c in cadres]
    return zone_id, insert_team(store, team, zone_id, cadre_ids), cadre_ids


def row_by_id(store: Store, table: str, row_id: str) -> dict[str, Any]:
    """The row with this id, every column. (sqlite-utils' `get` takes visits' key to be the rowid: their id
    is kept unique by an index, not a PRIMARY KEY, since migration 0004.)"""
    cursor = store.db.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None, f"no {table} row {row_id}"
    return dict(zip(names, row, strict=True))
