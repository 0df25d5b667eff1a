"""Widths on screen are terminal cells: a Chinese character takes two."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.cells import cell_len

from cadre_tui.tui.format import bars, fit, local_time, pad, percent


def test_fit_counts_cells_not_characters() -> None:
    assert fit("曾国强", 6) == "曾国强"
    assert cell_len(fit("曾国强", 6)) == 6
    # 5 cells: two characters (4 cells) and the ellipsis (1 cell)
    assert fit("曾国强", 5) == "曾国…"
    assert cell_len(fit("幸福小区1栋2单元202", 10)) == 10
    assert fit("幸福小区1栋2单元202", 10) == "幸福小区1…"


def test_fit_never_splits_a_wide_character() -> None:
    # 4 cells: one character (2) + ellipsis (1) = 3; a second character would need 5
    assert fit("单田芳", 4) == "单…"
    assert cell_len(fit("单田芳", 4)) == 3


def test_fit_ascii_and_edges() -> None:
    assert fit("H0001", 5) == "H0001"
    assert fit("H0001", 4) == "H00…"
    assert fit("abc", 0) == ""


def test_pad_gives_exact_width() -> None:
    assert pad("王芳", 6) == "王芳  "
    assert cell_len(pad("单田芳张三", 7)) == 7
    # 6 cells of characters and the 1-cell ellipsis fill the 7 exactly
    assert pad("单田芳张三", 7) == "单田芳…"
    assert pad("单田芳张三", 8) == "单田芳… "


def test_local_time_and_percent() -> None:
    assert local_time("2026-11-23T02:00:00.000Z", ZoneInfo("Asia/Shanghai")) == "2026-11-23 10:00"
    assert local_time(None, ZoneInfo("Asia/Shanghai")) == ""
    assert percent(0.733) == "73.3%"


def test_bars_scale_to_seven_days() -> None:
    assert bars([0, 1, 3, 7, 9]) == "·▁▃██"
