"""The gradebook sheets of summary.xlsx: statistics checked against values worked out by hand.

The small disc: four candidates who each hand in only u6_orders.xlsx (every other unit
scores 0) and one absent candidate. Unit 6 points, from the key's 20 orders:

    ks01  every order right                            U6-01 1  U6-02 2    U6-03 2    total 5
    ks02  order 5 left out                             U6-01 0  U6-02 1.9  U6-03 1.9  total 3.8
    ks03  audits of orders 1 and 3 reversed            U6-01 1  U6-02 1.8  U6-03 2    total 4.8
    ks04  statuses of orders 2, 6, 9 wrong + unknown   U6-01 0  U6-02 2    U6-03 1.7  total 3.7
    ks05  absent (not in the statistics)
"""
from __future__ import annotations

import math
import zipfile
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from grader.report import gradebook
from grader.report.summary import SummaryRow

OTHER_STATUS = {"shipped": "退单", "unshipped": "已发货", "out_of_stock": "已发货", "rejected": "已发货",
                "returned": "已发货"}
AUDIT = {"pass": "通过", "fail": "不通过"}
STATUS = {"shipped": "已发货", "unshipped": "未发货", "out_of_stock": "缺货", "rejected": "拒单", "returned": "退单"}


# ---------------------------------------------------------------- the small disc (used by the other report tests)


def order_rows(key) -> list[list]:
    rows = [["订单号", "审核", "状态", "备注"]]
    for order in key["orders"]:
        rows.append([order["order_id"], AUDIT[order["audit"]], STATUS[order["status"]], ""])
    return rows


