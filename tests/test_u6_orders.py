"""Unit 6 (订单管理): every criterion's Okay case and each failing case, with exact points and evidence.

The workbook is the sample module's perfect draft (sheet 订单, headers 订单号/审核/状态/备注, the 20
orders of the key in order: SO26110001 on row 2 … SO26110020 on row 21), with one cell or row changed,
read by the real sheet reader. U6-02 and U6-03 are 0.1 per order of the key (convention 2); a repeated
order is graded on its first row (convention 6); labels equal under convention 3.
"""
from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from helpers import failing, grade_sheets, run_check, workbook_of

from grader.paper import Key
from grader.read.tables import build_workbook, read_grid
from grader.samples import u6

ORDERS = "订单"
FULL = {"U6-01": Fraction(1), "U6-02": Fraction(2), "U6-03": Fraction(2)}
CRITERIA = tuple(FULL)
EACH = Fraction(1, 10)
COLUMN = {"U6-02": 1, "U6-03": 2}  # audit, status
LETTER = {"U6-02": "B", "U6-03": "C"}
# one order of each key status, and its row in the perfect sheet
BY_STATUS = {"shipped": ("SO26110001", 2), "rejected": ("SO26110003", 4), "out_of_stock": ("SO26110005", 6),
             "unshipped": ("SO26110006", 7), "returned": ("SO26110008", 9)}


@pytest.fixture()
def sheets(paper):
    """The perfect candidate's u6_orders sheets (title → rows, header first), a fresh copy for each test."""
    return copy.deepcopy(u6.perfect(paper.key)["u6_orders"].sheets)


def grade(paper, criterion_id, sheets, *, key=None):
    return grade_sheets(paper, criterion_id, sheets, key)


def row_of(sheets, order_id):
    return next(r for r in sheets[ORDERS][1:] if r[0] == order_id)


def put(sheets, criterion_id, order_id, value):
    """Set the audit (U6-02) or status (U6-03) cell of an order's row."""
    row_of(sheets, order_id)[COLUMN[criterion_id]] = value


def key_of(paper, orders) -> Key:
    return Key(paper.key.root, {"orders": orders}, {})


# ---------------------------------------------------------------- the perfect candidate


@pytest.mark.parametrize("criterion_id", CRITERIA)
def test_perfect_sheet_earns_every_criterion(paper, sheets, criterion_id):
    got, outcome = grade(paper, criterion_id, sheets)
    assert got == FULL[criterion_id]
    assert outcome.evidence and all(e.ok for e in outcome.evidence)
    assert not outcome.flags


def test_perfect_evidence_names_each_orders_cell(paper, sheets):
    [listed] = grade(paper, "U6-01", sheets)[1].evidence
    assert (listed.sheet, listed.message) == (ORDERS, "all 20 orders listed once")
    for criterion_id in ("U6-02", "U6-03"):
        evidence = grade(paper, criterion_id, sheets)[1].evidence
        assert [e.cell for e in evidence] == [f"{LETTER[criterion_id]}{n}" for n in range(2, 22)]


def test_perfect_workbook_written_and_read_back(paper, tmp_path):
    path = u6.perfect(paper.key)["u6_orders"].write(tmp_path)
    book = build_workbook(path.name, read_grid(path), list(paper.deliverables["u6_orders"].sheets))
    for criterion_id in CRITERIA:
        assert run_check(paper, criterion_id, book)[0] == FULL[criterion_id], criterion_id


@pytest.mark.parametrize("title, header", [
    ("Orders", ["Order ID", "Audit Result", "Order-Status", "Remark"]),
    ("订单列表", ["订单编号", "审核结果", "订单状态", "说明"]),
    ("u6_orders", ["order_id", "audit", "status", "note"]),  # a csv: the sheet is found by its headers
])
def test_other_sheet_and_header_names_are_read(paper, sheets, title, header):
    renamed = {title: [header] + sheets[ORDERS][1:]}
    file = "u6_orders.csv" if title == "u6_orders" else ""
    assert list(workbook_of(paper, "u6_orders", renamed, file).sheets) == ["orders"]
    for criterion_id in CRITERIA:
        assert grade_sheets(paper, criterion_id, renamed, file=file)[0] == FULL[criterion_id], criterion_id


def test_rows_in_any_order_with_the_columns_moved(paper, sheets):
    rows = sheets[ORDERS]
    rows[1:] = [[r[3], r[2], r[0], r[1]] for r in reversed(rows[1:])]
    rows[0] = ["备注", "状态", "订单号", "审核"]
    for criterion_id in CRITERIA:
        assert grade(paper, criterion_id, sheets)[0] == FULL[criterion_id], criterion_id


def test_without_the_orders_sheet_nothing_is_earned(paper, sheets):
    sheets = {"Sheet1": [["a", "b"], [1, 2]]}
    for criterion_id in CRITERIA:
        got, outcome = grade(paper, criterion_id, sheets)
        assert got == 0 and outcome.evidence[0].found == "(missing)", criterion_id


# ---------------------------------------------------------------- U6-01


