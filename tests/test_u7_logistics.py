"""Unit 7 checks (U7-01…U7-07): the Okay case and each failing case of every criterion, with
exact points and evidence, the key's guarantees, and the sample's defects."""
from __future__ import annotations

import copy
import datetime as dt
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import grade_sheets, sheet_points

from grader.checks import REGISTRY, CheckContext
from grader.checks.logistics import guarantees
from grader.errors import PaperError
from grader.paper import load_key, load_paper
from grader.read.tables import build_workbook, read_grid
from grader.samples import u7

REPO_ROOT = Path(__file__).resolve().parent.parent

F = Fraction
SHIPPING, INBOUND, OUTBOUND, STOCK, CONFIRM = (u7.SHEETS[k] for k in
                                              ("shipping", "inbound", "outbound", "stock", "confirmation"))
FULL = {"U7-01": 2, "U7-02": 1, "U7-03": 3, "U7-04": 1, "U7-05": 1, "U7-06": 1, "U7-07": 1}


@pytest.fixture
def sheets(paper) -> dict[str, list[list]]:
    """The perfect candidate's sheets (title → rows, header first), a fresh copy for each test."""
    return copy.deepcopy(u7.perfect(paper.key)["u7_logistics"].sheets)


@pytest.fixture
def fresh_key(paper):
    """A private copy of the key, for tests that change the materials."""
    return load_key(paper.key.root)


def criterion(paper, cid):
    return next(c for c in paper.criteria() if c.id == cid)


def grade(paper, cid, sheets, key=None):
    """(points, evidence) of one criterion on the given sheets."""
    got, outcome = grade_sheets(paper, cid, sheets, key)
    return got, outcome.evidence


def points(paper, cid, sheets, key=None):
    return sheet_points(paper, cid, sheets, key)


def failures(evidence):
    return [e.message for e in evidence if not e.ok]


def row_of(sheets, title, first):
    return next(r for r in sheets[title][1:] if r[0] == first)


SHIPPING_COLUMNS = {"method": 1, "weight": 2, "freight": 3}


def set_row(sheets, title, parcel_id, **values):
    """Set the method, weight or freight of a parcel's row in the shipping sheet."""
    row = row_of(sheets, title, parcel_id)
    for name, value in values.items():
        row[SHIPPING_COLUMNS[name]] = value


# ---------------------------------------------------------------- the perfect candidate


def test_perfect_candidate_full_marks(paper, sheets):
    for cid, full in FULL.items():
        got, evidence = grade(paper, cid, sheets)
        assert got == full, (cid, failures(evidence))
        assert evidence and all(e.ok for e in evidence)


def test_perfect_workbook_written_and_read_back(paper, tmp_path):
    draft = u7.perfect(paper.key)["u7_logistics"]
    path = draft.write(tmp_path)
    book = build_workbook(path.name, read_grid(path), list(paper.deliverables["u7_logistics"].sheets))
    for cid, full in FULL.items():
        c = criterion(paper, cid)
        outcome = REGISTRY[c.check].func(CheckContext(cid, book, paper.key, c.params))
        assert c.points * outcome.share == full, cid


# ---------------------------------------------------------------- U7-01


def test_u7_01_not_the_cheapest(paper, sheets):
    set_row(sheets, SHIPPING, "P01", method="邮政小包", weight=0.42, freight=56.64)
    got, evidence = grade(paper, "U7-01", sheets)
    assert got == F(5, 3)
    [bad] = [e for e in evidence if not e.ok]
    assert bad.message == "parcel P01: postal costs 56.64 CNY; the cheapest eligible is e_packet at 54.10 CNY"
    assert (bad.sheet, bad.cell, bad.expected, bad.found) == (SHIPPING, "B2", "e_packet", "邮政小包")


def test_u7_01_ineligible_by_size(paper, sheets):
    set_row(sheets, SHIPPING, "P04", method="e邮宝")
    got, evidence = grade(paper, "U7-01", sheets)
    assert got == F(5, 3)
    assert failures(evidence) == [("parcel P04: e_packet is not eligible "
                                  "(length + width + height 91 cm > 90 cm)")]


