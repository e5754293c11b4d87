"""Unit 2 checks: product selection (聚优选品) against the materials' product pool.

The materials are two key sections: ``pool`` (``pool.csv``, one row per product: platform,
country, category, material, style, sales, rating, weight, cost, supplier, MOQ, supplier stock
and first-leg freight) and ``selection`` (``selection.toml``: the selection rules, how many
products to choose, the exchange rate, the commission and the target margin). The candidate's
workbook has three sheets: ``board`` (the chosen products), ``suppliers`` and ``template``.

Convention 8 carries answers forward: the chosen products are the first ``choose`` distinct
product_ids of the board, in board order. U2-02…06 grade each of them against the pool whether
or not it met the selection rules (an id not in the pool earns nothing), and U2-04 prices with
the pool's cost and the key's freight. Rows of the other sheets are matched to a chosen product
by product_id, the first row per id (convention 6). Money and measures are ``Decimal``; the
price formula is evaluated as an exact ``Fraction``.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from grader.checks import CheckContext, Reads, check
from grader.checks.common import at, joined, sheet_or_outcome, shown_both
from grader.checks.orders import first_rows
from grader.intake import name_key
from grader.locale import N_, Said, say
from grader.model import Evidence, Flag, Outcome, round_half_up
from grader.paper import Key
from grader.records.tables import Cell, Row, Sheet
from grader.values import equal_text, nfkc, shown, texts_equal, to_number, to_whole

POOL, SELECTION = "pool", "selection"
# the roles of the pool.csv columns the checks read; the rubric's pool_columns names each role's column
POOL_ROLES = ("product_id", "cost", "freight", "weight", "moq", "supplier_stock")
NUMBER_ROLES, WHOLE_ROLES = ("cost", "freight", "weight"), ("moq", "supplier_stock")
# every unit-2 check reads the board and the pool; the rest name their other sheet and its columns
LAYOUT = ("board", "id_column", "pool_columns")
GRAMS_PER_KG = 1000
EXTRA_PRODUCTS, UNIT_G_FOR_KG = "extra-products", "unit-g-for-kg"


def product_key(value: object) -> str:
    """A product id as compared: NFKC, trimmed, upper case ("jy003 " and "ＪＹ003" are JY003)."""
    return nfkc(value).upper()


# ---------------------------------------------------------------- the materials


@dataclass(frozen=True)
class Product:
    """One row of the pool, as the materials print it."""

    ident: str
    row: Mapping[str, Any]

    def text(self, column: str) -> str:
        return nfkc(self.row.get(column))

    def number(self, column: str) -> Decimal | None:
        return to_number(self.row.get(column))


@dataclass(frozen=True)
class Rule:
    """A selection rule: a text field within ``allowed``, or a number within ``minimum``..``maximum``."""

    field: str
    label_zh: str
    allowed: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def problem(self, product: Product) -> Said | None:
        """How the product breaks the rule, in English and Chinese; None when it meets it."""
        field = Said(self.field, self.label_zh)
        if self.allowed:
            value = product.text(self.field)
            if equal_text(value) in {equal_text(a) for a in self.allowed}:
                return None
            return say(N_("{field} {value} is not {listed}"), field=field,
                       value=Said(value, value) if value else say(N_("(empty)")), listed=" / ".join(self.allowed))
        number = product.number(self.field)
        if number is None:
            return say(N_("{field} is not a number"), field=field)
        if self.minimum is not None and number < self.minimum:
            return say(N_("{field} {number} < {minimum}"), field=field, number=number, minimum=self.minimum)
        if self.maximum is not None and number > self.maximum:
            return say(N_("{field} {number} > {maximum}"), field=field, number=number, maximum=self.maximum)
        return None


@dataclass(frozen=True)
class Materials:
    products: dict[str, Product]
    rules: tuple[Rule, ...]
    choose: int
    exchange_rate: Decimal
    commission: Decimal
    margin: Decimal
    columns: dict[str, str]  # role → pool.csv column (the rubric's pool_columns)

    def problems(self, product: Product) -> list[Said]:
        return [p for p in (rule.problem(product) for rule in self.rules) if p is not None]

    def qualifies(self, product: Product) -> bool:
        return not self.problems(product)

    def price(self, product: Product) -> Fraction:
        """(cost + freight) / exchange_rate / (1 − commission − margin), exactly."""
        cost, freight = (Fraction(product.number(self.columns[r])) for r in ("cost", "freight"))
        keep = 1 - Fraction(self.commission) - Fraction(self.margin)
        return (cost + freight) / Fraction(self.exchange_rate) / keep

    def formula(self, product: Product) -> str:
        cost, freight = (product.number(self.columns[r]) for r in ("cost", "freight"))
        return (f"({cost} + {freight}) / {self.exchange_rate} / "
                f"(1 − {self.commission} − {self.margin})")


def _decimal(value: Any, what: str) -> Decimal:
    number = to_number(value)
    if number is None:
        raise ValueError(f"{what} is not a number: {value!r}")
    return number


def _read_materials(key: Key, columns: dict[str, str]) -> Materials:
    """The unit-2 materials of a key, the pool's columns named by ``columns`` (role → column);
    ValueError naming the first thing that cannot be read."""
    pool, selection = key[POOL], key[SELECTION]
    missing = [r for r in POOL_ROLES if not isinstance(columns.get(r), str)]
    if missing:
        raise ValueError(f"pool_columns lacks {', '.join(missing)}")
    absent = [columns[r] for r in POOL_ROLES if pool and columns[r] not in pool[0]]
    if absent:
        raise ValueError(f"pool.csv has no column {absent[0]!r}")
    id_column = columns["product_id"]
    products: dict[str, Product] = {}
    for number, row in enumerate(pool, start=2):
        ident = product_key(row.get(id_column))
        if not ident:
            raise ValueError(f"pool.csv line {number} has no {id_column}")
        if ident in products:
            raise ValueError(f"pool.csv lists {ident} twice")
        for column in (columns[r] for r in NUMBER_ROLES):
            _decimal(row.get(column), f"pool {ident} {column}")
        for column in (columns[r] for r in WHOLE_ROLES):
            if to_whole(row.get(column)) is None:
                raise ValueError(f"pool {ident} {column} is not a whole number: {row.get(column)!r}")
        products[ident] = Product(ident, row)
    header = set(pool[0]) if pool else set()
    rules = []
    for data in selection.get("criteria", []):
        field = data["field"]
        if field not in header:
            raise ValueError(f"selection rule on {field!r}, which pool.csv has no column for")
        rule = Rule(field, str(data.get("label_zh", field)), tuple(str(a) for a in data.get("allowed", ())),
                    _decimal(data["min"], f"{field} min") if "min" in data else None,
                    _decimal(data["max"], f"{field} max") if "max" in data else None)
        if not rule.allowed and rule.minimum is None and rule.maximum is None:
            raise ValueError(f"selection rule on {field!r} has neither allowed, min nor max")
        rules.append(rule)
    return Materials(products, tuple(rules), int(selection["choose"]),
                     _decimal(selection["exchange_rate"], "exchange_rate"),
                     _decimal(selection["commission"], "commission"),
                     _decimal(selection["target_margin"], "target_margin"), dict(columns))


def materials(key: Key, columns: dict[str, str]) -> Materials:
    """The pool and the selection rules, read with the rubric's pool columns while the paper loads."""
    return key.derive(f"selection.materials:{sorted(columns.items())}",
                      functools.partial(_read_materials, columns=dict(columns)))


