"""The week's roll-up as a file for the sub-district's leaders (the office app's Export screen).

No Textual here: the screen calls `export_rollup` in a worker, and tests call it directly. One format is
one writer in `EXPORTERS`; each gets the report of `OfficeDb.report(week)` and the language, and writes
one file. CSV now: ONE table, a row per community × team (the communities that sent nothing last), and
for each 23766 figure its numbers followed by its ✓/✗ column (`FIGURES` says which). An `.xlsx` writer
(one sheet per figure, communities as rows, coloured ✓/✗ cells) slots in as `EXPORTERS["xlsx"]`, built
from the same `FIGURES` and `rollup_rows`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadre_tui.errors import Refused
from cadre_tui.io.csvfile import write_csv
from cadre_tui.io.office_log import SCORECARD_COLUMNS


@dataclass(frozen=True)
class Figure:
    """One figure of 23766: its digit, the scorecard columns that give its numbers, and its ok column."""

    digit: str
    key: str
    values: tuple[str, ...]
    ok: str


FIGURES: tuple[Figure, ...] = (
    Figure("2", "team_size", ("members",), "team_size_ok"),
    Figure("3", "field_days", ("field_days", "required_field_days"), "field_days_ok"),
    Figure("7", "familiarity", ("familiar_households", "households", "familiarity"), "familiarity_ok"),
    Figure("6", "priority", ("priority_overdue", "priority_residents"), "priority_ok"),
    Figure("6", "matters", ("matters_attended", "matters", "matters_late"), "matters_ok"),
)
# Columns before and after the figures' own: (key, Chinese label).
LEAD_COLUMNS = (
    ("community", "社区"),
    ("week", "周"),
    ("status", "报送情况"),
    ("team", "小组"),
    ("zone", "片区"),
)
TAIL_COLUMNS = (("all_ok", "全部达标"),)
STATUS = {
    "sent": ("已报送", "sent"),
    "no_scorecard": ("未报送评分表", "no scorecard"),
    "missing": ("未报送", "nothing sent"),
}
OK_MARKS = {True: "✓", False: "✗", None: ""}


def rollup_keys() -> list[str]:
    """Every column key of the table, in order."""
    keys = [k for k, _ in LEAD_COLUMNS]
    for figure in FIGURES:
        keys += [*figure.values, figure.ok]
    return keys + [k for k, _ in TAIL_COLUMNS]


def rollup_header(lang: str) -> list[str]:
    """The header: Chinese labels (as the office log has them), or the keys in English."""
    if lang == "en":
        return rollup_keys()
    labels = dict(LEAD_COLUMNS) | dict(TAIL_COLUMNS) | SCORECARD_COLUMNS
    return [labels[k] for k in rollup_keys()]


def _cell(key: str, team: dict[str, Any]) -> object:
    value = team.get(key)
    if key == "members":
        return ";".join(value or [])
    if key == "familiarity":
        # "50.0%": Excel and WPS read it as the number 0.5 shown as a percentage
        return "" if value is None else f"{value * 100:.1f}%"
    if key.endswith("_ok"):
        return OK_MARKS[value]
    return "" if value is None else value


def rollup_rows(report: dict[str, Any], lang: str) -> list[list[object]]:
    """One row per community × team; a community without a scorecard, or that sent nothing, one row."""
    keys = rollup_keys()
    figure_keys = keys[len(LEAD_COLUMNS) : -len(TAIL_COLUMNS)]
    zh = lang != "en"
    week = report["week"]
    rows: list[list[object]] = []
    for community in report["communities"]:
        name = community["community"]
        if not community["teams"]:
            status = STATUS["no_scorecard"][0 if zh else 1]
            rows.append([name, week, status, *[""] * (len(keys) - 3)])
        for team in community["teams"]:
            all_ok = all(team.get(f.ok) for f in FIGURES)
            rows.append(
                [
                    name,
                    week,
                    STATUS["sent"][0 if zh else 1],
                    team["team"] or "",
                    team["zone"] or "",
                    *(_cell(k, team) for k in figure_keys),
                    OK_MARKS[all_ok],
                ]
            )
    for name in report["missing"]:
        rows.append([name, week, STATUS["missing"][0 if zh else 1], *[""] * (len(keys) - 3)])
    return rows


def rollup_file_name(week: str, fmt: str) -> str:
    """`23766-2026-W48.csv`."""
    return f"23766-{week}.{fmt}"


def _target(folder: Path, week: str, fmt: str, force: bool) -> Path:
    if folder.exists() and not folder.is_dir():
        raise Refused.of("file.not_folder", path=folder)
    path = folder / rollup_file_name(week, fmt)
    if path.exists() and not force:
        raise Refused.of("file.exists", path=path)
    return path


def write_rollup_csv(report: dict[str, Any], folder: Path, lang: str, force: bool = False) -> Path:
    """The roll-up as one CSV table in `folder` (UTF-8 BOM, formula-safe, 0600); exit 3 over a file."""
    path = _target(folder, report["week"], "csv", force)
    write_csv(path, rollup_header(lang), rollup_rows(report, lang))
    return path


Exporter = Callable[[dict[str, Any], Path, str, bool], Path]
# format -> writer; the Export screen offers them in this order.
EXPORTERS: dict[str, Exporter] = {"csv": write_rollup_csv}


def export_rollup(
    report: dict[str, Any], folder: Path, fmt: str = "csv", lang: str = "zh", force: bool = False
) -> Path:
    """Write the week's roll-up in `fmt` into `folder`; refuse (exit 3) to overwrite unless `force`."""
    return EXPORTERS[fmt](report, folder, lang, force)
