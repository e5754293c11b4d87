"""``grade explain`` (from the JSON results, no regrading) and ``grade verify`` (sha256 of every input)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_gradebook import write_small_disc

from grader.cli import main
from grader.errors import GraderError
from grader.report.explain import explain
from grader.verify import verify

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graded(tmp_path_factory, paper):
    from grader.pipeline import grade_disc

    base = tmp_path_factory.mktemp("explain")
    disc = write_small_disc(base / "disc", paper.key)
    grade_disc(disc, paper, base / "out", jobs=1)
    return disc, base / "out"


@pytest.fixture
def own_copy(tmp_path, paper):
    """A graded disc, rubric and key of the test's own, free to be changed."""
    from grader.pipeline import grade_disc

    shutil.copytree(REPO / "rubrics", tmp_path / "paper" / "rubrics")
    shutil.copytree(REPO / "answer_keys", tmp_path / "paper" / "answer_keys")
    rubric = tmp_path / "paper" / "rubrics" / "2026A.toml"
    disc = write_small_disc(tmp_path / "disc", paper.key)
    out = tmp_path / "out"
    grade_disc(disc, str(rubric), out, jobs=1)
    return disc, out, rubric


# ---------------------------------------------------------------- explain


def test_explain_lists_every_criterion_with_points(graded, paper):
    text = explain(graded[1], "ks02")
    assert text.splitlines()[0].startswith("ks02 考生02 (2026B0002): 总分 total 3.80 / 100, 不合格 fail, ")
    for criterion in paper.criteria():
        assert f"  {criterion.id} " in text
    assert "U6 订单管理 Orders: 3.80 / 5" in text
    assert "U6-02   1.90 / 2  lost 扣 0.10" in text


def test_explain_says_why_points_were_lost(graded):
    text = explain(graded[1], "ks02")
    block = text.split("  U6-01")[1].split("  U6-02")[0]
    assert "✗ order SO26110005 is not in the list" in block
    assert "u6_orders.xlsx › 订单" in block and "expected 应为: SO26110005" in block and "found 实际: (missing)" in block
    assert "✓" not in block  # only what cost points


def test_explain_one_criterion_shows_all_its_evidence(graded):
    text = explain(graded[1], "ks03", "u6-02")
    assert "U6-01" not in text and "U1" not in text
    assert "U6-02   1.80 / 2  lost 扣 0.20" in text
    assert text.count("✗") == 2 and text.count("✓") == 18
    assert "u6_orders.xlsx › 订单 › B2" in text


def test_explain_one_unit(graded):
    text = explain(graded[1], "ks04", "U6")
    assert "U6-01" in text and "U6-03" in text and "U5" not in text