def test_u7_01_ineligible_destination(paper, sheets):
    set_row(sheets, SHIPPING, "P05", method="e-packet")
    got, evidence = grade(paper, "U7-01", sheets)
    assert got == F(5, 3)
    assert failures(evidence) == ["parcel P05: e_packet is not eligible (BR is not in its zone table)"]


def test_u7_01_urgent_needs_express(paper, sheets):
    set_row(sheets, SHIPPING, "P02", method="e邮宝")  # the cheapest, but P02 is urgent
    got, evidence = grade(paper, "U7-01", sheets)
    assert got == F(5, 3)
    assert failures(evidence) == ["parcel P02 is urgent: express expected, found e_packet"]


@pytest.mark.parametrize("label", ["Express", "国际快递", " 快递 ", "EXPRESS COURIER"])
def test_u7_01_method_aliases(paper, sheets, label):
    set_row(sheets, SHIPPING, "P02", method=label)
    assert points(paper, "U7-01", sheets) == 2


@pytest.mark.parametrize("label", ["海运", "", "EMS"])
def test_u7_01_unknown_method(paper, sheets, label):
    set_row(sheets, SHIPPING, "P03", method=label or None)
    got, evidence = grade(paper, "U7-01", sheets)
    assert got == F(5, 3)
    assert "is not a method of the materials" in failures(evidence)[0]


def test_u7_01_missing_parcel(paper, sheets):
    sheets[SHIPPING] = [r for r in sheets[SHIPPING] if r[0] != "P06"]
    got, evidence = grade(paper, "U7-01", sheets)
    assert got == F(5, 3)
    assert failures(evidence) == ["parcel P06: no row"]


def test_u7_01_repeated_parcel_graded_on_first_row(paper, sheets):
    rows = sheets[SHIPPING]
    rows.append(["P01", "邮政小包", 0.42, 56.64])  # a later, wrong repeat: ignored
    assert points(paper, "U7-01", sheets) == 2
    rows.insert(1, ["p01", "邮政小包", 0.42, 56.64])  # a wrong first row: graded
    assert points(paper, "U7-01", sheets) == F(5, 3)


def test_u7_01_equal_prices_are_both_cheapest(paper, sheets, fresh_key):
    us = next(z for z in fresh_key["logistics"]["methods"]["e_packet"]["zones"] if "US" in z["countries"])
    us.update(per_kg=92, per_item=18)  # e-packet to the US now costs what postal does
    assert points(paper, "U7-01", sheets, fresh_key) == 2
    set_row(sheets, SHIPPING, "P01", method="邮政小包")
    assert points(paper, "U7-01", sheets, fresh_key) == 2


def test_u7_01_sheet_missing(paper, sheets):
    del sheets[SHIPPING]
    got, evidence = grade(paper, "U7-01", sheets)
    assert got == 0 and "sheet 'shipping' not found" in evidence[0].message


# ---------------------------------------------------------------- U7-02


def test_u7_02_volumetric_ignored(paper, sheets):
    set_row(sheets, SHIPPING, "P02", weight=1.0)
    got, evidence = grade(paper, "U7-02", sheets)
    assert got == F(5, 6)
    [bad] = [e for e in evidence if not e.ok]
    assert bad.message == "parcel P02 (express): chargeable weight 1.0 kg differs from 2.0 kg by 1.0 > 0.001"
    assert (bad.cell, bad.expected, bad.found) == ("C3", "2.0 kg", "1")


def test_u7_02_not_rounded_up(paper, sheets):
    set_row(sheets, SHIPPING, "P02", weight=1.8)
    assert points(paper, "U7-02", sheets) == F(5, 6)


@pytest.mark.parametrize("typed, share", [(0.421, 1), ("0.419", 1), (0.4211, F(5, 6)), ("0.4189", F(5, 6))])
def test_u7_02_within_0_001_kg(paper, sheets, typed, share):
    set_row(sheets, SHIPPING, "P01", weight=typed)  # e-packet bills 0.42
    assert points(paper, "U7-02", sheets) == share


