"""How the paper reads a value (§4 conventions 3, 4, 30 and 31).

``equal_text`` is convention 3 ("Equal"), ``header_key`` is convention 30 (header and sheet
names), ``to_number`` is convention 4 (numbers typed as text) and ``to_date`` is convention 31.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from grader.locale import N_, say

_SPACES = re.compile(r"\s+")


def nfkc(value: object) -> str:
    """Text of a value after Unicode NFKC, trimmed, inner spaces collapsed (case kept)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _nfkc_text(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=65536)
def _nfkc_text(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def equal_text(value: object) -> str:
    """The comparison form of convention 3: NFKC, trimmed, spaces collapsed, case folded."""
    return _equal_text(value) if isinstance(value, str) else nfkc(value).casefold()


@lru_cache(maxsize=65536)
def _equal_text(text: str) -> str:
    return _nfkc_text(text).casefold()


def texts_equal(a: object, b: object, *, case: bool = False) -> bool:
    """True when two values are equal under convention 3 (``case=True`` keeps letter case)."""
    if case:
        return nfkc(a) == nfkc(b)
    return equal_text(a) == equal_text(b)


_JOINERS = re.compile(r"[\s_\-]+")


def header_key(value: object) -> str:
    """Convention 30: case, spaces, full-width forms, underscores and hyphens ignored."""
    return _header_key(value) if isinstance(value, str) else _JOINERS.sub("", equal_text(value))


@lru_cache(maxsize=65536)
def _header_key(text: str) -> str:
    return _JOINERS.sub("", _equal_text(text))


_CURRENCY = re.compile(r"^(?:\$|¥|￥|usd|cny|rmb|元)\s*|\s*(?:\$|¥|￥|usd|cny|rmb|元)$", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")


def to_number(value: object, unit: str | None = None) -> Decimal | None:
    """Read a cell as an exact decimal, or None when it is not unambiguously a number.

    >>> to_number("12.99"), to_number("１２"), to_number("0.35kg", unit="kg"), to_number("$1,299")
    (Decimal('12.99'), Decimal('12'), Decimal('0.35'), Decimal('1299'))
    >>> to_number("12,99"), to_number("350g", unit="kg"), to_number("about 12")
    (None, None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        # repr gives the shortest text that round-trips: 12.99, not 12.9900000000000002131628
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        return None
    text = nfkc(value)
    text = _CURRENCY.sub("", text, count=1).strip()
    if unit:
        lowered = text.casefold()
        if lowered.endswith(unit.casefold()):
            text = text[: len(text) - len(unit)].strip()
    if not _PLAIN_NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def to_whole(value: object) -> int | None:
    """A whole number (12, "12", 12.0) or None."""
    number = to_number(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$")


def to_date(value: object, *, is_date_cell: bool = False) -> dt.date | None:
    """Convention 31: a date cell, a serial 20000–80000 in a number cell, or ISO text; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:
            return (EXCEL_EPOCH + dt.timedelta(days=float(value))).date()
        return None
    if isinstance(value, str):
        match = _ISO_DATE.match(nfkc(value))
        if not match:
            return None
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


def excel_general(number: float) -> str:
    """A number cell's value as Excel's General format shows it, so that a 19-digit account number
    typed into a number cell reads as the candidate saw it, not as the float's exact value.

    General shows a number in at most 11 characters, the minus sign aside: fixed while it fits
    (digits, point and decimals, rounded half up, trailing zeros dropped) and its magnitude is from
    1E-05 up to 11 digits; else scientific with the mantissa rounded to 5 decimals, trailing zeros
    dropped, and an exponent of at least two digits.

    >>> excel_general(6222021001123460096.0), excel_general(12345678901), excel_general(0.1 + 0.2)
    ('6.22202E+18', '12345678901', '0.3')
    >>> excel_general(123456789012.0), excel_general(0.00001), excel_general(-2.5), excel_general(1e-4)
    ('1.23457E+11', '1E-05', '-2.5', '0.0001')
    >>> excel_general(1.23456789012), excel_general(12345.6789012), excel_general(99999999999.5)
    ('1.23456789', '12345.6789', '1E+11')
    """
    if isinstance(number, float) and not math.isfinite(number):
        return str(number)
    exact = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    if exact == 0:
        return "0"
    sign, exact = ("-" if exact < 0 else ""), abs(exact)
    magnitude = exact.adjusted()
    if -5 < magnitude < 11:
        decimals = max(0, 9 - max(magnitude, 0))  # 11 characters: the integer digits, the point, the rest
        fixed = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if fixed.adjusted() < 11:
            text = format(fixed, "f")
            return sign + (text.rstrip("0").rstrip(".") if "." in text else text)
    mantissa = exact.scaleb(-magnitude).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
    if mantissa >= 10:  # 9.999995E+n rounds up to 1E+(n+1)
        mantissa, magnitude = (mantissa / 10).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP), magnitude + 1
    digits = format(mantissa, "f").rstrip("0").rstrip(".")
    return f"{sign}{digits}E{'+' if magnitude >= 0 else '-'}{abs(magnitude):02d}"


def shown(value: object) -> str:
    """How a value is quoted in evidence: a number cell's value as Excel's General format shows it
    (readers give a number cell as an int or a float, a text cell as text, quoted as typed)."""
    if value is None:
        return "(empty)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return excel_general(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def shown_zh(value: object) -> str:
    """``shown`` for a Chinese message: an empty cell is 空白, not the English ``(empty)``."""
    return say(N_("an empty cell")).zh if value is None or value == "" else shown(value)


def shown_date(value: object, *, is_date_cell: bool = False) -> str:
    """A date as the candidate typed or saw it: a number read as a date serial (convention 31)
    keeps its number beside the date; a date cell is its date; anything else is quoted as typed.

    >>> shown_date(46351), shown_date(46351.5), shown_date("25/11/2026"), shown_date(19999)
    ('46351 (= 2026-11-25)', '46351.5 (= 2026-11-25)', '25/11/2026', '19999')
    """
    day = to_date(value, is_date_cell=is_date_cell)
    if day is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{shown(value)} (= {day.isoformat()})"
    return shown(value)
