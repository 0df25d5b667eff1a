"""The walk list (走访清单): a team-day's planned households on paper, to carry up the stairs.

One sheet per team and field day, households in plan order grouped by building: household_no, address,
the priority residents with their groups, why the household is on the list, the head of household's
phone masked as on screen, and empty columns for the outcome (1–5, legend on top) and notes. Made to
print: A4 landscape, title and header rows on every page, gridlines, team/day/cadres in the page header,
page numbers in the footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cadre_tui.core.domain import MATTER_KINDS, OUTCOMES, PLAN_REASONS, PRIORITY_GROUPS, label
from cadre_tui.core.ids import mask_phone
from cadre_tui.core.planner import reference_day
from cadre_tui.core.values import split_list
from cadre_tui.core.weeks import IsoWeek, weekday_name
from cadre_tui.errors import InvalidInput
from cadre_tui.io.workbook import (
    check_target,
    column_widths,
    merged_text,
    paper_font,
    print_setup,
    workbook_for,
)
from cadre_tui.store.db import Store, parse_stamp

# label key -> (zh, en)
TEXT: dict[str, tuple[str, str]] = {
    "title": ("走访清单", "Walk list"),
    "cadres": ("走访干部", "Cadres"),
    "zone": ("片区", "Zone"),
    "count": ("共 {n} 户", "{n} households"),
    "legend": ("结果（填数字）：", "Outcome (write the number): "),
    "matters": ("当日必到事项：", "Must-attend today: "),
    "no": ("序号", "#"),
    "household_no": ("户编号", "Household"),
    "address": ("地址", "Address"),
    "priority": ("重点人员（人群）", "Priority residents (groups)"),
    "reason": ("列入原因", "Why on the list"),
    "phone": ("户主电话", "Head's phone"),
    "outcome": ("结果 1–5", "Outcome 1–5"),
    "notes": ("走访记录 / 诉求", "Notes / needs"),
    "overdue": ("逾期（{date} 起）", "overdue since {date}"),
    "due": ("本周到期（{date}）", "due {date}"),
    "revisit": ("回访（{date} {outcome}）", "revisit ({outcome} on {date})"),
    "follow_up": ("跟进（约定 {date}）", "follow-up (asked for {date})"),
    "unfamiliar_never": ("未走访过", "never visited"),
    "unfamiliar": ("一年内未见到（上次 {date}）", "not met in a year (last {date})"),
    "manual": ("手动添加", "added by hand"),
    "must_attend": ("必到：{kind}「{title}」{when}", "must-attend: {kind} “{title}” {when}"),
    "not_attended": ("未到场", "not attended"),
    "other_person": ("（{relation}）", "({relation}) "),
    "no_building": ("（未填楼栋）", "(no building)"),
}
COLUMNS = ("no", "household_no", "address", "priority", "reason", "phone", "outcome", "notes")
LEAST = (5, 10, 16, 18, 16, 14, 10, 36)
MOST = (6, 16, 32, 34, 30, 16, 10, 60)
HEADER_ROWS = 4  # title, cadres line, legend, column headers: repeated on every printed page
ROW_HEIGHT = 36  # points: room to write an outcome and a line of notes by hand


@dataclass(frozen=True)
class WalkHousehold:
    """One household on the walk list."""

    household_id: str
    household_no: str
    building: str
    address: str
    priority: str
    reason: str
    phone: str


@dataclass(frozen=True)
class WalkDay:
    """A team's field day: who walks, and the households in plan order."""

    team: str
    team_name: str
    zone: str
    cadres: tuple[str, ...]
    day: date
    households: tuple[WalkHousehold, ...]
    matters: tuple[str, ...]


@dataclass(frozen=True)
class WalkResult:
    """What `export_walklist` wrote."""

    path: Path
    sheets: int
    households: int


def tr(key: str, lang: str, **values: Any) -> str:
    """A label of the walk list (or register) in `lang`."""
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


def _group_labels(store: Store, lang: str) -> dict[str, str]:
    from cadre_tui.store.settings import load_rules

    if lang != "zh":
        return {g.code: g.en for g in PRIORITY_GROUPS}
    custom = dict(load_rules(store).labels)
    return {g.code: custom.get(g.code, g.zh) for g in PRIORITY_GROUPS}


