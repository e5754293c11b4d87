"""Unit 7 checks: shipping methods, chargeable weights, freight, warehouse rows and tracking numbers.

The materials are ``logistics.toml`` (rate tables, parcels, arrivals, opening stock) and unit 6's
``orders.csv`` (the shipped orders). Every expected answer is computed by ``grader.freight`` from
the rate tables, so a centre that changes a rate needs no new key. One mistake is charged once
(convention 9): U7-02 and U7-03 grade the method the candidate chose, U7-06 the candidate's own
inbound and outbound rows, U7-07 the method named on each confirmation row. A repeated parcel or
order id is graded on its first row (convention 6). SKUs keep their letter case (convention 3).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from grader.checks import CheckContext, Reads, check
from grader.checks.common import all_or_nothing, at, joined, sheet_or_outcome, shown_both
from grader.freight import (
    URGENT,
    Parcel,
    Quote,
    Rates,
    RateTableError,
    parcels_from_key,
    quote,
    right_methods,
)
from grader.locale import N_, Said, say
from grader.model import Evidence, Outcome
from grader.numbers import s10
from grader.paper import Key
from grader.records.tables import Cell, Row, Sheet
from grader.values import equal_text, nfkc, shown, shown_date, to_date, to_number, to_whole

NEEDS = ("logistics.methods", "logistics.parcels", "logistics.arrivals", "logistics.opening_stock",
         "logistics.shipped_status", "orders.order_id", "orders.sku", "orders.quantity", "orders.status")


# ---------------------------------------------------------------- the materials


@dataclass(frozen=True)
class Arrival:
    sku: str
    quantity: int
    warehouse: str
    date: dt.date


@dataclass(frozen=True)
class Shipment:
    order_id: str  # upper case
    sku: str
    quantity: int


@dataclass(frozen=True)
class Materials:
    rates: Rates
    parcels: tuple[Parcel, ...]
    arrivals: tuple[Arrival, ...]
    opening: dict[str, int]
    shipped: tuple[Shipment, ...]  # the key's shipped orders, in orders.csv order
    tracking_country: str


def _whole(value: Any, where: str, *, least: int) -> int:
    number = to_whole(value)
    if number is None or number < least:
        raise RateTableError(f"{where}: expected a whole number ≥ {least}, found {value!r}")
    return number


def read_materials(key: Key) -> Materials:
    """The unit-7 materials, parsed; raises RateTableError naming what is malformed."""
    section = key["logistics"]
    rates = Rates.from_key(section)
    parcels = parcels_from_key(section)
    arrivals = []
    for n, item in enumerate(section.get("arrivals", [])):
        where = f"arrivals[{n}]"
        date = to_date(item.get("date"))
        if not nfkc(item.get("sku")) or not nfkc(item.get("warehouse")) or date is None:
            raise RateTableError(f"{where} needs sku, warehouse and a date (YYYY-MM-DD)")
        arrivals.append(Arrival(nfkc(item["sku"]), _whole(item.get("quantity"), where, least=1),
                                nfkc(item["warehouse"]), date))
    opening = {nfkc(sku): _whole(n, f"opening_stock.{sku}", least=0)
               for sku, n in section.get("opening_stock", {}).items()}
    status = equal_text(section.get("shipped_status"))
    shipped = tuple(Shipment(nfkc(o["order_id"]).upper(), nfkc(o["sku"]),
                             _whole(o.get("quantity"), f"orders.csv {o['order_id']}", least=1))
                    for o in key["orders"] if equal_text(o.get("status")) == status)
    return Materials(rates, parcels, tuple(arrivals), opening, shipped,
                     nfkc(section.get("tracking_country", "")).upper())


def materials(ctx: CheckContext) -> Materials:
    return ctx.key.derive("logistics.materials", read_materials)


def guarantees(key: Key, params: dict[str, Any]) -> list[str]:
    """What the unit-7 materials must guarantee (conventions 21 and 28), checked at load."""
    try:
        m = key.derive("logistics.materials", read_materials)
    except (RateTableError, KeyError, TypeError) as exc:
        return [f"logistics materials malformed: {exc}"]
    problems = []
    for ident, method in m.rates.methods.items():
        if not method.tracking:
            problems.append(f"method {ident} states no tracking number form")
    uses_s10 = any(method.tracking == "s10" for method in m.rates.methods.values())
    if uses_s10 and not (len(m.tracking_country) == 2 and m.tracking_country.isalpha()):
        problems.append("tracking_country must be a two-letter country code for S10 numbers")
    labels = params.get("methods")
    if labels is not None and set(labels) != set(m.rates.methods):
        problems.append(f"the rubric names methods {sorted(labels)}, the materials {sorted(m.rates.methods)}")
    if not m.parcels:
        problems.append("the materials give no parcel")
    if not m.shipped:
        problems.append("orders.csv has no shipped order")
    shipped_ids = {s.order_id for s in m.shipped}
    for name in ("parcel_id", "order_id"):
        values = [getattr(p, name).upper() for p in m.parcels]
        if len(values) != len(set(values)):
            problems.append(f"two parcels share the same {name}")
    for parcel in m.parcels:
        if parcel.order_id.upper() not in shipped_ids:
            problems.append(f"parcel {parcel.parcel_id} maps to {parcel.order_id}, "
                            f"which is not a shipped order")
        if parcel.requirement == URGENT:
            urgent = quote(m.rates, m.rates.urgent_method, parcel)
            if not urgent.eligible:
                problems.append(f"urgent parcel {parcel.parcel_id} is not eligible for "
                                f"{m.rates.urgent_method}: {urgent.why_not}")
        elif not right_methods(m.rates, parcel):
            problems.append(f"parcel {parcel.parcel_id}: no method is eligible")
    for sku, closing in expected_closing(m.opening, m.arrivals, m.shipped).items():
        if closing < 0:
            problems.append(f"closing stock of {sku} would be {closing}")
    return problems


def arithmetic(sku: str, opening: dict[str, int], inbound: Any, outbound: Any) -> Said:
    """The sum behind a sku's expected closing stock, in English and Chinese, so an examiner can
    check it by hand: ``opening 120 + inbound 50 − outbound 30``."""
    start = opening.get(sku, 0)
    added = sum(m.quantity for m in inbound if m.sku == sku)
    taken = sum(m.quantity for m in outbound if m.sku == sku)
    return say(N_("opening {opening} + inbound {inbound} − outbound {outbound}"), opening=start, inbound=added,
               outbound=taken)


def expected_closing(opening: dict[str, int], inbound: Any, outbound: Any) -> dict[str, int]:
    """opening + inbound − outbound per sku, over every sku of the three."""
    closing = Counter(opening)
    for item in inbound:
        closing[item.sku] += item.quantity
    for item in outbound:
        closing[item.sku] -= item.quantity
    return {sku: closing[sku] for sku in {*opening, *(i.sku for i in inbound), *(o.sku for o in outbound)}}


# ---------------------------------------------------------------- reading the candidate's rows


def method_of(value: Any, labels: dict[str, list[str]]) -> str | None:
    """The method a cell names ('e邮宝' → 'e_packet'), or None (convention 3)."""
    text = equal_text(value)
    if not text:
        return None
    for ident, names in labels.items():
        if text == equal_text(ident) or any(text == equal_text(n) for n in names):
            return ident
    return None


def first_rows(sheet: Sheet, column: str) -> dict[str, Row]:
    """Rows by their id (upper case), the first occurrence only (convention 6)."""
    first: dict[str, Row] = {}
    for row in sheet.rows:
        ident = nfkc(row.value(column)).upper()
        if ident and ident not in first:
            first[ident] = row
    return first


def missing_columns(sheet: Sheet, columns: tuple[str, ...]) -> list[Evidence]:
    return [Evidence(*say(N_("column {column} not found in sheet {sheet}"), column=c, sheet=sheet.name),
                     file=sheet.file, sheet=sheet.name, expected=c, found="(missing)")
            for c in columns if c in sheet.missing_columns]


def absent(sheet: Sheet, what: Said, expected: Any = "") -> Evidence:
    return Evidence(*say(N_("{what}: no row"), what=what), file=sheet.file, sheet=sheet.name,
                    expected=str(expected), found="(missing)")


@dataclass(frozen=True)
class Choice:
    """A parcel, the candidate's row for it and the method that row names, with its quote."""

    parcel: Parcel
    row: Row | None
    method: str | None
    quote: Quote | None

    def refusal(self, sheet: Sheet, labels: dict[str, list[str]], method_column: str) -> Evidence | None:
        """Why nothing can be graded for this parcel (no row, unknown or ineligible method)."""
        pid = self.parcel.parcel_id
        if self.row is None:
            return absent(sheet, say(N_("parcel {parcel}"), parcel=pid), pid)
        cell = self.row[method_column]
        if self.method is None:
            return at(sheet, cell, *say(N_("parcel {parcel}: {method!r} is not a method of the materials"), parcel=pid,
                                        method=shown_both(cell.value)), expected=" / ".join(labels))
        if not self.quote.eligible:
            return at(sheet, cell, *say(N_("parcel {parcel}: {method} is not eligible ({why})"), parcel=pid,
                                        method=self.method, why=Said(self.quote.why_not, self.quote.why_not_zh)),
                      expected="an eligible method")
        return None


