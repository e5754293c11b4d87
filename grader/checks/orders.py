"""Unit 6 checks: the order list, audits and statuses against the key (``orders.csv``).

A repeated order id is graded on its first row (convention 6); labels are matched in
Chinese or English, any case, through the rubric's label lists.
"""
from __future__ import annotations

from fractions import Fraction

from grader.checks import CheckContext, Reads, check
from grader.checks.common import at, sheet_or_outcome, shown_both
from grader.locale import N_, Said, say
from grader.model import Evidence, Outcome
from grader.records.tables import Row, Sheet
from grader.values import equal_text, nfkc, shown_zh


def first_rows(sheet: Sheet, column: str) -> tuple[dict[str, Row], list[Row]]:
    """Rows by their id (first occurrence) and the repeats."""
    first: dict[str, Row] = {}
    repeats = []
    for row in sheet.rows:
        ident = nfkc(row.value(column)).upper()
        if not ident:
            continue
        if ident in first:
            repeats.append(row)
        else:
            first[ident] = row
    return first, repeats


def key_orders(ctx: CheckContext) -> dict[str, dict[str, str]]:
    return {nfkc(o["order_id"]).upper(): o for o in ctx.key["orders"]}


@check("order_list", reads=(Reads("sheet", columns=("id_column",)),), needs=("orders.order_id",),
       params=("sheet", "id_column"))
def order_list(ctx: CheckContext) -> Outcome:
    """The list (its ``id_column``) holds every order id of the key exactly once and no unknown id.

    Fails: an order left out, an order listed twice, an id the materials do not have.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    orders = key_orders(ctx)
    id_column = ctx.params["id_column"]
    first, repeats = first_rows(sheet, id_column)
    evidence = []
    for ident in orders:
        if ident not in first:
            evidence.append(Evidence(*say(N_("order {order} is not in the list"), order=ident),
                                     file=sheet.file, sheet=sheet.name, expected=ident, found="(missing)"))
    for row in repeats:
        cell = row[id_column]
        evidence.append(at(sheet, cell, *say(N_("order {order} listed again (row {row})"), order=shown_both(cell.value),
                                             row=row.number), expected="each order once"))
    for ident, row in first.items():
        if ident not in orders:
            evidence.append(at(sheet, row[id_column], *say(N_("order {order} is not an order of the materials"),
                                                           order=ident), expected="an order id of the materials"))
    if evidence:
        return Outcome(Fraction(0), tuple(evidence))
    return Outcome(Fraction(1), (Evidence(*say(N_("all {count} orders listed once"), count=len(orders)),
                                          file=sheet.file, sheet=sheet.name, ok=True),))


def label_of(value: object, labels: dict[str, list[str]]) -> str | None:
    """The key's value a cell's text stands for ('已发货' → 'shipped'), or None.

    Only the labels the rubric lists count (convention 3: equal after trimming, NFKC and case):
    the key's own value names (``out_of_stock``) are not labels a candidate is shown.
    """
    text = equal_text(value)
    for canonical, names in labels.items():
        if any(text == equal_text(n) for n in names):
            return canonical
    return None


def shown_label(canonical: str, labels: dict[str, list[str]]) -> str:
    """A key value as the candidate's template shows it: its first label, the key's name beside it
    when they differ (``通过（pass）``)."""
    first = (labels.get(canonical) or [canonical])[0]
    return first if equal_text(first) == equal_text(canonical) else f"{first}（{canonical}）"


@check("order_field", reads=(Reads("sheet", columns=("id_column", "column")),),
       needs=("orders.order_id", "orders.{column}"), params=("sheet", "id_column", "column", "labels"))
def order_field(ctx: CheckContext) -> Outcome:
    """The ``column`` of each order's row (found by ``id_column``) equals the key's column of that
    name, read through ``labels`` — an equal share per order of the key.

    Okay: ``已发货`` or ``Shipped`` where the key says shipped. Fails: another label, an empty
    cell, an unknown word, the order missing.
    """
    p = ctx.params
    sheet, missing = sheet_or_outcome(ctx, p["sheet"])
    if sheet is None:
        return missing
    orders = key_orders(ctx)
    first, _ = first_rows(sheet, p["id_column"])
    column = p["column"]
    share = Fraction(1, len(orders))
    earned, evidence = Fraction(0), []
    for ident, order in orders.items():
        expected = order[column]
        row = first.get(ident)
        if row is None:
            evidence.append(Evidence(*say(N_("order {order}: no row"), order=ident), file=sheet.file,
                                     sheet=sheet.name, expected=expected, found="(missing)"))
            continue
        cell = row[column]
        found = label_of(cell.value, p["labels"])
        if found == expected:
            earned += share
            evidence.append(at(sheet, cell, *say(N_("order {order}: {column} {expected}"), order=ident, column=column,
                                                 expected=expected), expected=expected, ok=True))
        else:
            what = "not a known label" if found is None else found
            said = say(N_("order {order}: {column} should be {expected}, found {found}"), order=ident, column=column,
                       expected=Said(expected, shown_label(expected, p["labels"])),
                       found=Said(what, shown_zh(cell.value)))  # the Chinese quotes the cell, the English its label
            evidence.append(at(sheet, cell, *said, expected=expected))
    return Outcome(earned, tuple(evidence))
