"""Disc images: an ISO (Rock Ridge or Joliet names, Chinese included) and a zip, unpacked safely."""
from __future__ import annotations

import os
import zipfile

import pytest
from discimage import make_iso, make_zip

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
