"""`make bench`: the figures of SPEC §9 on a generated community of 11,000 households, beside their budgets.

    .venv/bin/python -m bench [--runs 3] [--households 11000] [--reuse]

Every command figure is a whole command in a fresh process, start to exit, the median of `--runs` runs,
with the process's peak memory. Beside a figure, its floor measured in the same run and issue 12's target
as a ratio to it: the sqlite3 shell's `.import` of the roster (roster import, CSV and .xlsx, <= 10x; the
.xlsx twice, as cadre-tui writes a workbook and as Excel saves one) and its CSV export of every synced
table (bundle export, <= 3x, encryption included); the export itself (bundle import into an empty
database, <= 2x; the sqlite3 shell's `.import` of the same rows into the schema is said beside it,
SQLite's own best at writing them); `cadre-tui --help`, the interpreter's start (report <= +0.1 s, plan
<= +0.25 s); a bare Textual app with one Static, started in tmux and timed as the app is (launch, <=
1.5x). The keystroke target is p95 < 40 ms, worst < 60 ms; peak memory of any command < 120 MB. A missing
floor tool (the sqlite3 shell, tmux) is said on the line. A command this cadre-tui does not have yet is
printed as "not available yet". The app is started in tmux and read off its pane until the first screen
is drawn (its peak memory read from the process after a search and the plan); the keystroke figure types
queries into the households screen with Textual's pilot (bench/tui.py). Data goes to bench/data/
(git-ignored).

Every figure that touches the community is measured twice and printed as a pair: on a plain database
and on an encrypted one (SQLCipher; the key derivation of opening it is part of every command and of
the app's launch), bundles plain (`--unencrypted`) and encrypted (age). `--plain-only` skips the second.
The encrypted report and plan also say what is left beyond `--help` and that key derivation (PBKDF2,
SQLCipher 4's defaults, measured in the same run).

cadre_tui is byte-compiled before anything is measured, as `pip install` does: with an editable install
and PYTHONDONTWRITEBYTECODE set, every command would otherwise compile its modules from source each run.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.measure import PASSPHRASE, Figure, available, cadre, compile_package, encrypted, percentile, run
from bench.office import office_logs
from bench.tui import bench_bare_launch, bench_keystrokes, bench_launch

DATA = Path(__file__).resolve().parent / "data"
FIGURES = ("demo", "roster", "search", "report", "plan", "register", "bundle", "office", "launch", "keys")


def key_derivation_s(runs: int) -> float:
    """SQLCipher 4's key derivation of one passphrase (PBKDF2-HMAC-SHA512, 256,000 iterations), in seconds.

    Every command on an encrypted database pays it once by design (store/keys.py derives the key itself
    with the same parameters): the encrypted report and plan are shown beyond it too.
    """
    from cadre_tui.store.keys import KDF_ITERATIONS, KEY_BYTES

    def derive() -> None:
        hashlib.pbkdf2_hmac("sha512", PASSPHRASE.encode(), os.urandom(16), KDF_ITERATIONS, KEY_BYTES)

    return median_of(runs, derive)


def fresh(path: Path) -> Path:
    """Remove a database (and its WAL, SHM, backups) or folder so a run starts from nothing."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(path.parent / "backups", ignore_errors=True)
    return path


SQLITE_MISSING = "the sqlite3 shell is not installed (apt-get install -y sqlite3)"


def sqlite_shell(db: Path, script: str) -> float:
    """Seconds the sqlite3 command-line shell takes to run `script` on `db` (start to exit)."""
    started = time.perf_counter()
    done = subprocess.run(["sqlite3", "-bail", str(db)], input=script, text=True, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"sqlite3: {done.stderr.strip()}")
    return time.perf_counter() - started


