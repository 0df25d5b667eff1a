"""Every module that adds commands to the command line, in the order `--help` lists them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cadre_tui.cli import app, demo, exports, imports, office, records, rules, setup, sync

if TYPE_CHECKING:
    from cadre_tui.cli import Groups

REGISTRARS: list[Callable[[Groups], None]] = [
    app.register,
    setup.register,
    imports.register,
    records.register,
    demo.register,
    rules.register,
    sync.register,
    exports.register,
    office.register,
]
