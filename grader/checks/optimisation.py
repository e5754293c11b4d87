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
from grader.checks.common import at, sheet_or_outcome
from grader.checks.listing import (
    Problem,
    banned_found,
    banned_problems,
    decimal_text,
    description_problems,
    fact_phrases,
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
from grader.model import Evidence, Outcome
from grader.paper import Key
from grader.records.tables import Cell, Row, Sheet
from grader.values import nfkc, shown, shown_date, shown_zh, to_date, to_number, to_whole

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
    blank = [] if nfkc(cell.value) else [Problem("no title written", "未填写标题")]
    length_id, form_id, banned_id = p["same_rules_as"]
    parts = [
        (f"title length and brand ({length_id})", f"标题长度与品牌（{length_id}）",
         title_length_problems(cell.value, brand, p["min_length"], p["max_length"])),
        (f"title form ({form_id})", f"标题格式（{form_id}）", title_form_problems(cell.value, p) + blank),
        (f"title banned words ({banned_id})", f"标题违禁词（{banned_id}）", banned_problems(cell.value, ctx.key) + blank),
    ]
    evidence = [verdict(sheet, cell, what, what_zh, problems) for what, what_zh, problems in parts]
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
            evidence.append(at(sheet, cell, f"title holds {keyword!r} as {match.text!r}", f"标题含关键词 {keyword}",
                               expected=keyword, found=match.text, ok=True))
        else:
            evidence.append(at(sheet, cell, f"title lacks the top keyword {keyword!r}", f"标题缺少高搜索量关键词 {keyword}",
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
        problems.append(Problem("no new title written", "未填写新标题"))
    elif score >= p["similar_at"]:
        problems.append(Problem(f"{percent(score)} similar to the old title (≥ {p['similar_at']})",
                                f"与原标题相似度 {percent(score)}（≥ {p['similar_at']}）"))
    return field_outcome(sheet, cell, "title", "标题", problems, expected=f"similarity < {p['similar_at']}",
                         ok=f"{percent(score)} similar to the old title", ok_zh=f"与原标题相似度 {percent(score)}")


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
    problems += keyword_count_problem(found, p["min_keywords"], "report keywords", "报告关键词")
    problems += banned_problems(cell.value, ctx.key)
    return field_outcome(sheet, cell, "search terms", "搜索词", problems,
                         expected=f"≤ {p['max_bytes']} bytes, ≥ {p['min_keywords']} report keywords, "
                                  f"no repeats, no banned word",
                         ok=f"{utf8_bytes(cell.value)} bytes, {len(found)} report keywords",
                         ok_zh=f"{utf8_bytes(cell.value)} 字节，{len(found)} 个报告关键词")


@check("optimised_description", reads=(Reads("sheet", fields=("field",)),), needs=("product.facts", "banned_words.english"),
       params=("sheet", "field", "min_length", "max_length", "facts"), validate=tokenizer_ready)
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
    problems += description_problems(cell.value, facts, p["min_length"], p["max_length"], ctx.typo_min_letters)
    return field_outcome(sheet, cell, "description", "商品描述", problems,
                         ok=f"{length(cell.value)} characters, states {', '.join(facts)}, no banned word",
                         ok_zh=f"{length(cell.value)} 个字符，说明了材质与尺寸，无违禁词")


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
    return Evidence(f"{sku}: no row", f"{sku}：缺少该 SKU 的行", file=sheet.file, sheet=sheet.name,
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
            share, what, what_zh = Fraction(1), "between the floor and the competitor median", "在保本价与竞品中位数之间"
        elif price is not None and middle < price < high:
            share, what, what_zh = partial, "above the competitor median, below the old price", "高于竞品中位数、低于原价"
        elif price is None:
            share, what, what_zh = Fraction(0), "not a number", "不是数字"
        else:
            share, what, what_zh = Fraction(0), "below the floor" if price < low else "at or above the old price", \
                "低于保本价" if price < low else "不低于原价"
        earned += share
        evidence.append(at(sheet, row[c["price"]], f"{sku}: price {shown(row.value(c['price']))} {what} ({band})",
                           f"{sku}：价格 {shown_zh(row.value(c['price']))} {what_zh}", expected=f"{usd(low)}–{usd(middle)}",
                           ok=share == 1))
    return Outcome(earned / len(skus), tuple(evidence))


# ---------------------------------------------------------------- U5-07


def promo_price_problems(row: Row, c: dict[str, str], floor: Fraction, low: Fraction, high: Fraction) -> list[Problem]:
    """The promo price is 10–50% below the candidate's own new price and not below the floor."""
    price, promo = exact(row.value(c["price"])), exact(row.value(c["promo_price"]))
    if price is None or price <= 0:
        return [Problem(f"new price {shown(row.value(c['price']))} is not a positive number",
                        f"新价格 {shown_zh(row.value(c['price']))} 不是正数")]
    if promo is None:
        return [Problem(f"promo price {shown(row.value(c['promo_price']))} is not a number",
                        f"促销价 {shown_zh(row.value(c['promo_price']))} 不是数字")]
    problems = []
    discount = (price - promo) / price
    band = f"{percent(low * 100)}–{percent(high * 100)}%"
    if discount < 0:  # a promo above the price: its rise, not a negative discount
        problems.append(Problem(f"promo {usd(promo)} is {percent(-discount * 100)}% above the new price {usd(price)}, "
                                f"not {band} below",
                                f"促销价 {usd(promo)} 比新价格 {usd(price)} 高 {percent(-discount * 100)}%，应低 {band}"))
    elif not low <= discount <= high:
        problems.append(Problem(f"promo {usd(promo)} is {percent(discount * 100)}% below the new price {usd(price)}, "
                                f"not {band}",
                                f"促销价 {usd(promo)} 比新价格 {usd(price)} 低 {percent(discount * 100)}%，应为 {band}"))
    if promo < floor:
        problems.append(Problem(f"promo {usd(promo)} below the floor {usd(floor)}",
                                f"促销价 {usd(promo)} 低于保本价 {usd(floor)}"))
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
            problems.append(Problem(f"{column} {shown(cell.value)} ({cell.ref or 'no cell'}) is not a date "
                                    f"(an Excel date or YYYY-MM-DD)",
                                    f"{column} {shown_zh(cell.value)} 不是日期（Excel 日期或 YYYY-MM-DD）"))
    start, end = dates["promo_start"], dates["promo_end"]
    typed = {role: shown_date(row[c[role]].value, is_date_cell=row[c[role]].is_date) for role in dates}
    if start is not None and start < first_day:
        problems.append(Problem(f"starts {typed['promo_start']} before the exam date {first_day}",
                                f"开始日期 {typed['promo_start']} 早于考试日期 {first_day}"))
    if start is not None and end is not None:
        if end <= start:
            problems.append(Problem(f"ends {typed['promo_end']}, not after its start {typed['promo_start']}",
                                    f"结束日期 {typed['promo_end']} 不晚于开始日期 {typed['promo_start']}"))
        elif (end - start).days > max_days:
            problems.append(Problem(f"lasts {(end - start).days} days > {max_days}",
                                    f"持续 {(end - start).days} 天，超过 {max_days} 天"))
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
            (price_share, "promo price", "促销价", row[c["promo_price"]], None,
             promo_price_problems(row, c, floor_price(ctx.key, sku), low, high)),
            (1 - price_share, "promo dates", "促销日期", row[c["promo_start"]], dates,
             promo_date_problems(row, c, first_day, p["max_days"])),
        )
        for share, what, what_zh, cell, found, problems in parts:
            item = verdict(sheet, cell, f"{sku} {what}", f"{sku} {what_zh}", problems, found=found)
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
            message, message_zh = f"{sku}: stock {stock} covers {days} days ({percent(need)})", f"{sku}：库存 {stock} 合理"
        elif stock is None:
            message, message_zh = f"{sku}: stock {shown(row.value(c['stock']))} is not a whole number", \
                f"{sku}：库存 {shown_zh(row.value(c['stock']))} 不是整数"
        elif stock < need:
            message, message_zh = f"{sku}: stock {stock} < {days} days of sales ({percent(need)})", \
                f"{sku}：库存 {stock} 不足 {days} 天销量（{percent(need)}）"
        else:
            message, message_zh = f"{sku}: stock {stock} > warehouse stock {have}", f"{sku}：库存 {stock} 超过仓库库存 {have}"
        earned += 1 if ok else 0
        evidence.append(at(sheet, row[c["stock"]], message, message_zh, expected=f"{percent(need)}–{have}", ok=ok))
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
                               f"{sku}: lead time {shown(row.value(c['lead_time']))} not a whole number "
                               f"{p['min_lead_days']}–{p['max_lead_days']}",
                               f"{sku}：备货期 {shown_zh(row.value(c['lead_time']))} 不在 "
                               f"{p['min_lead_days']}–{p['max_lead_days']} 天", expected=f"{p['min_lead_days']}–{p['max_lead_days']}"))
    if evidence:
        return Outcome(Fraction(0), tuple(evidence))
    return Outcome(Fraction(1), (Evidence(f"every lead time {p['min_lead_days']}–{p['max_lead_days']} days",
                                          "备货期均合规", file=sheet.file, sheet=sheet.name, ok=True),))
