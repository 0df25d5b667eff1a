"""`make bench-office`: a district's year of office logs imported into PostgreSQL and into SQLite.

    .venv/bin/python -m bench.office [--communities 200] [--weeks 52] [--households 2600] [--runs 3]

The logs: `demo --households N` makes one generated community (the seeded demo generator, two years of
history), `export log` machinery writes its last `--weeks` weeks, and each file is written again under
`--communities` names (社区001…): the rows of every community are alike, their names differ, and the
import parses, normalises and stores every file as it would 200 different ones. (Writing the CSVs
straight from a seeded generator would be faster, but would not be what a community's laptop sends.)
2,600 households give ~15,000 rows a year: 200 communities, ~3 million rows in 31,200 files.

Then, each a whole command in a fresh process (bench.measure.run: wall time, the process's peak RSS):
`office import FOLDER` into a new PostgreSQL database on a throwaway server this bench starts (as the
tests do, tests/postgres.py; durable settings: fsync on) and stops, and into a new SQLite file; then
`office report --week W` (the last week, text) on each, the median of `--runs`. The two engines' reports
(text and json) are compared byte for byte. Logs, databases and the server live in temporary folders,
removed at the end.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import Figure, cadre, run


def office_logs(folder: Path, households: int, communities: int, weeks: int) -> tuple[Path, int, str] | str:
    """A year of weekly logs of `communities` communities in `folder`/logs: one generated community's logs,
    renamed. Returns the folder, the number of data rows and the last week, or why they cannot be made.
    """
    from cadre_tui.core.weeks import week_of
    from cadre_tui.io.csvfile import formula_unsafe, write_csv
    from cadre_tui.io.office_log import export_office_log, log_file_names
    from cadre_tui.store.db import Store

    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    source = folder / "community.db"
    made = run(cadre("--db", str(source), "demo", "--households", str(households)))
    if made.code != 0:
        return f"demo failed: {made.err[-80:]}"
    store = Store.open(source)
    one = folder / "one"
    last = week_of(store.today()).previous()
    week_list = [last]
    while len(week_list) < weeks:
        week_list.append(week_list[-1].previous())
    for week in week_list:
        export_office_log(store, week, one, force=True)
    name = store.require_community().name
    store.close()
    everything = folder / "logs"
    rows = 0
    width = len(str(communities))
    tables = {}
    for week in week_list:
        for kind, file_name in log_file_names(name, week).items():
            with (one / file_name).open(encoding="utf-8-sig", newline="") as handle:
                tables[week, kind] = [[formula_unsafe(c) for c in row] for row in csv.reader(handle)]
    for number in range(1, communities + 1):
        other = f"{name}{number:0{width}d}"
        for week in week_list:
            for kind in ("visits", "matters", "scorecard"):
                table = tables[week, kind]
                body = [[other, *row[1:]] for row in table[1:]]
                rows += write_csv(everything / log_file_names(other, week)[kind], table[0], body)
    return everything, rows, str(last)


def report_output(target: str, week: str, form: str) -> bytes:
    """What `office report --week W --format F` prints (to compare the engines)."""
    done = subprocess.run(
        cadre("office", "report", "--week", week, "--format", form, "--db", target),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode(errors="replace").strip()[-200:])
    return done.stdout


def main() -> int:
    """Generate the logs, import them into both engines, report a week on each; print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.office", description=__doc__)
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--households", type=int, default=2600, help="households of the generated community")
    parser.add_argument("--runs", type=int, default=3, help="runs of the week's report (the median is shown)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.postgres import TempPostgres, find_bindir

    bindir = find_bindir()
    if isinstance(bindir, str):
        print(f"bench-office: {bindir}", file=sys.stderr)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="cadre-bench-office-"))
    server: TempPostgres | None = None
    try:
        started = time.perf_counter()
        made = office_logs(folder, args.households, args.communities, args.weeks)
        if isinstance(made, str):
            print(f"bench-office: {made}", file=sys.stderr)
            return 1
        logs, rows, week = made
        files = sum(1 for _ in logs.rglob("*.csv"))
        size = sum(p.stat().st_size for p in logs.rglob("*.csv")) / 2**20
        print(
            f"cadre-tui bench-office: {args.communities} communities x {args.weeks} weeks "
            f"({args.households:,} households each): {rows:,} rows in {files:,} files, {size:,.0f} MB "
            f"(made in {time.perf_counter() - started:.0f} s)"
        )
        server = TempPostgres(bindir, durable=True)
        targets = {"PostgreSQL": server.create_database(), "SQLite": str(folder / "office.db")}
        version = subprocess.run(
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        print(f"PostgreSQL: {version} (throwaway server, fsync on); SQLite: {_sqlite_version()}")
        print()
        for engine, target in targets.items():
            figure = Figure(f"{engine}: office import ({rows:,} rows)")
            done = run(cadre("office", "import", str(logs), "--db", target))
            figure.runs.append(done)
            print(figure.line() + _size(engine, target), flush=True)
            if done.code != 0:
                print(f"  {done.err}", flush=True)
        for engine, target in targets.items():
            figure = Figure(f"{engine}: office report --week {week}")
            for _ in range(max(1, args.runs)):
                figure.runs.append(run(cadre("office", "report", "--week", week, "--db", target)))
            print(figure.line(), flush=True)
        same = all(
            report_output(targets["PostgreSQL"], week, form) == report_output(targets["SQLite"], week, form)
            for form in ("text", "json")
        )
        print()
        print(f"the week's report, text and json: {'identical' if same else 'DIFFERENT'} on both engines")
        print("peak: the command's own peak memory (the PostgreSQL server's processes are not counted)")
        return 0 if same else 1
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def _size(engine: str, target: str) -> str:
    """The database's size on disk after the import."""
    if engine == "SQLite":
        size = sum(Path(target + s).stat().st_size for s in ("", "-wal") if Path(target + s).exists())
    else:
        import psycopg

        with psycopg.connect(target) as conn:
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        size = row[0] if row else 0
    return f"  database {size / 2**20:,.0f} MB"


if __name__ == "__main__":
    sys.exit(main())
