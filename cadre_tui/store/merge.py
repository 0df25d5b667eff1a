"""Merging a partner laptop's rows into this database, row by row (SPEC §6 Sync bundle).

The rule makes laptops converge whatever the order of imports: a new id is inserted; a known id is
replaced only when the incoming `updated_at` is newer (equal: the greater `origin` wins). Incoming rows
keep their own `updated_at` and `origin`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from cadre_tui.core.names import search_keys
from cadre_tui.messages import Message, text
from cadre_tui.store.db import Store
from cadre_tui.store.synced import BUNDLE_FILES, SYNC_COLUMNS, bundle_columns, store_column
from cadre_tui.store.writer import ManyRows, WriteThread, variable_limit

Progress = Callable[[int, int], None]

# Bundle files in the order their rows can be inserted without breaking a foreign key. The visits come
# before the residents (they refer to households and teams only): on a new laptop's first import their
# indexes are built on the writer thread while the residents are read (issue 12). A bundle with bad rows
# in several files is refused naming the first in this order.
MERGE_ORDER = (
    "zones.csv",
    "cadres.csv",
    "teams.csv",
    "households.csv",
    "visits.csv",
    "residents.csv",
    "memberships.csv",
    "matters.csv",
    "plans.csv",
)

# Columns that point at another file's ids: (file, column) -> referenced file.
REFERENCES: dict[tuple[str, str], str] = {
    ("teams.csv", "zone_id"): "zones.csv",
    ("households.csv", "zone_id"): "zones.csv",
    ("residents.csv", "household_id"): "households.csv",
    ("memberships.csv", "resident_id"): "residents.csv",
    ("visits.csv", "household_id"): "households.csv",
    ("visits.csv", "team_id"): "teams.csv",
    ("matters.csv", "zone_id"): "zones.csv",
    ("matters.csv", "household_id"): "households.csv",
    ("plans.csv", "team_id"): "teams.csv",
    ("plans.csv", "household_id"): "households.csv",
}

# Natural keys under a unique index: two laptops that each created the same code with their own id
# would collide. The local row is kept and the incoming one reported as a conflict.
NATURAL_KEYS = {
    "zones.csv": "code",
    "cadres.csv": "code",
    "teams.csv": "code",
    "households.csv": "household_no",
}

FILE_LABELS_ZH = {
    "zones.csv": "片区",
    "cadres.csv": "干部",
    "teams.csv": "小组",
    "households.csv": "住户",
    "residents.csv": "居民",
    "memberships.csv": "重点人群",
    "visits.csv": "走访",
    "matters.csv": "必到事项",
    "plans.csv": "周计划",
}


@dataclass
class FileCounts:
    """What merging one bundle file did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_local_newer: int = 0

    def add(self, other: FileCounts) -> None:
        """Add another file's counts to these."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.kept_local_newer += other.kept_local_newer

    @property
    def changed(self) -> int:
        """Rows written (inserted or updated)."""
        return self.inserted + self.updated


@dataclass(frozen=True)
class Conflict:
    """An incoming row that differs from a row this laptop changed since the partner's last bundle."""

    file: str
    row_id: str
    reason: str  # "both_changed" | "natural_key" | "parent_kept_out"
    winner: str  # "incoming" | "local"
    local_updated_at: str | None
    incoming_updated_at: str
    detail: str = ""


@dataclass
class MergeReport:
    """Counts per file, the conflicts, and who the partner was."""

    peer_device_id: str
    files: dict[str, FileCounts] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def total(self) -> FileCounts:
        """Counts over every file."""
        total = FileCounts()
        for counts in self.files.values():
            total.add(counts)
        return total

    def lines(self, lang: str) -> list[str]:
        """The summary a cadre reads after an import, in `lang`."""
        zh = lang == "zh"
        head = text("merge.header", lang).split("|")
        widths = [16, 10, 10, 10, 18]
        rows = [head]
        for name, c in [*self.files.items(), (text("merge.total", lang), self.total)]:
            what = FILE_LABELS_ZH.get(name, name) if zh else name
            rows.append([what, str(c.inserted), str(c.updated), str(c.unchanged), str(c.kept_local_newer)])
        out = [
            _pad(row[0], widths[0], left=True)
            + "".join(_pad(cell, width) for cell, width in zip(row[1:], widths[1:], strict=True))
            for row in rows
        ]
        if self.conflicts:
            out.append(text("merge.conflicts", lang, count=len(self.conflicts)))
            for conflict in self.conflicts:
                out.append("  " + describe_conflict(conflict, lang))
        else:
            out.append(text("merge.no_conflicts", lang))
        return out


