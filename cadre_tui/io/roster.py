"""`import roster`: households, residents and priority-group memberships from the roster CSV (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cadre_tui.core.dates import parse_date
from cadre_tui.core.domain import PRIORITY_GROUPS
from cadre_tui.core.ids import normalise_phone, parse_id_number
from cadre_tui.core.names import search_keys
from cadre_tui.io.csvfile import CsvTable
from cadre_tui.io.importing import (
    MISSING_SHOWN,
    Counts,
    ImportReport,
    Problems,
    changed_fields,
    excel_mangled,
    insert_rows,
    load_rows,
    or_none,
    parse_groups,
    update_rows,
    write_rejects,
)
from cadre_tui.io.workbook import problems_of, read_table
from cadre_tui.messages import Message, Text
from cadre_tui.store.db import Store, natural_id
from cadre_tui.store.synced import store_columns

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

# The stored columns the import compares and writes: the synced ones of store/synced.py, and `deleted`.
HOUSEHOLD_COLUMNS = (*store_columns("households.csv"), "deleted")
RESIDENT_COLUMNS = (*store_columns("residents.csv"), "deleted")
MEMBERSHIP_COLUMNS = (*store_columns("memberships.csv"), "deleted")


@dataclass(slots=True)
class RosterRow:
    """One valid-looking roster record: the resident's fields to write (only columns the file has)."""

    line: int
    household_no: str
    zone: str
    name: str
    id_number: str | None
    fields: dict[str, str | None] = field(default_factory=dict)
    groups: list[str] | None = None  # None: the file has no groups column
    since: date | None = None


@dataclass(slots=True)
class HouseholdSeen:
    """A household as the file describes it, across its rows."""

    zone: str
    zone_line: int
    address: dict[str, tuple[str, int]] = field(default_factory=dict)  # field -> (value, line)


def import_roster(
    store: Store,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    today: date | None = None,
    backup: bool = True,
    sheet: str | None = None,
) -> ImportReport:
    """Validate the roster at `path` and apply it (or, on a dry run, say what it would do).

    InvalidInput (exit 2) with every error of the file, nothing written, unless `skip_invalid`.
    A workbook (.xlsx, .xls, .ods) is read from its first sheet, or `sheet`.
    """
    community = store.require_community()
    table = read_table(path, ROSTER_COLUMNS, REQUIRED, sheet=sheet)
    day = today or store.today()
    problems = problems_of(table)
    rows, households = validate_roster(table, problems, day, group_labels(store))
    if not skip_invalid:
        problems.refuse()
    valid = [row for row in rows if not problems.has_error(row.line)]
    rejected = len(problems.errors)
    rejects_path = None
    if dry_run:
        report = _apply(store, community.id, table, valid, households, day, problems, write=False)
    else:
        # Rejects first: a folder that cannot take them stops the import before anything is written.
        if skip_invalid:
            rejects_path = write_rejects(path, table, problems)
        if backup:
            from cadre_tui.store.backup import backup_before

            backup_before(store, "import")
        with store.transaction():
            report = _apply(store, community.id, table, valid, households, day, problems, write=True)
    report.rejects_path = rejects_path
    report.rejected = rejected
    report.rejected_errors = problems.error_lines()
    report.dry_run = dry_run
    return report


def group_labels(store: Store) -> dict[str, str]:
    """The community's own labels of the priority groups (settings `label.<code>`): label -> code."""
    labels = {}
    for group in PRIORITY_GROUPS:
        custom = store.get_setting(f"label.{group.code}")
        if isinstance(custom, str) and custom.strip():
            labels[custom.strip()] = group.code
    return labels


