"""Unit 2 (聚优选品): every criterion's Okay case and each failing case, with exact points and evidence.

The workbooks are built from the sample module's perfect drafts (the paper's Chinese headers) and
read with the real sheet reader, so header aliases are exercised too. Price edges use a copy of the
key whose pool is edited so the formula lands exactly on x.99 or x.991.
"""
from __future__ import annotations

import copy
import doctest
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import failing, reading_of, run_check

import grader.checks.selection
from grader.checks.selection import key_problems, smallest_ending
from grader.errors import PaperError
from grader.paper import Key, load_paper
from grader.read.submission import Submission
from grader.read.tables import build_workbook
from grader.samples import u2
from grader.samples.u2 import BOARD, HEADERS, SUPPLIERS, TEMPLATE

REPO = Path(__file__).resolve().parent.parent
FULL = {"U2-01": Fraction(5), "U2-02": Fraction(2), "U2-03": Fraction(2), "U2-04": Fraction(3),
        "U2-05": Fraction(2), "U2-06": Fraction(1)}
CRITERIA = tuple(FULL)


# ---------------------------------------------------------------- helpers


@pytest.fixture()
def sheets(paper):
    """The perfect candidate's three sheets as editable rows (header first)."""
    return copy.deepcopy(u2.perfect(paper.key)["u2_selection"].sheets)


def workbook(paper, sheets, *, only=None):
    grid = [(title, [[(v, False) for v in row] for row in rows]) for title, rows in sheets.items()
            if only is None or title in only]
    return build_workbook("u2_selection.xlsx", grid, list(paper.deliverables["u2_selection"].sheets))


def grade(paper, criterion_id, sheets, *, key=None, reading=None, only=None):
    """(points, outcome) of one criterion on the given sheets."""
    return run_check(paper, criterion_id, workbook(paper, sheets, only=only), key, reading)


def points(paper, criterion_id, sheets, **kwargs):
    return grade(paper, criterion_id, sheets, **kwargs)[0]


def row_of(sheets, title, product_id):
    column = HEADERS[title].index("产品编号")
    return next(r for r in sheets[title][1:] if str(r[column]).upper() == product_id)


def put(sheets, title, product_id, header, value):
    row_of(sheets, title, product_id)[HEADERS[title].index(header)] = value


def key_with(paper, pool_edits=None, selection_edits=None) -> Key:
    """A copy of the paper's key with some pool cells and selection values changed."""
    pool = [dict(row) for row in paper.key["pool"]]
    for product_id, changes in (pool_edits or {}).items():
        next(r for r in pool if r["product_id"] == product_id).update(changes)
    selection = copy.deepcopy(paper.key["selection"])
    selection.update(selection_edits or {})
    return Key(paper.key.root, {"pool": pool, "selection": selection}, {})


# ---------------------------------------------------------------- the perfect candidate


@pytest.mark.parametrize("criterion_id", CRITERIA)
def test_perfect_sheets_earn_every_criterion(paper, sheets, criterion_id):
    got, outcome = grade(paper, criterion_id, sheets)
    assert got == FULL[criterion_id]
    assert outcome.evidence and all(e.ok for e in outcome.evidence)
    assert not outcome.flags


def test_english_headers_and_sheet_names_are_read(paper, sheets):
    english = {BOARD: ("board", ["product_id", "platform", "country", "category", "material", "style"]),
               SUPPLIERS: ("suppliers", ["Product ID", "Supplier", "Contact", "cost_cny", "MOQ"]),
               TEMPLATE: ("template", ["SKU", "product-id", "Price USD", "Stock", "weight_kg", "Main Image"])}
    renamed = {english[t][0]: [english[t][1]] + rows[1:] for t, rows in sheets.items()}
    for criterion_id in CRITERIA:
        assert points(paper, criterion_id, renamed) == FULL[criterion_id], criterion_id


# ---------------------------------------------------------------- U2-01


