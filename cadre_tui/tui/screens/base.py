"""What every screen of both apps shares (the language, the one handler for failed workers, key descriptions
in the app's language), and what the cadre app's screens add (its store, the selected household). The
office app's screens add theirs in `tui/office/base.py`.

`BINDINGS` are class attributes written once; their descriptions are catalogue keys (`key.save`). A
screen's `active_bindings` (the public list Textual's footer, and our help screen and command palette,
read) gives them in the app's language, so every place that shows a key shows it translated.

The footer must fit 80 columns (docs/app.md, "Notes for developers"): `active_bindings` puts `?` help
first, and leaves the app's screen keys (`go.*`, and `visit.new`) out of the footer of a screen that
does not set `FOOTER_APP_KEYS` (help and the palette still list them). A key whose description is too
long for the footer has a short one (`foot.…`) and the full one as its `tooltip` (`key.…`), which help
and the palette show (`full_description`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.binding import ActiveBinding, Binding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from cadre_tui.tui.i18n import text

if TYPE_CHECKING:
    from cadre_tui.tui.app import CadreApp
    from cadre_tui.tui.base_app import BaseApp


HELP_ID = "help"
"""The id of the `?` binding: first in every footer."""
APP_KEY_IDS = ("go.", "visit.new")
"""Ids (prefixes) of the app's screen keys: in the footer only where a screen sets `FOOTER_APP_KEYS`."""


def full_description(binding: Binding) -> str:
    """What help and the palette say a key does: its tooltip when the footer shows a shorter description."""
    return binding.tooltip or binding.description


def localised(
    bindings: dict[str, ActiveBinding], lang: str, app_keys: bool = True
) -> dict[str, ActiveBinding]:
    """The active bindings with catalogue keys (`key.…`, `foot.…`) in descriptions and tooltips put in
    `lang`, `?` help first; the app's screen keys left out of the footer unless `app_keys`."""

    def translated(value: str) -> str:
        return text(value, lang) if value.startswith(("key.", "foot.")) else value

    def footer_shows(binding: Binding) -> bool:
        if app_keys or binding.id is None:
            return binding.show
        return binding.show and not binding.id.startswith(APP_KEY_IDS)

    result = {
        key: ActiveBinding(
            active.node,
            replace(
                active.binding,
                description=translated(active.binding.description),
                tooltip=translated(active.binding.tooltip),
                show=footer_shows(active.binding),
            ),
            active.enabled,
            translated(active.tooltip),
        )
        for key, active in bindings.items()
    }
    first = {key: active for key, active in result.items() if active.binding.id == HELP_ID}
    return first | result


class BaseMixin:
    """Language, help texts and worker-failure handling for the screens and dialogs of both apps."""

    HELP_KEY: ClassVar[str] = ""
    """Catalogue key of the help text for this screen (`?`)."""
    NAME_KEY: ClassVar[str] = ""
    """Catalogue key of the screen's name (help title, palette)."""
    IS_FORM: ClassVar[bool] = False
    """A form must be saved or left before the screen keys (d, p, h, …) work."""
    FOOTER_APP_KEYS: ClassVar[bool] = False
    """The footer shows the app's screen keys (d p h m s v; w i e): on the first screen only."""

    @property
    def base_app(self) -> BaseApp:
        """The running app (either of the two), typed as what both share."""
        return cast("BaseApp", cast(Screen[Any], self).app)

    def t(self, key: str, **fields: Any) -> str:
        """A catalogue label in the app's language."""
        return self.base_app.t(key, **fields)

    def still_loading(self, group: str) -> bool:
        """A worker of `group` this screen started is still running (Textual resumes a new mode's screen
        twice: load once). `self.workers` is the whole app's: another screen's, such as the first
        dashboard's still loading when it is drawn again in the saved language, is not this one's."""
        return any(
            w.group == group and w.node is self and not w.is_finished for w in cast(Screen[Any], self).workers
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler of failed workers: they run with exit_on_error=False and end up here."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.base_app.show_error(event.worker.error)


class BaseScreen(BaseMixin, Screen[Any]):
    """A full screen of either app."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, described in the app's language."""
        return localised(super().active_bindings, self.base_app.lang, self.FOOTER_APP_KEYS)


class BaseModal(BaseMixin, ModalScreen[Any]):
    """A dialog or form over the current screen, in either app."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, described in the app's language."""
        return localised(super().active_bindings, self.base_app.lang, self.FOOTER_APP_KEYS)


class CadreMixin(BaseMixin):
    """What the cadre app's screens add: the app typed as `CadreApp` (its store), the selected household."""

    @property
    def cadre(self) -> CadreApp:
        """The running app, typed."""
        return cast("CadreApp", cast(Screen[Any], self).app)

    def selected_household_id(self) -> str | None:
        """The household the `v` key records a visit for; screens with a selection override this."""
        return None


class CadreScreen(CadreMixin, BaseScreen):
    """A full screen of the cadre app."""


class CadreModal(CadreMixin, BaseModal):
    """A dialog or form of the cadre app over the current screen."""
