"""Unit 3 samples: a correct u3_listing.xlsx from the key, and defects with the points they leave.

The texts are a candidate's answer for the HydroKeep bottle of ``product.toml``; the variant table
is built from the key (every colour × size, the SKU codes, the listed stock). Boundary defects
sit exactly on the paper's edges (80/200 characters, 249 bytes, 90 similarity).
"""
from __future__ import annotations

from fractions import Fraction

from grader.samples.drafts import Defect, Drafts, WorkbookDraft, together

UNIT = "U3"
DELIVERABLE = "u3_listing"
LISTING, VARIANTS = "商品信息", "变体"
VARIANT_HEADERS = ["SKU", "颜色", "尺码", "价格(USD)", "库存", "备货期(天)"]
SIZE_PRICE_STEP = {"500": "0.00", "750": "5.00"}  # the larger bottle sells 5 USD above the base price

TITLE = ("{brand} Insulated Water Bottle 500ml/750ml, Stainless Steel Vacuum Flask with Leak Proof Lid, "
         "Double Wall Travel Mug for Gym, Hiking, Office and Sports")
TITLE_CN = "{brand} 保温杯 不锈钢水杯 真空保温瓶 大容量运动水壶 500ml/750ml 户外便携 最近上新"
BULLETS = [
    ("Keeps drinks cold for 24 hours and hot for 12 hours thanks to double-wall vacuum insulation; "
     "no condensation on the outside."),
    "Made of 18/8 food-grade stainless steel with a BPA-free lid so water tastes clean and the bottle won't rust.",
    "Leak proof screw lid with a silicone seal: toss it in your backpack or gym bag without worrying about spills.",
    "Two sizes for every day: 500 ml (17 oz) fits car cup holders, 750 ml (25 oz) lasts a whole hike or workout.",
    "Powder-coated finish in Black, White, Blue and Green gives a firm grip; hand wash recommended to keep the colour.",
]
SEARCH_TERMS = ("stainless steel water bottle leak proof sports gym reusable metal kids hot cold bpa free "
                "camping canteen thermal hiking flask")
TAGS = "insulated water bottle, vacuum flask, travel mug, sports water bottle, leak proof bottle"
DESCRIPTION = (
    "The HydroKeep bottle is built from 18/8 food-grade stainless steel with double-wall vacuum insulation, "
    "so cold drinks stay cold for 24 hours and hot drinks stay hot for 12 hours. Choose the 500 ml (17 oz) "
    "size for the car and the office, or the 750 ml (25 oz) size for long hikes and workouts. The leak proof "
    "lid seals with a food-grade silicone ring and the powder-coated body will not sweat or slip. "
    "Wash the lid by hand.")


def perfect(key) -> Drafts:
    product = key["product"]
    brand = product["brand"]
    listing = [
        ["字段", "内容"],
        ["标题", TITLE.format(brand=brand)],
        ["中文标题", TITLE_CN.format(brand=brand)],
        *[[f"五点描述{n}", text] for n, text in enumerate(BULLETS, start=1)],
        ["搜索词", SEARCH_TERMS],
        ["标签", TAGS],
        ["商品描述", DESCRIPTION],
    ]
    variants = [list(VARIANT_HEADERS)]
    base = float(product["base_price_usd"])
    for colour, colour_name in product["colors"].items():
        for size, size_name in product["sizes"].items():
            sku = f"{product['parent_sku']}-{colour}-{size}"
            price = round(base + float(SIZE_PRICE_STEP.get(str(size), "0")), 2)
            variants.append([sku, colour_name, size_name, price, product["stock"][sku], 3])
    return {DELIVERABLE: WorkbookDraft(DELIVERABLE, {LISTING: listing, VARIANTS: variants})}


# ---------------------------------------------------------------- defect helpers


