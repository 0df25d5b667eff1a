"""The SQLite store: schema, migrations, queries and backups (sqlite-utils only to migrate, and for
`store.db.table(...)`: `store.db.Db`).

`Store` is imported from `store.db` on first use, not with the package: a module of the store that
needs neither sqlite-utils nor the migrations (`store.keys`, `store.first_look`) is then imported
without them (the app's launch draws its first screen before they are loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cadre_tui.store.db import Store

__all__ = ["Store"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from cadre_tui.store.db import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
