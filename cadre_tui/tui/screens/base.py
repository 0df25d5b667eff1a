"""What every screen of the app shares: the language, the store, the one handler for failed workers, and
key descriptions in the app's language.

`BINDINGS` are class attributes written once; their descriptions are catalogue keys (`key.save`). A
screen's `active_bindings` (the public list Textual's footer, and our help screen and command palette,
read) gives them in the app's language, so every place that shows a key shows it translated.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from cadre_tui.tui.i18n import text

if TYPE_CHECKING:
    from cadre_tui.tui.app import CadreApp


def localised(bindings: dict[str, ActiveBinding], lang: str) -> dict[str, ActiveBinding]:
    """The active bindings with catalogue keys (`key.…`) in descriptions and tooltips put in `lang`."""

    def translated(value: str) -> str:
        return text(value, lang) if value.startswith("key.") else value

    return {
        key: ActiveBinding(
            active.node,
            replace(
                active.binding,
                description=translated(active.binding.description),
                tooltip=translated(active.binding.tooltip),
            ),
            active.enabled,
            translated(active.tooltip),
        )
        for key, active in bindings.items()
    }


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

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, described in the app's language."""
        return localised(super().active_bindings, self.cadre.lang)


class CadreModal(CadreMixin, ModalScreen[Any]):
    """A dialog or form over the current screen."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, described in the app's language."""
        return localised(super().active_bindings, self.cadre.lang)
