"""Read queries the app's screens need: teams and cadres, zones, a household in full, its visits.

Typed rows out (frozen dataclasses, as the planner's results are), never widgets and never a
`dict[str, Any]`: the screens call these in a worker thread and read named fields. The matters log is
in `store/matter_views.py`, the week's views (the dashboard and the plan) in `store/week_views.py`,
the Settings screen's values in `store/settings.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cadre_tui.core.values import split_list
from cadre_tui.store.db import Store
from cadre_tui.store.search import address_of

# How many visits the household pane lists: a screenful is plenty, the rest is in the office log.
VISIT_HISTORY_LIMIT = 30


def dict_rows(store: Store, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """The rows of a query as dictionaries, for the store's views to build their dataclasses from."""
    cursor = store.db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# -- teams and cadres ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """A team: its zone and its members (cadre ids)."""

    id: str
    code: str
    name: str
    zone_id: str | None
    zone_code: str | None
    member_ids: tuple[str, ...]


@dataclass(frozen=True)
class Cadre:
    """A cadre as the forms offer them."""

    id: str
    code: str
    name: str
    active: bool


@dataclass(frozen=True)
class Zone:
    """A zone as the matter form offers it."""

    id: str
    code: str
    name: str


def zones(store: Store) -> list[Zone]:
    """Zones in code order."""
    return [
        Zone(**row)
        for row in dict_rows(store, "SELECT id, code, name FROM zones WHERE deleted = 0 ORDER BY code")
    ]


def teams(store: Store) -> list[Team]:
    """Every team in code order."""
    rows = dict_rows(
        store,
        "SELECT t.id, t.code, t.name, t.zone_id, z.code AS zone_code, t.member_ids FROM teams t "
        "LEFT JOIN zones z ON z.id = t.zone_id WHERE t.deleted = 0 ORDER BY t.code",
    )
    return [Team(**{**row, "member_ids": tuple(split_list(row["member_ids"]))}) for row in rows]


def cadres(store: Store, active_only: bool = True) -> list[Cadre]:
    """Cadres in code order."""
    where = "deleted = 0" + (" AND active = 1" if active_only else "")
    rows = dict_rows(store, f"SELECT id, code, name, active FROM cadres WHERE {where} ORDER BY code")
    return [Cadre(**{**row, "active": bool(row["active"])}) for row in rows]


def cadre_codes(store: Store, cadre_ids: list[str] | tuple[str, ...]) -> list[str]:
    """The codes of these cadre ids, in the given order (an unknown id shows as itself)."""
    if not cadre_ids:
        return []
    marks = ", ".join("?" for _ in cadre_ids)
    known = dict(
        store.db.execute(f"SELECT id, code FROM cadres WHERE id IN ({marks})", list(cadre_ids)).fetchall()
    )
    return [known.get(cid, cid) for cid in cadre_ids]


def my_team(store: Store) -> Team | None:
    """The team of the `me` cadre of this laptop, or None when `me` is unset or in no team."""
    me = store.get_setting("me")
    if not me:
        return None
    row = store.db.execute("SELECT id FROM cadres WHERE code = ? AND deleted = 0", [me]).fetchone()
    if row is None:
        return None
    return next((t for t in teams(store) if row[0] in t.member_ids), None)


def team_of_household(store: Store, household_id: str) -> Team | None:
    """The team owning the household's zone."""
    row = store.db.execute("SELECT zone_id FROM households WHERE id = ?", [household_id]).fetchone()
    if row is None:
        return None
    return next((t for t in teams(store) if t.zone_id == row[0]), None)


def visit_team(store: Store, household_id: str) -> Team | None:
    """The team a new visit defaults to: the `me` cadre's, else the household zone's."""
    return my_team(store) or team_of_household(store, household_id)


# -- households -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Household:
    """A household as the screens name it: number, address, whether active, zone and team."""

    id: str
    household_no: str
    address: str
    active: bool
    zone_id: str | None = None
    zone_code: str = ""
    team_code: str = ""


