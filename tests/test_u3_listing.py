"""Unit 3 (商品文字编辑): every criterion's Okay case and each failing case, with exact points and evidence.

The workbooks are built from the sample module's perfect drafts (the paper's Chinese labels and
headers) and read with the real sheet reader, so field and header aliases are exercised too. Both
sides of every boundary of the paper are tested: 80/200 characters, 249 bytes, 90 similarity,
3–10 tags, 200–2000 characters, ±30% of the base price, lead times 1–7.
"""
from __future__ import annotations

import copy
import dataclasses
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import failing
from helpers import grade_sheets as grade
from helpers import sheet_points as points
from rapidfuzz import fuzz

from grader.checks import REGISTRY, CheckContext
from grader.checks import listing as L
from grader.paper import Key
from grader.read.tables import build_workbook, read_grid
from grader.samples import u3
from grader.samples.drafts import WorkbookDraft

TITLE = u3.TITLE.format(brand="HydroKeep")


# ---------------------------------------------------------------- helpers


@pytest.fixture()
def sheets(paper):
    """The perfect candidate's two sheets as editable rows (header first)."""
    return copy.deepcopy(u3.perfect(paper.key)["u3_listing"].sheets)




def put(sheets, label, value):
    for row in sheets[u3.LISTING][1:]:
        if row[0] == label:
            row[1] = value
            return
    raise KeyError(label)


def cell(sheets, row, header, value):
    table = sheets[u3.VARIANTS]
    table[row + 1][table[0].index(header)] = value



def title_of(length: int) -> str:
    """A title meeting every other rule, exactly ``length`` characters long."""
    base = "HydroKeep Insulated Water Bottle 500ml, Vacuum Flask with Leak Proof Lid for Gym"  # 80
    filler = " Hiking Office Camping Cycling School Travel Picnic Beach Yoga Tennis Running Fishing Skiing Golf"
    text = (base + filler + filler.replace(" ", "-"))[:length]
    assert len(text) == length and not text.endswith(" ")
    return text


# ---------------------------------------------------------------- the perfect candidate


def test_perfect_listing_scores_every_criterion_in_full(paper, sheets):
    for criterion in paper.unit("U3").criteria:
        got, outcome = grade(paper, criterion.id, sheets)
        assert got == criterion.points, (criterion.id, [e.message for e in failing(outcome)])


def test_missing_sheet_earns_nothing_and_says_which(paper, sheets):
    del sheets[u3.LISTING]
    got, outcome = grade(paper, "U3-01", sheets)
    assert got == 0
    assert outcome.evidence[0].found == "(missing)" and outcome.evidence[0].sheet == "listing"


def test_english_headers_and_labels_are_read(paper, sheets):
    sheets[u3.LISTING][0] = ["Field", "Value"]
    english = {"标题": "Title", "中文标题": "Chinese Title", "搜索词": "Search Terms", "标签": "Tags",
               "商品描述": "Description", **{f"五点描述{n}": f"Bullet Point {n}" for n in range(1, 6)}}
    for row in sheets[u3.LISTING][1:]:
        row[0] = english[row[0]]
    sheets[u3.VARIANTS][0] = ["sku", "Colour", "Size", "Price USD", "Stock", "Lead Time"]
    renamed = {"listing": sheets.pop(u3.LISTING), "variants": sheets.pop(u3.VARIANTS)}
    for criterion in paper.unit("U3").criteria:
        assert points(paper, criterion.id, renamed) == criterion.points, criterion.id


# ---------------------------------------------------------------- U3-01


@pytest.mark.parametrize("length, expected", [(79, 0), (80, 1), (200, 1), (201, 0)])
def test_u3_01_title_length_both_sides_of_80_and_200(paper, sheets, length, expected):
    put(sheets, "标题", title_of(length))
    got, outcome = grade(paper, "U3-01", sheets)
    assert got == expected
    if not expected:
        assert outcome.evidence[0].message == f"title: title {length} characters, not 80–200"
        assert outcome.evidence[0].cell == "B2" and outcome.evidence[0].file == "u3_listing.xlsx"


