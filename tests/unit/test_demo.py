"""`demo`, the seeded generator, the seeds' files and the history loader."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from cadre_tui.core.ids import parse_id_number
from cadre_tui.errors import InvalidInput
from cadre_tui.io import history
from cadre_tui.io.csvfile import write_csv
from cadre_tui.io.demo import load_seeds, seeds_folder, whole_weeks_shift
from cadre_tui.io.demo_generator import SEED, SEED_END, SEED_FILES, SEED_HOUSEHOLDS, SEED_WEEKS, generate
from cadre_tui.io.demo_people import zone_count
from cadre_tui.io.history import latest_day, load_history
from cadre_tui.io.tables import bundle_columns
from cadre_tui.store.db import Store, community_id_for, natural_id, parse_stamp
from tests.conftest import CliRunner
from tests.unit.test_records import seed_small

SEEDS = seeds_folder()


def count(store: Store, sql: str) -> int:
    """The one number a query returns."""
    return int(store.db.execute(sql).fetchone()[0])


def seed_rows(name: str) -> list[dict[str, str]]:
    """The records of a seeds file."""
    with (SEEDS / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_zone_count() -> None:
    assert [zone_count(n) for n in (1, 600, 3000, 5600, 6400, 11000, 36000)] == [4, 4, 4, 4, 5, 8, 26]


def test_the_seeds_are_what_the_generator_makes(tmp_path: Path) -> None:
    community = generate(SEED_HOUSEHOLDS, seed=SEED, end=SEED_END, weeks=SEED_WEEKS)
    community.write(tmp_path)
    for name in SEED_FILES:
        assert (tmp_path / name).read_bytes() == (SEEDS / name).read_bytes(), name


def test_the_seed_community_is_plausible() -> None:
    roster = seed_rows("roster.csv")
    staff = seed_rows("staff.csv")
    assert [r["编号"] for r in staff] == [f"C{i:02d}" for i in range(1, 9)]
    assert sorted({(r["小组"], r["片区"]) for r in staff}) == [
        ("T1", "Z1"),
        ("T2", "Z2"),
        ("T3", "Z3"),
        ("T4", "Z4"),
    ]
    households = {r["户编号"] for r in roster}
    assert len(households) == 600
    assert 1400 <= len(roster) <= 1700
    in_groups = [r for r in roster if r["重点人群"]]
    assert 0.06 <= len(in_groups) / len(roster) <= 0.10
    surnames = {r["姓名"][0] for r in roster}
    assert {"曾", "单", "解", "仇", "区", "查"} <= surnames
    numbers = [r["身份证号"] for r in roster if r["身份证号"]]
    assert len(numbers) == len(set(numbers)) and len(numbers) >= 0.97 * len(roster)
    for row in roster:
        if row["身份证号"]:
            parsed = parse_id_number(row["身份证号"])
            assert parsed.birth_date.isoformat() == row["出生日期"]
            assert parsed.gender == ("M" if row["性别"] == "男" else "F")
            assert row["身份证号"].startswith("99")  # no province has the code 99: no real person's number
        born = date.fromisoformat(row["出生日期"])
        age = (SEED_END - born).days // 365.25
        if "solitary" in row["重点人群"] or "widowed" in row["重点人群"]:
            assert age >= 60
        if "elderly" in row["重点人群"]:
            assert age >= 62  # 80+, or an empty-nest couple
        if row["重点人群"]:
            assert date.fromisoformat(row["列入日期"]) <= SEED_END
    names_per_household: dict[str, set[str]] = {}
    for row in roster:
        names = names_per_household.setdefault(row["户编号"], set())
        assert row["姓名"] not in names
        names.add(row["姓名"])


def test_demo_loads_the_seeds_with_history_ending_last_week(cli: CliRunner, db_path: Path) -> None:
    result = cli("demo")
    assert result.code == 0, result.err
    assert "片区 4，小组 4，户 600" in result.out
    store = Store.open(db_path)
    community = store.community()
    assert community is not None and (community.name, community.id) == (
        "幸福社区",
        community_id_for("幸福社区"),
    )
    assert count(store, "SELECT COUNT(*) FROM zones") == 4
    assert count(store, "SELECT COUNT(*) FROM households") == 600
    assert count(store, "SELECT COUNT(*) FROM residents") == len(seed_rows("roster.csv"))
    teams = store.db.execute("SELECT code, member_ids FROM teams ORDER BY code").fetchall()
    assert [t[0] for t in teams] == ["T1", "T2", "T3", "T4"]
    assert all(len(t[1].split(";")) == 2 for t in teams)
    assert count(store, "SELECT COUNT(*) FROM cadres WHERE active = 1") == 8
    visits = seed_rows("visits.csv")
    matters = seed_rows("matters.csv")
    assert count(store, "SELECT COUNT(*) FROM visits") == len(visits)
    assert count(store, "SELECT COUNT(*) FROM matters") == len(matters)
    # Every date moves by the same whole number of weeks, so that the history's last day is one of the
    # seven days up to yesterday.
    tz = store.tz()
    yesterday = store.today() - timedelta(days=1)
    seed_latest = latest_day(SEEDS / "visits.csv", SEEDS / "matters.csv", tz)
    assert seed_latest is not None
    shift = timedelta(days=whole_weeks_shift(seed_latest, yesterday))
    assert shift.days % 7 == 0
    first = visits[0]
    stored = store.db.execute("SELECT visit_date FROM visits WHERE id = ?", [first["id"]]).fetchone()[0]
    assert stored == (date.fromisoformat(first["visit_date"]) + shift).isoformat()
    latest = latest_day(None, None, tz)
    assert latest is None
    days = [r[0] for r in store.db.execute("SELECT visit_date FROM visits")]
    assert max(days) <= yesterday.isoformat()
    ends = store.db.execute("SELECT MAX(occurred_at), MAX(attended_at) FROM matters").fetchone()
    local_last = max(parse_stamp(t).astimezone(tz).date() for t in ends if t)
    assert 0 <= (yesterday - max(local_last, date.fromisoformat(max(days)))).days < 7
    # Memberships' start dates move with the history.
    since = [r["列入日期"] for r in seed_rows("roster.csv") if r["列入日期"]]
    moved = (date.fromisoformat(since[0]) + shift).isoformat()
    stored_since = count(store, f"SELECT COUNT(*) FROM memberships WHERE since = '{moved}'")
    assert stored_since >= 1
    # The history's references are the natural ids of SPEC §6.
    cid = community_id_for("幸福社区")
    assert count(store, f"SELECT COUNT(*) FROM visits WHERE team_id = '{natural_id(cid, 'team', 'T1')}'") > 0
    # Files are the owner's only.
    assert db_path.stat().st_mode & 0o777 == 0o600


def test_whole_weeks_shift() -> None:
    sunday = date(2026, 11, 22)  # the seeds' last day
    assert whole_weeks_shift(sunday, date(2026, 12, 2)) == 7  # ten days on: ends Sunday 11-29
    assert whole_weeks_shift(sunday, date(2026, 11, 29)) == 7  # exactly a week on: ends yesterday
    assert whole_weeks_shift(sunday, date(2026, 11, 28)) == 0  # six days on: stays where it is
    assert whole_weeks_shift(sunday, date(2026, 11, 22)) == 0
    assert whole_weeks_shift(sunday, date(2026, 11, 21)) == -7  # a clock before the seeds: ends 11-15
    assert whole_weeks_shift(sunday, date(2027, 3, 3)) == 98  # 101 days on: 14 weeks, ends 02-28


def test_the_seeds_keep_their_weekdays(tmp_path: Path) -> None:
    # Thursday 2026-12-03, 10:00 in Shanghai: yesterday is Wednesday 12-02, ten days after the seeds' last
    # day (Sunday 11-22, a matter's); a week's shift ends the history on Sunday 11-29.
    clock = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    store = Store.open(tmp_path / "cadre.db", clock=lambda: clock)
    summary = load_seeds(store)
    assert summary.shift_days == 7
    days = [date.fromisoformat(r[0]) for r in store.db.execute("SELECT visit_date FROM visits")]
    assert (min(days), min(days).weekday()) == (date(2026, 9, 7), 0)  # a Monday, as 08-31 in the seeds
    assert (max(days), max(days).weekday()) == (date(2026, 11, 27), 4)  # a Friday, as 11-20
    # The only weekend visits are those of the official calendar's make-up working days (Sunday 09-20
    # and Saturday 10-10 in the seeds): 31 of 1,115.
    weekend = [d for d in days if d.weekday() >= 5]
    assert (len(weekend), len(days)) == (31, 1115)
    assert sorted(set(weekend)) == [date(2026, 9, 27), date(2026, 10, 17)]
    ends = store.db.execute("SELECT MAX(occurred_at) FROM matters").fetchone()[0]
    assert parse_stamp(ends).astimezone(store.tz()).date() == date(2026, 11, 29)
    store.close()


def test_demo_refuses_a_filled_database_unless_forced(cli: CliRunner, db_path: Path, plain_db: Path) -> None:
    assert cli("init", "--community", "和平社区", "--code", "X9").code == 0
    result = cli("demo")
    assert result.code == 3
    assert "--force" in result.err
    store = Store.open(db_path)
    assert count(store, "SELECT COUNT(*) FROM households") == 0
    store.close()
    result = cli("demo", "--force")
    assert result.code == 0, result.err
    store = Store.open(db_path)
    community = store.community()
    assert community is not None and (community.name, community.code) == ("幸福社区", None)
    assert count(store, "SELECT COUNT(*) FROM households") == 600
    store.close()
    assert cli("demo").code == 3
    again = cli("demo", "--force")
    assert again.code == 0, again.err
    store = Store.open(db_path)
    assert count(store, "SELECT COUNT(*) FROM households") == 600
    assert count(store, "SELECT COUNT(*) FROM visits") == len(seed_rows("visits.csv"))
    assert list(db_path.parent.glob("backups/*-demo.db"))  # what --force replaced was backed up first


def test_demo_generates_a_larger_community(cli: CliRunner, db_path: Path) -> None:
    result = cli("--lang", "en", "demo", "--households", "3000")
    assert result.code == 0, result.err
    assert "4 zones, 4 teams, 3,000 households" in result.out
    store = Store.open(db_path)
    assert count(store, "SELECT COUNT(*) FROM zones") == 4
    assert count(store, "SELECT COUNT(*) FROM households") == 3000
    residents = count(store, "SELECT COUNT(*) FROM residents")
    assert 2.4 <= residents / 3000 <= 2.8
    yesterday = (store.today() - timedelta(days=1)).isoformat()
    first, last = store.db.execute("SELECT MIN(visit_date), MAX(visit_date) FROM visits").fetchone()
    assert last <= yesterday
    assert first >= (store.today() - timedelta(days=7 * 104)).isoformat()
    assert count(store, "SELECT COUNT(*) FROM visits") > 20_000
    assert cli("demo", "--households", "0", "--force").code == 2


def write_history(folder: Path, rows: list[list[str]], name: str = "visits.csv") -> Path:
    """A visits.csv (or matters.csv) in the bundle's columns."""
    path = folder / name
    write_csv(path, bundle_columns(name), rows)
    return path


