"""Issue 9: the encrypted database, its backups, encrypted bundles, and wrong passphrases.

Every encrypted database here is a copy of one built per module: a copy keeps its salt, so the key
derived once (SQLCipher's 256,000 PBKDF2 rounds) serves every open, and the tests stay quick.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import pty
import shutil
import sqlite3
import tempfile
import threading
import uuid
import zipfile
from pathlib import Path
from sqlite3.dump import _iterdump
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlcipher3 import dbapi2 as sqlcipher

from cadre_tui.io.bundle import AGE_HEADER, export_bundle, import_bundle
from cadre_tui.store.backup import backup_before
from cadre_tui.store.db import Store
from cadre_tui.store.keys import DbKey, connect, file_kind
from tests.conftest import CliRunner
from tests.tui.community import build_community, make_database

PASSPHRASE = "correct horse 8"
SYNC = "team sync passphrase"
NAMES = ["张三", "曾国强", "王芳", "单田芳"]
ID_NUMBERS = ["11010519490101003X", "110105195503150023", "110105198007080015"]
PHONES = ["13812340001", "13812345678", "13698761234"]
SECRETS = [s.encode() for s in NAMES + ID_NUMBERS + PHONES]


def in_clear(data: bytes) -> list[bytes]:
    """The residents' data and the SQLite header found in `data` (UTF-8, as SQLite stores text)."""
    return [s for s in [*SECRETS, b"SQLite format 3"] if s in data]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "cadre.db"
    store = Store.open(path, passphrase=PASSPHRASE)
    store.set_community("幸福社区", "XF01", "Asia/Shanghai")
    build_community(store)
    store.close()
    return path


