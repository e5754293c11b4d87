"""One bad file costs only the criteria (or the share) that read it; the candidate's other files are graded.

Each case is a perfect candidate (100 points) with one file spoiled or moved; the tests give the
exact points left and the one flag naming the file. Replies and templates moved one folder too
deep, or one folder up, are found, graded and flagged ``misplaced`` (§1).
"""
from __future__ import annotations

import io
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import check_context, make_candidate, points, result, unit_points

from grader.limits import Limits
from grader.pipeline import grade_disc

MB = 1024 * 1024
REPLY = "u8_service/replies/reply_03.txt"


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)  # on paper only: nothing is written to the disk


def _docx_bomb(path: Path) -> None:
    """A real .docx whose document part is replaced by 300 MB of zeros, about 300 KB compressed."""
    from grader.samples import u8

    with zipfile.ZipFile(io.BytesIO(u8.docx("Dear customer"))) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, source.read(info.filename))
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            block = b"0" * MB
            for _ in range(300):
                handle.write(block)


def _workbook_bomb(source: Path, target: Path) -> None:
    """The workbook ``source`` with its first sheet replaced by 300 MB of zeros, about 300 KB
    compressed, saved as ``target`` (the source removed)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target.with_suffix(".tmp"), "w",
                                                               zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, original.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            block = b"0" * MB
            for _ in range(300):
                handle.write(block)
    source.unlink()
    target.with_suffix(".tmp").rename(target)


def _gif(screen: tuple[int, int], extent: tuple[int, int]) -> bytes:
    """An animated GIF whose logical screen is ``screen`` and whose first frame covers ``extent``
    (Pillow grows the image to the frame and refuses it as a bomb while opening it)."""
    head = b"GIF89a" + struct.pack("<HHBBB", *screen, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    frame = b"\x21\xf9\x04\x04\x0a\x00\x00\x00" + b"\x2c" + struct.pack("<HHHHB", 0, 0, *extent, 0) + \
        b"\x02\x02\x44\x01\x00"
    return head + loop + frame + frame.replace(struct.pack("<HH", *extent), struct.pack("<HH", 10, 10)) + b"\x3b"


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b"")


def _move(source: str, target: str):
    def edit(folder: Path) -> None:
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        (folder / source).rename(folder / target)
    return edit


def _write(name: str, data: bytes):
    def edit(folder: Path) -> None:
        (folder / name).write_bytes(data)
    return edit


def _u4(code: str) -> str:
    return f"u4_images/HKB100.{code}.jpg"


def _docx_template(folder: Path) -> None:
    (folder / "u8_service/templates/return.txt").unlink()
    _docx_bomb(folder / "u8_service/templates/return.docx")


def _long_csv_cell(drafts) -> None:
    orders = drafts["u6_orders"]
    orders.fmt = "csv"
    orders.set_cell("订单", "状态", 1, "已发货" + "x" * (200 * 1024))  # order 2's status: 200 KiB


EDITS = {
    "reply-over-cap": lambda f: _sparse(f / REPLY, Limits().max_file_bytes + 1),
    "mailbox-broken": _write("u8_service/mailbox.xlsx", b"PK\x03\x04 not a workbook"),
    "mailbox-over-cap": lambda f: _sparse(f / "u8_service/mailbox.xlsx", Limits().max_file_bytes + 1),
    "docx-bomb": _docx_template,
    "xlsx-bomb": lambda f: _workbook_bomb(f / "u7_logistics.xlsx", f / "u7_logistics.xlsx"),
    "xlsm-bomb": lambda f: _workbook_bomb(f / "u6_orders.xlsx", f / "u6_orders.xlsm"),
    "gif-bomb-pt": _write(_u4("PT01"), _gif((1000, 1000), (14000, 14000))),
    "gif-bomb-main": _write(_u4("MAIN"), _gif((1200, 1200), (14000, 14000))),
    "png-over-cap-pt": _write(_u4("PT01"), _png_header(12000, 12000)),
    "reply-too-deep": _move(REPLY, "u8_service/replies/新建文件夹/reply_03.txt"),
    "reply-one-up": _move(REPLY, "u8_service/reply_03.txt"),
    "template-too-deep": _move("u8_service/templates/return.txt", "u8_service/templates/新建文件夹/return.txt"),
    "template-one-up": _move("u8_service/templates/wrong_item.txt", "u8_service/wrong_item.txt"),
}
DRAFT_EDITS = {"csv-long-cell": _long_csv_cell}  # changes made before the files are written
USERS = {case: f"c{n:02d}" for n, case in enumerate([*EDITS, *DRAFT_EDITS], start=1)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, paper):
    disc = tmp_path_factory.mktemp("one-bad-file") / "disc"
    make_candidate(disc / "ks01", paper, only=None)
    for case, edit in EDITS.items():
        folder = disc / USERS[case]
        make_candidate(folder, paper, only=None)
        edit(folder)
    for case, edit in DRAFT_EDITS.items():
        make_candidate(disc / USERS[case], paper, only=None, edit=edit)
    (disc / "exam.toml").write_text("similarity = false\n", encoding="utf-8")  # the candidates are copies
    out = tmp_path_factory.mktemp("out")
    grade_disc(disc, paper, out, jobs=1)
    return disc, out


def _flags(out: Path, user: str) -> list[tuple[str, str]]:
    return [(f["code"], f["file"]) for f in result(out, user)["flags"]]


def _reason(out: Path, user: str, code: str) -> str:
    return next(f["reason"] for f in result(out, user)["flags"] if f["code"] == code)


def _lost(out: Path, user: str) -> dict[str, str]:
    """The criteria below full points, with the points left."""
    perfect = points(out, "ks01")
    return {c: p for c, p in points(out, user).items() if p != perfect[c]}


def test_the_perfect_candidate_is_perfect(graded):
    _, out = graded
    assert result(out, "ks01")["total"] == "100" and _flags(out, "ks01") == []


def test_a_reply_over_the_file_cap_costs_its_share_of_u8_03_only(graded):
    _, out = graded
    user = USERS["reply-over-cap"]
    assert _lost(out, user) == {"U8-03": "6"}
    assert unit_points(out, user)["U8"] == "17" and result(out, user)["total"] == "97"
    assert _flags(out, user) == [("unreadable-file", REPLY)]
    assert "over the cap of 67,108,864" in _reason(out, user, "unreadable-file")
    reply = next(c for u in result(out, user)["units"] for c in u["criteria"] if c["id"] == "U8-03")
    zero = [e for e in reply["evidence"] if e["message"].startswith("reply_03:")]
    assert zero[0]["file"] == REPLY and "over the cap" in zero[0]["message"] and "0 of 8 elements" in zero[0]["message"]


@pytest.mark.parametrize("case", ["mailbox-broken", "mailbox-over-cap"])
def test_a_bad_mailbox_costs_u8_01_and_u8_02_only(graded, case):
    _, out = graded
    user = USERS[case]
    assert _lost(out, user) == {"U8-01": "0", "U8-02": "0"}
    assert result(out, user)["total"] == "98"
    assert _flags(out, user) == [("unreadable-file", "u8_service/mailbox.xlsx")]


def test_a_docx_bomb_costs_its_template_only(graded):
    _, out = graded
    user = USERS["docx-bomb"]
    assert _lost(out, user) == {"U8-04": "27/4"}
    assert unit_points(out, user)["U8"] == "71/4" and result(out, user)["total"] == "391/4"
    assert _flags(out, user) == [("unreadable-file", "u8_service/templates/return.docx")]
    assert "over the cap of 268,435,456 (a zip bomb?)" in _reason(out, user, "unreadable-file")


@pytest.mark.parametrize("case, file, unit, weight", [("xlsx-bomb", "u7_logistics.xlsx", "U7", 10),
                                                      ("xlsm-bomb", "u6_orders.xlsm", "U6", 5)])
def test_a_workbook_bomb_costs_its_unit_only(graded, paper, case, file, unit, weight):
    _, out = graded
    user = USERS[case]
    assert _lost(out, user) == {c.id: "0" for c in paper.unit(unit).criteria}
    assert unit_points(out, user)[unit] == "0" and result(out, user)["total"] == str(100 - weight)
    assert _flags(out, user) == [("unreadable-file", file)]
    assert "over the cap of 268,435,456 (a zip bomb?)" in _reason(out, user, "unreadable-file")


def test_a_csv_cell_over_the_csv_modules_limit_is_graded_as_text(graded):
    _, out = graded
    user = USERS["csv-long-cell"]
    assert _lost(out, user) == {"U6-03": "19/10"}  # order 2's status is not a status: −0.1
    assert unit_points(out, user)["U6"] == "49/10" and result(out, user)["total"] == "999/10"
    assert _flags(out, user) == []


@pytest.mark.parametrize("case", ["gif-bomb-pt", "png-over-cap-pt"])
def test_a_pt_image_refused_as_a_bomb_keeps_its_header_size(graded, case):
    _, out = graded
    user = USERS[case]
    assert _lost(out, user) == {"U4-02": "0", "U4-05": "0"}  # U4-03 from the header's size (convention 27)
    assert _flags(out, user) == [("image-too-large", _u4("PT01"))]
    side = 14000 if case.startswith("gif") else 12000
    sizes = next(c for u in result(out, user)["units"] for c in u["criteria"] if c["id"] == "U4-03")
    assert any(f"HKB100.PT01.jpg {side}×{side}: longest side {side} ≥ 800 px" in e["message"]
               for e in sizes["evidence"])


def test_a_main_image_refused_as_a_bomb_is_measured_by_its_header(graded):
    _, out = graded
    user = USERS["gif-bomb-main"]
    assert _lost(out, user) == {"U4-02": "0", "U4-03": "0", "U4-04": "0", "U4-05": "0"}
    assert _flags(out, user) == [("image-too-large", _u4("MAIN"))]
    assert "196,000,000 pixels in the header" in _reason(out, user, "image-too-large")
    sizes = next(c for u in result(out, user)["units"] for c in u["criteria"] if c["id"] == "U4-03")
    assert any("HKB100.MAIN.jpg 14000×14000: sides outside 1000–10000 px" in e["message"] for e in sizes["evidence"])


@pytest.mark.parametrize("case, found", [
    ("reply-too-deep", "u8_service/replies/新建文件夹/reply_03.txt"),
    ("reply-one-up", "u8_service/reply_03.txt"),
    ("template-too-deep", "u8_service/templates/新建文件夹/return.txt"),
    ("template-one-up", "u8_service/wrong_item.txt"),
])
def test_a_misplaced_reply_or_template_is_graded_and_flagged(graded, case, found):
    _, out = graded
    user = USERS[case]
    assert result(out, user)["total"] == "100" and unit_points(out, user)["U8"] == "20"
    assert _flags(out, user) == [("misplaced", found)]
    assert found in _reason(out, user, "misplaced")


def test_a_reply_that_cannot_be_opened_costs_its_share_only(tmp_path, paper, monkeypatch):
    """Permission denied (faked: the tests may run as root, who may read anything)."""
    from grader.checks.service import service_replies, service_templates
    from grader.read import load_all
    from grader.read.submission import Submission

    load_all()
    make_candidate(tmp_path / "ks01", paper, only=("u8_service",))
    deny_reading(monkeypatch, tmp_path / "ks01" / REPLY)
    submission = Submission(tmp_path / "ks01", paper, disc_root=tmp_path)
    service = submission.get("u8_service", "U8")
    shares = {}
    for criterion, check in (("U8-03", service_replies), ("U8-04", service_templates)):
        shares[criterion] = check(check_context(paper, criterion, service)).share
    assert shares == {"U8-03": Fraction(2, 3), "U8-04": 1}  # 6 of U8-03's 9 points: reply_03's 3 lost
    assert [(f.code, f.file, f.reason) for f in submission.flags] == [
        ("unreadable-file", f"{REPLY}", "cannot be opened (Permission denied)")]
    assert service.mailbox is not None and service.replies["reply_02"].read


READ_BOMB = textwrap.dedent("""
    import resource, subprocess, sys
    child = '''
    import sys
    from pathlib import Path
    from grader.paper import load_paper
    from grader.read import load_all
    from grader.read.submission import Submission
    load_all()
    folder = Path(sys.argv[1])
    service = Submission(folder, load_paper("2026A"), disc_root=folder.parent).get("u8_service", "U8")
    print(service.templates["return"].problem)
    '''
    done = subprocess.run([sys.executable, "-c", child, sys.argv[1]], capture_output=True, text=True)
    print(done.stdout.strip() or done.stderr.strip())
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
""")


def read_in_a_child(script: str, folder: Path) -> tuple[str, str]:
    """Run a reading script on a candidate folder in a fresh process: what it printed (the
    problem found) and the child's peak resident memory in KiB."""
    done = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True,
                          timeout=120, check=True)
    problem, peak_kib = done.stdout.strip().splitlines()
    return problem, peak_kib


