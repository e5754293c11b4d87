"""S10 (UPU S10 item identifier, the tracking number of international postal items).

An S10 identifier is 13 characters: two service-indicator letters, an 8-digit serial
number, a check digit computed on the serial, and the ISO 3166-1 alpha-2 code of the
issuing postal operator's country. The check digit uses the weights 8 6 4 2 3 5 9 7 on
the serial: C = 11 − (sum mod 11), where 10 becomes 0 and 11 becomes 5. Any two letters
are accepted as the service indicator.

More information:

* UPU standard S10, *Identification of postal items — 13-character identifier*

>>> validate('RR 123 456 785 GB')
'RR123456785GB'
>>> calc_check_digit('47312482')
'9'
>>> validate('RR123456784CN')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
    ...
InvalidChecksum: ...
>>> validate('RR123456785GB', country='CN')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
    ...
InvalidComponent: ...
>>> is_valid('lx-47312482-9-cn', country='CN')
True
"""
from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import clean, isdigits

WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def compact(number: str) -> str:
    """Convert the number to the minimal representation: spaces and hyphens removed, upper case."""
    return clean(number, ' -').strip().upper()


def calc_check_digit(serial: str) -> str:
    """The check digit of an 8-digit serial number."""
    check = 11 - sum(w * int(d) for w, d in zip(WEIGHTS, serial)) % 11
    return {10: '0', 11: '5'}.get(check, str(check))


def _letters(text: str) -> bool:
    return len(text) == 2 and all('A' <= c <= 'Z' for c in text)


def validate(number: str, country: str | None = None) -> str:
    """Check the length, the form (letters, digits, letters), the check digit and, when
    ``country`` is given, the issuing country; return the compact number."""
    number = compact(number)
    if len(number) != 13:
        raise InvalidLength()
    if not (_letters(number[:2]) and isdigits(number[2:11]) and _letters(number[11:])):
        raise InvalidFormat()
    if number[10] != calc_check_digit(number[2:10]):
        raise InvalidChecksum()
    if country is not None and number[11:] != country.upper():
        raise InvalidComponent()
    return number


def is_valid(number: str, country: str | None = None) -> bool:
    """Check whether the number is a valid S10 identifier (issued in ``country`` when given)."""
    try:
        return bool(validate(number, country))
    except ValidationError:
        return False


def format(number: str) -> str:
    """Reformat the number to the printed form: ``RR 123 456 785 GB``."""
    number = compact(number)
    return ' '.join((number[:2], number[2:5], number[5:8], number[8:11], number[11:]))
