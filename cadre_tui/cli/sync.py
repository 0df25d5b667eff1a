"""`import bundle`, `export bundle` and `export log` (SPEC §6, §7)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from cadre_tui.errors import CadreError, InvalidInput
from cadre_tui.store.keys import save_sync_passphrase, sync_passphrase

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups


def run_sync_passphrase(ctx: Context) -> int:
    """`config sync-passphrase`: set the team's sync passphrase (asked twice), kept in the database."""
    store = ctx.store()
    if not store.encrypted:
        save_sync_passphrase(store, "")  # refuses with the reason before asking anything
    value = ctx.passphrase(new=True, env="CADRE_TUI_NEW_SYNC_PASSPHRASE", what="passphrase.sync")
    if value is None:
        raise InvalidInput.of("sync.passphrase_needed")
    save_sync_passphrase(store, value)
    ctx.warn(ctx.say("sync.passphrase_saved"))
    return 0


def derive_database_key_ahead(ctx: Context) -> None:
    """With CADRE_TUI_PASSPHRASE set and no database yet, the new one's key derivation (PBKDF2, 0.1-0.3
    s) begins now on another core, beside the bundle's own scrypt (an existing database's began in
    `cli.main`); creating the store then waits for it instead of deriving again."""
    from cadre_tui.store.kdf import derive_ahead
    from cadre_tui.store.kind import ENV_PASSPHRASE

    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase:
        derive_ahead(ctx.db_path, passphrase)


def run_import_bundle(ctx: Context) -> int:
    """Merge a partner laptop's bundle into the database and print what changed."""
    from cadre_tui.io.importing import one_malloc_arena, paused_cycle_collection

    one_malloc_arena()  # before any thread of this command starts
    derive_database_key_ahead(ctx)
    from cadre_tui.io.bundle import bundle_kind, decrypt_bundle, import_bundle

    path = Path(ctx.args.path).expanduser()
    kind = bundle_kind(path)
    passphrase: str | None = None
    decrypted: bytes | None = None
    if kind == "age":
        # The sync passphrase is checked before a new database is created (a database that exists
        # gives its own, or the variable does).
        import os

        from cadre_tui.store.keys import ENV_SYNC_PASSPHRASE, file_kind

        passphrase = os.environ.get(ENV_SYNC_PASSPHRASE) or None
        if passphrase is None and file_kind(ctx.db_path) != "missing":
            passphrase = sync_passphrase(ctx.store())
        if passphrase is None:
            passphrase = ctx.passphrase(env=ENV_SYNC_PASSPHRASE, what="passphrase.sync")
        # A wrong passphrase stops here, before a new database is created.
        decrypted = decrypt_bundle(path, passphrase)
    elif kind in ("zip", "folder"):
        ctx.warn(ctx.say("sync.imported_unencrypted", file=path.name))
    from cadre_tui.store.keys import file_kind

    new_database = file_kind(ctx.db_path) == "missing"
    try:
        with paused_cycle_collection():
            report = import_bundle(ctx.store(create=True), path, passphrase=passphrase, decrypted=decrypted)
    except CadreError:
        if new_database:
            # A database this command created for a bundle it then refused holds nothing: it goes too.
            ctx.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{ctx.db_path}{suffix}").unlink(missing_ok=True)
        raise
    for line in report.lines(ctx.lang):
        ctx.out(line)
    return 0


def run_export_bundle(ctx: Context) -> int:
    """Write every row of the database as a bundle for the partner's laptop: encrypted unless asked."""
    # Not the bundle modules' public face (io/bundle.py): the import's modules are not needed here.
    from cadre_tui.io.bundle_export import encrypted_name, export_bundle
    from cadre_tui.io.bundle_format import ENCRYPTED_SUFFIX
    from cadre_tui.store.keys import ENV_SYNC_PASSPHRASE

    sealing = None
    early = None if ctx.args.unencrypted else os.environ.get(ENV_SYNC_PASSPHRASE)
    if early:
        from cadre_tui.io.age import Sealing

        # The sync passphrase is known before the database is open: age's scrypt starts now, on
        # another core, beside the database's own key derivation (both release the GIL).
        sealing = Sealing(early)
    store = ctx.store()
    store.require_community()
    out = Path(ctx.args.out).expanduser()
    if ctx.args.unencrypted:
        result = export_bundle(store, out, force=ctx.args.force)
        ctx.out(str(result.path))
        ctx.warn(ctx.say("sync.exported_unencrypted", count=result.total))
        return 0
    if out.suffix.lower() == ".zip":
        raise InvalidInput.of("sync.zip_unencrypted", path=out, suffix=ENCRYPTED_SUFFIX)
    if out.is_dir() or str(ctx.args.out).endswith(("/", os.sep)):
        out = encrypted_name(store, out)
    elif not out.suffix:
        out = out.with_name(out.name + ENCRYPTED_SUFFIX)
    passphrase = sync_passphrase(store) or ctx.passphrase(
        new=True, env=ENV_SYNC_PASSPHRASE, what="passphrase.sync"
    )
    if passphrase is None:
        raise InvalidInput.of("sync.no_passphrase")
    if passphrase != early:
        sealing = None
    result = export_bundle(store, out, force=ctx.args.force, passphrase=passphrase, sealing=sealing)
    ctx.out(str(result.path))
    ctx.warn(ctx.say("sync.exported", count=result.total))
    return 0


def run_export_log(ctx: Context) -> int:
    """Write the week's office log: visits, matters and scorecard, with no personal data."""
    from cadre_tui.io.office_log import export_office_log

    store = ctx.store()
    store.require_community()
    week = ctx.week(store.today())
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
        "import",
        "bundle",
        "merge a sync bundle (.cadre file, folder or .zip) from the partner",
        run_import_bundle,
    )
    p.add_argument("path", metavar="PATH", help="the .cadre file (or a plain bundle folder or .zip)")

    p = groups.subcommand(
        "export",
        "bundle",
        "write an encrypted sync bundle (*.cadre) for the partner's laptop",
        run_export_bundle,
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="the .cadre file, or a folder to put one in (with --unencrypted: a folder or a .zip)",
    )
    p.add_argument("--unencrypted", action="store_true", help="write a plain folder or .zip (not advised)")
    p.add_argument("--force", action="store_true", help="write over a file or into a non-empty folder")

    p = groups.subcommand("export", "log", "write the week's office log (no personal data)", run_export_log)
    p.add_argument("--week", required=True, metavar="W", help="2026-W48, this, last or next")
    p.add_argument("--out", required=True, metavar="DIR", help="the folder for the three CSV files")
    p.add_argument("--headers", choices=("zh", "en"), default="zh", help="Chinese labels (default) or keys")
    p.add_argument(
        "--format", choices=("csv", "xlsx"), default="csv", help="three CSV files (default) or one workbook"
    )
    p.add_argument("--force", action="store_true", help="write over the week's files in DIR")
