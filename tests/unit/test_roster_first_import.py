"""`import roster` into a database without households or residents: the rows are written while the file
is read (io/roster.py `_FirstImport`). The same rows, report, refusals and backup as the comparing path."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import cadre_tui.io.roster as roster
from cadre_tui.core.names import search_keys
from cadre_tui.errors import InvalidInput
from cadre_tui.io.roster import import_roster
from cadre_tui.store.db import BUSY_TIMEOUT_MS, Store
from tests.conftest import FIXTURES, CliRunner
from tests.unit.test_roster import LIN, QIN, TODAY, dump, write

ROSTER = FIXTURES / "roster"

# Rows that make the first import do its rarer work: a household whose address a later row completes
# (and one whose first row is rejected), a zone listed again after it was removed, residents without ID
# numbers, a legacy ID number, groups with and without a date, a formula guard.
MIXED = f"""户编号,片区,小区,楼栋,单元,室,姓名,性别,出生日期,身份证号,联系电话,重点人群,列入日期,备注
H1,Z1,,1号楼,,101,林建国,,,{LIN},13800000000,elderly,2024-01-02,
H2,Z2,长青园,2号楼,1单元,201,路四海,男,1970-01-01,,,,,'=1+1
H1,Z1,长青园,,1单元,,秦玉兰,,,{QIN},,孤;ill,,独居
H3,Z1,长青园,3号楼,1单元,301,坏人,X,,,,,,
H3,Z1,,3号楼,,,卓一凡,女,1980-07-15,110105800715001,,,2023/5/6,
H4,Z9,,,,,贺志远,,1990-02-03,,,poor,,
H2,Z2,,,,,路小川,,,,,,,
"""


def forced_comparing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make import_roster take the comparing path even into an empty database."""
    monkeypatch.setattr(roster, "_holds_rows", lambda store: True)