def _pad(text: str, width: int, left: bool = False) -> str:
    """`text` padded to `width` terminal cells (a Chinese character takes two)."""
    space = " " * max(0, width - _cells(text))
    return text + space if left else space + text


def describe_conflict(conflict: Conflict, lang: str) -> str:
    """One line telling a cadre which row conflicted and which version was kept."""
    zh = lang == "zh"
    what = FILE_LABELS_ZH.get(conflict.file, conflict.file) if zh else conflict.file
    if conflict.reason == "natural_key":
        return text("merge.natural_key", lang, what=what, id=conflict.row_id, detail=conflict.detail)
    if conflict.reason == "parent_kept_out":
        return text("merge.parent_kept_out", lang, what=what, id=conflict.row_id, detail=conflict.detail)
    return text(
        "merge.both_changed",
        lang,
        what=what,
        id=conflict.row_id,
        local=conflict.local_updated_at,
        incoming=conflict.incoming_updated_at,
        kept=Message("merge.incoming" if conflict.winner == "incoming" else "merge.local"),
    )


def _cells(text: str) -> int:
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class Peer:
    """What this database remembers of a partner laptop."""

    device_id: str
    last_imported_at: str  # this laptop's stamp when it imported the partner's last bundle
    last_bundle_created_at: str | None
    seen_up_to: str | None  # the newest updated_at in that bundle


def _seen_key(device_id: str) -> str:
    return f"sync_seen_up_to:{device_id}"


def peer(store: Store, device_id: str) -> Peer | None:
    """When this database last imported a bundle from `device_id`, or None if never."""
    row = store.db.execute(
        "SELECT device_id, last_imported_at, last_bundle_created_at FROM sync_peers WHERE device_id = ?",
        [device_id],
    ).fetchone()
    if not row:
        return None
    seen = store.db.execute("SELECT value FROM local WHERE key = ?", [_seen_key(device_id)]).fetchone()
    return Peer(row[0], row[1], row[2], seen[0] if seen else None)


def remember_peer(store: Store, device_id: str, bundle_created_at: str, seen_up_to: str | None) -> None:
    """Record that a bundle made at `bundle_created_at` by `device_id` was imported now."""
    with store.transaction():
        store.db.execute(
            "INSERT INTO sync_peers (device_id, last_imported_at, last_bundle_created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(device_id) DO UPDATE SET last_imported_at = excluded.last_imported_at, "
            "last_bundle_created_at = excluded.last_bundle_created_at",
            [device_id, store.stamp(), bundle_created_at],
        )
        if seen_up_to is not None:
            # Local only (never synced): which versions the partner has already shown this laptop.
            store.db.execute(
                "INSERT INTO local (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)",
                [_seen_key(device_id), seen_up_to],
            )


def observe_stamp(store: Store, stamp: str | None) -> None:
    """Move this laptop's write clock past `stamp`, the newest `updated_at` it has just imported.

    A hybrid logical clock: an edit made here after an import then always wins over what the import
    brought, even when this laptop's clock runs behind the partner's (saved with the transaction).
    """
    if stamp and stamp > store._last_stamp:
        store._last_stamp = stamp


@dataclass
class Column:
    """A store column of a bundle file: its name, and what an empty cell means for it."""

    name: str  # the store's column name
    notnull: bool
    integer: bool


def table_columns(store: Store, file_name: str) -> list[Column]:
    """The store columns of a bundle file, in the bundle's column order."""
    table = BUNDLE_FILES[file_name][0]
    info = {r[1]: r for r in store.db.execute(f"PRAGMA table_info({table})").fetchall()}
    out = []
    for column in bundle_columns(file_name):
        name = store_column(column)
        row = info[name]
        out.append(Column(name, bool(row[3]), str(row[2]).upper() == "INTEGER"))
    return out


def _same(a: Any, b: Any) -> bool:
    # NULL and '' are one value to a cadre (and in the bundle): an empty cell.
    return (a if a is not None else "") == (b if b is not None else "") or str(a) == str(b)


