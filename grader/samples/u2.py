"""Unit 2 samples: a correct u2_selection.xlsx from the key, and defects with their exact points.

The perfect candidate chooses five qualifying products of the pool, copies their board and
supplier fields, prices three at the formula rounded to cents and two at the smallest .99 price,
stocks each between its MOQ and the supplier's stock and names each main image ``<sku>.MAIN.jpg``.
Prices are worked out here on their own (not with the grader's functions), so a slip in either
shows up on the demo disc.
"""
from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from grader.model import round_half_up
from grader.samples.drafts import Defect, Drafts, WorkbookDraft

UNIT = "U2"
CHOSEN = ("JY003", "JY006", "JY009", "JY014", "JY018")  # qualifying products of the 2026A pool
NINETY_NINE = {"JY014", "JY018"}  # priced at the smallest .99 price
NOT_QUALIFYING = "JY007"  # rating 4.4 < 4.5; every other field is fine
SIXTH = "JY022"  # qualifies too: a sixth product
BOARD, SUPPLIERS, TEMPLATE = "看板", "供应商", "上架模板"
HEADERS = {
    BOARD: ["产品编号", "平台", "国家", "类目", "材质", "风格"],
    SUPPLIERS: ["产品编号", "供应商", "联系方式", "采购成本", "起订量"],
    TEMPLATE: ["SKU", "产品编号", "售价(USD)", "库存", "重量(kg)", "主图"],
}
EACH = Fraction(1, 5)


def _pool(key) -> dict[str, dict[str, str]]:
    return {row["product_id"]: row for row in key["pool"]}


def formula_price(key, product_id: str) -> Fraction:
    row, selection = _pool(key)[product_id], key["selection"]
    cost = Fraction(row["purchase_cost_cny"]) + Fraction(row["freight_cny"])
    keep = 1 - Fraction(selection["commission"]) - Fraction(selection["target_margin"])
    return cost / Fraction(selection["exchange_rate"]) / keep


def cents(value: Fraction) -> Decimal:
    return round_half_up(value, 2)


def ninety_nine(value: Fraction) -> Decimal:
    return Decimal(max(0, math.ceil(value - Fraction(99, 100)))) + Decimal("0.99")


def sku(product_id: str) -> str:
    return f"{product_id}-A"


def product_rows(key, product_id: str, pool_id: str | None = None) -> dict[str, list]:
    """The three rows a careful candidate writes for a product (``pool_id``: whose data to copy)."""
    row = _pool(key)[pool_id or product_id]
    price = formula_price(key, pool_id or product_id)
    moq, stock = int(row["moq"]), int(row["supplier_stock"])
    return {
        BOARD: [product_id, row["platform"], row["country"], row["category"], row["material"], row["style"]],
        SUPPLIERS: [product_id, row["supplier"], row["supplier_contact"], float(row["purchase_cost_cny"]),
                    moq],
        TEMPLATE: [sku(product_id), product_id,
                   float(ninety_nine(price) if product_id in NINETY_NINE else cents(price)),
                   min(2 * moq, stock), float(row["weight_kg"]), f"{sku(product_id)}.MAIN.jpg"],
    }


def perfect(key) -> Drafts:
    sheets = {title: [list(header)] for title, header in HEADERS.items()}
    for product_id in CHOSEN:
        for title, row in product_rows(key, product_id).items():
            sheets[title].append(row)
    return {"u2_selection": WorkbookDraft("u2_selection", sheets)}


# ---------------------------------------------------------------- defects


def _sheet(drafts: Drafts, title: str) -> list[list]:
    return drafts["u2_selection"].sheet(title)


def _row(drafts: Drafts, title: str, product_id: str) -> list:
    column = HEADERS[title].index("产品编号")
    return next(r for r in _sheet(drafts, title)[1:] if r[column] == product_id)


def _set(title: str, product_id: str, header: str, value) -> callable:
    def apply(drafts: Drafts, key) -> None:
        _row(drafts, title, product_id)[HEADERS[title].index(header)] = value

    return apply


def _replace(old: str, new: str, pool_id: str | None = None) -> callable:
    """Write ``new`` (with the data of ``pool_id``, default ``new``) in place of ``old`` on every sheet."""

    def apply(drafts: Drafts, key) -> None:
        rows = product_rows(key, new, pool_id)
        for title in HEADERS:
            sheet = _sheet(drafts, title)
            sheet[sheet.index(_row(drafts, title, old))] = rows[title]

    return apply


def _add_sixth(drafts: Drafts, key) -> None:
    for title, row in product_rows(key, SIXTH).items():
        _sheet(drafts, title).append(row)


