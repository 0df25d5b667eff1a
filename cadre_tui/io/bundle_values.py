"""What each cell of a bundle file may hold (SPEC §3, §6): a partner's bundle is input like any file.

A bad value is refused with exit 2 naming file, line and column, before anything is written, as the
roster and staff imports refuse theirs. Dates in the future are not refused here: the partner's clock
may run ahead of this laptop's, and that must not stop a sync.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cadre_tui.core.ids import parse_id_number
from cadre_tui.core.values import (
    CODES,
    STAMP,
    check_code,
    check_code_list,
    follow_up_problem,
    parse_flag,
    parse_stored_date,
    parse_stored_stamp,
    parse_title,
    parse_yuan,
    scope_problem,
)
from cadre_tui.core.weeks import parse_week_code
from cadre_tui.messages import Message, Text

__all__ = ["CHECKS", "STAMP", "ValueChecker"]

Check = Callable[[str], str | None]


def _rule(parse: Callable[[str], object]) -> Check:
    """A check from one of the core rules: its ValueError's text is the problem."""

    def check(value: str) -> str | None:
        try:
            parse(value)
        except ValueError as exc:
            return Text("file.problem", problem=exc)
        return None

    return check


def _one_of(kind: str) -> Check:
    codes = set(CODES[kind])
    return _rule(lambda v: check_code(v, codes))


def _list_of(kind: str) -> Check:
    codes = set(CODES[kind])
    return _rule(lambda v: check_code_list(v, codes))


_iso_date = _rule(parse_stored_date)
_stamp = _rule(parse_stored_stamp)
_id_number = _rule(parse_id_number)
_flag = _rule(parse_flag)
_yuan = _rule(parse_yuan)
_week = _rule(parse_week_code)


# file -> column -> check of a non-empty cell (empty cells are NULL where the column allows it).
CHECKS: dict[str, dict[str, Check]] = {
    "cadres.csv": {"active": _flag},
    "households.csv": {"active": _flag},
    "residents.csv": {
        "gender": _one_of("gender"),
        "birth_date": _iso_date,
        "id_number": _id_number,
        "status": _one_of("status"),
    },
    "memberships.csv": {"group": _one_of("group"), "since": _iso_date},
    "visits.csv": {
        "visit_date": _iso_date,
        "outcome": _one_of("outcome"),
        "needs": _list_of("need"),
        "follow_up_date": _iso_date,
        "assistance_yuan": _yuan,
    },
    "matters.csv": {
        "kind": _one_of("kind"),
        "title": _rule(parse_title),
        "scope": _one_of("scope"),
        "occurred_at": _stamp,
        "attended_at": _stamp,
    },
    "plans.csv": {
        "week": _week,
        "day": _iso_date,
        "reason": _one_of("reason"),
        "manual": _flag,
    },
}


# Cells the writers always fill: empty is refused rather than stored.
REQUIRED: dict[str, set[str]] = {
    "visits.csv": {"visit_date", "outcome"},
    "matters.csv": {"kind", "title", "scope", "occurred_at"},
}


class ValueChecker:
    """The checks of one bundle file, with their column positions worked out once (a file may have
    100,000 rows)."""

    def __init__(self, file_name: str, columns: Sequence[str]) -> None:
        self.checks = [(columns.index(c), c, check) for c, check in CHECKS.get(file_name, {}).items()]
        self.required = REQUIRED.get(file_name, set())
        self.scoped = file_name == "matters.csv"
        if self.scoped:
            self.i_scope = columns.index("scope")
            self.i_zone = columns.index("zone_id")
            self.i_household = columns.index("household_id")
        self.dated = file_name == "visits.csv"
        if self.dated:
            self.i_visit_date = columns.index("visit_date")
            self.i_follow_up = columns.index("follow_up_date")
        # Values already found sound, per checked column (`all_sound`): a file of 100,000 visits holds
        # a few hundred distinct dates, and every outcome and list of needs many times over.
        self.sound: list[set[object]] = [set() for _ in self.checks]
        self.sound_pairs: set[tuple[object, object]] = set()

    def all_sound(self, rows: Sequence[Sequence[object]], columns: Sequence[Sequence[object]]) -> bool:
        """Whether `__call__` finds every row of a batch sound (`columns`: the same rows a column at a
        time), asking each rule once per distinct value instead of once per cell. False does not say
        which row is bad, only that one may be: the caller then asks `__call__` row by row."""
        for (i, column, check), sound in zip(self.checks, self.sound, strict=True):
            for value in set(columns[i]) - sound:
                if value is None or value == "":
                    if column in self.required:
                        return False
                elif check(str(value)):
                    return False
                sound.add(value)
        if self.scoped:
            return all(self(row) is None for row in rows)  # a few thousand matters: row by row
        if self.dated:
            pairs = set(zip(columns[self.i_visit_date], columns[self.i_follow_up], strict=True))
            for visit_date, follow_up in pairs - self.sound_pairs:
                # Both were found to be dates above.
                if (
                    follow_up
                    and visit_date
                    and follow_up_problem(
                        parse_stored_date(str(visit_date)), parse_stored_date(str(follow_up))
                    )
                ):
                    return False
                self.sound_pairs.add((visit_date, follow_up))
        return True

    def __call__(self, row: Sequence[object]) -> str | None:
        """`column: problem` for the first bad cell of `row`, or None when every cell is sound."""
        for i, column, check in self.checks:
            value = row[i]
            if value is None or value == "":
                if column in self.required:
                    return Text("file.column_problem", column=column, problem=Message("values.empty"))
                continue
            problem = check(str(value))
            if problem:
                return Text("file.column_problem", column=column, problem=problem)
        if self.scoped:
            zone, household = row[self.i_zone], row[self.i_household]
            problem = scope_problem(
                str(row[self.i_scope]), str(zone) if zone else None, str(household) if household else None
            )
            if problem:
                return Text("file.column_problem", column="scope", problem=problem)
        if self.dated and row[self.i_follow_up] and row[self.i_visit_date]:
            problem = follow_up_problem(
                parse_stored_date(str(row[self.i_visit_date])), parse_stored_date(str(row[self.i_follow_up]))
            )
            if problem:
                return Text("file.column_problem", column="follow_up_date", problem=problem)
        return None
