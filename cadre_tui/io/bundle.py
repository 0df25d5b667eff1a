"""Sync bundles (SPEC §6): a folder or a `.zip` holding `manifest.json` and the nine CSV files, and
the encrypted form of the zip: an age file (`*.cadre`, passphrase recipient, scrypt).

A bundle carries full personal data: it is for the partner's laptop. Export writes every row,
tombstones included. An encrypted bundle is built in memory (the zip never touches the disk) and
written encrypted; import recognises age by its header, decrypts in memory and reads the zip from
those bytes. A plain zip is read in place too: nothing is unpacked to disk. Import checks the
manifest and every file's row count and SHA-256 before it writes anything, then merges everything in
one transaction (`store.merge`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal
from zoneinfo import available_timezones

from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.io.bundle_values import STAMP, ValueChecker
from cadre_tui.io.csvfile import FORMULA_STARTS, csv_record_sql, header_record
from cadre_tui.io.tables import BUNDLE_FILES, bundle_columns, store_column
from cadre_tui.messages import Message
from cadre_tui.paths import make_private_dir
from cadre_tui.store.backup import backup_before
from cadre_tui.store.db import Store, format_stamp
from cadre_tui.store.merge import (
    MERGE_ORDER,
    REFERENCES,
    Column,
    FileMerger,
    MergeReport,
    observe_stamp,
    peer,
    remember_peer,
    table_columns,
)

Progress = Callable[[int, int], None]

FORMAT = "cadre-bundle"
VERSION = 1
MANIFEST = "manifest.json"
EXPECTED_MEMBERS = frozenset({MANIFEST, *BUNDLE_FILES})
# Bounds for reading a zip: far above a real community (36,000 residents, years of visits), far
# below what a hostile or broken archive could unpack to.
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024
_PROGRESS_EVERY = 2000
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


@dataclass(frozen=True)
class ExportResult:
    """Where a bundle was written and how many rows each file holds."""

    path: Path
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Rows in all nine files."""
        return sum(self.rows.values())


def _noop(done: int, total: int) -> None:
    """A progress callback that ignores progress."""
    return None


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    with path.open("rb") as handle:
        return _sha256_stream(handle)


