"""A small community for the paper exports: one team, five households in two buildings, a week of history."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cadre_tui.store.db import Store
from tests.builders import (
    insert_household,
    insert_matter,
    insert_membership,
    insert_resident,
    insert_visit,
    insert_zone_team,
)

MONDAY = date(2026, 11, 23)  # 2026-W48
WEEK = "2026-W48"


def paper_community(store: Store) -> dict[str, str]:
    """Zone Z1 of team T1 (王芳, 李强); households H01–H05; returns ids by name."""
    zone, team, (wang, li) = insert_zone_team(store, "Z1", "T1", ["C01", "C02"])
    store.db.execute("UPDATE cadres SET name = '王芳' WHERE id = ?", [wang])
    store.db.execute("UPDATE cadres SET name = '李强' WHERE id = ?", [li])
    store.db.execute("UPDATE teams SET name = '第一小组' WHERE id = ?", [team])
    h1 = insert_household(store, "H01", zone, estate="幸福小区", building="2栋", unit="1单元", room="101")
    h2 = insert_household(store, "H02", zone, estate="幸福小区", building="1栋", unit="1单元", room="202")
    h3 = insert_household(store, "H03", zone, estate="幸福小区", building="2栋", unit="2单元", room="301")
    h4 = insert_household(store, "H04", zone, estate="幸福小区", building="1栋", unit="2单元", room="102")
    h5 = insert_household(store, "H05", zone, estate="和平花园", building="3栋", unit="1单元", room="101")
    lin = insert_resident(store, h1, "林春生")
    qin = insert_resident(store, h1, "秦玉兰")
    he = insert_resident(store, h2, "贺志远")
    shan = insert_resident(store, h4, "单秀珍")
    insert_resident(store, h5, "路四海")
    for rid, relation, phone in (
        (lin, "户主", "13800001111"),
        (qin, "配偶", "13900002222"),
        (he, "户主", None),
        (shan, "女儿", "13612345678"),
    ):
        store.db.execute("UPDATE residents SET relation = ?, phone = ? WHERE id = ?", [relation, phone, rid])
    insert_membership(store, lin, "solitary", date(2026, 10, 1))
    insert_membership(store, qin, "elderly", date(2026, 10, 1))
    insert_membership(store, qin, "ill", date(2026, 10, 1))
    insert_membership(store, shan, "poor", date(2026, 11, 1))
    # H02 asked for a follow-up on the 26th; H04's poor resident was met on the 12th (due on the 26th);
    # H03 was never visited; H05 was met last week.
    insert_visit(
        store, h2, date(2026, 11, 16), team_id=team, cadre_ids=[wang, li], follow_up_date=date(2026, 11, 26)
    )
    insert_visit(store, h4, date(2026, 11, 12), team_id=team, cadre_ids=[wang, li])
    insert_visit(store, h5, date(2026, 11, 18), team_id=team, cadre_ids=[wang])
    insert_matter(
        store,
        "illness",
        datetime(2026, 11, 22, 2, 0, tzinfo=UTC),
        scope="household",
        household_id=h1,
        title="林春生住院",
    )
    return {
        "zone": zone,
        "team": team,
        "wang": wang,
        "li": li,
        "h1": h1,
        "h2": h2,
        "h3": h3,
        "h4": h4,
        "h5": h5,
    }
