"""`office import`: reading the communities' weekly log files into the office database (SPEC §6).

Each file is read and normalised to codes here (labels in either language, 是/否, numbers), naming
FILE:LINE on bad input; `store/office.py` stores what this reads, all files or none.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cadre_tui.core.domain import MATTER_KINDS, MATTER_SCOPES, NEEDS, OUTCOMES, PRIORITY_GROUPS, find_code
from cadre_tui.core.office_columns import LOG_KINDS, SCORECARD_COLUMNS
from cadre_tui.core.weeks import parse_week_code
from cadre_tui.errors import InvalidInput
from cadre_tui.io.csvfile import CsvTable, read_csv
from cadre_tui.messages import Message
from cadre_tui.store.office import SCORECARD_BOOLS, LogImport, ParsedLog

if TYPE_CHECKING:
    from cadre_tui.store.office import OfficeDb

# kind-community-week.csv; the week part is checked by core.weeks.parse_week_code.
_NAME = re.compile(r"^(visits|matters|scorecard)-(.+)-([^-]+-[^-.]+)\.csv$", re.IGNORECASE)
_BOOL_TEXT = {"是": 1, "否": 0, "true": 1, "false": 0, "yes": 1, "no": 0, "1": 1, "0": 0, "": None}
SCORECARD_INTS = (
    "working_days",
    "required_field_days",
    "field_days",
    "households",
    "familiar_households",
    "priority_residents",
    "priority_overdue",
    "matters",
    "matters_attended",
    "matters_late",
)


def import_logs(
    office: OfficeDb, paths: Sequence[Path], progress: Callable[[int, int], None] | None = None
) -> list[LogImport]:
    """Import log files and folders of them, all or nothing (exit 2 naming FILE:LINE on bad input)."""
    files = list(log_files(paths))

    def parsed() -> Iterator[ParsedLog]:
        for done, (path, explicit) in enumerate(files, 1):
            yield from parse_logs(path, str(path), explicit)
            if progress is not None:
                progress(done, len(files))

    return office.store_logs(parsed())


def log_files(paths: Sequence[Path]) -> Iterator[tuple[Path, bool]]:
    """Each CSV file or log workbook to import, and whether it was named explicitly (a folder's other
    files are skipped)."""
    for path in paths:
        if path.is_dir():
            for found in sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in LOG_SUFFIXES
            ):
                yield found, False
        elif path.is_file():
            yield path, True
        else:
            raise InvalidInput.of("office.no_path", path=path)


ID_COLUMN = {"visits": "visit_id", "matters": "matter_id", "scorecard": "field_days"}


def _by_name(path: Path) -> tuple[str, str, str] | None:
    """(kind, community, week) when the file's name says them (`visits-幸福社区-2026-W48.csv`)."""
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        week = parse_week_code(m[3].upper())
    except ValueError:
        return None
    return m[1].lower(), m[2], str(week)


def _read_log_table(path: Path, display: str) -> tuple[str, CsvTable] | None:
    """The file's kind (by its name, else by its columns) and its table read with that kind's columns."""
    by_name = _by_name(path)
    kinds = [by_name[0]] if by_name else list(LOG_KINDS)
    for kind in kinds:
        table = read_csv(path, LOG_KINDS[kind], display_name=display)
        if table.has(ID_COLUMN[kind]):
            return kind, table
    return None


LOG_SUFFIXES = (".csv", ".xlsx")  # a log workbook: `export log --format xlsx`


def parse_logs(path: Path, display: str, explicit: bool = True) -> list[ParsedLog]:
    """The log of a CSV file, or one per sheet of a log workbook (io.office_log reads its sheets)."""
    from cadre_tui.io.office_log import log_workbook_tables

    if path.suffix.lower() == ".xlsx":
        sheets = log_workbook_tables(path, display)
        logs = [
            parse_log(path, where, True, (kind, table), fallback) for kind, table, where, fallback in sheets
        ]
        return [log for log in logs if log is not None]
    parsed = parse_log(path, display, explicit)
    return [parsed] if parsed is not None else []


