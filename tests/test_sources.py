"""Disc images: an ISO (Rock Ridge, UDF, Joliet or plain ISO 9660 names, Chinese included) and a zip,
unpacked safely; an entry that cannot be unpacked is skipped with a warning, never refusing the disc."""
from __future__ import annotations

import os
import zipfile

import pytest
from discimage import make_iso, make_plain_iso, make_udf, make_zip

from grader.errors import DiscError
from grader.limits import Limits
from grader.sources import open_disc


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "src"
    (root / "考生数据" / "ks01").mkdir(parents=True)
    (root / "考生数据" / "ks01" / "订单管理.xlsx").write_bytes(b"PK fake")
    (root / "exam.toml").write_text('paper = "2026A"\n', encoding="utf-8")
    os.utime(root / "考生数据" / "ks01" / "订单管理.xlsx", (1781923200, 1781923200))
    return root


def listing(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


@pytest.mark.parametrize("rock_ridge, joliet", [(True, True), (True, False), (False, True)])
def test_iso_names_are_the_real_names(folder, tmp_path, rock_ridge, joliet):
    image = make_iso(folder, tmp_path / "disc.iso", rock_ridge=rock_ridge, joliet=joliet)
    with open_disc(image) as source:
        assert source.kind == "iso"
        assert listing(source.root) == listing(folder)
        assert (source.root / "考生数据" / "ks01" / "订单管理.xlsx").read_bytes() == b"PK fake"
        unpacked = source.root
    assert not unpacked.exists()  # the temporary folder is removed afterwards


def test_zip_keeps_names_and_times_and_skips_traversal(folder, tmp_path):
    archive = make_zip(folder, tmp_path / "results.zip")
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("../../escape.txt", "x")
        z.writestr("/etc/evil", "x")
    with open_disc(archive) as source:
        assert listing(source.root) == listing(folder)
        assert int((source.root / "考生数据/ks01/订单管理.xlsx").stat().st_mtime) // 2 == 1781923200 // 2
        assert len(source.warnings) == 2 and all("outside the disc" in w for w in source.warnings)
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path.parent / "escape.txt").exists()


def test_zip_with_a_single_disc_folder_inside(folder, tmp_path):
    archive = make_zip(folder, tmp_path / "results.zip", prefix="2026A-demo/")
    with open_disc(archive) as source:
        assert source.root.name == "2026A-demo" and (source.root / "exam.toml").is_file()


def test_zip_with_gbk_names(tmp_path):
    """Chinese Windows writes GBK names without the UTF-8 flag."""
    gbk = "考生数据".encode("gbk")
    placeholder = b"A" * len(gbk)
    with zipfile.ZipFile(tmp_path / "plain.zip", "w") as z:
        z.writestr(placeholder.decode() + "/ks01/x.txt", "x")
    (tmp_path / "gbk.zip").write_bytes((tmp_path / "plain.zip").read_bytes().replace(placeholder, gbk))
    with open_disc(tmp_path / "gbk.zip") as source:
        assert listing(source.root) == ["考生数据", "考生数据/ks01", "考生数据/ks01/x.txt"]


def test_zip_expanding_past_the_cap_is_refused(folder, tmp_path):
    archive = make_zip(folder, tmp_path / "results.zip")
    with pytest.raises(DiscError, match="over the cap"), open_disc(archive, Limits(max_archive_bytes=10)):
        pass


def test_not_an_image_is_refused(tmp_path):
    (tmp_path / "disc.iso").write_bytes(b"not an iso at all" * 100)
    with pytest.raises(DiscError, match="cannot be read as a iso disc image"), open_disc(tmp_path / "disc.iso"):
        pass
    (tmp_path / "disc.rar").write_bytes(b"x")
    with pytest.raises(DiscError, match="neither a folder nor a .iso or .zip"), open_disc(tmp_path / "disc.rar"):
        pass


def test_udf_names_are_the_real_names(folder, tmp_path):
    """Windows' own disc burning writes UDF, with only 8.3 names in ISO 9660 beside it."""
    with open_disc(make_udf(folder, tmp_path / "disc.iso")) as source:
        assert listing(source.root) == listing(folder) and source.warnings == []
        assert (source.root / "考生数据" / "ks01" / "订单管理.xlsx").read_bytes() == b"PK fake"


