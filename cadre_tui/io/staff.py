"""`import staff`: cadres, their two-person teams and the teams' zones from the staff CSV (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cadre_tui.core.ids import normalise_phone
from cadre_tui.io.csvfile import CsvTable
from cadre_tui.io.importing import (
    MISSING_SHOWN,
    Counts,
    ImportReport,
    Problems,
    changed_fields,
    insert_rows,
    load_rows,
    or_none,
    update_rows,
)
from cadre_tui.io.workbook import problems_of, read_table
from cadre_tui.messages import Message, Text, plural
from cadre_tui.store.db import Store, natural_id

STAFF_COLUMNS: dict[str, str] = {
    "code": "编号",
    "name": "姓名",
    "phone": "电话",
    "team": "小组",
    "zone": "片区",
    "team_name": "小组名称",
    "zone_name": "片区名称",
}
REQUIRED = ("code", "name", "team", "zone")
TEAM_SIZE = 2


@dataclass
class StaffRow:
    """One cadre of the file."""

    line: int
    code: str
    name: str
    phone: str | None
    team: str
    zone: str


@dataclass
class Unit:
    """A team or a zone as the file describes it: where it first appears, its partner code, its name."""

    line: int
    partner: str
    name: str | None = None
    name_line: int = 0
    members: list[str] = field(default_factory=list)


def import_staff(
    store: Store, path: Path, *, dry_run: bool = False, backup: bool = True, sheet: str | None = None
) -> ImportReport:
    """Validate the staff file at `path` and apply it (or, on a dry run, say what it would do).

    InvalidInput (exit 2) with every error of the file, nothing written.
    """
    community = store.require_community()
    table = read_table(path, STAFF_COLUMNS, REQUIRED, sheet=sheet)
    problems = problems_of(table)
    rows, teams, zones = validate_staff(table, problems)
    problems.refuse()
    if dry_run:
        report = _apply(store, community.id, table, rows, teams, zones, problems, write=False)
    else:
        from cadre_tui.store.backup import provisional_backup

        with provisional_backup(store, "import", wanted=backup) as make_backup, store.transaction():
            make_backup()  # first thing in the transaction: the database as last committed
            report = _apply(store, community.id, table, rows, teams, zones, problems, write=True)
    report.dry_run = dry_run
    return report


def validate_staff(
    table: CsvTable, problems: Problems
) -> tuple[list[StaffRow], dict[str, Unit], dict[str, Unit]]:
    """Check every cadre, and that each team has one zone and each zone one team."""
    rows: list[StaffRow] = []
    teams: dict[str, Unit] = {}
    zones: dict[str, Unit] = {}
    code_lines: dict[str, int] = {}
    has_phone = table.has("phone")
    for record in table.records:
        line = record.line
        cell = {key: record.values.get(key, "") for key in STAFF_COLUMNS}
        for key in ("code", "name"):
            if not cell[key]:
                problems.error(line, key, Text("import.required"))
        code, team, zone = cell["code"], cell["team"], cell["zone"]
        if code:
            first = code_lines.setdefault(code, line)
            if first != line:
                problems.error(line, "code", Text("staff.code_twice", code=code, line=first))
        # A cadre outside the two-person teams (the committee's director) leaves both cells blank.
        if team and not zone:
            problems.error(line, "zone", Text("staff.team_needs_zone", team=team))
        if zone and not team:
            problems.error(line, "team", Text("staff.zone_needs_team", zone=zone))
        phone: str | None = None
        if has_phone and cell["phone"]:
            try:
                phone = normalise_phone(cell["phone"])
            except ValueError as exc:
                problems.error(line, "phone", exc)
        if team and zone:
            _pair(teams, team, zone, "zone", cell["team_name"], line, problems, "staff.puts_team")
            _pair(zones, zone, team, "team", cell["zone_name"], line, problems, "staff.gives_zone")
            if code and code not in teams[team].members:
                teams[team].members.append(code)
        rows.append(StaffRow(line, code, cell["name"], phone, team, zone))
    for code, unit in teams.items():
        if len(unit.members) != TEAM_SIZE:
            problems.warn(
                unit.line,
                "team",
                Text(
                    "staff.team_size",
                    team=code,
                    count=len(unit.members),
                    s=plural(len(unit.members)),
                    size=TEAM_SIZE,
                ),
            )
    return rows, teams, zones


def _pair(
    units: dict[str, Unit],
    code: str,
    partner: str,
    partner_column: str,
    name: str,
    line: int,
    problems: Problems,
    says: str,
) -> None:
    """Record that team/zone `code` goes with `partner`; a different partner or name is an error."""
    unit = units.get(code)
    if unit is None:
        unit = units[code] = Unit(line, partner)
    elif unit.partner != partner:
        problems.error(
            line,
            partner_column,
            Text(
                "staff.pair_differs",
                value=partner,
                line=unit.line,
                says=Message(says, a=code, b=unit.partner),
            ),
        )
    if name:
        if unit.name is None:
            unit.name, unit.name_line = name, line
        elif unit.name != name:
            column = "zone_name" if partner_column == "team" else "team_name"
            problems.error(
                line,
                column,
                Text("staff.name_differs", value=name, line=unit.name_line, code=code, name=unit.name),
            )


def _apply(
    store: Store,
    community_id: str,
    table: CsvTable,
    rows: list[StaffRow],
    teams: dict[str, Unit],
    zones: dict[str, Unit],
    problems: Problems,
    *,
    write: bool,
) -> ImportReport:
    """Compare the file with the database and write the differences (when `write`)."""
    counts = {k: Counts() for k in ("zones", "teams", "cadres")}
    old_zones = {r["code"]: r for r in load_rows(store, "zones", ("id", "code", "name", "deleted"))}
    old_teams = {
        r["code"]: r
        for r in load_rows(store, "teams", ("id", "code", "name", "zone_id", "member_ids", "deleted"))
    }
    old_cadres = {
        r["code"]: r for r in load_rows(store, "cadres", ("id", "code", "name", "phone", "active", "deleted"))
    }
    inserts: dict[str, list[dict[str, Any]]] = {"zones": [], "teams": [], "cadres": []}
    updates: dict[str, list[dict[str, Any]]] = {"zones": [], "teams": [], "cadres": []}

    def upsert(kind: str, old: dict[str, Any] | None, new_id: str, wanted: dict[str, Any]) -> str:
        """Insert or update one row; count it; return its id."""
        if old is None:
            inserts[kind].append({"id": new_id, **wanted})
            counts[kind].added += 1
            return new_id
        changes = {key: wanted[key] for key in changed_fields(old, wanted)}
        if changes or old["deleted"]:
            updates[kind].append({"id": old["id"], **changes})
            counts[kind].updated += 1
        else:
            counts[kind].unchanged += 1
        return str(old["id"])

    zone_ids: dict[str, str] = {}
    for code, unit in zones.items():
        old = old_zones.get(code)
        # A blank or missing name keeps the name the zone has; a new zone is named by its code.
        name = unit.name or (old["name"] if old else code)
        new_id = natural_id(community_id, "zone", code)
        zone_ids[code] = upsert("zones", old, new_id, {"code": code, "name": name})

    cadre_ids: dict[str, str] = {}
    has_phone = table.has("phone")
    for row in rows:
        old = old_cadres.get(row.code)
        wanted: dict[str, Any] = {"code": row.code, "name": row.name, "active": 1}
        if has_phone:
            wanted["phone"] = or_none(row.phone)
        elif old is None:
            wanted["phone"] = None
        cadre_ids[row.code] = upsert("cadres", old, natural_id(community_id, "cadre", row.code), wanted)
    listed = set(cadre_ids)
    left_out = sorted(
        (code, r) for code, r in old_cadres.items() if code not in listed and r["active"] and not r["deleted"]
    )
    for _code, r in left_out:
        updates["cadres"].append({"id": r["id"], "active": 0})
        counts["cadres"].ended += 1

    claimed_zones = {zone_ids[unit.partner] for unit in teams.values()}
    for code, unit in teams.items():
        old = old_teams.get(code)
        name = unit.name or (old["name"] if old else code)
        members = ";".join(cadre_ids[c] for c in sorted(unit.members))
        wanted = {"code": code, "name": name, "zone_id": zone_ids[unit.partner], "member_ids": members}
        upsert("teams", old, natural_id(community_id, "team", code), wanted)
    # The file is the authority on who is in which team: a team it leaves out keeps its row, loses its
    # members (they are inactive now, or in another team) and gives up a zone another team now holds.
    for code, old in sorted(old_teams.items()):
        if code in teams or old["deleted"]:
            continue
        changes: dict[str, Any] = {}
        if old["member_ids"]:
            changes["member_ids"] = ""
        if old["zone_id"] and old["zone_id"] in claimed_zones:
            changes["zone_id"] = None
            problems.warn(1, "team", Text("staff.team_gone", team=code))
        if changes:
            updates["teams"].append({"id": old["id"], **changes})

    report = ImportReport(
        table.path.name,
        counts,
        warnings=problems.warnings,
        missing=len(left_out),
        missing_examples=[f"{code} {r['name']}" for code, r in left_out[:MISSING_SHOWN]],
        missing_kind="cadres",
    )
    if not write or not (any(inserts.values()) or any(updates.values())):
        return report
    # One stamp for the whole import (see roster.py).
    sync = store.sync_columns()
    for kind in ("zones", "cadres", "teams"):
        insert_rows(store, kind, [{**row, **sync} for row in inserts[kind]])
        update_rows(store, kind, [{**row, **sync} for row in updates[kind]])
    return report
