"""Household search: name, pinyin, address, household_no, phone tail — one screenful at a time.

Every term of the query (split on spaces) must match the household: its household_no (any part), its
address (estate + building + unit + room, substring) or one of its residents (name substring, any
pinyin reading or initials in the precomputed `search_keys`, or the last digits of a phone).

The search runs in memory, over a copy of those columns held per open database (`SearchIndex`) and
read again from SQLite whenever the database has changed since (`PRAGMA data_version` for other
connections, the connection's `total_changes` for its own writes). SQLite had to read every resident
for each term (an `instr` over 29,000 rows, ~5–10 ms a term on the 11,000-household community, the
larger part of a keystroke's budget); here each kind of field of all households is one string, in
household_no order, and a term is looked for with `str.find`, which jumps from one matching household
to the next in C. The households the first term finds are tried against the other terms in order and
the walk stops at `limit`, so a common term costs little and a rare one a few finds.
"""

from __future__ import annotations

import weakref
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from heapq import merge
from itertools import accumulate
from typing import Any

from cadre_tui.store.db import Store

# A phone tail shorter than this would match most phones and tell the cadre nothing.
MIN_PHONE_TAIL = 3

# Between the values of one household (its residents' names, keys, phones), and between households:
# the ASCII unit and record separators, which no name, key, phone, number or address holds.
_SEP, _END = "\x1f", "\x1e"
_ADDRESS = (
    "coalesce(h.estate, '') || coalesce(h.building, '') || coalesce(h.unit, '') || coalesce(h.room, '')"
)


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


def _has_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _is_phone_tail(term: str) -> bool:
    return term.isdigit() and len(term) >= MIN_PHONE_TAIL


def _is_pinyin(term: str) -> bool:
    """Two or more ASCII letters: pinyin or initials, never part of an address (not looked for there)."""
    return len(term) >= 2 and term.isascii() and term.isalpha()


class _Field:
    """One kind of value of every household, as one string in household order, and where each starts
    (one string and an array of offsets rather than a list of strings: 0.1 MB instead of ~1 MB)."""

    def __init__(self, values: list[str]) -> None:
        self.text = _END.join(values)
        self.starts = array("q", accumulate((len(v) + 1 for v in values), initial=0))

    def value(self, n: int) -> str:
        """Household `n`'s value."""
        return self.text[self.starts[n] : self.starts[n + 1] - 1]

    def households(self, needle: str) -> Iterator[int]:
        """The households (by position) whose value holds `needle`, in order; each once."""
        starts, find = self.starts, self.text.find
        count = len(starts) - 1
        at = find(needle)
        while at >= 0:
            n = bisect_right(starts, at) - 1
            yield n
            if n + 1 >= count:
                return
            at = find(needle, starts[n + 1])


# The households in order, with their household_no and address lower-cased by SQLite's lower() (ASCII
# letters only, as the search always compared).
_HOUSEHOLDS_SQL = f"""
SELECT h.id, h.household_no, lower(h.household_no), {_ADDRESS}, lower({_ADDRESS}), h.active,
       coalesce(z.code, '')
FROM households h LEFT JOIN zones z ON z.id = h.zone_id
WHERE h.deleted = 0 ORDER BY h.household_no
"""
# Each household's residents: names, keys and phones each joined by _SEP, in one order (the three
# aggregates of a group see its rows in the same order). NOT INDEXED: one pass over the table and a
# sort is faster than reading it in household order through residents_household.
_RESIDENTS_SQL = f"""
SELECT household_id, group_concat(name, char({ord(_SEP)})),
       group_concat(coalesce(search_keys, ''), char({ord(_SEP)})),
       group_concat(coalesce(phone, ''), char({ord(_SEP)}))
FROM residents NOT INDEXED WHERE deleted = 0 GROUP BY household_id
"""


