"""The grade command: exit codes, one-line errors, help."""
from __future__ import annotations

import json

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


def test_the_closing_summary_names_who_to_review_and_the_next_command(demo_disc, tmp_path):
    out = tmp_path / "r"
    result = CliRunner().invoke(main, [str(demo_disc), "--out", str(out), "--jobs", "1"])
    lines = result.output.splitlines()
    assert lines[0] == "paper 2026A: 22 candidates 考生"
    review = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "candidates").glob("*.json"))]
    flagged = [r["user"] for r in review if r["status"] in ("needs-review", "unreadable")]
    assert len(flagged) == 10
    assert f"  to review 需复核: {', '.join(flagged)}" in lines
    assert f"  next 下一步: grade explain {out} {flagged[0]}   (why, flag by flag 逐项说明)" in lines


def test_one_candidate_is_one_candidate(demo_disc, tmp_path):
    result = CliRunner().invoke(main, [str(demo_disc), "--out", str(tmp_path / "r"), "--only", "ks01"])
    assert result.output.splitlines()[0] == "paper 2026A: 1 candidate 考生"
    assert "to review" not in result.output


def test_the_progress_bar_knows_its_count_before_the_first_candidate(demo_disc, tmp_path, monkeypatch):
    from grader import cli

    calls = []
    monkeypatch.setattr(cli.ProgressBar, "__call__", lambda self, done, total, user: calls.append((done, total)))
    bar = cli.ProgressBar()
    from grader.pipeline import grade_disc

    grade_disc(demo_disc, "2026A", tmp_path / "r", jobs=1, only=["ks01", "ks02"], progress=bar)
    assert calls == [(0, 2), (1, 2), (2, 2)]


def test_an_interrupted_run_says_in_both_languages_to_run_the_same_command_again():
    from grader.cli import interrupted_text

    assert interrupted_text(["/usr/bin/grade", "/media/cd rom", "--out", "r"]) == (
        "interrupted 已中断: the results already written are whole 已写入的结果完整有效; "
        "run the same command again to continue 再次运行同一命令即可继续:\n  grade '/media/cd rom' --out r")


def test_the_closing_summary_gives_the_command_that_records_a_decision(demo_disc, tmp_path):
    out = tmp_path / "r"
    result = CliRunner().invoke(main, [str(demo_disc), "--out", str(out), "--only", "ks05,ks01"])
    lines = result.output.splitlines()
    assert lines[0] == "paper 2026A: 2 candidates 考生"
    assert lines[-3:] == [
        "  to review 需复核: ks05",
        f"  next 下一步: grade explain {out} ks05   (why, flag by flag 逐项说明)",
        (f"  then 然后: grade review {out} --confirm ks05 --examiner NAME   "
        "(the points stand 确认分数; or --override ks05 CRITERION POINTS 改分)")]


def test_with_no_one_to_review_the_next_command_signs_the_class_off(demo_disc, tmp_path):
    out = tmp_path / "r"
    result = CliRunner().invoke(main, [str(demo_disc), "--out", str(out), "--only", "ks01"])
    assert result.output.splitlines()[-1] == (
        f"  next 下一步: grade review {out} --sign-off --examiner NAME   (sign the class off 签署定稿), "
        f"then 然后 grade records {out}   (printable records 打印记录)")


def test_the_time_left_is_measured_after_the_workers_have_started():
    from grader import cli

    times = iter([0.0, 30.0, 31.0, 32.0, 33.0])  # the first candidate took the workers' 30 s start
    bar = cli.ProgressBar(clock=lambda: next(times))
    shown = []
    for done in range(5):
        bar(done, 10, f"ks{done:02d}")
        shown.append(bar.bar.current_item)
    bar.close()
    assert shown == ["", "", "", "剩余 left 0:07", "剩余 left 0:06"]
    assert (bar.bar.pos, bar.bar.length) == (4, 10)
