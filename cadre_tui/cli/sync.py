"""`import bundle`, `export bundle` and `export log` (SPEC §6, §7)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cadre_tui.errors import InvalidInput

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups
    from cadre_tui.core.weeks import IsoWeek
    from cadre_tui.store.db import Store


def run_import_bundle(ctx: Context) -> int:
    """Merge a partner laptop's bundle into the database and print what changed."""
    from cadre_tui.io.bundle import import_bundle

    report = import_bundle(ctx.store(), Path(ctx.args.path).expanduser())
    for line in report.lines(ctx.lang):
        ctx.out(line)
    return 0


def run_export_bundle(ctx: Context) -> int:
    """Write every row of the database as a bundle for the partner's laptop."""
    from cadre_tui.io.bundle import export_bundle

    result = export_bundle(ctx.store(), Path(ctx.args.out).expanduser(), force=ctx.args.force)
    ctx.out(str(result.path))
    ctx.warn(
        ctx.t(
            f"已导出 {result.total} 行。同步包含完整的个人信息：只拷给搭档的电脑，不要用邮件或聊天软件发送。",
            f"exported {result.total} rows. A bundle holds full personal data: carry it to the partner's "
            "laptop only, never by e-mail or chat.",
        )
    )
    return 0


def week_argument(store: Store, text: str) -> IsoWeek:
    """`--week` (2026-W48, this, last, next) in the community's time zone; exit 2 when malformed."""
    from cadre_tui.core.weeks import parse_week

    try:
        return parse_week(text, store.today())
    except ValueError as exc:
        raise InvalidInput(f"--week: {exc}") from None


def run_export_log(ctx: Context) -> int:
    """Write the week's office log: visits, matters and scorecard, with no personal data."""
    from cadre_tui.io.office_log import export_office_log

    store = ctx.store()
    store.require_community()
    week = week_argument(store, ctx.args.week)
    paths = export_office_log(
        store,
        week,
        Path(ctx.args.out).expanduser(),
        headers=ctx.args.headers,
        force=ctx.args.force,
        file_format=ctx.args.format,
    )
    for path in paths:
        ctx.out(str(path))
    return 0


def register(groups: Groups) -> None:
    """Add `import bundle`, `export bundle`, `export log`."""
    p = groups.subcommand(
        "import", "bundle", "merge a sync bundle (folder or .zip) from the partner", run_import_bundle
    )
    p.add_argument("path", metavar="PATH", help="the bundle folder or .zip")

    p = groups.subcommand(
        "export", "bundle", "write a sync bundle (folder or .zip) for the partner's laptop", run_export_bundle
    )
    p.add_argument("--out", required=True, metavar="PATH", help="a new or empty folder, or a .zip file")
    p.add_argument("--force", action="store_true", help="write over a file or into a non-empty folder")

    p = groups.subcommand("export", "log", "write the week's office log (no personal data)", run_export_log)
    p.add_argument("--week", required=True, metavar="W", help="2026-W48, this, last or next")
    p.add_argument("--out", required=True, metavar="DIR", help="the folder for the three CSV files")
    p.add_argument("--headers", choices=("zh", "en"), default="zh", help="Chinese labels (default) or keys")
    p.add_argument(
        "--format", choices=("csv", "xlsx"), default="csv", help="three CSV files (default) or one workbook"
    )
    p.add_argument("--force", action="store_true", help="write over the week's files in DIR")
