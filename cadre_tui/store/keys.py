"""Encrypted community databases (SQLCipher 4): telling them apart, keys, connections, conversion.

A database is keyed with its passphrase under SQLCipher 4's defaults (PBKDF2-HMAC-SHA512, 256,000
iterations, a 32-byte key, the 16-byte salt that opens the file), so `sqlcipher` or DB Browser for
SQLite open it with `PRAGMA key = 'the passphrase'`. The program derives that same key itself once per
process (`derive`, cached) and hands SQLCipher the raw form `x'<key><salt>'`: a second open of the same
file (the app after unlock, a restore, a backup) then costs nothing, and the lock screen checks a
passphrase without reopening anything. A test opens such a file with the plain passphrase.

Plain databases (the demo, anything from before encryption, the office database) keep the standard
library's `sqlite3`; encrypted ones use `sqlcipher3`. Their exceptions are different classes: catch
`DATABASE_ERRORS` / `OPERATIONAL_ERRORS`.
"""

from __future__ import annotations

import hmac
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlcipher3 import dbapi2 as sqlcipher

from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.store.kdf import KDF_ITERATIONS as KDF_ITERATIONS  # begun before this module loads (kdf.py)
from cadre_tui.store.kdf import KEY_BYTES as KEY_BYTES
from cadre_tui.store.kdf import SALT_BYTES as SALT_BYTES
from cadre_tui.store.kdf import _derive as _derive
from cadre_tui.store.kdf import derive as derive
from cadre_tui.store.kdf import derive_ahead as derive_ahead
from cadre_tui.store.kdf import new_salt_of
from cadre_tui.store.kind import ENV_PASSPHRASE as ENV_PASSPHRASE  # the launch's light half (kind.py)
from cadre_tui.store.kind import PLAIN_HEADER as PLAIN_HEADER
from cadre_tui.store.kind import Kind as Kind
from cadre_tui.store.kind import file_kind as file_kind

if TYPE_CHECKING:
    from cadre_tui.store.db import Store

ENV_NEW_PASSPHRASE = "CADRE_TUI_NEW_PASSPHRASE"
ENV_SYNC_PASSPHRASE = "CADRE_TUI_SYNC_PASSPHRASE"
MIN_LENGTH = 8

DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError, sqlcipher.OperationalError)


def _null(_value: None) -> None:
    """NULL, bound as it always was: an adapter of None's own, found at the first look-up."""


# A None parameter with no adapter of its type goes through the module's whole adaptation protocol
# (the adapters looked up, then `__adapt__` and `__conform__` looked for) before it is bound as NULL:
# ~0.3 µs a value in the standard library's sqlite3, ~0.9 µs in sqlcipher3, ~0.1 µs with this adapter
# (issue 12: the bundle import's 124,238 visits carry ~350,000 NULLs; staging them took 0.54 s on an
# encrypted store against 0.33 s on a plain one; 0.21 and 0.26 s with it). Both modules, every connection.
sqlite3.register_adapter(type(None), _null)
sqlcipher.register_adapter(type(None), _null)


class WrongPassphrase(Refused):
    """The passphrase does not open the file (exit 3); nothing was touched."""


def check_new_passphrase(passphrase: str) -> None:
    """Exit 2 for a passphrase too short to protect anything."""
    if len(passphrase) < MIN_LENGTH:
        raise InvalidInput.of("passphrase.short", count=len(passphrase), least=MIN_LENGTH)


