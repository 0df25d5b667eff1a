"""The week's office log (SPEC §6): visits, matters and scorecard as three CSV files, no personal data.

The office works by household_no: no resident names, ID numbers or phones are written; in notes and
titles the names of known residents become 某某 and runs of 11 or more digits become `***`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cadre_tui.core.domain import (
    MATTER_KINDS,
    MATTER_SCOPES,
    NEEDS,
    OUTCOMES,
    PRIORITY_GROUPS,
    label,
)
from cadre_tui.core.office_columns import LOG_KINDS, SCORECARD_COLUMNS
from cadre_tui.core.values import split_list
from cadre_tui.errors import Refused
from cadre_tui.io.csvfile import write_csv
from cadre_tui.paths import make_private_dir
from cadre_tui.store.db import Store, parse_stamp

if TYPE_CHECKING:
    from cadre_tui.core.weeks import IsoWeek

Progress = Callable[[int, int], None]

# Booleans as the office reads them.
YES_NO = {"zh": ("是", "否"), "en": ("true", "false")}

_UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# 11 or more digits, a single space or dash allowed between two of them (phones and ID numbers as
# people write them), and an ID number's final X.
_LONG_DIGITS = re.compile(r"\d(?:[ \-\u2010\uff0d]?\d){10,}(?:[ \-]?[Xx])?")
NAME_MASK = "某某"


def safe_file_part(text: str) -> str:
    """`text` with every character a file system rejects (Windows' set, the strictest) as `_`."""
    cleaned = _UNSAFE_FILE_CHARS.sub("_", text).strip().rstrip(".")
    return cleaned or "_"


def log_file_names(community: str, week: IsoWeek | str) -> dict[str, str]:
    """The three file names of a community's log for a week, by kind."""
    part = safe_file_part(community)
    return {kind: f"{kind}-{part}-{week}.csv" for kind in LOG_KINDS}


class Redactor:
    """Replaces known residents' names with 某某 and long digit runs with `***`.

    Digits written with spaces or dashes between them (`139 1234 5678`) are one run. Cadres' names are
    left whole, so a resident named 周磊 does not turn the cadre 周磊军 into 某某军.
    """

    def __init__(self, names: Iterable[str], keep: Iterable[str] = ()) -> None:
        # One-character names would blank out ordinary words; a Chinese name has two or more.
        self.names = {n.strip() for n in names if n and len(n.strip()) >= 2}
        self.keep = {n.strip() for n in keep if n and len(n.strip()) >= 2} - self.names
        self.lengths = sorted({len(n) for n in self.names | self.keep}, reverse=True)

    def __call__(self, text: str | None) -> str:
        """The redacted text (longest name first, so 欧阳娜娜 is not left as 欧阳某某)."""
        if not text:
            return ""
        text = _LONG_DIGITS.sub("***", text)
        if not self.names:
            return text
        out: list[str] = []
        i = 0
        while i < len(text):
            for length in self.lengths:
                found = text[i : i + length]
                if found in self.names or found in self.keep:
                    out.append(NAME_MASK if found in self.names else found)
                    i += length
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)


def redactor_for(store: Store) -> Redactor:
    """A redactor knowing every resident name in the database (tombstoned ones too)."""
    return Redactor(
        (r[0] for r in store.db.execute("SELECT DISTINCT name FROM residents")),
        keep=(r[0] for r in store.db.execute("SELECT DISTINCT name FROM cadres")),
    )


