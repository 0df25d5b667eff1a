"""What both sides of a sync bundle share (SPEC §6): the format's names and constants, the kind of a
path (age file, zip, folder), the sync passphrase errors and the SHA-256 of a file's bytes.

`io/bundle.py` is the public face of the bundle modules; export is in `bundle_export.py`, reading a
bundle's files and checking its manifest in `bundle_source.py`, import in `bundle_import.py`.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Literal

from cadre_tui.errors import InvalidInput
from cadre_tui.io.tables import BUNDLE_FILES
from cadre_tui.messages import Message

Progress = Callable[[int, int], None]

FORMAT = "cadre-bundle"
VERSION = 1
MANIFEST = "manifest.json"
EXPECTED_MEMBERS = frozenset({MANIFEST, *BUNDLE_FILES})
READ_CHUNK = 1024 * 1024
# The first line of every age file (https://age-encryption.org/v1).
AGE_HEADER = b"age-encryption.org/v1\n"
ENCRYPTED_SUFFIX = ".cadre"
# An encrypted bundle is decrypted in memory: bounded like a zip's members.
MAX_ENCRYPTED_BYTES = 1024 * 1024 * 1024

BundleKind = Literal["age", "zip", "folder", "missing", "other"]


class WrongSyncPassphrase(InvalidInput):
    """The sync passphrase does not open the bundle (exit 2); nothing was written."""

    def __init__(self, name: str) -> None:
        super().__init__(Message("bundle.wrong_passphrase", file=name))


class NeedSyncPassphrase(InvalidInput):
    """An encrypted bundle and no sync passphrase (exit 2)."""

    def __init__(self, name: str) -> None:
        super().__init__(Message("bundle.need_passphrase", file=name))


def bundle_kind(path: Path) -> BundleKind:
    """What `path` holds: an age file, a zip, a bundle folder, nothing, or something else."""
    if not path.exists():
        return "missing"
    if path.is_dir():
        return "folder"
    try:
        with path.open("rb") as handle:
            head = handle.read(len(AGE_HEADER))
    except OSError:
        return "other"
    if head == AGE_HEADER:
        return "age"
    return "zip" if zipfile.is_zipfile(path) else "other"


def ignore_progress(done: int, total: int) -> None:
    """A progress callback that ignores progress."""
    return None


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    with path.open("rb") as handle:
        return sha256_stream(handle)


def sha256_stream(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(READ_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
