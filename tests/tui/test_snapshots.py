"""Layout snapshots at 100×30, in Chinese, on the fixture community with today fixed at 2026-11-24.

Regenerate on purpose (after a layout change or a Textual upgrade) with
`pytest tests/tui/test_snapshots.py --snapshot-update`, look at the SVGs, and commit them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.tui.conftest import SIZE, AppFactory, freeze


def test_dashboard(snap_compare: Any, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=freeze)


def test_plan(snap_compare: Any, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["p"], run_before=freeze)


def test_households_search(snap_compare: Any, make_app: AppFactory) -> None:
    async def search(pilot: Pilot[object]) -> None:
        await pilot.press("h", *"幸福小区")
        await freeze(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=search)


def test_visit_form(snap_compare: Any, make_app: AppFactory, community_db: Path) -> None:
    async def open_form(pilot: Pilot[object]) -> None:
        await freeze(pilot)
        await pilot.press("h", *"H0001", "enter")
        await freeze(pilot)
        await pilot.press("1")
        await freeze(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_form)


def test_dashboard_at_80_by_24(snap_compare: Any, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=freeze)
