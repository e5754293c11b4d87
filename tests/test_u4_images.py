"""Unit 4: the images folder (U4-01…05), the reader that measures it, and the key's photos.

Every case writes a real ``u4_images/`` folder (the perfect set of ``grader.samples.u4`` with one
change), reads it with the registered reader and runs the five criteria as the scorer does.
Boundaries the paper names are tested on both sides: 5 × 1024 × 1024 bytes, 1% squareness,
1000 px, 800 px, 97% of the frame, the level 250, the hash threshold, the pixel limit.
"""
from __future__ import annotations

import copy
import doctest
import io
import itertools
import shutil
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import imagehash
import numpy as np
import pytest
from PIL import Image, ImageDraw
from PIL import ImageFile as PILImageFile

import grader.read.images as reading
from grader.checks import REGISTRY, CheckContext
from grader.limits import Limits
from grader.model import Evidence, Flag, Outcome
from grader.paper import load_key
from grader.read import load_all as load_readers
from grader.read.images import content_box, examine, materials, measure_frame
from grader.read.submission import Submission
from grader.records.images import (
    Examined,
    Fingerprint,
    HashMethod,
    ImageFile,
    ImageFolder,
    Material,
    Naming,
    nearest,
    same_picture_distance,
)
from grader.samples import u4
from grader.score import run_criterion

ID = "HKB100"
MAIN, PT01, PT02, PT03 = (f"{ID}.{code}.jpg" for code in ("MAIN", "PT01", "PT02", "PT03"))
ONE, ZERO = Fraction(1), Fraction(0)
FULL = {f"U4-0{n}": ONE for n in range(1, 6)}
MB5 = 5 * 1024 * 1024


# ---------------------------------------------------------------- building blocks


def jpeg(image: Image.Image, quality: int = 80, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, **options)
    return buffer.getvalue()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def pad_jpeg(data: bytes, total: int) -> bytes:
    """The same JPEG grown to exactly ``total`` bytes with comment (COM) segments after SOI."""
    need = total - len(data)
    assert need >= 4
    segments = []
    while need:
        take = min(need, 65537)  # marker, length field, and up to 65533 bytes of comment
        if 0 < need - take < 4:
            take = need - 4
        segments.append(b"\xff\xfe" + (take - 2).to_bytes(2, "big") + b"\0" * (take - 4))
        need -= take
    return data[:2] + b"".join(segments) + data[2:]


def with_orientation(image: Image.Image, orientation: int, quality: int = 80) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return jpeg(image, quality, exif=exif.tobytes())


@dataclass
class Graded:
    points: dict[str, Fraction]
    evidence: dict[str, tuple[Evidence, ...]]
    flags: list[Flag]
    submission: Submission

    def bad(self, criterion: str) -> list[str]:
        return [e.message for e in self.evidence[criterion] if not e.ok]

    @property
    def codes(self) -> list[str]:
        return sorted({f.code for f in self.flags})

    def lost(self) -> dict[str, Fraction]:
        return {k: v for k, v in self.points.items() if v != 1}


def swap(old: str, new: str, data: bytes):
    """A change that takes ``old`` out of the set and puts ``data`` in as ``new``."""

    def change(files: dict[str, bytes]) -> None:
        del files[old]
        files[new] = data

    return change


def grade(folder: Path, paper, files: dict[str, bytes], limits: Limits | None = None) -> Graded:
    """Write ``files`` into ``folder/u4_images`` and grade unit 4 as the scorer does."""
    load_readers()
    if folder.exists():
        shutil.rmtree(folder)
    for name, data in files.items():
        path = folder / "u4_images" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    folder.mkdir(parents=True, exist_ok=True)
    submission = Submission(folder, paper, disc_root=folder.parent, limits=limits)
    flags: list[Flag] = []
    unit = paper.unit("U4")
    reading = submission.read_all()
    results = {c.id: run_criterion(c, unit, reading, paper, flags) for c in unit.criteria}
    assert not [f for f in flags if f.code == "check-error"], flags
    return Graded({k: r.points for k, r in results.items()}, {k: r.evidence for k, r in results.items()},
                  flags + list(reading.flags), submission)


@pytest.fixture(scope="module")
def perfect(paper) -> dict[str, bytes]:
    return dict(u4.perfect_files(paper.key))


@pytest.fixture
def candidate(tmp_path, paper, perfect):
    """``candidate(change)``: grade the perfect set after ``change(files)`` edits it."""

    def run(change=None, limits=None) -> Graded:
        files = dict(perfect)
        if change is not None:
            change(files)
        return grade(tmp_path / "ks01", paper, files, limits)

    return run


@pytest.fixture(scope="module")
def method(paper) -> HashMethod:
    return HashMethod.from_params(image_settings(paper)["hash"])


@pytest.fixture(scope="module")
def photos(paper, method):
    return {m.name: m for m in materials(paper.key, "images", method)}


def paper_params(paper, criterion: str) -> dict:
    return next(c.params for c in paper.criteria() if c.id == criterion)


def image_settings(paper) -> dict:
    """The image reader's settings: the images deliverable's spec (naming, frame, hash)."""
    return paper.deliverables[paper.unit("U4").deliverable].options


def key_photo(paper, name: str) -> Image.Image:
    return u4.photo(paper.key, name)


# ---------------------------------------------------------------- the perfect set and the demo's defects


def test_perfect_set_scores_every_criterion(candidate):
    graded = candidate()
    assert graded.points == FULL
    assert graded.flags == []
    assert all(e.ok for evidence in graded.evidence.values() for e in evidence)


def test_perfect_set_is_small(perfect):
    assert sum(len(d) for d in perfect.values()) < 32 * 1024  # the demo disc carries it ~20 times


