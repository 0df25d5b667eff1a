"""The visit register (走访台账): every visit of a period, a sheet per month, for the community's binder.

It carries names (cadres, residents met): it stays on the laptop and in the community's own binder, and
is not for the office (the office log is). Assistance is a number with a total row per month; the
period's must-attend matters are on their own sheet with their times, late and unattended ones marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from cadre_tui.core.domain import MATTER_KINDS, MATTER_SCOPES, NEEDS, OUTCOMES, label
from cadre_tui.core.scorecard import matter_belongs
from cadre_tui.core.values import split_list
from cadre_tui.errors import InvalidInput
from cadre_tui.io.workbook import (
    check_target,
    column_widths,
    merged_text,
    paper_font,
    print_setup,
    workbook_for,
)
from cadre_tui.store.db import Store

# label key -> (zh, en)
TEXT: dict[str, tuple[str, str]] = {
    "title": ("走访台账", "Visit register"),
    "period": ("{first} 至 {last}", "{first} to {last}"),
    "month_title": ("{community} 走访台账 · {month}", "{community} visit register · {month}"),
    "team_part": ("小组：{team}", "team: {team}"),
    "count": ("走访 {n} 次", "{n} visits"),
    "total": ("合计", "Total"),
    "matters": ("必到事项", "Matters"),
    "matters_title": ("{community} 必到事项 · {period}", "{community} must-attend matters · {period}"),
    "no_visits": ("本期没有走访记录", "no visits in the period"),
    "no_matters": ("本期没有必到事项", "no must-attend matters in the period"),
    "late": ("超时", "late"),
    "on_time": ("按时", "on time"),
    "not_attended": ("未到场", "not attended"),
    "legend": ("到场时限：", "Response targets: "),
    "hours_unit": ("{n} 小时", "{n} h"),
}
VISIT_HEADERS: dict[str, tuple[str, str]] = {
    "date": ("走访日期", "Date"),
    "team": ("小组", "Team"),
    "cadres": ("走访干部", "Cadres"),
    "household_no": ("户编号", "Household"),
    "address": ("地址", "Address"),
    "met": ("见到的居民", "Residents met"),
    "outcome": ("结果", "Outcome"),
    "needs": ("诉求", "Needs"),
    "notes": ("走访记录", "Notes"),
    "follow_up": ("跟进日期", "Follow-up"),
    "assistance": ("帮扶金额（元）", "Assistance (yuan)"),
}
MATTER_HEADERS: dict[str, tuple[str, str]] = {
    "occurred": ("发生时间", "Occurred"),
    "kind": ("类型", "Kind"),
    "title": ("事项", "Matter"),
    "where": ("范围", "Where"),
    "attended": ("到场时间", "Attended"),
    "by": ("到场干部", "Attended by"),
    "hours": ("用时（小时）", "Hours"),
    "late": ("是否超时", "Late"),
    "notes": ("备注", "Notes"),
}
VISIT_LEAST = (11, 6, 12, 9, 16, 10, 8, 8, 24, 11, 10)
VISIT_MOST = (11, 8, 18, 14, 28, 18, 16, 18, 48, 11, 12)
MATTER_LEAST = (16, 8, 16, 10, 16, 12, 8, 8, 16)
MATTER_MOST = (16, 10, 36, 22, 16, 20, 10, 10, 40)
HEADER_ROWS = 2  # title and column headers, repeated on every printed page


@dataclass(frozen=True)
class RegisterResult:
    """What `export_register` wrote."""

    path: Path
    visits: int
    assistance: str  # yuan, as text (Decimal)
    matters: int
    months: int


def tr(key: str, lang: str, **values: Any) -> str:
    """A label of the register in `lang`."""
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


def _head(headers: dict[str, tuple[str, str]], lang: str) -> list[str]:
    return [zh if lang == "zh" else en for zh, en in headers.values()]


def _labels(items: Any, codes: str | None, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(label(items, c, lang) for c in split_list(codes))


def register_visits(
    store: Store, first: date, last: date, team: str | None = None, lang: str = "zh"
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Each month (`YYYY-MM`) of `first`..`last` with its visits (not deleted), one dict each, in date order.

    A month at a time: two years of a large community (~120,000 visits) as dicts would be ~150 MB.
    """
    cadres = dict(store.db.execute("SELECT id, name FROM cadres").fetchall())
    sep = "、" if lang == "zh" else ", "
    for month, low, high in _month_spans(first, last):
        params: list[Any] = [low.isoformat(), high.isoformat()]
        where = ""
        if team is not None:
            where = " AND t.code = ?"
            params.append(team)
        rows = store.db.execute(
            "SELECT v.visit_date, t.code, v.cadre_ids, h.household_no, h.estate, h.building, h.unit, "
            "h.room, v.resident_ids, v.outcome, v.needs, v.notes, v.follow_up_date, v.assistance_yuan "
            "FROM visits v JOIN households h ON h.id = v.household_id LEFT JOIN teams t ON t.id = v.team_id "
            f"WHERE v.deleted = 0 AND v.visit_date BETWEEN ? AND ?{where} "
            "ORDER BY v.visit_date, t.code, h.household_no, v.updated_at, v.id",
            params,
        ).fetchall()
        residents = _resident_names(store, {rid for r in rows for rid in split_list(r[8])})
        yield (
            month,
            [
                {
                    "date": r[0],
                    "team": r[1] or "",
                    "cadres": sep.join(cadres.get(c, "?") for c in split_list(r[2])),
                    "household_no": r[3],
                    "address": "".join(part or "" for part in r[4:8]),
                    "met": sep.join(residents.get(x, "?") for x in split_list(r[8])),
                    "outcome": label(OUTCOMES, r[9], lang),
                    "needs": _labels(NEEDS, r[10], lang),
                    "notes": r[11] or "",
                    "follow_up": r[12] or "",
                    "assistance": Decimal(r[13]) if r[13] else None,
                }
                for r in rows
            ],
        )