@pytest.mark.parametrize("product_id, why", [
    ("JY007", "rating 4.4 < 4.5"),
    ("JY005", "monthly_sales 999 < 1000"),
    ("JY008", "weight_kg 1.01 > 1.0"),
    ("JY001", "platform eBay is not Amazon"),
    ("JY002", "country 英国 is not 美国"),
    ("JY004", "category 宠物用品 is not 家居厨房 / 运动户外"),
])
def test_u2_01_a_product_missing_one_rule_loses_its_point(paper, sheets, product_id, why):
    row_of(sheets, BOARD, "JY018")[0] = product_id
    got, outcome = grade(paper, "U2-01", sheets)
    assert got == 4
    [bad] = failing(outcome)
    assert bad.cell == "A6" and why in bad.message and bad.found == product_id


def test_u2_01_rules_include_their_ends(paper, sheets):
    # JY009: sales exactly 1000, rating exactly 4.5; JY018: weight exactly 1.00 kg
    _, outcome = grade(paper, "U2-01", sheets)
    ok = {e.found for e in outcome.evidence if e.ok}
    assert {"JY009", "JY018"} <= ok


def test_u2_01_a_sixth_product_earns_nothing_and_is_flagged(paper, sheets):
    for title, row in u2.product_rows(paper.key, "JY022").items():
        sheets[title].append(row)
    got, outcome = grade(paper, "U2-01", sheets)
    assert got == 5
    [flag] = outcome.flags
    assert flag.reason == "board lists 6 distinct products; JY022 (看板!A7) beyond the first 5 earn nothing"
    [bad] = failing(outcome)
    assert bad.cell == "A7" and "product 6" in bad.message


def test_u2_01_only_the_first_five_distinct_count(paper, sheets):
    sheets[BOARD].insert(1, u2.product_rows(paper.key, "JY007")[BOARD])  # a non-qualifying product first
    got, outcome = grade(paper, "U2-01", sheets)
    assert got == 4  # JY007 takes a slot and earns 0; JY018, now sixth, earns nothing
    assert [f.code for f in outcome.flags] == ["extra-products"] and "JY018" in outcome.flags[0].reason


def test_u2_01_a_repeated_product_is_graded_once_and_not_flagged(paper, sheets):
    sheets[BOARD].insert(2, ["JY003", "eBay", "英国", "宠物用品", "陶瓷", "卡通"])
    got, outcome = grade(paper, "U2-01", sheets)
    assert got == 5 and not outcome.flags
    [bad] = failing(outcome)
    assert bad.cell == "A3" and "listed again" in bad.message
    assert points(paper, "U2-02", sheets) == 2  # the first row is the one compared


def test_u2_01_repeat_does_not_make_room_for_a_sixth(paper, sheets):
    sheets[BOARD].insert(2, list(sheets[BOARD][1]))
    sheets[BOARD].append(u2.product_rows(paper.key, "JY022")[BOARD])
    got, outcome = grade(paper, "U2-01", sheets)
    assert got == 5 and [f.code for f in outcome.flags] == ["extra-products"]


def test_u2_01_an_id_not_in_the_pool_earns_nothing(paper, sheets):
    row_of(sheets, BOARD, "JY014")[0] = "JY099"
    got, outcome = grade(paper, "U2-01", sheets)
    assert got == 4
    [bad] = failing(outcome)
    assert bad.cell == "A5" and bad.message == "JY099 is not a product of the pool"


def test_u2_01_ids_are_read_in_any_case_and_width(paper, sheets):
    row_of(sheets, BOARD, "JY003")[0] = " ｊｙ003 "
    row_of(sheets, BOARD, "JY006")[0] = "jy006"
    assert points(paper, "U2-01", sheets) == 5


def test_u2_01_fewer_products_score_out_of_five(paper, sheets):
    del sheets[BOARD][4:]
    got, outcome = grade(paper, "U2-01", sheets)
    assert got == 3
    [bad] = failing(outcome)
    assert bad.message.startswith("3 distinct products chosen, 2 missing")


def test_u2_01_without_a_board_sheet_nothing_is_graded(paper, sheets):
    for criterion_id in CRITERIA:
        got, outcome = grade(paper, criterion_id, sheets, only={SUPPLIERS, TEMPLATE})
        assert got == 0, criterion_id
        assert outcome.evidence[0].found == "(missing)"


