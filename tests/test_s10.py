"""UPU S10 item identifiers (``grader.numbers.s10``): the docstring's doctest and the edge cases."""
from __future__ import annotations

import doctest

import pytest
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from grader.numbers import s10


def test_docstring_examples():
    result = doctest.testmod(s10, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# ---------------------------------------------------------------- check digit


def test_reference_vectors():
    assert s10.validate("RR123456785GB") == "RR123456785GB"
    assert s10.calc_check_digit("12345678") == "5"
    assert s10.calc_check_digit("47312482") == "9"


def test_check_digit_ten_becomes_zero_and_eleven_becomes_five():
    assert s10.calc_check_digit("00000000") == "5"  # sum 0 → 11 − 0 = 11 → 5
    serial = next(f"{n:08d}" for n in range(1000) if sum(
        w * int(d) for w, d in zip(s10.WEIGHTS, f"{n:08d}")) % 11 == 1)
    assert s10.calc_check_digit(serial) == "0"  # 11 − 1 = 10 → 0


@pytest.mark.parametrize("number", ["RR123456780GB", "RR123456784CN", "RR473124828CN", "LX473124820CN"])
def test_wrong_check_digit(number):
    with pytest.raises(InvalidChecksum):
        s10.validate(number)
    assert not s10.is_valid(number)


# ---------------------------------------------------------------- country


def test_country_required():
    assert s10.validate("RR473124829CN", country="CN") == "RR473124829CN"
    assert s10.is_valid("RR473124829CN", country="cn")
    with pytest.raises(InvalidComponent):
        s10.validate("RR473124829US", country="CN")
    assert s10.is_valid("RR473124829US")  # any country when none is required
    assert not s10.is_valid("RR123456785GB", country="CN")


def test_any_two_service_letters():
    for letters in ("RR", "LX", "EE", "CP", "ZZ"):
        assert s10.is_valid(f"{letters}473124829CN", country="CN")


# ---------------------------------------------------------------- length and form


@pytest.mark.parametrize("number", ["RR12345678GB", "RR1234567855GB", "", "RR473124829CNX"])
def test_wrong_length(number):
    with pytest.raises(InvalidLength):
        s10.validate(number)


@pytest.mark.parametrize("number", ["R1123456785GB", "RR12345678XGB", "RR1234567851B", "12123456785GB",
                                    "RR12345A785GB", "ÄR123456785GB"])
def test_wrong_form(number):
    with pytest.raises(InvalidFormat):
        s10.validate(number)


def test_exceptions_are_stdnum_validation_errors():
    for exc in (InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength):
        assert issubclass(exc, ValidationError) and issubclass(exc, ValueError)


# ---------------------------------------------------------------- compact


@pytest.mark.parametrize("typed", ["rr123456785gb", "RR 123 456 785 GB", "RR-123-456-785-GB",
                                   " rr 12345678-5 gb "])
def test_lower_case_spaces_and_hyphens_compacted(typed):
    assert s10.compact(typed) == "RR123456785GB"
    assert s10.validate(typed) == "RR123456785GB"


def test_format():
    assert s10.format("rr123456785gb") == "RR 123 456 785 GB"