@pytest.fixture
def ids(store: Store) -> dict[str, str]:
    """The small community of test_records: its row ids by code."""
    return seed_small(store)


def refused(store: Store, visits: Path | None, matters: Path | None) -> list[str]:
    """The error lines of a history load that is refused."""
    with pytest.raises(InvalidInput) as caught:
        load_history(store, visits, matters)
    return caught.value.lines


def test_history_loader_names_file_line_and_column(store: Store, ids: dict[str, str], tmp_path: Path) -> None:
    good = [
        "0b1f0c2e-1111-4000-8000-000000000001", ids["XF001"], ids["T1"], "2026-11-20", ids["C01"], "met",
        ids["R1"], "medical", "=血压偏高", "2026-11-27", "200", "2026-11-20T12:00:00.000Z", "seed", "0",
    ]  # fmt: skip
    unknown_household = [*good]
    unknown_household[0] = "0b1f0c2e-1111-4000-8000-000000000002"
    unknown_household[1] = "0b1f0c2e-9999-4000-8000-000000000000"
    bad_outcome = [*good]
    bad_outcome[0] = "0b1f0c2e-1111-4000-8000-000000000003"
    bad_outcome[5] = "happy"
    path = write_history(tmp_path, [good, unknown_household, bad_outcome])
    assert refused(store, path, None) == [
        "visits.csv:3: household_id: unknown household '0b1f0c2e-9999-4000-8000-000000000000'",
        "visits.csv:3: resident_ids: not a resident of the household",
        "visits.csv:4: outcome: unknown outcome 'happy'",
    ]
    assert count(store, "SELECT COUNT(*) FROM visits") == 0
    # The good row alone loads, moved 2 days, stamped as this laptop's write.
    path = write_history(tmp_path, [good])
    assert load_history(store, path, None, shift_days=2) == (1, 0)
    row = store.db.execute("SELECT visit_date, follow_up_date, notes, origin, needs FROM visits").fetchone()
    assert row == ("2026-11-22", "2026-11-29", "=血压偏高", store.device_id, "medical")
    with pytest.raises(InvalidInput, match="1 error"):
        load_history(store, path, None)  # the same id again
    future = [*good]
    future[0] = "0b1f0c2e-1111-4000-8000-000000000004"
    with pytest.raises(InvalidInput) as caught:
        load_history(store, write_history(tmp_path, [future]), None, shift_days=3650)
    assert "is in the future" in caught.value.lines[0]