@pytest.mark.parametrize("written", ["so26110004", " SO26110004 ", "ＳＯ２６１１０００４", "So26110004"])
def test_u6_01_ids_equal_in_any_case_width_and_padding(paper, sheets, written):
    row_of(sheets, "SO26110004")[0] = written
    assert grade(paper, "U6-01", sheets)[0] == 1


def test_u6_01_an_order_left_out(paper, sheets):
    sheets[ORDERS].remove(row_of(sheets, "SO26110005"))
    got, outcome = grade(paper, "U6-01", sheets)
    assert got == 0
    [bad] = failing(outcome)
    assert (bad.cell, bad.expected, bad.found) == ("", "SO26110005", "(missing)")
    assert bad.message == "order SO26110005 is not in the list"


@pytest.mark.parametrize("repeat", ["SO26110003", "so26110003"])
def test_u6_01_an_order_listed_twice(paper, sheets, repeat):
    sheets[ORDERS].append([repeat, "通过", "已发货", "again"])
    got, outcome = grade(paper, "U6-01", sheets)
    assert got == 0
    [bad] = failing(outcome)
    assert (bad.cell, bad.expected, bad.found) == ("A22", "each order once", repeat)
    assert bad.message == f"order {repeat} listed again (row 22)"


@pytest.mark.parametrize("unknown", ["SO26119999", "SO26110021", "SO2611001", "SO261100010", "SO26110000"])
def test_u6_01_an_id_the_materials_do_not_have(paper, sheets, unknown):
    sheets[ORDERS].append([unknown, "通过", "已发货", ""])
    got, outcome = grade(paper, "U6-01", sheets)
    assert got == 0
    [bad] = failing(outcome)
    assert (bad.cell, bad.expected) == ("A22", "an order id of the materials")
    assert bad.message == f"order {unknown} is not an order of the materials"


def test_u6_01_an_id_mistyped_is_both_unknown_and_missing(paper, sheets):
    row_of(sheets, "SO26110010")[0] = "SO 26110010"
    got, outcome = grade(paper, "U6-01", sheets)
    assert got == 0
    assert [(e.cell, e.found) for e in failing(outcome)] == [("", "(missing)"), ("A11", "SO 26110010")]


def test_u6_01_an_empty_list(paper, sheets):
    del sheets[ORDERS][1:]
    got, outcome = grade(paper, "U6-01", sheets)
    assert got == 0 and len(failing(outcome)) == 20


# ---------------------------------------------------------------- U6-02 and U6-03: one order's share


@pytest.mark.parametrize("order_id, label", [
    ("SO26110001", "pass"), ("SO26110001", "PASS"), ("SO26110001", "Pass"), ("SO26110001", "ｐａｓｓ"),
    ("SO26110001", " 通过 "), ("SO26110003", "fail"), ("SO26110003", "FAIL"), ("SO26110003", "不通过"),
    ("SO26110003", "ＦＡＩＬ"),
])
def test_u6_02_audit_labels_in_chinese_or_english_any_case(paper, sheets, order_id, label):
    put(sheets, "U6-02", order_id, label)
    assert grade(paper, "U6-02", sheets)[0] == 2


@pytest.mark.parametrize("status, label", [
    ("shipped", "shipped"), ("shipped", "SHIPPED"), ("shipped", " Shipped "),
    ("unshipped", "unshipped"), ("unshipped", "UnShipped"), ("unshipped", "未发货"),
    ("out_of_stock", "out of stock"), ("out_of_stock", "Out Of Stock"), ("out_of_stock", "OUT  OF  STOCK"),
    ("out_of_stock", "ｏｕｔ ｏｆ ｓｔｏｃｋ"), ("rejected", "rejected"), ("rejected", "Rejected"),
    ("returned", "returned"), ("returned", "RETURNED"), ("returned", "退单"),
])
def test_u6_03_status_labels_in_chinese_or_english_any_case(paper, sheets, status, label):
    put(sheets, "U6-03", BY_STATUS[status][0], label)
    got, outcome = grade(paper, "U6-03", sheets)
    assert got == 2 and outcome.evidence[BY_STATUS[status][1] - 2].found == label


@pytest.mark.parametrize("criterion_id, status, label, found", [
    ("U6-02", "shipped", "不通过", "fail"),
    ("U6-02", "rejected", "通过", "pass"),
    ("U6-02", "shipped", "通 过", "not a known label"),
    ("U6-02", "shipped", "OK", "not a known label"),
    ("U6-02", "shipped", "pass.", "not a known label"),
    ("U6-02", "shipped", None, "not a known label"),
    ("U6-03", "shipped", "未发货", "unshipped"),
    ("U6-03", "shipped", "returned", "returned"),
    ("U6-03", "unshipped", "已发货", "shipped"),
    ("U6-03", "out_of_stock", "拒单", "rejected"),
    ("U6-03", "rejected", "缺货", "out_of_stock"),
    ("U6-03", "returned", "shipped", "shipped"),
    ("U6-03", "shipped", "发货", "not a known label"),
    ("U6-03", "out_of_stock", "outofstock", "not a known label"),
    ("U6-03", "shipped", None, "not a known label"),
])
def test_u6_02_03_one_wrong_or_unknown_label_costs_one_share(paper, sheets, criterion_id, status, label, found):
    order_id, row = BY_STATUS[status]
    put(sheets, criterion_id, order_id, label)
    got, outcome = grade(paper, criterion_id, sheets)
    assert got == 2 - EACH and not outcome.flags
    [bad] = failing(outcome)
    assert bad.cell == f"{LETTER[criterion_id]}{row}"
    column = "audit" if criterion_id == "U6-02" else "status"
    expected = paper.key["orders"][row - 2][column]
    assert bad.expected == expected and bad.message == f"order {order_id}: {column} should be {expected}, found {found}"