def walk_days(
    store: Store,
    week: IsoWeek,
    *,
    team: str | None = None,
    day: date | None = None,
    lang: str = "zh",
    today: date | None = None,
    save: bool = False,
) -> list[WalkDay]:
    """The field days of the week's plan, per team, with what the paper shows.

    `save` stores the proposed plan of a team that has none saved yet (`plan --save`): the paper handed
    out and the round typed in that evening must be the same list, and a proposal moves as soon as a
    visit is recorded.
    """
    from cadre_tui.store import plans, records

    store.require_community()
    if team is not None and records.team_by_code(store, team) is None:
        raise InvalidInput.of("walklist.no_team", team=team)
    if day is not None and not week.contains(day):
        raise InvalidInput.of(
            "walklist.day_outside", day=day.isoformat(), week=week, monday=week.monday, sunday=week.sunday
        )
    now = today or store.today()
    ref = reference_day(week.monday, week.sunday, now)
    if save:
        plans.save_plan(store, week, team, today=now)
    team_plans = plans.weekly_plan(store, week, team, today=now)["plans"]
    groups = _group_labels(store, lang)
    out: list[WalkDay] = []
    for plan in team_plans:
        team_row = records.team_by_code(store, plan["team"])
        assert team_row is not None
        cadres = tuple(c["name"] for c in records.active_members(store, team_row))
        matters_by_day: dict[str, list[str]] = {}
        for m in plan["matters"]:
            text = f"{label(MATTER_KINDS, m['kind'], lang)}「{m['title']}」" if lang == "zh" else m["title"]
            matters_by_day.setdefault(m["date"], []).append(text)
        for entry in plan["days"]:
            when = date.fromisoformat(entry["date"])
            if day is not None and when != day:
                continue
            if not entry["households"]:
                continue
            households = _households(store, entry["households"], ref, when, groups, lang)
            out.append(
                WalkDay(
                    plan["team"],
                    team_row["name"] or plan["team"],
                    plan["zone"] or "",
                    cadres,
                    when,
                    tuple(households),
                    tuple(matters_by_day.get(entry["date"], [])),
                )
            )
    return out


def _households(
    store: Store, entries: list[dict[str, Any]], ref: date, day: date, groups: dict[str, str], lang: str
) -> list[WalkHousehold]:
    """The day's households in plan order, grouped by building (buildings in order of first appearance)."""
    from cadre_tui.store.due import household_due

    tz = store.tz()
    found: list[WalkHousehold] = []
    for entry in entries:
        row = store.db.execute(
            "SELECT id, household_no, estate, building, unit, room FROM households WHERE household_no = ? "
            "AND deleted = 0",
            [entry["household_no"]],
        ).fetchone()
        if row is None:
            continue
        hid, no, estate, building, unit, room = row
        due = household_due(store, hid, ref)
        priority = ("；" if lang == "zh" else "; ").join(
            f"{d['name']}（{'、'.join(groups.get(g, g) for g in d['groups'])}）"
            if lang == "zh"
            else f"{d['name']} ({', '.join(groups.get(g, g) for g in d['groups'])})"
            for d in due
        )
        reasons = [_reason(store, hid, entry["reason"], due, ref, lang)]
        reasons += _matters(store, hid, day, tz, lang)
        found.append(
            WalkHousehold(
                hid,
                no,
                f"{estate or ''}{building or ''}" or tr("no_building", lang),
                "".join(part or "" for part in (estate, building, unit, room)),
                priority,
                "\n".join(r for r in reasons if r),
                _head_phone(store, hid, lang),
            )
        )
    order: dict[str, int] = {}
    for h in found:
        order.setdefault(h.building, len(order))
    return sorted(found, key=lambda h: order[h.building])  # stable: plan order within a building