def export_office_log(
    store: Store,
    week: IsoWeek,
    out_dir: Path,
    *,
    headers: str = "zh",
    force: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    file_format: str = "csv",
) -> list[Path]:
    """Write the three log files of `week` into `out_dir`; exit 3 if one exists and not `force`.

    `file_format="xlsx"`: one workbook with the three logs as three sheets instead (`log_workbook_name`).
    """
    community = store.require_community()
    if out_dir.exists() and not out_dir.is_dir():
        raise Refused.of("file.not_folder", path=out_dir)
    if file_format == "xlsx":
        return [export_office_workbook(store, week, out_dir, headers=headers, force=force, today=today)]
    names = log_file_names(community.name, week)
    targets = {kind: out_dir / name for kind, name in names.items()}
    if not force:
        for path in targets.values():
            if path.exists():
                raise Refused.of("office_log.exists", path=path)
    make_private_dir(out_dir)
    lang = "en" if headers == "en" else "zh"
    redact = redactor_for(store)
    tables = {
        "visits": visit_rows(store, week, lang, redact),
        "matters": matter_rows(store, week, lang, redact),
        "scorecard": scorecard_rows(store, week, lang, today),
    }
    written: list[Path] = []
    for done, (kind, rows) in enumerate(tables.items(), 1):
        columns = LOG_KINDS[kind]
        header = list(columns) if lang == "en" else list(columns.values())
        write_csv(targets[kind], header, rows)
        written.append(targets[kind])
        if progress is not None:
            progress(done, len(tables))
    return written


def _value(items: Any, code: str, lang: str) -> str:
    """The Chinese label (zh), or the code itself (en): `--headers en` gives keys and codes (SPEC §6)."""
    return label(items, code, "zh") if lang == "zh" else code


def _labels(items: Any, codes: Sequence[str], lang: str) -> str:
    return ";".join(_value(items, c, lang) for c in codes if c)


def _address(estate: str | None, building: str | None, unit: str | None, room: str | None) -> str:
    return " ".join(part for part in (estate, building, unit, room) if part)


def _cadre_codes(store: Store) -> dict[str, str]:
    return {r[0]: r[1] for r in store.db.execute("SELECT id, code FROM cadres")}


def _group_labels(store: Store, lang: str) -> dict[str, str]:
    """Group labels as the community set them (zh), or the codes (en)."""
    if lang == "en":
        return {g.code: g.code for g in PRIORITY_GROUPS}
    from cadre_tui.store.settings import load_rules

    labels = dict(load_rules(store).labels)
    return {g.code: labels.get(g.code, g.zh) for g in PRIORITY_GROUPS}


def visit_rows(store: Store, week: IsoWeek, lang: str, redact: Redactor) -> list[list[Any]]:
    """The visits of the week (not deleted), one row each, in date and household order."""
    community = store.require_community()
    rows = store.db.execute(
        "SELECT v.id, v.visit_date, z.code, t.code, v.cadre_ids, h.household_no, h.estate, h.building, "
        "h.unit, h.room, v.outcome, v.needs, v.notes, v.follow_up_date, v.assistance_yuan, v.household_id "
        "FROM visits v JOIN households h ON h.id = v.household_id LEFT JOIN zones z ON z.id = h.zone_id "
        "LEFT JOIN teams t ON t.id = v.team_id "
        "WHERE v.deleted = 0 AND v.visit_date BETWEEN ? AND ? ORDER BY v.visit_date, h.household_no, v.id",
        [week.monday.isoformat(), week.sunday.isoformat()],
    ).fetchall()
    codes = _cadre_codes(store)
    group_label = _group_labels(store, lang)
    memberships: dict[str, list[tuple[str, str]]] = {}
    household_ids = sorted({r[15] for r in rows})
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for household_id, group, since in store.db.execute(
            "SELECT r.household_id, m.group_code, m.since FROM memberships m "
            "JOIN residents r ON r.id = m.resident_id "
            f"WHERE m.deleted = 0 AND r.deleted = 0 AND r.status = 'present' AND r.household_id IN ({marks})",
            chunk,
        ):
            memberships.setdefault(household_id, []).append((group, since))
    order = {g.code: i for i, g in enumerate(PRIORITY_GROUPS)}
    out: list[list[Any]] = []
    for r in rows:
        groups = sorted(
            {g for g, since in memberships.get(r[15], []) if since <= r[1]},
            key=lambda g: (order.get(g, len(order)), g),
        )
        out.append(
            [
                community.name,
                str(week),
                r[0],
                r[1],
                r[2] or "",
                r[3] or "",
                ";".join(codes.get(c, c) for c in split_list(r[4])),
                r[5],
                _address(r[6], r[7], r[8], r[9]),
                ";".join(group_label.get(g, g) for g in groups),
                _value(OUTCOMES, r[10], lang),
                _labels(NEEDS, split_list(r[11]), lang),
                redact(r[12]),
                r[13] or "",
                r[14] or "",
            ]
        )
    return out


