"""One rule for both sides of a sync: what `visit add` / `matter add` (and the store's writers behind the
app's forms) accept, a partner's `import bundle` takes back with the same values; and what a bundle cell
may hold, the writers accept (core/values.py, SPEC §6)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import UTC, date, datetime, timedelta
from functools import cache
from io import StringIO
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cadre_tui.cli import main
from cadre_tui.core.domain import KIND_CODES, NEED_CODES
from cadre_tui.core.values import YUAN_MAX, parse_yuan
from cadre_tui.io.bundle import export_bundle, import_bundle
from cadre_tui.io.bundle_values import ValueChecker
from cadre_tui.io.tables import bundle_columns
from cadre_tui.store.db import Store
from cadre_tui.store.records import add_matter
from tests.unit.test_bundle import dump, seed

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as people type it: any character a terminal can pass (no surrogates), Chinese and control ones too.
any_text = st.text(st.characters(codec="utf-8"), max_size=40)
amounts = st.one_of(
    st.integers(0, 10**12).map(str),
    st.decimals(0, 10**10, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.from_regex(r"\A0*[0-9]{1,11}(\.[0-9]{0,3})?\Z"),
    st.text("0123456789.,-+e ¥元", max_size=14),
)
need_lists = st.lists(st.sampled_from(NEED_CODES), max_size=4)


@cache
def _template() -> Path:
    """A community database with zone Z1, team T1 (C01, C02) and households H001, H002, made once."""
    path = Path(tempfile.mkdtemp(prefix="roundtrip-")) / "template.db"
    store = Store.open(path)
    store.set_community("幸福社区", None, "Asia/Shanghai")
    seed(store)
    store.close()
    return path


@contextmanager
def _fresh_laptop() -> Iterator[tuple[Path, Path]]:
    """A copy of the template database in a folder of its own: (database, folder), removed after."""
    with tempfile.TemporaryDirectory() as tmp:
        yield _laptop(Path(tmp)), Path(tmp)


def _laptop(folder: Path) -> Path:
    db = folder / "a" / "cadre.db"
    db.parent.mkdir()
    shutil.copy(_template(), db)
    return db


def _cli(db: Path, *args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--db", str(db)])
    return code, out.getvalue().strip() + err.getvalue()


def _today(db: Path) -> date:
    store = Store.open(db)
    try:
        return store.today()
    finally:
        store.close()


def _bundle_check(file_name: str, **cells: str) -> str | None:
    """What the bundle reader says of a row of `file_name` with these cells (the others empty)."""
    columns = bundle_columns(file_name)
    return ValueChecker(file_name, columns)([cells.get(c, "") for c in columns])


def _round_trip(db: Path, folder: Path) -> None:
    """Export a bundle from `db`, import it into an empty second laptop: every synced value the same."""
    store = Store.open(db)
    try:
        export_bundle(store, folder / "bundle")
        partner = Store.open(None)
        import_bundle(partner, folder / "bundle", backup=False)
        assert dump(partner) == dump(store)
    finally:
        store.close()


# -- whatever the writers accept, the partner's import accepts with the same values ----------------------


@SETTINGS
@given(
    assistance=amounts,
    notes=any_text,
    needs=need_lists,
    days_ago=st.integers(0, 3000),
    follow_up_in=st.none() | st.integers(-5, 400),
)
@example(assistance="1000000000", notes="", needs=[], days_ago=0, follow_up_in=None)
@example(assistance="999999999.99", notes="=SUM(A1)", needs=["medical"], days_ago=1, follow_up_in=3)
def test_a_visit_visit_add_accepts_imports_back_unchanged(
    assistance: str, notes: str, needs: list[str], days_ago: int, follow_up_in: int | None
) -> None:
    with _fresh_laptop() as (db, folder):
        day = _today(db) - timedelta(days=days_ago)
        args = ["visit", "add", "--household", "H001", "--date", day.isoformat(), "--outcome", "met"]
        args += [f"--notes={notes}", f"--assistance={assistance}", f"--needs={','.join(needs)}"]
        if follow_up_in is not None:
            args.append(f"--follow-up={(day + timedelta(days=follow_up_in)).isoformat()}")
        code, said = _cli(db, *args)
        typed = assistance.strip()
        try:
            amount_ok = parse_yuan(typed) is not None or typed == ""
        except ValueError:
            amount_ok = False
        if not amount_ok or (follow_up_in is not None and follow_up_in < 0):
            assert code == 2, said
            return
        assert code == 0, said
        _round_trip(db, folder)


def test_a_visit_of_a_billion_yuan_is_refused_at_entry_so_no_bundle_can_carry_it(tmp_path: Path) -> None:
    db = _laptop(tmp_path)
    day = _today(db).isoformat()
    add = ["visit", "add", "--household", "H001", "--date", day, "--outcome", "met"]
    code, said = _cli(db, *add, "--assistance", "1000000000")
    assert code == 2
    assert said == f"cadre-tui: 帮扶金额超过上限 {YUAN_MAX} 元：1000000000\n"
    code, _said = _cli(db, *add, "--assistance", "999999999.99")
    assert code == 0
    _round_trip(db, tmp_path)
    assert (
        _bundle_check("visits.csv", visit_date=day, outcome="met", assistance_yuan="1000000000")
        == f"assistance_yuan: more than {YUAN_MAX} yuan: 1000000000"
    )


@SETTINGS
@given(
    title=any_text,
    notes=any_text,
    kind=st.sampled_from(KIND_CODES),
    hours_ago=st.integers(0, 24 * 400),
    attended_after=st.none() | st.integers(-30, 60 * 48),
)
@example(title="  ", notes="", kind="illness", hours_ago=1, attended_after=None)
@example(title="独居老人摔伤住院\n", notes="\r\n", kind="illness", hours_ago=3, attended_after=20)
def test_a_matter_matter_add_accepts_imports_back_unchanged(
    title: str, notes: str, kind: str, hours_ago: int, attended_after: int | None
) -> None:
    with _fresh_laptop() as (db, folder):
        now = datetime.now().astimezone().replace(second=0, microsecond=0)
        occurred = now - timedelta(hours=hours_ago + 49)  # attended at most 48 hours later: not ahead of now
        code, said = _cli(
            db, "matter", "add", "--kind", kind, "--community", f"--title={title}", f"--notes={notes}",
            "--occurred-at", occurred.isoformat(),
        )  # fmt: skip
        if not title.strip():
            assert code == 2, said
            return
        assert code == 0, said
        if attended_after is not None:
            at = occurred + timedelta(minutes=attended_after)
            code, said = _cli(db, "matter", "attend", said.strip(), "--at", at.isoformat(), "--cadres", "C01")
            assert code == (0 if attended_after >= 0 else 2), said
        _round_trip(db, folder)


# -- whatever a bundle cell may hold, the writers accept --------------------------------------------------


@SETTINGS
@given(
    assistance=amounts,
    needs=st.lists(st.sampled_from([*NEED_CODES, "", "party"]), max_size=4).map(";".join),
    notes=any_text,
    days_ago=st.integers(0, 3000),
    follow_up_in=st.none() | st.integers(-5, 400),
)
@example(assistance="1000000000", needs="", notes="", days_ago=0, follow_up_in=None)
@example(assistance="007.50", needs="medical;;medical", notes="", days_ago=0, follow_up_in=0)
def test_what_a_bundle_visit_may_hold_visit_add_accepts(
    assistance: str, needs: str, notes: str, days_ago: int, follow_up_in: int | None
) -> None:
    with _fresh_laptop() as (db, _folder):
        day = _today(db) - timedelta(days=days_ago)
        follow_up = (day + timedelta(days=follow_up_in)).isoformat() if follow_up_in is not None else ""
        cells = {"visit_date": day.isoformat(), "outcome": "met", "needs": needs, "notes": notes}
        cells |= {"follow_up_date": follow_up, "assistance_yuan": assistance}
        if _bundle_check("visits.csv", **cells) is not None:
            return  # the reader refuses it: nothing to carry over
        args = ["visit", "add", "--household", "H001", "--date", day.isoformat(), "--outcome", "met"]
        args += [f"--notes={notes}", f"--assistance={assistance}", f"--needs={needs}"]
        if follow_up:
            args.append(f"--follow-up={follow_up}")
        code, said = _cli(db, *args)
        assert code == 0, said


@SETTINGS
@given(title=any_text, kind=st.sampled_from([*KIND_CODES, "party"]))
@example(title=" ", kind="illness")
@example(title="--", kind="illness")  # the command line reads `--` as the end of options: store's writer
def test_what_a_bundle_matter_may_hold_the_matter_writer_accepts(title: str, kind: str) -> None:
    at = "2026-11-20T01:30:00.000Z"
    if _bundle_check("matters.csv", kind=kind, title=title, scope="community", occurred_at=at) is not None:
        return
    store = Store.open(None)
    store.set_community("幸福社区", None, "Asia/Shanghai")
    matter_id = add_matter(
        store,
        kind=kind,
        title=title,
        occurred_at=datetime(2026, 11, 20, 1, 30, tzinfo=UTC),
        scope="community",
    )
    assert store.db.execute("SELECT title FROM matters WHERE id = ?", [matter_id]).fetchone() == (
        title.strip(),
    )