def test_u7_02_numbers_as_text(paper, sheets, fresh_key):
    p03 = next(p for p in fresh_key["logistics"]["parcels"] if p["parcel_id"] == "P03")
    p03["weight_kg"] = 1.2  # express: 1.2 kg rounds up to 1.5
    set_row(sheets, SHIPPING, "P03", weight="1.5kg", freight="¥188.00")  # (95 + 2 × 28) × 1.245 = 187.995
    assert grade(paper, "U7-02", sheets, fresh_key)[0] == 1
    assert grade(paper, "U7-03", sheets, fresh_key)[0] == 3
    set_row(sheets, SHIPPING, "P03", weight="1.5 KG")
    assert grade(paper, "U7-02", sheets, fresh_key)[0] == 1


@pytest.mark.parametrize("typed", ["350g", "1,0", "about 1", "一公斤"])
def test_u7_02_not_a_number(paper, sheets, typed):
    set_row(sheets, SHIPPING, "P03", weight=typed)
    got, evidence = grade(paper, "U7-02", sheets)
    assert got == F(5, 6)
    assert failures(evidence) == [f"parcel P03 (express): chargeable weight {typed!r} is not a number"]


def test_u7_02_wrong_method_right_weight_for_it(paper, sheets):
    set_row(sheets, SHIPPING, "P06", method="e邮宝", weight=0.53, freight=71.54)
    assert points(paper, "U7-02", sheets) == 1


def test_u7_02_ineligible_method_earns_nothing(paper, sheets):
    set_row(sheets, SHIPPING, "P04", method="邮政小包", weight=0.95, freight=105.40)
    got, evidence = grade(paper, "U7-02", sheets)
    assert got == F(5, 6)
    assert failures(evidence) == [("parcel P04: postal is not eligible "
                                  "(length + width + height 91 cm > 90 cm)")]


# ---------------------------------------------------------------- U7-03


@pytest.mark.parametrize("typed, share", [(54.11, 3), (54.09, 3), ("54.10", 3), (54.111, F(5, 2)),
                                          (54.089, F(5, 2))])
def test_u7_03_within_0_01(paper, sheets, typed, share):
    set_row(sheets, SHIPPING, "P01", freight=typed)
    assert points(paper, "U7-03", sheets) == share


def test_u7_03_evidence(paper, sheets):
    set_row(sheets, SHIPPING, "P01", freight=54.111)
    [bad] = failures(grade(paper, "U7-03", sheets)[1])
    assert bad == "parcel P01 (e_packet): freight 54.111 CNY differs from 54.10 CNY by 0.011 > 0.01"


def test_u7_03_wrong_method_with_right_freight_for_it_keeps_the_points(paper, sheets):
    set_row(sheets, SHIPPING, "P01", method="邮政小包", weight=0.42, freight=56.64)
    assert points(paper, "U7-01", sheets) == F(5, 3)
    assert points(paper, "U7-02", sheets) == 1
    assert points(paper, "U7-03", sheets) == 3


def test_u7_03_graded_for_the_chosen_method_not_the_right_one(paper, sheets):
    set_row(sheets, SHIPPING, "P01", method="邮政小包")  # freight left at e-packet's 54.10
    got, evidence = grade(paper, "U7-03", sheets)
    assert got == F(5, 2)
    assert failures(evidence) == [("parcel P01 (postal): freight 54.1 CNY differs from 56.64 CNY "
                                  "by 2.54 > 0.01")]


def test_u7_03_ineligible_method_earns_nothing(paper, sheets):
    set_row(sheets, SHIPPING, "P04", method="e邮宝", weight=0.95, freight=98.60)
    assert points(paper, "U7-03", sheets) == F(5, 2)


@pytest.mark.parametrize("typed, share", [("¥336.15", 3), ("336.15元", 3), ("CNY 336.15", 3),
                                          ("３３６.１５", 3), ("336,15", F(5, 2)),
                                          ("336.15 RMB yuan", F(5, 2))])
def test_u7_03_numbers_as_text(paper, sheets, typed, share):
    set_row(sheets, SHIPPING, "P02", freight=typed)
    assert points(paper, "U7-03", sheets) == share


def test_u7_03_half_up_and_the_grader_rounds_once(paper, sheets):
    set_row(sheets, SHIPPING, "P03", freight=153.13)  # 153.135 → 153.14; 153.13 is within 0.01
    assert points(paper, "U7-03", sheets) == 3
    set_row(sheets, SHIPPING, "P03", freight=153.129)
    assert points(paper, "U7-03", sheets) == F(5, 2)