@pytest.fixture
def secret_db(template: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture community in an encrypted database at `db_path`; CADRE_TUI_PASSPHRASE set."""
    db_path.parent.mkdir(parents=True)
    shutil.copyfile(template, db_path)
    os.chmod(db_path, 0o600)
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", PASSPHRASE)
    return db_path


# -- the database ----------------------------------------------------------------------------------------


def test_database_wal_and_backup_hold_nothing_in_the_clear(secret_db: Path) -> None:
    plain = secret_db.with_name("plain.db")
    make_database(plain)
    assert len(in_clear(plain.read_bytes())) > 3  # the same data, unencrypted, is easy to find

    store = Store.open(secret_db, passphrase=PASSPHRASE)
    with store.transaction():  # a write with the connection open: it sits in the -wal file
        store.db.execute("UPDATE residents SET phone = '13900001111', notes = '张三的新电话'")
    wal = Path(f"{secret_db}-wal")
    assert wal.stat().st_size > 0
    assert in_clear(wal.read_bytes()) == [] and b"13900001111" not in wal.read_bytes()
    assert in_clear(secret_db.read_bytes()) == []
    backup = backup_before(store, "import")
    assert backup is not None and in_clear(backup.read_bytes()) == []
    assert b"13900001111" not in backup.read_bytes()
    store.close()


def test_standard_sqlcipher_opens_the_database_and_its_backup_with_the_passphrase(secret_db: Path) -> None:
    store = Store.open(secret_db, passphrase=PASSPHRASE)
    backup = backup_before(store, "import")
    store.close()
    for path in (secret_db, backup):
        assert path is not None and file_kind(path) == "encrypted"
        conn = sqlcipher.connect(str(path))
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")  # what `sqlcipher` and DB Browser do
        names = {row[0] for row in conn.execute("SELECT name FROM residents")}
        assert set(NAMES) <= names
        assert conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
        conn.close()


def test_the_lock_screen_check_is_the_files_own_key(secret_db: Path) -> None:
    key = DbKey.for_file(secret_db, PASSPHRASE)
    assert key.matches(PASSPHRASE) and not key.matches(PASSPHRASE + "x")


def test_init_needs_a_passphrase_of_8_characters(
    cli: CliRunner, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = cli("init", "--community", "幸福社区")
    assert refused.code == 2 and "CADRE_TUI_PASSPHRASE" in refused.err
    assert not db_path.exists()
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", "short")
    short = cli("init", "--community", "幸福社区")
    assert short.code == 2 and "至少 8" in short.err and not db_path.exists()
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", PASSPHRASE)
    assert cli("init", "--community", "幸福社区").code == 0
    assert file_kind(db_path) == "encrypted"


def test_a_wrong_passphrase_is_exit_3_and_touches_nothing(
    cli: CliRunner, secret_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha(secret_db)
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", "not the passphrase")
    for lang, words in (("zh", "口令不对"), ("en", "wrong passphrase")):
        result = cli("report", "--week", "2026-W48", "--lang", lang)
        assert result.code == 3 and words in result.err and "Traceback" not in result.err
    assert sha(secret_db) == before
    assert not Path(f"{secret_db}-wal").exists() and not (secret_db.parent / "backups").exists()
    monkeypatch.delenv("CADRE_TUI_PASSPHRASE")
    missing = cli("report", "--week", "2026-W48")
    assert missing.code == 2 and "CADRE_TUI_PASSPHRASE" in missing.err
    assert sha(secret_db) == before


def test_reading_commands_on_a_path_with_no_database_create_no_file(cli: CliRunner, db_path: Path) -> None:
    for args in (
        ["report", "--week", "2026-W48"],
        ["plan", "--week", "2026-W48"],
        ["config"],
        ["export", "log", "--week", "this", "--out", str(db_path.parent.parent / "log")],
        ["backup", "--out", str(db_path.parent.parent / "b.db")],
    ):
        result = cli(*args, lang="en")
        assert result.code == 2, args
        assert "holds no community yet" in result.err
        assert not db_path.exists() and not db_path.parent.exists()


def test_backup_and_restore_of_an_encrypted_database(
    cli: CliRunner, secret_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "copy.db"
    assert cli("backup", "--out", str(out)).code == 0
    assert file_kind(out) == "encrypted" and in_clear(out.read_bytes()) == []
    store = Store.open(secret_db, passphrase=PASSPHRASE)
    me = store.get_setting("me")
    store.set_setting("me", "C99")
    store.close()
    hashes = (sha(secret_db), sha(out))
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", "not the passphrase")
    wrong = cli("restore", str(out))
    assert wrong.code == 3 and "口令不对" in wrong.err
    assert (sha(secret_db), sha(out)) == hashes
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", PASSPHRASE)
    assert cli("restore", str(out)).code == 0
    store = Store.open(secret_db, passphrase=PASSPHRASE)
    assert store.get_setting("me") == me and store.encrypted
    store.close()


def test_restore_of_a_backup_made_before_a_passphrase_change_needs_the_old_one(
    cli: CliRunner, secret_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "old.db"
    assert cli("backup", "--out", str(out)).code == 0
    monkeypatch.setenv("CADRE_TUI_NEW_PASSPHRASE", "a brand new passphrase")
    changed = cli("passphrase")
    assert changed.code == 0, changed.err
    old = cli("report", "--week", "2026-W48")
    assert old.code == 3  # the old passphrase no longer opens the database
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", "a brand new passphrase")
    assert cli("report", "--week", "2026-W48").code == 0
    before = sha(secret_db)
    assert cli("restore", str(out)).code == 3  # the backup keeps the old passphrase
    assert sha(secret_db) == before


def test_encrypt_keeps_every_row_and_leaves_no_plain_copy(
    cli: CliRunner, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_database(db_path)
    store = Store.open(db_path)
    backup_before(store, "import")  # an older plain backup
    store.close()
    conn = sqlite3.connect(db_path)
    before = list(conn.iterdump())
    conn.close()
    refused = cli("encrypt")
    assert refused.code == 2 and not list(db_path.parent.glob(".*"))  # no passphrase: nothing done
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", PASSPHRASE)
    result = cli("encrypt")
    assert result.code == 0, result.err
    assert file_kind(db_path) == "encrypted"
    key = DbKey.for_file(db_path, PASSPHRASE)
    conn = connect(db_path, key)
    # sqlite3's own dump over the sqlcipher3 connection: every statement, every row (the schema objects
    # come out in another order after sqlcipher_export, hence sorted).
    assert sorted(_iterdump(conn)) == sorted(before)
    conn.close()
    for path in db_path.parent.rglob("*"):
        if path.is_file():
            assert in_clear(path.read_bytes()) == [], path
    assert len(list((db_path.parent / "backups").glob("*.db"))) == 2
    again = cli("encrypt")
    assert again.code == 0 and "已经加密" in again.err


def test_a_plain_database_still_opens_and_report_says_so_once_a_day(cli: CliRunner, db_path: Path) -> None:
    make_database(db_path)
    first = cli("report", "--week", "2026-W48")
    assert first.code == 0 and "cadre-tui encrypt" in first.err
    second = cli("report", "--week", "2026-W48")
    assert second.code == 0 and "cadre-tui encrypt" not in second.err


def test_demo_stays_plain_unless_the_variable_is_set(cli: CliRunner, db_path: Path) -> None:
    assert cli("demo").code == 0
    assert file_kind(db_path) == "plain"


# -- bundles ---------------------------------------------------------------------------------------------


def test_encrypted_bundle_from_one_laptop_to_another(
    cli: CliRunner, secret_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    none_set = cli("export", "bundle", "--out", str(tmp_path / "usb") + "/")
    assert none_set.code == 2 and "sync-passphrase" in none_set.err
    monkeypatch.setenv("CADRE_TUI_NEW_SYNC_PASSPHRASE", SYNC)
    assert cli("config", "sync-passphrase").code == 0
    exported = cli("export", "bundle", "--out", str(tmp_path / "usb") + "/")
    assert exported.code == 0, exported.err
    bundle = Path(exported.out.strip())
    assert bundle.parent == tmp_path / "usb" and bundle.suffix == ".cadre"
    data = bundle.read_bytes()
    assert data.startswith(AGE_HEADER) and not zipfile.is_zipfile(bundle)
    assert in_clear(data) == []

    other = tmp_path / "partner" / "cadre.db"
    monkeypatch.setenv("CADRE_TUI_SYNC_PASSPHRASE", "not the sync passphrase")
    wrong = cli("import", "bundle", str(bundle), db=other)
    assert wrong.code == 2 and "同步包口令不对" in wrong.err
    assert not other.exists()
    monkeypatch.setenv("CADRE_TUI_SYNC_PASSPHRASE", SYNC)
    first = cli("import", "bundle", str(bundle), db=other)
    assert first.code == 0, first.err
    assert file_kind(other) == "encrypted"
    partner = Store.open(other, passphrase=PASSPHRASE)
    mine = Store.open(secret_db, passphrase=PASSPHRASE)
    count = "SELECT count(*) FROM residents"
    assert partner.db.execute(count).fetchone()[0] == mine.db.execute(count).fetchone()[0] > 0
    mine.close()
    partner.close()
    before = sha(other)
    monkeypatch.setenv("CADRE_TUI_SYNC_PASSPHRASE", "not the sync passphrase")
    assert cli("import", "bundle", str(bundle), db=other).code == 2
    assert sha(other) == before


def test_the_sync_passphrase_is_not_kept_in_a_plain_database(
    cli: CliRunner, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_database(db_path)
    monkeypatch.setenv("CADRE_TUI_NEW_SYNC_PASSPHRASE", SYNC)
    refused = cli("config", "sync-passphrase")
    assert refused.code == 3 and "cadre-tui encrypt" in refused.err


def test_import_writes_no_decrypted_file_anywhere(secret_db: Path, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    store = Store.open(secret_db, passphrase=PASSPHRASE)
    with store.transaction():
        store.db.execute("UPDATE residents SET notes = ?", [marker])
    bundle = tmp_path / "usb" / "b.cadre"
    export_bundle(store, bundle, passphrase=SYNC)
    store.close()
    partner_path = tmp_path / "partner" / "cadre.db"
    partner = Store.open(partner_path, passphrase=PASSPHRASE)
    temp = Path(tempfile.gettempdir())
    before = set(temp.iterdir())
    seen: list[Path] = []

    def look(done: int, total: int) -> None:
        # During the import: every file beside the database, and every new file in the temp folder.
        new = [p for p in set(temp.iterdir()) - before if p.is_file()]
        for path in [*partner_path.parent.rglob("*"), *new]:
            if path.is_file():
                seen.append(path)
                assert marker.encode() not in path.read_bytes(), path

    report = import_bundle(partner, bundle, passphrase=SYNC, progress=look)
    assert report.files["residents.csv"].inserted == 9
    assert partner.db.execute("SELECT count(*) FROM residents WHERE notes = ?", [marker]).fetchone()[0] == 9
    assert Path(f"{partner_path}-wal") in seen
    partner.close()


def test_a_bundle_encrypted_with_the_age_tool_imports(
    cli: CliRunner, secret_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("age") is None:
        pytest.skip("the age command is not installed (Debian package `age`)")
    store = Store.open(secret_db, passphrase=PASSPHRASE)
    plain = tmp_path / "b.zip"
    export_bundle(store, plain)
    store.close()
    out = tmp_path / "b.cadre"
    _age_encrypt(plain, out, SYNC)
    assert out.read_bytes().startswith(AGE_HEADER)
    monkeypatch.setenv("CADRE_TUI_SYNC_PASSPHRASE", SYNC)
    result = cli("import", "bundle", str(out))
    assert result.code == 0, result.err
    assert "合计" in result.out


def test_the_age_tool_decrypts_our_bundle(tmp_path: Path) -> None:
    if shutil.which("age") is None:
        pytest.skip("the age command is not installed (Debian package `age`)")
    make_database(tmp_path / "a.db")
    store = Store.open(tmp_path / "a.db")
    export_bundle(store, tmp_path / "b.cadre", passphrase=SYNC)
    store.close()
    _age(["-d", "-o", str(tmp_path / "b.zip"), str(tmp_path / "b.cadre")], SYNC)
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert "manifest.json" in archive.namelist()


def _age_encrypt(source: Path, out: Path, passphrase: str) -> None:
    """`age -p -o OUT SOURCE`."""
    _age(["-p", "-o", str(out), str(source)], passphrase)


def _age(args: list[str], passphrase: str) -> None:
    """Run `age ARGS`, typing the passphrase at its terminal when asked (age reads only /dev/tty)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes age
        os.execvp("age", ["age", *args])
    typed = 0
    output = b""
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if output.lower().count(b"passphrase") > typed:
            os.write(fd, passphrase.encode() + b"\n")
            typed += 1
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output


@pytest.fixture(scope="module")
def age_bundle(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("age")
    make_database(folder / "a.db")
    store = Store.open(folder / "a.db")
    export_bundle(store, folder / "b.cadre", passphrase=SYNC)
    store.close()
    return (folder / "b.cadre").read_bytes()


@pytest.fixture(scope="module")
def plain_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("target") / "c.db"
    store = Store.open(path)
    store.set_community("幸福社区", "XF01", "Asia/Shanghai")
    store.close()
    return path


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=400))
@example(data=AGE_HEADER)
@example(data=AGE_HEADER + b"-> scrypt AAAA 18\n")
@example(data=AGE_HEADER + b"-> X25519 abc\n---\n")
def test_random_bytes_given_as_a_bundle_end_in_exit_2(
    data: bytes, plain_target: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cadre_tui.cli import main

    monkeypatch.setenv("CADRE_TUI_SYNC_PASSPHRASE", SYNC)
    path = tmp_path_factory.mktemp("fuzz") / "x.cadre"
    path.write_bytes(data)
    before = sha(plain_target)
    assert main(["import", "bundle", str(path), "--db", str(plain_target)]) == 2
    assert sha(plain_target) == before


# Each cut past the age header costs one scrypt (work factor 2^16, a quarter second): the cuts inside the
# header are explicit examples, hypothesis adds some anywhere.
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fraction=st.floats(min_value=0.0, max_value=0.999))
@example(fraction=0.0)
@example(fraction=0.003)
@example(fraction=0.01)
@example(fraction=0.5)
def test_truncated_age_bundles_end_in_exit_2(
    fraction: float,
    age_bundle: bytes,
    plain_target: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cadre_tui.cli import main

    monkeypatch.setenv("CADRE_TUI_SYNC_PASSPHRASE", SYNC)
    path = tmp_path_factory.mktemp("cut") / "x.cadre"
    path.write_bytes(age_bundle[: int(len(age_bundle) * fraction)])
    before = sha(plain_target)
    assert main(["import", "bundle", str(path), "--db", str(plain_target)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert sha(plain_target) == before


def test_the_encrypted_bundle_holds_the_same_files_as_a_plain_one(tmp_path: Path) -> None:
    import pyrage

    make_database(tmp_path / "a.db")
    store = Store.open(tmp_path / "a.db")
    export_bundle(store, tmp_path / "folder")
    export_bundle(store, tmp_path / "b.cadre", passphrase=SYNC)
    store.close()
    with zipfile.ZipFile(
        io.BytesIO(pyrage.passphrase.decrypt((tmp_path / "b.cadre").read_bytes(), SYNC))
    ) as z:
        inside = {name: z.read(name) for name in z.namelist()}
    folder = {p.name: p.read_bytes() for p in (tmp_path / "folder").iterdir()}
    assert set(inside) == set(folder)
    for name in folder:
        if name != "manifest.json":  # its created_at differs
            assert inside[name] == folder[name], name


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=3 * 65536 + 10), passphrase=st.text(min_size=1, max_size=20))
@example(data=b"", passphrase="x")
@example(data=b"a" * 65536, passphrase="x")
@example(data=b"a" * 2 * 65536, passphrase="口令")
def test_our_age_writer_round_trips_through_pyrage(data: bytes, passphrase: str) -> None:
    import pyrage

    from cadre_tui.io import age

    sealed = age.encrypt(data, passphrase, log_n=4)  # a tiny work factor: the format is the same
    assert sealed.startswith(AGE_HEADER + b"-> scrypt ")
    assert pyrage.passphrase.decrypt(sealed, passphrase) == data


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=3 * 65536 + 10), cuts=st.lists(st.integers(0, 3 * 65536 + 10), max_size=6))
@example(data=b"a" * 65536, cuts=[65536])
@example(data=b"a" * 2 * 65536, cuts=[1, 65535, 65536, 65537])
def test_an_age_payload_written_in_pieces_round_trips_through_pyrage(data: bytes, cuts: list[int]) -> None:
    """The export writes the payload as the zip is made, the header last: any cut of the bytes gives
    an age file pyrage opens."""
    import pyrage

    from cadre_tui.io import age

    sealing = age.Sealing("口令 x", log_n=4)
    out: list[bytes] = []
    payload = sealing.payload(out.append)
    bounds = [0, *sorted(c for c in cuts if c <= len(data)), len(data)]
    for start, end in itertools.pairwise(bounds):
        payload.write(data[start:end])
    payload.close()
    header = sealing.header()
    assert len(header) == sealing.header_size
    assert pyrage.passphrase.decrypt(header + b"".join(out), "口令 x") == data


