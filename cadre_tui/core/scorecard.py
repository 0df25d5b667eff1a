"""The 23766 scorecard of SPEC §5, per team, over plain pre-aggregated data and an `as_of` day. Pure.

The store gathers small inputs (per household its latest `met` visit, per priority resident the groups and
earliest `since` of their memberships in force, the week's visit days per team, the week's matters) and
these functions apply the definitions exactly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from cadre_tui.core.settings import Rules
from cadre_tui.core.weeks import IsoWeek
from cadre_tui.messages import Problem


@dataclass(frozen=True)
class TeamFacts:
    """A team as it is now: its zone and its active members (codes in code order, and their ids)."""

    id: str
    code: str
    zone_id: str | None
    zone_code: str | None
    members: tuple[str, ...]
    member_ids: frozenset[str]


class HouseholdFacts(NamedTuple):
    """An active, not deleted household and the date of its latest `met` visit on or before as_of.

    A named tuple, not a dataclass, like the other records made once per household or resident: 11,000
    frozen dataclasses cost ~30 ms to build, named tuples a sixth of it (the report and plan read all).
    """

    id: str
    zone_id: str
    last_met: date | None


class PriorityFacts(NamedTuple):
    """A present resident with memberships in force (not deleted, since ≤ as_of)."""

    resident_id: str
    household_id: str
    groups: tuple[str, ...]
    earliest_since: date


@dataclass(frozen=True)
class MatterFacts:
    """A must-attend matter; `zone_id` is the zone it belongs to (None for a community-wide one)."""

    id: str
    kind: str
    title: str
    scope: str
    zone_id: str | None
    occurred_at: datetime
    attended_at: datetime | None
    attended_by: frozenset[str]


def default_as_of(week: IsoWeek, today: date) -> date:
    """The week's Sunday, or today when today falls inside the week."""
    return today if week.contains(today) else week.sunday


def check_as_of(week: IsoWeek, as_of: date) -> None:
    """ValueError unless `as_of` lies inside `week`."""
    if not week.contains(as_of):
        raise Problem(
            "scorecard.as_of_outside",
            as_of=as_of.isoformat(),
            week=week,
            monday=week.monday.isoformat(),
            sunday=week.sunday.isoformat(),
        )


