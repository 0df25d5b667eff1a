"""Due dates of priority residents for the app: who is overdue, and a household's residents' next visits.

A priority resident is due `cadence` days after the household's latest `met` visit (or after joining the
group, if never met since), as the scorecard counts it (SPEC §5).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from cadre_tui.core.domain import PRIORITY_GROUPS
from cadre_tui.core.scorecard import resident_due
from cadre_tui.core.weeks import week_of
from cadre_tui.store.db import Store
from cadre_tui.store.facts import day_or_none, last_met, load_priority, team_by_code
from cadre_tui.store.settings import load_rules


def _group_order(groups: Iterable[str]) -> list[str]:
    order = [g.code for g in PRIORITY_GROUPS]
    return sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))


def overdue_residents(
    store: Store, as_of: date, team_code: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Priority residents overdue as of `as_of` (most overdue first), of one team's zone or all zones."""
    rules = load_rules(store)
    zone_id = team_by_code(store, team_code).zone_id if team_code else None
    priority = load_priority(store, as_of)
    met = last_met(store, as_of, {r.household_id for r in priority})
    found = []
    for r in priority:
        due = resident_due(r, day_or_none(met.get(r.household_id)), rules.cadences)
        if due is not None and due < as_of:
            found.append((due, r))
    if not found:
        return []
    info = _resident_info(store, [r.resident_id for _due, r in found])
    rows = []
    for due, r in found:
        name, household_no, zone, zone_code, team = info[r.resident_id]
        if zone_id is not None and zone != zone_id:
            continue
        rows.append(
            {
                "resident_id": r.resident_id,
                "name": name,
                "household_no": household_no,
                "zone": zone_code,
                "team": team,
                "groups": _group_order(r.groups),
                "due_date": due.isoformat(),
                "days_overdue": (as_of - due).days,
            }
        )
    rows.sort(key=lambda row: (row["due_date"], row["household_no"], row["name"], row["resident_id"]))
    return rows[:limit]


def _resident_info(store: Store, resident_ids: list[str]) -> dict[str, tuple[str, str, str, str, str | None]]:
    info: dict[str, tuple[str, str, str, str, str | None]] = {}
    for start in range(0, len(resident_ids), 500):
        chunk = resident_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = store.db.execute(
            "SELECT r.id, r.name, h.household_no, h.zone_id, z.code, "
            "(SELECT t.code FROM teams t WHERE t.zone_id = h.zone_id AND t.deleted = 0 "
            "  ORDER BY t.code LIMIT 1) "
            "FROM residents r JOIN households h ON h.id = r.household_id "
            "LEFT JOIN zones z ON z.id = h.zone_id "
            f"WHERE r.id IN ({marks})",
            chunk,
        )
        for rid, name, household_no, zone_id, zone_code, team in rows:
            info[rid] = (name, household_no, zone_id, zone_code, team)
    return info


def household_due(store: Store, household_id: str, as_of: date) -> list[dict[str, Any]]:
    """Per priority resident of the household: groups, due date and status (overdue, due this week, ok).

    `due` means the due date falls from as_of to the Sunday of as_of's week, as the planner counts it.
    """
    rules = load_rules(store)
    row = store.db.execute(
        "SELECT MAX(visit_date) FROM visits WHERE household_id = ? AND outcome = 'met' AND deleted = 0 "
        "AND visit_date <= ?",
        [household_id, as_of.isoformat()],
    ).fetchone()
    last_met = day_or_none(row[0] if row else None)
    sunday = week_of(as_of).sunday
    names = dict(
        store.db.execute("SELECT id, name FROM residents WHERE household_id = ?", [household_id]).fetchall()
    )
    out = []
    for r in load_priority(store, as_of, household_id):
        due = resident_due(r, last_met, rules.cadences)
        if due is None:
            continue
        status = "overdue" if due < as_of else "due" if due <= sunday else "ok"
        out.append(
            {
                "resident_id": r.resident_id,
                "name": names.get(r.resident_id, ""),
                "groups": _group_order(r.groups),
                "due_date": due.isoformat(),
                "status": status,
            }
        )
    out.sort(key=lambda d: (d["due_date"], d["name"], d["resident_id"]))
    return out