def _local_minutes(text: str | None, tz: Any) -> str:
    if not text:
        return ""
    return parse_stamp(text).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def matter_rows(store: Store, week: IsoWeek, lang: str, redact: Redactor) -> list[list[Any]]:
    """The matters whose local occurrence date is in the week (not deleted), in time order."""
    community = store.require_community()
    tz = store.tz()
    start = datetime.combine(week.monday, time(), tz).astimezone(UTC)
    end = datetime.combine(week.sunday + timedelta(days=1), time(), tz).astimezone(UTC)
    from cadre_tui.store.settings import load_rules

    targets = load_rules(store).targets
    codes = _cadre_codes(store)
    yes, no = YES_NO[lang]
    candidates = store.db.execute(
        "SELECT m.id, m.kind, m.title, m.scope, COALESCE(z.code, hz.code), h.household_no, m.occurred_at, "
        "m.attended_at, m.attended_by, m.notes FROM matters m "
        "LEFT JOIN zones z ON z.id = m.zone_id LEFT JOIN households h ON h.id = m.household_id "
        "LEFT JOIN zones hz ON hz.id = h.zone_id WHERE m.deleted = 0",
    ).fetchall()
    chosen = []
    for r in candidates:
        occurred = parse_stamp(r[6])
        if start <= occurred < end:
            chosen.append((occurred, r))
    chosen.sort(key=lambda pair: (pair[0], pair[1][0]))
    out: list[list[Any]] = []
    for occurred, r in chosen:
        late = ""
        if r[7]:
            target = targets.get(r[1], timedelta(hours=24))
            late = yes if parse_stamp(r[7]) - occurred > target else no
        out.append(
            [
                community.name,
                str(week),
                r[0],
                _value(MATTER_KINDS, r[1], lang),
                redact(r[2]),
                _value(MATTER_SCOPES, r[3], lang),
                r[4] or "",
                r[5] or "",
                _local_minutes(r[6], tz),
                _local_minutes(r[7], tz),
                ";".join(codes.get(c, c) for c in split_list(r[8])),
                late,
                redact(r[9]),
            ]
        )
    return out


def scorecard_rows(store: Store, week: IsoWeek, lang: str, today: date | None = None) -> list[list[Any]]:
    """One row per team from the week's scorecard (SPEC §5)."""
    from cadre_tui.store.facts import weekly_scorecard

    card = weekly_scorecard(store, week, today=today)
    yes, no = YES_NO[lang]
    out: list[list[Any]] = []
    for team in card["teams"]:
        row: list[Any] = [card["community"], card["week"]]
        for key in list(SCORECARD_COLUMNS)[2:]:
            value = team.get(key)
            if isinstance(value, bool):
                row.append(yes if value else no)
            elif isinstance(value, list):
                row.append(";".join(str(v) for v in value))
            elif isinstance(value, float):
                row.append(f"{value:.3f}")
            else:
                row.append("" if value is None else value)
        out.append(row)
    return out


# -- the same three logs as one workbook (`export log --format xlsx`) -----------------------------------

SHEET_NAMES = {
    "zh": {"visits": "走访记录", "matters": "必到事项", "scorecard": "评分表"},
    "en": {"visits": "visits", "matters": "matters", "scorecard": "scorecard"},
}
# Columns written as numbers; everything else is text (household numbers, dates, ids, 是/否).
NUMBER_COLUMNS = {
    "visits": frozenset({"assistance_yuan"}),
    "matters": frozenset(),
    "scorecard": frozenset(
        {
            "working_days",
            "required_field_days",
            "field_days",
            "households",
            "familiar_households",
            "familiarity",
            "priority_residents",
            "priority_overdue",
            "matters",
            "matters_attended",
            "matters_late",
        }
    ),
}
_WORKBOOK_NAME = re.compile(r"^log-(.+)-(\d{4}-W\d{2})\.xlsx$", re.IGNORECASE)
ID_COLUMNS = {"visits": "visit_id", "matters": "matter_id", "scorecard": "field_days"}


