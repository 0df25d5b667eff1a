"""The office app (`cadre-tui office --db FILE`): the week's roll-up, importing logs, exporting the roll-up.

Database access: every worker opens its own connection to the office database (`app.office()`) and
closes it when done; SQLite's WAL lets a read run beside an import. The screens never run SQL: they call
the office store (`store/office.py`) inside a thread worker and get the result back as a message.

Help, the command palette, escape, ctrl+q and the error dialog are shared with the cadre app (`BaseApp`,
`tui/base_app.py`), as are the styles of app.tcss and the screens' base (`tui/screens/base.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from cadre_tui.store.office import OfficeDb, office_today
from cadre_tui.tui.base_app import COMMON_BINDINGS, BaseApp


def _week() -> Screen[Any]:
    from cadre_tui.tui.office.week import WeekScreen

    return WeekScreen()


def _import() -> Screen[Any]:
    from cadre_tui.tui.office.importing import ImportScreen

    return ImportScreen()


def _export() -> Screen[Any]:
    from cadre_tui.tui.office.export import ExportScreen

    return ExportScreen()


class OfficeApp(BaseApp):
    """The sub-district clerk's app. `today` may be fixed (tests, snapshots); else today in Shanghai."""

    MODES: ClassVar = {"week": _week, "import": _import, "export": _export}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "go('week')", "key.office_week", id="go.week"),
        Binding("i", "go('import')", "key.office_import", id="go.import"),
        Binding("e", "go('export')", "key.office_export", id="go.export"),
        *COMMON_BINDINGS,
    ]

    def __init__(self, db_path: Path | str, lang: str = "zh", today: date | None = None) -> None:
        super().__init__(lang)
        # Refuse a community's database (exit 3) before anything is drawn; create a new office database.
        # `db_path` is a SQLite file or a postgresql:// URL, passed to OfficeDb.open as given.
        office = OfficeDb.open(db_path)
        where = office.where if office.path is None else office.path.name
        office.close()
        self.db_path = db_path
        self.fixed_today = today
        self.week: str | None = None
        """The week the Week screen shows and the Export screen offers (None until the first load)."""
        self.title = self.t("office.title")
        self.sub_title = where

    @contextmanager
    def office(self) -> Iterator[OfficeDb]:
        """A connection of this thread's own to the office database, closed after use."""
        office = OfficeDb.open(self.db_path)
        try:
            yield office
        finally:
            office.close()

    def today(self) -> date:
        """Today in the office's time zone (Asia/Shanghai), or the fixed day the app was started with."""
        if self.fixed_today is not None:
            return self.fixed_today
        return office_today()

    def on_mount(self) -> None:
        """Open on the week's roll-up."""
        self.switch_mode("week")


def run(db_path: Path | str, lang: str = "zh") -> int:
    """Open the office app on the office database (a file or a postgresql:// URL); return the exit code."""
    app = OfficeApp(db_path, lang)
    app.run()
    return app.return_code or 0