def test_a_docx_bomb_is_refused_before_parsing_in_little_memory(graded):
    disc, _ = graded
    folder = disc / USERS["docx-bomb"]
    assert (folder / "u8_service/templates/return.docx").stat().st_size < 400 * 1024
    problem, peak_kib = read_in_a_child(READ_BOMB, folder)
    assert problem.startswith("unreadable: parts expand to 314,57") and "over the cap of 268,435,456" in problem
    assert int(peak_kib) * 1024 < 300 * MB, f"peak RSS {int(peak_kib) / 1024:.0f} MiB"


READ_WORKBOOK_BOMB = READ_BOMB.replace(
    'service = Submission(folder, load_paper("2026A"), disc_root=folder.parent).get("u8_service", "U8")\n'
    'print(service.templates["return"].problem)',
    'submission = Submission(folder, load_paper("2026A"), disc_root=folder.parent)\n'
    'print(submission.get("u7_logistics", "U7"), *[f.reason for f in submission.flags])')
assert READ_WORKBOOK_BOMB != READ_BOMB


def test_a_workbook_bomb_is_refused_before_parsing_in_little_memory(graded):
    disc, _ = graded
    folder = disc / USERS["xlsx-bomb"]
    assert (folder / "u7_logistics.xlsx").stat().st_size < 400 * 1024
    problem, peak_kib = read_in_a_child(READ_WORKBOOK_BOMB, folder)
    assert problem.startswith("None parts expand to 314,5") and "over the cap of 268,435,456" in problem
    assert int(peak_kib) * 1024 < 300 * MB, f"peak RSS {int(peak_kib) / 1024:.0f} MiB"


