"""Writing a sync bundle (SPEC §6): a folder or a `.zip` holding `manifest.json` and the nine CSV
files, or the encrypted form of the zip (an age file, `*.cadre`, passphrase recipient, scrypt).

A bundle carries full personal data: it is for the partner's laptop. Export writes every row,
tombstones included. An encrypted bundle's zip is encrypted as it is made (its plain bytes never
touch the disk, nor are they held whole in memory), scrypt running on another thread meanwhile.
The CSV members are made a chunk of rows at a time, mostly by SQLite; a zip is made from them on
another thread (deflate on the second core beside the reading).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cadre_tui.errors import Refused
from cadre_tui.io.bundle_format import (
    ENCRYPTED_SUFFIX,
    FORMAT,
    MANIFEST,
    VERSION,
    Progress,
    ignore_progress,
)
from cadre_tui.io.csvfile import FORMULA_STARTS, csv_record_sql, header_record
from cadre_tui.io.tables import BUNDLE_FILES, bundle_columns, store_column
from cadre_tui.paths import make_private_dir
from cadre_tui.store.db import Store, format_stamp

if TYPE_CHECKING:
    from cadre_tui.io.age import Sealing

_PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class ExportResult:
    """Where a bundle was written and how many rows each file holds."""

    path: Path
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Rows in all nine files."""
        return sum(self.rows.values())


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
    sealing: Sealing | None = None,
) -> ExportResult:
    """Write every synced row of the store as a bundle.

    With `passphrase` (or a `sealing` already started for it, scrypt under way): one age file at
    `out` around the zip, encrypted as it is made. Without: a folder, or a `.zip` when `out` ends in
    .zip (the plain forms).
    """
    store.require_community()
    encrypted = passphrase is not None or sealing is not None
    check_export_target(out, force, single_file=encrypted)
    report = progress or ignore_progress
    with _snapshot(store):
        if encrypted:
            if sealing is None:
                from cadre_tui.io.age import Sealing

                assert passphrase is not None
                sealing = Sealing(passphrase)  # scrypt on another thread while the rows are read
            make_private_dir(out.parent)
            with _private_file(out) as handle:
                # Room for the header, written last: it waits for scrypt, the payload does not.
                handle.write(bytes(sealing.header_size))
                payload = sealing.payload(handle.write)
                rows = _write_zip(store, community_fields(store), report, payload)
                payload.close()
                handle.seek(0)
                handle.write(sealing.header())
            return ExportResult(out, rows)
        if out.suffix.lower() == ".zip":
            make_private_dir(out.parent)
            with _private_file(out) as handle:
                rows = _write_zip(store, community_fields(store), report, handle)
            return ExportResult(out, rows)
        make_private_dir(out)
        # A half-rewritten folder must not look like a whole bundle: the manifest goes last.
        (out / MANIFEST).unlink(missing_ok=True)
        rows = _write_folder(store, community_fields(store), out, report)
        return ExportResult(out, rows)


# Page cache while exporting: every page is read once, in order, so a large cache holds nothing that is
# read again. The encrypted database's 32 MiB (store/db.py) would fill up with the whole file's
# beginning and add to the peak beside scrypt's 64 MiB.
EXPORT_CACHE_KIB = 2 * 1024


@contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """One read transaction around the whole export (the nine files show the database at one moment,
    whatever the app writes meanwhile), with a small page cache."""
    conn = store.db.conn
    with store.page_cache(EXPORT_CACHE_KIB):
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            yield
        finally:
            if own and conn.in_transaction:
                conn.execute("COMMIT")


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
    grand_total = _grand_total(store, report)
    done = 0
    digests: dict[str, str] = {}
    rows: dict[str, int] = {}
    report(0, grand_total)
    for name in BUNDLE_FILES:
        target = folder / name
        written, digests[name] = _write_file(store, name, target, report, done, grand_total)
        done += written
        report(done, grand_total)
        rows[name] = written
    _write_private(folder / MANIFEST, _manifest(head, rows, digests))
    return rows


def _grand_total(store: Store, report: Progress) -> int:
    """The rows of all nine files, for a progress bar; 0 when nobody shows progress (the command line):
    counting reads every table's smallest index (0.02 s on the bench's encrypted database)."""
    if report is ignore_progress:
        return 0
    return sum(
        store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table, _columns in BUNDLE_FILES.values()
    )