def _reason(
    store: Store, household_id: str, reason: str, due: list[dict[str, Any]], ref: date, lang: str
) -> str:
    """Why the household is on the list, with the date that makes it so."""
    if reason == "overdue":
        dates = [d["due_date"] for d in due if d["status"] == "overdue"] or [d["due_date"] for d in due]
        return tr("overdue", lang, date=min(dates)) if dates else label(PLAN_REASONS, reason, lang)
    if reason == "due":
        dates = [d["due_date"] for d in due]
        return tr("due", lang, date=min(dates)) if dates else label(PLAN_REASONS, reason, lang)
    latest = store.db.execute(
        "SELECT visit_date, group_concat(outcome, ';'), MIN(follow_up_date) FROM visits "
        "WHERE household_id = ? AND deleted = 0 AND visit_date = (SELECT MAX(visit_date) FROM visits "
        "WHERE household_id = ? AND deleted = 0 AND visit_date <= ?)",
        [household_id, household_id, ref.isoformat()],
    ).fetchone()
    if reason == "revisit" and latest and latest[0]:
        outcome = next((o for o in split_list(latest[1]) if o in ("absent", "refused")), "absent")
        return tr("revisit", lang, date=latest[0], outcome=label(OUTCOMES, outcome, lang))
    if reason == "follow_up" and latest and latest[2]:
        return tr("follow_up", lang, date=latest[2])
    if reason == "unfamiliar":
        met = store.db.execute(
            "SELECT MAX(visit_date) FROM visits WHERE household_id = ? AND deleted = 0 AND outcome = 'met'",
            [household_id],
        ).fetchone()[0]
        return tr("unfamiliar", lang, date=met) if met else tr("unfamiliar_never", lang)
    if reason == "manual":
        return tr("manual", lang)
    return label(PLAN_REASONS, reason, lang)


def _matters(store: Store, household_id: str, day: date, tz: Any, lang: str) -> list[str]:
    """The household's own must-attend matters still open, or that occurred on the day."""
    out = []
    for kind, title, occurred, attended in store.db.execute(
        "SELECT kind, title, occurred_at, attended_at FROM matters WHERE household_id = ? AND deleted = 0 "
        "ORDER BY occurred_at",
        [household_id],
    ):
        local = parse_stamp(occurred).astimezone(tz)
        if attended and local.date() != day:
            continue
        if local.date() > day:
            continue
        when = local.strftime("%m-%d %H:%M")
        if not attended:
            when += " " + tr("not_attended", lang)
        out.append(tr("must_attend", lang, kind=label(MATTER_KINDS, kind, lang), title=title, when=when))
    return out


def _head_phone(store: Store, household_id: str, lang: str) -> str:
    """The head of household's phone, masked; else the first present resident's with a phone."""
    row = store.db.execute(
        "SELECT relation, phone FROM residents WHERE household_id = ? AND deleted = 0 AND status = 'present' "
        "AND phone IS NOT NULL AND phone != '' "
        "ORDER BY CASE WHEN relation = '户主' THEN 0 ELSE 1 END, name LIMIT 1",
        [household_id],
    ).fetchone()
    if row is None:
        return ""
    relation, phone = row
    prefix = "" if relation == "户主" or not relation else tr("other_person", lang, relation=relation)
    return prefix + mask_phone(phone)


def export_walklist(
    store: Store,
    week: IsoWeek,
    out: Path,
    *,
    team: str | None = None,
    day: date | None = None,
    lang: str = "zh",
    force: bool = False,
    today: date | None = None,
) -> WalkResult:
    """Write the walk list workbook (exit 3 over an existing file unless `force`, 2 if nothing is planned).

    The plans printed are saved (those not saved yet), so the paper and the Plan screen stay one list.
    """
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput.of("workbook.need_xlsx", file=out.name)
    check_target(out, force)
    days = walk_days(store, week, team=team, day=day, lang=lang, today=today, save=True)
    if not days:
        which = f"{team} " if team else ""
        raise InvalidInput.of(
            "walklist.nothing_planned", which=which, when=day.isoformat() if day else str(week)
        )
    with workbook_for(out) as book:
        write_walklist(book, days, store.require_community().name, lang)
    return WalkResult(out, len(days), sum(len(d.households) for d in days))


