"""Opening a community database: pragmas, migrations, permissions, the device id and the write clock."""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cadre_tui.core.domain import DEFAULT_TIMEZONE
from cadre_tui.errors import InvalidInput, NoCommunity, Refused
from cadre_tui.messages import Message
from cadre_tui.paths import make_private_dir, make_private_file
from cadre_tui.store import schema
from cadre_tui.store.keys import DATABASE_ERRORS, OPERATIONAL_ERRORS, DbKey, connect, file_kind, verify_key

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.db import Table

# A long import (demo of 11,000 households: ~8 s) holds the write lock; another writer waits for it.
BUSY_TIMEOUT_MS = 60_000
# Page cache of an encrypted database, KiB (the default is 2,000).
ENCRYPTED_CACHE_KIB = 32 * 1024
# The office database marks itself with this application_id (cadre_tui.store.office).
OFFICE_APPLICATION_ID = 0x43444F46


def format_stamp(moment: datetime) -> str:
    """UTC, ISO 8601, millisecond precision, `Z` suffix (SPEC §3)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_stamp(text: str) -> datetime:
    """The inverse of `format_stamp`; also takes any ISO 8601 time with an offset."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def community_id_for(code_or_name: str) -> str:
    """`uuid5(NAMESPACE_URL, "cadre-tui:community:" + (code or name))` (SPEC §6 Identity)."""
    import uuid  # not at import: uuid loads `platform` (~2 ms of every command; issue 12)

    return str(uuid.uuid5(uuid.NAMESPACE_URL, "cadre-tui:community:" + code_or_name))


def natural_id(community_id: str, kind: str, key: str) -> str:
    """`uuid5(community_id, kind + ":" + natural_key)` for rows born from roster and staff files."""
    # uuid.uuid5 spelled out (SHA-1 of the namespace's bytes and the name, version and variant bits
    # set): a roster import makes 40,000 of these, and uuid.UUID's checks were most of their cost.
    digest = _namespace_hash(community_id).copy()
    digest.update(f"{kind}:{key}".encode())
    h = digest.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


# The RFC 4122 variant in the 17th hex digit: its top two bits 10.
_VARIANT = {f"{n:x}": f"{n & 0x3 | 0x8:x}" for n in range(16)}


@functools.lru_cache(maxsize=4)
def _namespace_hash(community_id: str) -> Any:
    import uuid

    return hashlib.sha1(uuid.UUID(community_id).bytes, usedforsecurity=False)


Parameters = Sequence[Any] | Mapping[str, Any]
# Names of nested transactions' savepoints (`Db.atomic`): unique within the process.
_SAVEPOINTS = itertools.count(1)


class Db:
    """The store's connection, with what its callers use of sqlite-utils' `Database` (issue 12).

    Opening a current database imports no sqlite-utils (~50 ms of every command): `execute`,
    `query`, `atomic` and `conn` are written here as sqlite-utils writes them for a
    connection in autocommit mode (`isolation_level=None`: every statement outside `BEGIN` commits
    itself). `table`, `table_names` and `utils` (the migrations) load sqlite-utils on first use and
    wrap the same connection.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: Database | None = None

    def execute(self, sql: str, parameters: Parameters | None = None) -> sqlite3.Cursor:
        """Run one statement; its cursor."""
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Parameters | None = None) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT, each a dict by column name."""
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return (dict(zip(names, row, strict=True)) for row in cursor)

    @contextmanager
    def atomic(self) -> Iterator[Db]:
        """A savepoint inside the transaction already open (`Store.transaction` begins the outer one)."""
        savepoint = f"cadre_{next(_SAVEPOINTS)}"
        self.conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")

    @property
    def utils(self) -> Database:
        """sqlite-utils' `Database` over this connection (loaded on first use)."""
        if self._utils is None:
            from sqlite_utils import Database

            # execute_plugins=False: no sqlite-utils plugin is ours; looking for them read every
            # installed package's entry points (importlib.metadata, 19 ms).
            self._utils = Database(self.conn, execute_plugins=False)
        return self._utils

    def table(self, name: str) -> Table:
        """sqlite-utils' `Table` (insert, update, get by primary key)."""
        return self.utils.table(name)

    def table_names(self) -> list[str]:
        """The tables of the database."""
        return self.utils.table_names()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


class NeedPassphrase(InvalidInput):
    """An encrypted database opened without a passphrase (exit 2, saying how to give one)."""

    def __init__(self, path: Path) -> None:
        super().__init__(Message("store.encrypted", path=path))
        self.path = path


@dataclass(frozen=True)
class Community:
    """The community this database belongs to."""

    id: str
    name: str
    code: str | None
    timezone: str


