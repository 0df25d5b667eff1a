"""A small, deterministic community for the app's tests and snapshots, written straight into the tables.

Two zones and teams, eight households, a polyphonic surname (曾: zeng/ceng), a priority resident
overdue on the fixed today 2026-11-24, past visits and one open and one attended matter.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from cadre_tui.core.names import search_keys
from cadre_tui.store.db import Store, natural_id

TODAY = date(2026, 11, 24)

ZONES = [("Z1", "东片"), ("Z2", "西片")]
CADRES = [("C01", "刘洋", "13900000001"), ("C02", "陈静", "13900000002"), ("C03", "黄磊", "13900000003")]
CADRES += [("C04", "周敏", "13900000004")]
TEAMS = [("T1", "一组", "Z1", ["C01", "C02"]), ("T2", "二组", "Z2", ["C03", "C04"])]
# household_no, zone, estate, building, unit, room
HOUSEHOLDS = [
    ("H0001", "Z1", "幸福小区", "1栋", "1单元", "101"),
    ("H0002", "Z1", "幸福小区", "1栋", "2单元", "202"),
    ("H0003", "Z1", "幸福小区", "2栋", "1单元", "301"),
    ("H0004", "Z1", "和平花园", "3栋", "1单元", "102"),
    ("H0005", "Z2", "和平花园", "5栋", "2单元", "501"),
    ("H0006", "Z2", "和平花园", "6栋", "1单元", "601"),
    ("H0007", "Z2", "光明里", "8栋", "1单元", "803"),
    ("H0008", "Z1", "光明里", "9栋", "3单元", "902"),
]
# household_no, name, gender, id_number, phone, relation, groups (code, since)
RESIDENTS: list[tuple[str, str, str, str | None, str | None, str, list[tuple[str, str]]]] = [
    ("H0001", "张三", "男", "11010519490101003X", "13812340001", "户主", []),
    ("H0001", "李四", "女", None, None, "配偶", []),
    ("H0002", "曾国强", "男", "110105195503150023", "13812345678", "户主", [("solitary", "2026-10-01")]),
    ("H0003", "王芳", "女", "110105198007080015", "13698761234", "户主", []),
    ("H0004", "单田芳", "女", "110105193702200047", None, "户主", [("ill", "2026-11-01")]),
    ("H0005", "赵六", "男", None, "13711112222", "户主", []),
    ("H0006", "孙七", "男", None, None, "户主", [("poor", "2026-09-01")]),
    ("H0007", "周八", "女", None, None, "户主", []),
    ("H0008", "吴九", "男", None, None, "户主", []),
]
# household_no, team, date, outcome, cadres
VISITS = [
    ("H0001", "T1", "2026-11-23", "met", ["C01", "C02"]),
    ("H0002", "T1", "2026-11-02", "met", ["C01", "C02"]),
    ("H0003", "T1", "2026-11-16", "absent", ["C01"]),
    ("H0005", "T2", "2026-11-17", "met", ["C03", "C04"]),
    ("H0006", "T2", "2026-11-18", "met", ["C03"]),
    ("H0001", "T1", "2026-11-10", "met", ["C01", "C02"]),
    ("H0004", "T1", "2026-11-11", "refused", ["C02"]),
]


def build_community(store: Store) -> dict[str, str]:
    """Fill `store` (with its community already set) with the fixture; return natural key -> id."""
    community = store.require_community()
    cid = community.id
    ids: dict[str, str] = {}
    with store.transaction():
        for code, name in ZONES:
            ids[code] = _insert(store, "zones", natural_id(cid, "zone", code), code=code, name=name)
        for code, name, phone in CADRES:
            ids[code] = _insert(
                store, "cadres", natural_id(cid, "cadre", code), code=code, name=name, phone=phone
            )
        for code, name, zone, members in TEAMS:
            member_ids = ";".join(ids[m] for m in members)
            ids[code] = _insert(
                store, "teams", natural_id(cid, "team", code), code=code, name=name, zone_id=ids[zone],
                member_ids=member_ids,
            )  # fmt: skip
        for no, zone, estate, building, unit, room in HOUSEHOLDS:
            ids[no] = _insert(
                store, "households", natural_id(cid, "household", no), household_no=no, zone_id=ids[zone],
                estate=estate, building=building, unit=unit, room=room,
            )  # fmt: skip
        for no, name, gender, id_number, phone, relation, groups in RESIDENTS:
            rid = _insert(
                store, "residents", natural_id(cid, "resident", id_number or f"{no}/{name}"),
                household_id=ids[no], name=name, gender=gender, id_number=id_number, phone=phone,
                relation=relation, search_keys=search_keys(name),
            )  # fmt: skip
            ids[name] = rid
            for group, since in groups:
                mid = natural_id(cid, "membership", f"{rid}/{group}")
                _insert(store, "memberships", mid, resident_id=rid, group_code=group, since=since)
        for n, (no, team, day, outcome, cadres) in enumerate(VISITS):
            _insert(
                store, "visits", f"00000000-0000-4000-8000-{n:012d}", household_id=ids[no], team_id=ids[team],
                visit_date=day, cadre_ids=";".join(ids[c] for c in cadres), outcome=outcome, notes="",
            )  # fmt: skip
        _insert(
            store, "matters", "10000000-0000-4000-8000-000000000001", kind="illness", title="曾国强住院",
            scope="household", household_id=ids["H0002"], occurred_at="2026-11-23T02:00:00.000Z",
        )  # fmt: skip
        _insert(
            store, "matters", "10000000-0000-4000-8000-000000000002", kind="activity", title="社区议事会",
            scope="community", occurred_at="2026-11-20T01:00:00.000Z", attended_at="2026-11-20T01:30:00.000Z",
            attended_by=f"{ids['C01']};{ids['C03']}",
        )  # fmt: skip
    store.set_setting("me", "C01")
    return ids


def _insert(store: Store, table: str, row_id: str, **values: Any) -> str:
    """Insert one row with its sync columns; return its id."""
    row = {"id": row_id, **values, **store.sync_columns()}
    marks = ", ".join("?" for _ in row)
    store.db.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", list(row.values()))
    return row_id


def make_database(path: Path) -> dict[str, str]:
    """Create the fixture community in a new database file at `path`; return natural key -> id."""
    store = Store.open(path)
    try:
        store.set_community("幸福社区", "XF01", "Asia/Shanghai")
        return build_community(store)
    finally:
        store.close()
