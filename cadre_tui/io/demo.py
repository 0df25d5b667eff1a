"""Loading the fictional demo community 幸福社区 (SPEC §11): the seeds' files, or a generated community.

The four files (staff and roster in the formats of SPEC §6, history in the bundle's columns) go in
through the real import code. The seeds' history is moved by whole weeks on the way in, so that it ends
in the last seven days and its visits stay on working days.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cadre_tui.core.domain import DEFAULT_TIMEZONE
from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.io.csvfile import read_csv, write_csv
from cadre_tui.io.demo_generator import (
    COMMUNITY,
    LARGE_WEEKS,
    ROSTER_HEADER,
    ROSTER_KEYS,
    SEED,
    SEED_FILES,
    SEED_HOUSEHOLDS,
    generate,
)
from cadre_tui.io.history import latest_day, load_history
from cadre_tui.messages import text
from cadre_tui.store.db import Store


def seeds_folder() -> Path:
    """`seeds/` of the source tree (beside the package)."""
    return Path(__file__).resolve().parents[2] / "seeds"


def is_filled(store: Store) -> bool:
    """Whether the database holds a community or any household."""
    households = store.db.execute("SELECT COUNT(*) FROM households").fetchone()[0]
    return store.community() is not None or households > 0


# Tables `--force` empties, children first (foreign keys).
WIPED_TABLES = (
    "plans",
    "visits",
    "matters",
    "memberships",
    "residents",
    "households",
    "teams",
    "cadres",
    "zones",
    "settings",
    "sync_peers",
)


def _wipe(store: Store) -> None:
    known = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in WIPED_TABLES:
        if table in known:
            store.db.execute(f"DELETE FROM {table}")


def whole_weeks_shift(latest: date, yesterday: date) -> int:
    """Days (a whole number of weeks) that move a history ending on `latest` into the week up to `yesterday`.

    Whole weeks keep each visit on its weekday: the seeds' teams go out Monday to Friday (and on the
    official calendar's make-up working days), and so do they after the move.
    """
    return (yesterday - latest).days // 7 * 7


def _shifted_roster(source: Path, target: Path, days: int) -> None:
    """A copy of the roster whose `groups_since` dates move with the history."""
    columns = dict(zip(ROSTER_KEYS, ROSTER_HEADER, strict=True))
    table = read_csv(source, columns, required=("household_no", "zone", "name"))
    header = [columns[k] if k else h for h, k in zip(table.header, table.keys, strict=True)]
    rows = []
    for record in table.records:
        cells = dict(record.values)
        since = cells.get("groups_since", "")
        if since:
            cells["groups_since"] = (date.fromisoformat(since) + timedelta(days=days)).isoformat()
        rows.append([cells.get(k, "") if k else "" for k in table.keys])
    write_csv(target, header, rows)


@dataclass
class DemoSummary:
    """What `demo` loaded."""

    zones: int
    teams: int
    households: int
    residents: int
    visits: int
    matters: int
    shift_days: int

    def lines(self, lang: str) -> list[str]:
        """The summary printed by `demo`."""
        counts = {"zones": self.zones, "teams": self.teams, "households": f"{self.households:,}"}
        counts |= {
            "residents": f"{self.residents:,}",
            "visits": f"{self.visits:,}",
            "matters": f"{self.matters:,}",
        }
        return [text("demo.loaded", lang, community=COMMUNITY, **counts)]


def load_demo(
    store: Store, folder: Path, *, force: bool = False, shift_days: int | None = None
) -> DemoSummary:
    """Fill the database from the four demo files in `folder`, through the real import code.

    Refused (exit 3) on a database holding a community or any household, unless `force`, which empties
    those tables first, in the same transaction. The history is moved by whole weeks so that it ends in
    the seven days up to yesterday, its visits on the weekdays they were made on (`shift_days` when the
    caller knows it: a community generated to end yesterday needs 0).
    """
    from cadre_tui.io.roster import import_roster
    from cadre_tui.io.staff import import_staff

    missing = [name for name in SEED_FILES if not (folder / name).is_file()]
    if missing:
        raise InvalidInput.of("demo.missing", path=folder, files=", ".join(missing))
    if is_filled(store) and not force:
        where = store.path or "the database"
        raise Refused.of("demo.filled", path=where)
    if force and is_filled(store) and store.path is not None:
        from cadre_tui.store.backup import backup_before

        backup_before(store, "demo")
    visits_file, matters_file = folder / "visits.csv", folder / "matters.csv"
    tz = ZoneInfo(DEFAULT_TIMEZONE)
    yesterday = store.clock().astimezone(tz).date() - timedelta(days=1)
    if shift_days is None:
        latest = latest_day(visits_file, matters_file, tz)
        shift = whole_weeks_shift(latest, yesterday) if latest else 0
    else:
        shift = shift_days
    with tempfile.TemporaryDirectory(prefix="cadre-demo-") as private:
        roster = folder / "roster.csv"
        if shift:
            roster = Path(private) / "roster.csv"
            _shifted_roster(folder / "roster.csv", roster, shift)
        with store.transaction():
            _wipe(store)
            store.set_community(COMMUNITY, None, DEFAULT_TIMEZONE)
            import_staff(store, folder / "staff.csv", backup=False)
            import_roster(store, roster, backup=False)
            visits, matters = load_history(store, visits_file, matters_file, shift_days=shift)
    return DemoSummary(
        zones=_count(store, "zones"),
        teams=_count(store, "teams"),
        households=_count(store, "households"),
        residents=_count(store, "residents"),
        visits=visits,
        matters=matters,
        shift_days=shift,
    )


def _count(store: Store, table: str) -> int:
    return int(store.db.execute(f"SELECT COUNT(*) FROM {table} WHERE deleted = 0").fetchone()[0])


def load_generated(store: Store, households: int, *, force: bool = False, seed: int = SEED) -> DemoSummary:
    """Generate a community of `households` households with two years of history ending yesterday; load it."""
    if is_filled(store) and not force:
        where = store.path or "the database"
        raise Refused.of("demo.filled", path=where)
    end = store.clock().astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date() - timedelta(days=1)
    community = generate(households, seed=seed, end=end, weeks=LARGE_WEEKS)
    folder = Path(tempfile.mkdtemp(prefix="cadre-demo-"))  # 0700: the files hold (fictional) personal data
    try:
        community.write(folder)
        del community  # the loader reads the files back: free the generator's rows first
        return load_demo(store, folder, force=force, shift_days=0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def load_seeds(store: Store, *, force: bool = False) -> DemoSummary:
    """Load the demo community of `seeds/`; regenerate the same files when the source tree has none."""
    folder = seeds_folder()
    if all((folder / name).is_file() for name in SEED_FILES):
        return load_demo(store, folder, force=force)
    if is_filled(store) and not force:
        where = store.path or "the database"
        raise Refused.of("demo.filled", path=where)
    private = Path(tempfile.mkdtemp(prefix="cadre-demo-"))
    try:
        generate(SEED_HOUSEHOLDS).write(private)
        return load_demo(store, private, force=force)
    finally:
        shutil.rmtree(private, ignore_errors=True)
