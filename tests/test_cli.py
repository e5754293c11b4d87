"""The grade command: exit codes, one-line errors, help."""
from __future__ import annotations

from click.testing import CliRunner

from grader.cli import main


def test_missing_disc_is_one_line_and_non_zero(tmp_path):
    result = CliRunner().invoke(main, [str(tmp_path / "nonexistent")])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [f"Error: {tmp_path / 'nonexistent'} does not exist"]


def test_disc_without_candidates_is_refused(tmp_path):
    result = CliRunner().invoke(main, [str(tmp_path)])
    assert result.exit_code == 1 and "holds no candidate" in result.output


def test_invalid_paper_is_refused(tmp_path):
    result = CliRunner().invoke(main, [str(tmp_path), "--paper", "nosuch"])
    assert result.exit_code == 1 and "no rubric for paper 'nosuch'" in result.output


def test_grade_demo_writes_reports_and_summary(demo_disc, tmp_path):
    out = tmp_path / "r"
    result = CliRunner().invoke(main, [str(demo_disc), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "summary.xlsx").is_file() and (out / "summary.csv").is_file()
    assert (out / "manifest.json").is_file()
    assert "absent 缺考 1" in result.output and str(out) in result.output


def test_only_grades_the_named_users(demo_disc, tmp_path):
    out = tmp_path / "r"
    result = CliRunner().invoke(main, [str(demo_disc), "--out", str(out), "--only", "ks01,ks02", "--quiet"])
    assert result.exit_code == 0 and result.output == ""
    assert sorted(p.stem for p in (out / "candidates").glob("*.json")) == ["ks01", "ks02"]


def test_help_explains_the_command():
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0
    for option in ("--paper", "--out", "--jobs", "--only", "--quiet", "Example:"):
        assert option in result.output