def test_u3_01_line_break_and_double_space_count_as_one_space(paper, sheets):
    text = title_of(80)
    put(sheets, "标题", text.replace(" ", "\n  ", 1) + "  ")
    assert points(paper, "U3-01", sheets) == 1
    put(sheets, "标题", title_of(200).replace(" ", "  ", 1))  # 201 typed, 200 after convention 3
    assert points(paper, "U3-01", sheets) == 1


@pytest.mark.parametrize("title, expected", [
    ("hydrokeep Insulated Water Bottle", 1),  # the brand prefix ignores case
    ("HydroKeep-Insulated Water Bottle", 1),  # a non-letter follows
    ("HydroKeep2 Insulated Water Bottle", 1),
    ("  HydroKeep Insulated Water Bottle", 1),  # trimmed first
    ("HydroKeeper Insulated Water Bottle", 0),  # a letter follows the brand
    ("Insulated HydroKeep Water Bottle", 0),
])
def test_u3_01_title_starts_with_the_brand(paper, sheets, title, expected):
    put(sheets, "标题", (title + " " + TITLE[10:])[:150])
    got, outcome = grade(paper, "U3-01", sheets)
    assert got == expected
    if not expected:
        assert "does not start with the brand HydroKeep" in outcome.evidence[0].message


# ---------------------------------------------------------------- U3-02


def test_u3_02_two_keywords_fail(paper, sheets):
    put(sheets, "标题", u3.TITLE_TWO_KEYWORDS.format(brand="HydroKeep"))
    got, outcome = grade(paper, "U3-02", sheets)
    assert got == 0
    assert "2 library keywords (water bottle, insulated water bottle); at least 3 needed" in outcome.evidence[0].message


@pytest.mark.parametrize("flask, expected", [
    ("Vacuum Flask", 2),
    ("Vacum Flask", 2),  # one typo in the 6-letter "vacuum": accepted
    ("Vacuum Flsk", 0),  # one typo in the 5-letter "flask": not accepted
    ("Vacuum Flasks", 2),  # plural
    ("vacuum-flask", 2),  # hyphen equals space, case aside (the keyword rule does not look at form)
    ("Vacuumflask", 0),
])
def test_u3_02_typo_plural_and_hyphen(paper, sheets, flask, expected):
    title = f"HydroKeep Insulated Water Bottle 500ml with Leak Proof Lid, {flask} for Gym and Office Use"
    put(sheets, "标题", title)
    assert points(paper, "U3-02", sheets) == expected


def test_u3_02_typo_in_six_letter_bottle_still_counts(paper, sheets):
    put(sheets, "标题", u3.TITLE_TYPOS.format(brand="HydroKeep"))
    got, outcome = grade(paper, "U3-02", sheets)
    assert got == 2
    assert "4 library keywords" in outcome.evidence[0].message


@pytest.mark.parametrize("typo_min_letters, flask, expected", [
    (7, "Vacum Flask", 0),  # "vacuum" has 6 letters: under a paper's 7, its typo is not accepted
    (6, "Vacum Flask", 2),
    (5, "Vacuum Flsk", 2),  # under a paper's 5, the 5-letter "flask" may carry one
    (5, "Vacuum Fsk", 0),  # still one typo only
])
def test_u3_02_typo_rule_is_the_papers(paper, sheets, typo_min_letters, flask, expected):
    title = f"HydroKeep Insulated Water Bottle 500ml with Leak Proof Lid, {flask} for Gym and Office Use"
    put(sheets, "标题", title)
    assert points(dataclasses.replace(paper, typo_min_letters=typo_min_letters), "U3-02", sheets) == expected


