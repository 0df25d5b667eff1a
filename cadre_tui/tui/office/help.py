"""`?` in the office app: the cadre app's help screen, with the office's global keys on its last line."""

from __future__ import annotations

from typing import Any

from cadre_tui.tui.widgets.dialogs import HelpScreen


class OfficeHelpScreen(HelpScreen):
    """The shared help screen; its "keys that work everywhere" line names the office's keys."""

    def t(self, key: str, **fields: Any) -> str:
        """The catalogue, with the office's line of global keys in place of the cadre app's."""
        return super().t("office.help.global" if key == "help.global" else key, **fields)
