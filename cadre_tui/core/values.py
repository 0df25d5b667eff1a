"""One home for each rule about a value: amounts, `;`-lists, codes, flags, ids, titles, stamps (pure).

Every writer and reader calls these: the command line and the app's forms through the store's writers
(`store/records.py`), roster, staff and bundle import, the demo history and the office import. A rule
changed here changes for all of them, so what one laptop stores another accepts back. Functions raise
`ValueError` with the problem in plain words; callers add where (option, file:line:column) and the
Chinese text. Dates are `core/dates.py`, weeks `core/weeks.py`, ID numbers and phones `core/ids.py`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import date, datetime

from cadre_tui.core.domain import (
    KIND_CODES,
    NEED_CODES,
    OUTCOME_CODES,
    PLAN_REASON_CODES,
    PRIORITY_GROUP_CODES,
    RESIDENT_STATUS_CODES,
    SCOPE_CODES,
)
from cadre_tui.messages import Problem, Text

# -- amounts in yuan -----------------------------------------------------------------------------------

# At most 9 whole digits (999,999,999.99 yuan). A visit's assistance is hundreds or thousands of yuan,
# so this only stops typing slips; and it is the bound every released bundle reader checks, so a laptop
# still on an older version accepts whatever a newer one stores.
YUAN_WHOLE_DIGITS = 9
YUAN_MAX = "999,999,999.99"
_YUAN = re.compile(r"^([0-9]+)(?:\.([0-9]{1,2}))?$")


class AmountTooLarge(Problem):
    """An amount in yuan above `YUAN_MAX`."""


def parse_yuan(text: str) -> str | None:
    """A non-negative amount in yuan, at most 2 decimals and `YUAN_MAX`, as stored text; None when empty.

    Leading zeros are dropped (`007.50` -> `7.50`); the decimals are kept as written. The text is taken
    as it is: callers that take typed input trim it first (a bundle cell with spaces is not an amount).
    ValueError (AmountTooLarge above the maximum) otherwise.
    """
    if text == "":
        return None
    m = _YUAN.match(text)
    if not m:
        raise Problem("values.not_yuan", value=text[:40])
    whole = m[1].lstrip("0") or "0"
    if len(whole) > YUAN_WHOLE_DIGITS:
        raise AmountTooLarge("values.yuan_max", max=YUAN_MAX, value=text[:40])
    return f"{whole}.{m[2]}" if m[2] else whole


# -- lists ---------------------------------------------------------------------------------------------

# Chinese input methods type the full-width semicolon or the enumeration comma out of habit.
_TYPED_SEPARATORS = re.compile(r"[;；、,，]")
# What Excel makes of a long number in a cell not formatted as text: 1.10105E+17.
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")


def split_list(text: str | None) -> list[str]:
    """A `;`-joined list as stored, without empty items."""
    return [item for item in (text or "").split(";") if item]


def join_list(items: Iterable[str]) -> str:
    """The stored form of a list: `;`-joined, duplicates dropped, order kept."""
    return ";".join(dict.fromkeys(items))


def split_typed(text: str | None) -> list[str]:
    """Items as people type them: separated by `,` `;` or the full-width `，` `；` `、`, trimmed."""
    return [part.strip() for part in _TYPED_SEPARATORS.split(text or "") if part.strip()]


def excel_scientific(text: str) -> bool:
    """Whether `text` is a number Excel turned into scientific notation (`1.10105E+17`)."""
    # Nearly every cell asked has no E at all: answered without the expression (a roster asks 30,000).
    return ("E" in text or "e" in text) and bool(_SCIENTIFIC.match(text.strip()))


# -- codes of the catalogue (core/domain.py) -----------------------------------------------------------

CODES: dict[str, tuple[str, ...]] = {
    "group": PRIORITY_GROUP_CODES,
    "need": NEED_CODES,
    "outcome": OUTCOME_CODES,
    "kind": KIND_CODES,
    "status": RESIDENT_STATUS_CODES,
    "scope": SCOPE_CODES,
    "reason": (*PLAN_REASON_CODES, "manual"),
    "gender": ("M", "F", "男", "女"),
}


def check_code(value: str, codes: Collection[str]) -> str:
    """`value` when it is one of `codes`; ValueError otherwise."""
    if value not in codes:
        raise Problem("values.unknown_code", value=repr(value[:40]))
    return value


def check_codes(values: Iterable[str], codes: Collection[str]) -> list[str]:
    """The codes of a list, duplicates dropped, order kept; ValueError at the first unknown one."""
    return [check_code(value, codes) for value in dict.fromkeys(values)]


def check_code_list(text: str, codes: Collection[str]) -> list[str]:
    """The codes of a stored `;`-list (`needs`, `groups`); ValueError at the first unknown one."""
    return check_codes(split_list(text), codes)


# -- flags, ids, text ----------------------------------------------------------------------------------

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def parse_flag(text: str) -> int:
    """A stored flag (`active`, `manual`, `deleted`): `0` or `1`; ValueError otherwise."""
    if text not in ("0", "1"):
        raise Problem("values.flag", value=repr(text[:40]))
    return int(text)


def is_uuid(text: str) -> bool:
    """Whether `text` is a row id as `uuid.uuid4()` writes it (lower-case, dashed)."""
    return bool(_UUID.match(text))


def optional_text(text: str | None) -> str | None:
    """Free text (notes) as stored: empty is NULL, as a bundle import stores it; kept as written else."""
    return text or None


def parse_title(text: str | None) -> str:
    """A matter's title, trimmed; ValueError when empty."""
    title = (text or "").strip()
    if not title:
        raise Problem("values.empty")
    return title


# -- stored dates and times ----------------------------------------------------------------------------

# A time with its zone, as every bundle writes updated_at, occurred_at and attended_at.
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$", re.ASCII)
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_stored_date(text: str) -> date:
    """A date as stored and as bundles carry it: exactly `YYYY-MM-DD`; ValueError otherwise."""
    if not _DAY.match(text):
        raise Problem("values.not_date", value=text[:40])
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Problem("values.not_date", value=text[:40]) from None


def parse_stored_stamp(text: str) -> datetime:
    """A time with its zone as bundles carry it (`2026-11-24T01:30:00.000Z`); ValueError otherwise."""
    if not STAMP.match(text):
        raise Problem("values.not_stamp", value=text[:40])
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Problem("values.not_real_time", value=text[:40]) from None


# -- rules between values of one record ----------------------------------------------------------------


def follow_up_problem(visit_date: date, follow_up: date | None) -> str | None:
    """Why a follow-up date cannot go with the visit date (it lies before it), or None."""
    if follow_up is not None and follow_up < visit_date:
        return Text("values.follow_up_early", follow_up=follow_up.isoformat(), visit=visit_date.isoformat())
    return None


def scope_problem(scope: str, zone_id: str | None, household_id: str | None) -> str | None:
    """Why a matter's scope and the zone/household it names do not go together, or None.

    A community-wide matter names neither, a zone's its zone only, a household's its household only.
    """
    if scope == "community" and (zone_id or household_id):
        return Text("values.scope_community")
    if scope == "zone" and (household_id or not zone_id):
        return Text("values.scope_zone")
    if scope == "household" and (zone_id or not household_id):
        return Text("values.scope_household")
    return None
