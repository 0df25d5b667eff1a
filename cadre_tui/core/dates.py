"""Dates as cadres write them: YYYY-MM-DD, YYYY/M/D or YYYYMMDD; date-times of the command line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from cadre_tui.messages import Problem

_DASHED = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９－／", "0123456789-/")


def parse_date(text: str) -> date:
    """Parse one of the three date forms of SPEC §6; raise ValueError naming what is wrong."""
    if len(text) == 10 and text[4] == "-" == text[7] and text.isascii():
        # YYYY-MM-DD as written, the common case: read in C (ten ASCII characters with the dashes in
        # place are a date to fromisoformat exactly when they are digits making a real date).
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # the forms below say what is wrong
    raw = text.strip().translate(_FULLWIDTH)
    # Excel on a Chinese Windows may append a midnight time to a date cell.
    raw = re.sub(r"\s+0?0:00(:00)?$", "", raw)
    for pattern in (_DASHED, _SLASHED, _COMPACT):
        m = pattern.match(raw)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise Problem("dates.not_real", value=text.strip()) from None
    raise Problem("dates.not_date", value=text.strip())


def parse_iso_date(text: str) -> date:
    """Strict YYYY-MM-DD, as the command line takes dates."""
    m = _DASHED.match(text.strip())
    if not m or len(text.strip()) != 10:
        raise Problem("dates.not_date", value=text.strip())
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise Problem("dates.not_real", value=text.strip()) from None


_LOCAL_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_datetime(text: str, tz: ZoneInfo) -> datetime:
    """A UTC-aware moment from `YYYY-MM-DD HH:MM` in `tz` or ISO 8601 with an offset; else ValueError."""
    raw = text.strip()
    m = _LOCAL_TIME.match(raw)
    if m:
        try:
            local = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0))
        except ValueError:
            raise Problem("dates.not_real_time", value=raw) from None
        return local.replace(tzinfo=tz).astimezone(UTC)
    try:
        moment = datetime.fromisoformat(raw.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise Problem("dates.not_time", value=raw) from None
    if moment.tzinfo is None or len(raw) < 16:
        raise Problem("dates.not_time_offset", value=raw)
    return moment.astimezone(UTC)
