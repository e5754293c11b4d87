"""Unit 5 checks: listing optimisation (商品管理/二次优化) — the new title, search terms and
description, and the new prices, promotion, stock and lead times per SKU.

The text rules are unit 3's (``grader.checks.listing``). Prices are exact: money is read as
``Decimal`` and compared as ``Fraction``, so the break-even floor
(cost + freight) / rate / (1 − commission) and the competitor median (the mean of the two middle
prices for an even count, convention 19) carry no rounding. Dates follow convention 31
(``to_date``). Per-SKU criteria are averaged over the key's SKUs; a SKU without a row scores 0
and a repeated SKU is graded on its first row (convention 6). SKUs keep their case (convention 3).

Key sections read: ``optimization`` (exam date, rates, the current listing, per-SKU data),
``keyword_report`` (keyword, search_volume, conversion_rate), and unit 3's ``product``,
``banned_words``.
"""
from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from grader import text as en
from grader.checks import CheckContext, Reads, check
from grader.checks.common import at, sheet_or_outcome, shown_both
from grader.checks.listing import (
    Problem,
    banned_found,
    banned_problems,
    decimal_text,
    description_problems,
    fact_phrases,
    facts_ready,
    field_outcome,
    keyword_count_problem,
    keywords_in_search_terms,
    length,
    percent,
    search_terms_form_problems,
    similarity,
    title_form_problems,
    title_length_problems,
    tokenizer_ready,
    utf8_bytes,
    verdict,
)
from grader.locale import N_, say
from grader.model import Evidence, Outcome
from grader.paper import Key
from grader.records.tables import Cell, Row, Sheet
from grader.values import nfkc, shown_date, to_date, to_number, to_whole

# ---------------------------------------------------------------- the key's materials


def sku_materials(key: Key) -> dict[str, dict[str, Any]]:
    """The SKUs of unit 5 with their data, in the materials' order."""
    return {nfkc(sku): data for sku, data in key["optimization"]["skus"].items()}


def exact(value: object) -> Fraction | None:
    number = to_number(value)
    return None if number is None else Fraction(number)


def floor_price(key: Key, sku: str) -> Fraction:
    """The break-even floor in USD: (cost_cny + freight_cny) / exchange_rate / (1 − commission_rate)."""
    materials = key["optimization"]
    data = sku_materials(key)[sku]
    cost = exact(data["cost_cny"]) + exact(data["freight_cny"])
    return cost / exact(materials["exchange_rate"]) / (1 - exact(materials["commission_rate"]))


