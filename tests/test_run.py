"""A run: the disc is only read, results are byte-identical, a corrupt file is isolated."""
from __future__ import annotations

import json

from helpers import flag_codes, make_candidate, result, tree_digest, unit_points

from grader.pipeline import grade_disc


def test_the_disc_is_never_written(demo_disc, paper, tmp_path):
    before = tree_digest(demo_disc)
    grade_disc(demo_disc, paper, tmp_path / "out", jobs=2)
    assert tree_digest(demo_disc) == before


def test_reports_folder_inside_the_disc_is_refused(demo_disc, paper):
    import pytest

    from grader.errors import DiscError

    with pytest.raises(DiscError, match="inside the disc"):
        grade_disc(demo_disc, paper, demo_disc / "reports", jobs=1)


def test_two_runs_give_byte_identical_candidate_json(demo_disc, paper, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    grade_disc(demo_disc, paper, first, jobs=1)
    grade_disc(demo_disc, paper, second, jobs=2)
    names = sorted(p.name for p in (first / "candidates").glob("*.json"))
    assert names == sorted(p.name for p in (second / "candidates").glob("*.json"))
    for name in names:
        assert (first / "candidates" / name).read_bytes() == (second / "candidates" / name).read_bytes(), name


def test_a_corrupt_workbook_is_isolated(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks02", paper)
    (disc / "ks02" / "u1_accounts.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    assert unit_points(out, "ks01")["U1"] == "10"
    assert unit_points(out, "ks02")["U1"] == "0" and unit_points(out, "ks02")["U6"] == "5"
    flag = next(f for f in result(out, "ks02")["flags"] if f["code"] == "unreadable-file")
    assert flag["file"] == "u1_accounts.xlsx" and flag["unit"] == "U1" and "xlsx" in flag["reason"]
    evidence = result(out, "ks02")["units"][0]["criteria"][0]["evidence"][0]
    assert evidence["message"] == "u1_accounts could not be read"


def test_nothing_readable_is_status_unreadable(tmp_path, paper):
    disc = tmp_path / "disc"
    (disc / "ks01").mkdir(parents=True)
    (disc / "ks01" / "u1_accounts.xlsx").write_bytes(b"garbage")
    make_candidate(disc / "ks02", paper)  # a disc where no one is readable fails loud (test_disc_faults)
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    assert result(out, "ks01")["status"] == "unreadable"
    assert "unreadable-file" in flag_codes(out, "ks01")


def test_a_crashing_check_is_a_flag_on_that_candidate_only(tmp_path, paper, monkeypatch):
    from grader.checks import REGISTRY

    original = REGISTRY["order_list"]

    import dataclasses

    import grader.pipeline

    reader = grader.pipeline.read_submission

    def marked(folder, *args, **kwargs):  # ks02's listing carries a mark its check trips over
        reading = reader(folder, *args, **kwargs)
        return dataclasses.replace(reading, files=(*reading.files, "BOOM")) if folder.name == "ks02" else reading

    def explode(ctx):
        if "BOOM" in ctx.files:
            raise RuntimeError("boom")
        return original.func(ctx)

    monkeypatch.setattr(grader.pipeline, "read_submission", marked)
    monkeypatch.setitem(REGISTRY, "order_list", original.__class__(**{**original.__dict__, "func": explode}))
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks02", paper)
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    assert unit_points(out, "ks01")["U6"] == "5"
    assert unit_points(out, "ks02")["U6"] == "4"
    flag = next(f for f in result(out, "ks02")["flags"] if f["code"] == "check-error")
    assert "U6-01" in flag["reason"] and "RuntimeError: boom" in flag["reason"]


def test_summary_and_manifest(demo_disc, demo_results, paper):
    from openpyxl import load_workbook

    expected = json.loads((demo_disc / "expected.json").read_text(encoding="utf-8"))["candidates"]
    csv_text = (demo_results / "summary.csv").read_bytes()
    assert csv_text.startswith(b"\xef\xbb\xbf")
    book = load_workbook(demo_results / "summary.xlsx")
    ws = book["summary"]
    assert ws.freeze_panes == "A2"
    assert ws.cell(1, 1).value == "准考证号\nCandidate no."
    users = [ws.cell(r, 3).value for r in range(2, ws.max_row + 1)]
    assert users == list(expected)  # roster order, then the folder not on the roster
    total_col = [c.value for c in ws[1]].index("总分\nTotal (100)") + 1
    assert isinstance(ws.cell(2, total_col).value, (int, float))
    manifest = json.loads((demo_results / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["paper"] == "2026A" and len(manifest["rubric"]["sha256"]) == 64
    paths = {i["path"] for i in manifest["inputs"]}
    assert "roster.csv" in paths and "ks01/u1_accounts.xlsx" in paths
