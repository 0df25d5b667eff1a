"""A throwaway PostgreSQL server for the office's tests and `make bench-office`.

`TempPostgres` finds the server binaries (`$CADRE_TUI_PG_BINDIR`, `pg_config --bindir`,
/usr/lib/postgresql/*/bin, PATH), runs `initdb` into a new temporary folder and `pg_ctl start` listening
only on a Unix socket in that folder (no TCP port), and `stop()` stops it and removes the folder.
PostgreSQL refuses to run as root: run as root (CI, this machine), the server runs as `nobody`, which owns
the temporary folder (created under /tmp, not under pytest's 0700 folder, so `nobody` can reach it).

The pytest side: the session fixture `postgres_server` starts one server for the whole run and always
stops it (the fixture's `finally`, and `atexit` should the run be cut short); `postgres_url` gives each
test a new database (dropped after it). Without server binaries the tests that use them are skipped with
the reason, unless `CADRE_TUI_REQUIRE_POSTGRES=1` (set by `.ci/run`), where that is a failure. The
terminal summary says how many tests ran on PostgreSQL.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

# initdb's superuser; local connections are trusted (the socket sits in a folder only this run knows).
SUPERUSER = "cadre"
UNPRIVILEGED = "nobody"


def find_bindir() -> Path | str:
    """The folder of `initdb` and `pg_ctl`, or why none was found (a str)."""
    candidates: list[str] = []
    if os.environ.get("CADRE_TUI_PG_BINDIR"):
        candidates.append(os.environ["CADRE_TUI_PG_BINDIR"])
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            candidates.append(done.stdout.strip())
    # Debian's layout, newest version first.
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return (
        "no PostgreSQL server binaries (initdb, pg_ctl) found via pg_config --bindir, "
        "/usr/lib/postgresql/*/bin or PATH; install Debian's `postgresql` package"
    )


def _version_key(folder: str) -> tuple[int, ...]:
    parts = Path(folder).parent.name.split(".")
    return tuple(int(p) for p in parts if p.isdigit())


class TempPostgres:
    """A PostgreSQL server in a temporary folder, on a Unix socket only; `stop()` ends it."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        as_root = os.geteuid() == 0
        # Short (a socket's path has at most 107 bytes) and, for root, in /tmp, which `nobody` can reach.
        self.folder = Path(tempfile.mkdtemp(prefix="cadre-pg-", dir="/tmp" if as_root else None))
        self.data = self.folder / "data"
        self.socket_dir = self.folder / "socket"
        self.log = self.folder / "server.log"
        self._as_user: dict[str, Any] = {}
        self._running = False
        self._names = count(1)
        self._icu: bool | None = None
        self.socket_dir.mkdir()
        if as_root:
            user = pwd.getpwnam(UNPRIVILEGED)
            for path in (self.folder, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
            self._as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        try:
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                      "--locale=C.UTF-8", "--no-instructions")  # fmt: skip
            options = [
                "-c listen_addresses=''",
                f"-c unix_socket_directories='{self.socket_dir}'",
                "-c max_connections=40",
            ]
            if not durable:  # tests: nothing here needs to survive a crash
                options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
                # The fewest lock slots the server allows (10 per connection): an import that took one
                # per log would run out with a thousand logs, as it would with 30,000 at the default.
                options += ["-c max_locks_per_transaction=10"]
            self._running = True
            self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log),
                      "-o", " ".join(options))  # fmt: skip
        except BaseException:
            self.stop()
            raise
        atexit.register(self.stop)
        self._previous_sigterm: Any = None
        if threading.current_thread() is threading.main_thread():
            # Python ends on SIGTERM without running `finally` or atexit: stop the server first.
            self._previous_sigterm = signal.signal(signal.SIGTERM, self._on_sigterm)

    def _on_sigterm(self, signum: int, frame: Any) -> None:
        self.stop()
        os.kill(os.getpid(), signal.SIGTERM)  # now with the handler stop() put back

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [str(self.bindir / program), *args],
            capture_output=True,
            text=True,
            cwd=self.folder,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
            check=False,
            **self._as_user,
        )
        if done.returncode != 0:
            server_log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}\n{server_log}")

    def url(self, database: str = "postgres") -> str:
        """A `postgresql://` URL of `database` on this server (the socket folder as `host`)."""
        return f"postgresql://{SUPERUSER}@/{database}?host={quote(str(self.socket_dir), safe='')}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self) -> str:
        """A new empty database; its URL.

        Where the server has ICU (PostgreSQL 15+), the database collates text by Chinese rules (pinyin,
        lower case before upper), unlike code point order: a query that let the server order text would
        differ from SQLite's, and the suite comparing both engines would see it.
        """
        name = f"office_{next(self._names)}"
        collation = " LOCALE_PROVIDER icu ICU_LOCALE 'zh'" if self.has_icu() else ""
        self.admin(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'{collation}")
        return self.url(name)

    def has_icu(self) -> bool:
        """Whether databases can be created with an ICU collation (`LOCALE_PROVIDER icu`)."""
        if self._icu is None:
            import psycopg

            with psycopg.connect(self.url()) as conn:
                row = conn.execute(
                    "SELECT current_setting('server_version_num')::int >= 150000 "
                    "AND EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i')"
                ).fetchone()
            self._icu = bool(row and row[0])
        return self._icu

    def drop_database(self, url: str) -> None:
        """Drop the database of `url`, closing whatever still holds it."""
        name = url.split("/")[3].split("?")[0]
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Stop the server (fast shutdown, else immediate) and remove its folder; safe to call twice."""
        if getattr(self, "_previous_sigterm", None) is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        if self._running:
            self._running = False
            try:
                self._run("pg_ctl", "stop", "-w", "-t", "30", "-m", "fast", "-D", str(self.data))
            except RuntimeError:
                self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        shutil.rmtree(self.folder, ignore_errors=True)


# -- pytest ------------------------------------------------------------------------------------------------

_PG_TESTS: set[str] = set()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TempPostgres]:
    """One PostgreSQL server for the run, always stopped at its end; skipped without the binaries."""
    found = find_bindir()
    if isinstance(found, str):
        if os.environ.get("CADRE_TUI_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"CADRE_TUI_REQUIRE_POSTGRES=1 but {found}", pytrace=False)
        pytest.skip(found)
    server = TempPostgres(found)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: TempPostgres) -> Iterator[str]:
    """A new, empty database on the run's server, dropped after the test."""
    url = postgres_server.create_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


def note_postgres_tests(items: list[pytest.Item]) -> None:
    """Note the collected tests that run on PostgreSQL (marked `postgres` or asking for `postgres_url`)."""
    _PG_TESTS.update(
        item.nodeid
        for item in items
        if item.get_closest_marker("postgres") or "postgres_url" in getattr(item, "fixturenames", ())
    )


def postgres_summary(terminalreporter: Any) -> None:
    """`PostgreSQL tests: N passed, M failed, K skipped` for the tests that asked for a database."""
    if not _PG_TESTS:
        return
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = terminalreporter.stats.get(outcome, [])
        counts[outcome] = len({r.nodeid for r in reports if getattr(r, "nodeid", None) in _PG_TESTS})
    if not any(counts.values()):  # none of them ran (deselected)
        return
    found = find_bindir()
    where = f"server binaries in {found}" if isinstance(found, Path) else found
    terminalreporter.write_line(
        f"PostgreSQL tests: {counts['passed']} passed, {counts['failed'] + counts['error']} failed, "
        f"{counts['skipped']} skipped ({where})"
    )