def test_restore_of_a_plain_backup_into_an_encrypted_database_stays_encrypted(
    cli: CliRunner, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_database(db_path)
    old = tmp_path / "before-encryption.db"
    assert cli("backup", "--out", str(old)).code == 0 and file_kind(old) == "plain"
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", PASSPHRASE)
    assert cli("encrypt").code == 0
    store = Store.open(db_path, passphrase=PASSPHRASE)
    me = store.get_setting("me")
    store.set_setting("me", "C99")
    store.close()
    result = cli("restore", str(old))
    assert result.code == 0, result.err
    assert file_kind(db_path) == "encrypted" and in_clear(db_path.read_bytes()) == []
    store = Store.open(db_path, passphrase=PASSPHRASE)
    assert store.get_setting("me") == me
    store.close()
    assert not list(db_path.parent.glob(".*restoring*"))


def test_an_encrypted_backup_is_not_restored_into_a_plain_database(
    cli: CliRunner, secret_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_copy = tmp_path / "copy.db"
    assert cli("backup", "--out", str(encrypted_copy)).code == 0
    plain = tmp_path / "plain" / "cadre.db"
    make_database(plain)
    before = sha(plain)
    refused = cli("restore", str(encrypted_copy), db=plain)
    assert refused.code == 3 and "cadre-tui encrypt" in refused.err
    assert sha(plain) == before


def test_a_refused_bundle_leaves_no_new_database_behind(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", PASSPHRASE)
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("manifest.json", "{}")
    new = tmp_path / "new" / "cadre.db"
    result = cli("import", "bundle", str(broken), db=new)
    assert result.code == 2
    assert not new.exists() and not Path(f"{new}-wal").exists()


def test_a_key_derived_ahead_is_the_one_the_store_opens_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`derive_ahead` (import/export bundle, before their other work) derives the database's key on
    another thread: opening the store then derives nothing more, for a new file and an existing one."""
    from cadre_tui.store import kdf, keys

    calls: list[bytes] = []
    real = hashlib.pbkdf2_hmac

    def counting(name: str, password: bytes, salt: bytes, iterations: int, dklen: int) -> bytes:
        calls.append(salt)
        return real(name, password, salt, iterations, dklen)

    monkeypatch.setattr(kdf.hashlib, "pbkdf2_hmac", counting)
    passphrase = "ahead of time 8"  # not derived by any other test: nothing cached
    path = tmp_path / "new.db"
    keys.derive_ahead(path, passphrase)
    Store.open(path, passphrase=passphrase).close()
    assert len(calls) == 1 and file_kind(path) == "encrypted"
    keys._derive.cache_clear()
    keys.derive_ahead(path, passphrase)
    keys.derive_ahead(tmp_path, passphrase)  # a folder: nothing begun, nothing raised
    store = Store.open(path, passphrase=passphrase)
    assert store.encrypted and len(calls) == 2 and calls[1] == calls[0]
    store.close()


def test_every_command_on_an_encrypted_database_begins_its_key_before_the_command_line_is_built(
    secret_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With CADRE_TUI_PASSPHRASE set, `main` starts the key derivation of the `--db` it is given before
    importing the commands; a plain file, a missing one or an office URL begin nothing."""
    from cadre_tui import cli
    from cadre_tui.store import kdf, keys

    begun: list[bytes] = []  # the salts whose derivation a thread began

    class Thread(threading.Thread):
        def __init__(self, *, target: Any, args: tuple[str, bytes], daemon: bool) -> None:
            begun.append(args[1])
            super().__init__(target=target, args=args, daemon=daemon)

    monkeypatch.setattr(kdf.threading, "Thread", Thread)
    keys._derive.cache_clear()
    salt = secret_db.read_bytes()[:16]
    assert cli.main(["--db", str(secret_db), "report", "--week", "last"]) == 0
    assert cli.main([f"--db={secret_db}", "plan", "--week", "this", "--format", "json"]) == 0
    assert begun == [salt, salt]
    plain = secret_db.with_name("plain.db")
    sqlite3.connect(plain).close()
    for words in (
        ["--db", str(plain), "--help"],
        ["--db", str(secret_db.with_name("missing.db")), "report", "--week", "last"],
        ["office", "--db", "postgresql://clerk@localhost/office", "--help"],
        ["--db", str(secret_db.parent), "report", "--week", "last"],  # a folder
        ["--db", str(secret_db / "sub.db"), "report", "--week", "last"],  # under a file
        ["--db", "~no-such-user-of-cadre/c.db", "report", "--week", "last"],  # expanduser raises
    ):
        cli.main(words)
    assert begun == [salt, salt]


@pytest.mark.parametrize("module", [sqlite3, sqlcipher], ids=["sqlite3", "sqlcipher3"])
def test_none_is_bound_as_null_through_its_own_adapter(module: Any) -> None:
    """store.keys gives None an adapter of its own in both modules (issue 12: the adaptation protocol
    cost 0.3-0.9 µs a NULL); what is bound is still SQL NULL, in `execute` and `executemany`."""
    import cadre_tui.store.keys as keys

    assert module.adapters[(type(None), module.PrepareProtocol)] is keys._null
    conn = module.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b TEXT, c INTEGER)")
    conn.execute("INSERT INTO t VALUES (?, ?, ?)", (None, None, None))
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", [(None, "x", 1), (2, None, None)])
    rows = conn.execute("SELECT typeof(a), typeof(b), typeof(c) FROM t").fetchall()
    assert rows == [("null", "null", "null"), ("null", "text", "integer"), ("integer", "null", "null")]
    assert conn.execute("SELECT count(*) FROM t WHERE b IS ?", (None,)).fetchone() == (2,)
    assert conn.execute("SELECT ? IS NULL", (None,)).fetchone() == (1,)
