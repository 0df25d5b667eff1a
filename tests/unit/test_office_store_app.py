"""What the office app asks of the office store: file-by-file import, a community's weeks, settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cadre_tui.errors import InvalidInput
from cadre_tui.io.csvfile import write_csv
from cadre_tui.io.office_import import import_each
from cadre_tui.io.office_log import SCORECARD_COLUMNS
from cadre_tui.store.office import (
    OFFICE_VERSION_BASE,
    CommunityHistory,
    OfficeDb,
    TeamHistory,
    TeamWeek,
    get_setting,
    history,
    latest_week,
    set_setting,
    week_before,
)
from tests.unit.test_office import three_communities

# team, zone, field_days, field_days_ok, familiar, households, familiarity, familiarity_ok
Card = tuple[str, str, int, str, int, int, str, str]


def scorecard(folder: Path, community: str, week: str, teams: list[Card]) -> Path:
    """A hand-written scorecard log (Chinese headers, 是/否), the other figures fixed."""
    path = folder / f"scorecard-{community}-{week}.csv"
    rows = [
        [community, week, team, zone, "C01;C02", "是", 5, 3, days, days_ok, households, familiar, share,
         share_ok, 1, 0, "是", 0, 0, 0, "是"]
        for team, zone, days, days_ok, familiar, households, share, share_ok in teams
    ]  # fmt: skip
    write_csv(path, list(SCORECARD_COLUMNS.values()), rows)
    return path


def test_week_before_crosses_years_and_53_week_years() -> None:
    assert week_before("2026-W48") == "2026-W47"
    assert week_before("2026-W02", 3) == "2025-W51"
    assert week_before("2021-W01") == "2020-W53"  # 2020 has 53 ISO weeks
    assert week_before("2026-W47", -1) == "2026-W48"


def test_history_of_a_community_over_four_weeks(tmp_path: Path, office_db: str) -> None:
    logs = tmp_path / "logs"
    scorecard(logs, "幸福社区", "2026-W45", [("T1", "Z1", 2, "否", 30, 100, "0.300", "否"),
                                        ("T3", "Z3", 4, "是", 80, 100, "0.800", "是")])  # fmt: skip
    # W46 not sent; W47 lists T2 before T1; W48 lists T1 only, now in zone Z9
    scorecard(logs, "幸福社区", "2026-W47", [("T2", "Z2", 3, "是", 71, 100, "0.710", "是"),
                                        ("T1", "Z1", 3, "是", 45, 100, "0.450", "否")])  # fmt: skip
    scorecard(logs, "幸福社区", "2026-W48", [("T1", "Z9", 1, "否", 50, 100, "0.500", "否")])
    scorecard(logs, "山水社区", "2026-W48", [("T1", "Z1", 5, "是", 99, 100, "0.990", "是")])
    # a week outside the span is left out
    scorecard(logs, "幸福社区", "2026-W44", [("T4", "Z4", 5, "是", 99, 100, "0.990", "是")])
    office = OfficeDb.open(office_db)
    assert len(import_each(office, [logs]).imported) == 5
    data = history(office, "幸福社区", "2026-W48", weeks=4)
    none = None
    assert data == CommunityHistory(
        "幸福社区",
        ["2026-W45", "2026-W46", "2026-W47", "2026-W48"],
        [True, False, True, True],
        [
            TeamHistory("T1", "Z9", [TeamWeek(2, 3, False, 30, 100, 0.3, False), none,
                                     TeamWeek(3, 3, True, 45, 100, 0.45, False),
                                     TeamWeek(1, 3, False, 50, 100, 0.5, False)]),
            TeamHistory("T2", "Z2", [none, none, TeamWeek(3, 3, True, 71, 100, 0.71, True), none]),
            TeamHistory("T3", "Z3", [TeamWeek(4, 3, True, 80, 100, 0.8, True), none, none, none]),
        ],
    )  # fmt: skip
    assert history(office, "无名社区", "2026-W48", weeks=2) == CommunityHistory(
        "无名社区", ["2026-W47", "2026-W48"], [False, False], []
    )
    assert latest_week(office) == "2026-W48"
    office.close()


def test_import_each_keeps_the_good_files_and_lists_the_bad_ones(tmp_path: Path, office_db: str) -> None:
    logs = three_communities(tmp_path)
    bad = logs / "yangguang" / "scorecard-阳光社区-2026-W48.csv"
    bad.write_bytes(bad.read_bytes().replace(b",5,3,1,", b",5,3,abc,"))
    (logs / "notes.csv").write_text("a,b\r\n1,2\r\n", encoding="utf-8")
    office = OfficeDb.open(office_db)
    seen: list[tuple[int, int]] = []
    summary = import_each(office, [logs], progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 13) for n in range(1, 14)]  # 12 logs and notes.csv
    assert [(r.source, r.message) for r in summary.refused] == [
        (str(bad), f"{bad}:2: field_days: not a whole number: abc")
    ]
    assert summary.skipped == 1
    assert (summary.count("added"), summary.count("replaced"), summary.count("unchanged")) == (11, 0, 0)
    again = import_each(office, [logs])
    assert (again.count("added"), again.count("unchanged"), len(again.refused)) == (0, 11, 1)
    # nothing of the refused file was kept: 阳光社区 W48 has visits and matters but no scorecard
    report = office.report("2026-W48")
    yangguang = next(c for c in report["communities"] if c["community"] == "阳光社区")
    assert (yangguang["scorecard"], yangguang["teams"]) == (False, [])
    with pytest.raises(InvalidInput, match="no such file or folder"):
        import_each(office, [tmp_path / "absent"])
    office.close()


def test_settings_are_kept_on_both_engines(office_db: str) -> None:
    office = OfficeDb.open(office_db)
    assert get_setting(office, "import_folder") is None
    set_setting(office, "import_folder", "/media/usb/周报")
    set_setting(office, "import_folder", "/media/usb/第48周")
    office.close()
    office = OfficeDb.open(office_db)
    assert get_setting(office, "import_folder") == "/media/usb/第48周"
    office.close()


def test_settings_are_kept_and_an_older_office_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    office = OfficeDb.open(path)
    assert get_setting(office, "import_folder") is None
    set_setting(office, "import_folder", "/media/usb/周报")
    set_setting(office, "import_folder", "/media/usb/第48周")
    office.close()
    office = OfficeDb.open(path)
    assert get_setting(office, "import_folder") == "/media/usb/第48周"
    office.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == OFFICE_VERSION_BASE + 2
    # An office database of the first version (no settings table) gains it on the next open.
    conn.execute("DROP TABLE office_settings")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0002_office_settings'")
    conn.execute(f"PRAGMA user_version = {OFFICE_VERSION_BASE + 1}")
    conn.commit()
    conn.close()
    office = OfficeDb.open(path)
    assert get_setting(office, "export_folder") is None
    office.close()
