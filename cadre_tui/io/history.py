"""Visits and matters history in the bundle's columns (`visits.csv`, `matters.csv`): check and load.

The demo community keeps its history this way (SPEC §11). Loading checks every cell (ids, codes, dates)
and every reference against the database (households, teams, cadres, residents, zones), naming file,
line and column, and writes nothing when anything is wrong: the rows go in inside one transaction that a
problem rolls back. Dates and times can be moved by a whole number of days on the way in, so that a
history kept in `seeds/` ends in the last week whenever it is loaded (the demo moves it by whole weeks).

The files are streamed, never held whole: two years of a large community's visits (~100,000 rows) would
otherwise cost hundreds of megabytes (SPEC §9: any command < 250 MB).
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cadre_tui.core.domain import KIND_CODES, NEED_CODES, OUTCOME_CODES, SCOPE_CODES
from cadre_tui.core.values import (
    STAMP,
    check_code_list,
    follow_up_problem,
    is_uuid,
    optional_text,
    parse_flag,
    parse_stored_date,
    parse_title,
    parse_yuan,
    scope_problem,
    split_list,
)
from cadre_tui.errors import InvalidInput
from cadre_tui.io.csvfile import MAX_CELL
from cadre_tui.io.tables import bundle_columns
from cadre_tui.messages import Text, plural
from cadre_tui.store.db import Store, format_stamp, parse_stamp

# How many error lines a refused file prints before "and N more".
ERRORS_SHOWN = 20
# Rows inserted per executemany: large enough to be fast, small enough to keep memory flat.
CHUNK = 5000
# Page cache while loading, in KiB.
LOAD_CACHE_KIB = 32 * 1024
_BOM = b"\xef\xbb\xbf"


class _Errors:
    """Error lines `FILE:LINE: column: problem`; all of them counted, the first ones kept."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0
        # Called before the first error is added: the errors it finds come first (_TakenIds.resolve).
        self.before_first: Callable[[], object] | None = None

    def add(self, name: str, line: int, column: str, problem: str | Exception) -> None:
        if not self.count and self.before_first is not None:
            self.before_first()
        self.count += 1
        if len(self.lines) < ERRORS_SHOWN:
            self.lines.append(Text("import.at", file=name, line=line, column=column, problem=problem))

    def check(self, name: str, line: int, column: str, rule: Callable[[str], object], value: str) -> None:
        """Apply one of core/values.py's rules to `value`; its ValueError becomes the problem."""
        try:
            rule(value)
        except ValueError as exc:
            self.add(name, line, column, exc)

    def refuse(self, what: str) -> None:
        if not self.count:
            return
        shown = list(self.lines)
        if self.count > len(shown):
            shown.append(Text("history.more", count=self.count - len(shown)))
        raise InvalidInput.of(
            "history.refused", file=what, count=self.count, s=plural(self.count), lines=shown
        )


def _encoding(path: Path, name: str) -> str:
    """UTF-8 (with or without BOM) or GB18030, found by reading the file once without keeping it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
            if not head.strip():
                raise InvalidInput.of("csv.empty", file=name)
            if head.startswith(_BOM):
                return "utf-8-sig"
            if b"\x00" in head:
                raise InvalidInput.of("csv.binary", file=name)
            decoder = codecs.getincrementaldecoder("utf-8")()
            chunk = head
            try:
                while chunk:
                    decoder.decode(chunk)
                    chunk = handle.read(1 << 20)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return "gb18030"
    except OSError as exc:
        raise InvalidInput.of("file.unreadable", file=name, error=exc.strerror) from None
    return "utf-8"


def read_records(
    path: Path, file_name: str, display_name: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Stream a bundle-format file: (line, cells in the format's column order) per record.

    Exit 2 naming file and line for a missing column, broken CSV or an oversized cell.
    """
    name = display_name or path.name
    columns = bundle_columns(file_name)
    encoding = _encoding(path, name)
    try:
        with path.open(encoding=encoding, errors="strict", newline="") as handle:
            reader = csv.reader(handle, strict=False)
            header: list[str] | None = None
            positions: list[int] = []
            width = 0
            line = 1
            for row in reader:
                start, line = line, reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = [cell.strip().lstrip("\ufeff").lower() for cell in row]
                    missing = [c for c in columns if c not in header]
                    if missing:
                        raise InvalidInput.of(
                            "csv.missing_column", file=name, line=start, columns=", ".join(missing)
                        )
                    positions = [header.index(c) for c in columns]
                    width = len(header)
                    continue
                if len(row) > width:
                    row = row[:width]
                elif len(row) < width:
                    row += [""] * (width - len(row))
                longest = max(map(len, row))
                if longest > MAX_CELL:
                    column = header[[len(c) for c in row].index(longest)]
                    raise InvalidInput.of(
                        "csv.cell_too_large", file=name, line=start, column=column, count=longest
                    )
                # One leading ' is the formula guard of SPEC §6 (what formula_unsafe undoes).
                cells = [row[p][1:] if row[p][:1] == "'" else row[p] for p in positions]
                yield start, cells
            if header is None:
                raise InvalidInput.of("csv.no_header", file=name)
    except csv.Error as exc:
        raise InvalidInput.of("bundle.broken_csv", file=name, error=exc) from None
    except UnicodeDecodeError:
        raise InvalidInput.of("history.encoding", file=name) from None