def test_u7_03_a_changed_rate_is_graded_without_a_new_key(paper, sheets, fresh_key):
    zone = next(z for z in fresh_key["logistics"]["methods"]["postal"]["zones"] if "CA" in z["countries"])
    zone["per_kg"] = 80  # P06 by postal: 80 × 0.53 + 18 = 60.40
    assert points(paper, "U7-03", sheets, fresh_key) == F(5, 2)
    regenerated = u7.perfect(fresh_key)["u7_logistics"].sheets
    assert row_of(regenerated, SHIPPING, "P06")[3] == 60.40
    assert points(paper, "U7-03", regenerated, fresh_key) == 3


# ---------------------------------------------------------------- U7-04


def serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def test_u7_04_any_order_and_readable_forms(paper, sheets):
    rows = sheets[INBOUND]
    rows[1:] = list(reversed(rows[1:]))
    rows[1][1] = "24"  # quantity as text
    rows[2][3] = rows[2][3].isoformat()  # ISO date text
    rows[3][3] = serial(rows[3][3])  # a date cell whose format was lost
    rows[4][2] = f"  {rows[4][2]} "
    assert points(paper, "U7-04", sheets) == 1


def test_u7_04_missing_arrival(paper, sheets):
    del sheets[INBOUND][2]
    got, evidence = grade(paper, "U7-04", sheets)
    assert got == 0
    assert failures(evidence) == ["arrival HKB100-BLU-750 30 义乌仓 2026-11-21 has no equal row"]


@pytest.mark.parametrize("column, value", [(0, "hkb100-wht-500"), (1, 40), (2, "深圳仓"),
                                           (3, dt.date(2026, 11, 19)), (3, "2026/11/20"), (1, "fifty")])
def test_u7_04_changed_row(paper, sheets, column, value):
    sheets[INBOUND][1][column] = value
    got, evidence = grade(paper, "U7-04", sheets)
    assert got == 0
    assert len(failures(evidence)) == 2  # the arrival not matched, and the row that is not one


def test_u7_04_extra_and_repeated_rows(paper, sheets):
    sheets[INBOUND].append(list(sheets[INBOUND][1]))
    got, evidence = grade(paper, "U7-04", sheets)
    assert got == 0
    assert failures(evidence) == [("row 6 (HKB100-WHT-500 50 义乌仓 2026-11-20) is not one of the "
                                   "arrivals of the materials, or repeats one")]
    del sheets[INBOUND][-1]
    sheets[INBOUND].append(["HKB100-BLK-500", 10, "义乌仓", dt.date(2026, 11, 23)])
    assert points(paper, "U7-04", sheets) == 0


# ---------------------------------------------------------------- U7-05


def test_u7_05_any_order_and_case_of_order_ids(paper, sheets):
    rows = sheets[OUTBOUND]
    rows[1:] = list(reversed(rows[1:]))
    rows[1][0] = rows[1][0].lower()
    assert points(paper, "U7-05", sheets) == 1


def test_u7_05_returned_order_listed(paper, sheets):
    sheets[OUTBOUND].append(["SO26110008", "HKB100-BLK-500", 1])
    got, evidence = grade(paper, "U7-05", sheets)
    assert got == 0
    assert failures(evidence) == [("row 8 (SO26110008 HKB100-BLK-500 1) is not one of the shipped "
                                   "orders of the materials, or repeats one")]


def test_u7_05_shipped_order_missing(paper, sheets):
    sheets[OUTBOUND] = [r for r in sheets[OUTBOUND] if r[0] != "SO26110019"]
    got, evidence = grade(paper, "U7-05", sheets)
    assert got == 0
    assert failures(evidence) == ["shipped order SO26110019 HKB100-BLK-750 1 has no equal row"]


@pytest.mark.parametrize("column, value", [(2, 1), (1, "HKB100-GRN-750"), (1, "hkb100-grn-500")])
def test_u7_05_wrong_quantity_or_sku(paper, sheets, column, value):
    row = row_of(sheets, OUTBOUND, "SO26110012")  # HKB100-GRN-500 × 2
    row[column] = value
    assert points(paper, "U7-05", sheets) == 0