def test_keyword_matching_rules():
    assert L.keywords_in_title("Water Botles", ["water bottle"], 6) == ["water bottle"]  # typo and plural
    assert L.keywords_in_title("Water Botles", ["water bottle"], 7) == []
    assert L.keywords_in_title("Water Botles", ["water bottle"], None) == []  # no typo rule: exact words
    assert L.keywords_in_title("Bottle Water", ["water bottle"], 6) == []  # contiguous, in order
    assert L.keywords_in_title("Hot-Cold Bottle", ["hot cold bottle"], 6) == ["hot cold bottle"]
    assert L.keywords_in_title("Kid Water Bottle", ["kids water bottle"], 6) == ["kids water bottle"]
    assert L.keywords_in_search_terms("bottle water kids", ["kids water bottle"], 6) == ["kids water bottle"]
    assert L.phrase_equals("vacuum flask", "vacum flask", 6) and not L.phrase_equals("vacuum flask", "vacum flask", 7)


# ---------------------------------------------------------------- U3-03


@pytest.mark.parametrize("char", list("!$?_{}^¬¦") + ["！", "？"])
def test_u3_03_forbidden_characters(paper, sheets, char):
    put(sheets, "标题", TITLE.replace(",", char, 1))
    got, outcome = grade(paper, "U3-03", sheets)
    assert got == 0
    assert "holds" in outcome.evidence[0].message


@pytest.mark.parametrize("title, expected, says", [
    ("HydroKeep Bottle Lid, Bottle Cap and Bottle Strap for Gym", 0, "'bottle' 3 times (at most 2)"),
    ("HydroKeep Bottle Lid and Bottle Strap for Gym", 1, ""),
    ("HydroKeep Bottle for Gym, for Office, for Travel and for Hiking", 1, ""),  # minor words aside
    ("HydroKeep Bottle, Bottles and Bottle Strap", 1, ""),  # number kept: bottle ×2, bottles ×1
    ("HydroKeep STEEL Bottle", 0, "all-caps STEEL"),  # 5 letters
    ("HydroKeep BPA Free LIDS Bottle", 1, ""),  # 3 and 4 letters
    ("HydroKeep BPA-FREE Bottle", 0, "all-caps BPA-FREE"),  # one word of 7 letters (convention 11)
    ("HydroKeep Insulated water Bottle", 0, "not capitalised: water"),
    ("HydroKeep Bottle with Lid for the Gym", 1, ""),
    ("HydroKeep Bottle With Lid", 1, ""),  # a minor word may be capitalised
    ("HydroKeep 500ml Bottle, 18/8 Steel", 1, ""),  # words beginning with a digit are exempt
    ("HydroKeep Bottle 保温杯", 0, "Chinese characters 保温杯"),
])
def test_u3_03_title_form(paper, sheets, title, expected, says):
    put(sheets, "标题", title)
    got, outcome = grade(paper, "U3-03", sheets)
    assert got == expected
    assert says in outcome.evidence[0].message


def test_u3_03_empty_title_fails(paper, sheets):
    put(sheets, "标题", None)
    got, outcome = grade(paper, "U3-03", sheets)
    assert got == 0 and "no title written" in outcome.evidence[0].message


# ---------------------------------------------------------------- U3-04


@pytest.mark.parametrize("label, addition, found", [
    ("五点描述3", " Our Best Seller.", "'Best Seller'"),
    ("五点描述3", " Our best-seller.", "'best-seller'"),  # hyphen equals space
    ("商品描述", " FREE SHIPPING worldwide.", "'FREE SHIPPING'"),
    ("商品描述", " Free-Shipping worldwide.", "'Free-Shipping'"),
    ("标题", " Hot Item", "'Hot Item'"),
    ("搜索词", " cheapest", "'cheapest'"),
    ("五点描述1", " 100% Quality Guaranteed.", "'100% Quality Guaranteed'"),
    ("五点描述2", " 最好的保温杯", "'最好'"),  # a Chinese absolute word in an English field
])
def test_u3_04_banned_words_anywhere(paper, sheets, label, addition, found):
    original = next(r[1] for r in sheets[u3.LISTING] if r[0] == label)
    put(sheets, label, original + addition)
    got, outcome = grade(paper, "U3-04", sheets)
    assert got == 0
    assert found in outcome.evidence[0].message


