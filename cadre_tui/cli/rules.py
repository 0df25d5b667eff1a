"""`config`, `report` (the 23766 scorecard, SPEC §5) and `plan` (the weekly planner, SPEC §4)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from cadre_tui.errors import InvalidInput
from cadre_tui.messages import text

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups
    from cadre_tui.core.weeks import IsoWeek
    from cadre_tui.store.db import Store

OK, NOT_OK = "✓", "✗"


def table(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines, each column padded to its widest cell in terminal cells (CJK is 2 wide)."""
    from rich.cells import cell_len

    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (widths[i] - cell_len(cell)) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def _week(ctx: Context, store: Store) -> IsoWeek:
    store.require_community()
    return ctx.week(store.today())


def date_option(name: str, text: str | None) -> date | None:
    """A date option (YYYY-MM-DD) named `name`, or None when not given; exit 2 when malformed."""
    from cadre_tui.core.dates import parse_iso_date

    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise InvalidInput.of("option.problem", option=name, problem=exc) from None


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


# -- config --------------------------------------------------------------------------------------------


def run_config(ctx: Context) -> int:
    """List the settings, show one, or change one."""
    from cadre_tui.core.settings import SETTINGS
    from cadre_tui.store.settings import change_setting, get_setting_value, list_settings

    if ctx.args.key == "sync-passphrase":
        from cadre_tui.cli.sync import run_sync_passphrase

        return run_sync_passphrase(ctx)
    store = ctx.store()
    store.require_community()
    key: str | None = ctx.args.key
    value: str | None = ctx.args.value
    if key is None:
        rows = [[ctx.say("config.key"), ctx.say("config.value"), "", ctx.say("config.meaning")]]
        for s in list_settings(store):
            definition = SETTINGS[s.key]
            rows.append(
                [
                    s.key,
                    s.value or "-",
                    ctx.say("config.default") if s.is_default else "",
                    definition.zh if ctx.lang == "zh" else definition.en,
                ]
            )
        for line in table(rows):
            ctx.out(line)
        return 0
    if value is None:
        ctx.out(get_setting_value(store, key).value)
        return 0
    changed = change_setting(store, key, value)
    if changed.key == "me" and changed.value:
        known = store.db.execute(
            "SELECT 1 FROM cadres WHERE code = ? AND deleted = 0", [changed.value]
        ).fetchone()
        if known is None:
            ctx.warn(ctx.say("config.no_cadre_yet", code=changed.value))
    ctx.out(changed.value)
    return 0


# -- report --------------------------------------------------------------------------------------------


def _mark(ok: bool) -> str:
    return OK if ok else NOT_OK


def scorecard_lines(card: dict[str, Any], lang: str) -> list[str]:
    """The scorecard as a text table, one row per team, in `lang`."""
    lines = [
        text(
            "report.title",
            lang,
            community=card["community"],
            week=card["week"],
            as_of=card["as_of"],
            familiarity=f"{card['community_familiarity']:.3f}",
        )
    ]
    header = text("report.header", lang).split("|")
    rows = [header]
    for t in card["teams"]:
        matters = text(
            "report.matters", lang, attended=t["matters_attended"], all=t["matters"], late=t["matters_late"]
        )
        rows.append(
            [
                t["team"],
                t["zone"] or "-",
                f"{','.join(t['members']) or '-'} {_mark(t['team_size_ok'])}",
                str(t["working_days"]),
                f"{t['field_days']}/{t['required_field_days']} {_mark(t['field_days_ok'])}",
                f"{t['familiar_households']}/{t['households']} {t['familiarity']:.3f} "
                f"{_mark(t['familiarity_ok'])}",
                f"{t['priority_overdue']}/{t['priority_residents']} {_mark(t['priority_ok'])}",
                f"{matters} {_mark(t['matters_ok'])}",
            ]
        )
    if len(rows) == 1:
        lines.append(text("report.no_teams", lang))
        return lines
    return lines + table(rows)


def run_report(ctx: Context) -> int:
    """Print the week's 23766 scorecard."""
    from cadre_tui.store.facts import weekly_scorecard, working_days_warning

    store = ctx.store()
    ctx.remind_unencrypted(store)
    week = _week(ctx, store)
    card = weekly_scorecard(store, week, date_option("--as-of", ctx.args.as_of))
    warning = working_days_warning(store, week)
    if warning:
        ctx.warn(warning)
    if ctx.args.format == "json":
        ctx.out(_dump(card))
    else:
        for line in scorecard_lines(card, ctx.lang):
            ctx.out(line)
    return 0


# -- plan ----------------------------------------------------------------------------------------------


