"""The office database: importing logs of many communities, replacing, refusing, and the roll-up report.

The suite runs on both engines (`office_db`: a SQLite file, or a database on the throwaway PostgreSQL
server of tests/postgres.py); test_both_engines_… compares their output byte for byte.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from cadre_tui.cli import main
from cadre_tui.core.weeks import IsoWeek
from cadre_tui.errors import CadreError, Refused
from cadre_tui.io.office_import import import_logs
from cadre_tui.io.office_log import export_office_log
from cadre_tui.store.db import Store
from cadre_tui.store.office import OFFICE_APPLICATION_ID, OfficeDb
from tests.conftest import CliRunner
from tests.unit.test_bundle import add_visit, seed
from tests.unit.test_office_log import week_of_work

W47, W48 = IsoWeek(2026, 47), IsoWeek(2026, 48)
TODAY = date(2026, 11, 24)


def counts(target: str) -> dict[str, int]:
    """Rows in each table of the office database."""
    office = OfficeDb.open(target)
    try:
        tables = ("logs", "log_visits", "log_matters", "log_scorecard")
        return {t: office.engine.fetchall(f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    finally:
        office.close()


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


def test_roll_up_of_three_communities(cli: CliRunner, tmp_path: Path, office_db: str) -> None:
    logs = three_communities(tmp_path)
    office = office_db
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


def test_same_logs_twice_change_nothing_and_a_later_log_replaces(
    cli: CliRunner, tmp_path: Path, office_db: str
) -> None:
    logs = three_communities(tmp_path)
    office = office_db
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
    # 幸福 now 5 visits, 山水 3, 阳光 1, 明月 (W47: its own week's visit) 1, 静安 1; two matters in each
    # W48 log, none in 明月's W47.
    assert counts(office) == {
        "logs": 15,
        "log_visits": 5 + 3 + 1 + 1 + 1,
        "log_matters": 2 * 4,
        "log_scorecard": 5,
    }
    if not office.startswith("postgresql://"):
        conn = sqlite3.connect(office)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == OFFICE_APPLICATION_ID
        conn.close()


def test_bad_log_is_refused_with_file_and_line_and_nothing_written(
    cli: CliRunner, tmp_path: Path, office_db: str
) -> None:
    logs = three_communities(tmp_path)
    bad = logs / "yangguang" / "scorecard-阳光社区-2026-W48.csv"
    bad.write_bytes(bad.read_bytes().replace(b",5,3,1,", b",5,3,abc,"))
    office = office_db
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
    assert counts(office) == {"logs": 0, "log_visits": 0, "log_matters": 0, "log_scorecard": 0}


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


def test_empty_log_takes_community_and_week_from_its_name(tmp_path: Path, office_db: str) -> None:
    folder = tmp_path / "quiet"
    store = Store.open(None)
    store.set_community("静安社区", None, "Asia/Shanghai")
    seed(store)
    export_office_log(store, W48, folder, today=TODAY)
    office = OfficeDb.open(office_db)
    results = import_logs(office, [folder])
    assert sorted((r.community, r.week, r.kind, r.rows) for r in results) == [
        ("静安社区", "2026-W48", "matters", 0),
        ("静安社区", "2026-W48", "scorecard", 1),
        ("静安社区", "2026-W48", "visits", 0),
    ]
    office.close()


def test_report_takes_relative_weeks(cli: CliRunner, tmp_path: Path, office_db: str) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from cadre_tui.core.weeks import week_of

    office = office_db
    assert cli("office", "import", str(three_communities(tmp_path)), db=office).code == 0
    this = week_of(datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date())
    for text, week in (("this", this), ("last", this.previous()), ("next", this.next())):
        result = cli("office", "report", "--week", text, "--format", "json", db=office)
        assert result.code == 0, result.err
        assert json.loads(result.out)["week"] == str(week)
    assert cli("office", "report", "--week", "soon", db=office).code == 2


# -- both engines, side by side ------------------------------------------------------------------------

HAND_SCORECARD = (
    "community,week,team,zone,members,team_size_ok,working_days,required_field_days,field_days,"
    "field_days_ok,households,familiar_households,familiarity,familiarity_ok,priority_residents,"
    "priority_overdue,priority_ok,matters,matters_attended,matters_late,matters_ok\r\n"
    # Teams in the file's own order (T2 before T1), a share that is not a short binary fraction, blanks.
    "b社区,2026-W48,T2,Z2,C03,false,5,3,3,true,3,2,0.667,false,0,0,true,0,0,0,true\r\n"
    "b社区,2026-W48,T1,Z1,C01;C02,true,5,3,,,7,,,,,,,,,,\r\n"
)


def many_communities(tmp_path: Path) -> Path:
    """three_communities, and communities whose code point order is not their collation order."""
    logs = three_communities(tmp_path)
    community_logs(logs / "upper", "B社区", W48, headers="en", visits=1)
    community_logs(logs / "ascii", "Zeta", W47)
    (logs / "hand").mkdir()
    (logs / "hand" / "scorecard-b社区-2026-W48.csv").write_text(HAND_SCORECARD, encoding="utf-8")
    return logs


def test_both_engines_give_the_same_output_to_the_byte(
    cli: CliRunner, tmp_path: Path, postgres_url: str
) -> None:
    logs = many_communities(tmp_path)
    sqlite_db = str(tmp_path / "office.db")
    outputs: dict[str, list[str]] = {}
    for target in (sqlite_db, postgres_url):
        said = outputs.setdefault(target, [])
        for _ in range(2):  # the second time: every log unchanged
            result = cli("office", "import", str(logs), db=target)
            assert result.code == 0, result.err
            said.append(result.out)
        for week in ("2026-W47", "2026-W48", "2026-W49"):
            for lang in ("zh", "en"):
                for form in ("text", "json"):
                    report = cli(
                        "office", "report", "--week", week, "--format", form, "--lang", lang, db=target
                    )
                    assert report.code == 0, report.err
                    said.append(report.out)
    assert outputs[sqlite_db] == outputs[postgres_url]
    w48 = json.loads(outputs[postgres_url][2 + 4 + 1])  # two imports, W47 (4 reports), W48 zh json
    # Code point order (SQLite's BINARY, Python's sorted), whatever the PostgreSQL database's collation.
    assert [c["community"] for c in w48["communities"]] == [
        "B社区",
        "b社区",
        "山水社区",
        "幸福社区",
        "阳光社区",
    ]
    assert w48["missing"] == ["Zeta", "明月社区"]
    hand = w48["communities"][1]
    assert [t["team"] for t in hand["teams"]] == ["T2", "T1"]
    assert hand["teams"][0]["familiarity"] == 0.667
    assert hand["teams"][1]["familiarity"] is None and hand["teams"][1]["field_days_ok"] is None
    assert (hand["households"], hand["familiar_households"], hand["familiarity"]) == (10, 2, 0.2)
    assert counts(sqlite_db) == counts(postgres_url)


# -- PostgreSQL: clerks at the same time, refusals --------------------------------------------------------


def import_in_threads(target: str, folders: list[Path], *, meet: bool) -> list[list[str]]:
    """Import each folder from its own thread and connection at once; each one's statuses.

    `meet`: every import waits, inside its open transaction after storing its first log, until all have
    got that far, so the transactions surely overlap (on SQLite's one write lock this would wait forever).
    """
    barrier = threading.Barrier(len(folders), timeout=60)
    statuses: list[list[str]] = [[] for _ in folders]
    errors: list[BaseException] = []

    def work(index: int, folder: Path) -> None:
        try:
            office = OfficeDb.open(target)
            try:

                def progress(done: int, total: int) -> None:
                    if meet and done == 1:
                        barrier.wait()

                results = import_logs(office, [folder], progress)
                statuses[index] = [r.status for r in results]
            finally:
                office.close()
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=work, args=(i, f)) for i, f in enumerate(folders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return statuses


def test_two_clerks_import_different_communities_at_once_and_lose_nothing(
    tmp_path: Path, office_db: str
) -> None:
    logs = many_communities(tmp_path)
    first, second = tmp_path / "clerk1", tmp_path / "clerk2"
    for clerk, names in (
        (first, ("xingfu", "shanshui", "hand")),
        (second, ("yangguang", "older", "upper", "ascii")),
    ):
        clerk.mkdir()
        for name in names:
            (logs / name).rename(clerk / name)
    on_postgres = office_db.startswith("postgresql://")
    statuses = import_in_threads(office_db, [first, second], meet=on_postgres)
    assert statuses == [["added"] * 7, ["added"] * 12]
    # 幸福 1 visit, 山水 3, 阳光 1, 明月 1 (its W47), B 2, Zeta 1 (W47); matters 2 in each W48 log; one
    # scorecard row in each, two in the hand-written one.
    assert counts(office_db) == {"logs": 19, "log_visits": 9, "log_matters": 8, "log_scorecard": 8}
    report = OfficeDb.open(office_db)
    try:
        names = [c["community"] for c in report.report("2026-W48")["communities"]]
    finally:
        report.close()
    assert names == ["B社区", "b社区", "山水社区", "幸福社区", "阳光社区"]


@pytest.mark.postgres
def test_two_clerks_importing_the_same_logs_at_once_store_them_once(
    tmp_path: Path, postgres_url: str
) -> None:
    logs = three_communities(tmp_path)
    statuses = import_in_threads(postgres_url, [logs, logs], meet=False)
    # Each log was added by one clerk and found unchanged by the other, whichever came first.
    assert sorted(statuses[0] + statuses[1]) == ["added"] * 12 + ["unchanged"] * 12
    assert counts(postgres_url) == {"logs": 12, "log_visits": 6, "log_matters": 6, "log_scorecard": 4}


def test_postgres_refuses_a_database_that_is_not_an_office_or_is_newer(
    cli: CliRunner, tmp_path: Path, postgres_url: str
) -> None:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE households (id TEXT)")
    other = cli("office", "report", "--week", "2026-W48", db=postgres_url, lang="en")
    assert other.code == 3 and "not an office database" in other.err and "households" in other.err
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP TABLE households")
    assert cli("office", "import", str(three_communities(tmp_path)), db=postgres_url).code == 0
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("INSERT INTO cadre_office_migrations VALUES ('0099_future', 'x')")
    newer = cli("office", "report", "--week", "2026-W48", db=postgres_url, lang="en")
    assert newer.code == 3 and "newer cadre-tui" in newer.err
    assert counts_unchecked(postgres_url) == 12


def counts_unchecked(url: str) -> int:
    """The logs of a PostgreSQL database, read without opening it as an office database."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM logs").fetchone()
    assert row is not None
    return int(row[0])