class FileMerger:
    """Merges the rows of one bundle file into the store (inside the caller's transaction)."""

    def __init__(
        self,
        store: Store,
        file_name: str,
        peer_info: Peer | None,
        kept_out: set[str],
        *,
        writer: WriteThread | None = None,
    ) -> None:
        self.store = store
        self.file_name = file_name
        self.table = BUNDLE_FILES[file_name][0]
        self.columns = table_columns(store, file_name)
        self.names = [c.name for c in self.columns]
        self.index = {name: i for i, name in enumerate(bundle_columns(file_name))}
        self.peer = peer_info
        self.kept_out = kept_out
        self.counts = FileCounts()
        self.conflicts: list[Conflict] = []
        # The local versions of the rows being merged (updated_at, origin), looked up a batch at a time
        # through the id index (`_look_up`): the whole table in a dict cost ~50 MB at 124,000 visits.
        self.local: dict[str, tuple[str, str]] = {}
        self.was_empty = store.db.execute(f"SELECT 1 FROM {self.table} LIMIT 1").fetchone() is None
        self.key_column = NATURAL_KEYS.get(file_name)
        self.key_owner: dict[str, str] = {}
        if self.key_column:
            self.key_owner = {
                r[0]: r[1] for r in store.db.execute(f"SELECT {self.key_column}, id FROM {self.table}")
            }
        self.key_of = {row_id: key for key, row_id in self.key_owner.items()}
        self._keys_cache: dict[str, str] = {}
        # Into a table empty when the merge began, with no parent kept out: every row is new (the bundle's
        # ids are unique), so every row of a batch whose natural keys are new too (`_keys_new`) is
        # inserted; given a `writer`, on its thread, as INSERTs of many rows (`store.writer.ManyRows`).
        # Decided at the first batch (`merge`): the files merged before may still keep parents out.
        self.bulk: bool | None = None
        # The writer's statements go before anything this merger does on the connection itself.
        self.writer = writer
        self.inserts: ManyRows | None = None
        self._limit = variable_limit(store.db.conn)

    def merge(self, rows: Iterable[tuple[Any, ...]]) -> FileCounts:
        """Insert, update or keep each row; return the counts."""
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        i_id, i_upd, i_origin = self.index["id"], self.index["updated_at"], self.index["origin"]
        rows = list(rows)
        if self.bulk is None:
            self.bulk = self.was_empty and not self.kept_out
        if self.bulk and self._keys_new(rows):
            self.counts.inserted += len(rows)
            if self.writer is not None:
                if self.inserts is None:
                    self.inserts = ManyRows(self.table, self._local_names(), ROWS_PER_INSERT, self._limit)
                _names, written = self._with_local_columns(rows)
                self.writer.run(self.inserts.statements(list(chain.from_iterable(written))))
            else:
                self._write(rows, [])
            return self.counts
        if self.writer is not None:
            self.writer.wait()
        self._look_up([row[i_id] for row in rows])
        for row in rows:
            row_id = row[i_id]
            parent = self._kept_out_parent(row)
            if parent is not None:
                self._keep_out(row, "parent_kept_out", parent)
                continue
            local = self.local.get(row_id)
            if local is None:
                if self._key_taken(row):
                    continue
                inserts.append(row)
                self.local[row_id] = (row[i_upd], row[i_origin])
                self.counts.inserted += 1
                continue
            incoming_key = (row[i_upd], row[i_origin])
            if incoming_key == local:
                self.counts.unchanged += 1
                continue
            newer = incoming_key > local
            if newer and self._key_taken(row):
                continue
            self._note_conflict(row, local, newer)
            if newer:
                updates.append(row)
                self.local[row_id] = incoming_key
                self.counts.updated += 1
            else:
                self.counts.kept_local_newer += 1
        self._write(inserts, updates)
        return self.counts

    def _keys_new(self, rows: list[tuple[Any, ...]]) -> bool:
        """Whether a batch's natural keys (if the file has them) are all new: none given twice in the batch,
        none taken by a row before. Then they are taken by these rows; else the batch goes row by row,
        which keeps a row with a taken key out."""
        if not self.key_column:
            return True
        keys = [row[self.index[self.key_column]] for row in rows]
        if len(set(keys)) != len(keys) or not self.key_owner.keys().isdisjoint(keys):
            return False
        ids = [row[self.index["id"]] for row in rows]
        self.key_owner.update(zip(keys, ids, strict=True))
        self.key_of.update(zip(ids, keys, strict=True))
        return True

    def _look_up(self, ids: list[str]) -> None:
        """`self.local` for these ids, in place of the previous batch's (the bundle's ids are unique).
        A table empty when the merge began holds none of them but the rows written since (other ids)."""
        if self.was_empty:
            self.local = {}
            return
        query = (
            f"SELECT id, updated_at, origin FROM {self.table} WHERE id IN (SELECT value FROM json_each(?))"
        )
        self.local = {r[0]: (r[1], r[2]) for r in self.store.db.execute(query, [json.dumps(ids)])}

    def _kept_out_parent(self, row: tuple[Any, ...]) -> str | None:
        if not self.kept_out:
            return None
        for (file, column), _parent_file in REFERENCES.items():
            if file == self.file_name:
                value = row[self.index[column]]
                if value is not None and value in self.kept_out:
                    return str(value)
        return None

    def _key_taken(self, row: tuple[Any, ...]) -> bool:
        """Whether the row's natural key belongs to another local row (then it is kept out)."""
        if not self.key_column:
            return False
        key = row[self.index[self.key_column]]
        row_id = row[self.index["id"]]
        owner = self.key_owner.get(key)
        if owner is not None and owner != row_id:
            self._keep_out(row, "natural_key", f"{self.key_column}={key}")
            return True
        old = self.key_of.get(row_id)
        if old is not None and old != key:
            self.key_owner.pop(old, None)
        self.key_owner[key] = row_id
        self.key_of[row_id] = key
        return False

    def _keep_out(self, row: tuple[Any, ...], reason: str, detail: str) -> None:
        row_id = row[self.index["id"]]
        if row_id not in self.local:
            self.kept_out.add(row_id)
        self.counts.kept_local_newer += 1
        local = self.local.get(row_id)
        self.conflicts.append(
            Conflict(
                self.file_name,
                row_id,
                reason,
                "local",
                local[0] if local else None,
                row[self.index["updated_at"]],
                detail,
            )
        )

    def _note_conflict(self, row: tuple[Any, ...], local: tuple[str, str], newer: bool) -> None:
        """A conflict: this laptop changed the row since the last bundle from this partner, and so did
        the partner (the incoming version is one this laptop has not seen), and they differ."""
        store = self.store
        if local[1] != store.device_id:
            return
        if self.peer is not None:
            if local[0] <= self.peer.last_imported_at:
                return
            # A version no newer than the newest row of the partner's previous bundle was already
            # shown here: it is the partner's stale copy, not a change the partner made since.
            seen = self.peer.seen_up_to
            if seen is not None and row[self.index["updated_at"]] <= seen:
                return
        current = store.db.execute(
            f"SELECT {', '.join(self.names)} FROM {self.table} WHERE id = ?", [row[self.index["id"]]]
        ).fetchone()
        skip = set(SYNC_COLUMNS) - {"deleted"}
        differs = any(
            not _same(a, b)
            for name, a, b in zip(bundle_columns(self.file_name), current, row, strict=True)
            if name not in skip
        )
        if differs:
            self.conflicts.append(
                Conflict(
                    self.file_name,
                    row[self.index["id"]],
                    "both_changed",
                    "incoming" if newer else "local",
                    local[0],
                    row[self.index["updated_at"]],
                )
            )

    def _with_local_columns(self, rows: list[tuple[Any, ...]]) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The store columns written and the rows with the local-only ones (residents' search_keys,
        recomputed for every resident written)."""
        if self.table != "residents":
            return self.names, rows
        names = self._local_names()
        i_name = self.index["name"]
        cache = self._keys_cache
        out = []
        for r in rows:
            name = r[i_name]
            keys = cache.get(name)
            if keys is None:
                keys = cache[name] = search_keys(name or "")
            out.append((*r, keys))
        return names, out

    def _local_names(self) -> list[str]:
        """The store columns written: the bundle's, and residents' search_keys."""
        return [*self.names, "search_keys"] if self.table == "residents" else self.names

    def _write(self, inserts: list[tuple[Any, ...]], updates: list[tuple[Any, ...]]) -> None:
        db = self.store.db
        all_names, inserts = self._with_local_columns(inserts)
        _names, updates = self._with_local_columns(updates)
        if inserts:
            marks = ", ".join("?" for _ in all_names)
            db.conn.executemany(
                f"INSERT INTO {self.table} ({', '.join(all_names)}) VALUES ({marks})", inserts
            )
        if updates:
            sets = ", ".join(f"{n} = ?" for n in all_names if n != "id")
            i_id = all_names.index("id")
            db.conn.executemany(
                f"UPDATE {self.table} SET {sets} WHERE id = ?",
                [(*(v for j, v in enumerate(r) if j != i_id), r[i_id]) for r in updates],
            )


# Rows of one multi-row INSERT: SQLite's parameters per statement are limited (32,766 by default since
# 3.32; the system's 3.40 allows 250,000); visits take 14 a row. A whole batch of the bundle import (1,250
# rows): each statement is a hand-over of the GIL to the writer thread and back, and with half a batch a
# statement the reading thread waited 0.69-0.84 s for the writer instead of 0.56-0.66 s (in process, 3
# runs each); each size of statement stays prepared in the connection's cache (2,000 took ~3 MB more).
ROWS_PER_INSERT = 1250