def choices(ctx: CheckContext, sheet: Sheet) -> list[Choice]:
    m = materials(ctx)
    c = ctx.params["columns"]
    rows = first_rows(sheet, c["parcel_id"])
    out = []
    for parcel in m.parcels:
        row = rows.get(parcel.parcel_id.upper())
        method = method_of(row.value(c["method"]), ctx.params["methods"]) if row is not None else None
        out.append(Choice(parcel, row, method, quote(m.rates, method, parcel) if method else None))
    return out


# ---------------------------------------------------------------- U7-01


@check("parcel_methods", reads=(Reads("sheet", columns=("columns.parcel_id", "columns.method")),), needs=NEEDS, params=("sheet", "columns", "methods"), validate=guarantees)
def parcel_methods(ctx: CheckContext) -> Outcome:
    """Each parcel's method is eligible (weight, size, destination) and right for its requirement:
    the cheapest eligible method, or the urgent method for an urgent parcel — an equal share per parcel.

    Okay: ``e邮宝`` for a 0.42 kg parcel to the US (54.10 CNY, cheaper than postal's 56.64); either
    of two eligible methods that cost the same. Fails: postal for that parcel (not the cheapest);
    e-packet for a parcel whose sides add up to 91 cm (ineligible); postal for an urgent parcel;
    a method the materials do not have; no row for the parcel.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    m = materials(ctx)
    share = Fraction(1, len(m.parcels))
    c = ctx.params["columns"]
    earned, evidence = Fraction(0), missing_columns(sheet, (c["parcel_id"], c["method"]))
    for choice in choices(ctx, sheet):
        refusal = choice.refusal(sheet, ctx.params["methods"], c["method"])
        if refusal is not None:
            evidence.append(refusal)
            continue
        parcel, cell = choice.parcel, choice.row[c["method"]]
        pid, right = parcel.parcel_id, right_methods(m.rates, parcel)
        if choice.method in right:
            earned += share
            why = "urgent" if parcel.requirement == URGENT else f"cheapest at {choice.quote.freight_cny} CNY"
            evidence.append(at(sheet, cell, *say(N_("parcel {parcel}: {method} is eligible and {why}"), parcel=pid,
                                                 method=choice.method, why=why), expected=" / ".join(right), ok=True))
        elif parcel.requirement == URGENT:
            urgent = m.rates.urgent_method
            evidence.append(at(sheet, cell, *say(N_("parcel {parcel} is urgent: {urgent} expected, found {method}"),
                                                 parcel=pid, urgent=urgent, method=choice.method), expected=urgent))
        else:
            best, price = " / ".join(right), quote(m.rates, right[0], parcel).freight_cny
            mine = choice.quote.freight_cny
            evidence.append(at(sheet, cell, *say(N_("parcel {parcel}: {method} costs {mine} CNY; "
                                                    "the cheapest eligible is {best} at {price} CNY"),
                                                 parcel=pid, method=choice.method, mine=mine, best=best, price=price),
                               expected=best))
    return Outcome(earned, tuple(evidence))


# ---------------------------------------------------------------- U7-02, U7-03


def _graded_number(ctx: CheckContext, *, column: str, unit: str | None, tolerance: Decimal, what: Said,
                   expected_of: Any, suffix: str) -> Outcome:
    """Each parcel's number in ``column`` within ``tolerance`` of the grader's value for the
    candidate's own method — an equal share per parcel; an ineligible method earns nothing."""
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    found_choices = choices(ctx, sheet)
    share = Fraction(1, len(found_choices))
    c = ctx.params["columns"]
    earned, evidence = Fraction(0), missing_columns(sheet, (c["parcel_id"], c["method"], column))
    for choice in found_choices:
        refusal = choice.refusal(sheet, ctx.params["methods"], c["method"])
        if refusal is not None:
            evidence.append(refusal)
            continue
        pid, cell = choice.parcel.parcel_id, choice.row[column]
        expected = expected_of(choice.quote)
        found = to_number(cell.value, unit=unit)
        values = {"parcel": pid, "method": choice.method, "what": what, "suffix": suffix}
        if found is None:
            evidence.append(at(sheet, cell, *say(N_("parcel {parcel} ({method}): {what} {typed!r} is not a number"),
                                                 typed=shown(cell.value), **values), expected=f"{expected}{suffix}"))
        elif abs(found - expected) <= tolerance:
            earned += share
            evidence.append(at(sheet, cell, *say(N_("parcel {parcel} ({method}): {what} {found}{suffix}, "
                                                    "expected {expected}{suffix}"), found=found, expected=expected,
                                                 **values), expected=f"{expected}{suffix}", ok=True))
        else:
            evidence.append(at(sheet, cell, *say(N_("parcel {parcel} ({method}): {what} {found}{suffix} differs from "
                                                    "{expected}{suffix} by {difference} > {tolerance}"),
                                                 found=found, expected=expected, difference=abs(found - expected),
                                                 tolerance=tolerance, **values),
                               expected=f"{expected}{suffix}"))
    return Outcome(earned, tuple(evidence))


