"""Candidate folder names as real discs carry them: alike, too long, not UTF-8, reserved, linked.

Every candidate keeps a result of its own (``candidates/<result id>.json``), its own points and
flags, and the run never stops for a name.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import grade_small_disc, make_candidate

from grader.cli import main
from grader.errors import GraderError, OverridesError
from grader.intake import scan_disc
from grader.names import result_stem
from grader.paper import load_paper
from grader.pipeline import deliverable_names
from grader.report.explain import explain
from grader.verify import verify

U1_ONLY, U6_ONLY = ("u1_accounts",), ("u6_orders",)  # 10 and 5 points; both (the default) 15


@pytest.fixture(scope="module")
def paper():
    return load_paper("2026A")


def roster(disc: Path, users: list[str]) -> None:
    lines = ["用户名,准考证号,姓名"] + [f"{u},2026A{i:04d},考生{i}" for i, u in enumerate(users, 1)]
    (disc / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def grade(disc: Path, paper, tmp_path: Path, similarity: bool = False, **kw):
    """Grade with jobs=1; the similarity stage off unless asked (these small classes hand in
    identical files)."""
    return grade_small_disc(disc, paper, tmp_path, similarity=similarity, **kw)


def results(out: Path) -> dict[str, dict]:
    """Every result file by its stem; each must be valid UTF-8 JSON."""
    files = sorted((out / "candidates").glob("*.json"))
    return {p.stem: json.loads(p.read_bytes().decode("utf-8")) for p in files}


def summary(out: Path) -> dict[str, tuple]:
    """(user, folder, status, total, flag codes) of every result, by result id."""
    return {stem: (d["user"], d["folder"], d["status"], d["total"], sorted({f["code"] for f in d["flags"]}))
            for stem, d in results(out).items()}


def read_paths(out: Path, result_id: str) -> list[str]:
    """The files the candidate's grading read, as its result lists them."""
    return [i["path"] for i in results(out)[result_id]["inputs"]]


def reasons(out: Path, result_id: str, code: str) -> list[str]:
    return [f["reason"] for f in results(out)[result_id]["flags"] if f["code"] == code]


# ---------------------------------------------------------------- names that map to one file name


def test_names_that_clean_to_one_file_name_each_keep_their_own_result(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks:01", paper, only=U1_ONLY)
    make_candidate(disc / "ks*01", paper, only=U6_ONLY)
    make_candidate(disc / "ks_01", paper)
    out, run = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks_01": ("ks_01", "ks_01", "graded", "15", []),
        "ks_01~5de7005e": ("ks:01", "ks:01", "graded", "10", []),
        "ks_01~affe3b4d": ("ks*01", "ks*01", "graded", "5", []),
    }
    assert sorted(p.name for p in (out / "candidates").glob("*.html")) == [
        "ks_01.html", "ks_01~5de7005e.html", "ks_01~affe3b4d.html"]
    assert sorted(p.name for p in (out / ".cache").glob("*.json")) == [
        "ks_01.json", "ks_01~5de7005e.json", "ks_01~affe3b4d.json"]
    assert results(out)["ks_01~5de7005e"]["result_id"] == "ks_01~5de7005e"
    assert "result_id" not in results(out)["ks_01"]  # a plain name's result is as it always was
    index = (out / "index.html").read_text(encoding="utf-8")
    links = [f'href="candidates/{stem}.html"' for stem in ("ks_01", "ks_01~5de7005e", "ks_01~affe3b4d")]
    assert [index.count(link) for link in links] == [1, 1, 1]
    assert [(r.user, r.result_id) for r in run.rows] == [
        ("ks*01", "ks_01~affe3b4d"), ("ks:01", "ks_01~5de7005e"), ("ks_01", "ks_01")]


def test_one_name_at_the_root_and_one_level_down_gets_the_folder_path_hashed(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper, only=U1_ONLY)
    make_candidate(disc / "考生数据" / "ks01", paper, only=U6_ONLY)
    make_candidate(disc / "考生数据" / "ks02", paper)
    out, _ = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks01~2c5b37be": ("ks01", "ks01", "needs-review", "10", ["duplicate-candidate"]),
        "ks01~bacedf49": ("ks01", "考生数据/ks01", "needs-review", "5", ["duplicate-candidate"]),
        "ks02": ("ks02", "考生数据/ks02", "graded", "15", []),
    }
    assert reasons(out, "ks01~2c5b37be", "duplicate-candidate") == [
        "2 folders stand for one user name: this one and '考生数据/ks01'; each is graded on its own"]