# ---------------------------------------------------------------- U2-02


def test_u2_02_one_field_different_costs_the_product_share(paper, sheets):
    put(sheets, BOARD, "JY006", "风格", "简约")
    got, outcome = grade(paper, "U2-02", sheets)
    assert got == Fraction(8, 5)
    [bad] = failing(outcome)
    assert bad.cell == "F3" and bad.expected == "北欧" and bad.found == "简约"


def test_u2_02_two_fields_different_cost_the_share_once(paper, sheets):
    put(sheets, BOARD, "JY006", "风格", "简约")
    put(sheets, BOARD, "JY006", "材质", "塑料")
    got, outcome = grade(paper, "U2-02", sheets)
    assert got == Fraction(8, 5) and len(failing(outcome)) == 2


def test_u2_02_equal_ignores_case_width_and_spaces(paper, sheets):
    put(sheets, BOARD, "JY003", "平台", " AMAZON ")
    put(sheets, BOARD, "JY014", "平台", "ａｍａｚｏｎ")
    assert points(paper, "U2-02", sheets) == 2


def test_u2_02_a_non_qualifying_product_is_still_graded(paper, sheets):
    rows = u2.product_rows(paper.key, "JY007")
    for title in HEADERS:
        sheet = sheets[title]
        sheet[sheet.index(row_of(sheets, title, "JY018"))] = rows[title]
    assert points(paper, "U2-01", sheets) == 4
    for criterion_id in CRITERIA[1:]:
        assert points(paper, criterion_id, sheets) == FULL[criterion_id], criterion_id


def test_u2_02_to_06_an_id_not_in_the_pool_earns_nothing(paper, sheets):
    for title in HEADERS:
        row_of(sheets, title, "JY014")[HEADERS[title].index("产品编号")] = "JY099"
    expected = {"U2-01": 4, "U2-02": Fraction(8, 5), "U2-03": Fraction(8, 5), "U2-04": Fraction(12, 5),
                "U2-05": Fraction(8, 5), "U2-06": Fraction(4, 5)}
    for criterion_id, want in expected.items():
        got, outcome = grade(paper, criterion_id, sheets)
        assert got == want, criterion_id
        assert any(e.message == "JY099 is not a product of the pool" for e in failing(outcome))


# ---------------------------------------------------------------- U2-03


def test_u2_03_a_wrong_moq_costs_the_product_share(paper, sheets):
    put(sheets, SUPPLIERS, "JY009", "起订量", 8)
    got, outcome = grade(paper, "U2-03", sheets)
    assert got == Fraction(8, 5)
    [bad] = failing(outcome)
    assert bad.cell == "E4" and bad.expected == "80" and bad.found == "8"


def test_u2_03_another_supplier_or_contact_fails(paper, sheets):
    put(sheets, SUPPLIERS, "JY003", "供应商", "东莞市佳硅制品厂")
    put(sheets, SUPPLIERS, "JY006", "联系方式", "13857921407")
    assert points(paper, "U2-03", sheets) == Fraction(6, 5)


@pytest.mark.parametrize("cost", ["¥12.60", "12.6元", "CNY 12.60", 12.6, "１２.６０"])
def test_u2_03_costs_compare_as_numbers(paper, sheets, cost):
    put(sheets, SUPPLIERS, "JY003", "采购成本", cost)
    put(sheets, SUPPLIERS, "JY003", "联系方式", 13929415072)  # a number cell
    put(sheets, SUPPLIERS, "JY003", "起订量", "100")
    assert points(paper, "U2-03", sheets) == 2


@pytest.mark.parametrize("cost", ["12,60", "12.61", "about 12.6", None])
def test_u2_03_a_cost_that_is_not_the_pool_number_fails(paper, sheets, cost):
    put(sheets, SUPPLIERS, "JY003", "采购成本", cost)
    got, outcome = grade(paper, "U2-03", sheets)
    assert got == Fraction(8, 5) and failing(outcome)[0].cell == "D2"


