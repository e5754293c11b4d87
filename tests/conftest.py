"""Shared fixtures: the default paper, loaded once; a demo disc generated once per session."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

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
def results_copy(demo_results, tmp_path) -> Path:
    """A copy of the demo disc's results, for a test that records decisions in it."""
    import shutil

    copy = tmp_path / "out"
    shutil.copytree(demo_results, copy)
    return copy


def load_result(out: Path, user: str) -> dict:
    return json.loads((out / "candidates" / f"{user}.json").read_text(encoding="utf-8"))
