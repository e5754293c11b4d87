"""Unit 7 samples: a correct u7_logistics.xlsx computed from the key by the freight engine, and
defects for every criterion, each with the exact points it leaves."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from grader.checks.logistics import expected_closing, read_materials
from grader.freight import quote, right_methods
from grader.numbers import s10
from grader.samples.drafts import Defect, Drafts, WorkbookDraft

UNIT = "U7"
LABELS = {"postal": "邮政小包", "e_packet": "e邮宝", "express": "快递"}
S10_PREFIX = {"postal": "RR", "e_packet": "LX"}
SHIP_DATE = dt.date(2026, 11, 25)
SHEETS = {"shipping": "物流方式", "inbound": "入仓", "outbound": "出仓", "stock": "库存",
          "confirmation": "发货确认"}
HEADERS = {
    "shipping": ["包裹号", "物流方式", "计费重量(kg)", "运费(元)"],
    "inbound": ["SKU", "数量", "仓库", "日期"],
    "outbound": ["订单号", "SKU", "数量"],
    "stock": ["SKU", "期末库存"],
    "confirmation": ["订单号", "物流方式", "运单号", "发货日期"],
}
ENGLISH = {
    "shipping": ["parcel_id", "method", "chargeable_weight_kg", "freight_cny"],
    "inbound": ["sku", "quantity", "warehouse", "date"],
    "outbound": ["order_id", "sku", "quantity"],
    "stock": ["sku", "closing_stock"],
    "confirmation": ["order_id", "method", "tracking_no", "ship_date"],
}
SIXTH = Fraction(1, 6)


def tracking_number(method: str, tracking: str, index: int, country: str) -> str:
    """A valid tracking number of the method's form, different for every index."""
    if tracking == "s10":
        serial = f"{47312480 + index:08d}"
        return f"{S10_PREFIX.get(method, 'EE')}{serial}{s10.calc_check_digit(serial)}{country}"
    return f"{7301000000 + index:010d}"


def _method_row(m, method: str, parcel) -> list:
    q = quote(m.rates, method, parcel)
    return [parcel.parcel_id, LABELS[method], float(q.chargeable_kg), float(q.freight_cny)]


def perfect(key) -> Drafts:
    m = read_materials(key)
    shipping, by_order = [HEADERS["shipping"]], {}
    for parcel in m.parcels:
        method = right_methods(m.rates, parcel)[0]
        shipping.append(_method_row(m, method, parcel))
        by_order[parcel.order_id.upper()] = method
    inbound = [HEADERS["inbound"]] + [[a.sku, a.quantity, a.warehouse, a.date] for a in m.arrivals]
    outbound = [HEADERS["outbound"]] + [[s.order_id, s.sku, s.quantity] for s in m.shipped]
    closing = expected_closing(m.opening, m.arrivals, m.shipped)
    order = list(m.opening) + sorted(set(closing) - set(m.opening))
    stock = [HEADERS["stock"]] + [[sku, closing[sku]] for sku in order]
    confirmation = [HEADERS["confirmation"]]
    for n, shipment in enumerate(m.shipped):
        method = by_order.get(shipment.order_id, m.rates.urgent_method)
        number = tracking_number(method, m.rates.methods[method].tracking, n, m.tracking_country)
        confirmation.append([shipment.order_id, LABELS[method], number, SHIP_DATE])
    sheets = {"shipping": shipping, "inbound": inbound, "outbound": outbound, "stock": stock,
              "confirmation": confirmation}
    return {"u7_logistics": WorkbookDraft("u7_logistics", {SHEETS[k]: v for k, v in sheets.items()})}


def _rows(drafts: Drafts, sheet: str) -> list[list]:
    return drafts["u7_logistics"].sheet(SHEETS[sheet])


def _parcel_index(key, parcel_id: str) -> int:
    """The data row (1-based, after the header) of a parcel in the perfect shipping sheet."""
    return 1 + [p.parcel_id for p in read_materials(key).parcels].index(parcel_id)


def _choose(parcel_id: str, method: str):
    """The parcel shipped by ``method``, with that method's right chargeable weight and freight."""

    def apply(drafts: Drafts, key) -> None:
        m = read_materials(key)
        parcel = next(p for p in m.parcels if p.parcel_id == parcel_id)
        _rows(drafts, "shipping")[_parcel_index(key, parcel_id)] = _method_row(m, method, parcel)

    return apply


def _not_cheapest_confirmed(drafts: Drafts, key) -> None:
    """P01 by postal; its order's confirmation names postal with a valid S10 number."""
    _choose("P01", "postal")(drafts, key)
    order_id = next(p.order_id for p in read_materials(key).parcels if p.parcel_id == "P01")
    row = next(r for r in _rows(drafts, "confirmation")[1:] if r[0] == order_id)
    row[1], row[2] = LABELS["postal"], "RR473124829CN"


def _volumetric_ignored(drafts: Drafts, key) -> None:
    _rows(drafts, "shipping")[_parcel_index(key, "P02")][2] = 1.0  # actual 0.61 → 1.0; volumetric gives 2.0


def _freight_boundary(drafts: Drafts, key) -> None:
    rows = _rows(drafts, "shipping")
    rows[_parcel_index(key, "P05")][3] = round(rows[_parcel_index(key, "P05")][3] + 0.01, 2)  # within 0.01
    rows[_parcel_index(key, "P06")][3] = round(rows[_parcel_index(key, "P06")][3] + 0.011, 3)  # 0.011 off


