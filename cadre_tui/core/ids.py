"""Resident ID numbers (GB 11643) and phone numbers: validation, normalisation, masking."""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from typing import NamedTuple

from cadre_tui.core.values import excel_scientific
from cadre_tui.messages import Problem, Text

# The weight of the i-th of 17 digits (from 1) is 2^(18 - i) mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_LEGACY = re.compile(r"^[0-9]{15}$")
_MODERN = re.compile(r"^[0-9]{17}[0-9X]$")


class IdNumber(NamedTuple):
    """A validated ID number, the birth date it encodes and a warning (legacy 15-digit numbers). (A
    NamedTuple: a roster makes 30,000, and a frozen dataclass's __init__ costs three times as much.)"""

    value: str
    birth_date: date
    gender: str | None  # "M" or "F"
    warning: str | None = None


# IdNumber(...) without NamedTuple's __new__ written in Python; date.fromisoformat reads YYYYMMDD.
_id_number = partial(tuple.__new__, IdNumber)
_fromisoformat = date.fromisoformat


def check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        # A roster checks 30,000 of these, so the sum is made in C: the digits read in base 13 are
        # sum(d_i * 13^(17 - i)), and 13 = 2 (mod 11), so twice that is the weighted sum mod 11.
        return _CHECK[2 * int(first17, 13) % 11]
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def parse_id_number(raw: str) -> IdNumber:
    """Validate and normalise an ID number; raise ValueError with the problem in plain words."""
    if len(raw) == 18 and raw.isascii() and raw[:17].isdigit():
        # As nearly every roster cell is written: 18 ASCII characters, nothing to normalise but an `x`.
        # `_modern` written out (a roster checks 30,000 of these): the birth date, the check character
        # (check_digit, the digits known to be 0-9), the gender from the 17th digit.
        last = raw[17]
        if last == "x":
            last = "X"
            raw = raw[:17] + last
        if last in "0123456789X":
            try:
                born = _fromisoformat(raw[6:14])
            except ValueError:
                raise Problem("ids.birth", date=raw[6:14]) from None
            if _CHECK[2 * int(raw[:17], 13) % 11] != last:
                raise Problem("ids.checksum")
            return _id_number((raw, born, "M" if raw[16] in "13579" else "F", None))
    # Copied cells often carry full-width or no-break spaces inside the number.
    text = re.sub(r"\s", "", raw.translate(_FULLWIDTH))
    if _excel_mangled(text):
        raise Problem("import.excel_mangled", value=raw.strip())
    text = text.upper()
    # str.isdigit() also takes superscripts and other scripts' digits: only 0-9 make an ID number.
    if _LEGACY.match(text):
        born = _birth(f"19{text[6:12]}")
        gender = "M" if int(text[14]) % 2 else "F"
        return IdNumber(text, born, gender, Text("ids.legacy"))
    if len(text) != 18:
        raise Problem("ids.length", count=len(text))
    if not _MODERN.match(text):
        raise Problem("ids.digits")
    return _modern(text)


def _modern(text: str) -> IdNumber:
    """An 18-character number of 17 ASCII digits and a check character, checked."""
    born = _birth(text[6:14])
    if _CHECK[2 * int(text[:17], 13) % 11] != text[17]:  # check_digit, the digits known to be 0-9
        raise Problem("ids.checksum")
    gender = "M" if int(text[16]) % 2 else "F"
    return IdNumber(text, born, gender)


def _excel_mangled(text: str) -> bool:
    # An ID number or phone never has a decimal point either: Excel wrote it as a number.
    return excel_scientific(text) or bool(_DECIMAL.match(text))


def _birth(yyyymmdd: str) -> date:
    """The date of eight ASCII digits (fromisoformat reads YYYYMMDD since Python 3.11)."""
    try:
        return date.fromisoformat(yyyymmdd)
    except ValueError:
        raise Problem("ids.birth", date=yyyymmdd) from None


def mask_id_number(value: str | None) -> str:
    """First 6 and last 4 characters shown, the rest as `*` (`110105********1234`)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """First 3 and last 4 digits shown (`138****5678`)."""
    if not value:
        return ""
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * max(0, len(digits) - 4) + digits[-4:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def normalise_phone(raw: str) -> str:
    """Full-width digits to ASCII, spaces and dashes dropped; raise ValueError when not a phone number."""
    if 5 <= len(raw) <= 13 and raw.isascii() and raw.isdigit():
        return raw  # already as stored
    text = raw.strip().translate(_FULLWIDTH)
    if _excel_mangled(text):
        raise Problem("import.excel_mangled", value=raw.strip())
    compact = re.sub(r"[\s\-()（）]", "", text)
    if compact.startswith("+86"):
        compact = compact[3:]
    if not compact.isdigit() or not 5 <= len(compact) <= 13:
        raise Problem("ids.phone", value=raw.strip())
    return compact