def test_an_over_long_name_is_graded_under_a_short_result_id(tmp_path, paper):
    disc = tmp_path / "disc"
    long_ascii, long_chinese = "ks" + "x" * 253, "考" * 85  # 255 bytes each, the most a Linux name holds
    make_candidate(disc / long_ascii, paper, only=U1_ONLY)
    make_candidate(disc / long_chinese, paper, only=U6_ONLY)
    out, run = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks" + "x" * 38 + "~304af482": (long_ascii, long_ascii, "graded", "10", []),
        "考" * 40 + "~73c94b2b": (long_chinese, long_chinese, "graded", "5", []),
    }
    assert len(run.rows) == 2
    assert max(len(p.name.encode()) for p in (out / "candidates").iterdir()) == 134  # 考 × 40, ~hash, .html


def test_a_300_byte_name_maps_to_a_capped_stem():
    # more than a folder name can be on Linux, but what an unpacked zip or ISO may try to give
    assert result_stem("张" * 100) == "张" * 40 + "~b4ce0a44"


# ---------------------------------------------------------------- a name that is not UTF-8


def gbk_folder(disc: Path, text: str) -> Path:
    disc.mkdir(parents=True, exist_ok=True)
    raw = os.fsencode(disc) + b"/" + text.encode("gbk")
    os.mkdir(raw)
    return Path(os.fsdecode(raw))


def test_a_gbk_folder_name_is_shown_decoded_and_graded(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(gbk_folder(disc, "张三"), paper, only=U1_ONLY)
    make_candidate(disc / "ks02", paper)
    out, run = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks02": ("ks02", "ks02", "graded", "15", []),
        "张三~c2bd2092": ("张三", "张三", "needs-review", "10", ["guessed-encoding"]),
    }
    assert reasons(out, "张三~c2bd2092", "guessed-encoding") == [
        "the folder's name is not UTF-8; shown as read in gb18030"]
    assert read_paths(out, "张三~c2bd2092") == ["张三/u1_accounts.xlsx"]
    manifest = json.loads((out / "manifest.json").read_bytes().decode("utf-8"))
    assert "candidates/张三~c2bd2092.json" in manifest["results"]
    assert [r.user for r in run.rows] == ["ks02", "张三"]
    assert verify(disc, out).lines()[0] == "✓ disc: all 4 input files unchanged (sha256)"


def test_a_gbk_folder_name_matches_the_roster_by_its_decoded_name(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(gbk_folder(disc, "张三"), paper)
    roster(disc, ["张三", "ks09"])
    out, _ = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks09": ("ks09", "", "absent", "0", []),
        "张三": ("张三", "张三", "needs-review", "15", ["guessed-encoding"]),
    }


def test_a_name_that_is_neither_utf8_nor_gb18030_is_shown_with_replacement_characters(tmp_path, paper):
    disc = tmp_path / "disc"
    disc.mkdir()
    raw = os.fsencode(disc) + b"/ks\xff03"
    os.mkdir(raw)
    make_candidate(Path(os.fsdecode(raw)), paper)
    out, _ = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks\ufffd03~2d24f57a": ("ks\ufffd03", "ks\ufffd03", "needs-review", "15", ["guessed-encoding"]),
    }
    assert reasons(out, "ks\ufffd03~2d24f57a", "guessed-encoding") == [
        "the folder's name is not UTF-8; shown as read in utf-8 with U+FFFD"]


# ---------------------------------------------------------------- two folders for one user


def test_case_twins_are_both_graded_and_the_exact_name_takes_the_roster_row(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "KS02", paper, only=U1_ONLY)
    make_candidate(disc / "ks02", paper, only=U6_ONLY)
    roster(disc, ["ks02"])
    out, run = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "KS02~899027cd": ("KS02", "KS02", "needs-review", "10", ["duplicate-candidate", "not-on-roster"]),
        "ks02": ("ks02", "ks02", "needs-review", "5", ["duplicate-candidate"]),
    }
    assert results(out)["ks02"]["candidate_no"] == "2026A0001"
    assert results(out)["KS02~899027cd"]["candidate_no"] == ""
    assert reasons(out, "ks02", "duplicate-candidate") == [
        "2 folders stand for one user name: this one and 'KS02'; this folder took the roster row"]
    assert reasons(out, "KS02~899027cd", "duplicate-candidate") == [
        ("2 folders stand for one user name: this one and 'ks02'; 'ks02' took the roster row; "
         "this one is graded as a folder not on the roster")]
    assert [(r.user, r.result_id) for r in run.rows] == [("ks02", "ks02"), ("KS02", "KS02~899027cd")]


def test_space_twins_are_both_graded(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / " ks04", paper, only=U1_ONLY)
    make_candidate(disc / "ks04", paper, only=U6_ONLY)
    out, _ = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks04": ("ks04", "ks04", "needs-review", "5", ["duplicate-candidate"]),
        "ks04~15170c95": (" ks04", " ks04", "needs-review", "10", ["duplicate-candidate"]),
    }
    assert reasons(out, "ks04~15170c95", "duplicate-candidate") == [
        "2 folders stand for one user name: this one and 'ks04'; each is graded on its own"]