def test_u2_03_a_missing_supplier_row_or_sheet(paper, sheets):
    sheets[SUPPLIERS].remove(row_of(sheets, SUPPLIERS, "JY014"))
    got, outcome = grade(paper, "U2-03", sheets)
    assert got == Fraction(8, 5) and failing(outcome)[0].message == "JY014: no row in 供应商"
    assert points(paper, "U2-03", sheets, only={BOARD, TEMPLATE}) == 0


# ---------------------------------------------------------------- U2-04 (JY003: formula exactly 4.00)


@pytest.mark.parametrize("price", [4.00, "4", 3.99, 4.01, "$4.01", "USD 4.01", "4.01 USD", "＄４.０１", 4.99,
                                   "4.99"])
def test_u2_04_prices_within_a_cent_or_the_smallest_99_are_accepted(paper, sheets, price):
    put(sheets, TEMPLATE, "JY003", "售价(USD)", price)
    assert points(paper, "U2-04", sheets) == 3


@pytest.mark.parametrize("price", [4.011, 3.989, 4.02, 5.99, 3.99 - 1, "4,01", "about 4", None])
def test_u2_04_other_prices_lose_the_product_share(paper, sheets, price):
    put(sheets, TEMPLATE, "JY003", "售价(USD)", price)
    got, outcome = grade(paper, "U2-04", sheets)
    assert got == Fraction(12, 5)
    [bad] = failing(outcome)
    assert bad.cell == "C2" and bad.expected == "3.99–4.01 or 4.99"
    assert "(12.60 + 4.68) / 7.20 / (1 − 0.15 − 0.25) = 4.00" in bad.message


def test_u2_04_evidence_gives_expected_found_and_the_formula_value(paper, sheets):
    put(sheets, TEMPLATE, "JY006", "售价(USD)", 12.60)
    _, outcome = grade(paper, "U2-04", sheets)
    [bad] = failing(outcome)
    assert bad.found == "12.6" and bad.expected == "12.6335–12.6535 or 12.99"
    assert "= ≈12.6435" in bad.message and "≈0.0435 from the formula" in bad.message


def test_u2_04_uses_the_pool_cost_not_the_candidates(paper, sheets):
    put(sheets, SUPPLIERS, "JY003", "采购成本", 20.00)
    assert points(paper, "U2-04", sheets) == 3
    assert points(paper, "U2-03", sheets) == Fraction(8, 5)


def _x99_key(paper, freight):
    # (50 + freight) / 7.20 / 0.60 = (50 + freight) / 4.32: 6.1168 gives 12.99, 6.12112 gives 12.991
    return key_with(paper, {"JY003": {"purchase_cost_cny": "50.00", "freight_cny": freight}})


@pytest.mark.parametrize("freight, price, want", [
    ("6.1168", 12.99, 3),            # formula exactly 12.99: 12.99 is its own smallest .99
    ("6.1168", 13.99, Fraction(12, 5)),  # not the smallest .99, and 1.00 off
    ("6.1168", 13.00, 3),            # within 0.01
    ("6.12112", 13.99, 3),           # formula 12.991: the next .99 is 13.99
    ("6.12112", 12.99, 3),           # 0.001 off: within the cent
    ("6.12112", 12.981, 3),          # exactly 0.01 off
    ("6.12112", 12.98, Fraction(12, 5)),  # 0.011 off
    ("6.12112", 14.99, Fraction(12, 5)),  # a .99 price, not the smallest
])
def test_u2_04_the_99_rule_at_its_edge(paper, sheets, freight, price, want):
    put(sheets, TEMPLATE, "JY003", "售价(USD)", price)
    assert points(paper, "U2-04", sheets, key=_x99_key(paper, freight)) == want


def test_module_examples():
    result = doctest.testmod(grader.checks.selection)
    assert result.attempted > 0 and result.failed == 0


