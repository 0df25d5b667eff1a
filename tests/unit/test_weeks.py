"""ISO weeks and working days (SPEC §4): official calendar with 调休, fallback outside its data."""

from __future__ import annotations

from datetime import date

import pytest

from cadre_tui.core.weeks import IsoWeek, parse_week, week_of, working_days


def test_iso_week_text_and_days() -> None:
    week = IsoWeek(2026, 48)
    assert str(week) == "2026-W48"
    assert (week.monday, week.sunday) == (date(2026, 11, 23), date(2026, 11, 29))
    assert week.days()[0] == date(2026, 11, 23) and len(week.days()) == 7
    assert week.contains(date(2026, 11, 29)) and not week.contains(date(2026, 11, 30))
    assert (str(week.next()), str(week.previous())) == ("2026-W49", "2026-W47")


def test_weeks_across_the_year_end() -> None:
    assert str(IsoWeek(2026, 53).next()) == "2027-W01"
    assert str(week_of(date(2027, 1, 1))) == "2026-W53"
    assert str(IsoWeek(2027, 1).previous()) == "2026-W53"


def test_parse_week_relative_to_today() -> None:
    today = date(2026, 11, 24)
    assert parse_week("this", today) == IsoWeek(2026, 48)
    assert parse_week("last", today) == IsoWeek(2026, 47)
    assert parse_week("next", today) == IsoWeek(2026, 49)
    assert parse_week(" 2026-W08 ", today) == IsoWeek(2026, 8)
    assert parse_week("2026-w8", today) == IsoWeek(2026, 8)


@pytest.mark.parametrize("text", ["2026-48", "W48", "2026-W00", "2027-W53", "2026-W54", "soon", ""])
def test_parse_week_rejects_bad_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_week(text, date(2026, 11, 24))


def test_ordinary_week_has_five_working_days() -> None:
    days, warning = working_days(IsoWeek(2026, 48))
    assert days == [date(2026, 11, d) for d in range(23, 28)]
    assert warning is None


def test_spring_festival_week_has_none() -> None:
    assert working_days(IsoWeek(2026, 8)) == ([], None)


def test_national_day_week_counts_the_make_up_saturday() -> None:
    days, warning = working_days(IsoWeek(2026, 41))
    assert days == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]
    assert warning is None


def test_community_days_off_are_removed() -> None:
    days, _ = working_days(IsoWeek(2026, 41), {date(2026, 10, 10), date(2026, 10, 11)})
    assert days == [date(2026, 10, 8), date(2026, 10, 9)]


def test_a_year_without_data_falls_back_to_monday_to_friday_with_a_warning() -> None:
    days, warning = working_days(IsoWeek(2027, 2), {date(2027, 1, 13)})
    assert days == [date(2027, 1, 11), date(2027, 1, 12), date(2027, 1, 14), date(2027, 1, 15)]
    assert warning is not None
    assert "2027" in warning and "周一至周五" in warning and "Monday to Friday" in warning


def test_a_week_spanning_covered_and_uncovered_years() -> None:
    days, warning = working_days(IsoWeek(2026, 53))
    # 2026-12-28..31 from the official data (ordinary days), 2027-01-01 by the fallback (a Friday).
    assert days == [
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
    ]
    assert warning is not None and "2027" in warning and "2026" not in warning
