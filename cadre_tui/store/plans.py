"""Weekly plans (SPEC §4): computed from the facts, saved, regenerated or reset, and the cadres' edits.

A saved plan is rows of `plans`, one per household and day; the cadres' own moves, additions and removals
are marked `manual`, so that regenerating keeps them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from cadre_tui.core.planner import (
    URGENT,
    Candidate,
    DayPlan,
    Pinned,
    PlanEntry,
    TeamPlan,
    candidates,
    plan_json,
    plan_team,
    reference_day,
)
from cadre_tui.core.scorecard import TeamFacts, team_matters
from cadre_tui.core.settings import Rules
from cadre_tui.core.weeks import IsoWeek, parse_week_code, working_days
from cadre_tui.errors import InvalidInput
from cadre_tui.store.db import Store
from cadre_tui.store.facts import load_matters, load_plan_households, load_teams, team_by_code
from cadre_tui.store.settings import load_rules


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
    return [team_by_code(store, team_code)] if team_code else load_teams(store)


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
    """The team's rows of `plans` for the week (tombstones too), of households not deleted, in day order."""
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
    """Whether these rows are a saved plan: a live entry, or a cadre's removal."""
    return any(not r["deleted"] or r["manual"] for r in rows)


def has_saved_plan(store: Store, team_code: str, week: IsoWeek) -> bool:
    """Whether the team's plan for the week has been saved."""
    return _is_saved(_plan_rows(store, team_by_code(store, team_code), week))


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


def _insert_entry(
    store: Store,
    team_id: str,
    week: IsoWeek,
    day: date,
    household_id: str,
    position: int,
    reason: str,
    *,
    manual: bool = False,
) -> str:
    """Insert one entry of a saved plan (a cadre's own when `manual`); returns its id."""
    entry_id = str(uuid.uuid4())
    store.db.execute(
        "INSERT INTO plans (id, team_id, week, day, household_id, position, reason, manual, updated_at, "
        "origin, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        [
            entry_id,
            team_id,
            str(week),
            day.isoformat(),
            household_id,
            position,
            reason,
            int(manual),
            store.stamp(),
            store.device_id,
        ],
    )
    return entry_id


def _insert_entries(store: Store, team: TeamFacts, week: IsoWeek, plan: TeamPlan, skip: set[str]) -> None:
    """Insert a computed plan's entries, but those of the households in `skip`."""
    for day_plan in plan.days:
        for position, entry in enumerate(day_plan.entries):
            if entry.household_id not in skip:
                _insert_entry(store, team.id, week, day_plan.day, entry.household_id, position, entry.reason)


def _touch(store: Store, entry_id: str, **changes: Any) -> None:
    """Change columns of a plan entry, with this laptop's new stamp."""
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.db.execute(
        f"UPDATE plans SET {sets}, updated_at = ?, origin = ? WHERE id = ?",
        [*changes.values(), store.stamp(), store.device_id, entry_id],
    )


# -- save, regenerate, reset: each team's plan in one transaction for all ------------------------------


def _save(store: Store, inputs: _PlanInputs, team: TeamFacts) -> None:
    if not _is_saved(_plan_rows(store, team, inputs.week)):
        _insert_entries(store, team, inputs.week, inputs.plan(team), set())


def _regenerate(store: Store, inputs: _PlanInputs, team: TeamFacts) -> None:
    rows = _plan_rows(store, team, inputs.week)
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
    _insert_entries(store, team, inputs.week, plan, set(pinned))


def _reset(store: Store, inputs: _PlanInputs, team: TeamFacts) -> None:
    for r in _plan_rows(store, team, inputs.week):
        if not r["deleted"]:
            _touch(store, r["id"], deleted=1, manual=0)
        elif r["manual"]:
            _touch(store, r["id"], manual=0)
    _insert_entries(store, team, inputs.week, inputs.plan(team), set())