@dataclass(frozen=True)
class Resident:
    """A resident of a household (phone and ID number as stored: the screen masks them)."""

    id: str
    name: str
    relation: str | None
    status: str
    phone: str | None = None
    id_number: str | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class DueItem:
    """When a priority resident of the household is next due, and whether that is overdue or near."""

    resident_id: str
    name: str
    groups: tuple[str, ...]
    due_date: str
    status: str  # overdue, due (this week) or ok


@dataclass(frozen=True)
class Visit:
    """A visit with its list columns split and its team's and cadres' codes."""

    id: str
    visit_date: str
    outcome: str
    team_id: str | None
    team_code: str
    cadre_ids: tuple[str, ...]
    cadres: tuple[str, ...]
    resident_ids: tuple[str, ...]
    needs: tuple[str, ...]
    notes: str
    follow_up_date: str | None
    assistance_yuan: str | None


@dataclass(frozen=True)
class ResidentSecret:
    """A resident's full ID number and phone (the caller writes the reveal to the audit log)."""

    id: str
    name: str
    id_number: str | None
    phone: str | None


@dataclass(frozen=True)
class HouseholdDetail:
    """A household with its residents (and their groups), its due status and its latest visits."""

    household: Household
    residents: tuple[Resident, ...]
    due: tuple[DueItem, ...]
    visits: tuple[Visit, ...]


def _household(row: dict[str, Any], team_code: str = "") -> Household:
    return Household(
        id=row["id"],
        household_no=row["household_no"],
        address=address_of(row),
        active=bool(row["active"]),
        zone_id=row.get("zone_id"),
        zone_code=row.get("zone_code") or "",
        team_code=team_code,
    )


_HOUSEHOLD_COLUMNS = (
    "SELECT h.id, h.household_no, h.estate, h.building, h.unit, h.room, h.active, h.zone_id, "
    "z.code AS zone_code FROM households h LEFT JOIN zones z ON z.id = h.zone_id "
)