def test_smallest_ending():
    ending = Fraction(99, 100)
    assert smallest_ending(Fraction("12.99"), ending) == Fraction("12.99")
    assert smallest_ending(Fraction("12.991"), ending) == Fraction("13.99")
    assert smallest_ending(Fraction("13"), ending) == Fraction("13.99")
    assert smallest_ending(Fraction("0.5"), ending) == Fraction("0.99")


def test_u2_04_template_rows_are_matched_by_product_id_first_row(paper, sheets):
    template = sheets[TEMPLATE]
    template[1:] = list(reversed(template[1:]))
    assert points(paper, "U2-04", sheets) == 3  # order does not matter
    wrong = list(row_of(sheets, TEMPLATE, "JY003"))
    wrong[HEADERS[TEMPLATE].index("售价(USD)")] = 9.99
    template.append(wrong)  # a later repeat is ignored
    assert points(paper, "U2-04", sheets) == 3
    template.insert(1, wrong)  # a wrong first row is the one graded
    assert points(paper, "U2-04", sheets) == Fraction(12, 5)


def test_u2_04_to_06_a_missing_template_row_or_sheet(paper, sheets):
    sheets[TEMPLATE].remove(row_of(sheets, TEMPLATE, "JY018"))
    for criterion_id, want in (("U2-04", Fraction(12, 5)), ("U2-05", Fraction(8, 5)),
                               ("U2-06", Fraction(4, 5))):
        got, outcome = grade(paper, criterion_id, sheets)
        assert got == want and failing(outcome)[0].message == "JY018: no row in 上架模板"
        assert points(paper, criterion_id, sheets, only={BOARD, SUPPLIERS}) == 0


# ---------------------------------------------------------------- U2-05
# JY003: MOQ 100, supplier stock 1500, 0.18 kg


@pytest.mark.parametrize("stock, want", [
    (100, 2), (1500, 2), ("150", 2), (150.0, 2),
    (99, Fraction(9, 5)), (1501, Fraction(9, 5)), (120.5, Fraction(9, 5)), ("120件", Fraction(9, 5)),
    (None, Fraction(9, 5)),
])
def test_u2_05_stock_from_moq_to_supplier_stock(paper, sheets, stock, want):
    put(sheets, TEMPLATE, "JY003", "库存", stock)
    got, outcome = grade(paper, "U2-05", sheets)
    assert got == want
    if want != 2:
        [bad] = failing(outcome)
        assert bad.cell == "D2" and bad.expected == "100–1500"


def test_u2_05_stock_evidence_says_which_end_is_crossed(paper, sheets):
    put(sheets, TEMPLATE, "JY003", "库存", 99)
    assert failing(grade(paper, "U2-05", sheets)[1])[0].message == "JY003: stock 99 < MOQ 100"
    put(sheets, TEMPLATE, "JY003", "库存", 1501)
    assert failing(grade(paper, "U2-05", sheets)[1])[0].message == "JY003: stock 1501 > supplier stock 1500"


@pytest.mark.parametrize("weight", [0.18, 0.185, 0.175, "0.18kg", "0.18 KG", "0.185", "０.１８ｋｇ"])
def test_u2_05_weight_within_the_tolerance(paper, sheets, weight):
    put(sheets, TEMPLATE, "JY003", "重量(kg)", weight)
    assert points(paper, "U2-05", sheets) == 2


@pytest.mark.parametrize("weight", [0.186, 0.174, 0.35, "0,18", "about 0.18", None])
def test_u2_05_weight_off_the_pool_loses_the_weight_half(paper, sheets, weight):
    put(sheets, TEMPLATE, "JY003", "重量(kg)", weight)
    got, outcome = grade(paper, "U2-05", sheets)
    assert got == Fraction(9, 5) and not outcome.flags
    [bad] = failing(outcome)
    assert bad.cell == "E2" and bad.expected == "0.18"


@pytest.mark.parametrize("weight", [180, "180", "180g", 180.004])
def test_u2_05_grams_for_kilograms_fail_and_are_flagged(paper, sheets, weight):
    put(sheets, TEMPLATE, "JY003", "重量(kg)", weight)
    got, outcome = grade(paper, "U2-05", sheets)
    assert got == Fraction(9, 5)
    [flag] = outcome.flags
    assert flag.code == "unit-g-for-kg" and "上架模板!E2" in flag.reason and "0.18 kg" in flag.reason


