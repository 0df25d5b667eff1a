"""SQLCipher 4's key derivation of a database's passphrase, and the same begun ahead on another thread.

hashlib and a file's first bytes only, no SQLCipher: the command line begins the derivation (~0.13 s,
PBKDF2 without the GIL) before `store/keys.py` loads SQLCipher's module (~12 ms of every encrypted
command then overlapped with it, issue 12). `store/keys.py` re-exports these names.
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path

from cadre_tui.store.kind import file_kind

SALT_BYTES = 16
KDF_ITERATIONS = 256_000
KEY_BYTES = 32


def derive(passphrase: str, salt: bytes) -> bytes:
    """SQLCipher 4's default key derivation of `passphrase` with a file's salt (~0.1-0.3 s, then cached);
    one already under way (`derive_ahead`) is waited for, not begun again."""
    ahead = _ahead.pop((passphrase, salt), None)
    if ahead is not None:
        ahead.join()
    return _derive(passphrase, salt)


@lru_cache(maxsize=32)
def _derive(passphrase: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)


_ahead: dict[tuple[str, bytes], threading.Thread] = {}
# A fresh salt whose key is being derived ahead, for the new file `DbKey.new` makes with that passphrase.
_new_salts: dict[str, bytes] = {}


def derive_ahead(path: Path, passphrase: str, *, new: bool = True) -> None:
    """Begin the key derivation of the database at `path` (or of a new one there, when `new`) on another
    thread.

    PBKDF2 releases the GIL: a command that has other work before it opens the database (decrypting
    a sync bundle: scrypt) does both at once on two cores. Nothing is written; a guess that turns out
    unused (another passphrase given, the file plain) costs only that thread's time.
    """
    try:
        kind = file_kind(path)
        if kind == "plain":
            return
        if kind == "missing":
            if not new:
                return
            salt = _new_salts.setdefault(passphrase, os.urandom(SALT_BYTES))
        else:
            with path.open("rb") as handle:
                salt = handle.read(SALT_BYTES)
    except OSError:  # a folder, no permission: opening the store says what is wrong, in words
        return
    if (passphrase, salt) not in _ahead:
        thread = threading.Thread(target=_derive, args=(passphrase, salt), daemon=True)
        _ahead[(passphrase, salt)] = thread
        thread.start()


def deriving() -> bool:
    """Whether a derivation begun ahead is still under way (the command would wait for it)."""
    return any(thread.is_alive() for thread in _ahead.values())


def new_salt_of(passphrase: str) -> bytes:
    """The salt of a new file keyed with `passphrase`: the one `derive_ahead` chose, else a fresh one."""
    return _new_salts.pop(passphrase, None) or os.urandom(SALT_BYTES)
