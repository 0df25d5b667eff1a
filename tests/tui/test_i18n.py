"""The label catalogue: both languages have every key, with the same `{fields}`."""

from __future__ import annotations

import string

from cadre_tui.tui.i18n import EN, ZH, text


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_every_key() -> None:
    assert set(ZH) - set(EN) == set()
    assert set(EN) - set(ZH) == set()


def test_no_empty_label_and_same_fields() -> None:
    for key in ZH:
        assert ZH[key].strip() and EN[key].strip(), key
        assert _fields(ZH[key]) == _fields(EN[key]), key


def test_text_formats_and_falls_back() -> None:
    assert text("hh.count", "zh", count=3) == "3 户"
    assert text("hh.count", "en", count=3) == "3 households"
    assert text("key.save", "fr") == "保存"


def test_every_binding_description_is_a_catalogue_key() -> None:
    from cadre_tui.tui.app import CadreApp
    from cadre_tui.tui.screens.dashboard import DashboardScreen
    from cadre_tui.tui.screens.households import HouseholdsScreen
    from cadre_tui.tui.screens.matter_forms import AttendForm, MatterForm
    from cadre_tui.tui.screens.matters import MattersScreen
    from cadre_tui.tui.screens.plan import PlanScreen
    from cadre_tui.tui.screens.settings import SettingsScreen
    from cadre_tui.tui.screens.sync import SyncScreen
    from cadre_tui.tui.screens.visit import VisitFormScreen
    from cadre_tui.tui.widgets.dialogs import ChoiceDialog, ConfirmDialog, HelpScreen, MessageDialog
    from cadre_tui.tui.widgets.pick import HouseholdPicker

    owners = [
        CadreApp, DashboardScreen, HouseholdsScreen, MattersScreen, MatterForm, AttendForm, PlanScreen,
        SettingsScreen, SyncScreen, VisitFormScreen, ChoiceDialog, ConfirmDialog, HelpScreen, MessageDialog,
        HouseholdPicker,
    ]  # fmt: skip
    for owner in owners:
        for binding in owner.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id, (owner.__name__, binding.key)
            if binding.description:
                assert binding.description in ZH, (owner.__name__, binding.description)