def test_a_wrong_url_says_so_without_the_password(cli: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no-server"
    result = cli("office", "report", "--week", "2026-W48",
                 db=f"postgresql://clerk:s3cret@/office?host={missing}", lang="en")  # fmt: skip
    assert result.code == 1
    assert "postgresql://clerk:***@/office" in result.err and "cannot connect" in result.err
    assert "s3cret" not in result.err and "Traceback" not in result.err


def test_a_nul_character_is_refused_on_both_engines(cli: CliRunner, tmp_path: Path, office_db: str) -> None:
    # SQLite would keep it; PostgreSQL's text cannot: the same answer on both is a refusal naming the cell.
    log = tmp_path / "visits-幸福社区-2026-W48.csv"
    header = "community,week,visit_id,visit_date,zone,team,cadres,household_no,address,groups,outcome,needs,"
    header += "notes,follow_up_date,assistance_yuan"
    log.write_bytes(
        f"\ufeff{header}\r\n幸福社区,2026-W48,v1,2026-11-24,Z1,T1,C01,H001,,,met,,a\x00b,,\r\n".encode()
    )
    result = cli("office", "import", str(log), db=office_db, lang="en")
    assert result.code == 2 and f"{log}:2: notes: holds a NUL character" in result.err
    assert counts(office_db)["logs"] == 0


def test_an_import_of_many_logs_takes_no_lock_per_log(tmp_path: Path, office_db: str) -> None:
    # A year of a district is ~30,000 logs in one transaction; PostgreSQL's lock slots are a few thousand
    # (the test server has the fewest: 10 per connection). Empty logs, named by their file, parse fast.
    folder = tmp_path / "many"
    folder.mkdir()
    header = "community,week,visit_id,visit_date,zone,team,cadres,household_no,address,groups,outcome,needs,"
    header += "notes,follow_up_date,assistance_yuan\r\n"
    for number in range(1000):
        for week in (47, 48):
            (folder / f"visits-社区{number:03d}-2026-W{week}.csv").write_text(header, encoding="utf-8")
    office = OfficeDb.open(office_db)
    try:
        assert [r.status for r in import_logs(office, [folder])] == ["added"] * 2000
        report = office.report("2026-W48")
    finally:
        office.close()
    assert len(report["communities"]) == 1000 and report["missing"] == []
    assert counts(office_db)["logs"] == 2000


def test_a_url_is_for_office_commands_and_a_broken_one_is_no_file_name(
    cli: CliRunner, tmp_path: Path
) -> None:
    community = cli("report", "--week", "2026-W48", db="postgresql://clerk@/office", lang="en")
    assert community.code == 2 and "office" in community.err
    # A URL that lost a slash (as Path() makes it) is refused, not taken for a file named `postgresql:`.
    for broken in ("postgresql:/clerk@/office", str(Path("postgresql://clerk@db/office"))):
        result = cli("office", "report", "--week", "2026-W48", db=broken, lang="en")
        assert result.code == 2 and "not a PostgreSQL URL" in result.err
    assert not Path("postgresql:").exists()


@pytest.mark.postgres
def test_two_clerks_crossing_the_same_logs_one_is_told_to_run_again(
    tmp_path: Path, postgres_url: str
) -> None:
    # Clerk 1 imports X then Y, clerk 2 Y then X, both at once: each holds the log the other needs next.
    # PostgreSQL finds the deadlock and ends one import (nothing of it written); the other goes through.
    logs = three_communities(tmp_path)
    x = logs / "xingfu" / "visits-幸福社区-2026-W48.csv"
    y = logs / "shanshui" / "visits-山水社区-2026-W48.csv"
    barrier = threading.Barrier(2, timeout=60)
    outcome: list[str] = ["", ""]

    def clerk(index: int, files: list[Path]) -> None:
        office = OfficeDb.open(postgres_url)
        try:
            import_logs(office, files, lambda done, total: barrier.wait() if done == 1 else None)
            outcome[index] = "done"
        except CadreError as exc:
            outcome[index] = exc.message
        finally:
            office.close()

    threads = [
        threading.Thread(target=clerk, args=(0, [x, y])),
        threading.Thread(target=clerk, args=(1, [y, x])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome)[0] == "done", outcome
    told = sorted(outcome)[1]
    assert "another import of the same logs was running at the same time" in told and "run it again" in told
    assert counts(postgres_url)["logs"] == 2
    again = OfficeDb.open(postgres_url)
    try:
        assert [r.status for r in import_logs(again, [y, x])] == ["unchanged", "unchanged"]
    finally:
        again.close()


def test_clerks_opening_a_new_database_at_once_all_get_it(tmp_path: Path, office_db: str) -> None:
    # One creates the tables, the others wait and find them; none is refused, none fails.
    targets = (
        [office_db]
        if office_db.startswith("postgresql://")
        else [str(tmp_path / f"o{n}.db") for n in range(8)]
    )
    for target in targets:
        failures: list[BaseException] = []

        def open_it(where: str = target, failed: list[BaseException] = failures) -> None:
            try:
                OfficeDb.open(where).close()
            except BaseException as exc:
                failed.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert counts(target) == {"logs": 0, "log_visits": 0, "log_matters": 0, "log_scorecard": 0}
