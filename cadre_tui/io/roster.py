"""`import roster`: households, residents and priority-group memberships from the roster CSV (SPEC §6).

The file is read a record at a time (no table of it is held): each record is checked as it comes, and
what the import needs of a valid one is kept as a tuple. Then the records are compared with the database
and the differences written, each kind with one executemany, in one transaction (docs/performance.md).
Into a database without households or residents yet (a community's first roster: every record new), the
rows are made and written while the file is still being read, on a second thread (`_FirstImport`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from cadre_tui.core.dates import parse_date
from cadre_tui.core.domain import PRIORITY_GROUPS
from cadre_tui.core.ids import normalise_phone, parse_id_number
from cadre_tui.core.names import search_keys
from cadre_tui.io.csvfile import CsvStream, read_while
from cadre_tui.io.importing import (
    MISSING_SHOWN,
    Counts,
    ImportReport,
    Problems,
    excel_mangled,
    parse_groups,
    same,
    update_rows,
    write_rejects,
)
from cadre_tui.io.workbook import ParsedSheet, stream_table, stream_workbook
from cadre_tui.messages import Message, Text
from cadre_tui.store.backup import provisional_backup
from cadre_tui.store.db import Store, natural_id
from cadre_tui.store.writer import ManyRows, Statement, WriteThread, variable_limit

ROSTER_COLUMNS: dict[str, str] = {
    "household_no": "户编号",
    "zone": "片区",
    "estate": "小区",
    "building": "楼栋",
    "unit": "单元",
    "room": "室",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "phone": "联系电话",
    "relation": "与户主关系",
    "groups": "重点人群",
    "groups_since": "列入日期",
    "notes": "备注",
}
REQUIRED = ("household_no", "zone", "name")
ADDRESS_FIELDS = ("estate", "building", "unit", "room")
GENDERS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}

# The resident's fields a roster sets, in the order a `Row` holds them after its household and name.
FIELDS = ("id_number", "gender", "birth_date", "phone", "relation", "notes")
# The stored columns the import compares, in the order it reads them.
HOUSEHOLD_COLUMNS = ("id", "household_no", "zone_id", *ADDRESS_FIELDS, "deleted")
RESIDENT_COLUMNS = ("id", "household_id", "name", *FIELDS, "status", "deleted")


# A field the record leaves alone: its column is not in the file (or, for gender and birth date, the
# cell is blank and there is no ID number to take it from).
def new_resident_id(
    community_id: str, id_number: str | None, household_no: str, name: str, taken: set[str]
) -> str:
    """A new resident's id, fixed when first imported: from the ID number, else household_no + "/" +
    name; a key whose id is already `taken` by someone else (a namesake who moved house) gets a
    deterministic next one. The id is added to `taken`."""
    key = id_number or f"{household_no}/{name}"
    rid = natural_id(community_id, "resident", key)
    suffix = 1
    while rid in taken:
        suffix += 1
        rid = natural_id(community_id, "resident", f"{key}/{suffix}")
    taken.add(rid)
    return rid


class _Absent:
    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()


class Row(NamedTuple):
    """What the import keeps of a valid record. Each field of FIELDS after id_number is a value, None (the
    cell is blank: the field is cleared) or ABSENT (left alone)."""

    line: int
    household_no: str
    name: str
    id_number: str | None  # as read (None when blank); written and compared when the file has the column
    gender: Any
    birth_date: Any
    phone: Any
    relation: Any
    notes: Any
    groups: list[str] | None  # None: the file has no groups column
    since: date | None

    def fields(self) -> tuple[Any, ...]:
        """The values of FIELDS, in order."""
        return self[3:9]


# Row(...) without NamedTuple's __new__ written in Python (30,000 records).
_row = partial(tuple.__new__, Row)


# Page cache while the rows go in, in KiB: 30,000 residents' rows and their three indexes (~13 MB) stay in
# it; with the default 2 MB, inserting in random id order evicts and re-reads pages (0.48 -> 0.21 s).
WRITE_CACHE_KIB = 32 * 1024


@dataclass(slots=True)
class HouseholdSeen:
    """A household as the file describes it, across its rows."""

    zone: str
    zone_line: int
    # estate, building, unit, room: the first value the file gives ("" while none) and its line
    address: list[str]
    lines: list[int]


def import_roster(
    store: Store,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    today: date | None = None,
    backup: bool = True,
    sheet: str | None = None,
    opened: Callable[[], CsvStream] | None = None,
    search_keys_made: dict[str, str] | None = None,
) -> ImportReport:
    """Validate the roster at `path` and apply it (or, on a dry run, say what it would do).

    InvalidInput (exit 2) with every error of the file, nothing written, unless `skip_invalid`.
    A workbook (.xlsx, .xls, .ods) is read from its first sheet, or `sheet`. `opened`: the file as
    `open_ahead` opened it before the store; `search_keys_made`: names' search keys made meanwhile
    (`read_records_while`).
    """
    community = store.require_community()
    stream = opened() if opened else stream_table(path, ROSTER_COLUMNS, REQUIRED, sheet=sheet)
    day = today or store.today()
    check = RosterCheck(stream, day, group_labels(store))
    # The first import in a transaction of its own (inside a caller's, the demo's, it compares as before:
    # the writing thread's page cache and statements would stay allocated while the caller goes on).
    if not dry_run and not store.db.conn.in_transaction and not _holds_rows(store):
        # Written once, in a rollback journal, when the file is this connection's alone.
        with store.written_once():
            return _first_import(
                store,
                community.id,
                path,
                check,
                day,
                skip_invalid=skip_invalid,
                backup=backup,
                search_keys_made=search_keys_made,
            )
    check.read_all()
    problems = check.problems
    if not skip_invalid:
        problems.refuse()
    rejected = len(problems.errors)
    rejects_path = None
    if dry_run:
        report = _apply(store, community.id, path, check, day, write=False)
    else:
        # Rejects first: a folder that cannot take them stops the import before anything is written.
        if skip_invalid:
            rejects_path = write_rejects(path, stream.header, check.rejected, problems)
        # The backup first thing in the transaction, as the first import's (`_first_import`).
        with (
            provisional_backup(store, "import", wanted=backup) as make_backup,
            store.page_cache(WRITE_CACHE_KIB),
            store.transaction(),
        ):
            make_backup()
            report = _apply(store, community.id, path, check, day, write=True)
    report.rejects_path = rejects_path
    report.rejected = rejected
    report.rejected_errors = problems.error_lines()
    report.dry_run = dry_run
    return report


def open_ahead(
    path: Path, sheet: str | None = None, parsed: Callable[[], ParsedSheet] | None = None
) -> Callable[[], CsvStream]:
    """Open the roster before the store is opened: a CSV decoded and its header checked now, while an
    encrypted database's key is being derived on the other core; a workbook's sheet parsed on a thread
    of its own (`parsed`: as `workbook.parse_sheet_ahead` began it), its header read when called. What
    it gives, or its error, when called: the store's own errors come first, as when the file is opened
    after it."""
    if parsed is not None:
        return lambda: stream_workbook(path, ROSTER_COLUMNS, REQUIRED, sheet=sheet, parsed=parsed())
    try:
        stream = stream_table(path, ROSTER_COLUMNS, REQUIRED, sheet=sheet)
    except Exception as exc:  # raised again, in its turn
        error = exc

        def failed() -> CsvStream:
            raise error

        return failed
    return lambda: stream


# Records read ahead while the command waits for another thread (`read_records_while`): at most a
# 30,000-resident roster's (~10 MB of cells held at once; ~20,000 in the key derivation's time here).
_READ_AHEAD = 30_000


def read_records_while(
    opened: Callable[[], CsvStream], busy: Callable[[], bool], *, keys: bool = True
) -> dict[str, str]:
    """A CSV roster opened by `open_ahead`: its first records read now, for as long as `busy()` holds
    (`csvfile.read_while`, at most _READ_AHEAD); a file that did not open is left to say so in its turn.
    Then (`keys`), while `busy()` still holds, the search keys of the names read, which a first import
    makes for every new resident: name -> keys, for `import_roster(search_keys_made=...)`."""
    try:
        stream = opened()
    except Exception:  # raised again when the import asks for the file, after the store's errors
        return {}
    taken = read_while(stream, busy, _READ_AHEAD)
    made: dict[str, str] = {}
    if not keys or "name" not in stream.keys:
        return made
    at = stream.keys.index("name")
    for done, (_line, raw) in enumerate(taken):
        if not done % 256 and not busy():
            break
        # The name as the check reads it (but for a formula guard: its keys are then made again later).
        name = raw[at].strip() if at < len(raw) else ""
        if name and name not in made:
            made[name] = search_keys(name)
    return made


def group_labels(store: Store) -> dict[str, str]:
    """The community's own labels of the priority groups (settings `label.<code>`): label -> code."""
    labels = {}
    for group in PRIORITY_GROUPS:
        custom = store.get_setting(f"label.{group.code}")
        if isinstance(custom, str) and custom.strip():
            labels[custom.strip()] = group.code
    return labels


