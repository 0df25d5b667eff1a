"""ISO weeks (`2026-W48`) and the official working days of China, with a Monday–Friday fallback."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from cadre_tui.messages import Problem

_WEEK = re.compile(r"^(\d{4})-[Ww](\d{1,2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO week, Monday to Sunday, written `2026-W48`."""

    year: int
    week: int

    def __post_init__(self) -> None:
        # date.fromisocalendar rejects W53 in a year that has only 52 weeks.
        date.fromisocalendar(self.year, self.week, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        """The first day of the week."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        """The last day of the week."""
        return date.fromisocalendar(self.year, self.week, 7)

    def days(self) -> list[date]:
        """Monday to Sunday."""
        monday = self.monday
        return [monday + timedelta(days=i) for i in range(7)]

    def contains(self, day: date) -> bool:
        """Whether `day` falls inside this week."""
        return self.monday <= day <= self.sunday

    def next(self) -> IsoWeek:
        """The following week."""
        return week_of(self.monday + timedelta(days=7))

    def previous(self) -> IsoWeek:
        """The week before."""
        return week_of(self.monday - timedelta(days=7))


def week_of(day: date) -> IsoWeek:
    """The ISO week `day` falls in."""
    iso = day.isocalendar()
    return IsoWeek(iso.year, iso.week)


def parse_week_code(text: str) -> IsoWeek:
    """A week as files carry it, exactly `2026-W48` (the form `str(IsoWeek)` writes); ValueError otherwise."""
    m = _WEEK.match(text)
    if not m:
        raise Problem("weeks.not_code", value=text[:40])
    try:
        week = IsoWeek(int(m[1]), int(m[2]))
    except ValueError:
        raise Problem("weeks.no_such", value=text[:40]) from None
    if str(week) != text:
        raise Problem("weeks.not_code", value=text[:40])
    return week


# The app's week box shows these words; the command line takes them too.
WEEK_WORDS = {"本周": "this", "上周": "last", "下周": "next"}


def parse_week(text: str, today: date) -> IsoWeek:
    """`2026-W48`, or `this`, `last`, `next` (本周, 上周, 下周) relative to `today`; ValueError otherwise."""
    raw = text.strip()
    relative = WEEK_WORDS.get(raw, raw.lower())
    if relative == "this":
        return week_of(today)
    if relative == "last":
        return week_of(today).previous()
    if relative == "next":
        return week_of(today).next()
    m = _WEEK.match(raw)
    if not m:
        raise Problem("weeks.not_week", value=raw)
    try:
        return IsoWeek(int(m[1]), int(m[2]))
    except ValueError:
        raise Problem("weeks.no_such", value=raw) from None


def fallback_warning(years: Collection[int]) -> str:
    """The text shown when the official calendar does not cover `years` (Chinese, then English)."""
    listed = ", ".join(str(y) for y in sorted(years))
    return (
        f"没有 {listed} 年的法定节假日数据，工作日按周一至周五计算 / "
        f"no official holiday data for {listed}: working days taken as Monday to Friday"
    )


def is_official_workday(day: date) -> bool | None:
    """Whether `day` is an official working day (调休 Saturdays included); None when the data stops."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def working_days(week: IsoWeek, days_off: Collection[date] = ()) -> tuple[list[date], str | None]:
    """The week's working days minus the community's days off, and a warning when the fallback was used."""
    days: list[date] = []
    uncovered: set[int] = set()
    off = set(days_off)
    for day in week.days():
        official = is_official_workday(day)
        if official is None:
            uncovered.add(day.year)
            official = day.weekday() < 5
        if official and day not in off:
            days.append(day)
    return days, (fallback_warning(uncovered) if uncovered else None)


_WEEKDAYS = {"zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
             "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}  # fmt: skip


def weekday_name(day: date, lang: str) -> str:
    """周一 … 周日, or Mon … Sun (any language but zh reads English)."""
    return _WEEKDAYS["zh" if lang == "zh" else "en"][day.weekday()]
