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


# A roster of 30,000 names uses a few thousand distinct characters: asking pypinyin once per
# character, not once per occurrence, keeps a whole-roster import within its time budget.
@lru_cache(maxsize=8192)
def _readings(ch: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A character's readings, and their first letters (one per reading, repeats kept)."""
    if not ("\u3400" <= ch <= "\u9fff"):
        return (ch.lower(),), (ch.lower()[0],)
    pinyin, normal = _pypinyin()
    found = pinyin(ch, style=normal, heteronym=True, errors="ignore")
    options = [r for r in (found[0] if found else []) if r]
    readings = tuple(dict.fromkeys(options)) or (ch,)
    return readings, tuple(r[0] for r in readings)


def search_keys(name: str) -> str:
    """Space-separated lower-case keys: every full-pinyin reading, then every initials reading."""
    chars = [c for c in name.strip() if not c.isspace()]
    if not chars:
        return ""
    per_char = [_readings(c) for c in chars]
    if all(len(r[0]) == 1 for r in per_char):
        # Most names: one reading per character, one full key and one of initials.
        one = "".join([r[0][0] for r in per_char])
        first_letters = "".join([r[1][0] for r in per_char])
        return one if one == first_letters else f"{one} {first_letters}"
    full = ["".join(p) for p in islice(product(*[r[0] for r in per_char]), _MAX_READINGS)]
    initials = ["".join(p) for p in islice(product(*[r[1] for r in per_char]), _MAX_READINGS)]
    return " ".join(dict.fromkeys(full + initials))