def public_plan(data: dict[str, Any]) -> dict[str, Any]:
    """The plan JSON of SPEC §4 without the `entry_id` keys of saved entries."""
    return {
        "week": data["week"],
        "plans": [
            {
                **p,
                "days": [
                    {
                        "date": d["date"],
                        "households": [
                            {"household_no": h["household_no"], "reason": h["reason"]}
                            for h in d["households"]
                        ],
                    }
                    for d in p["days"]
                ],
            }
            for p in data["plans"]
        ],
    }


def plan_lines(data: dict[str, Any], lang: str) -> list[str]:
    """The plan as text, team by team, day by day, in `lang`."""
    from cadre_tui.core.domain import MATTER_KINDS, PLAN_REASONS, label
    from cadre_tui.core.weeks import weekday_name

    lines: list[str] = []
    for p in data["plans"]:
        if lines:
            lines.append("")
        lines.append(
            text(
                "plan.title",
                lang,
                team=p["team"],
                zone=p["zone"] or "-",
                week=data["week"],
                working=len(p["working_days"]),
                required=p["required_field_days"],
            )
        )
        if p["warning"]:
            lines.append(f"  ! {p['warning']}")
        if not p["days"]:
            lines.append("  " + text("plan.no_field_day", lang))
        for d in p["days"]:
            day = date.fromisoformat(d["date"])
            weekday = weekday_name(day, lang)
            lines.append(f"  {d['date']} {weekday}")
            rows = [
                [f"    {h['household_no']}", label(PLAN_REASONS, h["reason"], lang)] for h in d["households"]
            ]
            lines += table(rows) if rows else ["    " + text("plan.empty_day", lang)]
        if p["not_planned"]:
            lines.append("  " + text("plan.not_planned", lang))
            lines += table(
                [
                    [f"    {h['household_no']}", label(PLAN_REASONS, h["reason"], lang)]
                    for h in p["not_planned"]
                ]
            )
        if p["matters"]:
            lines.append("  " + text("plan.matters", lang))
            lines += table(
                [[f"    {m['date']}", label(MATTER_KINDS, m["kind"], lang), m["title"]] for m in p["matters"]]
            )
    if not lines:
        lines.append(text("report.no_teams", lang))
    return lines


def run_plan(ctx: Context) -> int:
    """Print (and optionally save, regenerate or reset) the week's plan of every team or one."""
    from cadre_tui.store import facts, plans

    store = ctx.store()
    week = _week(ctx, store)
    today = date_option("--today", ctx.args.today)
    team: str | None = ctx.args.team
    if ctx.args.save:
        for code in [team] if team else [t.code for t in facts.load_teams(store)]:
            if plans.has_saved_plan(store, code, week):
                ctx.warn(ctx.say("plan.already_saved", team=code, week=week))
    action = (
        "save"
        if ctx.args.save
        else "regenerate"
        if ctx.args.regenerate
        else "reset"
        if ctx.args.reset
        else None
    )
    data = public_plan(plans.plan_with_action(store, week, action, team, today))
    if ctx.args.format == "json":
        ctx.out(_dump(data))
    else:
        for line in plan_lines(data, ctx.lang):
            ctx.out(line)
    return 0


def register(groups: Groups) -> None:
    """Add `config`, `plan` and `report`."""
    p = groups.command(
        "config",
        "show or change a setting (cadences, targets, capacity, days off, me); no KEY lists them all",
        run_config,
    )
    p.add_argument("key", nargs="?", metavar="KEY", help="e.g. cadence.solitary, target.emergency, days_off")
    p.add_argument("value", nargs="?", metavar="VALUE", help="e.g. 7, 2h, 90m, 2026-12-24,2026-12-31, +D, -D")
    # `days_off -2026-12-24` removes a day: let a dash before a date be a value, not an option.
    p._negative_number_matcher = re.compile(r"^-\d+$|^-\d*\.\d+$|^-\d{4}-\d{1,2}-\d{1,2}$")

    p = groups.command("plan", "propose (or show the saved) field days and households of a week", run_plan)
    p.add_argument("--week", required=True, metavar="W", help="2026-W48, this, last or next")
    p.add_argument("--team", metavar="CODE", help="one team only (default: every team)")
    p.add_argument("--today", metavar="DATE", help="take this day as today (plan ahead, tests)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--save", action="store_true", help="store the proposed plan")
    action.add_argument("--regenerate", action="store_true", help="recompute, keeping manual changes")
    action.add_argument("--reset", action="store_true", help="recompute, dropping manual changes")

    p = groups.command("report", "the week's 23766 scorecard, per team", run_report)
    p.add_argument("--week", required=True, metavar="W", help="2026-W48, this, last or next")
    p.add_argument("--as-of", metavar="DATE", help="a day inside the week (default: Sunday, or today)")
    p.add_argument("--format", choices=("text", "json"), default="text")
