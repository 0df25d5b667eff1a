"""`cadre-tui`, `cadre-tui tui` and `cadre-tui office`: open an app. Textual is imported only here."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups


def run_app(ctx: Context) -> int:
    """Open the Textual app on the database."""
    from cadre_tui.tui.app import run

    return run(ctx.db_path, lang=ctx.lang)


def run_office_app(ctx: Context) -> int:
    """`office` with no further command: the office app on the office database (Textual imported here)."""
    from cadre_tui.cli.office import open_office

    open_office(ctx).close()  # --db is required; a community's database is refused before Textual starts
    from cadre_tui.tui.office.app import run

    return run(ctx.args.db, ctx.lang)  # a file path or a postgresql:// URL, as `office import` takes it


def register(groups: Groups) -> None:
    """Add `tui`."""
    groups.command("tui", "open the app (the same as no command)", run_app)