class Store:
    """One open community database. Every write goes through `transaction()`."""

    def __init__(
        self,
        db: Db,
        path: Path | None,
        clock: Callable[[], datetime] | None = None,
        key: DbKey | None = None,
    ) -> None:
        self.db = db
        self.path = path
        # The derived key of an encrypted database (None: a plain one); backups are keyed with it.
        self.key = key
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._last_stamp = ""
        self.device_id = ""

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str | None,
        *,
        clock: Callable[[], datetime] | None = None,
        backup_before_migrating: bool = True,
        passphrase: str | None = None,
    ) -> Store:
        """Open (creating if needed) the database at `path`, or in memory when None.

        An encrypted file needs its `passphrase` (else exit 2; a wrong one exit 3, the file untouched);
        a new file is encrypted when a passphrase is given, plain otherwise; a plain file ignores it.
        Refuses (exit 3) a database written by a newer program without touching it.
        """
        key: DbKey | None = None
        if path is None or str(path) == ":memory:":
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            real_path: Path | None = None
            version = 0
        else:
            real_path = Path(path)
            make_private_dir(real_path.parent)
            existed = real_path.exists()
            if existed and real_path.is_dir():
                raise InvalidInput.of("store.is_folder", path=real_path)
            kind = file_kind(real_path)
            if kind == "encrypted" and passphrase is None:
                raise NeedPassphrase(real_path)
            if passphrase is not None and kind != "plain":
                key = DbKey.for_file(real_path, passphrase) if kind == "encrypted" else DbKey.new(passphrase)
            old_umask = os.umask(0o077)
            try:
                conn = connect(
                    real_path,
                    key,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    check_same_thread=False,
                    isolation_level=None,
                )
                if key is not None:
                    version = verify_key(conn, real_path)
                else:
                    try:
                        version = conn.execute("PRAGMA user_version").fetchone()[0]
                    except DATABASE_ERRORS as exc:
                        conn.close()
                        raise InvalidInput.of("store.not_database", path=real_path, error=exc) from None
            finally:
                os.umask(old_umask)
            if conn.execute("PRAGMA application_id").fetchone()[0] == OFFICE_APPLICATION_ID:
                conn.close()
                raise Refused.of("store.is_office", path=real_path)
            if version > schema.schema_version():
                conn.close()
                raise Refused.of(
                    "store.newer", path=real_path, version=version, known=schema.schema_version()
                )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if real_path is not None:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except OPERATIONAL_ERRORS as exc:
                # Another cadre-tui holds the file in a rollback journal for an import (`written_once`)
                # and sets WAL again at its end; this connection reads as that import lets it (the busy
                # timeout), and is in WAL mode with the file after.
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            conn.execute("PRAGMA synchronous = NORMAL")
        if key is not None:
            # SQLCipher decrypts (and checks) a page each time it is read from the file: a larger page
            # cache keeps a search's tables decrypted in memory (SPEC §9: 11,000 households, the search
            # median went from 27 ms to that of a plain database).
            conn.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
        # As sqlite-utils' Database sets it on the connection it wraps (`Db.utils`), whether or not one is.
        conn.execute("PRAGMA recursive_triggers = ON")
        store = cls(Db(conn), real_path, clock, key)
        if version != schema.schema_version():  # else nothing to migrate: no sqlite-utils (issue 12)
            store._migrate(backup_before_migrating)
        store._load_local()
        if real_path is not None:
            for suffix in ("", "-wal", "-shm"):
                make_private_file(Path(str(real_path) + suffix))
        return store

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @property
    def encrypted(self) -> bool:
        """Whether the database file is encrypted (SQLCipher)."""
        return self.key is not None

    def _migrate(self, backup_first: bool) -> None:
        pending = schema.migrations.pending(self.db)
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if pending:
            if version > 0 and backup_first and self.path is not None:
                from cadre_tui.store.backup import backup_before

                backup_before(self, "migrate")
            schema.migrations.apply(self.db)
        applied = len(schema.migrations.applied(self.db))
        if applied != version:
            self.db.execute(f"PRAGMA user_version = {applied}")

    def _load_local(self) -> None:
        row = self.db.execute("SELECT value FROM local WHERE key = 'device_id'").fetchone()
        if row:
            self.device_id = row[0]
        else:
            import uuid

            self.device_id = str(uuid.uuid4())
            self.db.execute("INSERT INTO local (key, value) VALUES ('device_id', ?)", [self.device_id])
        row = self.db.execute("SELECT value FROM local WHERE key = 'last_stamp'").fetchone()
        self._last_stamp = row[0] if row else ""

    # -- writing -----------------------------------------------------------------------------------

    @contextmanager
    def page_cache(self, kib: int) -> Iterator[None]:
        """SQLite's page cache `kib` KiB for the block (larger for a bulk write into indexes, smaller
        for a read of every page once), and as it was after."""
        before = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute(f"PRAGMA cache_size = -{int(kib)}")  # negative: KiB; positive: pages
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA cache_size = {before}")

    @contextmanager
    def written_once(self) -> Iterator[None]:
        """A rollback journal instead of WAL for the block: for a bulk import into a database that holds
        few rows before it (a new laptop's bundle, a community's first roster), and in WAL mode again
        after it.

        In WAL mode every page of the import is written twice, to the WAL and then by the checkpoint into
        the file, and each page read again during the import is looked up in the WAL's index. A rollback
        journal holds only the pages the database had before (a few): the import's pages are written
        once, into the file. The transaction is as atomic (a kill leaves a hot journal, which the next
        opening rolls back). Leaving WAL needs the only connection to the file: when another one has it
        open, the block runs in WAL mode (busy_timeout 0 meanwhile: no waiting for it). A cadre-tui that
        opens the file during the block waits to read until the block's writes let it (`Store.open`
        leaves the mode to the block), as long as the busy timeout; a second connection reads the last
        committed state only while the block has written no page into the file yet (its page cache
        spills them). Back to WAL at the end, waiting at most a second for a reader (else the next
        opening sets it).
        """
        if self.path is None:
            yield
            return
        db = self.db
        wait = db.execute("PRAGMA busy_timeout").fetchone()[0]
        db.execute("PRAGMA busy_timeout = 0")
        try:
            mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except OPERATIONAL_ERRORS:
            mode = "wal"
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(wait)}")
        try:
            yield
        finally:
            if mode != "wal":
                # Back to WAL, as every opening sets it (were this refused, the next opening would).
                db.execute(f"PRAGMA busy_timeout = {min(int(wait), 1000)}")
                try:
                    with suppress(*OPERATIONAL_ERRORS):
                        db.execute("PRAGMA journal_mode = WAL")
                finally:
                    db.execute(f"PRAGMA busy_timeout = {int(wait)}")

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction (BEGIN IMMEDIATE, so two app instances queue instead of deadlocking).

        Nested calls become savepoints. The last issued `updated_at` is saved with the data.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            conn.execute(
                "INSERT INTO local (key, value) VALUES ('last_stamp', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [self._last_stamp],
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def stamp(self) -> str:
        """The next `updated_at` of this laptop: now, or 1 ms after the last one, whichever is later."""
        candidate = format_stamp(self.clock())
        if candidate <= self._last_stamp:
            candidate = format_stamp(parse_stamp(self._last_stamp) + timedelta(milliseconds=1))
        self._last_stamp = candidate
        return candidate

    def touched(self) -> dict[str, Any]:
        """`updated_at` and `origin` for a row this laptop changes now."""
        return {"updated_at": self.stamp(), "origin": self.device_id}

    def sync_columns(self) -> dict[str, Any]:
        """`updated_at`, `origin`, `deleted` for a row this laptop writes now."""
        return {"updated_at": self.stamp(), "origin": self.device_id, "deleted": 0}

    # -- community and settings -------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """The JSON value of a setting, or `default` when unset."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ? AND deleted = 0", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        """Write a setting (inside the caller's transaction, or its own)."""
        with self.transaction():
            sync = self.sync_columns()
            self.db.execute(
                "INSERT INTO settings (key, value, updated_at, origin, deleted) VALUES (?, ?, ?, ?, 0) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
                "origin = excluded.origin, deleted = 0",
                [key, json.dumps(value, ensure_ascii=False), sync["updated_at"], sync["origin"]],
            )

    def community(self) -> Community | None:
        """The community of this database, or None before `init`, `demo` or `import bundle`."""
        cid = self.get_setting("community_id")
        if not cid:
            return None
        return Community(
            id=cid,
            name=self.get_setting("community_name", ""),
            code=self.get_setting("community_code"),
            timezone=self.get_setting("timezone", DEFAULT_TIMEZONE),
        )

    def require_community(self) -> Community:
        """The community, or exit 2 with a word on how to start."""
        community = self.community()
        if community is None:
            where = f" {self.path}" if self.path else ""
            raise NoCommunity.of("store.no_community", where=where)
        return community

    def set_community(
        self, name: str, code: str | None, timezone: str, community_id: str | None = None
    ) -> Community:
        """Create or update the community; its id never changes once set."""
        ZoneInfo(timezone)  # raises on an unknown zone
        with self.transaction():
            existing = self.community()
            cid = existing.id if existing else (community_id or community_id_for(code or name))
            self.set_setting("community_id", cid)
            self.set_setting("community_name", name)
            if code is not None:
                self.set_setting("community_code", code)
            self.set_setting("timezone", timezone)
        community = self.community()
        assert community is not None
        return community

    def tz(self) -> ZoneInfo:
        """The community's time zone (Asia/Shanghai by default)."""
        return ZoneInfo(self.get_setting("timezone", DEFAULT_TIMEZONE))

    def today(self) -> date:
        """Today's date in the community's time zone."""
        return self.clock().astimezone(self.tz()).date()

    def plain_reminder_due(self) -> bool:
        """True once a day (the community's day) for a plain database file: time to say so."""
        if self.path is None or self.encrypted or self.community() is None:
            return False
        today = self.today().isoformat()
        row = self.db.execute("SELECT value FROM local WHERE key = 'plain_reminder_day'").fetchone()
        if row and row[0] == today:
            return False
        self.db.execute(
            "INSERT INTO local (key, value) VALUES ('plain_reminder_day', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [today],
        )
        return True

    def audit(self, action: str, target: str | None = None, detail: str | None = None) -> None:
        """Append to the local audit log."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO audit_log (at, who, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                # Before `me` is set, the laptop itself is who: its device id.
                [self.stamp(), self.get_setting("me") or f"device:{self.device_id}", action, target, detail],
            )