def validate_roster(
    table: CsvTable, problems: Problems, today: date, labels: dict[str, str] | None = None
) -> tuple[list[RosterRow], dict[str, HouseholdSeen]]:
    """Check every record of the file on its own and against the others; errors go to `problems`."""
    rows: list[RosterRow] = []
    households: dict[str, HouseholdSeen] = {}
    id_lines: dict[str, int] = {}
    name_lines: dict[tuple[str, str], int] = {}
    has = {key: table.has(key) for key in ROSTER_COLUMNS}
    for record in table.records:
        line = record.line
        cell = {key: record.values.get(key, "") for key in ROSTER_COLUMNS}
        for key in REQUIRED:
            if not cell[key]:
                problems.error(line, key, Text("import.required"))
        no, zone, name = cell["household_no"], cell["zone"], cell["name"]
        if no and excel_mangled(no):
            problems.error(
                line,
                "household_no",
                Text("import.excel_mangled", value=no),
            )
        row = RosterRow(line, no, zone, name, None)
        id_birth: date | None = None
        id_gender: str | None = None
        if cell["id_number"]:
            try:
                parsed = parse_id_number(cell["id_number"])
            except ValueError as exc:
                problems.error(line, "id_number", exc)
            else:
                if parsed.birth_date > today:
                    problems.error(line, "id_number", Text("roster.id_birth_future", date=parsed.birth_date))
                if parsed.warning:
                    problems.warn(line, "id_number", parsed.warning)
                row.id_number = parsed.value
                id_birth, id_gender = parsed.birth_date, parsed.gender
                first = id_lines.setdefault(parsed.value, line)
                if first != line:
                    problems.error(line, "id_number", Text("roster.same_id", line=first))
        elif no and name:
            first = name_lines.setdefault((no, name), line)
            if first != line:
                problems.error(
                    line,
                    "name",
                    Text("roster.name_twice", name=name, household=no, line=first),
                )
        if has["id_number"]:
            row.fields["id_number"] = row.id_number
        _gender(row, cell["gender"], has["gender"], id_gender, problems)
        _birth_date(row, cell["birth_date"], has["birth_date"], id_birth, today, problems)
        if has["phone"]:
            phone = cell["phone"]
            if phone:
                try:
                    phone = normalise_phone(phone)
                except ValueError as exc:
                    problems.error(line, "phone", exc)
            row.fields["phone"] = or_none(phone)
        for key in ("relation", "notes"):
            if has[key]:
                row.fields[key] = or_none(cell[key])
        if has["groups"]:
            codes, unknown = parse_groups(cell["groups"], labels or {})
            for item in unknown:
                problems.error(
                    line,
                    "groups",
                    Text("import.unknown_group", group=item),
                )
            row.groups = codes
        if cell["groups_since"]:
            try:
                row.since = parse_date(cell["groups_since"])
            except ValueError as exc:
                problems.error(line, "groups_since", exc)
        if no and zone:
            _household(households, row, cell, has, problems)
        rows.append(row)
    return rows, households


def _gender(row: RosterRow, text: str, has_column: bool, id_gender: str | None, problems: Problems) -> None:
    gender: str | None = None
    if text:
        gender = GENDERS.get(text.lower())
        if gender is None:
            problems.error(row.line, "gender", Text("roster.bad_gender", value=text))
            return
        if id_gender and gender != id_gender:
            problems.warn(
                row.line,
                "gender",
                Text("roster.gender_contradicts", value=text, gender=Message(f"roster.gender_{id_gender}")),
            )
    elif id_gender:
        # Blank: the ID number says it.
        gender = id_gender
    if has_column or gender is not None:
        row.fields["gender"] = gender


def _birth_date(
    row: RosterRow,
    text: str,
    has_column: bool,
    id_birth: date | None,
    today: date,
    problems: Problems,
) -> None:
    born: date | None = None
    if text:
        try:
            born = parse_date(text)
        except ValueError as exc:
            problems.error(row.line, "birth_date", exc)
            return
        if born > today:
            problems.error(row.line, "birth_date", Text("roster.future", date=born))
            return
        # The card is what it is, even when the date on it is wrong: keep the cadres' date, say so.
        if id_birth and born != id_birth:
            problems.warn(row.line, "birth_date", Text("roster.birth_differs", date=born, id_date=id_birth))
    elif id_birth:
        born = id_birth
    if has_column or born is not None:
        row.fields["birth_date"] = born.isoformat() if born else None


def _household(
    households: dict[str, HouseholdSeen],
    row: RosterRow,
    cell: dict[str, str],
    has: dict[str, bool],
    problems: Problems,
) -> None:
    """Rows of one household must agree on its zone and address; a blank cell agrees with any value."""
    seen = households.get(row.household_no)
    if seen is None:
        seen = households[row.household_no] = HouseholdSeen(row.zone, row.line)
    elif seen.zone != row.zone:
        problems.error(
            row.line,
            "zone",
            Text(
                "roster.zone_differs",
                value=row.zone,
                line=seen.zone_line,
                household=row.household_no,
                zone=seen.zone,
            ),
        )
    for key in ADDRESS_FIELDS:
        value = cell[key]
        if not has[key] or not value:
            continue
        earlier = seen.address.get(key)
        if earlier is None:
            seen.address[key] = (value, row.line)
        elif earlier[0] != value:
            problems.error(
                row.line,
                key,
                Text(
                    "roster.address_differs",
                    value=value,
                    line=earlier[1],
                    household=row.household_no,
                    earlier=earlier[0],
                ),
            )