def _set(label: str, value) -> callable:
    def apply(drafts: Drafts, key) -> None:
        text = value(key) if callable(value) else value
        drafts[DELIVERABLE].set_field(LISTING, label, text)

    return apply


def _variant(row: int, column: str, value) -> callable:
    def apply(drafts: Drafts, key) -> None:
        drafts[DELIVERABLE].set_cell(VARIANTS, column, row, value(key) if callable(value) else value)

    return apply


def _duplicate_variant(drafts: Drafts, key) -> None:
    """The last variant row replaced by a copy of the first: 7 covered, 1 repeated."""
    rows = drafts[DELIVERABLE].sheet(VARIANTS)
    rows[-1] = list(rows[1])


def _unknown_colour(drafts: Drafts, key) -> None:
    rows = drafts[DELIVERABLE].sheet(VARIANTS)
    rows.append([f"{key['product']['parent_sku']}-RED-500", "Red", rows[1][2], rows[1][3], 10, 3])


TITLE_79 = "{brand} Insulated Water Bottle 500ml, Vacuum Flask with Leakproof Lid for Gym"
TITLE_80 = "{brand} Insulated Water Bottle 500ml, Vacuum Flask with Leak Proof Lid for Gym"
TITLE_200 = ("{brand} Insulated Water Bottle 500ml/750ml, Stainless Steel Vacuum Flask with Leak Proof Lid, "
             "Double Wall Travel Mug for Gym, Hiking, Office, Camping, Cycling, School and Sports Team Practices Daily")
TITLE_201 = TITLE_200.replace("Daily", "Dailyy")
TITLE_TWO_KEYWORDS = ("{brand} Insulated Water Bottle 500ml/750ml with Leak Proof Lid, Double Wall Steel Design "
                      "for Gym, Hiking, Office and Everyday Use")
TITLE_TYPOS = ("{brand} Insulated Water Botle 500ml/750ml, Stainless Steel Vacum Flask with Leak Proof Lid, "
               "Double Wall Travel Mugs for Gym, Hiking, Office and Sports")
BULLET_AT_90 = BULLETS[1] + " Great for daily use too"  # 108 + 24 characters: exactly 90 similar to bullet 2
BULLET_AT_89 = ("Made of 18/8 food-grade stainless steel with a BPA-free lid so water tastes clean and "
                "fresh.")  # exactly 89 similar to bullet 2
# 249 bytes with Chinese (3 bytes each) and accented (2 bytes) characters; a 250th byte fails
SEARCH_TERMS_249 = ("stainless steel water bottle leak proof sports gym reusable metal kids hot cold bpa free camping "
                    "canteen thermal hiking flask café glacé 保温杯 不锈钢水杯 outdoor picnic yoga school lunch "
                    "beach tea travel trip summer winter dorm work desks")
SEARCH_TERMS_250 = SEARCH_TERMS_249 + "s"
DESCRIPTION_200 = ("Made of 18/8 stainless steel with a double-wall vacuum layer, this bottle keeps water cold all "
                   "day. It holds 500 ml (17 oz) or 750 ml (25 oz) and the lid seals tightly for bags, desks and "
                   "gym lockers.")
DESCRIPTION_199 = DESCRIPTION_200[:-1]

