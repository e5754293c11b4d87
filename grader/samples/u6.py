"""Unit 6 samples: a correct u6_orders.xlsx from the key, and one defect per criterion."""
from __future__ import annotations

from fractions import Fraction

from grader.samples.drafts import Defect, Drafts, WorkbookDraft

UNIT = "U6"
AUDIT = {"pass": "通过", "fail": "不通过"}
STATUS = {"shipped": "已发货", "unshipped": "未发货", "out_of_stock": "缺货", "rejected": "拒单", "returned": "退单"}
EACH = Fraction(1, 10)


def perfect(key) -> Drafts:
    rows = [["订单号", "审核", "状态", "备注"]]
    for order in key["orders"]:
        rows.append([order["order_id"], AUDIT[order["audit"]], STATUS[order["status"]], ""])
    return {"u6_orders": WorkbookDraft("u6_orders", {"订单": rows})}


def _orders(drafts: Drafts) -> list[list]:
    return drafts["u6_orders"].sheet("订单")


def _drop_fifth(drafts: Drafts, key) -> None:
    del _orders(drafts)[5]


def _repeat_third(drafts: Drafts, key) -> None:
    rows = _orders(drafts)
    rows.append([rows[3][0], "不通过", "拒单", "repeat"])


def _wrong_audits(drafts: Drafts, key) -> None:
    rows = _orders(drafts)
    for index in (1, 3):  # order 1 passes, order 3 fails in the key
        rows[index][1] = "不通过" if rows[index][1] == "通过" else "通过"


def _english_statuses_three_wrong(drafts: Drafts, key) -> None:
    rows = _orders(drafts)
    english = {v: k for k, v in STATUS.items()}
    for row in rows[1:]:
        row[2] = english[row[2]].replace("_", " ").title()  # "Out Of Stock": any case is fine
    for index in (2, 6, 9):
        rows[index][2] = "Shipped" if rows[index][2] != "Shipped" else "Returned"


def _unknown_order(drafts: Drafts, key) -> None:
    _orders(drafts).append(["SO26119999", "通过", "已发货", ""])


DEFECTS = [
    Defect("order-missing", UNIT, _drop_fifth, {"U6-01": 0, "U6-02": 2 - EACH, "U6-03": 2 - EACH},
           description="one order left out of the list"),
    Defect("order-repeated", UNIT, _repeat_third, {"U6-01": 0},
           description="an order listed twice; the first row is graded"),
    Defect("audit-wrong-two", UNIT, _wrong_audits, {"U6-02": 2 - 2 * EACH},
           description="two audits reversed"),
    Defect("status-english-three-wrong", UNIT, _english_statuses_three_wrong, {"U6-03": 2 - 3 * EACH},
           description="English status labels in title case, three of them wrong"),
    Defect("order-unknown", UNIT, _unknown_order, {"U6-01": 0},
           description="an order id the materials do not have"),
]