def key_problems(key: Key, params: dict[str, Any]) -> list[str]:
    """Convention 21 and 25: at least ``choose`` products qualify, each with supplier stock ≥ MOQ."""
    if not isinstance(params["pool_columns"], dict):
        return ["pool_columns must be a table: role = pool.csv column"]
    try:
        m = materials(key, params["pool_columns"])
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        return [f"unit-2 materials cannot be read: {exc}"]
    problems = []
    if m.choose < 1:
        problems.append(f"selection.choose is {m.choose}")
    if m.exchange_rate <= 0:
        problems.append(f"selection.exchange_rate is {m.exchange_rate}")
    if m.commission + m.margin >= 1:
        problems.append(f"commission {m.commission} + target_margin {m.margin} leave no price")
    qualifying = [p for p in m.products.values() if m.qualifies(p)]
    if len(qualifying) < m.choose:
        problems.append(f"only {len(qualifying)} pool products meet every selection rule; "
                        f"the paper asks for {m.choose}")
    stock_column, moq_column = m.columns["supplier_stock"], m.columns["moq"]
    for product in qualifying:
        if to_whole(product.row[stock_column]) < to_whole(product.row[moq_column]):
            problems.append(f"{product.ident} qualifies but its supplier stock "
                            f"{product.text(stock_column)} is below its MOQ {product.text(moq_column)}")
    return problems