class SearchIndex:
    """The searched columns of the households that are not deleted, in household_no order."""

    def __init__(self, store: Store) -> None:
        households = store.db.execute(_HOUSEHOLDS_SQL).fetchall()
        residents = {row[0]: row[1:] for row in store.db.execute(_RESIDENTS_SQL)}
        nobody = ("", "", "")
        self.ids = _Field([h[0] for h in households])
        self.numbers = _Field([h[1] for h in households])
        self.numbers_lower = _Field([h[2] for h in households])
        self.addresses = _Field([h[3] for h in households])
        self.address_lower = _Field([h[4] for h in households])
        self.active = bytes(bool(h[5]) for h in households)
        zones = {code: code for code in {h[6] for h in households}}  # one string per zone
        self.zones = [zones[h[6]] for h in households]
        of_each = [residents.get(h[0], nobody) for h in households]
        self.names = _Field([r[0] for r in of_each])
        self.keys = _Field([r[1] for r in of_each])
        # each phone followed by _SEP: a tail is found as "tail" + _SEP
        self.phones = _Field([r[2] + _SEP if r is not nobody else "" for r in of_each])

    def candidates(self, term: str) -> Iterator[int]:
        """The households matching `term`, in order, each once."""
        if _has_chinese(term):
            found = [self.names.households(term), self.addresses.households(term)]
        else:
            lower = term.lower()
            found = [self.keys.households(lower), self.numbers_lower.households(lower)]
            if _is_phone_tail(term):
                found.append(self.phones.households(term + _SEP))
            if not _is_pinyin(term):
                found.append(self.address_lower.households(lower))
        last = -1
        for n in merge(*found):
            if n != last:
                yield n
                last = n

    def matches(self, n: int, term: str) -> bool:
        """Whether household `n` matches `term` by itself or through one of its residents."""
        if _has_chinese(term):
            return term in self.names.value(n) or term in self.addresses.value(n)
        lower = term.lower()
        return (
            lower in self.keys.value(n)
            or (_is_phone_tail(term) and term + _SEP in self.phones.value(n))
            or lower in self.numbers_lower.value(n)
            or (not _is_pinyin(term) and lower in self.address_lower.value(n))
        )

    def matched_names(self, n: int, terms: list[str]) -> list[str]:
        """The names of household `n`'s residents that match any term, sorted."""
        phones = self.phones.value(n)
        if not phones:
            return []  # nobody lives there
        residents = zip(
            self.names.value(n).split(_SEP),
            self.keys.value(n).split(_SEP),
            phones.split(_SEP)[:-1],
            strict=True,
        )
        return sorted(
            name
            for name, keys, phone in residents
            if any(_resident_matches(name, keys, phone, t) for t in terms)
        )


def _resident_matches(name: str, keys: str, phone: str, term: str) -> bool:
    """A Chinese term in the name; any other in the pinyin keys, or a phone's last digits."""
    if _has_chinese(term):
        return term in name
    return term.lower() in keys or (_is_phone_tail(term) and phone.endswith(term))


# One index per open store, with the database's version it was read at.
_INDEXES: weakref.WeakKeyDictionary[Store, tuple[object, tuple[int, int], SearchIndex]] = (
    weakref.WeakKeyDictionary()
)


def search_index(store: Store) -> SearchIndex:
    """The store's index, read again when the database has changed since it was read."""
    connection = store.db.conn
    version = (connection.execute("PRAGMA data_version").fetchone()[0], connection.total_changes)
    held = _INDEXES.get(store)
    if held is not None and held[0] is connection and held[1] == version:
        return held[2]
    index = SearchIndex(store)
    _INDEXES[store] = (connection, version, index)
    return index


def search_households(store: Store, text: str, limit: int = 50) -> list[HouseholdHit]:
    """Households matching every term of `text`, in household_no order, at most `limit` of them."""
    terms = text.split()
    if not terms or limit <= 0:
        return []
    if any(_SEP in t or _END in t for t in terms):
        return []  # no value holds these control characters
    index = search_index(store)
    # the longest term first: most likely the rarest, so the fewest households to try the others on
    first, *others = sorted(terms, key=len, reverse=True)
    hits: list[HouseholdHit] = []
    for n in index.candidates(first):
        if all(index.matches(n, term) for term in others):
            hits.append(
                HouseholdHit(
                    household_id=index.ids.value(n),
                    household_no=index.numbers.value(n),
                    address=index.addresses.value(n),
                    zone_code=index.zones[n],
                    active=bool(index.active[n]),
                    matched_names=index.matched_names(n, terms),
                )
            )
            if len(hits) >= limit:
                break
    return hits
