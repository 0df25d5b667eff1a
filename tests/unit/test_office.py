"""The office database: importing logs of many communities, replacing, refusing, and the roll-up report."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from cadre_tui.cli import main
from cadre_tui.core.weeks import IsoWeek
from cadre_tui.errors import Refused
from cadre_tui.io.office_import import import_logs
from cadre_tui.io.office_log import export_office_log
from cadre_tui.store.db import Store
from cadre_tui.store.office import OFFICE_APPLICATION_ID, OfficeDb
from tests.conftest import CliRunner
from tests.unit.test_bundle import add_visit, seed
from tests.unit.test_office_log import week_of_work

W47, W48 = IsoWeek(2026, 47), IsoWeek(2026, 48)
TODAY = date(2026, 11, 24)


def community_logs(folder: Path, name: str, week: IsoWeek, headers: str = "zh", visits: int = 0) -> Store:
    """A community's log for `week` written into `folder`."""
    store = Store.open(None)
    store.set_community(name, None, "Asia/Shanghai")
    ids = week_of_work(store)
    for _ in range(visits):
        add_visit(store, ids, notes="再访", outcome="absent")
    export_office_log(store, week, folder, headers=headers, force=True, today=TODAY)
    return store


def three_communities(tmp_path: Path) -> Path:
    """Logs of 幸福, 山水 (English headers) and 阳光 for W48, and of 明月 for W47 only."""
    logs = tmp_path / "logs"
    community_logs(logs / "xingfu", "幸福社区", W48)
    community_logs(logs / "shanshui", "山水社区", W48, headers="en", visits=2)
    community_logs(logs / "yangguang", "阳光社区", W48)
    community_logs(logs / "older", "明月社区", W47)  # seen before, silent in W48
    return logs


def test_roll_up_of_three_communities(cli: CliRunner, tmp_path: Path) -> None:
    logs = three_communities(tmp_path)
    office = tmp_path / "office.db"
    result = cli("office", "import", str(logs), db=office)
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 12
    assert "visits-山水社区-2026-W48.csv: 山水社区 2026-W48 走访 3 行，新增" in result.out
    report = cli("office", "report", "--week", "2026-W48", "--format", "json", db=office)
    assert report.code == 0, report.err
    data = json.loads(report.out)
    assert data["week"] == "2026-W48"
    assert [c["community"] for c in data["communities"]] == ["山水社区", "幸福社区", "阳光社区"]
    assert data["missing"] == ["明月社区"]
    shanshui = data["communities"][0]
    assert (shanshui["visits"], shanshui["matters"], shanshui["scorecard"]) == (3, 2, True)
    assert shanshui["teams"] == [
        {"team": "T1", "zone": "Z1", "members": ["C01", "C02"], "team_size_ok": True, "working_days": 5,
         "required_field_days": 3, "field_days": 1, "field_days_ok": False, "households": 2,
         "familiar_households": 1, "familiarity": 0.5, "familiarity_ok": False, "priority_residents": 1,
         "priority_overdue": 0, "priority_ok": True, "matters": 2, "matters_attended": 2, "matters_late": 1,
         "matters_ok": False},
    ]  # fmt: skip
    assert (shanshui["households"], shanshui["familiar_households"], shanshui["familiarity"]) == (2, 1, 0.5)
    text = cli("office", "report", "--week", "2026-W48", db=office)
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0] == "2026-W48 各社区 23766 评分表（3 个社区报送）"
    assert lines[2].split() == ["山水社区", "T1", "Z1", "C01,C02", "✓", "1/3", "✗", "50.0%", "✗", "0/1", "✓",
                                "2/2", "✗", "1", "✗"]  # fmt: skip
    assert lines[-1] == "本周未报送：明月社区"
    english = cli("office", "report", "--week", "2026-W48", "--lang", "en", db=office)
    assert english.out.splitlines()[-1] == "no log this week: 明月社区"