@check("parcel_chargeable_weights", reads=(Reads("sheet", columns=("columns.parcel_id", "columns.method", "columns.chargeable_weight")),), needs=NEEDS, params=("sheet", "columns", "methods", "tolerance_kg"),
       validate=guarantees)
def parcel_chargeable_weights(ctx: CheckContext) -> Outcome:
    """Each parcel's chargeable weight is right for the method the candidate chose, within
    ``tolerance_kg`` — an equal share per parcel; a method the parcel is not eligible for earns 0.

    Okay: ``2.0`` or ``"2kg"`` for express on a 30×20×15 cm, 0.61 kg parcel (volumetric 1.8 kg,
    rounded up to 2.0); ``0.42`` for postal on a 0.42 kg parcel even where postal is not the
    cheapest. Fails: ``0.61`` for that express parcel (volumetric weight ignored); ``1.8`` (not
    rounded up); ``"350g"`` (grams in a kg column); any value for an ineligible method.
    """
    return _graded_number(ctx, column=ctx.params["columns"]["chargeable_weight"], unit="kg",
                          tolerance=Decimal(str(ctx.params["tolerance_kg"])),
                          what=say(N_("chargeable weight")), expected_of=lambda q: q.chargeable_kg, suffix=" kg")


@check("parcel_freights", reads=(Reads("sheet", columns=("columns.parcel_id", "columns.method", "columns.freight")),), needs=NEEDS, params=("sheet", "columns", "methods", "tolerance_cny"), validate=guarantees)
def parcel_freights(ctx: CheckContext) -> Outcome:
    """Each parcel's freight is right for the method the candidate chose, within ``tolerance_cny``,
    computed from the rate tables — an equal share per parcel; a wrong choice among eligible methods
    does not cost these points again; an ineligible method earns 0.

    Okay: ``56.64`` or ``"¥56.64"`` for postal on a 0.42 kg parcel to the US (92 × 0.42 + 18);
    ``153.13`` where the grader's 153.135 rounds to 153.14 (within 0.01). Fails: ``56.651``
    (0.011 off); the freight of another method than the row names; ``"56,64"`` (decimal comma).
    """
    return _graded_number(ctx, column=ctx.params["columns"]["freight"], unit=None,
                          tolerance=Decimal(str(ctx.params["tolerance_cny"])),
                          what=say(N_("freight")), expected_of=lambda q: q.freight_cny, suffix=" CNY")


