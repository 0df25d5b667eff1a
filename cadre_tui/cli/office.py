"""`office import` and `office report`: the sub-district office's roll-up of weekly logs (SPEC §6, §7)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cadre_tui.cli.app import run_office_app
from cadre_tui.errors import InvalidInput
from cadre_tui.messages import Message, text

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups
    from cadre_tui.store.office import OfficeDb


def open_office(ctx: Context) -> OfficeDb:
    """The office database named by `--db` (required: never the default community database).

    A `postgresql://…` URL is a PostgreSQL database; anything else is the path of a SQLite file.
    """
    from cadre_tui.store.office import OfficeDb

    given = getattr(ctx.args, "db", None)
    if not given:
        raise InvalidInput.of("office.needs_db")
    return OfficeDb.open(given)


def run_office_import(ctx: Context) -> int:
    """Import community logs (files or folders); a later log of the same community/week/kind replaces."""
    from cadre_tui.io.office_import import import_logs

    office = open_office(ctx)
    try:
        results = import_logs(office, [Path(p).expanduser() for p in ctx.args.paths])
    finally:
        office.close()
    for r in results:
        kind, status = Message(f"office.kind_{r.kind}"), Message(f"office.status_{r.status}")
        ctx.out(
            Message(
                "office.imported",
                source=r.source,
                community=r.community,
                week=r.week,
                kind=kind,
                rows=r.rows,
                status=status,
            )
        )
    if not results:
        ctx.warn(ctx.say("office.no_logs"))
    return 0


def run_office_report(ctx: Context) -> int:
    """Every community's scorecard for the week side by side, and who sent no log."""
    from cadre_tui.store.office import office_today

    office = open_office(ctx)
    try:
        report = office.report(str(ctx.week(office_today())))
    finally:
        office.close()
    if ctx.args.format == "json":
        ctx.out(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for line in report_lines(report, ctx.lang):
            ctx.out(line)
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _mark(ok: Any, lang: str) -> str:
    if ok is None:
        return "-"
    return ("✓" if ok else "✗") if lang == "zh" else ("ok" if ok else "NO")


def report_lines(report: dict[str, Any], lang: str) -> list[str]:
    """The roll-up as a text table, one row per community and team, in `lang`."""
    zh = lang == "zh"
    head = text("office.header", lang).split("|")
    table: list[list[str]] = []
    for community in report["communities"]:
        if not community["teams"]:
            note = text("office.no_scorecard", lang)
            table.append([community["community"], "-", "-", "-", "-", "-", "-", "-", "-", note])
        for team in community["teams"]:
            mark = {k: _mark(team[k], lang) for k in ("team_size_ok", "field_days_ok", "familiarity_ok")}
            mark.update({k: _mark(team[k], lang) for k in ("priority_ok", "matters_ok")})
            all_ok = all(
                team.get(k)
                for k in ("team_size_ok", "field_days_ok", "familiarity_ok", "priority_ok", "matters_ok")
            )
            table.append(
                [
                    community["community"],
                    team["team"] or "",
                    team["zone"] or "",
                    ",".join(team["members"]) + " " + mark["team_size_ok"],
                    f"{team['field_days']}/{team['required_field_days']} {mark['field_days_ok']}",
                    f"{(team['familiarity'] or 0):.1%} {mark['familiarity_ok']}",
                    f"{team['priority_overdue']}/{team['priority_residents']} {mark['priority_ok']}",
                    f"{team['matters_attended']}/{team['matters']} {mark['matters_ok']}",
                    str(team["matters_late"]),
                    _mark(all_ok, lang),
                ]
            )
    widths = [max([_width(h)] + [_width(row[i]) for row in table]) for i, h in enumerate(head)]
    title = text("office.title", lang, week=report["week"], count=len(report["communities"]))
    lines = [title, "  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True))]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table]
    for community in report["communities"]:
        if community["households"]:
            lines.append(
                text(
                    "office.community",
                    lang,
                    community=community["community"],
                    familiarity=f"{community['familiarity']:.1%}",
                    familiar=community["familiar_households"],
                    households=community["households"],
                    visits=community["visits"] or 0,
                    matters=community["matters"] or 0,
                )
            )
    if report["missing"]:
        names = "、".join(report["missing"]) if zh else ", ".join(report["missing"])
        lines.append(text("office.missing", lang, names=names))
    else:
        lines.append(text("office.all_sent", lang))
    return lines


def register(groups: Groups) -> None:
    """Add `office import`, `office report`, and `office` alone for the office app."""
    p = groups.subcommand(
        "office",
        "import",
        "import community logs (files or folders) into the office database "
        "(--db FILE for SQLite, or --db postgresql://ROLE@HOST/DATABASE)",
        run_office_import,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="log CSV files or folders of them")
    p = groups.subcommand(
        "office",
        "report",
        "every community's scorecard for a week, and who sent nothing (--db FILE or postgresql://…)",
        run_office_report,
    )
    p.add_argument("--week", required=True, metavar="W", help="the ISO week: 2026-W48, this, last or next")
    p.add_argument("--format", choices=("text", "json"), default="text")
    groups.group_alone(
        "office", "the office app (with no command), or one of the office commands below", run_office_app
    )
