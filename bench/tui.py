"""The app's figures of SPEC §9: launch to first screen in a real terminal, keystroke to updated results.

Launch: the app is started as a user starts it, `python -m cadre_tui --db DB` in a fresh process, inside
a detached tmux pane of 100x30 on a private tmux server; the pane is read (`tmux capture-pane -p`) every
10 ms until the dashboard's scorecard header is on it (the first screen drawn), then until the
scorecard's figures are (the dashboard worker's answer). Then the run goes on like a cadre's first
minute: `h`, a name typed into the search box until its household is listed, `tab`, `p` until the
week's plan is shown, and the app's peak memory is read from the process itself (`VmHWM` of
/proc/PID/status) before it is asked to quit. Before each launch the bare Textual app (the floor,
bench/bare_app.py) is launched and timed the same way in the same server: the ratio is the median
launch over the median of these bare launches, each pair seconds apart, so that the load of a shared
machine, which moves from one minute to the next, moves both alike.

Keystroke: in-process, with Textual's pilot on the same database. Each key is one `pilot.press` on the
households screen's search box; the time runs until the results table shows the results of the new text
(the screen's `ResultsReady` has filled the table and the screen has been refreshed after it).
"""

from __future__ import annotations

import asyncio
import inspect
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import ClassVar

from bench.measure import CADRE, Figure, Run, compile_package, open_db, percentile

WIDTH, HEIGHT = 100, 30
POLL_S = 0.01
# Launch and each step after it must show within this, else the run is counted as failed.
TIMEOUT_S = 30.0
KEYSTROKE_BUDGET_MS = 100
# Issue 12's keystroke target: p95 and worst.
KEYSTROKE_P95_MS, KEYSTROKE_WORST_MS = 40, 60


# -- what the screens say, in either language ---------------------------------------------------------


def labels(key: str, **fields: str) -> list[str]:
    """The catalogue label `key` in zh and en (the database may have chosen English in Settings)."""
    from cadre_tui.tui.i18n import text

    return [text(key, lang, **fields) for lang in ("zh", "en")]


def first_part(label: str) -> str:
    """A label up to its first bracket: the part that fits on any screen width."""
    for bracket in ("（", "("):
        label = label.split(bracket, 1)[0]
    return label.strip()


# -- launch, in tmux -----------------------------------------------------------------------------------


class Pane:
    """One detached tmux session on a private server (`-L`), running one command."""

    def __init__(self, server: str, name: str, env: dict[str, str]) -> None:
        self.server = server
        self.name = name
        self.env = env

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A tmux command on this server (`-u`: the pane's Chinese comes back as UTF-8)."""
        return subprocess.run(
            ["tmux", "-u", "-L", self.server, *args], capture_output=True, text=True, env=self.env
        )

    def start(self, command: list[str]) -> None:
        """The session, running `command` directly (several arguments: tmux runs no shell)."""
        done = self.tmux(
            "new-session", "-d", "-s", self.name, "-x", str(WIDTH), "-y", str(HEIGHT), "-c", os.getcwd(),
            *command,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"tmux new-session: {done.stderr.strip()}")

    def pid(self) -> int:
        """The pane's process: the command itself."""
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout.strip())

    def text(self) -> str:
        """What the pane shows now ('' once the session has ended)."""
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Type `keys` into the pane: tmux key names, or text as it is with `literal`."""
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def wait_for(self, markers: Iterable[str], started: float) -> float:
        """Seconds from `started` until one of `markers` is on the pane (polled every 10 ms)."""
        wanted = list(markers)
        while True:
            now = time.perf_counter()
            if any(m in self.text() for m in wanted):
                return now - started
            if now - started > TIMEOUT_S:
                raise TimeoutError(f"not on the screen within {TIMEOUT_S:g} s: {wanted[0]!r}")
            time.sleep(POLL_S)

    def kill(self) -> None:
        """End the session (and with it the command, if it is still running)."""
        self.tmux("kill-session", "-t", self.name)


def peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/PID/status")


def sample_resident(db: Path) -> tuple[str, str]:
    """A resident's name and household number to look up in the app (a fixed one: the same every run)."""
    connection = open_db(db)
    try:
        rows = connection.execute(
            "SELECT r.name, h.household_no FROM residents r JOIN households h ON h.id = r.household_id "
            "WHERE r.deleted = 0 AND h.deleted = 0 ORDER BY r.id"
        ).fetchall()
    finally:
        connection.close()
    name, number = random.Random(11).choice(rows)
    return str(name), str(number)