def test_which_twin_takes_the_roster_row(tmp_path, paper):
    disc = tmp_path / "disc"
    for name in ("Ks05", "KS05", " ks06", "ks06 ", "ks06", "KS07 ", " KS07"):
        make_candidate(disc / name, paper)
    roster(disc, ["ks05", "ks06", "ks07"])
    found = scan_disc(disc, deliverable_names(paper))
    assert [(c.user, c.relative, c.rostered, c.result_id) for c in found.candidates] == [
        ("ks05", "KS05", True, "ks05"),  # no exact name, none to trim: the first in sorted order
        ("ks06", "ks06", True, "ks06"),  # the exact name
        ("ks07", " KS07", True, "ks07"),  # nor here: " KS07" sorts before "KS07 "
        ("Ks05", "Ks05", False, "Ks05~cedd0859"),
        (" ks06", " ks06", False, "ks06~60640988"),
        ("ks06 ", "ks06 ", False, "ks06~583b1ac7"),
        ("KS07 ", "KS07 ", False, "KS07~b9fa964b"),
    ]


# ---------------------------------------------------------------- reserved names


def test_names_windows_reserves_never_become_file_names(tmp_path, paper):
    disc = tmp_path / "disc"
    for name in ("CON", "nul.txt", "com1", "Lpt9.tar.gz", "aux"):
        make_candidate(disc / name, paper)
    out, _ = grade(disc, paper, tmp_path)
    assert {stem: (d["user"], d["total"]) for stem, d in results(out).items()} == {
        "CON~a3dbc4b6": ("CON", "15"),
        "_Lpt9.tar.gz~25bf08d0": ("Lpt9.tar.gz", "15"),  # what precedes the first dot is what Windows reads
        "_nul.txt~7f3cbdd5": ("nul.txt", "15"),
        "aux~321f6814": ("aux", "15"),
        "com1~957a49c3": ("com1", "15"),
    }


# ---------------------------------------------------------------- symbolic links


def test_a_link_to_a_folder_inside_the_disc_is_followed_and_flagged(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks10", paper, only=U1_ONLY)
    os.symlink("ks10", disc / "ks11")
    out, _ = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks10": ("ks10", "ks10", "graded", "10", []),
        "ks11": ("ks11", "ks11", "needs-review", "10", ["symlink"]),
    }
    assert reasons(out, "ks11", "symlink") == [
        "the candidate folder is a symbolic link to 'ks10' on the disc; followed"]
    assert read_paths(out, "ks11") == ["ks11/u1_accounts.xlsx"]


def test_a_link_out_of_the_disc_is_not_followed_but_still_a_candidate(tmp_path, paper):
    disc, outside = tmp_path / "disc", tmp_path / "elsewhere"
    make_candidate(disc / "ks10", paper)
    make_candidate(outside / "ks12", paper)
    os.symlink(outside / "ks12", disc / "ks12")
    os.symlink("ks13", disc / "ks13")  # a loop
    out, run = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks10": ("ks10", "ks10", "graded", "15", []),
        "ks12": ("ks12", "ks12", "needs-review", "0", ["no-deliverables", "symlink"]),
        "ks13": ("ks13", "ks13", "needs-review", "0", ["no-deliverables", "symlink"]),
    }
    assert reasons(out, "ks12", "symlink") == [
        (f"the candidate folder is a symbolic link to '{outside / 'ks12'}', not a folder inside the disc; "
         f"not followed, nothing graded")]
    assert reasons(out, "ks13", "symlink") == [
        "the candidate folder is a symbolic link to 'ks13', which leads nowhere; not followed"]
    assert read_paths(out, "ks12") == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not [p for p in manifest["inputs"] if p["path"].startswith("ks12/")]
    assert run.counts == {"graded": 1, "needs-review": 2, "reviewed": 0, "unreadable": 0, "absent": 0}


def test_rostered_linked_candidates_are_never_absent(tmp_path, paper):
    disc, outside = tmp_path / "disc", tmp_path / "elsewhere"
    make_candidate(disc / "考生数据" / "ks10", paper, only=U6_ONLY)
    make_candidate(outside / "ks12", paper)
    os.symlink(outside / "ks12", disc / "考生数据" / "ks12")
    os.symlink("ks10", disc / "考生数据" / "ks11")
    os.symlink(".", disc / "考生数据" / "ks14")  # leads to the folder that holds it
    roster(disc, ["ks10", "ks11", "ks12", "ks14"])
    out, run = grade(disc, paper, tmp_path)
    assert summary(out) == {
        "ks10": ("ks10", "考生数据/ks10", "graded", "5", []),
        "ks11": ("ks11", "考生数据/ks11", "needs-review", "5", ["symlink"]),
        "ks12": ("ks12", "考生数据/ks12", "needs-review", "0", ["no-deliverables", "symlink"]),
        "ks14": ("ks14", "考生数据/ks14", "needs-review", "0", ["no-deliverables", "symlink"]),
    }
    assert reasons(out, "ks14", "symlink") == [
        "the candidate folder is a symbolic link to '.', which holds the link itself; not followed"]
    assert [r.status for r in run.rows] == ["graded", "needs-review", "needs-review", "needs-review"]


