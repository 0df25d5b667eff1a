"""Search keys for Chinese names: full pinyin and initials, every reading of a polyphonic character.

Computed once when a name is written, so that a search never calls pypinyin.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice, product

# A name of three polyphonic characters already gives 8 readings; beyond this cap the extra
# combinations are implausible readings that only slow the search.
_MAX_READINGS = 32


# A roster of 30,000 names uses a few thousand distinct characters: asking pypinyin once per
# character, not once per occurrence, keeps a whole-roster import within its time budget.
@lru_cache(maxsize=8192)
def _readings(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    if not ("\u3400" <= ch <= "\u9fff"):
        return (ch.lower(),)
    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    options = [r for r in (found[0] if found else []) if r]
    return tuple(dict.fromkeys(options)) or (ch,)


def search_keys(name: str) -> str:
    """Space-separated lower-case keys: every full-pinyin reading, then every initials reading."""
    chars = [c for c in name.strip() if not c.isspace()]
    if not chars:
        return ""
    per_char = [_readings(c) for c in chars]
    full = ["".join(p) for p in islice(product(*per_char), _MAX_READINGS)]
    initials = ["".join(s[0] for s in p) for p in islice(product(*per_char), _MAX_READINGS)]
    return " ".join(dict.fromkeys(full + initials))
