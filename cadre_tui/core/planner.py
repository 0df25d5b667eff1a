"""The weekly planner of SPEC §4: field days and the households to visit on each, for one team. Pure.

Given the same data, reference day and settings it always gives the same plan: every ordering ends with
the household_no, and nothing depends on dictionary or set iteration order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any, NamedTuple

from cadre_tui.core.scorecard import MatterFacts, PriorityFacts, is_familiar, local_date, resident_due
from cadre_tui.core.settings import Rules

# Reasons in their order of precedence; the first four must be planned, `unfamiliar` may wait.
REASONS = ("overdue", "due", "revisit", "follow_up", "unfamiliar")
URGENT = frozenset(REASONS[:4])
_MISSED = frozenset({"absent", "refused"})


class PlanHousehold(NamedTuple):
    """An active household of the team's zone, with what the planner needs to know as of the reference day.

    `last_met`: latest `met` visit on or before the reference day; `latest_visit`: latest visit of any
    outcome on or before it, `latest_outcomes` the outcomes recorded that day and `follow_up` the earliest
    follow-up date asked for by a visit of that day; `priority`: its present residents with memberships
    in force on the reference day.
    """

    id: str
    household_no: str
    building: str
    last_met: date | None = None
    latest_visit: date | None = None
    latest_outcomes: frozenset[str] = frozenset()
    follow_up: date | None = None
    priority: tuple[PriorityFacts, ...] = ()


@dataclass(frozen=True, order=True)
class Candidate:
    """A household with the reason to visit it and its place in the order of that reason."""

    rank: int
    key: tuple[Any, ...]
    household_no: str
    household_id: str = field(compare=False)
    building: str = field(compare=False)
    reason: str = field(compare=False)


@dataclass(frozen=True)
class Pinned:
    """A household a cadre put on a day by hand (moved or added): kept there by `plan --regenerate`."""

    household_no: str
    building: str
    day: date
    position: int
    reason: str


@dataclass(frozen=True)
class PlanEntry:
    """One household in the plan (or left out of it), with its reason."""

    household_id: str
    household_no: str
    reason: str


@dataclass(frozen=True)
class DayPlan:
    """A field day and its households in visiting order."""

    day: date
    entries: tuple[PlanEntry, ...]


@dataclass(frozen=True)
class TeamPlan:
    """The plan of one team for one week."""

    team: str
    zone: str | None
    working_days: tuple[date, ...]
    required_field_days: int
    warning: str | None
    days: tuple[DayPlan, ...]
    not_planned: tuple[PlanEntry, ...]
    matters: tuple[MatterFacts, ...]


def reference_day(week_monday: date, week_sunday: date, today: date) -> date:
    """The week's Monday, or today when today falls inside the week."""
    return today if week_monday <= today <= week_sunday else week_monday


def household_reason(
    household: PlanHousehold, ref: date, sunday: date, rules: Rules
) -> tuple[str, tuple[Any, ...]] | None:
    """The first reason that applies to the household and its ordering key, or None when it can wait."""
    dues = [d for d in (resident_due(p, household.last_met, rules.cadences) for p in household.priority) if d]
    if dues:
        earliest = min(dues)
        if earliest < ref:
            return "overdue", (earliest,)
        if earliest <= sunday:
            return "due", (earliest,)
        latest = household.latest_visit
        if (
            latest is not None
            and household.latest_outcomes & _MISSED
            and "met" not in household.latest_outcomes
            and (ref - latest).days <= rules.revisit_days
        ):
            return "revisit", (latest,)
    if household.follow_up is not None and household.follow_up <= sunday:
        return "follow_up", (household.follow_up,)
    if not is_familiar(household.last_met, ref, rules.familiarity_window_days):
        # Never visited at all first, then never met, then the longest since last met.
        return "unfamiliar", (household.latest_visit is not None, household.last_met or date.min)
    return None


def candidates(households: Iterable[PlanHousehold], ref: date, sunday: date, rules: Rules) -> list[Candidate]:
    """Every household with a reason, in plan order: reason precedence, its ordering, household_no."""
    found = []
    for h in households:
        reason = household_reason(h, ref, sunday, rules)
        if reason is not None:
            found.append(
                Candidate(REASONS.index(reason[0]), reason[1], h.household_no, h.id, h.building, reason[0])
            )
    return sorted(found)