def test_same_logs_twice_change_nothing_and_a_later_log_replaces(cli: CliRunner, tmp_path: Path) -> None:
    logs = three_communities(tmp_path)
    office = tmp_path / "office.db"
    cli("office", "import", str(logs), db=office)
    again = cli("office", "import", str(logs), db=office)
    assert again.out.count("未变") == 12 and "新增" not in again.out
    # The same content with English headers is the same log.
    store = community_logs(tmp_path / "zh", "静安社区", W48)
    export_office_log(store, W48, tmp_path / "en", headers="en", today=TODAY)
    assert cli("office", "import", str(tmp_path / "zh"), db=office).out.count("新增") == 3
    same = cli("office", "import", str(tmp_path / "en"), db=office)
    assert same.out.count("未变") == 3
    # A corrected log for 幸福社区 replaces the earlier one.
    community_logs(tmp_path / "fix", "幸福社区", W48, visits=4)
    fixed = cli("office", "import", str(tmp_path / "fix" / "visits-幸福社区-2026-W48.csv"), db=office)
    assert fixed.out.strip().endswith("幸福社区 2026-W48 走访 5 行，已替换")
    conn = sqlite3.connect(office)
    assert conn.execute("SELECT count(*) FROM logs").fetchone()[0] == 15
    # 幸福 now 5, 山水 3, 阳光 1, 明月 (W47: its own week's visit) 1, 静安 1.
    assert conn.execute("SELECT count(*) FROM log_visits").fetchone()[0] == 5 + 3 + 1 + 1 + 1
    assert conn.execute("PRAGMA application_id").fetchone()[0] == OFFICE_APPLICATION_ID
    conn.close()


def test_bad_log_is_refused_with_file_and_line_and_nothing_written(cli: CliRunner, tmp_path: Path) -> None:
    logs = three_communities(tmp_path)
    bad = logs / "yangguang" / "scorecard-阳光社区-2026-W48.csv"
    bad.write_bytes(bad.read_bytes().replace(b",5,3,1,", b",5,3,abc,"))
    office = tmp_path / "office.db"
    result = cli("office", "import", str(logs), db=office, lang="en")
    assert result.code == 2
    assert f"{bad}:2: field_days: not a whole number: abc" in result.err
    assert "Traceback" not in result.err
    report = json.loads(cli("office", "report", "--week", "2026-W48", "--format", "json", db=office).out)
    assert report == {"week": "2026-W48", "communities": [], "missing": []}
    mixed = logs / "xingfu" / "visits-幸福社区-2026-W48.csv"
    text = mixed.read_bytes().decode("utf-8-sig").replace("幸福社区,2026-W48", "幸福社区,2026-W47", 1)
    mixed.write_text(text + "幸福社区,2026-W48,x,2026-11-24,Z1,T1,C01,H001,,,其他,,,,\r\n", encoding="utf-8")
    result = cli("office", "import", str(mixed), db=office, lang="en")
    assert result.code == 2 and f"{mixed}:3: community/week:" in result.err


def test_office_refuses_community_databases_and_needs_db(
    cli: CliRunner, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.open(db_path).close()
    result = cli("office", "report", "--week", "2026-W48", db=db_path)
    assert result.code == 3 and "这是社区的数据库" in result.err
    capsys.readouterr()
    assert main(["office", "report", "--week", "2026-W48"]) == 2
    assert "--db" in capsys.readouterr().err
    office = tmp_path / "office.db"
    OfficeDb.open(office).close()
    with pytest.raises(Refused):
        Store.open(office)
    bad_week = cli("office", "report", "--week", "W48", db=office)
    assert bad_week.code == 2


def test_empty_log_takes_community_and_week_from_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "quiet"
    store = Store.open(None)
    store.set_community("静安社区", None, "Asia/Shanghai")
    seed(store)
    export_office_log(store, W48, folder, today=TODAY)
    office = OfficeDb.open(tmp_path / "office.db")
    results = import_logs(office, [folder])
    assert sorted((r.community, r.week, r.kind, r.rows) for r in results) == [
        ("静安社区", "2026-W48", "matters", 0),
        ("静安社区", "2026-W48", "scorecard", 1),
        ("静安社区", "2026-W48", "visits", 0),
    ]
    office.close()


def test_report_takes_relative_weeks(cli: CliRunner, tmp_path: Path) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from cadre_tui.core.weeks import week_of

    office = tmp_path / "office.db"
    assert cli("office", "import", str(three_communities(tmp_path)), db=office).code == 0
    this = week_of(datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date())
    for text, week in (("this", this), ("last", this.previous()), ("next", this.next())):
        result = cli("office", "report", "--week", text, "--format", "json", db=office)
        assert result.code == 0, result.err
        assert json.loads(result.out)["week"] == str(week)
    assert cli("office", "report", "--week", "soon", db=office).code == 2