def log_workbook_name(community: str, week: IsoWeek | str) -> str:
    """`log-<community>-<week>.xlsx`."""
    return f"log-{safe_file_part(community)}-{week}.xlsx"


def export_office_workbook(
    store: Store,
    week: IsoWeek,
    out_dir: Path,
    *,
    headers: str = "zh",
    force: bool = False,
    today: date | None = None,
) -> Path:
    """The week's three logs as three sheets of one workbook: the CSV files' columns and rules, numbers
    as number cells, text as text cells. Exit 3 over an existing workbook unless `force`."""
    from cadre_tui.io.workbook import check_target, column_widths, workbook_for

    community = store.require_community()
    target = out_dir / log_workbook_name(community.name, week)
    check_target(target, force)
    lang = "en" if headers == "en" else "zh"
    redact = redactor_for(store)
    tables = {
        "visits": visit_rows(store, week, lang, redact),
        "matters": matter_rows(store, week, lang, redact),
        "scorecard": scorecard_rows(store, week, lang, today),
    }
    make_private_dir(out_dir)
    with workbook_for(target) as book:
        head = book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
        for kind, rows in tables.items():
            columns = LOG_KINDS[kind]
            header = list(columns) if lang == "en" else list(columns.values())
            sheet = book.add_worksheet(SHEET_NAMES[lang][kind])
            for col, text in enumerate(header):
                sheet.write_string(0, col, text, head)
            numeric = [key in NUMBER_COLUMNS[kind] for key in columns]
            for r, row in enumerate(rows, 1):
                for col, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    if numeric[col]:
                        sheet.write_number(r, col, float(value))
                    else:
                        sheet.write_string(r, col, str(value))
            least = [6] * len(header)
            most = [40] * len(header)
            widths = column_widths([header, *([str(v) for v in row] for row in rows[:200])], least, most)
            for col, width in enumerate(widths):
                sheet.set_column(col, col, width)
            sheet.freeze_panes(1, 0)
    return target


def log_workbook_tables(path: Path, display: str) -> list[tuple[str, Any, str, tuple[str, str] | None]]:
    """Each log sheet of a workbook: (kind, table, where, (community, week) to use when it is empty).

    A sheet's kind comes from its name (either language) or else its columns; a sheet that is no log
    is an error (the workbook was named explicitly). The community and week of an empty sheet are those
    of the workbook's other sheets, else of its name (`log-<community>-<week>.xlsx`).
    """
    from cadre_tui.errors import InvalidInput
    from cadre_tui.io.workbook import read_workbook, sheet_names

    by_name = {name: kind for names in SHEET_NAMES.values() for kind, name in names.items()}
    found: list[tuple[str, Any, str]] = []
    for sheet in sheet_names(path, display):
        kinds = [by_name[sheet]] if sheet in by_name else list(LOG_KINDS)
        for kind in kinds:
            table = read_workbook(path, LOG_KINDS[kind], sheet=sheet, display_name=display)
            if table.has(ID_COLUMNS[kind]):
                found.append((kind, table, table.name))
                break
        else:
            raise InvalidInput.of("office_log.bad_sheet", file=display, sheet=sheet)
    if not found:
        raise InvalidInput.of("office_log.no_sheets", file=display)
    fallback: tuple[str, str] | None = None
    for _kind, table, _where in found:
        if table.records:
            first = table.records[0].values
            fallback = (first.get("community", ""), first.get("week", ""))
            break
    if fallback is None:
        named = _WORKBOOK_NAME.match(path.name)
        fallback = (named[1], named[2].upper()) if named else None
    return [(kind, table, where, fallback) for kind, table, where in found]