DEFECTS = [
    Defect("title-79-characters", UNIT, _set("标题", lambda k: TITLE_79.format(brand=k["product"]["brand"])),
           {"U3-01": 0}, description="title of 79 characters (one short of 80)"),
    Defect("title-two-keywords", UNIT, _set("标题", lambda k: TITLE_TWO_KEYWORDS.format(brand=k["product"]["brand"])),
           {"U3-02": 0}, description="title holds only 2 library keywords"),
    Defect("title-all-caps-word", UNIT,
           _set("标题", lambda k: TITLE.format(brand=k["product"]["brand"]).replace("Leak Proof", "LEAKPROOF")),
           {"U3-03": 0}, description="an all-caps word of 9 letters in the title"),
    Defect("bullet-best-seller", UNIT, _set("五点描述3", BULLETS[2] + " Our best-seller!"),
           {"U3-04": 0}, description="a banned claim (best-seller, hyphen for space) in bullet 3"),
    Defect("bullet-repeat-at-90", UNIT, _set("五点描述4", BULLET_AT_90),
           {"U3-05": Fraction(8, 5)}, description="bullet 4 exactly 90 similar to bullet 2: bullet 4 loses 0.4"),
    Defect("search-terms-250-bytes", UNIT, _set("搜索词", SEARCH_TERMS_250),
           {"U3-06": 0}, description="search terms of 250 bytes in UTF-8 (Chinese and accented letters)"),
    Defect("tags-eleven", UNIT, _set("标签", TAGS + "; reusable bottle; gym bottle; metal water bottle; "
                                     "hot cold bottle; thermal flask; hiking flask"),
           {"U3-07": 0}, description="eleven tags"),
    Defect("description-no-size", UNIT, _set("商品描述", DESCRIPTION.replace("500 ml (17 oz)", "small")
                                             .replace("750 ml (25 oz)", "large")),
           {"U3-08": 0}, description="description states no size"),
    Defect("title-cn-absolute-word", UNIT, _set("中文标题", lambda k: f"{k['product']['brand']} 最好的保温杯 不锈钢水杯"),
           {"U3-09": 0}, description="Chinese title with the absolute word 最好"),
    Defect("variant-duplicate-row", UNIT, _duplicate_variant,
           {"U3-10": Fraction(3, 2), "U3-11": 0},
           description="one variant missing and another listed twice: 2 × (7 − 1) / 8"),
    Defect("sku-colour-name", UNIT, _variant(0, "SKU", lambda k: f"{k['product']['parent_sku']}-BLACK-500"),
           {"U3-11": 0}, description="a SKU with the colour name instead of its code"),
    Defect("lead-time-8", UNIT, _variant(2, "备货期(天)", 8),
           {"U3-12": 0}, description="a lead time of 8 days"),
    Defect("title-201-characters", UNIT, _set("标题", lambda k: TITLE_201.format(brand=k["product"]["brand"])),
           {"U3-01": 0}, description="title of 201 characters"),
    Defect("boundaries-that-pass", UNIT, together(
        _set("标题", lambda k: TITLE_200.format(brand=k["product"]["brand"])),
        _set("五点描述5", BULLET_AT_89),
        _set("搜索词", SEARCH_TERMS_249),
        _set("标签", "Insulated Water Botle | vacum flask、travel-mugs"),
        _set("商品描述", DESCRIPTION_200),
        _variant(0, "价格(USD)", 17.50),
        _variant(1, "备货期(天)", 7)),
           {"U3-01": 1, "U3-02": 2, "U3-05": 2, "U3-06": 1, "U3-07": 1, "U3-08": 1, "U3-12": 1},
           description="title of exactly 200 characters, bullet 5 at 89 similarity, search terms of exactly 249 "
                       "bytes, tags with typos and plurals, a 200-character description, price at −30%, lead time 7"),
    Defect("description-free-shipping", UNIT, _set("商品描述", DESCRIPTION + " Free-Shipping worldwide."),
           {"U3-04": 0}, description="a banned claim written Free-Shipping in the description"),
    Defect("variant-unknown-colour", UNIT, _unknown_colour,
           {"U3-10": Fraction(7, 4), "U3-11": 0},
           description="an extra variant in a colour the materials do not have: 2 × (8 − 1) / 8"),
    Defect("title-typos-count", UNIT, together(
        _set("标题", lambda k: TITLE_TYPOS.format(brand=k["product"]["brand"])),
        _set("商品描述", DESCRIPTION_199)),
           {"U3-02": 2, "U3-08": 0},
           description="title keywords with one typo in 6-letter words and a plural still count; "
                       "a 199-character description fails"),
]