def _edges_and_text(drafts: Drafts, key) -> None:
    """Every value at an accepted edge or typed as text, and a repeated board row: full marks."""
    template = HEADERS[TEMPLATE]
    price_at = template.index("售价(USD)")
    _row(drafts, TEMPLATE, "JY003")[price_at] = f"${cents(formula_price(key, 'JY003')) + Decimal('0.01')}"
    _row(drafts, TEMPLATE, "JY006")[price_at] = str(ninety_nine(formula_price(key, "JY006")))
    weight = Decimal(_pool(key)["JY009"]["weight_kg"]) + Decimal("0.005")
    _row(drafts, TEMPLATE, "JY009")[template.index("重量(kg)")] = f"{weight}kg"
    _row(drafts, TEMPLATE, "JY014")[template.index("库存")] = _pool(key)["JY014"]["supplier_stock"]
    _row(drafts, TEMPLATE, "JY018")[template.index("库存")] = int(_pool(key)["JY018"]["moq"])
    _row(drafts, TEMPLATE, "JY009")[template.index("产品编号")] = "jy009"
    cost = _pool(key)["JY018"]["purchase_cost_cny"]
    _row(drafts, SUPPLIERS, "JY018")[HEADERS[SUPPLIERS].index("采购成本")] = f"¥{cost}"
    board = _sheet(drafts, BOARD)
    board.insert(3, ["JY003", "eBay", "英国", "宠物用品", "陶瓷", "卡通"])


def _drop_template_row(drafts: Drafts, key) -> None:
    sheet = _sheet(drafts, TEMPLATE)
    sheet.remove(_row(drafts, TEMPLATE, "JY018"))


ALL_FULL = {"U2-01": 5, "U2-02": 2, "U2-03": 2, "U2-04": 3, "U2-05": 2, "U2-06": 1}

DEFECTS = [
    Defect("non-qualifying-product", UNIT, _replace("JY018", NOT_QUALIFYING),
           {"U2-01": 4, "U2-02": 2, "U2-04": 3},
           description="the fifth product's rating is below the minimum; its other rows are right "
                       "(carried forward)"),
    Defect("board-style-differs", UNIT, _set(BOARD, "JY006", "风格", "简约"), {"U2-02": 2 - 2 * EACH},
           description="one board field differs from the pool: the product's 0.4 is lost"),
    Defect("supplier-moq-wrong", UNIT, _set(SUPPLIERS, "JY009", "起订量", 8), {"U2-03": 2 - 2 * EACH},
           description="MOQ 8 where the pool says 80"),
    Defect("price-0.011-off", UNIT, _set(TEMPLATE, "JY003", "售价(USD)", "4.011"), {"U2-04": 3 - 3 * EACH},
           description="price 0.011 above the formula's 4.00: outside the 0.01 tolerance"),
    Defect("stock-below-moq", UNIT, _set(TEMPLATE, "JY014", "库存", 199), {"U2-05": 2 - EACH},
           description="stock 199 with an MOQ of 200: the stock half of the product's 0.4 is lost"),
    Defect("main-image-unnamed", UNIT, _set(TEMPLATE, "JY006", "主图", "主图1.jpg"), {"U2-06": 1 - EACH},
           description="main image neither in u4_images/ nor named <sku>.MAIN.jpg"),
    Defect("sixth-product", UNIT, _add_sixth, {"U2-01": 5, "U2-02": 2}, flags=("extra-products",),
           description="a sixth qualifying product: it earns nothing and is flagged"),
    Defect("weight-in-grams", UNIT, _set(TEMPLATE, "JY003", "重量(kg)", 180), {"U2-05": 2 - EACH},
           flags=("unit-g-for-kg",), description="weight 180 (grams) where the pool says 0.18 kg"),
    Defect("product-not-in-pool", UNIT, _replace("JY014", "JY099", "JY014"),
           {"U2-01": 4, "U2-02": 2 - 2 * EACH, "U2-03": 2 - 2 * EACH, "U2-04": 3 - 3 * EACH,
            "U2-05": 2 - 2 * EACH, "U2-06": 1 - EACH},
           description="a product id the pool does not hold: 0 for it in every criterion"),
    Defect("edges-and-text", UNIT, _edges_and_text, dict(ALL_FULL),
           description="price exactly 0.01 above the formula as \"$4.01\", a .99 price as text, weight "
                       "0.005 off as \"0.955kg\", stock at the supplier's stock and at the MOQ, cost "
                       "\"¥21.00\", a lower-case id, a repeated board row: full marks"),
    Defect("template-row-missing", UNIT, _drop_template_row,
           {"U2-04": 3 - 3 * EACH, "U2-05": 2 - 2 * EACH, "U2-06": 1 - EACH},
           description="no template row for one chosen product"),
]
