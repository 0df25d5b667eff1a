"""Where the database lives: one function, one environment override, nothing at import time."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "CADRE_TUI_DB"


def default_db_path() -> Path:
    """`$CADRE_TUI_DB`, else `cadre.db` in the platformdirs user data directory of cadre-tui."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("cadre-tui", appauthor=False)) / "cadre.db"


def make_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) readable by the owner only.

    A folder that already exists is left as it is: it may be the user's home or a USB stick's root.
    """
    if path.is_dir():
        return
    make_private_dir(path.parent) if not path.parent.exists() else None
    path.mkdir(mode=0o700)
    os.chmod(path, 0o700)


def make_private_file(path: Path) -> None:
    """Make an existing file readable by its owner only."""
    if path.exists():
        os.chmod(path, 0o600)
