"""Reading one bundle-format file; the nine files' columns live in `store/synced.py` (re-exported here).

The seeds' visit and matter history uses these same columns, and is read with `read_bundle_file`.
"""

from __future__ import annotations

from pathlib import Path

from cadre_tui.errors import InvalidInput
from cadre_tui.io.csvfile import read_csv
from cadre_tui.store.synced import BUNDLE_FILES, STORE_COLUMN, SYNC_COLUMNS, bundle_columns, store_column

__all__ = [
    "BUNDLE_FILES",
    "STORE_COLUMN",
    "SYNC_COLUMNS",
    "bundle_columns",
    "read_bundle_file",
    "store_column",
]


def read_bundle_file(
    path: Path, file_name: str | None = None, display_name: str | None = None
) -> list[tuple[int, dict[str, str]]]:
    """Read one bundle-format CSV: (line, {column: value}) per record, cells kept exactly as written.

    Exit 2 when a column of the format is missing.
    """
    name = file_name or path.name
    if name not in BUNDLE_FILES:
        raise InvalidInput.of(
            "bundle.bad_name", file=display_name or path.name, names=", ".join(BUNDLE_FILES)
        )
    columns = {c: c for c in bundle_columns(name)}
    table = read_csv(path, columns, required=tuple(columns), display_name=display_name, strip=False)
    return [(record.line, record.values) for record in table.records]