def launch_once(pane: Pane, db: Path, resident: tuple[str, str]) -> tuple[Run, float | None]:
    """One launch: the Run (seconds to the first screen, peak memory) and seconds to the figures."""
    name, number = resident
    started = time.perf_counter()
    try:
        pane.start([*CADRE, "--db", str(db)])
        pid = pane.pid()
        first = pane.wait_for(labels("dash.col.members"), started)
        figures = pane.wait_for([m.strip() for m in labels("dash.community_familiarity", value="")], started)
        # a cadre's first minute: find someone, then look at the week's plan
        pane.keys("h")
        pane.wait_for([first_part(m) for m in labels("hh.empty")], time.perf_counter())
        pane.keys(name, literal=True)
        pane.wait_for([number], time.perf_counter())
        # tab leaves the search box for the results (an escape followed at once by `p` reads as alt+p)
        pane.keys("Tab")
        # a person's shortest gap between two keys: sent at once, `p` can be read before the focus moved
        time.sleep(0.2)
        pane.keys("p")
        plan_markers = [*labels("plan.saved"), *labels("plan.proposed"), *labels("plan.no_team")]
        pane.wait_for([first_part(m) for m in plan_markers], time.perf_counter())
        memory = peak_mb(pid)
        pane.keys("C-q")
        gone_by = time.perf_counter() + 5
        while Path(f"/proc/{pid}").exists() and time.perf_counter() < gone_by:
            time.sleep(POLL_S)
        return Run(first, memory, 0), figures
    except (TimeoutError, RuntimeError, ValueError, OSError) as exc:
        last = [line for line in pane.text().splitlines() if line.strip()]
        shown = f" (screen: {last[-1].strip()[:40]})" if last else ""
        return Run(time.perf_counter() - started, 0.0, 1, f"{exc}{shown}"), None
    finally:
        pane.kill()


def bare_launch_once(pane: Pane) -> Run:
    """One launch of the bare Textual app (the floor): seconds until its text is on the pane, its peak."""
    from bench.bare_app import MARKER

    script = str(Path(__file__).resolve().parent / "bare_app.py")
    started = time.perf_counter()
    try:
        pane.start([sys.executable, script])
        pid = pane.pid()
        first = pane.wait_for([MARKER], started)
        return Run(first, peak_mb(pid), 0)
    except (TimeoutError, RuntimeError, ValueError, OSError) as exc:
        return Run(time.perf_counter() - started, 0.0, 1, str(exc))
    finally:
        pane.kill()


BARE_BESIDE = "bare Textual app (launched before each)"


