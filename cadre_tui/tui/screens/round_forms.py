"""The round's dialog: the needs raised (诉求) at one household (the note and the follow-up date are typed
in the box under the list, in round.py)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, SelectionList, Static

from cadre_tui.core.domain import NEEDS, label
from cadre_tui.tui.screens.base import CadreModal


class NeedsDialog(CadreModal):
    """Needs raised (诉求) for one household: space ticks, enter confirms, escape leaves them as they were."""

    DEFAULT_CSS = """
    NeedsDialog { align: center middle; }
    NeedsDialog > Vertical { width: 40; height: auto; border: thick $primary; background: $surface;
                             padding: 0 1; }
    NeedsDialog SelectionList { height: auto; max-height: 9; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "key.save", id="round.needs_done", priority=True),
        Binding("escape", "cancel", "key.cancel", id="round.needs_cancel"),
    ]

    def __init__(self, title: str, chosen: tuple[str, ...]) -> None:
        super().__init__()
        self.title_text = title
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        """The needs, ticked as they stand."""
        lang = self.cadre.lang
        with Vertical():
            yield Label(self.title_text)
            yield SelectionList[str](
                *[(label(NEEDS, n.code, lang), n.code, n.code in self.chosen) for n in NEEDS], id="needs"
            )
            yield Static(self.t("round.needs_hint"), classes="muted")

    def on_mount(self) -> None:
        """Focus the list."""
        self.query_one("#needs", SelectionList).focus()

    def action_done(self) -> None:
        """Keep the ticked needs."""
        self.dismiss(tuple(self.query_one("#needs", SelectionList).selected))

    def action_cancel(self) -> None:
        """Leave them as they were."""
        self.dismiss(None)