class RosterCheck:
    """Every record of the file checked on its own and against the others, errors to `problems`; the
    valid records kept as `rows`, the households as the file describes them, the rejected records' cells."""

    def __init__(self, stream: CsvStream, today: date, labels: dict[str, str] | None = None) -> None:
        self.stream = stream
        self.today = today
        self.labels = labels or {}
        self.problems = Problems(stream.name, warnings=list(stream.warnings))
        self.rows: list[Row] = []
        self.households: dict[str, HouseholdSeen] = {}
        self.rejected: list[tuple[int, list[str]]] = []  # (line, cells as read) of records with errors
        self.has = {key: key in stream.keys for key in ROSTER_COLUMNS}
        self.has_phone, self.has_groups = self.has["phone"], self.has["groups"]
        self.has_relation, self.has_notes = self.has["relation"], self.has["notes"]
        self._id_lines: dict[str, int] = {}
        self._name_lines: dict[tuple[str, str], int] = {}
        # Cells that repeat down a roster are checked once per distinct text.
        self._groups: dict[str, tuple[list[str], list[str]]] = {}
        self._dates: dict[str, date | ValueError] = {}

    def read_all(self, every: int = 0, then: Callable[[], None] | None = None) -> None:
        """Check every record of the stream. With `then`: called each time `every` valid rows wait in
        `rows`, it takes them (empties `rows`)."""
        if then is None:
            every = -1
        kept = self.rows
        width = len(self.stream.header)
        # Each roster column's position in a record; a column the file lacks reads the blank cell that
        # is added past the header's last.
        position = {key: i for i, key in enumerate(self.stream.keys) if key is not None}
        pick = itemgetter(*(position.get(key, width) for key in ROSTER_COLUMNS))
        every_column = all(key in position for key in ROSTER_COLUMNS)
        keys = list(ROSTER_COLUMNS)
        guarded = self.stream.encoding != "workbook"  # a CSV cell may carry the formula guard
        refused = self.stream.cell_errors
        seen = 0
        strip = str.strip
        record = self.record
        for line, raw in self.stream.rows:
            if every_column and len(raw) >= width:
                cells = list(map(strip, pick(raw)))
            else:
                padded = raw + [""] * (width + 1 - len(raw)) if len(raw) <= width else [*raw[:width], ""]
                cells = list(map(strip, pick(padded)))
            if guarded and "'" in "".join(cells):
                # One leading ' is the formula guard of SPEC §6 (csvfile.formula_unsafe).
                cells = [cell[1:] if cell[:1] == "'" else cell for cell in cells]
            if len(refused) > seen:
                for at, key, problem in refused[seen:]:
                    self.problems.error(at, key, problem)
                    cells[keys.index(key)] = ""  # a refused cell is read as blank
                seen = len(refused)
            if not record(line, cells):
                self.rejected.append((line, raw))
            elif len(kept) == every:
                then()  # type: ignore[misc]

    def record(self, line: int, cells: list[str]) -> bool:
        """Check one record, its cells in ROSTER_COLUMNS' order; keep it when it is valid (True)."""
        problems = self.problems
        (no, zone, _estate, _building, _unit, _room, name, gender_text, birth_text, id_text, phone,
         relation, groups_text, since_text, notes) = cells  # fmt: skip
        if not (no and zone and name) or excel_mangled(no):
            self._required(line, no, zone, name)
        id_number: str | None = None
        id_birth: date | None = None
        id_gender: str | None = None
        if id_text:
            try:
                id_number, id_birth, id_gender, warning = parse_id_number(id_text)
            except ValueError as exc:
                problems.error(line, "id_number", exc)
            else:
                if id_birth > self.today:
                    problems.error(line, "id_number", Text("roster.id_birth_future", date=id_birth))
                if warning:
                    problems.warn(line, "id_number", warning)
                first = self._id_lines.setdefault(id_number, line)
                if first != line:
                    problems.error(line, "id_number", Text("roster.same_id", line=first))
        elif no and name:
            first = self._name_lines.setdefault((no, name), line)
            if first != line:
                problems.error(line, "name", Text("roster.name_twice", name=name, household=no, line=first))
        if id_gender is not None and GENDERS.get(gender_text) == id_gender:
            gender: Any = id_gender  # as the ID number says: nothing to check further
        else:
            gender = self._gender(line, gender_text, id_gender)
        if id_birth is not None and id_birth <= self.today and birth_text == id_birth.isoformat():
            born: Any = birth_text  # the ID number's date, written YYYY-MM-DD: as stored
        else:
            born = self._birth_date(line, birth_text, id_birth)
        stored_phone: Any = ABSENT
        if self.has_phone:
            stored_phone = None
            if phone:
                try:
                    stored_phone = normalise_phone(phone)
                except ValueError as exc:
                    problems.error(line, "phone", exc)
        groups: list[str] | None = None
        if self.has_groups:
            parsed_groups = self._groups.get(groups_text)
            if parsed_groups is None:
                parsed_groups = self._groups[groups_text] = parse_groups(groups_text, self.labels)
            groups, unknown = parsed_groups
            for item in unknown:
                problems.error(line, "groups", Text("import.unknown_group", group=item))
        since: date | None = None
        if since_text:
            try:
                since = self._date(since_text)
            except ValueError as exc:
                problems.error(line, "groups_since", exc)
        if no and zone:
            seen = self.households.get(no)
            # A household's next resident in the same zone, at the same address: nothing to compare.
            if seen is None or seen.zone != zone or seen.address != cells[2:6]:
                self._household(line, no, zone, cells)
        if line in problems.errors:  # (also a cell the reader refused)
            return False
        self.rows.append(
            _row(
                (
                    line,
                    no,
                    name,
                    id_number,
                    gender,
                    born,
                    stored_phone,
                    (relation or None) if self.has_relation else ABSENT,
                    (notes or None) if self.has_notes else ABSENT,
                    groups,
                    since,
                )
            )
        )
        return True

    def _required(self, line: int, no: str, zone: str, name: str) -> None:
        problems = self.problems
        if not no:
            problems.error(line, "household_no", Text("import.required"))
        if not zone:
            problems.error(line, "zone", Text("import.required"))
        if not name:
            problems.error(line, "name", Text("import.required"))
        if no and excel_mangled(no):  # 1.10105E+11
            problems.error(line, "household_no", Text("import.excel_mangled", value=no))

    def _date(self, text: str) -> date:
        """parse_date, once per distinct text."""
        found = self._dates.get(text)
        if found is None:
            try:
                found = parse_date(text)
            except ValueError as exc:
                found = exc
            self._dates[text] = found
        if isinstance(found, ValueError):
            raise found
        return found

    def _gender(self, line: int, text: str, id_gender: str | None) -> Any:
        gender: str | None = None
        if text:
            gender = GENDERS.get(text.lower())
            if gender is None:
                self.problems.error(line, "gender", Text("roster.bad_gender", value=text))
                return ABSENT
            if id_gender and gender != id_gender:
                self.problems.warn(
                    line,
                    "gender",
                    Text(
                        "roster.gender_contradicts", value=text, gender=Message(f"roster.gender_{id_gender}")
                    ),
                )
        elif id_gender:
            # Blank: the ID number says it.
            gender = id_gender
        return gender if self.has["gender"] or gender is not None else ABSENT

    def _birth_date(self, line: int, text: str, id_birth: date | None) -> Any:
        born: date | None = None
        if text:
            try:
                born = parse_date(text)
            except ValueError as exc:
                self.problems.error(line, "birth_date", exc)
                return ABSENT
            if born > self.today:
                self.problems.error(line, "birth_date", Text("roster.future", date=born))
                return ABSENT
            # The card is what it is, even when the date on it is wrong: keep the cadres' date, say so.
            if id_birth and born != id_birth:
                self.problems.warn(
                    line, "birth_date", Text("roster.birth_differs", date=born, id_date=id_birth)
                )
        elif id_birth:
            born = id_birth
        if self.has["birth_date"] or born is not None:
            return born.isoformat() if born else None
        return ABSENT

    def _household(self, line: int, no: str, zone: str, cells: list[str]) -> None:
        """Rows of one household must agree on its zone and address; a blank cell agrees with any value."""
        seen = self.households.get(no)
        address = cells[2:6]  # estate, building, unit, room: blank when the file lacks the column
        if seen is None:
            seen = self.households[no] = HouseholdSeen(zone, line, address, [line] * 4)
            return
        if seen.zone != zone:
            self.problems.error(
                line,
                "zone",
                Text("roster.zone_differs", value=zone, line=seen.zone_line, household=no, zone=seen.zone),
            )
        if address == seen.address:
            return  # the household's next resident, at the same address
        for index, key in enumerate(ADDRESS_FIELDS):
            value, earlier = address[index], seen.address[index]
            if not value or value == earlier:
                continue
            if not earlier:
                seen.address[index], seen.lines[index] = value, line
            else:
                self.problems.error(
                    line,
                    key,
                    Text(
                        "roster.address_differs",
                        value=value,
                        line=seen.lines[index],
                        household=no,
                        earlier=earlier,
                    ),
                )


