"""Examiner review: confirm and override decisions in the append-only log, the `reviewed` status,
sign-off refused while anyone needs review, the log kept by --fresh and never applied to another disc."""
from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import load_result
from test_gradebook import write_small_disc

from grader.cli import main
from grader.errors import ReviewError
from grader.model import Flag
from grader.review import actions
from grader.review.log import LOG, read_log
from grader.verify import verify

AT = dt.datetime(2026, 12, 2, 8, 15, tzinfo=dt.UTC)
WAITING = ["ks05", "ks08", "ks09", "ks11", "ks12", "ks13", "ks16", "ks19", "ks20", "ks22"]


@pytest.fixture
def out(results_copy):
    return results_copy


def log_rows(out) -> list[dict]:
    return [json.loads(line) for line in (out / LOG).read_text(encoding="utf-8").splitlines()]


def damaged_image(out) -> Flag:
    [flag] = [Flag.from_dict(f) for f in load_result(out, "ks05")["flags"]]
    assert flag.code == "damaged-image"
    return flag


# ---------------------------------------------------------------- confirm


def test_confirm_decides_every_open_flag_and_the_points_stand(out, demo_disc):
    flag = damaged_image(out)
    before = load_result(out, "ks05")
    assert before["status"] == "needs-review" and before["total"] == "3619/40"
    done = actions.confirm(out, "ks05", "考评员01", "图片已在原盘核实", now=AT)
    assert [e.seq for e in done.entries] == [1]
    [row] = log_rows(out)
    assert {k: v for k, v in row.items() if k != "disc"} == {
        "seq": 1, "at": "2026-12-02T08:15:00+00:00", "paper": "2026A", "kind": "confirm", "candidate": "ks05",
        "criterion": "", "points": None, "flags": [flag.key()], "examiner": "考评员01",
        "reason": "图片已在原盘核实", "prev": ""}
    after = load_result(out, "ks05")
    assert after["status"] == "reviewed" and after["total"] == "3619/40"
    assert after["units"] == before["units"]
    assert [(f["code"], f["decision"]) for f in after["flags"]] == [("damaged-image", 1)]
    assert after["decisions"] == [{"seq": 1, "kind": "confirm", "examiner": "考评员01",
                                   "reason": "图片已在原盘核实", "at": "2026-12-02T08:15:00+00:00",
                                   "criterion": "", "points": None, "flags": [flag.key()]}]
    assert load_result(out, "ks08")["status"] == "needs-review" and "decisions" not in load_result(out, "ks08")
    assert [r.result_id for r in done.waiting()] == WAITING[1:]
    assert verify(demo_disc, out).ok


def test_confirm_without_an_open_flag_is_refused(out):
    actions.confirm(out, "ks05", "e", "r", now=AT)
    with pytest.raises(ReviewError, match="ks05 has no open flag to confirm"):
        actions.confirm(out, "ks05", "e", "r", now=AT)
    with pytest.raises(ReviewError, match="ks01 has no open flag to confirm"):
        actions.confirm(out, "ks01", "e", "r", now=AT)
    assert len(log_rows(out)) == 1


# ---------------------------------------------------------------- override


def test_override_sets_exact_points_and_decides_its_units_flags(out):
    assert load_result(out, "ks12")["total"] == "5443/60"
    actions.override(out, "ks12", "u8-03", "3", "考评员02", "reply_03 opened by hand: three elements", now=AT)
    result = load_result(out, "ks12")
    [criterion] = [c for u in result["units"] for c in u["criteria"] if c["id"] == "U8-03"]
    assert (criterion["automatic"], criterion["points"]) == ("6", "3")
    assert criterion["override"] == {"points": "3", "reason": "reply_03 opened by hand: three elements",
                                     "examiner": "考评员02"}
    assert result["total"] == "5263/60" and result["status"] == "reviewed"
    assert [(f["code"], f["unit"], f["decision"]) for f in result["flags"]] == [("unreadable-file", "U8", 1)]
    [row] = log_rows(out)
    assert (row["kind"], row["candidate"], row["criterion"], row["points"]) == ("override", "ks12", "U8-03", "3")


