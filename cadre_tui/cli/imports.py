"""`import staff FILE` and `import roster FILE [--dry-run] [--skip-invalid]` (SPEC §6, §7).

FILE is a CSV file or a workbook (.xlsx, .xls, .ods: its first sheet, or `--sheet NAME`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cadre_tui.errors import InvalidInput

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups
    from cadre_tui.io.importing import ImportReport


def _input_file(ctx: Context) -> Path:
    path = Path(ctx.args.file).expanduser()
    if not path.exists():
        raise InvalidInput.of("file.missing", file=path.name)
    if path.is_dir():
        raise InvalidInput.of("import.is_folder", file=path.name)
    return path


def _print(ctx: Context, report: ImportReport) -> None:
    """Warnings and the rejected records' errors on stderr, the summary on stdout."""
    for line in report.warnings:
        ctx.warn(line)
    for line in report.rejected_errors:
        ctx.warn(line)
    for line in report.summary(ctx.lang):
        ctx.out(line)


def run_import_staff(ctx: Context) -> int:
    """Create or update cadres, teams and zones from the staff file."""
    from cadre_tui.io.staff import import_staff

    path = _input_file(ctx)
    report = import_staff(ctx.store(), path, dry_run=ctx.args.dry_run, sheet=ctx.args.sheet)
    _print(ctx, report)
    return 0


def read_ahead(argv: Sequence[str]) -> None:
    """`import roster FILE` of a workbook: its sheet's parse begun on another thread before the command
    line is built (`cli.main`), the file guessed from the words. The command takes it when it names the
    same file and sheet; a wrong guess costs that thread's time, never a result."""
    loaded = sys.modules.get("cadre_tui.io.workbook")
    if loaded is not None:
        loaded.forget_parses_ahead()  # one that an earlier command (in this process) did not take
    words = list(argv)
    if not any(words[i : i + 2] == ["import", "roster"] for i in range(len(words) - 1)):
        return
    rest = iter(words[words.index("roster", words.index("import")) + 1 :])
    file = sheet = None
    for word in rest:
        if word in ("--sheet", "--db", "--lang"):
            value = next(rest, None)
            sheet = value if word == "--sheet" else sheet
        elif word.startswith("--sheet="):
            sheet = word[len("--sheet=") :]
        elif not word.startswith("-") and file is None:
            file = word
    if file is None:
        return
    from cadre_tui.io.workbook import begin_parse_ahead, is_workbook

    try:
        path = Path(file).expanduser()
        if is_workbook(path) and path.is_file():
            begin_parse_ahead(path, sheet)
    except (OSError, RuntimeError):  # `~nosuchuser/…`, no permission: the command says what is wrong
        return


def run_import_roster(ctx: Context) -> int:
    """Create or update households, residents and priority groups from the roster file."""
    from cadre_tui.io.workbook import is_workbook, parse_sheet_ahead

    path = _input_file(ctx)
    # A workbook's sheet is parsed on another thread from now, or since the command line was read
    # (`read_ahead`): calamine, without the GIL (0.35 s for 30,000 residents), while the rest is imported
    # and the store opened.
    workbook = is_workbook(path)
    parsed = parse_sheet_ahead(path, ctx.args.sheet) if workbook else None

    from cadre_tui.core.names import load_readings
    from cadre_tui.io.importing import paused_cycle_collection
    from cadre_tui.io.roster import import_roster, open_ahead

    with paused_cycle_collection():
        # The file first: a CSV is decoded while an encrypted database's key is still being derived
        # (cli._derive_key_ahead); the file's errors still come after the store's.
        opened = open_ahead(path, ctx.args.sheet, parsed)
        from cadre_tui.store.kdf import deriving

        key_derived = deriving()  # an encrypted database's key, begun by `cli.main`
        if not ctx.args.dry_run and (workbook or key_derived):
            # The sheet is being parsed, or the key derived: load the pinyin dictionary the new names
            # will need meanwhile.
            load_readings()
        made: dict[str, str] = {}
        if key_derived and not workbook:
            from cadre_tui.io.roster import read_records_while

            # and read the CSV's records for as long as the key is still being derived (~60 ms of the
            # ~0.13 s derivation: issue 12), then make their names' search keys
            made = read_records_while(opened, deriving, keys=not ctx.args.dry_run)
        report = import_roster(
            ctx.store(),
            path,
            dry_run=ctx.args.dry_run,
            skip_invalid=ctx.args.skip_invalid,
            sheet=ctx.args.sheet,
            opened=opened,
            search_keys_made=made,
        )
    _print(ctx, report)
    return 0


def register(groups: Groups) -> None:
    """Add `import staff` and `import roster`."""
    staff = groups.subcommand(
        "import",
        "staff",
        "create or update cadres, teams and zones from a staff CSV (编号,姓名,电话,小组,片区)",
        run_import_staff,
    )
    staff.add_argument("file", metavar="FILE", help="the staff CSV file or workbook (.xlsx, .xls, .ods)")
    staff.add_argument("--sheet", metavar="NAME", help="the workbook's sheet to read (default: the first)")
    staff.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")
    roster = groups.subcommand(
        "import",
        "roster",
        "create or update households, residents and priority groups from a roster CSV",
        run_import_roster,
    )
    roster.add_argument(
        "file",
        metavar="FILE",
        help="the roster CSV file or workbook (.xlsx, .xls, .ods), one row per resident",
    )
    roster.add_argument("--sheet", metavar="NAME", help="the workbook's sheet to read (default: the first)")
    roster.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")
    roster.add_argument(
        "--skip-invalid",
        action="store_true",
        help="write the valid rows and put the invalid ones in FILE.rejects.csv (a workbook's too)",
    )
