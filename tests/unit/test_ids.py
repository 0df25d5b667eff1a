"""ID numbers, phones, dates and name search keys (core/ids.py, core/dates.py, core/names.py)."""

from __future__ import annotations

from datetime import date

import pytest

from cadre_tui.core.dates import parse_date, parse_iso_date
from cadre_tui.core.ids import (
    IdNumber,
    check_digit,
    mask_id_number,
    mask_phone,
    normalise_phone,
    parse_id_number,
)
from cadre_tui.core.names import search_keys


def test_check_digit_of_the_standard_example() -> None:
    # GB 11643-1999's own example: 11010519491231002X. Weighted sum of the first 17 digits:
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167; 167 % 11 = 2 -> X.
    assert check_digit("11010519491231002") == "X"
    # 1*7+1*9+0+1*5+0+5*4+1*2+9*1+4*6+8*3+0*7+3*9+1*10+2*5+0+0+1*2 = 149; 149 % 11 = 6 -> 4.
    assert check_digit("11010519480312001") == "6"


def test_a_valid_number_gives_its_birth_date_and_gender() -> None:
    assert parse_id_number("11010519491231002X") == IdNumber("11010519491231002X", date(1949, 12, 31), "F")
    assert parse_id_number("110105194803120016") == IdNumber("110105194803120016", date(1948, 3, 12), "M")


def test_lower_case_x_full_width_digits_and_spaces_are_normalised() -> None:
    assert parse_id_number("11010519491231002x").value == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ").value == "11010519491231002X"
    assert parse_id_number(" 110105 19491231\u3000002X\u00a0").value == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (
            "1.10105E+17",
            "number mangled by Excel (1.10105E+17): format the column as text and save the file again",
        ),
        (
            "1.10105e+17",
            "number mangled by Excel (1.10105e+17): format the column as text and save the file again",
        ),
        ("110105194912310020", "checksum does not match"),
        ("110105194902300025", "birth date 19490230 in the number is not a real date"),
        ("1101051949123100", "must have 18 characters, has 16"),
        ("11010519491231002Y", "must be 17 digits and a digit or X"),
        # Superscript two passes str.isdigit(); it is no digit of an ID number.
        ("11010519491231002\u00b2", "must be 17 digits and a digit or X"),
        ("", "must have 18 characters, has 0"),
    ],
)
def test_bad_numbers_say_what_is_wrong(raw: str, problem: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_id_number(raw)
    assert str(error.value) == problem


def test_legacy_15_digit_number_is_accepted_with_a_warning() -> None:
    assert parse_id_number("110105491231002") == IdNumber(
        "110105491231002",
        date(1949, 12, 31),
        "F",
        "legacy 15-digit ID number; ask for the 18-digit one",
    )
    with pytest.raises(ValueError, match="birth date 19490231"):
        parse_id_number("110105490231002")


def test_masks() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number(None) == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def test_phones_are_normalised() -> None:
    assert normalise_phone("138 1234 5678") == "13812345678"
    assert normalise_phone("+86 138-1234-5678") == "13812345678"
    assert normalise_phone("（010）6512 3456") == "01065123456"
    assert normalise_phone("１３８１２３４５６７８") == "13812345678"
    with pytest.raises(ValueError, match=r"number mangled by Excel \(1.38123E\+10\)"):
        normalise_phone("1.38123E+10")
    with pytest.raises(ValueError, match="not a phone number: 12ab"):
        normalise_phone("12ab")


def test_dates_in_the_three_forms() -> None:
    assert parse_date("2026-11-24") == date(2026, 11, 24)
    assert parse_date("2026/1/5") == date(2026, 1, 5)
    assert parse_date("20260105") == date(2026, 1, 5)
    assert parse_date("２０２６－０１－０５") == date(2026, 1, 5)
    assert parse_date("2026/1/5 0:00") == date(2026, 1, 5)
    assert parse_date("2026-01-05 00:00:00") == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("2026-02-30", "not a real date: 2026-02-30"),
        ("20261301", "not a real date: 20261301"),
        ("2026.1.5", "not a date (use YYYY-MM-DD): 2026.1.5"),
        ("5/1/2026", "not a date (use YYYY-MM-DD): 5/1/2026"),
        ("", "not a date (use YYYY-MM-DD): "),
    ],
)
def test_bad_dates(raw: str, problem: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_date(raw)
    assert str(error.value) == problem


def test_iso_dates_only_for_the_command_line() -> None:
    assert parse_iso_date("2026-11-24") == date(2026, 11, 24)
    for raw in ("2026/11/24", "2026-1-24", "20261124"):
        with pytest.raises(ValueError, match="not a date"):
            parse_iso_date(raw)
    with pytest.raises(ValueError, match="not a real date: 2026-02-29"):
        parse_iso_date("2026-02-29")


def test_search_keys_cover_every_reading() -> None:
    # 曾 reads ceng or zeng, 强 qiang or jiang: all four, full then initials.
    assert search_keys("曾国强") == "cengguoqiang cengguojiang zengguoqiang zengguojiang cgq cgj zgq zgj"
    assert search_keys("单田芳") == "dantianfang chantianfang shantianfang dtf ctf stf"
    assert search_keys(" 林 芳 ") == "linfang lf"
    assert search_keys("王芳") == "wangfang yufang wf yf"
    assert search_keys("Anna李") == "annali annal"
    assert search_keys("") == ""