def test_an_override_elsewhere_leaves_the_flags_open(out):
    actions.override(out, "ks11", "U1-01", "3/2", "考评员02", "username accepted in part", now=AT)
    result = load_result(out, "ks11")
    assert result["status"] == "needs-review"
    assert [f["decision"] for f in result["flags"]] == [None, None, None]
    assert result["units"][0]["points"] == "19/2"  # U1 10 → 9.5: U1-01 2 → 3/2
    assert log_rows(out)[0]["flags"] == []


def test_fraction_points_and_a_later_override_replaces_the_earlier(out):
    actions.override(out, "ks05", "U4-02", "1/2", "e", "CMYK accepted in part", now=AT)
    actions.override(out, "ks05", "U4-02", "0.25", "e", "second look", now=AT)
    [criterion] = [c for u in load_result(out, "ks05")["units"] for c in u["criteria"] if c["id"] == "U4-02"]
    assert (criterion["automatic"], criterion["points"], criterion["override"]["reason"]) == ("0", "1/4",
                                                                                              "second look")
    assert load_result(out, "ks05")["total"] == str(Fraction(3619, 40) + Fraction(1, 4))
    assert [r["points"] for r in log_rows(out)] == ["1/2", "1/4"]


@pytest.mark.parametrize("user, criterion, points, message", [
    ("ks12", "U8-03", "9.5", "points 19/2 outside 0–9 for U8-03"),
    ("ks12", "U8-03", "-1", "points '-1' is not a number"),
    ("ks12", "U8-03", "1,5", "points '1,5' is not a number"),
    ("ks12", "U9-01", "1", "'U9-01' is not a criterion of paper 2026A"),
    ("ks99", "U8-03", "1", "'ks99' is not a candidate"),
    ("ks21", "U8-03", "1", "ks21 is absent"),
])
def test_bad_overrides_are_refused_and_not_logged(out, user, criterion, points, message):
    with pytest.raises(ReviewError, match=message):
        actions.override(out, user, criterion, points, "e", "r", now=AT)
    assert not (out / LOG).exists()


@pytest.mark.parametrize("examiner, reason, message", [
    ("", "r", "the examiner is required"),
    ("e", "  ", "the reason is required"),
    ("e" * 65, "r", "the examiner is 65 characters, more than 64"),
    ("e", "r" * 501, "the reason is 501 characters, more than 500"),
    ("e", "a\x07b", "the reason holds a control character"),
])
def test_who_and_why_are_required_and_capped(out, examiner, reason, message):
    with pytest.raises(ReviewError, match=message):
        actions.confirm(out, "ks05", examiner, reason, now=AT)
    assert not (out / LOG).exists()


# ---------------------------------------------------------------- sign-off


def test_sign_off_refused_while_anyone_needs_review_then_final_then_reopened(out, demo_disc):
    with pytest.raises(ReviewError) as refused:
        actions.sign_off(out, "督考员01", now=AT)
    assert str(refused.value) == f"cannot sign off: 10 candidates still need review 仍需复核: {', '.join(WAITING)}"
    for user in WAITING:
        actions.confirm(out, user, "考评员01", "核实无误", now=AT)
    assert {load_result(out, u)["status"] for u in WAITING} == {"reviewed"}
    actions.sign_off(out, "督考员01", now=AT)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["review"]["signed_off"] == {"examiner": "督考员01", "at": "2026-12-02T08:15:00+00:00",
                                                "seq": 11}
    with pytest.raises(ReviewError, match="already signed off"):
        actions.sign_off(out, "督考员01", now=AT)
    actions.override(out, "ks01", "U6-01", "0", "考评员01", "order list copied", now=AT)
    rows = log_rows(out)
    assert [(r["seq"], r["kind"], r["candidate"]) for r in rows[10:]] == [
        (11, "sign-off", ""), (12, "reopen", ""), (13, "override", "ks01")]
    assert rows[11]["reason"] == "reopened by: override ks01 U6-01"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["review"]["signed_off"] is None and manifest["review"]["rows"] == 13
    assert load_result(out, "ks01")["status"] == "graded" and load_result(out, "ks01")["total"] == "99"
    assert verify(demo_disc, out).ok


