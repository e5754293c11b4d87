"""The freight engine of unit 7: which methods may carry a parcel, what each bills and costs.

Everything comes from the logistics materials (``answer_keys/<paper>/logistics.toml``); a
centre that changes a rate gets correct grading without a new key. Weights are kg, sizes
cm, money CNY, all exact ``Decimal``.

- A method is eligible when the parcel is within its weight limit, its sum of sides and its
  longest side (every limit includes its end) and the destination is in one of its zones.
- Chargeable weight: the actual weight, raised to the method's minimum billed weight and,
  where the method has a volumetric divisor, to L × W × H / divisor; a method billed in steps
  rounds it UP to the next step (0.5 kg).
- Freight: ``per_kg × chargeable + per_item`` (billing ``per_kg``) or ``first_step + (steps − 1)
  × additional_step`` (billing ``steps``), times ``1 + fuel_surcharge``, rounded once at the
  end to the materials' ``freight_rounding``, half up.
- The right method: for an urgent parcel the urgent method; otherwise every eligible method
  whose freight is the lowest (two methods that cost the same are both cheapest).

>>> rates = Rates.from_key({"urgent_method": "express", "freight_rounding": "0.01", "methods": {
...     "express": {"billing": "steps", "step_kg": 0.5, "volumetric_divisor": 5000,
...                 "fuel_surcharge": 0.245,
...                 "zones": [{"zone": "A", "countries": ["JP"], "first_step": 95, "additional_step": 28}]}}})
>>> parcel = Parcel("P03", "SO1", "JP", Decimal("0.56"), Decimal(24), Decimal(9), Decimal(9))
>>> q = quote(rates, "express", parcel)
>>> q.eligible, q.chargeable_kg, q.exact_cny, q.freight_cny
(True, Decimal('1.0'), Decimal('153.135'), Decimal('153.14'))
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from grader.locale import N_, Said, say

CHEAPEST, URGENT = "cheapest", "urgent"
PER_KG, STEPS = "per_kg", "steps"
ZERO = Decimal(0)


class RateTableError(ValueError):
    """The logistics materials are malformed: a field is missing or not what it must be."""


def decimal_of(value: Any, where: str) -> Decimal:
    """An exact decimal from a materials value (int, float as written, or text)."""
    if isinstance(value, bool) or value is None:
        raise RateTableError(f"{where}: expected a number, found {value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest text that reads back: 0.245, as written in the file
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise RateTableError(f"{where}: expected a number, found {value!r}") from None


def _optional(data: dict[str, Any], name: str, where: str) -> Decimal | None:
    return decimal_of(data[name], f"{where}.{name}") if name in data else None


@dataclass(frozen=True)
class Zone:
    name: str
    countries: tuple[str, ...]
    per_kg: Decimal = ZERO
    per_item: Decimal = ZERO
    first_step: Decimal = ZERO
    additional_step: Decimal = ZERO


@dataclass(frozen=True)
class Method:
    id: str
    name: str
    billing: str  # PER_KG or STEPS
    zones: dict[str, Zone]  # destination country → its zone
    max_weight_kg: Decimal | None = None
    max_sum_of_sides_cm: Decimal | None = None
    max_longest_side_cm: Decimal | None = None
    min_billed_kg: Decimal = ZERO
    volumetric_divisor: Decimal | None = None
    step_kg: Decimal | None = None
    fuel_surcharge: Decimal = ZERO
    tracking: str = ""  # "s10" or "digits" (U7-07); "" when the materials give none
    tracking_length: int = 0

    @classmethod
    def from_key(cls, ident: str, data: dict[str, Any]) -> Method:
        where = f"methods.{ident}"
        billing = data.get("billing")
        if billing not in (PER_KG, STEPS):
            raise RateTableError(f"{where}.billing must be {PER_KG!r} or {STEPS!r}, found {billing!r}")
        fields = (("per_kg", "per_item") if billing == PER_KG else ("first_step", "additional_step"))
        zones: dict[str, Zone] = {}
        for n, zone in enumerate(data.get("zones", [])):
            here = f"{where}.zones[{n}]"
            countries = tuple(str(c).strip().upper() for c in zone.get("countries", []))
            if not countries:
                raise RateTableError(f"{here} lists no country")
            prices = {}
            for name in fields:
                if name not in zone:
                    raise RateTableError(f"{here} lacks {name}")
                prices[name] = decimal_of(zone[name], f"{here}.{name}")
                if prices[name] < 0:
                    raise RateTableError(f"{here}.{name} is negative")
            entry = Zone(str(zone.get("zone", n + 1)), countries, **prices)
            for country in countries:
                if country in zones:
                    raise RateTableError(f"{where}: {country} is in two zones")
                zones[country] = entry
        if not zones:
            raise RateTableError(f"{where} has no zone")
        step = _optional(data, "step_kg", where)
        if billing == STEPS and (step is None or step <= 0):
            raise RateTableError(f"{where}: billing in steps needs a positive step_kg")
        divisor = _optional(data, "volumetric_divisor", where)
        if divisor is not None and divisor <= 0:
            raise RateTableError(f"{where}.volumetric_divisor must be positive")
        tracking = str(data.get("tracking", ""))
        if tracking not in ("", "s10", "digits"):
            raise RateTableError(f"{where}.tracking must be 's10' or 'digits', found {tracking!r}")
        length = int(data.get("tracking_length", 0))
        if tracking == "digits" and length <= 0:
            raise RateTableError(f"{where}: tracking 'digits' needs a positive tracking_length")
        return cls(
            id=ident,
            name=str(data.get("name", ident)),
            billing=billing,
            zones=zones,
            max_weight_kg=_optional(data, "max_weight_kg", where),
            max_sum_of_sides_cm=_optional(data, "max_sum_of_sides_cm", where),
            max_longest_side_cm=_optional(data, "max_longest_side_cm", where),
            min_billed_kg=_optional(data, "min_billed_kg", where) or ZERO,
            volumetric_divisor=divisor,
            step_kg=step,
            fuel_surcharge=_optional(data, "fuel_surcharge", where) or ZERO,
            tracking=tracking,
            tracking_length=length,
        )


@dataclass(frozen=True)
class Parcel:
    parcel_id: str
    order_id: str
    destination: str  # ISO 3166-1 alpha-2
    weight_kg: Decimal
    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    declared_value: Decimal = ZERO
    requirement: str = CHEAPEST

    @property
    def sides(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.length_cm, self.width_cm, self.height_cm)

    @classmethod
    def from_key(cls, n: int, data: dict[str, Any]) -> Parcel:
        where = f"parcels[{n}]"
        for name in ("parcel_id", "order_id", "destination", "weight_kg", "length_cm", "width_cm",
                     "height_cm", "requirement"):
            if name not in data:
                raise RateTableError(f"{where} lacks {name}")
        numbers = {name: decimal_of(data[name], f"{where}.{name}")
                   for name in ("weight_kg", "length_cm", "width_cm", "height_cm")}
        if any(v <= 0 for v in numbers.values()):
            raise RateTableError(f"{where}: weight and sides must be positive")
        requirement = str(data["requirement"]).strip().lower()
        if requirement not in (CHEAPEST, URGENT):
            raise RateTableError(f"{where}.requirement must be {CHEAPEST!r} or {URGENT!r}")
        value = data.get("declared_value_usd", data.get("declared_value", 0))
        return cls(str(data["parcel_id"]).strip(), str(data["order_id"]).strip(),
                   str(data["destination"]).strip().upper(), declared_value=decimal_of(value, where),
                   requirement=requirement, **numbers)


@dataclass(frozen=True)
class Rates:
    """Every method of the materials, the urgent method and the one rounding of a freight."""

    methods: dict[str, Method]
    urgent_method: str
    rounding: Decimal

    @classmethod
    def from_key(cls, section: dict[str, Any]) -> Rates:
        raw = section.get("methods")
        if not isinstance(raw, dict) or not raw:
            raise RateTableError("the materials list no shipping method")
        methods = {ident: Method.from_key(ident, data) for ident, data in raw.items()}
        urgent = str(section.get("urgent_method", ""))
        if urgent not in methods:
            raise RateTableError(f"urgent_method {urgent!r} is not one of the methods {sorted(methods)}")
        rounding = decimal_of(section.get("freight_rounding"), "freight_rounding")
        if rounding <= 0:
            raise RateTableError("freight_rounding must be positive")
        return cls(methods, urgent, rounding)


def parcels_from_key(section: dict[str, Any]) -> tuple[Parcel, ...]:
    return tuple(Parcel.from_key(n, p) for n, p in enumerate(section.get("parcels", [])))


# ---------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Quote:
    """What one method means for one parcel."""

    method: str
    eligible: bool
    problems: tuple[Said, ...]  # why not eligible, in English and Chinese
    chargeable_kg: Decimal
    exact_cny: Decimal | None  # None when the destination has no zone
    freight_cny: Decimal | None  # rounded once

    @property
    def why_not(self) -> str:
        return "; ".join(en for en, _ in self.problems)

    @property
    def why_not_zh(self) -> str:
        return "；".join(zh for _, zh in self.problems)


def limit_problems(method: Method, parcel: Parcel) -> list[Said]:
    """Why the method cannot carry the parcel (weight, size, destination); empty when it can."""
    problems = []
    if method.max_weight_kg is not None and parcel.weight_kg > method.max_weight_kg:
        problems.append(say(N_("weight {weight} kg > {limit} kg"), weight=parcel.weight_kg,
                            limit=method.max_weight_kg))
    total = sum(parcel.sides, ZERO)
    if method.max_sum_of_sides_cm is not None and total > method.max_sum_of_sides_cm:
        problems.append(say(N_("length + width + height {total} cm > {limit} cm"), total=total,
                            limit=method.max_sum_of_sides_cm))
    longest = max(parcel.sides)
    if method.max_longest_side_cm is not None and longest > method.max_longest_side_cm:
        problems.append(say(N_("longest side {longest} cm > {limit} cm"), longest=longest,
                            limit=method.max_longest_side_cm))
    if parcel.destination not in method.zones:
        problems.append(say(N_("{destination} is not in its zone table"), destination=parcel.destination))
    return problems


def volumetric_weight(method: Method, parcel: Parcel) -> Decimal | None:
    if method.volumetric_divisor is None:
        return None
    return parcel.length_cm * parcel.width_cm * parcel.height_cm / method.volumetric_divisor


def chargeable_weight(method: Method, parcel: Parcel) -> Decimal:
    """The weight the method bills, in kg."""
    weight = max(parcel.weight_kg, method.min_billed_kg)
    volumetric = volumetric_weight(method, parcel)
    if volumetric is not None:
        weight = max(weight, volumetric)
    if method.step_kg is not None:
        steps = (weight / method.step_kg).to_integral_value(rounding=ROUND_CEILING)
        weight = steps * method.step_kg
    return weight


def exact_freight(method: Method, parcel: Parcel, chargeable: Decimal) -> Decimal | None:
    """The freight before its one rounding; None when the destination is in no zone."""
    zone = method.zones.get(parcel.destination)
    if zone is None:
        return None
    if method.billing == PER_KG:
        base = zone.per_kg * chargeable + zone.per_item
    else:
        steps = chargeable / method.step_kg
        base = zone.first_step + (steps - 1) * zone.additional_step
    return base * (1 + method.fuel_surcharge)


def quote(rates: Rates, method_id: str, parcel: Parcel) -> Quote:
    method = rates.methods[method_id]
    chargeable = chargeable_weight(method, parcel)
    exact = exact_freight(method, parcel, chargeable)
    rounded = None if exact is None else exact.quantize(rates.rounding, rounding=ROUND_HALF_UP)
    problems = tuple(limit_problems(method, parcel))
    return Quote(method_id, not problems, problems, chargeable, exact, rounded)


def quotes(rates: Rates, parcel: Parcel) -> dict[str, Quote]:
    """Every method's quote for the parcel, in the materials' order."""
    return {ident: quote(rates, ident, parcel) for ident in rates.methods}


def eligible_methods(rates: Rates, parcel: Parcel) -> list[str]:
    return [ident for ident, q in quotes(rates, parcel).items() if q.eligible]


def cheapest_methods(rates: Rates, parcel: Parcel) -> list[str]:
    """The eligible methods with the lowest (rounded) freight; ties are all cheapest."""
    eligible = [q for q in quotes(rates, parcel).values() if q.eligible]
    if not eligible:
        return []
    lowest = min(q.freight_cny for q in eligible)
    return [q.method for q in eligible if q.freight_cny == lowest]


def right_methods(rates: Rates, parcel: Parcel) -> list[str]:
    """The methods right for the parcel's requirement: urgent → the urgent method, else cheapest."""
    if parcel.requirement == URGENT:
        return [rates.urgent_method] if quote(rates, rates.urgent_method, parcel).eligible else []
    return cheapest_methods(rates, parcel)
