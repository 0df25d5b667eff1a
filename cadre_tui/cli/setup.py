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
        raise InvalidInput("--community: the community's name is empty")
    code = args.code.strip() if args.code else None
    timezone = args.timezone or None
    if timezone is not None and timezone not in available_timezones():
        raise InvalidInput(f"--timezone: unknown time zone {timezone} (e.g. Asia/Shanghai)")
    existing = store.community()
    if existing is not None:
        same = (
            (code is not None and code == existing.code)
            or (name == existing.name and (code is None or existing.code is None))
            or community_id_for(code or name) == existing.id
        )
        if not same:
            raise Refused(
                f"{store.path}: holds the community {existing.name} ({existing.code or existing.id}); "
                "use another database for another community"
            )
    try:
        community = store.set_community(
            name,
            code if existing is None or not existing.code else existing.code,
            timezone or (existing.timezone if existing else "Asia/Shanghai"),
        )
    except ZoneInfoNotFoundError:
        raise InvalidInput(f"--timezone: unknown time zone {timezone}") from None
    if args.me:
        store.set_setting("me", args.me.strip())
    ctx.out(community.id)
    return 0


def run_backup(ctx: Context) -> int:
    """Copy the database to FILE with the online backup API."""
    out = Path(ctx.args.out).expanduser()
    if out.exists() and not ctx.args.force:
        raise Refused(f"{out}: already exists; add --force to overwrite it")
    if out.is_dir():
        raise Refused(f"{out}: is a folder; give a file name")
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
        raise InvalidInput(f"{source}: no such backup file")
    store = ctx.store()
    backup_kind = file_kind(source)
    key: DbKey | None = None
    if backup_kind == "encrypted":
        if not store.encrypted:
            raise Refused(
                f"{source}: an encrypted backup, and the database is not encrypted: run `cadre-tui encrypt` "
                "first, then restore",
                zh=f"{source}：备份已加密，而数据库没有加密：请先运行 `cadre-tui encrypt`，再恢复",
            )
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
        raise InvalidInput(f"{source}: not a cadre-tui backup ({exc})") from None
    converted: Path | None = None
    try:
        if "settings" not in tables or version < 1:
            raise InvalidInput(f"{source}: not a cadre-tui backup")
        # A damaged backup must never replace a sound database.
        try:
            problems = [r[0] for r in src.execute("PRAGMA integrity_check(5)")]
        except DATABASE_ERRORS as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise InvalidInput(f"{source}: the backup is damaged ({problems[0]}); choose another one")
        if version > schema.schema_version():
            raise Refused(f"{source}: written by a newer cadre-tui (schema {version}); upgrade first")
        mine = store.community()
        row = src.execute("SELECT value FROM settings WHERE key = 'community_id'").fetchone()
        theirs = row[0].strip('"') if row else None
        if mine is not None and theirs is not None and theirs != mine.id:
            raise Refused(f"{source}: a backup of another community; this database holds {mine.name}")
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
    ctx.warn(
        ctx.t(
            f"已恢复；恢复前的数据库已备份到 {saved}", f"restored; the previous database was saved to {saved}"
        )
    )
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
        raise InvalidInput(
            f"no database at {path}: `cadre-tui init` creates an encrypted one",
            zh=f"{path} 没有数据库：`cadre-tui init` 会建立加密的数据库",
        )
    if kind == "encrypted":
        ctx.warn(ctx.t(f"{path} 已经加密，无需再加密", f"{path}: already encrypted; nothing to do"))
        return 0
    store = ctx.store()  # plain: migrates it first, refuses an office database or a newer one
    if store.path is None:
        raise InvalidInput("encrypt needs a database file")
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
    ctx.warn(
        ctx.t(
            f"已加密 {path}（另加密了 {encrypted_backups} 份备份）。请记住口令：忘了口令，数据无法找回。",
            f"encrypted {path} (and {encrypted_backups} backups). Keep the passphrase safe: without it "
            "the data cannot be recovered.",
        )
    )
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
        raise InvalidInput(
            f"{path}: the database is not encrypted; `cadre-tui encrypt` encrypts it",
            zh=f"{path}：数据库没有加密；运行 `cadre-tui encrypt` 加密它",
        )
    store = ctx.store()  # the old passphrase: a wrong one stops here with exit 3
    new = ctx.passphrase(new=True, env=ENV_NEW_PASSPHRASE, what=("新口令", "new passphrase"))
    if new is None:
        raise InvalidInput(
            "a new passphrase is needed: run this at a terminal to type it twice, or set "
            "CADRE_TUI_NEW_PASSPHRASE",
            zh="需要新口令：请在终端运行以便输入两次，或设置环境变量 CADRE_TUI_NEW_PASSPHRASE",
        )
    backup_before(store, "rekey")
    escaped = new.replace("'", "''")
    store.db.execute(f"PRAGMA rekey = '{escaped}'")
    ctx.close()
    Store.open(path, passphrase=new).close()
    ctx.warn(
        ctx.t(
            "口令已更改。旧备份仍用旧口令打开。",
            "passphrase changed. Older backups still open with the old passphrase.",
        )
    )
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