def test_udf_names_are_read_before_joliet_names_cut_to_64_characters(folder, tmp_path):
    long_name = "u8_service_" + "回复" * 30 + ".txt"  # 71 characters: more than Joliet holds
    (folder / "考生数据" / "ks01" / long_name).write_text("x", encoding="utf-8")
    with open_disc(make_udf(folder, tmp_path / "disc.iso", joliet_cut=64)) as source:
        assert (source.root / "考生数据" / "ks01" / long_name).is_file()
        assert listing(source.root) == listing(folder)


def test_plain_iso_level_4_keeps_the_names_without_their_version(folder, tmp_path):
    """Level 4 takes any case and length; pycdlib writes and reads the names as UTF-8 bytes, so the
    Chinese names come through too."""
    with open_disc(make_plain_iso(folder, tmp_path / "disc.iso")) as source:
        assert listing(source.root) == listing(folder)


def test_plain_iso_8_3_names_are_shown_as_windows_shows_them(folder, tmp_path):
    with open_disc(make_plain_iso(folder, tmp_path / "disc.iso", interchange_level=1)) as source:
        assert listing(source.root) == ["EXAM.TOM", "____", "____/KS01", "____/KS01/____.XLS"]
    with open_disc(make_iso(folder, tmp_path / "bare.iso", rock_ridge=False, joliet=False)) as source:
        assert listing(source.root) == ["D000002", "D000002/D000003", "D000002/D000003/F000004", "F000001"]


