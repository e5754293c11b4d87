"""§1's misplaced rule, one for every deliverable (``grader.read.places``): a file one folder too
deep anywhere inside its unit's folder, one folder up from its home, or in a sibling folder of
its home inside the unit's folder is found, graded and flagged ``misplaced``; further away it is
not the deliverable. Each case is a perfect candidate with one file (or folder) moved: the exact
points it keeps and its one flag."""
from __future__ import annotations

import shutil

import pytest
from helpers import make_candidate, points, result

from grader.pipeline import grade_disc

MAIN, PT02, PT03 = "u4_images/HKB100.MAIN.jpg", "u4_images/HKB100.PT02.jpg", "u4_images/HKB100.PT03.jpg"
REPLY = "u8_service/replies/reply_01.txt"
MOVES = {  # case → (the file or folder moved, where it is put)
    "workbook-too-deep": ("u6_orders.xlsx", "新建文件夹/u6_orders.xlsx"),
    "unit-folder-too-deep": ("u4_images", "新建文件夹/u4_images"),
    "main-too-deep": (MAIN, "u4_images/新建文件夹/HKB100.MAIN.jpg"),
    "pt-too-deep": (PT02, "u4_images/新建文件夹/HKB100.PT02.jpg"),
    "pt-one-up": (PT03, "HKB100.PT03.jpg"),
    "mailbox-too-deep": ("u8_service/mailbox.xlsx", "u8_service/新建文件夹/mailbox.xlsx"),
    "mailbox-one-up": ("u8_service/mailbox.xlsx", "mailbox.xlsx"),
    "reply-folder-too-deep": (REPLY, "u8_service/新建文件夹/replies/reply_01.txt"),
    "reply-in-templates": ("u8_service/replies/reply_02.txt", "u8_service/templates/reply_02.txt"),
    "template-too-deep": ("u8_service/templates/not_shipped.txt", "u8_service/templates/新建文件夹/not_shipped.txt"),
    # too far: not the deliverable
    "reply-two-too-deep": (REPLY, "u8_service/replies/a/b/reply_01.txt"),
    "pt-two-too-deep": (PT02, "u4_images/a/b/HKB100.PT02.jpg"),
    "mailbox-two-up": ("u8_service/mailbox.xlsx", "../mailbox.xlsx"),
}
COPIES = {"pt-copy-in-sub-folder": (PT02, "u4_images/备份/HKB100.PT02.jpg")}  # the home file stays
EMPTIED = {  # the unit's folder not made: its files saved one folder up, in the candidate's folder
    "images-without-their-folder": "u4_images",
    "mailbox-without-its-folder": "u8_service",
}
USERS = {case: f"c{n:02d}" for n, case in enumerate([*MOVES, *COPIES, *EMPTIED], start=1)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, paper):
    disc = tmp_path_factory.mktemp("misplaced") / "disc"
    make_candidate(disc / "ks01", paper, only=None)
    for case, (source, target) in {**MOVES, **COPIES}.items():
        folder = disc / "考生" / USERS[case]  # one level down: a file moved two up stays on the disc
        make_candidate(folder, paper, only=None)
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        if case in COPIES:
            (folder / target).write_bytes((folder / source).read_bytes())
        else:
            (folder / source).rename(folder / target)
    for case, unit_folder in EMPTIED.items():
        folder = disc / "考生" / USERS[case]
        make_candidate(folder, paper, only=None)
        for path in sorted((folder / unit_folder).iterdir()):
            if path.is_file():
                path.rename(folder / path.name)
        shutil.rmtree(folder / unit_folder)
    (disc / "exam.toml").write_text("similarity = false\n", encoding="utf-8")  # the candidates are copies
    out = tmp_path_factory.mktemp("out")
    grade_disc(disc, paper, out, jobs=1)
    assert result(out, "ks01")["total"] == "100"
    return out, points(out, "ks01")


def _lost(graded, case: str) -> dict[str, str]:
    out, full = graded
    return {k: v for k, v in points(out, USERS[case]).items() if v != full[k]}


