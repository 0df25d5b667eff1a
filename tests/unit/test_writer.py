"""store.writer.WriteThread: statements on a second thread inside the caller's one transaction."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from cadre_tui.store.writer import WriteThread


def connection() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    conn.execute("CREATE TABLE t (x INTEGER)")
    # a statement that takes a while: the second thread is busy when the caller gives up
    conn.create_function("pause", 1, lambda seconds: time.sleep(seconds))
    return conn


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM t").fetchone()[0])


def test_lists_run_in_order_on_another_thread_and_their_rows_commit_with_the_caller() -> None:
    conn = connection()
    names: list[str] = []

    def thread() -> int:
        names.append(threading.current_thread().name)
        return 1

    conn.create_function("thread", 0, thread)
    conn.execute("BEGIN")
    writer = WriteThread(conn, "test-writer")
    writer.run([("INSERT INTO t SELECT thread()", ()), ("INSERT INTO t VALUES (?)", (2,))])
    writer.run([("INSERT INTO t VALUES (3)", ())])
    writer.close()
    conn.execute("COMMIT")
    assert [row[0] for row in conn.execute("SELECT x FROM t")] == [1, 2, 3]
    assert names and names[0].startswith("test-writer")


def test_an_error_is_the_callers_at_the_next_run_or_at_close() -> None:
    conn = connection()
    conn.execute("BEGIN")
    writer = WriteThread(conn, "test-writer")
    writer.run([("INSERT INTO nowhere VALUES (1)", ()), ("INSERT INTO t VALUES (1)", ())])
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        writer.run([("INSERT INTO t VALUES (2)", ())])
    writer.close()
    assert count(conn) == 0  # the rest of the failed list was not run, the next list not taken


def test_a_cancelled_writer_skips_the_statements_not_begun() -> None:
    conn = connection()
    conn.execute("BEGIN")
    writer = WriteThread(conn, "test-writer")
    writer.run([("SELECT pause(0.2)", ()), ("INSERT INTO t VALUES (1)", ())])
    time.sleep(0.05)
    writer.close(cancel=True)
    conn.execute("ROLLBACK")
    assert count(conn) == 0


def test_nothing_is_written_after_the_caller_rolled_back_without_waiting() -> None:
    """A second Ctrl-C can cut the caller's `close` short: its rollback then comes while the thread is
    still busy. The statements left must not run outside the transaction (each would commit)."""
    conn = connection()

    class Late:
        """The connection as the thread sees it, a moment late between two statements: the caller's
        rollback (which waited for the running statement) comes first."""

        @property
        def in_transaction(self) -> bool:
            time.sleep(0.1)
            return conn.in_transaction

        def execute(self, sql: str, parameters: object) -> object:
            if sql.startswith("INSERT"):
                time.sleep(0.1)
            return conn.execute(sql, parameters)  # type: ignore[arg-type]

    conn.execute("BEGIN")
    writer = WriteThread(Late(), "test-writer")
    writer.run([("SELECT pause(0.2)", ()), ("INSERT INTO t VALUES (1)", ())])
    time.sleep(0.05)
    conn.execute("ROLLBACK")  # waits for the running statement, not for the list
    writer.close()
    assert not conn.in_transaction
    assert count(conn) == 0


def test_close_waits_for_the_running_statement_through_a_second_ctrl_c() -> None:
    """A real SIGINT while `close` waits (Python 3.11's interrupted `Thread.join` can mark a thread
    ended while it still runs): `close` goes on waiting for the statement, then the thread is gone."""
    import os
    import signal

    conn = connection()
    conn.execute("BEGIN")
    writer = WriteThread(conn, "test-writer")
    writer.run([("SELECT pause(0.6)", ()), ("INSERT INTO t VALUES (1)", ())])
    interrupts = 0
    began = time.monotonic()
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
    while True:
        try:
            writer.close(cancel=True)
            break
        except KeyboardInterrupt:  # pragma: no cover - close swallows it; here only if it did not
            interrupts += 1
    assert interrupts == 0
    assert time.monotonic() - began >= 0.5  # the statement was waited for
    assert not [t for t in threading.enumerate() if t.name.startswith("test-writer")]
    conn.execute("ROLLBACK")
    assert count(conn) == 0


def test_a_ctrl_c_while_close_waits_for_the_last_lists_is_raised_once_they_are_done() -> None:
    """Review 2: the import not failed (`cancel=False`), a Ctrl-C landing while `close` waits for the last
    lists was swallowed and the caller committed. Now the lists are still waited for (the rollback must
    not meet a running statement), then the interrupt is raised: the caller rolls back."""
    import os
    import signal

    conn = connection()
    conn.execute("BEGIN")
    writer = WriteThread(conn, "test-writer")
    writer.run([("SELECT pause(0.6)", ()), ("INSERT INTO t VALUES (1)", ())])
    began = time.monotonic()
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        writer.close()
    assert time.monotonic() - began >= 0.5  # the statements were waited for first
    assert not [t for t in threading.enumerate() if t.name.startswith("test-writer")]
    conn.execute("ROLLBACK")
    assert count(conn) == 0


def test_lists_queued_behind_a_failed_one_are_not_run() -> None:
    """With more than one list in flight (`depth`), a failed list's error is the caller's at a later
    `run` or at `close`, and the lists queued behind it write nothing."""
    conn = connection()
    conn.execute("BEGIN")
    writer = WriteThread(conn, "test-writer", depth=3)
    writer.run([("SELECT pause(0.1)", ()), ("INSERT INTO nowhere VALUES (1)", ())])
    writer.run([("INSERT INTO t VALUES (1)", ())])
    writer.run([("INSERT INTO t VALUES (2)", ())])
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        writer.close()
    assert count(conn) == 0


def test_a_deeper_writer_takes_a_list_while_the_previous_one_runs() -> None:
    conn = connection()
    release = threading.Event()
    conn.create_function("gate", 0, lambda: release.wait(5))
    conn.execute("BEGIN")
    writer = WriteThread(conn, "test-writer", depth=2)
    writer.run([("SELECT gate()", ())])
    writer.run([("INSERT INTO t VALUES (1)", ())])  # taken at once: the first list is still running
    assert len(writer._pending) == 2
    release.set()
    writer.wait()
    assert count(conn) == 1
    writer.close()
