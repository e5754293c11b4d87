"""Where a paper id is looked up: --papers folders, then GRADER_PAPERS, then the installed papers,
then the repository beside the package; never the working folder, and worked out at each lookup."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import installed_papers, load_paper
from grader.cli import main
from grader.errors import PaperError

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "grader"


def papers_folder(base: Path, paper_id: str, title: str = "") -> Path:
    """A folder holding rubrics/<paper_id>.toml and answer_keys/<paper_id>/, copied from 2026A."""
    shutil.copytree(REPO / "answer_keys" / "2026A", base / "answer_keys" / paper_id)
    (base / "rubrics").mkdir(parents=True)
    text = (REPO / "rubrics" / "2026A.toml").read_text(encoding="utf-8")
    text = text.replace('paper = "2026A"', f'paper = "{paper_id}"', 1)
    text = text.replace('key = "../answer_keys/2026A"', f'key = "../answer_keys/{paper_id}"', 1)
    if title:
        text = text.replace('title = "跨境电商运营专项职业能力 实操考试 2026A"',
                            f'title = "{title}"', 1)
    (base / "rubrics" / f"{paper_id}.toml").write_text(text, encoding="utf-8")
    return base


@pytest.fixture(autouse=True)
def no_papers_variable(monkeypatch):
    monkeypatch.delenv("GRADER_PAPERS", raising=False)


def test_installed_papers_finds_2026A_beside_its_key():
    found = installed_papers()
    assert list(found) == ["2026A", "2026B"]
    assert found["2026A"] == REPO / "rubrics" / "2026A.toml"
    assert load_paper("2026A").key.root == REPO / "answer_keys" / "2026A"


def test_a_paper_in_a_papers_folder_is_found(tmp_path):
    extra = papers_folder(tmp_path / "extra", "2026X")
    paper = load_paper("2026X", papers=[extra])
    assert paper.id == "2026X"
    assert paper.rubric_path == extra / "rubrics" / "2026X.toml"
    assert paper.key.root == extra / "answer_keys" / "2026X"
    assert installed_papers([extra]) == {"2026X": extra / "rubrics" / "2026X.toml",
                                         "2026A": REPO / "rubrics" / "2026A.toml",
                                         "2026B": REPO / "rubrics" / "2026B.toml"}


def test_a_relative_papers_folder_is_taken_from_the_working_folder_of_the_call(tmp_path, monkeypatch):
    papers_folder(tmp_path / "extra", "2026X")
    monkeypatch.chdir(tmp_path)
    assert load_paper("2026X", papers=["extra"]).rubric_path == tmp_path / "extra" / "rubrics" / "2026X.toml"


def test_the_variable_is_read_at_each_lookup_and_its_first_folder_wins(tmp_path, monkeypatch):
    first = papers_folder(tmp_path / "first", "2026X", title="first")
    second = papers_folder(tmp_path / "second", "2026X", title="second")
    with pytest.raises(PaperError, match="no rubric for paper '2026X'"):
        load_paper("2026X")
    monkeypatch.setenv("GRADER_PAPERS", os.pathsep.join([str(first), str(second)]))
    assert load_paper("2026X").title == "first"
    monkeypatch.setenv("GRADER_PAPERS", str(second))
    assert load_paper("2026X").title == "second"


def test_papers_folders_come_before_the_variable_and_the_installed_papers(tmp_path, monkeypatch):
    given = papers_folder(tmp_path / "given", "2026A", title="given")
    from_env = papers_folder(tmp_path / "env", "2026A", title="env")
    monkeypatch.setenv("GRADER_PAPERS", str(from_env))
    assert load_paper("2026A", papers=[given]).title == "given"
    assert load_paper("2026A").title == "env"
    assert installed_papers([given])["2026A"] == given / "rubrics" / "2026A.toml"


def test_the_working_folder_is_not_searched(tmp_path, monkeypatch):
    papers_folder(tmp_path, "2026C")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PaperError, match="no rubric for paper '2026C'"):
        load_paper("2026C")
    assert load_paper("2026A").rubric_path == REPO / "rubrics" / "2026A.toml"


def test_an_unknown_id_names_the_papers_available_and_where_it_looked(tmp_path, monkeypatch):
    extra = papers_folder(tmp_path / "extra", "2026X")
    monkeypatch.setenv("GRADER_PAPERS", str(tmp_path / "missing"))
    with pytest.raises(PaperError) as caught:
        load_paper("nosuch", papers=[extra])
    assert str(caught.value) == (
        "no rubric for paper 'nosuch': papers available: 2026X, 2026A, 2026B; looked for rubrics/nosuch.toml in "
        f"{extra}, {tmp_path / 'missing'}, {PACKAGE / 'papers'}, {REPO} "
        "(add a folder with --papers or GRADER_PAPERS)")


def test_papers_option_reaches_sample_run_and_verify(tmp_path, demo_disc, demo_results):
    extra = papers_folder(tmp_path / "extra", "2026X")
    runner = CliRunner()
    disc, out = tmp_path / "disc", tmp_path / "out"
    result = runner.invoke(main, ["sample", str(disc), "--paper", "2026X", "--papers", str(extra)])
    assert result.exit_code == 0, result.output
    assert (disc / "expected.json").is_file()

    result = runner.invoke(main, [str(disc), "--paper", "2026X", "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no rubric for paper '2026X': papers available: 2026A, 2026B;")
    assert len(result.output.splitlines()) == 1

    result = runner.invoke(main, [str(disc), "--paper", "2026X", "--papers", str(tmp_path / "nowhere"),
                                  "--papers", str(extra), "--out", str(out), "--only", "ks01", "--quiet"])
    assert "does not exist" in result.output and result.exit_code == 2

    result = runner.invoke(main, [str(disc), "--paper", "2026X", "--papers", str(extra),
                                  "--out", str(out), "--only", "ks01", "--quiet", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "candidates" / "ks01.json").is_file()

    result = runner.invoke(main, ["verify", str(demo_disc), str(demo_results), "--paper", "2026X",
                                  "--papers", str(extra)])
    assert f"✓ key: {extra / 'answer_keys' / '2026X'} unchanged" in result.output
    assert f"✗ rubric: {extra / 'rubrics' / '2026X.toml'} differs" in result.output
    assert result.exit_code == 1
