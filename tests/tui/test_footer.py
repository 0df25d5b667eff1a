"""Every screen's footer fits: each key it shows is drawn whole, left of `^p 命令`, at 80×24 and 100×30,
in Chinese and in English, and `? 帮助` is always among them (docs/app.md, "Notes for developers")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey

from cadre_tui.io.office_import import import_each
from cadre_tui.store.office import OfficeDb
from cadre_tui.tui.office.app import OfficeApp
from tests.tui.community import TODAY
from tests.tui.conftest import AppFactory, press, running, settle
from tests.tui.office_logs import make_office_logs

SIZES = [(80, 24), (100, 30)]
LANGS = ["zh", "en"]

# How a cadre reaches each screen from the dashboard
CADRE_SCREENS: dict[str, tuple[str, ...]] = {
    "dashboard": (),
    "plan": ("p",),
    "households": ("h", *"H0001", "escape"),
    "matters": ("m",),
    "sync": ("s",),
    "settings": ("o",),
    "visit": ("h", *"H0001", "escape", "enter"),
    "round": ("p", "down", "r"),
}
OFFICE_SCREENS: dict[str, tuple[str, ...]] = {"week": (), "import": ("i",), "export": ("e",)}


def footer_keys(pilot: Pilot[Any]) -> tuple[list[str], list[str]]:
    """(keys drawn whole, keys cut off) of the current screen's footer, as `key description`."""
    footer = pilot.app.screen.query_one(Footer)
    palette = footer.query_one(".-command-palette", FooterKey)
    whole: list[str] = []
    cut: list[str] = []
    for key in footer.query(FooterKey):
        if key is palette:
            continue
        label = f"{key.key_display} {key.description}".strip()
        fits = key.region.width > 0 and key.region.right <= palette.region.x
        (whole if fits else cut).append(label)
    return whole, cut


def check(pilot: Pilot[Any], lang: str, where: str) -> None:
    """In Chinese every key the footer shows is whole; in both languages `?` help is (first) among them,
    except while a text box has the cursor (`?` is typed there; ctrl+p still lists every key)."""
    whole, cut = footer_keys(pilot)
    if lang == "zh":
        assert not cut, f"{where}: footer keys cut: {cut} (shown whole: {whole})"
    if not isinstance(pilot.app.focused, Input):
        assert whole and whole[0].startswith("? "), f"{where}: ? help is not first in the footer: {whole}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", list(CADRE_SCREENS))
async def test_cadre_footer_fits(make_app: AppFactory, screen: str, lang: str, size: tuple[int, int]) -> None:
    async with running(make_app(lang), size) as pilot:
        await press(pilot, *CADRE_SCREENS[screen])
        check(pilot, lang, f"{screen} {lang} {size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", list(OFFICE_SCREENS))
async def test_office_footer_fits(tmp_path: Path, screen: str, lang: str, size: tuple[int, int]) -> None:
    office = OfficeDb.open(tmp_path / "office.db")
    import_each(office, [make_office_logs(tmp_path / "logs")])
    office.close()
    app = OfficeApp(tmp_path / "office.db", lang, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*OFFICE_SCREENS[screen])
        await settle(pilot)
        check(pilot, lang, f"office {screen} {lang} {size[0]}x{size[1]}")


async def test_help_gives_the_full_text_of_every_key(make_app: AppFactory) -> None:
    from textual.widgets import Static

    from cadre_tui.tui.widgets.dialogs import HelpScreen

    async with running(make_app(), (80, 24)) as pilot:
        await press(pilot, "p")
        whole, _ = footer_keys(pilot)
        assert whole == ["? 帮助", "g 生成", "[ 前移", "] 后移", "a 添加", "x 移除", "r 录入", "w 清单"]
        await press(pilot, "question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        body = str(pilot.app.screen.query_one("#help-body Static", Static).render())
        # the footer's short labels are the full ones here, and the keys the footer leaves out are here
        for line in (
            "g            生成计划",
            "[            移到前一天",
            "b            上一周",
            "t            换小组",
        ):
            assert line in body
        assert "d 总览 · p 计划 · h 住户" in body
