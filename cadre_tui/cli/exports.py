"""`export walklist` and `export register`: the paper the cadres carry and the binder they keep (.xlsx)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups


def run_export_walklist(ctx: Context) -> int:
    """Write the week's walk list: one printable sheet per team and field day."""
    from cadre_tui.cli.rules import date_option
    from cadre_tui.io.walklist import export_walklist

    store = ctx.store()
    store.require_community()
    week = ctx.week(store.today())
    result = export_walklist(
        store,
        week,
        Path(ctx.args.out).expanduser(),
        team=ctx.args.team,
        day=date_option("--day", ctx.args.day),
        lang=ctx.lang,
        force=ctx.args.force,
    )
    ctx.out(str(result.path))
    ctx.warn(ctx.say("export.walklist_done", sheets=result.sheets, households=result.households))
    return 0


def run_export_register(ctx: Context) -> int:
    """Write the visit register (走访台账) of a period: a sheet per month, the matters on their own sheet."""
    from cadre_tui.cli.rules import date_option
    from cadre_tui.io.register import export_register

    store = ctx.store()
    store.require_community()
    first = date_option("--from", ctx.args.date_from)
    last = date_option("--to", ctx.args.date_to)
    assert first is not None and last is not None
    result = export_register(
        store,
        first,
        last,
        Path(ctx.args.out).expanduser(),
        team=ctx.args.team,
        lang=ctx.lang,
        force=ctx.args.force,
    )
    ctx.out(str(result.path))
    ctx.warn(
        ctx.say(
            "export.register_done", visits=result.visits, assistance=result.assistance, matters=result.matters
        )
    )
    return 0


def register(groups: Groups) -> None:
    """Add `export walklist` and `export register`."""
    p = groups.subcommand(
        "export",
        "walklist",
        "write the week's walk list (走访清单) as a printable .xlsx: a sheet per team and field day",
        run_export_walklist,
    )
    p.add_argument("--week", required=True, metavar="W", help="2026-W48, this, last or next")
    p.add_argument("--team", metavar="CODE", help="one team (default: every team)")
    p.add_argument("--day", metavar="DATE", help="one day of the week (YYYY-MM-DD)")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    p.add_argument("--force", action="store_true", help="write over an existing file")

    p = groups.subcommand(
        "export",
        "register",
        "write the visit register (走访台账) of a period as a printable .xlsx: a sheet per month",
        run_export_register,
    )
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="last day (YYYY-MM-DD)")
    p.add_argument("--team", metavar="CODE", help="one team's visits and matters (default: all)")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    p.add_argument("--force", action="store_true", help="write over an existing file")