@pytest.mark.parametrize("text", ["Hottest deal", "best for sellers", "topratedish", "最近上新", "Shipping is free"])
def test_u3_04_near_misses_are_not_banned(paper, sheets, text):
    put(sheets, "五点描述5", u3.BULLETS[4] + " " + text)
    assert points(paper, "U3-04", sheets) == 1


def test_u3_04_eco_is_not_in_ecology(paper):
    key = Key(paper.key.root, {"banned_words": {"english": ["eco"], "chinese": ["最"], "allow": []}}, {})
    assert L.banned_found("Ecology-minded design", key) == []
    assert L.banned_found("An ECO bottle", key) == ["ECO"]
    assert L.banned_found("eco-friendly", key) == ["eco"]


def test_u3_04_nothing_written_earns_nothing(paper, sheets):
    for label in ("标题", "搜索词", "商品描述", *[f"五点描述{n}" for n in range(1, 6)]):
        put(sheets, label, None)
    got, outcome = grade(paper, "U3-04", sheets)
    assert got == 0 and outcome.evidence[0].message.startswith("no text written")


# ---------------------------------------------------------------- U3-05


def test_u3_05_bullet_at_90_fails_and_the_earlier_keeps_its_share(paper, sheets):
    put(sheets, "五点描述4", u3.BULLET_AT_90)
    assert L.similarity(u3.BULLETS[1], u3.BULLET_AT_90) == 90
    got, outcome = grade(paper, "U3-05", sheets)
    assert got == Fraction(8, 5)
    bad = failing(outcome)
    assert len(bad) == 1 and bad[0].cell == "B7"
    assert bad[0].message == "bullet4: 90 similar to bullet2 (≥ 90)"


def test_u3_05_bullet_at_89_passes(paper, sheets):
    put(sheets, "五点描述4", u3.BULLET_AT_89)
    assert L.similarity(u3.BULLETS[1], u3.BULLET_AT_89) == 89
    assert points(paper, "U3-05", sheets) == 2


def test_similarity_is_rapidfuzz_ratio_exactly():
    pairs = [(u3.BULLETS[1], u3.BULLET_AT_90), ("Water  BOTTLE", "water bottle"), ("abc", "xyz"), (TITLE, u3.TITLE_79)]
    for a, b in pairs:
        exact = L.similarity(a, b)
        assert abs(float(exact) - fuzz.ratio(" ".join(a.casefold().split()), " ".join(b.casefold().split()))) < 1e-9
    assert L.similarity("Water  BOTTLE", "water bottle") == 100


@pytest.mark.parametrize("length, expected", [(9, Fraction(8, 5)), (10, 2), (500, 2), (501, Fraction(8, 5))])
def test_u3_05_bullet_length_both_sides(paper, sheets, length, expected):
    put(sheets, "五点描述5", "H" + "a" * (length - 1))
    got, outcome = grade(paper, "U3-05", sheets)
    assert got == expected
    if expected != 2:
        assert failing(outcome)[0].message == f"bullet5: {length} characters, not 10–500"


def test_u3_05_empty_and_repeated_bullets(paper, sheets):
    put(sheets, "五点描述3", None)
    put(sheets, "五点描述4", u3.BULLETS[0].upper())  # case aside: 100 similar to bullet 1
    put(sheets, "五点描述5", u3.BULLETS[0])
    got, outcome = grade(paper, "U3-05", sheets)
    assert got == Fraction(4, 5)
    assert [e.cell for e in failing(outcome)] == ["B6", "B7", "B8"]


