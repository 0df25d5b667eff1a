"""Every module that adds commands to the command line, in the order `--help` lists them, with the first
words of the commands each one adds.

A command line whose first word is known is parsed by a parser of only the modules that add that word
(`cli.first_word`, `cli.build_parser(word=...)`): the other modules are neither imported nor built, ~10-15
ms of every command (issue 12). tests/unit/test_cli_words.py holds these words equal to what each module's
`register` adds, and what the small parser makes of a command line equal to what the whole one makes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadre_tui.cli import Groups

# Module of cadre_tui.cli -> the first words (commands, groups) its `register` adds. A new module: one line.
MODULES: dict[str, tuple[str, ...]] = {
    "app": ("tui",),
    "setup": ("init", "backup", "restore", "encrypt", "passphrase"),
    "imports": ("import",),
    "records": ("visit", "matter"),
    "demo": ("demo",),
    "rules": ("config", "plan", "report"),
    "sync": ("import", "export"),
    "exports": ("export",),
    "office": ("office",),
}

WORDS: frozenset[str] = frozenset(word for words in MODULES.values() for word in words)


def registrars(word: str | None = None) -> list[Callable[[Groups], None]]:
    """The `register` of every module, in `--help`'s order; with `word`, of those that add that word."""
    names = [name for name, words in MODULES.items() if word is None or word in words]
    return [importlib.import_module(f"cadre_tui.cli.{name}").register for name in names]
