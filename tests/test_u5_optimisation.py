"""Unit 5 (商品管理/二次优化): every criterion's Okay case and each failing case, with exact points and evidence.

The workbooks are built from the sample module's perfect drafts and read with the real sheet
reader. Price and date edges use a one-SKU copy of the key whose floor is exactly 10.00 USD
((50.35 + 10.00) / 7.10 / 0.85), competitor median 23.00 and old price 30.00, exam date 2026-11-25.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import failing, workbook_of
from helpers import grade_sheets as grade
from helpers import sheet_points as points

from grader.checks import REGISTRY, CheckContext
from grader.checks import optimisation as O
from grader.checks.listing import similarity
from grader.errors import PaperError
from grader.paper import Key, load_paper
from grader.read.tables import build_workbook, read_grid
from grader.samples import u5

REPO = Path(__file__).resolve().parent.parent
EXAM = dt.date(2026, 11, 25)
SKU = "HKB100-BLK-500"
PRICE, PROMO, START, END, STOCK, LEAD = "新价格", "促销价", "促销开始日期", "促销结束日期", "库存", "备货期(天)"


# ---------------------------------------------------------------- helpers


@pytest.fixture()
def sheets(paper):
    return copy.deepcopy(u5.perfect(paper.key)["u5_optimization"].sheets)


@pytest.fixture()
def one_sku(paper):
    """A one-SKU key: floor exactly 10.00, competitor median 23.00, old price 30.00, 4 a day, 300 in stock."""
    return key_with(paper, {SKU: {"old_price_usd": "30.00", "listed_stock": 0, "cost_cny": "50.35",
                                  "freight_cny": "10.00", "avg_daily_sales": "4", "warehouse_stock": 300,
                                  "competitor_prices_usd": {"A": "20.00", "B": "22.00", "C": "24.00", "D": "26.00"}}})


@pytest.fixture()
def one_row(sheets):
    """The perfect sheets cut to the first SKU: 24.99 → 19.99 from the exam date for 20 days."""
    sheets[u5.PRICING] = sheets[u5.PRICING][:2]
    return sheets


def key_with(paper, skus=None, **changes) -> Key:
    optimization = copy.deepcopy(paper.key["optimization"])
    if skus is not None:
        optimization["skus"] = skus
    optimization.update(changes)
    sections = {s: paper.key[s] for s in ("product", "banned_words", "keyword_report", "keywords_cn")}
    return Key(paper.key.root, {**sections, "optimization": optimization}, {})




def put(sheets, label, value):
    for row in sheets[u5.LISTING][1:]:
        if row[0] == label:
            row[1] = value
            return
    raise KeyError(label)


def cell(sheets, row, header, value):
    table = sheets[u5.PRICING]
    table[row + 1][table[0].index(header)] = value



TITLE = u5.TITLE.format(brand="HydroKeep")


# ---------------------------------------------------------------- the perfect candidate and the materials


def test_perfect_optimisation_scores_every_criterion_in_full(paper, sheets):
    for criterion in paper.unit("U5").criteria:
        got, outcome = grade(paper, criterion.id, sheets)
        assert got == criterion.points, (criterion.id, [e.message for e in failing(outcome)])


def test_real_xlsx_with_date_cells_iso_text_and_serials(paper, tmp_path):
    path = u5.perfect(paper.key)["u5_optimization"].write(tmp_path)
    grid = read_grid(path)
    book = build_workbook(path.name, grid, list(paper.deliverables["u5_optimization"].sheets))
    pricing = book.sheet("pricing")
    assert pricing.rows[0]["promo_start"].is_date
    assert pricing.rows[6]["promo_start"].value == "2026-11-25"
    assert pricing.rows[7]["promo_start"].value == 46351 and not pricing.rows[7]["promo_start"].is_date
    for criterion in paper.unit("U5").criteria:
        outcome = REGISTRY[criterion.check].func(CheckContext(criterion.id, book, paper.key, criterion.params,
                                                              typo_min_letters=paper.typo_min_letters))
        assert outcome.share == 1, criterion.id


def test_floor_and_median_are_exact(paper, one_sku):
    assert O.floor_price(one_sku, SKU) == 10
    assert O.competitor_median(one_sku, SKU) == 23
    assert O.floor_price(paper.key, SKU) == Fraction(6000, 6035) * 10
    assert O.median([Fraction(3), Fraction(1), Fraction(2)]) == 2
    assert O.median([Fraction(1), Fraction(4)]) == Fraction(5, 2)


def test_top_keywords_by_volume_ties_keep_report_order(paper):
    assert O.top_keywords(paper.key, 3) == ["water bottle", "insulated water bottle", "stainless steel water bottle"]
    report = [{"keyword": "b", "search_volume": "10"}, {"keyword": "a", "search_volume": "20"},
              {"keyword": "c", "search_volume": "10"}, {"keyword": "d", "search_volume": "10"}]
    key = Key(Path("."), {"keyword_report": report}, {})
    assert O.top_keywords(key, 3) == ["a", "b", "c"]


# ---------------------------------------------------------------- U5-01


@pytest.mark.parametrize("title, expected, says", [
    (TITLE + " Best Seller", 2, "title banned words (U3-04): banned 'Best Seller'"),
    (TITLE + " Free-Shipping", 2, "banned 'Free-Shipping'"),
    (TITLE.replace("Leak Proof", "LEAKPROOF"), 2, "title form (U3-03): all-caps LEAKPROOF"),
    (TITLE[:79], 2, "title length and brand (U3-01): title 79 characters, not 80–200"),
    (TITLE[:80], 3, ""),
    ("Insulated " + TITLE.replace("HydroKeep Insulated ", "HydroKeep "), 2, "does not start with the brand"),
    (TITLE.replace("HydroKeep", "hydrokeep"), 2, "not capitalised: hydrokeep"),  # U3-01 ignores case, U3-03 not
])
def test_u5_01_three_parts_one_each(paper, sheets, title, expected, says):
    put(sheets, "新标题", title)
    got, outcome = grade(paper, "U5-01", sheets)
    assert got == expected, [e.message for e in failing(outcome)]
    assert says in " ".join(e.message for e in failing(outcome))


def test_u5_01_evidence_names_the_rules_as_the_paper_numbers_them(paper, sheets):
    criterion = paper.criterion("U5-01")
    params = {**criterion.params, "same_rules_as": ["T-1", "T-3", "T-4"]}
    put(sheets, "新标题", None)
    ctx = CheckContext("U5-01", workbook_of(paper, "u5_optimization", sheets), paper.key, params)
    outcome = REGISTRY["new_title_rules"].func(ctx)
    assert [e.message.split(":")[0] for e in outcome.evidence] == [
        "title length and brand (T-1)", "title form (T-3)", "title banned words (T-4)"]
    assert outcome.share == 0


def test_u5_01_old_title_and_empty_title(paper, sheets):
    put(sheets, "新标题", paper.key["optimization"]["current_listing"]["title"])
    assert points(paper, "U5-01", sheets) == 1  # length and brand pass; form and banned words fail
    put(sheets, "新标题", None)
    got, outcome = grade(paper, "U5-01", sheets)
    assert got == 0 and len(failing(outcome)) == 3


# ---------------------------------------------------------------- U5-02


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t, 2),
    (lambda t: t.replace("Stainless Steel Water", "Stainless Water"), Fraction(4, 3)),
    (lambda t: t.replace("Insulated Water Bottle", "Insulated Bottle"), Fraction(4, 3)),  # water bottle still in
    (lambda t: t.replace("Water Bottle", "Flask"), 0),
    (lambda t: t.replace("Water Bottle, 18/8", "Water Botles, 18/8"), 2),  # plural and a typo in "bottle"
])
def test_u5_02_top_three_keywords_each_two_thirds(paper, sheets, edit, expected):
    put(sheets, "新标题", edit(TITLE))
    got, outcome = grade(paper, "U5-02", sheets)
    assert got == expected
    assert len(outcome.evidence) == 3


@pytest.mark.parametrize("typo_min_letters, expected", [(6, 2), (7, Fraction(4, 3))])
def test_u5_02_typo_rule_is_the_papers(paper, sheets, typo_min_letters, expected):
    put(sheets, "新标题", TITLE.replace("Water Bottle, 18/8", "Water Botle, 18/8"))  # 6-letter "bottle": one keyword
    got, _ = grade(dataclasses.replace(paper, typo_min_letters=typo_min_letters), "U5-02", sheets)
    assert got == expected


# ---------------------------------------------------------------- U5-03


@pytest.mark.parametrize("old_length, new_length, similar, expected", [(115, 85, 85, 0), (116, 84, 84, 1)])
def test_u5_03_similarity_85_fails_84_passes(paper, sheets, old_length, new_length, similar, expected):
    text = "abcdefghij" * 12
    key = key_with(paper, current_listing={"title": text[:old_length]})
    put(sheets, "新标题", text[:new_length])
    assert similarity(text[:new_length], text[:old_length]) == similar
    got, outcome = grade(paper, "U5-03", sheets, key=key)
    assert got == expected
    assert outcome.evidence[0].message.startswith(f"title: {similar} similar to the old title")


def test_u5_03_old_title_lightly_edited_and_empty(paper, sheets):
    old = paper.key["optimization"]["current_listing"]["title"]
    put(sheets, "新标题", old.replace("!!!", "").upper())
    got, outcome = grade(paper, "U5-03", sheets)
    assert got == 0 and "(≥ 85)" in outcome.evidence[0].message
    put(sheets, "新标题", "")
    got, outcome = grade(paper, "U5-03", sheets)
    assert got == 0 and outcome.evidence[0].message == "title: no new title written"


# ---------------------------------------------------------------- U5-04


def test_u5_04_bytes_both_sides_of_249(paper, sheets):
    terms = u5.SEARCH_TERMS + " 保温杯 café"
    pad = 249 - len((terms + " ").encode("utf-8"))
    exact = terms + " " + "z" * pad
    assert len(exact.encode("utf-8")) == 249
    put(sheets, "搜索词", exact)
    assert points(paper, "U5-04", sheets) == 3
    put(sheets, "搜索词", exact + "z")
    got, outcome = grade(paper, "U5-04", sheets)
    assert got == 0 and "250 bytes > 249" in outcome.evidence[0].message


@pytest.mark.parametrize("terms, expected, says", [
    ("insulated stainless steel water bottle flask leak proof", 0, "4 report keywords"),
    ("insulated stainless steel water bottle vacuum flask leak proof", 3, ""),  # 5, all may be in the title
    (u5.SEARCH_TERMS + " Bottle", 0, "words repeated: bottle"),
    (u5.SEARCH_TERMS + " bottles", 3, ""),  # number kept
    (u5.SEARCH_TERMS + " best seller", 0, "banned 'best seller'"),
    (u5.SEARCH_TERMS + " 最佳", 0, "banned '最佳'"),
    (None, 0, "0 report keywords"),
])
def test_u5_04_search_terms(paper, sheets, terms, expected, says):
    put(sheets, "搜索词", terms)
    got, outcome = grade(paper, "U5-04", sheets)
    assert got == expected
    assert says in outcome.evidence[0].message


# ---------------------------------------------------------------- U5-05


@pytest.mark.parametrize("text, expected, says", [
    (u5.DESCRIPTION[:199], 0, "199 characters, not 200–2000"),
    (u5.DESCRIPTION[:200], 2, ""),
    (u5.DESCRIPTION + " 100% quality guaranteed.", 0, "banned '100% quality guaranteed'"),
    (u5.DESCRIPTION.replace("18/8 food-grade stainless steel", "metal"), 0, "does not state the material"),
    (u5.DESCRIPTION.replace("500 ml (17 oz)", "small").replace("750 ml (25 oz)", "large"), 0,
     "does not state the size"),
])
def test_u5_05_description(paper, sheets, text, expected, says):
    put(sheets, "商品描述", text)
    got, outcome = grade(paper, "U5-05", sheets)
    assert got == expected, outcome.evidence[0].message
    assert says in outcome.evidence[0].message


# ---------------------------------------------------------------- U5-06


@pytest.mark.parametrize("price, expected, says", [
    (10.00, 3, "between the floor and the competitor median"),  # the floor itself
    (9.99, 0, "below the floor"),
    (22.99, 3, ""),  # the .99 below the median
    (23.00, 3, ""),  # the median itself
    (23.01, 1, "above the competitor median, below the old price"),
    (23.99, 1, ""),  # the .99 above the median
    (29.99, 1, ""),
    (30.00, 0, "at or above the old price"),
    ("$22.99", 3, ""),
    ("22,99", 0, "not a number"),
    (None, 0, "not a number"),
])
def test_u5_06_price_edges(paper, one_sku, one_row, price, expected, says):
    cell(one_row, 0, PRICE, price)
    got, outcome = grade(paper, "U5-06", one_row, key=one_sku)
    assert got == expected
    assert says in outcome.evidence[0].message
    assert outcome.evidence[0].cell == "B2"


def test_u5_06_median_of_an_odd_count(paper, sheets):
    cell(sheets, 3, PRICE, 24.49)  # HKB100-GRN-500: five competitors, median 24.49
    assert points(paper, "U5-06", sheets) == 3
    cell(sheets, 3, PRICE, 24.50)
    assert points(paper, "U5-06", sheets) == 3 - Fraction(3, 8) + Fraction(1, 8)


def test_u5_06_averaged_and_missing_sku_and_case(paper, sheets):
    cell(sheets, 0, PRICE, 25.25)  # above the median: 1 of 3
    cell(sheets, 1, "SKU", "hkb100-wht-500")  # SKUs keep their case: no row for HKB100-WHT-500
    got, outcome = grade(paper, "U5-06", sheets)
    assert got == 3 - Fraction(2, 8) - Fraction(3, 8)
    assert any(e.message == "HKB100-WHT-500: no row" for e in outcome.evidence)


def test_u5_06_repeated_sku_graded_on_first_row(paper, sheets):
    sheets[u5.PRICING].append([SKU, 99.0, 1.0, EXAM, EXAM, 0, 9])
    for criterion in ("U5-06", "U5-07", "U5-08", "U5-09"):
        assert points(paper, criterion, sheets) == next(c.points for c in paper.criteria() if c.id == criterion)


# ---------------------------------------------------------------- U5-07


def test_u5_07_promo_price_in_chinese(paper, one_sku, one_row):
    for price, promo, says in ((20.00, 21.00, "促销价 21.00 比新价格 20.00 高 5%，应低 10–50%"),
                               (20.00, 18.01, "促销价 18.01 比新价格 20.00 低 9.95%，应为 10–50%")):
        cell(one_row, 0, PRICE, price)
        cell(one_row, 0, PROMO, promo)
        _, outcome = grade(paper, "U5-07", one_row, key=one_sku)
        assert f"{SKU} 促销价：{says}" in [e.message_zh for e in outcome.evidence]


@pytest.mark.parametrize("price, promo, expected, says", [
    (20.00, 18.00, 3, ""),  # exactly 10% off
    (20.00, 18.01, Fraction(3, 2), "9.95% below the new price 20.00, not 10–50%"),
    (22.00, 11.00, 3, ""),  # exactly 50% off
    (22.00, 10.99, Fraction(3, 2), "50.05% below"),
    (12.00, 10.00, 3, ""),  # 16.67% off, exactly the floor
    (12.00, 9.99, Fraction(3, 2), "promo 9.99 below the floor 10.00"),
    (20.00, 21.00, Fraction(3, 2), "promo 21.00 is 5% above the new price 20.00, not 10–50% below"),
    (20.00, None, Fraction(3, 2), "promo price (empty) is not a number"),
    (None, 15.00, Fraction(3, 2), "new price (empty) is not a positive number"),
])
def test_u5_07_promo_price_against_own_new_price(paper, one_sku, one_row, price, promo, expected, says):
    cell(one_row, 0, PRICE, price)
    cell(one_row, 0, PROMO, promo)
    got, outcome = grade(paper, "U5-07", one_row, key=one_sku)
    assert got == expected
    assert says in " ".join(e.message for e in outcome.evidence)


@pytest.mark.parametrize("start, end, expected, says", [
    (EXAM, EXAM + dt.timedelta(days=30), 3, ""),  # exactly 30 days
    (EXAM, EXAM + dt.timedelta(days=31), Fraction(3, 2), "lasts 31 days > 30"),
    (EXAM - dt.timedelta(days=1), EXAM + dt.timedelta(days=10), Fraction(3, 2),
     "starts 2026-11-24 before the exam date 2026-11-25"),
    (EXAM, EXAM, Fraction(3, 2), "ends 2026-11-25, not after its start 2026-11-25"),
    (EXAM + dt.timedelta(days=5), EXAM + dt.timedelta(days=1), Fraction(3, 2), "not after its start"),
    (46351, 46371, 3, ""),  # Excel serials in plain number cells
    (46350, 46371, Fraction(3, 2), "starts 46350 (= 2026-11-24) before the exam date 2026-11-25"),
    (46351, 46351.25, Fraction(3, 2), "ends 46351.25 (= 2026-11-25), not after its start 46351 (= 2026-11-25)"),
    (46351.5, "2026-12-15", 3, ""),  # a serial with a time, and ISO text
    ("2026-11-25 09:30", "2026-12-15T18:00", 3, ""),  # ISO text with a time
    (dt.datetime(2026, 11, 25, 8, 0), dt.datetime(2026, 12, 25, 23, 0), 3, ""),  # 30 days by date
    ("25/11/2026", "2026-12-15", Fraction(3, 2), "promo_start 25/11/2026 (D2) is not a date"),
    ("2026/11/25", "2026-12-15", Fraction(3, 2), "is not a date"),
    ("46351", "2026-12-15", Fraction(3, 2), "is not a date"),  # a serial typed as text is not a date
    (19999, "2026-12-15", Fraction(3, 2), "promo_start 19999 (D2) is not a date"),
    ("2026-02-30", "2026-12-15", Fraction(3, 2), "is not a date"),
    (None, "2026-12-15", Fraction(3, 2), "promo_start (empty) (D2) is not a date"),
])
def test_u5_07_promo_dates(paper, one_sku, one_row, start, end, expected, says):
    cell(one_row, 0, START, start)
    cell(one_row, 0, END, end)
    got, outcome = grade(paper, "U5-07", one_row, key=one_sku)
    assert got == expected
    assert says in " ".join(e.message for e in outcome.evidence)


def test_u5_07_averaged_over_the_key_skus(paper, sheets):
    cell(sheets, 2, END, EXAM + dt.timedelta(days=31))
    cell(sheets, 5, PROMO, 28.00)
    cell(sheets, 5, START, "tomorrow")
    assert points(paper, "U5-07", sheets) == 3 - 3 * Fraction(3, 16)
    del sheets[u5.PRICING][8]
    assert points(paper, "U5-07", sheets) == 3 - 3 * Fraction(3, 16) - Fraction(3, 8)


# ---------------------------------------------------------------- U5-08


@pytest.mark.parametrize("stock, expected, says", [
    (120, 2, "stock 120 covers 30 days (120)"),  # exactly 30 × 4
    (119, 0, "stock 119 < 30 days of sales (120)"),
    (300, 2, ""),  # exactly the warehouse stock
    (301, 0, "stock 301 > warehouse stock 300"),
    ("150", 2, ""),
    (150.5, 0, "is not a whole number"),
    (None, 0, "is not a whole number"),
])
def test_u5_08_stock_edges(paper, one_sku, one_row, stock, expected, says):
    cell(one_row, 0, STOCK, stock)
    got, outcome = grade(paper, "U5-08", one_row, key=one_sku)
    assert got == expected
    assert says in outcome.evidence[0].message


def test_u5_08_fractional_daily_sales_and_proportion(paper, sheets):
    cell(sheets, 0, STOCK, 126)  # 30 × 4.2 = 126 exactly
    cell(sheets, 7, STOCK, 24)  # 30 × 0.8 = 24 exactly
    assert points(paper, "U5-08", sheets) == 2
    cell(sheets, 0, STOCK, 125)
    cell(sheets, 7, STOCK, 23)
    assert points(paper, "U5-08", sheets) == Fraction(3, 2)


# ---------------------------------------------------------------- U5-09


@pytest.mark.parametrize("lead, expected", [(1, 1), (3, 1), (4, 0), (0, 0), (15, 0), ("2", 1), (2.5, 0), (None, 0)])
def test_u5_09_lead_time_edges(paper, sheets, lead, expected):
    cell(sheets, 4, LEAD, lead)
    got, outcome = grade(paper, "U5-09", sheets)
    assert got == expected
    if not expected:
        assert failing(outcome)[0].cell == "G6"


def test_u5_09_needs_a_row_for_every_sku(paper, sheets):
    del sheets[u5.PRICING][3]
    got, outcome = grade(paper, "U5-09", sheets)
    assert got == 0 and failing(outcome)[0].message == "HKB100-BLU-500: no row"


def test_missing_pricing_sheet(paper, sheets):
    del sheets[u5.PRICING]
    got, outcome = grade(paper, "U5-06", sheets)
    assert got == 0 and outcome.evidence[0].sheet == "pricing"


# ---------------------------------------------------------------- the key's guarantees (convention 21)


def test_guarantees_hold_for_the_paper(paper):
    params = {"days": 30, "top": 3}
    assert O._price_guarantees(paper.key, params) == []
    assert O._stock_guarantees(paper.key, params) == []
    assert O._report_guarantees(paper.key, params) == []


def test_price_guarantee_refuses_floor_median_old_out_of_order(paper):
    skus = copy.deepcopy(paper.key["optimization"]["skus"])
    skus[SKU]["old_price_usd"] = "25.24"  # equal to the median
    skus["HKB100-WHT-500"]["cost_cny"] = "200"  # floor above the median
    problems = O._price_guarantees(key_with(paper, skus), {})
    assert len(problems) == 2 and "HKB100-BLK-500: floor 9.9420 < median 25.24 < old price 25.24" in problems[0]


def test_stock_and_report_guarantees(paper):
    skus = copy.deepcopy(paper.key["optimization"]["skus"])
    skus[SKU]["warehouse_stock"] = 125  # 30 × 4.2 = 126
    assert O._stock_guarantees(key_with(paper, skus), {"days": 30}) == [
        "optimization.skus.HKB100-BLK-500: 30 days of sales exceed the warehouse stock"]
    report = [dict(r) for r in paper.key["keyword_report"]]
    next(r for r in report if r["keyword"] == "cheapest water bottle")["search_volume"] = "100000"
    key = Key(paper.key.root, {"keyword_report": report, "banned_words": paper.key["banned_words"],
                               "keywords_cn": paper.key["keywords_cn"]}, {})
    assert O._report_guarantees(key, {"top": 3}) == [
        "keyword_report.csv: top keyword 'cheapest water bottle' holds a banned word"]


def test_a_bad_key_is_refused_at_load(tmp_path):
    shutil.copytree(REPO / "answer_keys" / "2026A", tmp_path / "answer_keys" / "2026A")
    (tmp_path / "rubrics").mkdir()
    shutil.copy(REPO / "rubrics" / "2026A.toml", tmp_path / "rubrics" / "2026A.toml")
    key_file = tmp_path / "answer_keys" / "2026A" / "optimization.toml"
    text = key_file.read_text(encoding="utf-8")
    key_file.write_text(text.replace('old_price_usd = "34.99"', 'old_price_usd = "19.99"', 1), encoding="utf-8")
    with pytest.raises(PaperError, match="U5-06's guarantee: optimization.skus.HKB100-BLK-500"):
        load_paper(tmp_path / "rubrics" / "2026A.toml")
    key_file.write_text(text.replace("warehouse_stock = 300", "warehouse_stock = 100", 1), encoding="utf-8")
    with pytest.raises(PaperError, match="U5-08's guarantee"):
        load_paper(tmp_path / "rubrics" / "2026A.toml")


@pytest.mark.parametrize("start, end, found", [
    (46351, 46371, "46351 (= 2026-11-25) → 46371 (= 2026-12-15)"),  # serials keep their date beside
    (46351.5, "2026-12-15", "46351.5 (= 2026-11-25) → 2026-12-15"),
    (EXAM, "2026-12-15", "2026-11-25 → 2026-12-15"),
    (19999, "2026-12-15", "19999 → 2026-12-15"),  # not a date: the number as typed, no date beside it
])
def test_u5_07_promo_dates_are_shown_as_typed_with_their_dates(paper, one_sku, one_row, start, end, found):
    cell(one_row, 0, START, start)
    cell(one_row, 0, END, end)
    _, outcome = grade(paper, "U5-07", one_row, key=one_sku)
    [dates] = [e for e in outcome.evidence if "promo dates" in e.message]
    assert dates.found == found