def stored(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The roster's tables, each row's stamp replaced by its order of appearance, its origin (the store's
    device id) by O."""
    stamps: dict[str, str] = {}
    tables = {}
    for table in ("zones", "households", "residents", "memberships"):
        columns = [r[1] for r in store.db.execute(f"PRAGMA table_info({table})")]
        at, origin = columns.index("updated_at"), columns.index("origin")
        tables[table] = [
            tuple(
                stamps.setdefault(v, f"S{len(stamps)}") if i == at else "O" if i == origin else v
                for i, v in enumerate(row)
            )
            for row in store.db.execute(f"SELECT * FROM {table} ORDER BY rowid")
        ]
    return tables


def two_stores(tmp_path: Path) -> tuple[Store, Store]:
    stores = []
    for name in ("first", "compared"):
        s = Store.open(tmp_path / name / "cadre.db")
        s.set_community("幸福社区", None, "Asia/Shanghai")
        with s.transaction():
            # Staff made zone Z1, then it was removed: the roster lists it again.
            s.db.execute(
                "INSERT INTO zones (id, code, name, updated_at, origin, deleted) "
                "VALUES ('z1', 'Z1', '一片', '2026-01-01T00:00:00.000Z', 'o', 1)"
            )
        stores.append(s)
    return stores[0], stores[1]


@pytest.mark.parametrize("chunk", [1, 2, 1000])
@pytest.mark.parametrize(
    "source", ["mixed", "roster-gb18030.csv", "roster-utf8-bom.csv", "roster-legacy-id.csv", "roster.ods"]
)
def test_a_first_import_writes_what_the_comparing_import_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, chunk: int
) -> None:
    path = write(tmp_path / "mixed.csv", MIXED) if source == "mixed" else ROSTER / source
    monkeypatch.setattr(roster, "FIRST_IMPORT_CHUNK", chunk)
    first, compared = two_stores(tmp_path)
    report = import_roster(first, path, today=TODAY, skip_invalid=True, backup=False)
    with monkeypatch.context() as m:
        forced_comparing(m)
        expected = import_roster(compared, path, today=TODAY, skip_invalid=True, backup=False)
    assert stored(first) == stored(compared)
    assert report.summary("en") == expected.summary("en")
    assert (report.warnings, report.rejected_errors) == (expected.warnings, expected.rejected_errors)
    assert stored(first)["residents"]  # something was written
    if source == "mixed":
        assert report.rejected == 1
        households = first.db.execute("SELECT household_no, estate, building, unit, room FROM households")
        assert sorted(households) == [
            ("H1", "长青园", "1号楼", "1单元", "101"),
            ("H2", "长青园", "2号楼", "1单元", "201"),
            ("H3", "长青园", "3号楼", "1单元", "301"),
            ("H4", None, None, None, None),
        ]
        assert first.db.execute("SELECT deleted FROM zones WHERE code = 'Z1'").fetchall() == [(0,)]
    first.close()
    compared.close()


def test_a_refused_first_import_writes_nothing_and_backs_nothing_up(
    store: Store, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster, "FIRST_IMPORT_CHUNK", 1)  # rows of the file were written before the refusal
    before = dump(store)
    result = cli("import", "roster", str(ROSTER / "roster-some-invalid.csv"), lang="en")
    assert result.code == 2
    assert (
        result.err.splitlines()[-1]
        == "cadre-tui: roster-some-invalid.csv: 2 errors in 2 records; nothing was written"
    )
    assert dump(store) == before
    assert store.path is not None
    assert not (store.path.parent / "backups").exists()


def test_the_backup_of_a_first_import_is_the_database_before_it(store: Store, cli: CliRunner) -> None:
    result = cli("import", "roster", str(ROSTER / "roster-gb18030.csv"))
    assert result.code == 0
    assert store.db.execute("SELECT count(*) FROM residents").fetchone() == (5,)
    assert store.path is not None
    (backup,) = (store.path.parent / "backups").glob("*-import.db")
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT count(*) FROM residents").fetchone() == (0,)
    assert conn.execute("SELECT value FROM settings WHERE key = 'community_name'").fetchone() == (
        '"幸福社区"',
    )
    conn.close()


def test_a_failing_write_is_rolled_back_and_said(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster, "FIRST_IMPORT_CHUNK", 1)
    broken = (*roster._NEW_ROWS[:3], ("memberships", "no_such_column"))
    monkeypatch.setattr(roster, "_NEW_ROWS", broken)
    before = dump(store)
    with pytest.raises(sqlite3.OperationalError, match="no_such_column"):
        import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    assert dump(store) == before
    assert not store.db.conn.in_transaction


def test_a_second_import_compares_with_the_first(store: Store) -> None:
    first = import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    again = import_roster(store, ROSTER / "roster-utf8-bom.csv", today=TODAY)
    assert [c.added for c in first.counts.values()] == [3, 5, 5]
    assert [(c.added, c.unchanged) for c in again.counts.values()] == [(0, 3), (0, 5), (0, 5)]


@pytest.mark.parametrize("fixture", ["roster-missing-column.csv", "roster-binary.csv", "roster.ods"])
def test_the_file_is_read_before_the_store_but_the_stores_errors_come_first(
    cli: CliRunner, fixture: str
) -> None:
    # No community yet: that is said, whatever is wrong with the file (`--sheet` of a CSV, a header).
    extra = ["--sheet", "nope"] if fixture.endswith(".ods") else []
    result = cli("import", "roster", str(ROSTER / fixture), *extra, lang="en")
    assert result.code == 2
    assert "cadre-tui init --community NAME" in result.err
    assert fixture not in result.err


def test_the_files_error_after_the_store_opened(store: Store, cli: CliRunner) -> None:
    result = cli("import", "roster", str(ROSTER / "roster.ods"), "--sheet", "nope", lang="en")
    assert result.code == 2
    assert "roster.ods" in result.err
    assert store.db.execute("SELECT count(*) FROM residents").fetchone() == (0,)


def test_a_first_import_into_an_encrypted_database(
    db_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "roster passphrase 1"
    created = Store.open(db_path, passphrase=secret)
    created.set_community("幸福社区", None, "Asia/Shanghai")
    created.close()
    monkeypatch.setenv("CADRE_TUI_PASSPHRASE", secret)
    result = cli("import", "roster", str(ROSTER / "roster-gb18030.csv"), lang="en")
    assert result.code == 0, result.err
    opened = Store.open(db_path, passphrase=secret)
    assert opened.db.execute("SELECT count(*) FROM residents WHERE name = '林春生'").fetchone() == (1,)
    (backup,) = (db_path.parent / "backups").glob("*-import.db")
    assert Store.open(backup, passphrase=secret).db.execute("SELECT count(*) FROM residents").fetchone() == (
        0,
    )
    opened.close()
    for path in (db_path, backup):
        assert "林春生".encode() not in path.read_bytes()


def test_rows_written_by_another_program_meanwhile_are_compared_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The look before BEGIN saw no rows; the one after it does (another program imported meanwhile).
    first, compared = two_stores(tmp_path)
    path = write(tmp_path / "mixed.csv", MIXED)
    looks = iter([False, True])
    with monkeypatch.context() as m:
        m.setattr(roster, "_holds_rows", lambda store: next(looks))
        report = import_roster(first, path, today=TODAY, skip_invalid=True)
    with monkeypatch.context() as m:
        forced_comparing(m)
        expected = import_roster(compared, path, today=TODAY, skip_invalid=True, backup=False)
    assert stored(first) == stored(compared)
    assert report.summary("en") == expected.summary("en")
    assert first.path is not None
    assert len(list((first.path.parent / "backups").glob("*-import.db"))) == 1
    first.close()
    compared.close()


def test_inside_a_callers_transaction_the_import_compares(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo imports inside its own transaction: no writing thread there.
    monkeypatch.setattr(roster, "_first_import", None)
    with store.transaction():
        report = import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY, backup=False)
    assert [c.added for c in report.counts.values()] == [3, 5, 5]


def _older_backups(store: Store, count: int) -> list[str]:
    """`count` backups of the store made before, oldest first (as `backup_before` names them)."""
    assert store.path is not None
    folder = store.path.parent / "backups"
    folder.mkdir(mode=0o700)
    names = [f"{store.path.stem}-2026010{n}T000000000000Z-import.db" for n in range(count)]
    for name in names:
        (folder / name).write_bytes(b"")
    return names


def test_a_first_import_alone_on_its_file_takes_a_rollback_journal_and_its_backup_first(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12: with no other connection to the file, the rows are written once into it (a rollback
    journal, not the WAL and again by the checkpoint); the backup is made before the first write, kept
    because the import went through, the older ones pruned to ten; WAL mode again, the busy timeout
    as it was."""
    assert store.path is not None
    older = _older_backups(store, 10)
    modes: list[str] = []
    write_next = roster._FirstImport.write_next

    def noting(self: roster._FirstImport) -> None:
        self.writer.wait()  # the connection is this thread's a moment
        modes.append(store.db.execute("PRAGMA journal_mode").fetchone()[0])
        write_next(self)

    monkeypatch.setattr(roster._FirstImport, "write_next", noting)
    monkeypatch.setattr(roster, "FIRST_IMPORT_CHUNK", 1)
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    assert set(modes) == {"delete"}
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert store.db.execute("SELECT count(*) FROM residents").fetchone() == (5,)
    assert not Path(f"{store.path}-journal").exists()
    kept = sorted(p.name for p in (store.path.parent / "backups").iterdir())
    assert kept[:-1] == older[1:]
    conn = sqlite3.connect(store.path.parent / "backups" / kept[-1])
    assert conn.execute("SELECT count(*) FROM residents").fetchone() == (0,)
    conn.close()


def test_a_refused_first_import_alone_on_its_file_leaves_the_backups_as_they_were(store: Store) -> None:
    """The backup made before the check is taken back: none added, none of the older ten pruned."""
    assert store.path is not None
    older = _older_backups(store, 10)
    before = dump(store)
    with pytest.raises(InvalidInput, match=r"roster-some-invalid\.csv"):
        import_roster(store, ROSTER / "roster-some-invalid.csv", today=TODAY)
    assert dump(store) == before
    assert sorted(p.name for p in (store.path.parent / "backups").iterdir()) == older
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not Path(f"{store.path}-journal").exists()


def test_with_another_connection_open_the_first_import_stays_in_wal(store: Store) -> None:
    assert store.path is not None
    reader = sqlite3.connect(store.path)
    reader.execute("SELECT count(*) FROM zones").fetchone()
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    (backup,) = (store.path.parent / "backups").glob("*-import.db")
    assert sqlite3.connect(backup).execute("SELECT count(*) FROM residents").fetchone() == (0,)
    assert reader.execute("SELECT count(*) FROM residents").fetchone() == (5,)
    reader.close()


@pytest.mark.parametrize("spilled", [False, True])
def test_a_cadre_tui_opening_the_file_during_the_import_is_not_refused(
    store: Store, monkeypatch: pytest.MonkeyPatch, spilled: bool
) -> None:
    """The review's find: `Store.open` sets WAL, which a file held in a rollback journal by an import
    refuses at once ("database is locked", the busy timeout not asked); it now leaves the mode to the
    import. It reads the last committed state while the import has written no page into the file, and
    waits for the COMMIT once it has (a page cache too small for the rows)."""
    assert store.path is not None
    path = store.path
    seen: dict[str, Any] = {}
    write_last = roster._FirstImport.write_last

    def opened_meanwhile(self: roster._FirstImport) -> None:
        write_last(self)
        self.writer.wait()  # rows written, not committed: the file's lock is the import's

        def other() -> None:
            try:
                opened = Store.open(path)
                seen["residents"] = opened.db.execute("SELECT count(*) FROM residents").fetchone()
                opened.close()
            except Exception as exc:  # the assertion below says what
                seen["error"] = exc

        seen["thread"] = threading.Thread(target=other)
        seen["thread"].start()
        if spilled:
            time.sleep(0.3)  # it waits for the COMMIT: let the import go on (earlier or later, it reads 5)
        else:
            seen["thread"].join(timeout=60)  # it reads at once, the last committed state

    monkeypatch.setattr(roster._FirstImport, "write_last", opened_meanwhile)
    if spilled:
        monkeypatch.setattr(roster, "FIRST_IMPORT_CACHE_KIB", 16)
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    seen["thread"].join()
    assert "error" not in seen
    assert seen["residents"] == ((5,) if spilled else (0,))
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("first_import", [True, False])
def test_the_backup_holds_what_another_program_wrote_just_before_the_transaction(
    store: Store, monkeypatch: pytest.MonkeyPatch, first_import: bool
) -> None:
    """The second review's test: rows another program writes after the import has begun (its backup's
    context entered) but before its transaction are in the backup, which is made inside the
    transaction (before it, it missed them); for a first import and a later one alike."""
    assert store.path is not None
    path = store.path
    if not first_import:
        import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY, backup=False)
    page_cache = Store.page_cache
    once = iter([True])

    @contextmanager
    def another_program_writes_first(self: Store, kib: int) -> Iterator[None]:
        if next(once, False):  # entered after `provisional_backup`, before BEGIN IMMEDIATE
            other = Store.open(path)
            with other.transaction():
                other.db.execute("INSERT INTO local (key, value) VALUES ('written.meanwhile', '1')")
            other.close()
        with page_cache(self, kib):
            yield

    monkeypatch.setattr(Store, "page_cache", another_program_writes_first)
    import_roster(store, ROSTER / "roster-utf8-bom.csv", today=TODAY)
    (backup,) = (path.parent / "backups").glob("*-import.db")
    query = "SELECT count(*) FROM local WHERE key = 'written.meanwhile'"
    assert sqlite3.connect(backup).execute(query).fetchone() == (1,)


