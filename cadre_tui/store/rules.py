"""What the scorecard (SPEC §5) and the planner (SPEC §4) need from the database, and saved weekly plans.

Aggregation happens in SQL (per household its latest `met` visit, per resident the memberships in force),
so the pure core gets small inputs even for 11,000 households and 100,000 visits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from cadre_tui.core.planner import (
    URGENT,
    Candidate,
    DayPlan,
    Pinned,
    PlanEntry,
    PlanHousehold,
    TeamPlan,
    candidates,
    plan_json,
    plan_team,
    reference_day,
)
from cadre_tui.core.scorecard import (
    HouseholdFacts,
    MatterFacts,
    PriorityFacts,
    TeamFacts,
    check_as_of,
    default_as_of,
    resident_due,
    team_matters,
)
from cadre_tui.core.scorecard import weekly_scorecard as compute_scorecard
from cadre_tui.core.settings import Rules
from cadre_tui.core.weeks import IsoWeek, week_of, working_days
from cadre_tui.errors import InvalidInput
from cadre_tui.store.db import Store, format_stamp, parse_stamp
from cadre_tui.store.settings import load_rules

# -- loading -------------------------------------------------------------------------------------------


def load_teams(store: Store) -> list[TeamFacts]:
    """Every team (not deleted) as it is now, in code order, with its active members."""
    cadres = {
        cid: code
        for cid, code in store.db.execute("SELECT id, code FROM cadres WHERE active = 1 AND deleted = 0")
    }
    teams = []
    rows = store.db.execute(
        "SELECT t.id, t.code, t.zone_id, z.code, t.member_ids FROM teams t "
        "LEFT JOIN zones z ON z.id = t.zone_id WHERE t.deleted = 0 ORDER BY t.code"
    ).fetchall()
    for tid, code, zone_id, zone_code, member_ids in rows:
        ids = sorted({m for m in (member_ids or "").split(";") if m in cadres}, key=lambda m: cadres[m])
        teams.append(TeamFacts(tid, code, zone_id, zone_code, tuple(cadres[m] for m in ids), frozenset(ids)))
    return teams


def _team(store: Store, team_code: str) -> TeamFacts:
    for team in load_teams(store):
        if team.code == team_code:
            return team
    raise InvalidInput(f"unknown team {team_code}")


def _last_met(store: Store, as_of: date) -> dict[str, str]:
    rows = store.db.execute(
        "SELECT household_id, MAX(visit_date) FROM visits "
        "WHERE outcome = 'met' AND deleted = 0 AND visit_date <= ? GROUP BY household_id",
        [as_of.isoformat()],
    )
    return dict(rows.fetchall())


def load_households(store: Store, as_of: date) -> list[HouseholdFacts]:
    """Active, not deleted households with their latest `met` visit on or before as_of."""
    met = _last_met(store, as_of)
    rows = store.db.execute("SELECT id, zone_id FROM households WHERE active = 1 AND deleted = 0")
    return [HouseholdFacts(hid, zone, _day(met.get(hid))) for hid, zone in rows]


def load_priority(store: Store, as_of: date, household_id: str | None = None) -> list[PriorityFacts]:
    """Present residents (not deleted) of active households with memberships in force on as_of.

    With `household_id`, that household's residents whatever the household's state.
    """
    where = "h.id = ?" if household_id else "h.active = 1 AND h.deleted = 0"
    params: list[Any] = [as_of.isoformat()]
    if household_id:
        params.append(household_id)
    # Driven from memberships: a few thousand rows, where residents are tens of thousands.
    rows = store.db.execute(
        "SELECT m.resident_id, r.household_id, group_concat(m.group_code, ';'), MIN(m.since) "
        "FROM memberships m JOIN residents r ON r.id = m.resident_id "
        "JOIN households h ON h.id = r.household_id "
        f"WHERE m.deleted = 0 AND m.since <= ? AND r.deleted = 0 AND r.status = 'present' AND {where} "
        "GROUP BY m.resident_id",
        params,
    )
    return [
        PriorityFacts(rid, hid, tuple(sorted(set(groups.split(";")))), date.fromisoformat(since))
        for rid, hid, groups, since in rows
    ]


def load_matters(store: Store, first: date, last: date, tz: tzinfo) -> list[MatterFacts]:
    """Not deleted matters that occurred (local date) from `first` to `last`, with the zone they belong to."""
    # A day's margin either side of the UTC bounds; the exact local-date test is the core's.
    low = format_stamp(datetime.combine(first - timedelta(days=1), time(0), tzinfo=tz))
    high = format_stamp(datetime.combine(last + timedelta(days=2), time(0), tzinfo=tz))
    rows = store.db.execute(
        "SELECT m.id, m.kind, m.title, m.scope, m.zone_id, h.zone_id, m.occurred_at, m.attended_at, "
        "m.attended_by FROM matters m LEFT JOIN households h ON h.id = m.household_id "
        "WHERE m.deleted = 0 AND m.occurred_at >= ? AND m.occurred_at < ?",
        [low, high],
    )
    matters = []
    for mid, kind, title, scope, zone_id, household_zone, occurred, attended, attended_by in rows:
        occurred_at = parse_stamp(occurred)
        if not first <= occurred_at.astimezone(tz).date() <= last:
            continue
        matters.append(
            MatterFacts(
                id=mid,
                kind=kind,
                title=title,
                scope=scope,
                zone_id=household_zone if scope == "household" else zone_id,
                occurred_at=occurred_at,
                attended_at=parse_stamp(attended) if attended else None,
                attended_by=frozenset(c for c in (attended_by or "").split(";") if c),
            )
        )
    return matters


def load_visit_days(store: Store, first: date, last: date) -> dict[str, set[date]]:
    """Per team id, the distinct dates from `first` to `last` with a (not deleted) visit recorded for it."""
    rows = store.db.execute(
        "SELECT DISTINCT team_id, visit_date FROM visits "
        "WHERE deleted = 0 AND team_id IS NOT NULL AND visit_date >= ? AND visit_date <= ?",
        [first.isoformat(), last.isoformat()],
    )
    days: dict[str, set[date]] = {}
    for team_id, day in rows:
        days.setdefault(team_id, set()).add(date.fromisoformat(day))
    return days


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# -- the scorecard -------------------------------------------------------------------------------------


def weekly_scorecard(
    store: Store, week: IsoWeek, as_of: date | None = None, today: date | None = None
) -> dict[str, Any]:
    """The JSON object of SPEC §5; InvalidInput when `as_of` is outside the week."""
    community = store.require_community()
    tz = store.tz()
    as_of = as_of or default_as_of(week, today or store.today())
    try:
        check_as_of(week, as_of)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    rules = load_rules(store)
    days, _warning = working_days(week, rules.days_off)
    return compute_scorecard(
        week=week,
        as_of=as_of,
        community=community.name,
        tz=tz,
        working_days=len(days),
        teams=load_teams(store),
        households=load_households(store, as_of),
        priority=load_priority(store, as_of),
        matters=load_matters(store, week.monday, as_of, tz),
        visit_days=load_visit_days(store, week.monday, as_of),
        rules=rules,
    )


def working_days_warning(store: Store, week: IsoWeek) -> str | None:
    """The calendar-fallback warning for `week`, if the official calendar does not cover it."""
    return working_days(week, load_rules(store).days_off)[1]


# -- due dates for the app -----------------------------------------------------------------------------


def _group_order(groups: Iterable[str]) -> list[str]:
    from cadre_tui.core.domain import PRIORITY_GROUPS

    order = [g.code for g in PRIORITY_GROUPS]
    return sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))


def overdue_residents(
    store: Store, as_of: date, team_code: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Priority residents overdue as of `as_of` (most overdue first), of one team's zone or all zones."""
    rules = load_rules(store)
    zone_id = _team(store, team_code).zone_id if team_code else None
    met = _last_met(store, as_of)
    found = []
    for r in load_priority(store, as_of):
        due = resident_due(r, _day(met.get(r.household_id)), rules.cadences)
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
    last_met = _day(row[0] if row else None)
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


