"""Search keys for Chinese names: full pinyin and initials, every reading of a polyphonic character.

Computed once when a name is written, so that a search never calls pypinyin.
"""

from __future__ import annotations

import os
from functools import lru_cache
from itertools import islice, product
from typing import Any

# A name of three polyphonic characters already gives 8 readings; beyond this cap the extra
# combinations are implausible readings that only slow the search.
_MAX_READINGS = 32


@lru_cache(maxsize=1)
def _pypinyin() -> tuple[Any, Any]:
    """pypinyin's `pinyin` and `Style.NORMAL`, without its phrase dictionary.

    Names are read one character at a time, which the single-character dictionary alone answers (the
    readings of every character U+3400-U+9FFF are the same with and without phrases: docs/performance.md).
    The phrase dictionary and pypinyin's private copies of both dictionaries cost 0.3 s and ~45 MB at
    first use; these two switches (read once, when pypinyin is first imported) leave them out.
    """
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, pinyin

    return pinyin, Style.NORMAL


def load_readings() -> None:
    """Load pypinyin's dictionary now (~40 ms), while the caller would otherwise wait (a roster import
    waiting for an encrypted database's key)."""
    _pypinyin()


# A roster of 30,000 names uses a few thousand distinct characters: pypinyin is asked once per
# character, not once per occurrence. Per character: its readings, their first letters (one per
# reading, repeats kept), and the reading when there is only one, else None.
_READINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None]] = {}


def _readings(ch: str) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    found = _READINGS.get(ch)
    if found is not None:
        return found
    if not ("\u3400" <= ch <= "\u9fff"):
        readings: tuple[str, ...] = (ch.lower(),)
    else:
        pinyin, normal = _pypinyin()
        answer = pinyin(ch, style=normal, heteronym=True, errors="ignore")
        options = [r for r in (answer[0] if answer else []) if r]
        readings = tuple(dict.fromkeys(options)) or (ch,)
    found = _READINGS[ch] = (
        readings,
        tuple(r[0] for r in readings),
        readings[0] if len(readings) == 1 else None,
    )
    return found


def search_keys(name: str) -> str:
    """Space-separated lower-case keys: every full-pinyin reading, then every initials reading."""
    per_char = [_READINGS.get(c) or _readings(c) for c in name if not c.isspace()]
    if not per_char:
        return ""
    single = [r[2] for r in per_char]
    if None not in single:
        # Most names: one reading per character, one full key and one of initials.
        one = "".join(single)  # type: ignore[arg-type]
        first_letters = "".join([r[1][0] for r in per_char])
        return one if one == first_letters else f"{one} {first_letters}"
    full = ["".join(p) for p in islice(product(*[r[0] for r in per_char]), _MAX_READINGS)]
    initials = ["".join(p) for p in islice(product(*[r[1] for r in per_char]), _MAX_READINGS)]
    return " ".join(dict.fromkeys(full + initials))