def write_walklist(book: Any, days: list[WalkDay], community: str, lang: str) -> None:
    """One sheet per team-day into an open XlsxWriter workbook."""
    font = paper_font(lang)
    title = book.add_format({**font, "bold": True, "font_size": 14})
    plain = book.add_format({**font, "font_size": 10})
    legend = book.add_format({**font, "font_size": 10, "bold": True})
    head = book.add_format(
        {**font, "bold": True, "border": 1, "bg_color": "#D9D9D9", "align": "center", "valign": "vcenter"}
    )
    building = book.add_format({**font, "bold": True, "border": 1, "bg_color": "#F2F2F2"})
    cell = book.add_format({**font, "border": 1, "valign": "top", "text_wrap": True, "font_size": 10})
    number = book.add_format({**font, "border": 1, "valign": "top", "align": "center", "font_size": 10})
    used: set[str] = set()
    for walk in days:
        name = _sheet_name(walk, lang, used)
        sheet = book.add_worksheet(name)
        day_text = f"{walk.day.isoformat()} {weekday_name(walk.day, lang)}"
        sep = "、" if lang == "zh" else ", "
        last = len(COLUMNS) - 1
        # Title lines run across the table, one merged cell each, so no gridline cuts through them.
        merged_text(
            sheet,
            0,
            0,
            last,
            f"{community} {tr('title', lang)} · {walk.team} {walk.team_name} · {day_text}",
            title,
        )
        sheet.set_row(0, 22)
        merged_text(
            sheet,
            1,
            0,
            last,
            f"{tr('cadres', lang)}：{sep.join(walk.cadres)}    {tr('zone', lang)}：{walk.zone}    "
            f"{tr('count', lang, n=len(walk.households))}"
            + (f"    {tr('matters', lang)}{sep.join(walk.matters)}" if walk.matters else ""),
            plain,
        )
        codes = "  ".join(f"{n} {label(OUTCOMES, o.code, lang)}" for n, o in enumerate(OUTCOMES, 1))
        merged_text(sheet, 2, 0, last, tr("legend", lang) + codes, legend)
        headers = [tr(key, lang) for key in COLUMNS]
        for col, text in enumerate(headers):
            sheet.write_string(3, col, text, head)
        row = HEADER_ROWS
        current: str | None = None
        texts: list[list[str]] = [headers]
        for n, h in enumerate(walk.households, 1):
            if h.building != current:
                current = h.building
                merged_text(sheet, row, 0, len(COLUMNS) - 1, h.building, building)
                row += 1
            values = [str(n), h.household_no, h.address, h.priority, h.reason, h.phone, "", ""]
            texts.append(values)
            sheet.write_number(row, 0, n, number)
            for col, text in enumerate(values[1:], 1):
                sheet.write_string(row, col, text, cell)
            lines = max(1, *(text.count("\n") + 1 for text in values))
            sheet.set_row(row, max(ROW_HEIGHT, 14 * lines))
            row += 1
        for col, width in enumerate(column_widths(texts, LEAST, MOST)):
            sheet.set_column(col, col, width)
        print_setup(
            sheet,
            repeat_rows=HEADER_ROWS,
            left=f"{walk.team} {walk.team_name}",
            center=f"{tr('title', lang)} {day_text}",
            right=f"{tr('cadres', lang)}：{sep.join(walk.cadres)}",
            lang=lang,
        )


def _sheet_name(walk: WalkDay, lang: str, used: set[str]) -> str:
    """`T1 12-01 周二`: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = f"{walk.team} {walk.day.strftime('%m-%d')} {weekday_name(walk.day, lang)}"
    for ch in "[]:*?/\\":
        base = base.replace(ch, "_")
    base = base[:28]
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base}~{n}"
    used.add(name.lower())
    return name


# -- the evening: typing the day's paper in ---------------------------------------------------------------


@dataclass(frozen=True)
class RoundEntry:
    """What the cadres wrote on the paper for one household: outcome (a code), and optionally more."""

    household_id: str
    outcome: str
    notes: str = ""
    needs: tuple[str, ...] = ()
    follow_up: date | None = None


def visits_on(store: Store, household_ids: list[str], day: date) -> dict[str, list[str]]:
    """The outcomes already recorded (not deleted) for these households on `day`, by household id."""
    found: dict[str, list[str]] = {}
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for hid, outcome in store.db.execute(
            f"SELECT household_id, outcome FROM visits WHERE deleted = 0 AND visit_date = ? "
            f"AND household_id IN ({marks}) ORDER BY updated_at",
            [day.isoformat(), *chunk],
        ):
            found.setdefault(hid, []).append(outcome)
    return found


def record_round(
    store: Store, team: str, day: date, entries: list[RoundEntry], today: date | None = None
) -> list[str]:
    """Store a day's round as visits of `day` by the team's active cadres, all or none; returns the ids.

    Each visit goes through the records writer (its checks: a future day, an unknown household …); the
    first that fails rolls every one back.
    """
    from cadre_tui.store import records

    team_row = records.team_by_code(store, team)
    if team_row is None:
        raise InvalidInput.of("facts.unknown_team", team=team)
    ids: list[str] = []
    with store.transaction():
        for entry in entries:
            ids.append(
                records.add_visit(
                    store,
                    household_id=entry.household_id,
                    visit_date=day,
                    outcome=entry.outcome,
                    team_id=team_row["id"],
                    needs=entry.needs,
                    notes=entry.notes,
                    follow_up_date=entry.follow_up,
                    today=today,
                )
            )
    return ids