def field_days_history(store: Store, team_code: str, weeks: list[IsoWeek]) -> list[int]:
    """For each week, the distinct days with a visit recorded for the team (any outcome, whole week)."""
    team = _team(store, team_code)
    if not weeks:
        return []
    first = min(w.monday for w in weeks)
    last = max(w.sunday for w in weeks)
    days = load_visit_days(store, first, last).get(team.id, set())
    return [sum(1 for d in days if w.contains(d)) for w in weeks]


# -- the planner ---------------------------------------------------------------------------------------


def load_plan_households(store: Store, ref: date) -> dict[str, list[PlanHousehold]]:
    """Per zone id, its active households with what the planner needs as of the reference day."""
    day = ref.isoformat()
    met = _last_met(store, ref)
    latest: dict[str, tuple[str, frozenset[str], str | None]] = {}
    rows = store.db.execute(
        "WITH latest AS (SELECT household_id, MAX(visit_date) AS d FROM visits "
        "  WHERE deleted = 0 AND visit_date <= ? GROUP BY household_id) "
        "SELECT v.household_id, v.visit_date, group_concat(v.outcome, ';'), MIN(v.follow_up_date) "
        "FROM visits v JOIN latest l ON l.household_id = v.household_id AND l.d = v.visit_date "
        "WHERE v.deleted = 0 GROUP BY v.household_id",
        [day],
    )
    for hid, visit_date, outcomes, follow_up in rows:
        latest[hid] = (visit_date, frozenset(outcomes.split(";")), follow_up or None)
    priority: dict[str, list[PriorityFacts]] = {}
    for p in load_priority(store, ref):
        priority.setdefault(p.household_id, []).append(p)
    zones: dict[str, list[PlanHousehold]] = {}
    rows = store.db.execute(
        "SELECT id, household_no, zone_id, estate, building FROM households WHERE active = 1 AND deleted = 0"
    )
    for hid, household_no, zone_id, estate, building in rows:
        visit = latest.get(hid)
        zones.setdefault(zone_id, []).append(
            PlanHousehold(
                id=hid,
                household_no=household_no,
                building=f"{estate or ''}\x1f{building or ''}",
                last_met=_day(met.get(hid)),
                latest_visit=_day(visit[0]) if visit else None,
                latest_outcomes=visit[1] if visit else frozenset(),
                follow_up=_day(visit[2]) if visit else None,
                priority=tuple(priority.get(hid, ())),
            )
        )
    return zones