def _apply(
    store: Store, community_id: str, path: Path, check: RosterCheck, today: date, *, write: bool
) -> ImportReport:
    """Compare the valid rows with the database and write the differences (when `write`)."""
    rows, households_seen, problems = check.rows, check.households, check.problems
    counts = {k: Counts() for k in ("households", "residents", "memberships")}
    db = store.db.conn

    # Zones and households: only those with at least one valid row are touched.
    zones = {code: (zid, deleted) for zid, code, deleted in db.execute("SELECT id, code, deleted FROM zones")}
    households = {h[1]: h for h in db.execute(f"SELECT {', '.join(HOUSEHOLD_COLUMNS)} FROM households")}
    listed_households = dict.fromkeys(row.household_no for row in rows)
    new_zones: list[tuple[str, str]] = []
    revived_zones: list[dict[str, Any]] = []
    zone_ids: dict[str, str] = {}
    for no in listed_households:
        code = households_seen[no].zone
        if code in zone_ids:
            continue
        zone = zones.get(code)
        if zone is None:
            zone_ids[code] = natural_id(community_id, "zone", code)
            new_zones.append((zone_ids[code], code))
        else:
            zone_ids[code] = zone[0]
            if zone[1]:
                revived_zones.append({"id": zone[0]})

    household_ids: dict[str, str] = {}
    new_households: list[tuple[Any, ...]] = []
    changed_households: list[dict[str, Any]] = []
    address_columns = [(i, key) for i, key in enumerate(ADDRESS_FIELDS) if check.has[key]]
    for no in listed_households:
        seen = households_seen[no]
        zone_id = zone_ids[seen.zone]
        address = [value or None for value in seen.address]
        old = households.get(no)
        if old is None:
            hid = household_ids[no] = natural_id(community_id, "household", no)
            new_households.append((hid, no, zone_id, *address))
            continue
        household_ids[no] = old[0]
        changes: dict[str, Any] = {}
        if not same(old[2], zone_id):
            changes["zone_id"] = zone_id
        for index, key in address_columns:
            if not same(old[3 + index], address[index]):
                changes[key] = address[index]
        if changes or old[-1]:
            changed_households.append({"id": old[0], **changes})
            counts["households"].updated += 1
        else:
            counts["households"].unchanged += 1
    counts["households"].added = len(new_households)
    del households

    resident_ids, new_rows, changed_residents, missing = _residents(
        db,
        community_id,
        rows,
        household_ids,
        problems,
        counts["residents"],
        has_id_number=check.has["id_number"],
    )
    memberships = _memberships(db, community_id, rows, resident_ids, today, counts["memberships"])

    report = ImportReport(
        path.name, counts, warnings=problems.warnings, missing=missing[0], missing_examples=missing[1]
    )
    pending = (new_zones, revived_zones, new_households, changed_households, new_rows, changed_residents)
    if not write or not (any(pending) or any(memberships)):
        return report
    # One stamp for the whole import: it is one write, and 30,000 stamps a millisecond apart would
    # push this laptop's clock half a minute ahead.
    sync = store.sync_columns()
    stamp = (sync["updated_at"], sync["origin"], 0)
    db.executemany(
        "INSERT INTO zones (id, code, name, updated_at, origin, deleted) VALUES (?, ?, ?, ?, ?, ?)",
        [(zid, code, code, *stamp) for zid, code in new_zones],
    )
    update_rows(store, "zones", [{**z, **sync} for z in revived_zones])
    db.executemany(
        "INSERT INTO households (id, household_no, zone_id, estate, building, unit, room, active, "
        "updated_at, origin, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
        [(*h, *stamp) for h in new_households],
    )
    update_rows(store, "households", [{**h, **sync} for h in changed_households])
    db.executemany(
        "INSERT INTO residents (id, household_id, name, id_number, gender, birth_date, phone, relation, "
        "notes, status, search_keys, updated_at, origin, deleted) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'present', ?, ?, ?, ?)",
        _new_residents(rows, new_rows, resident_ids, household_ids, stamp),
    )
    update_rows(store, "residents", [{**r, **sync} for r in changed_residents])
    new_memberships, changed_memberships, ended_memberships = memberships
    db.executemany(
        "INSERT INTO memberships (id, resident_id, group_code, since, updated_at, origin, deleted) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*m, *stamp) for m in new_memberships],
    )
    update_rows(store, "memberships", [{**m, **sync} for m in changed_memberships])
    update_rows(store, "memberships", [{**m, **sync, "deleted": 1} for m in ended_memberships])
    return report


