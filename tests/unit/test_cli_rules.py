"""`config`, `report` and `plan` on the command line: output shapes, exit codes, saved plans."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len

from cadre_tui.store.db import Store
from tests.builders import (
    insert_household,
    insert_membership,
    insert_resident,
    insert_visit,
    insert_zone_team,
)
from tests.conftest import CliRunner


@pytest.fixture
def town(cli: CliRunner, db_path: Path, plain_db: Path) -> None:
    assert cli("init", "--community", "幸福社区").code == 0
    store = Store.open(db_path)
    z1, t1, _ = insert_zone_team(store, "Z1", "T1", ["C01", "C02"])
    insert_zone_team(store, "Z2", "T2", ["C03"])
    h = insert_household(store, "Z1-001", z1)
    r = insert_resident(store, h, "王芳")
    insert_membership(store, r, "solitary", date(2026, 1, 1))
    insert_visit(store, h, date(2026, 11, 23), "met", team_id=t1)
    insert_household(store, "Z1-002", z1, building="2")
    store.close()


def test_config_lists_shows_and_changes(cli: CliRunner, town: None) -> None:
    listed = cli("config", "--lang", "en")
    assert listed.code == 0
    assert "cadence.solitary" in listed.out and "(default)" in listed.out and "days_off" in listed.out
    assert cli("config", "target.emergency", "90m").out.strip() == "90m"
    assert cli("config", "target.emergency").out.strip() == "90m"
    assert cli("config", "days_off", "2026-12-31,2026-12-24").out.strip() == "2026-12-24,2026-12-31"
    assert cli("config", "days_off", "+2026-12-25").out.strip() == "2026-12-24,2026-12-25,2026-12-31"
    assert cli("config", "days_off", "-2026-12-24").out.strip() == "2026-12-25,2026-12-31"
    lines = cli("config", "--lang", "en").out.splitlines()
    line = next(text for text in lines if text.startswith("target.emergency"))
    assert "90m" in line and "(default)" not in line


def test_config_me_warns_about_an_unknown_cadre(cli: CliRunner, town: None) -> None:
    result = cli("config", "me", "C09", "--lang", "en")
    assert (result.code, result.out.strip()) == (0, "C09")
    assert "no cadre C09 yet" in result.err
    assert cli("config", "me", "C01").err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("capacity", "0"), "capacity: must be at least 1"),
        (("familiarity.target", "2"), "familiarity.target: must lie between 0 and 1"),
        (("target.activity", "soon"), "target.activity: not a duration"),
        (("days_off", "2026-13-01"), "days_off: not a real date"),
        (("cadence.nobody", "3"), "unknown setting"),
        (("cadence.nobody",), "unknown setting"),
    ],
)
def test_config_bad_key_or_value_exits_2(
    cli: CliRunner, town: None, args: tuple[str, ...], message: str
) -> None:
    result = cli("config", *args, lang="en")
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err


def test_report_json_shape(cli: CliRunner, town: None) -> None:
    result = cli("report", "--week", "2026-W48", "--as-of", "2026-11-24", "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert list(data) == ["week", "as_of", "community", "community_familiarity", "teams"]
    assert (data["week"], data["as_of"], data["community"], data["community_familiarity"]) == (
        "2026-W48",
        "2026-11-24",
        "幸福社区",
        0.5,
    )
    t1 = data["teams"][0]
    assert list(t1) == [
        "team", "zone", "members", "team_size_ok", "working_days", "required_field_days", "field_days",
        "field_days_ok", "households", "familiar_households", "familiarity", "familiarity_ok",
        "priority_residents", "priority_overdue", "priority_ok", "matters", "matters_attended",
        "matters_late", "matters_ok",
    ]  # fmt: skip
    assert (t1["field_days"], t1["households"], t1["familiarity"], t1["priority_residents"]) == (1, 2, 0.5, 1)
    assert [t["team_size_ok"] for t in data["teams"]] == [True, False]


def test_report_text_is_aligned_in_terminal_cells(cli: CliRunner, town: None) -> None:
    for lang, first in (("zh", "小组"), ("en", "team")):
        result = cli("report", "--week", "2026-W48", "--as-of", "2026-11-24", "--lang", lang)
        assert result.code == 0
        lines = result.out.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith(first))
        table = lines[header:]
        assert [line.split()[0] for line in table] == [first, "T1", "T2"]
        # The second column starts at the same terminal cell on every row.
        starts = {
            cell_len(line[: line.index(word)])
            for line, word in zip(table, ("片区" if lang == "zh" else "zone", "Z1", "Z2"), strict=True)
        }
        assert len(starts) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "2026-W48", "--as-of", "2026-11-30"), "not inside 2026-W48"),
        (("--week", "2026-W48", "--as-of", "2026-11-22"), "not inside 2026-W48"),
        (("--week", "2026-W48", "--as-of", "26-11-24"), "--as-of: not a date"),
        (("--week", "2026-48"), "--week: not a week"),
        (("--week", "2026-W54"), "--week: no such ISO week"),
        (("--week", "soon"), "--week: not a week"),
    ],
)
def test_report_bad_input_exits_2(cli: CliRunner, town: None, args: tuple[str, ...], message: str) -> None:
    result = cli("report", *args, lang="en")
    assert result.code == 2
    assert message in result.err


def test_report_and_plan_need_a_community(cli: CliRunner) -> None:
    assert cli("report", "--week", "this").code == 2
    assert cli("plan", "--week", "this").code == 2
    assert cli("config").code == 2


def test_report_of_a_2027_week_warns(cli: CliRunner, town: None) -> None:
    result = cli("report", "--week", "2027-W02", "--format", "json")
    assert result.code == 0
    assert "2027" in result.err
    assert json.loads(result.out)["teams"][0]["working_days"] == 5


def test_plan_json_shape_and_saved_plans(cli: CliRunner, town: None) -> None:
    args = ("plan", "--week", "2026-W49", "--today", "2026-11-24", "--format", "json")
    result = cli(*args)
    assert result.code == 0
    data = json.loads(result.out)
    assert list(data) == ["week", "plans"] and data["week"] == "2026-W49"
    t1 = data["plans"][0]
    assert list(t1) == [
        "team", "zone", "working_days", "required_field_days", "warning", "days", "not_planned", "matters",
    ]  # fmt: skip
    assert (t1["team"], t1["zone"], t1["required_field_days"], t1["warning"]) == ("T1", "Z1", 3, None)
    # 王芳 (solitary) was met 11-23: due 11-30, the week's Monday; Z1-002 was never visited.
    assert t1["days"] == [
        {"date": "2026-11-30", "households": [
            {"household_no": "Z1-001", "reason": "due"}, {"household_no": "Z1-002", "reason": "unfamiliar"}]},
        {"date": "2026-12-02", "households": []},
        {"date": "2026-12-04", "households": []},
    ]  # fmt: skip
    saved = cli(*args, "--save")
    assert saved.code == 0 and json.loads(saved.out) == data  # no entry_id in the JSON
    again = cli(*args, "--save", "--lang", "en")
    assert again.code == 0 and "already saved" in again.err
    assert cli(*args, "--regenerate").code == 0
    assert json.loads(cli(*args, "--reset").out) == data
    assert cli(*args, "--save", "--reset").code == 2


def test_plan_one_team_and_text(cli: CliRunner, town: None) -> None:
    result = cli("plan", "--week", "2026-W49", "--team", "T2", "--today", "2026-11-24")
    assert result.code == 0
    assert result.out.splitlines()[0].startswith("T2（片区 Z2）2026-W49")
    en = cli("plan", "--week", "2026-W49", "--team", "T1", "--today", "2026-11-24", "--lang", "en").out
    assert "2026-11-30 Mon" in en and "Z1-001  due" in en


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "2026-W49", "--team", "T9"), "unknown team T9"),
        (("--week", "2026-W49", "--today", "tomorrow"), "--today: not a date"),
        (("--week", "W49"), "--week: not a week"),
    ],
)
def test_plan_bad_input_exits_2(cli: CliRunner, town: None, args: tuple[str, ...], message: str) -> None:
    result = cli("plan", *args, lang="en")
    assert result.code == 2
    assert message in result.err
