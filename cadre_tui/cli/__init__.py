"""The command line (SPEC §7): parses, calls core/store/io, prints. Never imports Textual."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cadre_tui import __version__
from cadre_tui.errors import CadreError, InvalidInput

if TYPE_CHECKING:
    from cadre_tui.store.db import Store

Handler = Callable[["Context"], int]


class Context:
    """What a command handler gets: its parsed arguments, the chosen language, the store on demand."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.lang: str = getattr(args, "lang", None) or "zh"
        self._store: Store | None = None

    @property
    def db_path(self) -> Path:
        """`--db`, else `$CADRE_TUI_DB`, else the platformdirs default."""
        from cadre_tui.paths import default_db_path

        given = getattr(self.args, "db", None)
        if given and given.lower().startswith(("postgresql:", "postgres:")):
            raise InvalidInput(
                "--db: a PostgreSQL URL is for the office's commands (cadre-tui office …); "
                "a community's database is a file"
            )
        return Path(given).expanduser() if given else default_db_path()

    def store(self) -> Store:
        """Open the database (migrating it; refusing a newer one with exit 3)."""
        if self._store is None:
            from cadre_tui.store.db import Store

            self._store = Store.open(self.db_path)
        return self._store

    def close(self) -> None:
        """Close the database if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def out(self, text: str = "") -> None:
        """Print to stdout."""
        print(text)

    def warn(self, text: str) -> None:
        """Print a warning to stderr."""
        print(text, file=sys.stderr)

    def t(self, zh: str, en: str) -> str:
        """The text in the chosen language."""
        return zh if self.lang == "zh" else en


def common_options() -> argparse.ArgumentParser:
    """`--db` and `--lang`, accepted before or after the subcommand."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: $CADRE_TUI_DB, else the user data folder)",
    )
    parent.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=argparse.SUPPRESS,
        help="language of the output and the app (default zh)",
    )
    return parent


class Groups:
    """The subcommand groups (`import`, `export`, `visit`, `matter`, `office`) that modules add to."""

    def __init__(self, sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
        self.sub = sub
        self.common = common
        self._groups: dict[str, argparse._SubParsersAction] = {}

    def command(self, name: str, help: str, handler: Handler) -> argparse.ArgumentParser:
        """A top-level command."""
        parser: argparse.ArgumentParser = self.sub.add_parser(
            name, help=help, description=help, parents=[self.common]
        )
        parser.set_defaults(handler=handler)
        return parser

    def subcommand(self, group: str, name: str, help: str, handler: Handler) -> argparse.ArgumentParser:
        """A command inside a group, e.g. `import roster`."""
        if group not in self._groups:
            gp = self.sub.add_parser(group, help=f"{group} …", parents=[self.common])
            self._groups[group] = gp.add_subparsers(dest=f"{group}_command", metavar="WHAT", required=True)
        parser: argparse.ArgumentParser = self._groups[group].add_parser(
            name, help=help, description=help, parents=[self.common]
        )
        parser.set_defaults(handler=handler)
        return parser


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    from cadre_tui.cli import commands

    common = common_options()
    parser = argparse.ArgumentParser(
        prog="cadre-tui",
        description="Plan and record community cadres' field visits (the 23766 routine), offline.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"cadre-tui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups = Groups(sub, common)
    for register in commands.REGISTRARS:
        register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        # argparse exits 2 on bad usage, as SPEC §7 wants; keep --help and --version at 0.
        return int(exc.code or 0)
    ctx = Context(args)
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            from cadre_tui.cli.app import run_app

            return run_app(ctx)
        return handler(ctx)
    except CadreError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        print(f"cadre-tui: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("cadre-tui: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            return _internal(exc)
        busy = "the database is busy (another cadre-tui is writing to it); try again in a moment"
        print(f"cadre-tui: {busy}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:
        damaged = f"{ctx.db_path}: the database file is damaged ({exc})"
        print(f"cadre-tui: {damaged}; restore a backup with `cadre-tui restore FILE`", file=sys.stderr)
        return 1
    except OSError as exc:  # a folder that cannot be created, a full disk, a read-only USB stick
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"cadre-tui: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
        return _internal(exc)
    finally:
        ctx.close()


def _internal(exc: Exception) -> int:
    """Report a bug in one line (the traceback only with CADRE_TUI_DEBUG=1)."""
    if os.environ.get("CADRE_TUI_DEBUG"):
        raise exc
    print(
        f"cadre-tui: internal error: {type(exc).__name__}: {exc} (set CADRE_TUI_DEBUG=1 for details)",
        file=sys.stderr,
    )
    return 1
