"""The command line (SPEC §7): parses, calls core/store/io, prints. Never imports Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cadre_tui import __version__, messages
from cadre_tui.errors import CadreError, InvalidInput, NoCommunity
from cadre_tui.messages import DEFAULT_LANG, Message, lang_of, problem_text, text

if TYPE_CHECKING:
    from datetime import date

    from cadre_tui.core.weeks import IsoWeek
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
        given = getattr(self.args, "db", None)
        if names_a_server(given):
            raise InvalidInput.of("cli.url_not_community")
        return db_path_of(given)

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
                    raise NoCommunity.of("cli.no_database", path=path)
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
        self, *, new: bool = False, env: str | None = None, what: str = "passphrase.database"
    ) -> str | None:
        """The passphrase from the environment variable `env` (it wins), else typed at a terminal, else None.

        `new`: typed twice, and at least 8 characters however it came.
        """
        from cadre_tui.store.keys import ENV_PASSPHRASE, check_new_passphrase

        value = os.environ.get(env or ENV_PASSPHRASE) or None
        if value is None and sys.stdin.isatty():
            import getpass

            value = getpass.getpass(self.say("passphrase.prompt", what=Message(what)))
            if new:
                check_new_passphrase(value)
                again = getpass.getpass(self.say("passphrase.again", what=Message(what)))
                if again != value:
                    raise InvalidInput.of("passphrase.differ", what=Message(what))
        if value is not None and new:
            check_new_passphrase(value)
        if value is not None and (env or ENV_PASSPHRASE) == ENV_PASSPHRASE:
            self.given_passphrase = value
        return value

    def require_passphrase(self, *, new: bool = False) -> str:
        """The database passphrase, or exit 2 saying how to give one."""
        value = self.passphrase(new=new)
        if value is None:
            raise InvalidInput.of("passphrase.needed", path=self.db_path)
        return value

    def week(self, today: date) -> IsoWeek:
        """`--week` (2026-W48, this, last or next, counted from `today`); exit 2 when malformed."""
        from cadre_tui.core.weeks import parse_week

        try:
            return parse_week(self.args.week, today)
        except ValueError as exc:
            raise InvalidInput.of("option.problem", option="--week", problem=exc) from None

    def remind_unencrypted(self, store: Store) -> None:
        """Once a day, on a plain database: say that it is not encrypted and how to fix that."""
        if store.plain_reminder_due():
            self.warn(self.say("cli.unencrypted", path=store.path))

    def close(self) -> None:
        """Close the database if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def out(self, text: object = "") -> None:
        """Print to stdout (a catalogue message in the chosen language)."""
        print(problem_text(text, self.lang))

    def warn(self, text: object) -> None:
        """Print a warning to stderr (a catalogue message in the chosen language)."""
        print(problem_text(text, self.lang), file=sys.stderr)

    def say(self, key: str, **fields: Any) -> str:
        """Catalogue message `key` (cadre_tui/message_texts.py) in the chosen language."""
        return text(key, self.lang, **fields)


