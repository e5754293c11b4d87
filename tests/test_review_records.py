"""The deliverables as read, kept in the cache for the review page: every read record turns into
plain data and back unchanged, and the cache refuses data that names anything but a record."""
from __future__ import annotations

import datetime as dt
import doctest
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import orjson
import pytest

import grader.records.serial
import grader.review.page
from grader import cache
from grader.model import READ, FileRecord
from grader.records.serial import RecordDataError, from_data, to_data
from grader.records.tables import Cell, Row, Sheet, Workbook, sheet_grid


@pytest.mark.parametrize("module", [grader.records.serial, grader.review.page])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_every_record_of_the_demo_disc_comes_back_equal(demo_results, demo_disc, paper):
    """Graded from the disc, then read back from the cache alone: the same records, field by field."""
    from grader.read.submission import read_submission

    kinds = set()
    for user in ("ks01", "ks05", "ks12"):
        read = read_submission(demo_disc / user, paper, disc_root=demo_disc).records
        kept = cache.load_records(demo_results, user)
        assert kept == read
        kinds |= {type(r.parsed).__name__ for r in kept if r.state == READ}
    assert kinds == {"Workbook", "ImageFolder", "ServiceFolder"}


def test_values_keep_their_types():
    values = [None, True, 0, -7, 1 << 70, 12.99, float("inf"), "12,99", Fraction(9, 4), Decimal("0.10"),
              dt.datetime(2026, 11, 2, 8, 30), dt.date(2026, 11, 2), dt.time(8, 30), dt.timedelta(days=1, seconds=5),
              b"\xff\xd8", Path("disc/ks01"), ("a", 1), ["b", 2], {"k": ("v",)}, {3: "three"}]
    for value in values:
        back = from_data(orjson.loads(orjson.dumps(to_data(value))))
        assert back == value and type(back) is type(value), value


def test_a_workbook_keeps_every_sheet_as_a_grid():
    rows = [[("订单号", False), ("状态", False), (None, False)], [("SO1", False), ("已发货", False), ("", False)], []]
    grid = sheet_grid("订单", rows)
    assert (grid.rows, grid.rows_in_sheet, grid.columns_in_sheet, grid.cut) == (
        (("订单号", "状态"), ("SO1", "已发货")), 3, 3, False)
    assert (grid.at("B2"), grid.at("C9"), grid.at("AA1")) == ("已发货", None, None)
    book = Workbook("u6.xlsx", {"orders": Sheet("orders", "订单", "u6.xlsx", {"status": "B"},
                                                (Row(2, {"status": Cell("已发货", "B2")}),))}, grids=(grid,))
    record = FileRecord("u6_orders", ("u6_orders.xlsx",), READ, "u6.xlsx", parsed=book)
    assert from_data(to_data(record)) == record
    big = sheet_grid("big", [[(c, False) for c in range(60)]] * 600)
    assert (len(big.rows), len(big.rows[0]), big.rows_in_sheet, big.columns_in_sheet, big.cut) == (
        500, 52, 600, 60, True)


def test_data_naming_anything_but_a_record_is_refused():
    with pytest.raises(RecordDataError, match="not a read record .KeyError: 'Popen'"):
        from_data({"@": "Popen", "args": ["rm"]})
    with pytest.raises(RecordDataError, match="Cell has no field shell"):
        from_data({"@": "Cell", "value": 1, "shell": True})
    with pytest.raises(TypeError, match="a read record holds a set"):
        to_data({1, 2})


def test_a_sheet_of_many_rows_is_kept_up_to_the_grid(tmp_path, paper):
    from test_gradebook import order_rows, write_orders

    from grader.pipeline import grade_disc

    disc = tmp_path / "disc"
    rows = order_rows(paper.key)
    write_orders(disc / "ks01", rows + [[f"SO9{n:07d}", "通过", "已发货", ""] for n in range(700)])
    out = grade_disc(disc, paper, tmp_path / "out", jobs=1).out
    [orders] = [r for r in cache.load_records(out, "ks01") if r.name == "u6_orders"]
    [sheet] = orders.parsed.sheets.values()
    grid = orders.parsed.grid("订单")
    assert (len(sheet.rows), sheet.rows[0].number, sheet.rows[-1].number) == (500, 2, 501)
    assert (len(grid.rows), grid.rows_in_sheet, grid.cut) == (500, 721, True)
