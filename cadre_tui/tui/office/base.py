"""What the office app's screens add to the shared base (`tui/screens/base.py`): the app typed as
`OfficeApp`, for its office database (`office_app.office()`) and the week on screen (`office_app.week`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from cadre_tui.tui.screens.base import BaseMixin, BaseModal, BaseScreen

if TYPE_CHECKING:
    from cadre_tui.tui.office.app import OfficeApp


class OfficeMixin(BaseMixin):
    """The office app, typed."""

    @property
    def office_app(self) -> OfficeApp:
        """The running app, typed."""
        return cast("OfficeApp", cast(Screen[Any], self).app)


class OfficeScreen(OfficeMixin, BaseScreen):
    """A full screen of the office app."""


class OfficeModal(OfficeMixin, BaseModal):
    """A dialog over an office screen."""