class _PlanInputs:
    """Everything the planner needs for one week, loaded once for all teams."""

    def __init__(self, store: Store, week: IsoWeek, today: date | None) -> None:
        self.store = store
        self.week = week
        self.tz = store.tz()
        self.rules: Rules = load_rules(store)
        self.ref = reference_day(week.monday, week.sunday, today or store.today())
        self.working_days, self.warning = working_days(week, self.rules.days_off)
        self.households = load_plan_households(store, self.ref)
        self.matters = load_matters(store, week.monday, week.sunday, self.tz)

    def plan(
        self, team: TeamFacts, pinned: dict[str, Pinned] | None = None, excluded: Iterable[str] = ()
    ) -> TeamPlan:
        """The computed plan of `team`, keeping `pinned` and leaving out `excluded`."""
        return plan_team(
            team=team.code,
            zone=team.zone_code,
            ref=self.ref,
            sunday=self.week.sunday,
            working_days=self.working_days,
            warning=self.warning,
            households=self.households.get(team.zone_id or "", []),
            matters=team_matters(self.matters, team, self.week, self.week.sunday, self.tz),
            rules=self.rules,
            pinned=pinned,
            excluded=frozenset(excluded),
        )

    def candidates(self, team: TeamFacts) -> list[Candidate]:
        """The team's households with a reason, in plan order."""
        return candidates(self.households.get(team.zone_id or "", []), self.ref, self.week.sunday, self.rules)


def _teams_for(store: Store, team_code: str | None) -> list[TeamFacts]:
    store.require_community()
    return [_team(store, team_code)] if team_code else load_teams(store)


_PLAN_COLUMNS = (
    "id",
    "day",
    "household_id",
    "position",
    "reason",
    "manual",
    "deleted",
    "updated_at",
    "household_no",
    "estate",
    "building",
)