# ---------------------------------------------------------------- U7-04, U7-05


def describe(item: tuple) -> Said:
    """A row's reading as evidence shows it; a value that could not be read is quoted as typed,
    with what it is not (``'20.11.2026' (not a date)``, in Chinese ``'20.11.2026'（不是日期）``)."""
    def one(value: Any) -> Said:
        if not isinstance(value, tuple):
            return Said(shown(value), shown(value))
        what, typed = value
        if what == "a date":
            return say(N_("{typed!r} (not a date)"), typed=shown(typed))
        return say(N_("{typed!r} (not a whole number)"), typed=shown(typed))
    return joined([one(v) for v in item], " ", " ")


def typed_row(row: Row, item: tuple, columns: tuple[str, ...]) -> tuple[tuple, ...]:
    """A row's item for evidence: a date serial keeps its number beside the date (convention 31)."""
    return tuple(shown_date(row.value(col), is_date_cell=row[col].is_date) if isinstance(v, dt.date) else v
                 for v, col in zip(item, columns))


def _rows_as_set(sheet: Sheet, expected: Counter, found: list[tuple[tuple, Row]], what: Said,
                 columns: tuple[str, ...]) -> Outcome:
    """All or nothing: the sheet's rows equal the expected rows as a set (a repeat is an extra row)."""
    evidence = []
    left = Counter(expected)
    extras = []
    for item, row in found:
        if left[item] > 0:
            left[item] -= 1
        else:
            extras.append((item, row))
    for item, count in left.items():
        for _ in range(count):
            evidence.append(Evidence(*say(N_("{what} {item} has no equal row"), what=what, item=describe(item)),
                                     file=sheet.file, sheet=sheet.name, expected=describe(item).en, found="(missing)"))
    for item, row in extras:
        first = next(iter(row.cells.values()), Cell(None))
        typed = typed_row(row, item, columns)
        evidence.append(at(sheet, first, *say(N_("row {row} ({item}) is not one of the {what}s of the materials, "
                                                 "or repeats one"), row=row.number, item=describe(typed), what=what),
                           expected=f"only {what.en}s of the materials", found=describe(typed).en))
    if not evidence:
        evidence.append(Evidence(*say(N_("all {count} {what}s present, no other row"), count=sum(expected.values()),
                                      what=what),
                                 file=sheet.file, sheet=sheet.name, ok=True))
    return all_or_nothing(evidence)


