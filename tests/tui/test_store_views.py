"""The store functions the screens call, on the fixture community: typed rows with hand-checked values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cadre_tui.core.weeks import IsoWeek
from cadre_tui.errors import InvalidInput
from cadre_tui.store import views
from cadre_tui.store.db import Store
from cadre_tui.store.matter_views import matters_log
from cadre_tui.store.settings import AppSettings, app_settings, save_app_settings
from cadre_tui.store.views import Team
from cadre_tui.store.week_views import dashboard, generate_plan, plan_view, remove_planned
from tests.tui.community import TODAY

# noon of the fixture's today in Shanghai
NOW = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
W48 = IsoWeek(2026, 48)


@pytest.fixture
def store(community_db: Path) -> Iterator[Store]:
    opened = Store.open(community_db)
    yield opened
    opened.close()


def test_teams_and_my_team_are_typed(store: Store) -> None:
    teams = views.teams(store)
    assert [(t.code, t.name, t.zone_code, len(t.member_ids)) for t in teams] == [
        ("T1", "一组", "Z1", 2),
        ("T2", "二组", "Z2", 2),
    ]
    mine = views.my_team(store)
    assert isinstance(mine, Team)
    assert mine.code == "T1"


def test_the_matters_log_says_where_who_and_whether_late(store: Store) -> None:
    log = matters_log(store, NOW)
    assert [(m.title, m.where, m.attended_codes, m.late, m.overdue) for m in log] == [
        # illness (target 48 h), open for 26 hours: not yet overdue
        ("曾国强住院", "H0002", (), False, False),
        # activity (target 1 h), attended after 30 minutes
        ("社区议事会", "", ("C01", "C03"), False, False),
    ]
    assert [m.title for m in matters_log(store, NOW, limit=1)] == ["曾国强住院"]


def test_household_detail_and_the_residents_a_visit_met(store: Store) -> None:
    household_id = views.households_brief(store, ["H0001"])["H0001"].id
    detail = views.household_detail(store, household_id, TODAY)
    assert detail is not None
    assert (detail.household.address, detail.household.team_code) == ("幸福小区1栋1单元101", "T1")
    assert [(r.name, r.relation, r.status) for r in detail.residents] == [
        ("张三", "户主", "present"),
        ("李四", "配偶", "present"),
    ]
    assert [(v.visit_date, v.outcome, v.cadres) for v in detail.visits] == [
        ("2026-11-23", "met", ("C01", "C02")),
        ("2026-11-10", "met", ("C01", "C02")),
    ]
    wife = detail.residents[1].id
    assert [r.name for r in views.residents_met(store, household_id, (wife, "no-such-id"))] == ["李四"]


def test_the_dashboard_is_typed_with_households_for_the_visit_form(store: Store) -> None:
    data = dashboard(store, TODAY, NOW)
    assert (data.week, data.as_of) == ("2026-W48", "2026-11-24")
    first = data.teams[0]
    assert (first.team, first.name, first.matters, first.matters_attended, first.matters_late) == (
        "T1",
        "一组",
        1,
        0,
        0,
    )
    assert [(o.name, o.household_no, o.days_overdue) for o in data.overdue] == [
        ("单田芳", "H0004", 16),
        ("曾国强", "H0002", 15),
    ]
    assert all(o.household_id for o in data.overdue)
    assert [m.title for m in data.open_matters] == ["曾国强住院"]


def test_plan_view_then_generate_then_remove(store: Store) -> None:
    proposed = plan_view(store, W48, None, TODAY)
    assert proposed.team is not None and proposed.team.code == "T1"
    assert proposed.plan is not None and not proposed.saved
    tuesday = next(d for d in proposed.plan.days if d.day == date(2026, 11, 24))
    assert [(i.household_no, i.reason, i.entry_id) for i in tuesday.items] == [
        ("H0004", "overdue", None),
        ("H0002", "overdue", None),
        ("H0008", "unfamiliar", None),
        ("H0003", "unfamiliar", None),
    ]
    saved = plan_view(store, W48, "T1", TODAY, generate_plan)
    assert saved.saved and saved.plan is not None
    tuesday = next(d for d in saved.plan.days if d.day == date(2026, 11, 24))
    assert all(i.entry_id for i in tuesday.items)
    after = plan_view(store, W48, "T1", TODAY, remove_planned(tuesday.items[0]))
    assert after.plan is not None
    tuesday = next(d for d in after.plan.days if d.day == date(2026, 11, 24))
    assert [i.household_no for i in tuesday.items] == ["H0002", "H0008", "H0003"]


def test_the_settings_screens_values_are_written_together_or_not_at_all(store: Store) -> None:
    assert app_settings(store).me == "C01"
    save_app_settings(store, "C03", "6", "en")
    assert app_settings(store) == AppSettings("C03", "6", "en")
    with pytest.raises(InvalidInput, match="capacity"):
        save_app_settings(store, "C02", "many", "zh")
    assert app_settings(store) == AppSettings("C03", "6", "en")
