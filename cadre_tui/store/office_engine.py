"""The office database's engines: SQLite (a file, the default) or PostgreSQL (a `postgresql://` URL).

`OfficeDb` (store/office.py) talks to an `OfficeEngine` only: queries written once with `?` placeholders,
a write transaction (all or nothing), a read snapshot, a bulk insert. Each engine opens its database,
tells an office database from anything else, refuses one written by a newer cadre-tui (exit 3), and
applies the migrations of store/office_sql.py, where the SQL that differs between them sits side by side.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, LiteralString, Protocol, cast

from sqlite_utils import Database, Migrations

from cadre_tui.errors import CadreError, InvalidInput, Refused
from cadre_tui.paths import make_private_dir, make_private_file
from cadre_tui.store.db import BUSY_TIMEOUT_MS, OFFICE_APPLICATION_ID, format_stamp
from cadre_tui.store.office_sql import OFFICE_MIGRATIONS, Engine, statement
from cadre_tui.store.schema import run_script

if TYPE_CHECKING:
    import psycopg

# user_version of a SQLite office database = this + migrations applied: a community Store refuses it as
# newer. (OFFICE_APPLICATION_ID, "CDOF", marks it; a community database leaves application_id at 0.)
OFFICE_VERSION_BASE = 1_000_000
# PostgreSQL: the table that marks an office database and records the migrations applied to it.
PG_MIGRATIONS_TABLE = "cadre_office_migrations"
# The advisory lock key that serialises opening (migrating) a PostgreSQL office database.
PG_MIGRATION_LOCK = 0x4344_4F46_0000_0001

Row = tuple[Any, ...]


class OfficeEngine(Protocol):
    """What the office database needs of an engine. SQL is written with `?` placeholders."""

    kind: Engine
    # The database as messages name it: the file's path, or the URL without its password.
    where: str
    # The file of a SQLite database; None on PostgreSQL.
    path: Path | None

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """The rows of a query."""
        ...

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run a statement."""
        ...

    def insert_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert many rows fast (SQLite: executemany; PostgreSQL: COPY)."""
        ...

    def write(self) -> AbstractContextManager[None]:
        """A write transaction: committed when the block ends, rolled back when it raises."""
        ...

    def read(self) -> AbstractContextManager[None]:
        """A read-only transaction: every query in the block sees the same snapshot."""
        ...

    def statement(self, key: str) -> str | None:
        """This engine's spelling of a statement of office_sql.STATEMENTS."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


def is_postgres_url(target: str | Path) -> bool:
    """Whether `--db` names a PostgreSQL database (`postgresql://…` or `postgres://…`)."""
    return isinstance(target, str) and target.lower().startswith(("postgresql://", "postgres://"))


def open_engine(target: str | Path) -> OfficeEngine:
    """The engine for `--db`: PostgreSQL for a URL, else SQLite for a file path."""
    if is_postgres_url(target):
        return PostgresOffice.open(str(target))
    if re.match(r"(?i)postgres(ql)?:", str(target)):  # a typo, or a URL that went through Path()
        raise InvalidInput.of("office.url_typo", where=hide_password(str(target)))
    return SqliteOffice.open(Path(target).expanduser())


# -- SQLite ------------------------------------------------------------------------------------------------


def _sqlite_migrations() -> Migrations:
    migrations = Migrations("cadre-tui-office")
    for name, scripts in OFFICE_MIGRATIONS:

        def apply(db: Database, script: str = scripts["sqlite"]) -> None:
            run_script(db, script)

        migrations(name=name)(apply)
    return migrations


SQLITE_MIGRATIONS = _sqlite_migrations()


