"""Every command of the command line is documented in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

from cadre_tui.cli import build_parser

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                nested = _commands(sub, full)
                found.extend(nested or [full])
    return found


def test_every_command_is_in_the_readme() -> None:
    commands = _commands(build_parser())
    assert "import roster" in commands
    missing = [c for c in commands if f"`cadre-tui {c}" not in README]
    assert missing == []


def test_every_option_is_in_the_readme() -> None:
    parser = build_parser()
    missing: list[str] = []

    def walk(p: argparse.ArgumentParser, name: str) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub_name, sub in action.choices.items():
                    walk(sub, f"{name} {sub_name}".strip())
            for option in action.option_strings:
                if option.startswith("--") and option not in ("--help", "--version") and option not in README:
                    missing.append(f"{name} {option}")

    walk(parser, "")
    assert missing == []
