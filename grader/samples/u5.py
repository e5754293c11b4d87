"""Unit 5 samples: a correct u5_optimization.xlsx from the key, and defects with the points they leave.

The new prices are the largest x.99 at or below each SKU's competitor median, the promotion 20% off
for 20 days from the exam date, the stock 30 days of sales plus 10 (within the warehouse stock)
and the lead time 2 days. Promo dates are written three ways, as candidates do: date cells, an
ISO text date and a bare Excel serial number (a date cell that lost its format).
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from grader.samples.drafts import Defect, Drafts, WorkbookDraft, together

UNIT = "U5"
DELIVERABLE = "u5_optimization"
LISTING, PRICING = "优化文案", "价格库存"
HEADERS = ["SKU", "新价格", "促销价", "促销开始日期", "促销结束日期", "库存", "备货期(天)"]
PROMO_DAYS = 20
PROMO_OFF = Decimal("0.80")
EXCEL_EPOCH = dt.date(1899, 12, 30)

TITLE = ("{brand} Insulated Water Bottle, 18/8 Stainless Steel Water Bottle with Leak Proof Lid, Double Wall "
         "Vacuum Flask 500ml/750ml for Gym, Hiking and Travel")
SEARCH_TERMS = ("insulated stainless steel water bottle vacuum flask leak proof sports gym reusable metal double "
                "wall hot cold bpa free travel mug")
DESCRIPTION = (
    "Meet the new HydroKeep bottle: 18/8 food-grade stainless steel inside and out, with double-wall vacuum "
    "insulation that keeps drinks cold for 24 hours and hot for 12. It comes in 500 ml (17 oz) for the office "
    "and the car and in 750 ml (25 oz) for long hikes and training days. The leak proof lid has a silicone "
    "seal and a carry loop, and the powder-coated body gives a firm, dry grip.")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def new_price(data: dict) -> Decimal:
    """The largest x.99 at or below the competitor median."""
    median = _median([Decimal(str(v)) for v in data["competitor_prices_usd"].values()])
    price = Decimal(math.floor(median)) + Decimal("0.99")
    return price if price <= median else price - 1


def serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def perfect(key) -> Drafts:
    materials = key["optimization"]
    brand = key["product"]["brand"]
    listing = [["字段", "内容"], ["新标题", TITLE.format(brand=brand)], ["搜索词", SEARCH_TERMS],
               ["商品描述", DESCRIPTION]]
    start = materials["exam_date"]
    end = start + dt.timedelta(days=PROMO_DAYS)
    pricing = [list(HEADERS)]
    for index, (sku, data) in enumerate(materials["skus"].items()):
        price = new_price(data)
        need = math.ceil(30 * Decimal(str(data["avg_daily_sales"])))
        stock = min(need + 10, int(data["warehouse_stock"]))
        dates: tuple = (start, end)
        if index == 6:
            dates = (start.isoformat(), end.isoformat())
        elif index == 7:
            dates = (serial(start), serial(end))
        pricing.append([sku, float(price), float(_cents(price * PROMO_OFF)), *dates, stock, 2])
    return {DELIVERABLE: WorkbookDraft(DELIVERABLE, {LISTING: listing, PRICING: pricing})}


# ---------------------------------------------------------------- defect helpers

SKUS = 8  # the key's SKUs: the per-SKU criteria move by 1/8 of their points per SKU


def _set(label: str, value) -> callable:
    def apply(drafts: Drafts, key) -> None:
        drafts[DELIVERABLE].set_field(LISTING, label, value(key) if callable(value) else value)

    return apply


def _cell(row: int, column: str, value) -> callable:
    def apply(drafts: Drafts, key) -> None:
        drafts[DELIVERABLE].set_cell(PRICING, column, row, value(key) if callable(value) else value)

    return apply


def _data(key, row: int) -> dict:
    return list(key["optimization"]["skus"].values())[row]


def _exam(key) -> dt.date:
    return key["optimization"]["exam_date"]


def _need(key, row: int) -> int:
    return math.ceil(30 * Decimal(str(_data(key, row)["avg_daily_sales"])))


def _drop_row(row: int) -> callable:
    def apply(drafts: Drafts, key) -> None:
        del drafts[DELIVERABLE].sheet(PRICING)[row + 1]

    return apply


def _title(text: str) -> callable:
    return _set("新标题", lambda k: text.format(brand=k["product"]["brand"]))


PER_SKU_6 = Fraction(3, SKUS)  # U5-06: 3 points a SKU share
PER_SKU_7_HALF = Fraction(3, 2 * SKUS)  # U5-07: half of a SKU's share

DEFECTS = [
    Defect("new-title-best-seller", UNIT, _title(TITLE + " Best Seller"),
           {"U5-01": 2}, description="new title carries the banned claim Best Seller (fails U3-04's rule)"),
    Defect("new-title-lacks-top-keyword", UNIT, _title(TITLE.replace("Stainless Steel Water", "Stainless Water")),
           {"U5-02": Fraction(4, 3)}, description="new title lacks stainless steel water bottle"),
    Defect("new-title-is-old-title", UNIT, _set("新标题", lambda k: k["optimization"]["current_listing"]["title"]),
           {"U5-01": 1, "U5-02": Fraction(2, 3), "U5-03": 0},
           description="the old title kept: form and banned words fail, one top keyword, 100 similar"),
    Defect("search-terms-four-keywords", UNIT, _set("搜索词", "insulated stainless steel water bottle flask leak proof"),
           {"U5-04": 0}, description="search terms hold only 4 report keywords"),
    Defect("description-199-characters", UNIT, _set("商品描述", DESCRIPTION[:199]),
           {"U5-05": 0}, description="description of 199 characters"),
    Defect("price-above-median", UNIT, _cell(0, "新价格", 25.25),
           {"U5-06": 3 - PER_SKU_6 + PER_SKU_6 / 3},
           description="one price 0.01 above the competitor median 25.24, below the old price: 1 of 3"),
    Defect("price-below-floor", UNIT, _cell(1, "新价格", 9.94),
           {"U5-06": 3 - PER_SKU_6, "U5-07": 3 - PER_SKU_7_HALF},
           description="one price below the break-even floor 9.9420; its promo is then above the price"),
    Defect("promo-31-days", UNIT, _cell(2, "促销结束日期", lambda k: _exam(k) + dt.timedelta(days=31)),
           {"U5-07": 3 - PER_SKU_7_HALF}, description="one promotion lasting 31 days"),
    Defect("promo-starts-before-exam", UNIT, _cell(3, "促销开始日期", lambda k: _exam(k) - dt.timedelta(days=1)),
           {"U5-07": 3 - PER_SKU_7_HALF}, description="one promotion starting the day before the exam date"),
    Defect("promo-date-not-a-date", UNIT, _cell(4, "促销开始日期", lambda k: _exam(k).strftime("%d/%m/%Y")),
           {"U5-07": 3 - PER_SKU_7_HALF}, description="one promo start typed 25/11/2026, which is not a date"),
    Defect("stock-below-30-days", UNIT, together(_cell(0, "库存", lambda k: _need(k, 0) - 1),
                                             _cell(5, "库存", lambda k: _need(k, 5) - 1)),
           {"U5-08": Fraction(3, 2)}, description="two SKUs one unit short of 30 days of sales"),
    Defect("lead-time-4", UNIT, _cell(6, "备货期(天)", 4),
           {"U5-09": 0}, description="one lead time of 4 days"),
    Defect("sku-row-missing", UNIT, _drop_row(7),
           {"U5-06": 3 - PER_SKU_6, "U5-07": 3 - 2 * PER_SKU_7_HALF, "U5-08": Fraction(7, 4), "U5-09": 0},
           description="the last SKU has no row"),
    Defect("boundaries-that-pass", UNIT, together(
        _cell(3, "新价格", 24.49), _cell(3, "促销价", 19.59),
        _cell(0, "促销结束日期", lambda k: _exam(k) + dt.timedelta(days=30)),
        _cell(1, "库存", lambda k: _need(k, 1)),
        _cell(4, "新价格", 28.98), _cell(4, "促销价", 14.49),
        _cell(5, "新价格", 29.00), _cell(5, "促销价", 26.10)),
           {"U5-06": 3, "U5-07": 3, "U5-08": 2},
           description="a price equal to the median, a 30-day promotion, stock of exactly 30 days of sales, "
                       "promotions exactly 50% and 10% off"),
    Defect("promo-discount-too-small", UNIT, _cell(5, "促销价", lambda k: float(new_price(_data(k, 5)) - 1)),
           {"U5-07": 3 - PER_SKU_7_HALF}, description="one promotion only 1 USD (3.4%) off"),
    Defect("stock-above-warehouse", UNIT, _cell(2, "库存", lambda k: int(_data(k, 2)["warehouse_stock"]) + 1),
           {"U5-08": Fraction(7, 4)}, description="one stock above the warehouse stock"),
]
