"""Intake, as §1 of the paper says: where candidates are, who is a candidate, what is ignored."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from helpers import flag_codes, make_candidate, result, unit_points
from helpers import grade_small_disc as grade

from grader.errors import DiscError
from grader.intake import scan_disc
from grader.pipeline import deliverable_names


def roster(disc, users, encoding="utf-8", header="用户名,准考证号,姓名"):
    lines = [header] + [f"{u},2026A{i:04d},考生{i}" for i, u in enumerate(users, 1)]
    (disc / "roster.csv").write_bytes(("\n".join(lines) + "\n").encode(encoding))


def test_candidates_at_the_root_and_one_level_down(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "考生数据" / "ks02", paper)
    found = scan_disc(disc, deliverable_names(paper))
    assert [(c.user, c.relative) for c in found.candidates] == [("ks01", "ks01"), ("ks02", "考生数据/ks02")]


def test_roster_order_absent_and_not_on_roster(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks02", paper)
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks09", paper)
    roster(disc, ["ks02", "ks03", "ks01"])
    out, run = grade(disc, paper, tmp_path)
    assert [r.user for r in run.rows] == ["ks02", "ks03", "ks01", "ks09"]
    absent = result(out, "ks03")
    assert (absent["status"], absent["total"], absent["folder"]) == ("absent", "0", "")
    assert "not-on-roster" in flag_codes(out, "ks09")
    assert unit_points(out, "ks09")["U1"] == "10"
    assert "not-on-roster" not in flag_codes(out, "ks01")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_roster_csv_encodings(tmp_path, paper, encoding):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    roster(disc, ["ks01", "ks02"], encoding=encoding)
    found = scan_disc(disc, deliverable_names(paper))
    assert [(c.user, c.name, c.absent) for c in found.candidates] == [("ks01", "考生1", False), ("ks02", "考生2", True)]


def test_roster_xlsx_with_english_aliases(tmp_path, paper):
    from openpyxl import Workbook

    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    book = Workbook()
    book.active.append(["Candidate Number", "User Name", "Name"])
    book.active.append(["2026A0001", "ks01", "林晓雯"])
    book.save(disc / "roster.xlsx")
    found = scan_disc(disc, deliverable_names(paper))
    assert [(c.user, c.candidate_no, c.name) for c in found.candidates] == [("ks01", "2026A0001", "林晓雯")]


def test_without_roster_only_folders_with_a_deliverable_are_candidates(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    (disc / "ks02").mkdir()
    (disc / "tools").mkdir()
    (disc / "tools" / "notes.txt").write_text("x")
    (disc / "ks03").mkdir()
    (disc / "ks03" / "Thumbs.db").write_bytes(b"junk")
    found = scan_disc(disc, deliverable_names(paper))
    assert [c.user for c in found.candidates] == ["ks01"]


def test_empty_disc_and_missing_disc_are_refused(tmp_path, paper):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DiscError, match="holds no candidate"):
        scan_disc(tmp_path / "empty", deliverable_names(paper))
    with pytest.raises(DiscError, match="does not exist"):
        scan_disc(tmp_path / "nope", deliverable_names(paper))


def test_modified_after_end_is_flagged_not_deducted(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks02", paper)
    end = dt.datetime(2026, 6, 20, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    (disc / "exam.toml").write_text(f'paper = "2026A"\nexam_end = {end.isoformat()}\n', encoding="utf-8")
    before, after = end.timestamp() - 600, end.timestamp() + 60
    for path in (disc / "ks01").rglob("*"):
        os.utime(path, (before, before))
    for path in (disc / "ks02").rglob("*"):
        os.utime(path, (before, before))
    os.utime(disc / "ks02" / "u6_orders.xlsx", (after, after))
    out, _ = grade(disc, paper, tmp_path)
    assert "modified-after-end" not in flag_codes(out, "ks01")
    late = [f for f in result(out, "ks02")["flags"] if f["code"] == "modified-after-end"]
    assert [f["file"] for f in late] == ["u6_orders.xlsx"]
    assert "2026-06-20T11:01:00+08:00" in late[0]["reason"]
    assert unit_points(out, "ks02")["U6"] == "5"


def test_exam_end_without_offset_is_refused(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    (disc / "exam.toml").write_text('exam_end = "2026-06-20T11:00:00"\n', encoding="utf-8")
    with pytest.raises(DiscError, match="needs an offset"):
        scan_disc(disc, deliverable_names(paper))


def test_junk_files_are_ignored(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    for junk in ("Thumbs.db", "desktop.ini", "~$u1_accounts.xlsx", ".DS_Store", "._u6_orders.xlsx"):
        (disc / "ks01" / junk).write_bytes(b"\x00junk")
    out, _ = grade(disc, paper, tmp_path)
    assert unit_points(out, "ks01")["U1"] == "10" and unit_points(out, "ks01")["U6"] == "5"
    assert not {"unreadable-file", "duplicate-deliverable"} & set(flag_codes(out, "ks01"))


def test_deliverable_one_folder_too_deep_is_found_and_flagged(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    (disc / "ks01" / "新建文件夹").mkdir()
    shutil.move(disc / "ks01" / "u6_orders.xlsx", disc / "ks01" / "新建文件夹" / "u6_orders.xlsx")
    out, _ = grade(disc, paper, tmp_path)
    assert unit_points(out, "ks01")["U6"] == "5"
    flags = [f for f in result(out, "ks01")["flags"] if f["code"] == "misplaced"]
    assert [(f["file"], f["unit"]) for f in flags] == [("新建文件夹/u6_orders.xlsx", "U6")]


def test_upper_case_extension_and_chinese_name(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    (disc / "ks01" / "u1_accounts.xlsx").rename(disc / "ks01" / "U1_ACCOUNTS.XLSX")
    (disc / "ks01" / "u6_orders.xlsx").rename(disc / "ks01" / "订单管理.xlsx")
    out, _ = grade(disc, paper, tmp_path)
    assert unit_points(out, "ks01")["U1"] == "10" and unit_points(out, "ks01")["U6"] == "5"


def test_duplicate_deliverable_graded_from_the_preferred_file(tmp_path, paper):
    disc = tmp_path / "disc"
    drafts = make_candidate(disc / "ks01", paper)
    wrong = drafts["u6_orders"]
    wrong.fmt = "csv"
    for row in wrong.sheets["订单"][1:]:
        row[1] = "不通过"
    wrong.write(disc / "ks01")
    out, _ = grade(disc, paper, tmp_path)
    assert unit_points(out, "ks01")["U6"] == "5"  # the .xlsx, preferred over the .csv
    flag = next(f for f in result(out, "ks01")["flags"] if f["code"] == "duplicate-deliverable")
    assert flag["file"] == "u6_orders.xlsx" and "u6_orders.csv" in flag["reason"]


def test_chinese_folder_name_with_roster(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "考生01", paper)
    roster(disc, ["考生01"])
    out, _ = grade(disc, paper, tmp_path)
    assert unit_points(out, "考生01")["U1"] == "10"