# ---------------------------------------------------------------- the chosen products


@dataclass(frozen=True)
class Choice:
    """A chosen product: its id, its first board row and its pool row (None: not in the pool)."""

    ident: str
    row: Row
    product: Product | None
    cell: Cell  # the product id's cell on the board


@dataclass(frozen=True)
class Board:
    sheet: Sheet
    choices: tuple[Choice, ...]
    extras: tuple[Row, ...]  # first rows of the distinct products after the first ``choose``
    repeats: tuple[Row, ...]  # later rows of a product already listed


def read_board(ctx: CheckContext) -> tuple[Board | None, Outcome | None]:
    """The chosen products (convention 8), or the zero outcome of a missing board sheet."""
    sheet, missing = sheet_or_outcome(ctx, ctx.params["board"])
    if sheet is None:
        return None, missing
    m = materials(ctx.key, ctx.params["pool_columns"])
    id_column = ctx.params["id_column"]
    first, repeats = first_rows(sheet, id_column)
    listed = list(first.items())
    choices = tuple(Choice(ident, row, m.products.get(ident), row[id_column]) for ident, row in listed[:m.choose])
    return Board(sheet, choices, tuple(row for _, row in listed[m.choose:]), tuple(repeats)), None


def _not_in_pool(sheet: Sheet, choice: Choice) -> Evidence:
    return at(sheet, choice.cell, *say(N_("{product} is not a product of the pool"), product=choice.ident),
              expected="a product id of the pool")


def _empty_slots(sheet: Sheet, board: Board, choose: int, id_column: str) -> list[Evidence]:
    count = len(board.choices)
    if count >= choose:
        return []
    why = f" (no {id_column} column found)" if id_column in sheet.missing_columns else ""
    return [Evidence(*say(N_("{count} distinct products chosen, {missing} missing (0 each){why}"), count=count,
                          missing=choose - count, why=why), file=sheet.file, sheet=sheet.name,
                     expected=f"{choose} products", found=str(count))]


Judgement = tuple[Fraction, list[Evidence], list[Flag]]  # share of the product (0..1), evidence, flags


def passed(evidence: Evidence, *flags: Flag) -> Judgement:
    return Fraction(1), [evidence], list(flags)


def failed(*evidence: Evidence) -> Judgement:
    return Fraction(0), list(evidence), []


def each_product(ctx: CheckContext, other: str | None,
                 judge: Callable[[Choice, Row, Sheet], Judgement]) -> Outcome:
    """Grade every chosen product with ``judge`` — an equal share each, the key's count the denominator.

    ``other`` names the sheet whose first row per product id (``id_column``) is passed to ``judge``
    with that sheet (None: the board row and the board). A product not in the pool earns nothing; nor does one
    without a row.
    """
    board, missing = read_board(ctx)
    if board is None:
        return missing
    sheet, rows = board.sheet, None
    if other is not None:
        sheet, missing = sheet_or_outcome(ctx, other)
        if sheet is None:
            return missing
        rows, _ = first_rows(sheet, ctx.params["id_column"])
    m = materials(ctx.key, ctx.params["pool_columns"])
    earned, evidence, flags = Fraction(0), [], []
    for choice in board.choices:
        if choice.product is None:
            evidence.append(_not_in_pool(board.sheet, choice))
            continue
        row = rows.get(choice.ident) if rows is not None else choice.row
        if row is None:
            evidence.append(Evidence(*say(N_("{product}: no row in {sheet}"), product=choice.ident, sheet=sheet.name),
                                     file=sheet.file, sheet=sheet.name,
                                     expected=f"a row for {choice.ident}", found="(missing)"))
            continue
        share, items, raised = judge(choice, row, sheet)
        earned += share
        evidence.extend(items)
        flags.extend(raised)
    evidence.extend(_empty_slots(board.sheet, board, m.choose, ctx.params["id_column"]))
    return Outcome(earned / m.choose, tuple(evidence), tuple(flags))


# ---------------------------------------------------------------- U2-01


