"""The app's launch path (issue 12): the command line that only opens the app, and what the first screen
reads before the store is opened (store/first_look.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cadre_tui.cli import build_parser
from cadre_tui.cli.app import app_only
from cadre_tui.store import db, keys, schema
from cadre_tui.store.db import Store
from cadre_tui.store.first_look import (
    BEFORE_THE_KEY,
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
    """Everything imported before the app's first screen is drawn, in a clean interpreter (the migrations'
    list, store/schema.py, is in: it gives `SCHEMA_VERSION` and loads sqlite-utils only to migrate)."""
    code = (
        "import sys, cadre_tui.cli, cadre_tui.cli.app, cadre_tui.store.first_look, cadre_tui.tui.app,"
        " cadre_tui.tui.screens.dashboard, cadre_tui.tui.screens.start;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlite_utils'"
        " or m in ('cadre_tui.store.db', 'cadre_tui.store.week_views'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


# -- what the first screen reads ---------------------------------------------------------------------------


def test_its_constants_are_the_stores() -> None:
    assert schema.schema_version() == SCHEMA_VERSION
    assert OFFICE_APPLICATION_ID == db.OFFICE_APPLICATION_ID


def test_a_community_and_its_language(store: Store, db_path: Path) -> None:
    assert first_look(db_path) == FirstLook(lang=None, community_name="幸福社区")
    set_local(store, "lang", "en")
    assert first_look(db_path) == FirstLook(lang="en", community_name="幸福社区")


def test_no_community_yet(plain_db: Path) -> None:
    assert first_look(plain_db) == FirstLook(lang=None, community_name=None)


def test_a_missing_file_is_left_missing(db_path: Path) -> None:
    assert first_look(db_path) is None
    assert not db_path.exists()


def test_a_folder_or_a_path_under_a_file_is_left_to_the_store(tmp_path: Path) -> None:
    """No traceback from the first look's thread: the store's open says what is wrong, in words."""
    assert first_look(tmp_path) is None
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert first_look(blocker / "c.db") is None


def test_a_newer_or_an_office_database_is_opened_as_usual(plain_db: Path, tmp_path: Path) -> None:
    store = Store.open(plain_db)
    store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store.close()
    assert first_look(plain_db) is None
    office = tmp_path / "office.db"
    store = Store.open(office)
    store.db.execute(f"PRAGMA application_id = {OFFICE_APPLICATION_ID}")
    store.close()
    assert first_look(office) is None
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("not a database\n" * 100)
    assert first_look(not_a_database) is None


def test_an_encrypted_database_is_drawn_before_its_key(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With its passphrase: the first screen at once, nothing read, no key derived (the store does it,
    once the screen is drawn); without one, the unlock screen (None: opened as usual)."""
    store = Store.open(db_path, passphrase=PASSPHRASE)
    store.set_community("幸福社区", None, "Asia/Shanghai")
    store.close()
    before = db_path.read_bytes()
    derived: list[bytes] = []

    def derive(passphrase: str, salt: bytes) -> bytes:
        derived.append(salt)
        return b""

    monkeypatch.setattr(keys, "_derive", derive)
    assert first_look_soon(db_path, PASSPHRASE)() == BEFORE_THE_KEY
    assert first_look_soon(db_path, "wrong passphrase")() == BEFORE_THE_KEY  # the store refuses it later
    assert first_look_soon(db_path, None)() is None
    assert first_look(db_path) is None
    assert derived == []
    assert db_path.read_bytes() == before  # read, never written


def test_the_first_screen_loads_no_sqlcipher_nor_hashlib() -> None:
    """Their extension modules take 5-15 ms to load: the first screen is drawn without them."""
    code = (
        "import sys, cadre_tui.cli, cadre_tui.cli.app, cadre_tui.store.first_look, cadre_tui.tui.app,"
        " cadre_tui.tui.screens.dashboard, cadre_tui.tui.screens.start;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlcipher3', 'hashlib', '_hashlib')"
        " or m == 'cadre_tui.store.keys');"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