def _arrival_missing_stock_follows(drafts: Drafts, key) -> None:
    """An arrival left out of inbound; the closing stock follows the candidate's own rows."""
    dropped = _rows(drafts, "inbound").pop(2)
    for row in _rows(drafts, "stock")[1:]:
        if row[0] == dropped[0]:
            row[1] -= dropped[1]


def _returned_order_shipped(drafts: Drafts, key) -> None:
    order = next(o for o in key["orders"] if o["status"] == "returned")
    _rows(drafts, "outbound").append([order["order_id"], order["sku"], int(order["quantity"])])


def _stock_off_by_one(drafts: Drafts, key) -> None:
    _rows(drafts, "stock")[3][1] += 1


def _tracking_check_digit(drafts: Drafts, key) -> None:
    rows = _rows(drafts, "confirmation")
    s10_rows = [r for r in rows[1:] if r[1] in (LABELS["postal"], LABELS["e_packet"])]
    number = s10_rows[0][2]
    s10_rows[0][2] = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]  # wrong check digit
    valid = s10_rows[1][2]
    s10_rows[1][2] = f"{valid[:2].lower()} {valid[2:6]}-{valid[6:11]} {valid[11:].lower()}"  # still valid


def _tracking_forms(drafts: Drafts, key) -> None:
    rows = _rows(drafts, "confirmation")
    express = next(r for r in rows[1:] if r[1] == LABELS["express"])
    express[2] = express[2][:9]  # 9 digits
    postal = next(r for r in rows[1:] if r[1] in (LABELS["postal"], LABELS["e_packet"]))
    postal[2] = postal[2][:11] + "US"  # not issued in CN


def _numbers_as_text(drafts: Drafts, key) -> None:
    for row in _rows(drafts, "shipping")[1:]:
        row[2] = f"{row[2]:g}kg"
        row[3] = f"¥{row[3]:.2f}"


def _english_workbook(drafts: Drafts, key) -> None:
    book = drafts["u7_logistics"]
    english = {}
    for name, title in SHEETS.items():
        rows = book.sheets[title]
        rows[0] = list(ENGLISH[name])
        english[name] = rows
    for name in ("shipping", "confirmation"):
        for row in english[name][1:]:
            if row[1] == LABELS["e_packet"]:
                row[1] = "E-Packet"
    book.sheets = english


DEFECTS = [
    Defect("method-not-cheapest", UNIT, _not_cheapest_confirmed,
           {"U7-01": 2 - Fraction(1, 3), "U7-02": 1, "U7-03": 3, "U7-07": 1},
           description="P01 by postal (eligible, not the cheapest) with postal's right weight and freight"),
    Defect("method-ineligible", UNIT, _choose("P04", "e_packet"),
           {"U7-01": 2 - Fraction(1, 3), "U7-02": 1 - SIXTH, "U7-03": 3 - Fraction(1, 2)},
           description="P04 (sides 91 cm) by e-packet: ineligible, so its weight and freight earn nothing"),
    Defect("chargeable-volumetric-ignored", UNIT, _volumetric_ignored, {"U7-02": 1 - SIXTH, "U7-03": 3},
           description="P02's express weight from the actual weight, not the volumetric"),
    Defect("freight-0.01-and-0.011-off", UNIT, _freight_boundary, {"U7-03": 3 - Fraction(1, 2)},
           description="P05's freight 0.01 off (kept), P06's 0.011 off (lost)"),
    Defect("arrival-missing-stock-follows", UNIT, _arrival_missing_stock_follows, {"U7-04": 0, "U7-06": 1},
           description="an arrival left out of inbound; the closing stock follows the candidate's own rows"),
    Defect("returned-order-shipped", UNIT, _returned_order_shipped, {"U7-05": 0, "U7-06": 0},
           description="a returned order listed as outbound; the closing stock left as the key's"),
    Defect("stock-off-by-one", UNIT, _stock_off_by_one, {"U7-06": 0},
           description="one sku's closing stock one too many"),
    Defect("tracking-check-digit", UNIT, _tracking_check_digit, {"U7-07": 1 - SIXTH},
           description="an S10 check digit wrong; another in lower case with spaces and hyphens (valid)"),
    Defect("numbers-as-text", UNIT, _numbers_as_text, {"U7-02": 1, "U7-03": 3},
           description="weights typed as '2kg', freights as '¥336.15'"),
    Defect("urgent-by-postal", UNIT, _choose("P03", "postal"),
           {"U7-01": 2 - Fraction(1, 3), "U7-02": 1, "U7-03": 3},
           description="urgent P03 by postal, with postal's right weight and freight"),
    Defect("tracking-forms", UNIT, _tracking_forms, {"U7-07": 1 - 2 * SIXTH},
           description="an express number of 9 digits and an S10 number ending US"),
    Defect("english-workbook", UNIT, _english_workbook,
           {"U7-01": 2, "U7-02": 1, "U7-03": 3, "U7-04": 1, "U7-05": 1, "U7-06": 1, "U7-07": 1},
           description="English sheet names and headers, a method written 'E-Packet'"),
]
