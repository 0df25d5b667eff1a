"""The week's roll-up as a file for the sub-district's leaders (the office app's Export screen).

No Textual here: the screen calls `export_rollup` in a worker, and tests call it directly. One format is
one writer in `EXPORTERS`; each gets the report of `OfficeDb.report(week)` and the language, and writes
one file (0600, refused over an existing one unless forced):

- xlsx, for the leaders and for paper: an overview sheet (every community × team with the five ✓/✗, the
  counts, and the communities that sent nothing named on top), then one sheet per 23766 figure (2 成组,
  3 走访, 7 熟悉率, 6 重点, 6 必到) with its numbers as number cells and its ✓/✗ filled green/red. Print
  set-up, the 0600 twin and the formula-proof writing are `io/workbook.py`'s, shared with the walk list.
- csv: ONE table, a row per community × team (the communities that sent nothing last), and for each
  figure its numbers followed by its ✓/✗ column.

Both are built from the same `FIGURES` and the report's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadre_tui.errors import Refused
from cadre_tui.io.csvfile import write_csv
from cadre_tui.io.office_log import SCORECARD_COLUMNS
from cadre_tui.io.workbook import (
    column_widths,
    merged_text,
    paper_font,
    print_setup,
    text_width,
    workbook_for,
)


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


# -- the workbook for the leaders ---------------------------------------------------------------------

# label key -> (zh, en)
TEXT: dict[str, tuple[str, str]] = {
    "title": ("23766 周汇总", "23766 weekly roll-up"),
    "overview": ("总览", "Overview"),
    "counts": (
        "共 {total} 个社区：已报送 {sent} 个，未报送评分表 {no_scorecard} 个，未报送 {missing} 个；"
        "小组全部达标 {ok}/{teams}",
        "{total} communities: {sent} sent, {no_scorecard} without a scorecard, {missing} sent nothing; "
        "teams keeping all {ok}/{teams}",
    ),
    "missing": ("本周未报送：{names}", "Sent nothing this week: {names}"),
    "all_sent": ("以往报送过的社区本周都已报送。", "Every community seen before sent a log."),
    "legend": ("✓ 达标（绿色）  ✗ 未达标（红色）", "✓ kept (green)  ✗ not kept (red)"),
    "page_right": ("{total} 个社区，{missing} 个未报送", "{total} communities, {missing} sent nothing"),
    "community": ("社区", "Community"),
    "status": ("报送情况", "Status"),
    "team": ("小组", "Team"),
    "zone": ("片区", "Zone"),
    "all_ok": ("全部达标", "All kept"),
    "members": ("成员", "Members"),
    "field_days": ("走访天数", "Field days"),
    "required_field_days": ("应走访天数", "Required"),
    "familiar_households": ("熟悉户数", "Familiar households"),
    "households": ("户数", "Households"),
    "familiarity": ("熟悉率", "Familiarity"),
    "priority_overdue": ("逾期未访", "Overdue"),
    "priority_residents": ("重点人员", "Priority residents"),
    "matters_attended": ("已到场", "Attended"),
    "matters": ("必到事项", "Must-attend matters"),
    "matters_late": ("超时", "Late"),
    "ok": ("达标", "Kept"),
    # per figure: its sheet's name, and the rule under the sheet's title
    "sheet.team_size": ("2 成组", "2 Pairs"),
    "sheet.field_days": ("3 走访", "3 Field days"),
    "sheet.familiarity": ("7 熟悉率", "7 Familiarity"),
    "sheet.priority": ("6 重点", "6 Priority"),
    "sheet.matters": ("6 必到", "6 Must-attend"),
    "rule.team_size": (
        "两人成组：每个小组恰好两名在岗干部，各管一个片区",
        "Teams of two: exactly two active cadres per team, one zone each",
    ),
    "rule.field_days": (
        "每周走访至少 3 天（工作日不足 3 天的周按工作日数）",
        "In the field at least 3 days a week (fewer in a week with fewer working days)",
    ),
    "rule.familiarity": (
        "熟悉率：一年内见过面的户数 / 片区户数，达到社区设定的目标（默认 70%）",
        "Familiarity: households met in the last year / the zone's households, at the community's target "
        "(70% unless set)",
    ),
    "rule.priority": (
        "六类重点人群按周期走访：没有逾期未访的重点人员即达标",
        "The six priority groups visited on their cadence: kept when none is overdue",
    ),
    "rule.matters": (
        "六类必到事项：每件都到场且不超时即达标",
        "The six kinds of must-attend matters: kept when every one is attended, none late",
    ),
}
OVERVIEW_LEAD = ("community", "status", "team", "zone")
FIGURE_LEAD = ("community", "team", "zone")
# Column widths (spreadsheet units): the least and the most a column takes.
LEAST = {"community": 12, "status": 10, "team": 6, "zone": 6, "members": 12}
MOST = {"community": 24, "status": 14, "team": 14, "zone": 14, "members": 30}
OVERVIEW_HEADER_ROWS = 4  # title, counts, who sent nothing, column headers: on every printed page
FIGURE_HEADER_ROWS = 4  # title, rule, legend, column headers
LINE_HEIGHT = 14  # points per line of a wrapped line above the table
GOOD = {"bg_color": "#C6EFCE", "font_color": "#006100"}  # Excel's own "good" and "bad" cell colours
BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}


def xtr(key: str, lang: str, **values: Any) -> str:
    """A label of the roll-up workbook in `lang` (Chinese unless "en")."""
    zh, en = TEXT[key]
    return (en if lang == "en" else zh).format(**values)


def write_rollup_xlsx(report: dict[str, Any], folder: Path, lang: str, force: bool = False) -> Path:
    """The roll-up as a print-ready workbook in `folder`: an overview sheet, then one sheet per figure,
    communities (with their teams) as rows, ✓/✗ cells filled green/red; 0600, exit 3 over a file."""
    path = _target(folder, report["week"], "xlsx", force)
    with workbook_for(path) as book:
        formats = _formats(book, lang)
        _write_overview(book, formats, report, lang)
        for figure in FIGURES:
            _write_figure(book, formats, report, figure, lang)
    return path


def _formats(book: Any, lang: str) -> dict[str, Any]:
    font = paper_font(lang)
    cell = {**font, "font_size": 10, "border": 1, "valign": "vcenter"}
    mark = {**cell, "align": "center", "bold": True}
    return {
        "title": book.add_format({**font, "bold": True, "font_size": 14}),
        "line": book.add_format({**font, "font_size": 10, "text_wrap": True, "valign": "top"}),
        "head": book.add_format(
            {**font, "bold": True, "border": 1, "bg_color": "#D9D9D9", "align": "center", "text_wrap": True}
        ),
        "text": book.add_format({**cell, "text_wrap": True}),
        "quiet": book.add_format({**cell, "italic": True, "font_color": "#595959"}),
        "number": book.add_format({**cell, "num_format": "0"}),
        "percent": book.add_format({**cell, "num_format": "0.0%"}),
        "good": book.add_format({**mark, **GOOD}),
        "bad": book.add_format({**mark, **BAD}),
        "blank": book.add_format(cell),
    }


def _counts(report: dict[str, Any]) -> dict[str, int]:
    communities = report["communities"]
    teams = [t for c in communities for t in c["teams"]]
    return {
        "total": len(communities) + len(report["missing"]),
        "sent": sum(1 for c in communities if c["teams"]),
        "no_scorecard": sum(1 for c in communities if not c["teams"]),
        "missing": len(report["missing"]),
        "ok": sum(1 for t in teams if all(t.get(f.ok) for f in FIGURES)),
        "teams": len(teams),
    }


def _mark(sheet: Any, row: int, col: int, ok: bool | None, formats: dict[str, Any]) -> None:
    """✓ on green, ✗ on red: the mark itself stays, so a black-and-white print still reads."""
    if ok is None:
        sheet.write_blank(row, col, None, formats["blank"])
    else:
        sheet.write_string(row, col, OK_MARKS[ok], formats["good" if ok else "bad"])


def _status_rows(report: dict[str, Any], lang: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(community, status, team or None) in the report's order, the communities that sent nothing last."""
    zh = 0 if lang != "en" else 1
    rows: list[tuple[str, str, dict[str, Any] | None]] = []
    for community in report["communities"]:
        if not community["teams"]:
            rows.append((community["community"], STATUS["no_scorecard"][zh], None))
        rows.extend((community["community"], STATUS["sent"][zh], team) for team in community["teams"])
    rows.extend((name, STATUS["missing"][zh], None) for name in report["missing"])
    return rows


