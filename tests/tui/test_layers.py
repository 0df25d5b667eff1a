"""Both apps' code (cadre_tui/tui/, the office app's tui/office/ too) stays on its side of the store: no SQL,
no names looked up, no Textual internals."""

from __future__ import annotations

import re
from pathlib import Path

import cadre_tui.tui

TUI = Path(cadre_tui.tui.__file__).parent

# What a screen must never do, and why.
FORBIDDEN = {
    r"\.execute\(": "SQL belongs in a store function (cadre_tui/store/)",
    r"\.db\.": "the connection belongs to the store: call a store function",
    r"\bgetattr\(": "pass a callable or check a type instead of looking a name up",
    r"(?<!self)\._[a-z]": "another object's private attribute (Textual's internals change between releases)",
}


def _modules() -> list[Path]:
    return sorted(TUI.rglob("*.py"))


def _offences() -> list[str]:
    found = []
    for path in _modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, why in FORBIDDEN.items():
                if re.search(pattern, line):
                    found.append(f"{path.relative_to(TUI)}:{number}: {line.strip()}  ({why})")
    return found


def test_screens_never_touch_sql_names_or_textual_internals() -> None:
    assert _offences() == []


def test_the_check_would_catch_a_screen_running_sql() -> None:
    line = '        rows = store.db.execute("SELECT 1").fetchall()'
    assert [p for p in FORBIDDEN if re.search(p, line)] == [r"\.execute\(", r"\.db\."]


def test_the_check_reads_both_apps() -> None:
    read = {path.relative_to(TUI).as_posix() for path in _modules()}
    assert {"app.py", "base_app.py", "commands.py", "screens/plan.py", "widgets/dialogs.py"} <= read
    assert {
        "office/app.py", "office/base.py", "office/week.py", "office/history.py", "office/importing.py",
        "office/export.py",
    } <= read  # fmt: skip
