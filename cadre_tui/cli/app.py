"""`cadre-tui` and `cadre-tui tui`: open the app. Textual is imported only here, and only when asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups


def run_app(ctx: Context) -> int:
    """Open the Textual app on the database."""
    from cadre_tui.tui.app import run

    return run(ctx.db_path, lang=ctx.lang)


def register(groups: Groups) -> None:
    """Add `tui`."""
    groups.command("tui", "open the app (the same as no command)", run_app)
