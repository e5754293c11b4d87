"""Examiner overrides: validation with line numbers, and one override changing exactly its points, shown everywhere."""
from __future__ import annotations

import csv
import hashlib
import json
from fractions import Fraction

import openpyxl
import pytest
from click.testing import CliRunner
from test_gradebook import write_small_disc

from grader.cli import main
from grader.errors import OverridesError
from grader.overrides import TEMPLATE, load_overrides, parse_points

USERS = ["ks01", "ks02", "ks03", "ks04", "ks05"]
MAXIMA = {"U6-01": Fraction(1), "U6-02": Fraction(2), "U8-04": Fraction(9)}
HEADER = "candidate,criterion,points,reason,examiner\n"
REASON = 'order 5 was cancelled by the centre <script>alert("x")</script>'
EXAMINER = "=HYPERLINK(\"http://x\")"


def load(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "overrides.csv"
    path.write_bytes(text.encode(encoding))
    return load_overrides(path, USERS, MAXIMA, absent=["ks05"])


# ---------------------------------------------------------------- reading and validating


def test_valid_rows(tmp_path):
    overrides = load(tmp_path, HEADER + "ks02,U6-01,1,cancelled order,examiner-01\n"
                                        "KS03,u6-02,1.5,partly right,examiner-02\n")
    assert [(o.line, o.candidate, o.criterion, o.points) for o in overrides.rows] == [
        (2, "ks02", "U6-01", Fraction(1)), (3, "ks03", "U6-02", Fraction(3, 2))]
    assert overrides.sha256 == hashlib.sha256((tmp_path / "overrides.csv").read_bytes()).hexdigest()


@pytest.mark.parametrize("points", ["0", "2", "2.0", "7/4", "１.５"])
def test_points_from_zero_to_the_maximum_are_accepted(tmp_path, points):
    overrides = load(tmp_path, HEADER + f"ks02,U6-02,{points},r,e\n")
    assert 0 <= overrides.rows[0].points <= 2


@pytest.mark.parametrize("row, message", [
    ("ks09,U6-01,1,r,e", "candidate 'ks09' is not on this disc"),
    ("ks05,U6-01,1,r,e", "candidate 'ks05' is absent"),
    (",U6-01,1,r,e", "no candidate"),
    ("ks02,U6-99,1,r,e", "'U6-99' is not a criterion of this paper"),
    ("ks02,U6-02,2.01,r,e", "points 2.01 outside 0–2 for U6-02"),
    ("ks02,U6-02,-1,r,e", "points '-1' is not a number"),
    ("ks02,U6-02,two,r,e", "points 'two' is not a number"),
    ("ks02,U6-02,,r,e", "points '' is not a number"),
    ("ks02,U6-02,1,,e", "a reason is required"),
    ("ks02,U6-02,1,r,  ", "the examiner is required"),
    ("ks02,U6-02,1,r", "4 fields where the header has 5"),
])
def test_a_bad_row_is_rejected_with_its_line_number(tmp_path, row, message):
    text = HEADER + "# a comment line\n\nks01,U6-01,0,r,e\n" + row + "\n"
    with pytest.raises(OverridesError) as error:
        load(tmp_path, text)
    assert "line 5:" in str(error.value)
    assert message in str(error.value)


def test_a_criterion_overridden_twice_names_both_lines(tmp_path):
    with pytest.raises(OverridesError, match=r"line 3: ks02 U6-01 already overridden on line 2"):
        load(tmp_path, HEADER + "ks02,U6-01,1,r,e\nKS02,u6-01,0,r,e\n")


def test_a_quoted_reason_over_two_lines_counts_from_its_first_line(tmp_path):
    with pytest.raises(OverridesError, match=r"line 2: 'U6-99'"):
        load(tmp_path, HEADER + 'ks02,U6-99,1,"two\nlines",e\n')
    with pytest.raises(OverridesError, match=r"line 4: 'U6-99'"):
        load(tmp_path, HEADER + 'ks02,U6-01,1,"two\nlines",e\nks02,U6-99,1,r,e\n')


def test_header_is_required(tmp_path):
    with pytest.raises(OverridesError, match=r"line 1: the header lacks the column 'examiner'"):
        load(tmp_path, "candidate,criterion,points,reason\n")
    with pytest.raises(OverridesError, match="no header row"):
        load(tmp_path, "# nothing\n")


def test_chinese_headers_and_gbk_as_excel_saves_them(tmp_path):
    text = "考生,评分项,分数,理由,阅卷人\nks02,U6-01,1,订单已取消,王老师\n"
    overrides = load(tmp_path, text, encoding="gbk")
    assert (overrides.rows[0].reason, overrides.rows[0].examiner) == ("订单已取消", "王老师")


def test_missing_file(tmp_path):
    with pytest.raises(OverridesError, match="cannot be read"):
        load_overrides(tmp_path / "none.csv", USERS, MAXIMA)


def test_template_is_a_valid_empty_overrides_file(tmp_path):
    result = CliRunner().invoke(main, ["overrides-template"])
    assert result.exit_code == 0, result.output
    assert result.output == TEMPLATE
    assert load(tmp_path, result.output).rows == ()


@pytest.mark.parametrize("text, value", [("1.5", Fraction(3, 2)), ("3/8", Fraction(3, 8)), ("1e3", None),
                                         ("nan", None), ("1/0", None), ("", None)])
def test_parse_points(text, value):
    assert parse_points(text) == value


# ---------------------------------------------------------------- applied in a run


@pytest.fixture(scope="module")
def runs(tmp_path_factory, paper):
    from grader.pipeline import grade_disc

    base = tmp_path_factory.mktemp("overrides")
    disc = write_small_disc(base / "disc", paper.key)
    path = base / "overrides.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["candidate", "criterion", "points", "reason", "examiner"],
                                      ["ks02", "U6-01", "1", REASON, EXAMINER]])
    plain = grade_disc(disc, paper, base / "plain", jobs=1)
    changed = grade_disc(disc, paper, base / "changed", jobs=1, overrides=path)
    return plain, changed, path


