"""Paper-generic tests: every paper in rubrics/ loads, adds up, and grades the demo generator's
candidates made from its own key — the perfect one to exactly 100, each declared failure of a
check to exactly the points the rubric gives it."""
from __future__ import annotations

import shutil
from fractions import Fraction

import pytest
from click.testing import CliRunner
from helpers import result

from grader.checks import load_all
from grader.cli import main
from grader.paper import load_paper
from grader.samples import anypaper, write_candidate

# Criteria whose check has no mistake that costs them alone on this paper (see failures.py):
# U5-03 of 2026A is the rewrite similarity, which a title passing U5-01 and U5-02 cannot fail.
NO_FAILURE = {"2026A": {"U5-03"}}


@pytest.fixture(scope="module")
def loaded(each_rubric):
    return load_paper(each_rubric)


@pytest.fixture(scope="module")
def graded(loaded, tmp_path_factory):
    """A disc of the perfect candidate (ks01) and one candidate per round of declared failures
    (round n: the n-th failure of every unit), graded; with the defects of each candidate."""
    from grader.pipeline import grade_disc

    disc = tmp_path_factory.mktemp("disc") / loaded.id
    write_candidate(disc / "ks01", anypaper.perfect(loaded))
    lists = list(anypaper.failures(loaded).values())
    rounds = [[d[n] for d in lists if n < len(d)] for n in range(max(len(d) for d in lists))]
    defects = {}
    for n, round_ in enumerate(rounds, start=2):
        drafts = anypaper.perfect(loaded)
        for defect in round_:
            defect.apply(drafts, loaded.key)
        write_candidate(disc / f"ks{n:02d}", drafts)
        defects[f"ks{n:02d}"] = round_
    (disc / "exam.toml").write_text(f'paper = "{loaded.id}"\nsimilarity = false\n', encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    grade_disc(disc, loaded, out, jobs=2)
    return out, defects


def test_the_paper_loads_and_is_listed(each_rubric, loaded):
    assert loaded.id == each_rubric.stem
    listed = CliRunner().invoke(main, ["papers"])
    assert listed.exit_code == 0, listed.output
    assert any(line.split()[0] == loaded.id for line in listed.output.splitlines() if line.strip())


def test_points_add_up(loaded):
    registry = load_all()
    assert sum(u.weight for u in loaded.units) == 100
    for unit in loaded.units:
        assert sum(c.points for c in unit.criteria) == unit.weight, unit.id
        assert all(c.check in registry for c in unit.criteria)


def test_the_standards_unit_weights(loaded):
    assert [u.weight for u in loaded.units] == [10, 15, 15, 5, 20, 5, 10, 20]


def test_perfect_candidate_from_the_key_scores_100(graded, loaded):
    out, _ = graded
    perfect = result(out, "ks01")
    assert perfect["total"] == "100"
    assert (perfect["status"], perfect["flags"]) == ("graded", [])
    assert {c["id"]: c["points"] for u in perfect["units"] for c in u["criteria"]} == {
        c.id: str(c.points) for c in loaded.criteria()}


def test_each_declared_failure_costs_exactly_its_points(graded, loaded):
    out, defects = graded
    problems = []
    for user, round_ in defects.items():
        got = {c["id"]: Fraction(c["points"]) for u in result(out, user)["units"] for c in u["criteria"]}
        want = {c.id: c.points for c in loaded.criteria()}
        for defect in round_:
            want.update(defect.expected)
        problems += [f"{user} {cid}: expected {want[cid]}, got {got[cid]} ({[d.name for d in round_]})"
                     for cid in want if got[cid] != want[cid]]
    assert not problems, "\n".join(problems)


def test_every_criterion_has_a_declared_failure(loaded):
    covered = {d.name.split(":")[0] for ds in anypaper.failures(loaded).values() for d in ds}
    assert {c.id for c in loaded.criteria()} - covered == NO_FAILURE.get(loaded.id, set())


def test_every_failure_loses_something(loaded):
    for defects in anypaper.failures(loaded).values():
        for defect in defects:
            criterion = loaded.criterion(defect.name.split(":")[0])
            assert defect.expected[criterion.id] < criterion.points, defect.name


def test_sample_refuses_a_paper_it_cannot_make_in_one_line(tmp_path):
    """A paper asking for more PT images than the materials have photos: one line, no traceback."""
    from conftest import REPO

    papers = tmp_path / "papers"
    shutil.copytree(REPO / "answer_keys" / "2026B", papers / "answer_keys" / "2026B")
    (papers / "rubrics").mkdir()
    text = (REPO / "rubrics" / "2026B.toml").read_text(encoding="utf-8").replace("min_pt = 2,", "min_pt = 5,")
    (papers / "rubrics" / "2026B.toml").write_text(text, encoding="utf-8")
    outcome = CliRunner().invoke(main, ["sample", str(tmp_path / "demo"), "--paper",
                                        str(papers / "rubrics" / "2026B.toml")])
    assert outcome.exit_code == 1, outcome.output
    assert outcome.output == "Error: paper 2026B: 4 photos besides the main one, 5 PT images needed\n"
    assert not (tmp_path / "demo").exists()


def test_the_generator_writes_the_same_bytes_every_time(loaded, tmp_path):
    """Same paper, same candidate: every file of the perfect candidate byte for byte."""
    import hashlib

    def written(folder):
        write_candidate(folder, anypaper.perfect(loaded))
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    first = written(tmp_path / "a")
    assert first and first == written(tmp_path / "b")