# ---------------------------------------------------------------- U3-06


def test_u3_06_249_bytes_with_chinese_and_accents_pass_250_fail(paper, sheets):
    assert len(u3.SEARCH_TERMS_249) < 249  # fewer characters than bytes: 保温杯 is 9 bytes, é 2
    put(sheets, "搜索词", u3.SEARCH_TERMS_249)
    got, outcome = grade(paper, "U3-06", sheets)
    assert got == 1 and "249 bytes" in outcome.evidence[0].message
    put(sheets, "搜索词", u3.SEARCH_TERMS_250)
    got, outcome = grade(paper, "U3-06", sheets)
    assert got == 0 and "250 bytes > 249" in outcome.evidence[0].message


@pytest.mark.parametrize("terms, expected, says", [
    (u3.SEARCH_TERMS + " Steel", 0, "words repeated: steel"),  # case aside
    (u3.SEARCH_TERMS.replace("flask", "flask flasks"), 1, ""),  # number kept
    (u3.SEARCH_TERMS + " aquapeak", 0, "names another brand: aquapeak"),
    (u3.SEARCH_TERMS + " CoolTrek", 0, "names another brand: CoolTrek"),
    ("stainless steel water bottle leak proof sports gym", 0, "4 library keywords not in the title"),
    ("insulated water bottle vacuum flask travel mug leak proof sports gym", 0,
     "3 library keywords not in the title"),  # the title's keywords do not count
    ("stainless steel water bottle leak proof sports gym reusable metal", 1, ""),
])
def test_u3_06_search_terms(paper, sheets, terms, expected, says):
    put(sheets, "搜索词", terms)
    got, outcome = grade(paper, "U3-06", sheets)
    assert got == expected
    assert says in outcome.evidence[0].message


# ---------------------------------------------------------------- U3-07

TEN_TAGS = ("water bottle, insulated water bottle, stainless steel water bottle, vacuum flask, travel mug, "
            "leak proof bottle, sports water bottle, reusable bottle, kids water bottle, gym bottle")



@pytest.mark.parametrize("tags, expected, says", [
    ("insulated water bottle, vacuum flask", 0, "2 tags, not 3–10"),
    ("insulated water bottle, vacuum flask, travel mug", 1, "3 tags"),
    (TEN_TAGS, 1, "10 tags"),
    (u3.TAGS + "; reusable bottle; gym bottle; metal water bottle; hot cold bottle; thermal flask; hiking flask",
     0, "11 tags, not 3–10"),
    ("insulated water bottle；vacuum flask、travel mug|gym bottle｜reusable bottle\nmetal water bottle", 1, "6 tags"),
    ("Insulated Water Botle, vacum flask, travel-mugs", 1, "3 tags"),  # one typo each, plural, hyphen
    ("vacum flsk, travel mug, gym bottle", 0, "not library keywords: vacum flsk"),  # two typos
    ("vacuum flaskk, travel mug, gym bottle", 0, "not library keywords: vacuum flaskk"),  # typo in a 5-letter word
    ("blue bottle, travel mug, gym bottle", 0, "not library keywords: blue bottle"),
    ("water bottle tumbler, travel mug, gym bottle", 0, "not library keywords: water bottle tumbler"),
])
def test_u3_07_tags(paper, sheets, tags, expected, says):
    put(sheets, "标签", tags)
    got, outcome = grade(paper, "U3-07", sheets)
    assert got == expected
    assert says in outcome.evidence[0].message


# ---------------------------------------------------------------- U3-08


@pytest.mark.parametrize("text, expected", [
    (u3.DESCRIPTION_200, 1), (u3.DESCRIPTION_199, 0),
    (u3.DESCRIPTION + " " + "Fits every cup holder. " * 68, 1),
])
def test_u3_08_description_length_both_sides(paper, sheets, text, expected):
    put(sheets, "商品描述", text)
    assert points(paper, "U3-08", sheets) == expected


