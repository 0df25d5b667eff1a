"""The office app's Week screen at 100×30, in Chinese: three communities, one late (today fixed).

Regenerate on purpose with `pytest tests/tui/test_office_snapshots.py --snapshot-update`, look at the
SVG, and commit it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cadre_tui.io.office_import import import_each
from cadre_tui.store.office import OfficeDb
from cadre_tui.tui.office.app import OfficeApp
from tests.tui.community import TODAY
from tests.tui.conftest import freeze
from tests.tui.office_logs import make_office_logs


def test_office_week(snap_compare: Any, tmp_path: Path) -> None:
    office = OfficeDb.open(tmp_path / "office.db")
    import_each(office, [make_office_logs(tmp_path / "logs")])
    office.close()
    app = OfficeApp(tmp_path / "office.db", "zh", today=TODAY)
    assert snap_compare(app, terminal_size=(100, 30), run_before=freeze)
