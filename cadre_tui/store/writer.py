"""Statements run by the store's connection on a second thread while the caller reads on (issue 12).

Python's sqlite3 module lets go of the GIL while SQLite works on a statement and takes it back between
the rows of an `executemany`: run on a second thread beside a caller busy in Python, such a statement
would wait up to the 5 ms switch interval for each row. A few long statements (an INSERT of thousands
of rows, a CREATE INDEX) are each one stretch without the GIL: SQLite's B-tree work, and an encrypted
database's page encryption, then run on the other core beside the caller's checks.

One connection, one transaction: the caller hands the thread lists of statements with `run` and uses
the connection itself only after `wait` has returned. At most `depth` lists are in flight (one, unless
the caller asks for more), so a failed or interrupted import waits for one statement at most before its
rollback (`close(cancel=True)`: the statements not begun are skipped).
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from typing import Any

Statement = tuple[str, Sequence[Any]]


class WriteThread:
    """The store's connection lent to a thread of its own for lists of statements, run in order."""

    def __init__(self, conn: Any, name: str, *, depth: int = 1) -> None:
        self.conn = conn
        self.depth = depth
        self._pool = ThreadPoolExecutor(1, thread_name_prefix=name)
        self._pending: deque[Future[None]] = deque()
        self._cancelled = False
        self._failed = False

    def run(self, statements: list[Statement]) -> None:
        """Wait until fewer than `depth` lists are in flight (raising the error of any that failed), then
        hand this one to the thread."""
        self._settle(self.depth - 1)
        if statements:
            self._pending.append(self._pool.submit(self._execute, statements))

    def _execute(self, statements: list[Statement]) -> None:
        for sql, parameters in statements:
            # Outside its transaction a statement would commit on its own: the caller has rolled back
            # (a second Ctrl-C can cut its `close` short), so nothing more of the import is written.
            # After a failed statement the lists queued behind it are not run either.
            if self._cancelled or self._failed or not self.conn.in_transaction:
                return
            try:
                self.conn.execute(sql, parameters)
            except BaseException:
                self._failed = True
                raise

    def wait(self) -> None:
        """Every statement handed over has run: the connection is the caller's again. Raises the first
        error of the lists handed over."""
        self._settle(0)

    def _settle(self, left: int) -> None:
        """Wait for the oldest lists until at most `left` are in flight, raising the first one's error."""
        pending = self._pending
        while len(pending) > left:
            oldest = pending[0]
            try:
                oldest.result()
            finally:
                if oldest.done():  # not when a Ctrl-C cut the wait short: `close` still waits for it
                    pending.popleft()

    def close(self, *, cancel: bool = False) -> None:
        """The thread gone, the connection the caller's. `cancel` (the import failed or was interrupted):
        the statements not begun are skipped and their errors dropped; the one running is waited for,
        even through a second Ctrl-C, so that the caller's rollback never meets it."""
        if cancel:
            self._cancelled = True
        interrupted = False
        while True:
            try:
                # The statements themselves waited for first: a Ctrl-C landing in `Thread.join` (which
                # `shutdown` calls) can mark the thread ended while it still runs (Python 3.11).
                if self._pending:
                    wait_for(list(self._pending))
                self._pool.shutdown(wait=True)
                break
            except KeyboardInterrupt:
                interrupted = True
                continue
        if interrupted and not cancel:
            # Waited for, then raised: the caller's transaction rolls back instead of committing an
            # import the user stopped in its last moment.
            raise KeyboardInterrupt
        if not cancel:
            self.wait()


class ManyRows:
    """A table's new rows as `INSERT INTO t (…) VALUES (…), (…), …`, up to `rows` rows a statement (fewer
    when the connection's parameter limit says so): on the writer thread each is one stretch of SQLite
    without the GIL once its values are bound. The roster's first import and a new laptop's bundle
    import write with it.

    Anonymous parameters: SQLite 3.40 prepares numbered ones (?NNN) in time quadratic in their number
    (0.46 s for 2,000 rows). `fixed`: columns whose value is the same SQL text in every row (an import's
    one stamp): written into the statement, fewer values for the writing thread to bind while it holds
    the GIL. A table makes few sizes of statement (whole ones and the rest), each prepared once in the
    connection's statement cache.
    """

    def __init__(
        self,
        table: str,
        columns: Sequence[str],
        rows: int,
        limit: int,
        fixed: Mapping[str, str] | None = None,
    ) -> None:
        fixed = fixed or {}
        self.head = f"INSERT INTO {table} ({', '.join([*columns, *fixed])}) VALUES "
        self.width = len(columns)
        self.rows = max(1, min(rows, limit // self.width))
        self._group = "(" + ", ".join(["?"] * self.width + list(fixed.values())) + ")"
        self._sql: dict[int, str] = {}

    def statements(self, values: list[Any], *, whole_only: bool = False) -> list[Statement]:
        """The INSERTs of `values` (the rows' values one after the other), which they take; with
        `whole_only`, only statements of `rows` rows, the values of the rest left in `values`."""
        whole = self.rows * self.width
        made: list[Statement] = []
        while len(values) >= whole or (values and not whole_only):
            part = values[:whole]
            del values[:whole]
            made.append((self.sql(len(part) // self.width), part))
        return made

    def sql(self, rows: int) -> str:
        """The INSERT of `rows` rows."""
        found = self._sql.get(rows)
        if found is None:
            found = self._sql[rows] = self.head + ", ".join([self._group] * rows)
        return found


def variable_limit(conn: Any) -> int:
    """How many parameters one statement may have on this connection (sqlcipher3's connection cannot be
    asked: its SQLite's default)."""
    getlimit = getattr(conn, "getlimit", None)
    if getlimit is None:
        return 32766
    return int(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