def test_u3_08_2000_and_2001_characters(paper, sheets):
    filler = " Fits every cup holder."
    body = u3.DESCRIPTION + filler * 80
    put(sheets, "商品描述", body[:2000])
    assert L.length(body[:2000]) == 2000 and points(paper, "U3-08", sheets) == 1
    put(sheets, "商品描述", body[:2001])
    got, outcome = grade(paper, "U3-08", sheets)
    assert got == 0 and "2001 characters, not 200–2000" in outcome.evidence[0].message


@pytest.mark.parametrize("old, new, expected, says", [
    ("18/8 food-grade stainless steel", "food-grade metal", 0, "does not state the material"),
    ("18/8 food-grade stainless steel", "18/8 food-grade stainles steel", 1, ""),  # typo in a 9-letter word
    ("18/8 food-grade stainless steel", "food-grade stainless stel", 0, "material"),  # typo in 5-letter steel
    ("500 ml (17 oz)", "small", 1, ""),  # 750 ml still states the size
    ("the 500 ml (17 oz) size for the car and the office, or the 750 ml (25 oz) size",
     "the small size for the car and the office, or the large size", 0, "does not state the size"),
    ("the 500 ml (17 oz) size", "the 500ml size", 1, ""),
])
def test_u3_08_material_and_size_facts(paper, sheets, old, new, expected, says):
    text = u3.DESCRIPTION.replace(old, new)
    assert text != u3.DESCRIPTION
    if "500ml" in new:
        text = text.replace("750 ml (25 oz)", "large")
    put(sheets, "商品描述", text)
    got, outcome = grade(paper, "U3-08", sheets)
    assert got == expected
    assert says in outcome.evidence[0].message


# ---------------------------------------------------------------- U3-09


@pytest.mark.parametrize("title_cn, expected, says", [
    ("HydroKeep 保温杯 不锈钢水杯", 1, "2 Chinese keywords"),
    ("HydroKeep 保温杯 户外", 0, "1 Chinese library keywords"),
    ("HydroKeep 最好的保温杯 不锈钢水杯", 0, "最好"),
    ("全网第一 保温杯 不锈钢水杯", 0, "第一"),
    ("国家级品质 保温杯 不锈钢水杯", 0, "国家级"),
    ("保温杯 不锈钢水杯 顶级", 0, "顶级"),
    ("保温杯 不锈钢水杯 最", 0, "最"),
    ("最近上新 保温杯 不锈钢水杯", 1, ""),  # the allow-list
    ("最后一天 保温杯 不锈钢水杯", 1, ""),
    ("保温杯不锈钢水杯", 1, "2 Chinese keywords"),  # keywords are substrings
])
def test_u3_09_chinese_title(paper, sheets, title_cn, expected, says):
    put(sheets, "中文标题", title_cn)
    got, outcome = grade(paper, "U3-09", sheets)
    assert got == expected
    assert says in outcome.evidence[0].message


def test_u3_09_jieba_tokenizer_built_once_per_key(paper):
    key = Key(paper.key.root, {"keywords_cn": paper.key["keywords_cn"], "banned_words": paper.key["banned_words"]}, {})
    first = L.chinese_tokenizer(key)
    assert L.chinese_tokenizer(key) is first
    assert "最近" in list(first.cut("最近上新"))


# ---------------------------------------------------------------- U3-10


def test_u3_10_duplicate_row_and_missing_variant(paper, sheets):
    table = sheets[u3.VARIANTS]
    table[-1] = list(table[1])
    got, outcome = grade(paper, "U3-10", sheets)
    assert got == Fraction(3, 2)  # 2 × (7 − 1) / 8
    messages = [e.message for e in failing(outcome)]
    assert messages[0] == "7 of 8 variants covered, 1 repeated, 0 unknown: 6/8"
    assert "row 9: BLK × 500 repeated" in messages and "no variant GRN × 750" in messages


