"""Opening the store without sqlite-utils (issue 12): `store.db.Db` and the migrations' list
(store/schema.py) load it only to migrate, or for `store.db.table(...)`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cadre_tui.store import schema
from cadre_tui.store.db import Store


def test_a_current_database_opens_and_reports_without_sqlite_utils(store: Store, db_path: Path) -> None:
    """Issue 12: sqlite-utils (~50 ms to import) is loaded only to migrate, or for `db.table(...)`."""
    store.close()
    code = (
        "import sys; from cadre_tui.cli import main;"
        f"code = main(['report', '--week', 'this', '--db', {str(db_path)!r}]);"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlite_utils');"
        "print(bad); sys.exit(code or (1 if bad else 0))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_migration_loads_sqlite_utils_and_records_itself_as_it_did(db_path: Path) -> None:
    """The migrations are sqlite-utils' (its `_sqlite_migrations` table), whichever way they are listed."""
    store = Store.open(db_path)
    rows = store.db.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid").fetchall()
    assert rows == [("cadre-tui", name) for name, _ in schema.migrations._migrations]
    assert len(schema.migrations.pending(store.db)) == 0
    store.close()


def test_nested_transactions_are_savepoints(store: Store) -> None:
    with store.transaction():
        store.set_setting("capacity", 9)
        with pytest.raises(RuntimeError), store.transaction():
            store.set_setting("capacity", 12)
            raise RuntimeError("boom")
        assert store.get_setting("capacity") == 9
    assert store.get_setting("capacity") == 9
    assert not store.db.conn.in_transaction


def test_query_gives_rows_by_column_name(store: Store) -> None:
    rows = list(store.db.query("SELECT key, deleted FROM settings WHERE key = ?", ["community_name"]))
    assert rows == [{"key": "community_name", "deleted": 0}]
