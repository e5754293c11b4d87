"""Each check's declared way to fail, for the demo disc of any paper.

``@fails("check")`` registers a function ``(paper, criterion) -> Failure | None``: one mistake a
candidate makes against that check's rule, as an edit of the perfect drafts, and the share of the
criterion it loses (worked out from the key's counts: 1 of the products, orders, parcels…). The
expected points are the criterion's points times the share kept, so they follow the paper's own
split of points. A function returns None when the paper leaves no room for its mistake (a title
criterion asking for one keyword cannot lose one); the demo then has no such defect.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from grader.samples.anypaper import texts, units
from grader.samples.anypaper.layout import SampleError, spec_of, workbook
from grader.samples.drafts import Defect, Drafts

Edit = Callable[[Drafts, Any], None]


@dataclass(frozen=True)
class Failure:
    """A mistake against one criterion: the edit, and the share of each criterion it loses."""

    name: str
    description: str
    apply: Edit
    lost: Fraction  # share of the failing criterion lost
    also: dict[str, Fraction] = field(default_factory=dict)  # check name → share lost there too
    flags: tuple[str, ...] = ()


FAILS: dict[str, Callable[[Any, Any], Failure | None]] = {}


def fails(check: str):
    def register(func: Callable[[Any, Any], Failure | None]) -> Callable[[Any, Any], Failure | None]:
        FAILS[check] = func
        return func

    return register


def failures(paper: Any) -> dict[str, list[Defect]]:
    """Every criterion's declared failure on this paper, by unit, in the rubric's order."""
    try:
        return _failures(paper)
    except SampleError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise SampleError(f"paper {paper.id}: the demo generator cannot make its defects from this key "
                          f"({type(exc).__name__}: {exc})") from None


def _failures(paper: Any) -> dict[str, list[Defect]]:
    out: dict[str, list[Defect]] = {}
    for unit in paper.units:
        for criterion in unit.criteria:
            make = FAILS.get(criterion.check)
            failure = make(paper, criterion) if make else None
            if failure is None:
                continue
            expected = {criterion.id: criterion.points * (1 - failure.lost)}
            for other in paper.criteria():
                if other.check in failure.also and other.id != criterion.id:
                    expected[other.id] = other.points * (1 - failure.also[other.check])
            out.setdefault(unit.id, []).append(Defect(
                f"{criterion.id}:{failure.name}", unit.id, failure.apply, expected, failure.flags,
                description=f"{criterion.id} ({criterion.check}): {failure.description}"))
    return out


# ---------------------------------------------------------------- helpers


def book_of(paper: Any, criterion: Any) -> str:
    return paper.unit(criterion.unit).deliverable


def set_field(deliverable: str, sheet: str, name: str, value: Any) -> Edit:
    def apply(drafts: Drafts, key: Any) -> None:
        draft = drafts[deliverable]
        draft.set_field(sheet, name, value(draft.sheets[sheet]) if callable(value) else value)

    return apply


def field_value(rows: list[list[Any]], name: str) -> Any:
    return next(r[1] for r in rows[1:] if r[0] == name)


def set_cell(deliverable: str, sheet: str, column: str, row: int, value: Any) -> Edit:
    """Set ``column`` of data row ``row``; ``value`` may be a function of the old value."""

    def apply(drafts: Drafts, key: Any) -> None:
        rows = drafts[deliverable].sheets[sheet]
        at = rows[0].index(column)
        rows[row + 1][at] = value(rows[row + 1][at]) if callable(value) else value

    return apply


def flip_last(text: str) -> str:
    """The same number with its last character changed, so its check digit fails."""
    return text[:-1] + ("0" if text[-1] != "0" else "1")


def share(n: int) -> Fraction:
    return Fraction(1, max(n, 1))


# ---------------------------------------------------------------- unit 1


@fails("usernames")
def _usernames(paper, c):
    sheet, name = c.params["sheets"][0], c.params.get("field", "username")
    return Failure("username-starts-with-digit", f"the {sheet} username starts with a digit",
                   set_field(book_of(paper, c), sheet, name, lambda rows: "1" + field_value(rows, name)[1:]),
                   share(len(c.params["sheets"])))


@fails("emails")
def _emails(paper, c):
    sheet, name = c.params["sheets"][-1], c.params.get("field", "email")
    return Failure("email-without-domain", f"the {sheet} email has no top-level domain",
                   set_field(book_of(paper, c), sheet, name,
                             lambda rows: field_value(rows, name).rsplit(".", 1)[0]), Fraction(1))


@fails("person_identity")
def _person_identity(paper, c):
    p = c.params
    return Failure("id-check-digit", f"{p['id_field']} with a wrong check digit",
                   set_field(book_of(paper, c), p["sheet"], p["id_field"],
                             lambda rows: flip_last(str(field_value(rows, p["id_field"])))), Fraction(1))


@fails("bank_card")
def _bank_card(paper, c):
    return Failure("card-holder-other", "the card holder is not the real name",
                   set_field(book_of(paper, c), c.params["sheet"], c.params.get("fields", {}).get("card_holder", "card_holder"),
                             "王小明"), Fraction(1))


@fails("company_identity")
def _company_identity(paper, c):
    name = c.params.get("fields", {}).get("credit_code", "credit_code")
    return Failure("credit-code-check", "the credit code with a wrong check character",
                   set_field(book_of(paper, c), c.params["sheet"], name,
                             lambda rows: flip_last(str(field_value(rows, name)))), Fraction(1))


@fails("company_account")
def _company_account(paper, c):
    return Failure("account-name-person", "the company account in the legal representative's name",
                   set_field(book_of(paper, c), c.params["sheet"],
                             c.params.get("fields", {}).get("account_name", "account_name"),
                             lambda rows: field_value(rows, units.account_fields(paper)["company"].get("legal_rep",
                                                                                                     "legal_rep"))),
                   Fraction(1))


# ---------------------------------------------------------------- unit 2


def chosen_count(paper) -> int:
    return units.selection(paper).choose


def layout(paper) -> dict[str, Any]:
    return units.unit2_params(paper)


@fails("selection_rules")
def _selection_rules(paper, c):
    m = units.selection(paper)
    failing = next((p for p in m.products.values() if not m.qualifies(p)), None)
    if failing is None:
        return None

    def apply(drafts: Drafts, key: Any) -> None:
        draft = drafts[book_of(paper, c)]
        for sheet, values in units.product_values(paper, failing).items():
            table = draft.sheets.get(sheet)
            if table:
                table[-1] = [values.get(col) for col in table[0]]

    return Failure("non-qualifying-product", f"the last product replaced by {failing.ident}, which misses a "
                   "selection rule (its other rows are right: carried forward)", apply, share(m.choose))


@fails("board_fields")
def _board_fields(paper, c):
    field_name = c.params["fields"][-1]
    return Failure("board-field-differs", f"the first product's {field_name} differs from the pool",
                   set_cell(book_of(paper, c), layout(paper)["board"], field_name, 0, lambda v: f"{v}X"),
                   share(chosen_count(paper)))


@fails("supplier_rows")
def _supplier_rows(paper, c):
    moq = layout(paper)["pool_columns"]["moq"]
    column = next((k for k, v in c.params["fields"].items() if v == moq), None)
    if column is None:
        return None
    return Failure("supplier-moq-wrong", "the first product's MOQ one more than the pool's",
                   set_cell(book_of(paper, c), c.params.get("sheet", "suppliers"), column, 0, lambda v: int(v) + 1),
                   share(chosen_count(paper)))


@fails("listing_prices")
def _listing_prices(paper, c):
    return Failure("price-one-dollar-off", "the first product priced 1.00 above the formula",
                   set_cell(book_of(paper, c), c.params.get("sheet", "template"), c.params.get("price_column", "price_usd"),
                            0, lambda v: round(v + 1, 2)), share(chosen_count(paper)))


@fails("stock_and_weight")
def _stock_and_weight(paper, c):
    moq = int(units.chosen_products(paper)[0].number(layout(paper)["pool_columns"]["moq"]))
    return Failure("stock-below-moq", f"the first product's stock {moq - 1}, one below its MOQ: the stock half "
                   "of its share", set_cell(book_of(paper, c), c.params.get("sheet", "template"),
                                            c.params.get("stock_column", "stock"), 0, moq - 1),
                   share(chosen_count(paper)) / 2)


@fails("main_images")
def _main_images(paper, c):
    return Failure("main-image-unnamed", "a main image neither in the image folder nor named by the rule",
                   set_cell(book_of(paper, c), c.params.get("sheet", "template"),
                            c.params.get("image_column", "main_image"), 0, "picture1.jpg"), share(chosen_count(paper)))


# ---------------------------------------------------------------- unit 3


def listing_sheet(paper, c) -> str:
    return c.params.get("sheet", "listing")


@fails("title_length_brand")
def _title_length_brand(paper, c):
    brand = paper.key["product"]["brand"]

    def drop_brand(rows):
        title = field_value(rows, c.params["field"])
        return "The " + title[len(brand):].lstrip() if title.startswith(brand) else title

    return Failure("title-without-brand", "the title does not start with the brand",
                   set_field(book_of(paper, c), listing_sheet(paper, c), c.params["field"], drop_brand), Fraction(1))


@fails("title_form")
def _title_form(paper, c):
    def shout(rows):
        title = field_value(rows, c.params["field"])
        head, _, last = title.rpartition(" ")
        return f"{head} {last.upper()}" if len(last) > int(c.params["caps_max_letters"]) else f"{title} DELUXE"

    return Failure("title-all-caps-word", "an all-caps word longer than the limit in the title",
                   set_field(book_of(paper, c), listing_sheet(paper, c), c.params["field"], shout), Fraction(1))


@fails("title_keywords")
def _title_keywords(paper, c):
    need = int(c.params["min_keywords"])
    keywords = units.keyword_list(paper.key)
    alone = [k for k in keywords if not any(o != k and texts.contains_phrase(k, o) for o in keywords)]
    if need < 2 or not alone:
        return None
    length = units.title_params(paper, "title_length_brand")
    title = texts.compose_title(paper.key["product"]["brand"], [alone[0]], min_keywords=1,
                                min_length=int(length.get("min_length", 0)),
                                max_length=int(length.get("max_length", 200)),
                                padding=list(paper.key["product"]["colors"].values())
                                + ["for Home and Studio", "Daily Use"])
    return Failure("title-one-keyword", f"the title holds one library keyword ({alone[0]}), {need} needed",
                   set_field(book_of(paper, c), listing_sheet(paper, c), c.params["field"], title), Fraction(1))


@fails("no_banned_words")
def _no_banned_words(paper, c):
    word = units.banned_english(paper.key)[0]
    target = next(f for f in c.params["fields"] if f.startswith("bullet")) if any(
        f.startswith("bullet") for f in c.params["fields"]) else c.params["fields"][-1]
    return Failure("banned-word", f"the banned claim {word!r} in {target}",
                   set_field(book_of(paper, c), listing_sheet(paper, c), target,
                             lambda rows: f"{field_value(rows, target)} {texts.title_case(word)}."), Fraction(1))


@fails("bullets")
def _bullets(paper, c):
    first, last = c.params["fields"][0], c.params["fields"][-1]
    return Failure("bullet-repeated", f"{last} repeats {first}",
                   set_field(book_of(paper, c), listing_sheet(paper, c), last, lambda rows: field_value(rows, first)),
                   share(len(c.params["fields"])))


@fails("search_terms")
def _search_terms(paper, c):
    return Failure("search-terms-one-word", "search terms of one word",
                   set_field(book_of(paper, c), listing_sheet(paper, c), c.params["field"], "gift"), Fraction(1))


@fails("tags")
def _tags(paper, c):
    if int(c.params["min_tags"]) < 2:
        return None
    return Failure("one-tag", "one tag only", set_field(book_of(paper, c), listing_sheet(paper, c), c.params["field"],
                                                      units.keyword_list(paper.key)[0]), Fraction(1))


def plain_text(low: int, high: int) -> str:
    return texts.lengthen("A plain text that states no fact of the product.", low + 10, high)


@fails("description_facts")
def _description_facts(paper, c):
    text = plain_text(int(c.params["min_length"]), int(c.params["max_length"]))
    return Failure("description-no-facts", "a description stating neither material nor size",
                   set_field(book_of(paper, c), listing_sheet(paper, c), c.params["field"], text), Fraction(1))


@fails("chinese_title")
def _chinese_title(paper, c):
    words = [w for w in paper.key["banned_words"].get("chinese", []) if len(w) >= 2]
    if not words:
        return None
    return Failure("title-cn-absolute-word", f"the absolute word {words[0]} in the Chinese title",
                   set_field(book_of(paper, c), listing_sheet(paper, c), c.params["field"],
                             lambda rows: f"{field_value(rows, c.params['field'])} {words[0]}"), Fraction(1))


def variant_count(paper) -> int:
    product = paper.key["product"]
    return len(product["colors"]) * len(product["sizes"])


@fails("variant_coverage")
def _variant_coverage(paper, c):
    def apply(drafts: Drafts, key: Any) -> None:
        drafts[book_of(paper, c)].sheets[c.params["sheet"]].pop()

    return Failure("variant-missing", "the last variant left out", apply, share(variant_count(paper)))


@fails("variant_skus")
def _variant_skus(paper, c):
    return Failure("sku-without-hyphens", "the first variant's SKU written without hyphens",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "sku", *units.VARIANTS), 0,
                            lambda v: v.replace("-", "")), Fraction(1))


@fails("variant_values")
def _variant_values(paper, c):
    days = int(c.params["max_lead_days"]) + 1
    return Failure("lead-time-too-long", f"a lead time of {days} days",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "lead_time", *units.VARIANTS), 0, days),
                   Fraction(1))


# ---------------------------------------------------------------- unit 4


def image_edit(paper, c, make: Callable[[dict[str, bytes], dict[str, Any]], None]) -> Edit:
    def apply(drafts: Drafts, key: Any) -> None:
        make(drafts[book_of(paper, c)].files, units.image_settings(paper))

    return apply


def slot_name(s: dict[str, Any], slot: str, ext: str = "jpg") -> str:
    return f"{s['identifier']}.{slot}.{ext}"


@fails("image_names")
def _image_names(paper, c):
    def upper(files, s):
        files[slot_name(s, s["main"], "JPG")] = files.pop(slot_name(s, s["main"]))

    return Failure("extension-upper-case", "MAIN saved as .JPG: graded as MAIN, but the name fails the convention",
                   image_edit(paper, c, upper), Fraction(1))


@fails("image_formats")
def _image_formats(paper, c):
    from grader.samples.u4 import jpeg, longest_side

    def cmyk(files, s):
        picture = longest_side(units.photo(paper, units.pt_photos(paper)[0]), s["pt_side"])
        files[slot_name(s, s["pt"][0])] = jpeg(picture.convert("CMYK"))

    return Failure("cmyk-jpeg", "the first PT image saved in CMYK", image_edit(paper, c, cmyk), Fraction(1))


@fails("image_sizes")
def _image_sizes(paper, c):
    from grader.samples.u4 import jpeg, longest_side

    def small(files, s):
        picture = longest_side(units.photo(paper, units.pt_photos(paper)[0]), int(c.params["pt_min"]) - 1)
        files[slot_name(s, s["pt"][0])] = jpeg(picture)

    return Failure("pt-one-pixel-short", f"the first PT image's longest side {int(c.params['pt_min']) - 1} px",
                   image_edit(paper, c, small), Fraction(1))


@fails("main_white_frame")
def _main_white_frame(paper, c):
    import math

    from PIL import ImageDraw

    from grader.samples.u4 import jpeg, on_white_square

    side = units.image_settings(paper)["main_side"]
    frame_share = spec_of(paper, book_of(paper, c)).options.get("frame") or c.params.get("frame", "0.02")
    band = max(1, math.floor(Decimal(str(frame_share)) * side))
    frame = 2 * band * side + 2 * band * (side - 2 * band)
    rows = math.ceil(3 * (1 - Decimal(str(c.params["min_share"]))) * frame / 2 / side)
    level = max(0, int(c.params["white_level"]) - 10)

    def grey(files, s):
        # a light strip, a little more than the frame may hold: the white padding still trims away,
        # so the picture stays derived from the main photo
        picture = on_white_square(units.photo(paper, paper.key["images"]["main"]), side)
        ImageDraw.Draw(picture).rectangle((0, side - rows, side, side), fill=(level, level, level))
        files[slot_name(s, s["main"])] = jpeg(picture)

    return Failure("main-grey-strip", f"MAIN keeps a light grey ({level}) strip of {rows} px along its bottom edge",
                   image_edit(paper, c, grey), Fraction(1))


@fails("images_derived")
def _images_derived(paper, c):
    from grader.samples.u4 import jpeg, longest_side, unrelated_picture

    def unrelated(files, s):
        files[slot_name(s, s["pt"][len(units.pt_photos(paper)) - 1])] = jpeg(
            longest_side(unrelated_picture(), max(s["pt_side"], 800)))

    return Failure("unrelated-picture", "the last PT image is a picture of another product",
                   image_edit(paper, c, unrelated), Fraction(1))


# ---------------------------------------------------------------- unit 5


def sku_count(paper) -> int:
    return len(paper.key["optimization"]["skus"])


@fails("new_title_rules")
def _new_title_rules(paper, c):
    word = units.banned_english(paper.key)[0]

    def banned(rows):
        return f"{field_value(rows, c.params['field'])}, {texts.title_case(word)}"

    if len(units.optimised_title(paper)) + len(word) + 2 > int(c.params["max_length"]):
        return None
    return Failure("new-title-banned-word", f"the banned claim {word!r} at the end of the new title",
                   set_field(book_of(paper, c), c.params["sheet"], c.params["field"], banned), Fraction(1, 3))


@fails("top_keywords_in_title")
def _top_keywords(paper, c):
    top = units.top_keywords(paper)
    if not top:
        return None
    drop = max(top, key=lambda k: (len(k.split()), k))
    if any(other != drop and texts.contains_phrase(other, drop) for other in top):
        return None
    return Failure("new-title-lacks-top-keyword", f"the new title lacks the top keyword {drop!r}",
                   set_field(book_of(paper, c), c.params["sheet"], c.params["field"],
                             units.optimised_title(paper, drop=drop)), share(len(top)))


@fails("optimised_search_terms")
def _optimised_search_terms(paper, c):
    return Failure("search-terms-one-word", "search terms of one word",
                   set_field(book_of(paper, c), c.params["sheet"], c.params["field"], "gift"), Fraction(1))


@fails("optimised_description")
def _optimised_description(paper, c):
    low = int(c.params["min_length"])
    return Failure("description-too-short", f"a description of {low - 1} characters",
                   set_field(book_of(paper, c), c.params["sheet"], c.params["field"],
                             lambda rows: field_value(rows, c.params["field"])[:low - 1]), Fraction(1))


@fails("price_band")
def _price_band(paper, c):
    from grader.checks.optimisation import competitor_median, old_price, sku_materials

    sku = next(iter(sku_materials(paper.key)))
    price = units.cents(competitor_median(paper.key, sku)) + Decimal("0.01")
    if not Fraction(price) < old_price(paper.key, sku) or Fraction(price) <= competitor_median(paper.key, sku):
        return None
    kept = Fraction(str(c.params["above_median_share"]))
    return Failure("price-above-median", f"the first SKU priced {price}, just above the competitor median",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "price", *units.PRICING), 0, float(price)),
                   share(sku_count(paper)) * (1 - kept), also=promo_unchanged(paper, price, sku))


def promo_unchanged(paper, price: Decimal, sku: str) -> dict[str, Fraction]:
    """Nothing else: the promotion is measured against the new price, so say so only if it then fails."""
    p = units.params_of(paper, "promotion")
    if not p:
        return {}
    key_of = {role: units.column(paper, role, *units.PRICING) for role in ("sku", "promo_price")}
    row = next(r for r in units.pricing_rows(paper) if r[key_of["sku"]] == sku)
    off = 1 - Decimal(str(row[key_of["promo_price"]])) / price
    if Decimal(str(p["min_discount"])) <= off <= Decimal(str(p["max_discount"])):
        return {}
    return {"promotion": share(sku_count(paper)) * Fraction(str(p["price_share"]))}


@fails("promotion")
def _promotion(paper, c):
    days = int(c.params["max_days"]) + 1
    start = paper.key["optimization"]["exam_date"]
    kept = Fraction(str(c.params["price_share"]))
    return Failure("promo-too-long", f"the first SKU's promotion lasting {days} days",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "promo_end", *units.PRICING), 0,
                            start + dt.timedelta(days=days)),
                   share(sku_count(paper)) * (1 - kept))


@fails("stock_cover")
def _stock_cover(paper, c):
    from grader.checks.optimisation import sku_materials

    data = next(iter(sku_materials(paper.key).values()))
    need = units.stock_need(paper, data)
    return Failure("stock-short", f"the first SKU's stock {need - 1}, one short of {c.params['days']} days of sales",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "stock", *units.PRICING), 0, need - 1),
                   share(sku_count(paper)))


@fails("lead_times")
def _lead_times(paper, c):
    days = int(c.params["max_lead_days"]) + 1
    return Failure("lead-time-too-long", f"a lead time of {days} days",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "lead_time", *units.VARIANTS), 0, days),
                   Fraction(1))


# ---------------------------------------------------------------- unit 6


def order_count(paper) -> int:
    return len(paper.key["orders"])


@fails("order_list")
def _order_list(paper, c):
    def apply(drafts: Drafts, key: Any) -> None:
        rows = drafts[book_of(paper, c)].sheets[c.params["sheet"]]
        extra = list(rows[1])
        extra[rows[0].index(c.params.get("id_column", "order_id"))] = "XX00000000"
        rows.append(extra)

    return Failure("order-unknown", "an order id the materials do not have", apply, Fraction(1))


@fails("order_field")
def _order_field(paper, c):
    column, labels = c.params["column"], c.params["labels"]
    first = paper.key["orders"][0][column]
    other = next(k for k in labels if k != first)
    return Failure(f"{column}-wrong", f"the first order's {column} {other} where the key says {first}",
                   set_cell(book_of(paper, c), c.params["sheet"], column, 0, labels[other][0]), share(order_count(paper)))


# ---------------------------------------------------------------- unit 7


def logistics(paper):
    from grader.checks.logistics import read_materials

    return read_materials(paper.key)


def parcel_count(paper) -> int:
    return len(logistics(paper).parcels)


@fails("parcel_methods")
def _parcel_methods(paper, c):
    from grader.freight import eligible_methods, right_methods

    m = logistics(paper)
    for index, parcel in enumerate(m.parcels):
        wrong = [x for x in eligible_methods(m.rates, parcel) if x not in right_methods(m.rates, parcel)]
        if wrong:
            row = units.shipping_row(paper, wrong[0], parcel)

            def apply(drafts: Drafts, key: Any, row=row, index=index) -> None:
                rows = drafts[book_of(paper, c)].sheets[c.params["sheet"]]
                rows[index + 1] = [row.get(col) for col in rows[0]]

            return Failure("method-not-right", f"{parcel.parcel_id} by {wrong[0]} (eligible, not right for its "
                           "requirement), with that method's right weight and freight", apply, share(len(m.parcels)))
    return None


@fails("parcel_chargeable_weights")
def _chargeable(paper, c):
    return Failure("chargeable-weight-off", "the first parcel's chargeable weight 1 kg too high",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "chargeable_weight", *units.SHIPPING), 0,
                            lambda v: v + 1),
                   share(parcel_count(paper)))


@fails("parcel_freights")
def _freights(paper, c):
    return Failure("freight-off", "the first parcel's freight 1 CNY too high",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "freight", *units.SHIPPING), 0,
                            lambda v: round(v + 1, 2)),
                   share(parcel_count(paper)))


def stock_edit(paper, rows: list[list[Any]], sku: str, change: int) -> None:
    at_sku = rows[0].index(units.column(paper, "sku", "closing_stock"))
    at_stock = rows[0].index(units.column(paper, "closing_stock", "closing_stock"))
    for row in rows[1:]:
        if row[at_sku] == sku:
            row[at_stock] += change


@fails("inbound_rows")
def _inbound(paper, c):
    def apply(drafts: Drafts, key: Any) -> None:
        sheets = drafts[book_of(paper, c)].sheets
        rows = sheets[c.params["sheet"]]
        dropped = rows.pop()
        sku, quantity = (units.column(paper, role, "inbound_rows", "closing_stock") for role in ("sku", "quantity"))
        stock_edit(paper, sheets[units.params_of(paper, "closing_stock", {"stock": "stock"})["stock"]],
                   dropped[rows[0].index(sku)], -int(dropped[rows[0].index(quantity)]))

    return Failure("arrival-missing", "the last arrival left out of inbound; the closing stock follows the "
                   "candidate's own rows", apply, Fraction(1))


@fails("outbound_rows")
def _outbound(paper, c):
    shipped = paper.key["logistics"].get("shipped_status", "shipped")
    order = next((o for o in paper.key["orders"] if o["status"] != shipped), None)
    if order is None:
        return None

    def apply(drafts: Drafts, key: Any) -> None:
        sheets = drafts[book_of(paper, c)].sheets
        rows = sheets[c.params["sheet"]]
        row = units.by_column(paper, {"order_id": order["order_id"], "sku": order["sku"],
                                      "quantity": int(order["quantity"])}, "outbound_rows", "closing_stock")
        rows.append([row.get(col) for col in rows[0]])
        stock_edit(paper, sheets[units.params_of(paper, "closing_stock", {"stock": "stock"})["stock"]], order["sku"],
                   -int(order["quantity"]))

    return Failure("unshipped-order-out", f"order {order['order_id']} (not shipped) listed as outbound; the "
                   "closing stock follows the candidate's own rows", apply, Fraction(1))


@fails("closing_stock")
def _closing(paper, c):
    return Failure("stock-off-by-one", "the first sku's closing stock one too many",
                   set_cell(book_of(paper, c), c.params["stock"], units.column(paper, "closing_stock", "closing_stock"), 0,
                            lambda v: v + 1), Fraction(1))


@fails("tracking_numbers")
def _tracking(paper, c):
    shipped = len(logistics(paper).shipped)
    return Failure("tracking-number-short", "the first tracking number one character short",
                   set_cell(book_of(paper, c), c.params["sheet"], units.column(paper, "tracking_no", "tracking_numbers"), 0,
                            lambda v: v[:-1]), share(shipped))


# ---------------------------------------------------------------- unit 8


def mailbox_edit(paper, c, **changes: str) -> Edit:
    def apply(drafts: Drafts, key: Any) -> None:
        name = book_of(paper, c)
        spec = spec_of(paper, name)
        sheet = next(s for s in spec.sheets if s.fields)
        values = {**units.mailbox_values(paper), **changes}
        book = workbook(spec, {sheet.name: units.field_rows(sheet, values)})
        drafts[name].files[f"{units.service_slots(paper, name)['mailbox']}.xlsx"] = book.to_bytes()

    return apply


@fails("service_email")
def _service_email(paper, c):
    return Failure("service-email-other-domain", "the service email on another domain",
                   mailbox_edit(paper, c, service_email="support@example.org"), Fraction(1))


@fails("store_username")
def _store_username(paper, c):
    return Failure("store-username-differs", "the store username differs from unit 1's company username",
                   mailbox_edit(paper, c, store_username=units.usernames(paper)["company"] + "x"), Fraction(1))


def service_counts(paper) -> tuple[int, int]:
    service = paper.key["service"]
    return len(service["scenarios"]), len(service["templates"])


def element_count(params: dict[str, Any], default: int, own: int = 0) -> int:
    """How many elements a text is scored on: the criterion's ``elements`` (``template_own``
    standing for the template's ``own`` elements in the key)."""
    names = params.get("elements")
    if names is None:
        return default
    return sum(own if name == "template_own" else 1 for name in names)