def test_u7_05_repeated_order(paper, sheets):
    sheets[OUTBOUND].append(list(sheets[OUTBOUND][1]))
    assert points(paper, "U7-05", sheets) == 0


# ---------------------------------------------------------------- U7-06


def test_u7_06_off_by_one(paper, sheets):
    row = row_of(sheets, STOCK, "HKB100-WHT-500")
    row[1] += 1
    got, evidence = grade(paper, "U7-06", sheets)
    assert got == 0
    [bad] = [e for e in evidence if not e.ok]
    assert bad.message == "HKB100-WHT-500: closing stock 70, expected opening 20 + inbound 50 − outbound 1 = 69"
    assert bad.message_zh == "HKB100-WHT-500：期末库存 70，应为 期初 20 + 入仓 50 − 出仓 1 = 69"
    [good] = [e for e in evidence if e.ok and e.message.startswith("HKB100-BLK-750")]
    assert (good.message, good.message_zh) == (
        "HKB100-BLK-750: opening 6 + inbound 24 − outbound 1 = closing stock 29",
        "HKB100-BLK-750：期初 6 + 入仓 24 − 出仓 1 = 期末库存 29，正确")
    assert (bad.sheet, bad.cell, bad.expected) == (STOCK, "B4", "69")


def test_u7_06_opening_sku_without_a_row(paper, sheets):
    sheets[STOCK] = [r for r in sheets[STOCK] if r[0] != "HKB100-WHT-750"]  # opening 0, no movement
    got, evidence = grade(paper, "U7-06", sheets)
    assert got == 0
    assert failures(evidence) == ["sku HKB100-WHT-750: no row"]


def test_u7_06_uses_the_candidates_own_rows(paper, sheets):
    dropped = sheets[INBOUND].pop(1)  # HKB100-WHT-500 × 50 left out of inbound
    assert points(paper, "U7-06", sheets) == 0  # stock still counts the arrival
    row_of(sheets, STOCK, dropped[0])[1] -= dropped[1]
    assert points(paper, "U7-04", sheets) == 0
    assert points(paper, "U7-06", sheets) == 1  # the mistake is charged once


def test_u7_06_every_row_counts(paper, sheets):
    sheets[OUTBOUND].append(["SO26110008", "HKB100-BLK-500", 1])
    row_of(sheets, STOCK, "HKB100-BLK-500")[1] -= 1
    assert points(paper, "U7-05", sheets) == 0
    assert points(paper, "U7-06", sheets) == 1


def test_u7_06_sku_only_in_the_candidates_rows(paper, sheets):
    sheets[INBOUND].append(["HKB100-RED-500", 5, "义乌仓", dt.date(2026, 11, 22)])
    got, evidence = grade(paper, "U7-06", sheets)
    assert got == 0 and failures(evidence) == ["sku HKB100-RED-500: no row"]
    sheets[STOCK].append(["HKB100-RED-500", 5])
    assert points(paper, "U7-06", sheets) == 1


def test_u7_06_sku_case_is_kept(paper, sheets):
    row_of(sheets, STOCK, "HKB100-BLK-500")[0] = "hkb100-blk-500"
    assert points(paper, "U7-06", sheets) == 0


def test_u7_06_quantity_not_a_number(paper, sheets):
    sheets[OUTBOUND][1][2] = "one"
    got, evidence = grade(paper, "U7-06", sheets)
    assert got == 0
    assert failures(evidence) == [("outbound row 2: quantity 'one' is not a whole number, "
                                   "so HKB100-WHT-500's stock cannot be checked")]


def test_u7_06_numbers_as_text_and_repeated_stock_row(paper, sheets):
    row = row_of(sheets, STOCK, "HKB100-BLK-750")
    row[1] = str(row[1])
    sheets[STOCK].append(["HKB100-BLK-750", 0])  # a repeat: the first row is graded
    assert points(paper, "U7-06", sheets) == 1


def test_u7_06_sheet_missing(paper, sheets):
    del sheets[OUTBOUND]
    got, evidence = grade(paper, "U7-06", sheets)
    assert got == 0 and "sheet 'outbound' not found" in evidence[0].message


# ---------------------------------------------------------------- U7-07