def write_orders(folder: Path, rows: list[list]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "订单"
    for row in rows:
        sheet.append(row)
    book.save(folder / "u6_orders.xlsx")


def small_disc_rows(key) -> dict[str, list[list]]:
    perfect = order_rows(key)
    dropped = [r[:] for r in perfect]
    del dropped[5]
    audits = [r[:] for r in perfect]
    for index in (1, 3):
        audits[index][1] = "不通过" if audits[index][1] == "通过" else "通过"
    statuses = [r[:] for r in perfect]
    for index in (2, 6, 9):
        statuses[index][2] = OTHER_STATUS[key["orders"][index - 1]["status"]]
    statuses.append(["SO26119999", "通过", "已发货", ""])
    return {"ks01": perfect, "ks02": dropped, "ks03": audits, "ks04": statuses}


def write_small_disc(disc: Path, key, names: dict[str, str] | None = None,
                     extra: dict[str, list[list]] | None = None) -> Path:
    """The disc above; ``names`` replaces roster names, ``extra`` adds unrostered folders."""
    names = names or {}
    users = small_disc_rows(key)
    for user, rows in users.items():
        write_orders(disc / user, rows)
    for user, rows in (extra or {}).items():
        write_orders(disc / user, rows)
    roster = ["用户名,准考证号,姓名"]
    for n, user in enumerate([*users, "ks05"], start=1):
        name = names.get(user, f"考生{n:02d}").replace('"', '""')
        roster.append(f'{user},2026B{n:04d},"{name}"')
    (disc / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8-sig")
    return disc


@pytest.fixture(scope="module")
def graded(tmp_path_factory, paper):
    from grader.pipeline import grade_disc

    base = tmp_path_factory.mktemp("gradebook")
    disc = write_small_disc(base / "disc", paper.key)
    run = grade_disc(disc, paper, base / "out", jobs=1)
    return run


def criterion_index(paper, criterion_id: str) -> int:
    return [c.id for c in paper.criteria()].index(criterion_id)


# ---------------------------------------------------------------- the points table


def test_rows_hold_the_hand_worked_points(graded, paper):
    rows = {r.user: r for r in graded.rows}
    expected = {"ks01": ("1", "2", "2"), "ks02": ("0", "19/10", "19/10"), "ks03": ("1", "9/5", "2"),
                "ks04": ("0", "2", "17/10")}
    for user, points in expected.items():
        got = tuple(rows[user].criteria[criterion_index(paper, c)] for c in ("U6-01", "U6-02", "U6-03"))
        assert got == tuple(Fraction(p) for p in points), user
        assert rows[user].total == sum(got)
    assert rows["ks05"].status == "absent"


# ---------------------------------------------------------------- statistics


def unit(stats, unit_id):
    return next(s for s in stats if s.unit == unit_id)


def test_unit_6_statistics(graded, paper):
    u6 = unit(gradebook.unit_statistics(graded.rows, paper), "U6")
    assert u6.n == 4  # the absent candidate is left out
    assert u6.mean == pytest.approx(17.3 / 4)  # (5 + 3.8 + 4.8 + 3.7) / 4 = 4.325
    assert u6.median == pytest.approx(4.3)  # (3.8 + 4.8) / 2
    assert u6.sd == pytest.approx(math.sqrt(1.3475 / 3))  # squared deviations 0.455625 + 0.275625 + …
    assert (u6.lowest, u6.highest) == (pytest.approx(3.7), pytest.approx(5))
    assert u6.pass_rate == 1  # every one ≥ 60% of 5 = 3
    # alpha = 3/2 × (1 − (1/3 + 0.0275/3 + 0.06/3) / (1.3475/3)) = 0.39 / 1.3475
    assert u6.alpha == pytest.approx(0.39 / 1.3475)
    assert u6.items == 3


def test_unit_with_no_varying_criterion_has_no_alpha(graded, paper):
    u1 = unit(gradebook.unit_statistics(graded.rows, paper), "U1")
    assert (u1.mean, u1.median, u1.pass_rate, u1.alpha, u1.items) == (0, 0, 0, None, 0)


def test_total_statistics(graded, paper):
    total = unit(gradebook.unit_statistics(graded.rows, paper), "total")
    assert total.n == 4
    assert total.mean == pytest.approx(4.325)
    assert total.pass_rate == 0
    # only the three unit-6 criteria vary, so the overall alpha is unit 6's
    assert total.alpha == pytest.approx(0.39 / 1.3475)
    assert total.items == 3


def item(stats, criterion_id):
    return next(s for s in stats if s.criterion == criterion_id)


@pytest.mark.parametrize("criterion_id, mean, facility, discrimination, zero, full", [
    # U6-01 = 1 0 1 0 against the rest 4 3.8 3.8 3.7: Σxy 0.15 / √(1 × 0.0475)
    ("U6-01", 0.5, 0.5, 0.15 / math.sqrt(1 * 0.0475), 0.5, 0.5),
    # U6-02 = 2 1.9 1.8 2 against 3 1.9 3 1.7: −0.07 / √(0.0275 × 1.46)
    ("U6-02", 1.925, 0.9625, -0.07 / math.sqrt(0.0275 * 1.46), 0, 0.5),
    # U6-03 = 2 1.9 2 1.7 against 3 1.9 2.8 2: 0.18 / √(0.06 × 0.9275)
    ("U6-03", 1.9, 0.95, 0.18 / math.sqrt(0.06 * 0.9275), 0, 0.5),
])
def test_item_statistics(graded, paper, criterion_id, mean, facility, discrimination, zero, full):
    s = item(gradebook.item_statistics(graded.rows, paper), criterion_id)
    assert s.n == 4
    assert s.mean == pytest.approx(mean)
    assert s.facility == pytest.approx(facility)
    assert s.discrimination == pytest.approx(discrimination)
    assert s.zero_share == pytest.approx(zero)
    assert s.full_share == pytest.approx(full)


def test_item_every_candidate_scored_alike_has_no_discrimination(graded, paper):
    s = item(gradebook.item_statistics(graded.rows, paper), "U1-01")
    assert (s.mean, s.facility, s.discrimination, s.zero_share, s.full_share) == (0, 0, None, 1, 0)


def test_histogram_bands_include_their_lower_end_and_100():
    def row(total):
        return SummaryRow("u", "", "", "graded", (), Fraction(total), total >= 60, (), (Fraction(total),))

    class Paper:
        pass_mark = Fraction(60)

    rows = [row(0), row(Fraction(599, 10)), row(60), row(Fraction(9999, 100)), row(100),
            SummaryRow("a", "", "", "absent", (), Fraction(0), False, (), (Fraction(0),))]
    bands = gradebook.histogram(rows, Paper)
    assert [b.label for b in bands][:2] == ["0–10", "10–20"] and bands[-1].label == "90–100"
    assert [b.count for b in bands] == [1, 0, 0, 0, 0, 1, 1, 0, 0, 2]  # 59.9 below, 60 in, 100 in the top band
    assert [b.passing for b in bands] == [False] * 6 + [True] * 4


def test_cronbach_alpha_needs_two_varying_items():
    import pandas as pd

    assert gradebook.cronbach_alpha(pd.DataFrame({"a": [1.0, 0.0], "b": [1.0, 1.0]})) == (None, 1)
    alpha, k = gradebook.cronbach_alpha(pd.DataFrame({"a": [1.0, 0.0, 1.0], "b": [1.0, 0.0, 0.0]}))
    # var a = var b = 1/3, var(a + b) = 1: 2 × (1 − 2/3) = 2/3
    assert (alpha, k) == (pytest.approx(2 / 3), 2)


@pytest.mark.parametrize("count, top, step", [(0, 1, 1), (1, 1, 1), (8, 8, 1), (11, 12, 2), (37, 40, 5)])
def test_axis_top(count, top, step):
    assert gradebook.axis_top(count) == (top, step)


# ---------------------------------------------------------------- the workbook


@pytest.fixture(scope="module")
def book(graded):
    return openpyxl.load_workbook(graded.out / "summary.xlsx")


def sheet_rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_has_the_new_sheets(book):
    assert book.sheetnames[:5] == ["summary", "units", "items", "flags", "overrides"]


def test_units_sheet_values(book):
    rows = {r[0]: r for r in sheet_rows(book["units"]) if r[0]}
    u6 = rows["U6"]
    assert u6[2:6] == [5, 4, pytest.approx(4.325), pytest.approx(4.3)]
    assert u6[9] == 1 and u6[10] == pytest.approx(0.289425, abs=1e-6) and u6[11] == 3
    assert rows["总分 total"][4] == pytest.approx(4.325)
    band_rows = {r[0]: r for r in sheet_rows(book["units"]) if isinstance(r[0], str) and "–" in r[0]}
    assert band_rows["0–10"][3] == 4 and band_rows["90–100"][3] == 0


def test_items_sheet_values(book):
    rows = {r[0]: r for r in sheet_rows(book["items"])[1:]}
    assert rows["U6-02"][5:10] == [pytest.approx(1.925), pytest.approx(0.9625),
                                   pytest.approx(-0.349346, abs=1e-6), 0, 0.5]
    assert rows["U1-01"][7] is None


def test_flags_sheet_lists_every_flag(book, graded):
    listed = sheet_rows(book["flags"])[1:]
    expected = sum(len(r.flag_records) for r in graded.rows)
    assert len(listed) == expected
    assert all(r[2] and r[4] and r[6] for r in listed)  # candidate, code, reason


def test_two_native_charts(graded):
    with zipfile.ZipFile(graded.out / "summary.xlsx") as archive:
        names = archive.namelist()
        charts = sorted(n for n in names if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        assert not [n for n in names if n.startswith("xl/media/")]  # drawn by Excel, no pictures
        histogram, means = (archive.read(n).decode() for n in charts)
    assert "<c:barChart>" in histogram or "<barChart>" in histogram
    assert "scatterChart>" in histogram and "合格线" in histogram  # the pass line
    assert "barChart>" in means and "Unit means" in means


def test_the_workbook_prints_on_a4_landscape_with_its_headers_on_every_page(book):
    for ws in (book[name] for name in ("summary", "units", "items", "flags", "overrides")):
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes == "A2"
    summary = book["summary"]
    assert summary.auto_filter.ref == f"A1:{summary.cell(1, summary.max_column).column_letter}{summary.max_row}"


def test_chart_helpers_live_on_a_hidden_last_sheet(book):
    assert book.sheetnames[-1] == "chart data" and book["chart data"].sheet_state == "hidden"
    assert [c.value for c in book["chart data"]["A"]][1:] == [6.0, 6.0]
    units = [list(r) for r in book["units"].iter_rows(values_only=True)]
    assert all(v is None for r in units for v in r[5:7] if isinstance(r[0], str) and "–" in r[0])