@pytest.mark.parametrize("defect", u4.DEFECTS, ids=lambda d: d.name)
def test_each_demo_defect_costs_exactly_what_it_declares(tmp_path, paper, defect):
    drafts = copy.deepcopy(u4.perfect(paper.key))
    defect.apply(drafts, paper.key)
    graded = grade(tmp_path / "ks01", paper, drafts[u4.FOLDER].files)
    assert graded.points == {**FULL, **{k: Fraction(v) for k, v in defect.expected.items()}}
    assert graded.codes == sorted(defect.flags)


def test_every_criterion_has_a_demo_defect():
    hit = {criterion for d in u4.DEFECTS for criterion, points in d.expected.items() if points != 1}
    assert hit == set(FULL)


# ---------------------------------------------------------------- U4-01 names


@pytest.mark.parametrize("change, why", [
    (lambda f: f.__setitem__("HKB100 .PT04.jpg", f[PT01]), "the name contains a space"),
    (lambda f: f.__setitem__(f"{ID}.PT04 copy.jpg", f[PT01]), "the name contains a space"),
    (lambda f: f.__setitem__("主图.jpg", f[PT01]), "the name contains Chinese characters"),
    (lambda f: f.__setitem__(f"{ID}.PT09.jpg", f[PT01]), "not <ID>.MAIN or <ID>.PT01…PT08"),
    (lambda f: f.__setitem__(f"{ID}.PT04.gif", b"GIF89a not really"), "the extension is gif"),
    (lambda f: f.__setitem__(f"old/{ID}.PT04.jpg", f[PT01]), "it is in a sub-folder"),
    (lambda f: f.__setitem__("IMG_2031", f[PT01]), "the extension is missing"),
])
def test_an_other_image_file_costs_u4_01_only(candidate, change, why):
    graded = candidate(change)
    assert graded.lost() == {"U4-01": ZERO}
    assert any(why in message for message in graded.bad("U4-01")), graded.bad("U4-01")


def test_upper_case_extension_is_still_main_for_the_other_criteria(candidate):
    graded = candidate(lambda f: f.__setitem__(f"{ID}.MAIN.JPG", f.pop(MAIN)))
    assert graded.lost() == {"U4-01": ZERO}
    assert graded.bad("U4-01") == [f"{ID}.MAIN.JPG: the extension .JPG must be lower case"]
    assert graded.submission.get("u4_images").main.name == f"{ID}.MAIN.JPG"


def test_jpeg_and_png_extensions_in_lower_case_are_fine(candidate):
    def change(files):
        files[f"{ID}.PT02.jpeg"] = files.pop(PT02)
        files[f"{ID}.PT03.png"] = png(decoded(files.pop(PT03)))

    assert candidate(change).points == FULL


def test_only_two_pt_images(candidate):
    graded = candidate(lambda f: f.pop(PT03))
    assert graded.lost() == {"U4-01": ZERO}
    assert graded.bad("U4-01") == [f"2 PT images ({PT01}, {PT02}), < 3"]


def test_a_name_with_a_space_is_not_its_slot(candidate):
    graded = candidate(lambda f: f.__setitem__(f"{ID} PT02.jpg", f.pop(PT02)))
    assert graded.lost() == {"U4-01": ZERO}
    assert len(graded.bad("U4-01")) == 2  # the name, and only two PT images left


def test_wrong_case_main_is_not_the_slot(candidate):
    graded = candidate(lambda f: f.__setitem__(f"{ID}.main.jpg", f.pop(MAIN)))
    assert graded.lost() == {"U4-01": ZERO, "U4-03": ZERO, "U4-04": ZERO}
    assert "identifier and code must be written HKB100.MAIN" in graded.bad("U4-01")[0]


def test_wrong_case_identifier_is_not_the_slot(candidate):
    graded = candidate(lambda f: f.__setitem__("hkb100.PT01.jpg", f.pop(PT01)))
    assert graded.lost() == {"U4-01": ZERO}
    assert any("identifier and code must be written HKB100.PT01" in m for m in graded.bad("U4-01"))


def test_a_second_file_for_a_slot_fails_u4_01_and_jpg_is_graded(candidate, perfect):
    bomb = u4.bomb_png()

    def change(files):
        files[f"{ID}.MAIN.png"] = bomb  # not graded: no flag, no U4-02 loss

    graded = candidate(change)
    assert graded.lost() == {"U4-01": ZERO}
    assert graded.bad("U4-01") == [f"{ID}.MAIN.png is a second file for MAIN (graded: {MAIN})"]
    assert graded.flags == []


def test_slot_preference_is_jpg_jpeg_png_whatever_the_case(candidate, perfect):
    def change(files):
        files[f"{ID}.MAIN.JPG"] = files.pop(MAIN)
        files[f"{ID}.MAIN.jpeg"] = files[PT01]
        files[f"{ID}.MAIN.png"] = files[PT01]

    graded = candidate(change)
    folder = graded.submission.get("u4_images")
    assert folder.main.name == f"{ID}.MAIN.JPG"
    assert graded.lost() == {"U4-01": ZERO}
    assert len(graded.bad("U4-01")) == 3  # the upper-case JPG and the two second files


def test_jpeg_beats_png(candidate):
    def change(files):
        files[f"{ID}.MAIN.jpeg"] = files.pop(MAIN)
        files[f"{ID}.MAIN.png"] = b"not looked at"

    graded = candidate(change)
    assert graded.submission.get("u4_images").main.name == f"{ID}.MAIN.jpeg"
    assert graded.lost() == {"U4-01": ZERO}


def test_a_file_that_is_no_image_is_not_judged(candidate):
    graded = candidate(lambda f: f.__setitem__("说明.txt", "作图说明".encode()))
    assert graded.points == FULL
    assert any(path.endswith("u4_images/说明.txt") for path in graded.submission.inputs)  # read and recorded


def test_main_alone_has_no_pt_to_fail_u4_03(candidate):
    graded = candidate(lambda f: [f.pop(name) for name in (PT01, PT02, PT03)])
    assert graded.lost() == {"U4-01": ZERO}