def _day(text: str) -> date:
    try:
        return parse_stored_date(text)
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _moment(text: str) -> datetime:
    if not STAMP.match(text):
        raise ValueError(f"not a UTC time (YYYY-MM-DDTHH:MM:SS.mmmZ): {text!r}")
    return parse_stamp(text)


def latest_day(visits: Path | None, matters: Path | None, tz: ZoneInfo) -> date | None:
    """The last calendar day the history mentions: visit dates, matters' local occurred/attended days.

    Cells that are not dates are skipped here; `load_history` reports them.
    """
    latest: date | None = None
    if visits is not None:
        day_at = bundle_columns("visits.csv").index("visit_date")
        for _line, cells in read_records(visits, "visits.csv"):
            if latest is None or cells[day_at] > latest.isoformat():
                try:
                    latest = parse_stored_date(cells[day_at])
                except ValueError:
                    continue
    if matters is not None:
        columns = bundle_columns("matters.csv")
        at = [columns.index("occurred_at"), columns.index("attended_at")]
        for _line, cells in read_records(matters, "matters.csv"):
            for i in at:
                if STAMP.match(cells[i]):
                    day = parse_stamp(cells[i]).astimezone(tz).date()
                    latest = day if latest is None or day > latest else latest
    return latest


@dataclass
class _References:
    """Ids of the rows history may point to, read once."""

    households: set[str]
    residents: dict[str, str]  # resident id -> household id
    teams: set[str]
    cadres: set[str]
    zones: set[str]
    taken: _TakenIds  # visit and matter ids the database holds or the files gave already

    @classmethod
    def of(cls, store: Store, errors: _Errors) -> _References:
        def ids(table: str) -> set[str]:
            return {row[0] for row in store.db.execute(f"SELECT id FROM {table} WHERE deleted = 0")}

        residents = dict(
            store.db.execute("SELECT id, household_id FROM residents WHERE deleted = 0").fetchall()
        )
        taken = _TakenIds(store, errors)
        return cls(ids("households"), residents, ids("teams"), ids("cadres"), ids("zones"), taken)


# Which of a batch's ids (a JSON list) the database holds as a visit or a matter, tombstones too.
_HELD_OF = (
    "SELECT id FROM visits WHERE id IN (SELECT value FROM json_each(?)) "
    "UNION ALL SELECT id FROM matters WHERE id IN (SELECT value FROM json_each(?))"
)
_HELD = "SELECT 1 FROM visits WHERE id = ? UNION ALL SELECT 1 FROM matters WHERE id = ?"


class _TakenIds:
    """The ids a row may not have: one the database holds (a visit or a matter, tombstones too) or one
    the files gave earlier. Without a set of them all (125,000 ids of a large community's history are
    ~15 MB): while every row so far is good, the good rows go into the database a batch at a time and
    the id index remembers them; a batch's ids are looked up there before it is written, and before the
    first error is added (so that errors keep the file's order). After the first error nothing more is
    written: ids are looked up one at a time and the files' ids kept in memory."""

    def __init__(self, store: Store, errors: _Errors) -> None:
        self.db = store.db
        self.errors = errors
        self.pending: dict[str, tuple[str, int]] = {}  # id -> (file, line), not looked up yet
        self.kept: set[str] = set()  # ids of rows that will not be written
        errors.before_first = lambda: self.resolve(written=False)

    def take(self, row_id: str, name: str, line: int) -> bool:
        """Whether the row may have `row_id`; else an error."""
        if not self.errors.count:
            taken = row_id in self.pending
            if not taken:
                self.pending[row_id] = (name, line)
        else:
            taken = row_id in self.kept or self.db.execute(_HELD, [row_id, row_id]).fetchone() is not None
            if not taken:
                self.kept.add(row_id)
        if taken:
            self.errors.add(name, line, "id", Text("history.id_taken", id=row_id))
        return not taken

    def resolve(self, *, written: bool = True) -> bool:
        """Look the pending ids up in the database: an error for each it holds, in file order. True when
        it holds none: the pending rows may be written (`written`: they will be, else they will not)."""
        pending, self.pending = self.pending, {}
        if not pending:
            return True
        found = json.dumps(list(pending))
        held = {row[0] for row in self.db.execute(_HELD_OF, [found, found])}
        if held or not written:
            self.kept.update(pending)  # rows that will not be written: the database will not know them
        for row_id, (name, line) in pending.items():
            if row_id in held:
                self.errors.add(name, line, "id", Text("history.id_taken", id=row_id))
        return not held