def median(values: list[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def competitor_median(key: Key, sku: str) -> Fraction:
    prices = sku_materials(key)[sku]["competitor_prices_usd"]
    values = prices.values() if isinstance(prices, dict) else prices
    return median([exact(v) for v in values])


def old_price(key: Key, sku: str) -> Fraction:
    return exact(sku_materials(key)[sku]["old_price_usd"])


def exam_date(key: Key) -> dt.date | None:
    return to_date(key["optimization"]["exam_date"])


def report_keywords(key: Key) -> list[str]:
    return [nfkc(r.get("keyword")) for r in key["keyword_report"] if nfkc(r.get("keyword"))]


def top_keywords(key: Key, count: int) -> list[str]:
    """The report's keywords with the highest search volume; ties keep the report's order (convention 26)."""
    rows = [r for r in key["keyword_report"] if nfkc(r.get("keyword"))]
    ranked = sorted(rows, key=lambda r: -to_number(r.get("search_volume")))  # sorted() is stable
    return [nfkc(r["keyword"]) for r in ranked[:count]]


def usd(value: Fraction) -> str:
    """A money amount for evidence: to the cent when exact, else to 4 places."""
    return decimal_text(value, 2 if (value * 100).denominator == 1 else 4)


# ---------------------------------------------------------------- key guarantees (convention 21)


def _price_guarantees(key: Key, params: dict[str, Any]) -> list[str]:
    """For every SKU: floor < competitor median < old price, every number readable."""
    materials = key["optimization"]
    rate, commission = exact(materials.get("exchange_rate")), exact(materials.get("commission_rate"))
    if rate is None or rate <= 0 or commission is None or not 0 <= commission < 1:
        return ["optimization: exchange_rate must be > 0 and commission_rate in [0, 1)"]
    if exam_date(key) is None:
        return ["optimization.exam_date is not a date"]
    problems = []
    for sku, data in sku_materials(key).items():
        fields = [data.get("cost_cny"), data.get("freight_cny"), data.get("old_price_usd")]
        prices = data.get("competitor_prices_usd") or {}
        values = prices.values() if isinstance(prices, dict) else prices
        if any(exact(v) is None for v in (*fields, *values)) or not values:
            problems.append(f"optimization.skus.{sku}: a price, cost or freight is not a number")
            continue
        low, middle, high = floor_price(key, sku), competitor_median(key, sku), old_price(key, sku)
        if not low < middle < high:
            problems.append(f"optimization.skus.{sku}: floor {usd(low)} < median {usd(middle)} < old price "
                            f"{usd(high)} does not hold")
    if not sku_materials(key):
        problems.append("optimization.skus is empty")
    return problems


def _stock_guarantees(key: Key, params: dict[str, Any]) -> list[str]:
    """For every SKU: ``days`` × average daily sales fit in the warehouse stock."""
    problems = []
    for sku, data in sku_materials(key).items():
        daily, stock = exact(data.get("avg_daily_sales")), to_whole(data.get("warehouse_stock"))
        if daily is None or stock is None:
            problems.append(f"optimization.skus.{sku}: avg_daily_sales or warehouse_stock is not a number")
        elif params["days"] * daily > stock:
            problems.append(f"optimization.skus.{sku}: {params['days']} days of sales exceed the warehouse stock")
    return problems


def _report_guarantees(key: Key, params: dict[str, Any]) -> list[str]:
    """The report has search volumes, at least ``top`` keywords, and its top keywords hold no banned word."""
    rows = [r for r in key["keyword_report"] if nfkc(r.get("keyword"))]
    if any(to_number(r.get("search_volume")) is None for r in rows):
        return ["keyword_report.csv: a search_volume is not a number"]
    if len(rows) < params["top"]:
        return [f"keyword_report.csv holds fewer than {params['top']} keywords"]
    return [f"keyword_report.csv: top keyword {k!r} holds a banned word"
            for k in top_keywords(key, params["top"]) if banned_found(k, key)]


def _old_title(key: Key, params: dict[str, Any]) -> list[str]:
    return [] if nfkc(key["optimization"].get("current_listing", {}).get("title")) else \
        ["optimization.current_listing.title is missing"]


# ---------------------------------------------------------------- U5-01 … U5-05


def _three_rules(key: Key, params: dict[str, Any]) -> list[str]:
    named = params["same_rules_as"]
    if not isinstance(named, list) or len(named) != 3 or not all(isinstance(n, str) for n in named):
        return ["same_rules_as must name three criteria: the length-and-brand, form and banned-word rules"]
    return tokenizer_ready(key, params)


def _field(ctx: CheckContext) -> tuple[Sheet | None, Cell, Outcome | None]:
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return None, Cell(None), missing
    return sheet, sheet.field(ctx.params["field"]), None


@check("new_title_rules", reads=(Reads("sheet", fields=("field",)),), needs=("product.brand", "banned_words.english", "banned_words.chinese"),
       params=("sheet", "field", "min_length", "max_length", "forbidden", "max_repeats", "repeat_exempt",
               "caps_max_letters", "minor_words", "same_rules_as"), validate=_three_rules)
def new_title_rules(ctx: CheckContext) -> Outcome:
    """The new title passes three rules of the product-text unit, an equal share each: its length
    (``min_length``–``max_length`` characters) and brand prefix; its form (the title-form
    parameters); no banned word. ``same_rules_as`` names the three criteria whose rules these
    are, as the paper numbers them, for the evidence.

    Okay: ``HydroKeep Insulated Water Bottle, 18/8 Stainless Steel Water Bottle …``. Fails one part
    each: 79 characters; ``… Bottle Bottle Bottle``; ``… Best Seller``. An empty title earns nothing.
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx)
    if missing:
        return missing
    brand = nfkc(ctx.key["product"]["brand"])
    blank = [] if nfkc(cell.value) else [say(N_("no title written"))]
    length_id, form_id, banned_id = p["same_rules_as"]
    parts = [
        (say(N_("title length and brand ({criterion})"), criterion=length_id),
         title_length_problems(cell.value, brand, p["min_length"], p["max_length"])),
        (say(N_("title form ({criterion})"), criterion=form_id), title_form_problems(cell.value, p) + blank),
        (say(N_("title banned words ({criterion})"), criterion=banned_id), banned_problems(cell.value, ctx.key) + blank),
    ]
    evidence = [verdict(sheet, cell, what, problems) for what, problems in parts]
    earned = Fraction(sum(1 for e in evidence if e.ok), len(parts))
    return Outcome(earned, tuple(evidence))


@check("top_keywords_in_title", reads=(Reads("sheet", fields=("field",)),), needs=("keyword_report.keyword", "keyword_report.search_volume"), params=("sheet", "field", "top"),
       validate=_report_guarantees)
def top_keywords_in_title(ctx: CheckContext) -> Outcome:
    """The new title holds the report's ``top`` keywords by search volume (ties keep the report's
    order), each as a contiguous phrase under convention 12 — an equal share each.

    Okay: ``HydroKeep Insulated Water Bottle, Stainless Steel Water Bottle …``. Fails one share
    each keyword missing: ``… Stainless Water Bottle …`` lacks ``stainless steel water bottle``.
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx)
    if missing:
        return missing
    top = top_keywords(ctx.key, p["top"])
    evidence = []
    for keyword in top:
        match = en.find_phrase(keyword, nfkc(cell.value), typos=ctx.typo_min_letters)
        if match:
            evidence.append(at(sheet, cell, *say(N_("title holds {keyword!r} as {found!r}"), keyword=keyword,
                                                 found=match.text),
                               expected=keyword, found=match.text, ok=True))
        else:
            evidence.append(at(sheet, cell, *say(N_("title lacks the top keyword {keyword!r}"), keyword=keyword),
                               expected=keyword))
    return Outcome(Fraction(sum(1 for e in evidence if e.ok), len(top)), tuple(evidence))