def raw_zip(path, names: dict[str, bytes]):
    """A zip whose entries have exactly these names (``ZipInfo`` would cut a name at a NUL)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in names.items():
            info = zipfile.ZipInfo("placeholder")
            info.filename = name
            archive.writestr(info, data)
    return path


ODD_NAMES = {
    "a name part over 255 bytes": ("ks01/" + "订" * 100 + ".xlsx", ("ks01",), "a name part of 305 bytes"),
    "a lone dot": (".", (), "a '.' part"),
    "a dot part": ("ks01/./u1_accounts.xlsx", ("ks01",), "a '.' part"),
    "an absolute name": ("/ks01/u1_accounts.xlsx", (), "an absolute name"),
    "a lone ..": ("..", (), "a '..' part"),
    "a .. part": ("ks01/../../escape.txt", ("ks01",), "a '..' part"),
    "a drive letter": ("C:/ks01/u1_accounts.xlsx", (), "a drive letter"),
    "a backslashed drive letter": ("D:\\ks01\\u1_accounts.xlsx", (), "a drive letter"),
    "a NUL": ("ks01/u1_accounts.xlsx\0.exe", ("ks01",), "a NUL character"),
}


@pytest.mark.parametrize("name, folders, reason", ODD_NAMES.values(), ids=ODD_NAMES.keys())
def test_an_odd_zip_entry_is_skipped_with_a_warning(tmp_path, name, folders, reason):
    archive = raw_zip(tmp_path / "results.zip", {"ks01/u6_orders.xlsx": b"PK fake", name: b"odd"})
    with open_disc(archive) as source:
        assert (source.root / "ks01" / "u6_orders.xlsx").read_bytes() == b"PK fake"
        assert not (source.root / "ks01" / "u1_accounts.xlsx").exists()
        [skipped] = source.skipped
        assert (skipped.name, skipped.folders) == (name, folders) and reason in skipped.reason
        [warning] = source.warnings
        assert warning.startswith(f"results.zip: skipped {repr(name)[:60]}") and reason in warning
    assert not (tmp_path / "escape.txt").exists()


def test_a_zip_entry_clashing_with_a_folder_is_skipped(tmp_path):
    archive = raw_zip(tmp_path / "results.zip", {"ks01/u8_service": b"a file", "ks01/u8_service/reply_01.txt": b"x",
                                                 "ks01/u6_orders.xlsx": b"x", "ks01/u6_orders.xlsx/": b""})
    with open_disc(archive) as source:
        assert listing(source.root) == ["ks01", "ks01/u6_orders.xlsx", "ks01/u8_service"]
        assert [s.name for s in source.skipped] == ["ks01/u8_service/reply_01.txt", "ks01/u6_orders.xlsx/"]
        assert [s.folders for s in source.skipped] == [("ks01", "u8_service"), ("ks01",)]
        assert "cannot be unpacked here" in source.skipped[0].reason


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_second_zip_entry_of_the_same_name_is_skipped(tmp_path):
    archive = raw_zip(tmp_path / "results.zip", {"ks01/u6_orders.xlsx": b"first"})
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("ks01/u6_orders.xlsx", b"second")
    with open_disc(archive) as source:
        assert (source.root / "ks01" / "u6_orders.xlsx").read_bytes() == b"first"
        assert [s.reason for s in source.skipped] == ["a second entry of that name (the first is kept)"]


def test_odd_rock_ridge_names_are_skipped_with_a_warning(folder, tmp_path):
    odd = {"考生数据/ks01/" + "y" * 300: b"x", "考生数据/ks01/..": b"x", "考生数据/ks01/a\0b": b"x"}
    with open_disc(make_iso(folder, tmp_path / "disc.iso", joliet=False, odd_names=odd)) as source:
        assert listing(source.root) == listing(folder)
        assert sorted(s.reason.split(",")[0] for s in source.skipped) == [
            "a '..' part", "a name holding a NUL character", "a name part of 300 bytes"]
        assert all(s.folders == ("考生数据", "ks01") for s in source.skipped) and len(source.warnings) == 3


def test_skipped_entries_are_relative_to_the_single_disc_folder_inside(folder, tmp_path):
    archive = make_zip(folder, tmp_path / "results.zip", prefix="2026A-demo/")
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("2026A-demo/考生数据/ks01/../x", "x")
    with open_disc(archive) as source:
        assert source.root.name == "2026A-demo"
        assert [s.folders for s in source.skipped] == [("考生数据", "ks01")]


def test_the_folder_above_a_disc_grades_that_disc_and_says_so(demo_disc, demo_results, tmp_path):
    import shutil

    from grader.pipeline import grade_disc

    above = tmp_path / "E"
    shutil.copytree(demo_disc, above / "2026-11-25")
    (above / "Thumbs.db").write_bytes(b"\xd0\xcf")
    out = tmp_path / "out"
    run = grade_disc(above, None, out, jobs=2)
    assert run.warnings == [(f"{above} holds one folder, 2026-11-25, with the disc's roster or exam.toml: "
                            f"that folder was graded")]
    assert {p.name: p.read_bytes() for p in (out / "candidates").glob("*.json")} == \
           {p.name: p.read_bytes() for p in (demo_results / "candidates").glob("*.json")}


def test_the_folder_above_two_discs_names_them_and_the_command_for_one(demo_disc, tmp_path):
    import shutil

    from grader.pipeline import grade_disc

    above = tmp_path / "E"
    for session in ("上午", "下午"):
        shutil.copytree(demo_disc, above / session)
    run = grade_disc(above, None, tmp_path / "out", jobs=2)
    assert run.warnings == [
        (f"{above} has no roster or exam.toml of its own, but 上午, 下午 each have one; graded {above} as it is, "
        f"without their rosters; to grade one disc, run grade {above / '上午'} "
        f"（该文件夹本身没有名册或 exam.toml，子文件夹 上午, 下午 有；已按原样评分（未用其名册）；"
        f"若要评某一光盘，请运行 grade {above / '上午'}）")]


def test_a_folder_above_a_disc_with_nothing_to_grade_says_which_folder_is_the_disc(tmp_path):
    from grader.errors import DiscError
    from grader.pipeline import grade_disc

    above = tmp_path / "E"
    (above / "2026-11-25").mkdir(parents=True)
    (above / "2026-11-25" / "exam.toml").write_text('paper = "2026A"\n', encoding="utf-8")
    (above / "readme.txt").write_text("burned 2026-11-25", encoding="utf-8")
    with pytest.raises(DiscError) as refused:
        grade_disc(above, None, tmp_path / "out", jobs=1)
    assert str(refused.value) == (
        f"{above} has no roster or exam.toml of its own, but 2026-11-25 has one; to grade one disc, run grade "
        f"{above / '2026-11-25'} （该文件夹本身没有名册或 exam.toml，子文件夹 2026-11-25 有；若要评某一光盘，请运行 grade "
        f"{above / '2026-11-25'}）")
