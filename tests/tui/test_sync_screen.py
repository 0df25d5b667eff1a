"""The sync screen (`s`): import the partner's bundle, export one, export the office log; then the data."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Button, Input, ProgressBar, Static

from cadre_tui.io.bundle import export_bundle
from cadre_tui.store.db import Store
from cadre_tui.tui.app import CadreApp
from cadre_tui.tui.screens.sync import SyncScreen
from cadre_tui.tui.widgets.dialogs import ConfirmDialog
from tests.tui.community import make_database
from tests.tui.conftest import press, running


def partner_bundle(tmp_path: Path) -> tuple[Path, str]:
    """The partner's laptop: the same community, plus one visit of its own, exported as a zip."""
    path = tmp_path / "partner" / "cadre.db"
    ids = make_database(path)
    store = Store.open(path)
    visit_id = str(uuid.uuid4())
    household = store.db.execute("SELECT id FROM households ORDER BY household_no LIMIT 1").fetchone()[0]
    with store.transaction():
        store.db.execute(
            "INSERT INTO visits (id, household_id, team_id, visit_date, cadre_ids, outcome, notes, "
            "updated_at, origin, deleted) VALUES (?, ?, ?, '2026-11-24', ?, 'met', '搭档记的', ?, ?, 0)",
            [visit_id, household, ids["T1"], ids["C01"], store.stamp(), store.device_id],
        )
    target = tmp_path / "usb" / "partner.zip"
    export_bundle(store, target)
    store.close()
    return target, visit_id


def summary(app: CadreApp) -> str:
    return str(app.screen.query_one("#summary", Static).render())


async def test_import_export_and_log_from_the_sync_screen(
    make_app: Callable[..., CadreApp], tmp_path: Path, community_db: Path
) -> None:
    bundle, visit_id = partner_bundle(tmp_path)
    app = make_app()
    async with running(app, (80, 24)) as pilot:
        await press(pilot, "s")
        assert isinstance(app.screen, SyncScreen)
        path_input = app.screen.query_one("#bundle-path", Input)
        assert app.focused is app.screen.query_one("#export-bundle", Button)
        path_input.value = str(bundle)
        await press(pilot, "ctrl+r")
        text = summary(app)
        assert text.startswith(f"已导入 {bundle}：")
        assert "没有冲突。" in text
        bar = app.screen.query_one("#progress", ProgressBar)
        assert bar.percentage == 1.0
        # Exporting an encrypted bundle: the sync passphrase is asked first (none is set on this laptop).
        out = tmp_path / "out" / "mine.cadre"
        path_input.value = str(out)
        await press(pilot, "ctrl+b")
        assert not out.exists() and "同步包口令" in summary(app)
        app.screen.query_one("#sync-passphrase", Input).value = "team-sync-pass"
        await press(pilot, "ctrl+b")
        assert out.read_bytes().startswith(b"age-encryption.org/v1\n") and not zipfile.is_zipfile(out)
        assert summary(app).startswith("已导出 ")
        await press(pilot, "ctrl+b")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert isinstance(app.screen, SyncScreen)
        assert summary(app).startswith("已导出 ")
        # The office log of the week.
        app.screen.query_one("#log-week", Input).value = "2026-W48"
        app.screen.query_one("#log-folder", Input).value = str(tmp_path / "log")
        await press(pilot, "ctrl+g")
        assert sorted(p.name for p in (tmp_path / "log").iterdir()) == [
            "matters-幸福社区-2026-W48.csv",
            "scorecard-幸福社区-2026-W48.csv",
            "visits-幸福社区-2026-W48.csv",
        ]
        assert "2026-W48 周报已写好" in summary(app)
        await press(pilot, "escape")
        assert not isinstance(app.screen, SyncScreen)
    store = Store.open(community_db)
    assert store.db.execute("SELECT notes FROM visits WHERE id = ?", [visit_id]).fetchone() == ("搭档记的",)
    store.close()


async def test_a_broken_bundle_is_refused_on_screen(
    make_app: Callable[..., CadreApp], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    app = make_app(lang="en")
    async with running(app, (80, 24)) as pilot:
        await press(pilot, "s")
        app.screen.query_one("#bundle-path", Input).value = str(broken)
        await press(pilot, "ctrl+r")
        assert summary(app).startswith("Nothing was imported:\nbroken.zip: not a bundle")
        app.screen.query_one("#log-week", Input).value = "W99"
        await press(pilot, "ctrl+g")
        assert summary(app).startswith("Not a week:")


async def test_screen_keys_work_on_the_sync_screen(make_app: Callable[..., CadreApp]) -> None:
    from cadre_tui.tui.screens.dashboard import DashboardScreen

    app = make_app()
    async with running(app, (80, 24)) as pilot:
        await press(pilot, "s")
        path = app.screen.query_one("#bundle-path", Input).value
        await press(pilot, "d")
        assert isinstance(app.screen, DashboardScreen)
        await press(pilot, "s")
        assert app.screen.query_one("#bundle-path", Input).value == path