@pytest.mark.parametrize("criterion_id, status, label", [
    ("U6-02", "shipped", "approved"), ("U6-02", "shipped", "passed"), ("U6-02", "rejected", "rejected"),
    ("U6-02", "rejected", "failed"), ("U6-02", "rejected", "未通过"),
    ("U6-03", "unshipped", "not shipped"), ("U6-03", "rejected", "refused"), ("U6-03", "returned", "return"),
    ("U6-03", "out_of_stock", "out_of_stock"),
])
def test_u6_02_03_a_label_the_paper_does_not_list_costs_its_share(paper, sheets, criterion_id, status, label):
    put(sheets, criterion_id, BY_STATUS[status][0], label)
    assert grade(paper, criterion_id, sheets)[0] == 2 - EACH


# ---------------------------------------------------------------- U6-02 and U6-03: the shares together


@pytest.mark.parametrize("criterion_id", ["U6-02", "U6-03"])
def test_u6_02_03_every_share_is_a_tenth(paper, sheets, criterion_id):
    for wrong, order in enumerate(paper.key["orders"], start=1):
        put(sheets, criterion_id, order["order_id"], "?")
        assert grade(paper, criterion_id, sheets)[0] == 2 - wrong * EACH
    assert grade(paper, criterion_id, sheets)[0] == 0


@pytest.mark.parametrize("criterion_id", ["U6-02", "U6-03"])
def test_u6_02_03_a_missing_order_scores_zero_and_extras_are_ignored(paper, sheets, criterion_id):
    sheets[ORDERS].append(["SO26119999", "通过", "已发货", ""])
    assert grade(paper, criterion_id, sheets)[0] == 2
    sheets[ORDERS].remove(row_of(sheets, "SO26110020"))
    got, outcome = grade(paper, criterion_id, sheets)
    assert got == 2 - EACH
    [bad] = failing(outcome)
    assert (bad.cell, bad.found, bad.message) == ("", "(missing)", "order SO26110020: no row")


@pytest.mark.parametrize("criterion_id", ["U6-02", "U6-03"])
def test_u6_02_03_a_repeated_order_is_graded_on_its_first_row(paper, sheets, criterion_id):
    right = list(row_of(sheets, "SO26110007"))
    wrong = list(right)
    wrong[COLUMN[criterion_id]] = "不通过" if criterion_id == "U6-02" else "拒单"
    sheets[ORDERS].append(wrong)
    assert grade(paper, criterion_id, sheets)[0] == 2
    sheets[ORDERS].remove(right)
    sheets[ORDERS].append(right)
    got, outcome = grade(paper, criterion_id, sheets)
    assert got == 2 - EACH and failing(outcome)[0].cell == f"{LETTER[criterion_id]}21"


def test_u6_02_03_shares_follow_the_keys_order_count(paper, sheets):
    key = key_of(paper, paper.key["orders"][:8])  # 8 orders: each 0.25
    assert grade(paper, "U6-02", sheets, key=key)[0] == 2
    assert grade(paper, "U6-01", sheets, key=key)[0] == 0  # the other 12 are unknown ids
    put(sheets, "U6-02", "SO26110002", "不通过")
    assert grade(paper, "U6-02", sheets, key=key)[0] == Fraction(7, 4)


def test_u6_02_03_ids_in_another_case_still_find_their_row(paper, sheets):
    row_of(sheets, "SO26110012")[0] = "so26110012"
    for criterion_id in ("U6-02", "U6-03"):
        assert grade(paper, criterion_id, sheets)[0] == 2


# ---------------------------------------------------------------- the sample defects


@pytest.mark.parametrize("defect", u6.DEFECTS, ids=lambda d: d.name)
def test_each_sample_defect_scores_what_it_declares(paper, defect):
    drafts = copy.deepcopy(u6.perfect(paper.key))
    defect.apply(drafts, paper.key)
    for criterion_id in CRITERIA:
        got, outcome = grade(paper, criterion_id, drafts["u6_orders"].sheets)
        assert got == Fraction(defect.expected.get(criterion_id, FULL[criterion_id])), criterion_id
        assert not outcome.flags and not defect.flags


def test_every_criterion_has_a_sample_defect():
    for criterion_id in CRITERIA:
        assert any(Fraction(d.expected.get(criterion_id, FULL[criterion_id])) < FULL[criterion_id]
                   for d in u6.DEFECTS), criterion_id
