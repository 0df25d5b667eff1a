"""`cadre-tui`, `cadre-tui tui` and `cadre-tui office`: open an app. Textual is imported only here."""

from __future__ import annotations

import argparse
import gc
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cadre_tui.messages import LANGS

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups

APP_OPTIONS = {"--db": "db", "--lang": "lang"}


def app_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The parsed command line when it only opens the app (`cadre-tui`, `--db PATH`, `--lang en`), else None.

    The app's launch skips building the whole command line (every command's module and the store with
    them, ~0.1 s); the result is what the full parser gives for the same words. Anything else — a command,
    `--help`, an option written short, a value the parser would refuse — is None: the full parser decides.
    """
    args = argparse.Namespace(command=None)
    words = list(argv)
    while words:
        word = words.pop(0)
        name, equals, value = word.partition("=")
        if name not in APP_OPTIONS:
            return None
        if not equals:
            if not words:
                return None
            value = words.pop(0)
        if value.startswith("-") or (name == "--lang" and value not in LANGS):
            return None
        setattr(args, APP_OPTIONS[name], value)
    return args


def run_app(ctx: Context) -> int:
    """Open the Textual app on the database.

    The first screen's values are read in a thread started before Textual is imported (an encrypted
    database's key derivation, ~0.15 s, runs meanwhile): see `store/first_look.py`.
    """
    # No cyclic garbage collection while the app starts: its full collections over every module just
    # imported took 15-25 ms of the first screen. tui/app.py turns it on again once the store is open.
    gc.disable()
    from cadre_tui.store.first_look import first_look_soon
    from cadre_tui.store.kind import ENV_PASSPHRASE

    path = ctx.db_path
    look = first_look_soon(path, os.environ.get(ENV_PASSPHRASE) or None)
    from cadre_tui.tui.app import run

    return run(path, lang=ctx.lang, look=look)


def run_office_app(ctx: Context) -> int:
    """`office` with no further command: the office app on the office database (Textual imported here)."""
    from cadre_tui.cli.office import open_office

    open_office(ctx).close()  # --db is required; a community's database is refused before Textual starts
    from cadre_tui.tui.office.app import run

    return run(ctx.args.db, ctx.lang)  # a file path or a postgresql:// URL, as `office import` takes it


def register(groups: Groups) -> None:
    """Add `tui`."""
    groups.command("tui", "open the app (the same as no command)", run_app)