def _write_bundle_file(
    store: Store,
    name: str,
    write: Callable[[bytes], object],
    report: Progress,
    start: int,
    grand_total: int,
    chunk: ChunkSink | None = None,
) -> int:
    """One bundle file's bytes, as `write_csv` writes them (UTF-8 BOM, CRLF, formula-safe), to `write`;
    the row count. With `chunk`, each chunk of records goes there unchecked instead (`ChunkSink`).

    Rows in rowid order (an ORDER BY id walked the id index and cost a third of the export; the merge
    does not need it), a chunk at a time, with no Python per row or cell: SQLite makes the chunk as
    CSV would be if no cell needed quoting or guarding (values joined by commas, records ended by
    CRLF), and a few passes over its bytes tell whether that holds (no comma, double quote, CR or LF
    inside a value, no cell starting like a formula): then it is written as it is. Any other chunk
    (rare: a note with a comma) is selected again with each record made exactly by SQLite
    (`csv_record_sql`).
    """
    table = BUNDLE_FILES[name][0]
    columns = [store_column(c) for c in bundle_columns(name)]
    commas = len(columns) - 1
    # A chunk of records as one value, made by SQLite in one step (fetched a row at a time, each row
    # was a Python tuple and a bytes object to join), as a BLOB: its UTF-8 bytes as SQLite holds them
    # (a database's text is UTF-8), never decoded into a Python str to be encoded again.
    chunk_sql = (
        "SELECT count(*), min(r), max(r), CAST(group_concat(record, char(13, 10)) || char(13, 10) AS BLOB) "
        f"FROM (SELECT rowid AS r, {_joined_sql(store, columns)} AS record FROM {table} "
        "WHERE rowid > ? ORDER BY rowid LIMIT ?)"
    )
    exact = f"SELECT {csv_record_sql(columns)} FROM {table} WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
    write(b"\xef\xbb\xbf" + header_record(bundle_columns(name)).encode())
    done = 0
    after = -(2**63)
    while True:
        count, first, last, data = store.db.execute(chunk_sql, [after, _PROGRESS_EVERY]).fetchone()
        if not count:
            break
        careful = partial(_careful_chunk, store, exact, first, last)
        if chunk is not None:
            chunk(data, count, commas, careful)
        else:
            write(data if plain_csv(data, count, commas) else careful())
        after = last
        done += count
        report(start + done, grand_total)
    return done


# Where a chunk of records made by SQLite goes to be checked (`plain_csv`) and written, given its
# record count, the commas a record holds and a function that makes the same records carefully
# (`_careful_chunk`, on the thread that reads the database).
ChunkSink = Callable[[bytes, int, int, Callable[[], bytes]], None]


def plain_csv(data: bytes, count: int, commas: int) -> bool:
    """Whether `count` records made by SQLite (values joined by commas, each record ended by CRLF) are
    already CSV as `write_csv` writes it: no comma, double quote, CR or LF inside a value, no value
    starting like a formula."""
    # UTF-8: every character checked here is a single byte, found only as such. One translation marks
    # the bytes before a value (comma, LF) as \x1f, the bytes CSV must quote (CR, double quote) as
    # \x1e, the starts of a formula as NUL. SQLite's separators give exactly `count * commas` commas,
    # `count` LFs and `count` CRs, and a value can only add to them (as can a \x1f or \x1e of the
    # data's own, which sends the chunk the careful way): equal counts mean none inside a value.
    # A value starting like a formula is then a \x1f followed by NUL (or the chunk's first byte).
    marked = data.translate(_CSV_MARKS)
    return (
        marked.count(b"\x1f") == count * (commas + 1)
        and marked.count(b"\x1e") == count
        and data[:1] not in _FORMULA_FIRST_BYTES
        and b"\x1f\x00" not in marked
    )


def _careful_chunk(store: Store, exact: str, first: int, last: int) -> bytes:
    """The records of rowids `first` to `last`, each made exactly by SQLite (`csv_record_sql`), in the
    export's read transaction (`_snapshot`): the same rows as the chunk."""
    rows = store.db.execute(exact, [first, last]).fetchall()
    return ("\r\n".join([r[0] for r in rows]) + "\r\n").encode()


def _joined_sql(store: Store, columns: list[str]) -> str:
    """An SQL expression joining a row's values with commas, NULL as nothing.

    `concat()` (SQLite 3.44; SQLCipher's is newer) makes the record in one step: the chain of `||`
    copies the record so far at each column (0.40 -> 0.26 s of SQLite's time for the bench's
    encrypted export). The system SQLite of a plain database may be older: the chain, same bytes.
    """
    if _has_concat(store.db.conn):
        return "concat(" + ", ',', ".join(columns) + ")"
    return " || ',' || ".join(f"coalesce({c}, '')" for c in columns)


def _has_concat(conn: Any) -> bool:
    version = conn.execute("SELECT sqlite_version()").fetchone()[0]
    return tuple(int(part) for part in version.split(".")[:2]) >= (3, 44)


