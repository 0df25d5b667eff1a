"""Dates as cadres write them: YYYY-MM-DD, YYYY/M/D or YYYYMMDD."""

from __future__ import annotations

import re
from datetime import date

_DASHED = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９－／", "0123456789-/")


def parse_date(text: str) -> date:
    """Parse one of the three date forms of SPEC §6; raise ValueError naming what is wrong."""
    raw = text.strip().translate(_FULLWIDTH)
    # Excel on a Chinese Windows may append a midnight time to a date cell.
    raw = re.sub(r"\s+0?0:00(:00)?$", "", raw)
    for pattern in (_DASHED, _SLASHED, _COMPACT):
        m = pattern.match(raw)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise ValueError(f"not a real date: {text.strip()}") from None
    raise ValueError(f"not a date (use YYYY-MM-DD): {text.strip()}")


def parse_iso_date(text: str) -> date:
    """Strict YYYY-MM-DD, as the command line takes dates."""
    m = _DASHED.match(text.strip())
    if not m or len(text.strip()) != 10:
        raise ValueError(f"not a date (use YYYY-MM-DD): {text.strip()}")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"not a real date: {text.strip()}") from None