def _sha256_stream(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


# -- export ----------------------------------------------------------------------------------------


def check_export_target(out: Path, force: bool, *, single_file: bool = False) -> None:
    """Refuse (exit 3) to write over an existing file or into a non-empty folder without `force`."""
    if single_file or out.suffix.lower() == ".zip":
        if out.is_dir():
            raise Refused.of("file.is_folder", path=out)
        if out.exists() and not force:
            raise Refused.of("file.exists_force", path=out)
        return
    if out.exists() and not out.is_dir():
        raise Refused.of("bundle.target_file", path=out)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise Refused.of("bundle.folder_not_empty", path=out)


def export_bundle(
    store: Store,
    out: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    passphrase: str | None = None,
) -> ExportResult:
    """Write every synced row of the store as a bundle.

    With `passphrase`: one age file at `out` around the zip, built in memory. Without: a folder, or a
    `.zip` when `out` ends in .zip (the plain forms).
    """
    store.require_community()
    check_export_target(out, force, single_file=passphrase is not None)
    report = progress or _noop
    if passphrase is not None or out.suffix.lower() == ".zip":
        seal = None
        if passphrase is not None:
            from cadre_tui.io import age

            # scrypt first: its 64 MiB are freed before the zip is built, not added to it.
            seal = age.sealer(passphrase)
        data, rows = _zip_bytes(store, community_fields(store), report)
        if seal is not None:
            data = seal(data)
        make_private_dir(out.parent)
        _write_private(out, data)
        return ExportResult(out, rows)
    make_private_dir(out)
    # A half-rewritten folder must not look like a whole bundle: the manifest goes last.
    (out / MANIFEST).unlink(missing_ok=True)
    rows = _write_folder(store, community_fields(store), out, report)
    return ExportResult(out, rows)


def encrypted_name(store: Store, folder: Path) -> Path:
    """The default file name of an encrypted bundle in `folder`: community, date and time, `.cadre`."""
    community = store.require_community()
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", community.name) or "bundle"
    moment = store.clock().astimezone(store.tz()).strftime("%Y%m%d-%H%M")
    return folder / f"{name}-{moment}{ENCRYPTED_SUFFIX}"


def community_fields(store: Store) -> dict[str, Any]:
    """The manifest's description of the community and this laptop."""
    community = store.require_community()
    return {
        "format": FORMAT,
        "version": VERSION,
        "community": community.name,
        "community_id": community.id,
        "community_code": community.code,
        "timezone": community.timezone,
        "device_id": store.device_id,
        "created_at": format_stamp(store.clock()),
    }


def _write_folder(store: Store, head: dict[str, Any], folder: Path, report: Progress) -> dict[str, int]:
    totals = {
        name: store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for name, (table, _columns) in BUNDLE_FILES.items()
    }
    grand_total = sum(totals.values())
    done = 0
    files: dict[str, dict[str, Any]] = {}
    rows: dict[str, int] = {}
    report(0, grand_total)
    for name in BUNDLE_FILES:
        target = folder / name
        written, sha256 = _write_file(store, name, target, report, done, grand_total)
        done += written
        report(done, grand_total)
        rows[name] = written
        files[name] = {"rows": written, "sha256": sha256}
    manifest = {**head, "files": files}
    _write_private(folder / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
    return rows


def _write_bundle_file(
    store: Store, name: str, write: Callable[[bytes], object], report: Progress, start: int, grand_total: int
) -> int:
    """One bundle file's bytes, as `write_csv` writes them (UTF-8 BOM, CRLF, formula-safe), to `write`;
    the row count.

    Rows in rowid order (an ORDER BY id walked the id index and cost a third of the export; the merge
    does not need it), a chunk at a time, with no Python per row or cell: SQLite joins each row's
    values with a unit separator, and a chunk that holds nothing a CSV cell must quote or guard (no
    comma, double quote, CR, LF, no cell starting like a formula, no separator inside a value) becomes
    CSV by two replacements. Any other chunk (rare: a note with a comma) is selected again with each
    record made exactly by SQLite (`csv_record_sql`).
    """
    table = BUNDLE_FILES[name][0]
    columns = [store_column(c) for c in bundle_columns(name)]
    joined = " || char(31) || ".join(f"coalesce({c}, '')" for c in columns)
    # As a BLOB: the record's UTF-8 bytes as SQLite holds them (a database's text is UTF-8), never
    # decoded into a Python str to be encoded again.
    cursor = store.db.execute(f"SELECT rowid, CAST({joined} AS BLOB) FROM {table} ORDER BY rowid")
    exact = f"SELECT {csv_record_sql(columns)} FROM {table} WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
    write(b"\xef\xbb\xbf" + header_record(bundle_columns(name)).encode())
    done = 0
    while chunk := cursor.fetchmany(_PROGRESS_EVERY):
        data = b"\x1e" + b"\x1e".join([r[1] for r in chunk])
        # UTF-8: the separators and every character checked here are single bytes found only as such.
        if (
            data.count(b"\x1f") == len(chunk) * (len(columns) - 1)
            and data.count(b"\x1e") == len(chunk)
            and not any(mark in data for mark in (b'"', b",", b"\r", b"\n"))
            and b"\x1f\x00" not in data.translate(_FORMULA_MARKS)
        ):
            write(data[1:].replace(b"\x1f", b",").replace(b"\x1e", b"\r\n") + b"\r\n")
        else:
            # The same read transaction as `cursor` (still open): exactly the rows of this chunk.
            rows = store.db.execute(exact, [chunk[0][0], chunk[-1][0]]).fetchall()
            write(("\r\n".join([r[0] for r in rows]) + "\r\n").encode())
        done += len(chunk)
        report(start + done, grand_total)
    return done


# Bytes that start a formula (FORMULA_STARTS) as NUL, and both separators as one: a value starting like
# a formula is then a separator followed by NUL (a NUL of the data's own only sends its chunk the slow
# way, as does a negative number).
_FORMULA_MARKS = bytes.maketrans(
    b"\x1e" + "".join(FORMULA_STARTS).encode(), b"\x1f" + b"\x00" * len(FORMULA_STARTS)
)


def _write_file(
    store: Store, name: str, path: Path, report: Progress, start: int, grand_total: int
) -> tuple[int, str]:
    """A bundle file written into a folder (atomically, 0600): its rows and the SHA-256 of its bytes,
    taken on the way."""
    digest = hashlib.sha256()
    make_private_dir(path.parent)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:

            def write(data: bytes) -> None:
                digest.update(data)
                handle.write(data)

            count = _write_bundle_file(store, name, write, report, start, grand_total)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count, digest.hexdigest()


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _zip_bytes(store: Store, head: dict[str, Any], report: Progress) -> tuple[bytes, dict[str, int]]:
    """The bundle as the bytes of a zip, built in memory: the same files `_write_folder` writes."""
    totals = {
        name: store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for name, (table, _columns) in BUNDLE_FILES.items()
    }
    grand_total = sum(totals.values())
    done = 0
    files: dict[str, dict[str, Any]] = {}
    rows: dict[str, int] = {}
    report(0, grand_total)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name in BUNDLE_FILES:
            # Streamed into the zip member (hashed on the way): no whole CSV file is held in memory.
            with archive.open(name, "w") as member:
                digest = hashlib.sha256()

                def write(data: bytes, member: IO[bytes] = member, digest: Any = digest) -> None:
                    digest.update(data)
                    member.write(data)

                written = _write_bundle_file(store, name, write, report, done, grand_total)
            done += written
            report(done, grand_total)
            rows[name] = written
            files[name] = {"rows": written, "sha256": digest.hexdigest()}
        manifest = {**head, "files": files}
        archive.writestr(MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
    return buffer.getvalue(), rows


# -- reading and checking ----------------------------------------------------------------------------


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return (info.external_attr >> 16) & 0o170000 == 0o120000


class FolderSource:
    """The files of a bundle folder."""

    def __init__(self, folder: Path, display: str) -> None:
        self.folder = folder
        self.display = display

    def has(self, name: str) -> bool:
        """Whether the bundle holds the file `name` (a real file, not a link)."""
        path = self.folder / name
        return path.is_file() and not path.is_symlink()

    def size(self, name: str) -> int:
        """The file's size in bytes."""
        return (self.folder / name).stat().st_size

    def open(self, name: str) -> IO[bytes]:
        """The file's bytes, for reading."""
        return (self.folder / name).open("rb")


class ZipSource:
    """The files of a bundle zip (a file, or bytes in memory), read in place: nothing is unpacked.

    Refused on opening (exit 2): absolute paths, `..`, symlinks, encrypted or unexpected members, a
    member over MAX_MEMBER_BYTES, a total over MAX_TOTAL_BYTES. While reading, a member that unpacks
    larger than its header claims is refused too.
    """

    def __init__(self, archive: zipfile.ZipFile, display: str) -> None:
        self.archive = archive
        self.display = display
        self.members: dict[str, zipfile.ZipInfo] = {}
        self._unpacked = 0
        name = display
        infos = archive.infolist()
        if len(infos) > 4 * len(EXPECTED_MEMBERS):
            raise InvalidInput.of("bundle.too_many", file=name, count=len(infos))
        files: list[zipfile.ZipInfo] = []
        for info in infos:
            member = info.filename
            if member.startswith(("/", "\\")) or "\\" in member or re.match(r"^[A-Za-z]:", member):
                raise InvalidInput.of("bundle.absolute", file=name, member=member)
            if ".." in member.split("/"):
                raise InvalidInput.of("bundle.escapes", file=name, member=member)
            if _is_symlink(info):
                raise InvalidInput.of("bundle.symlink", file=name, member=member)
            if info.flag_bits & 0x1:
                raise InvalidInput.of("bundle.zip_encrypted", file=name, member=member)
            if info.file_size > MAX_MEMBER_BYTES:
                raise InvalidInput.of(
                    "bundle.member_too_large",
                    file=name,
                    member=member,
                    size=info.file_size,
                    most=MAX_MEMBER_BYTES,
                )
            if not info.is_dir():
                files.append(info)
        prefix = _common_folder([f.filename for f in files])
        for info in files:
            base = info.filename[len(prefix) :]
            if base not in EXPECTED_MEMBERS:
                raise InvalidInput.of("bundle.stray_member", file=name, member=info.filename)
            if base in self.members:
                raise InvalidInput.of("bundle.member_twice", file=name, member=info.filename)
            self.members[base] = info
        if sum(f.file_size for f in files) > MAX_TOTAL_BYTES:
            raise InvalidInput.of("bundle.too_large_unpacked", file=name, most=MAX_TOTAL_BYTES)

    def has(self, name: str) -> bool:
        """Whether the zip holds the bundle file `name`."""
        return name in self.members

    def size(self, name: str) -> int:
        """The member's unpacked size, as its header claims (reading checks the claim)."""
        return self.members[name].file_size

    def open(self, name: str) -> IO[bytes]:
        """The member's unpacked bytes, refused once they run past what the header claims."""
        info = self.members[name]
        raw = _Bounded(
            self.archive.open(info),
            min(MAX_MEMBER_BYTES, info.file_size),
            self,
            f"{self.display}: {info.filename}",
        )
        return io.BufferedReader(raw, _CHUNK)

    def count(self, n: int, where: str) -> None:
        """Add `n` unpacked bytes to the total; refuse past MAX_TOTAL_BYTES."""
        self._unpacked += n
        if self._unpacked > MAX_TOTAL_BYTES:
            raise InvalidInput.of("bundle.unpacks_larger", file=where)


class _Bounded(io.RawIOBase):
    """A member stream that refuses (exit 2) to yield more bytes than its header claimed."""

    def __init__(self, inner: IO[bytes], limit: int, owner: ZipSource, where: str) -> None:
        super().__init__()
        self.inner = inner
        self.limit = limit
        self.owner = owner
        self.where = where
        self.seen = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.seen += len(data)
        self.owner.count(len(data), self.where)
        if self.seen > self.limit:
            raise InvalidInput.of("bundle.unpacks_larger", file=self.where)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


Source = FolderSource | ZipSource


def _common_folder(names: list[str]) -> str:
    """`"bundle/"` when every member sits in that one folder (a zipped folder), else `""`."""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        top = next(iter(tops)) + "/"
        if all("/" not in n[len(top) :] for n in names):
            return top
    return ""


@dataclass(frozen=True)
class Manifest:
    """A checked manifest."""

    community: str
    community_id: str
    community_code: str | None
    timezone: str
    device_id: str
    created_at: str
    rows: dict[str, int]


def read_manifest(source: Source) -> Manifest:
    """Read and check `manifest.json` and every file it lists (rows are checked when read): exit 2."""
    display = source.display
    where = f"{display}/{MANIFEST}"
    if not source.has(MANIFEST):
        raise InvalidInput.of("bundle.no_manifest", file=where)
    if source.size(MANIFEST) > MAX_MANIFEST_BYTES:
        raise InvalidInput.of("bundle.manifest_too_large", file=where)
    try:
        with source.open(MANIFEST) as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput.of("bundle.bad_json", file=where, error=exc) from None
    except RecursionError:
        raise InvalidInput.of("bundle.nested", file=where) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput.of("bundle.bad_format", file=where)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput.of("bundle.no_version" if version is None else "bundle.bad_version", file=where)
    if version > VERSION:
        raise Refused.of("bundle.newer", file=where, version=version)
    if version != VERSION:
        raise InvalidInput.of("bundle.unknown_version", file=where, version=version)
    text_fields = {}
    for key in ("community", "community_id", "timezone", "device_id", "created_at"):
        value = data.get(key)
        if value is None:
            raise InvalidInput.of("bundle.field_missing", file=where, field=key)
        if not isinstance(value, str) or not value:
            raise InvalidInput.of("bundle.field_not_text", file=where, field=key)
        text_fields[key] = value
    if text_fields["timezone"] not in available_timezones():
        raise InvalidInput.of("bundle.bad_timezone", file=where, timezone=text_fields["timezone"][:40])
    code = data.get("community_code")
    if code is not None and not isinstance(code, str):
        raise InvalidInput.of("bundle.field_not_text", file=where, field="community_code")
    files = data.get("files")
    if not isinstance(files, dict):
        raise InvalidInput.of("bundle.no_files" if files is None else "bundle.bad_files", file=where)
    unknown = sorted(set(files) - set(BUNDLE_FILES))
    if unknown:
        raise InvalidInput.of("bundle.unknown_file", file=where, name=unknown[0])
    rows: dict[str, int] = {}
    for name in BUNDLE_FILES:
        entry = files.get(name)
        if not isinstance(entry, dict):
            raise InvalidInput.of("bundle.not_listed", file=where, name=name)
        count, digest = entry.get("rows"), entry.get("sha256")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise InvalidInput.of("bundle.bad_rows", file=where, name=name)
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise InvalidInput.of("bundle.bad_sha", file=where, name=name)
        if not source.has(name):
            raise InvalidInput.of("bundle.member_missing", file=f"{display}/{name}")
        with source.open(name) as handle:
            actual = _sha256_stream(handle)
        if actual != digest:
            raise InvalidInput.of("bundle.altered", file=f"{display}/{name}")
        rows[name] = count
    return Manifest(
        community=text_fields["community"],
        community_id=text_fields["community_id"],
        community_code=code,
        timezone=text_fields["timezone"],
        device_id=text_fields["device_id"],
        created_at=text_fields["created_at"],
        rows=rows,
    )


# -- import ------------------------------------------------------------------------------------------


def import_bundle(
    store: Store,
    path: Path,
    *,
    progress: Progress | None = None,
    backup: bool = True,
    passphrase: str | None = None,
    decrypted: bytes | None = None,
) -> MergeReport:
    """Check, then merge a bundle (age file, folder or .zip) into the store in one transaction.

    An age file is decrypted in memory with the sync `passphrase` (or `decrypted` is what it holds).
    Exit 2 for a missing, truncated, altered or undecryptable bundle (and a wrong sync passphrase);
    exit 3 for another community's; nothing written.
    """
    kind = bundle_kind(path)
    if kind == "missing":
        raise InvalidInput.of("bundle.missing", path=path)
    if kind == "folder":
        return _import_source(store, FolderSource(path, path.name or str(path)), progress, backup)
    if kind == "age":
        data = decrypted if decrypted is not None else decrypt_bundle(path, passphrase)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise InvalidInput.of("bundle.not_inside", file=path.name, error=exc) from None
        return _import_zip(store, archive, path.name, progress, backup)
    if kind != "zip":
        raise InvalidInput.of("bundle.not_bundle", file=path.name)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise InvalidInput.of("bundle.damaged_zip", file=path.name, error=exc) from None
    except OSError as exc:
        raise InvalidInput.of("bundle.unreadable_zip", file=path.name, error=exc.strerror or exc) from None
    return _import_zip(store, archive, path.name, progress, backup)


def decrypt_bundle(path: Path, passphrase: str | None) -> bytes:
    """The zip inside an age bundle, in memory; exit 2 when it cannot be decrypted."""
    import pyrage

    if passphrase is None:
        raise NeedSyncPassphrase(path.name)
    if path.stat().st_size > MAX_ENCRYPTED_BYTES:
        raise InvalidInput.of("bundle.too_large", file=path.name)
    data = path.read_bytes()
    try:
        return pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as exc:
        if str(exc) == "Decryption failed":
            raise WrongSyncPassphrase(path.name) from None
        raise InvalidInput.of("bundle.damaged_encrypted", file=path.name, error=exc) from None
    except Exception as exc:  # pyrage raises its own errors for a malformed header
        raise InvalidInput.of("bundle.damaged_encrypted", file=path.name, error=exc) from None


def _import_zip(
    store: Store, archive: zipfile.ZipFile, display: str, progress: Progress | None, backup: bool
) -> MergeReport:
    try:
        with archive:
            return _import_source(store, ZipSource(archive, display), progress, backup)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InvalidInput.of("bundle.damaged_zip", file=display, error=exc) from None
    except NotImplementedError as exc:
        raise InvalidInput.of("bundle.zip_unsupported", file=display, error=exc) from None


def _import_source(store: Store, source: Source, progress: Progress | None, backup: bool) -> MergeReport:
    display = source.display
    report = progress or _noop
    manifest = read_manifest(source)
    mine = store.community()
    if mine is not None and mine.id != manifest.community_id:
        raise Refused.of(
            "bundle.other_community",
            file=display,
            community=manifest.community,
            code=manifest.community_code or manifest.community_id,
            mine=mine.name,
        )
    total = sum(manifest.rows.values())
    report(0, total)
    if backup and mine is not None:
        backup_before(store, "import")
    result = MergeReport(peer_device_id=manifest.device_id)
    known_peer = peer(store, manifest.device_id)
    parent_ids: dict[str, set[str]] = {}
    kept_out: set[str] = set()
    done = 0
    newest = ""
    # One transaction: a bad row anywhere (checked as it streams by) rolls back every file before it.
    with _large_cache(store), store.transaction():
        if mine is None:
            store.set_community(
                manifest.community, manifest.community_code, manifest.timezone, manifest.community_id
            )
        for name in MERGE_ORDER:
            where = f"{display}/{name}"
            merger = FileMerger(store, name, known_peer, kept_out)
            checker = _RowChecker(store, name, where, parent_ids)
            i_upd = bundle_columns(name).index("updated_at")
            count = 0
            rebuild = _set_aside_indexes(store, BUNDLE_FILES[name][0])
            for batch in _batches(read_rows(source, name, where, table_columns(store, name))):
                checker.check(batch)
                rows = [row for _line, row in batch]
                merger.merge(rows)
                newest = max(newest, max(row[i_upd] for row in rows))
                count += len(rows)
                done += len(rows)
                report(min(done, total), total)
            for statement in rebuild:
                store.db.execute(statement)
            if count != manifest.rows[name]:
                raise InvalidInput.of("bundle.row_count", file=where, count=count, listed=manifest.rows[name])
            if name in PARENT_FILES:
                parent_ids[name] = checker.ids
            result.files[name] = merger.counts
            result.conflicts.extend(merger.conflicts)
        observe_stamp(store, newest or None)
        if manifest.device_id != store.device_id:
            remember_peer(store, manifest.device_id, manifest.created_at, newest or None)
    # Keep the files in the order of SPEC §6 for the printed summary.
    result.files = {name: result.files[name] for name in BUNDLE_FILES}
    return result


def _set_aside_indexes(store: Store, table: str) -> list[str]:
    """Drop an EMPTY table's plain indexes for the bulk insert; return the statements that rebuild them.

    Building an index once over 100,000 sorted rows is much cheaper than updating it row by row with
    random keys (a new laptop's first import). Unique indexes stay: they guard the natural keys. All of
    it happens inside the import's transaction, so a failed import leaves the indexes as they were.
    """
    if store.db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
        return []
    rows = store.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        [table],
    ).fetchall()
    plain = [(n, sql) for n, sql in rows if "UNIQUE" not in sql.upper().split("INDEX")[0]]
    for index_name, _sql in plain:
        store.db.execute(f'DROP INDEX "{index_name}"')
    return [sql for _n, sql in plain]


PARENT_FILES = frozenset(REFERENCES.values())
# Page cache while merging: random UUID keys touch index pages all over the file, and SQLite's default
# 2,000 pages make an import of 100,000 visits wait on the disk. 16 MiB (was 48): the same time on a
# plain database, +0.25 s CPU on an encrypted one, 35-45 MB less peak memory (issue 12: < 120 MB).
IMPORT_CACHE_KIB = 16 * 1024


@contextmanager
def _large_cache(store: Store) -> Iterator[None]:
    before = store.db.execute("PRAGMA cache_size").fetchone()[0]
    store.db.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        store.db.execute(f"PRAGMA cache_size = {before}")


_BATCH = 5000

Row = tuple[int, tuple[Any, ...]]


def _batches(rows: Iterator[Row]) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def read_rows(source: Source, file_name: str, where: str, columns: list[Column]) -> Iterator[Row]:
    """Stream one bundle file as (line, store values in bundle column order); exit 2 naming FILE:LINE.

    Cells are taken exactly as written, less the one `'` the writer adds for formula safety; an
    empty cell of a nullable column is NULL. Streaming keeps a large community's import small.
    """
    names = bundle_columns(file_name)
    try:
        with io.TextIOWrapper(source.open(file_name), encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise InvalidInput.of("csv.empty", file=where)
            positions = {cell.strip(): i for i, cell in enumerate(header)}
            missing = [c for c in names if c not in positions]
            if missing:
                raise InvalidInput.of("bundle.missing_column", file=where, columns=", ".join(missing))
            order = [positions[c] for c in names]
            width = len(header)
            specs = [
                (i, c.integer, not c.notnull, name) for i, c, name in zip(order, columns, names, strict=True)
            ]
            line = reader.line_num + 1
            for raw in reader:
                start, line = line, reader.line_num + 1
                if not raw or raw == [""]:
                    continue
                if len(raw) != width:
                    raise InvalidInput.of(
                        "csv.too_many_cells", file=where, line=start, count=len(raw), header=width
                    )
                yield start, _convert(raw, specs, where, start)
    except UnicodeDecodeError:
        raise InvalidInput.of("bundle.not_utf8", file=where) from None
    except csv.Error as exc:
        raise InvalidInput.of("bundle.broken_csv", file=where, error=exc) from None


def _convert(
    raw: list[str], specs: list[tuple[int, bool, bool, str]], where: str, line: int
) -> tuple[Any, ...]:
    values: list[Any] = []
    for i, integer, nullable, name in specs:
        cell = raw[i]
        if integer:
            if cell == "" and nullable:
                values.append(None)
                continue
            try:
                values.append(int(cell))
            except ValueError:
                raise InvalidInput.of(
                    "import.at",
                    file=where,
                    line=line,
                    column=name,
                    problem=Message("settings.not_whole", value=cell[:40]),
                ) from None
        elif cell == "" and nullable:
            # An empty cell is how the writer spells NULL; a NULL reference must not become ''.
            values.append(None)
        else:
            values.append(cell[1:] if cell[:1] == "'" else cell)
    return tuple(values)


class _RowChecker:
    """Checks what the merge relies on: ids present and unique, sync columns sound, references known."""

    def __init__(self, store: Store, file_name: str, where: str, parent_ids: dict[str, set[str]]) -> None:
        self.where = where
        names = bundle_columns(file_name)
        self.values = ValueChecker(file_name, names)
        self.i_id = names.index("id")
        self.i_upd = names.index("updated_at")
        self.i_origin = names.index("origin")
        self.i_deleted = names.index("deleted")
        self.ids: set[str] = set()
        self.references: list[tuple[int, str, set[str], set[str]]] = []
        for (file, column), parent_file in REFERENCES.items():
            if file == file_name:
                table = BUNDLE_FILES[parent_file][0]
                local = {r[0] for r in store.db.execute(f"SELECT id FROM {table}")}
                self.references.append(
                    (names.index(column), column, parent_ids.get(parent_file, set()), local)
                )

    def check(self, batch: list[Row]) -> None:
        """Exit 2 at the first bad row of the batch."""
        where = self.where
        for line, row in batch:
            row_id = row[self.i_id]
            if not row_id:
                raise InvalidInput.of(
                    "import.at", file=where, line=line, column="id", problem=Message("values.empty")
                )
            if row_id in self.ids:
                raise InvalidInput.of(
                    "import.at",
                    file=where,
                    line=line,
                    column="id",
                    problem=Message("bundle.id_twice", id=row_id),
                )
            self.ids.add(row_id)
            if row[self.i_upd] is None or not STAMP.match(row[self.i_upd]):
                raise InvalidInput.of(
                    "import.at",
                    file=where,
                    line=line,
                    column="updated_at",
                    problem=Message("bundle.not_utc", value=str(row[self.i_upd])[:40]),
                )
            if not row[self.i_origin]:
                raise InvalidInput.of(
                    "import.at", file=where, line=line, column="origin", problem=Message("values.empty")
                )
            if row[self.i_deleted] not in (0, 1):
                raise InvalidInput.of(
                    "import.at", file=where, line=line, column="deleted", problem=Message("bundle.flag")
                )
            problem = self.values(row)
            if problem:
                raise InvalidInput.of("file.at", file=where, line=line, problem=problem)
            for i, column, in_bundle, local in self.references:
                value = row[i]
                if value is not None and value not in in_bundle and value not in local:
                    raise InvalidInput.of(
                        "import.at",
                        file=where,
                        line=line,
                        column=column,
                        problem=Message("bundle.dangling", value=repr(value)),
                    )
