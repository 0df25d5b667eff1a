"""The week as two screens show it: the dashboard (scorecard, overdue residents, open matters, field
days) and one team's plan, with the plan edits the Plan screen makes.

The rules compute JSON objects (SPEC §4, §5) for the command line; here they become the frozen
dataclasses the screens read by name. Typed rows out, never widgets: the screens call these in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from cadre_tui.core.weeks import IsoWeek, week_of
from cadre_tui.store.db import Store
from cadre_tui.store.matter_views import Matter, matters_log
from cadre_tui.store.views import Household, Team, households_brief, my_team, teams

# Weeks of field days the dashboard charts.
CHART_WEEKS = 8
# How many overdue residents and open matters the dashboard lists (the screen says when it stops there).
DASHBOARD_LIMIT = 50


# -- dashboard -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamScore:
    """One team's row of this week's 23766 scorecard (SPEC §5), with the team's name."""

    team: str
    name: str
    zone: str | None
    members: tuple[str, ...]
    team_size_ok: bool
    field_days: int
    required_field_days: int
    field_days_ok: bool
    familiarity: float
    familiarity_ok: bool
    priority_residents: int
    priority_overdue: int
    priority_ok: bool
    matters: int
    matters_attended: int
    matters_late: int
    matters_ok: bool


@dataclass(frozen=True)
class OverdueResident:
    """A priority resident past their due date, with their household (for the visit form)."""

    resident_id: str
    name: str
    household_no: str
    household_id: str
    team: str | None
    groups: tuple[str, ...]
    days_overdue: int


@dataclass(frozen=True)
class Dashboard:
    """What the first screen shows, computed in one worker run."""

    week: str
    as_of: str
    community_familiarity: float
    teams: tuple[TeamScore, ...]
    overdue: tuple[OverdueResident, ...]
    open_matters: tuple[Matter, ...]
    field_days: dict[str, list[int]]
    chart_weeks: tuple[str, ...]
    limit: int = DASHBOARD_LIMIT


def _team_score(row: dict[str, Any], name: str) -> TeamScore:
    """A team's row of the scorecard's JSON (SPEC §5) as a TeamScore: the same names, plus the team's."""
    counts = {f.name: row[f.name] for f in fields(TeamScore) if f.name not in ("name", "members")}
    return TeamScore(name=name, members=tuple(row["members"]), **counts)


def dashboard(store: Store, today: date, now: datetime, limit: int = DASHBOARD_LIMIT) -> Dashboard:
    """This week's scorecard, overdue priority residents, open matters, field days of the last 8 weeks."""
    from cadre_tui.store.due import overdue_residents
    from cadre_tui.store.facts import field_days_history, weekly_scorecard

    week = week_of(today)
    weeks = [week]
    for _ in range(CHART_WEEKS - 1):
        weeks.insert(0, weeks[0].previous())
    team_rows = teams(store)
    names = {t.code: t.name for t in team_rows}
    card = weekly_scorecard(store, week, today=today)
    overdue = overdue_residents(store, today, limit=limit)
    households = households_brief(store, [item["household_no"] for item in overdue])
    return Dashboard(
        week=card["week"],
        as_of=card["as_of"],
        community_familiarity=card["community_familiarity"],
        teams=tuple(_team_score(row, names.get(row["team"], "")) for row in card["teams"]),
        overdue=tuple(
            OverdueResident(
                resident_id=item["resident_id"],
                name=item["name"],
                household_no=item["household_no"],
                household_id=households[item["household_no"]].id
                if item["household_no"] in households
                else "",
                team=item["team"],
                groups=tuple(item["groups"]),
                days_overdue=item["days_overdue"],
            )
            for item in overdue
        ),
        open_matters=tuple(matters_log(store, now, open_only=True, limit=limit)),
        field_days={t.code: field_days_history(store, t.code, weeks) for t in team_rows},
        chart_weeks=tuple(str(w) for w in weeks),
        limit=limit,
    )


# -- the plan ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    """A household on the plan (or one that did not fit), with why, its address and its saved entry."""

    household_no: str
    reason: str
    household_id: str
    address: str
    entry_id: str | None


@dataclass(frozen=True)
class PlanDay:
    """One day of the plan and the households on it."""

    day: date
    items: tuple[PlanItem, ...]


@dataclass(frozen=True)
class PlanMatter:
    """A must-attend matter of the week, on the day it occurred."""

    day: date
    kind: str
    title: str