@pytest.mark.parametrize("how", ["refused", "rejects unwritable", "writer fails", "ctrl-c"])
def test_an_import_that_does_not_go_through_takes_its_backup_back(
    store: Store, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Whatever stops it: the database as it was, no backup (the folder gone when the import made it,
    kept empty when it was there), WAL mode and the busy timeout as they were."""
    assert store.path is not None
    folder = store.path.parent / "backups"
    if how == "ctrl-c":
        folder.mkdir(mode=0o700)
    before = dump(store)
    source, expected, skip = ROSTER / "roster-gb18030.csv", Exception, False
    if how == "refused":
        source, expected = ROSTER / "roster-some-invalid.csv", InvalidInput
    elif how == "rejects unwritable":
        source, skip = ROSTER / "roster-some-invalid.csv", True

        def unwritable(*_args: Any, **_kwargs: Any) -> None:
            raise OSError("no room")

        monkeypatch.setattr(roster, "write_rejects", unwritable)
        expected = OSError
    elif how == "writer fails":
        monkeypatch.setattr(roster, "_NEW_ROWS", (*roster._NEW_ROWS[:3], ("memberships", "no_such_column")))
        expected = sqlite3.OperationalError
    else:
        write_next = roster._FirstImport.write_next

        def interrupted(self: roster._FirstImport) -> None:
            write_next(self)
            raise KeyboardInterrupt

        monkeypatch.setattr(roster._FirstImport, "write_next", interrupted)
        monkeypatch.setattr(roster, "FIRST_IMPORT_CHUNK", 1)
        expected = KeyboardInterrupt
    with pytest.raises(expected):
        import_roster(store, source, today=TODAY, skip_invalid=skip)
    assert dump(store) == before
    if how == "ctrl-c":
        assert list(folder.iterdir()) == []
    else:
        assert not folder.exists()
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert not Path(f"{store.path}-journal").exists()


def test_an_encrypted_first_imports_backup_is_encrypted_and_owner_only(tmp_path: Path) -> None:
    secret = "roster passphrase 2"
    store = Store.open(tmp_path / "data" / "cadre.db", passphrase=secret)
    store.set_community("幸福社区", None, "Asia/Shanghai")
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY)
    assert store.path is not None
    folder = store.path.parent / "backups"
    (backup,) = folder.iterdir()
    assert not backup.read_bytes().startswith(b"SQLite format 3")
    assert (stat.S_IMODE(backup.stat().st_mode), stat.S_IMODE(folder.stat().st_mode)) == (0o600, 0o700)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    opened = Store.open(backup, passphrase=secret)
    assert opened.db.execute("SELECT count(*) FROM residents").fetchone() == (0,)
    opened.close()


def test_the_names_search_keys_are_made_while_the_key_is_derived(tmp_path: Path) -> None:
    """Issue 12: an encrypted database's first import reads the CSV while its key is derived, then makes
    the names' search keys for as long as the derivation lasts; none once it has ended, none on a dry
    run; a file that does not open gives none (its error comes in its turn)."""
    path = write(tmp_path / "mixed.csv", MIXED)
    opened = roster.open_ahead(path)
    made = roster.read_records_while(opened, lambda: True)
    names = ["林建国", "路四海", "秦玉兰", "坏人", "卓一凡", "贺志远", "路小川"]
    assert made == {name: search_keys(name) for name in names}
    assert made["秦玉兰"] == "qinyulan qyl"
    assert roster.read_records_while(roster.open_ahead(path), lambda: False) == {}
    # The derivation ends while the keys are made: no more are made (asked every 256 names; the 600
    # records are read in three asks, the fourth lets the first 256 names' keys be made)
    wide = write(
        tmp_path / "wide.csv", "户编号,片区,姓名\n" + "".join(f"H{n},Z1,居民{n}\n" for n in range(600))
    )
    asks = iter([True] * 4)
    made_then_stopped = roster.read_records_while(roster.open_ahead(wide), lambda: next(asks, False))
    assert len(made_then_stopped) == 256
    assert roster.read_records_while(roster.open_ahead(path), lambda: True, keys=False) == {}
    assert roster.read_records_while(roster.open_ahead(tmp_path / "missing.csv"), lambda: True) == {}


def test_a_first_import_takes_the_search_keys_made_ahead(store: Store) -> None:
    """The keys made while waiting are the ones written (the others made as the rows are)."""
    made = {"林春生": "made ahead"}
    import_roster(store, ROSTER / "roster-gb18030.csv", today=TODAY, backup=False, search_keys_made=made)
    keys = dict(store.db.execute("SELECT name, search_keys FROM residents").fetchall())
    assert keys["林春生"] == "made ahead"
    assert all(keys[name] == search_keys(name) for name in keys if name != "林春生")
