"""Visits, matters and corrections in the store (cadre_tui.store.records), with hand-checked values."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cadre_tui.core.dates import parse_datetime
from cadre_tui.errors import InvalidInput
from cadre_tui.store.db import Store, natural_id
from cadre_tui.store.records import (
    active_members,
    add_matter,
    add_visit,
    attend_matter,
    cadre_by_code,
    delete_matter,
    delete_visit,
    household_by_no,
    matter_by_id,
    parse_yuan,
    set_household_active,
    set_resident_status,
    team_by_code,
    team_of_zone,
    update_matter,
    update_visit,
    zone_by_code,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 24)


def seed_small(store: Store) -> dict[str, str]:
    """Z1/T1 (C01, C02 active), Z2/T2 (C03 active, C04 inactive), Z3 without a team; three households."""
    community = store.require_community()

    def nid(kind: str, key: str) -> str:
        return natural_id(community.id, kind, key)

    ids: dict[str, str] = {}
    with store.transaction():
        for code in ("Z1", "Z2", "Z3"):
            ids[code] = nid("zone", code)
            store.db.table("zones").insert(
                {"id": ids[code], "code": code, "name": code, **store.sync_columns()}
            )
        for code, active in (("C02", 1), ("C01", 1), ("C03", 1), ("C04", 0)):
            ids[code] = nid("cadre", code)
            store.db.table("cadres").insert(
                {"id": ids[code], "code": code, "name": code, "active": active, **store.sync_columns()}
            )
        for code, zone, members in (("T1", "Z1", "C02;C01"), ("T2", "Z2", "C03;C04")):
            ids[code] = nid("team", code)
            member_ids = ";".join(ids[c] for c in members.split(";"))
            store.db.table("teams").insert(
                {
                    "id": ids[code],
                    "code": code,
                    "name": code,
                    "zone_id": ids[zone],
                    "member_ids": member_ids,
                    **store.sync_columns(),
                }
            )
        for no, zone in (("XF001", "Z1"), ("XF002", "Z2"), ("XF003", "Z3")):
            ids[no] = nid("household", no)
            store.db.table("households").insert(
                {"id": ids[no], "household_no": no, "zone_id": ids[zone], **store.sync_columns()}
            )
        for key, no, name in (("R1", "XF001", "曾秀英"), ("R2", "XF002", "单建国")):
            ids[key] = nid("resident", f"{no}/{name}")
            store.db.table("residents").insert(
                {"id": ids[key], "household_id": ids[no], "name": name, **store.sync_columns()}
            )
    return ids


@pytest.fixture
def ids(store: Store) -> dict[str, str]:
    """The small community's row ids by code."""
    return seed_small(store)


def visit_row(store: Store, visit_id: str) -> dict[str, object]:
    """The stored visit."""
    return dict(next(iter(store.db.query("SELECT * FROM visits WHERE id = ?", [visit_id]))))


def test_look_ups(store: Store, ids: dict[str, str]) -> None:
    household = household_by_no(store, " XF001 ")
    assert household is not None and household["id"] == ids["XF001"]
    assert household_by_no(store, "XF999") is None
    assert zone_by_code(store, "Z2")["id"] == ids["Z2"]  # type: ignore[index]
    team = team_by_code(store, "T1")
    assert team is not None and team["id"] == ids["T1"]
    assert cadre_by_code(store, "C04")["active"] == 0  # type: ignore[index]
    assert team_of_zone(store, ids["Z1"])["code"] == "T1"  # type: ignore[index]
    assert team_of_zone(store, ids["Z3"]) is None
    # Code order, whatever the order of member_ids; inactive C04 left out.
    assert [c["code"] for c in active_members(store, team)] == ["C01", "C02"]
    assert [c["code"] for c in active_members(store, team_by_code(store, "T2"))] == ["C03"]  # type: ignore[arg-type]


def test_add_visit_defaults_to_the_zone_team_and_its_active_members(
    store: Store, ids: dict[str, str]
) -> None:
    visit_id = add_visit(
        store, household_id=ids["XF001"], visit_date=date(2026, 11, 23), outcome="met", today=TODAY
    )
    row = visit_row(store, visit_id)
    assert row["team_id"] == ids["T1"]
    assert row["cadre_ids"] == f"{ids['C01']};{ids['C02']}"
    assert (row["visit_date"], row["outcome"], row["needs"], row["resident_ids"]) == (
        "2026-11-23",
        "met",
        "",
        "",
    )
    assert (row["follow_up_date"], row["assistance_yuan"], row["deleted"]) == (None, None, 0)
    assert row["origin"] == store.device_id