def _new_residents(
    rows: list[Row],
    new_rows: list[int],
    resident_ids: list[str],
    household_ids: dict[str, str],
    stamp: tuple[Any, ...],
) -> Iterator[tuple[Any, ...]]:
    """The new residents' rows to insert, made as they are inserted; a name's search keys made once."""
    keys: dict[str, str] = {}
    for index in new_rows:
        row = rows[index]
        name = row.name
        found = keys.get(name)
        if found is None:
            found = keys[name] = search_keys(name)
        fields = [None if value is ABSENT else value for value in row.fields()]
        yield (resident_ids[index], household_ids[row.household_no], name, *fields, found, *stamp)


def _residents(
    db: Any,
    community_id: str,
    rows: list[Row],
    household_ids: dict[str, str],
    problems: Problems,
    counts: Counts,
    *,
    has_id_number: bool,
) -> tuple[list[str], list[int], list[dict[str, Any]], tuple[int, list[str]]]:
    """Each row's resident: matched by id_number first, then by household and name among those not yet
    claimed, else new. Returns each row's resident id, the indexes of the new rows, the changes of the
    matched ones, and the residents living here that the file does not list (count, examples)."""
    # As stored, in RESIDENT_COLUMNS and in table order.
    stored = db.execute(f"SELECT {', '.join(RESIDENT_COLUMNS)} FROM residents").fetchall()
    by_id_number = {r[3]: r for r in stored if r[3]}
    by_name: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for r in stored:
        by_name.setdefault((r[1], r[2]), []).append(r)
    taken_ids = {r[0] for r in stored}
    claimed: set[str] = set()
    matched: dict[int, tuple[Any, ...]] = {}
    if stored:
        for index, row in enumerate(rows):
            if row.id_number and row.id_number in by_id_number:
                found = by_id_number[row.id_number]
                if found[0] not in claimed:
                    matched[index] = found
                    claimed.add(found[0])
        for index, row in enumerate(rows):
            if index in matched:
                continue
            for candidate in by_name.get((household_ids[row.household_no], row.name), []):
                if candidate[0] not in claimed:
                    matched[index] = candidate
                    claimed.add(candidate[0])
                    if row.id_number and candidate[3] and candidate[3] != row.id_number:
                        problems.warn(
                            row.line,
                            "id_number",
                            Text("roster.id_replaced", name=row.name, household=row.household_no),
                        )
                    break
    del by_id_number, by_name

    resident_ids: list[str] = []
    new_rows: list[int] = []
    changed: list[dict[str, Any]] = []
    compared = [(offset, key) for offset, key in enumerate(FIELDS) if key != "id_number" or has_id_number]
    for index, row in enumerate(rows):
        person = matched.get(index)
        if person is None:
            rid = new_resident_id(community_id, row.id_number, row.household_no, row.name, taken_ids)
            resident_ids.append(rid)
            new_rows.append(index)
            continue
        resident_ids.append(person[0])
        changes: dict[str, Any] = {}
        household_id = household_ids[row.household_no]
        if not same(person[1], household_id):
            changes["household_id"] = household_id
        if not same(person[2], row.name):
            changes["name"] = row.name
            changes["search_keys"] = search_keys(row.name)
        fields = row.fields()
        for offset, key in compared:
            value = fields[offset]
            if value is not ABSENT and not same(person[3 + offset], value):
                changes[key] = value
        if changes or person[-1]:
            changed.append({"id": person[0], **changes})
            counts.updated += 1
        else:
            counts.unchanged += 1
    counts.added = len(new_rows)
    numbers = {hid: no for no, hid in household_ids.items()}
    missing = _missing(db, stored, claimed, numbers)
    return resident_ids, new_rows, changed, missing