def test_u2_05_both_halves_lost_and_a_boundary_product(paper, sheets):
    put(sheets, TEMPLATE, "JY018", "库存", 119)  # JY018: MOQ 120
    put(sheets, TEMPLATE, "JY018", "重量(kg)", 1.006)  # pool 1.00
    assert points(paper, "U2-05", sheets) == Fraction(8, 5)
    put(sheets, TEMPLATE, "JY018", "库存", 120)
    put(sheets, TEMPLATE, "JY018", "重量(kg)", 1.005)
    assert points(paper, "U2-05", sheets) == 2


# ---------------------------------------------------------------- U2-06 (sku JY003-A)


@pytest.mark.parametrize("name", ["JY003-A.MAIN.jpg", "JY003-A.MAIN.jpeg", "JY003-A.MAIN.png",
                                  " JY003-A.MAIN.jpg "])
def test_u2_06_the_naming_rule_for_the_rows_own_sku(paper, sheets, name):
    put(sheets, TEMPLATE, "JY003", "主图", name)
    assert points(paper, "U2-06", sheets) == 1


@pytest.mark.parametrize("name", ["JY003-A.main.jpg", "JY003-A.MAIN.JPG", "jy003-a.MAIN.jpg",
                                  "JY006-A.MAIN.jpg", "JY003-A.PT01.jpg", "JY003-A.MAIN.gif",
                                  "主图1.jpg", None])
def test_u2_06_other_names_lose_the_product_share(paper, sheets, name):
    put(sheets, TEMPLATE, "JY003", "主图", name)
    got, outcome = grade(paper, "U2-06", sheets)
    assert got == Fraction(4, 5)
    [bad] = failing(outcome)
    assert bad.cell == "F2" and "JY003-A.MAIN.jpg/jpeg/png" in bad.expected


def test_u2_06_without_a_sku_only_an_existing_file_counts(paper, sheets):
    put(sheets, TEMPLATE, "JY003", "SKU", None)
    assert points(paper, "U2-06", sheets) == Fraction(4, 5)


