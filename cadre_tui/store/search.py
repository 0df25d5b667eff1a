"""Household search in SQLite: name, pinyin, address, household_no, phone tail — one screenful at a time.

Every term of the query (split on spaces) must match the household: its household_no (any part), its
address (estate + building + unit + room, substring) or one of its residents (name substring, any
pinyin reading or initials in the precomputed `search_keys`, or the last digits of a phone). The
residents' side is one scan of `residents` into an ephemeral index; the households are walked in
household_no order through their unique index and the walk stops at `limit`, so a common term costs
little and a rare one costs one pass over each table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cadre_tui.store.db import Store

# A phone tail shorter than this would match most phones and tell the cadre nothing.
MIN_PHONE_TAIL = 3


@dataclass(frozen=True)
class HouseholdHit:
    """One search result: the household and the names of its residents that matched."""

    household_id: str
    household_no: str
    address: str
    zone_code: str
    active: bool
    matched_names: list[str] = field(default_factory=list)


def address_of(row: dict[str, Any]) -> str:
    """The household's address as cadres write it: estate, building, unit, room run together."""
    return "".join(str(row.get(k) or "") for k in ("estate", "building", "unit", "room"))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _resident_condition(term: str) -> tuple[str, list[Any]]:
    """SQL over `residents` true when a resident matches `term`; its parameters.

    Only the test that can match is run: `search_keys` holds pinyin and the lower-cased non-Chinese
    characters of the name, so a term with Chinese characters is looked for in the name only, and
    any other term in the keys only (a scan of one column instead of two).
    """
    if _has_chinese(term):
        return "(instr(name, ?) > 0)", [term]
    sql = "(instr(search_keys, ?) > 0"
    params: list[Any] = [term.lower()]
    if term.isdigit() and len(term) >= MIN_PHONE_TAIL:
        sql += " OR phone LIKE ? ESCAPE '\\'"
        params.append("%" + _escape_like(term))
    return sql + ")", params


_ADDRESS = (
    "coalesce(h.estate, '') || coalesce(h.building, '') || coalesce(h.unit, '') || coalesce(h.room, '')"
)


def _household_condition(term: str) -> tuple[str, list[Any]]:
    """SQL true when household `h` matches `term` by itself or through one of its residents.

    Each test costs a pass over a table, so only those that can match run: a term with Chinese
    characters is no household_no, and a pinyin-like term (two or more ASCII letters) is no address.
    """
    res_sql, res_params = _resident_condition(term)
    # the residents' subquery first: a household found there skips the text tests
    parts = [f"h.id IN (SELECT household_id FROM residents WHERE deleted = 0 AND {res_sql})"]
    params: list[Any] = list(res_params)
    chinese = _has_chinese(term)
    if not chinese:
        parts.append("instr(lower(h.household_no), ?) > 0")
        params.append(term.lower())
    if chinese:
        parts.append(f"instr({_ADDRESS}, ?) > 0")
        params.append(term)
    elif not (len(term) >= 2 and term.isascii() and term.isalpha()):
        parts.append(f"instr(lower({_ADDRESS}), ?) > 0")
        params.append(term.lower())
    return "(" + " OR ".join(parts) + ")", params


def search_households(store: Store, text: str, limit: int = 50) -> list[HouseholdHit]:
    """Households matching every term of `text`, in household_no order, at most `limit` of them."""
    terms = text.split()
    if not terms or limit <= 0:
        return []
    where = ["h.deleted = 0"]
    params: list[Any] = []
    for term in terms:
        sql, term_params = _household_condition(term)
        where.append(sql)
        params.extend(term_params)
    rows = store.db.execute(
        "SELECT h.id, h.household_no, h.estate, h.building, h.unit, h.room, h.active, z.code "
        "FROM households h LEFT JOIN zones z ON z.id = h.zone_id "
        f"WHERE {' AND '.join(where)} ORDER BY h.household_no LIMIT ?",
        [*params, limit],
    ).fetchall()
    if not rows:
        return []
    names = _matched_names(store, [r[0] for r in rows], terms)
    return [
        HouseholdHit(
            household_id=r[0],
            household_no=r[1],
            address=address_of({"estate": r[2], "building": r[3], "unit": r[4], "room": r[5]}),
            zone_code=r[7] or "",
            active=bool(r[6]),
            matched_names=names.get(r[0], []),
        )
        for r in rows
    ]


def _matched_names(store: Store, household_ids: list[str], terms: list[str]) -> dict[str, list[str]]:
    """For the households shown, the names of their residents that match any term (by index, cheap)."""
    conditions: list[str] = []
    params: list[Any] = list(household_ids)
    for term in terms:
        sql, term_params = _resident_condition(term)
        conditions.append(sql)
        params.extend(term_params)
    marks = ", ".join("?" for _ in household_ids)
    found: dict[str, list[str]] = {}
    for household_id, name in store.db.execute(
        f"SELECT household_id, name FROM residents WHERE household_id IN ({marks}) AND deleted = 0 "
        f"AND ({' OR '.join(conditions)}) ORDER BY household_id, name",
        params,
    ):
        found.setdefault(household_id, []).append(name)
    return found
