"""What the app needs to draw its first screen, read before the store is opened (issue 12: launch).

The app draws its first screen while the store (sqlite-utils, the migrations, the dashboard's queries)
is still being opened in a worker. To know which screen and in which language, it reads three values
here with one bare connection: the language chosen in Settings, whether the database has a community
(the dashboard, else the how-to-start screen) and its name (the header). It reads nothing else and
writes nothing.

Anything unusual — a schema version other than this program's (a migration to run with its backup first,
or a newer program's file to refuse), the office database, a file that is not a database, a wrong
passphrase — gives None: the caller then opens the store the usual way, before the app starts, and the
store reports it exactly as it always has.

This module imports neither sqlite-utils nor the migrations (that is its point); `SCHEMA_VERSION` is
their number, which a test holds equal to `schema.schema_version()`.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cadre_tui.store.keys import DATABASE_ERRORS, DbKey, connect, file_kind

SCHEMA_VERSION = 3
"""`schema.schema_version()`: the migrations this program knows (tests/unit/test_launch.py)."""
OFFICE_APPLICATION_ID = 0x43444F46
"""`db.OFFICE_APPLICATION_ID`, the office database's mark (the same test holds the two equal)."""
# What reading the file may raise: it is then opened the usual way, which reports it in words.
UNREADABLE: tuple[type[Exception], ...] = (OSError, ValueError, TypeError, *DATABASE_ERRORS)


@dataclass(frozen=True)
class FirstLook:
    """The community database as the first screen needs it."""

    lang: str | None
    """The language saved in Settings (`store.settings.get_local(store, "lang")`), if any."""
    community_name: str | None
    """`store.community().name`, or None before a community exists."""


def first_look(path: Path, passphrase: str | None) -> FirstLook | None:
    """The first screen's values of the database at `path`, or None when it must be opened as usual first.

    An encrypted file is read with the key derived from `passphrase` (the derivation is cached: opening
    the store afterwards costs no second one).
    """
    try:
        kind = file_kind(path)
    except UNREADABLE:  # a folder, a path under a file: the store's own open says what is wrong
        return None
    if kind == "missing" or (kind == "encrypted" and passphrase is None):
        return None
    old_umask = os.umask(0o077)  # a WAL database's -shm and -wal files are created by the first reader
    try:
        key = DbKey.for_file(path, passphrase) if kind == "encrypted" and passphrase else None
        conn = connect(path, key, timeout=1.0)
    except UNREADABLE:
        return None
    finally:
        os.umask(old_umask)
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None
        if conn.execute("PRAGMA application_id").fetchone()[0] == OFFICE_APPLICATION_ID:
            return None
        lang = conn.execute("SELECT value FROM local WHERE key = 'pref.lang'").fetchone()
        settings = dict(
            conn.execute(
                "SELECT key, value FROM settings WHERE deleted = 0 "
                "AND key IN ('community_id', 'community_name')"
            ).fetchall()
        )
        community_id = json.loads(settings.get("community_id", "null"))
        name = json.loads(settings.get("community_name", '""')) if community_id else None
    except UNREADABLE:
        return None
    finally:
        conn.close()
    return FirstLook(lang=lang[0] if lang else None, community_name=name)


def first_look_soon(path: Path, passphrase: str | None) -> Callable[[], FirstLook | None]:
    """`first_look` started in a thread now; call the result to wait for it.

    The key derivation of an encrypted file (PBKDF2, ~0.15 s in hashlib, which lets go of the GIL) and the
    file's first read then run while the caller imports Textual. A failure of any kind gives None.
    """
    found: list[FirstLook | None] = []

    def look() -> None:
        found.append(first_look(path, passphrase))

    thread = threading.Thread(target=look, name="cadre-first-look", daemon=True)
    thread.start()

    def result() -> FirstLook | None:
        thread.join()
        return found[0] if found else None

    return result