# `plain_csv`'s marks. A NUL of the data's own after a comma or LF reads as a formula start: its chunk
# goes the careful way, as does a negative number. CR and LF, also formula starts, are ruled out inside
# values by the counts.
_VALUE_STARTS = "".join(c for c in FORMULA_STARTS if c not in "\r\n").encode()
_CSV_MARKS = bytes.maketrans(b',\n\r"' + _VALUE_STARTS, b"\x1f\x1f\x1e\x1e" + b"\x00" * len(_VALUE_STARTS))
_FORMULA_FIRST_BYTES = {bytes([c]) for c in _VALUE_STARTS + b"\x00"}


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
    with _private_file(path) as handle:
        handle.write(data)


@contextmanager
def _private_file(path: Path) -> Iterator[IO[bytes]]:
    """A file written beside `path` (0600) that replaces it once whole, or is removed."""
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_zip(
    store: Store,
    head: dict[str, Any],
    report: Progress,
    target: Any,
) -> dict[str, int]:
    """The bundle as a zip written to `target` (a file, or an age payload: a stream that cannot seek,
    so zipfile puts each member's sizes after it): the same files `_write_folder` writes.

    SQLite's chunks of records are read on this thread; the rest is done on another (`_Zipper`), on
    the second core beside the reading: the chunks' checks (`plain_csv`), SHA-256, CRC, deflate, the
    age payload's encryption and the file's writes.
    """
    grand_total = _grand_total(store, report)
    done = 0
    rows: dict[str, int] = {}
    report(0, grand_total)
    zipper = _Zipper(target)
    try:
        for name in BUNDLE_FILES:
            zipper.open(name)
            written = _write_bundle_file(store, name, zipper.write, report, done, grand_total, zipper.chunk)
            zipper.close_member()
            done += written
            report(done, grand_total)
            rows[name] = written
        zipper.finish(head, rows)
    except BaseException:
        zipper.abort()
        raise
    return rows


def _manifest(head: dict[str, Any], rows: dict[str, int], digests: dict[str, str]) -> bytes:
    files = {name: {"rows": rows[name], "sha256": digests[name]} for name in rows}
    return (json.dumps({**head, "files": files}, ensure_ascii=False, indent=2) + "\n").encode()


# The zip's thread is handed whole chunks of records (~0.5 MB each, `_PROGRESS_EVERY` rows), smaller
# writes (a header, a small table) gathered up to this size: each hand-over costs that thread a few
# waits for the GIL between its SHA-256, CRC, deflate and write calls (which release it). The job queue
# of the second session (small writes) lost more to those waits than deflate on a second core gained.
ZIP_BATCH = 256 * 1024
ZIP_THREAD = "bundle zip"
# Batches waiting for the zip's thread at most (memory: ~3 MB beside scrypt's 64 MiB). The reading
# thread may run this far ahead while the zip's thread shares its core with scrypt: with 2, it waited
# 0.06-0.14 s for room in the queue; with 6, 0.02-0.09 s (load 4, in process).
_ZIP_QUEUE = 6
# How often the reading thread, waiting for room in the queue, looks for a chunk to make carefully.
_POLL_S = 0.005

# A piece of a member: bytes to write as they are, or a chunk of records to check first (its count,
# the commas of a record and how to make it carefully).
_Piece = tuple[bytes, int, int, Callable[[], bytes] | None]