def _apply(
    store: Store,
    community_id: str,
    table: CsvTable,
    rows: list[RosterRow],
    households_seen: dict[str, HouseholdSeen],
    today: date,
    problems: Problems,
    *,
    write: bool,
) -> ImportReport:
    """Compare the valid rows with the database and write the differences (when `write`)."""
    counts = {k: Counts() for k in ("households", "residents", "memberships")}
    zones = {r["code"]: r for r in load_rows(store, "zones", ("id", "code", "deleted"))}
    households = {r["household_no"]: r for r in load_rows(store, "households", HOUSEHOLD_COLUMNS)}
    residents = load_rows(store, "residents", RESIDENT_COLUMNS)
    memberships: dict[str, dict[str, dict[str, Any]]] = {}
    for loaded in load_rows(store, "memberships", MEMBERSHIP_COLUMNS):
        kept = memberships.setdefault(loaded["resident_id"], {})
        # Should two rows name the same group, the live one speaks for it.
        if loaded["group_code"] not in kept or kept[loaded["group_code"]]["deleted"]:
            kept[loaded["group_code"]] = loaded

    # Households: only those with at least one valid row are touched.
    listed_households = dict.fromkeys(row.household_no for row in rows)
    new_zones: list[dict[str, Any]] = []
    revived_zones: list[dict[str, Any]] = []
    zone_ids: dict[str, str] = {}
    for no in listed_households:
        code = households_seen[no].zone
        if code in zone_ids:
            continue
        zone = zones.get(code)
        if zone is None:
            zone_ids[code] = natural_id(community_id, "zone", code)
            new_zones.append({"id": zone_ids[code], "code": code, "name": code})
        else:
            zone_ids[code] = zone["id"]
            if zone["deleted"]:
                revived_zones.append({"id": zone["id"]})

    household_ids: dict[str, str] = {}
    new_households: list[dict[str, Any]] = []
    changed_households: list[dict[str, Any]] = []
    address_columns = [key for key in ADDRESS_FIELDS if table.has(key)]
    for no in listed_households:
        seen = households_seen[no]
        wanted: dict[str, Any] = {"zone_id": zone_ids[seen.zone]}
        for key in address_columns:
            found = seen.address.get(key)
            wanted[key] = found[0] if found else None
        old = households.get(no)
        if old is None:
            household_ids[no] = natural_id(community_id, "household", no)
            new_households.append(
                {"id": household_ids[no], "household_no": no, **dict.fromkeys(ADDRESS_FIELDS), **wanted}
            )
            counts["households"].added += 1
            continue
        household_ids[no] = old["id"]
        changes = {key: wanted[key] for key in changed_fields(old, wanted)}
        if changes or old["deleted"]:
            changed_households.append({"id": old["id"], **changes})
            counts["households"].updated += 1
        else:
            counts["households"].unchanged += 1

    # Residents: by id_number first, then by household and name among those not yet claimed.
    by_id_number = {r["id_number"]: r for r in residents if r["id_number"]}
    by_name: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in residents:
        by_name.setdefault((r["household_id"], r["name"]), []).append(r)
    taken_ids = {r["id"] for r in residents}
    claimed: set[str] = set()
    matched: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row.id_number and row.id_number in by_id_number:
            found_resident = by_id_number[row.id_number]
            if found_resident["id"] not in claimed:
                matched[row.line] = found_resident
                claimed.add(found_resident["id"])
    for row in rows:
        if row.line in matched:
            continue
        for candidate in by_name.get((household_ids[row.household_no], row.name), []):
            if candidate["id"] not in claimed:
                matched[row.line] = candidate
                claimed.add(candidate["id"])
                if row.id_number and candidate["id_number"] and candidate["id_number"] != row.id_number:
                    problems.warn(
                        row.line,
                        "id_number",
                        Text("roster.id_replaced", name=row.name, household=row.household_no),
                    )
                break

    new_residents: list[dict[str, Any]] = []
    changed_residents: list[dict[str, Any]] = []
    resident_ids: dict[int, str] = {}
    for row in rows:
        wanted = {"household_id": household_ids[row.household_no], "name": row.name, **row.fields}
        person = matched.get(row.line)
        if person is None:
            key = row.id_number or f"{row.household_no}/{row.name}"
            rid = natural_id(community_id, "resident", key)
            suffix = 1
            # A key already used by someone else (a namesake who moved house): a deterministic next one.
            while rid in taken_ids:
                suffix += 1
                rid = natural_id(community_id, "resident", f"{key}/{suffix}")
            taken_ids.add(rid)
            resident_ids[row.line] = rid
            new_residents.append(
                {
                    "id": rid,
                    "gender": None,
                    "birth_date": None,
                    "id_number": None,
                    "phone": None,
                    "relation": None,
                    "notes": None,
                    **wanted,
                    "status": "present",
                    "search_keys": search_keys(row.name),
                }
            )
            counts["residents"].added += 1
            continue
        resident_ids[row.line] = person["id"]
        changes = {key: wanted[key] for key in changed_fields(person, wanted)}
        if "name" in changes:
            changes["search_keys"] = search_keys(row.name)
        if changes or person["deleted"]:
            changed_residents.append({"id": person["id"], **changes})
            counts["residents"].updated += 1
        else:
            counts["residents"].unchanged += 1

    # Memberships: the file is the authority on the groups of the residents it lists.
    new_memberships: list[dict[str, Any]] = []
    changed_memberships: list[dict[str, Any]] = []
    ended_memberships: list[dict[str, Any]] = []
    for row in rows:
        if row.groups is None:
            continue
        rid = resident_ids[row.line]
        existing = memberships.get(rid, {})
        for group in row.groups:
            m = existing.get(group)
            since = (row.since or today).isoformat()
            if m is None:
                new_memberships.append(
                    {
                        "id": natural_id(community_id, "membership", f"{rid}/{group}"),
                        "resident_id": rid,
                        "group_code": group,
                        "since": since,
                    }
                )
                counts["memberships"].added += 1
            elif m["deleted"]:
                # Listed again after it ended: a new period, from the file's date or today.
                changed_memberships.append({"id": m["id"], "since": since})
                counts["memberships"].added += 1
            elif row.since and m["since"] != since:
                changed_memberships.append({"id": m["id"], "since": since})
                counts["memberships"].updated += 1
            else:
                counts["memberships"].unchanged += 1
        for group, ending in existing.items():
            if group not in row.groups and not ending["deleted"]:
                ended_memberships.append({"id": ending["id"]})
                counts["memberships"].ended += 1

    counts_missing = _missing(residents, claimed, households)
    report = ImportReport(
        table.path.name,
        counts,
        warnings=problems.warnings,
        missing=counts_missing[0],
        missing_examples=counts_missing[1],
    )
    if not write:
        return report
    pending = [
        new_zones,
        revived_zones,
        new_households,
        changed_households,
        new_residents,
        changed_residents,
        new_memberships,
        changed_memberships,
        ended_memberships,
    ]
    if not any(pending):
        return report
    # One stamp for the whole import: it is one write, and 30,000 stamps a millisecond apart would
    # push this laptop's clock half a minute ahead.
    sync = store.sync_columns()
    tomb = {**sync, "deleted": 1}
    insert_rows(store, "zones", [{**z, **sync} for z in new_zones])
    update_rows(store, "zones", [{**z, **sync} for z in revived_zones])
    insert_rows(store, "households", [{**h, "active": 1, **sync} for h in new_households])
    update_rows(store, "households", [{**h, **sync} for h in changed_households])
    insert_rows(store, "residents", [{**r, **sync} for r in new_residents])
    update_rows(store, "residents", [{**r, **sync} for r in changed_residents])
    insert_rows(store, "memberships", [{**m, **sync} for m in new_memberships])
    update_rows(store, "memberships", [{**m, **sync} for m in changed_memberships])
    update_rows(store, "memberships", [{**m, **tomb} for m in ended_memberships])
    return report


def _missing(
    residents: list[dict[str, Any]], claimed: set[str], households: dict[str, dict[str, Any]]
) -> tuple[int, list[str]]:
    """Residents living here (present, not deleted) that the file does not list: count and examples."""
    numbers = {h["id"]: no for no, h in households.items()}
    absent = sorted(
        (numbers.get(r["household_id"], ""), r["name"])
        for r in residents
        if r["id"] not in claimed and not r["deleted"] and r["status"] == "present"
    )
    return len(absent), [f"{no} {name}" for no, name in absent[:MISSING_SHOWN]]