@check("title_rewritten", reads=(Reads("sheet", fields=("field",)),), needs=("optimization.current_listing",), params=("sheet", "field", "similar_at"),
       validate=_old_title)
def title_rewritten(ctx: CheckContext) -> Outcome:
    """The new title is a real rewrite: ``fuzz.ratio`` with the old title (case-folded, spaces
    collapsed) below ``similar_at``.

    Okay: a new title 84 similar to the old one. Fails: 85 or more similar; an empty title.
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx)
    if missing:
        return missing
    old = ctx.key["optimization"]["current_listing"]["title"]
    score = similarity(cell.value, old)
    problems = []
    if not nfkc(cell.value):
        problems.append(say(N_("no new title written")))
    elif score >= p["similar_at"]:
        problems.append(say(N_("{percent} similar to the old title (≥ {at})"), percent=percent(score), at=p["similar_at"]))
    return field_outcome(sheet, cell, say(N_("title")), problems, expected=f"similarity < {p['similar_at']}",
                         ok=say(N_("{percent} similar to the old title"), percent=percent(score)))


@check("optimised_search_terms", reads=(Reads("sheet", fields=("field",)),), needs=("keyword_report.keyword", "keyword_report.search_volume", "banned_words.english"),
       params=("sheet", "field", "max_bytes", "min_keywords"), validate=tokenizer_ready)
def optimised_search_terms(ctx: CheckContext) -> Outcome:
    """Search terms at most ``max_bytes`` bytes in UTF-8, at least ``min_keywords`` report keywords
    (all words anywhere; they may also stand in the title), no word repeated, no banned word.

    Okay: ``insulated stainless steel water bottle vacuum flask leak proof …``. Fails: 250 bytes;
    four report keywords; ``bottle … bottles`` is fine but ``bottle … Bottle`` is a repeat; ``best seller``.
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx)
    if missing:
        return missing
    found = keywords_in_search_terms(cell.value, report_keywords(ctx.key), ctx.typo_min_letters)
    problems = search_terms_form_problems(cell.value, p["max_bytes"])
    problems += keyword_count_problem(found, p["min_keywords"], say(N_("report keywords")))
    problems += banned_problems(cell.value, ctx.key)
    return field_outcome(sheet, cell, say(N_("search terms")), problems,
                         expected=f"≤ {p['max_bytes']} bytes, ≥ {p['min_keywords']} report keywords, "
                                  f"no repeats, no banned word",
                         ok=say(N_("{size} bytes, {count} report keywords"), size=utf8_bytes(cell.value), count=len(found)))


