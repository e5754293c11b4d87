"""The overrides CSV read strictly: each malformed row refused with its line, never read into the
wrong columns; a well-quoted row keeps its comma, its quotes and its examiner."""
from __future__ import annotations

from fractions import Fraction

import pytest
from test_overrides import HEADER, load

from grader.errors import OverridesError


def test_a_quoted_reason_keeps_its_comma_and_quotes(tmp_path):
    overrides = load(tmp_path, HEADER + 'ks02,U6-01,1,"关键词拼错两处, 复核后接受 ""insulated""",考评员01\n')
    [row] = overrides.rows
    assert (row.line, row.points, row.reason, row.examiner) == (2, Fraction(1), '关键词拼错两处, 复核后接受 "insulated"',
                                                                "考评员01")


@pytest.mark.parametrize("row, message", [
    ("ks02,U6-01,1,关键词拼错两处, 复核后接受,考评员01", "6 fields where the header has 5"),
    ("ks02,U6-02,1,5,partly right,e", "6 fields where the header has 5"),
    ("ks02,U6-02,1,r,e,", "6 fields where the header has 5"),
    ("ks02,U6-02,1,r", "4 fields where the header has 5"),
    ('ks02,U6-02,1,"unclosed,e', "unexpected end of data"),
    ('ks02,U6-02,1,"quoted"tail,e', "',' expected after '\"'"),
    ("ks02,U6-02,1," + "r" * 501 + ",e", "the reason is 501 characters, more than 500"),
    ("ks02,U6-02,1,r," + "e" * 65, "the examiner is 65 characters, more than 64"),
    ("ks02,U6-02," + "1" * 33 + ",r,e", "the points is 33 characters, more than 32"),
    ("ks02,U6-02,1,r\x07,e", "the reason holds a control character"),
])
def test_each_malformed_row_is_refused_with_its_line(tmp_path, row, message):
    text = HEADER + "# a comment line\nks01,U6-01,0,r,e\n" + row + "\n"
    with pytest.raises(OverridesError) as error:
        load(tmp_path, text)
    assert f"line 4: {message}" in str(error.value)


def test_a_reason_past_the_csv_field_limit_is_one_line_not_a_traceback(tmp_path):
    text = HEADER + "ks01,U6-01,0,r,e\n" + 'ks02,U6-02,1,"' + "长" * 200_000 + '",e\n'
    with pytest.raises(OverridesError, match=r"line 3: field larger than field limit"):
        load(tmp_path, text)


def test_a_huge_file_is_refused_unread(tmp_path):
    with pytest.raises(OverridesError, match=r"bytes, more than 4194304: not an overrides file"):
        load(tmp_path, HEADER + "#" * (4 * 1024 * 1024) + "\n")
