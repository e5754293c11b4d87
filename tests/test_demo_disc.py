"""The generated demo discs of both papers: every candidate gets exactly the points, status and flags
expected.json states, and the committed discs are what `grade sample` writes."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import REPO, load_result

from grader.paper import load_paper
from grader.samples import write_demo_disc

DEMOS = ("2026A", "2026B")


@pytest.fixture(scope="module", params=DEMOS)
def demo(request, tmp_path_factory):
    """(paper, disc, results) of a paper's demo disc, written fresh and graded once."""
    if request.param == "2026A":  # the session's demo disc, which other tests share
        return (request.getfixturevalue("paper"), request.getfixturevalue("demo_disc"),
                request.getfixturevalue("demo_results"))
    from grader.pipeline import grade_disc

    paper = load_paper(REPO / "rubrics" / f"{request.param}.toml")
    disc = tmp_path_factory.mktemp("disc") / f"{request.param}-demo"
    write_demo_disc(disc, paper)
    out = tmp_path_factory.mktemp("reports")
    grade_disc(disc, paper, out, jobs=2)
    return paper, disc, out


def expected_candidates(disc):
    return json.loads((disc / "expected.json").read_text(encoding="utf-8"))["candidates"]


def test_every_candidate_has_a_result(demo):
    _, disc, results = demo
    written = sorted(p.stem for p in (results / "candidates").glob("*.json"))
    assert written == sorted(expected_candidates(disc))


def test_points_per_criterion_equal_expected(demo):
    _, disc, results = demo
    problems = []
    for user, want in expected_candidates(disc).items():
        result = load_result(results, user)
        got = {c["id"]: c["points"] for u in result["units"] for c in u["criteria"]}
        for criterion, points in want["criteria"].items():
            if got[criterion] != points:
                evidence = next(c["evidence"] for u in result["units"] for c in u["criteria"]
                                if c["id"] == criterion)
                problems.append(f"{user} {criterion}: expected {points}, got {got[criterion]} "
                                f"({want['defects']}; {[e['message'] for e in evidence if not e['ok']][:3]})")
    assert not problems, "\n".join(problems)


def test_status_and_flags_equal_expected(demo):
    _, disc, results = demo
    problems = []
    for user, want in expected_candidates(disc).items():
        result = load_result(results, user)
        codes = sorted({f["code"] for f in result["flags"]})
        if codes != want["flags"] or result["status"] != want["status"]:
            problems.append(f"{user}: expected {want['status']} {want['flags']}, got {result['status']} {codes} "
                            f"{[f['reason'] for f in result['flags'] if f['code'] not in want['flags']][:3]}")
    assert not problems, "\n".join(problems)


def test_perfect_candidate_scores_every_unit_in_full(demo):
    paper, _, results = demo
    result = load_result(results, "ks01")
    assert {u["id"]: u["points"] for u in result["units"]} == {u.id: str(u.weight) for u in paper.units}
    assert result["total"] == "100" and result["status"] == "graded" and result["flags"] == []


def test_each_defect_candidate_loses_exactly_what_its_defects_state(demo):
    """Every defect candidate's total is 100 less the points its defects declare lost."""
    paper, disc, results = demo
    for user, want in expected_candidates(disc).items():
        if not want["defects"] or want["status"] == "absent" or user == "ks01":
            continue
        result = load_result(results, user)
        lost = sum((paper.criterion(c).points - _fraction(p) for c, p in want["criteria"].items()), start=0)
        assert _fraction(result["total"]) == 100 - lost, (user, want["defects"])


def _fraction(text: str):
    from fractions import Fraction

    return Fraction(text)


@pytest.mark.parametrize("paper_id", DEMOS)
def test_committed_demo_disc_is_what_the_generator_writes(paper_id, tmp_path):
    """sample_submissions/<paper>-demo must be regenerated after a scoring change (grade sample)."""
    committed = REPO / "sample_submissions" / f"{paper_id}-demo"
    fresh = tmp_path / f"{paper_id}-demo"
    write_demo_disc(fresh, load_paper(REPO / "rubrics" / f"{paper_id}.toml"))

    def contents(root: Path):
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert contents(committed) == contents(fresh)


@pytest.mark.parametrize("paper_id", DEMOS)
def test_demo_disc_stays_small(paper_id):
    committed = REPO / "sample_submissions" / f"{paper_id}-demo"
    assert sum(p.stat().st_size for p in committed.rglob("*") if p.is_file()) < 2 * 1024 * 1024


def test_2026b_candidates_write_the_rubrics_own_names():
    """The generator names sheets and headers as the rubric's deliverables do: English only in
    2026B's unit 6, Chinese only in its unit 7, its own file and slot names."""
    from openpyxl import load_workbook

    ks01 = REPO / "sample_submissions" / "2026B-demo" / "ks01"
    orders = load_workbook(ks01 / "u6_order_review.xlsx", read_only=True)
    assert orders.sheetnames == ["order list"]
    assert [c.value for c in next(orders["order list"].iter_rows(max_row=1))] == [
        "order number", "audit result", "order status", "remark"]
    logistics = load_workbook(ks01 / "u7_shipping.xlsx", read_only=True)
    assert logistics.sheetnames == ["运费测算", "入库单", "出库单", "库存结余", "发货登记"]
    assert [c.value for c in next(logistics["运费测算"].iter_rows(max_row=1))] == [
        "包裹编号", "发货渠道", "计费重(kg)", "运费(元)"]
    service = ks01 / "u8_customer_care"
    assert sorted(p.relative_to(service).as_posix() for p in service.rglob("*") if p.is_file()) == [
        "answers/answer_1.txt", "answers/answer_2.txt", "mailbox_setup.xlsx", "templates/delayed_shipping.txt",
        "templates/out_of_stock.txt", "templates/return.txt"]