class Formatter(argparse.HelpFormatter):
    """argparse's own, told the terminal's width: argparse asks `shutil.get_terminal_size`, and shutil's
    import (bz2, lzma) was ~2 ms of every command, for a formatter made at each `add_argument` (issue 12)."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        if width is None:
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else stdout's terminal, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def common_options() -> argparse.ArgumentParser:
    """`--db` and `--lang`, accepted before or after the subcommand."""
    parent = argparse.ArgumentParser(add_help=False, formatter_class=Formatter)
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: $CADRE_TUI_DB, else the user data folder)",
    )
    parent.add_argument(
        "--lang",
        choices=messages.LANGS,
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
            name, help=help, description=help, parents=[self.common], formatter_class=Formatter
        )
        parser.set_defaults(handler=handler)
        return parser

    def subcommand(self, group: str, name: str, help: str, handler: Handler) -> argparse.ArgumentParser:
        """A command inside a group, e.g. `import roster`."""
        if group not in self._groups:
            gp = self.sub.add_parser(
                group, help=f"{group} …", parents=[self.common], formatter_class=Formatter
            )
            self._groups[group] = gp.add_subparsers(dest=f"{group}_command", metavar="WHAT", required=True)
        parser: argparse.ArgumentParser = self._groups[group].add_parser(
            name, help=help, description=help, parents=[self.common], formatter_class=Formatter
        )
        parser.set_defaults(handler=handler)
        return parser

    def group_alone(self, group: str, description: str, handler: Handler) -> None:
        """What `group` does with no command of its own (`office` alone opens the office app)."""
        parser = self.sub.choices[group]
        parser.set_defaults(handler=handler)  # a subcommand's own handler still overrides it
        parser.description = description
        self._groups[group].required = False


def build_parser(lang: str = DEFAULT_LANG, *, word: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, its `--help` texts in `lang`.

    With `word` (a command line's `first_word`), only the commands that begin with it: the modules of
    the others are neither imported nor built (issue 12), and the command line is parsed as the whole
    parser parses it, its usage and error messages the same (cli/commands.py).
    """
    from cadre_tui.cli import commands

    common = common_options()
    parser = argparse.ArgumentParser(
        prog="cadre-tui",
        description="Plan and record community cadres' field visits (the 23766 routine), offline.",
        parents=[common],
        formatter_class=Formatter,
    )
    parser.add_argument("--version", action="version", version=f"cadre-tui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups = Groups(sub, common)
    for register in commands.registrars(word):
        register(groups)
    _translate(parser, lang)
    return parser


def first_word(argv: Sequence[str]) -> str | None:
    """The command's first word (`report`, `import`) when only `--db PATH` and `--lang L` come before it,
    else None: anything else (`--help`, `--version`, an option written short or abbreviated, a value
    that looks like an option, a word that is no command) is for the whole parser to parse or refuse."""
    from cadre_tui.cli.commands import WORDS

    words = iter(argv)
    for word in words:
        if word in ("--db", "--lang"):
            value = next(words, None)
            if value is None or value.startswith("-"):
                return None
        elif not word.startswith(("--db=", "--lang=")):
            return word if word in WORDS else None
    return None


def _translate(parser: argparse.ArgumentParser, lang: str) -> None:
    """Every description and `--help` text of `parser` and its subcommands in `lang` (messages.HELP)."""
    from cadre_tui.messages import help_text

    if parser.description:
        parser.description = help_text(parser.description, lang)
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            action.help = help_text(action.help, lang)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help:
                    choice.help = help_text(choice.help, lang)
            for subparser in dict.fromkeys(action.choices.values()):
                _translate(subparser, lang)


@contextmanager
def _argparse_speaks(lang: str) -> Iterator[None]:
    """argparse's own words (usage:, options, its errors) in `lang` while the command line is parsed."""
    from cadre_tui.messages import argparse_text

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda english: argparse_text(english, lang)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: argparse_text(one if n == 1 else many, lang)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = lang_of(argv)
    from cadre_tui.cli.app import app_only  # the app alone: no need to build every command (launch)

    try:
        with _argparse_speaks(lang):
            args = app_only(argv)
            if args is None:
                _derive_key_ahead(argv)
                if "roster" in argv:
                    from cadre_tui.cli.imports import read_ahead

                    read_ahead(argv)  # a roster workbook's sheet parsed meanwhile, on another thread
                args = build_parser(lang, word=first_word(argv)).parse_args(argv)
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
        for line in exc.line_texts(ctx.lang):
            print(line, file=sys.stderr)
        print(f"cadre-tui: {exc.text(ctx.lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"cadre-tui: {ctx.say('cli.interrupted')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except _database_errors(operational=True) as exc:  # SQLCipher loaded only if one is raised (launch)
        if "locked" not in str(exc) and "busy" not in str(exc):
            return _internal(exc, ctx.lang)
        print(f"cadre-tui: {ctx.say('cli.busy')}", file=sys.stderr)
        return 1
    except _database_errors(operational=False) as exc:
        print(f"cadre-tui: {ctx.say('cli.damaged', path=ctx.db_path, error=exc)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a folder that cannot be created, a full disk, a read-only USB stick
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"cadre-tui: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
        return _internal(exc, ctx.lang)
    finally:
        ctx.close()


def _database_errors(*, operational: bool) -> tuple[type[Exception], ...]:
    """`keys.OPERATIONAL_ERRORS` or `DATABASE_ERRORS`: an `except` clause evaluates this only when an
    exception reaches it, so the app's first screen is drawn without loading SQLCipher (issue 12)."""
    from cadre_tui.store.keys import DATABASE_ERRORS, OPERATIONAL_ERRORS

    return OPERATIONAL_ERRORS if operational else DATABASE_ERRORS


def names_a_server(given: str | None) -> bool:
    """Whether `--db` names a PostgreSQL server (an office's), even one mistyped (`postgresql:/…`, as
    Path() would make it), rather than a community's database file."""
    return given is not None and given.lower().startswith(("postgresql:", "postgres:"))


def db_path_of(given: str | None) -> Path:
    """The database a command works on: `--db` as given, else `$CADRE_TUI_DB`, else the default."""
    from cadre_tui.paths import default_db_path

    return Path(given).expanduser() if given else default_db_path()


def _derive_key_ahead(argv: list[str]) -> None:
    """With CADRE_TUI_PASSPHRASE set, begin an encrypted database's key derivation (PBKDF2, ~0.15 s,
    on another core) before the command line is built: its ~0.1 s of imports then cost nothing more.

    The database is guessed from the words (`--db PATH` / `--db=PATH`); a wrong guess costs a thread's
    time, never a result: the store derives the key it needs, waiting for this one if it is under way.
    A path that cannot be made sense of is left to the command, which says what is wrong in words.
    """
    from cadre_tui.store.kdf import derive_ahead  # not keys.py: SQLCipher loads beside the derivation
    from cadre_tui.store.kind import ENV_PASSPHRASE

    passphrase = os.environ.get(ENV_PASSPHRASE)
    if not passphrase:
        return
    given = None
    for i, word in enumerate(argv):
        if word == "--db" and i + 1 < len(argv):
            given = argv[i + 1]
        elif word.startswith("--db="):
            given = word[len("--db=") :]
    if names_a_server(given):
        return
    try:
        path = db_path_of(given)  # `~nosuchuser/…` raises RuntimeError
    except (OSError, RuntimeError):
        return
    derive_ahead(path, passphrase, new=False)  # a new database's key is the creating command's


def _internal(exc: Exception, lang: str) -> int:
    """Report a bug in one line (the traceback only with CADRE_TUI_DEBUG=1)."""
    if os.environ.get("CADRE_TUI_DEBUG"):
        raise exc
    said = messages.text("cli.internal", lang, error=f"{type(exc).__name__}: {exc}")
    print(f"cadre-tui: {said}", file=sys.stderr)
    return 1
