"""The weekly planner (SPEC §4): reasons and their order, field days, capacity, buildings, saved plans."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre_tui.core.planner import (
    Pinned,
    PlanHousehold,
    TeamPlan,
    candidates,
    plan_json,
    plan_team,
    reference_day,
    spread,
)
from cadre_tui.core.scorecard import MatterFacts, PriorityFacts
from cadre_tui.core.settings import DEFAULT_RULES, Rules
from cadre_tui.core.weeks import IsoWeek
from cadre_tui.errors import InvalidInput
from cadre_tui.store import due as store_due
from cadre_tui.store import facts, plans
from cadre_tui.store.db import Store
from tests.builders import (
    insert_household,
    insert_matter,
    insert_membership,
    insert_resident,
    insert_visit,
    insert_zone_team,
)

W48 = IsoWeek(2026, 48)
MON, TUE, WED, THU, FRI, SAT, SUN = W48.days()
WORKING = [MON, TUE, WED, THU, FRI]
SH = ZoneInfo("Asia/Shanghai")


def hh(
    no: str,
    *,
    building: str = "B1",
    last_met: date | None = None,
    latest: date | None = None,
    outcomes: tuple[str, ...] = (),
    follow_up: date | None = None,
    groups: tuple[str, ...] = (),
    since: date = date(2026, 1, 1),
) -> PlanHousehold:
    """A household for the pure planner; `latest` defaults to `last_met` with outcome met."""
    if latest is None and last_met is not None:
        latest, outcomes = last_met, outcomes or ("met",)
    priority = (PriorityFacts(f"r-{no}", no, groups, since),) if groups else ()
    return PlanHousehold(no, no, building, last_met, latest, frozenset(outcomes), follow_up, priority)


def plan(
    households: list[PlanHousehold],
    *,
    ref: date = MON,
    working: list[date] | None = None,
    rules: Rules = DEFAULT_RULES,
    **kw: Any,
) -> TeamPlan:
    return plan_team(
        team="T1",
        zone="Z1",
        ref=ref,
        sunday=SUN,
        working_days=WORKING if working is None else working,
        warning=None,
        households=households,
        matters=kw.pop("matters", ()),
        rules=rules,
        **kw,
    )


def days_of(p: TeamPlan) -> dict[str, list[str]]:
    return {d.day.isoformat(): [e.household_no for e in d.entries] for d in p.days}


def nov(day: int) -> date:
    """A day of November 2026."""
    return date(2026, 11, day)


MIXED = [
    hh("H05", last_met=nov(10), groups=("solitary",)),  # due 11-17: overdue
    hh("H04", last_met=nov(1), groups=("solitary",)),  # due 11-08: most overdue
    hh("H03", last_met=nov(18), groups=("solitary",)),  # due 11-25: due this week
    hh("H02", last_met=nov(20), latest=nov(21), outcomes=("absent",), groups=("widowed",)),  # absent: revisit
    hh("H09", last_met=nov(16), latest=nov(19), outcomes=("refused",), groups=("elderly",)),
    hh("H01", last_met=nov(20), follow_up=nov(27)),  # follow-up this week
    hh("H08", last_met=nov(20), follow_up=nov(30)),  # follow-up next week
    hh("H07"),  # never visited
    hh("H06", latest=date(2026, 10, 1), outcomes=("absent",)),  # visited, never met
    hh("H10", last_met=date(2025, 1, 1)),  # met long ago
    hh("H11", last_met=date(2026, 6, 1)),  # familiar, nothing due
]


def test_reasons_in_order_of_precedence_and_their_own_order() -> None:
    found = [(c.household_no, c.reason) for c in candidates(MIXED, MON, SUN, DEFAULT_RULES)]
    assert found == [
        ("H04", "overdue"),
        ("H05", "overdue"),
        ("H03", "due"),
        ("H02", "revisit"),  # absent 2 days before Monday
        ("H01", "follow_up"),
        ("H07", "unfamiliar"),  # never visited
        ("H06", "unfamiliar"),  # visited, never met
        ("H10", "unfamiliar"),  # longest unseen
    ]  # H09: refused 4 days before (> 3); H08: follow-up after Sunday; H11: familiar


def test_ties_go_by_household_no() -> None:
    same = [hh(no, last_met=date(2026, 11, 1), groups=("ill",)) for no in ("B2", "A9", "B10")]
    assert [c.household_no for c in candidates(same, MON, SUN, DEFAULT_RULES)] == ["A9", "B10", "B2"]


def test_due_on_the_reference_day_is_due_not_overdue() -> None:
    found = candidates([hh("H1", last_met=date(2026, 11, 16), groups=("solitary",))], MON, SUN, DEFAULT_RULES)
    assert [(c.reason, c.key) for c in found] == [("due", (MON,))]


def test_due_dates_are_taken_as_of_the_reference_day() -> None:
    one = [hh("H1", last_met=date(2026, 11, 18), groups=("solitary",))]  # due 11-25
    assert candidates(one, WED, SUN, DEFAULT_RULES)[0].reason == "due"
    assert candidates(one, THU, SUN, DEFAULT_RULES)[0].reason == "overdue"


def test_a_met_visit_on_the_revisit_day_is_no_revisit() -> None:
    both = hh(
        "H1",
        last_met=date(2026, 11, 21),
        latest=date(2026, 11, 21),
        outcomes=("absent", "met"),
        groups=("elderly",),
    )
    assert candidates([both], MON, SUN, DEFAULT_RULES) == []


def test_revisit_only_for_priority_households() -> None:
    plain = hh("H1", last_met=date(2026, 11, 1), latest=date(2026, 11, 22), outcomes=("absent",))
    assert candidates([plain], MON, SUN, DEFAULT_RULES) == []


def test_three_spread_days_every_one_listed_one_building_together() -> None:
    p = plan(MIXED)
    assert (p.required_field_days, [d.isoformat() for d in p.working_days]) == (
        3,
        [d.isoformat() for d in WORKING],
    )
    assert days_of(p) == {
        "2026-11-23": ["H04", "H05", "H03", "H02", "H01", "H07", "H06", "H10"],
        "2026-11-25": [],
        "2026-11-27": [],
    }
    assert p.not_planned == ()


def test_buildings_go_on_the_same_day_where_capacity_allows() -> None:
    rules = replace(DEFAULT_RULES, capacity=2)
    houses = [
        hh("A", building="b1", last_met=date(2026, 11, 1), groups=("ill",)),
        hh("B", building="b2", last_met=date(2026, 11, 2), groups=("ill",)),
        hh("C", building="b1", last_met=date(2026, 11, 3), groups=("ill",)),
        hh("D", building="b2", last_met=date(2026, 11, 4), groups=("ill",)),
    ]
    assert days_of(plan(houses, rules=rules)) == {
        "2026-11-23": ["A", "C"],
        "2026-11-25": ["B", "D"],
        "2026-11-27": [],
    }


def test_more_field_days_when_the_urgent_households_need_them() -> None:
    rules = replace(DEFAULT_RULES, capacity=2)
    houses = [
        hh(f"H{i}", building=f"b{i}", last_met=date(2026, 11, 1 + i), groups=("ill",)) for i in range(7)
    ]
    p = plan(houses, rules=rules)
    assert days_of(p) == {
        "2026-11-23": ["H0", "H1"],
        "2026-11-24": ["H2", "H3"],
        "2026-11-26": ["H4", "H5"],
        "2026-11-27": ["H6"],
    }


def test_from_the_reference_day_on_and_not_planned_when_full() -> None:
    rules = replace(DEFAULT_RULES, capacity=1)
    houses = [
        hh("H1", last_met=date(2026, 11, 1), groups=("ill",)),
        hh("H2", last_met=date(2026, 11, 2), groups=("ill",)),
        hh("H3", last_met=date(2026, 11, 23), follow_up=date(2026, 11, 24)),
        hh("H4"),
    ]
    p = plan(houses, ref=THU, rules=rules)
    assert days_of(p) == {"2026-11-26": ["H1"], "2026-11-27": ["H2"]}
    assert [(e.household_no, e.reason) for e in p.not_planned] == [("H3", "follow_up")]  # H4 just waits


def test_spring_festival_week_plans_no_day() -> None:
    p = plan([hh("H1", last_met=date(2026, 1, 1), groups=("ill",)), hh("H2")], working=[])
    assert (p.required_field_days, p.days) == (0, ())
    assert [(e.household_no, e.reason) for e in p.not_planned] == [("H1", "overdue")]


def test_fewer_remaining_days_than_required() -> None:
    p = plan([hh("H1")], ref=FRI)
    assert (p.required_field_days, list(days_of(p))) == (3, ["2026-11-27"])
    assert list(days_of(plan([hh("H1")], ref=SAT))) == []


def test_pinned_households_keep_their_day_and_excluded_ones_are_not_planned() -> None:
    rules = replace(DEFAULT_RULES, capacity=2)
    houses = [
        hh("H1", last_met=date(2026, 11, 1), groups=("ill",)),
        hh("H2", last_met=date(2026, 11, 2), groups=("ill",)),
        hh("H3", last_met=date(2026, 11, 3), groups=("ill",)),
        hh("H4"),
    ]
    pinned = {"H3": Pinned("H3", "B1", TUE, 0, "overdue"), "H9": Pinned("H9", "B7", MON, 0, "manual")}
    p = plan(houses, rules=rules, pinned=pinned, excluded={"H2"})
    # H1 joins H3 of its building on Tuesday; H4 fills Monday.
    assert days_of(p) == {
        "2026-11-23": ["H9", "H4"],
        "2026-11-24": ["H3", "H1"],
        "2026-11-25": [],
        "2026-11-27": [],
    }
    assert [(e.household_no, e.reason) for e in p.not_planned] == [("H2", "overdue")]


def test_spread_days() -> None:
    assert spread(WORKING, 3) == [MON, WED, FRI]
    assert spread(WORKING, 2) == [MON, FRI]
    assert spread(WORKING, 4) == [MON, TUE, THU, FRI]
    assert spread(WORKING, 1) == [MON]
    assert spread(WORKING, 0) == []
    assert spread(WORKING, 9) == WORKING
    assert spread([THU, FRI], 3) == [THU, FRI]


def test_reference_day() -> None:
    assert reference_day(MON, SUN, date(2026, 11, 20)) == MON
    assert reference_day(MON, SUN, WED) == WED
    assert reference_day(MON, SUN, date(2026, 12, 1)) == MON


def test_matters_listed_with_their_local_date() -> None:
    late = MatterFacts(
        "m2",
        "dispute",
        "邻里纠纷",
        "zone",
        "Z1",
        datetime(2026, 11, 24, 16, 30, tzinfo=ZoneInfo("UTC")),
        None,
        frozenset(),
    )
    early = MatterFacts(
        "m1",
        "activity",
        "重阳活动",
        "community",
        None,
        datetime(2026, 11, 24, 9, tzinfo=SH),
        None,
        frozenset(),
    )
    out = plan_json(plan([], matters=[late, early]), SH)
    assert out["matters"] == [
        {"id": "m1", "date": "2026-11-24", "kind": "activity", "title": "重阳活动"},
        {"id": "m2", "date": "2026-11-25", "kind": "dispute", "title": "邻里纠纷"},
    ]
    assert list(out) == [
        "team", "zone", "working_days", "required_field_days", "warning", "days", "not_planned", "matters",
    ]  # fmt: skip


# -- properties ------------------------------------------------------------------------------------------

some_day = st.dates(min_value=date(2025, 9, 1), max_value=SUN)


@st.composite
def households(draw: st.DrawFn) -> list[PlanHousehold]:
    count = draw(st.integers(0, 30))
    found = []
    for i in range(count):
        last_met = draw(st.none() | some_day)
        latest = draw(st.none() | some_day)
        if last_met and (latest is None or latest < last_met):
            latest = last_met
        outcomes = (
            draw(st.sets(st.sampled_from(["met", "absent", "refused", "other"]), min_size=1))
            if latest
            else set()
        )
        groups = draw(st.sets(st.sampled_from(["solitary", "widowed", "ill", "elderly"]), max_size=2))
        found.append(
            hh(
                f"H{i:03d}",
                building=draw(st.sampled_from(["b1", "b2", "b3"])),
                last_met=last_met,
                latest=latest,
                outcomes=tuple(sorted(outcomes)),
                follow_up=draw(st.none() | some_day),
                groups=tuple(sorted(groups)),
                since=draw(some_day),
            )
        )
    return found


@settings(max_examples=150, deadline=None)
@given(
    houses=households(),
    capacity=st.integers(1, 5),
    ref=st.sampled_from(W48.days()),
    working=st.sets(st.sampled_from(W48.days())).map(sorted),
    seed=st.integers(0, 1000),
)
def test_planner_properties(
    houses: list[PlanHousehold], capacity: int, ref: date, working: list[date], seed: int
) -> None:
    rules = replace(DEFAULT_RULES, capacity=capacity)
    p = plan(houses, ref=ref, working=working, rules=rules)
    planned = [e.household_id for d in p.days for e in d.entries]
    assert all(len(d.entries) <= capacity for d in p.days)  # never over capacity
    assert len(planned) == len(set(planned))  # never a household twice
    assert set(planned) <= {h.id for h in houses}  # only the given (the zone's) households
    assert all(d.day >= ref and d.day in working for d in p.days)
    left = {e.household_id for e in p.not_planned}
    assert not left & set(planned)
    for c in candidates(houses, ref, SUN, rules):
        if c.reason in ("overdue", "due", "revisit", "follow_up"):
            assert c.household_id in planned or c.household_id in left  # planned or listed
    remaining = [d for d in working if d >= ref]
    assert len(p.days) >= min(3, len(working), len(remaining))
    shuffled = houses[:]
    random.Random(seed).shuffle(shuffled)
    assert plan(shuffled, ref=ref, working=working, rules=rules) == p  # deterministic


# -- the store: the team's zone, saved plans and cadres' changes ------------------------------------------


@pytest.fixture
def zone(store: Store) -> dict[str, str]:
    z1, t1, _ = insert_zone_team(store, "Z1", "T1", ["C01", "C02"])
    z2, t2, _ = insert_zone_team(store, "Z2", "T2", ["C03", "C04"])
    ids = {"z1": z1, "t1": t1, "z2": z2, "t2": t2}
    for i in range(1, 5):
        ids[f"H{i}"] = h = insert_household(store, f"Z1-00{i}", z1, building=str(i))
        r = insert_resident(store, h, f"居民{i}")
        insert_membership(store, r, "ill", date(2026, 1, 1))
        insert_visit(store, h, date(2026, 11, 10 + i), "met", team_id=t1)  # due 11-18 .. 11-21: overdue
    ids["H5"] = insert_household(store, "Z1-005", z1, building="9")  # never visited: unfamiliar
    insert_household(store, "Z1-006", z1, active=False)
    insert_household(store, "Z1-007", z1, deleted=True)
    ids["other"] = insert_household(store, "Z2-001", z2)
    store.set_setting("capacity", 2)
    return ids


def team_days(data: dict[str, Any], team: str = "T1") -> dict[str, list[str]]:
    p = next(p for p in data["plans"] if p["team"] == team)
    return {d["date"]: [h["household_no"] for h in d["households"]] for d in p["days"]}


def entry(data: dict[str, Any], household_no: str) -> str:
    for p in data["plans"]:
        for d in p["days"]:
            for h in d["households"]:
                if h["household_no"] == household_no:
                    return str(h["entry_id"])
    raise AssertionError(household_no)


TODAY = date(2026, 11, 20)  # planning W48 ahead: reference day is Monday 11-23


def test_weekly_plan_json_for_every_team(store: Store, zone: dict[str, str]) -> None:
    insert_matter(
        store, "dispute", datetime(2026, 11, 25, 9, tzinfo=SH), scope="zone", zone_id=zone["z2"], title="纠纷"
    )
    data = plans.weekly_plan(store, W48, today=TODAY)
    assert list(data) == ["week", "plans"] and data["week"] == "2026-W48"
    assert [p["team"] for p in data["plans"]] == ["T1", "T2"]
    t1 = data["plans"][0]
    assert (t1["zone"], t1["required_field_days"], t1["warning"]) == ("Z1", 3, None)
    assert t1["working_days"] == [d.isoformat() for d in WORKING]
    assert team_days(data) == {
        "2026-11-23": ["Z1-001", "Z1-002"],
        "2026-11-25": ["Z1-003", "Z1-004"],
        "2026-11-27": ["Z1-005"],
    }
    assert t1["days"][0]["households"][0] == {"household_no": "Z1-001", "reason": "overdue"}
    assert (t1["not_planned"], t1["matters"]) == ([], [])
    t2 = data["plans"][1]
    assert team_days(data, "T2") == {"2026-11-23": ["Z2-001"], "2026-11-25": [], "2026-11-27": []}
    assert [(m["date"], m["title"]) for m in t2["matters"]] == [("2026-11-25", "纠纷")]


def test_a_2027_week_carries_the_warning(store: Store, zone: dict[str, str]) -> None:
    t1 = plans.weekly_plan(store, IsoWeek(2027, 2), "T1", today=TODAY)["plans"][0]
    assert t1["warning"] is not None and "2027" in t1["warning"]
    assert len(t1["working_days"]) == 5


def test_unknown_team(store: Store, zone: dict[str, str]) -> None:
    with pytest.raises(InvalidInput, match="unknown team T9"):
        plans.weekly_plan(store, W48, "T9", today=TODAY)


def test_save_then_show_the_saved_plan_with_entry_ids(store: Store, zone: dict[str, str]) -> None:
    plans.save_plan(store, W48, "T1", today=TODAY)
    assert plans.has_saved_plan(store, "T1", W48) and not plans.has_saved_plan(store, "T2", W48)
    # New data after saving does not change the saved plan.
    insert_visit(store, zone["H1"], date(2026, 11, 20), "met", team_id=zone["t1"])
    data = plans.weekly_plan(store, W48, "T1", today=TODAY)
    assert team_days(data) == {
        "2026-11-23": ["Z1-001", "Z1-002"],
        "2026-11-25": ["Z1-003", "Z1-004"],
        "2026-11-27": ["Z1-005"],
    }
    first = data["plans"][0]["days"][0]["households"][0]
    assert list(first) == ["household_no", "reason", "entry_id"]


def test_manual_changes_survive_regenerate_and_go_with_reset(store: Store, zone: dict[str, str]) -> None:
    plans.save_plan(store, W48, "T1", today=TODAY)
    data = plans.weekly_plan(store, W48, "T1", today=TODAY)
    plans.move_plan_entry(store, entry(data, "Z1-001"), THU)
    plans.remove_plan_entry(store, entry(data, "Z1-003"))
    added = plans.add_plan_entry(store, "T1", W48, TUE, zone["other"])
    data = plans.weekly_plan(store, W48, "T1", today=TODAY)
    assert team_days(data) == {
        "2026-11-23": ["Z1-002"],
        "2026-11-24": ["Z2-001"],
        "2026-11-25": ["Z1-004"],  # the removed one's day stays listed
        "2026-11-26": ["Z1-001"],
        "2026-11-27": ["Z1-005"],
    }
    assert entry(data, "Z2-001") == added
    t1 = data["plans"][0]
    assert t1["days"][1]["households"][0]["reason"] == "manual"  # no reason of its own for T1
    assert t1["not_planned"] == [{"household_no": "Z1-003", "reason": "overdue"}]

    plans.regenerate_plan(store, W48, "T1", today=TODAY)
    data = plans.weekly_plan(store, W48, "T1", today=TODAY)
    # Kept: Z1-001 on Thursday, Z2-001 on Tuesday, Z1-003 left out; the rest fills from Monday.
    assert team_days(data) == {
        "2026-11-23": ["Z1-002", "Z1-004"],
        "2026-11-24": ["Z2-001", "Z1-005"],
        "2026-11-25": [],
        "2026-11-26": ["Z1-001"],
        "2026-11-27": [],
    }

    plans.reset_plan(store, W48, "T1", today=TODAY)
    data = plans.weekly_plan(store, W48, "T1", today=TODAY)
    assert team_days(data) == {
        "2026-11-23": ["Z1-001", "Z1-002"],
        "2026-11-25": ["Z1-003", "Z1-004"],
        "2026-11-27": ["Z1-005"],
    }


def test_reorder_and_bad_edits(store: Store, zone: dict[str, str]) -> None:
    plans.save_plan(store, W48, "T1", today=TODAY)
    data = plans.weekly_plan(store, W48, "T1", today=TODAY)
    plans.reorder_plan_entry(store, entry(data, "Z1-002"), 0)
    data = plans.weekly_plan(store, W48, "T1", today=TODAY)
    assert team_days(data)["2026-11-23"] == ["Z1-002", "Z1-001"]
    with pytest.raises(InvalidInput, match="not inside 2026-W48"):
        plans.move_plan_entry(store, entry(data, "Z1-002"), date(2026, 11, 30))
    with pytest.raises(InvalidInput, match="already planned"):
        plans.add_plan_entry(store, "T1", W48, TUE, zone["H1"])
    with pytest.raises(InvalidInput, match="unknown plan entry"):
        plans.remove_plan_entry(store, "no-such-id")


def test_add_saves_the_plan_first(store: Store, zone: dict[str, str]) -> None:
    plans.add_plan_entry(store, "T2", W48, FRI, zone["H1"])
    assert plans.has_saved_plan(store, "T2", W48)
    data = plans.weekly_plan(store, W48, "T2")
    assert "Z1-001" in team_days(data, "T2")["2026-11-27"]


def test_history_due_and_overdue_lists(store: Store, zone: dict[str, str]) -> None:
    insert_visit(store, zone["H1"], date(2026, 11, 23), "met", team_id=zone["t1"])
    insert_visit(store, zone["H2"], date(2026, 11, 23), "absent", team_id=zone["t2"])
    insert_visit(store, zone["H2"], date(2026, 11, 17), "met", team_id=zone["t1"], deleted=True)
    assert facts.field_days_history(store, "T1", [IsoWeek(2026, 46), IsoWeek(2026, 47), W48]) == [
        4,
        0,
        1,
    ]
    assert facts.field_days_history(store, "T2", [W48]) == [1]
    overdue = store_due.overdue_residents(store, date(2026, 11, 24), "T1")
    assert [(r["household_no"], r["due_date"], r["days_overdue"]) for r in overdue] == [
        ("Z1-002", "2026-11-19", 5),
        ("Z1-003", "2026-11-20", 4),
        ("Z1-004", "2026-11-21", 3),
    ]
    assert (overdue[0]["zone"], overdue[0]["team"], overdue[0]["groups"], overdue[0]["name"]) == (
        "Z1",
        "T1",
        ["ill"],
        "居民2",
    )
    assert store_due.overdue_residents(store, date(2026, 11, 24), "T2") == []
    assert len(store_due.overdue_residents(store, date(2026, 11, 24), limit=2)) == 2
    due = store_due.household_due(store, zone["H1"], date(2026, 11, 24))
    assert [(d["name"], d["due_date"], d["status"]) for d in due] == [("居民1", "2026-11-30", "ok")]
    due = store_due.household_due(store, zone["H4"], date(2026, 11, 20))
    assert [(d["due_date"], d["status"]) for d in due] == [("2026-11-21", "due")]
    assert store_due.household_due(store, zone["H5"], date(2026, 11, 20)) == []


def test_national_day_week_plans_the_make_up_saturday(store: Store, zone: dict[str, str]) -> None:
    t1 = plans.weekly_plan(store, IsoWeek(2026, 41), "T1", today=date(2026, 10, 1))["plans"][0]
    assert t1["working_days"] == ["2026-10-08", "2026-10-09", "2026-10-10"]
    assert [d["date"] for d in t1["days"]] == ["2026-10-08", "2026-10-09", "2026-10-10"]


def test_spring_festival_week_lists_the_urgent_as_not_planned(store: Store, zone: dict[str, str]) -> None:
    t1 = plans.weekly_plan(store, IsoWeek(2026, 8), "T1", today=date(2026, 2, 10))["plans"][0]
    assert (t1["working_days"], t1["required_field_days"], t1["days"]) == ([], 0, [])
    # Memberships since 2026-01-01 and no visit before: all four were due 01-08, overdue by 02-16.
    assert [(h["household_no"], h["reason"]) for h in t1["not_planned"]] == [
        ("Z1-001", "overdue"),
        ("Z1-002", "overdue"),
        ("Z1-003", "overdue"),
        ("Z1-004", "overdue"),
    ]


def test_community_days_off_are_not_planned(store: Store, zone: dict[str, str]) -> None:
    store.set_setting("days_off", ["2026-11-23", "2026-11-25"])
    t1 = plans.weekly_plan(store, W48, "T1", today=TODAY)["plans"][0]
    assert t1["working_days"] == ["2026-11-24", "2026-11-26", "2026-11-27"]
    assert [d["date"] for d in t1["days"]] == ["2026-11-24", "2026-11-26", "2026-11-27"]


def test_a_building_goes_whole_to_a_day_with_room_for_it() -> None:
    # Capacity 2: A (building b1) fills half of Monday; B and C (building b2) go together on Wednesday.
    households = [
        hh("A", building="b1", last_met=date(2026, 11, 1), groups=("ill",)),
        hh("B", building="b2", last_met=date(2026, 11, 2), groups=("ill",)),
        hh("C", building="b2", last_met=date(2026, 11, 3), groups=("ill",)),
    ]
    p = plan(households, rules=replace(DEFAULT_RULES, capacity=2))
    assert days_of(p) == {"2026-11-23": ["A"], "2026-11-25": ["B", "C"], "2026-11-27": []}


def test_a_day_placed_by_hand_in_the_past_takes_nobody_else() -> None:
    # Reference day Wednesday; a cadre had put P9 on Monday, in H2's building. Monday stays P9's alone.
    households = [
        hh("H1", building="b1", last_met=date(2026, 11, 1), groups=("ill",)),
        hh("H2", building="bx", last_met=date(2026, 11, 2), groups=("ill",)),
    ]
    pinned = {"P": Pinned("P9", "bx", date(2026, 11, 23), 0, "manual")}
    p = plan(households, ref=date(2026, 11, 25), pinned=pinned)
    assert days_of(p) == {
        "2026-11-23": ["P9"],
        "2026-11-25": ["H1", "H2"],
        "2026-11-26": [],
        "2026-11-27": [],
    }


def test_a_day_off_placed_by_hand_takes_no_overflow() -> None:
    # Capacity 2, reference day Friday, P9 moved to Saturday: the third overdue household is not planned.
    households = [
        hh(f"H{i}", building=f"b{i}", last_met=date(2026, 11, i), groups=("ill",)) for i in (1, 2, 3)
    ]
    pinned = {"P": Pinned("P9", "bx", date(2026, 11, 28), 0, "manual")}
    p = plan(households, ref=date(2026, 11, 27), rules=replace(DEFAULT_RULES, capacity=2), pinned=pinned)
    assert days_of(p) == {"2026-11-27": ["H1", "H2"], "2026-11-28": ["P9"]}
    assert [e.household_no for e in p.not_planned] == ["H3"]