def test_add_visit_with_every_field(store: Store, ids: dict[str, str]) -> None:
    visit_id = add_visit(
        store,
        household_id=ids["XF002"],
        visit_date=date(2026, 11, 24),
        outcome="absent",
        team_id=ids["T1"],
        cadre_ids=[ids["C04"], ids["C01"], ids["C04"]],
        resident_ids=[ids["R2"]],
        needs=["medical", "housing", "medical"],
        notes="门上留了联系卡",
        follow_up_date=date(2026, 12, 1),
        assistance_yuan="0150.50",
        today=TODAY,
    )
    row = visit_row(store, visit_id)
    assert row["team_id"] == ids["T1"]
    assert row["cadre_ids"] == f"{ids['C04']};{ids['C01']}"
    assert row["resident_ids"] == ids["R2"]
    assert row["needs"] == "medical;housing"
    assert (row["notes"], row["follow_up_date"], row["assistance_yuan"]) == (
        "门上留了联系卡",
        "2026-12-01",
        "150.50",
    )


def test_two_visits_to_one_household_on_one_day_are_allowed(store: Store, ids: dict[str, str]) -> None:
    first = add_visit(store, household_id=ids["XF001"], visit_date=TODAY, outcome="absent", today=TODAY)
    second = add_visit(store, household_id=ids["XF001"], visit_date=TODAY, outcome="met", today=TODAY)
    assert first != second
    assert store.db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"household_id": "nope"}, "unknown household"),
        ({"outcome": "gone"}, "unknown outcome 'gone'"),
        ({"visit_date": date(2026, 11, 25)}, "visit date 2026-11-25 is in the future (today is 2026-11-24)"),
        ({"team_id": "nope"}, "unknown team"),
        ({"cadre_ids": ["nope"]}, "unknown cadre"),
        ({"cadre_ids": []}, "at least one cadre"),
        ({"needs": ["money"]}, "unknown need 'money'"),
        ({"resident_ids": ["R2"]}, "is not a resident of household XF001"),
        (
            {"follow_up_date": date(2026, 11, 1)},
            "follow-up date 2026-11-01 is before the visit date 2026-11-20",
        ),
        ({"assistance_yuan": "-5"}, "assistance: not an amount"),
        ({"assistance_yuan": "1.234"}, "assistance: not an amount"),
    ],
)
def test_add_visit_rejects_bad_input(
    store: Store, ids: dict[str, str], changes: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {
        "household_id": ids["XF001"],
        "visit_date": date(2026, 11, 20),
        "outcome": "met",
        "today": TODAY,
    }
    if changes.get("resident_ids") == ["R2"]:
        changes = {"resident_ids": [ids["R2"]]}
    args.update(changes)
    with pytest.raises(InvalidInput, match=re.escape(message)):
        add_visit(store, **args)  # type: ignore[arg-type]
    assert store.db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 0


def test_a_zone_without_a_team_or_a_team_without_members_needs_names(
    store: Store, ids: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput, match="its zone Z3 has no team"):
        add_visit(store, household_id=ids["XF003"], visit_date=TODAY, outcome="met", today=TODAY)
    # Naming the team and the cadres is enough.
    add_visit(
        store,
        household_id=ids["XF003"],
        visit_date=TODAY,
        outcome="met",
        team_id=ids["T2"],
        cadre_ids=[ids["C03"]],
        today=TODAY,
    )


def test_parse_yuan() -> None:
    assert parse_yuan("200") == "200"
    assert parse_yuan("007.5") == "7.5"
    assert parse_yuan("0.00") == "0.00"
    assert parse_yuan(" ") is None
    assert parse_yuan(None) is None
    for bad in ("1e3", "12.345", "-1", "1,000", "¥200"):
        with pytest.raises(InvalidInput):
            parse_yuan(bad)


def test_update_visit_revalidates_and_restamps(store: Store, ids: dict[str, str]) -> None:
    visit_id = add_visit(store, household_id=ids["XF001"], visit_date=TODAY, outcome="absent", today=TODAY)
    before = visit_row(store, visit_id)
    update_visit(store, visit_id, outcome="met", needs=["employment"], today=TODAY)
    after = visit_row(store, visit_id)
    assert (after["outcome"], after["needs"], after["cadre_ids"]) == (
        "met",
        "employment",
        before["cadre_ids"],
    )
    assert str(after["updated_at"]) > str(before["updated_at"])
    with pytest.raises(InvalidInput, match="in the future"):
        update_visit(store, visit_id, visit_date=date(2026, 12, 1), today=TODAY)
    with pytest.raises(TypeError):
        update_visit(store, visit_id, colour="red")
    assert visit_row(store, visit_id)["visit_date"] == "2026-11-24"


def test_delete_visit_is_a_tombstone(store: Store, ids: dict[str, str]) -> None:
    visit_id = add_visit(store, household_id=ids["XF001"], visit_date=TODAY, outcome="met", today=TODAY)
    delete_visit(store, visit_id)
    assert visit_row(store, visit_id)["deleted"] == 1
    with pytest.raises(InvalidInput, match="unknown visit"):
        delete_visit(store, visit_id)


def at(text: str) -> datetime:
    """A Shanghai wall-clock time as a UTC moment."""
    return parse_datetime(text, SHANGHAI)


def matter_row(store: Store, matter_id: str) -> dict[str, object]:
    """The stored matter."""
    return dict(next(iter(store.db.query("SELECT * FROM matters WHERE id = ?", [matter_id]))))


def new_matter(store: Store, **given: Any) -> str:
    """`add_matter` of a community's dispute at 2026-11-20 09:30, but for what `given` says."""
    base = {
        "kind": "dispute",
        "title": "邻里噪音",
        "occurred_at": at("2026-11-20 09:30"),
        "scope": "community",
    }
    return add_matter(store, **{**base, **given})


def test_add_matter_stores_utc_and_scope(store: Store, ids: dict[str, str]) -> None:
    matter_id = new_matter(
        store, kind="illness", title=" 住院探望 ", scope="household", household_id=ids["XF001"]
    )
    row = matter_row(store, matter_id)
    assert row["occurred_at"] == "2026-11-20T01:30:00.000Z"
    assert (row["title"], row["scope"], row["zone_id"], row["household_id"]) == (
        "住院探望",
        "household",
        None,
        ids["XF001"],
    )
    assert (row["attended_at"], row["attended_by"]) == (None, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"kind": "party"}, "unknown matter kind 'party'"),
        ({"title": "  "}, "needs a title"),
        ({"scope": "street"}, "unknown scope"),
        ({"scope": "zone", "zone_id": "nope"}, "unknown zone"),
        ({"scope": "household", "household_id": "nope"}, "unknown household"),
        ({"scope": "community", "zone_id": "Z1"}, "names neither a zone nor a household"),
        ({"occurred_at": datetime(2026, 11, 20, 9, 30)}, "with its time zone"),
    ],
)
def test_add_matter_rejects_bad_input(
    store: Store, ids: dict[str, str], args: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        new_matter(store, **args)


def test_attend_matter(store: Store, ids: dict[str, str]) -> None:
    matter_id = new_matter(store, kind="emergency", title="水管爆裂", scope="zone", zone_id=ids["Z1"])
    now = at("2026-11-24 12:00")
    with pytest.raises(
        InvalidInput, match=r"attended at 2026-11-24 12:01 is in the future \(now is 2026-11-24 12:00\)"
    ):
        attend_matter(store, matter_id, attended_at=at("2026-11-24 12:01"), cadre_ids=[ids["C01"]], now=now)
    with pytest.raises(InvalidInput, match=r"before the matter occurred \(2026-11-20 09:30\)"):
        attend_matter(store, matter_id, attended_at=at("2026-11-20 09:29"), cadre_ids=[ids["C01"]], now=now)
    with pytest.raises(InvalidInput, match="unknown cadre"):
        attend_matter(store, matter_id, attended_at=at("2026-11-20 10:00"), cadre_ids=["nope"], now=now)
    with pytest.raises(InvalidInput, match="unknown matter"):
        attend_matter(store, "nope", attended_at=at("2026-11-20 10:00"), cadre_ids=[ids["C01"]], now=now)
    assert matter_row(store, matter_id)["attended_at"] is None
    attend_matter(
        store, matter_id, attended_at=at("2026-11-20 09:30"), cadre_ids=[ids["C02"], ids["C01"]], now=now
    )
    row = matter_row(store, matter_id)
    assert (row["attended_at"], row["attended_by"]) == (
        "2026-11-20T01:30:00.000Z",
        f"{ids['C02']};{ids['C01']}",
    )


def test_update_and_delete_matter(store: Store, ids: dict[str, str]) -> None:
    matter_id = add_matter(
        store, kind="activity", title="重阳节活动", occurred_at=at("2026-10-29 09:00"), scope="community"
    )
    update_matter(store, matter_id, attended_at=at("2026-10-29 09:20"), cadre_ids=[ids["C01"]])
    update_matter(store, matter_id, title="重阳节敬老活动")
    row = matter_row(store, matter_id)
    assert (row["title"], row["attended_at"]) == ("重阳节敬老活动", "2026-10-29T01:20:00.000Z")
    with pytest.raises(InvalidInput, match="before the matter occurred"):
        update_matter(store, matter_id, occurred_at=at("2026-10-29 10:00"))
    update_matter(store, matter_id, attended_at=None)
    assert (matter_row(store, matter_id)["attended_at"], matter_row(store, matter_id)["attended_by"]) == (
        None,
        "",
    )
    assert matter_by_id(store, matter_id[:8]) is not None
    assert matter_by_id(store, matter_id[:7]) is None
    delete_matter(store, matter_id)
    assert matter_row(store, matter_id)["deleted"] == 1
    assert matter_by_id(store, matter_id) is None


def test_set_household_active_and_resident_status(store: Store, ids: dict[str, str]) -> None:
    set_household_active(store, ids["XF001"], False)
    stamp = store.db.execute("SELECT updated_at FROM households WHERE id = ?", [ids["XF001"]]).fetchone()[0]
    set_household_active(store, ids["XF001"], False)  # unchanged: no new write
    row = store.db.execute(
        "SELECT active, updated_at FROM households WHERE id = ?", [ids["XF001"]]
    ).fetchone()
    assert row == (0, stamp)
    set_household_active(store, ids["XF001"], True)
    assert store.db.execute("SELECT active FROM households WHERE id = ?", [ids["XF001"]]).fetchone()[0] == 1
    set_resident_status(store, ids["R1"], "deceased")
    assert (
        store.db.execute("SELECT status FROM residents WHERE id = ?", [ids["R1"]]).fetchone()[0] == "deceased"
    )
    with pytest.raises(InvalidInput, match="unknown resident status 'gone'"):
        set_resident_status(store, ids["R1"], "gone")
    with pytest.raises(InvalidInput, match="unknown household"):
        set_household_active(store, "nope", True)


def test_parse_datetime() -> None:
    assert at("2026-11-20 09:30") == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
    assert parse_datetime("2026-11-20T09:30+08:00", SHANGHAI) == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
    assert parse_datetime("2026-11-20T01:30:00Z", ZoneInfo("Asia/Urumqi")) == datetime(
        2026, 11, 20, 1, 30, tzinfo=UTC
    )
    assert parse_datetime("2026-11-20 09:30", ZoneInfo("Asia/Urumqi")) == datetime(
        2026, 11, 20, 3, 30, tzinfo=UTC
    )
    for bad in ("2026-11-20", "2026-02-30 10:00", "yesterday", "2026-11-20 25:00"):
        with pytest.raises(ValueError):
            parse_datetime(bad, SHANGHAI)


def test_form_errors_carry_a_chinese_text(store: Store) -> None:
    from cadre_tui.errors import InvalidInput
    from cadre_tui.store.records import parse_yuan

    with pytest.raises(InvalidInput) as bad:
        parse_yuan("十元")
    assert bad.value.text("zh") == "帮扶金额不是有效的元数（如 200 或 150.50）：十元"


def test_the_audit_log_names_the_laptop_before_me_is_set(store: Store) -> None:
    store.audit("reveal", "r1", "id_number")
    store.set_setting("me", "C06")
    store.audit("reveal", "r1", "phone")
    who = [r[0] for r in store.db.execute("SELECT who FROM audit_log ORDER BY id")]
    assert who == [f"device:{store.device_id}", "C06"]
