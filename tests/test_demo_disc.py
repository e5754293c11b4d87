"""The generated demo disc: every candidate gets exactly the points, status and flags expected.json states."""
from __future__ import annotations

import json

import pytest
from conftest import load_result


def expected_candidates(disc):
    return json.loads((disc / "expected.json").read_text(encoding="utf-8"))["candidates"]


def test_every_candidate_has_a_result(demo_disc, demo_results):
    expected = expected_candidates(demo_disc)
    written = sorted(p.stem for p in (demo_results / "candidates").glob("*.json"))
    assert written == sorted(expected)


def test_points_per_criterion_equal_expected(demo_disc, demo_results):
    problems = []
    for user, want in expected_candidates(demo_disc).items():
        result = load_result(demo_results, user)
        got = {c["id"]: c["points"] for u in result["units"] for c in u["criteria"]}
        for criterion, points in want["criteria"].items():
            if got[criterion] != points:
                evidence = next(c["evidence"] for u in result["units"] for c in u["criteria"]
                                if c["id"] == criterion)
                problems.append(f"{user} {criterion}: expected {points}, got {got[criterion]} "
                                f"({want['defects']}; {[e['message'] for e in evidence if not e['ok']][:3]})")
    assert not problems, "\n".join(problems)


def test_status_and_flags_equal_expected(demo_disc, demo_results):
    problems = []
    for user, want in expected_candidates(demo_disc).items():
        result = load_result(demo_results, user)
        codes = sorted({f["code"] for f in result["flags"]})
        if codes != want["flags"] or result["status"] != want["status"]:
            problems.append(f"{user}: expected {want['status']} {want['flags']}, got {result['status']} {codes} "
                            f"{[f['reason'] for f in result['flags'] if f['code'] not in want['flags']][:3]}")
    assert not problems, "\n".join(problems)


def test_perfect_candidate_scores_every_graded_unit_in_full(demo_results, paper):
    result = load_result(demo_results, "ks01")
    for unit in result["units"]:
        graded = all(c["graded"] for c in unit["criteria"])
        if graded:
            assert unit["points"] == str(paper.unit(unit["id"]).weight), unit["id"]


@pytest.mark.parametrize("unit_id, points", [("U1", "10"), ("U6", "5")])
def test_perfect_candidate_units_1_and_6(demo_results, unit_id, points):
    result = load_result(demo_results, "ks01")
    assert next(u for u in result["units"] if u["id"] == unit_id)["points"] == points


def test_committed_demo_disc_is_what_the_generator_writes(demo_disc):
    """sample_submissions/2026A-demo must be regenerated after a scoring change (grade sample)."""
    import hashlib
    from pathlib import Path

    committed = Path(__file__).resolve().parent.parent / "sample_submissions" / "2026A-demo"

    def contents(root):
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert contents(committed) == contents(demo_disc)


def test_demo_disc_stays_small():
    from pathlib import Path

    committed = Path(__file__).resolve().parent.parent / "sample_submissions" / "2026A-demo"
    assert sum(p.stat().st_size for p in committed.rglob("*") if p.is_file()) < 2 * 1024 * 1024