def median_of(runs: int, work: Callable[[], object]) -> float:
    """Median seconds of `runs` calls of `work()`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_demo(runs: int, households: int, db: Path) -> tuple[Figure, Path]:
    """`demo --households N` into a fresh database; the last one is kept for the other figures."""
    figure = Figure(f"demo --households {households}", 15)
    for _ in range(runs):
        fresh(db)
        figure.runs.append(run(cadre("--db", str(db), "demo", "--households", str(households))))
    return figure, db


def write_roster_workbook(csv_path: Path, target: Path, *, shared_strings: bool = False) -> None:
    """The roster CSV as a one-sheet .xlsx, every cell text (as an office's spreadsheet holds it).

    Written as cadre-tui writes its own workbooks (each cell's text in the cell: inline strings), or with
    `shared_strings` as Excel and WPS save one: every distinct text once in the workbook's table of
    strings, the cells pointing into it (a smaller sheet, which calamine parses in about half the time).
    """
    import csv

    import xlsxwriter

    from cadre_tui.io.workbook import workbook_for

    options = {"strings_to_numbers": False, "strings_to_formulas": False}
    context = xlsxwriter.Workbook(str(target), options) if shared_strings else workbook_for(target)
    with csv_path.open(encoding="utf-8-sig", newline="") as handle, context as book:
        sheet = book.add_worksheet("roster")
        for r, row in enumerate(csv.reader(handle)):
            for c, cell in enumerate(row):
                sheet.write_string(r, c, cell)


def bench_roster(runs: int, households: int, kind: str, form: str = "csv") -> Figure:
    """`import roster` of a generated roster (`form`: csv; xlsx, as cadre-tui writes workbooks; xlsx-shared,
    as Excel saves them) into a database holding the community and its staff; the floor is the sqlite3
    shell's `.import` of the same roster as CSV."""
    from datetime import date, timedelta

    from cadre_tui.io.demo_generator import generate

    folder = DATA / f"roster-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    community = generate(households, end=date.today() - timedelta(days=1), weeks=1)
    community.write(folder)
    residents = len(community.roster)
    shared = form == "xlsx-shared"
    shown = ".xlsx, Excel's" if shared else f".{form}"
    figure = Figure(f"import roster {shown} ({residents:,} residents)", 5, target_ratio=10)
    roster = folder / "roster.csv"
    if form != "csv":
        roster = folder / ("roster-shared.xlsx" if shared else "roster.xlsx")
        write_roster_workbook(folder / "roster.csv", roster, shared_strings=shared)
    if not available("import", "roster"):
        figure.note = "not available yet"
        return figure
    base = folder / "base.db"
    if kind == "plain":
        from cadre_tui.store.db import Store

        Store.open(base).close()  # `init` keeps a plain database plain (a new one would be encrypted)
    setup = [cadre("--db", str(base), "init", "--community", "幸福社区")]
    setup.append(cadre("--db", str(base), "import", "staff", str(folder / "staff.csv")))
    for args in setup:
        done = run(args)
        if done.code != 0:
            figure.runs.append(done)
            return figure
    target = folder / "cadre.db"
    for _ in range(runs):
        fresh(target)
        shutil.copyfile(base, target)
        figure.runs.append(run(cadre("--db", str(target), "import", "roster", str(roster))))
    if shutil.which("sqlite3") is None:
        figure.floor_note = SQLITE_MISSING
        return figure
    raw = folder / "raw.db"

    def raw_import() -> None:
        fresh(raw)
        sqlite_shell(raw, f".import --csv {folder / 'roster.csv'} roster\n")

    figure.floor_s = median_of(runs, raw_import)
    figure.floor_name = "sqlite3 .import --csv"
    return figure


def bench_search(db: Path) -> Figure:
    """`search_households` in the store: names, pinyin, initials, address, household_no, phone tails."""
    figure = Figure("household search (in the store), ms", budget_text="median < 20 ms, p95 < 50 ms")
    try:
        from cadre_tui.store.search import search_households
    except ImportError:
        figure.note = "not available yet"
        return figure
    from cadre_tui.store.db import Store

    store = Store.open(db, passphrase=PASSPHRASE)
    rng = random.Random(7)
    rows = store.db.execute(
        "SELECT r.name, r.search_keys, r.phone, h.household_no, h.estate, h.building "
        "FROM residents r JOIN households h ON h.id = r.household_id ORDER BY r.id"
    ).fetchall()
    sample = rng.sample(rows, 25)
    queries: list[str] = []
    for name, keys, phone, number, estate, building in sample:
        readings = keys.split()
        queries += [name, name[0], readings[0] if readings else name, readings[-1] if readings else name]
        queries += [number, estate, f"{estate} {building}"]
        if phone:
            queries.append(phone[-4:])
    times: list[float] = []
    for query in queries * 2:
        started = time.perf_counter()
        search_households(store, query, 50)
        times.append((time.perf_counter() - started) * 1000)
    store.close()
    median, p95 = percentile(times, 0.5), percentile(times, 0.95)
    ok = "ok" if median < 20 and p95 < 50 else "OVER"
    figure.note = f"median {median:.1f} ms, p95 {p95:.1f} ms ({len(times)} queries) {ok}"
    return figure


def bench_command(
    runs: int, db: Path, title: str, budget: float, *args: str, floor: float | None = None, beyond: float = 0
) -> Figure:
    """A read-only command on the community, e.g. `report --week last`; the floor is `cadre-tui --help`."""
    figure = Figure(title, budget, target_beyond_s=beyond)
    figure.floor_s, figure.floor_name = floor, "cadre-tui --help"
    if not available(*args[:1]):
        figure.note = "not available yet"
        return figure
    for _ in range(runs):
        figure.runs.append(run(cadre("--db", str(db), *args)))
    return figure


def bench_register(runs: int, db: Path) -> Figure:
    """A year's visit register of the whole community (~60,000 visits): no budget, its peak memory."""
    figure = Figure("export register, 12 months (whole command)")
    if not available("export", "register"):
        figure.note = "not available yet"
        return figure
    last = time.strftime("%Y-%m-%d")
    first = f"{int(last[:4]) - 1}{last[4:]}"
    out = DATA / "register.xlsx"
    for _ in range(runs):
        args = ("export", "register", "--from", first, "--to", last, "--out", str(out), "--force")
        figure.runs.append(run(cadre("--db", str(db), *args)))
    out.unlink(missing_ok=True)
    return figure


BUNDLE_TABLES = (
    "zones",
    "cadres",
    "teams",
    "households",
    "residents",
    "memberships",
    "visits",
    "matters",
    "plans",
)


def export_floor(runs: int, plain_db: Path) -> tuple[float | None, str]:
    """The sqlite3 shell's CSV export of every synced table of the plain community (seconds), or why not.

    The same floor for both kinds: the shell cannot open a SQLCipher database, and issue 12's target for
    the encrypted export counts its encryption against the plain floor.
    """
    if shutil.which("sqlite3") is None:
        return None, SQLITE_MISSING
    raw_out = DATA / "bundle-floor"

    def raw_export() -> None:
        shutil.rmtree(raw_out, ignore_errors=True)
        raw_out.mkdir(parents=True)
        script = ".headers on\n.mode csv\n" + "".join(
            f".output {raw_out / (t + '.csv')}\nSELECT * FROM {t};\n" for t in BUNDLE_TABLES
        )
        sqlite_shell(plain_db, script)

    return median_of(runs, raw_export), ""


def import_floor(runs: int, plain_db: Path) -> tuple[float | None, str]:
    """The sqlite3 shell's `.import` of the export floor's CSV files into the community's schema (seconds).

    SQLite's own best at writing the same rows: one transaction, the tables' indexes built after the
    rows (but for the primary keys' own), no journal, no sync, no foreign-key checks, no check of any
    value (an empty cell goes in as '', not NULL). It is printed beside the bundle import (whose target,
    issue 12's, is a ratio to the export), so that the two can be read against what SQLite itself takes
    to write them. Made after `export_floor`, which writes the files.
    """
    raw_out = DATA / "bundle-floor"
    if shutil.which("sqlite3") is None or not raw_out.is_dir():
        return None, SQLITE_MISSING
    with contextlib.closing(sqlite3.connect(plain_db)) as source:
        schema = source.execute(
            "SELECT type, tbl_name, sql FROM sqlite_master"
            " WHERE type IN ('table', 'index') AND sql IS NOT NULL"
        ).fetchall()
    tables = [sql for kind, table, sql in schema if kind == "table" and table in BUNDLE_TABLES]
    indexes = [sql for kind, table, sql in schema if kind == "index" and table in BUNDLE_TABLES]
    script = (
        "PRAGMA journal_mode = OFF;\nPRAGMA synchronous = OFF;\nBEGIN;\n"
        + "".join(f"{sql};\n" for sql in tables)
        + "".join(
            f".import --csv --skip 1 {raw_out / (t + '.csv')} {t}\n"
            for t in BUNDLE_TABLES
            if (raw_out / (t + ".csv")).stat().st_size
        )
        + "".join(f"{sql};\n" for sql in indexes)
        + "COMMIT;\n"
    )
    target = DATA / "bundle-floor.db"

    def raw_import() -> None:
        fresh(target)
        sqlite_shell(target, script)

    seconds = median_of(runs, raw_import)
    fresh(target)
    return seconds, ""


def bench_bundles(
    runs: int, db: Path, kind: str, floor: tuple[float | None, str], written: tuple[float | None, str]
) -> list[Figure]:
    """`export bundle`, `import bundle` into an empty database, and the same bundle again.

    Plain: a bundle folder (`--unencrypted`) into a plain database; encrypted: a `.cadre` file into an
    encrypted one. The export's floor is the sqlite3 shell's CSV export (target 3x); the import's is
    the export of the same kind measured just before (target 2x), with the sqlite3 shell's `.import` of
    the same rows into the schema (`written`, `import_floor`) said beside it.
    """
    export = Figure("export bundle", 3, target_ratio=3)
    export.floor_s, export.floor_note = floor
    export.floor_name = "sqlite3 -csv, every table"
    first = Figure("import bundle into an empty database", 6, target_ratio=2)
    again = Figure("import bundle, the same again", 4)
    if not available("export", "bundle") or not available("import", "bundle"):
        for figure in (export, first, again):
            figure.note = "not available yet"
        return [export, first, again]
    folder = DATA / f"bundle-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    bundle = folder / ("bundle" if kind == "plain" else "bundle.cadre")
    how = ["--unencrypted"] if kind == "plain" else []
    for _ in range(runs):
        shutil.rmtree(bundle, ignore_errors=True)
        bundle.unlink(missing_ok=True)
        export.runs.append(run(cadre("--db", str(db), "export", "bundle", "--out", str(bundle), *how)))
    if export.median is None:
        return [export, first, again]
    target = folder / "cadre.db"
    for _ in range(runs):
        fresh(target)
        if kind == "plain":
            from cadre_tui.store.db import Store

            Store.open(target).close()  # an empty plain database (a new one would be encrypted)
        first.runs.append(run(cadre("--db", str(target), "import", "bundle", str(bundle))))
        again.runs.append(run(cadre("--db", str(target), "import", "bundle", str(bundle))))
    first.floor_s = export.median
    first.floor_name = "export bundle"
    shell_s, why_not = written
    if shell_s is not None and first.median is not None:
        ratio = first.median / shell_s
        first.note = f"sqlite3 .import of the same rows into the schema {shell_s:.3f} s: {ratio:.1f}x it"
    elif why_not:
        first.note = f"sqlite3 .import of the same rows: {why_not}"
    return [export, first, again]


def bench_office(runs: int) -> Figure:
    """`office import` of a year of logs from 20 communities into a new office database."""
    figure = Figure("office import, a year of 20 communities", 30)
    if not available("office", "import") or not available("export", "log"):
        figure.note = "not available yet"
        return figure
    folder = DATA / "office"
    shutil.rmtree(folder, ignore_errors=True)
    made = office_logs(folder, 2600, 20, 52)
    if isinstance(made, str):
        figure.note = made
        return figure
    logs, rows, _week = made
    figure.work = f"office import, 52 weeks x 20 communities ({rows:,} rows)"
    office = DATA / "office" / "office.db"
    for _ in range(runs):
        fresh(office)
        figure.runs.append(run(cadre("office", "import", str(logs), "--db", str(office))))
    return figure


def main() -> int:
    """Measure and print every figure of SPEC §9 this cadre-tui can show now."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is shown)")
    parser.add_argument("--households", type=int, default=11000)
    parser.add_argument(
        "--reuse", action="store_true", help="measure on the community of the last run instead of a new demo"
    )
    parser.add_argument("--plain-only", action="store_true", help="skip the encrypted half")
    parser.add_argument(
        "--only",
        metavar="WHAT",
        help="(by hand) only these figures, comma-separated: " + ",".join(FIGURES),
    )
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        print(f"bench: {SQLITE_MISSING}: the figures it is the floor of are printed without it")
    DATA.mkdir(mode=0o700, exist_ok=True)
    runs = max(1, args.runs)
    compiled = (
        "cadre_tui byte-compiled first, as pip does at install"
        + (" (PYTHONDONTWRITEBYTECODE is set here)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "")
        + ("" if compile_package() else ": FAILED")
    )
    print(
        f"cadre-tui bench: {args.households:,} households, median of {runs} runs, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print(compiled)
    print(
        "each figure: median, SPEC §9 budget, peak memory (issue 12 target < 120 MB); "
        "then its floor measured in this run, the ratio, and issue 12's target"
    )
    print()

    def show(figure: Figure) -> None:
        print(figure.line(), flush=True)

    kinds = ["plain"] if args.plain_only else ["plain", "encrypted"]
    chosen = set(args.only.split(",")) if args.only else None

    def wanted(name: str) -> bool:
        return chosen is None or name in chosen

    dbs = {
        kind: DATA / ("community" if kind == "plain" else "community-encrypted") / "cadre.db"
        for kind in kinds
    }

    def pair(measure: Callable[[str], Figure]) -> None:
        """The same figure on the plain and the encrypted database, one line each, the ratio beside."""
        figures = {}
        for kind in kinds:
            with encrypted(kind == "encrypted"):
                figure = measure(kind)
            figure.work = f"{figure.work} [{kind}]"
            figures[kind] = figure
        plain, secret = figures["plain"], figures.get("encrypted")
        if secret is not None and plain.median and secret.median:
            secret.note = (
                secret.note + "; " if secret.note else ""
            ) + f"{secret.median / plain.median:.2f}x plain"
        for figure in figures.values():
            show(figure)

    def demo(kind: str) -> Figure:
        if args.reuse and dbs[kind].exists():
            return Figure(f"demo --households {args.households}", 15, note="skipped (--reuse)")
        return bench_demo(runs, args.households, dbs[kind])[0]

    if wanted("demo"):
        pair(demo)
    db = dbs["plain"]
    if not all(path.exists() for path in dbs.values()):
        print("bench: no community to measure the other figures on", file=sys.stderr)
        return 1
    counts = (
        sqlite3.connect(db)
        .execute(
            "SELECT (SELECT COUNT(*) FROM households), (SELECT COUNT(*) FROM residents), "
            "(SELECT COUNT(*) FROM visits), (SELECT COUNT(*) FROM teams)"
        )
        .fetchone()
    )
    print(f"{'':<54} community: {counts[0]:,} households, {counts[1]:,} residents, {counts[2]:,} visits, "
          f"{counts[3]} teams")  # fmt: skip
    if wanted("roster"):
        for form in ("csv", "xlsx", "xlsx-shared"):

            def roster(kind: str, form: str = form) -> Figure:
                return bench_roster(runs, args.households, kind, form)

            pair(roster)
    if wanted("search"):
        pair(lambda kind: bench_search(dbs[kind]))
    start: float | None = None
    key_s = 0.0
    if wanted("report") or wanted("plan"):
        interpreter = Figure("cadre-tui --help (the interpreter's start)")
        for _ in range(max(runs, 5)):
            interpreter.runs.append(run(cadre("--help")))
        show(interpreter)
        start = interpreter.median
        key_s = key_derivation_s(max(runs, 5))

    def command(kind: str, title: str, budget: float, beyond: float, *args: str) -> Figure:
        figure = bench_command(max(runs, 5), dbs[kind], title, budget, *args, floor=start, beyond=beyond)
        if kind == "encrypted" and figure.median is not None and start is not None:
            # The key derivation is SQLCipher 4's by design (SPEC §10): what is left beyond it and --help.
            left = figure.median - start - key_s
            figure.note = (
                f"of it SQLCipher's key derivation {key_s:.3f} s; beyond --help and the key +{left:.2f} s, "
                + ("within" if left <= beyond else "over")
                + f" +{beyond:g} s"
            )
        return figure

    if wanted("report"):
        pair(
            lambda kind: command(
                kind, "report --week last (whole command)", 0.5, 0.1, "report", "--week", "last"
            )
        )
    if wanted("plan"):
        pair(
            lambda kind: command(
                kind, "plan --week this, all teams (whole command)", 0.8, 0.25, "plan", "--week", "this"
            )
        )
    if wanted("register"):
        pair(lambda kind: bench_register(runs, dbs[kind]))
    bundle_figures: dict[str, list[Figure]] = {}

    floors: dict[str, tuple[float | None, str]] = {}

    def bundles(kind: str, i: int) -> Figure:
        if "export" not in floors:
            floors["export"] = export_floor(runs, dbs["plain"])
            floors["import"] = import_floor(runs, dbs["plain"])
        if kind not in bundle_figures:  # measured once per kind, with that kind's passphrases
            bundle_figures[kind] = bench_bundles(runs, dbs[kind], kind, floors["export"], floors["import"])
        return bundle_figures[kind][i]

    if wanted("bundle"):
        for i in range(3):
            pair(lambda kind, i=i: bundles(kind, i))
    if wanted("office"):
        show(bench_office(runs))
    if wanted("launch"):
        bare = bench_bare_launch(max(runs, 5))
        show(bare)

        def launch(kind: str) -> Figure:
            figure = bench_launch(max(runs, 5), dbs[kind])
            if figure.floor_s is None:  # its own floor, launched between its launches (bench/tui.py)
                figure.floor_s, figure.floor_name = bare.median, "bare Textual app"
            elif figure.median and bare.median:  # and against the bare app's own series, above
                figure.note += f"; {figure.median / bare.median:.1f}x the bare app's own series"
            figure.target_ratio = 1.5
            return figure

        pair(launch)
    if wanted("keys"):
        pair(lambda kind: bench_keystrokes(dbs[kind]))
    print()
    print(
        "peak memory of any command or the app: budget < 250 MB, issue 12's target < 120 MB "
        f"(the 'peak' column); data in {DATA}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