@dataclass(frozen=True)
class DbKey:
    """The derived key of one encrypted file and the salt it was derived with."""

    key: bytes
    salt: bytes

    @classmethod
    def new(cls, passphrase: str) -> DbKey:
        """A key for a new file: a fresh random salt (or the one `derive_ahead` chose for it)."""
        salt = new_salt_of(passphrase)
        return cls(derive(passphrase, salt), salt)

    @classmethod
    def for_file(cls, path: Path, passphrase: str) -> DbKey:
        """The key `passphrase` gives for the existing encrypted file at `path` (its first 16 bytes)."""
        with path.open("rb") as handle:
            salt = handle.read(SALT_BYTES)
        return cls(derive(passphrase, salt), salt)

    def raw(self) -> str:
        """The raw key literal SQLCipher takes: `x'<key hex><salt hex>'`."""
        return f"x'{self.key.hex()}{self.salt.hex()}'"

    def pragma(self) -> str:
        """The `PRAGMA key` statement for this key."""
        return f'PRAGMA key = "{self.raw()}"'

    def matches(self, passphrase: str) -> bool:
        """Whether `passphrase` is this file's passphrase (the lock screen's check)."""
        return hmac.compare_digest(derive(passphrase, self.salt), self.key)


def connect(path: Path | str, key: DbKey | None, *, timeout: float = 5.0, **kwargs: Any) -> Any:
    """A connection to a plain (`key` None: sqlite3) or encrypted (sqlcipher3) database file."""
    if key is None:
        return sqlite3.connect(str(path), timeout=timeout, **kwargs)
    conn = sqlcipher.connect(str(path), timeout=timeout, **kwargs)
    # SQLCipher logs a failed HMAC check to stderr; a wrong passphrase is reported by us, in words.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(key.pragma())
    return conn


def verify_key(conn: Any, path: Path) -> int:
    """Read the schema version through a freshly keyed connection; exit 3 if the key is wrong."""
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except DATABASE_ERRORS:
        conn.close()
        raise WrongPassphrase.of("passphrase.wrong", path=path) from None


def table_counts(conn: Any) -> dict[str, int]:
    """Rows per table: the check that a converted copy holds everything its source held."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in sorted(names)}


def export_encrypted(plain: Path, target: Path, key: DbKey) -> None:
    """Write an encrypted copy of the plain database file `plain` to `target` (0600), then check it.

    `sqlcipher_export` copies schema and rows; the schema version is copied by hand. The copy is
    opened again with `key` and must pass `integrity_check` and hold the same rows per table, else
    it is removed and the conversion fails (exit 1) with the source untouched.
    """
    target.unlink(missing_ok=True)
    source = sqlcipher.connect(f"file:{plain}?mode=ro", uri=True, isolation_level=None)
    old_umask = os.umask(0o077)
    try:
        version = source.execute("PRAGMA user_version").fetchone()[0]
        expected = table_counts(source)
        source.execute(f'ATTACH DATABASE ? AS encrypted KEY "{key.raw()}"', [str(target)])
        source.execute("SELECT sqlcipher_export('encrypted')")
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        source.execute("DETACH DATABASE encrypted")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        source.close()
        os.umask(old_umask)
    os.chmod(target, 0o600)
    check = connect(target, key)
    try:
        problems = [r[0] for r in check.execute("PRAGMA integrity_check(5)")]
        same = (
            problems == ["ok"]
            and check.execute("PRAGMA user_version").fetchone()[0] == version
            and table_counts(check) == expected
        )
    finally:
        check.close()
    if not same:
        target.unlink(missing_ok=True)
        from cadre_tui.errors import CadreError

        raise CadreError.of("encrypt.check_failed", path=plain)


SYNC_KEY = "sync_passphrase"  # in the `local` table: never in a bundle, only in an encrypted database


def sync_passphrase(store: Store) -> str | None:
    """`CADRE_TUI_SYNC_PASSPHRASE` (it wins), else the one set with `config sync-passphrase`, else None."""
    env = os.environ.get(ENV_SYNC_PASSPHRASE)
    if env:
        return env
    row = store.db.execute("SELECT value FROM local WHERE key = ?", [SYNC_KEY]).fetchone()
    return row[0] if row else None


def save_sync_passphrase(store: Store, value: str) -> None:
    """Keep the team's sync passphrase inside the database; refused (exit 3) on a plain database."""
    if not store.encrypted:
        raise Refused.of("sync.plain_database", path=store.path)
    check_new_passphrase(value)
    store.db.execute(
        "INSERT INTO local (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [SYNC_KEY, value],
    )
