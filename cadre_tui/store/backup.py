"""Online backups (sqlite3 backup API) before every migration and import; the last 10 are kept.

A backup of an encrypted database is encrypted with the same key and salt, so the database's
passphrase opens it (with this program or the standard SQLCipher tools).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cadre_tui.paths import make_private_dir
from cadre_tui.store.keys import DbKey, connect

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


def backup_before(store: Store, reason: str, conn: Any = None) -> Path | None:
    """Back up the store into `backups/` before `reason` (import, migrate, restore); keep the last 10.
    Read through `conn` when given (a connection of its own to the store's file)."""
    if store.path is None:
        return None
    target = online_backup(conn or store.db.conn, _new_backup_path(store.path, reason), store.key)
    prune(target.parent, store.path.stem)
    return target


def _new_backup_path(db_path: Path, reason: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return backups_dir(db_path) / f"{db_path.stem}-{stamp}-{reason}.db"


@contextmanager
def provisional_backup(
    store: Store, reason: str, *, wanted: bool = True
) -> Iterator[Callable[[], Path | None]]:
    """A backup the block makes (`make()`, once, inside its write transaction and before its first
    write: through a connection of its own, which reads the database as last committed in either
    journal mode), kept only when the block ends without an error: an import refused after its check,
    failing or interrupted takes its backup back (and the folder, when it made it) and prunes none of
    the older ones; they are pruned once the block (its COMMIT included) has gone through. A kill leaves
    the new backup, the database as it was before. (A Ctrl-C landing between the COMMIT and the block's
    end takes back the backup of an import that went through: microseconds of Python, accepted.) Not
    `wanted` (`--no-backup`, a dry run, an empty database): `make()` makes none."""
    made: list[Path] = []
    made_folder: list[Path] = []

    def make() -> Path | None:
        if not wanted or store.path is None:
            return None
        folder = backups_dir(store.path)
        if not folder.exists():
            made_folder.append(folder)
        reader = connect(store.path, store.key)
        try:
            target = _new_backup_path(store.path, reason)
            made.append(target)
            return online_backup(reader, target, store.key)
        finally:
            reader.close()

    try:
        yield make
    except BaseException:
        for target in made:
            with suppress(OSError):  # the block's own error is the one to say (`backups` not a folder)
                target.unlink(missing_ok=True)
        for folder in made_folder:
            with suppress(OSError):
                folder.rmdir()
        raise
    if made and store.path is not None:
        prune(made[0].parent, store.path.stem)


def prune(folder: Path, stem: str, keep: int = KEEP) -> None:
    """Delete all but the newest `keep` backups of the database named `stem`.

    Only this database's own names count: `k.db` must not prune the backups of `k-2.db` beside it.
    """
    own = re.compile(re.escape(stem) + r"-\d{8}T\d{12}Z-[a-z]+\.db")
    found = sorted(p for p in folder.glob(f"{stem}-*.db") if own.fullmatch(p.name))
    for old in found[:-keep] if len(found) > keep else []:
        old.unlink()
