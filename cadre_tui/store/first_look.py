"""What the app needs to draw its first screen, read before the store is opened (issue 12: launch).

The app draws its first screen while the store (the migrations when due, the dashboard's queries) is
still being opened in a worker. To know which screen and in which language, it reads three values
here from a plain file with one bare connection: the language chosen in Settings, whether the database
has a community (the dashboard, else the how-to-start screen) and its name (the header). It reads
nothing else and writes nothing.

An encrypted file whose passphrase is given (CADRE_TUI_PASSPHRASE) is not read here: its key derivation
(PBKDF2, 0.13-0.3 s of a core) would hold up the first screen, or take a core from it on a busy
machine. It gives `BEFORE_THE_KEY` at once: the dashboard is drawn in the command line's language, as
the unlock screen speaks before a key, and the store, opened once that screen is on the terminal, says
the rest (the community's name, or none: the how-to-start screen; the language saved in Settings, in
which the first screen is then drawn again; a migration, run there with its backup first; a wrong
passphrase or a newer program's file end the app with the store's own message and exit code).

Anything unusual in a plain file — a schema version other than this program's (a migration to run with
its backup first, or a newer program's file to refuse), the office database, a file that is not a
database — gives None, as does an encrypted file without a passphrase (the unlock screen): the caller
then opens the store the usual way, before the app starts, and the store reports it exactly as it
always has.

This module imports neither sqlite-utils nor SQLCipher (that is its point: the first screen is drawn
without them); the migrations' list (store/schema.py) loads sqlite-utils only to apply them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cadre_tui.store.kind import file_kind
from cadre_tui.store.schema import schema_version

SCHEMA_VERSION = schema_version()
"""The migrations this program knows."""
OFFICE_APPLICATION_ID = 0x43444F46
"""`db.OFFICE_APPLICATION_ID`, the office database's mark (the same test holds the two equal)."""
# What reading the file may raise: it is then opened the usual way, which reports it in words.
UNREADABLE: tuple[type[Exception], ...] = (OSError, ValueError, TypeError, sqlite3.DatabaseError)


@dataclass(frozen=True)
class FirstLook:
    """The community database as the first screen needs it."""

    lang: str | None
    """The language saved in Settings (`store.settings.get_local(store, "lang")`), if any."""
    community_name: str | None
    """`store.community().name`, or None before a community exists."""
    before_key: bool = False
    """Not read: an encrypted file, drawn before its key is derived (`BEFORE_THE_KEY`)."""


BEFORE_THE_KEY = FirstLook(lang=None, community_name="", before_key=True)
"""An encrypted file's first screen before its key: the dashboard, no saved language, no name yet. The
store, opened after it, gives the name, or no community (the app then shows the how-to-start screen),
and the saved language (applied then, unless `--lang` was given: `CadreApp.follow_saved_lang`)."""


def first_look(path: Path) -> FirstLook | None:
    """The first screen's values of the plain database at `path`, or None when it must be opened as usual
    first (an encrypted file too: see `first_look_soon`)."""
    try:
        kind = file_kind(path)
    except UNREADABLE:  # a folder, a path under a file: the store's own open says what is wrong
        return None
    if kind != "plain":
        return None
    old_umask = os.umask(0o077)  # a WAL database's -shm and -wal files are created by the first reader
    try:
        conn = sqlite3.connect(str(path), timeout=1.0)
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

    The file's first read then runs while the caller imports Textual. A failure of any kind gives None.
    An encrypted file with its passphrase is not read at all: `BEFORE_THE_KEY` (see the module's text).
    """
    try:
        kind = file_kind(path)
    except UNREADABLE:
        kind = "missing"  # first_look says None: the store's own open says what is wrong
    if kind == "encrypted" and passphrase:
        return lambda: BEFORE_THE_KEY
    if kind != "plain":
        return lambda: None
    found: list[FirstLook | None] = []

    def look() -> None:
        found.append(first_look(path))

    thread = threading.Thread(target=look, name="cadre-first-look", daemon=True)
    thread.start()

    def result() -> FirstLook | None:
        thread.join()
        return found[0] if found else None

    return result
