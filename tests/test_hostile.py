"""Hostile and broken files: each is a flag on its candidate, the batch goes on, others are unchanged."""
from __future__ import annotations

import pytest
from helpers import make_candidate, result, unit_points
from hostile import BENIGN, BENIGN_IMAGES, CASES, make_corpus

from grader.pipeline import grade_disc

NO_SIMILARITY = "similarity = false\n"


@pytest.fixture(scope="module")
def graded(tmp_path_factory, paper):
    disc = tmp_path_factory.mktemp("hostile") / "disc"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks02", paper, defects=[])
    make_corpus(disc, paper)
    (disc / "exam.toml").write_text(NO_SIMILARITY, encoding="utf-8")  # the carriers are copies of one another
    out = tmp_path_factory.mktemp("out")
    grade_disc(disc, paper, out, jobs=2)
    return disc, out


@pytest.mark.parametrize("case", CASES, ids=[c.user for c in CASES])
def test_each_hostile_case_is_flagged_with_its_file(graded, case):
    _, out = graded
    flags = [f for f in result(out, case.user)["flags"] if f["code"] == case.code]
    assert flags, result(out, case.user)["flags"]
    assert case.file in [f["file"] for f in flags]
    assert all(f["reason"] for f in flags)


@pytest.mark.parametrize("user", [u for u, _ in BENIGN])
def test_benign_oddities_are_graded(graded, user):
    _, out = graded
    assert unit_points(out, user)["U6"] == "5" and unit_points(out, user)["U1"] == "10"


def test_hostile_run_leaves_good_candidates_byte_identical(graded, paper, tmp_path):
    _, out = graded
    clean = tmp_path / "clean"
    make_candidate(clean / "ks01", paper)
    make_candidate(clean / "ks02", paper)
    (clean / "exam.toml").write_text(NO_SIMILARITY, encoding="utf-8")
    clean_out = tmp_path / "clean-out"
    grade_disc(clean, paper, clean_out, jobs=1)
    for user in ("ks01", "ks02"):
        assert (out / "candidates" / f"{user}.json").read_bytes() == \
            (clean_out / "candidates" / f"{user}.json").read_bytes()


def test_billion_laughs_and_external_entity_are_not_expanded(graded):
    _, out = graded
    for user in ("h03", "h04"):
        text = (out / "candidates" / f"{user}.json").read_text(encoding="utf-8")
        assert "lollollol" not in text and "root:x:0" not in text


@pytest.mark.parametrize("user", [u for u, _ in BENIGN_IMAGES])
def test_images_in_other_formats_are_graded_by_their_real_format(graded, user):
    _, out = graded
    points = {c["id"]: c["points"] for u in result(out, user)["units"] for c in u["criteria"]}
    assert points["U4-02"] == "0"  # a GIF, WebP or 16-bit PNG named .jpg/.png is not what U4-02 asks
    assert unit_points(out, user)["U1"] == "10"
