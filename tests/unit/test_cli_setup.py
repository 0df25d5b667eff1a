"""`init`, `backup`, `restore` and the command line's global options and exit codes."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from cadre_tui.cli import main
from cadre_tui.store import schema
from cadre_tui.store.db import Store, community_id_for
from tests.conftest import CliRunner

# `init` on the plain database of `plain_db` keeps it plain (encryption: tests/unit/test_crypto.py).
pytestmark = pytest.mark.usefixtures("plain_db")


def test_init_prints_the_community_id(cli: CliRunner, db_path: Path) -> None:
    result = cli("init", "--community", "幸福社区", "--code", "110105001001")
    assert result.code == 0
    assert result.out.strip() == community_id_for("110105001001")
    store = Store.open(db_path)
    community = store.community()
    assert community is not None
    assert (community.name, community.code, community.timezone) == (
        "幸福社区",
        "110105001001",
        "Asia/Shanghai",
    )


def test_init_on_its_own_community_updates_settings(cli: CliRunner, db_path: Path) -> None:
    assert cli("init", "--community", "幸福社区", "--code", "X1").code == 0
    result = cli(
        "init", "--community", "幸福社区", "--code", "X1", "--timezone", "Asia/Urumqi", "--me", "C01"
    )
    assert result.code == 0
    store = Store.open(db_path)
    assert store.tz().key == "Asia/Urumqi"
    assert store.get_setting("me") == "C01"


def test_init_of_another_community_is_refused(cli: CliRunner) -> None:
    assert cli("init", "--community", "幸福社区", "--code", "X1").code == 0
    result = cli("init", "--community", "和平社区", "--code", "X2")
    assert result.code == 3
    assert "幸福社区" in result.err


def test_init_rejects_an_unknown_time_zone(cli: CliRunner) -> None:
    result = cli("init", "--community", "幸福社区", "--timezone", "Mars/Olympus")
    assert result.code == 2
    assert "Mars/Olympus" in result.err


def test_db_and_lang_before_or_after_the_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_path), "--lang", "en", "init", "--community", "幸福社区"]) == 0
    assert main(["init", "--community", "幸福社区", "--db", str(db_path), "--lang", "en"]) == 0


def test_environment_variable_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", "a new database is encrypted")
    target = tmp_path / "env" / "c.db"
    monkeypatch.setenv("CADRE_TUI_DB", str(target))
    assert main(["init", "--community", "幸福社区"]) == 0
    assert target.exists()


def test_default_database_is_in_the_user_data_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", "a new database is encrypted")
    assert main(["init", "--community", "幸福社区"]) == 0
    assert (Path(platformdirs.user_data_dir("cadre-tui", appauthor=False)) / "cadre.db").exists()


def test_bad_usage_exits_2(cli: CliRunner) -> None:
    assert cli("no-such-command").code == 2
    assert cli("init").code == 2


def test_newer_database_refused_with_exit_3(cli: CliRunner, db_path: Path) -> None:
    assert cli("init", "--community", "幸福社区").code == 0
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema.schema_version() + 5}")
    conn.close()
    result = cli("init", "--community", "幸福社区")
    assert result.code == 3
    assert "newer" in result.err


def test_not_a_database_exits_2(cli: CliRunner, db_path: Path) -> None:
    db_path.write_bytes(b"this is not sqlite at all, just text" * 100)
    result = cli("init", "--community", "幸福社区")
    assert result.code == 2
    assert "not a cadre-tui database" in result.err or "不是 cadre-tui 数据库" in result.err


def test_backup_and_restore(cli: CliRunner, db_path: Path, tmp_path: Path) -> None:
    assert cli("init", "--community", "幸福社区", "--me", "C01").code == 0
    out = tmp_path / "copy.db"
    assert cli("backup", "--out", str(out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert cli("backup", "--out", str(out)).code == 3
    assert cli("backup", "--out", str(out), "--force").code == 0

    store = Store.open(db_path)
    store.set_setting("me", "C02")
    store.close()

    result = cli("restore", str(out))
    assert result.code == 0
    assert Store.open(db_path).get_setting("me") == "C01"
    saved = list((db_path.parent / "backups").glob("*-restore.db"))
    assert len(saved) == 1


def test_restore_refuses_another_communitys_backup(cli: CliRunner, db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    Store.open(other).close()
    assert cli("init", "--community", "和平社区", db=other).code == 0
    assert cli("init", "--community", "幸福社区").code == 0
    assert cli("restore", str(other)).code == 3
    assert cli("restore", str(tmp_path / "missing.db")).code == 2


def test_a_database_where_no_folder_can_be_made_is_a_plain_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", "a new database is encrypted")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["init", "--community", "幸福社区", "--db", str(blocker / "sub" / "c.db")]) == 1
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert str(blocker) in err


def test_restore_refuses_a_damaged_backup(cli: CliRunner, db_path: Path, tmp_path: Path) -> None:
    import random

    assert cli("demo").code == 0
    out = tmp_path / "copy.db"
    assert cli("backup", "--out", str(out)).code == 0
    data = bytearray(out.read_bytes())
    rng = random.Random(7)
    for _ in range(400):
        data[rng.randrange(8192, len(data))] = rng.randrange(256)
    out.write_bytes(bytes(data))
    before = Store.open(db_path).db.execute("SELECT COUNT(*) FROM residents").fetchone()[0]
    result = cli("restore", str(out))
    assert result.code == 2
    assert "damaged" in result.err or "not a cadre-tui backup" in result.err
    assert Store.open(db_path).db.execute("SELECT COUNT(*) FROM residents").fetchone()[0] == before