class _Zipper:
    """A zip made on its own thread from the bytes of its members, given in order on this one.

    `open(name)`, `write(data)` and `chunk(...)` (a chunk of records made by SQLite, checked on the
    zip's thread: `plain_csv`)..., `close_member()` for each member, then `finish` (the manifest, from
    the SHA-256 of each member taken on the zip's thread) or, on any failure, `abort`.

    A chunk that is not plain CSV (rare) is made carefully from the database, which only this thread
    reads: the zip's thread asks (`_ask`) and waits; this thread answers whenever it hands something
    over or waits for the zip's thread (`_serve`). An error on the zip's thread (a full disk) is
    raised here at the next call; that thread then takes the rest without writing, so this one is never
    left waiting.
    """

    def __init__(self, target: Any) -> None:
        self._jobs: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=_ZIP_QUEUE)
        # The zip's thread asks for careful chunks here (None: it has ended) and gets them back there.
        self._asked: queue.SimpleQueue[Callable[[], bytes] | None] = queue.SimpleQueue()
        self._answers: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._ended = False
        self._pending: list[_Piece] = []
        self._size = 0
        self._failed: BaseException | None = None
        self._aborted = False
        self._finishing = False  # the last job taken: no other comes after it
        self._thread = threading.Thread(target=self._run, args=(target,), name=ZIP_THREAD, daemon=True)
        self._thread.start()

    def open(self, name: str) -> None:
        """Begin the member `name`."""
        self._put("open", name)

    def write(self, data: bytes) -> None:
        """The member's next bytes, as they are."""
        self._add((data, 0, 0, None))

    def chunk(self, data: bytes, count: int, commas: int, careful: Callable[[], bytes]) -> None:
        """The member's next `count` records as SQLite made them (a `ChunkSink`)."""
        self._add((data, count, commas, careful))

    def close_member(self) -> None:
        """End the member (its SHA-256 is kept for the manifest)."""
        self._hand_over()
        self._put("close", None)

    def finish(self, head: dict[str, Any], rows: dict[str, int]) -> None:
        """Write the manifest and end the zip; wait for the zip's thread to be done."""
        self._put("finish", (head, rows))
        while not self._ended:
            self._answer(self._asked.get())
        self._thread.join()
        if self._failed is not None:
            raise self._failed

    def abort(self) -> None:
        """Stop the zip's thread, the zip left unfinished (its file is removed by the caller)."""
        self._pending = []
        self._answers.put(None)  # a zip's thread waiting for a careful chunk stops
        while self._thread.is_alive():
            try:
                self._jobs.put(("abort", None), timeout=_POLL_S)
                break
            except queue.Full:
                continue
        self._thread.join()

    def _add(self, piece: _Piece) -> None:
        self._pending.append(piece)
        self._size += len(piece[0])
        if self._size >= ZIP_BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._pending:
            self._put("data", self._pending)
            self._pending = []
            self._size = 0

    def _put(self, kind: str, value: Any) -> None:
        while True:
            self._serve()
            if self._failed is not None:
                raise self._failed
            try:
                self._jobs.put((kind, value), timeout=_POLL_S)
                return
            except queue.Full:
                continue

    def _serve(self) -> None:
        """Make the careful chunks the zip's thread has asked for, if any."""
        while not self._ended:
            try:
                careful = self._asked.get_nowait()
            except queue.Empty:
                return
            self._answer(careful)

    def _answer(self, careful: Callable[[], bytes] | None) -> None:
        if careful is None:
            self._ended = True
        else:
            self._answers.put(careful())

    def _ask(self, careful: Callable[[], bytes]) -> bytes:
        """On the zip's thread: a careful chunk, made by the reading thread."""
        self._asked.put(careful)
        answer = self._answers.get()
        if answer is None:  # the export is being aborted
            self._aborted = True
            raise _Aborted
        return answer

    def _run(self, target: Any) -> None:
        try:
            self._zip(target)
        except BaseException as exc:
            if not self._aborted:  # asked for: nothing more comes
                self._failed = exc  # handed to the reading thread at its next call
                # the jobs still coming are taken until the last one (the manifest's or an abort), so
                # that the reading thread is never left waiting for room in the queue
                kind = "finish" if self._finishing else ""
                while kind not in ("finish", "abort"):
                    kind = self._jobs.get()[0]
        finally:
            self._asked.put(None)

    def _zip(self, target: Any) -> None:
        digests: dict[str, str] = {}
        archive = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        member: IO[bytes] | None = None
        digest: Any = None
        name = ""
        try:
            while True:
                kind, value = self._jobs.get()
                if kind == "data":
                    assert member is not None
                    pieces = [
                        data if careful is None or plain_csv(data, count, commas) else self._ask(careful)
                        for data, count, commas, careful in value
                    ]
                    data = b"".join(pieces) if len(pieces) > 1 else pieces[0]
                    digest.update(data)
                    member.write(data)
                elif kind == "open":
                    name = value
                    member = archive.open(name, "w")
                    _faster_deflate(member)
                    digest = hashlib.sha256()
                elif kind == "close":
                    assert member is not None
                    member.close()
                    member = None
                    digests[name] = digest.hexdigest()
                elif kind == "finish":
                    self._finishing = True
                    head, rows = value
                    archive.writestr(MANIFEST, _manifest(head, rows, digests))
                    archive.close()
                    return
                else:  # abort
                    self._aborted = True
                    raise _Aborted
        except BaseException:
            # The zip is left unfinished (its file is removed by the caller); closing it may fail too
            # (the same full disk): the first error is the one that counts.
            for handle in (member, archive):
                if handle is not None:
                    with suppress(Exception):
                        handle.close()
            raise


def _faster_deflate(member: IO[bytes]) -> None:
    """ISA-L's deflate (the `isal` package) for a member zipfile has just opened for writing, in place
    of zlib's: the same raw deflate stream (any inflater reads it), 3-4x faster at level 1 and
    smaller (the bench's 47 MB of CSV: zlib level 1 0.21 s, 7.9 MB; ISA-L level 1 0.06 s, 7.1 MB).

    zipfile has no way to choose its compressor: its writer's `_compressor` (CPython 3.6 to 3.14) is
    replaced before anything is written. Without `isal` or that attribute, zlib's stays.
    """
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - a dependency; zlib is the same format
        return
    if getattr(member, "_compressor", None) is not None:
        member._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)  # type: ignore[attr-defined]


class _Aborted(Exception):
    """The export stopped on the reading thread: the zip's thread leaves its zip unfinished."""
