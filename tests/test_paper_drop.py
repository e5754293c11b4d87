"""A paper may leave out any criterion: reader settings live in the deliverable specs, so the
paper still loads, and the perfect candidate keeps the full points of every criterion left.

Each case drops one criterion of 2026A and gives its points to a neighbour in its unit (so the
unit keeps its weight), then reads and grades the demo disc's perfect candidate, ks01, with it.
A criterion that another one follows (U8-02 follows U1-01's username rule) cannot be left out
alone: the paper is refused, naming the criterion that refers to it."""
from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import tomlkit

from grader.errors import PaperError
from grader.intake import CandidateEntry
from grader.paper import load_paper
from grader.read.submission import read_submission
from grader.score import grade_reading

REPO = Path(__file__).resolve().parent.parent
DISC = REPO / "sample_submissions" / "2026A-demo"
RUBRIC = REPO / "rubrics" / "2026A.toml"
ALL = [c["id"] for u in tomlkit.parse(RUBRIC.read_text(encoding="utf-8"))["units"] for c in u["criteria"]]
REFERRED = {"U1-01": "U8-02"}


@pytest.fixture(scope="module")
def papers_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("papers")
    shutil.copytree(REPO / "answer_keys" / "2026A", root / "answer_keys" / "2026A")
    (root / "rubrics").mkdir()
    return root


def without(criterion_id: str, folder: Path) -> tuple[Path, str]:
    """A copy of the rubric without ``criterion_id``, its points given to the next criterion of its
    unit (the previous one for the last); the rubric's path and the neighbour's id."""
    document = tomlkit.parse(RUBRIC.read_text(encoding="utf-8"))
    unit = next(u for u in document["units"] if any(c["id"] == criterion_id for c in u["criteria"]))
    ids = [c["id"] for c in unit["criteria"]]
    at = ids.index(criterion_id)
    neighbour = unit["criteria"][at + 1 if at + 1 < len(ids) else at - 1]
    dropped = unit["criteria"][at]
    points = Fraction(str(neighbour["points"])) + Fraction(str(dropped["points"]))
    neighbour["points"] = int(points) if points.denominator == 1 else str(points)
    del unit["criteria"][at]
    path = folder / "rubrics" / f"2026A-{criterion_id}.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path, str(neighbour["id"])


@pytest.mark.parametrize("criterion_id", [c for c in ALL if c not in REFERRED])
def test_a_paper_without_any_one_criterion_loads_and_grades_the_rest_in_full(papers_folder, criterion_id):
    path, neighbour = without(criterion_id, papers_folder)
    paper = load_paper(path)
    reading = read_submission(DISC / "ks01", paper, disc_root=DISC)
    result = grade_reading(CandidateEntry("ks01", folder=DISC / "ks01"), reading, paper)
    got = {c.id: c.points for u in result.units for c in u.criteria}
    full = {c.id: c.points for c in paper.criteria()}
    assert list(got) == [c for c in ALL if c != criterion_id]
    assert got == full and full[neighbour] > 0
    assert result.total == 100 and [f.code for f in result.flags] == []


@pytest.mark.parametrize("criterion_id, follower", sorted(REFERRED.items()))
def test_a_criterion_that_another_follows_cannot_be_left_out_alone(papers_folder, criterion_id, follower):
    path, _ = without(criterion_id, papers_folder)
    with pytest.raises(PaperError) as refused:
        load_paper(path)
    assert str(refused.value) == (f"{path.name}: criterion {follower}'s username_rule = '{criterion_id}' "
                                  "names no criterion of this rubric")


def test_unit_2_reads_the_sheet_and_column_names_the_paper_gives(papers_folder):
    """Renaming a sheet and a column in the deliverable spec and in the criteria's parameters alike
    (the candidates' headers still found by their aliases) grades the perfect candidate in full."""
    text = RUBRIC.read_text(encoding="utf-8")
    text = text.replace("[deliverables.u2_selection.sheets.board]\naliases = [",
                        '[deliverables.u2_selection.sheets.kanban]\naliases = ["board", ')
    text = text.replace('columns.price_usd = ["售价"', 'columns.sale_price = ["price_usd", "售价"')
    text = text.replace('board = "board"', 'board = "kanban"').replace('price_column = "price_usd"',
                                                                      'price_column = "sale_price"')
    path = papers_folder / "rubrics" / "2026A-renamed.toml"
    path.write_text(text, encoding="utf-8")
    paper = load_paper(path)
    assert "kanban" in {s.name for s in paper.deliverables["u2_selection"].sheets}
    reading = read_submission(DISC / "ks01", paper, disc_root=DISC)
    result = grade_reading(CandidateEntry("ks01", folder=DISC / "ks01"), reading, paper)
    unit = next(u for u in result.units if u.id == "U2")
    assert [(c.id, c.points) for c in unit.criteria] == [(c.id, c.points) for c in paper.unit("U2").criteria]
    assert unit.points == 15