def test_every_ooxml_container_is_held_to_the_same_caps(tmp_path):
    """The workbook and the Word document readers share one check (``grader.read.ooxml``)."""
    from grader.errors import ReadError
    from grader.read.service import docx_text
    from grader.read.tables import read_grid

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b" " * 5000)
        archive.writestr("word/document.xml", b" " * 5000)
    small = Limits(max_unzipped_bytes=4096)
    for name in ("book.xlsx", "book.xlsm"):
        (tmp_path / name).write_bytes(buffer.getvalue())
        with pytest.raises(ReadError, match="parts expand to 10,000 bytes, over the cap of 4,096"):
            read_grid(tmp_path / name, small)
    with pytest.raises(ReadError, match="parts expand to 10,000 bytes, over the cap of 4,096"):
        docx_text(buffer.getvalue(), small)
    with pytest.raises(ReadError, match="over the cap of 100; not read"):
        docx_text(buffer.getvalue(), Limits(max_file_bytes=100))


@pytest.mark.parametrize("file, lost", [
    ("u6_orders.xlsx", {"U6-01": 0, "U6-02": 0, "U6-03": 0}),
    # an image not opened has no size to read, not even its header's: U4-03's PT condition is not met
    (_u4("PT01"), {"U4-02": 0, "U4-03": 0, "U4-05": 0}),
], ids=["workbook", "image"])
def test_a_file_that_cannot_be_opened_costs_what_reads_it_only(tmp_path, paper, monkeypatch, file, lost):
    """Permission denied on one workbook or one image (faked, as above): the flag names the file."""
    from grader.intake import CandidateEntry
    from grader.read import load_all
    from grader.read.submission import read_submission
    from grader.score import grade_reading

    load_all()
    make_candidate(tmp_path / "ks01", paper, only=None)
    deny_reading(monkeypatch, tmp_path / "ks01" / file)
    reading = read_submission(tmp_path / "ks01", paper, disc_root=tmp_path)
    entry = CandidateEntry("ks01", folder=tmp_path / "ks01", relative="ks01", result_id="ks01")
    result = grade_reading(entry, reading, paper)
    got = {c.id: c.points for u in result.units for c in u.criteria if c.points != c.maximum}
    assert got == lost
    assert result.total == 100 - sum(c.points for c in paper.criteria() if c.id in lost)
    assert [(f.code, f.file, f.reason) for f in result.flags] == [
        ("unreadable-file", file, "cannot be opened (Permission denied)")]


def deny_reading(monkeypatch, denied: Path) -> None:
    """Reading ``denied`` fails as an unreadable file does (the tests run as root, so a file's
    mode cannot stop them)."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
