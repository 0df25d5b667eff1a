"""Settings of the 23766 routine: defaults of SPEC §2, parsing and checking of values, storing them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cadre_tui.core.settings import (
    DEFAULT_RULES,
    SETTINGS,
    format_setting,
    parse_minutes,
    parse_setting,
    rules_from,
)
from cadre_tui.errors import InvalidInput
from cadre_tui.store.db import Store
from cadre_tui.store.settings import change_setting, get_setting_value, list_settings, load_rules


def test_defaults_are_those_of_the_spec() -> None:
    r = DEFAULT_RULES
    assert dict(r.cadences) == {
        "solitary": 7,
        "widowed": 14,
        "poor": 14,
        "frail": 14,
        "ill": 7,
        "elderly": 14,
    }
    assert dict(r.labels) == {
        "solitary": "孤",
        "widowed": "寡",
        "poor": "贫",
        "frail": "弱",
        "ill": "病",
        "elderly": "老",
    }
    assert r.targets["emergency"] == timedelta(hours=2)
    assert r.targets["activity"] == timedelta(hours=1)
    assert r.targets["illness"] == timedelta(hours=48)
    assert r.targets["wedding_funeral"] == timedelta(hours=24)
    assert (r.familiarity_window_days, r.familiarity_target, r.capacity, r.revisit_days) == (
        365,
        Decimal("0.7"),
        8,
        3,
    )
    assert r.days_off == frozenset() and r.me is None


@pytest.mark.parametrize(
    ("text", "minutes"), [("2h", 120), ("90m", 90), ("2", 120), ("1.5h", 90), ("48H", 2880), ("30分钟", 30)]
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["", "h", "0", "0.01h", "-1h", "two hours", "1.5m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_minutes(text)


def test_values_are_parsed_by_kind() -> None:
    assert parse_setting("cadence.solitary", "5") == 5
    assert parse_setting("target.emergency", "90m") == 90
    assert format_setting("target.emergency", 90) == "90m"
    assert format_setting("target.emergency", 120) == "2h"
    assert parse_setting("familiarity.target", "0.75") == 0.75
    assert parse_setting("familiarity.target", "80%") == 0.8
    assert parse_setting("revisit_days", "0") == 0
    assert parse_setting("label.solitary", " 孤寡 ") == "孤寡"
    assert parse_setting("me", "C01") == "C01"
    assert parse_setting("me", "none") is None


def test_days_off_replace_add_remove() -> None:
    assert parse_setting("days_off", "2026-12-31, 2026-12-24") == ["2026-12-24", "2026-12-31"]
    assert parse_setting("days_off", "+2026-12-25", ["2026-12-24"]) == ["2026-12-24", "2026-12-25"]
    assert parse_setting("days_off", "-2026-12-24", ["2026-12-24", "2026-12-25"]) == ["2026-12-25"]
    assert parse_setting("days_off", "", ["2026-12-24"]) == []
    assert format_setting("days_off", ["2026-12-24", "2026-12-25"]) == "2026-12-24,2026-12-25"


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("cadence.solitary", "0"),
        ("cadence.solitary", "seven"),
        ("capacity", "0"),
        ("capacity", "2.5"),
        ("familiarity.target", "1.2"),
        ("familiarity.target", "abc"),
        ("familiarity.window_days", "-3"),
        ("days_off", "2026-02-30"),
        ("days_off", "+tomorrow"),
        ("label.ill", "  "),
        ("me", "C 01"),
        ("nonsense", "1"),
    ],
)
def test_bad_values(key: str, text: str) -> None:
    with pytest.raises(ValueError):
        parse_setting(key, text)


def test_rules_from_stored_values() -> None:
    rules = rules_from(
        {"cadence.ill": 3, "target.dispute": 90, "days_off": ["2026-12-24"], "familiarity.target": 0.8}
    )
    assert rules.cadences["ill"] == 3 and rules.cadences["solitary"] == 7
    assert rules.targets["dispute"] == timedelta(minutes=90)
    assert rules.days_off == frozenset({date(2026, 12, 24)})
    assert rules.familiarity_target == Decimal("0.8")


def test_store_lists_changes_and_rejects(store: Store) -> None:
    listed = list_settings(store)
    assert [s.key for s in listed] == list(SETTINGS)
    assert all(s.is_default for s in listed)
    changed = change_setting(store, "target.activity", "90m")
    assert (changed.key, changed.value, changed.is_default) == ("target.activity", "90m", False)
    assert get_setting_value(store, "target.activity").value == "90m"
    change_setting(store, "days_off", "+2026-12-24")
    change_setting(store, "days_off", "+2026-12-31")
    assert get_setting_value(store, "days_off").value == "2026-12-24,2026-12-31"
    rules = load_rules(store)
    assert rules.targets["activity"] == timedelta(minutes=90)
    assert rules.days_off == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    with pytest.raises(InvalidInput, match="capacity: must be at least 1"):
        change_setting(store, "capacity", "0")
    with pytest.raises(InvalidInput, match="unknown setting"):
        get_setting_value(store, "cadence.nobody")
    assert get_setting_value(store, "capacity").value == "8"


def test_me_is_the_same_setting_init_writes(store: Store) -> None:
    store.set_setting("me", "C02")
    assert get_setting_value(store, "me").value == "C02"
    assert load_rules(store).me == "C02"