@dataclass(frozen=True)
class WeekPlan:
    """One team's plan for the week (SPEC §4) as the Plan screen shows it."""

    required_field_days: int
    warning: str | None
    working_days: frozenset[date]
    days: tuple[PlanDay, ...]
    not_planned: tuple[PlanItem, ...]
    matters: tuple[PlanMatter, ...]


@dataclass(frozen=True)
class PlanView:
    """The team's plan for the week, whether it is saved, and the teams to choose from."""

    week: IsoWeek
    team: Team | None
    teams: tuple[Team, ...]
    plan: WeekPlan | None
    saved: bool


PlanChange = Callable[[Store, IsoWeek, str, date], object]
"""One edit of a team's plan, run by `plan_view` before it reads the plan: (store, week, team code, today)."""


def _items(entries: list[dict[str, Any]], households: dict[str, Household]) -> tuple[PlanItem, ...]:
    found = []
    for entry in entries:
        household = households.get(entry["household_no"])
        found.append(
            PlanItem(
                household_no=entry["household_no"],
                reason=entry["reason"],
                household_id=household.id if household else "",
                address=household.address if household else "",
                entry_id=entry.get("entry_id"),
            )
        )
    return tuple(found)


def plan_view(
    store: Store, week: IsoWeek, team_code: str | None, today: date, change: PlanChange | None = None
) -> PlanView:
    """The plan of `team_code` (else this laptop's team, else the first) for `week`, after `change`."""
    from cadre_tui.store import plans

    all_teams = teams(store)
    team = next((t for t in all_teams if t.code == team_code), None) or my_team(store)
    if team is None and all_teams:
        team = all_teams[0]
    if team is None:
        return PlanView(week, None, tuple(all_teams), None, False)
    if change is not None:
        change(store, week, team.code, today)
    raw = plans.weekly_plan(store, week, team.code, today=today)["plans"][0]
    nos = [h["household_no"] for d in raw["days"] for h in d["households"]]
    nos += [h["household_no"] for h in raw["not_planned"]]
    households = households_brief(store, nos)
    plan = WeekPlan(
        required_field_days=raw["required_field_days"],
        warning=raw.get("warning"),
        working_days=frozenset(date.fromisoformat(d) for d in raw["working_days"]),
        days=tuple(
            PlanDay(date.fromisoformat(d["date"]), _items(d["households"], households)) for d in raw["days"]
        ),
        not_planned=_items(raw["not_planned"], households),
        matters=tuple(
            PlanMatter(date.fromisoformat(m["date"]), m["kind"], m["title"]) for m in raw["matters"]
        ),
    )
    return PlanView(week, team, tuple(all_teams), plan, plans.has_saved_plan(store, team.code, week))


def generate_plan(store: Store, week: IsoWeek, team_code: str, today: date) -> None:
    """Save the proposal; on a saved plan, recompute it keeping the cadres' own changes."""
    from cadre_tui.store import plans

    if plans.has_saved_plan(store, team_code, week):
        plans.regenerate_plan(store, week, team_code, today=today)
    else:
        plans.save_plan(store, week, team_code, today=today)


def saved_entry_id(store: Store, week: IsoWeek, team_code: str, today: date, item: PlanItem) -> str:
    """The saved entry of a planned household: a proposal is saved first (moves and removals need one)."""
    from cadre_tui.store import plans

    if item.entry_id is not None:
        return item.entry_id
    plans.save_plan(store, week, team_code, today=today)
    saved = plans.weekly_plan(store, week, team_code, today=today)["plans"][0]
    return str(
        next(
            h["entry_id"]
            for d in saved["days"]
            for h in d["households"]
            if h["household_no"] == item.household_no
        )
    )


def move_planned(item: PlanItem, day: date) -> PlanChange:
    """The edit that moves a planned household to `day` of the week."""
    from cadre_tui.store import plans

    def change(store: Store, week: IsoWeek, team_code: str, today: date) -> None:
        plans.move_plan_entry(store, saved_entry_id(store, week, team_code, today, item), day)

    return change


def remove_planned(item: PlanItem) -> PlanChange:
    """The edit that takes a household off the plan."""
    from cadre_tui.store import plans

    def change(store: Store, week: IsoWeek, team_code: str, today: date) -> None:
        plans.remove_plan_entry(store, saved_entry_id(store, week, team_code, today, item))

    return change


def add_planned(household_id: str, day: date) -> PlanChange:
    """The edit that puts a household on `day` (saving the plan first if needed)."""
    from cadre_tui.store import plans

    def change(store: Store, week: IsoWeek, team_code: str, today: date) -> None:
        plans.add_plan_entry(store, team_code, week, day, household_id)

    return change