def spread(days: Sequence[date], count: int) -> list[date]:
    """`count` of `days` spread evenly from the first to the last (all of them when count ≥ len)."""
    total = len(days)
    if count >= total:
        return list(days)
    if count <= 0:
        return []
    if count == 1:
        return [days[0]]
    # Index i*(total-1)/(count-1) rounded half-up, in integers; steps are ≥ 1, so the days are distinct.
    return [days[(2 * i * (total - 1) + (count - 1)) // (2 * (count - 1))] for i in range(count)]


def _place(
    chosen: list[Candidate],
    schedule: dict[date, list[tuple[str, str, str, str]]],
    open_days: Collection[date],
    capacity: int,
) -> None:
    """Put `chosen` on the open days (there is room for all), one building's households on one day.

    A building goes whole to a day already holding it, else to the earliest day with room for all of it;
    only a building larger than any day's room is split, each household then joining its building where
    it can, else the earliest day with room.
    """
    groups: dict[str, list[Candidate]] = {}
    for c in chosen:
        groups.setdefault(c.building, []).append(c)
    ordered_days = sorted(open_days)

    def room(d: date) -> int:
        return capacity - len(schedule[d])

    def holds(d: date, building: str) -> bool:
        return any(e[2] == building for e in schedule[d])

    for building, members in groups.items():
        whole = [d for d in ordered_days if room(d) >= len(members) and holds(d, building)] or [
            d for d in ordered_days if room(d) >= len(members)
        ]
        for c in members:
            if whole:
                day = whole[0]
            else:
                same = [d for d in ordered_days if room(d) > 0 and holds(d, building)]
                day = (same or [d for d in ordered_days if room(d) > 0])[0]
            schedule[day].append((c.household_id, c.household_no, building, c.reason))


def plan_team(
    *,
    team: str,
    zone: str | None,
    ref: date,
    sunday: date,
    working_days: Sequence[date],
    warning: str | None,
    households: Iterable[PlanHousehold],
    matters: Iterable[MatterFacts],
    rules: Rules,
    pinned: Mapping[str, Pinned] | None = None,
    excluded: Collection[str] = (),
) -> TeamPlan:
    """The plan of SPEC §4 for one team.

    `pinned` maps a household id to where a cadre put it by hand (kept as is, taking capacity);
    `excluded` are households a cadre removed (never planned again, listed as not planned when urgent).
    """
    pinned = dict(pinned or {})
    households = list(households)
    required = min(3, len(working_days))
    remaining = [d for d in working_days if d >= ref]
    every = candidates(households, ref, sunday, rules)
    urgent = [c for c in every if c.reason in URGENT and c.household_id not in pinned]
    to_plan = [c for c in urgent if c.household_id not in excluded]
    unfamiliar = [
        c
        for c in every
        if c.reason == "unfamiliar" and c.household_id not in pinned and c.household_id not in excluded
    ]
    pinned_days: dict[date, int] = {}
    for p in pinned.values():
        pinned_days[p.day] = pinned_days.get(p.day, 0) + 1
    # A day a cadre put a household on is a field day; others may join it only when it is a working day
    # from the reference day on (a past day or a day off holds just what was put there by hand).
    pinned_open = {d for d in pinned_days if d in remaining}

    def free_slots(days: Iterable[date]) -> int:
        return sum(max(0, rules.capacity - pinned_days.get(d, 0)) for d in set(days) | pinned_open)

    count = min(required, len(remaining))
    while count < len(remaining) and free_slots(spread(remaining, count)) < len(to_plan):
        count += 1
    open_days = set(spread(remaining, count)) | pinned_open
    field_days = sorted(open_days | set(pinned_days))

    schedule: dict[date, list[tuple[str, str, str, str]]] = {d: [] for d in field_days}

    for hid, p in sorted(pinned.items(), key=lambda kv: (kv[1].day, kv[1].position, kv[1].household_no)):
        schedule[p.day].append((hid, p.household_no, p.building, p.reason))

    def open_slots() -> int:
        return sum(max(0, rules.capacity - len(schedule[d])) for d in open_days)

    # Who is planned follows the order strictly (a prefix); grouping by building only picks the day.
    fitting = open_slots()
    unplaced = {c.household_id for c in to_plan[fitting:]}
    _place(to_plan[:fitting], schedule, open_days, rules.capacity)
    _place(unfamiliar[: open_slots()], schedule, open_days, rules.capacity)

    not_planned = tuple(
        PlanEntry(c.household_id, c.household_no, c.reason)
        for c in urgent
        if c.household_id in unplaced or c.household_id in excluded
    )
    days = tuple(
        DayPlan(d, tuple(PlanEntry(hid, no, reason) for hid, no, _b, reason in schedule[d]))
        for d in field_days
    )
    ordered_matters = tuple(sorted(matters, key=lambda m: (m.occurred_at, m.id)))
    return TeamPlan(
        team=team,
        zone=zone,
        working_days=tuple(working_days),
        required_field_days=required,
        warning=warning,
        days=days,
        not_planned=not_planned,
        matters=ordered_matters,
    )


def plan_json(
    plan: TeamPlan, tz: tzinfo, entry_ids: Mapping[tuple[date, str], str] | None = None
) -> dict[str, Any]:
    """The JSON object of SPEC §4 for one team; `entry_ids` adds each saved entry's id as `entry_id`."""

    def entry(day: date | None, e: PlanEntry) -> dict[str, Any]:
        out: dict[str, Any] = {"household_no": e.household_no, "reason": e.reason}
        if entry_ids is not None and day is not None and (day, e.household_id) in entry_ids:
            out["entry_id"] = entry_ids[(day, e.household_id)]
        return out

    return {
        "team": plan.team,
        "zone": plan.zone,
        "working_days": [d.isoformat() for d in plan.working_days],
        "required_field_days": plan.required_field_days,
        "warning": plan.warning,
        "days": [
            {"date": d.day.isoformat(), "households": [entry(d.day, e) for e in d.entries]} for d in plan.days
        ],
        "not_planned": [entry(None, e) for e in plan.not_planned],
        "matters": [
            {"id": m.id, "date": local_date(m.occurred_at, tz).isoformat(), "kind": m.kind, "title": m.title}
            for m in plan.matters
        ],
    }