def bench_launch(runs: int, db: Path) -> Figure:
    """App launch to the first screen drawn, the median of `runs` launches, with the app's peak memory;
    its floor the median of a bare Textual app's launches, one before each of them."""
    figure = Figure("app launch to first screen drawn", 1.5)
    if shutil.which("tmux") is None:
        figure.note = "tmux not installed"
        return figure
    compile_package()
    server = f"cadre-bench-{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if k not in ("CADRE_TUI_DB", "TMUX")}
    resident = sample_resident(db)
    keeper = Pane(server, f"{server}-keeper", env)
    figures: list[float] = []
    socket = ""
    try:
        # The server is started once, by a session that only waits: its start is not the app's.
        keeper.start(["sleep", "3600"])
        socket = keeper.tmux("display-message", "-p", "#{socket_path}").stdout.strip()
        bare: list[float] = []
        for n in range(runs):
            floor = bare_launch_once(Pane(server, f"{server}-bare-{n}", env))
            if floor.code == 0:
                bare.append(floor.seconds)
            done, figures_s = launch_once(Pane(server, f"{server}-{n}", env), db, resident)
            figure.runs.append(done)
            if figures_s is not None:
                figures.append(figures_s)
        if bare:
            figure.floor_s, figure.floor_name = percentile(bare, 0.5), BARE_BESIDE
    finally:
        keeper.tmux("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)  # tmux leaves its socket behind
    if figures:
        figure.note = (
            f"figures in {percentile(figures, 0.5):.2f} s; tmux {WIDTH}x{HEIGHT}; "
            "peak after a search and the plan"
        )
    return figure


def bench_bare_launch(runs: int) -> Figure:
    """The launch floor: a bare Textual app (one Static) started in tmux and timed as `launch_once` times
    the app, up to its text on the pane."""
    figure = Figure("bare Textual app launch (the launch floor)")
    if shutil.which("tmux") is None:
        figure.note = "tmux not installed"
        return figure
    server = f"cadre-bench-bare-{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if k not in ("CADRE_TUI_DB", "TMUX")}
    keeper = Pane(server, f"{server}-keeper", env)
    socket = ""
    try:
        keeper.start(["sleep", "3600"])
        socket = keeper.tmux("display-message", "-p", "#{socket_path}").stdout.strip()
        for n in range(runs):
            figure.runs.append(bare_launch_once(Pane(server, f"{server}-{n}", env)))
    finally:
        keeper.tmux("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)
    return figure


# -- keystroke to updated results, with the pilot -------------------------------------------------------


def typed_queries(db: Path, residents: int = 3) -> list[str]:
    """What cadres type, for a few residents: the name, pinyin initials, part of the household number,
    a phone's last four digits, and the address."""
    connection = open_db(db)
    try:
        rows = connection.execute(
            "SELECT r.name, r.search_keys, r.phone, h.household_no, h.estate, h.building "
            "FROM residents r JOIN households h ON h.id = r.household_id "
            "WHERE r.deleted = 0 AND h.deleted = 0 ORDER BY r.id"
        ).fetchall()
    finally:
        connection.close()
    queries: list[str] = []
    for name, keys, phone, number, estate, building in random.Random(7).sample(rows, residents):
        initials = min((keys or "").split() or [name], key=len)
        queries += [name, initials, number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ").lstrip("0")]
        if phone:
            queries.append(phone[-4:])
        queries.append(f"{estate} {building}")
    return [q for q in queries if q]


@dataclass
class Awaited:
    """The search text whose results the bench waits for, and when they were on the screen."""

    text: str | None = None
    shown: asyncio.Event = field(default_factory=asyncio.Event)
    at: float = 0.0

    def shown_now(self) -> None:
        """The results are on the screen."""
        self.at = time.perf_counter()
        self.shown.set()


def beside(screen_or_app: type[object]) -> str:
    """The CSS_PATH of a class of the app, for a subclass here (a relative one is looked for beside it)."""
    css = getattr(screen_or_app, "CSS_PATH", "")
    return str(Path(inspect.getfile(screen_or_app)).parent / str(css))


async def keystroke_times(db: Path, queries: list[str]) -> list[float]:
    """Milliseconds from each key pressed in the households search box to its results on the screen."""
    from textual.widgets import Input

    from cadre_tui.tui.app import CadreApp
    from cadre_tui.tui.screens.dashboard import DashboardScreen
    from cadre_tui.tui.screens.households import HouseholdsScreen

    awaited = Awaited()

    class TimedHouseholds(HouseholdsScreen):
        """The households screen, telling the bench when the results of the awaited text are on it.

        Textual calls a message's handler in every class of the screen's MRO, this one first: it asks for
        a callback after the next refresh, then the screen's own handler fills the results table, so the
        callback runs once the screen has been painted with the results.
        """

        CSS_PATH = beside(HouseholdsScreen)

        def on_households_screen_results_ready(self, message: HouseholdsScreen.ResultsReady) -> None:
            if message.query == awaited.text:
                self.call_after_refresh(awaited.shown_now)

    class TimedApp(CadreApp):
        """The app with that screen, telling the bench when the dashboard's figures are in."""

        CSS_PATH = beside(CadreApp)
        MODES: ClassVar = {**CadreApp.MODES, "households": TimedHouseholds}

        def __init__(self) -> None:
            super().__init__(db, "zh")
            self.dashboard_loaded = asyncio.Event()

        def on_dashboard_screen_loaded(self, message: DashboardScreen.Loaded) -> None:
            # bubbled up from the dashboard, whose own handler has filled it
            self.dashboard_loaded.set()

    app = TimedApp()
    times: list[float] = []

    async def shown(text: str, action: Callable[[], object]) -> float:
        """Do `action`, which makes the search box hold `text`; wait until its results are shown."""
        awaited.text = text
        awaited.shown.clear()
        result = action()
        if asyncio.iscoroutine(result):
            await result
        if search.value != text:
            raise RuntimeError(f"typed {text!r}, the search box holds {search.value!r}")
        await asyncio.wait_for(awaited.shown.wait(), TIMEOUT_S)
        return awaited.at

    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        # the dashboard's worker holds the store at launch; a cadre types after the first screen is in
        await asyncio.wait_for(app.dashboard_loaded.wait(), TIMEOUT_S)
        await pilot.press("h")
        search = app.screen.query_one("#search", Input)
        for query in queries:
            if search.value:
                await shown("", lambda: setattr(search, "value", ""))
            for n in range(1, len(query) + 1):
                started = time.perf_counter()
                at = await shown(query[:n], partial(pilot.press, query[n - 1]))
                times.append((at - started) * 1000)
    return times


def bench_keystrokes(db: Path) -> Figure:
    """Keystroke to updated search results in the app (the pilot, in this process)."""
    figure = Figure("keystroke to updated search results, ms", budget_text=f"< {KEYSTROKE_BUDGET_MS} ms")
    queries = typed_queries(db)
    try:
        times = asyncio.run(keystroke_times(db, queries))
    except (TimeoutError, RuntimeError) as exc:
        figure.note = f"FAILED: {exc}"
        return figure
    median, p95, worst = percentile(times, 0.5), percentile(times, 0.95), max(times)
    if p95 < KEYSTROKE_BUDGET_MS:
        ok = "ok"
    else:
        ok = "OVER" if median >= KEYSTROKE_BUDGET_MS else "ok, p95 OVER"
    reached = p95 < KEYSTROKE_P95_MS and worst < KEYSTROKE_WORST_MS
    figure.note = (
        f"median {median:.1f} ms, p95 {p95:.1f} ms, worst {worst:.1f} ms ({len(times)} keys, "
        f"{len(queries)} queries) {ok}; target p95 < {KEYSTROKE_P95_MS} ms, worst < {KEYSTROKE_WORST_MS} ms "
        + ("reached" if reached else "NOT reached")
    )
    return figure


if __name__ == "__main__":
    # `python -m bench.tui DB`: the two app figures alone
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent / "data/community/cadre.db"
    )
    print(bench_launch(3, target).line())
    print(bench_keystrokes(target).line())
