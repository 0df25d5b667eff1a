"""Online backups (sqlite3 backup API) before every migration and import; the last 10 are kept.

A backup of an encrypted database is encrypted with the same key and salt, so the database's
passphrase opens it (with this program or the standard SQLCipher tools).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cadre_tui.paths import make_private_dir
from cadre_tui.store.keys import OPERATIONAL_ERRORS, DbKey, connect

if TYPE_CHECKING:
    from cadre_tui.store.db import Store

KEEP = 10


def backups_dir(db_path: Path) -> Path:
    """`backups/` beside the database."""
    return db_path.parent / "backups"


def online_backup(conn: Any, target: Path, key: DbKey | None = None) -> Path:
    """Copy the live database to `target` (0600) with the backup API, keyed with `key` when encrypted."""
    make_private_dir(target.parent)
    old_umask = os.umask(0o077)
    try:
        out = connect(target, key)
        try:
            conn.backup(out)
            # A backup is one self-contained file, whatever the live database's journal mode.
            out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
    finally:
        os.umask(old_umask)
    os.chmod(target, 0o600)
    return target


def backup_before(store: Store, reason: str) -> Path | None:
    """Back up the store into `backups/` before `reason` (import, migrate, restore); keep the last 10."""
    if store.path is None:
        return None
    folder = backups_dir(store.path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{store.path.stem}-{stamp}-{reason}.db"
    if not _copy_settled(store, target):
        online_backup(store.db.conn, target, store.key)
    prune(folder, store.path.stem)
    return target


def _copy_settled(store: Store, target: Path) -> bool:
    """Back up by copying the database file's bytes, when that is safe; False (nothing made) when not.

    The backup API reads every page through SQLite and writes it again: for an encrypted database each
    page is decrypted and encrypted once more (0.7 s for 11,000 households, more than the rest of
    importing the same bundle again). A copy of the file is the same database when every committed
    page is in it: the WAL is checkpointed whole (no reader in the way), then this connection takes the
    write lock (not waiting for it) and no other connection has committed since just before the
    checkpoint (`data_version`), so nobody can change the file while it is copied. The copy keeps the
    file's key and salt, like the backup API's; it is then switched out of WAL mode, as
    `online_backup` leaves its copies.
    """
    conn = store.db.conn
    path = store.path
    if path is None or conn.in_transaction:
        return False
    # Read before the checkpoint: a commit by another connection after it shows as a new version.
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    if busy or frames != copied:
        return False
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except OPERATIONAL_ERRORS:  # another connection is writing: the backup API waits its turn
            return False
        try:
            if conn.execute("PRAGMA data_version").fetchone()[0] != version:
                return False
            make_private_dir(target.parent)
            old_umask = os.umask(0o077)
            try:
                shutil.copyfile(path, target)
            except BaseException:
                target.unlink(missing_ok=True)  # no half copy left to look like a backup
                raise
            finally:
                os.umask(old_umask)
        finally:
            conn.execute("ROLLBACK")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    os.chmod(target, 0o600)
    out = connect(target, store.key)
    try:
        out.execute("PRAGMA journal_mode = DELETE")
    finally:
        out.close()
    return True


def prune(folder: Path, stem: str, keep: int = KEEP) -> None:
    """Delete all but the newest `keep` backups of the database named `stem`.

    Only this database's own names count: `k.db` must not prune the backups of `k-2.db` beside it.
    """
    own = re.compile(re.escape(stem) + r"-\d{8}T\d{12}Z-[a-z]+\.db")
    found = sorted(p for p in folder.glob(f"{stem}-*.db") if own.fullmatch(p.name))
    for old in found[:-keep] if len(found) > keep else []:
        old.unlink()
