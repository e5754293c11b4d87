"""The freight engine (``grader.freight``): limits on both sides, chargeable weights, exact freight
with one half-up rounding, cheapest and urgent choices, and the materials' own parcels."""
from __future__ import annotations

import doctest
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from grader import freight
from grader.freight import (
    CHEAPEST,
    URGENT,
    Parcel,
    Rates,
    RateTableError,
    chargeable_weight,
    cheapest_methods,
    decimal_of,
    eligible_methods,
    parcels_from_key,
    quote,
    right_methods,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
D = Decimal


def table() -> dict:
    """Rate tables shaped like the paper's, small enough to read in a test."""
    limits = {"max_weight_kg": 2, "max_sum_of_sides_cm": 90, "max_longest_side_cm": 60}
    return {
        "urgent_method": "express",
        "freight_rounding": "0.01",
        "methods": {
            "postal": {"billing": "per_kg", **limits, "tracking": "s10",
                       "zones": [{"zone": "3", "countries": ["US", "CA"], "per_kg": 92, "per_item": 18},
                                 {"zone": "4", "countries": ["BR"], "per_kg": 120, "per_item": 22}]},
            "e_packet": {"billing": "per_kg", **limits, "min_billed_kg": 0.05, "tracking": "s10",
                         "zones": [{"zone": "1", "countries": ["US"], "per_kg": 105, "per_item": 10}]},
            "express": {"billing": "steps", "max_weight_kg": 30, "volumetric_divisor": 5000, "step_kg": 0.5,
                        "fuel_surcharge": 0.245, "tracking": "digits", "tracking_length": 10,
                        "zones": [{"zone": "C", "countries": ["US", "CA"], "first_step": 165,
                                   "additional_step": 45},
                                  {"zone": "D", "countries": ["BR"], "first_step": 230,
                                   "additional_step": 60}]},
        },
    }


@pytest.fixture
def rates() -> Rates:
    return Rates.from_key(table())


def parcel(weight: str, sides=(22, 10, 10), destination: str = "US", requirement: str = CHEAPEST) -> Parcel:
    return Parcel("P", "SO", destination, D(weight), *(D(str(s)) for s in sides), requirement=requirement)


def test_docstring_examples():
    result = doctest.testmod(freight)
    assert result.attempted > 0 and result.failed == 0


# ---------------------------------------------------------------- eligibility: both sides of each limit


@pytest.mark.parametrize("weight, eligible", [("2.000", True), ("2", True), ("2.001", False)])
def test_weight_limit_2_kg(rates, weight, eligible):
    for method in ("postal", "e_packet"):
        q = quote(rates, method, parcel(weight))
        assert q.eligible is eligible
        assert ("weight 2.001 kg > 2 kg" in q.why_not) is (not eligible)
    assert quote(rates, "express", parcel(weight)).eligible


@pytest.mark.parametrize("sides, eligible", [((40, 25, 25), True), ((40, 26, 25), False)])
def test_sum_of_sides_90_cm(rates, sides, eligible):
    q = quote(rates, "postal", parcel("0.5", sides))
    assert q.eligible is eligible
    if not eligible:
        assert q.why_not == "length + width + height 91 cm > 90 cm"
        assert "长+宽+高 91 cm 超过 90 cm" in q.why_not_zh


@pytest.mark.parametrize("sides, eligible", [((60, 15, 15), True), ((61, 14, 15), False)])
def test_longest_side_60_cm(rates, sides, eligible):
    assert sum(sides) == 90  # only the longest side differs
    q = quote(rates, "e_packet", parcel("0.5", sides))
    assert q.eligible is eligible
    if not eligible:
        assert q.why_not == "longest side 61 cm > 60 cm"


def test_destination_missing_from_zone_table_is_ineligible(rates):
    q = quote(rates, "e_packet", parcel("0.415", destination="BR"))
    assert not q.eligible and q.why_not == "BR is not in its zone table"
    assert q.freight_cny is None
    assert eligible_methods(rates, parcel("0.415", destination="BR")) == ["postal", "express"]


def test_several_problems_are_all_named(rates):
    q = quote(rates, "postal", parcel("2.5", (70, 20, 10), destination="JP"))
    assert [en for en, _ in q.problems] == ["weight 2.5 kg > 2 kg", "length + width + height 100 cm > 90 cm",
                                            "longest side 70 cm > 60 cm", "JP is not in its zone table"]


# ---------------------------------------------------------------- chargeable weight


def test_postal_bills_the_actual_weight(rates):
    assert chargeable_weight(rates.methods["postal"], parcel("0.030")) == D("0.030")
    big = parcel("0.42", (40, 30, 20))  # postal has no volumetric weight
    assert chargeable_weight(rates.methods["postal"], big) == D("0.42")


@pytest.mark.parametrize("weight, billed", [("0.030", "0.05"), ("0.050", "0.05"), ("0.051", "0.051"),
                                            ("0.42", "0.42")])
def test_e_packet_minimum_billed_50_g(rates, weight, billed):
    assert chargeable_weight(rates.methods["e_packet"], parcel(weight)) == D(billed)


def test_e_packet_minimum_changes_the_freight(rates):
    assert quote(rates, "e_packet", parcel("0.030")).freight_cny == D("15.25")  # 105 × 0.05 + 10
    assert quote(rates, "e_packet", parcel("0.051")).freight_cny == D("15.36")  # 105 × 0.051 + 10 = 15.355


def test_express_volumetric_weight_wins(rates):
    p = parcel("0.61", (30, 20, 15))  # 9000 / 5000 = 1.8 kg > 0.61
    assert chargeable_weight(rates.methods["express"], p) == D("2.0")


def test_express_actual_weight_wins(rates):
    p = parcel("0.56", (24, 9, 9))  # 1944 / 5000 = 0.3888 kg < 0.56
    assert chargeable_weight(rates.methods["express"], p) == D("1.0")


@pytest.mark.parametrize("weight, billed", [("1.0", "1.0"), ("1.01", "1.5"), ("0.5", "0.5"), ("0.501", "1.0"),
                                            ("0.1", "0.5"), ("1.5", "1.5"), ("1.500001", "2.0")])
def test_express_rounds_up_to_the_next_half_kg(rates, weight, billed):
    p = parcel(weight, (10, 10, 10))  # volumetric 0.2 kg
    assert chargeable_weight(rates.methods["express"], p) == D(billed)


def test_volumetric_exactly_on_a_step(rates):
    p = parcel("0.2", (50, 10, 10))  # 5000 / 5000 = 1.0 kg exactly: not rounded further
    assert chargeable_weight(rates.methods["express"], p) == D("1.0")


# ---------------------------------------------------------------- freight: exact, one rounding, half up


def test_per_kg_freight(rates):
    q = quote(rates, "postal", parcel("0.42"))
    assert q.exact_cny == D("56.64") and q.freight_cny == D("56.64")  # 92 × 0.42 + 18


def test_express_first_and_further_half_kg_with_fuel_on_the_base(rates):
    q = quote(rates, "express", parcel("0.61", (30, 20, 15), destination="US"))
    assert q.chargeable_kg == D("2.0")
    assert q.exact_cny == D("373.5")  # (165 + 3 × 45) × 1.245
    assert q.freight_cny == D("373.50")


def test_half_up_not_half_even(rates):
    q = quote(rates, "express", parcel("0.42"))  # 165 × 1.245 = 205.425
    assert q.exact_cny == D("205.425")
    assert q.freight_cny == D("205.43")  # half even would give 205.42


def test_rounded_once_at_the_end():
    data = table()
    data["methods"]["postal"]["zones"][0].update(per_kg="10.005", per_item="0.005")
    q = quote(Rates.from_key(data), "postal", parcel("1"))
    assert q.exact_cny == D("10.010") and q.freight_cny == D("10.01")  # rounding each part would give 10.02


def test_freight_of_an_ineligible_method_with_a_zone_is_still_computed(rates):
    q = quote(rates, "postal", parcel("2.5"))
    assert not q.eligible and q.freight_cny == D("248.00")  # 92 × 2.5 + 18


def test_a_changed_rate_changes_the_answer():
    data = table()
    data["methods"]["postal"]["zones"][0]["per_kg"] = 80
    assert quote(Rates.from_key(data), "postal", parcel("0.42")).freight_cny == D("51.60")


# ---------------------------------------------------------------- the right method


def test_cheapest_eligible(rates):
    assert cheapest_methods(rates, parcel("0.42")) == ["e_packet"]  # 54.10 < 56.64 < 205.43
    assert cheapest_methods(rates, parcel("0.9")) == ["postal"]  # 100.80 < 104.50


def test_equal_prices_are_both_cheapest():
    data = table()
    data["methods"]["e_packet"]["zones"][0].update(per_kg=92, per_item=18)
    rates = Rates.from_key(data)
    assert cheapest_methods(rates, parcel("0.42")) == ["postal", "e_packet"]


def test_only_express_when_the_parcel_is_too_big(rates):
    assert right_methods(rates, parcel("0.95", (40, 26, 25))) == ["express"]


def test_urgent_means_express_even_when_dearer(rates):
    assert right_methods(rates, parcel("0.42", requirement=URGENT)) == ["express"]


def test_urgent_with_express_ineligible_has_no_right_method():
    data = table()
    data["methods"]["express"]["max_weight_kg"] = 0.3
    assert right_methods(Rates.from_key(data), parcel("0.42", requirement=URGENT)) == []


# ---------------------------------------------------------------- the materials


def paper_key() -> dict:
    return tomllib.loads((REPO_ROOT / "answer_keys" / "2026A" / "logistics.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("pid, method, chargeable, price", [
    ("P01", "e_packet", "0.42", "54.10"),
    ("P02", "express", "2.0", "336.15"),  # volumetric 1.8 kg → 2.0
    ("P03", "express", "1.0", "153.14"),  # 153.135 half up
    ("P04", "express", "5.5", "765.68"),  # sides 91 cm: express only
    ("P05", "postal", "0.415", "71.80"),  # BR: no e-packet zone
    ("P06", "postal", "0.53", "66.76"),
])
def test_the_papers_parcels(pid, method, chargeable, price):
    data = paper_key()
    rates = Rates.from_key(data)
    p = next(x for x in parcels_from_key(data) if x.parcel_id == pid)
    assert right_methods(rates, p) == [method]
    q = quote(rates, method, p)
    assert (q.chargeable_kg, q.freight_cny) == (D(chargeable), D(price))


def test_decimal_of_reads_floats_as_written():
    assert decimal_of(0.245, "x") == D("0.245") and decimal_of(19.5, "x") == D("19.5")
    assert decimal_of("0.01", "x") == D("0.01") and decimal_of(5000, "x") == D(5000)
    for bad in (None, True, "abc"):
        with pytest.raises(RateTableError):
            decimal_of(bad, "x")


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["methods"]["postal"].pop("billing"), "methods.postal.billing must be"),
    (lambda d: d["methods"]["express"].pop("step_kg"), "billing in steps needs a positive step_kg"),
    (lambda d: d["methods"]["postal"]["zones"][1]["countries"].append("US"), "US is in two zones"),
    (lambda d: d.update(urgent_method="courier"), "urgent_method 'courier' is not one of the methods"),
    (lambda d: d["methods"]["postal"]["zones"][0].update(per_kg=-1), "per_kg is negative"),
    (lambda d: d["methods"]["express"]["zones"][0].pop("additional_step"), "lacks additional_step"),
    (lambda d: d["methods"]["express"].update(tracking="barcode"), "tracking must be"),
    (lambda d: d.pop("freight_rounding"), "freight_rounding: expected a number"),
])
def test_malformed_rate_tables_are_refused(edit, message):
    data = table()
    edit(data)
    with pytest.raises(RateTableError, match=message):
        Rates.from_key(data)


def test_malformed_parcel_is_refused():
    data = paper_key()
    data["parcels"][0]["requirement"] = "fast"
    with pytest.raises(RateTableError, match="requirement must be"):
        parcels_from_key(data)
    data = paper_key()
    data["parcels"][1]["weight_kg"] = 0
    with pytest.raises(RateTableError, match="must be positive"):
        parcels_from_key(data)
