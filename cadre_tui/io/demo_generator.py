"""The seeded generator of demo communities (SPEC §11): the seeds' 600 households and larger ones.

It writes the four files of `seeds/` (staff and roster in the formats of SPEC §6, history in the bundle's
columns); `io/demo.py` loads such files back through the real import code. The people come from
`io/demo_people.py`, the visits and matters from `io/demo_history.py`, all from one seeded random
generator, so that the same arguments give the same files byte for byte.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cadre_tui.errors import InvalidInput
from cadre_tui.io.csvfile import write_csv
from cadre_tui.io.demo_history import History
from cadre_tui.io.demo_people import Population
from cadre_tui.io.tables import bundle_columns
from cadre_tui.store.db import community_id_for

COMMUNITY = "幸福社区"
SEED = 20261122
SEED_HOUSEHOLDS = 600
SEED_END = date(2026, 11, 22)
SEED_WEEKS = 12
LARGE_WEEKS = 104
MAX_HOUSEHOLDS = 100_000
SEED_FILES = ("staff.csv", "roster.csv", "visits.csv", "matters.csv")
# Communities up to this size get their visits sorted by date in the file (the seeds); larger ones stream.
SORTED_UP_TO = 5000

STAFF_HEADER = ("编号", "姓名", "电话", "小组", "片区", "小组名称", "片区名称")
ROSTER_HEADER = (
    "户编号", "片区", "小区", "楼栋", "单元", "室", "姓名", "性别", "出生日期", "身份证号", "联系电话",
    "与户主关系", "重点人群", "列入日期", "备注",
)  # fmt: skip
ROSTER_KEYS = (
    "household_no", "zone", "estate", "building", "unit", "room", "name", "gender", "birth_date",
    "id_number", "phone", "relation", "groups", "groups_since", "notes",
)  # fmt: skip


class DemoCommunity:
    """A generated community: staff and roster rows at hand, the history generated while it is written.

    The history is streamed (a large community's ~100,000 visits would not fit the memory budget as
    objects), so `write` is the one way to get it, and only once.
    """

    def __init__(self, history: History, staff: list[list[Any]], roster: list[list[Any]]) -> None:
        self._history = history
        self.staff = staff
        self.roster = roster
        self.visits = 0
        self.matters = 0

    def write(self, folder: Path) -> None:
        """Write `staff.csv`, `roster.csv` (SPEC §6) and `visits.csv`, `matters.csv` (bundle columns)."""
        write_csv(folder / "staff.csv", STAFF_HEADER, self.staff)
        write_csv(folder / "roster.csv", ROSTER_HEADER, self.roster)
        history = self._history
        visits: Iterable[list[Any]] = history.visit_rows()
        if len(history.households) <= SORTED_UP_TO:
            visits = sorted(visits, key=lambda cells: (cells[3], cells[1]))  # by date: easy to read
        self.visits = write_csv(folder / "visits.csv", bundle_columns("visits.csv"), visits)
        matters = sorted(history.matter_rows(), key=lambda cells: cells[6])
        self.matters = write_csv(folder / "matters.csv", bundle_columns("matters.csv"), matters)


def generate(
    households: int, *, seed: int = SEED, end: date = SEED_END, weeks: int = SEED_WEEKS
) -> DemoCommunity:
    """A fictional community of `households` households whose history of `weeks` weeks ends on `end`."""
    if not 1 <= households <= MAX_HOUSEHOLDS:
        raise InvalidInput.of("demo.households", most=f"{MAX_HOUSEHOLDS:,}", value=households)
    rng = random.Random(seed)
    start = end - timedelta(days=weeks * 7 - 1)
    people = Population(rng, households, start, end)
    staff = people.staff_rows()
    people.make_households()
    history = History(rng, people.households, people.zones, community_id_for(COMMUNITY), (start, end))
    return DemoCommunity(history, staff, people.roster_rows())
