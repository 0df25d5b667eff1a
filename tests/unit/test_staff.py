"""`import staff`: cadres, teams and zones; contradictions; re-import; cadres left out become inactive."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cadre_tui.errors import InvalidInput
from cadre_tui.io.roster import import_roster
from cadre_tui.io.staff import import_staff
from cadre_tui.store.db import Store, natural_id
from tests.conftest import FIXTURES, CliRunner
from tests.unit.test_roster import dump, imported, rows, write

STAFF = FIXTURES / "staff"


def ids(store: Store, kind: str, *codes: str) -> list[str]:
    """The natural ids of `codes`."""
    cid = store.require_community().id
    return [natural_id(cid, kind, code) for code in codes]


def test_staff_file_creates_cadres_teams_and_zones(store: Store, cli: CliRunner) -> None:
    assert imported(cli, "staff", STAFF / "staff.csv") == (
        "片区 2（新增 2，更新 0，未变 0）；小组 2（新增 2，更新 0，未变 0）；"
        "干部 4（新增 4，更新 0，未变 0，停用 0）；警告 0\n"
    )
    z1, z2 = ids(store, "zone", "Z1", "Z2")
    c01, c02, c03, c04 = ids(store, "cadre", "C01", "C02", "C03", "C04")
    assert rows(store, "SELECT id, code, name, deleted FROM zones ORDER BY code") == [
        (z1, "Z1", "东片", 0),
        (z2, "Z2", "西片", 0),
    ]
    assert rows(store, "SELECT id, code, name, zone_id, member_ids FROM teams ORDER BY code") == [
        (ids(store, "team", "T1")[0], "T1", "第一小组", z1, f"{c01};{c02}"),
        (ids(store, "team", "T2")[0], "T2", "第二小组", z2, f"{c03};{c04}"),
    ]
    assert rows(store, "SELECT id, code, name, phone, active FROM cadres ORDER BY code") == [
        (c01, "C01", "欧阳明远", "13700000001", 1),
        (c02, "C02", "司马慧", "13700000002", 1),
        (c03, "C03", "诸葛青", "13700000003", 1),
        (c04, "C04", "上官云", None, 1),
    ]


def test_reimport_changes_nothing(store: Store) -> None:
    import_staff(store, STAFF / "staff.csv")
    before = dump(store)
    report = import_staff(store, STAFF / "staff.csv")
    assert dump(store) == before
    assert (report.added, report.updated, report.unchanged) == (0, 0, 8)


def test_cadre_left_out_becomes_inactive_and_comes_back(store: Store, cli: CliRunner) -> None:
    import_staff(store, STAFF / "staff.csv")
    c03, c04 = ids(store, "cadre", "C03", "C04")
    stamp = dict(rows(store, "SELECT code, updated_at FROM cadres"))
    result = cli("import", "staff", str(STAFF / "staff-without-c04.csv"), "--lang", "en")
    assert result.code == 0
    assert result.err == "staff-without-c04.csv:4: team: T2 has 1 cadre; the 23766 routine wants 2\n"
    assert result.out.splitlines() == [
        "zones 2 (0 added, 0 updated, 2 unchanged); teams 2 (0 added, 1 updated, 1 unchanged); "
        "cadres 3 (0 added, 0 updated, 3 unchanged, 1 made inactive); 1 warning",
        "1 cadre not in the file, made inactive (kept): C04 上官云",
    ]
    assert rows(store, "SELECT code, active, deleted FROM cadres ORDER BY code") == [
        ("C01", 1, 0),
        ("C02", 1, 0),
        ("C03", 1, 0),
        ("C04", 0, 0),
    ]
    assert rows(store, "SELECT member_ids FROM teams WHERE code = 'T2'") == [(c03,)]
    after = dict(rows(store, "SELECT code, updated_at FROM cadres"))
    assert [after[c] == stamp[c] for c in ("C01", "C02", "C03", "C04")] == [True, True, True, False]
    report = import_staff(store, STAFF / "staff.csv")
    assert (report.counts["cadres"].updated, report.counts["teams"].updated) == (1, 1)
    assert rows(store, "SELECT active FROM cadres WHERE code = 'C04'") == [(1,)]
    assert rows(store, "SELECT member_ids FROM teams WHERE code = 'T2'") == [(f"{c03};{c04}",)]


def test_contradictions_are_all_listed_and_nothing_written(store: Store, cli: CliRunner) -> None:
    before = dump(store)
    result = cli("import", "staff", str(STAFF / "staff-contradictions.csv"), lang="en")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        "staff-contradictions.csv:3: phone: number mangled by Excel (1.37E+10): "
        "format the column as text and save the file again",
        "staff-contradictions.csv:3: zone: Z2, but line 2 puts team T1 in Z1",
        "staff-contradictions.csv:4: team: T2, but line 2 gives zone Z1 to team T1",
        "staff-contradictions.csv:5: code: C01 is listed twice (line 2)",
        "staff-contradictions.csv:5: zone: empty, but team T3 needs its zone",
        "staff-contradictions.csv:6: code: empty; it is required",
        "cadre-tui: staff-contradictions.csv: 6 errors in 4 records; nothing was written",
    ]
    assert dump(store) == before


def test_conflicting_names_of_a_team(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "staff.csv",
        "code,name,team,zone,team_name,zone_name\nC01,甲,T1,Z1,一组,东片\nC02,乙,T1,Z1,二组,\nC09,丙,,,,\n",
    )
    before = dump(store)
    with pytest.raises(InvalidInput) as refused:
        import_staff(store, path)
    assert refused.value.lines == ["staff.csv:3: team_name: 二组, but line 2 calls T1 一组"]
    assert dump(store) == before


def test_roster_zone_gets_its_name_and_a_moved_zone_leaves_the_old_team(store: Store, tmp_path: Path) -> None:
    roster = write(tmp_path / "roster.csv", "household_no,zone,name\nH1,Z1,甲\n")
    import_roster(store, roster, today=date(2026, 11, 24))
    assert rows(store, "SELECT code, name FROM zones") == [("Z1", "Z1")]
    import_staff(store, STAFF / "staff.csv")
    assert rows(store, "SELECT code, name FROM zones ORDER BY code") == [("Z1", "东片"), ("Z2", "西片")]
    # A new list: team T3 (with C01 and C02) takes zone Z1; T1 is left out.
    moved = write(
        tmp_path / "staff2.csv",
        "编号,姓名,小组,片区\nC01,欧阳明远,T3,Z1\nC02,司马慧,T3,Z1\nC03,诸葛青,T2,Z2\nC04,上官云,T2,Z2\n",
    )
    report = import_staff(store, moved)
    assert report.warnings == [
        "staff2.csv:1: team: T1 is not in the file; its zone now belongs to another team"
    ]
    c01, c02, c03, c04 = ids(store, "cadre", "C01", "C02", "C03", "C04")
    z1 = ids(store, "zone", "Z1")[0]
    assert rows(store, "SELECT code, name, zone_id, member_ids FROM teams ORDER BY code") == [
        ("T1", "第一小组", None, ""),
        ("T2", "第二小组", ids(store, "zone", "Z2")[0], f"{c03};{c04}"),
        ("T3", "T3", z1, f"{c01};{c02}"),
    ]
    # Phones were not in the file: they stay.
    assert rows(store, "SELECT phone FROM cadres WHERE code = 'C01'") == [("13700000001",)]
