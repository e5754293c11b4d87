"""Shared fixtures: the default paper, loaded once; a demo disc generated once per session; the
papers of rubrics/ for the paper-generic tests. Helpers that are not fixtures live in helpers.py."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import result as load_result  # noqa: F401 - the name tests import from here

from grader.paper import load_paper
from grader.samples import write_demo_disc

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def paper():
    return load_paper(REPO / "rubrics" / "2026A.toml")


@pytest.fixture(scope="session")
def demo_disc(tmp_path_factory, paper) -> Path:
    disc = tmp_path_factory.mktemp("disc") / "2026A-demo"
    write_demo_disc(disc, paper)
    return disc


@pytest.fixture(scope="session")
def demo_results(tmp_path_factory, demo_disc, paper) -> Path:
    from grader.pipeline import grade_disc

    out = tmp_path_factory.mktemp("reports")
    grade_disc(demo_disc, paper, out, jobs=1)
    return out


@pytest.fixture
def paper_copy(tmp_path) -> Path:
    """A copy of paper 2026A (rubric and key) that a test may break: the rubric's path."""
    repo = Path(__file__).resolve().parent.parent
    shutil.copytree(repo / "answer_keys" / "2026A", tmp_path / "answer_keys" / "2026A")
    (tmp_path / "rubrics").mkdir()
    shutil.copy(repo / "rubrics" / "2026A.toml", tmp_path / "rubrics" / "2026A.toml")
    return tmp_path / "rubrics" / "2026A.toml"


@pytest.fixture
def results_copy(demo_results, tmp_path) -> Path:
    """A copy of the demo disc's results, for a test that records decisions in it."""
    copy = tmp_path / "out"
    shutil.copytree(demo_results, copy)
    return copy


PAPERS = tuple(sorted((REPO / "rubrics").glob("*.toml")))


def pytest_generate_tests(metafunc):
    """A test that takes ``each_rubric`` runs once for every paper in rubrics/."""
    if "each_rubric" in metafunc.fixturenames:
        metafunc.parametrize("each_rubric", PAPERS, ids=[p.stem for p in PAPERS], scope="module")