def _missing(
    db: Any, stored: list[tuple[Any, ...]], claimed: set[str], numbers: dict[str, str]
) -> tuple[int, list[str]]:
    """Residents living here (present, not deleted) that the file does not list: count and examples."""
    absent = [r for r in stored if r[0] not in claimed and not r[-1] and r[-2] == "present"]
    if not absent:
        return 0, []
    unknown = {r[1] for r in absent} - numbers.keys()
    if unknown:
        numbers = {**numbers, **dict(db.execute("SELECT id, household_no FROM households"))}
    shown = sorted((numbers.get(r[1], ""), r[2]) for r in absent)
    return len(absent), [f"{no} {name}" for no, name in shown[:MISSING_SHOWN]]


def _memberships(
    db: Any, community_id: str, rows: list[Row], resident_ids: list[str], today: date, counts: Counts
) -> tuple[list[tuple[str, str, str, str]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The file is the authority on the groups of the residents it lists: new, changed and ended ones."""
    memberships: dict[str, dict[str, tuple[Any, ...]]] = {}
    for loaded in db.execute("SELECT id, resident_id, group_code, since, deleted FROM memberships"):
        kept = memberships.setdefault(loaded[1], {})
        # Should two rows name the same group, the live one speaks for it.
        if loaded[2] not in kept or kept[loaded[2]][4]:
            kept[loaded[2]] = loaded
    new: list[tuple[str, str, str, str]] = []
    changed: list[dict[str, Any]] = []
    ended: list[dict[str, Any]] = []
    default_since = today.isoformat()
    for index, row in enumerate(rows):
        groups = row.groups
        if groups is None:
            continue
        rid = resident_ids[index]
        existing = memberships.get(rid, {})
        row_since = row.since
        since = row_since.isoformat() if row_since else default_since
        for group in groups:
            m = existing.get(group)
            if m is None:
                new.append((natural_id(community_id, "membership", f"{rid}/{group}"), rid, group, since))
                counts.added += 1
            elif m[4]:
                # Listed again after it ended: a new period, from the file's date or today.
                changed.append({"id": m[0], "since": since})
                counts.added += 1
            elif row_since and m[3] != since:
                changed.append({"id": m[0], "since": since})
                counts.updated += 1
            else:
                counts.unchanged += 1
        for group, ending in existing.items():
            if group not in groups and not ending[4]:
                ended.append({"id": ending[0]})
                counts.ended += 1
    return new, changed, ended


# -- the first import: rows written while the file is read ---------------------------------------------

# Valid records checked between two writes of a first import. Each write is one INSERT of many rows
# (SQLite's default limit of 32,766 parameters since 3.32: residents take 12 a row).
FIRST_IMPORT_CHUNK = 2000
# Page cache of a first import, KiB: smaller than WRITE_CACHE_KIB, so that SQLite writes the pages beyond it
# (an encrypted database's encrypted) on the writing thread as it goes, rather than all of them at COMMIT
# on the reading thread (COMMIT 86 -> 59 ms CPU encrypted, 42 -> 32 ms plain; the inserts, on the other
# core, take ~50 ms more; peak 5 MB less). In a rollback journal too: 4 and 2 MiB took the COMMIT's
# 31-41 ms down to 22-28 ms plain but the rows' writing up by 0-100 ms, more encrypted (2 MiB: +0.3 s).
FIRST_IMPORT_CACHE_KIB = 8 * 1024


def _holds_rows(store: Store) -> bool:
    """Whether the database holds any household, resident or membership (a tombstone counts)."""
    return bool(
        store.db.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM households) OR EXISTS (SELECT 1 FROM residents) "
            "OR EXISTS (SELECT 1 FROM memberships)"
        ).fetchone()[0]
    )


def _sql_text(value: str) -> str:
    """`value` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


class _FirstImport:
    """A roster into a database without households, residents or memberships: every valid record is new,
    so its household, resident and memberships are made and written as the file is checked (one
    transaction: a refused file is rolled back). The same rows as `_apply` makes for an empty database."""

    def __init__(
        self,
        store: Store,
        community_id: str,
        check: RosterCheck,
        today: date,
        search_keys_made: dict[str, str] | None = None,
    ) -> None:
        self.store = store
        self.community_id = community_id
        self.check = check
        self.default_since = today.isoformat()
        conn = store.db.conn
        self.zones = {
            code: (zid, deleted) for zid, code, deleted in conn.execute("SELECT id, code, deleted FROM zones")
        }
        self.zone_ids: dict[str, str] = {}
        self.revived_zones: list[str] = []
        # household number -> (id, address as first written); a later row may complete the address
        self.households: dict[str, tuple[str, list[str]]] = {}
        self.taken_ids: set[str] = set()
        self.keys: dict[str, str] = search_keys_made or {}  # name -> search keys
        # Each table's new rows, their values one after the other until written; the INSERTs made once
        # the import's stamp is known (it is written into them).
        self.values: list[list[Any]] = [[] for _ in _NEW_ROWS]
        self.inserts: list[ManyRows] = []
        self.limit = variable_limit(conn)
        # Each valid record has every field but when the file lacks its column: then ABSENT is written NULL.
        self.absent = not all(check.has[key] for key in FIELDS)
        self.memberships = 0
        self.stamp: tuple[str, str] | None = None  # updated_at, origin
        # A resident may go in before its household (each table is written a whole chunk at a time): the
        # references are checked at COMMIT instead of at each row (reset by SQLite when it ends).
        conn.execute("PRAGMA defer_foreign_keys = ON")
        self.writer = WriteThread(conn, "roster-writer")

    def write_next(self) -> None:
        """Make the rows of the valid records checked since the last call; queue whole chunks."""
        rows = self.check.rows
        if not rows:
            return
        if self.stamp is None:
            sync = self.store.sync_columns()  # one stamp for the whole import, as `_apply`
            self.stamp = (sync["updated_at"], sync["origin"])
            fixed = {
                "updated_at": _sql_text(self.stamp[0]),
                "origin": _sql_text(self.stamp[1]),
                "deleted": "0",
            }
            self.inserts = [
                ManyRows(table, columns.split(", "), FIRST_IMPORT_CHUNK, self.limit, fixed)
                for table, columns in _NEW_ROWS
            ]
        cid = self.community_id
        seen_households = self.check.households
        households, zone_ids, taken, keys = self.households, self.zone_ids, self.taken_ids, self.keys
        absent = self.absent
        zones, new_households, new_residents, new_memberships = self.values
        for row in rows:
            if absent:
                row = _row([None if value is ABSENT else value for value in row])
            _line, no, name, id_number, gender, born, phone, relation, notes, groups, since = row
            found = households.get(no)
            if found is None:
                seen = seen_households[no]
                zone_id = zone_ids.get(seen.zone)
                if zone_id is None:
                    zone_id = self._zone(seen.zone, zones)
                hid = natural_id(cid, "household", no)
                found = households[no] = (hid, list(seen.address))
                new_households += (hid, no, zone_id, *[value or None for value in seen.address])
            hid = found[0]
            rid = new_resident_id(cid, id_number, no, name, taken)
            search = keys.get(name)
            if search is None:
                search = keys[name] = search_keys(name)
            new_residents += (
                rid,
                hid,
                name,
                id_number,
                gender,
                born,
                phone,
                relation,
                notes,
                search,
            )
            if groups:
                day = since.isoformat() if since else self.default_since
                for group in groups:
                    membership = natural_id(cid, "membership", f"{rid}/{group}")
                    new_memberships += (membership, rid, group, day)
                self.memberships += len(groups)
        rows.clear()  # made: only their values are kept until they are written
        self.writer.run(self._statements(whole_only=True))

    def _zone(self, code: str, zones: list[Any]) -> str:
        zone = self.zones.get(code)
        if zone is None:
            zid = natural_id(self.community_id, "zone", code)
            zones += (zid, code, code)
        else:
            zid = zone[0]
            if zone[1]:
                self.revived_zones.append(zid)
        self.zone_ids[code] = zid
        return zid

    def write_last(self) -> None:
        """The last rows made and handed to the writing thread (not waited for)."""
        self.write_next()
        self.writer.run(self._statements(whole_only=False))

    def _statements(self, *, whole_only: bool) -> list[Statement]:
        """The INSERTs of the rows made, every table's in `_NEW_ROWS` order (only whole ones: see
        `ManyRows.statements`); none before the first rows (the stamp)."""
        return [
            statement
            for insert, values in zip(self.inserts, self.values, strict=False)
            for statement in insert.statements(values, whole_only=whole_only)
        ]

    def finish(self) -> dict[str, Counts]:
        """Once the last rows are written: the addresses that later rows completed; the zones listed
        again. The counts."""
        self.writer.close()
        changed = []
        for no, (hid, written) in self.households.items():
            address = self.check.households[no].address
            if address != written:
                changed.append([value or None for value in address] + [hid])
        conn = self.store.db.conn
        conn.executemany(
            "UPDATE households SET estate = ?, building = ?, unit = ?, room = ? WHERE id = ?", changed
        )
        if self.revived_zones and self.stamp is not None:
            updated_at, origin = self.stamp
            revived = [
                {"id": zid, "updated_at": updated_at, "origin": origin, "deleted": 0}
                for zid in self.revived_zones
            ]
            update_rows(self.store, "zones", revived)
        return {
            "households": Counts(added=len(self.households)),
            "residents": Counts(added=len(self.taken_ids)),
            "memberships": Counts(added=self.memberships),
        }


# The columns of each table a first import writes, in the order `_FirstImport` gives their values.
_NEW_ROWS = (
    ("zones", "id, code, name"),
    ("households", "id, household_no, zone_id, estate, building, unit, room"),
    (
        "residents",
        "id, household_id, name, id_number, gender, birth_date, phone, relation, notes, search_keys",
    ),
    ("memberships", "id, resident_id, group_code, since"),
)


def _first_import(
    store: Store,
    community_id: str,
    path: Path,
    check: RosterCheck,
    today: date,
    *,
    skip_invalid: bool,
    backup: bool,
    search_keys_made: dict[str, str] | None,
) -> ImportReport:
    """`import_roster` into a database without households, residents or memberships (_FirstImport): the
    same checks, rows, refusal, rejects file and backup, the rows written while the file is read."""
    problems = check.problems
    rejects_path = None
    # The backup is made first thing in the transaction, through a connection of its own (the database as
    # last committed: nothing written yet, whatever the journal), and kept only if the import goes through.
    with (
        provisional_backup(store, "import", wanted=backup) as make_backup,
        store.page_cache(FIRST_IMPORT_CACHE_KIB),
        store.transaction(),
    ):
        make_backup()
        if _holds_rows(store):
            # Another program wrote rows since the look before: compare with them, as a later import does.
            check.read_all()
            if not skip_invalid:
                problems.refuse()
            if skip_invalid:
                rejects_path = write_rejects(path, check.stream.header, check.rejected, problems)
            report = _apply(store, community_id, path, check, today, write=True)
        else:
            first = _FirstImport(store, community_id, check, today, search_keys_made)
            try:
                check.read_all(FIRST_IMPORT_CHUNK, first.write_next)
                first.write_last()
                # While the writing thread writes the last rows:
                if not skip_invalid:
                    problems.refuse()  # rolled back: nothing written
                if skip_invalid:
                    # A folder that cannot take the rejects stops the import: rolled back.
                    rejects_path = write_rejects(path, check.stream.header, check.rejected, problems)
                counts = first.finish()
            except BaseException:
                # The connection is the writer's until it stops (its statements not begun skipped);
                # then the transaction is rolled back.
                first.writer.close(cancel=True)
                raise
            report = ImportReport(path.name, counts, warnings=problems.warnings)
    report.rejects_path = rejects_path
    report.rejected = len(problems.errors)
    report.rejected_errors = problems.error_lines()
    return report
