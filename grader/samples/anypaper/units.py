"""The perfect candidate of any paper: every unit's deliverable made from the rubric and the key.

Each ``unit_*`` function returns the drafts of one deliverable, found by the checks its unit's
criteria name, or nothing when the paper has no such unit. Values that a check computes from the
key (prices, freights, closing stock) are computed with the grader's own materials readers, as a
candidate would compute them from the same tables.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from grader.samples.anypaper import texts
from grader.samples.anypaper.layout import (
    SampleError,
    field_rows,
    params_of,
    sheet_spec,
    spec_of,
    table_rows,
    unit_deliverable,
    workbook,
)
from grader.samples.drafts import Drafts, FolderDraft

SHIP_DATE_OFFSET = 1  # days after the last arrival the demo candidate ships


# the column a role stands in when a paper's criteria do not say (the names of the earliest papers)
DEFAULT_COLUMNS = {"price": "price_usd", "lead_time": "lead_time_days", "promo_price": "promo_price_usd",
                   "chargeable_weight": "chargeable_weight_kg", "freight": "freight_cny"}
VARIANTS = ("variant_coverage", "variant_skus", "variant_values")
PRICING = ("price_band", "promotion", "stock_cover", "lead_times")
SHIPPING = ("parcel_methods", "parcel_chargeable_weights", "parcel_freights")


def column_names(paper: Any, *checks: str) -> dict[str, str]:
    """Role → column, from the ``columns`` parameter of the first criterion of each check that has one."""
    names: dict[str, str] = {}
    for check in checks:
        for role, column in params_of(paper, check).get("columns", {}).items():
            names.setdefault(role, column)
    return names


def column(paper: Any, role: str, *checks: str) -> str:
    return column_names(paper, *checks).get(role) or DEFAULT_COLUMNS.get(role, role)


def by_column(paper: Any, row: dict[str, Any], *checks: str) -> dict[str, Any]:
    """A row keyed by role, keyed by the paper's column names instead."""
    return {column(paper, role, *checks): value for role, value in row.items()}


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


def cents(value: Fraction | Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal("0.01"), rounding)


def fit_username(seed: str, low: int, high: int) -> str:
    """``seed`` cut or lengthened with digits to ``low``–``high`` characters."""
    name = seed[:high]
    digit = 1
    while len(name) < low:
        name += str(digit % 10)
        digit += 1
    return name


def usernames(paper: Any) -> dict[str, str]:
    """The demo's personal and company usernames, within the username criterion's limits."""
    p = params_of(paper, "usernames", {"min_length": 6, "max_length": 20})
    low, high = int(p.get("min_length", 6)), int(p.get("max_length", 20))
    return {"personal": fit_username("lin_store", low, high), "company": fit_username("north_trade_co", low, high)}


# ---------------------------------------------------------------- unit 1


def account_fields(paper: Any) -> dict[str, dict[str, str]]:
    """Per sheet: role → the field the paper's criteria read it from (the role's own name otherwise)."""
    names: dict[str, dict[str, str]] = {"personal": {}, "company": {}}
    for c in paper.criteria():
        p = c.params
        if c.check in ("usernames", "emails") and "field" in p:
            for sheet in p.get("sheets", ()):
                names.setdefault(sheet, {})["username" if c.check == "usernames" else "email"] = p["field"]
        elif c.check in ("bank_card", "company_identity", "company_account"):
            names.setdefault(p.get("sheet", ""), {}).update(p.get("fields", {}))
        elif c.check == "person_identity":
            roles = ("real_name", "id_number") if p["sheet"] == "personal" else ("legal_rep", "legal_rep_id")
            names.setdefault(p["sheet"], {}).update(zip(roles, (p["name_field"], p["id_field"])))
    return names


