"""Importing a sync bundle (SPEC §6): an age file is recognised by its header and decrypted in
memory, a zip is read in place, a folder where it is. The manifest is checked first; then everything is
merged in one transaction (`store.merge`), rows streamed in batches, converted and checked as they go
by, each file's row count and SHA-256 checked once it is read: nothing is committed unless all match.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from operator import itemgetter
from pathlib import Path
from typing import Any

from cadre_tui.errors import InvalidInput, Refused
from cadre_tui.io.bundle_format import (
    MAX_ENCRYPTED_BYTES,
    READ_CHUNK,
    NeedSyncPassphrase,
    Progress,
    WrongSyncPassphrase,
    bundle_kind,
    ignore_progress,
)
from cadre_tui.io.bundle_source import (
    FolderSource,
    Hashing,
    Manifest,
    Source,
    ZipSource,
    check_hashes,
    read_manifest,
)
from cadre_tui.io.bundle_values import STAMP, ValueChecker
from cadre_tui.io.tables import BUNDLE_FILES, bundle_columns
from cadre_tui.messages import Message
from cadre_tui.store.backup import provisional_backup
from cadre_tui.store.db import Store
from cadre_tui.store.merge import (
    MERGE_ORDER,
    REFERENCES,
    Column,
    FileMerger,
    MergeReport,
    observe_stamp,
    peer,
    remember_peer,
)
from cadre_tui.store.writer import Statement, WriteThread


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
    return _import_path(store, path, kind, progress, backup, passphrase, decrypted)


def _import_path(
    store: Store,
    path: Path,
    kind: str,
    progress: Progress | None,
    backup: bool,
    passphrase: str | None,
    decrypted: bytes | None,
) -> MergeReport:
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
    # The files' SHA-256 are computed as their rows are read (each file inflated once) and compared
    # before the transaction commits: an altered file leaves nothing written, as when every file was
    # read a first time for its hash. Whatever else goes wrong (a bad row, a row count, another
    # community), an altered file is what is reported, as then.
    manifest = read_manifest(source)
    digests: dict[str, str] = {}
    try:
        return _merge_source(store, source, manifest, digests, progress, backup)
    except Exception:
        try:
            check_hashes(source, manifest, digests)
        except InvalidInput as altered:
            raise altered from None
        raise


def _merge_source(
    store: Store,
    source: Source,
    manifest: Manifest,
    digests: dict[str, str],
    progress: Progress | None,
    backup: bool,
) -> MergeReport:
    display = source.display
    report = progress or ignore_progress
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
    result = MergeReport(peer_device_id=manifest.device_id)
    cache_kib = _import_cache_kib(store, mine is None)
    known_peer = peer(store, manifest.device_id)
    parent_ids: dict[str, set[str]] = {}
    kept_out: set[str] = set()
    done = 0
    newest = ""
    # One transaction: a bad row anywhere (checked as it streams by) rolls back every file before it.
    with (
        provisional_backup(store, "import", wanted=backup and mine is not None) as make_backup,
        store.written_once() if mine is None else nullcontext(),
        _temporary_tables_in_memory(store),
        store.page_cache(cache_kib),
        store.transaction(),
    ):
        # First thing in the transaction, kept only for an import that goes through (a refused bundle
        # leaves none, as a refused roster does); a database with no community yet needs none.
        make_backup()
        if mine is None:
            store.set_community(
                manifest.community, manifest.community_code, manifest.timezone, manifest.community_id
            )
        # Every file's look-ups made before the first row is written: from then on, with two cores, the
        # connection is the writer thread's while the rows are read (`WriteThread`), and the reading
        # thread touches it only for a file that cannot go in as new rows (`FileMerger.merge` waits).
        writer = WriteThread(store.db.conn, "cadre-import", depth=2) if _TWO_CORES else None
        local_ids: dict[str, set[str]] = {}
        files = deque(
            (
                name,
                _RowChecker(store, name, f"{display}/{name}", parent_ids, local_ids),
                FileMerger(store, name, known_peer, kept_out, writer=writer),
                _set_aside_indexes(store, BUNDLE_FILES[name][0]),
            )
            for name in MERGE_ORDER
        )
        try:
            while files:
                # Taken off the list: a file's ids and look-ups go once it is merged (124,238 visit ids).
                name, checker, merger, rebuild = files.popleft()
                where = checker.where
                i_upd = bundle_columns(name).index("updated_at")
                count = 0
                for lines, rows in read_batches(source, name, where, merger.columns, digests):
                    checker.check(lines, rows)
                    merger.merge(rows)
                    newest = max(newest, max(map(itemgetter(i_upd), rows)))
                    count += len(rows)
                    done += len(rows)
                    report(min(done, total), total)
                if count != manifest.rows[name]:
                    raise InvalidInput.of(
                        "bundle.row_count", file=where, count=count, listed=manifest.rows[name]
                    )
                # The table's indexes built after its rows, on the writer thread while the next files
                # are read.
                builds = _index_builds(rebuild, cache_kib)
                if writer is not None:
                    writer.run(builds)
                else:
                    for statement, parameters in builds:
                        store.db.execute(statement, parameters)
                if name in PARENT_FILES:
                    parent_ids[name] = checker.ids
                result.files[name] = merger.counts
                result.conflicts.extend(merger.conflicts)
        except BaseException:
            if writer is not None:
                writer.close(cancel=True)  # the second thread stopped first; this error is the one
            raise
        if writer is not None:
            writer.close()  # every row and index in before the connection is used again
        check_hashes(source, manifest, digests)
        observe_stamp(store, newest or None)
        if manifest.device_id != store.device_id:
            remember_peer(store, manifest.device_id, manifest.created_at, newest or None)
    # Keep the files, and their conflicts, in the order of SPEC §6 for the printed summary.
    result.files = {name: result.files[name] for name in BUNDLE_FILES}
    position = {name: i for i, name in enumerate(BUNDLE_FILES)}
    result.conflicts.sort(key=lambda conflict: position[conflict.file])
    return result


@contextmanager
def _temporary_tables_in_memory(store: Store) -> Iterator[None]:
    """SQLite's temporary storage in memory for the import (the sorts of the index builds after the rows):
    no temporary file to write and read back, nothing decrypted in one (the SQLCipher build here keeps
    them in memory anyway; a plain database's would otherwise go to a file). Set outside the transaction
    (SQLite refuses it inside)."""
    before = store.db.execute("PRAGMA temp_store").fetchone()[0]
    store.db.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        store.db.execute(f"PRAGMA temp_store = {int(before)}")


def _set_aside_indexes(store: Store, table: str) -> list[str]:
    """Drop an EMPTY table's plain indexes for the bulk insert; return the statements that rebuild them.

    Building an index once over 100,000 sorted rows is much cheaper than updating it row by row with
    random keys (a new laptop's first import). Unique indexes stay, but one on the id alone: they guard
    the natural keys. All of it happens inside the import's transaction, so a failed import leaves the
    indexes as they were.
    (Kept and updated on the writer thread that inserts the rows, they made that thread the slower of
    the two: issue 12. Built there after the rows, they overlap the reading of the next files.)
    """
    if store.db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
        return []
    rows = store.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        [table],
    ).fetchall()
    plain = [(n, sql) for n, sql in rows if "UNIQUE" not in sql.upper().split("INDEX")[0] or _on_id(store, n)]
    for index_name, _sql in plain:
        store.db.execute(f'DROP INDEX "{index_name}"')
    return [sql for _n, sql in plain]


def _on_id(store: Store, index: str) -> bool:
    """Whether an index is on the id alone (visits_id, migration 0004): set aside like a plain one, since
    the bundle's ids are checked unique as they are read and the table is empty. (An id under a PRIMARY
    KEY has SQLite's own index, which cannot be.)"""
    return [r[2] for r in store.db.execute(f'PRAGMA index_info("{index}")')] == ["id"]


PARENT_FILES = frozenset(REFERENCES.values())
_NONE: frozenset[str] = frozenset()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Rows written on a second thread only where a second core can take it: on one core the hand-overs
# and the index updates there (instead of one build) are only more work.
_TWO_CORES = _cores() > 1

# Page cache while merging: random UUID keys touch index pages all over the file, and SQLite's default
# 2,000 pages make an import of 100,000 visits wait on the disk. 16 MiB (was 48): the same time on a
# plain database, +0.25 s CPU on an encrypted one, 35-45 MB less peak memory (issue 12: < 120 MB).
IMPORT_CACHE_KIB = 16 * 1024

# Page cache of a plain database's first import (no community yet), KiB: its pages are written once,
# in rollback-journal mode (`Store.written_once`), and the operating system's file cache serves those read
# again as fast as SQLite's own. 4 MiB measured as fast as 16 (scratch copy, 124,238 visits: 0.73-0.75
# against 0.76-0.79 s CPU) and takes ~15 MB less peak memory, now that the index builds of one table
# run on the writer thread while the next file is read (issue 12: < 120 MB).
FIRST_IMPORT_CACHE_KIB = 4 * 1024


# Page cache while a table's indexes are built after its rows, KiB: each build reads the table once in
# order, and SQLite sorts in memory up to the page cache's size; the builds run while the next file is
# read (visits' while the residents are, with pypinyin's dictionary), so that both caches at their
# largest at once would take an encrypted import past 120 MB of peak memory (issue 12).
BUILD_CACHE_KIB = 4 * 1024


def _index_builds(rebuild: list[str], cache_kib: int) -> list[Statement]:
    """The statements that build a table's indexes again (`_set_aside_indexes`), with the page cache at
    BUILD_CACHE_KIB meanwhile and at `cache_kib` after."""
    if not rebuild:
        return []
    return [
        (f"PRAGMA cache_size = -{BUILD_CACHE_KIB}", ()),
        *[(statement, ()) for statement in rebuild],
        (f"PRAGMA cache_size = -{int(cache_kib)}", ()),
    ]


def _import_cache_kib(store: Store, first: bool) -> int:
    """The page cache of an import: an encrypted database's as IMPORT_CACHE_KIB says (each page read
    again is decrypted again); a plain one's first import smaller."""
    if first and not store.encrypted:
        return FIRST_IMPORT_CACHE_KIB
    return IMPORT_CACHE_KIB


# Rows read, checked and written a batch at a time. 1,250 (was 2,500, and 5,000 before): with the rows
# of one batch bound on the writer thread while the next is queued and a third read, three batches are
# alive at once; 2,500 took 3-10 MB more peak memory and no less CPU that the noise let us see.
_BATCH = 1250

# A batch: the line each row begins on, and the rows.
Batch = tuple[list[int], list[tuple[Any, ...]]]


def read_batches(
    source: Source, file_name: str, where: str, columns: list[Column], digests: dict[str, str]
) -> Iterator[Batch]:
    """Stream one bundle file in batches of up to `_BATCH` rows (no batch is empty): the line each row
    begins on, and the rows (store
    values in bundle column order); exit 2 naming FILE:LINE. Once every row is read, the file's SHA-256
    is in `digests`.

    Cells are taken exactly as written, less the one `'` the writer adds for formula safety; an
    empty cell of a nullable column is NULL. Streaming keeps a large community's import small.
    """
    names = bundle_columns(file_name)
    try:
        hashing = Hashing(source.open(file_name))
        buffered = io.BufferedReader(hashing, READ_CHUNK)
        with io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise InvalidInput.of("csv.empty", file=where)
            positions = {cell.strip(): i for i, cell in enumerate(header)}
            missing = [c for c in names if c not in positions]
            if missing:
                raise InvalidInput.of("bundle.missing_column", file=where, columns=", ".join(missing))
            order = [positions[c] for c in names]
            specs = [
                (i, c.integer, not c.notnull, name) for i, c, name in zip(order, columns, names, strict=True)
            ]
            width = len(header)
            record = _record_function(specs)
            line = reader.line_num + 1
            lines: list[int] = []
            rows: list[tuple[Any, ...]] = []
            for raw in reader:
                start, line = line, reader.line_num + 1
                if len(raw) == width:
                    try:
                        rows.append(record(raw))
                    except ValueError:  # a cell that is not a whole number: `_convert` names it
                        rows.append(_convert(raw, specs, where, start))
                elif not raw or raw == [""]:
                    continue
                else:
                    raise InvalidInput.of(
                        "csv.too_many_cells", file=where, line=start, count=len(raw), header=width
                    )
                lines.append(start)
                if len(rows) >= _BATCH:
                    yield lines, rows
                    lines, rows = [], []
            if rows:
                yield lines, rows
            digests[file_name] = hashing.hexdigest()
    except UnicodeDecodeError:
        raise InvalidInput.of("bundle.not_utf8", file=where) from None
    except csv.Error as exc:
        raise InvalidInput.of("bundle.broken_csv", file=where, error=exc) from None


def _record_function(specs: list[tuple[int, bool, bool, str]]) -> Callable[[list[str]], tuple[Any, ...]]:
    """`_convert` for one file's columns as a single expression per cell (ValueError for a bad number),
    made once per file: `lambda r: (r[0], None if r[3] == "" else int(r[3]), ...)`, no loop over the
    columns per record."""
    cells = []
    for i, integer, nullable, _name in specs:
        cell = f"r[{int(i)}]"
        unquoted = f'({cell}[1:] if {cell}[:1] == "\'" else {cell})'
        if integer:
            cells.append(f'(None if {cell} == "" else int({cell}))' if nullable else f"int({cell})")
        else:
            cells.append(f'(None if {cell} == "" else {unquoted})' if nullable else unquoted)
    record: Callable[[list[str]], tuple[Any, ...]] = eval(  # made here, from column positions only
        "lambda r: (" + ", ".join(cells) + ",)", {"__builtins__": {}, "int": int}
    )
    return record


def _convert(
    raw: list[str], specs: list[tuple[int, bool, bool, str]], where: str, line: int
) -> tuple[Any, ...]:
    """One record's cells as store values, or exit 2 naming FILE:LINE: column for a bad number.

    The same rules as `_record_function` (which reads every record, and hands a failing one here for
    its message): change both, tests/unit/test_bundle.py holds them equal."""
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

    def __init__(
        self,
        store: Store,
        file_name: str,
        where: str,
        parent_ids: dict[str, set[str]],
        local_ids: dict[str, set[str]],
    ) -> None:
        """`parent_ids`: each parent file's ids, once it is read; `local_ids`: each parent table's ids in
        the database before the import (read once, shared by the files that refer to it)."""
        self.where = where
        names = bundle_columns(file_name)
        self.values = ValueChecker(file_name, names)
        self.i_id = names.index("id")
        self.i_upd = names.index("updated_at")
        self.i_origin = names.index("origin")
        self.i_deleted = names.index("deleted")
        self.ids: set[str] = set()
        self.parent_ids = parent_ids
        self.references: list[tuple[int, str, str, set[str]]] = []
        for (file, column), parent_file in REFERENCES.items():
            if file == file_name:
                table = BUNDLE_FILES[parent_file][0]
                local = local_ids.get(table)
                if local is None:
                    local = local_ids[table] = {r[0] for r in store.db.execute(f"SELECT id FROM {table}")}
                self.references.append((names.index(column), column, parent_file, local))

    def check(self, lines: list[int], rows: list[tuple[Any, ...]]) -> None:
        """Exit 2 at the first bad row of the batch.

        A batch is first checked a column at a time (`_all_sound`: set operations, each value rule
        asked once per distinct value); only a batch that may hold a bad row is checked row by row,
        which names the first one exactly."""
        if self._all_sound(rows):
            return
        self._check_rows(lines, rows)

    def _all_sound(self, rows: list[tuple[Any, ...]]) -> bool:
        """Whether `_check_rows` would pass every row of the batch (then its ids are remembered)."""
        columns = list(zip(*rows, strict=True))
        ids = set(columns[self.i_id])
        if len(ids) != len(rows) or "" in ids or None in ids or not self.ids.isdisjoint(ids):
            return False
        stamps = columns[self.i_upd]
        if None in stamps or not all(map(STAMP.match, stamps)):
            return False
        if not all(columns[self.i_origin]) or not set(columns[self.i_deleted]) <= {0, 1}:
            return False
        if not self.values.all_sound(rows, columns):
            return False
        for i, _column, parent_file, local in self.references:
            named = set(columns[i])
            named.discard(None)
            if named - self.parent_ids.get(parent_file, _NONE) - local:
                return False
        self.ids |= ids
        return True

    def _check_rows(self, lines: list[int], rows: list[tuple[Any, ...]]) -> None:
        where = self.where
        for line, row in zip(lines, rows, strict=True):
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
            for i, column, parent_file, local in self.references:
                in_bundle = self.parent_ids.get(parent_file, _NONE)
                value = row[i]
                if value is not None and value not in in_bundle and value not in local:
                    raise InvalidInput.of(
                        "import.at",
                        file=where,
                        line=line,
                        column=column,
                        problem=Message("bundle.dangling", value=repr(value)),
                    )
