"""core/values.py and core.weeks.parse_week_code: each rule with hand-worked values."""

from __future__ import annotations

from datetime import date

import pytest

from cadre_tui.core import values
from cadre_tui.core.domain import NEED_CODES
from cadre_tui.core.weeks import IsoWeek, parse_week_code


def test_amounts_in_yuan() -> None:
    assert values.parse_yuan("") is None
    assert values.parse_yuan("200") == "200"
    assert values.parse_yuan("007.50") == "7.50"
    assert values.parse_yuan("0") == "0"
    assert values.parse_yuan("999999999.99") == "999999999.99"
    assert values.parse_yuan("0000999999999") == "999999999"  # leading zeros are not digits of the amount
    with pytest.raises(values.AmountTooLarge, match=r"more than 999,999,999\.99 yuan"):
        values.parse_yuan("1000000000")
    for bad in (" 5", "5 ", "1e3", "12.345", "-1", "1,000", "¥200", "２００", "5.", ".5"):
        with pytest.raises(ValueError, match="not an amount in yuan"):
            values.parse_yuan(bad)


def test_lists() -> None:
    assert values.split_list(None) == []
    assert values.split_list("a;;b;") == ["a", "b"]
    assert values.join_list(["b", "a", "b"]) == "b;a"
    assert values.split_typed(" C01，C02、C03; C04；C05,, ") == ["C01", "C02", "C03", "C04", "C05"]
    assert values.check_code_list("medical;;other;medical", NEED_CODES) == ["medical", "other"]
    with pytest.raises(ValueError, match="unknown code 'party'"):
        values.check_code_list("medical;party", NEED_CODES)


def test_flags_titles_dates_stamps() -> None:
    assert (values.parse_flag("0"), values.parse_flag("1")) == (0, 1)
    with pytest.raises(ValueError, match="must be 0 or 1"):
        values.parse_flag("true")
    assert values.parse_title("  摔伤住院 ") == "摔伤住院"
    with pytest.raises(ValueError, match="empty"):
        values.parse_title(" \n")
    assert values.parse_stored_date("2026-02-28") == date(2026, 2, 28)
    for bad in ("2026-2-28", "2026-02-30", "20260228", "２０２６-02-28"):
        with pytest.raises(ValueError, match="not a date"):
            values.parse_stored_date(bad)
    assert values.parse_stored_stamp("2026-11-24T01:30:00.000Z").hour == 1
    with pytest.raises(ValueError, match="not a time with a zone"):
        values.parse_stored_stamp("2026-11-24T01:30Z")
    with pytest.raises(ValueError, match="not a real time"):
        values.parse_stored_stamp("2026-11-24T25:30:00Z")
    assert values.excel_scientific("1.10105E+17") and not values.excel_scientific("110105")


def test_rules_between_values() -> None:
    assert values.follow_up_problem(date(2026, 11, 20), None) is None
    assert values.follow_up_problem(date(2026, 11, 20), date(2026, 11, 20)) is None
    assert values.follow_up_problem(date(2026, 11, 20), date(2026, 11, 19)) == (
        "follow-up date 2026-11-19 is before the visit date 2026-11-20"
    )
    assert values.scope_problem("community", None, None) is None
    assert values.scope_problem("zone", "Z", None) is None
    assert values.scope_problem("household", None, "H") is None
    assert (
        values.scope_problem("community", "Z", None)
        == "a community-wide matter names neither a zone nor a household"
    )
    assert values.scope_problem("zone", None, None) == "a zone's matter names its zone and no household"
    assert values.scope_problem("zone", "Z", "H") == "a zone's matter names its zone and no household"
    assert values.scope_problem("household", "Z", "H") is not None


def test_week_codes_are_the_form_str_writes() -> None:
    assert parse_week_code("2026-W48") == IsoWeek(2026, 48)
    assert parse_week_code("2026-W53") == IsoWeek(2026, 53)  # 2026 has 53 ISO weeks
    for bad in ("2026-w48", "2026-W8", "2026-48", "this"):
        with pytest.raises(ValueError, match="not a week"):
            parse_week_code(bad)
    with pytest.raises(ValueError, match="no such ISO week"):
        parse_week_code("2025-W53")
