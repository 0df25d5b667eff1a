"""Shared fixtures: every test gets its own data folder; nothing touches the real home directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cadre_tui.cli import main
from cadre_tui.store.db import Store
from tests.postgres import note_postgres_tests, postgres_server, postgres_summary, postgres_url

# The throwaway PostgreSQL server's fixtures (tests/postgres.py), for every test.
__all__ = ["postgres_server", "postgres_url"]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("CADRE_TUI_DB", raising=False)
    for name in ("CADRE_TUI_PASSPHRASE", "CADRE_TUI_NEW_PASSPHRASE", "CADRE_TUI_SYNC_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Result:
    """What a command printed and returned."""

    code: int
    out: str
    err: str


CliRunner = Callable[..., Result]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database path in a fresh folder (the file does not exist yet)."""
    return tmp_path / "data" / "cadre.db"


@pytest.fixture
def plain_db(db_path: Path) -> Path:
    """An empty PLAIN database at `db_path`: `init` keeps a plain database plain, so the many tests of
    what commands do stay fast (a new database would be encrypted, one key derivation each); the
    encrypted path has its own tests (tests/unit/test_crypto.py)."""
    Store.open(db_path).close()
    return db_path


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run `cadre-tui ARGS --db db_path` in-process and return exit code, stdout and stderr.

    The command line speaks Chinese by default; `lang="en"` adds `--lang en` (tests of English texts)."""

    def run(*args: str, db: Path | str | None = None, lang: str | None = None) -> Result:
        capsys.readouterr()
        code = main([*args, "--db", str(db or db_path), *(["--lang", lang] if lang else [])])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """An empty community database on disk, 幸福社区 initialised."""
    s = Store.open(db_path)
    s.set_community("幸福社区", None, "Asia/Shanghai")
    yield s
    s.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Note the tests that run on PostgreSQL, for the summary line."""
    note_postgres_tests(items)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """`PostgreSQL tests: N passed, …` (tests/postgres.py)."""
    postgres_summary(terminalreporter)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def office_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The office database as `--db` names it: a SQLite file, or a new PostgreSQL database's URL."""
    if request.param == "sqlite":
        return str(tmp_path / "office.db")
    url: str = request.getfixturevalue("postgres_url")
    return url
