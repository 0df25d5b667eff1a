"""The app's launch path (issue 12): the command line that only opens the app, and what the first screen
reads before the store is opened (store/first_look.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cadre_tui.cli import build_parser
from cadre_tui.cli.app import app_only
from cadre_tui.store import db, schema
from cadre_tui.store.db import Store
from cadre_tui.store.first_look import (
    OFFICE_APPLICATION_ID,
    SCHEMA_VERSION,
    FirstLook,
    first_look,
    first_look_soon,
)
from cadre_tui.store.settings import set_local

PASSPHRASE = "correcthorse"


# -- the command line that only opens the app -----------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [[], ["--db", "x.db"], ["--db=x.db"], ["--lang", "en"], ["--lang=zh", "--db", "a b.db"],
     ["--db", "x.db", "--lang", "en", "--db", "y.db"], ["--db", ""]],
)  # fmt: skip
def test_app_only_is_what_the_full_parser_makes_of_it(argv: list[str]) -> None:
    assert app_only(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [["tui"], ["report"], ["--help"], ["--version"], ["--db"], ["--lang", "fr"], ["--lang"],
     ["--db", "--lang"], ["--d", "x.db"], ["--db", "x.db", "demo"], ["-h"], ["--", "--db", "x"]],
)  # fmt: skip
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert app_only(argv) is None


def test_the_first_screen_leaves_sqlite_utils_and_the_store_out() -> None:
    """Everything imported before the app's first screen is drawn, in a clean interpreter."""
    code = (
        "import sys, cadre_tui.cli, cadre_tui.cli.app, cadre_tui.store.first_look, cadre_tui.tui.app,"
        " cadre_tui.tui.screens.dashboard, cadre_tui.tui.screens.start;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlite_utils'"
        " or m in ('cadre_tui.store.db', 'cadre_tui.store.schema', 'cadre_tui.store.week_views'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


# -- what the first screen reads ---------------------------------------------------------------------------


def test_its_constants_are_the_stores() -> None:
    assert schema.schema_version() == SCHEMA_VERSION
    assert OFFICE_APPLICATION_ID == db.OFFICE_APPLICATION_ID


def test_a_community_and_its_language(store: Store, db_path: Path) -> None:
    assert first_look(db_path, None) == FirstLook(lang=None, community_name="幸福社区")
    set_local(store, "lang", "en")
    assert first_look(db_path, None) == FirstLook(lang="en", community_name="幸福社区")


def test_no_community_yet(plain_db: Path) -> None:
    assert first_look(plain_db, None) == FirstLook(lang=None, community_name=None)


def test_a_missing_file_is_left_missing(db_path: Path) -> None:
    assert first_look(db_path, None) is None
    assert not db_path.exists()


def test_a_folder_or_a_path_under_a_file_is_left_to_the_store(tmp_path: Path) -> None:
    """No traceback from the first look's thread: the store's open says what is wrong, in words."""
    assert first_look(tmp_path, None) is None
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert first_look(blocker / "c.db", None) is None


def test_a_newer_or_an_office_database_is_opened_as_usual(plain_db: Path, tmp_path: Path) -> None:
    store = Store.open(plain_db)
    store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store.close()
    assert first_look(plain_db, None) is None
    office = tmp_path / "office.db"
    store = Store.open(office)
    store.db.execute(f"PRAGMA application_id = {OFFICE_APPLICATION_ID}")
    store.close()
    assert first_look(office, None) is None
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("not a database\n" * 100)
    assert first_look(not_a_database, None) is None


def test_an_encrypted_database_with_its_passphrase_only(db_path: Path) -> None:
    store = Store.open(db_path, passphrase=PASSPHRASE)
    store.set_community("幸福社区", None, "Asia/Shanghai")
    store.close()
    before = db_path.read_bytes()
    assert first_look(db_path, PASSPHRASE) == FirstLook(lang=None, community_name="幸福社区")
    assert first_look(db_path, "wrong passphrase") is None
    assert first_look(db_path, None) is None
    assert db_path.read_bytes() == before  # read, never written
    assert first_look_soon(db_path, PASSPHRASE)() == FirstLook(lang=None, community_name="幸福社区")