def _page(sheet: Any, report: dict[str, Any], repeat: int, center: str, lang: str) -> None:
    counts = _counts(report)
    print_setup(
        sheet,
        repeat_rows=repeat,
        left=report["week"],
        center=center,
        right=xtr("page_right", lang, total=counts["total"], missing=counts["missing"]),
        lang=lang,
    )


def _widths(sheet: Any, keys: list[str], texts: list[list[str]]) -> int:
    """Set the columns' widths from their texts; the table's whole width."""
    least = [LEAST.get(k, 8) for k in keys]
    most = [MOST.get(k, 16) for k in keys]
    widths = column_widths(texts, least, most)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    return sum(widths)


def _line(sheet: Any, row: int, last: int, text: str, cell_format: Any, width: int) -> None:
    """A line of text above the table, across it, wrapped onto as many lines as the table's width takes
    (a long list of silent communities stays on the page instead of running past its edge)."""
    lines = max(1, -(-(text_width(text) + 2) // max(width, 1)))
    if lines > 1:
        sheet.set_row(row, LINE_HEIGHT * lines)
    merged_text(sheet, row, 0, last, text, cell_format)


def _title(sheet: Any, last: int, text: str, formats: dict[str, Any]) -> None:
    merged_text(sheet, 0, 0, last, text, formats["title"])
    sheet.set_row(0, 22)


def _write_overview(book: Any, formats: dict[str, Any], report: dict[str, Any], lang: str) -> None:
    """Every community × team with the five ✓/✗ and all kept; the counts and who sent nothing on top."""
    sheet = book.add_worksheet(xtr("overview", lang))
    keys = [*OVERVIEW_LEAD, *(f"sheet.{f.key}" for f in FIGURES), "all_ok"]
    last = len(keys) - 1
    headers = [xtr(k, lang) for k in keys]
    rows = [
        (team, [name, status, (team or {}).get("team") or "", (team or {}).get("zone") or ""])
        for name, status, team in _status_rows(report, lang)
    ]
    width = _widths(sheet, keys, [headers, *(lead for _, lead in rows)])
    _title(sheet, last, f"{xtr('title', lang)} · {report['week']}", formats)
    _line(sheet, 1, last, xtr("counts", lang, **_counts(report)), formats["line"], width)
    sep = "、" if lang != "en" else ", "
    missing = report["missing"]
    line = xtr("missing", lang, names=sep.join(missing)) if missing else xtr("all_sent", lang)
    _line(sheet, 2, last, line, formats["line"], width)
    for col, text in enumerate(headers):
        sheet.write_string(3, col, text, formats["head"])
    for row, (team, lead) in enumerate(rows, OVERVIEW_HEADER_ROWS):
        for col, text in enumerate(lead):
            sheet.write_string(row, col, text, formats["text" if team else "quiet"])
        for col, figure in enumerate(FIGURES, len(lead)):
            _mark(sheet, row, col, None if team is None else team.get(figure.ok), formats)
        all_ok = None if team is None else all(team.get(f.ok) for f in FIGURES)
        _mark(sheet, row, last, all_ok, formats)
    _page(sheet, report, OVERVIEW_HEADER_ROWS, xtr("title", lang), lang)


def _write_figure(
    book: Any, formats: dict[str, Any], report: dict[str, Any], figure: Figure, lang: str
) -> None:
    """One figure: its numbers and ✓/✗ per community × team; a community without a team says why."""
    name = xtr(f"sheet.{figure.key}", lang)
    sheet = book.add_worksheet(name)
    keys = [*FIGURE_LEAD, *figure.values, "ok"]
    last = len(keys) - 1
    headers = [xtr(k, lang) for k in keys]
    sep = "、" if lang != "en" else ", "
    rows: list[tuple[dict[str, Any] | None, list[str]]] = []
    for community, status, team in _status_rows(report, lang):
        if team is None:
            # the status stands where the team would: every community is on every sheet
            rows.append((None, [community, f"（{status}）" if lang != "en" else f"({status})"]))
            continue
        lead = [community, team.get("team") or "", team.get("zone") or ""]
        if "members" in figure.values:
            lead.append(sep.join(team.get("members") or []))
        rows.append((team, lead))
    # the status of a silent community runs across the columns after the first: not a width of its own
    width = _widths(sheet, keys, [headers, *(lead if team else lead[:1] for team, lead in rows)])
    _title(sheet, last, f"{name} · {report['week']}", formats)
    _line(sheet, 1, last, xtr(f"rule.{figure.key}", lang), formats["line"], width)
    _line(sheet, 2, last, xtr("legend", lang), formats["line"], width)
    for col, text in enumerate(headers):
        sheet.write_string(3, col, text, formats["head"])
    for row, (team, lead) in enumerate(rows, FIGURE_HEADER_ROWS):
        if team is None:
            sheet.write_string(row, 0, lead[0], formats["quiet"])
            merged_text(sheet, row, 1, last, lead[1], formats["quiet"])
            continue
        for col, text in enumerate(lead):
            sheet.write_string(row, col, text, formats["text"])
        for col, key in enumerate(figure.values, len(FIGURE_LEAD)):
            value = team.get(key)
            if key == "members":
                continue  # written with the lead
            if value is None:
                sheet.write_blank(row, col, None, formats["blank"])
            else:
                sheet.write_number(row, col, value, formats["percent" if key == "familiarity" else "number"])
        _mark(sheet, row, last, team.get(figure.ok), formats)
    _page(sheet, report, FIGURE_HEADER_ROWS, f"{xtr('title', lang)} · {name}", lang)


Exporter = Callable[[dict[str, Any], Path, str, bool], Path]
# format -> writer; the Export screen offers them in this order.
EXPORTERS: dict[str, Exporter] = {"xlsx": write_rollup_xlsx, "csv": write_rollup_csv}


def export_rollup(
    report: dict[str, Any], folder: Path, fmt: str = "csv", lang: str = "zh", force: bool = False
) -> Path:
    """Write the week's roll-up in `fmt` into `folder`; refuse (exit 3) to overwrite unless `force`."""
    return EXPORTERS[fmt](report, folder, lang, force)