@pytest.fixture()
def candidate(tmp_path, paper):
    folder = tmp_path / "ks01"
    for rel in ("u4_images/HKB100.MAIN.jpg", "u4_images/HKB100.PT01.jpg", "u4_images/白底图.png",
                "other/JY003.jpg"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(b"not opened by unit 2")
    return listing(folder, paper, tmp_path)


def listing(folder, paper, disc_root):
    """What unit 2 sees of the candidate folder: its listing; no file is opened."""
    submission = Submission(folder, paper, disc_root=disc_root)
    files = [submission.relative(p) for p in submission.files]
    assert not submission.inputs
    return reading_of(paper, files=files)


@pytest.mark.parametrize("name", ["HKB100.MAIN.jpg", "HKB100.PT01.jpg", "白底图.png",
                                  "u4_images/HKB100.MAIN.jpg", "U4_Images\\HKB100.MAIN.jpg",
                                  "JY003-A.MAIN.jpg"])
def test_u2_06_an_existing_file_of_the_image_folder(paper, sheets, candidate, name):
    put(sheets, TEMPLATE, "JY003", "主图", name)
    got, outcome = grade(paper, "U2-06", sheets, reading=candidate)
    assert got == 1 and outcome.evidence[0].ok


@pytest.mark.parametrize("name", ["hkb100.main.jpg", "HKB100.PT02.jpg", "JY003.jpg", "other/JY003.jpg",
                                  "u4_images/JY003.jpg"])
def test_u2_06_a_file_not_in_the_image_folder(paper, sheets, candidate, name):
    put(sheets, TEMPLATE, "JY003", "主图", name)
    assert points(paper, "U2-06", sheets, reading=candidate) == Fraction(4, 5)


def test_u2_06_the_image_folder_one_level_too_deep(paper, sheets, tmp_path):
    folder = tmp_path / "ks03"
    (folder / "考生文件" / "u4_images").mkdir(parents=True)
    (folder / "考生文件" / "u4_images" / "HKB100.MAIN.jpg").write_bytes(b"x")
    put(sheets, TEMPLATE, "JY003", "主图", "HKB100.MAIN.jpg")
    assert points(paper, "U2-06", sheets, reading=listing(folder, paper, tmp_path)) == 1


def test_u2_06_the_image_folder_under_its_chinese_name(paper, sheets, tmp_path):
    folder = tmp_path / "ks02"
    (folder / "图片").mkdir(parents=True)
    (folder / "图片" / "HKB100.MAIN.jpg").write_bytes(b"x")
    put(sheets, TEMPLATE, "JY003", "主图", "HKB100.MAIN.jpg")
    assert points(paper, "U2-06", sheets, reading=listing(folder, paper, tmp_path)) == 1


# ---------------------------------------------------------------- the key's guarantees


def test_the_papers_key_meets_the_guarantees(paper):
    assert key_problems(paper.key, paper.criterion("U2-01").params) == []


@pytest.mark.parametrize("pool_edits, selection_edits, problem", [
    ({}, {"criteria": [{"field": "monthly_sales", "min": "3000"}]},
     "only 4 pool products meet every selection rule"),
    ({"JY006": {"supplier_stock": "49"}}, {},
     "JY006 qualifies but its supplier stock 49 is below its MOQ 50"),
    ({"JY006": {"weight_kg": "0.62kg"}}, {}, "weight_kg is not a number"),
    ({"JY006": {"product_id": "JY003"}}, {}, "pool.csv lists JY003 twice"),
    ({}, {"commission": "0.80"}, "leave no price"),
    ({}, {"criteria": [{"field": "colour", "allowed": ["red"]}]}, "no column for"),
])
def test_a_key_breaking_a_guarantee_is_refused(paper, pool_edits, selection_edits, problem):
    problems = key_problems(key_with(paper, pool_edits, selection_edits), paper.criterion("U2-01").params)
    assert any(problem in p for p in problems), problems


def test_the_stock_guarantee_covers_qualifying_products_only(paper):
    # JY040 (not qualifying) has supplier stock 60 below its MOQ 100 in the paper's own pool
    assert key_problems(key_with(paper, {"JY001": {"supplier_stock": "10"}}), paper.criterion("U2-01").params) == []


def test_loading_a_paper_with_a_bad_pool_fails(tmp_path):
    shutil.copytree(REPO / "rubrics", tmp_path / "rubrics")
    shutil.copytree(REPO / "answer_keys" / "2026A", tmp_path / "answer_keys" / "2026A")
    selection = tmp_path / "answer_keys" / "2026A" / "selection.toml"
    selection.write_text(selection.read_text(encoding="utf-8").replace('min = "4.5"', 'min = "4.8"'),
                         encoding="utf-8")
    with pytest.raises(PaperError, match="only 2 pool products meet every selection rule"):
        load_paper(tmp_path / "rubrics" / "2026A.toml")


# ---------------------------------------------------------------- the sample defects


@pytest.mark.parametrize("defect", u2.DEFECTS, ids=lambda d: d.name)
def test_each_sample_defect_scores_what_it_declares(paper, defect):
    drafts = copy.deepcopy(u2.perfect(paper.key))
    defect.apply(drafts, paper.key)
    flags = set()
    for criterion_id in CRITERIA:
        got, outcome = grade(paper, criterion_id, drafts["u2_selection"].sheets)
        assert got == Fraction(defect.expected.get(criterion_id, FULL[criterion_id])), criterion_id
        flags |= {f.code for f in outcome.flags}
    assert flags == set(defect.flags)


def test_every_criterion_has_a_sample_defect(paper):
    for criterion_id in CRITERIA:
        assert any(Fraction(d.expected.get(criterion_id, FULL[criterion_id])) < FULL[criterion_id]
                   for d in u2.DEFECTS), criterion_id
