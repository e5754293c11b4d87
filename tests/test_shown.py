"""Evidence quotes a number cell as Excel's General format shows it: 11 characters, then
scientific with 5 decimals; text as typed; dates as dates."""
from __future__ import annotations

import datetime as dt

import pytest

from grader.values import excel_general, shown, shown_date, shown_zh


@pytest.mark.parametrize("number, text", [
    (12.9, "12.9"),
    (0.1 + 0.2, "0.3"),
    (46351, "46351"),
    (-2.5, "-2.5"),
    (0, "0"),
    (0.0, "0"),
    # the widest integer that fits, and the first that does not
    (99999999999, "99999999999"),
    (12345678901.0, "12345678901"),
    (100000000000, "1E+11"),
    (123456789012.0, "1.23457E+11"),
    (99999999999.5, "1E+11"),  # rounds to 12 digits: scientific
    (-12345678901, "-12345678901"),  # the minus sign is not one of the 11
    # decimals: the integer digits, the point and the rest make 11 characters
    (1.23456789012, "1.23456789"),
    (12345.6789012, "12345.6789"),
    (1234567890.5, "1234567891"),
    (0.1234567891234, "0.123456789"),
    (2.0000000004, "2"),
    # small numbers: fixed down to 1E-04, scientific below
    (0.0001, "0.0001"),
    (0.000123456789, "0.000123457"),
    (0.00001, "1E-05"),
    (0.0000123456789, "1.23457E-05"),
    # scientific: 5 decimals rounded half up, trailing zeros dropped, two exponent digits at least
    (6222021001123460096.0, "6.22202E+18"),
    (6222021001123460096, "6.22202E+18"),  # an integer number cell, as some readers give it
    (1.10108198503152347e17, "1.10108E+17"),
    (1.234565e20, "1.23457E+20"),
    (9.999995e20, "1E+21"),
    (-6.5e12, "-6.5E+12"),
    (1e100, "1E+100"),
])
def test_excel_general(number, text):
    assert excel_general(number) == text


@pytest.mark.parametrize("value, text", [
    (None, "(empty)"),
    (6222021001123460096.0, "6.22202E+18"),
    (6222021001123460096, "6.22202E+18"),
    ("6222021001123460096", "6222021001123460096"),  # a text cell: as typed
    ("12.90", "12.90"),
    (True, "True"),
    (dt.datetime(2026, 11, 25), "2026-11-25"),
    (dt.datetime(2026, 11, 25, 9, 30), "2026-11-25T09:30:00"),
    (dt.date(2026, 11, 25), "2026-11-25"),
])
def test_shown(value, text):
    assert shown(value) == text


def test_an_empty_cell_is_said_in_chinese_in_a_chinese_message():
    assert (shown_zh(None), shown_zh(""), shown_zh(6222021001123460096.0), shown_zh("不通过")) == (
        "空白", "空白", "6.22202E+18", "不通过")


@pytest.mark.parametrize("value, is_date_cell, text", [
    (46351, False, "46351 (= 2026-11-25)"),
    (46351.75, False, "46351.75 (= 2026-11-25)"),
    (dt.datetime(2026, 11, 25), True, "2026-11-25"),
    ("2026-11-25", False, "2026-11-25"),
    ("25/11/2026", False, "25/11/2026"),  # text that is no date: as typed
    (19999, False, "19999"),  # below convention 31's serials: a number
    (80001, False, "80001"),
    (None, False, "(empty)"),
])
def test_shown_date(value, is_date_cell, text):
    assert shown_date(value, is_date_cell=is_date_cell) == text
