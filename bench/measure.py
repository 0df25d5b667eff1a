"""Timing whole commands as a user waits for them, and printing figures beside their budgets."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The command line as a user starts it: a fresh interpreter, start to exit.
CADRE = (sys.executable, "-m", "cadre_tui")
# The encrypted half of the bench (issue 9): its database and bundle passphrases.
PASSPHRASE = "bench passphrase 2026"
SYNC_PASSPHRASE = "bench sync passphrase"


@contextmanager
def encrypted(on: bool) -> Iterator[None]:
    """Commands started inside get the passphrases (a new database is then encrypted), or none."""
    names = {"CADRE_TUI_PASSPHRASE": PASSPHRASE, "CADRE_TUI_SYNC_PASSPHRASE": SYNC_PASSPHRASE}
    saved = {name: os.environ.get(name) for name in names}
    for name, value in names.items():
        if on:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def open_db(db: Path) -> Any:
    """A connection to the bench's database, plain or encrypted."""
    from cadre_tui.store.keys import DbKey, connect, file_kind

    key = DbKey.for_file(db, PASSPHRASE) if file_kind(db) == "encrypted" else None
    return connect(db, key)


@dataclass
class Run:
    """One run of a command: wall time, peak memory of the process, exit code, what it said."""

    seconds: float
    peak_mb: float
    code: int
    err: str = ""


# Started straight from this process, a command's ru_maxrss would count this process's memory too (Linux
# keeps the high-water mark of the address space a child had before its exec: a copy of ours). So a
# command is started by this small helper interpreter, which times it, waits for it and reports its peak.
_HELPER = (
    "import os, subprocess, sys, time\n"
    "started = time.perf_counter()\n"
    "proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "_pid, status, usage = os.wait4(proc.pid, 0)\n"
    "print(time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n"
)


def run(args: Sequence[str], *, cwd: Path | None = None) -> Run:
    """Run a command to its exit: its wall time and its own peak RSS (ru_maxrss from `wait4`)."""
    env = {k: v for k, v in os.environ.items() if k != "CADRE_TUI_DB"}
    done = subprocess.run(
        [sys.executable, "-c", _HELPER, *args], capture_output=True, cwd=cwd, env=env, text=True, check=False
    )
    try:
        seconds, maxrss_kb, code = done.stdout.split()
    except ValueError:  # the helper could not start the command
        return Run(0.0, 0.0, done.returncode or 1, done.stderr.strip())
    # Linux reports ru_maxrss in kilobytes.
    return Run(float(seconds), int(maxrss_kb) / 1024, int(code), done.stderr.strip())


def cadre(*args: str) -> list[str]:
    """A cadre-tui command line."""
    return [*CADRE, *args]


def available(*command: str) -> bool:
    """Whether this cadre-tui has the (sub)command: its `--help` exits 0."""
    return run(cadre(*command, "--help")).code == 0


@dataclass
class Figure:
    """One line of the report: the work, its measured runs, its budget, and its floor and target beside it.

    The floor is the least the same work can cost on this machine, measured in the same run (the sqlite3
    shell's raw CSV import or export, a bare Textual app's launch, the interpreter's start); the target
    (issue 12) is a ratio to it (`target_ratio`) or seconds beyond it (`target_beyond_s`).
    """

    work: str
    budget_s: float | None = None
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    floor_s: float | None = None
    floor_name: str = ""
    floor_note: str = ""  # why there is no floor (e.g. the tool is not installed)
    target_ratio: float | None = None
    target_beyond_s: float | None = None
    budget_text: str = ""

    @property
    def median(self) -> float | None:
        """Median seconds of the successful runs."""
        ok = [r.seconds for r in self.runs if r.code == 0]
        return statistics.median(ok) if ok else None

    @property
    def peak_mb(self) -> float | None:
        """The highest peak memory among the runs."""
        return max((r.peak_mb for r in self.runs), default=None)

    def target_text(self) -> str:
        """The target as issue 12 words it, or ''."""
        if self.target_ratio is not None:
            return f"<= {self.target_ratio:g}x"
        if self.target_beyond_s is not None:
            return f"<= floor + {self.target_beyond_s:g} s"
        return ""

    def reached(self) -> bool | None:
        """Whether the median is within the target (None: no target, or nothing to compare)."""
        median = self.median
        if median is None or self.floor_s is None:
            return None
        if self.target_ratio is not None:
            return median <= self.target_ratio * self.floor_s
        if self.target_beyond_s is not None:
            return median <= self.floor_s + self.target_beyond_s
        return None

    def floor_text(self) -> str:
        """The floor, the ratio to it and the target, or why there is none."""
        target = self.target_text()
        if self.floor_s is None:
            if self.floor_note:
                return f"  | floor: {self.floor_note}" + (f"; target {target}" if target else "")
            return ""
        median = self.median or 0.0
        text = f"  | {self.floor_name} {self.floor_s:.3f} s, ratio {median / self.floor_s:.1f}x"
        if self.target_beyond_s is not None:
            text += f" (+{median - self.floor_s:.2f} s)"
        reached = self.reached()
        if target:
            text += f", target {target} " + ("reached" if reached else "NOT reached")
        return text

    def line(self) -> str:
        """The report line."""
        budget = self.budget_text or (f"< {self.budget_s:g} s" if self.budget_s is not None else "")
        if self.note and not self.runs:
            return f"{self.work:<54} {self.note}   budget {budget}"
        failed = [r for r in self.runs if r.code != 0]
        if failed and self.median is None:
            reason = failed[0].err.splitlines()[-1] if failed[0].err else f"exit {failed[0].code}"
            return f"{self.work:<54} {'FAILED: ' + reason[:60]}"
        median = self.median or 0.0
        verdict = ""
        if self.budget_s is not None:
            verdict = "ok" if median < self.budget_s else "OVER"
        peak = f"{self.peak_mb:4.0f} MB" if self.peak_mb is not None else ""
        memory = ""
        if self.peak_mb is not None:
            memory = " OVER 250" if self.peak_mb >= MEMORY_BUDGET_MB else ""
            memory += "" if self.peak_mb < MEMORY_TARGET_MB else " >target"
        text = f"{self.work:<54} {median:7.3f} s  {budget:<8} {verdict:<4}  peak {peak}{memory}"
        text += self.floor_text()
        if self.note:
            text += f"  ({self.note})"
        return text


MEMORY_BUDGET_MB = 250
# Issue 12: the peak memory of any command or the app.
MEMORY_TARGET_MB = 120


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def compile_package() -> bool:
    """Byte-compile cadre_tui as `pip install` does a wheel's modules; False when a module failed.

    An editable install leaves the modules as source. Where PYTHONDONTWRITEBYTECODE is set (as on the
    development machines), every command and every launch would then compile each module it imports,
    at every run: 20-40 ms a command, which an installed copy never pays (the floors' own code is compiled).
    """
    import compileall

    import cadre_tui

    return bool(compileall.compile_dir(Path(cadre_tui.__file__).resolve().parent, quiet=1))