def _value(reading: Any, typed: Any, what: str) -> Any:
    """A cell's reading, or a marker holding what was typed, which equals no expected value."""
    return reading if reading is not None else (what, typed)


@check("inbound_rows", reads=(Reads("sheet", columns=("columns.sku", "columns.quantity", "columns.warehouse", "columns.date")),), needs=NEEDS, params=("sheet", "columns",), validate=guarantees)
def inbound_rows(ctx: CheckContext) -> Outcome:
    """The inbound rows equal the materials' arrivals as a set — sku (case kept), quantity,
    warehouse and date; order ignored; a missing, changed, extra or repeated row fails.

    Okay: the four arrivals in any order, dates as date cells or ``2026-11-20`` text, quantity
    ``"50"``. Fails: an arrival left out; quantity 40 for 50; ``hkb100-wht-500`` (SKU case);
    a row for a sku that did not arrive; the same arrival twice.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    expected = Counter((a.sku, a.quantity, equal_text(a.warehouse), a.date) for a in materials(ctx).arrivals)
    c = ctx.params["columns"]
    found = [((nfkc(r.value(c["sku"])), _value(to_whole(r.value(c["quantity"])), r.value(c["quantity"]), "a whole number"),
               equal_text(r.value(c["warehouse"])),
               _value(to_date(r.value(c["date"]), is_date_cell=r[c["date"]].is_date), r.value(c["date"]), "a date")), r)
             for r in sheet.rows]

    names = tuple(c[role] for role in ("sku", "quantity", "warehouse", "date"))
    outcome = _rows_as_set(sheet, expected, found, say(N_("arrival")), names)
    columns = missing_columns(sheet, names)
    return Outcome(outcome.share, tuple(columns) + outcome.evidence) if columns else outcome


@check("outbound_rows", reads=(Reads("sheet", columns=("columns.order_id", "columns.sku", "columns.quantity")),), needs=NEEDS, params=("sheet", "columns",), validate=guarantees)
def outbound_rows(ctx: CheckContext) -> Outcome:
    """The outbound rows are exactly the orders whose key status is shipped — order id, sku
    (case kept) and quantity; order ignored; a missing, changed, extra or repeated row fails.

    Okay: the six shipped orders, in any order. Fails: a returned or unshipped order listed; a
    shipped order left out; quantity 1 for an order of 2; the same order twice.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    expected = Counter((s.order_id, s.sku, s.quantity) for s in materials(ctx).shipped)
    c = ctx.params["columns"]
    found = [((nfkc(r.value(c["order_id"])).upper(), nfkc(r.value(c["sku"])),
                _value(to_whole(r.value(c["quantity"])), r.value(c["quantity"]), "a whole number")), r) for r in sheet.rows]

    names = tuple(c[role] for role in ("order_id", "sku", "quantity"))
    outcome = _rows_as_set(sheet, expected, found, say(N_("shipped order")), names)
    columns = missing_columns(sheet, names)
    return Outcome(outcome.share, tuple(columns) + outcome.evidence) if columns else outcome