def unit_accounts(paper: Any) -> Drafts:
    name = unit_deliverable(paper, {"usernames", "emails", "person_identity", "company_identity",
                                    "bank_card", "company_account"})
    if name is None:
        return {}
    spec, key = spec_of(paper, name), paper.key
    person, company = key["accounts"]["personal"], key["accounts"]["company"]
    users = usernames(paper)
    values = {
        "personal": {"username": users["personal"], "email": person["email"], "real_name": person["real_name"],
                     "id_number": person["id_number"], "card_number": person.get("card_number", ""),
                     "card_holder": person["real_name"]},
        "company": {"username": users["company"], "email": company["email"], "company_name": company["company_name"],
                    "credit_code": company["credit_code"], "legal_rep": company["legal_rep"],
                    "legal_rep_id": company["legal_rep_id"], "bank": company.get("bank", ""),
                    "account_number": company.get("account_number", ""), "account_name": company["company_name"]},
    }
    fields = account_fields(paper)
    named = {sheet: {fields.get(sheet, {}).get(role, role): value for role, value in roles.items()}
             for sheet, roles in values.items()}
    sheets = {s.name: field_rows(s, named.get(s.name, {})) for s in spec.sheets}
    return {name: workbook(spec, sheets)}


# ---------------------------------------------------------------- unit 2


UNIT2 = ("selection_rules", "board_fields", "supplier_rows", "listing_prices", "stock_and_weight", "main_images")


def unit2_params(paper: Any) -> dict[str, Any]:
    """The unit-2 layout, merged from its criteria: the board and its id column, the pool's columns
    by role, the supplier sheet and its columns, the template sheet and its columns."""
    merged: dict[str, Any] = {}
    for check in UNIT2:
        p = params_of(paper, check)
        for name, value in p.items():
            if check == "board_fields" and name == "fields":
                merged["board_fields"] = list(value)
            elif check == "supplier_rows" and name in ("sheet", "fields"):
                merged[f"suppliers_{name}"] = value
            elif name == "sheet" and check != "supplier_rows":
                merged["template"] = value
            else:
                merged.setdefault(name, value)
    merged.setdefault("board", "board")
    merged.setdefault("id_column", "product_id")
    merged.setdefault("template", "template")
    merged.setdefault("suppliers_sheet", "suppliers")
    return merged


def selection(paper: Any):
    from grader.checks.selection import materials

    return materials(paper.key, unit2_params(paper)["pool_columns"])


def chosen_products(paper: Any) -> list[Any]:
    m = selection(paper)
    chosen = [p for p in m.products.values() if m.qualifies(p)][:m.choose]
    if len(chosen) < m.choose:
        raise SampleError(f"paper {paper.id}: fewer than {m.choose} pool products qualify")
    return chosen


def product_sku(product_id: str) -> str:
    return f"{product_id}-A"


def product_values(paper: Any, product: Any, product_id: str | None = None) -> dict[str, dict[str, Any]]:
    """The board, supplier and template rows of one product, keyed by the rubric's sheet and column names."""
    m, p = selection(paper), unit2_params(paper)
    pool = p["pool_columns"]
    ident = product_id or product.ident
    numbers = set(p.get("numbers", ()))
    board = {p["id_column"]: ident, **{c: product.text(c) for c in p.get("board_fields", ())}}
    suppliers = {p["id_column"]: ident}
    for column, pool_column in p.get("suppliers_fields", {}).items():
        value = product.number(pool_column) if column in numbers else product.text(pool_column)
        suppliers[column] = (int(value) if value == int(value) else float(value)) if column in numbers else value
    moq, stock = int(product.number(pool["moq"])), int(product.number(pool["supplier_stock"]))
    sku = product_sku(ident)
    template = {p.get("sku_column", "sku"): sku, p["id_column"]: ident,
                p.get("price_column", "price_usd"): float(cents(m.price(product))),
                p.get("stock_column", "stock"): min(2 * moq, stock),
                p.get("weight_column", "weight_kg"): float(product.number(pool["weight"])),
                p.get("image_column", "main_image"): f"{sku}.MAIN.jpg"}
    return {p["board"]: board, p["suppliers_sheet"]: suppliers, p["template"]: template}


def unit_selection(paper: Any) -> Drafts:
    name = unit_deliverable(paper, set(UNIT2))
    if name is None:
        return {}
    spec = spec_of(paper, name)
    rows: dict[str, list[dict[str, Any]]] = {s.name: [] for s in spec.sheets}
    for product in chosen_products(paper):
        for sheet, values in product_values(paper, product).items():
            rows.setdefault(sheet, []).append(values)
    return {name: workbook(spec, {s.name: table_rows(s, rows[s.name]) for s in spec.sheets})}


# ---------------------------------------------------------------- unit 3


def keyword_list(key: Any, section: str = "keywords") -> list[str]:
    rows = key[section]
    ordered = sorted(enumerate(rows), key=lambda r: (-int(dec(r[1]["search_volume"])), r[0]))
    return [texts.title_case(r["keyword"]).lower() for _, r in ordered]