def test_history_loader_refuses_an_id_given_twice_or_held_in_file_order(
    store: Store, ids: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 3: the good rows go in as they come and the database remembers their ids.
    monkeypatch.setattr(history, "CHUNK", 3)
    good = [
        "", ids["XF001"], ids["T1"], "2026-11-20", ids["C01"], "met", ids["R1"], "", "", "", "",
        "2026-11-20T12:00:00.000Z", "seed", "0",
    ]  # fmt: skip

    def visit(n: int, outcome: str = "met") -> list[str]:
        row = [*good]
        row[0], row[5] = f"0b1f0c2e-3333-4000-8000-00000000000{n}", outcome
        return row

    assert load_history(store, write_history(tmp_path, [visit(9)]), None) == (1, 0)
    rows = [visit(1), visit(2), visit(3), visit(9), visit(4, "happy"), visit(1), visit(4), visit(5)]
    assert refused(store, write_history(tmp_path, rows), None) == [
        "visits.csv:5: id: 0b1f0c2e-3333-4000-8000-000000000009 is given twice or already in the database",
        "visits.csv:6: outcome: unknown outcome 'happy'",
        "visits.csv:7: id: 0b1f0c2e-3333-4000-8000-000000000001 is given twice or already in the database",
        "visits.csv:8: id: 0b1f0c2e-3333-4000-8000-000000000004 is given twice or already in the database",
    ]
    assert count(store, "SELECT COUNT(*) FROM visits") == 1


def test_history_loader_checks_matters(store: Store, ids: dict[str, str], tmp_path: Path) -> None:
    sync = ["2026-11-20T12:00:00.000Z", "seed", "0"]
    rows = [
        ["0b1f0c2e-2222-4000-8000-000000000001", "illness", "独居老人摔伤住院", "household", "", ids["XF001"],
         "2026-11-20T01:30:00.000Z", "2026-11-20T03:00:00.000Z", ids["C01"], "", *sync],
        ["0b1f0c2e-2222-4000-8000-000000000002", "dispute", "纠纷", "zone", "", ids["XF001"],
         "2026-11-20T01:30:00.000Z", "2026-11-20T01:00:00.000Z", ids["C01"], "", *sync],
        ["0b1f0c2e-2222-4000-8000-000000000003", "party", "聚会", "community", "", "",
         "2026-11-20 09:30", "", "", "", *sync],
    ]  # fmt: skip
    path = write_history(tmp_path, rows, "matters.csv")
    assert refused(store, None, path) == [
        "matters.csv:3: scope: a zone's matter names its zone, a household's its household, no other",
        "matters.csv:3: attended_at: before the matter occurred",
        "matters.csv:4: kind: unknown matter kind 'party'",
        "matters.csv:4: occurred_at: not a UTC time (YYYY-MM-DDTHH:MM:SS.mmmZ): '2026-11-20 09:30'",
    ]
    write_history(tmp_path, rows[:1], "matters.csv")
    # A file saved by Excel on a Chinese Windows: GB18030, no BOM. (Two or three Chinese characters
    # alone can happen to be valid UTF-8 too; a real file has more.)
    path.write_bytes(path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8").encode("gb18030"))
    assert load_history(store, None, path) == (0, 1)
    stored = store.db.execute("SELECT title, occurred_at, attended_by FROM matters").fetchone()
    assert stored == ("独居老人摔伤住院", "2026-11-20T01:30:00.000Z", ids["C01"])


def test_demo_without_a_seeds_folder_generates_the_same_files(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cadre_tui.io.demo as demo

    monkeypatch.setattr(demo, "seeds_folder", lambda: tmp_path / "absent")
    with pytest.raises(Exception, match="already holds data"):
        demo.load_seeds(store)  # the store fixture holds a community
    summary = demo.load_seeds(store, force=True)
    assert (summary.zones, summary.teams, summary.households) == (4, 4, 600)
    assert summary.visits == len(seed_rows("visits.csv"))
    assert summary.residents == len(seed_rows("roster.csv"))
