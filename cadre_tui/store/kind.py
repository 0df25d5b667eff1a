"""Which kind of database file is at a path, from its first bytes, and where its passphrase comes from.

What the app's launch needs before its first screen, without SQLCipher, hashlib or sqlite3 (their
extension modules take 5-15 ms to load: issue 12, launch). `store/keys.py` re-exports these names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

ENV_PASSPHRASE = "CADRE_TUI_PASSPHRASE"
PLAIN_HEADER = b"SQLite format 3\x00"

Kind = Literal["missing", "plain", "encrypted"]


def file_kind(path: Path) -> Kind:
    """`missing` (no file, or an empty one), `plain` (an SQLite header) or `encrypted` (anything else)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return "missing"
    if not head:
        return "missing"
    return "plain" if head == PLAIN_HEADER else "encrypted"