@check("optimised_description", reads=(Reads("sheet", fields=("field",)),), needs=("product.facts", "banned_words.english"),
       params=("sheet", "field", "min_length", "max_length", "facts"), validate=facts_ready)
def optimised_description(ctx: CheckContext) -> Outcome:
    """The new description has no banned word, is ``min_length``–``max_length`` characters and
    states each of ``facts`` (the key's fact phrases).

    Okay: a 400-character text naming ``stainless steel`` and ``750 ml``. Fails: 199 characters;
    ``100% quality guaranteed``; no material phrase.
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx)
    if missing:
        return missing
    facts = fact_phrases(ctx.key, p["facts"])
    problems = banned_problems(cell.value, ctx.key)
    problems += description_problems(cell.value, ctx.key, facts, p["min_length"], p["max_length"],
                                     ctx.typo_min_letters)
    return field_outcome(sheet, cell, say(N_("description")), problems,
                         ok=say(N_("{n} characters, states {facts}, no banned word"), n=length(cell.value),
                                facts=", ".join(facts)))


# ---------------------------------------------------------------- pricing rows


def pricing_rows(sheet: Sheet, c: dict[str, str]) -> dict[str, Row]:
    """Each SKU's first row (convention 6), SKUs (in ``c["sku"]``) compared with case kept (convention 3)."""
    rows: dict[str, Row] = {}
    for row in sheet.rows:
        sku = nfkc(row.value(c["sku"]))
        if sku:
            rows.setdefault(sku, row)
    return rows


def _no_row(sheet: Sheet, sku: str) -> Evidence:
    return Evidence(*say(N_("{sku}: no row"), sku=sku), file=sheet.file, sheet=sheet.name,
                    expected=sku, found="(missing)")


def _per_sku(ctx: CheckContext) -> tuple[Sheet | None, dict[str, Row], Outcome | None]:
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return None, {}, missing
    return sheet, pricing_rows(sheet, ctx.params["columns"]), None


# ---------------------------------------------------------------- U5-06


@check("price_band", reads=(Reads("sheet", columns=("columns.sku", "columns.price")),), needs=("optimization.skus", "optimization.exchange_rate", "optimization.commission_rate"),
       params=("sheet", "columns", "above_median_share"), validate=_price_guarantees)
def price_band(ctx: CheckContext) -> Outcome:
    """Each SKU's new price: from the break-even floor to the competitor median (ends included) earns
    the full share; above the median but below the old price earns ``above_median_share``; anything
    else 0 — averaged over the key's SKUs.

    Okay: 24.99 with floor 9.94, median 25.24. Partly: 25.25 (above the median), 34.98 (below the
    old 34.99). Fails: 34.99 (the old price), 9.93 (below the floor), ``25,24`` (not a number), no row.
    """
    sheet, rows, missing = _per_sku(ctx)
    c = ctx.params["columns"]
    if missing:
        return missing
    partial = Fraction(str(ctx.params["above_median_share"]))
    skus = sku_materials(ctx.key)
    earned, evidence = Fraction(0), []
    for sku in skus:
        row = rows.get(sku)
        if row is None:
            evidence.append(_no_row(sheet, sku))
            continue
        low, middle, high = floor_price(ctx.key, sku), competitor_median(ctx.key, sku), old_price(ctx.key, sku)
        price = exact(row.value(c["price"]))
        band = f"floor {usd(low)}, median {usd(middle)}, old price {usd(high)}"
        if price is not None and low <= price <= middle:
            share, what = Fraction(1), say(N_("between the floor and the competitor median"))
        elif price is not None and middle < price < high:
            share, what = partial, say(N_("above the competitor median, below the old price"))
        elif price is None:
            share, what = Fraction(0), say(N_("not a number"))
        else:
            share, what = Fraction(0), say(N_("below the floor")) if price < low else say(N_("at or above the old price"))
        earned += share
        evidence.append(at(sheet, row[c["price"]], *say(N_("{sku}: price {typed} {what} ({band})"), sku=sku,
                                                        typed=shown_both(row.value(c["price"])), what=what, band=band),
                           expected=f"{usd(low)}–{usd(middle)}",
                           ok=share == 1))
    return Outcome(earned / len(skus), tuple(evidence))


# ---------------------------------------------------------------- U5-07


