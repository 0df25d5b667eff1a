"""What every screen of the app shares: the language, the store, the one handler for failed workers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from cadre_tui.tui.bindings import localise_bindings

if TYPE_CHECKING:
    from cadre_tui.tui.app import CadreApp


class CadreMixin:
    """Language, store access and worker-failure handling for screens and dialogs."""

    HELP_KEY: ClassVar[str] = ""
    """Catalogue key of the help text for this screen (`?`)."""
    NAME_KEY: ClassVar[str] = ""
    """Catalogue key of the screen's name (help title, palette)."""
    IS_FORM: ClassVar[bool] = False
    """A form must be saved or left before the screen keys (d, p, h, …) work."""

    @property
    def cadre(self) -> CadreApp:
        """The running app, typed."""
        return cast("CadreApp", cast(Screen[Any], self).app)

    def t(self, key: str, **fields: Any) -> str:
        """A catalogue label in the app's language."""
        return self.cadre.t(key, **fields)

    def still_loading(self, group: str) -> bool:
        """A worker of `group` is still running (Textual resumes a new mode's screen twice: load once)."""
        return any(w.group == group and not w.is_finished for w in cast(Screen[Any], self).workers)

    def selected_household_id(self) -> str | None:
        """The household the `v` key records a visit for; screens with a selection override this."""
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler of failed workers: they run with exit_on_error=False and end up here."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.cadre.show_error(event.worker.error)


class CadreScreen(CadreMixin, Screen[Any]):
    """A full screen of the app."""

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.cadre.lang)


class CadreModal(CadreMixin, ModalScreen[Any]):
    """A dialog or form over the current screen."""

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.cadre.lang)
