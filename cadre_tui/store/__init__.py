"""The SQLite store: schema, migrations, queries and backups, through sqlite-utils."""

from cadre_tui.store.db import Store

__all__ = ["Store"]