def result(out, user):
    return json.loads((out / "candidates" / f"{user}.json").read_text(encoding="utf-8"))


def points_of(document):
    return {c["id"]: c["points"] for u in document["units"] for c in u["criteria"]}


def test_override_changes_exactly_the_points_it_names(runs):
    plain, changed, _ = runs
    for user in USERS:
        before, after = points_of(result(plain.out, user)), points_of(result(changed.out, user))
        differences = {k for k in before if before[k] != after[k]}
        assert differences == ({"U6-01"} if user == "ks02" else set()), user
    before, after = result(plain.out, "ks02"), result(changed.out, "ks02")
    assert (before["total"], after["total"]) == ("19/5", "24/5")  # 3.8 + 1
    unit6 = next(u for u in after["units"] if u["id"] == "U6")
    assert unit6["points"] == "24/5"


def test_json_keeps_the_automatic_value_reason_and_examiner(runs):
    criterion = next(c for u in result(runs[1].out, "ks02")["units"] for c in u["criteria"] if c["id"] == "U6-01")
    assert criterion["points"] == "1" and criterion["automatic"] == "0"
    assert criterion["override"] == {"points": "1", "reason": REASON, "examiner": EXAMINER}
    assert criterion["evidence"]  # the automatic evidence stays


def test_candidate_page_shows_the_override(runs):
    page = (runs[1].out / "candidates" / "ks02.html").read_text(encoding="utf-8")
    assert 'class="override"' in page and '<b class="automatic">0.00</b>' in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "=HYPERLINK(&#34;http://x&#34;)" in page
    untouched = (runs[1].out / "candidates" / "ks03.html").read_text(encoding="utf-8")
    assert 'class="override"' not in untouched


def test_index_marks_the_overridden_candidate(runs):
    index = (runs[1].out / "index.html").read_text(encoding="utf-8")
    row = next(r for r in index.split("<tr") if "candidates/ks02.html" in r)
    assert "override-mark" in row and "U6-01 0→1" in row and "4.80" in row
    assert sum("override-mark\"" in r for r in index.split("<tr")) == 1


def test_summary_csv_and_xlsx_show_the_override(runs):
    out = runs[1].out
    with (out / "summary.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][-1] == "人工改分 Overrides"
    ks02 = next(r for r in rows if r[2] == "ks02")
    assert ks02[-1] == f"U6-01 0→1 ({REASON} — {EXAMINER})"
    book = openpyxl.load_workbook(out / "summary.xlsx")
    sheet = list(book["overrides"].iter_rows(values_only=True))
    assert sheet[1:] == [("2026B0002", "ks02", "U6-01", 1, 0, 1, REASON, EXAMINER)]
    assert book["overrides"]["H2"].data_type == "s"


def test_explain_shows_the_override(runs):
    from grader.report.explain import explain

    text = explain(runs[1].out, "ks02", "U6-01")
    assert "override: automatic 自动 0.00 → 1.00" in text and REASON in text and EXAMINER in text


def test_manifest_records_the_overrides_file(runs):
    plain, changed, path = runs
    manifest = json.loads((changed.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["overrides"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert manifest["overrides"]["rows"] == 1
    assert json.loads((plain.out / "manifest.json").read_text(encoding="utf-8"))["overrides"] is None


def test_gradebook_uses_the_overridden_points(runs, paper):
    from grader.report.gradebook import item_statistics

    u601 = next(s for s in item_statistics(runs[1].rows, paper) if s.criterion == "U6-01")
    assert u601.mean == pytest.approx(0.75)  # 1 1 1 0 after the override


def test_cli_stops_on_a_bad_row_before_grading(tmp_path, paper):
    disc = write_small_disc(tmp_path / "disc", paper.key)
    path = tmp_path / "overrides.csv"
    path.write_text(HEADER + "ks02,U6-01,1,r,e\nks02,U6-02,3,r,e\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [str(disc), "--out", str(out), "--jobs", "1", "--overrides", str(path)])
    assert result.exit_code == 1
    assert f"overrides file {path}, line 3: points 3 outside 0–2 for U6-02" in result.output
    assert not out.exists()


def test_docstring_examples():
    import doctest

    import grader.overrides

    outcome = doctest.testmod(grader.overrides)
    assert outcome.attempted > 0 and outcome.failed == 0