@check("selection_rules", reads=(Reads("board", columns=("id_column",)),), needs=(POOL, SELECTION), params=LAYOUT, validate=key_problems)
def selection_rules(ctx: CheckContext) -> Outcome:
    """The first ``choose`` (the key's selection) distinct product ids (``id_column``) of the
    ``board`` sheet each meet every selection rule of the materials — an equal share each. Later
    distinct products earn nothing and are flagged ``extra-products``; a repeated id is graded on
    its first row.

    Okay: JY003 (Amazon, 美国, 运动户外, 2350 a month, 4.7, 0.18 kg). Fails: JY007 (rating 4.4 < 4.5),
    JY005 (999 a month < 1000), an id the pool does not hold, a slot left empty.
    """
    board, missing = read_board(ctx)
    if board is None:
        return missing
    m = materials(ctx.key, ctx.params["pool_columns"])
    id_column = ctx.params["id_column"]
    sheet = board.sheet
    earned, evidence, flags = Fraction(0), [], []
    for choice in board.choices:
        cell = choice.cell
        if choice.product is None:
            evidence.append(_not_in_pool(sheet, choice))
            continue
        problems = m.problems(choice.product)
        if problems:
            evidence.append(at(sheet, cell, *say(N_("{product} fails the selection: {problems}"),
                                                 product=choice.ident, problems=joined(problems)),
                               expected="a product meeting every selection rule"))
        else:
            earned += 1
            evidence.append(at(sheet, cell, *say(N_("{product} meets every selection rule"), product=choice.ident),
                               ok=True))
    evidence.extend(_empty_slots(sheet, board, m.choose, id_column))
    for row in board.repeats:
        cell = row[id_column]
        evidence.append(at(sheet, cell, *say(N_("{product} listed again (row {row}); its first row is graded, the "
                                                "repeat earns nothing"), product=product_key(cell.value), row=row.number),
                           expected="each product once"))
    if board.extras:
        where = ", ".join(f"{product_key(r.value(id_column))} ({sheet.name}!{r[id_column].ref})" for r in board.extras)
        for n, row in enumerate(board.extras, start=m.choose + 1):
            ident = product_key(row.value(id_column))
            evidence.append(at(sheet, row[id_column], *say(N_("{product} is product {n}; only the first {choose} are "
                                                             "graded, it earns nothing"), product=ident, n=n,
                                                          choose=m.choose), expected=f"exactly {m.choose} products"))
        count = len(board.choices) + len(board.extras)
        flags.append(Flag(EXTRA_PRODUCTS, f"board lists {count} distinct products; {where} beyond the first "
                                          f"{m.choose} earn nothing", sheet.file))
    return Outcome(earned / m.choose, tuple(evidence), tuple(flags))


# ---------------------------------------------------------------- U2-02


@check("board_fields", reads=(Reads("board", columns=("id_column", "fields")),), needs=(POOL, SELECTION),
       params=(*LAYOUT, "fields"), validate=key_problems)
def board_fields(ctx: CheckContext) -> Outcome:
    """Each chosen product's board fields (platform, country, category, material, style) all equal
    the pool's (convention 3) — an equal share per product, all fields or nothing.

    Okay: ``amazon`` for Amazon, ``ＡＢＳ塑料`` for ABS塑料. Fails: style 北欧 where the pool says 简约
    (the product's share is lost), an id not in the pool.
    """
    fields = ctx.params["fields"]

    def judge(choice: Choice, row: Row, sheet: Sheet) -> Judgement:
        product = choice.product
        evidence = [at(sheet, row[f], *say(N_("{product}: {field} {value} differs from the pool's {pool}"),
                                           product=choice.ident, field=f, value=shown(row.value(f)),
                                           pool=product.text(f)),
                       expected=product.text(f))
                    for f in fields if not texts_equal(row.value(f), product.text(f))]
        if evidence:
            return failed(*evidence)
        return passed(at(sheet, choice.cell, *say(N_("{product}: board fields equal the pool's"), product=choice.ident),
                         ok=True))

    return each_product(ctx, None, judge)


# ---------------------------------------------------------------- U2-03


@check("supplier_rows", reads=(Reads("board", columns=("id_column",)), Reads("sheet", columns=("id_column", "fields"))), needs=(POOL, SELECTION),
       params=(*LAYOUT, "sheet", "fields", "numbers"), validate=key_problems)