def confirmation(sheets, method_label):
    return next(r for r in sheets[CONFIRM][1:] if r[1] == method_label)


def test_u7_07_wrong_check_digit(paper, sheets):
    row = confirmation(sheets, "邮政小包")
    number = row[2]
    row[2] = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]
    got, evidence = grade(paper, "U7-07", sheets)
    assert got == F(5, 6)
    [bad] = [e for e in evidence if not e.ok]
    assert bad.message == f"order {row[0]} (postal): tracking number {row[2]} is not UPU S10 ending in CN"
    assert bad.expected == "UPU S10 ending in CN"


@pytest.mark.parametrize("typed", ["rr473124829cn", "RR 4731 2482 9 CN", "RR-473124829-CN",
                                   "ＲＲ473124829ＣＮ", "LX473124829CN"])
def test_u7_07_compacted_and_any_two_letters(paper, sheets, typed):
    confirmation(sheets, "邮政小包")[2] = typed
    assert points(paper, "U7-07", sheets) == 1


def test_u7_07_wrong_country(paper, sheets):
    confirmation(sheets, "e邮宝")[2] = "LX473124829US"
    assert points(paper, "U7-07", sheets) == F(5, 6)


@pytest.mark.parametrize("typed, share", [("730100000", F(5, 6)), ("73010000011", F(5, 6)),
                                          ("730100000A", F(5, 6)), ("730 100-0001", 1), (7301000001, 1),
                                          ("RR473124829CN", F(5, 6))])
def test_u7_07_express_ten_digits(paper, sheets, typed, share):
    confirmation(sheets, "快递")[2] = typed
    assert points(paper, "U7-07", sheets) == share


def test_u7_07_checked_against_the_method_on_its_own_row(paper, sheets):
    row = confirmation(sheets, "邮政小包")
    row[1], row[2] = "快递", "7301999999"  # shipping says postal; this row names express, with its number
    assert points(paper, "U7-07", sheets) == 1
    row[2] = "RR473124829CN"  # an S10 number on an express row
    assert points(paper, "U7-07", sheets) == F(5, 6)


def test_u7_07_unknown_method_missing_row_and_empty_number(paper, sheets):
    rows = sheets[CONFIRM]
    rows[1][1] = "平邮"
    del rows[2]
    rows[2][2] = None
    got, evidence = grade(paper, "U7-07", sheets)
    assert got == F(1, 2)
    assert len(failures(evidence)) == 3


def test_u7_07_only_shipped_orders_count(paper, sheets):
    sheets[CONFIRM].append(["SO26110008", "快递", "123", dt.date(2026, 11, 25)])  # not shipped: ignored
    assert points(paper, "U7-07", sheets) == 1


# ---------------------------------------------------------------- the key's guarantees


def test_the_papers_key_meets_its_guarantees(paper):
    params = criterion(paper, "U7-01").params
    assert guarantees(paper.key, params) == []


def parcel_of(key, pid):
    return next(p for p in key["logistics"]["parcels"] if p["parcel_id"] == pid)


@pytest.mark.parametrize("edit, problem", [
    (lambda k: parcel_of(k, "P02").update(weight_kg=31), ("urgent parcel P02 is not eligible for express: "
                                                         "weight 31 kg > 30 kg")),
    (lambda k: parcel_of(k, "P01").update(order_id="SO26110003"),
     "parcel P01 maps to SO26110003, which is not a shipped order"),
    (lambda k: parcel_of(k, "P02").update(parcel_id="P01"), "two parcels share the same parcel_id"),
    (lambda k: parcel_of(k, "P02").update(order_id="SO26110001"), "two parcels share the same order_id"),
    (lambda k: parcel_of(k, "P04").update(destination="NZ"), "parcel P04: no method is eligible"),
    (lambda k: k["logistics"]["opening_stock"].update({"HKB100-BLK-500": 0}),
     "closing stock of HKB100-BLK-500 would be -1"),
    (lambda k: k["logistics"]["methods"]["express"].pop("tracking"),
     "method express states no tracking number form"),
    (lambda k: k["logistics"]["arrivals"][0].update(date="20 Nov"),
     "logistics materials malformed: arrivals[0]"),
    (lambda k: k["logistics"]["methods"]["postal"].update(billing="flat"), "logistics materials malformed"),
    (lambda k: k["logistics"].update(tracking_country="China"), "tracking_country must be a two-letter"),
])
def test_a_bad_key_is_refused(paper, fresh_key, edit, problem):
    edit(fresh_key)
    problems = guarantees(fresh_key, criterion(paper, "U7-01").params)
    assert any(p.startswith(problem) for p in problems), problems