# ---------------------------------------------------------------- U7-06


@dataclass(frozen=True)
class Movement:
    sku: str
    quantity: int


def _movements(sheet: Sheet, c: dict[str, str], what: Said) -> tuple[list[Movement], dict[str, Evidence]]:
    """The sheet's rows with a sku as movements; skus with an unreadable quantity, with evidence."""
    moves, unreadable = [], {}
    for row in sheet.rows:
        sku = nfkc(row.value(c["sku"]))
        if not sku:
            continue
        quantity = to_whole(row.value(c["quantity"]))
        if quantity is None:
            cell = row[c["quantity"]]
            said = say(N_("{what} row {row}: quantity {typed!r} is not a whole number, so {sku}'s stock cannot be "
                          "checked"), what=what, row=row.number, typed=shown(cell.value), sku=sku)
            unreadable.setdefault(sku, at(sheet, cell, *said, expected="a whole number"))
        else:
            moves.append(Movement(sku, quantity))
    return moves, unreadable


@check("closing_stock", reads=(Reads("inbound", columns=("columns.sku", "columns.quantity")),
                              Reads("outbound", columns=("columns.sku", "columns.quantity")),
                              Reads("stock", columns=("columns.sku", "columns.closing_stock"))), needs=NEEDS, params=("inbound", "outbound", "stock", "columns"), validate=guarantees)
def closing_stock(ctx: CheckContext) -> Outcome:
    """Closing stock = opening + inbound − outbound for every sku of the opening stock and of
    the candidate's rows, using the candidate's own inbound and outbound rows (every row counts).

    Okay: a candidate who left an arrival out of inbound but whose closing stock follows their
    own rows. Fails: a closing stock off by one; a sku of the opening stock with no stock row;
    a sku only in the candidate's inbound rows with no stock row; a quantity that is not a number.
    """
    p = ctx.params
    sheets = {}
    for name in ("inbound", "outbound", "stock"):
        sheet, missing = sheet_or_outcome(ctx, p[name])
        if sheet is None:
            return missing
        sheets[name] = sheet
    c = p["columns"]
    inbound, bad_in = _movements(sheets["inbound"], c, say(N_("inbound")))
    outbound, bad_out = _movements(sheets["outbound"], c, say(N_("outbound")))
    opening = materials(ctx).opening
    closing = expected_closing(opening, inbound, outbound)
    stock = sheets["stock"]
    rows = {}
    for row in stock.rows:
        rows.setdefault(nfkc(row.value(c["sku"])), row)  # case kept; the first row is graded (convention 6)
    evidence = [*missing_columns(sheets["inbound"], (c["sku"], c["quantity"])),
                *missing_columns(sheets["outbound"], (c["sku"], c["quantity"])),
                *missing_columns(stock, (c["sku"], c["closing_stock"]))]
    for sku in sorted(set(closing) | set(bad_in) | set(bad_out)):
        if sku in bad_in or sku in bad_out:
            evidence.append(bad_in.get(sku) or bad_out[sku])
            continue
        row = rows.get(sku)
        if row is None:
            evidence.append(absent(stock, say(N_("sku {sku}"), sku=sku), closing[sku]))
            continue
        cell = row[c["closing_stock"]]
        found = to_whole(cell.value)
        want = closing[sku]
        sums = arithmetic(sku, opening, inbound, outbound)
        if found == want:
            evidence.append(at(stock, cell, *say(N_("{sku}: {sums} = closing stock {want}"), sku=sku, sums=sums,
                                                 want=want), expected=want, ok=True))
        else:
            evidence.append(at(stock, cell, *say(N_("{sku}: closing stock {found}, expected {sums} = {want}"), sku=sku,
                                                 found=shown_both(cell.value), sums=sums, want=want), expected=want))
    return all_or_nothing(evidence)