def _resident_names(store: Store, ids: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        names.update(store.db.execute(f"SELECT id, name FROM residents WHERE id IN ({marks})", chunk))
    return names


def register_matters(
    store: Store, first: date, last: date, team: str | None = None, lang: str = "zh"
) -> list[dict[str, Any]]:
    """The must-attend matters that occurred (local date) from `first` to `last`, in time order."""
    from cadre_tui.store.facts import load_matters, load_teams
    from cadre_tui.store.settings import load_rules

    tz = store.tz()
    targets = load_rules(store).targets
    facts = load_matters(store, first, last, tz)
    if team is not None:
        team_facts = next(t for t in load_teams(store) if t.code == team)
        facts = [m for m in facts if matter_belongs(m, team_facts)]
    if not facts:
        return []
    cadres = dict(store.db.execute("SELECT id, name FROM cadres").fetchall())
    codes = dict(store.db.execute("SELECT id, code FROM cadres").fetchall())
    extra = {
        mid: (zone, household, notes)
        for mid, zone, household, notes in store.db.execute(
            "SELECT m.id, COALESCE(z.code, hz.code), h.household_no, m.notes FROM matters m "
            "LEFT JOIN zones z ON z.id = m.zone_id LEFT JOIN households h ON h.id = m.household_id "
            "LEFT JOIN zones hz ON hz.id = h.zone_id WHERE m.deleted = 0"
        )
    }
    sep = "、" if lang == "zh" else ", "
    out = []
    for m in sorted(facts, key=lambda m: (m.occurred_at, m.id)):
        zone, household, notes = extra.get(m.id, (None, None, None))
        scope = label(MATTER_SCOPES, m.scope, lang)
        where = scope if m.scope == "community" else f"{scope} {household or zone or ''}".strip()
        hours: float | None = None
        if m.attended_at is None:
            state = tr("not_attended", lang)
        else:
            took = m.attended_at - m.occurred_at
            hours = round(took / timedelta(hours=1), 1)
            target = targets.get(m.kind)
            state = tr("late", lang) if target is not None and took > target else tr("on_time", lang)
        out.append(
            {
                "occurred": m.occurred_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                "kind": label(MATTER_KINDS, m.kind, lang),
                "title": m.title or "",
                "where": where,
                "attended": m.attended_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if m.attended_at else "",
                "by": sep.join(
                    cadres.get(c, "?") for c in sorted(m.attended_by, key=lambda c: codes.get(c, c))
                ),
                "hours": hours,
                "late": state,
                "notes": notes or "",
            }
        )
    return out


def export_register(
    store: Store,
    first: date,
    last: date,
    out: Path,
    *,
    team: str | None = None,
    lang: str = "zh",
    force: bool = False,
) -> RegisterResult:
    """Write the register workbook (exit 3 over an existing file unless `force`)."""
    from cadre_tui.store import records

    community = store.require_community()
    if last < first:
        raise InvalidInput.of("register.backwards", last=last.isoformat(), first=first.isoformat())
    if team is not None and records.team_by_code(store, team) is None:
        raise InvalidInput.of("walklist.no_team", team=team)
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput.of("workbook.need_xlsx", file=out.name)
    check_target(out, force)
    months = register_visits(store, first, last, team, lang)
    matters = register_matters(store, first, last, team, lang)
    from cadre_tui.store.settings import load_rules

    targets = dict(load_rules(store).targets)
    period = tr("period", lang, first=first.isoformat(), last=last.isoformat())
    with workbook_for(out) as book:
        sheets, visits, total = _write_visits(book, months, community.name, team, period, lang)
        _write_matters(book, matters, community.name, period, lang, targets)
    return RegisterResult(out, visits, _yuan(total), len(matters), sheets)


def _yuan(amount: Decimal) -> str:
    text = f"{amount:.2f}"
    return text[:-3] if text.endswith(".00") else text


def _month_spans(first: date, last: date) -> Iterator[tuple[str, date, date]]:
    """Each month touching `first`..`last`: its `YYYY-MM` and its days within the period."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        yield (
            f"{year:04d}-{month:02d}",
            max(first, date(year, month, 1)),
            min(last, following - timedelta(days=1)),
        )
        year, month = following.year, following.month


def _formats(book: Any, lang: str) -> dict[str, Any]:
    font = paper_font(lang)
    base = {**font, "font_size": 10, "border": 1, "valign": "top"}
    return {
        "title": book.add_format({**font, "bold": True, "font_size": 13}),
        "head": book.add_format(
            {**font, "bold": True, "border": 1, "bg_color": "#D9D9D9", "align": "center", "text_wrap": True}
        ),
        "text": book.add_format({**base, "text_wrap": True}),
        "yuan": book.add_format({**base, "num_format": "#,##0.00"}),
        "hours": book.add_format({**base, "num_format": "0.0"}),
        "total": book.add_format({**font, "bold": True, "border": 1, "bg_color": "#F2F2F2"}),
        "total_yuan": book.add_format(
            {**font, "bold": True, "border": 1, "bg_color": "#F2F2F2", "num_format": "#,##0.00"}
        ),
        "late": book.add_format({**base, "bold": True, "font_color": "#C00000"}),
    }


def _write_visits(
    book: Any,
    months: Iterable[tuple[str, list[dict[str, Any]]]],
    community: str,
    team: str | None,
    period: str,
    lang: str,
) -> tuple[int, int, Decimal]:
    """One sheet per month of the period (an empty month says so): the sheets, visits and assistance."""
    f = _formats(book, lang)
    headers = _head(VISIT_HEADERS, lang)
    keys = list(VISIT_HEADERS)
    sheets = visits = 0
    grand_total = Decimal(0)
    for month, rows in months:
        sheets += 1
        visits += len(rows)
        sheet = book.add_worksheet(month)
        title = tr("month_title", lang, community=community, month=month)
        if team:
            title += "  " + tr("team_part", lang, team=team)
        merged_text(sheet, 0, 0, len(keys) - 1, title, f["title"])
        sheet.set_row(0, 20)
        for col, text in enumerate(headers):
            sheet.write_string(1, col, text, f["head"])
        texts: list[list[str]] = [headers]
        row = HEADER_ROWS
        total = Decimal(0)
        for v in rows:
            texts.append([str(v[k]) if k != "assistance" else "" for k in keys])
            for col, key in enumerate(keys):
                if key == "assistance":
                    if v[key] is None:
                        sheet.write_blank(row, col, None, f["yuan"])
                    else:
                        sheet.write_number(row, col, float(v[key]), f["yuan"])
                        total += v[key]
                else:
                    sheet.write_string(row, col, str(v[key]), f["text"])
            row += 1
        if not rows:
            merged_text(sheet, row, 0, len(keys) - 1, tr("no_visits", lang), f["text"])
            row += 1
        # The total is a number written as such, not a formula: a register must print what was exported.
        sheet.write_string(row, 0, tr("total", lang), f["total"])
        merged_text(sheet, row, 1, len(keys) - 2, tr("count", lang, n=len(rows)), f["total"])
        sheet.write_number(row, len(keys) - 1, float(total), f["total_yuan"])
        grand_total += total
        for col, width in enumerate(column_widths(texts, VISIT_LEAST, VISIT_MOST)):
            sheet.set_column(col, col, width)
        print_setup(
            sheet,
            repeat_rows=HEADER_ROWS,
            left=community,
            center=f"{tr('title', lang)} {month}",
            right=period + (f" {team}" if team else ""),
            lang=lang,
        )
    return sheets, visits, grand_total


def _targets(targets: dict[str, timedelta], lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    return sep.join(
        f"{k.zh if lang == 'zh' else k.en} "
        + tr("hours_unit", lang, n=f"{targets.get(k.code, k.target) / timedelta(hours=1):g}")
        for k in MATTER_KINDS
    )


def _write_matters(
    book: Any,
    matters: list[dict[str, Any]],
    community: str,
    period: str,
    lang: str,
    store_targets: dict[str, timedelta],
) -> None:
    f = _formats(book, lang)
    headers = _head(MATTER_HEADERS, lang)
    keys = list(MATTER_HEADERS)
    sheet = book.add_worksheet(tr("matters", lang))
    merged_text(
        sheet, 0, 0, len(keys) - 1, tr("matters_title", lang, community=community, period=period), f["title"]
    )
    sheet.set_row(0, 20)
    for col, text in enumerate(headers):
        sheet.write_string(1, col, text, f["head"])
    texts: list[list[str]] = [headers]
    row = HEADER_ROWS
    for m in matters:
        texts.append([str(m[k]) if k != "hours" else "" for k in keys])
        for col, key in enumerate(keys):
            if key == "hours":
                if m[key] is None:
                    sheet.write_blank(row, col, None, f["hours"])
                else:
                    sheet.write_number(row, col, m[key], f["hours"])
            elif key == "late" and m[key] != tr("on_time", lang):
                sheet.write_string(row, col, m[key], f["late"])
            else:
                sheet.write_string(row, col, m[key], f["text"])
        row += 1
    if not matters:
        merged_text(sheet, row, 0, len(keys) - 1, tr("no_matters", lang), f["text"])
        row += 1
    sheet.write_string(row + 1, 0, tr("legend", lang) + _targets(store_targets, lang))
    for col, width in enumerate(column_widths(texts, MATTER_LEAST, MATTER_MOST)):
        sheet.set_column(col, col, width)
    print_setup(
        sheet, repeat_rows=HEADER_ROWS, left=community, center=tr("matters", lang), right=period, lang=lang
    )