def test_explain_reads_results_only(graded, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(graded[1], out)
    before = explain(out, "ks02")
    assert explain(out, "KS02") == before  # the user's case does not matter
    document = json.loads((out / "candidates" / "ks02.json").read_text(encoding="utf-8"))
    document["units"][5]["criteria"][0]["evidence"][0]["message"] = "edited in the JSON"
    (out / "candidates" / "ks02.json").write_text(json.dumps(document), encoding="utf-8")
    assert "edited in the JSON" in explain(out, "ks02")  # what the JSON says, not a new grading


@pytest.mark.parametrize("user, part, message", [
    ("ks99", None, "no result for 'ks99'"),
    ("ks02", "U9-01", "'U9-01' is neither a unit nor a criterion"),
])
def test_explain_unknown(graded, user, part, message):
    with pytest.raises(GraderError, match=message):
        explain(graded[1], user, part)


def test_explain_cli(graded):
    result = CliRunner().invoke(main, ["explain", str(graded[1]), "ks02", "U6-01"])
    assert result.exit_code == 0, result.output
    assert "U6-01   0.00 / 1  lost 扣 1.00" in result.output
    missing = CliRunner().invoke(main, ["explain", str(graded[1] / "nowhere"), "ks02"])
    assert missing.exit_code == 1 and "not a results folder" in missing.output


# ---------------------------------------------------------------- verify


def test_verify_unchanged(own_copy):
    disc, out, _ = own_copy
    outcome = verify(disc, out)
    assert outcome.ok, outcome.lines()
    assert {f.topic for f in outcome.findings} == {"disc", "rubric", "key", "overrides", "results", "review"}
    result = CliRunner().invoke(main, ["verify", str(disc), str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("OK 一致")


def test_verify_lists_every_input_file(own_copy):
    _, out, _ = own_copy
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {i["path"] for i in manifest["inputs"]}
    assert listed == {"roster.csv", "ks01/u6_orders.xlsx", "ks02/u6_orders.xlsx", "ks03/u6_orders.xlsx",
                      "ks04/u6_orders.xlsx"}


def test_verify_detects_one_changed_byte(own_copy):
    disc, out, _ = own_copy
    path = disc / "ks03" / "u6_orders.xlsx"
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    outcome = verify(disc, out)
    assert not outcome.ok
    assert [f.text for f in outcome.findings if not f.ok] == ["1 input file(s) changed: ks03/u6_orders.xlsx"]
    result = CliRunner().invoke(main, ["verify", str(disc), str(out)])
    assert result.exit_code == 1
    assert "✗ disc: 1 input file(s) changed: ks03/u6_orders.xlsx" in result.output
    assert "MISMATCH 不一致" in result.output


def test_verify_detects_a_missing_input(own_copy):
    disc, out, _ = own_copy
    (disc / "roster.csv").unlink()
    outcome = verify(disc, out)
    assert [f.text for f in outcome.findings if not f.ok] == ["1 input file(s) missing or unreadable: roster.csv"]


def test_verify_detects_another_disc(own_copy, graded):
    _, out, _ = own_copy
    other = graded[0].parent / "other"
    shutil.copytree(graded[0], other, dirs_exist_ok=True)
    (other / "ks01" / "u6_orders.xlsx").write_bytes(b"another file")
    assert not verify(other, out).ok


def test_verify_detects_a_changed_rubric(own_copy):
    disc, out, rubric = own_copy
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    outcome = verify(disc, out)
    assert [f.topic for f in outcome.findings if not f.ok] == ["rubric"]


def test_verify_detects_a_changed_key_file_by_name(own_copy):
    disc, out, rubric = own_copy
    orders = rubric.parent.parent / "answer_keys" / "2026A" / "orders.csv"
    orders.write_bytes(orders.read_bytes() + b"\n")
    outcome = verify(disc, out)
    bad = [f for f in outcome.findings if not f.ok]
    assert [f.topic for f in bad] == ["key"] and bad[0].text.endswith(": orders.csv")


def test_verify_checks_the_overrides(own_copy, paper):
    from grader.pipeline import grade_disc

    disc, out, rubric = own_copy
    overrides = disc.parent / "overrides.csv"
    overrides.write_text("candidate,criterion,points,reason,examiner\nks02,U6-01,1,r,e\n", encoding="utf-8")
    # results made without overrides do not belong to an overrides file
    assert [f.topic for f in verify(disc, out, overrides=overrides).findings if not f.ok] == ["overrides"]
    grade_disc(disc, str(rubric), out, jobs=1, overrides=overrides)
    assert verify(disc, out).ok  # the file the run used
    assert verify(disc, out, overrides=overrides).ok
    overrides.write_text("candidate,criterion,points,reason,examiner\nks02,U6-01,0.5,r,e\n", encoding="utf-8")
    outcome = verify(disc, out)
    assert [f.text for f in outcome.findings if not f.ok] == [
        f"{overrides} differs from the overrides the results were made with"]


def test_verify_detects_edited_and_foreign_results(own_copy):
    disc, out, _ = own_copy
    path = out / "candidates" / "ks01.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"total": "5"', '"total": "50"'), encoding="utf-8")
    (out / "candidates" / "ks77.json").write_text("{}", encoding="utf-8")
    texts = [f.text for f in verify(disc, out).findings if not f.ok]
    assert texts == ["1 result file(s) changed since the run: candidates/ks01.json",
                     "1 result file(s) not written by this run: candidates/ks77.json"]


def test_verify_needs_a_manifest(tmp_path, graded):
    with pytest.raises(GraderError, match="holds no manifest.json"):
        verify(graded[0], tmp_path)
    result = CliRunner().invoke(main, ["verify", str(graded[0]), str(tmp_path)])
    assert result.exit_code == 1 and "holds no manifest.json" in result.output
