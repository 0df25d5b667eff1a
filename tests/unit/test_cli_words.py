"""A command line is parsed by a parser of only its first word's modules (cli/commands.py, issue 12): the
same result, the same usage and errors as the whole parser's."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from cadre_tui.cli import Groups, build_parser, common_options, first_word
from cadre_tui.cli.commands import MODULES, WORDS, registrars


def test_each_modules_words_are_what_it_registers() -> None:
    for name, register in zip(MODULES, registrars(), strict=True):
        common = common_options()
        parser = argparse.ArgumentParser(parents=[common])
        sub = parser.add_subparsers(dest="command")
        register(Groups(sub, common))
        assert tuple(sub.choices) == MODULES[name], name
    assert {choice for choice in build_parser()._subparsers._group_actions[0].choices} == WORDS  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "argv",
    [["report", "--week", "last"], ["--db", "x.db", "plan", "--week", "this"], ["--db=x.db", "--lang", "en",
     "import", "roster", "r.csv"], ["import", "bundle", "b.cadre"], ["export", "bundle", "b.cadre"],
     ["export", "walklist", "--week", "this", "--team", "T1"], ["export", "log", "--week", "last"],
     ["--lang=en", "visit", "add", "--household", "H1", "--date", "2026-11-20", "--outcome", "met"],
     ["office"], ["office", "report", "--week", "last"], ["tui"], ["init", "--community", "幸福社区"],
     ["config"], ["demo"], ["backup", "b.db"], ["passphrase"], ["matter", "add", "--help"]],
)  # fmt: skip
def test_the_first_words_parser_parses_as_the_whole_one(argv: list[str]) -> None:
    word = first_word(argv)
    assert word is not None
    try:
        whole = build_parser().parse_args(argv)
    except SystemExit as exc:
        with pytest.raises(SystemExit) as small:
            build_parser(word=word).parse_args(argv)
        assert small.value.code == exc.code
        return
    assert build_parser(word=word).parse_args(argv) == whole


@pytest.mark.parametrize(
    "argv",
    [["report"], ["report", "--week"], ["import"], ["import", "nothing"], ["export", "bundle"],
     ["--lang", "fr", "report", "--week", "last"], ["report", "--week", "last", "--bogus"],
     ["report", "--help"], ["import", "--help"], ["office", "--help"], ["--db", "x.db", "plan", "-h"]],
)  # fmt: skip
def test_its_usage_and_errors_are_the_whole_ones(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    word = first_word(argv)
    assert word is not None
    said = []
    for parser in (build_parser(), build_parser(word=word)):
        with pytest.raises(SystemExit) as done:
            parser.parse_args(argv)
        said.append((done.value.code, capsys.readouterr()))
    assert said[0] == said[1]


@pytest.mark.parametrize(
    "argv",
    [[], ["--help"], ["-h", "report"], ["--version"], ["--d", "report", "plan"], ["--db"], ["--db", "-x",
     "report"], ["reprot"], ["--", "report"], ["--lang"], ["-d", "x.db", "report"], ["x.db"]],
)  # fmt: skip
def test_anything_else_is_for_the_whole_parser(argv: list[str]) -> None:
    assert first_word(argv) is None


def test_a_report_imports_no_other_commands_module() -> None:
    code = (
        "import sys; from cadre_tui.cli import build_parser;"
        "build_parser(word='report').parse_args(['report', '--week', 'last']);"
        "bad = sorted(m for m in sys.modules if m.startswith('cadre_tui.cli.') and m not in"
        " ('cadre_tui.cli.commands', 'cadre_tui.cli.rules'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