def test_rubric_methods_must_be_the_materials(paper):
    params = dict(criterion(paper, "U7-01").params)
    params["methods"] = {**params["methods"], "sea": ["海运"]}
    assert guarantees(paper.key, params) == [
        ("the rubric names methods ['e_packet', 'express', 'postal', 'sea'], the materials "
        "['e_packet', 'express', 'postal']")]


def test_load_paper_refuses_a_key_breaking_a_guarantee(tmp_path):
    key_dir = tmp_path / "answer_keys" / "2026A"
    shutil.copytree(REPO_ROOT / "answer_keys" / "2026A", key_dir)
    path = key_dir / "logistics.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('order_id = "SO26110007"', 'order_id = "SO26110006"'), encoding="utf-8")
    (tmp_path / "rubrics").mkdir()
    shutil.copy(REPO_ROOT / "rubrics" / "2026A.toml", tmp_path / "rubrics" / "2026A.toml")
    with pytest.raises(PaperError, match="U7-01's guarantee: parcel P03 maps to SO26110006"):
        load_paper(tmp_path / "rubrics" / "2026A.toml")


# ---------------------------------------------------------------- the sample's defects


@pytest.mark.parametrize("defect", u7.DEFECTS, ids=lambda d: d.name)
def test_sample_defect_points(paper, defect):
    drafts = copy.deepcopy(u7.perfect(paper.key))
    defect.apply(drafts, paper.key)
    book = drafts["u7_logistics"].sheets
    want = {**FULL, **defect.expected}
    got = {cid: points(paper, cid, book) for cid in FULL}
    assert got == {k: F(v) for k, v in want.items()}


def test_every_criterion_has_a_defect():
    touched = {cid for d in u7.DEFECTS for cid, v in d.expected.items() if F(v) < FULL[cid]}
    assert touched == set(FULL)


def test_checks_state_their_rule():
    for name in ("parcel_methods", "parcel_chargeable_weights", "parcel_freights", "inbound_rows",
                 "outbound_rows", "closing_stock", "tracking_numbers"):
        doc = REGISTRY[name].doc
        assert "Okay" in doc and "Fails" in doc, name


@pytest.mark.parametrize("column, value, shown", [(3, "2026/11/20", "'2026/11/20' (not a date)"),
                                                  (1, "fifty", "'fifty' (not a whole number)")])
def test_u7_04_an_unreadable_value_is_quoted_as_typed(paper, sheets, column, value, shown):
    """Not '?': the examiner sees what the candidate typed, and what it is not."""
    sheets[INBOUND][1][column] = value
    _, evidence = grade(paper, "U7-04", sheets)
    [extra] = [e for e in failures(evidence) if e.startswith("row 2 ")]
    assert shown in extra and "?" not in extra


def test_u7_04_a_row_shows_its_values_as_typed_in_both_languages(paper, sheets):
    """A serial keeps its date beside it; what a value is not is said in Chinese in the Chinese."""
    day = sheets[INBOUND][1][3]
    serial = (day - dt.date(1899, 12, 30)).days
    sheets[INBOUND][1][1] = "fifty"
    sheets[INBOUND][2][3] = serial
    sheets[INBOUND][2][1] = 999
    _, evidence = grade(paper, "U7-04", sheets)
    rows = {e.message.split(" (", 1)[0]: e for e in evidence if e.message.startswith("row ")}
    sku, warehouse = sheets[INBOUND][1][0], sheets[INBOUND][1][2]
    assert rows["row 2"].message_zh == f"第 2 行（{sku} 'fifty'（不是整数） {warehouse} {day.isoformat()}）不在材料中或重复"
    sku, warehouse = sheets[INBOUND][2][0], sheets[INBOUND][2][2]
    assert rows["row 3"].found == f"{sku} 999 {warehouse} {serial} (= {day.isoformat()})"
