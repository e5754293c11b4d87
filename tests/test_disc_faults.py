"""Faults of a disc as a whole: an archive entry that cannot be unpacked (skipped, its candidate
flagged), a disc-root file that is a symbolic link (refused), and a disc on which no candidate has
a readable deliverable (every report written, then the run fails loud)."""
from __future__ import annotations

import json
import zipfile

import pytest
from click.testing import CliRunner
from discimage import make_iso, make_plain_iso, make_zip
from helpers import flag_codes, make_candidate, result, unit_points

from grader.cli import main
from grader.errors import DiscError, NothingReadError
from grader.pipeline import grade_disc

LONG = "订" * 100 + ".xlsx"  # one name part of 305 bytes


@pytest.fixture
def two_candidates(tmp_path, paper):
    disc = tmp_path / "src"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks02", paper)
    return disc


def skipped_flags(out, user):
    return [f["reason"] for f in result(out, user)["flags"] if f["code"] == "skipped-entry"]


def test_odd_zip_entries_are_skipped_and_the_candidate_holding_them_flagged(two_candidates, tmp_path, paper):
    archive = make_zip(two_candidates, tmp_path / "disc.zip")
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr(f"ks02/{LONG}", "x")
        z.writestr("ks02/../../escape.txt", "x")
        z.writestr("/etc/evil", "x")
    out = tmp_path / "out"
    run = grade_disc(archive, paper, out, jobs=1)
    assert unit_points(out, "ks01")["U6"] == "5" and unit_points(out, "ks02")["U6"] == "5"
    assert "skipped-entry" not in flag_codes(out, "ks01")
    reasons = skipped_flags(out, "ks02")
    assert len(reasons) == 2 and result(out, "ks02")["status"] == "needs-review"
    assert any("'ks02/../../escape.txt' was not unpacked: a '..' part" in r for r in reasons)
    assert any("'ks02/订订" in r and "a name part of 305 bytes" in r for r in reasons)
    assert len(run.warnings) == 3 and any("'/etc/evil'" in w for w in run.warnings)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"]["warnings"] == run.warnings


def test_a_rostered_candidate_whose_only_entry_was_skipped_is_present_and_flagged(two_candidates, tmp_path, paper):
    (two_candidates / "roster.csv").write_text("username\nks01\nks02\nks03\n", encoding="utf-8")
    archive = make_zip(two_candidates, tmp_path / "disc.zip")
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("ks03/./u1_accounts.xlsx", "x")
    out = tmp_path / "out"
    grade_disc(archive, paper, out, jobs=1)
    assert result(out, "ks03")["status"] == "needs-review"  # not absent: the folder was on the disc
    assert {"skipped-entry", "no-deliverables"} <= set(flag_codes(out, "ks03"))
    why = "the disc image's entry 'ks03/./u1_accounts.xlsx' was not unpacked: a '.' part"
    assert skipped_flags(out, "ks03") == [why]


def test_odd_rock_ridge_names_on_an_iso_are_skipped_and_flagged(two_candidates, tmp_path, paper):
    image = make_iso(two_candidates, tmp_path / "disc.iso", joliet=False,
                     odd_names={f"ks01/{LONG}": b"x", "ks01/..": b"x"})
    out = tmp_path / "out"
    run = grade_disc(image, paper, out, jobs=1)
    assert unit_points(out, "ks01")["U6"] == "5" and unit_points(out, "ks02")["U6"] == "5"
    assert len(skipped_flags(out, "ks01")) == 2 and skipped_flags(out, "ks02") == []
    assert len(run.warnings) == 2


@pytest.mark.parametrize("name", ["roster.csv", "roster.xlsx", "ROSTER.XLS", "exam.toml"])
def test_a_disc_root_file_that_is_a_symbolic_link_is_refused(two_candidates, tmp_path, paper, name):
    outside = tmp_path / "elsewhere" / name
    outside.parent.mkdir()
    outside.write_text("username\nks01\n" if name != "exam.toml" else 'paper = "2026A"\n', encoding="utf-8")
    (two_candidates / name).symlink_to(outside)
    with pytest.raises(DiscError, match=f"^{name} at the disc root is a symbolic link .*elsewhere"):
        grade_disc(two_candidates, paper, tmp_path / "out", jobs=1)
    cli = CliRunner().invoke(main, [str(two_candidates), "--out", str(tmp_path / "out2"), "--jobs", "1"])
    assert cli.exit_code == 1, cli.output
    assert cli.output.startswith(f"Error: {name} at the disc root is a symbolic link")
    assert cli.output.count("\n") == 1


def nothing_readable_disc(root, paper):
    """ks01: files with names no deliverable has (as from an 8.3 disc); ks02: a workbook that is not
    one; ks03: an empty folder; ks04 absent."""
    (root / "ks01").mkdir(parents=True)
    (root / "ks01" / "U1_ACCOU.XLS").write_bytes(b"x")
    (root / "ks02").mkdir()
    (root / "ks02" / "u1_accounts.xlsx").write_bytes(b"garbage")
    (root / "ks03").mkdir()
    (root / "roster.csv").write_text("username\nks01\nks02\nks03\nks04\n", encoding="utf-8")
    return root


def test_a_disc_with_no_readable_deliverable_fails_after_writing_every_report(tmp_path, paper):
    disc = nothing_readable_disc(tmp_path / "disc", paper)
    out = tmp_path / "out"
    with pytest.raises(NothingReadError) as caught:
        grade_disc(disc, paper, out, jobs=1)
    assert str(caught.value).startswith(f"no candidate on {disc} has a readable deliverable (3 folders graded, "
                                        f"reports in {out}): is this the right disc")
    assert isinstance(caught.value, DiscError)
    run = caught.value.run
    assert [r.status for r in run.rows] == ["unreadable", "unreadable", "needs-review", "absent"]
    assert sorted(p.name for p in (out / "candidates").glob("*.json")) == [f"ks0{i}.json" for i in range(1, 5)]
    for report in ("index.html", "summary.csv", "summary.xlsx", "manifest.json"):
        assert (out / report).is_file(), report


def test_the_cli_reports_a_disc_with_no_readable_deliverable_in_one_line(tmp_path, paper):
    disc = nothing_readable_disc(tmp_path / "disc", paper)
    cli = CliRunner().invoke(main, [str(disc), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert cli.exit_code == 1, cli.output
    assert cli.output.startswith("Error: no candidate on") and cli.output.count("\n") == 1


def test_one_readable_candidate_is_enough(tmp_path, paper):
    disc = nothing_readable_disc(tmp_path / "disc", paper)
    make_candidate(disc / "ks04", paper)
    run = grade_disc(disc, paper, tmp_path / "out", jobs=1)
    assert run.count("unreadable") == 2 and not run.nothing_read


def test_an_image_with_only_8_3_names_fails_loud(demo_disc, paper, tmp_path):
    """The demo disc burned as plain ISO 9660 level 1: ROSTER.CSV and KS01… are found, but no
    deliverable (U1_ACCOU.XLS is not u1_accounts.xlsx)."""
    image = make_plain_iso(demo_disc, tmp_path / "demo.iso", interchange_level=1)
    with pytest.raises(NothingReadError, match=r"\(20 folders graded, .*burned without long file names"):
        grade_disc(image, paper, tmp_path / "out", jobs=2)