def rounded_share(part: int, whole: int) -> float:
    """part / whole rounded half-up to 3 decimals (0 when whole is 0); Decimal, so 0.0005 goes up."""
    if whole == 0:
        return 0.0
    share = Decimal(part) / Decimal(whole)
    return float(share.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def share_reaches(part: int, whole: int, target: Decimal) -> bool:
    """Whether the unrounded part / whole is at least `target` (false when whole is 0), exactly."""
    return whole > 0 and Fraction(part, whole) >= Fraction(target)


def is_familiar(last_met: date | None, as_of: date, window_days: int) -> bool:
    """A `met` visit dated d with as_of − window < d ≤ as_of (`last_met` is already ≤ as_of)."""
    return count_familiar((last_met,), as_of, window_days) == 1


def count_familiar(last_mets: Iterable[date | None], as_of: date, window_days: int) -> int:
    """How many of these latest `met` dates make their household familiar (`is_familiar`), in one pass:
    the scorecard counts 11,000 households twice, and a call per household was half its time."""
    after = as_of - timedelta(days=window_days)
    return sum(1 for d in last_mets if d is not None and after < d <= as_of)


def shortest_cadence(groups: Iterable[str], cadences: Mapping[str, int]) -> int | None:
    """The shortest cadence among `groups` (groups without a cadence are ignored); None when none has one."""
    known = [cadences[g] for g in groups if g in cadences]
    return min(known) if known else None


def due_date(last_met: date | None, earliest_since: date, cadence_days: int) -> date:
    """L + c: L the later of the household's latest `met` visit and the earliest `since`."""
    start = earliest_since if last_met is None or last_met < earliest_since else last_met
    return start + timedelta(days=cadence_days)


def resident_due(resident: PriorityFacts, last_met: date | None, cadences: Mapping[str, int]) -> date | None:
    """The resident's due date, or None when none of their groups has a cadence."""
    cadence = shortest_cadence(resident.groups, cadences)
    if cadence is None:
        return None
    return due_date(last_met, resident.earliest_since, cadence)


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """The first instant after `day` in the community's time zone."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The community's calendar date of an aware moment."""
    return moment.astimezone(tz).date()


def matter_belongs(matter: MatterFacts, team: TeamFacts) -> bool:
    """A community-wide matter belongs to every team; a zone's or household's to the team of that zone."""
    if matter.scope == "community":
        return True
    return matter.zone_id is not None and matter.zone_id == team.zone_id


def matter_attended(matter: MatterFacts, team: TeamFacts, as_of: date, tz: tzinfo) -> bool:
    """Attended before the end of as_of (local) by at least one active member of the team."""
    return (
        matter.attended_at is not None
        and matter.attended_at < end_of_day(as_of, tz)
        and not team.member_ids.isdisjoint(matter.attended_by)
    )


def past_target(occurred_at: datetime, then: datetime, target: timedelta | None) -> bool:
    """More than the kind's response target between the matter and `then` (its attendance, or now)."""
    return target is not None and then - occurred_at > target


def matter_late(matter: MatterFacts, target: timedelta | None) -> bool:
    """attended_at − occurred_at longer than the kind's target (call only for an attended matter)."""
    assert matter.attended_at is not None
    return past_target(matter.occurred_at, matter.attended_at, target)


def team_matters(
    matters: Iterable[MatterFacts], team: TeamFacts, week: IsoWeek, until: date, tz: tzinfo
) -> list[MatterFacts]:
    """The team's matters whose local occurred date lies in the week and is on or before `until`."""
    return [
        m
        for m in matters
        if week.monday <= local_date(m.occurred_at, tz) <= until and matter_belongs(m, team)
    ]


def team_scorecard(
    team: TeamFacts,
    *,
    week: IsoWeek,
    as_of: date,
    tz: tzinfo,
    working_days: int,
    visit_days: Collection[date],
    households: Iterable[HouseholdFacts],
    priority: Iterable[PriorityFacts],
    matters: Iterable[MatterFacts],
    rules: Rules,
) -> dict[str, Any]:
    """One team's row of the scorecard, keys in the order of SPEC §5."""
    required = min(3, working_days)
    field_days = len({d for d in visit_days if week.monday <= d <= as_of})
    zone_households = [h for h in households if team.zone_id is not None and h.zone_id == team.zone_id]
    last_met = {h.id: h.last_met for h in zone_households}
    familiar = count_familiar((h.last_met for h in zone_households), as_of, rules.familiarity_window_days)
    residents = 0
    overdue = 0
    for r in priority:
        if r.household_id not in last_met:
            continue
        due = resident_due(r, last_met[r.household_id], rules.cadences)
        if due is None:
            continue
        residents += 1
        if due < as_of:
            overdue += 1
    mine = team_matters(matters, team, week, as_of, tz)
    attended = [m for m in mine if matter_attended(m, team, as_of, tz)]
    late = sum(1 for m in attended if matter_late(m, rules.targets.get(m.kind)))
    count = len(zone_households)
    return {
        "team": team.code,
        "zone": team.zone_code,
        "members": list(team.members),
        "team_size_ok": len(team.members) == 2,
        "working_days": working_days,
        "required_field_days": required,
        "field_days": field_days,
        "field_days_ok": field_days >= required,
        "households": count,
        "familiar_households": familiar,
        "familiarity": rounded_share(familiar, count),
        "familiarity_ok": share_reaches(familiar, count, rules.familiarity_target),
        "priority_residents": residents,
        "priority_overdue": overdue,
        "priority_ok": overdue == 0,
        "matters": len(mine),
        "matters_attended": len(attended),
        "matters_late": late,
        "matters_ok": len(attended) == len(mine) and late == 0,
    }


def weekly_scorecard(
    *,
    week: IsoWeek,
    as_of: date,
    community: str,
    tz: tzinfo,
    working_days: int,
    teams: Iterable[TeamFacts],
    households: Collection[HouseholdFacts],
    priority: Collection[PriorityFacts],
    matters: Collection[MatterFacts],
    visit_days: Mapping[str, Collection[date]],
    rules: Rules,
) -> dict[str, Any]:
    """The whole scorecard of SPEC §5: `visit_days` maps a team id to the dates of its visits."""
    check_as_of(week, as_of)
    familiar = count_familiar((h.last_met for h in households), as_of, rules.familiarity_window_days)
    by_zone: dict[str, list[HouseholdFacts]] = {}
    for h in households:
        by_zone.setdefault(h.zone_id, []).append(h)
    zone_of = {h.id: h.zone_id for h in households}
    priority_by_zone: dict[str, list[PriorityFacts]] = {}
    for r in priority:
        zone = zone_of.get(r.household_id)
        if zone is not None:
            priority_by_zone.setdefault(zone, []).append(r)
    rows = [
        team_scorecard(
            team,
            week=week,
            as_of=as_of,
            tz=tz,
            working_days=working_days,
            visit_days=visit_days.get(team.id, ()),
            households=by_zone.get(team.zone_id or "", []),
            priority=priority_by_zone.get(team.zone_id or "", []),
            matters=matters,
            rules=rules,
        )
        for team in sorted(teams, key=lambda t: t.code)
    ]
    return {
        "week": str(week),
        "as_of": as_of.isoformat(),
        "community": community,
        "community_familiarity": rounded_share(familiar, len(households)),
        "teams": rows,
    }