def _flags(graded, case: str) -> list[tuple[str, str, str]]:
    out, _ = graded
    return [(f["code"], f["file"], f["unit"]) for f in result(out, USERS[case])["flags"]]


@pytest.mark.parametrize("case, unit", [
    ("workbook-too-deep", "U6"), ("unit-folder-too-deep", "U4"), ("main-too-deep", "U4"), ("pt-too-deep", "U4"),
    ("pt-one-up", "U4"), ("mailbox-too-deep", "U8"), ("mailbox-one-up", "U8"), ("reply-folder-too-deep", "U8"),
    ("reply-in-templates", "U8"), ("template-too-deep", "U8"),
])
def test_a_misplaced_file_keeps_its_points_and_is_flagged(graded, case, unit):
    out, _ = graded
    assert _lost(graded, case) == {}
    assert result(out, USERS[case])["total"] == "100"
    assert _flags(graded, case) == [("misplaced", MOVES[case][1], unit)]


def test_a_misplaced_file_is_named_in_the_reason_with_its_home(graded):
    out, _ = graded
    reasons = {f["code"]: f["reason"] for f in result(out, USERS["pt-one-up"])["flags"]}
    assert reasons == {"misplaced": "PT03 image found at HKB100.PT03.jpg, expected in u4_images/"}
    reasons = {f["code"]: f["reason"] for f in result(out, USERS["mailbox-one-up"])["flags"]}
    assert reasons == {"misplaced": "mailbox found at mailbox.xlsx, expected in u8_service/"}


def test_a_reply_two_folders_too_deep_is_not_found(graded):
    assert _lost(graded, "reply-two-too-deep") == {"U8-03": "6"}  # reply_01's 3 points
    assert _flags(graded, "reply-two-too-deep") == []


def test_a_pt_image_two_folders_too_deep_is_not_a_slot(graded):
    # PT02 is missing (2 PT images, fewer than 3) and the file is an other image in a sub-folder
    assert _lost(graded, "pt-two-too-deep") == {"U4-01": "0"}
    assert _flags(graded, "pt-two-too-deep") == []


def test_a_mailbox_two_folders_up_is_not_found(graded):
    lost = _lost(graded, "mailbox-two-up")
    assert lost == {"U8-01": "0", "U8-02": "0"}
    assert _flags(graded, "mailbox-two-up") == []


def test_a_copy_of_a_slot_image_in_a_sub_folder_is_a_second_file_for_its_slot(graded):
    """The file at home is graded; the copy costs U4-01 (convention 27), and nothing is misplaced."""
    out, _ = graded
    assert _lost(graded, "pt-copy-in-sub-folder") == {"U4-01": "0"}
    assert _flags(graded, "pt-copy-in-sub-folder") == []
    names = next(c for u in result(out, USERS["pt-copy-in-sub-folder"])["units"] for c in u["criteria"]
                 if c["id"] == "U4-01")
    assert any("HKB100.PT02.jpg is a second file for PT02 (graded: HKB100.PT02.jpg)" in e["message"]
               for e in names["evidence"])


def test_images_saved_without_their_folder_are_found_one_folder_up(graded):
    case = "images-without-their-folder"
    assert _lost(graded, case) == {}
    assert _flags(graded, case) == [("misplaced", name, "U4") for name in
                                    ("HKB100.MAIN.jpg", "HKB100.PT01.jpg", "HKB100.PT02.jpg", "HKB100.PT03.jpg")]


def test_a_mailbox_saved_without_its_folder_is_found_the_texts_are_not(graded):
    """The replies and templates belong in sub-folders of the unit's folder: beside it they are two
    folders from home. The mailbox, found one folder up, keeps U8-01 and U8-02."""
    case = "mailbox-without-its-folder"
    assert _lost(graded, case) == {"U8-03": "0", "U8-04": "0"}
    assert _flags(graded, case) == [("misplaced", "mailbox.xlsx", "U8")]