def test_cli_route(out):
    runner = CliRunner()
    result = runner.invoke(main, ["review", str(out), "--list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "ks05 考生05  damaged-image"
    assert result.output.splitlines()[-1] == "to review 需复核: 10"
    result = runner.invoke(main, ["review", str(out), "--sign-off", "--examiner", "督考员01"])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: cannot sign off: 10 candidates still need review 仍需复核: " \
                                    f"{', '.join(WAITING)}"
    result = runner.invoke(main, ["review", str(out), "--confirm", "ks05", "--override", "ks12", "U8-03", "3",
                                  "--examiner", "考评员01", "--reason", "核实"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("logged 已记录 #1: confirm ks05, 1 flag decided (考评员01, ")
    assert lines[1] == "  ks05: total 总分 90.48, 已复核 reviewed"
    assert lines[2].startswith("logged 已记录 #2: override ks12 U8-03 → 3, 1 flag decided (考评员01, ")
    assert lines[3] == "  ks12: total 总分 87.72, 已复核 reviewed"
    assert lines[4] == "still to review 仍需复核: 8 (ks08, ks09, ks11, ks13, ks16, ks19, ks20, ks22)"
    assert load_result(out, "ks12")["status"] == "reviewed"
    result = runner.invoke(main, ["review", str(out), "--confirm", "ks08"])
    assert result.exit_code == 1 and result.output.strip() == "Error: the examiner is required (--examiner)"


# ---------------------------------------------------------------- where decisions show


def test_decisions_show_in_explain_summary_and_page(out):
    reason = '截图已核实 <script>alert("x")</script>'
    actions.confirm(out, "ks05", "=HYPERLINK(\"x\")", reason, now=AT)
    from grader.report.explain import explain

    text = explain(out, "ks05")
    assert "— decided 已决 #1" in text
    assert text.splitlines()[-1] == (f"    #1 确认 confirm, 1 flag decided 已决 — {reason} "
                                     f"(考评员 examiner =HYPERLINK(\"x\"), 2026-12-02T08:15:00+00:00)")
    book = openpyxl.load_workbook(out / "summary.xlsx")
    sheet = book["decisions"]
    values = [c.value for c in sheet[2]]
    assert values == [1, "2026A0005", "考生05", "ks05", "确认 confirm", None, None, "图片损坏 damaged-image",
                      "=HYPERLINK(\"x\")", reason, "2026-12-02T08:15:00+00:00"]
    assert sheet["I2"].data_type == "s"  # stored as text, never a formula
    summary = book["summary"]
    status = [c.value for c in summary[1]].index("状态\nStatus")
    assert [r[status].value for r in summary.iter_rows(min_row=2) if r[2].value == "ks05"] == ["已复核 reviewed"]
    page = (out / "candidates" / "ks05.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert 'id="decisions"' in page and "已决 <span class=\"en\">decided</span> #1" in page


# ---------------------------------------------------------------- the log's life


def test_log_survives_fresh_and_never_applies_to_another_disc(out, demo_disc, paper, tmp_path):
    from grader.pipeline import grade_disc

    actions.confirm(out, "ks05", "e", "r", now=AT)
    actions.override(out, "ks01", "U6-01", "0", "e", "r", now=AT)
    run = grade_disc(demo_disc, paper, out, jobs=1, use_cache=False)
    assert run.counts["reviewed"] == 1
    assert load_result(out, "ks05")["status"] == "reviewed" and load_result(out, "ks01")["total"] == "99"
    small = write_small_disc(tmp_path / "small", paper.key)
    other = grade_disc(small, paper, out, jobs=1, use_cache=False)
    assert other.counts["reviewed"] == 0
    ks01 = load_result(out, "ks01")
    assert "decisions" not in ks01
    [u601] = [c for u in ks01["units"] for c in u["criteria"] if c["id"] == "U6-01"]
    assert u601["points"] == "1" and "override" not in u601
    assert len(read_log(out)) == 2  # kept, untouched
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["review"]["rows"], manifest["review"]["rows_applied"]) == (2, 0)
    with pytest.raises(ReviewError, match="has no open flag"):  # decisions go to this disc's results
        actions.confirm(out, "ks01", "e", "r", now=AT)


def test_a_changed_log_is_found_by_verify_and_refused_by_a_run(out, demo_disc, paper):
    from grader.pipeline import grade_disc

    actions.confirm(out, "ks05", "e", "r", now=AT)
    path = out / LOG
    path.write_bytes(path.read_bytes().replace(b'"reason":"r"', b'"reason":"R"'))
    outcome = verify(demo_disc, out)
    assert not outcome.ok
    assert outcome.lines()[-2] == "✗ review: review-log.jsonl differs from the log the results were made with " \
                                  "(1 row(s) then, 1 now)"
    actions.confirm(out, "ks08", "e", "r", now=AT)  # the chain goes on from the row as it is now
    path.write_bytes(path.read_bytes().replace(b'"reason":"R"', b'"reason":"r"'))
    with pytest.raises(ReviewError, match=r"review-log.jsonl, line 2: the log was changed here"):
        read_log(out)
    assert not verify(demo_disc, out).ok
    with pytest.raises(ReviewError, match="line 2: the log was changed here"):
        grade_disc(demo_disc, paper, out, jobs=1)


def test_an_unreadable_candidate_needs_a_decision(paper):
    from grader.model import REVIEWED, UNREADABLE, CandidateResult
    from grader.review.decisions import Decisions
    from grader.review.log import Entry

    result = CandidateResult("ks30", "", "", "ks30", UNREADABLE, Fraction(0), False, ())
    assert Decisions().apply(result, paper.pass_mark).status == UNREADABLE
    confirmed = Decisions((Entry(1, "t", "d", "2026A", "confirm", "e", "r", "ks30"),))
    assert confirmed.apply(result, paper.pass_mark).status == REVIEWED


# ---------------------------------------------------------------- diff


def test_diff_names_every_changed_value_with_both_sides(demo_results, out):
    from grader.report.diff import compare

    assert compare(demo_results, out).lines() == [
        "no change 无变化: 22 candidates, the same points, statuses and flags"]
    actions.confirm(out, "ks05", "e", "r", now=AT)
    actions.override(out, "ks12", "U8-03", "3", "e", "r", now=AT)
    actions.override(out, "ks01", "U6-02", "7/4", "e", "r", now=AT)
    (out / "candidates" / "ks22.json").unlink()
    result = CliRunner().invoke(main, ["diff", str(demo_results), str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ks01 满分考生", "    U6-02 2 → 7/4", "    total 100 → 399/4",
        "ks05 考生05", "    status needs-review → reviewed",
        "ks12 考生12", "    U8-03 6 → 3", "    total 5443/60 → 5263/60", "    status needs-review → reviewed",
        "ks22", "    candidate present 有 → —", "    total 100 → —",
        "4 of 22 candidates changed 考生有变化, 2 criterion values 评分项"]


def test_diff_lists_flags_that_came_or_went(demo_results, out):
    from grader.report.diff import compare

    path = out / "candidates" / "ks05.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["flags"].append({"code": "misplaced", "unit": "U1", "file": "u1_accounts.xlsx", "reason": "r"})
    path.write_text(json.dumps(data), encoding="utf-8")
    [changed] = compare(demo_results, out).changed
    assert [c.text() for c in changed.changes] == ["flag — → 文件位置不符 misplaced (U1 u1_accounts.xlsx)"]


# ---------------------------------------------------------------- key amendments


def test_an_amendment_shows_who_gains_before_saving_then_regrades_everyone(out):
    preview = actions.preview_amendment(out, "u6-03", "Shipped", "1/10", expected="UNSHIPPED")
    assert preview.lines() == [
        "key amendment 修正答案 U6-03: 'UNSHIPPED' → 'Shipped' accepted, 1/10 per answer",
        "  ks05: U6-03 17/10 → 19/10 (2×), total 总分 90.48 → 90.68",
        "1 of 21 candidates change 考生分数变化, 1/5 points in all 合计"]
    assert not (out / LOG).exists()  # a preview writes nothing
    actions.amend(out, "U6-03", "Shipped", "1/10", "考评员01", "发货状态两种填法均可", expected="unshipped", now=AT)
    [row] = log_rows(out)
    assert (row["kind"], row["criterion"], row["points"], row["expected"], row["found"], row["candidate"]) == (
        "amend", "U6-03", "1/10", "unshipped", "Shipped", "")
    ks05 = load_result(out, "ks05")
    [u603] = [c for u in ks05["units"] for c in u["criteria"] if c["id"] == "U6-03"]
    assert (u603["automatic"], u603["points"]) == ("17/10", "19/10")
    assert u603["override"]["reason"] == "key amendment #1 (unshipped → Shipped, 2×): 发货状态两种填法均可"
    assert ks05["total"] == str(Fraction(3619, 40) + Fraction(1, 5)) and ks05["status"] == "needs-review"
    assert [d["kind"] for d in ks05["decisions"]] == ["amend"]
    assert [f["decision"] for f in ks05["flags"]] == [None]  # an amendment decides no flag
    assert "decisions" not in load_result(out, "ks02")


def test_without_an_expected_value_any_deduction_with_the_answer_counts(out):
    preview = actions.preview_amendment(out, "U2-02", "简约", "2/5")
    assert [(g.result_id, g.before, g.after) for g in preview.gains] == [("ks03", Fraction(8, 5), Fraction(2))]
    actions.amend(out, "U2-02", "简约", "2/5", "e", "r", now=AT)
    actions.override(out, "ks03", "U2-02", "1", "e", "the examiner's own override replaces it", now=AT)
    [u202] = [c for u in load_result(out, "ks03")["units"] for c in u["criteria"] if c["id"] == "U2-02"]
    assert (u202["automatic"], u202["points"]) == ("8/5", "1")
    assert actions.preview_amendment(out, "U2-02", "简约", "2/5").gains == ()


def test_an_amendment_is_capped_at_the_maximum_and_refused_when_out_of_range(out):
    actions.amend(out, "U6-03", "Shipped", "2", "e", "r", now=AT)
    [u603] = [c for u in load_result(out, "ks05")["units"] for c in u["criteria"] if c["id"] == "U6-03"]
    assert u603["points"] == "2"
    with pytest.raises(ReviewError, match="points 3 outside 0–2 for U6-03"):
        actions.amend(out, "U6-03", "Shipped", "3", "e", "r", now=AT)
    with pytest.raises(ReviewError, match="more than 0"):
        actions.amend(out, "U6-03", "Shipped", "0", "e", "r", now=AT)
    with pytest.raises(ReviewError, match="the found is required"):
        actions.amend(out, "U6-03", " ", "1/10", "e", "r", now=AT)


def test_cli_amendment_asks_before_saving(out):
    runner = CliRunner()
    args = ["review", str(out), "--amend", "U6-03", "Shipped", "1/10", "--expected", "unshipped",
            "--examiner", "考评员01", "--reason", "两种填法均可"]
    result = runner.invoke(main, args, input="n\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == ["save the amendment 保存修正? [y/N]: n", "not saved 未保存"]
    assert not (out / LOG).exists()
    result = runner.invoke(main, [*args, "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[3].startswith(
        "logged 已记录 #1: amend U6-03: 'Shipped' accepted, 1/10 each (考评员01, ")
    assert load_result(out, "ks05")["total"] == str(Fraction(3619, 40) + Fraction(1, 5))