def _plan_rows(store: Store, team: TeamFacts, week: IsoWeek) -> list[dict[str, Any]]:
    rows = store.db.execute(
        "SELECT p.id, p.day, p.household_id, p.position, p.reason, p.manual, p.deleted, p.updated_at, "
        "h.household_no, h.estate, h.building FROM plans p "
        "JOIN households h ON h.id = p.household_id AND h.deleted = 0 "  # a deleted household drops out
        "WHERE p.team_id = ? AND p.week = ? ORDER BY p.day, p.position, h.household_no, p.id",
        [team.id, str(week)],
    ).fetchall()
    return [dict(zip(_PLAN_COLUMNS, row, strict=True)) for row in rows]


def _live(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Live entries, one per household: two laptops that saved the same week keep the newer entry."""
    newest: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["deleted"]:
            continue
        held = newest.get(row["household_id"])
        if held is None or (row["updated_at"], row["id"]) > (held["updated_at"], held["id"]):
            newest[row["household_id"]] = row
    return [row for row in rows if newest.get(row["household_id"]) is row]


def _is_saved(rows: list[dict[str, Any]]) -> bool:
    return any(not r["deleted"] or r["manual"] for r in rows)


def has_saved_plan(store: Store, team_code: str, week: IsoWeek) -> bool:
    """Whether the team's plan for the week has been saved."""
    return _is_saved(_plan_rows(store, _team(store, team_code), week))


def _pinned(rows: list[dict[str, Any]]) -> dict[str, Pinned]:
    return {
        r["household_id"]: Pinned(
            r["household_no"],
            f"{r['estate'] or ''}\x1f{r['building'] or ''}",
            date.fromisoformat(r["day"]),
            r["position"],
            r["reason"],
        )
        for r in rows
    }


def _saved_view(inputs: _PlanInputs, team: TeamFacts, rows: list[dict[str, Any]]) -> dict[str, Any]:
    live = _live(rows)
    removed = {r["household_id"] for r in rows if r["deleted"] and r["manual"]}
    # The days: those holding entries or removals, and the field days the week needs (even if empty).
    fresh = inputs.plan(team, _pinned(live), removed)
    removed_days = {r["day"] for r in rows if r["deleted"] and r["manual"]}
    days = sorted({r["day"] for r in live} | removed_days | {d.day.isoformat() for d in fresh.days})
    planned = {r["household_id"] for r in live}
    not_planned = tuple(
        PlanEntry(c.household_id, c.household_no, c.reason)
        for c in inputs.candidates(team)
        if c.reason in URGENT and c.household_id not in planned
    )
    plan = TeamPlan(
        team=fresh.team,
        zone=fresh.zone,
        working_days=fresh.working_days,
        required_field_days=fresh.required_field_days,
        warning=fresh.warning,
        days=tuple(
            DayPlan(
                date.fromisoformat(d),
                tuple(
                    PlanEntry(r["household_id"], r["household_no"], r["reason"])
                    for r in live
                    if r["day"] == d
                ),
            )
            for d in days
        ),
        not_planned=not_planned,
        matters=fresh.matters,
    )
    ids = {(date.fromisoformat(r["day"]), r["household_id"]): r["id"] for r in live}
    return plan_json(plan, inputs.tz, ids)


def weekly_plan(
    store: Store, week: IsoWeek, team_code: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """The JSON object of SPEC §4; a saved plan as saved, its entries carrying `entry_id`."""
    return _view(store, _PlanInputs(store, week, today), _teams_for(store, team_code))


def _view(store: Store, inputs: _PlanInputs, teams: list[TeamFacts]) -> dict[str, Any]:
    week = inputs.week
    plans = []
    for team in teams:
        rows = _plan_rows(store, team, week)
        if _is_saved(rows):
            plans.append(_saved_view(inputs, team, rows))
        else:
            plans.append(plan_json(inputs.plan(team), inputs.tz))
    return {"week": str(week), "plans": plans}


def _insert_entries(store: Store, team: TeamFacts, week: IsoWeek, plan: TeamPlan, skip: set[str]) -> None:
    for day_plan in plan.days:
        for position, entry in enumerate(day_plan.entries):
            if entry.household_id in skip:
                continue
            store.db.execute(
                "INSERT INTO plans (id, team_id, week, day, household_id, position, reason, manual, "
                "updated_at, origin, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0)",
                [
                    str(uuid.uuid4()),
                    team.id,
                    str(week),
                    day_plan.day.isoformat(),
                    entry.household_id,
                    position,
                    entry.reason,
                    store.stamp(),
                    store.device_id,
                ],
            )


def _touch(store: Store, entry_id: str, **changes: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.db.execute(
        f"UPDATE plans SET {sets}, updated_at = ?, origin = ? WHERE id = ?",
        [*changes.values(), store.stamp(), store.device_id, entry_id],
    )


def save_plan(store: Store, week: IsoWeek, team_code: str | None = None, today: date | None = None) -> None:
    """Store the computed plan of each team (or the one) that has no saved plan for the week yet."""
    teams = _teams_for(store, team_code)
    _save(store, _PlanInputs(store, week, today), teams)


def _save(store: Store, inputs: _PlanInputs, teams: list[TeamFacts]) -> None:
    week = inputs.week
    with store.transaction():
        for team in teams:
            if not _is_saved(_plan_rows(store, team, week)):
                _insert_entries(store, team, week, inputs.plan(team), set())


def regenerate_plan(
    store: Store, week: IsoWeek, team_code: str | None = None, today: date | None = None
) -> None:
    """Recompute and store each team's plan, keeping the cadres' manual moves, additions and removals."""
    teams = _teams_for(store, team_code)
    _regenerate(store, _PlanInputs(store, week, today), teams)


def _regenerate(store: Store, inputs: _PlanInputs, teams: list[TeamFacts]) -> None:
    week = inputs.week
    with store.transaction():
        for team in teams:
            rows = _plan_rows(store, team, week)
            live = _live(rows)
            manual = [r for r in live if r["manual"]]
            pinned = _pinned(manual)
            removed = {r["household_id"] for r in rows if r["deleted"] and r["manual"]} - set(pinned)
            plan = inputs.plan(team, pinned, removed)
            for r in rows:
                if not r["deleted"] and not r["manual"]:
                    _touch(store, r["id"], deleted=1)
            by_household = {r["household_id"]: r for r in manual}
            for day_plan in plan.days:
                for position, entry in enumerate(day_plan.entries):
                    kept = by_household.get(entry.household_id)
                    if kept is not None and kept["position"] != position:
                        _touch(store, kept["id"], position=position)
            _insert_entries(store, team, week, plan, set(pinned))


def reset_plan(store: Store, week: IsoWeek, team_code: str | None = None, today: date | None = None) -> None:
    """Drop the saved plan and the cadres' changes to it, and store a freshly computed one."""
    teams = _teams_for(store, team_code)
    _reset(store, _PlanInputs(store, week, today), teams)


def _reset(store: Store, inputs: _PlanInputs, teams: list[TeamFacts]) -> None:
    week = inputs.week
    with store.transaction():
        for team in teams:
            for r in _plan_rows(store, team, week):
                if not r["deleted"]:
                    _touch(store, r["id"], deleted=1, manual=0)
                elif r["manual"]:
                    _touch(store, r["id"], manual=0)
            _insert_entries(store, team, week, inputs.plan(team), set())


PLAN_ACTIONS = ("save", "regenerate", "reset")


def plan_with_action(
    store: Store, week: IsoWeek, action: str | None, team_code: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """Save, regenerate or reset (or none of them), then the plan as `weekly_plan` gives it; loads once."""
    teams = _teams_for(store, team_code)
    inputs = _PlanInputs(store, week, today)
    if action == "save":
        _save(store, inputs, teams)
    elif action == "regenerate":
        _regenerate(store, inputs, teams)
    elif action == "reset":
        _reset(store, inputs, teams)
    elif action is not None:
        raise ValueError(f"unknown plan action {action!r} (one of {', '.join(PLAN_ACTIONS)})")
    return _view(store, inputs, teams)


def _entry(store: Store, entry_id: str) -> dict[str, Any]:
    row = store.db.execute(
        "SELECT id, team_id, week, day, household_id, position FROM plans WHERE id = ? AND deleted = 0",
        [entry_id],
    ).fetchone()
    if row is None:
        raise InvalidInput(f"unknown plan entry {entry_id}")
    return dict(zip(("id", "team_id", "week", "day", "household_id", "position"), row, strict=True))


def _week_of_text(text: str) -> IsoWeek:
    year, week = text.split("-W")
    return IsoWeek(int(year), int(week))


def _check_day(week: IsoWeek, day: date) -> None:
    if not week.contains(day):
        raise InvalidInput(f"{day.isoformat()} is not inside {week}")


def _next_position(store: Store, team_id: str, week: str, day: str) -> int:
    row = store.db.execute(
        "SELECT MAX(position) FROM plans WHERE team_id = ? AND week = ? AND day = ? AND deleted = 0",
        [team_id, week, day],
    ).fetchone()
    return 0 if row is None or row[0] is None else row[0] + 1


def move_plan_entry(store: Store, entry_id: str, day: date) -> None:
    """Move a saved entry to another day of its week (last on that day); `--regenerate` keeps the move."""
    with store.transaction():
        entry = _entry(store, entry_id)
        _check_day(_week_of_text(entry["week"]), day)
        if entry["day"] == day.isoformat():
            _touch(store, entry_id, manual=1)
            return
        position = _next_position(store, entry["team_id"], entry["week"], day.isoformat())
        _touch(store, entry_id, day=day.isoformat(), position=position, manual=1)


def add_plan_entry(store: Store, team_code: str, week: IsoWeek, day: date, household_id: str) -> str:
    """Add a household to the team's saved plan (saving the plan first if needed); returns the entry id."""
    _check_day(week, day)
    team = _team(store, team_code)
    row = store.db.execute(
        "SELECT id FROM households WHERE id = ? AND deleted = 0", [household_id]
    ).fetchone()
    if row is None:
        raise InvalidInput(f"unknown household {household_id}")
    inputs = _PlanInputs(store, week, None)
    with store.transaction():
        rows = _plan_rows(store, team, week)
        if not _is_saved(rows):
            _insert_entries(store, team, week, inputs.plan(team), set())
            rows = _plan_rows(store, team, week)
        for r in _live(rows):
            if r["household_id"] == household_id:
                raise InvalidInput(f"household {r['household_no']} is already planned on {r['day']}")
        reason = next((c.reason for c in inputs.candidates(team) if c.household_id == household_id), "manual")
        entry_id = str(uuid.uuid4())
        store.db.execute(
            "INSERT INTO plans (id, team_id, week, day, household_id, position, reason, manual, updated_at, "
            "origin, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 0)",
            [
                entry_id,
                team.id,
                str(week),
                day.isoformat(),
                household_id,
                _next_position(store, team.id, str(week), day.isoformat()),
                reason,
                store.stamp(),
                store.device_id,
            ],
        )
    return entry_id


def remove_plan_entry(store: Store, entry_id: str) -> None:
    """Remove a saved entry (a manual tombstone, which `--regenerate` respects)."""
    with store.transaction():
        _entry(store, entry_id)
        _touch(store, entry_id, deleted=1, manual=1)


def reorder_plan_entry(store: Store, entry_id: str, position: int) -> None:
    """Put a saved entry at `position` (from 0, clamped) among the entries of its day; renumbers the day."""
    with store.transaction():
        entry = _entry(store, entry_id)
        ids = [
            r[0]
            for r in store.db.execute(
                "SELECT p.id FROM plans p JOIN households h ON h.id = p.household_id "
                "WHERE p.team_id = ? AND p.week = ? AND p.day = ? AND p.deleted = 0 "
                "ORDER BY p.position, h.household_no, p.id",
                [entry["team_id"], entry["week"], entry["day"]],
            )
        ]
        ids.remove(entry_id)
        ids.insert(max(0, min(position, len(ids))), entry_id)
        current = dict(
            store.db.execute(
                f"SELECT id, position FROM plans WHERE id IN ({', '.join('?' for _ in ids)})", ids
            ).fetchall()
        )
        for new_position, pid in enumerate(ids):
            if pid == entry_id:
                _touch(store, pid, position=new_position, manual=1)
            elif current[pid] != new_position:
                _touch(store, pid, position=new_position)
