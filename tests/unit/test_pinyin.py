"""core/names.py reads pypinyin's dictionary without importing pypinyin (issue 12): its readings are
pypinyin's own, character for character."""

from __future__ import annotations

import subprocess
import sys

from cadre_tui.core.names import _dictionary, pinyin_readings, search_keys


def test_every_character_reads_as_pypinyin_reads_it() -> None:
    from pypinyin import Style, pinyin

    known = [chr(int(k)) for k in _dictionary()]
    assert len(known) > 40_000
    for ch in [*known, "a", "〇", "\ue815", "\U0002a6d6"]:
        answer = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
        assert pinyin_readings(ch) == [r for r in (answer[0] if answer else []) if r], ch


def test_tone_marks_u_and_the_syllabic_consonants() -> None:
    assert pinyin_readings("绿") == ["lv", "lu"]
    assert pinyin_readings("嗯") == ["n", "ng"]
    assert pinyin_readings("呣") == ["m", "mou"]
    assert pinyin_readings("欸") == ["ai", "ê", "xie", "ei"]


def test_search_keys_need_no_pypinyin_import() -> None:
    code = (
        "import sys; from cadre_tui.core.names import search_keys;"
        "assert search_keys('吕女士') == 'lvnvshi lvrushi lns lrs', search_keys('吕女士');"
        "sys.exit(1 if 'pypinyin' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert search_keys("曾国强").startswith("cengguoqiang")
