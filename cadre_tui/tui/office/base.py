"""What the office app's screens share: the language, the office database, the one handler for failed workers.

The minimal shape of `tui/screens/base.py` for the office app (kept apart while the cadre's screens are
being restructured; the two can fold into one mixin later).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from cadre_tui.tui.bindings import localise_bindings

if TYPE_CHECKING:
    from cadre_tui.tui.office.app import OfficeApp


class OfficeMixin:
    """Language, office database and worker-failure handling for the office app's screens."""

    HELP_KEY: ClassVar[str] = ""
    """Catalogue key of the help text for this screen (`?`)."""
    NAME_KEY: ClassVar[str] = ""
    """Catalogue key of the screen's name (help title, palette)."""

    @property
    def office_app(self) -> OfficeApp:
        """The running app, typed."""
        return cast("OfficeApp", cast(Screen[Any], self).app)

    def t(self, key: str, **fields: Any) -> str:
        """A catalogue label in the app's language."""
        return self.office_app.t(key, **fields)

    def still_loading(self, group: str) -> bool:
        """A worker of `group` is still running (Textual resumes a new mode's screen twice: load once)."""
        return any(w.group == group and not w.is_finished for w in cast(Screen[Any], self).workers)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler of failed workers: they run with exit_on_error=False and end up here."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.office_app.show_error(event.worker.error)


class OfficeScreen(OfficeMixin, Screen[Any]):
    """A full screen of the office app."""

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.office_app.lang)


class OfficeModal(OfficeMixin, ModalScreen[Any]):
    """A dialog over an office screen."""

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.office_app.lang)
