"""What each cell of a bundle file may hold (SPEC §3, §6): a partner's bundle is input like any file.

A bad value is refused with exit 2 naming file, line and column, before anything is written, as the
roster and staff imports refuse theirs. Dates in the future are not refused here: the partner's clock
may run ahead of this laptop's, and that must not stop a sync.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from cadre_tui.core.domain import (
    GROUPS_BY_CODE,
    KINDS_BY_CODE,
    MATTER_SCOPES,
    NEED_CODES,
    OUTCOME_CODES,
    PLAN_REASONS,
    RESIDENT_STATUSES,
)
from cadre_tui.core.ids import parse_id_number

Check = Callable[[str], str | None]

_WEEK = re.compile(r"^\d{4}-W\d{2}$")
_YUAN = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
# A time with its zone, as every bundle writes updated_at, occurred_at and attended_at.
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")


def _one_of(codes: Sequence[str]) -> Check:
    allowed = set(codes)
    return lambda v: None if v in allowed else f"unknown code {v[:40]!r}"


def _list_of(codes: Sequence[str]) -> Check:
    allowed = set(codes)

    def check(value: str) -> str | None:
        bad = [part for part in value.split(";") if part and part not in allowed]
        return f"unknown code {bad[0][:40]!r}" if bad else None

    return check


def _iso_date(value: str) -> str | None:
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"not a date (YYYY-MM-DD): {value[:40]}"
    return None if len(value) == 10 else f"not a date (YYYY-MM-DD): {value[:40]}"


def _stamp(value: str) -> str | None:
    if not STAMP.match(value):
        return f"not a time with a zone: {value[:40]}"
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return f"not a real time: {value[:40]}"
    return None


def _id_number(value: str) -> str | None:
    try:
        parse_id_number(value)
    except ValueError as exc:
        return str(exc)
    return None


def _flag(value: str) -> str | None:
    return None if value in ("0", "1") else "must be 0 or 1"


def _yuan(value: str) -> str | None:
    return None if _YUAN.match(value) else f"not an amount in yuan: {value[:40]}"


def _week(value: str) -> str | None:
    return None if _WEEK.match(value) else f"not a week (2026-W48): {value[:40]}"


# file -> column -> check of a non-empty cell (empty cells are NULL where the column allows it).
CHECKS: dict[str, dict[str, Check]] = {
    "cadres.csv": {"active": _flag},
    "households.csv": {"active": _flag},
    "residents.csv": {
        "gender": _one_of(("M", "F", "男", "女")),
        "birth_date": _iso_date,
        "id_number": _id_number,
        "status": _one_of([s.code for s in RESIDENT_STATUSES]),
    },
    "memberships.csv": {"group": _one_of(tuple(GROUPS_BY_CODE)), "since": _iso_date},
    "visits.csv": {
        "visit_date": _iso_date,
        "outcome": _one_of(OUTCOME_CODES),
        "needs": _list_of(NEED_CODES),
        "follow_up_date": _iso_date,
        "assistance_yuan": _yuan,
    },
    "matters.csv": {
        "kind": _one_of(tuple(KINDS_BY_CODE)),
        "scope": _one_of([s.code for s in MATTER_SCOPES]),
        "occurred_at": _stamp,
        "attended_at": _stamp,
    },
    "plans.csv": {
        "week": _week,
        "day": _iso_date,
        "reason": _one_of([*(r.code for r in PLAN_REASONS), "manual"]),
        "manual": _flag,
    },
}


class ValueChecker:
    """The checks of one bundle file, with their column positions worked out once (a file may have
    100,000 rows)."""

    def __init__(self, file_name: str, columns: Sequence[str]) -> None:
        self.checks = [(columns.index(c), c, check) for c, check in CHECKS.get(file_name, {}).items()]
        self.scoped = file_name == "matters.csv"
        if self.scoped:
            self.i_scope = columns.index("scope")
            self.i_zone = columns.index("zone_id")
            self.i_household = columns.index("household_id")

    def __call__(self, row: Sequence[object]) -> str | None:
        """`column: problem` for the first bad cell of `row`, or None when every cell is sound."""
        for i, column, check in self.checks:
            value = row[i]
            if value is None or value == "":
                continue
            problem = check(str(value))
            if problem:
                return f"{column}: {problem}"
        if self.scoped:
            scope = row[self.i_scope]
            if scope == "zone" and not row[self.i_zone]:
                return "zone_id: a zone's matter names its zone"
            if scope == "household" and not row[self.i_household]:
                return "household_id: a household's matter names its household"
        return None