def supplier_rows(ctx: CheckContext) -> Outcome:
    """Each chosen product's supplier row (supplier, contact, cost_cny, moq) equals the pool's —
    an equal share per product. Numbers compare as decimals (``¥18.50`` equals 18.5); text as
    "equal" (convention 3).

    Okay: cost ``¥12.60`` for 12.60. Fails: MOQ 10 where the pool says 100, another supplier, no
    row for the product.
    """
    fields: dict[str, str] = ctx.params["fields"]
    numbers = set(ctx.params["numbers"])

    def judge(choice: Choice, row: Row, sheet: Sheet) -> Judgement:
        product = choice.product
        evidence = []
        for column, pool_column in fields.items():
            value = row.value(column)
            if column in numbers:
                same = to_number(value) is not None and to_number(value) == product.number(pool_column)
            else:
                same = texts_equal(value, product.text(pool_column))
            if not same:
                wanted = product.text(pool_column)
                evidence.append(at(sheet, row[column], *say(N_("{product}: {field} {value} differs from the pool's {pool}"),
                                                            product=choice.ident, field=column, value=shown(value),
                                                            pool=wanted), expected=wanted))
        if evidence:
            return failed(*evidence)
        return passed(at(sheet, row[ctx.params["id_column"]],
                         *say(N_("{product}: supplier row equals the pool's"), product=choice.ident), ok=True))

    return each_product(ctx, ctx.params["sheet"], judge)


# ---------------------------------------------------------------- U2-04


def smallest_ending(price: Fraction, ending: Fraction) -> Fraction:
    """The smallest price ending in ``ending`` (x.99) at or above ``price``.

    >>> ending = Fraction("0.99")
    >>> smallest_ending(Fraction("12.99"), ending), smallest_ending(Fraction("12.991"), ending)
    (Fraction(1299, 100), Fraction(1399, 100))
    """
    return max(0, math.ceil(price - ending)) + ending


def money_text(value: Fraction, places: int = 4, *, approx: bool = True) -> str:
    """A fraction as decimal text, rounded half up to ``places``, at least two decimals, "≈" when
    rounded (unless ``approx`` is false).

    >>> money_text(Fraction(4)), money_text(Fraction(1, 8)), money_text(Fraction(2, 3))
    ('4.00', '0.125', '≈0.6667')
    """
    rounded = round_half_up(value, places)
    text = f"{rounded:f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    text = f"{whole}.{decimals.ljust(2, '0')}"
    return text if Fraction(rounded) == value or not approx else f"≈{text}"


@check("listing_prices", reads=(Reads("board", columns=("id_column",)), Reads("sheet", columns=("id_column", "price_column"))), needs=(POOL, SELECTION),
       params=(*LAYOUT, "sheet", "price_column", "tolerance", "ending"), validate=key_problems)
def listing_prices(ctx: CheckContext) -> Outcome:
    """Each chosen product's price_usd = (pool cost + key freight) / exchange_rate /
    (1 − commission − margin) within the tolerance (ends included), or exactly the smallest price
    ending in .99 at or above it — an equal share per product.

    Okay (formula 4.00): 4.00, 3.99, 4.01, ``$4.01``, 4.99. Fails: 4.011 (0.011 off), 5.99 (not the
    smallest .99), ``4,01`` (not a number), no template row.
    """
    tolerance = Fraction(Decimal(str(ctx.params["tolerance"])))
    ending = Fraction(Decimal(str(ctx.params["ending"])))
    m = materials(ctx.key, ctx.params["pool_columns"])
    price_column = ctx.params["price_column"]

    def judge(choice: Choice, row: Row, sheet: Sheet) -> Judgement:
        product = choice.product
        formula = m.price(product)
        nice = smallest_ending(formula, ending)
        low, high = (money_text(formula + d, approx=False) for d in (-tolerance, tolerance))
        accepted = f"{low}–{high} or {money_text(nice)}"
        cell = row[price_column]
        price = to_number(cell.value)
        # the formula worked through in English, its result in Chinese
        computed = Said(f"{m.formula(product)} = {money_text(formula)}", money_text(formula))
        if price is None:
            return failed(at(sheet, cell, *say(N_("{product}: price {typed} is not a number; formula {formula}"),
                                               product=choice.ident, typed=shown(cell.value), formula=computed),
                             expected=accepted))
        found = Fraction(price)
        if abs(found - formula) <= tolerance or found == nice:
            return passed(at(sheet, cell, *say(N_("{product}: price {price} accepted; formula {formula}"),
                                               product=choice.ident, price=price, formula=computed),
                             expected=accepted, ok=True))
        return failed(at(sheet, cell, *say(N_("{product}: price {price} is {off} from the formula {formula}, not "
                                              "within {tolerance} nor the smallest .99 price {nice}"),
                                           product=choice.ident, price=price, off=money_text(abs(found - formula)),
                                           formula=computed, tolerance=money_text(tolerance), nice=money_text(nice)),
                         expected=accepted))

    return each_product(ctx, ctx.params["sheet"], judge)