class SqliteOffice:
    """An office database in a SQLite file (WAL, owner-only permissions)."""

    kind: Engine = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path: Path | None = path
        self.where = str(path)

    @classmethod
    def open(cls, path: Path) -> SqliteOffice:
        """Open or create the office database at `path`; refuse a community database (exit 3).

        Clerks may open a new file at the same moment: what the file is, is read in one transaction, and
        read again under the write lock before it is migrated, so one of them creates the tables and the
        others find them.
        """
        if path.exists() and path.is_dir():
            raise InvalidInput.of("store.is_folder", path=path)
        make_private_dir(path.parent)
        old_umask = os.umask(0o077)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("BEGIN")
                try:
                    version = _sqlite_check(conn, path)
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
                if version < OFFICE_VERSION_BASE + len(OFFICE_MIGRATIONS):
                    _sqlite_migrate(conn, path)
                _sqlite_wal(conn)
            except sqlite3.OperationalError:  # locked, full disk…: the command line says so
                conn.close()
                raise
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise InvalidInput.of("office.not_database_because", path=path, error=exc) from None
            except BaseException:
                conn.close()
                raise
        finally:
            os.umask(old_umask)
        for suffix in ("", "-wal", "-shm"):
            make_private_file(Path(str(path) + suffix))
        return cls(conn, path)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """The rows of a query."""
        return self.conn.execute(sql, params).fetchall()

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        row: Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run a statement."""
        self.conn.execute(sql, params)

    def insert_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert many rows with one prepared statement."""
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    @contextmanager
    def write(self) -> Iterator[None]:
        """BEGIN IMMEDIATE (the database's one write lock) … COMMIT, or ROLLBACK when the block raises."""
        yield from self._transaction("BEGIN IMMEDIATE")

    @contextmanager
    def read(self) -> Iterator[None]:
        """A deferred transaction: in WAL mode its reads share one snapshot."""
        yield from self._transaction("BEGIN")

    def _transaction(self, begin: str) -> Iterator[None]:
        self.conn.execute(begin)
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def statement(self, key: str) -> str | None:
        """SQLite's spelling of a statement of office_sql.STATEMENTS."""
        return statement("sqlite", key)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _sqlite_check(conn: sqlite3.Connection, path: Path) -> int:
    """The user_version of an office database or a new file; refuse anything else (exit 3)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute(statement("sqlite", "tables") or "")}
    if app_id != OFFICE_APPLICATION_ID and (tables or version):
        if "settings" in tables or "households" in tables:
            raise Refused.of("office.is_community", path=path)
        raise Refused.of("office.not_database", path=path)
    if version > OFFICE_VERSION_BASE + len(OFFICE_MIGRATIONS):
        raise Refused.of("office.newer", path=path)
    return version


def _sqlite_migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the pending migrations under the write lock (checking the file again once it is held)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _sqlite_check(conn, path) < OFFICE_VERSION_BASE + len(OFFICE_MIGRATIONS):
            db = Database(conn, execute_plugins=False)  # as Store.open: no plugin is ours
            conn.execute(f"PRAGMA application_id = {OFFICE_APPLICATION_ID}")
            SQLITE_MIGRATIONS.apply(db)
            applied = len(SQLITE_MIGRATIONS.applied(db))
            conn.execute(f"PRAGMA user_version = {OFFICE_VERSION_BASE + applied}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _sqlite_wal(conn: sqlite3.Connection) -> None:
    """Write-ahead logging. Switching a new file into it needs a moment nobody else uses the file, and
    SQLite does not wait for that moment: try again until the busy timeout has passed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


# -- PostgreSQL --------------------------------------------------------------------------------------------


def hide_password(url: str) -> str:
    """The URL as messages show it: `postgresql://clerk:***@host/db` (the password never printed)."""
    url = re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


@lru_cache(maxsize=256)
def _pg_sql(sql: str) -> LiteralString:
    """psycopg's placeholders for ours: `?` -> `%s` (a literal `%` doubled first)."""
    return cast(LiteralString, sql.replace("%", "%%").replace("?", "%s"))