# ---------------------------------------------------------------- U7-07


def compact(value: Any) -> str:
    """A tracking number as read: NFKC, spaces and hyphens removed, upper case (convention 28)."""
    return s10.compact(nfkc(value))


def tracking_form(method: Any, country: str) -> str:
    if method.tracking == "s10":
        return f"UPU S10 ending in {country}"
    return f"{method.tracking_length} digits"


def tracking_problem(number: str, method: Any, country: str) -> str:
    """Why a compacted tracking number does not fit its method's form; '' when it does."""
    if method.tracking == "s10":
        valid = s10.is_valid(number, country=country)
    else:
        valid = len(number) == method.tracking_length and number.isascii() and number.isdigit()
    return "" if valid else f"not {tracking_form(method, country)}"


@check("tracking_numbers", reads=(Reads("sheet", columns=("columns.order_id", "columns.method", "columns.tracking_no")),), needs=NEEDS, params=("sheet", "columns", "methods"), validate=guarantees)
def tracking_numbers(ctx: CheckContext) -> Outcome:
    """Each shipped order has a confirmation row whose tracking number fits the form the key gives
    the method named on that row (``tracking``: UPU S10 ending in ``tracking_country``, or
    ``tracking_length`` digits) — proportional over the key's shipped orders.

    Okay: ``RR 473 124 829 CN`` or ``rr-47312482-9-cn`` for postal; ``1234567890`` for express.
    Fails: ``RR473124828CN`` (check digit); ``RR473124829US`` (country); a 9-digit express
    number; an S10 number on an express row; an unknown method; no row for the order.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    m = materials(ctx)
    c = ctx.params["columns"]
    rows = first_rows(sheet, c["order_id"])
    share = Fraction(1, len(m.shipped))
    earned, evidence = Fraction(0), missing_columns(sheet, (c["order_id"], c["method"], c["tracking_no"]))
    for order in m.shipped:
        row = rows.get(order.order_id)
        if row is None:
            evidence.append(absent(sheet, say(N_("order {order}"), order=order.order_id), order.order_id))
            continue
        ident = method_of(row.value(c["method"]), ctx.params["methods"])
        if ident is None:
            cell = row[c["method"]]
            evidence.append(at(sheet, cell, *say(N_("order {order}: {method!r} is not a method of the materials"),
                                                 order=order.order_id, method=shown(cell.value)),
                               expected=" / ".join(ctx.params["methods"])))
            continue
        cell = row[c["tracking_no"]]
        number = compact(cell.value)
        problem = tracking_problem(number, m.rates.methods[ident], m.tracking_country)
        values = {"order": order.order_id, "method": ident, "number": Said(number or "(empty)", number)}
        if problem:
            evidence.append(at(sheet, cell, *say(N_("order {order} ({method}): tracking number {number} is {problem}"),
                                                 problem=problem, **values),
                               expected=tracking_form(m.rates.methods[ident], m.tracking_country)))
        else:
            earned += share
            evidence.append(at(sheet, cell, *say(N_("order {order} ({method}): tracking number {number} is valid"),
                                                 **values), ok=True))
    return Outcome(earned, tuple(evidence))