# ---------------------------------------------------------------- U2-05


def _grams_for_kg(value: object, weight: Decimal, tolerance: Decimal, unit: str) -> bool:
    """True when a weight cell reads as the pool's weight in grams (350 or "350g" for 0.35 kg)."""
    number = to_number(value, unit=unit)
    if number is None:
        number = to_number(value, unit="g")
    return number is not None and abs(number / GRAMS_PER_KG - weight) <= tolerance


@check("stock_and_weight", reads=(Reads("board", columns=("id_column",)), Reads("sheet", columns=("id_column", "stock_column", "weight_column"))),
       needs=(POOL, SELECTION), params=(*LAYOUT, "sheet", "stock_column", "weight_column", "weight_tolerance",
                                         "weight_unit"), validate=key_problems)
def stock_and_weight(ctx: CheckContext) -> Outcome:
    """Each chosen product: stock a whole number from the MOQ to the supplier's stock (half the
    product's share) and weight_kg equal to the pool's within the tolerance, ends included (the
    other half). A weight 1000× the pool's (grams typed for kilograms) is flagged ``unit-g-for-kg``.

    Okay (MOQ 100, supplier stock 1500, 0.18 kg): stock 100 or 1500, weight 0.185 or ``0.18kg``.
    Fails: stock 99, 1501 or 120.5; weight 0.186; weight 180 (flagged).
    """
    tolerance = Decimal(str(ctx.params["weight_tolerance"]))
    unit = ctx.params["weight_unit"]
    half = Fraction(1, 2)
    pool = ctx.params["pool_columns"]

    def judge(choice: Choice, row: Row, sheet: Sheet) -> Judgement:
        product = choice.product
        share, evidence, flags = Fraction(0), [], []
        low, high = to_whole(product.row[pool["moq"]]), to_whole(product.row[pool["supplier_stock"]])
        cell = row[ctx.params["stock_column"]]
        stock = to_whole(cell.value)
        span = f"{low}–{high}"
        if stock is not None and low <= stock <= high:
            share += half
            evidence.append(at(sheet, cell, *say(N_("{product}: stock {stock} within MOQ..supplier stock {span}"),
                                                 product=choice.ident, stock=stock, span=span),
                               expected=span, ok=True))
        else:
            why = ("is not a whole number" if stock is None else
                   f"< MOQ {low}" if stock < low else f"> supplier stock {high}")
            # the English says which end is broken, the Chinese the range
            why = Said(why, say(N_("not within {span}"), span=span).zh)
            evidence.append(at(sheet, cell, *say(N_("{product}: stock {typed} {why}"), product=choice.ident,
                                                 typed=shown_both(cell.value), why=why), expected=span))
        cell = row[ctx.params["weight_column"]]
        weight, pool_weight = to_number(cell.value, unit=unit), product.number(pool["weight"])
        if weight is not None and abs(weight - pool_weight) <= tolerance:
            share += half
            evidence.append(at(sheet, cell, *say(N_("{product}: weight {weight} kg equals the pool's {pool} kg within "
                                                    "{tolerance}"), product=choice.ident, weight=weight,
                                                 pool=pool_weight, tolerance=tolerance),
                               expected=pool_weight, ok=True))
        else:
            off = "is not a number" if weight is None else f"is {abs(weight - pool_weight)} from"
            evidence.append(at(sheet, cell, *say(N_("{product}: weight {typed} {off} the pool's {pool} kg (tolerance "
                                                    "{tolerance})"), product=choice.ident, typed=shown_both(cell.value),
                                                 off=off, pool=pool_weight, tolerance=tolerance),
                               expected=pool_weight))
            if _grams_for_kg(cell.value, pool_weight, tolerance, unit):
                flags.append(Flag(UNIT_G_FOR_KG, f"{choice.ident}: weight {shown(cell.value)} at "
                                                 f"{sheet.name}!{cell.ref} is 1000× the pool's {pool_weight} "
                                                 "kg (grams typed for kilograms)", sheet.file))
        return share, evidence, flags

    return each_product(ctx, ctx.params["sheet"], judge)


