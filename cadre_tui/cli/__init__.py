"""The command line (SPEC §7): parses, calls core/store/io, prints. Never imports Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cadre_tui import __version__
from cadre_tui.errors import CadreError, InvalidInput, NoCommunity

if TYPE_CHECKING:
    from cadre_tui.store.db import Store

Handler = Callable[["Context"], int]


class Context:
    """What a command handler gets: its parsed arguments, the chosen language, the store on demand."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.lang: str = getattr(args, "lang", None) or "zh"
        self._store: Store | None = None
        # The database passphrase once given (restore opens a backup with it too).
        self.given_passphrase: str | None = None

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

    def store(self, *, create: bool = False, encrypt_new: bool = True) -> Store:
        """Open the database (migrating it; refusing a newer one with exit 3).

        A missing database is created only when `create` (init, demo, import bundle): encrypted when
        `encrypt_new` (the passphrase asked twice), else plain unless CADRE_TUI_PASSPHRASE is set. Any
        other command given a path with no database stops with exit 2 and creates no file.
        """
        if self._store is None:
            from cadre_tui.store.db import Store
            from cadre_tui.store.keys import ENV_PASSPHRASE, check_new_passphrase, file_kind

            path = self.db_path
            kind = file_kind(path) if not path.is_dir() else "plain"
            passphrase: str | None = None
            if kind == "missing":
                if not create:
                    raise NoCommunity(
                        f"the database {path} holds no community yet (there is no such file; none was "
                        "created): start with `cadre-tui init --community NAME`, "
                        "`cadre-tui demo`, or `cadre-tui import bundle PATH`"
                    )
                if encrypt_new:
                    passphrase = self.require_passphrase(new=True)
                else:
                    passphrase = os.environ.get(ENV_PASSPHRASE) or None
                    if passphrase is not None:
                        check_new_passphrase(passphrase)
            elif kind == "encrypted":
                passphrase = self.passphrase()
                if passphrase is None:
                    from cadre_tui.store.db import NeedPassphrase

                    raise NeedPassphrase(path)
            self._store = Store.open(path, passphrase=passphrase)
        return self._store

    def passphrase(
        self, *, new: bool = False, env: str | None = None, what: tuple[str, str] | None = None
    ) -> str | None:
        """The passphrase from the environment variable `env` (it wins), else typed at a terminal, else None.

        `new`: typed twice, and at least 8 characters however it came.
        """
        from cadre_tui.store.keys import ENV_PASSPHRASE, check_new_passphrase

        zh, en = what or ("数据库口令", "database passphrase")
        value = os.environ.get(env or ENV_PASSPHRASE) or None
        if value is None and sys.stdin.isatty():
            import getpass

            value = getpass.getpass(self.t(f"{zh}：", f"{en}: "))
            if new:
                check_new_passphrase(value)
                again = getpass.getpass(self.t(f"再输入一次{zh}：", f"the {en} again: "))
                if again != value:
                    raise InvalidInput(
                        f"the two {en}s differ; nothing was changed", zh=f"两次输入的{zh}不一致，未作任何改动"
                    )
        if value is not None and new:
            check_new_passphrase(value)
        if value is not None and (env or ENV_PASSPHRASE) == ENV_PASSPHRASE:
            self.given_passphrase = value
        return value

    def require_passphrase(self, *, new: bool = False) -> str:
        """The database passphrase, or exit 2 saying how to give one."""
        value = self.passphrase(new=new)
        if value is None:
            raise InvalidInput(
                f"{self.db_path}: a passphrase is needed: run this at a terminal to type it, or set "
                "CADRE_TUI_PASSPHRASE",
                zh=f"{self.db_path}：需要数据库口令：请在终端输入，或设置环境变量 CADRE_TUI_PASSPHRASE",
            )
        return value

    def remind_unencrypted(self, store: Store) -> None:
        """Once a day, on a plain database: say that it is not encrypted and how to fix that."""
        if store.plain_reminder_due():
            self.warn(
                self.t(
                    f"注意：数据库 {store.path} 没有加密，复制走它的人能读到居民的个人信息。"
                    "运行 `cadre-tui encrypt` 加密它。",
                    f"note: the database {store.path} is not encrypted; anyone who copies it can read the "
                    "residents' personal data. Run `cadre-tui encrypt` to encrypt it.",
                )
            )

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

    def group_alone(self, group: str, description: str, handler: Handler) -> None:
        """What `group` does with no command of its own (`office` alone opens the office app)."""
        parser = self.sub.choices[group]
        parser.set_defaults(handler=handler)  # a subcommand's own handler still overrides it
        parser.description = description
        self._groups[group].required = False


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
    from cadre_tui.store.keys import DATABASE_ERRORS, OPERATIONAL_ERRORS

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
        message = exc.zh if ctx.lang == "zh" and exc.zh and _speaks_zh(exc) else exc.message
        print(f"cadre-tui: {message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("cadre-tui: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OPERATIONAL_ERRORS as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            return _internal(exc)
        busy = "the database is busy (another cadre-tui is writing to it); try again in a moment"
        print(f"cadre-tui: {busy}", file=sys.stderr)
        return 1
    except DATABASE_ERRORS as exc:
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


def _speaks_zh(exc: CadreError) -> bool:
    """The passphrase messages are the ones the command line prints in Chinese (`--lang zh`)."""
    from cadre_tui.store.db import NeedPassphrase
    from cadre_tui.store.keys import WrongPassphrase

    return isinstance(exc, WrongPassphrase | NeedPassphrase) or "口令" in (exc.zh or "")


def _internal(exc: Exception) -> int:
    """Report a bug in one line (the traceback only with CADRE_TUI_DEBUG=1)."""
    if os.environ.get("CADRE_TUI_DEBUG"):
        raise exc
    print(
        f"cadre-tui: internal error: {type(exc).__name__}: {exc} (set CADRE_TUI_DEBUG=1 for details)",
        file=sys.stderr,
    )
    return 1
