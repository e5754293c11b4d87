"""A criterion every present candidate lost is reported as "check the rubric and key"."""
from __future__ import annotations

import openpyxl
from click.testing import CliRunner
from helpers import make_candidate

from grader.cli import main
from grader.pipeline import grade_disc


def disc_of(tmp_path, paper, count: int):
    disc = tmp_path / f"disc{count}"
    for n in range(1, count + 1):
        make_candidate(disc / f"ks{n:02d}", paper)  # units 1 and 6 only: the others are lost by all
    (disc / "exam.toml").write_text("similarity = false\n", encoding="utf-8")
    return disc


def test_a_criterion_lost_by_all_of_five_is_an_alarm_with_the_shared_evidence(tmp_path, paper):
    out = tmp_path / "out"
    run = grade_disc(disc_of(tmp_path, paper, 5), paper, out, jobs=2)
    lost = [c.id for c in paper.criteria() if c.unit not in ("U1", "U6")]
    assert [a.criterion for a in run.alarms] == lost
    first = run.alarms[0]
    assert (first.unit, first.present, first.points) == ("U2", 5, paper.criteria()[len(
        paper.unit("U1").criteria)].points)
    assert first.evidence == "未找到 u2_selection / u2_selection not found in the candidate folder"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "请核对评分标准与答案" in index and first.text() in index.replace("&amp;", "&")
    sheet = openpyxl.load_workbook(out / "summary.xlsx")["check rubric"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == lost


def test_four_candidates_prove_nothing_and_raise_no_alarm(tmp_path, paper):
    out = tmp_path / "out"
    assert grade_disc(disc_of(tmp_path, paper, 4), paper, out, jobs=1).alarms == []
    assert "请核对评分标准与答案" not in (out / "index.html").read_text(encoding="utf-8")


def test_the_console_names_the_alarm(tmp_path, paper):
    done = CliRunner().invoke(main, [str(disc_of(tmp_path, paper, 5)), "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    alarms = [line for line in done.output.splitlines() if "check the rubric and key 请核对评分标准与答案" in line]
    assert len(alarms) == len([c for c in paper.criteria() if c.unit not in ("U1", "U6")])


def test_the_demo_disc_raises_no_alarm(demo_results):
    assert "请核对评分标准与答案" not in (demo_results / "index.html").read_text(encoding="utf-8")
