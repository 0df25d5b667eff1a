"""What the scorecard (SPEC §5) and the planner (SPEC §4) read from the database, and the scorecard.

Aggregation happens in SQL (per household its latest `met` visit, per resident the memberships in force),
so the pure core gets small inputs even for 11,000 households and 100,000 visits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from cadre_tui.core.scorecard import (
    HouseholdFacts,
    MatterFacts,
    PriorityFacts,
    TeamFacts,
    check_as_of,
    default_as_of,
)
from cadre_tui.core.scorecard import weekly_scorecard as compute_scorecard
from cadre_tui.core.values import split_list
from cadre_tui.core.weeks import IsoWeek, working_days
from cadre_tui.errors import InvalidInput
from cadre_tui.store.db import Store, format_stamp, parse_stamp
from cadre_tui.store.settings import load_rules

if TYPE_CHECKING:
    from cadre_tui.core.planner import PlanHousehold

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
        ids = sorted({m for m in split_list(member_ids) if m in cadres}, key=lambda m: cadres[m])
        teams.append(TeamFacts(tid, code, zone_id, zone_code, tuple(cadres[m] for m in ids), frozenset(ids)))
    return teams


def team_by_code(store: Store, team_code: str) -> TeamFacts:
    """The team (not deleted) with this code; InvalidInput when there is none."""
    for team in load_teams(store):
        if team.code == team_code:
            return team
    raise InvalidInput.of("facts.unknown_team", team=team_code)


# The latest `met` visit of the household `h.id` on or before the first parameter. One index seek per
# household (the minimum/maximum optimisation on visits(household_id, visit_date)): 2-3x faster than
# grouping every `met` visit of the community, and a few seeks when only some households are asked for.
_LAST_MET = (
    "(SELECT MAX(v.visit_date) FROM visits v WHERE v.household_id = h.id AND v.outcome = 'met' "
    "AND v.deleted = 0 AND v.visit_date <= ?)"
)


def last_met(store: Store, as_of: date, household_ids: Iterable[str]) -> dict[str, str]:
    """Per household of `household_ids`, its latest `met` visit on or before as_of; households never met
    are left out. (Queries over all active households select `_LAST_MET` beside their own columns.)"""
    rows = store.db.execute(
        f"SELECT h.id, {_LAST_MET} AS met FROM (SELECT value AS id FROM json_each(?)) h",
        [as_of.isoformat(), json.dumps(sorted(set(household_ids)))],
    )
    return {hid: met for hid, met in rows if met is not None}


def load_households(store: Store, as_of: date) -> list[HouseholdFacts]:
    """Active, not deleted households with their latest `met` visit on or before as_of."""
    rows = store.db.execute(
        f"SELECT h.id, h.zone_id, {_LAST_MET} FROM households h WHERE h.active = 1 AND h.deleted = 0",
        [as_of.isoformat()],
    )
    return [HouseholdFacts(hid, zone, day_or_none(met)) for hid, zone, met in rows]


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
                attended_by=frozenset(split_list(attended_by)),
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


def load_plan_households(store: Store, ref: date) -> dict[str, list[PlanHousehold]]:
    """Per zone id, its active households with what the planner needs as of the reference day."""
    from cadre_tui.core.planner import PlanHousehold  # not at the top: `report` has no use for the planner

    day = ref.isoformat()
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
        f"SELECT h.id, h.household_no, h.zone_id, h.estate, h.building, {_LAST_MET} FROM households h "
        "WHERE h.active = 1 AND h.deleted = 0",
        [day],
    )
    for hid, household_no, zone_id, estate, building, met in rows:
        visit = latest.get(hid)
        zones.setdefault(zone_id, []).append(
            PlanHousehold(
                id=hid,
                household_no=household_no,
                building=f"{estate or ''}\x1f{building or ''}",
                last_met=day_or_none(met),
                latest_visit=day_or_none(visit[0]) if visit else None,
                latest_outcomes=visit[1] if visit else frozenset(),
                follow_up=day_or_none(visit[2]) if visit else None,
                priority=tuple(priority.get(hid, ())),
            )
        )
    return zones


def day_or_none(text: str | None) -> date | None:
    """The date of a `YYYY-MM-DD` cell, None for an empty one."""
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
        raise InvalidInput(exc) from None
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


def field_days_history(store: Store, team_code: str, weeks: list[IsoWeek]) -> list[int]:
    """For each week, the distinct days with a visit recorded for the team (any outcome, whole week)."""
    team = team_by_code(store, team_code)
    if not weeks:
        return []
    first = min(w.monday for w in weeks)
    last = max(w.sunday for w in weeks)
    days = load_visit_days(store, first, last).get(team.id, set())
    return [sum(1 for d in days if w.contains(d)) for w in weeks]