class PostgresOffice:
    """An office database in PostgreSQL (or a server speaking its protocol), through psycopg 3.

    The connection runs in autocommit mode; `write()` and `read()` open explicit transactions (READ
    COMMITTED for writes, as PostgreSQL's default; REPEATABLE READ, READ ONLY for reads).
    """

    kind: Engine = "postgres"

    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        self.conn = conn
        self.path: Path | None = None
        self.where = hide_password(url)

    @classmethod
    def open(cls, url: str) -> PostgresOffice:
        """Connect, refuse a database that is not an office's or is newer, apply pending migrations."""
        import psycopg

        where = hide_password(url)
        try:
            conn = psycopg.connect(url, autocommit=True, application_name="cadre-tui office")
        except psycopg.ProgrammingError as exc:  # a malformed URL
            raise InvalidInput.of("office.bad_url", where=where, error=_first_line(exc)) from None
        except psycopg.Error as exc:
            raise CadreError.of("office.cannot_connect", where=where, error=_first_line(exc)) from None
        office = cls(conn, url)
        try:
            office._migrate()
        except BaseException:
            conn.close()
            raise
        return office

    def _migrate(self) -> None:
        known = [name for name, _ in OFFICE_MIGRATIONS]
        with self.write():
            # One clerk migrates at a time; the others wait here, then find nothing pending.
            self.execute("SELECT pg_advisory_xact_lock(?)", [PG_MIGRATION_LOCK])
            tables = {r[0] for r in self.fetchall(statement("postgres", "tables") or "")}
            if PG_MIGRATIONS_TABLE not in tables:
                if tables:
                    raise Refused.of(
                        "office.other_tables", path=self.where, tables=", ".join(sorted(tables)[:5])
                    )
                self.execute(
                    f"CREATE TABLE {PG_MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
            applied = {r[0] for r in self.fetchall(f"SELECT name FROM {PG_MIGRATIONS_TABLE}")}
            if applied - set(known):
                raise Refused.of("office.newer", path=self.where)
            for name, scripts in OFFICE_MIGRATIONS:
                if name in applied:
                    continue
                for sql in scripts["postgres"].split(";"):
                    if sql.strip():
                        self.execute(sql)
                self.execute(
                    f"INSERT INTO {PG_MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                    [name, format_stamp(datetime.now(UTC))],
                )

    def _call(self, work: Callable[[], Any]) -> Any:
        """Run `work`; a server error becomes a message naming the database (exit 1), not a traceback."""
        import psycopg

        try:
            return work()
        except psycopg.errors.DeadlockDetected:
            raise CadreError.of("office.deadlock", where=self.where) from None
        except psycopg.Error as exc:
            raise CadreError.of("office.server_error", where=self.where, error=_first_line(exc)) from None

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """The rows of a query."""
        rows: list[Row] = self._call(lambda: self.conn.execute(_pg_sql(sql), params).fetchall())
        return rows

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        row: Row | None = self._call(lambda: self.conn.execute(_pg_sql(sql), params).fetchone())
        return row

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run a statement."""
        self._call(lambda: self.conn.execute(_pg_sql(sql), params))

    def insert_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """COPY … FROM STDIN: rows streamed to the server, far faster than one INSERT each."""
        copy_sql = cast(LiteralString, f"COPY {table} ({', '.join(columns)}) FROM STDIN")

        def copy() -> None:
            with self.conn.cursor() as cursor, cursor.copy(copy_sql) as stream:
                for row in rows:
                    stream.write_row(row)

        self._call(copy)

    @contextmanager
    def write(self) -> Iterator[None]:
        """BEGIN … COMMIT, or ROLLBACK when the block raises."""
        import psycopg

        try:
            with self.conn.transaction():
                yield
        except psycopg.Error as exc:  # raised by COMMIT itself
            raise CadreError.of("office.server_error", where=self.where, error=_first_line(exc)) from None

    @contextmanager
    def read(self) -> Iterator[None]:
        """A REPEATABLE READ, READ ONLY transaction: one snapshot for every query in the block."""
        with self.conn.transaction():
            self.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    def statement(self, key: str) -> str | None:
        """PostgreSQL's spelling of a statement of office_sql.STATEMENTS."""
        return statement("postgres", key)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