def banned_english(key: Any) -> list[str]:
    return list(key["banned_words"].get("english", []))


def facts_sentence(key: Any, facts: list[str]) -> str:
    """One sentence per fact the criterion names, each holding a phrase that states it."""
    sentences = []
    for fact in facts:
        data = key["product"]["facts"][fact]
        statement = data.get("statement", "")
        if not texts.holds_any(statement, data["phrases"]):
            statement = f"{statement} ({data['phrases'][0]})".strip()
        sentences.append(f"{fact.capitalize()}: {statement}.")
    return " ".join(sentences)


def listing_title(paper: Any, params: dict[str, Any], keywords: list[str], *, required: list[str] = (),
                  avoid: list[str] = ()) -> str:
    key = paper.key
    product = key["product"]
    form = params_of(paper, "title_form", params)
    padding = list(product["colors"].values()) + list(product["sizes"].values())
    return texts.compose_title(
        product["brand"], keywords, required=list(required), min_keywords=int(params.get("min_keywords", 0)),
        min_length=int(params.get("min_length", 0)), max_length=int(params.get("max_length", 200)),
        max_repeats=int(form.get("max_repeats", 2)), exempt=form.get("repeat_exempt", ()),
        banned=banned_english(key), avoid=avoid, padding=padding)


def title_params(paper: Any, *checks: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in checks:
        merged.update(params_of(paper, name))
    return merged


def chinese_title(paper: Any) -> str:
    key = paper.key
    p = params_of(paper, "chinese_title", {"min_keywords": 2})
    absolute = [w for w in key["banned_words"].get("chinese", [])]
    allowed = [r["keyword"] for r in key["keywords_cn"] if not any(a in r["keyword"] for a in absolute)]
    need = int(p.get("min_keywords", 2)) + 1
    return " ".join([key["product"]["brand"], *allowed[:need]])


def bullets(paper: Any, fields: list[str]) -> dict[str, str]:
    key = paper.key
    product = key["product"]
    p = params_of(paper, "bullets", {"min_length": 10, "max_length": 500})
    keywords = keyword_list(key)
    facts = product.get("facts", {})
    lines = [
        f"{fact.capitalize()}: {data.get('statement', '')}, as the product page states it." for fact, data in facts.items()
    ]
    lines += [
        f"Available in {', '.join(product['colors'].values())}; every colour has the same finish.",
        f"Sizes to choose from: {', '.join(str(s) for s in product['sizes'].values())}, listed as separate variants.",
        f"A good pick as a {keywords[0]} for home, studio or travel." if keywords else "A good pick for home or travel.",
        f"Sold by {product['brand']}: questions are answered through the platform's messages within a day.",
        "Each order is packed in recyclable paper and checked before it leaves the warehouse.",
    ]
    low, high = int(p.get("min_length", 10)), int(p.get("max_length", 500))
    out = {}
    for n, field in enumerate(fields):
        line = texts.lengthen(lines[n % len(lines)], low, high)[:high]
        out[field] = line
    return out


def description(paper: Any, check: str) -> str:
    key = paper.key
    p = params_of(paper, check, {"min_length": 200, "max_length": 2000, "facts": []})
    product = key["product"]
    text = (f"The {product['brand']} {product['parent_sku']} comes in {len(product['colors'])} colours. "
            + facts_sentence(key, list(p.get("facts", []))))
    return texts.lengthen(text, int(p.get("min_length", 0)) + 10, int(p.get("max_length", 2000)))


def variant_rows(paper: Any) -> list[dict[str, Any]]:
    product = paper.key["product"]
    values = params_of(paper, "variant_values", {"min_lead_days": 1})
    rows = []
    for colour, colour_name in product["colors"].items():
        for size, size_name in product["sizes"].items():
            sku = f"{product['parent_sku']}-{colour}-{size}"
            rows.append(by_column(paper, {"sku": sku, "color": colour_name, "size": size_name,
                                          "price": float(dec(product["base_price_usd"])),
                                          "stock": int(product.get("stock", {}).get(sku, 10)),
                                          "lead_time": int(values.get("min_lead_days", 1))}, *VARIANTS))
    return rows


def listing_values(paper: Any, sheet: Any) -> dict[str, Any]:
    key = paper.key
    keywords = keyword_list(key)
    p = title_params(paper, "title_length_brand", "title_keywords")
    title = listing_title(paper, p, keywords)
    terms = params_of(paper, "search_terms", {"min_keywords": 5, "max_bytes": 249})
    tags = params_of(paper, "tags", {"min_tags": 3})
    bullet_fields = [f for f in sheet.fields if f.startswith("bullet")]
    return {
        "title": title,
        "title_cn": chinese_title(paper),
        **bullets(paper, bullet_fields),
        "search_terms": texts.search_terms(keywords, title, min_keywords=int(terms.get("min_keywords", 5)),
                                           max_bytes=int(terms.get("max_bytes", 249)), banned=banned_english(key),
                                           brands=key["product"].get("other_brands", ())),
        "tags": ", ".join(keywords[:max(int(tags.get("min_tags", 3)), 1)]),
        "description": description(paper, "description_facts"),
    }


def unit_listing(paper: Any) -> Drafts:
    name = unit_deliverable(paper, {"title_length_brand", "bullets", "variant_coverage", "chinese_title"})
    if name is None:
        return {}
    spec = spec_of(paper, name)
    sheets = {}
    for sheet in spec.sheets:
        if sheet.fields:
            sheets[sheet.name] = field_rows(sheet, listing_values(paper, sheet))
        else:
            sheets[sheet.name] = table_rows(sheet, variant_rows(paper))
    return {name: workbook(spec, sheets)}


# ---------------------------------------------------------------- unit 4


def image_settings(paper: Any) -> dict[str, Any]:
    names = params_of(paper, "image_names")
    sizes = params_of(paper, "image_sizes", {"main_min": 1000, "pt_min": 800})
    naming = spec_of(paper, image_deliverable(paper)).options.get("naming") or names.get("naming", {})
    return {"identifier": paper.key.lookup(naming.get("identifier", "product.parent_sku")),
            "main": naming.get("main", "MAIN"), "pt": list(naming.get("pt", ["PT01", "PT02", "PT03"])),
            "min_pt": int(names.get("min_pt", 3)), "main_side": int(sizes.get("main_min", 1000)),
            "pt_side": int(sizes.get("pt_min", 800))}


def image_deliverable(paper: Any) -> str | None:
    return unit_deliverable(paper, {"image_names", "image_formats", "image_sizes", "main_white_frame",
                                    "images_derived"})


def photo(paper: Any, name: str):
    from PIL import Image

    folder = paper.key["images"].get("folder", "photos")
    with Image.open(paper.key.path(f"{folder}/{name}")) as image:
        return image.convert("RGB")


def pt_photos(paper: Any) -> list[str]:
    images = paper.key["images"]
    others = [p for p in images["photos"] if p != images["main"]]
    need = image_settings(paper)["min_pt"]
    if len(others) < need:
        raise SampleError(f"paper {paper.id}: {len(others)} photos besides the main one, {need} PT images needed")
    return others[:need]


def image_files(paper: Any) -> dict[str, bytes]:
    from grader.samples.u4 import jpeg, longest_side, on_white_square

    def make() -> dict[str, bytes]:
        s = image_settings(paper)
        files = {f"{s['identifier']}.{s['main']}.jpg":
                 jpeg(on_white_square(photo(paper, paper.key["images"]["main"]), s["main_side"]))}
        for slot, name in zip(s["pt"], pt_photos(paper)):
            files[f"{s['identifier']}.{slot}.jpg"] = jpeg(longest_side(photo(paper, name), s["pt_side"]))
        return files

    where = (paper.id, str(paper.key.root))  # the demo generator's own cache: grading never reads it
    if where not in _IMAGE_FILES:
        _IMAGE_FILES[where] = make()
    return _IMAGE_FILES[where]


_IMAGE_FILES: dict[tuple[str, str], dict[str, bytes]] = {}


def unit_images(paper: Any) -> Drafts:
    name = image_deliverable(paper)
    if name is None:
        return {}
    return {name: FolderDraft(spec_of(paper, name).names[0], dict(image_files(paper)))}


# ---------------------------------------------------------------- unit 5


def new_price(paper: Any, sku: str) -> Decimal:
    """The largest x.99 at or below the competitor median when it is above the floor, else the median."""
    from grader.checks.optimisation import competitor_median, floor_price

    low, middle = floor_price(paper.key, sku), competitor_median(paper.key, sku)
    price = Decimal(math.floor(middle)) + Decimal("0.99")
    if Fraction(price) > middle:
        price -= 1
    if Fraction(price) < low:
        price = cents(middle, ROUND_DOWN)
    return price


def promo_price(paper: Any, sku: str, price: Decimal) -> Decimal:
    from grader.checks.optimisation import floor_price

    p = params_of(paper, "promotion", {"min_discount": "0.10", "max_discount": "0.50"})
    low, high = dec(p.get("min_discount", "0.10")), dec(p.get("max_discount", "0.50"))
    for off in ((low + high) / 2, low + Decimal("0.01"), low):
        promo = cents(price * (1 - off), ROUND_HALF_UP)
        if Fraction(promo) >= floor_price(paper.key, sku) and low <= 1 - promo / price <= high:
            return promo
    raise SampleError(f"paper {paper.id}: no promo price for {sku} both off by the promotion's discount and "
                      f"above the break-even floor")


def cover_days(paper: Any) -> int:
    return int(params_of(paper, "stock_cover", {"days": 30}).get("days", 30))


def stock_need(paper: Any, data: dict[str, Any]) -> int:
    return math.ceil(cover_days(paper) * dec(data["avg_daily_sales"]))


def pricing_rows(paper: Any) -> list[dict[str, Any]]:
    from grader.checks.optimisation import sku_materials

    key = paper.key
    promo = params_of(paper, "promotion", {"max_days": 30})
    lead = params_of(paper, "lead_times", {"min_lead_days": 1})
    start = key["optimization"]["exam_date"]
    end = start + dt.timedelta(days=max(1, int(promo.get("max_days", 30)) // 2))
    rows = []
    for sku, data in sku_materials(key).items():
        price = new_price(paper, sku)
        stock = min(stock_need(paper, data) + 5, int(data["warehouse_stock"]))
        rows.append(by_column(paper, {"sku": sku, "price": float(price),
                                      "promo_price": float(promo_price(paper, sku, price)),
                                      "promo_start": start, "promo_end": end, "stock": stock,
                                      "lead_time": int(lead.get("min_lead_days", 1))}, *PRICING))
    return rows


def report_keywords(paper: Any) -> list[str]:
    return keyword_list(paper.key, "keyword_report")


def top_keywords(paper: Any) -> list[str]:
    top = int(params_of(paper, "top_keywords_in_title", {"top": 0}).get("top", 0))
    return report_keywords(paper)[:top]


def optimised_title(paper: Any, drop: str | None = None) -> str:
    p = params_of(paper, "new_title_rules", title_params(paper, "title_length_brand", "title_form"))
    required = [k for k in top_keywords(paper) if k != drop]
    keywords = [k for k in report_keywords(paper) + keyword_list(paper.key)]
    return listing_title(paper, {**p, "min_keywords": len(required)}, keywords, required=required,
                         avoid=[drop] if drop else [])


def optimised_values(paper: Any) -> dict[str, Any]:
    key = paper.key
    title = optimised_title(paper)
    terms = params_of(paper, "optimised_search_terms", {"min_keywords": 5, "max_bytes": 249})
    return {
        "title": title,
        "search_terms": texts.search_terms(report_keywords(paper), "", min_keywords=int(terms.get("min_keywords", 5)),
                                           max_bytes=int(terms.get("max_bytes", 249)), banned=banned_english(key),
                                           brands=key["product"].get("other_brands", ())),
        "description": description(paper, "optimised_description"),
    }


def unit_optimisation(paper: Any) -> Drafts:
    name = unit_deliverable(paper, {"price_band", "promotion", "stock_cover", "new_title_rules"})
    if name is None:
        return {}
    spec = spec_of(paper, name)
    sheets = {}
    for sheet in spec.sheets:
        sheets[sheet.name] = (field_rows(sheet, optimised_values(paper)) if sheet.fields
                              else table_rows(sheet, pricing_rows(paper)))
    return {name: workbook(spec, sheets)}


# ---------------------------------------------------------------- unit 6


def order_label(paper: Any, column: str, value: str) -> str:
    for c in paper.criteria():
        if c.check == "order_field" and c.params.get("column") == column:
            return c.params["labels"][value][0]
    return value


def unit_orders(paper: Any) -> Drafts:
    name = unit_deliverable(paper, {"order_list", "order_field"})
    if name is None:
        return {}
    spec = spec_of(paper, name)
    ident = params_of(paper, "order_list", {"id_column": "order_id"}).get("id_column", "order_id")
    sheet = next(s for s in spec.sheets if ident in s.columns)
    rows = [{ident: o["order_id"], "audit": order_label(paper, "audit", o["audit"]),
             "status": order_label(paper, "status", o["status"]), "note": ""} for o in paper.key["orders"]]
    return {name: workbook(spec, {sheet.name: table_rows(sheet, rows)})}


# ---------------------------------------------------------------- unit 7


def method_labels(paper: Any) -> dict[str, str]:
    p = params_of(paper, "parcel_methods") or params_of(paper, "tracking_numbers")
    return {m: names[0] for m, names in p.get("methods", {}).items()}


def tracking_number(method: Any, index: int, country: str) -> str:
    from grader.numbers import s10

    if method.tracking == "s10":
        serial = f"{47312480 + index:08d}"
        return f"RR{serial}{s10.calc_check_digit(serial)}{country}"
    return f"{7301000000 + index:0{int(method.tracking_length or 10)}d}"


def shipping_row(paper: Any, method: str, parcel: Any) -> dict[str, Any]:
    from grader.checks.logistics import read_materials
    from grader.freight import quote

    q = quote(read_materials(paper.key).rates, method, parcel)
    return by_column(paper, {"parcel_id": parcel.parcel_id, "method": method_labels(paper)[method],
                             "chargeable_weight": float(q.chargeable_kg), "freight": float(q.freight_cny)}, *SHIPPING)


def logistics_rows(paper: Any) -> dict[str, list[dict[str, Any]]]:
    from grader.checks.logistics import expected_closing, read_materials
    from grader.freight import right_methods

    m = read_materials(paper.key)
    labels = method_labels(paper)
    shipping, by_order = [], {}
    for parcel in m.parcels:
        method = right_methods(m.rates, parcel)[0]
        shipping.append(shipping_row(paper, method, parcel))
        by_order[parcel.order_id.upper()] = method
    closing = expected_closing(m.opening, m.arrivals, m.shipped)
    order = list(m.opening) + sorted(set(closing) - set(m.opening))
    last = max((a.date for a in m.arrivals if isinstance(a.date, dt.date)), default=dt.date(2026, 1, 1))
    confirmation = []
    for n, shipment in enumerate(m.shipped):
        method = by_order.get(shipment.order_id, m.rates.urgent_method)
        confirmation.append(by_column(paper, {
            "order_id": shipment.order_id, "method": labels[method],
            "tracking_no": tracking_number(m.rates.methods[method], n, m.tracking_country),
            "ship_date": last + dt.timedelta(days=SHIP_DATE_OFFSET)}, "tracking_numbers"))
    return {
        "shipping": shipping,
        "inbound": [by_column(paper, {"sku": a.sku, "quantity": a.quantity, "warehouse": a.warehouse, "date": a.date},
                              "inbound_rows", "closing_stock") for a in m.arrivals],
        "outbound": [by_column(paper, {"order_id": s.order_id, "sku": s.sku, "quantity": s.quantity},
                               "outbound_rows", "closing_stock") for s in m.shipped],
        "stock": [by_column(paper, {"sku": sku, "closing_stock": closing[sku]}, "closing_stock") for sku in order],
        "confirmation": confirmation,
    }


def unit_logistics(paper: Any) -> Drafts:
    name = unit_deliverable(paper, {"parcel_methods", "inbound_rows", "closing_stock", "tracking_numbers"})
    if name is None:
        return {}
    spec = spec_of(paper, name)
    rows = logistics_rows(paper)
    sheets = {s.name: table_rows(s, rows.get(s.name, [])) for s in spec.sheets}
    return {name: workbook(spec, sheets)}


# ---------------------------------------------------------------- unit 8


def service_phrases(paper: Any) -> dict[str, list[str]]:
    return paper.key["service"]["phrases"]


def signature(paper: Any) -> str:
    return f"{paper.key['product']['brand']} Customer Service"


def closing(paper: Any) -> str:
    return f"{texts.title_case(service_phrases(paper)['closing'][0]).capitalize()},\n{signature(paper)}"


def reply_text(paper: Any, scenario: dict[str, Any], *, cite_order: bool = True) -> str:
    p = params_of(paper, "service_replies", {"min_words": 40})
    phrases = service_phrases(paper)
    first = scenario["buyer_name"].split()[0]
    order = scenario["order_id"] if cite_order else "you placed with us"
    body = (f"{texts.title_case(phrases['greeting'][0])} {first},\n\n"
            f"Thank you for writing to us about order {order}. We have checked your case: "
            f"{scenario['case'][0]}. We are {phrases['apology'][0]} for the trouble this has caused.\n\n"
            f"Here is what we do for you now: {scenario['resolution'][0]}.")
    return texts.with_min_words(body, closing(paper), int(p.get("min_words", 40)))


def template_text(paper: Any, slot: str, spec: dict[str, Any], *, placeholders: bool = True) -> str:
    p = params_of(paper, "service_templates", {"min_words": 40})
    phrases = service_phrases(paper)
    names = list(p.get("placeholders", ["buyer_name", "order_id"]))
    marks = [f"{{{n}}}" if placeholders else "" for n in names]
    buyer, rest = (marks[0] or "customer"), " ".join(m for m in marks[1:] if m) or "with us"
    first, second = spec["elements"]
    body = (f"{texts.title_case(phrases['greeting'][0])} {buyer},\n\n"
            f"Thank you for your message about your order {rest}. We are {phrases['apology'][0]} about this.\n\n"
            f"First: {first['phrases'][0]}. Then: {second['phrases'][0]}.")
    return texts.with_min_words(body, closing(paper), int(p.get("min_words", 40)))


def service_slots(paper: Any, name: str) -> dict[str, Any]:
    options = spec_of(paper, name).options
    return {"reply_folder": (options.get("reply_folder") or ["replies"])[0],
            "template_folder": (options.get("template_folder") or ["templates"])[0],
            "mailbox": (options.get("mailbox") or ["mailbox"])[0],
            "replies": {slot: names[0] for slot, names in options.get("replies", {}).items()},
            "templates": {slot: names[0] for slot, names in options.get("templates", {}).items()}}


def mailbox_values(paper: Any) -> dict[str, str]:
    return {"service_email": f"support@{paper.key['service']['domain']}",
            "store_username": usernames(paper)["company"], "display_name": signature(paper),
            "signature": signature(paper), "forwarding_to": paper.key["accounts"]["company"]["email"]}


def service_files(paper: Any, name: str, *, replies: dict[str, str] | None = None,
                  templates: dict[str, str] | None = None) -> dict[str, bytes]:
    from grader.samples.u8 import notepad

    slots = service_slots(paper, name)
    service = paper.key["service"]
    replies = replies or {s["reply"]: reply_text(paper, s) for s in service["scenarios"]}
    templates = templates or {slot: template_text(paper, slot, t) for slot, t in service["templates"].items()}
    files = {}
    for slot, text in replies.items():
        files[f"{slots['reply_folder']}/{slots['replies'].get(slot, slot)}.txt"] = notepad(text)
    for slot, text in templates.items():
        files[f"{slots['template_folder']}/{slots['templates'].get(slot, slot)}.txt"] = notepad(text)
    return files


def unit_service(paper: Any) -> Drafts:
    name = unit_deliverable(paper, {"service_email", "store_username", "service_replies", "service_templates"})
    if name is None:
        return {}
    spec = spec_of(paper, name)
    slots = service_slots(paper, name)
    folder = FolderDraft(spec.names[0], service_files(paper, name))
    mailbox = sheet_spec(spec, "mailbox") if any(s.name == "mailbox" for s in spec.sheets) else spec.sheets[0]
    book = workbook(spec, {mailbox.name: field_rows(mailbox, mailbox_values(paper))})
    folder.files[f"{slots['mailbox']}.xlsx"] = book.to_bytes()
    return {name: folder}


UNITS = (unit_accounts, unit_selection, unit_listing, unit_images, unit_optimisation, unit_orders,
         unit_logistics, unit_service)


def perfect(paper: Any) -> Drafts:
    """Every deliverable of the paper as a careful candidate hands it in."""
    drafts: Drafts = {}
    try:
        for make in UNITS:
            drafts.update(make(paper))
    except SampleError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise SampleError(f"paper {paper.id}: the demo generator cannot make a candidate from this key "
                          f"({type(exc).__name__}: {exc})") from None
    return drafts
