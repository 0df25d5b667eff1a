"""Weekly logs of three communities for the office app's tests, made by the real `export log` code.

Each community is the app tests' fixture community (tests/tui/community.py) under its own name, with a
few visits of its own so the three differ. 幸福社区 and 山水社区 send the eight weeks 2026-W41 to W48;
阳光社区 is late: it has sent up to W47 only, so the Week screen names it for W48.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cadre_tui.core.weeks import IsoWeek
from cadre_tui.io.office_log import export_office_log
from cadre_tui.store.db import Store
from tests.tui.community import TODAY, build_community
from tests.unit.test_bundle import write

WEEKS = [IsoWeek(2026, n) for n in range(41, 49)]
W47, W48 = IsoWeek(2026, 47), IsoWeek(2026, 48)
# name, official code, extra visits (household_no, team, date, outcome), whether W48 is missing
COMMUNITIES: list[tuple[str, str, list[tuple[str, str, str, str]], bool]] = [
    ("幸福社区", "XF01", [], False),
    (
        "山水社区",
        "SS01",
        [
            ("H0007", "T2", "2026-11-19", "met"),  # T2: 3 field days in W47, all 3 households met
            ("H0005", "T2", "2026-11-23", "met"),
            ("H0008", "T1", "2026-10-14", "met"),  # T1: a field day in W42
            ("H0003", "T1", "2026-11-24", "met"),
        ],
        False,
    ),
    ("阳光社区", "YG01", [("H0004", "T1", "2026-11-05", "absent")], True),
]


def make_office_logs(folder: Path, today: date = TODAY) -> Path:
    """Write the logs into `folder/<community>/` and return `folder`."""
    for name, code, extra, late in COMMUNITIES:
        store = Store.open(None)
        try:
            store.set_community(name, code, "Asia/Shanghai")
            ids = build_community(store)
            for household_no, team, day, outcome in extra:
                write(
                    store, "visits", household_id=ids[household_no], team_id=ids[team], visit_date=day,
                    cadre_ids="", outcome=outcome, notes="",
                )  # fmt: skip
            for week in WEEKS:
                if late and week == W48:
                    continue
                export_office_log(store, week, folder / name, today=today, force=True)
        finally:
            store.close()
    return folder