@fails("service_replies")
def _replies(paper, c):
    if "cites_order" not in c.params.get("elements", ["cites_order"]):
        return None
    scenario = paper.key["service"]["scenarios"][0]
    count = element_count(c.params, 8)

    def apply(drafts: Drafts, key: Any) -> None:
        name = book_of(paper, c)
        slots = units.service_slots(paper, name)
        path = f"{slots['reply_folder']}/{slots['replies'].get(scenario['reply'], scenario['reply'])}.txt"
        from grader.samples.u8 import notepad

        drafts[name].files[path] = notepad(units.reply_text(paper, scenario, cite_order=False))

    return Failure("reply-without-order-id", f"{scenario['reply']} does not cite the order id: one element of "
                   f"{count}", apply, share(service_counts(paper)[0]) / count)


@fails("service_templates")
def _templates(paper, c):
    if "placeholders" not in c.params.get("elements", ["placeholders"]):
        return None
    slot, spec = next(iter(paper.key["service"]["templates"].items()))
    count = element_count(c.params, 9, own=len(spec["elements"]))

    def apply(drafts: Drafts, key: Any) -> None:
        name = book_of(paper, c)
        slots = units.service_slots(paper, name)
        from grader.samples.u8 import notepad

        drafts[name].files[f"{slots['template_folder']}/{slots['templates'].get(slot, slot)}.txt"] = notepad(
            units.template_text(paper, slot, spec, placeholders=False))

    return Failure("template-without-placeholders", f"the {slot} template has no placeholders: one element of "
                   f"{count}", apply, share(service_counts(paper)[1]) / count)