def test_no_slot_file_at_all(candidate):
    def change(files):
        for n, name in enumerate(list(files)):
            files[f"图{n}.jpg"] = files.pop(name)

    graded = candidate(change)
    assert graded.points == dict.fromkeys(FULL, ZERO)
    assert graded.bad("U4-02") == ["no file fills a slot of the naming convention: nothing to grade"]


# ---------------------------------------------------------------- U4-02 files


def test_png_saved_as_jpg(candidate):
    graded = candidate(lambda f: f.__setitem__(PT01, png(decoded(f[PT01]))))
    assert graded.lost() == {"U4-02": ZERO}
    assert graded.bad("U4-02") == [f"{PT01}: the bytes are PNG, not JPEG or MPO as .jpg says"]


def test_mpo_counts_as_jpeg(candidate):
    def change(files):
        picture = decoded(files[PT01])
        buffer = io.BytesIO()
        picture.save(buffer, "MPO", save_all=True, append_images=[picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT)])
        files[PT01] = buffer.getvalue()

    graded = candidate(change)
    assert graded.submission.get("u4_images").graded["PT01"].found.format == "MPO"
    assert graded.points == FULL


def test_truncated_jpeg_fails_u4_02_and_is_measured_as_shown(candidate):
    graded = candidate(lambda f: f.__setitem__(PT02, f[PT02][: len(f[PT02]) * 9 // 10]))
    assert graded.lost() == {"U4-02": ZERO}
    found = graded.submission.get("u4_images").graded["PT02"].found
    assert not found.decoded and found.measured and found.fingerprint is not None
    assert "does not decode fully (image file is truncated" in graded.bad("U4-02")[0]


def test_truncated_main_is_measured_as_a_viewer_shows_it(candidate):
    graded = candidate(lambda f: f.__setitem__(MAIN, f[MAIN][: len(f[MAIN]) // 2]))
    main = graded.submission.get("u4_images").main
    assert main.found.measured and main.found.shown_size == (1000, 1000)
    assert graded.points["U4-02"] == 0 and graded.points["U4-03"] == 1
    assert main.found.frame is not None  # U4-04 judged the pixels a viewer shows (grey where data is missing)


def test_truncated_png_fails_u4_02_and_is_measured(candidate):
    graded = candidate(lambda f: f.__setitem__(f"{ID}.PT03.png", png(decoded(f.pop(PT03)))[:-3000]))
    assert graded.points["U4-02"] == 0 and graded.points["U4-03"] == 1
    assert graded.submission.get("u4_images").graded["PT03"].found.measured


def test_bytes_that_are_no_image_in_a_slot(candidate):
    graded = candidate(lambda f: f.__setitem__(PT03, b"this is not a picture"))
    assert graded.lost() == {"U4-02": ZERO, "U4-03": ZERO, "U4-05": ZERO}
    assert graded.bad("U4-02")[0].startswith(f"{PT03}: the bytes are not an image")


@pytest.mark.parametrize("slot, mode, ok", [
    ("PT01", "CMYK", False), ("PT01", "L", False), ("MAIN", "CMYK", False),
])
def test_jpeg_colour_modes(candidate, slot, mode, ok):
    name = f"{ID}.{slot}.jpg"
    graded = candidate(lambda f: f.__setitem__(name, jpeg(decoded(f[name]).convert(mode))))
    assert graded.points["U4-02"] == (ONE if ok else ZERO)
    assert graded.points["U4-03"] == ONE


@pytest.mark.parametrize("slot, convert, ok", [
    ("PT01", lambda i: i, True),
    ("PT01", lambda i: i.convert("RGBA"), True),  # a PT image saved as PNG may be RGBA
    ("MAIN", lambda i: i.convert("RGBA"), False),  # MAIN may not
    ("MAIN", lambda i: i, True),
    ("PT01", lambda i: i.quantize(64), False),  # palette
    ("PT01", lambda i: i.convert("L"), False),  # greyscale
    ("PT01", lambda i: i.convert("LA"), False),
])
def test_png_colour_modes(candidate, slot, convert, ok):
    def change(files):
        files[f"{ID}.{slot}.png"] = png(convert(decoded(files.pop(f"{ID}.{slot}.jpg"))))

    graded = candidate(change)
    assert graded.points["U4-02"] == (ONE if ok else ZERO), graded.bad("U4-02")
    assert graded.points["U4-01"] == ONE


@pytest.mark.parametrize("size, ok", [(MB5 - 1, True), (MB5, True), (MB5 + 1, False)])
def test_five_megabytes_is_the_limit(candidate, size, ok):
    graded = candidate(lambda f: f.__setitem__(PT01, pad_jpeg(f[PT01], size)))
    assert graded.submission.get("u4_images").graded["PT01"].size == size
    assert graded.points == {**FULL, "U4-02": ONE if ok else ZERO}
    if not ok:
        assert graded.bad("U4-02") == [f"{PT01}: 5,242,881 bytes > 5,242,880"]


# ---------------------------------------------------------------- U4-03 sizes


def main_sized(paper, width: int, height: int) -> bytes:
    return jpeg(u4.on_white_square(key_photo(paper, "hkb100_front_white.jpg"), width, height=height), 40)


@pytest.mark.parametrize("size, ok", [
    ((1000, 1000), True), ((1000, 1010), True), ((1010, 1000), True),  # 10 ≤ 1% of 1010
    ((1000, 1011), False), ((1011, 1000), False),  # 11 > 1% of 1011
    ((999, 999), False), ((999, 1000), False),
    ((1089, 1100), True), ((1088, 1100), False),  # 11 = 1% of 1100 exactly: the end is included
])
def test_main_square_and_sides(candidate, paper, size, ok):
    graded = candidate(lambda f: f.__setitem__(MAIN, main_sized(paper, *size)))
    assert graded.points == {**FULL, "U4-03": ONE if ok else ZERO}, graded.bad("U4-03")


@pytest.mark.parametrize("longest, ok", [(800, True), (799, False)])
def test_pt_longest_side(candidate, paper, longest, ok):
    picture = u4.longest_side(key_photo(paper, "hkb100_pair_table.jpg"), longest)
    graded = candidate(lambda f: f.__setitem__(PT02, jpeg(picture, 40)))
    assert max(graded.submission.get("u4_images").graded["PT02"].shown_size) == longest
    assert graded.points == {**FULL, "U4-03": ONE if ok else ZERO}


def synthetic_folder(main_size: tuple[int, int] | None, pt_sizes=()) -> ImageFolder:
    """An ImageFolder as the reader would leave it, for sizes too large to write in a test."""
    naming = Naming(ID, "MAIN", tuple(f"PT0{n}" for n in range(1, 9)), ("jpg", "jpeg", "png"))
    files = []
    for code, size in [("MAIN", main_size), *[(f"PT0{n}", s) for n, s in enumerate(pt_sizes, 1)]]:
        if size is not None:
            found = Examined("JPEG", "RGB", size, size[0] * size[1], size, decoded=True, measured=True)
            files.append(ImageFile(f"{ID}.{code}.jpg", f"u4_images/{ID}.{code}.jpg", f"{ID}.{code}.jpg", 1000,
                                   code, "jpg", True, found))
    return ImageFolder(Path("u4_images"), "u4_images", naming, tuple(files))


@pytest.mark.parametrize("size, ok", [((10000, 10000), True), ((10000, 9900), True), ((10001, 10001), False),
                                      ((1000, 1000), True), ((999, 999), False)])
def test_main_sides_up_to_10000(paper, size, ok):
    ctx = CheckContext("U4-03", synthetic_folder(size, [(800, 600)] * 3), paper.key, paper_params(paper, "U4-03"))
    assert REGISTRY["image_sizes"].func(ctx).share == (ONE if ok else ZERO)


# ---------------------------------------------------------------- U4-04 white frame


def main_with_grey(paper, grey_pixels: int, level: int = 249) -> bytes:
    """The perfect MAIN as a lossless PNG, with ``grey_pixels`` of its top frame band at ``level``."""
    picture = np.array(u4.main_image(paper.key))
    band = picture[:20].reshape(-1, 3)  # the top 20 rows: 20,000 frame pixels
    band[:grey_pixels] = level
    picture[:20] = band.reshape(20, 1000, 3)
    return png(Image.fromarray(picture))


@pytest.mark.parametrize("grey, level, ok", [
    (0, 249, True),
    (2352, 249, True),  # 76,048 of 78,400 = 97.00%
    (2353, 249, False),  # 96.99%
    (3136, 249, False),  # 96.00%
    (20000, 250, True),  # 250 is white
])
def test_white_frame_share(candidate, paper, grey, level, ok):
    graded = candidate(swap(MAIN, f"{ID}.MAIN.png", main_with_grey(paper, grey, level)))
    assert graded.points == {**FULL, "U4-04": ONE if ok else ZERO}, graded.lost()
    message = graded.evidence["U4-04"][0].message
    white = 78400 - (grey if level < 250 else 0)
    assert f"78,400 pixels): {white:,} white" in message


def test_white_frame_evidence_reads_as_the_paper(candidate, paper):
    graded = candidate(swap(MAIN, f"{ID}.MAIN.png", main_with_grey(paper, 3136)))
    expected = (f"{ID}.MAIN.png frame (20 px left and right, 20 px top and bottom, 78,400 pixels): "
                "75,264 white = 96.00% < 97.00%")
    assert graded.bad("U4-04") == [expected]


def test_transparent_frame_is_not_white(candidate, paper):
    picture = u4.main_image(paper.key).convert("RGBA")
    alpha = Image.new("L", picture.size, 0)
    ImageDraw.Draw(alpha).rectangle((100, 100, 899, 899), fill=255)
    picture.putalpha(alpha)
    graded = candidate(swap(MAIN, f"{ID}.MAIN.png", png(picture)))
    assert graded.lost() == {"U4-02": ZERO, "U4-04": ZERO}


@pytest.mark.parametrize("size, columns, rows, total", [
    ((1000, 1000), 20, 20, 78400), ((1000, 1010), 20, 20, 1000 * 1010 - 960 * 970),
    ((120, 80), 2, 1, 120 * 80 - 116 * 78), ((40, 40), 1, 1, 40 * 40 - 38 * 38), ((2, 2), 1, 1, 4),
])
def test_frame_geometry(size, columns, rows, total):
    frame = measure_frame(Image.new("RGB", size, "white"), Fraction(2, 100))
    assert (frame.columns, frame.rows, frame.total, frame.white(250)) == (columns, rows, total, total)


def test_frame_counts_the_darkest_channel():
    picture = Image.new("RGB", (100, 100), (255, 255, 255))
    picture.putpixel((0, 0), (255, 249, 255))
    picture.putpixel((50, 50), (0, 0, 0))  # inside, not in the frame
    frame = measure_frame(picture, Fraction(2, 100))
    assert frame.white(250) == frame.total - 1 and frame.counts[249] == 1


# ---------------------------------------------------------------- U4-05 origin


TRANSFORMS = {
    "resized 0.5×": lambda im: im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS),
    "resized 2×": lambda im: im.resize((im.width * 2, im.height * 2), Image.Resampling.LANCZOS),
    "re-encoded q20": lambda im: decoded(jpeg(im, 20)),
    "padded to a white square": lambda im: u4.on_white_square(im, max(im.size)),
    "set in white margins": lambda im: _in_margins(im),
    "cropped 10% left": lambda im: im.crop((im.width // 10, 0, im.width, im.height)),
    "cropped 10% top and right": lambda im: im.crop((0, im.height // 10, im.width * 9 // 10, im.height)),
    "cropped 10% every side": lambda im: im.crop((im.width // 10, im.height // 10, im.width * 9 // 10,
                                                  im.height * 9 // 10)),
    "cropped 7.5% every side, padded, 0.6×": lambda im: u4.on_white_square(
        im.crop((im.width * 3 // 40, im.height * 3 // 40, im.width * 37 // 40, im.height * 37 // 40)),
        round(max(im.size) * 0.6)),
}


def _in_margins(image: Image.Image) -> Image.Image:
    inner = u4.longest_side(image, 900)
    canvas = Image.new("RGB", (1000, 1000), "white")
    canvas.paste(inner, ((1000 - inner.width) // 2, (1000 - inner.height) // 2))
    return canvas


@pytest.mark.parametrize("transform", list(TRANSFORMS))
def test_derivatives_are_within_the_threshold_of_their_own_photo_only(paper, photos, method, transform):
    limit = paper_params(paper, "U4-05")["max_distance"]
    for name in photos:
        derived = TRANSFORMS[transform](key_photo(paper, name))
        found = examine(jpeg(derived, 60), max_pixels=10**9, method=method)
        distances = {other: nearest(found.fingerprint, p.found.fingerprint) for other, p in photos.items()}
        assert distances[name] <= limit, (name, distances)
        assert all(d > limit for other, d in distances.items() if other != name), (name, distances)


def unrelated_pictures() -> dict[str, Image.Image]:
    rng = np.random.default_rng(7)
    scene = Image.new("RGB", (1200, 900), (150, 200, 240))
    ImageDraw.Draw(scene).rectangle((0, 600, 1200, 900), fill=(110, 80, 50))
    box = Image.new("RGB", (1000, 1000), "white")
    ImageDraw.Draw(box).rectangle((400, 150, 600, 850), fill=(30, 30, 30))  # a dark upright shape on white
    chart = Image.new("RGB", (1200, 800), "white")
    for i, height in enumerate((300, 500, 200, 650, 400)):
        ImageDraw.Draw(chart).rectangle((150 + i * 200, 750 - height, 280 + i * 200, 750), fill=(50, 90, 200))
    return {"sneaker": u4.unrelated_picture(), "landscape": scene, "dark box on white": box, "bar chart": chart,
            "noise": Image.fromarray(rng.integers(0, 255, (800, 800, 3), dtype=np.uint8)),
            "grey gradient": Image.linear_gradient("L").resize((900, 900)).convert("RGB")}


@pytest.mark.parametrize("name", list(unrelated_pictures()))
def test_unrelated_pictures_match_no_photo(paper, photos, method, name):
    limit = paper_params(paper, "U4-05")["max_distance"]
    found = examine(jpeg(unrelated_pictures()[name]), max_pixels=10**9, method=method)
    distances = {p: nearest(found.fingerprint, m.found.fingerprint) for p, m in photos.items()}
    assert min(distances.values()) > limit, distances


def test_unrelated_picture_fails_u4_05_with_every_distance_in_the_evidence(candidate, photos):
    graded = candidate(lambda f: f.__setitem__(PT03, jpeg(u4.unrelated_picture())))
    assert graded.lost() == {"U4-05": ZERO}
    bad = [e for e in graded.evidence["U4-05"] if not e.ok]
    assert len(bad) == 1 and "is not derived from any materials photo" in bad[0].message
    assert all(name in bad[0].found for name in photos)
    assert all(e.found for e in graded.evidence["U4-05"])  # the distances, for every image


def test_cropped_and_resized_derivatives_pass_in_the_folder(candidate, paper):
    def change(files):
        files[PT01] = jpeg(TRANSFORMS["cropped 10% every side"](key_photo(paper, "hkb100_blue_tilted.jpg")), 50)
        files[PT02] = jpeg(TRANSFORMS["resized 0.5×"](key_photo(paper, "hkb100_pair_table.jpg")), 50)
        files[PT03] = jpeg(key_photo(paper, "hkb100_lid_cmyk.jpg"), 50)  # the CMYK photo, converted to RGB

    assert candidate(change).points == FULL


def test_main_must_come_from_the_main_photo(candidate, paper):
    graded = candidate(lambda f: f.__setitem__(MAIN, jpeg(_in_margins(key_photo(paper, "hkb100_two_sizes.jpg")))))
    assert graded.lost() == {"U4-05": ZERO}
    assert graded.bad("U4-05")[0].startswith(f"{MAIN} is not derived from the main photo hkb100_front_white.jpg")


def test_main_photo_as_a_pt_image_is_fine(candidate, paper):
    graded = candidate(lambda f: f.__setitem__(f"{ID}.PT04.jpg", jpeg(key_photo(paper, "hkb100_two_sizes.jpg"), 40)))
    assert graded.points == FULL


def test_two_identical_images(candidate):
    graded = candidate(lambda f: f.__setitem__(PT02, f[PT01]))
    assert graded.lost() == {"U4-05": ZERO}
    assert graded.bad("U4-05") == [f"{PT01} and {PT02} are the same picture: distance 0 ≤ 64"]


def test_a_crop_of_another_submitted_image_is_the_same_picture(candidate, paper):
    photo = key_photo(paper, "hkb100_outdoors.jpg")
    cropped = photo.crop((photo.width // 10, 0, photo.width, photo.height * 9 // 10))
    graded = candidate(lambda f: f.__setitem__(f"{ID}.PT04.jpg", jpeg(u4.on_white_square(cropped, 900), 50)))
    assert graded.lost() == {"U4-05": ZERO}
    assert graded.bad("U4-05")[0].startswith(f"{PT03} and {ID}.PT04.jpg are the same picture")


def test_exif_orientation_is_applied_before_hashing_and_measuring(candidate, paper):
    main = u4.main_image(paper.key)
    stored = main.transpose(Image.Transpose.ROTATE_90)  # turned a quarter; orientation 6 turns it back
    pt = u4.pt_image(paper.key, 1)  # 800 × 533

    def change(files):
        files[MAIN] = with_orientation(stored, 6)
        files[PT02] = with_orientation(pt.transpose(Image.Transpose.ROTATE_90), 6)

    graded = candidate(change)
    assert graded.points == FULL
    found = graded.submission.get("u4_images").graded["PT02"].found
    assert (found.orientation, found.header_size, found.shown_size) == (6, (533, 800), (800, 533))

    without = candidate(lambda f: f.__setitem__(MAIN, jpeg(stored)))
    assert without.lost() == {"U4-05": ZERO}  # the same pixels, shown turned: not the main photo


def hashed_folder(paper, hashes: dict[str, int]) -> ImageFolder:
    """A folder whose slot images carry the given hashes (and no crop variants of their own)."""
    folder = synthetic_folder((1000, 1000), [(800, 600)] * (len(hashes) - 1))
    files = tuple(replace(f, found=replace(f.found, fingerprint=Fingerprint(hashes[f.slot], (hashes[f.slot],))))
                  for f in folder.files)
    return replace(folder, files=files, method=HashMethod.from_params(image_settings(paper)["hash"]))


def bits(n: int, start: int = 0) -> int:
    return ((1 << n) - 1) << start


# hashes of four synthetic photos: main.jpg all zeros, the others each half ones, 128 bits from
# main.jpg and from one another
PHOTOS = {"main.jpg": 0, "left.jpg": bits(128), "right.jpg": bits(128, 128), "middle.jpg": bits(128, 64)}


@pytest.fixture
def synthetic_photos(monkeypatch):
    """Materials of the four PHOTOS, each with its hash as its only variant."""
    made = tuple(Material(name, name == "main.jpg", Examined(fingerprint=Fingerprint(h, (h,))))
                 for name, h in PHOTOS.items())
    monkeypatch.setattr("grader.checks.images.materials", lambda *args: made)
    return made


def u4_05(paper, hashes: dict[str, int]) -> Outcome:
    ctx = CheckContext("U4-05", hashed_folder(paper, hashes), paper.key, paper_params(paper, "U4-05"))
    return REGISTRY["images_derived"].func(ctx)


def failed(outcome: Outcome) -> list[str]:
    return [e.message for e in outcome.evidence if not e.ok]


# PT images 40 bits from left, right and middle: 80 or more bits apart
PTS = {"PT01": PHOTOS["left.jpg"] ^ bits(40), "PT02": PHOTOS["right.jpg"] ^ bits(40, 216),
       "PT03": PHOTOS["middle.jpg"] ^ bits(20, 64) ^ bits(20, 172)}


@pytest.mark.parametrize("main_bits, ok", [(64, True), (65, False)])
def test_derived_within_the_threshold_ends_included(paper, synthetic_photos, main_bits, ok):
    main = bits(32, 32) | bits(main_bits - 32, 192)  # 127 or more from every other photo
    outcome = u4_05(paper, {"MAIN": main, **PTS})
    assert outcome.share == (ONE if ok else ZERO), failed(outcome)
    assert outcome.evidence[0].message.endswith(f"distance {main_bits} {'≤' if ok else '>'} 64" +
                                                ("" if ok else " (nearest main.jpg at 65)"))
    assert [e.message for e in outcome.evidence[1:]] == [
        f"{ID}.PT01.jpg derives from left.jpg: distance 40 ≤ 64", f"{ID}.PT02.jpg derives from right.jpg: distance 40 ≤ 64",
        f"{ID}.PT03.jpg derives from middle.jpg: distance 40 ≤ 64"]


@pytest.mark.parametrize("apart, ok", [(64, False), (65, True)])
def test_same_picture_within_the_threshold_ends_included(paper, synthetic_photos, apart, ok):
    """Two pictures derived from no photo at all (U4-05 is lost either way) are the same picture
    within the threshold of each other."""
    stray = bits(64, 96) | bits(10, 0)  # 74 or more from every photo
    outcome = u4_05(paper, {"MAIN": 0, "PT01": stray, "PT02": stray ^ bits(apart, 160)})
    same = [m for m in failed(outcome) if "same picture" in m]
    assert same == ([] if ok else [f"{PT01} and {PT02} are the same picture: distance 64 ≤ 64"])


def test_two_images_derived_from_one_photo_are_the_same_picture(paper, synthetic_photos):
    """However far apart they are: a crop of a photo and another crop of it."""
    outcome = u4_05(paper, {"MAIN": 0, "PT01": PTS["PT01"], "PT02": PHOTOS["left.jpg"] ^ bits(40, 60),
                            "PT03": PTS["PT03"]})
    assert outcome.share == ZERO
    assert failed(outcome) == [(f"{PT01} and {PT02} are the same picture: both derive from left.jpg "
                               "(distances 40 and 40; 80 apart)")]
    assert outcome.evidence[-1].message_zh == f"{PT01} 与 {PT02} 为同一张图片（均源自 left.jpg）"


def test_images_from_two_photos_that_are_one_picture_are_the_same_picture(paper, monkeypatch):
    """A key whose photos hold a near copy (allowed beside four distinct ones): an image from
    each is one picture."""
    photos = {**PHOTOS, "left copy.jpg": PHOTOS["left.jpg"] ^ bits(30, 200)}
    made = tuple(Material(name, name == "main.jpg", Examined(fingerprint=Fingerprint(h, (h,))))
                 for name, h in photos.items())
    monkeypatch.setattr("grader.checks.images.materials", lambda *args: made)
    copy_pt = photos["left copy.jpg"] ^ bits(40, 128)  # 40 from the copy, 70 from left.jpg
    outcome = u4_05(paper, {"MAIN": 0, "PT01": PTS["PT01"], "PT02": copy_pt, "PT03": PTS["PT03"]})
    assert failed(outcome) == [(f"{PT01} and {PT02} are the same picture: both derive from left.jpg and "
                               "left copy.jpg, the same picture (distances 40 and 40; 110 apart)")]


# ---------------------------------------------------------------- the pixel limit


def test_decompression_bomb_in_a_pt_slot(candidate):
    graded = candidate(swap(PT03, f"{ID}.PT03.png", u4.bomb_png()))
    assert graded.lost() == {"U4-02": ZERO, "U4-05": ZERO}  # U4-03: the header's 100000 px ≥ 800
    assert graded.codes == ["image-too-large"]
    flag = graded.flags[0]
    assert flag.file == f"u4_images/{ID}.PT03.png" and flag.unit == "U4"
    assert flag.reason == "10,000,000,000 pixels in the header, over 100,000,000: refused unread"
    assert graded.bad("U4-02") == [f"{ID}.PT03.png: 10,000,000,000 pixels > 100,000,000: refused unread"]


def test_decompression_bomb_as_main(candidate):
    graded = candidate(swap(MAIN, f"{ID}.MAIN.png", u4.bomb_png()))
    assert graded.lost() == {"U4-02": ZERO, "U4-03": ZERO, "U4-04": ZERO, "U4-05": ZERO}
    assert "100000×100000" in graded.bad("U4-03")[0]
    assert "the frame cannot be measured" in graded.bad("U4-04")[0]


def test_a_size_pillow_only_warns_about_is_refused_quietly(candidate):
    """12000 × 12000 = 144,000,000 pixels: over the paper's limit, under Pillow's error level."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graded = candidate(swap(PT03, f"{ID}.PT03.png", u4.bomb_png(12000, 12000)))
    assert graded.codes == ["image-too-large"] and graded.lost() == {"U4-02": ZERO, "U4-05": ZERO}
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
    assert Image.MAX_IMAGE_PIXELS == 89478485  # Pillow's own guard is left as it is


@pytest.mark.parametrize("size, refused", [((100, 100), False), ((100, 101), True)])
def test_pixel_limit_boundary(size, refused):
    found = examine(png(Image.new("RGB", size, "white")), max_pixels=10_000)
    assert found.refused is refused and found.pixels == size[0] * size[1]
    assert found.measured is not refused


def test_the_run_can_only_lower_the_pixel_limit(candidate):
    graded = candidate(limits=Limits(max_image_pixels=999_999))  # MAIN is 1,000,000 pixels
    assert graded.codes == ["image-too-large"]
    assert graded.lost() == {"U4-02": ZERO, "U4-04": ZERO, "U4-05": ZERO}
    assert candidate(limits=Limits(max_image_pixels=10**12)).points == FULL


def test_a_bomb_does_not_stop_the_run(tmp_path, paper, perfect):
    from helpers import result

    from grader.pipeline import grade_disc

    disc = tmp_path / "disc"
    for user, files in (("ks01", {**perfect, PT03: u4.bomb_png()}), ("ks02", perfect)):
        for name, data in files.items():
            (disc / user / "u4_images").mkdir(parents=True, exist_ok=True)
            (disc / user / "u4_images" / name).write_bytes(data)
    grade_disc(disc, paper, tmp_path / "out", jobs=1)
    bomb, fine = result(tmp_path / "out", "ks01"), result(tmp_path / "out", "ks02")
    assert "image-too-large" in {f["code"] for f in bomb["flags"]}
    assert next(u for u in bomb["units"] if u["id"] == "U4")["points"] == "3"
    assert next(u for u in fine["units"] if u["id"] == "U4")["points"] == "5"


# ---------------------------------------------------------------- the reader


def test_every_file_is_read_and_recorded(candidate):
    graded = candidate(lambda f: f.update({"notes.txt": b"x", f"old/{ID}.PT09.jpg": f[PT01]}))
    recorded = {path.split("/", 1)[1] for path in graded.submission.inputs}
    assert recorded == {f"u4_images/{n}" for n in (MAIN, PT01, PT02, PT03, "notes.txt", f"old/{ID}.PT09.jpg")}
    folder = graded.submission.get("u4_images")
    other = next(f for f in folder.files if f.name == f"{ID}.PT09.jpg")
    assert other.found.format == "JPEG" and other.found.fingerprint is None  # identified, not measured


def test_fingerprints_for_the_similarity_stage(candidate, method):
    folder = candidate().submission.get("u4_images")
    prints = folder.fingerprints()
    assert sorted(prints) == ["image:MAIN", "image:PT01", "image:PT02", "image:PT03"]
    assert all(len(h) == method.bits // 4 for h in prints.values())


def test_truncated_images_switch_is_restored_and_thread_safe(perfect):
    good, cut = perfect[PT01], perfect[PT01][: len(perfect[PT01]) * 2 // 3]
    assert PILImageFile.LOAD_TRUNCATED_IMAGES is False

    def read(data: bytes) -> bool:
        return examine(data, max_pixels=10**9).decoded

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(read, [good, cut] * 24))
    assert results == [True, False] * 24
    assert PILImageFile.LOAD_TRUNCATED_IMAGES is False


def test_another_threads_lenient_read_never_lets_a_truncated_file_pass(perfect):
    cut = perfect[MAIN][: len(perfect[MAIN]) // 2]
    stop = threading.Event()

    def lenient_reads() -> None:
        while not stop.is_set():
            examine(cut, max_pixels=10**9)

    worker = threading.Thread(target=lenient_reads)
    worker.start()
    try:
        assert not any(examine(cut, max_pixels=10**9).decoded for _ in range(20))
    finally:
        stop.set()
        worker.join()


def test_content_box_cuts_white_padding_and_little_ink():
    ink = np.zeros((10, 20), dtype=np.uint8)
    ink[2:8, 5:15] = 100
    assert content_box(ink, Fraction(0)) == (5, 2, 15, 8)
    ink[0, 0] = 1  # a speck of JPEG noise in the padding: 1 of 6,001 units of ink
    assert content_box(ink, Fraction(1, 100)) == (5, 2, 15, 8)
    assert content_box(np.zeros((4, 4), dtype=np.uint8), Fraction(1, 100)) is None


def test_same_picture_distance_takes_either_direction():
    a = Fingerprint(0b1111, (0b1111, 0b0000))
    b = Fingerprint(0b0001, (0b0001,))
    assert nearest(b, a) == 1 and nearest(a, b) == 3 and same_picture_distance(a, b) == 1


def test_naming_examples():
    assert doctest.testmod(reading).failed == 0


# ---------------------------------------------------------------- the key's photos (convention 21)


def test_materials_are_measured_once_per_process(paper, method):
    assert materials(paper.key, "images", method) is materials(paper.key, "images", method)


def test_the_key_holds_four_distinct_photos(paper, photos):
    assert REGISTRY["images_derived"].validate(paper.key, paper_params(paper, "U4-05"), image_settings(paper)) == []
    assert len(photos) >= 4 and sum(m.main for m in photos.values()) == 1
    limit = paper_params(paper, "U4-05")["max_distance"]
    for a, b in itertools.combinations(photos.values(), 2):
        assert same_picture_distance(a.found.fingerprint, b.found.fingerprint) > limit


def copied_key(tmp_path, paper, photos: list[str], main: str = "hkb100_front_white.jpg", extra=None):
    root = tmp_path / "key"
    shutil.copytree(paper.key.root, root)
    if extra:
        extra(root / "photos")
    lines = ", ".join(f'"{p}"' for p in photos)
    (root / "images.toml").write_text(f'# test key\nfolder = "photos"\nmain = "{main}"\nphotos = [{lines}]\n',
                                      encoding="utf-8")
    return load_key(root)


def _near_copy(folder: Path) -> None:
    with Image.open(folder / "hkb100_blue_tilted.jpg") as image:
        crop = image.convert("RGB").crop((60, 80, image.width, image.height))
    crop.save(folder / "blue_again.jpg", quality=60)


@pytest.mark.parametrize("photos, main, problem", [
    (["hkb100_front_white.jpg", "hkb100_blue_tilted.jpg", "hkb100_pair_table.jpg", "blue_again.jpg"],
     "hkb100_front_white.jpg", "only 3 distinct photos, fewer than 4"),
    (["hkb100_front_white.jpg", "hkb100_blue_tilted.jpg", "hkb100_pair_table.jpg"],
     "hkb100_front_white.jpg", "only 3 distinct photos, fewer than 4"),
    (["hkb100_blue_tilted.jpg", "hkb100_pair_table.jpg", "hkb100_outdoors.jpg", "hkb100_two_sizes.jpg"],
     "hkb100_front_white.jpg", "the main photo hkb100_front_white.jpg is not among the photos"),
    (["hkb100_front_white.jpg", "hkb100_blue_tilted.jpg", "hkb100_pair_table.jpg", "lost.jpg"],
     "hkb100_front_white.jpg", "photos that cannot be read: lost.jpg"),
])
def test_a_key_without_four_distinct_photos_is_refused(tmp_path, paper, photos, main, problem):
    key = copied_key(tmp_path, paper, photos, main, extra=_near_copy)
    problems = REGISTRY["images_derived"].validate(key, paper_params(paper, "U4-05"), image_settings(paper))
    assert problems and problems[0].startswith(problem), problems


def test_a_bad_hash_table_is_refused(paper):
    settings = {"hash": {**image_settings(paper)["hash"], "method": "md5"}}
    assert REGISTRY["images_derived"].validate(paper.key, paper_params(paper, "U4-05"), settings) == [
        "hash method 'md5' is not one of phash, dhash, average_hash, whash"]


def test_the_photos_are_what_the_generator_draws(tmp_path, paper):
    from grader.samples.photos import write_photos

    for path in write_photos(tmp_path):
        assert path.read_bytes() == (paper.key.root / "photos" / path.name).read_bytes(), path.name
    assert sum(p.stat().st_size for p in (paper.key.root / "photos").iterdir()) < 1024 * 1024
    with Image.open(paper.key.root / "photos" / "hkb100_lid_cmyk.jpg") as image:
        assert image.mode == "CMYK"


def test_hash_bits_are_the_number_imagehash_spells(method):
    """The hash kept as an integer is the number the imagehash hex text spells, first bit highest."""
    rng = np.random.default_rng(5)
    for _ in range(20):
        grey = Image.fromarray(rng.integers(0, 255, (90, 70), dtype=np.uint8))
        assert reading._hash(grey, method) == int(str(imagehash.phash(grey, hash_size=method.size)), 16)


def test_the_demo_pictures_lie_well_inside_the_threshold(paper, photos, method):
    """A guard on the hash's settings, not only on its threshold: the perfect set and the MAIN
    whose grey floor strip costs U4-04 alone stay within three quarters of the threshold of their
    photo (a scaled decode too small for the trim once put that MAIN at 60 of 64)."""
    limit = paper_params(paper, "U4-05")["max_distance"]
    files = dict(u4.perfect(paper.key)["u4_images"].files)
    files["grey floor MAIN"] = u4._grey_floor(paper.key, {})
    sources = [paper.key["images"]["main"], *[p for p in paper.key["images"]["photos"]
                                              if p != paper.key["images"]["main"]][:3]]
    expected = dict(zip([MAIN, PT01, PT02, PT03], sources)) | {"grey floor MAIN": sources[0]}
    for name, source in expected.items():
        found = examine(files[name], max_pixels=10**9, method=method)
        assert nearest(found.fingerprint, photos[source].found.fingerprint) <= limit * 3 // 4, name
