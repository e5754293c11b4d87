"""Shuffled columns, alias headers, .xls / .xlsm / .csv copies grade the same as the template."""
from __future__ import annotations

import pytest
from helpers import make_candidate, points

from grader.pipeline import grade_disc


def grade_one(tmp_path, paper, edit):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper, edit=edit)
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    return points(out, "ks01")


def perfect(paper, tmp_path_factory):
    return grade_one(tmp_path_factory.mktemp("p"), paper, None)


def shuffle_columns(drafts):
    rows = drafts["u6_orders"].sheets["订单"]
    for row in rows:
        row[:] = [row[3], row[2], row[0], row[1]]


def english_aliases(drafts):
    rows = drafts["u6_orders"].sheets["订单"]
    rows[0] = ["Order No", "Audit Result", "ORDER STATUS", "Remark"]
    sheets = drafts["u1_accounts"].sheets
    drafts["u1_accounts"].sheets = {"Personal": sheets["个人账号"], "COMPANY": sheets["企业账号"]}


def full_width_headers(drafts):
    rows = drafts["u6_orders"].sheets["订单"]
    rows[0] = ["ｏｒｄｅｒ＿ｉｄ", "audit", "Status ", "note"]


def title_row_above_header(drafts):
    rows = drafts["u6_orders"].sheets["订单"]
    rows.insert(0, ["订单管理 Orders — 考生填写", None, None, None])


def as_format(fmt):
    def edit(drafts):
        for name in ("u1_accounts", "u6_orders"):
            if fmt != "csv" or name == "u6_orders":
                drafts[name].fmt = fmt
    return edit


@pytest.mark.parametrize("edit", [shuffle_columns, english_aliases, full_width_headers, title_row_above_header,
                                  as_format("xls"), as_format("xlsm"), as_format("csv")],
                         ids=["shuffled", "english-aliases", "full-width", "title-row", "xls", "xlsm", "csv"])
def test_variants_grade_like_the_template(tmp_path, paper, edit):
    got = grade_one(tmp_path, paper, edit)
    assert {k: v for k, v in got.items() if k[:2] in ("U1", "U6")} == {
        "U1-01": "2", "U1-02": "1", "U1-03": "2", "U1-04": "1", "U1-05": "2", "U1-06": "1", "U1-07": "1",
        "U6-01": "1", "U6-02": "2", "U6-03": "2"}


def test_csv_stands_for_the_sheet_whose_fields_it_holds(tmp_path, paper):
    def company_csv(drafts):
        book = drafts["u1_accounts"]
        book.sheets = {"企业账号": book.sheets["企业账号"]}
        book.fmt = "csv"

    got = grade_one(tmp_path, paper, company_csv)
    # company sheet graded; the personal sheet is missing (U1-01 keeps the company half)
    assert [got[c] for c in ("U1-01", "U1-02", "U1-03", "U1-04", "U1-05", "U1-06", "U1-07")] == \
        ["1", "0", "0", "0", "2", "1", "1"]


def _set_account_number(tmp_path, paper, value):
    from openpyxl import load_workbook

    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    path = disc / "ks01" / "u1_accounts.xlsx"
    book = load_workbook(path)
    for row in book["企业账号"].iter_rows(min_row=2):
        if row[0].value == "对公账号":
            row[1].value = value
    book.save(path)
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    return points(out, "ks01")["U1-07"]


def test_account_number_with_spaces_and_hyphens_is_compacted(tmp_path, paper):
    assert _set_account_number(tmp_path, paper, "3100-1987 6543 21019") == "1"


def test_seventeen_digits_stored_as_a_number_lose_digits_as_in_excel(tmp_path, paper):
    # a number cell keeps 15 significant digits: 31001987654321019 reads back as ...020, not the account
    assert _set_account_number(tmp_path, paper, 31001987654321019) == "0"
