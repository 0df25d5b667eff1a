"""`init`, `backup`, `restore`, `encrypt` and `passphrase`."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfoNotFoundError, available_timezones

from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.store import schema
from cadre_tui.store.backup import backup_before, backups_dir, online_backup
from cadre_tui.store.db import Store, community_id_for
from cadre_tui.store.keys import (
    DATABASE_ERRORS,
    ENV_NEW_PASSPHRASE,
    DbKey,
    WrongPassphrase,
    connect,
    export_encrypted,
    file_kind,
    verify_key,
)

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups


def run_init(ctx: Context) -> int:
    """Create the community, or update the settings given on its own community."""
    args = ctx.args
    store = ctx.store(create=True)
    name: str = args.community.strip()
    if not name:
        raise InvalidInput.of("setup.empty_name")
    code = args.code.strip() if args.code else None
    timezone = args.timezone or None
    if timezone is not None and timezone not in available_timezones():
        raise InvalidInput.of("setup.bad_timezone", timezone=timezone)
    existing = store.community()
    if existing is not None:
        same = (
            (code is not None and code == existing.code)
            or (name == existing.name and (code is None or existing.code is None))
            or community_id_for(code or name) == existing.id
        )
        if not same:
            raise Refused.of(
                "setup.other_community",
                path=store.path,
                name=existing.name,
                code=existing.code or existing.id,
            )
    try:
        community = store.set_community(
            name,
            code if existing is None or not existing.code else existing.code,
            timezone or (existing.timezone if existing else "Asia/Shanghai"),
        )
    except ZoneInfoNotFoundError:
        raise InvalidInput.of("setup.bad_timezone", timezone=timezone) from None
    if args.me:
        store.set_setting("me", args.me.strip())
    ctx.out(community.id)
    return 0


def run_backup(ctx: Context) -> int:
    """Copy the database to FILE with the online backup API."""
    out = Path(ctx.args.out).expanduser()
    if out.exists() and not ctx.args.force:
        raise Refused.of("file.exists_force", path=out)
    if out.is_dir():
        raise Refused.of("file.is_folder", path=out)
    store = ctx.store()
    if out.exists():
        out.unlink()  # --force: a new file, keyed afresh
    online_backup(store.db.conn, out, store.key)
    ctx.out(str(out))
    return 0


def run_restore(ctx: Context) -> int:
    """Replace the database with a backup, after backing up the current one.

    An encrypted backup opens with the database's passphrase (else the one given); a wrong one is
    exit 3 before anything is touched. The restored database keeps the current database's key.
    """
    source = Path(ctx.args.file).expanduser()
    if not source.is_file():
        raise InvalidInput.of("restore.no_file", path=source)
    store = ctx.store()
    backup_kind = file_kind(source)
    key: DbKey | None = None
    if backup_kind == "encrypted":
        if not store.encrypted:
            raise Refused.of("restore.encrypted_into_plain", path=source)
        passphrase = ctx.given_passphrase or ctx.require_passphrase()
        key = DbKey.for_file(source, passphrase)
    try:
        src = connect(f"file:{source}?mode=ro", key, uri=True)
        version = (
            verify_key(src, source) if key is not None else src.execute("PRAGMA user_version").fetchone()[0]
        )
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except WrongPassphrase:
        raise
    except DATABASE_ERRORS as exc:
        raise InvalidInput.of("restore.not_backup_because", path=source, error=exc) from None
    converted: Path | None = None
    try:
        if "settings" not in tables or version < 1:
            raise InvalidInput.of("restore.not_backup", path=source)
        # A damaged backup must never replace a sound database.
        try:
            problems = [r[0] for r in src.execute("PRAGMA integrity_check(5)")]
        except DATABASE_ERRORS as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise InvalidInput.of("restore.damaged", path=source, error=problems[0])
        if version > schema.schema_version():
            raise Refused.of("restore.newer", path=source, version=version)
        mine = store.community()
        row = src.execute("SELECT value FROM settings WHERE key = 'community_id'").fetchone()
        theirs = row[0].strip('"') if row else None
        if mine is not None and theirs is not None and theirs != mine.id:
            raise Refused.of("restore.other_community", path=source, name=mine.name)
        if store.key is not None and key is None:
            # A plain backup (from before `encrypt`) into an encrypted database: encrypted first, beside it.
            src.close()
            assert store.path is not None
            converted = store.path.with_name(f".{store.path.name}.restoring")
            export_encrypted(source, converted, store.key)
            src = connect(converted, store.key)
        saved = backup_before(store, "restore")
        src.backup(store.db.conn)
    finally:
        src.close()
        if converted is not None:
            converted.unlink(missing_ok=True)
    ctx.close()
    Store.open(ctx.db_path, passphrase=ctx.given_passphrase).close()  # migrates an older backup forward
    ctx.warn(ctx.say("restore.done", path=saved))
    return 0


def run_encrypt(ctx: Context) -> int:
    """Turn a plain community database into an encrypted one in place; its plain backups too.

    An online backup first; the encrypted copy is written beside the database, checked (integrity,
    schema version, rows per table), and only then takes the database's place. The plain file and
    its -wal/-shm go; the plain backups in backups/ are encrypted the same way, one by one.
    """
    path = ctx.db_path
    kind = file_kind(path)
    if kind == "missing":
        raise InvalidInput.of("encrypt.no_database", path=path)
    if kind == "encrypted":
        ctx.warn(ctx.say("encrypt.already", path=path))
        return 0
    store = ctx.store()  # plain: migrates it first, refuses an office database or a newer one
    if store.path is None:
        raise InvalidInput.of("encrypt.needs_file")
    passphrase = ctx.require_passphrase(new=True)
    key = DbKey.new(passphrase)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    safety = backups_dir(path) / f"{path.stem}-{stamp}-encrypt.db"
    # Nothing may be written between the copy and the swap: a second connection holds the write lock
    # (another cadre-tui waits for it), while the store's own connection reads the copy.
    conn = store.db.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    guard = connect(path, None, timeout=5.0, isolation_level=None)
    guard.execute("BEGIN IMMEDIATE")
    staged = path.with_name(f".{path.name}.encrypting")
    try:
        online_backup(conn, safety)
        export_encrypted(safety, staged, key)
    finally:
        guard.execute("ROLLBACK")
        guard.close()
    ctx.close()
    os.replace(staged, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    Store.open(path, passphrase=passphrase).close()  # the check a user would make: it opens
    encrypted_backups = _encrypt_backups(path, passphrase)
    ctx.warn(ctx.say("encrypt.done", path=path, count=encrypted_backups))
    return 0


def _encrypt_backups(path: Path, passphrase: str) -> int:
    """Encrypt the plain backups of the database at `path` in place, each checked before its swap."""
    folder = backups_dir(path)
    count = 0
    for backup in sorted(folder.glob(f"{path.stem}-*.db")) if folder.is_dir() else []:
        if file_kind(backup) != "plain":
            continue
        staged = backup.with_name(f".{backup.name}.encrypting")
        export_encrypted(backup, staged, DbKey.new(passphrase))
        os.replace(staged, backup)
        count += 1
    return count


def run_passphrase(ctx: Context) -> int:
    """Change the passphrase of an encrypted database (`PRAGMA rekey`), after a backup."""
    path = ctx.db_path
    if file_kind(path) != "encrypted":
        raise InvalidInput.of("passphrase.not_encrypted", path=path)
    store = ctx.store()  # the old passphrase: a wrong one stops here with exit 3
    new = ctx.passphrase(new=True, env=ENV_NEW_PASSPHRASE, what="passphrase.new")
    if new is None:
        raise InvalidInput.of("passphrase.new_needed")
    backup_before(store, "rekey")
    escaped = new.replace("'", "''")
    store.db.execute(f"PRAGMA rekey = '{escaped}'")
    ctx.close()
    Store.open(path, passphrase=new).close()
    ctx.warn(ctx.say("passphrase.changed"))
    return 0


def register(groups: Groups) -> None:
    """Add `init`, `backup`, `restore`."""
    p = groups.command("init", "create the community in the database, or update its settings", run_init)
    p.add_argument("--community", required=True, metavar="NAME", help="the community's name, e.g. 幸福社区")
    p.add_argument("--code", metavar="CODE", help="the official community code (kept for life once set)")
    p.add_argument("--timezone", metavar="TZ", help="time zone (default Asia/Shanghai)")
    p.add_argument("--me", metavar="CADRE_CODE", help="the cadre this laptop belongs to")

    p = groups.command("backup", "copy the database to FILE (online backup)", run_backup)
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="overwrite FILE")

    p = groups.command(
        "restore", "replace the database with a backup (the current one is backed up first)", run_restore
    )
    p.add_argument("file", metavar="FILE")

    groups.command(
        "encrypt", "turn a plain community database into an encrypted one (its backups too)", run_encrypt
    )
    groups.command("passphrase", "change the database passphrase", run_passphrase)
