"""`visit add`, `matter add` and `matter attend`: records from the command line (SPEC §7)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cadre_tui.core.dates import parse_datetime, parse_iso_date
from cadre_tui.core.domain import MATTER_KINDS, NEEDS, OUTCOMES, find_code
from cadre_tui.core.values import parse_title, split_typed
from cadre_tui.errors import InvalidInput

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups
    from cadre_tui.store.db import Store


def _date(text: str, option: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise InvalidInput.of("option.problem", option=option, problem=exc) from None


def _moment(text: str, option: str, tz: ZoneInfo) -> datetime:
    try:
        return parse_datetime(text, tz)
    except ValueError as exc:
        raise InvalidInput.of("option.problem", option=option, problem=exc) from None


def _cadre_ids(store: Store, text: str | None, option: str) -> list[str]:
    from cadre_tui.store.records import cadre_by_code

    ids: list[str] = []
    for code in split_typed(text):
        cadre = cadre_by_code(store, code)
        if cadre is None:
            raise InvalidInput.of("records.unknown_cadre", option=option, code=code)
        ids.append(cadre["id"])
    if text is not None and not ids:
        raise InvalidInput.of("records.no_cadre", option=option)
    return ids


def _household_id(store: Store, number: str) -> str:
    from cadre_tui.store.records import household_by_no

    household = household_by_no(store, number)
    if household is None:
        raise InvalidInput.of("records.unknown_household", number=number.strip())
    return str(household["id"])


def run_visit_add(ctx: Context) -> int:
    """Record a visit; print its id."""
    from cadre_tui.store.records import add_visit, team_by_code

    args = ctx.args
    store = ctx.store()
    store.require_community()
    household_id = _household_id(store, args.household)
    visit_date = _date(args.date, "--date")
    outcome = find_code(OUTCOMES, args.outcome)
    if outcome is None:
        codes = ", ".join(o.code for o in OUTCOMES)
        raise InvalidInput.of("records.unknown_outcome", outcome=args.outcome, codes=codes)
    team_id = None
    if args.team:
        team = team_by_code(store, args.team)
        if team is None:
            raise InvalidInput.of("records.unknown_team", team=args.team)
        team_id = team["id"]
    needs: list[str] = []
    for item in split_typed(args.needs):
        need = find_code(NEEDS, item)
        if need is None:
            raise InvalidInput.of("records.unknown_need", need=item, codes=", ".join(n.code for n in NEEDS))
        needs.append(need)
    visit_id = add_visit(
        store,
        household_id=household_id,
        visit_date=visit_date,
        outcome=outcome,
        team_id=team_id,
        cadre_ids=_cadre_ids(store, args.cadres, "--cadres") if args.cadres is not None else None,
        needs=needs,
        notes=args.notes or "",
        follow_up_date=_date(args.follow_up, "--follow-up") if args.follow_up else None,
        assistance_yuan=args.assistance,
    )
    ctx.out(visit_id)
    return 0


def run_matter_add(ctx: Context) -> int:
    """Log a must-attend matter; print its id."""
    from cadre_tui.store.records import add_matter, zone_by_code

    args = ctx.args
    store = ctx.store()
    store.require_community()
    kind = find_code(MATTER_KINDS, args.kind)
    if kind is None:
        raise InvalidInput.of(
            "records.unknown_kind", kind=args.kind, codes=", ".join(k.code for k in MATTER_KINDS)
        )
    occurred_at = _moment(args.occurred_at, "--occurred-at", store.tz())
    zone_id = household_id = None
    if args.household is not None:
        scope = "household"
        household_id = _household_id(store, args.household)
    elif args.zone is not None:
        scope = "zone"
        zone = zone_by_code(store, args.zone)
        if zone is None:
            raise InvalidInput.of("records.unknown_zone", zone=args.zone)
        zone_id = zone["id"]
    else:
        scope = "community"
    try:
        parse_title(args.title)
    except ValueError:
        raise InvalidInput.of("records.empty_title") from None
    matter_id = add_matter(
        store,
        kind=kind,
        title=args.title,
        occurred_at=occurred_at,
        scope=scope,
        zone_id=zone_id,
        household_id=household_id,
        notes=args.notes or "",
    )
    ctx.out(matter_id)
    return 0


def run_matter_attend(ctx: Context) -> int:
    """Mark a matter attended; print its id."""
    from cadre_tui.store.records import attend_matter, matter_by_id

    args = ctx.args
    store = ctx.store()
    store.require_community()
    matter = matter_by_id(store, args.id)
    if matter is None:
        raise InvalidInput.of("records.unknown_matter", matter=args.id.strip())
    attended_at = _moment(args.at, "--at", store.tz())
    cadre_ids = _cadre_ids(store, args.cadres, "--cadres")
    attend_matter(store, matter["id"], attended_at=attended_at, cadre_ids=cadre_ids)
    ctx.out(matter["id"])
    return 0


def register(groups: Groups) -> None:
    """Add `visit add`, `matter add`, `matter attend`."""
    outcomes = ", ".join(o.code for o in OUTCOMES)
    p = groups.subcommand(
        "visit", "add", "record a visit to a household; prints the visit's id", run_visit_add
    )
    p.add_argument("--household", required=True, metavar="NO", help="the household's number (户编号)")
    p.add_argument("--date", required=True, metavar="D", help="the day of the visit, YYYY-MM-DD")
    p.add_argument("--outcome", required=True, metavar="CODE", help=f"one of {outcomes}")
    p.add_argument("--team", metavar="CODE", help="default: the team of the household's zone")
    p.add_argument("--cadres", metavar="C01,C02", help="cadres present (default: the team's active members)")
    p.add_argument("--needs", metavar="a,b", help=f"needs raised: {', '.join(n.code for n in NEEDS)}")
    p.add_argument("--notes", metavar="TEXT", help="what was seen and said")
    p.add_argument("--follow-up", metavar="D", help="follow-up date, YYYY-MM-DD")
    p.add_argument("--assistance", metavar="YUAN", help="assistance given, in yuan (e.g. 200 or 150.50)")

    kinds = ", ".join(k.code for k in MATTER_KINDS)
    p = groups.subcommand("matter", "add", "log a must-attend matter; prints the matter's id", run_matter_add)
    p.add_argument("--kind", required=True, metavar="CODE", help=f"one of {kinds}")
    p.add_argument(
        "--occurred-at",
        required=True,
        metavar="DATETIME",
        help="YYYY-MM-DD HH:MM in the community's time zone, or ISO 8601 with an offset",
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--household", metavar="NO", help="a household's matter")
    where.add_argument("--zone", metavar="CODE", help="a zone's matter")
    where.add_argument("--community", action="store_true", help="a community-wide matter")
    p.add_argument("--title", required=True, metavar="TEXT")
    p.add_argument("--notes", metavar="TEXT")

    p = groups.subcommand(
        "matter", "attend", "mark a matter attended; prints the matter's id", run_matter_attend
    )
    p.add_argument("id", metavar="ID", help="the matter's id (or its first 8 characters or more)")
    p.add_argument("--at", required=True, metavar="DATETIME", help="when the cadres arrived")
    p.add_argument("--cadres", required=True, metavar="C01,C02", help="the cadres who attended")