# ---------------------------------------------------------------- U2-06


def _image_rule_problems(key: Key, params: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    """The image-name rule follows the image deliverable's naming: its slot is one of the naming's
    codes and its extensions are the naming's (else a name U4 grades would be refused here, or the
    reverse); then the unit's key guarantees."""
    naming = settings["images:naming"]
    codes = [naming.get("main"), *naming.get("pt", ())] if isinstance(naming, dict) else []
    if params["slot"] not in codes:
        return [f"slot {params['slot']!r} is not a code of the images' naming ({', '.join(map(str, codes))})"]
    allowed = [str(e).lower() for e in naming.get("extensions", ())]
    stray = [e for e in params["extensions"] if str(e).lower() not in allowed]
    if stray:
        return [f"extension {stray[0]!r} is not one of the images' naming ({', '.join(allowed)})"]
    return key_problems(key, params)


def image_files(ctx: CheckContext) -> tuple[set[str], set[str]]:
    """Names of the files in the candidate's image folder (at the top or one level down), and the
    folder's accepted names. From the folder's listing: no image is opened."""
    folders = {name_key(n) for n in ctx.uses["images"].names} if "images" in ctx.uses \
        else {name_key(ctx.params["images"])}
    names = set()
    for file in ctx.files:
        parts = file.split("/")
        if 2 <= len(parts) <= 3 and name_key(parts[-2]) in folders:
            names.add(nfkc(parts[-1]))
    return names, folders


def _named_file(value: object, folders: set[str]) -> str:
    """The file name a main_image cell gives: ``X.jpg``, or ``u4_images/X.jpg`` (either slash)."""
    parts = [p for p in nfkc(value).replace("\\", "/").split("/") if p not in ("", ".")]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2 and name_key(parts[0]) in folders:
        return parts[1]
    return ""


@check("main_images", reads=(Reads("board", columns=("id_column",)), Reads("sheet", columns=("id_column", "sku_column", "image_column"))),
       needs=(POOL, SELECTION), params=(*LAYOUT, "sheet", "sku_column", "image_column", "slot", "extensions"),
       uses=("images",), settings=("images:naming",), validate=_image_rule_problems)
def main_images(ctx: CheckContext) -> Outcome:
    """Each chosen product's image cell (``image_column``) names a file of the candidate's image
    folder, or is ``<sku>.<slot>.<extension>`` (one of ``extensions``) for the row's own sku
    (``sku_column``) — an equal share per product. File names keep their case.

    Okay (sku JY003-A): ``JY003-A.MAIN.jpg``, ``JY003-A.MAIN.png``, ``HKB100.PT01.jpg`` when that
    file is in u4_images/. Fails: ``主图1.jpg`` (no such file), ``JY003-A.main.jpg``, ``JY006-A.MAIN.jpg``
    (another row's sku), an empty cell.
    """
    existing, folders = image_files(ctx)
    slot, extensions = ctx.params["slot"], ctx.params["extensions"]

    def judge(choice: Choice, row: Row, sheet: Sheet) -> Judgement:
        cell = row[ctx.params["image_column"]]
        name = _named_file(cell.value, folders)
        sku = nfkc(row.value(ctx.params["sku_column"]))
        by_rule = {f"{sku}.{slot}.{ext}" for ext in extensions} if sku else set()
        if name and name in existing:
            return passed(at(sheet, cell, *say(N_("{product}: main image {name} is a file of the image folder"),
                                               product=choice.ident, name=name), ok=True))
        if name and name in by_rule:
            return passed(at(sheet, cell, *say(N_("{product}: main image {name} follows <sku>.{slot}.jpg"),
                                               product=choice.ident, name=name, slot=slot), ok=True))
        rule = f"{sku or '<sku>'}.{slot}"
        return failed(at(sheet, cell, *say(N_("{product}: main image {typed} is neither a file of the image folder "
                                              "nor {rule}.jpg for sku {sku}"), product=choice.ident,
                                           typed=shown_both(cell.value), rule=rule, sku=sku or "(empty)"),
                         expected=f"a file of the image folder or {rule}.{'/'.join(extensions)}"))

    return each_product(ctx, ctx.params["sheet"], judge)