def household_detail(store: Store, household_id: str, as_of: date) -> HouseholdDetail | None:
    """Everything the household pane shows; None when the household does not exist or is deleted."""
    found = dict_rows(store, _HOUSEHOLD_COLUMNS + "WHERE h.id = ? AND h.deleted = 0", [household_id])
    if not found:
        return None
    team = team_of_household(store, household_id)
    household = _household(found[0], team.code if team else "")
    residents = dict_rows(
        store,
        "SELECT id, name, id_number, phone, relation, status FROM residents "
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
    return HouseholdDetail(
        household=household,
        residents=tuple(Resident(**r, groups=tuple(groups.get(r["id"], []))) for r in residents),
        due=_household_due(store, household_id, as_of),
        visits=tuple(visit_history(store, household_id)),
    )


def _household_due(store: Store, household_id: str, as_of: date) -> tuple[DueItem, ...]:
    from cadre_tui.store.due import household_due

    return tuple(
        DueItem(d["resident_id"], d["name"], tuple(d["groups"]), d["due_date"], d["status"])
        for d in household_due(store, household_id, as_of)
    )


def _visit(store: Store, row: dict[str, Any], codes: dict[str, str] | None = None) -> Visit:
    """`codes` (cadre id -> code) when the caller looked up the codes of many visits at once."""
    cadre_ids = tuple(split_list(row["cadre_ids"]))
    return Visit(
        id=row["id"],
        visit_date=row["visit_date"],
        outcome=row["outcome"],
        team_id=row["team_id"],
        team_code=row["team_code"] or "",
        cadre_ids=cadre_ids,
        cadres=tuple(
            cadre_codes(store, cadre_ids) if codes is None else [codes.get(cid, cid) for cid in cadre_ids]
        ),
        resident_ids=tuple(split_list(row["resident_ids"])),
        needs=tuple(split_list(row["needs"])),
        notes=row["notes"] or "",
        follow_up_date=row["follow_up_date"],
        assistance_yuan=row["assistance_yuan"],
    )


_VISIT_COLUMNS = (
    "SELECT v.id, v.visit_date, v.outcome, v.cadre_ids, v.resident_ids, v.needs, v.notes, "
    "v.follow_up_date, v.assistance_yuan, v.team_id, t.code AS team_code FROM visits v "
    "LEFT JOIN teams t ON t.id = v.team_id "
)


def visit_history(store: Store, household_id: str, limit: int = VISIT_HISTORY_LIMIT) -> list[Visit]:
    """The household's visits, latest first, with team and cadre codes."""
    rows = dict_rows(
        store,
        _VISIT_COLUMNS + "WHERE v.household_id = ? AND v.deleted = 0 "
        "ORDER BY v.visit_date DESC, v.updated_at DESC LIMIT ?",
        [household_id, limit],
    )
    # One look-up of the cadres' codes for the whole list, not one per visit.
    cadre_ids = list(dict.fromkeys(cid for row in rows for cid in split_list(row["cadre_ids"])))
    codes = dict(zip(cadre_ids, cadre_codes(store, cadre_ids), strict=True))
    return [_visit(store, row, codes) for row in rows]


def visit(store: Store, visit_id: str) -> Visit | None:
    """One visit (not deleted), for the edit form."""
    found = dict_rows(store, _VISIT_COLUMNS + "WHERE v.id = ? AND v.deleted = 0", [visit_id])
    return _visit(store, found[0]) if found else None


def household_residents(store: Store, household_id: str) -> list[Resident]:
    """Residents present in the household (for "residents met"), head first."""
    rows = dict_rows(
        store,
        "SELECT id, name, relation, status FROM residents "
        "WHERE household_id = ? AND deleted = 0 AND status = 'present' "
        "ORDER BY CASE WHEN relation = '户主' THEN 0 ELSE 1 END, name",
        [household_id],
    )
    return [Resident(**row) for row in rows]


def residents_met(store: Store, household_id: str, resident_ids: tuple[str, ...]) -> list[Resident]:
    """Residents of the household among `resident_ids`, whatever their status now (moved out, deceased)."""
    if not resident_ids:
        return []
    marks = ", ".join("?" for _ in resident_ids)
    rows = dict_rows(
        store,
        f"SELECT id, name, relation, status FROM residents "
        f"WHERE household_id = ? AND deleted = 0 AND id IN ({marks}) ORDER BY name",
        [household_id, *resident_ids],
    )
    return [Resident(**row) for row in rows]


def household_brief(store: Store, household_id: str) -> Household | None:
    """A household's number, address, active flag and zone (for form titles)."""
    found = dict_rows(store, _HOUSEHOLD_COLUMNS + "WHERE h.id = ? AND h.deleted = 0", [household_id])
    return _household(found[0]) if found else None


def household_ids(store: Store, household_nos: list[str]) -> dict[str, str]:
    """household_no -> id for the given numbers (deleted households left out)."""
    return {no: h.id for no, h in households_brief(store, household_nos).items()}


def households_brief(store: Store, household_nos: list[str]) -> dict[str, Household]:
    """household_no -> the household, for the given numbers (deleted households left out)."""
    found: dict[str, Household] = {}
    # chunks stay under SQLite's limit on bound parameters
    for start in range(0, len(household_nos), 500):
        chunk = household_nos[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in dict_rows(
            store, _HOUSEHOLD_COLUMNS + f"WHERE h.deleted = 0 AND h.household_no IN ({marks})", chunk
        ):
            found[row["household_no"]] = _household(row)
    return found


def resident_secret(store: Store, resident_id: str) -> ResidentSecret | None:
    """The full ID number and phone of a resident (the caller writes the reveal to the audit log)."""
    found = dict_rows(store, "SELECT id, name, id_number, phone FROM residents WHERE id = ?", [resident_id])
    return ResidentSecret(**found[0]) if found else None
