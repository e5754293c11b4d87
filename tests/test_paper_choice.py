"""Which paper grades a disc: --paper, else exam.toml's (a path relative to the disc), else the
default paper (a setting), found the same way by the library and the command."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from discimage import make_zip
from helpers import make_candidate

from grader.cli import main
from grader.errors import PaperError
from grader.paper import choose_paper, default_paper, load_paper
from grader.pipeline import grade_disc

REPO = Path(__file__).resolve().parent.parent


def test_the_shipped_default_is_the_standards_paper(monkeypatch):
    monkeypatch.delenv("GRADER_DEFAULT_PAPER", raising=False)
    assert default_paper() == (REPO / "rubrics" / "default-paper.txt").read_text(encoding="utf-8").strip()
    assert load_paper().id == "2026A"


def test_the_default_is_a_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADER_DEFAULT_PAPER", "centre-9")
    assert default_paper() == "centre-9"
    with pytest.raises(PaperError, match=r"no rubric for paper 'centre-9'.*2026A"):
        load_paper()


def test_the_command_names_before_the_disc(tmp_path):
    (tmp_path / "exam.toml").write_text('paper = "2099Z"\n', encoding="utf-8")
    assert choose_paper("2026A", tmp_path) == "2026A"
    assert choose_paper(None, tmp_path) == "2099Z"


def test_a_rubric_path_in_exam_toml_is_taken_relative_to_the_disc(tmp_path, monkeypatch, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    shutil.copytree(REPO / "rubrics", disc / "papers" / "rubrics")
    shutil.copytree(REPO / "answer_keys", disc / "papers" / "answer_keys")
    (disc / "exam.toml").write_text('paper = "papers/rubrics/2026A.toml"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # not the disc: the path is the disc's
    assert choose_paper(None, disc) == disc / "papers" / "rubrics" / "2026A.toml"
    run = grade_disc(disc, None, tmp_path / "out", jobs=1)
    assert run.paper.rubric_path == disc / "papers" / "rubrics" / "2026A.toml"


def test_a_zip_discs_own_exam_toml_names_its_paper(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    (disc / "exam.toml").write_text('paper = "2099Z"\n', encoding="utf-8")
    archive = make_zip(disc, tmp_path / "disc.zip")
    with pytest.raises(PaperError, match="no rubric for paper '2099Z'"):
        grade_disc(archive, None, tmp_path / "out", jobs=1)
    done = CliRunner().invoke(main, [str(archive), "--out", str(tmp_path / "out")])
    assert done.exit_code == 1 and "no rubric for paper '2099Z'" in done.output


def test_grade_papers_lists_the_papers_and_the_default(monkeypatch):
    monkeypatch.delenv("GRADER_DEFAULT_PAPER", raising=False)
    done = CliRunner().invoke(main, ["papers"])
    assert done.exit_code == 0
    first = done.output.splitlines()[0]
    assert first.startswith("2026A  (default 默认)  ") and first.endswith("2026A.toml")


def test_no_paper_id_is_written_into_the_grader():
    """Papers are data: no paper's id in the grader's code, but for the demo generator's data."""
    source = REPO / "grader"
    found = [f"{p.relative_to(source)}:{n}" for p in sorted(source.rglob("*.py")) if p.parent.name != "samples"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "2026A" in line]
    assert found == []