def promo_price_problems(row: Row, c: dict[str, str], floor: Fraction, low: Fraction, high: Fraction) -> list[Problem]:
    """The promo price is 10–50% below the candidate's own new price and not below the floor."""
    price, promo = exact(row.value(c["price"])), exact(row.value(c["promo_price"]))
    if price is None or price <= 0:
        return [say(N_("new price {typed} is not a positive number"), typed=shown_both(row.value(c["price"])))]
    if promo is None:
        return [say(N_("promo price {typed} is not a number"), typed=shown_both(row.value(c["promo_price"])))]
    problems = []
    discount = (price - promo) / price
    band = f"{percent(low * 100)}–{percent(high * 100)}%"
    if discount < 0:  # a promo above the price: its rise, not a negative discount
        problems.append(say(N_("promo {promo} is {rise}% above the new price {price}, not {band} below"), promo=usd(promo),
                            rise=percent(-discount * 100), price=usd(price), band=band))
    elif not low <= discount <= high:
        problems.append(say(N_("promo {promo} is {discount}% below the new price {price}, not {band}"), promo=usd(promo),
                            discount=percent(discount * 100), price=usd(price), band=band))
    if promo < floor:
        problems.append(say(N_("promo {promo} below the floor {floor}"), promo=usd(promo), floor=usd(floor)))
    return problems


def promo_date_problems(row: Row, c: dict[str, str], first_day: dt.date, max_days: int) -> list[Problem]:
    """Real dates (convention 31), starting on or after the exam date, ending after the start, at most
    ``max_days`` long (end − start)."""
    problems = []
    dates = {}
    for role in ("promo_start", "promo_end"):
        column = c[role]
        cell = row[column]
        dates[role] = to_date(cell.value, is_date_cell=cell.is_date)
        if dates[role] is None:
            problems.append(say(N_("{column} {typed} ({ref}) is not a date (an Excel date or YYYY-MM-DD)"), column=column,
                                typed=shown_both(cell.value), ref=cell.ref or "no cell"))
    start, end = dates["promo_start"], dates["promo_end"]
    typed = {role: shown_date(row[c[role]].value, is_date_cell=row[c[role]].is_date) for role in dates}
    if start is not None and start < first_day:
        problems.append(say(N_("starts {start} before the exam date {day}"), start=typed["promo_start"], day=first_day))
    if start is not None and end is not None:
        if end <= start:
            problems.append(say(N_("ends {end}, not after its start {start}"), end=typed["promo_end"],
                                start=typed["promo_start"]))
        elif (end - start).days > max_days:
            problems.append(say(N_("lasts {days} days > {most}"), days=(end - start).days, most=max_days))
    return problems


@check("promotion", reads=(Reads("sheet", columns=("columns.sku", "columns.price", "columns.promo_price", "columns.promo_start",
                                       "columns.promo_end")),), needs=("optimization.skus", "optimization.exam_date"),
       params=("sheet", "columns", "min_discount", "max_discount", "max_days", "price_share"), validate=_price_guarantees)
def promotion(ctx: CheckContext) -> Outcome:
    """Each SKU: the promo price is ``min_discount``–``max_discount`` below the new price and not below
    the floor (``price_share`` of the SKU's share); the promo dates are real dates, start on or after
    the exam date, end after the start, last at most ``max_days`` days (the rest) — averaged over
    the key's SKUs.

    Okay: 24.99 → 19.99 from the exam date for 30 days; dates as Excel dates, serials or
    ``2026-11-25``. Fails: 23.99 (4% off); a start the day before the exam date; 31 days;
    ``25/11/2026`` (not a date).
    """
    p = ctx.params
    sheet, rows, missing = _per_sku(ctx)
    c = ctx.params["columns"]
    if missing:
        return missing
    low, high = exact(p["min_discount"]), exact(p["max_discount"])
    price_share = Fraction(str(p["price_share"]))
    first_day = exam_date(ctx.key)
    skus = sku_materials(ctx.key)
    earned, evidence = Fraction(0), []
    for sku in skus:
        row = rows.get(sku)
        if row is None:
            evidence.append(_no_row(sheet, sku))
            continue
        dates = " → ".join(shown_date(row[c[role]].value, is_date_cell=row[c[role]].is_date)
                          for role in ("promo_start", "promo_end"))
        parts = (
            (price_share, say(N_("{sku} promo price"), sku=sku), row[c["promo_price"]], None,
             promo_price_problems(row, c, floor_price(ctx.key, sku), low, high)),
            (1 - price_share, say(N_("{sku} promo dates"), sku=sku), row[c["promo_start"]], dates,
             promo_date_problems(row, c, first_day, p["max_days"])),
        )
        for share, what, cell, found, problems in parts:
            item = verdict(sheet, cell, what, problems, found=found)
            evidence.append(item)
            earned += share if item.ok else 0
    return Outcome(earned / len(skus), tuple(evidence))


