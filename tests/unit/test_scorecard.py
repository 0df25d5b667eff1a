"""The 23766 scorecard (SPEC §5): every definition, with hand-worked values and its edges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cadre_tui.core.scorecard import default_as_of, due_date, rounded_share, share_reaches
from cadre_tui.core.weeks import IsoWeek
from cadre_tui.errors import InvalidInput
from cadre_tui.store.db import Store
from cadre_tui.store.facts import weekly_scorecard
from tests.builders import (
    insert_cadre,
    insert_household,
    insert_matter,
    insert_membership,
    insert_resident,
    insert_team,
    insert_visit,
    insert_zone_team,
)

W48 = IsoWeek(2026, 48)  # Monday 2026-11-23 .. Sunday 2026-11-29
THU = date(2026, 11, 26)
SH = ZoneInfo("Asia/Shanghai")


@dataclass
class Community:
    """Two zones with their teams: Z1/T1 (C01, C02) and Z2/T2 (C03, C04)."""

    z1: str
    z2: str
    t1: str
    t2: str
    c: dict[str, str]


@pytest.fixture
def town(store: Store) -> Community:
    z1, t1, (c1, c2) = insert_zone_team(store, "Z1", "T1", ["C01", "C02"])
    z2, t2, (c3, c4) = insert_zone_team(store, "Z2", "T2", ["C03", "C04"])
    return Community(z1, z2, t1, t2, {"C01": c1, "C02": c2, "C03": c3, "C04": c4})


def row(card: dict[str, Any], team: str) -> dict[str, Any]:
    return next(t for t in card["teams"] if t["team"] == team)


def card(store: Store, as_of: date = THU, week: IsoWeek = W48) -> dict[str, Any]:
    return weekly_scorecard(store, week, as_of)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


# -- as_of -----------------------------------------------------------------------------------------------


def test_default_as_of_is_today_inside_the_week_else_sunday() -> None:
    assert default_as_of(W48, date(2026, 11, 24)) == date(2026, 11, 24)
    assert default_as_of(W48, date(2026, 11, 23)) == date(2026, 11, 23)
    assert default_as_of(W48, date(2026, 12, 2)) == date(2026, 11, 29)
    assert default_as_of(W48, date(2026, 11, 20)) == date(2026, 11, 29)


def test_the_store_takes_today_from_the_argument(store: Store, town: Community) -> None:
    assert weekly_scorecard(store, W48, today=date(2026, 11, 25))["as_of"] == "2026-11-25"
    assert weekly_scorecard(store, IsoWeek(2026, 47), today=date(2026, 11, 25))["as_of"] == "2026-11-22"


@pytest.mark.parametrize("as_of", [date(2026, 11, 22), date(2026, 11, 30)])
def test_as_of_outside_the_week_is_refused(store: Store, town: Community, as_of: date) -> None:
    with pytest.raises(InvalidInput, match="not inside 2026-W48"):
        weekly_scorecard(store, W48, as_of)


# -- shape -----------------------------------------------------------------------------------------------


def test_json_keys_in_the_order_of_the_spec(store: Store, town: Community) -> None:
    result = card(store)
    assert list(result) == ["week", "as_of", "community", "community_familiarity", "teams"]
    assert list(row(result, "T1")) == [
        "team", "zone", "members", "team_size_ok", "working_days", "required_field_days", "field_days",
        "field_days_ok", "households", "familiar_households", "familiarity", "familiarity_ok",
        "priority_residents", "priority_overdue", "priority_ok", "matters", "matters_attended",
        "matters_late", "matters_ok",
    ]  # fmt: skip
    assert (result["week"], result["as_of"], result["community"]) == ("2026-W48", "2026-11-26", "幸福社区")
    assert [t["team"] for t in result["teams"]] == ["T1", "T2"]


def test_an_empty_team_row(store: Store, town: Community) -> None:
    assert row(card(store), "T1") == {
        "team": "T1", "zone": "Z1", "members": ["C01", "C02"], "team_size_ok": True,
        "working_days": 5, "required_field_days": 3, "field_days": 0, "field_days_ok": False,
        "households": 0, "familiar_households": 0, "familiarity": 0, "familiarity_ok": False,
        "priority_residents": 0, "priority_overdue": 0, "priority_ok": True,
        "matters": 0, "matters_attended": 0, "matters_late": 0, "matters_ok": True,
    }  # fmt: skip


# -- members ---------------------------------------------------------------------------------------------


def test_members_are_the_active_cadres_in_code_order(store: Store) -> None:
    from tests.builders import insert_zone

    zone = insert_zone(store, "Z1")
    ids = [
        insert_cadre(store, "C09"),
        insert_cadre(store, "C02"),
        insert_cadre(store, "C05", active=False),
        insert_cadre(store, "C07", deleted=True),
    ]
    insert_team(store, "T1", zone, ids)
    insert_team(store, "T0", zone, [ids[0]])
    insert_team(store, "T9", zone, ids[:2], deleted=True)
    result = card(store)
    assert [t["team"] for t in result["teams"]] == ["T0", "T1"]
    assert (row(result, "T1")["members"], row(result, "T1")["team_size_ok"]) == (["C02", "C09"], True)
    assert (row(result, "T0")["members"], row(result, "T0")["team_size_ok"]) == (["C09"], False)


# -- working and field days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week", "as_of", "working", "required"),
    [
        (IsoWeek(2026, 8), date(2026, 2, 22), 0, 0),  # Spring Festival
        (IsoWeek(2026, 41), date(2026, 10, 11), 3, 3),  # National Day, make-up Saturday 10-10
        (IsoWeek(2026, 40), date(2026, 10, 4), 3, 3),  # 09-28..30 work, then National Day
        (IsoWeek(2027, 2), date(2027, 1, 17), 5, 3),  # fallback: Monday to Friday
    ],
)
def test_working_days_and_required_field_days(
    store: Store, town: Community, week: IsoWeek, as_of: date, working: int, required: int
) -> None:
    t1 = row(weekly_scorecard(store, week, as_of), "T1")
    assert (t1["working_days"], t1["required_field_days"]) == (working, required)
    assert t1["field_days_ok"] is (required == 0)


def test_community_days_off_lower_working_days(store: Store, town: Community) -> None:
    store.set_setting("days_off", ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-28"])
    t1 = row(card(store), "T1")
    assert (t1["working_days"], t1["required_field_days"]) == (2, 2)


def test_field_days_count_distinct_days_of_visits_recorded_for_the_team(
    store: Store, town: Community
) -> None:
    h1 = insert_household(store, "Z1-001", town.z1)
    h2 = insert_household(store, "Z2-001", town.z2)
    insert_visit(store, h1, date(2026, 11, 23), "met", team_id=town.t1)
    insert_visit(store, h1, date(2026, 11, 23), "absent", team_id=town.t1)  # same day again
    insert_visit(store, h1, date(2026, 11, 24), "refused", team_id=town.t1)  # any outcome
    insert_visit(store, h2, date(2026, 11, 25), "met", team_id=town.t1)  # another zone still counts
    insert_visit(store, h1, date(2026, 11, 22), "met", team_id=town.t1)  # previous week
    insert_visit(store, h1, date(2026, 11, 27), "met", team_id=town.t1)  # after as_of
    insert_visit(store, h1, date(2026, 11, 26), "met", team_id=town.t1, deleted=True)
    insert_visit(store, h1, date(2026, 11, 26), "met", team_id=town.t2)  # recorded with T2's code
    result = card(store)
    assert (row(result, "T1")["field_days"], row(result, "T1")["field_days_ok"]) == (3, True)
    assert (row(result, "T2")["field_days"], row(result, "T2")["field_days_ok"]) == (1, False)
    # The visit after as_of counts once as_of reaches it.
    assert row(card(store, date(2026, 11, 27)), "T1")["field_days"] == 4


def test_a_saturday_visit_counts_as_a_field_day(store: Store, town: Community) -> None:
    h1 = insert_household(store, "Z1-001", town.z1)
    insert_visit(store, h1, date(2026, 11, 28), "met", team_id=town.t1)
    assert row(card(store, date(2026, 11, 29)), "T1")["field_days"] == 1


# -- households and familiarity --------------------------------------------------------------------------


def test_households_are_active_not_deleted_of_the_zone(store: Store, town: Community) -> None:
    insert_household(store, "Z1-001", town.z1)
    insert_household(store, "Z1-002", town.z1, active=False)
    insert_household(store, "Z1-003", town.z1, deleted=True)
    insert_household(store, "Z2-001", town.z2)
    result = card(store)
    assert (row(result, "T1")["households"], row(result, "T2")["households"]) == (1, 1)


def test_familiar_needs_a_met_visit_inside_the_365_day_window(store: Store, town: Community) -> None:
    as_of = THU
    cases = {
        "364 days before": (as_of - timedelta(days=364), "met", False, True),
        "365 days before": (as_of - timedelta(days=365), "met", False, False),
        "on as_of": (as_of, "met", False, True),
        "after as_of": (as_of + timedelta(days=1), "met", False, False),
        "absent": (as_of - timedelta(days=1), "absent", False, False),
        "deleted": (as_of - timedelta(days=1), "met", True, False),
    }
    expected = 0
    for i, (visit_date, outcome, deleted, familiar) in enumerate(cases.values()):
        h = insert_household(store, f"Z1-{i:03d}", town.z1)
        insert_visit(store, h, visit_date, outcome, team_id=town.t1, deleted=deleted)
        expected += familiar
    t1 = row(card(store, as_of), "T1")
    assert (t1["households"], t1["familiar_households"]) == (6, 2)
    assert expected == 2
    assert t1["familiarity"] == 0.333


def test_a_met_visit_by_another_team_makes_the_household_familiar(store: Store, town: Community) -> None:
    h = insert_household(store, "Z1-001", town.z1)
    insert_visit(store, h, date(2026, 11, 2), "met", team_id=town.t2)
    t1 = row(card(store), "T1")
    assert (t1["familiar_households"], t1["familiarity"], t1["familiarity_ok"]) == (1, 1.0, True)


def test_the_window_is_a_setting(store: Store, town: Community) -> None:
    h = insert_household(store, "Z1-001", town.z1)
    insert_visit(store, h, THU - timedelta(days=30), "met", team_id=town.t1)
    assert row(card(store), "T1")["familiar_households"] == 1
    store.set_setting("familiarity.window_days", 30)
    assert row(card(store), "T1")["familiar_households"] == 0


def test_familiarity_rounds_half_up_on_three_decimals() -> None:
    assert rounded_share(2, 3) == 0.667
    assert rounded_share(1, 3) == 0.333
    assert rounded_share(1, 2000) == 0.001  # 0.0005 goes up
    assert rounded_share(1, 16) == 0.063  # 0.0625 goes up (round() would give 0.062)
    assert rounded_share(0, 5) == 0.0
    assert rounded_share(0, 0) == 0


def test_familiarity_ok_uses_the_unrounded_share() -> None:
    target = Decimal("0.7")
    assert share_reaches(7, 10, target)
    assert share_reaches(70, 100, target)
    assert not share_reaches(6999, 10000, target)  # rounds to 0.700 but is below
    assert not share_reaches(0, 0, target)
    assert share_reaches(0, 1, Decimal("0"))


def test_familiarity_ok_below_target_although_rounded_reaches_it(store: Store, town: Community) -> None:
    # 2 of 3 = 0.6667 against a target of 0.667: rounded 0.667, unrounded below.
    store.set_setting("familiarity.target", 0.667)
    for i in range(3):
        h = insert_household(store, f"Z1-{i}", town.z1)
        if i < 2:
            insert_visit(store, h, date(2026, 11, 23), "met", team_id=town.t1)
    t1 = row(card(store), "T1")
    assert (t1["familiarity"], t1["familiarity_ok"]) == (0.667, False)


def test_community_familiarity_is_over_all_active_households(store: Store, town: Community) -> None:
    from tests.builders import insert_zone

    lone_zone = insert_zone(store, "Z9")  # a zone no team owns still counts for the community
    homes = [insert_household(store, f"Z1-{i}", town.z1) for i in range(2)]
    homes += [insert_household(store, "Z2-1", town.z2), insert_household(store, "Z9-1", lone_zone)]
    insert_household(store, "Z9-2", lone_zone, active=False)
    insert_visit(store, homes[0], date(2026, 11, 23), "met", team_id=town.t1)
    insert_visit(store, homes[3], date(2026, 11, 23), "met", team_id=town.t1)
    result = card(store)
    assert result["community_familiarity"] == 0.5
    assert (row(result, "T1")["familiarity"], row(result, "T2")["familiarity"]) == (0.5, 0.0)


# -- priority residents ----------------------------------------------------------------------------------


def test_due_date_is_the_later_of_last_met_and_earliest_since_plus_cadence() -> None:
    assert due_date(date(2026, 11, 10), date(2026, 1, 1), 7) == date(2026, 11, 17)
    assert due_date(date(2026, 11, 10), date(2026, 11, 20), 7) == date(2026, 11, 27)
    assert due_date(None, date(2026, 11, 20), 14) == date(2026, 12, 4)


def test_priority_residents_and_overdue(store: Store, town: Community) -> None:
    h = insert_household(store, "Z1-001", town.z1)
    insert_visit(store, h, date(2026, 11, 19), "met", team_id=town.t1)  # due 11-26 for a 7-day group
    on_time = insert_resident(store, h, "王一")  # solitary: 11-19 + 7 = 11-26 == as_of: not overdue
    insert_membership(store, on_time, "solitary", date(2026, 1, 1))
    both = insert_resident(store, h, "王二")  # widowed 14 and ill 7: shortest wins, due 11-26
    insert_membership(store, both, "widowed", date(2026, 1, 1))
    insert_membership(store, both, "ill", date(2026, 3, 1))
    gone = insert_resident(store, h, "王三", status="moved_out")
    insert_membership(store, gone, "poor", date(2026, 1, 1))
    dead = insert_resident(store, h, "王四", status="deceased")
    insert_membership(store, dead, "poor", date(2026, 1, 1))
    erased = insert_resident(store, h, "王五", deleted=True)
    insert_membership(store, erased, "poor", date(2026, 1, 1))
    ended = insert_resident(store, h, "王六")
    insert_membership(store, ended, "poor", date(2026, 1, 1), deleted=True)
    later = insert_resident(store, h, "王七")
    insert_membership(store, later, "poor", date(2026, 11, 27))  # since after as_of
    t1 = row(card(store), "T1")
    assert (t1["priority_residents"], t1["priority_overdue"], t1["priority_ok"]) == (2, 0, True)
    # A day later both are overdue (due 11-26 < 11-27), and 王七's membership is now in force.
    t1 = row(card(store, date(2026, 11, 27)), "T1")
    assert (t1["priority_residents"], t1["priority_overdue"], t1["priority_ok"]) == (3, 2, False)


def test_the_shortest_cadence_decides_with_two_groups(store: Store, town: Community) -> None:
    h = insert_household(store, "Z1-001", town.z1)
    insert_visit(store, h, date(2026, 11, 16), "met", team_id=town.t1)  # +7 = 11-23 < as_of
    r = insert_resident(store, h, "李四")
    insert_membership(store, r, "elderly", date(2026, 1, 1))  # 14 days: 11-30, fine alone
    assert row(card(store), "T1")["priority_overdue"] == 0
    insert_membership(store, r, "ill", date(2026, 2, 1))  # 7 days: 11-23, overdue
    assert row(card(store), "T1")["priority_overdue"] == 1


def test_a_recent_since_restarts_the_clock(store: Store, town: Community) -> None:
    h = insert_household(store, "Z1-001", town.z1)
    r = insert_resident(store, h, "张三")  # never met; since 11-20 + 7 = 11-27: not yet overdue
    insert_membership(store, r, "solitary", date(2026, 11, 20))
    assert row(card(store), "T1")["priority_overdue"] == 0
    # The earliest since counts: an older membership makes the due date 11-08.
    insert_membership(store, r, "elderly", date(2026, 10, 25))
    assert row(card(store), "T1")["priority_overdue"] == 1


def test_only_met_visits_on_or_before_as_of_count_for_due_dates(store: Store, town: Community) -> None:
    h = insert_household(store, "Z1-001", town.z1)
    r = insert_resident(store, h, "赵六")
    insert_membership(store, r, "solitary", date(2026, 1, 1))
    insert_visit(store, h, date(2026, 11, 25), "absent", team_id=town.t1)
    insert_visit(store, h, date(2026, 11, 27), "met", team_id=town.t1)  # after as_of
    insert_visit(store, h, date(2026, 11, 24), "met", team_id=town.t1, deleted=True)
    assert row(card(store), "T1")["priority_overdue"] == 1
    insert_visit(store, h, date(2026, 11, 20), "met", team_id=town.t2)  # any team's met visit
    assert row(card(store), "T1")["priority_overdue"] == 0


def test_residents_of_inactive_households_do_not_count(store: Store, town: Community) -> None:
    h = insert_household(store, "Z1-001", town.z1, active=False)
    r = insert_resident(store, h, "钱七")
    insert_membership(store, r, "solitary", date(2026, 1, 1))
    assert row(card(store), "T1")["priority_residents"] == 0


# -- matters ---------------------------------------------------------------------------------------------


def test_a_community_matter_counts_for_every_team_attended_by_one_teams_member(
    store: Store, town: Community
) -> None:
    insert_matter(
        store,
        "activity",
        at(date(2026, 11, 24), 9),
        attended_at=at(date(2026, 11, 24), 9, 30),
        attended_by=[town.c["C01"]],
    )
    result = card(store)
    t1, t2 = row(result, "T1"), row(result, "T2")
    assert (t1["matters"], t1["matters_attended"], t1["matters_late"], t1["matters_ok"]) == (1, 1, 0, True)
    assert (t2["matters"], t2["matters_attended"], t2["matters_late"], t2["matters_ok"]) == (1, 0, 0, False)


def test_zone_and_household_matters_go_to_the_team_of_the_zone(store: Store, town: Community) -> None:
    h2 = insert_household(store, "Z2-001", town.z2)
    insert_matter(store, "dispute", at(THU, 8), scope="zone", zone_id=town.z1)
    insert_matter(store, "illness", at(THU, 8), scope="household", household_id=h2)
    insert_matter(store, "illness", at(THU, 8), scope="household", household_id=h2, deleted=True)
    result = card(store)
    assert (row(result, "T1")["matters"], row(result, "T2")["matters"]) == (1, 1)
    assert (row(result, "T1")["matters_ok"], row(result, "T2")["matters_ok"]) == (False, False)


def test_late_is_longer_than_the_kinds_target(store: Store, town: Community) -> None:
    c1 = [town.c["C01"]]
    insert_matter(store, "emergency", at(THU, 10), attended_at=at(THU, 12), attended_by=c1)  # exactly 2h
    insert_matter(store, "emergency", at(THU, 10), attended_at=at(THU, 12, 1), attended_by=c1)  # 2h01
    insert_matter(store, "activity", at(THU, 10), attended_at=at(THU, 11, 1), attended_by=c1)  # 1h01
    insert_matter(
        store, "illness", at(date(2026, 11, 24), 10), attended_at=at(THU, 10), attended_by=c1
    )  # 48h
    t1 = row(card(store), "T1")
    assert (t1["matters"], t1["matters_attended"], t1["matters_late"], t1["matters_ok"]) == (4, 4, 2, False)
    store.set_setting("target.activity", 90)
    assert row(card(store), "T1")["matters_late"] == 1


def test_attended_late_versus_not_attended(store: Store, town: Community) -> None:
    insert_matter(
        store, "dispute", at(date(2026, 11, 23), 9), attended_at=at(THU, 9), attended_by=[town.c["C02"]]
    )
    insert_matter(store, "dispute", at(date(2026, 11, 23), 9))
    t1 = row(card(store), "T1")
    assert (t1["matters"], t1["matters_attended"], t1["matters_late"], t1["matters_ok"]) == (2, 1, 1, False)


def test_attended_after_as_of_is_not_attended_yet(store: Store, town: Community) -> None:
    c1 = [town.c["C01"]]
    insert_matter(store, "hardship", at(THU, 9), attended_at=at(THU, 23, 59), attended_by=c1)
    insert_matter(store, "hardship", at(THU, 9), attended_at=at(date(2026, 11, 27), 0, 0), attended_by=c1)
    t1 = row(card(store), "T1")
    assert (t1["matters"], t1["matters_attended"]) == (2, 1)
    t1 = row(card(store, date(2026, 11, 27)), "T1")
    assert (t1["matters"], t1["matters_attended"], t1["matters_ok"]) == (2, 2, True)


def test_attended_only_by_an_inactive_or_other_teams_cadre(store: Store, town: Community) -> None:
    store.db.execute("UPDATE cadres SET active = 0 WHERE code = 'C02'")
    insert_matter(
        store,
        "dispute",
        at(THU, 9),
        scope="zone",
        zone_id=town.z1,
        attended_at=at(THU, 10),
        attended_by=[town.c["C02"], town.c["C03"]],
    )
    t1 = row(card(store), "T1")
    assert (t1["members"], t1["team_size_ok"], t1["matters_attended"]) == (["C01"], False, 0)


def test_matters_count_by_local_date_in_the_week_up_to_as_of(store: Store, town: Community) -> None:
    utc = ZoneInfo("UTC")
    insert_matter(store, "dispute", datetime(2026, 11, 22, 17, 0, tzinfo=utc))  # 11-23 01:00 local: in
    insert_matter(store, "dispute", datetime(2026, 11, 22, 15, 59, tzinfo=utc))  # 11-22 23:59 local: out
    insert_matter(store, "dispute", at(THU, 23, 59))  # on as_of: in
    insert_matter(store, "dispute", at(date(2026, 11, 27), 0, 0))  # after as_of: out
    assert row(card(store), "T1")["matters"] == 2
    assert row(card(store, date(2026, 11, 29)), "T1")["matters"] == 3