def test_u3_10_unknown_row(paper, sheets):
    sheets[u3.VARIANTS].append(["HKB100-RED-500", "Red", "500 ml (17 oz)", 24.99, 10, 3])
    got, outcome = grade(paper, "U3-10", sheets)
    assert got == Fraction(7, 4)  # 2 × (8 − 1) / 8
    assert failing(outcome)[1].message == "row 10: color Red is not one of the materials'"


def test_u3_10_colour_and_size_by_code_or_chinese_name(paper, sheets):
    for row in sheets[u3.VARIANTS][1:]:
        row[1] = {"Black": "黑色", "White": "WHT", "Blue": "blue", "Green": "ＧＲＥＥＮ"}[row[1]]
        row[2] = int(row[0][-3:]) if row[1] != "黑色" else row[0][-3:] + "ml"
    assert points(paper, "U3-10", sheets) == 2


def test_u3_10_never_below_zero_and_partial_coverage(paper, sheets):
    table = sheets[u3.VARIANTS]
    sheets[u3.VARIANTS] = [table[0], table[1], table[2]] + [list(table[1]) for _ in range(5)]
    assert points(paper, "U3-10", sheets) == 0  # 2 × max(0, 2 − 5) / 8
    sheets[u3.VARIANTS] = table[:5]
    assert points(paper, "U3-10", sheets) == 1  # 4 of 8


# ---------------------------------------------------------------- U3-11


@pytest.mark.parametrize("sku, says", [
    ("HKB100-BLACK-500", "is not <PARENT>-<COLOR>-<SIZE>"),
    ("hkb100-blk-500", "is not <PARENT>-<COLOR>-<SIZE>"),  # SKUs keep their case
    ("HKB100-BLK-500ML", "is not <PARENT>-<COLOR>-<SIZE>"),
    ("HKB100-WHT-500", "does not match its colour and size (HKB100-BLK-500)"),
    (None, "sku (empty)"),
])
def test_u3_11_wrong_skus(paper, sheets, sku, says):
    cell(sheets, 0, "SKU", sku)
    got, outcome = grade(paper, "U3-11", sheets)
    assert got == 0
    assert says in failing(outcome)[0].message and failing(outcome)[0].cell == "A2"


def test_u3_11_repeated_sku_and_no_rows(paper, sheets):
    cell(sheets, 1, "SKU", sheets[u3.VARIANTS][1][0])
    cell(sheets, 1, "尺码", "500")
    got, outcome = grade(paper, "U3-11", sheets)
    assert got == 0 and failing(outcome)[0].message == "row 3: sku HKB100-BLK-500 repeated"
    sheets[u3.VARIANTS] = sheets[u3.VARIANTS][:1]
    assert points(paper, "U3-11", sheets) == 0


def test_u3_11_space_around_sku_is_trimmed(paper, sheets):
    cell(sheets, 0, "SKU", "  HKB100-BLK-500 ")
    assert points(paper, "U3-11", sheets) == 1


# ---------------------------------------------------------------- U3-12


@pytest.mark.parametrize("header, value, expected", [
    ("价格(USD)", 17.50, 1), ("价格(USD)", 17.49, 0),  # base 24.99 − 30% = 17.493
    ("价格(USD)", 32.48, 1), ("价格(USD)", 32.49, 0),  # base 24.99 + 30% = 32.487
    ("价格(USD)", "$24.99", 1), ("价格(USD)", "24,99", 0), ("价格(USD)", 0, 0),
    ("库存", 0, 1), ("库存", "80", 1), ("库存", -1, 0), ("库存", 12.5, 0), ("库存", None, 0),
    ("备货期(天)", 1, 1), ("备货期(天)", 7, 1), ("备货期(天)", 0, 0), ("备货期(天)", 8, 0), ("备货期(天)", 2.5, 0),
])
def test_u3_12_variant_values_both_sides(paper, sheets, header, value, expected):
    cell(sheets, 3, header, value)
    got, outcome = grade(paper, "U3-12", sheets)
    assert got == expected
    if not expected:
        bad = failing(outcome)
        assert len(bad) == 1 and bad[0].cell == "row 5"


