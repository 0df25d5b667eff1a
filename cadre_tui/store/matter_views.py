"""The must-attend matters as the app shows them: the log (latest first) and one matter for its form.

Typed rows out (a frozen `Matter` with where it happened, who attended and whether it is late), read
by the Matters screen and the dashboard in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cadre_tui.core.domain import KINDS_BY_CODE
from cadre_tui.core.scorecard import past_target
from cadre_tui.core.values import split_list
from cadre_tui.store.db import Store, parse_stamp
from cadre_tui.store.views import cadre_codes, dict_rows

# How many matters the log lists (latest first); the screen says so when the log stops there.
MATTERS_LOG_LIMIT = 200


@dataclass(frozen=True)
class Matter:
    """A must-attend matter with where it happened, who attended, and whether it is late or overdue."""

    id: str
    kind: str
    title: str
    scope: str
    zone_id: str | None
    zone_code: str | None
    household_id: str | None
    household_no: str | None
    occurred_at: str
    attended_at: str | None
    attended_by: tuple[str, ...]
    attended_codes: tuple[str, ...]
    notes: str
    where: str  # household_no, zone code, or '' for the whole community
    late: bool  # attended after the kind's target
    overdue: bool  # still open past the target at `now`


def matter_targets(store: Store) -> dict[str, timedelta]:
    """Response target per matter kind: the community's settings over the defaults of SPEC §2."""
    try:
        from cadre_tui.store.settings import load_rules
    except ImportError:
        return {code: kind.target for code, kind in KINDS_BY_CODE.items()}
    return dict(load_rules(store).targets)


def _matters(store: Store, now: datetime, where: str, params: list[Any]) -> list[Matter]:
    rows = dict_rows(
        store,
        "SELECT m.id, m.kind, m.title, m.scope, m.zone_id, m.household_id, m.occurred_at, m.attended_at, "
        "m.attended_by, m.notes, z.code AS zone_code, h.household_no FROM matters m "
        "LEFT JOIN zones z ON z.id = m.zone_id LEFT JOIN households h ON h.id = m.household_id " + where,
        params,
    )
    targets = matter_targets(store)
    found = []
    for row in rows:
        occurred = parse_stamp(row["occurred_at"])
        target = targets.get(row["kind"], timedelta(hours=24))
        attended_by = tuple(split_list(row["attended_by"]))
        attended = row["attended_at"]
        found.append(
            Matter(
                **{**row, "attended_by": attended_by, "notes": row["notes"] or ""},
                attended_codes=tuple(cadre_codes(store, attended_by)),
                where=row["household_no"] or row["zone_code"] or "",
                late=bool(attended) and past_target(occurred, parse_stamp(attended), target),
                overdue=not attended and past_target(occurred, now.astimezone(UTC), target),
            )
        )
    return found


def matters_log(
    store: Store, now: datetime, open_only: bool = False, limit: int = MATTERS_LOG_LIMIT
) -> list[Matter]:
    """Must-attend matters, latest first (only open ones when `open_only`), at most `limit` of them."""
    where = "WHERE m.deleted = 0" + (" AND m.attended_at IS NULL" if open_only else "")
    return _matters(store, now, where + " ORDER BY m.occurred_at DESC LIMIT ?", [limit])


def matter(store: Store, matter_id: str, now: datetime) -> Matter | None:
    """One matter (not deleted), for the edit form."""
    found = _matters(store, now, "WHERE m.id = ? AND m.deleted = 0", [matter_id])
    return found[0] if found else None
