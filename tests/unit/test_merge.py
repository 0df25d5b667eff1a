"""Laptops that edit at random and swap bundles in random orders converge, and lose no row."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre_tui.io.bundle import export_bundle, import_bundle
from cadre_tui.io.tables import BUNDLE_FILES, bundle_columns, store_column
from cadre_tui.store.db import Store
from tests.builders import row_by_id
from tests.unit.test_bundle import TRICKY, Clock, add_visit, dump, seed, write

EDITABLE = {"visits": "notes", "matters": "title", "residents": "notes"}

laptop_index = st.integers(min_value=0, max_value=2)
text = st.sampled_from([*TRICKY, "", "改过", "再改"])
operation = st.one_of(
    st.tuples(st.just("visit"), laptop_index, text),
    st.tuples(st.just("matter"), laptop_index, text),
    st.tuples(st.just("resident"), laptop_index, text),
    st.tuples(st.just("edit"), laptop_index, st.sampled_from(sorted(EDITABLE)), st.integers(0, 50), text),
    st.tuples(st.just("tombstone"), laptop_index, st.sampled_from(sorted(EDITABLE)), st.integers(0, 50)),
    st.tuples(st.just("exchange"), laptop_index, laptop_index),
    st.tuples(st.just("tick"), laptop_index, st.integers(0, 5000)),
)


def synced_row(store: Store, table: str, row_id: str) -> tuple[Any, ...]:
    """The synced columns of one row, NULL as ''."""
    name = next(n for n, (t, _c) in BUNDLE_FILES.items() if t == table)
    columns = ", ".join(store_column(c) for c in bundle_columns(name))
    row = store.db.execute(f"SELECT {columns} FROM {table} WHERE id = ?", [row_id]).fetchone()
    return tuple("" if v is None else v for v in row)


class World:
    """Two or three laptops of one community, and every version any of them ever wrote."""

    def __init__(self, count: int, skews: list[int], folder: Path) -> None:
        base = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
        self.folder = folder
        self.bundles = 0
        self.clocks = [Clock(base + timedelta(seconds=skews[i])) for i in range(count)]
        self.stores = [Store.open(None, clock=clock) for clock in self.clocks]
        for store in self.stores:
            store.set_community("幸福社区", None, "Asia/Shanghai")
        self.ids = seed(self.stores[0])
        for other in range(1, count):
            self.exchange(0, other)
        # Every version written anywhere: (table, id) -> [(updated_at, origin, row)].
        self.versions: dict[tuple[str, str], list[tuple[str, str, tuple[Any, ...]]]] = {}
        for table, _columns in BUNDLE_FILES.values():
            for (row_id,) in self.stores[0].db.execute(f"SELECT id FROM {table}"):
                self.record(self.stores[0], table, row_id)

    def record(self, store: Store, table: str, row_id: str) -> None:
        row = synced_row(store, table, row_id)
        name = next(n for n, (t, _c) in BUNDLE_FILES.items() if t == table)
        columns = bundle_columns(name)
        version = (row[columns.index("updated_at")], row[columns.index("origin")], row)
        self.versions.setdefault((table, row_id), []).append(version)

    def exchange(self, source: int, target: int) -> None:
        if source == target:
            return
        self.bundles += 1
        out = self.folder / f"b{self.bundles}"
        export_bundle(self.stores[source], out)
        import_bundle(self.stores[target], out)

    def pick(self, store: Store, table: str, n: int) -> dict[str, Any] | None:
        rows = store.db.execute(f"SELECT id FROM {table} ORDER BY id").fetchall()
        if not rows:
            return None
        return row_by_id(store, table, rows[n % len(rows)][0])

    def apply(self, op: tuple[Any, ...]) -> None:
        kind, who = op[0], op[1]
        store = self.stores[who]
        self.clocks[who].tick(1)
        if kind == "visit":
            row_id = add_visit(store, self.ids, notes=op[2])
            self.record(store, "visits", row_id)
        elif kind == "matter":
            row_id = write(store, "matters", kind="illness", title=op[2] or "住院", scope="household",
                           zone_id=None, household_id=self.ids["h2"], occurred_at="2026-11-23T02:00:00.000Z",
                           attended_at=None, attended_by="", notes=None)  # fmt: skip
            self.record(store, "matters", row_id)
        elif kind == "resident":
            row_id = write(store, "residents", household_id=self.ids["h2"], name="欧阳" + str(len(op[2])),
                           gender=None, birth_date=None, id_number=None, phone=None, relation=None,
                           status="present", notes=op[2], search_keys="")  # fmt: skip
            self.record(store, "residents", row_id)
        elif kind in ("edit", "tombstone"):
            table = op[2]
            row = self.pick(store, table, op[3])
            if row is None:
                return
            if kind == "edit":
                row[EDITABLE[table]] = op[4] if table != "matters" else (op[4] or "无题")
            else:
                row["deleted"] = 1
            write(store, table, **row)
            self.record(store, table, row["id"])
        elif kind == "exchange":
            self.exchange(who, op[2])
        elif kind == "tick":
            self.clocks[who].tick(op[2])

    def full_exchange(self) -> None:
        count = len(self.stores)
        for _round in range(2):
            for source in range(count):
                for target in range(count):
                    self.exchange(source, target)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(min_value=2, max_value=3),
    skews=st.lists(st.integers(-3, 3), min_size=3, max_size=3),
    ops=st.lists(operation, max_size=25),
)
def test_laptops_converge_whatever_the_order(
    count: int, skews: list[int], ops: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        world = World(count, skews, Path(folder))
        for op in ops:
            if op[1] < count and (op[0] != "exchange" or op[2] < count):
                world.apply(op)
        world.full_exchange()
        dumps = [dump(store) for store in world.stores]
        for other in dumps[1:]:
            assert other == dumps[0]
        # No row lost, and each row is the newest version any laptop wrote (equal stamps: greater origin).
        for (table, row_id), versions in world.versions.items():
            newest = max(versions, key=lambda v: (v[0], v[1]))
            for store in world.stores:
                assert synced_row(store, table, row_id) == newest[2]
        # Exchanging once more changes nothing anywhere.
        before = [dump(store) for store in world.stores]
        out = Path(folder) / "again"
        export_bundle(world.stores[0], out)
        report = import_bundle(world.stores[-1], out)
        assert report.total.changed == 0 and report.total.kept_local_newer == 0
        assert [dump(store) for store in world.stores] == before


def test_an_edit_made_after_an_import_wins_even_with_a_slow_clock(tmp_path: Path) -> None:
    fast = Store.open(None, clock=Clock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    slow_clock = Clock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # an hour behind
    slow = Store.open(None, clock=slow_clock)
    for store in (fast, slow):
        store.set_community("幸福社区", None, "Asia/Shanghai")
    ids = seed(fast)
    visit = add_visit(fast, ids, notes="快钟写的")
    export_bundle(fast, tmp_path / "f1")
    import_bundle(slow, tmp_path / "f1")
    write(slow, "visits", **{**row_by_id(slow, "visits", visit), "deleted": 1})
    export_bundle(slow, tmp_path / "s1")
    import_bundle(fast, tmp_path / "s1")
    assert row_by_id(fast, "visits", visit)["deleted"] == 1
    assert row_by_id(slow, "visits", visit)["updated_at"] > "2026-11-23T09:00:00.000Z"