_ACTIONS: dict[str, Callable[[Store, _PlanInputs, TeamFacts], None]] = {
    "save": _save,
    "regenerate": _regenerate,
    "reset": _reset,
}
PLAN_ACTIONS = tuple(_ACTIONS)


def _act(
    store: Store, week: IsoWeek, action: str | None, team_code: str | None, today: date | None
) -> tuple[_PlanInputs, list[TeamFacts]]:
    teams = _teams_for(store, team_code)
    inputs = _PlanInputs(store, week, today)
    if action is not None:
        act = _ACTIONS.get(action)
        if act is None:
            raise ValueError(f"unknown plan action {action!r} (one of {', '.join(PLAN_ACTIONS)})")
        with store.transaction():
            for team in teams:
                act(store, inputs, team)
    return inputs, teams


def save_plan(store: Store, week: IsoWeek, team_code: str | None = None, today: date | None = None) -> None:
    """Store the computed plan of each team (or the one) that has no saved plan for the week yet."""
    _act(store, week, "save", team_code, today)


def regenerate_plan(
    store: Store, week: IsoWeek, team_code: str | None = None, today: date | None = None
) -> None:
    """Recompute and store each team's plan, keeping the cadres' manual moves, additions and removals."""
    _act(store, week, "regenerate", team_code, today)


def reset_plan(store: Store, week: IsoWeek, team_code: str | None = None, today: date | None = None) -> None:
    """Drop the saved plan and the cadres' changes to it, and store a freshly computed one."""
    _act(store, week, "reset", team_code, today)


def plan_with_action(
    store: Store, week: IsoWeek, action: str | None, team_code: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """Save, regenerate or reset (or none of them), then the plan as `weekly_plan` gives it; loads once."""
    inputs, teams = _act(store, week, action, team_code, today)
    return _view(store, inputs, teams)


# -- a cadre's edits: move, add, remove, reorder; each marks the entry manual ---------------------------


def _entry(store: Store, entry_id: str) -> dict[str, Any]:
    row = store.db.execute(
        "SELECT id, team_id, week, day, household_id, position FROM plans WHERE id = ? AND deleted = 0",
        [entry_id],
    ).fetchone()
    if row is None:
        raise InvalidInput.of("plans.no_entry", id=entry_id)
    return dict(zip(("id", "team_id", "week", "day", "household_id", "position"), row, strict=True))


def _check_day(week: IsoWeek, day: date) -> None:
    if not week.contains(day):
        raise InvalidInput.of("plans.day_outside", day=day.isoformat(), week=week)


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
        _check_day(parse_week_code(entry["week"]), day)
        if entry["day"] == day.isoformat():
            _touch(store, entry_id, manual=1)
            return
        position = _next_position(store, entry["team_id"], entry["week"], day.isoformat())
        _touch(store, entry_id, day=day.isoformat(), position=position, manual=1)


def add_plan_entry(store: Store, team_code: str, week: IsoWeek, day: date, household_id: str) -> str:
    """Add a household to the team's saved plan (saving the plan first if needed); returns the entry id."""
    _check_day(week, day)
    team = team_by_code(store, team_code)
    row = store.db.execute(
        "SELECT id FROM households WHERE id = ? AND deleted = 0", [household_id]
    ).fetchone()
    if row is None:
        raise InvalidInput.of("plans.no_household", id=household_id)
    inputs = _PlanInputs(store, week, None)
    with store.transaction():
        rows = _plan_rows(store, team, week)
        if not _is_saved(rows):
            _insert_entries(store, team, week, inputs.plan(team), set())
            rows = _plan_rows(store, team, week)
        for r in _live(rows):
            if r["household_id"] == household_id:
                raise InvalidInput.of("plans.already_planned", household=r["household_no"], day=r["day"])
        reason = next((c.reason for c in inputs.candidates(team) if c.household_id == household_id), "manual")
        position = _next_position(store, team.id, str(week), day.isoformat())
        return _insert_entry(store, team.id, week, day, household_id, position, reason, manual=True)


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