def load_history(
    store: Store,
    visits: Path | None,
    matters: Path | None,
    *,
    shift_days: int = 0,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Check and insert the history, every date moved by `shift_days`; return (visits, matters) loaded.

    Refuses (exit 2, nothing written) a bad cell, a reference to a missing row, a visit after today, an
    attendance after now, an id given twice or already in the database. The rows are stamped as this
    laptop's writes, all with one stamp.
    """
    moment = now or store.clock()
    today = moment.astimezone(store.tz()).date()
    errors = _Errors()
    refs = _References.of(store, errors)
    delta = timedelta(days=shift_days)
    counts = [0, 0]
    # A larger page cache while ~100,000 rows go into four indexes; the default is put back after.
    with store.page_cache(LOAD_CACHE_KIB):
        _load_all(store, visits, matters, refs, errors, counts, (delta, today, moment))
    return counts[0], counts[1]


def _load_all(
    store: Store,
    visits: Path | None,
    matters: Path | None,
    refs: _References,
    errors: _Errors,
    counts: list[int],
    context: tuple[Any, ...],
) -> None:
    delta, today, moment = context
    with store.transaction():
        # One write moment for the whole load: a stamp per row would run the laptop's clock ahead.
        stamp, origin = store.stamp(), store.device_id
        if visits is not None:
            counts[0] = _load(
                store, visits, "visits.csv", _visit_row, refs, errors, (delta, today, stamp, origin)
            )
        if matters is not None:
            counts[1] = _load(
                store, matters, "matters.csv", _matter_row, refs, errors, (delta, moment, stamp, origin)
            )
        errors.refuse("history")  # raising inside the transaction rolls every row back


def _load(
    store: Store,
    path: Path,
    file_name: str,
    check: Any,
    refs: _References,
    errors: _Errors,
    context: tuple[Any, ...],
) -> int:
    name = path.name
    table = file_name.removesuffix(".csv")
    columns = bundle_columns(file_name)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    batch: list[list[Any]] = []
    count = 0
    for line, cells in read_records(path, file_name):
        row = check(cells, name, line, refs, errors, context)
        if row is None or errors.count:
            continue  # after the first error only keep checking: nothing will be written
        batch.append(row)
        count += 1
        if len(batch) >= CHUNK:
            if refs.taken.resolve():
                store.db.conn.executemany(sql, batch)
            batch.clear()
    if batch and not errors.count and refs.taken.resolve():
        store.db.conn.executemany(sql, batch)
    return count


def _take_id(cells: list[str], name: str, line: int, refs: _References, errors: _Errors) -> bool:
    row_id = cells[0]
    if not is_uuid(row_id):
        errors.add(name, line, "id", Text("history.not_uuid", value=repr(row_id)))
        return False
    return refs.taken.take(row_id, name, line)


def _refer(
    errors: _Errors, at: tuple[str, int], column: str, value: str, known: set[str], *, required: bool = False
) -> None:
    """An error when the id in `column` (`household_id` → a household) is not one the database holds."""
    if (value or required) and value not in known:
        errors.add(
            *at, column, Text("history.unknown_ref", kind=column.removesuffix("_id"), value=repr(value))
        )


def _ids(text: str) -> list[str] | None:
    items = split_list(text)
    return items if all(is_uuid(item) for item in items) else None


def _visit_row(
    cells: list[str], name: str, line: int, refs: _References, errors: _Errors, context: tuple[Any, ...]
) -> list[Any] | None:
    """A checked visit in the store's columns, or None after recording its errors."""
    delta, today, stamp, origin = context
    (row_id, household_id, team_id, visit_day, cadre_text, outcome, resident_text, needs_text, notes,
     follow_up_text, yuan, _updated, _origin, deleted) = cells  # fmt: skip
    before = errors.count
    _take_id(cells, name, line, refs, errors)
    _refer(errors, (name, line), "household_id", household_id, refs.households, required=True)
    _refer(errors, (name, line), "team_id", team_id, refs.teams)
    visit_date = follow_up = None
    try:
        visit_date = _day(visit_day) + delta
        if visit_date > today:
            errors.add(name, line, "visit_date", Text("roster.future", date=visit_date))
    except ValueError as exc:
        errors.add(name, line, "visit_date", exc)
    if follow_up_text:
        try:
            follow_up = _day(follow_up_text) + delta
            if visit_date and follow_up_problem(visit_date, follow_up):
                errors.add(name, line, "follow_up_date", Text("history.before_visit"))
        except ValueError as exc:
            errors.add(name, line, "follow_up_date", exc)
    cadre_ids = _ids(cadre_text)
    if not cadre_ids:
        errors.add(name, line, "cadre_ids", Text("history.no_cadre"))
    elif any(c not in refs.cadres for c in cadre_ids):
        errors.add(name, line, "cadre_ids", Text("history.unknown_cadre"))
    resident_ids = _ids(resident_text)
    if resident_ids is None:
        errors.add(name, line, "resident_ids", Text("history.not_ids"))
    elif any(refs.residents.get(r) != household_id for r in resident_ids):
        errors.add(name, line, "resident_ids", Text("history.not_resident"))
    if outcome not in OUTCOME_CODES:
        errors.add(name, line, "outcome", Text("history.unknown_outcome", value=repr(outcome)))
    errors.check(name, line, "needs", lambda v: check_code_list(v, NEED_CODES), needs_text)
    errors.check(name, line, "assistance_yuan", parse_yuan, yuan)
    errors.check(name, line, "deleted", parse_flag, deleted)
    if errors.count > before or visit_date is None:
        return None
    return [
        row_id, household_id, team_id or None, visit_date.isoformat(), cadre_text, outcome,
        resident_text, needs_text, optional_text(notes), follow_up.isoformat() if follow_up else None,
        yuan or None, stamp, origin, int(deleted),
    ]  # fmt: skip


def _matter_row(
    cells: list[str], name: str, line: int, refs: _References, errors: _Errors, context: tuple[Any, ...]
) -> list[Any] | None:
    """A checked matter in the store's columns, or None after recording its errors."""
    delta, now, stamp, origin = context
    (row_id, kind, title, scope, zone_id, household_id, occurred_text, attended_text, attended_by, notes,
     _updated, _origin, deleted) = cells  # fmt: skip
    before = errors.count
    _take_id(cells, name, line, refs, errors)
    if kind not in KIND_CODES:
        errors.add(name, line, "kind", Text("history.unknown_kind", value=repr(kind)))
    try:
        title = parse_title(title)
    except ValueError as exc:
        errors.add(name, line, "title", exc)
    if scope not in SCOPE_CODES:
        errors.add(name, line, "scope", Text("history.unknown_scope", value=repr(scope)))
    elif scope_problem(scope, zone_id, household_id):
        errors.add(name, line, "scope", Text("history.scope"))
    _refer(errors, (name, line), "zone_id", zone_id, refs.zones)
    _refer(errors, (name, line), "household_id", household_id, refs.households)
    occurred = attended = None
    try:
        occurred = _moment(occurred_text) + delta
    except ValueError as exc:
        errors.add(name, line, "occurred_at", exc)
    if attended_text:
        try:
            attended = _moment(attended_text) + delta
            if attended > now:
                errors.add(name, line, "attended_at", Text("history.future"))
            if occurred and attended < occurred:
                errors.add(name, line, "attended_at", Text("history.before_matter"))
        except ValueError as exc:
            errors.add(name, line, "attended_at", exc)
    cadre_ids = _ids(attended_by)
    if cadre_ids is None or any(c not in refs.cadres for c in cadre_ids):
        errors.add(name, line, "attended_by", Text("history.bad_attended_by"))
    elif bool(cadre_ids) != bool(attended_text):
        errors.add(name, line, "attended_by", Text("history.attended_together"))
    errors.check(name, line, "deleted", parse_flag, deleted)
    if errors.count > before or occurred is None:
        return None
    return [
        row_id, kind, title, scope, zone_id or None, household_id or None, format_stamp(occurred),
        format_stamp(attended) if attended else None, attended_by, optional_text(notes), stamp, origin,
        int(deleted),
    ]  # fmt: skip