def parse_log(
    path: Path,
    display: str,
    explicit: bool = True,
    sheet: tuple[str, CsvTable] | None = None,
    fallback: tuple[str, str] | None = None,
) -> ParsedLog | None:
    """Read and normalise one log file (or a workbook's `sheet`, already read); None for a non-log CSV
    found in a folder; exit 2 when bad. `fallback`: the community and week of an empty sheet."""
    found = sheet or _read_log_table(path, display)
    if found is None:
        if not explicit:
            return None
        raise InvalidInput.of("office.not_log", file=display)
    kind, table = found
    columns = LOG_KINDS[kind]
    missing = [k for k in columns if not table.has(k)]
    if missing:
        wanted = ", ".join(f"{k} ({columns[k]})" for k in missing)
        raise InvalidInput.of("bundle.missing_column", file=display, columns=wanted)
    by_name = _by_name(path)
    community = week = None
    rows: list[tuple[Any, ...]] = []
    for record in table.records:
        values = record.values
        if "\x00" in "".join(values.values()):  # PostgreSQL's text cannot hold one: refused on both engines
            column = next(k for k, v in values.items() if "\x00" in v)
            raise InvalidInput.of(
                "import.at", file=display, line=record.line, column=column, problem=Message("office.nul")
            )
        here_community, here_week = values["community"], values["week"]
        if not here_community:
            raise InvalidInput.of(
                "import.at",
                file=display,
                line=record.line,
                column="community",
                problem=Message("values.empty"),
            )
        try:
            parse_week_code(here_week)
        except ValueError:
            raise InvalidInput.of(
                "import.at",
                file=display,
                line=record.line,
                column="week",
                problem=Message("office.bad_week", value=here_week),
            ) from None
        if community is None:
            community, week = here_community, here_week
        elif (here_community, here_week) != (community, week):
            raise InvalidInput.of(
                "office.mixed_log",
                file=display,
                line=record.line,
                here=f"{here_community} {here_week}",
                first=f"{community} {week}",
            )
        rows.append(_normal_row(kind, values, display, record.line))
    if (community is None or week is None) and fallback is not None:
        community, week = fallback
    if community is None or week is None:
        if not by_name:
            raise InvalidInput.of("office.empty_unnamed", file=display)
        community, week = by_name[1], by_name[2]
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    return ParsedLog(str(path), community, week, kind, rows, digest)


def _code(items: Any, text: str) -> str:
    # A community may rename labels in its settings: an unknown label is kept as written.
    return find_code(items, text) or text if text else ""


def _codes(items: Any, text: str) -> str:
    return ";".join(_code(items, part.strip()) for part in text.split(";") if part.strip())


def _int(value: str, display: str, line: int, column: str) -> int | None:
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput.of(
            "import.at",
            file=display,
            line=line,
            column=column,
            problem=Message("settings.not_whole", value=value[:40]),
        ) from None


def _bool(value: str, display: str, line: int, column: str) -> int | None:
    try:
        return _BOOL_TEXT[value.strip().lower()]
    except KeyError:
        raise InvalidInput.of(
            "import.at",
            file=display,
            line=line,
            column=column,
            problem=Message("office.not_bool", value=value[:40]),
        ) from None


def _normal_row(kind: str, values: dict[str, str], display: str, line: int) -> tuple[Any, ...]:
    if kind == "visits":
        v = dict(values)
        v["outcome"] = _code(OUTCOMES, v["outcome"])
        v["needs"] = _codes(NEEDS, v["needs"])
        v["groups"] = _codes(PRIORITY_GROUPS, v["groups"])
        return tuple(v[k] for k in list(LOG_KINDS[kind])[2:])
    if kind == "matters":
        v2: dict[str, Any] = dict(values)
        v2["kind"] = _code(MATTER_KINDS, v2["kind"])
        v2["scope"] = _code(MATTER_SCOPES, v2["scope"])
        v2["late"] = _bool(v2["late"], display, line, "late")
        return tuple(v2[k] for k in list(LOG_KINDS[kind])[2:])
    v3: dict[str, Any] = dict(values)
    for key in SCORECARD_INTS:
        v3[key] = _int(v3[key], display, line, key)
    for key in SCORECARD_BOOLS:
        v3[key] = _bool(v3[key], display, line, key)
    try:
        v3["familiarity"] = float(v3["familiarity"]) if v3["familiarity"] != "" else None
    except ValueError:
        raise InvalidInput.of(
            "import.at",
            file=display,
            line=line,
            column="familiarity",
            problem=Message("office.not_number", value=v3["familiarity"][:40]),
        ) from None
    return tuple(v3[k] for k in list(SCORECARD_COLUMNS)[2:])


# -- for the office app: one file at a time ---------------------------------------------------------


@dataclass(frozen=True)
class LogRefusal:
    """A log file that was not imported, and why (`FILE:LINE: column: problem`)."""

    source: str
    message: str


@dataclass
class ImportSummary:
    """What importing files one by one did: the logs imported, the files refused, other CSV files skipped."""

    imported: list[LogImport]
    refused: list[LogRefusal]
    skipped: int

    def count(self, status: str) -> int:
        """How many logs were added, replaced or unchanged."""
        return sum(1 for r in self.imported if r.status == status)


def import_each(
    office: OfficeDb, paths: Sequence[Path], progress: Callable[[int, int], None] | None = None
) -> ImportSummary:
    """Import every log file on its own: a bad file is refused (all of it) and the others still go in.

    `office import` keeps its all-or-nothing `import_logs`; the app imports what it can and lists the rest.
    A path that does not exist is still bad input for the whole call (nothing is read).
    """
    files = list(log_files(paths))
    summary = ImportSummary([], [], 0)
    for done, (path, explicit) in enumerate(files, 1):
        try:
            # a CSV log, or a log workbook's three sheets (`parse_logs`, as `import_logs` reads them)
            parsed = parse_logs(path, str(path), explicit)
        except InvalidInput as exc:
            summary.refused.append(LogRefusal(str(path), exc.as_text()))
        else:
            if parsed:
                # one transaction per file (a workbook's sheets together): a later bad file leaves the
                # earlier ones imported
                summary.imported.extend(office.store_logs(parsed))
            else:
                summary.skipped += 1
        if progress is not None:
            progress(done, len(files))
    return summary
