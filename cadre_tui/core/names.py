"""Search keys for Chinese names: full pinyin and initials, every reading of a polyphonic character.

Computed once when a name is written, so that a search never calls pypinyin.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from itertools import islice, product
from pathlib import Path

# A name of three polyphonic characters already gives 8 readings; beyond this cap the extra
# combinations are implausible readings that only slow the search.
_MAX_READINGS = 32

# pypinyin's Style.NORMAL of a reading with tone marks: the marked vowels and consonants bare, ü as v,
# the combining marks of m̄, m̀, ê̄ and ê̌ dropped (pypinyin.phonetic_symbol, then its digits removed).
_TONELESS = str.maketrans(
    {
        **dict.fromkeys("āáǎà", "a"),
        **dict.fromkeys("ēéěè", "e"),
        **dict.fromkeys("ōóǒò", "o"),
        **dict.fromkeys("īíǐì", "i"),
        **dict.fromkeys("ūúǔù", "u"),
        **dict.fromkeys("üǖǘǚǜ", "v"),
        **dict.fromkeys("ńňǹ", "n"),
        "ḿ": "m",
        **dict.fromkeys("ếề", "ê"),
        **dict.fromkeys("\u0300\u0301\u0304\u030c"),
    }
)


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    """pypinyin's single-character dictionary: a code point in decimal -> its readings, comma-separated,
    with tone marks (pypinyin_dict.json, the file `pypinyin.pinyin_dict` loads).

    Names are read one character at a time, which this dictionary alone answers (the readings of every
    character U+3400-U+9FFF are the same with and without the phrase dictionary: docs/performance.md).
    It is read here without importing pypinyin (issue 12): its import took ~35 ms of CPU at the first
    name (the styles the app never uses compile their regular expressions, the dictionary's 42,000 keys
    made numbers) against ~10 ms for the file. tests/unit/test_pinyin.py holds every reading equal to
    `pypinyin.pinyin(ch, style=Style.NORMAL, heteronym=True)`.
    """
    spec = importlib.util.find_spec("pypinyin")  # finds the package without running it
    assert spec is not None and spec.submodule_search_locations is not None
    folder = Path(next(iter(spec.submodule_search_locations)))
    loaded: dict[str, str] = json.loads((folder / "pinyin_dict.json").read_bytes())
    return loaded


def load_readings() -> None:
    """Load the pinyin dictionary now (~10 ms), while the caller would otherwise wait (a roster import
    waiting for an encrypted database's key)."""
    _dictionary()


def pinyin_readings(ch: str) -> list[str]:
    """The readings of the character `ch` as pypinyin's Style.NORMAL gives them, heteronyms included,
    each once (none for a character it does not know)."""
    found = _dictionary().get(str(ord(ch)))
    return list(dict.fromkeys(r.translate(_TONELESS) for r in found.split(","))) if found else []


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
        options = [r for r in pinyin_readings(ch) if r]
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
