"""`visit add`, `matter add`, `matter attend`: exit codes, ids printed alone, what is stored."""

from __future__ import annotations

import uuid

from cadre_tui.store.db import Store
from tests.conftest import CliRunner
from tests.unit.test_records import seed_small


def count(store: Store, table: str) -> int:
    """Rows in a table."""
    return int(store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def printed_id(out: str) -> str:
    """The one line printed, checked to be a UUID."""
    assert out.endswith("\n") and out.count("\n") == 1
    return str(uuid.UUID(out.strip()))


def test_visit_add_prints_the_id_alone(cli: CliRunner, store: Store) -> None:
    ids = seed_small(store)
    result = cli("visit", "add", "--household", "XF001", "--date", "2026-11-20", "--outcome", "met")
    assert (result.code, result.err) == (0, "")
    visit_id = printed_id(result.out)
    row = store.db.execute(
        "SELECT team_id, cadre_ids, outcome FROM visits WHERE id = ?", [visit_id]
    ).fetchone()
    assert row == (ids["T1"], f"{ids['C01']};{ids['C02']}", "met")


def test_visit_add_with_every_option(cli: CliRunner, store: Store) -> None:
    ids = seed_small(store)
    result = cli(
        "visit", "add", "--household", "XF002", "--date", "2026-11-21", "--outcome", "无人在家",
        "--team", "T1", "--cadres", "C01，C03", "--needs", "medical,养老", "--notes", "=留了卡",
        "--follow-up", "2026-11-28", "--assistance", "200",
    )  # fmt: skip
    assert result.code == 0, result.err
    row = store.db.execute(
        "SELECT team_id, cadre_ids, outcome, needs, notes, follow_up_date, assistance_yuan "
        "FROM visits WHERE id = ?",
        [printed_id(result.out)],
    ).fetchone()
    assert row == (
        ids["T1"],
        f"{ids['C01']};{ids['C03']}",
        "absent",
        "medical;elderly_care",
        "=留了卡",
        "2026-11-28",
        "200",
    )


def test_visit_add_bad_input_exits_2_and_writes_nothing(cli: CliRunner, store: Store) -> None:
    seed_small(store)
    base = ["visit", "add", "--household", "XF001", "--date", "2026-11-20", "--outcome", "met"]
    cases = {
        "unknown household XF999": ["--household", "XF999"],
        "is in the future": ["--date", "2099-01-01"],
        "--date: not a real date": ["--date", "2026-02-30"],
        "unknown outcome": ["--outcome", "happy"],
        "unknown team T9": ["--team", "T9"],
        "unknown cadre C99": ["--cadres", "C01,C99"],
        "unknown need money": ["--needs", "money"],
        "not an amount": ["--assistance", "12.345"],
        "--follow-up: not a date": ["--follow-up", "next week"],
    }
    for message, extra in cases.items():
        result = cli(*base, *extra, lang="en")
        assert result.code == 2, (message, result)
        assert message in result.err, (message, result.err)
        assert result.out == ""
    assert cli("visit", "add", "--household", "XF001").code == 2  # missing required options
    assert count(store, "visits") == 0


def test_every_records_command_needs_a_community(cli: CliRunner) -> None:
    commands = [
        ["visit", "add", "--household", "XF001", "--date", "2026-11-20", "--outcome", "met"],
        [
            "matter",
            "add",
            "--kind",
            "dispute",
            "--occurred-at",
            "2026-11-20 09:00",
            "--community",
            "--title",
            "t",
        ],
        [
            "matter",
            "attend",
            "0b1f0c2e-0000-4000-8000-000000000000",
            "--at",
            "2026-11-20 09:00",
            "--cadres",
            "C01",
        ],
    ]
    for args in commands:
        result = cli(*args)
        assert result.code == 2
        assert "里还没有社区" in result.err and "cadre-tui demo" in result.err


def test_matter_add_and_attend(cli: CliRunner, store: Store) -> None:
    ids = seed_small(store)
    result = cli(
        "matter", "add", "--kind", "illness", "--occurred-at", "2026-11-20 09:30",
        "--household", "XF001", "--title", "住院",
    )  # fmt: skip
    assert result.code == 0, result.err
    matter_id = printed_id(result.out)
    row = store.db.execute(
        "SELECT kind, scope, household_id, zone_id, occurred_at FROM matters WHERE id = ?", [matter_id]
    ).fetchone()
    assert row == ("illness", "household", ids["XF001"], None, "2026-11-20T01:30:00.000Z")

    result = cli(
        "matter", "attend", matter_id[:8], "--at", "2026-11-20T10:15:00+08:00", "--cadres", "C01,C02"
    )
    assert result.code == 0, result.err
    assert result.out == matter_id + "\n"
    row = store.db.execute(
        "SELECT attended_at, attended_by FROM matters WHERE id = ?", [matter_id]
    ).fetchone()
    assert row == ("2026-11-20T02:15:00.000Z", f"{ids['C01']};{ids['C02']}")


def test_matter_zone_and_community_scopes(cli: CliRunner, store: Store) -> None:
    ids = seed_small(store)
    zone = cli(
        "matter",
        "add",
        "--kind",
        "突发事件",
        "--occurred-at",
        "2026-11-22 20:05",
        "--zone",
        "Z2",
        "--title",
        "停电",
    )
    whole = cli(
        "matter",
        "add",
        "--kind",
        "activity",
        "--occurred-at",
        "2026-11-23T09:00+08:00",
        "--community",
        "--title",
        "义诊",
    )
    assert (zone.code, whole.code) == (0, 0)
    rows = store.db.execute(
        "SELECT kind, scope, zone_id, household_id FROM matters ORDER BY occurred_at"
    ).fetchall()
    assert rows == [("emergency", "zone", ids["Z2"], None), ("activity", "community", None, None)]


def test_matter_bad_input_exits_2(cli: CliRunner, store: Store) -> None:
    seed_small(store)
    added = cli(
        "matter",
        "add",
        "--kind",
        "dispute",
        "--occurred-at",
        "2026-11-20 09:30",
        "--community",
        "--title",
        "纠纷",
    )
    matter_id = added.out.strip()
    add = ["matter", "add", "--occurred-at", "2026-11-20 09:30", "--title", "t"]
    cases = [
        ([*add, "--kind", "party", "--community"], "unknown matter kind party"),
        (["matter", "add", "--kind", "dispute", "--occurred-at", "20/11/2026", "--community", "--title", "t"],
         "--occurred-at: not a date and time"),
        (["matter", "add", "--kind", "dispute", "--occurred-at", "2026-11-20 09:30", "--household", "XF999",
          "--title", "t"], "unknown household XF999"),
        ([*add, "--kind", "dispute", "--zone", "Z9"], "unknown zone Z9"),
        (["matter", "attend", matter_id, "--at", "2026-11-20 09:29", "--cadres", "C01"],
         "before the matter occurred"),
        (["matter", "attend", matter_id, "--at", "2099-01-01 09:00", "--cadres", "C01"], "is in the future"),
        (["matter", "attend", matter_id, "--at", "2026-11-20 10:00", "--cadres", "C77"], "unknown cadre C77"),
        (["matter", "attend", "no-such-matter", "--at", "2026-11-20 10:00", "--cadres", "C01"],
         "unknown matter no-such-matter"),
    ]  # fmt: skip
    for args, message in cases:
        result = cli(*args, lang="en")
        assert result.code == 2, (args, result)
        assert message in result.err, (message, result.err)
        assert result.out == ""
    # Neither scope nor two scopes: argparse's own usage error, exit 2.
    assert (
        cli("matter", "add", "--kind", "dispute", "--occurred-at", "2026-11-20 09:30", "--title", "t").code
        == 2
    )
    assert count(store, "matters") == 1
    assert store.db.execute("SELECT attended_at FROM matters").fetchone()[0] is None
