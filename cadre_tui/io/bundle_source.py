"""Reading a sync bundle's files where they are (a folder, or a zip on disk or in memory: nothing is
unpacked), within bounds, and checking its manifest: the format, the community, and every listed
file's SHA-256, before any row is read (`read_manifest`) or as the rows are read (`Hashing`, then
`check_hashes` names the first altered file).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast
from zoneinfo import available_timezones

from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.io.bundle_format import (
    EXPECTED_MEMBERS,
    FORMAT,
    MANIFEST,
    READ_CHUNK,
    VERSION,
    sha256_stream,
)
from cadre_tui.io.tables import BUNDLE_FILES

# Bounds for reading a zip: far above a real community (36,000 residents, years of visits), far
# below what a hostile or broken archive could unpack to.
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024


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

    def open(self, name: str) -> io.BufferedReader:
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

    def open(self, name: str) -> io.BufferedReader:
        """The member's unpacked bytes, refused once they run past what the header claims."""
        info = self.members[name]
        member = self.archive.open(info)
        if info.compress_type == zipfile.ZIP_DEFLATED:
            _faster_inflate(member)
        raw = _Bounded(
            member,
            min(MAX_MEMBER_BYTES, info.file_size),
            self,
            f"{self.display}: {info.filename}",
        )
        # Its own buffer left small: every reader asks for READ_CHUNK or more at a time (`Hashing`, the
        # manifest, `sha256_stream`), which a BufferedReader passes straight to the member.
        return io.BufferedReader(raw)

    def count(self, n: int, where: str) -> None:
        """Add `n` unpacked bytes to the total; refuse past MAX_TOTAL_BYTES."""
        self._unpacked += n
        if self._unpacked > MAX_TOTAL_BYTES:
            raise InvalidInput.of("bundle.unpacks_larger", file=where)


def _faster_inflate(member: IO[bytes]) -> None:
    """ISA-L's inflate (the `isal` package, as the export deflates) for a deflated member zipfile has
    just opened, in place of zlib's: the same bytes out, ~1.7x faster (the bench bundle's 48 MB of CSV:
    0.070 -> 0.041 s with zipfile's CRC-32; issue 12). zipfile has no way to choose its decompressor: its
    reader's `_decompressor` (CPython 3.6 to 3.14) is replaced before anything is read. Without `isal`
    or that attribute, zlib's stays."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - a dependency; zlib reads the same format
        return
    if getattr(member, "_decompressor", None) is not None:
        error = cast("type[Exception]", isal_zlib.error)  # typed as an instance by isal's stubs
        member._decompressor = _Inflater(isal_zlib.decompressobj(-15), error)  # type: ignore[attr-defined]


class _Inflater:
    """An ISA-L decompressor as zipfile uses zlib's: a broken stream raises `zlib.error`, which the
    import reports as a damaged zip (exit 2), as before."""

    def __init__(self, inner: Any, error: type[Exception]) -> None:
        self.inner = inner
        self.error = error

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        try:
            out: bytes = self.inner.decompress(data, max_length)
        except self.error as exc:
            raise zlib.error(str(exc)) from None
        return out

    def flush(self) -> bytes:
        try:
            out: bytes = self.inner.flush()
        except self.error as exc:
            raise zlib.error(str(exc)) from None
        return out

    @property
    def eof(self) -> bool:
        return bool(self.inner.eof)

    @property
    def unconsumed_tail(self) -> bytes:
        tail: bytes = self.inner.unconsumed_tail
        return tail


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
    sha256: dict[str, str]


def read_manifest(source: Source) -> Manifest:
    """Read and check `manifest.json` and that every file it lists is there: exit 2.

    The files' rows are checked when read, their SHA-256 by the caller, who reads every file whole anyway
    (the bundle import: `Hashing` as it reads, `check_hashes` before it reports anything else)."""
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
    digests: dict[str, str] = {}
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
            _first_altered(source, digests)  # an altered file before it is named first
            raise InvalidInput.of("bundle.member_missing", file=f"{display}/{name}")
        rows[name] = count
        digests[name] = digest
    return Manifest(
        community=text_fields["community"],
        community_id=text_fields["community_id"],
        community_code=code,
        timezone=text_fields["timezone"],
        device_id=text_fields["device_id"],
        created_at=text_fields["created_at"],
        rows=rows,
        sha256=digests,
    )


def check_hashes(source: Source, manifest: Manifest, known: dict[str, str]) -> None:
    """Exit 2 naming the first file (in the bundle's order) whose SHA-256 is not the manifest's.

    `known`: digests already computed as the files were read (the others are read again here)."""
    for name in BUNDLE_FILES:
        expected = manifest.sha256[name]
        if name in known:
            if known[name] != expected:
                raise InvalidInput.of("bundle.altered", file=f"{source.display}/{name}")
        else:
            _first_altered(source, {name: expected})


def _first_altered(source: Source, digests: dict[str, str]) -> None:
    for name, digest in digests.items():
        with source.open(name) as handle:
            actual = sha256_stream(handle)
        if actual != digest:
            raise InvalidInput.of("bundle.altered", file=f"{source.display}/{name}")


# Read into one buffer of its own: a new bytes object of 1 MiB a chunk added 2-3 MB to the encrypted
# import's peak (glibc's heap, once such blocks stop being given their own mappings). 1 MiB, not 256 KiB:
# each hand-over of the GIL can cost the reading thread ~1 ms while the second thread holds it
# (cProfile, load 3: 201 updates of 256 KiB 0.19 s, 62 of 1 MiB 0.05 s).
HASH_CHUNK = READ_CHUNK


class Hashing(io.RawIOBase):
    """A stream that computes the SHA-256 of the bytes read through it (`hexdigest` once at the end).

    The file is read and hashed HASH_CHUNK bytes at a time, whatever the reader asks for: the CSV
    reader's text layer asks for 8 KiB at a time (`read1`, which a BufferedReader with nothing buffered
    passes straight through), and each `update` of more than 2 KiB lets go of the GIL, which the import's
    second thread then holds until it is done: ~6,000 hand-overs for the bench bundle's 48 MB, 0.3 s of
    the reading thread's time on a busy machine (issue 12), now ~60.
    """

    def __init__(self, inner: io.BufferedReader) -> None:
        super().__init__()
        self.inner = inner
        self.digest = hashlib.sha256()
        self._buffer = memoryview(bytearray(HASH_CHUNK))  # one buffer, read into again and again
        self._chunk = self._buffer[:0]
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._at >= len(self._chunk):
            self._chunk = self._buffer[: self.inner.readinto(self._buffer)]
            self.digest.update(self._chunk)
            self._at = 0
        n = min(len(buffer), len(self._chunk) - self._at)
        buffer[:n] = self._chunk[self._at : self._at + n]
        self._at += n
        return n

    def hexdigest(self) -> str:
        """The SHA-256 of every byte of the file: what was not read yet is read first."""
        while chunk := self.inner.read(READ_CHUNK):
            self.digest.update(chunk)
        return self.digest.hexdigest()

    def close(self) -> None:
        self._chunk.release()
        self._buffer.release()
        self.inner.close()
        super().close()