def test_similarity_names_the_other_candidate_by_its_result_id(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "KS02", paper)
    make_candidate(disc / "ks02", paper)
    out, _ = grade(disc, paper, tmp_path, similarity=True)
    assert summary(out) == {
        "KS02~899027cd": ("KS02", "KS02", "needs-review", "15", ["duplicate-candidate", "similar-to"]),
        "ks02": ("ks02", "ks02", "needs-review", "15", ["duplicate-candidate", "similar-to"]),
    }
    assert reasons(out, "KS02~899027cd", "similar-to") == [
        "similar-to ks02 (u1_accounts.xlsx, 100%)", "similar-to ks02 (u6_orders.xlsx, 100%)"]
    assert reasons(out, "ks02", "similar-to") == [
        "similar-to KS02~899027cd (u1_accounts.xlsx, 100%)",
        "similar-to KS02~899027cd (u6_orders.xlsx, 100%)"]


def test_an_unchanged_disc_of_odd_names_is_taken_from_the_cache(tmp_path, paper):
    disc = tmp_path / "disc"
    for name in ("ks:01", "ks_01", "KS02", "ks02"):
        make_candidate(disc / name, paper)
    os.symlink("ks02", disc / "ks03")
    out, first = grade(disc, paper, tmp_path)
    before = {p.name: p.read_bytes() for p in (out / "candidates").glob("*.json")}
    out, again = grade(disc, paper, tmp_path)
    assert (first.cached, again.cached) == (0, 5)
    assert {p.name: p.read_bytes() for p in (out / "candidates").glob("*.json")} == before


# ---------------------------------------------------------------- naming a candidate afterwards


@pytest.fixture
def twins(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "KS02", paper)
    make_candidate(disc / "ks02", paper)
    make_candidate(disc / "ks03", paper)
    roster(disc, ["ks02", "ks03"])
    return disc


def overrides_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "overrides.csv"
    path.write_text("candidate,criterion,points,reason,examiner\n" + "".join(r + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_an_override_for_a_shared_name_is_refused_with_the_result_ids(tmp_path, paper, twins):
    path = overrides_file(tmp_path, "ks03,U6-01,0,r,e", "KS02,U6-01,0,r,e")
    with pytest.raises(OverridesError) as caught:
        grade(twins, paper, tmp_path, overrides=path)
    assert str(caught.value) == (f"overrides file {path}, line 3: candidate 'KS02' stands for 2 folders on this "
                                 f"disc; give the result id of one: KS02~899027cd, ks02")


def test_an_override_by_result_id_changes_that_folder_only(tmp_path, paper, twins):
    path = overrides_file(tmp_path, "KS02~899027cd,U6-01,0,r,e", "KS03,U6-02,1,r,e")
    out, _ = grade(twins, paper, tmp_path, overrides=path)
    totals = {stem: d["total"] for stem, d in results(out).items()}
    assert totals == {"KS02~899027cd": "14", "ks02": "15", "ks03": "14"}


def test_only_takes_a_result_id(tmp_path, paper, twins):
    _, run = grade(twins, paper, tmp_path, only=["KS02~899027cd"])
    assert [(r.user, r.result_id) for r in run.rows] == [("KS02", "KS02~899027cd")]


def test_explain_takes_a_user_name_or_a_result_id(tmp_path, paper, twins):
    out, _ = grade(twins, paper, tmp_path)
    assert explain(out, "KS02~899027cd").splitlines()[0].startswith("KS02: 总分 total 15")
    assert explain(out, "ks02").splitlines()[0].startswith("ks02 考生1 (2026A0001): 总分 total 15")
    assert explain(out, "KS03").splitlines()[0].startswith("ks03 考生2 (2026A0002)")
    with pytest.raises(GraderError) as caught:
        explain(out, "KS02")
    assert str(caught.value) == (f"'KS02' stands for 2 candidates in {out / 'candidates'}; give a result id: "
                                 f"KS02~899027cd, ks02")
    cli = CliRunner().invoke(main, ["explain", str(out), " ks02 "])
    assert cli.exit_code == 1 and cli.output.count("\n") == 1 and "KS02~899027cd, ks02" in cli.output
