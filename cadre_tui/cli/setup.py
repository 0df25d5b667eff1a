"""`init`, `backup` and `restore`."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfoNotFoundError, available_timezones

from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.store import schema
from cadre_tui.store.backup import backup_before, online_backup
from cadre_tui.store.db import Store, community_id_for

if TYPE_CHECKING:
    from cadre_tui.cli import Context, Groups


def run_init(ctx: Context) -> int:
    """Create the community, or update the settings given on its own community."""
    args = ctx.args
    store = ctx.store()
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
    online_backup(store.db.conn, out)
    ctx.out(str(out))
    return 0


def run_restore(ctx: Context) -> int:
    """Replace the database with a backup, after backing up the current one."""
    source = Path(ctx.args.file).expanduser()
    if not source.is_file():
        raise InvalidInput(f"{source}: no such backup file")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        version = src.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{source}: not a cadre-tui backup ({exc})") from None
    try:
        if "settings" not in tables or version < 1:
            raise InvalidInput(f"{source}: not a cadre-tui backup")
        # A damaged backup must never replace a sound database.
        try:
            problems = [r[0] for r in src.execute("PRAGMA integrity_check(5)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise InvalidInput(f"{source}: the backup is damaged ({problems[0]}); choose another one")
        if version > schema.schema_version():
            raise Refused(f"{source}: written by a newer cadre-tui (schema {version}); upgrade first")
        store = ctx.store()
        mine = store.community()
        row = src.execute("SELECT value FROM settings WHERE key = 'community_id'").fetchone()
        theirs = row[0].strip('"') if row else None
        if mine is not None and theirs is not None and theirs != mine.id:
            raise Refused(f"{source}: a backup of another community; this database holds {mine.name}")
        saved = backup_before(store, "restore")
        src.backup(store.db.conn)
    finally:
        src.close()
    ctx.close()
    Store.open(ctx.db_path).close()  # migrates an older backup forward
    ctx.warn(
        ctx.t(
            f"已恢复；恢复前的数据库已备份到 {saved}", f"restored; the previous database was saved to {saved}"
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