def test_u3_12_evidence_names_the_range(paper, sheets):
    cell(sheets, 0, "价格(USD)", 33)
    _, outcome = grade(paper, "U3-12", sheets)
    assert failing(outcome)[0].message == "row 2: price 33 (D2) not in 17.4930–32.4870"
    sheets[u3.VARIANTS] = sheets[u3.VARIANTS][:1]
    assert points(paper, "U3-12", sheets) == 0


# ---------------------------------------------------------------- a real xlsx and the key's guarantees


def test_real_xlsx_round_trip(paper, tmp_path):
    drafts = u3.perfect(paper.key)
    path = drafts["u3_listing"].write(tmp_path)
    book = build_workbook(path.name, read_grid(path), list(paper.deliverables["u3_listing"].sheets))
    for criterion in paper.unit("U3").criteria:
        outcome = REGISTRY[criterion.check].func(CheckContext(criterion.id, book, paper.key, criterion.params,
                                                              typo_min_letters=paper.typo_min_letters))
        assert outcome.share == 1, criterion.id


def test_sample_draft_is_a_workbook(paper):
    assert isinstance(u3.perfect(paper.key)["u3_listing"], WorkbookDraft)


def test_key_guarantees_refuse_a_bad_key(paper):
    product = copy.deepcopy(paper.key["product"])
    product["base_price_usd"] = "free"
    product["color_names"]["WHT"].append("Black")
    product["facts"]["size"]["phrases"] = []
    key = Key(Path("."), {**{s: paper.key[s] for s in ("keywords", "keywords_cn", "banned_words")},
                          "product": product}, {})
    assert L._base_price(key, {}) == ["product.base_price_usd is not a positive number"]
    assert L._variants_present(key, {}) == ["product.colors: the name 'Black' stands for two codes"]
    assert L._facts_present(key, {"facts": ["material", "size"]}) == ["product.facts.size.phrases is missing or empty"]
    empty = Key(Path("."), {"keywords": [], "keywords_cn": [], "banned_words": {"chinese": []}}, {})
    assert L._library_present(empty, {}) == ["keywords.csv holds no keyword"]
    assert L._chinese_present(empty, {}) == ["keywords_cn.csv holds no keyword", "banned_words.chinese is empty"]


def test_a_facts_chinese_name_is_the_keys(paper, sheets):
    put(sheets, "商品描述", u3.DESCRIPTION.replace("18/8 food-grade stainless steel", "food-grade metal"))
    _, outcome = grade(paper, "U3-08", sheets)
    assert outcome.evidence[0].message_zh.endswith("未说明材质")
    product = copy.deepcopy(paper.key["product"])

    def named() -> str:
        key = Key(paper.key.root, {**{s: paper.key[s] for s in ("keywords", "keywords_cn", "banned_words")},
                                   "product": product}, {})
        return grade(paper, "U3-08", sheets, key=key)[1].evidence[0].message_zh

    product["facts"]["material"]["name_zh"] = "材料成分"
    assert named().endswith("未说明材料成分")
    del product["facts"]["material"]["name_zh"]  # without one, the fact's own name (a paper may name it in Chinese)
    assert named().endswith("未说明material")


def test_a_description_naming_a_fact_the_key_lacks_is_refused_at_load(paper):
    from grader.checks import REGISTRY

    for check in ("description_facts", "optimised_description"):
        problems = REGISTRY[check].validate(paper.key, {"facts": ["material", "weight"]})
        assert problems == ["product.facts.weight.phrases is missing or empty"], check