# ---------------------------------------------------------------- U5-08, U5-09


@check("stock_cover", reads=(Reads("sheet", columns=("columns.sku", "columns.stock")),), needs=("optimization.skus",), params=("sheet", "columns", "days"), validate=_stock_guarantees)
def stock_cover(ctx: CheckContext) -> Outcome:
    """Each SKU's stock is a whole number of at least ``days`` × its average daily sales and at most
    the warehouse stock — proportional over the key's SKUs.

    Okay: 126 for 4.2 a day (exactly 30 days) with 300 in the warehouse. Fails: 125; 301; ``126.5``.
    """
    sheet, rows, missing = _per_sku(ctx)
    c = ctx.params["columns"]
    if missing:
        return missing
    days = ctx.params["days"]
    skus = sku_materials(ctx.key)
    earned, evidence = Fraction(0), []
    for sku, data in skus.items():
        row = rows.get(sku)
        if row is None:
            evidence.append(_no_row(sheet, sku))
            continue
        need = days * exact(data["avg_daily_sales"])
        have = to_whole(data["warehouse_stock"])
        stock = to_whole(row.value(c["stock"]))
        ok = stock is not None and need <= stock <= have
        if ok:
            said = say(N_("{sku}: stock {stock} covers {days} days ({need})"), sku=sku, stock=stock, days=days,
                       need=percent(need))
        elif stock is None:
            said = say(N_("{sku}: stock {typed} is not a whole number"), sku=sku, typed=shown_both(row.value(c["stock"])))
        elif stock < need:
            said = say(N_("{sku}: stock {stock} < {days} days of sales ({need})"), sku=sku, stock=stock, days=days,
                       need=percent(need))
        else:
            said = say(N_("{sku}: stock {stock} > warehouse stock {have}"), sku=sku, stock=stock, have=have)
        earned += 1 if ok else 0
        evidence.append(at(sheet, row[c["stock"]], *said, expected=f"{percent(need)}–{have}", ok=ok))
    return Outcome(Fraction(earned, len(skus)), tuple(evidence))


@check("lead_times", reads=(Reads("sheet", columns=("columns.sku", "columns.lead_time")),), needs=("optimization.skus",), params=("sheet", "columns", "min_lead_days", "max_lead_days"))
def lead_times(ctx: CheckContext) -> Outcome:
    """Every SKU of the key has a row whose lead time is a whole number
    ``min_lead_days``–``max_lead_days``.

    Okay: 2 on every row. Fails: 4 on one row; a SKU without a row; ``2-3``.
    """
    p = ctx.params
    sheet, rows, missing = _per_sku(ctx)
    c = ctx.params["columns"]
    if missing:
        return missing
    evidence = []
    for sku in sku_materials(ctx.key):
        row = rows.get(sku)
        if row is None:
            evidence.append(_no_row(sheet, sku))
            continue
        lead = to_whole(row.value(c["lead_time"]))
        ok = lead is not None and p["min_lead_days"] <= lead <= p["max_lead_days"]
        if not ok:
            evidence.append(at(sheet, row[c["lead_time"]],
                               *say(N_("{sku}: lead time {typed} not a whole number {low}–{high}"), sku=sku,
                                    typed=shown_both(row.value(c["lead_time"])), low=p["min_lead_days"],
                                    high=p["max_lead_days"]), expected=f"{p['min_lead_days']}–{p['max_lead_days']}"))
    if evidence:
        return Outcome(Fraction(0), tuple(evidence))
    return Outcome(Fraction(1), (Evidence(*say(N_("every lead time {low}–{high} days"), low=p["min_lead_days"],
                                               high=p["max_lead_days"]), file=sheet.file, sheet=sheet.name, ok=True),))
