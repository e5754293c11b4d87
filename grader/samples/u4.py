"""Unit 4 samples: a perfect ``u4_images/`` made from the key's photos, and defects with their points.

The perfect set is what a careful candidate makes of the materials: MAIN is the main photo padded
to a white square and resized to 1000 px; PT01–PT03 are the next three photos of the key, resized
to 800 px on their longest side. JPEG quality is low (the drawings stay clean) so that each demo
candidate carries its whole set in about 30 KB. Defects that need no size use small images.
"""
from __future__ import annotations

import functools
import io
import struct
import zlib
from fractions import Fraction
from typing import Any

from PIL import Image, ImageDraw

from grader.samples.drafts import Defect, Drafts, FolderDraft

UNIT = "U4"
FOLDER = "u4_images"
QUALITY = 25
MAIN_SIDE = 1000
PT_SIDE = 800
PT_COUNT = 3


# ---------------------------------------------------------------- making images


def jpeg(image: Image.Image, quality: int = QUALITY, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, **options)
    return buffer.getvalue()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def photo(key: Any, name: str) -> Image.Image:
    """A materials photo as RGB."""
    folder = key["images"].get("folder", "photos")
    with Image.open(key.path(f"{folder}/{name}")) as image:
        return image.convert("RGB")


def on_white_square(image: Image.Image, side: int, *, height: int | None = None, fill: int = 255) -> Image.Image:
    """The picture centred on a white square (or ``side`` × ``height``) canvas, resized to fit."""
    longest = max(image.size)
    canvas = Image.new("RGB", (longest, longest), (fill, fill, fill))
    canvas.paste(image, ((longest - image.width) // 2, (longest - image.height) // 2))
    return canvas.resize((side, height or side), Image.Resampling.LANCZOS)


def longest_side(image: Image.Image, side: int) -> Image.Image:
    scale = Fraction(side, max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def identifier(key: Any) -> str:
    return key["product"]["parent_sku"]


def pt_photos(key: Any) -> list[str]:
    images = key["images"]
    return [p for p in images["photos"] if p != images["main"]][:PT_COUNT]


def main_image(key: Any) -> Image.Image:
    return on_white_square(photo(key, key["images"]["main"]), MAIN_SIDE)


def pt_image(key: Any, index: int) -> Image.Image:
    return longest_side(photo(key, pt_photos(key)[index]), PT_SIDE)


def perfect_files(key: Any) -> dict[str, bytes]:
    return dict(_perfect_files(key))


@functools.lru_cache(maxsize=2)  # writing a demo disc asks for them once per candidate; grading never
def _perfect_files(key: Any) -> dict[str, bytes]:
    ident = identifier(key)
    files = {f"{ident}.MAIN.jpg": jpeg(main_image(key))}
    for index in range(PT_COUNT):
        files[f"{ident}.PT{index + 1:02d}.jpg"] = jpeg(pt_image(key, index))
    return files


def perfect(key: Any) -> Drafts:
    return {FOLDER: FolderDraft(FOLDER, dict(perfect_files(key)))}


def unrelated_picture() -> Image.Image:
    """A picture no materials photo shows: a red sneaker on a pale floor."""
    image = Image.new("RGB", (800, 600), (236, 232, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 430, 800, 600), fill=(180, 170, 160))
    draw.rounded_rectangle((140, 300, 660, 430), radius=60, fill=(200, 36, 44))
    draw.ellipse((150, 180, 420, 420), fill=(200, 36, 44))
    draw.rectangle((140, 410, 660, 450), fill=(40, 40, 40))
    for x in range(220, 420, 50):
        draw.line((x, 250, x + 40, 290), fill=(250, 250, 250), width=8)
    return image


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def truncated(data: bytes, share: Fraction) -> bytes:
    """The first ``share`` of a file's bytes, as a copy cut short leaves it."""
    return data[:int(len(data) * share)]


def posterised(image: Image.Image, colours: int = 16) -> Image.Image:
    """The picture in a few flat colours (palette mode), which a PNG stores in a few KB."""
    return image.quantize(colours, dither=Image.Dither.NONE)


# ---------------------------------------------------------------- defects


def _files(drafts: Drafts) -> dict[str, bytes]:
    return drafts[FOLDER].files


def _rename(code: str, new: str):
    def apply(drafts: Drafts, key: Any) -> None:
        files = _files(drafts)
        files[new.format(id=identifier(key))] = files.pop(f"{identifier(key)}.{code}.jpg")

    return apply


def _replace(code: str, name: str, make):
    """Put ``make(key, files)``'s bytes in the slot ``code`` under ``name`` (``{id}`` is the identifier)."""

    def apply(drafts: Drafts, key: Any) -> None:
        files = _files(drafts)
        data = make(key, files)
        del files[f"{identifier(key)}.{code}.jpg"]
        files[name.format(id=identifier(key))] = data

    return apply


def _add(name: str, make):
    def apply(drafts: Drafts, key: Any) -> None:
        _files(drafts)[name.format(id=identifier(key))] = make(key, _files(drafts))

    return apply


def _grey_floor(key: Any, files: dict[str, bytes]) -> bytes:
    """MAIN with a light grey floor strip (240) along its bottom edge: the frame is no longer white."""
    image = main_image(key)
    ImageDraw.Draw(image).rectangle((0, MAIN_SIDE - 25, MAIN_SIDE, MAIN_SIDE), fill=(240, 240, 240))
    return jpeg(image)


def _main_from(index: int):
    """MAIN made from another photo, set inside a white square with margins (white frame, wrong photo)."""

    def make(key: Any, files: dict[str, bytes]) -> bytes:
        other = [p for p in key["images"]["photos"] if p != key["images"]["main"]][index]
        inner = longest_side(photo(key, other), MAIN_SIDE * 9 // 10)
        canvas = Image.new("RGB", (MAIN_SIDE, MAIN_SIDE), (255, 255, 255))
        canvas.paste(inner, ((MAIN_SIDE - inner.width) // 2, (MAIN_SIDE - inner.height) // 2))
        return jpeg(canvas)

    return make


DEFECTS = [
    Defect("name-with-space", UNIT, _rename("PT02", "{id} PT02.jpg"), {"U4-01": 0},
           description="PT02 saved as 'HKB100 PT02.jpg' (a space, no period): not a slot, and only two PT"),
    Defect("extension-upper-case", UNIT, _rename("MAIN", "{id}.MAIN.JPG"), {"U4-01": 0},
           description="MAIN saved as .JPG: graded as MAIN for U4-02…05, but the name fails U4-01"),
    Defect("png-named-jpg", UNIT,
           _replace("PT02", "{id}.PT02.jpg", lambda k, f: png(posterised(pt_image(k, 1)).convert("RGB"))),
           {"U4-02": 0}, description="PT02 holds PNG bytes under a .jpg name"),
    Defect("truncated-jpeg", UNIT,
           _replace("PT03", "{id}.PT03.jpg", lambda k, f: truncated(f[f"{identifier(k)}.PT03.jpg"], Fraction(9, 10))),
           {"U4-02": 0}, flags=("damaged-image",),
           description="PT03 cut short (90% of its bytes): fails the full decode, measured as shown"),
    Defect("cmyk-jpeg", UNIT, _replace("PT01", "{id}.PT01.jpg", lambda k, f: jpeg(pt_image(k, 0).convert("CMYK"))),
           {"U4-02": 0}, description="PT01 saved in CMYK"),
    Defect("palette-png", UNIT, _replace("PT02", "{id}.PT02.png", lambda k, f: png(posterised(pt_image(k, 1)))),
           {"U4-02": 0}, description="PT02 saved as a palette (P) PNG"),
    Defect("main-rgba-png", UNIT,
           _replace("MAIN", "{id}.MAIN.png", lambda k, f: png(posterised(main_image(k), 8).convert("RGBA"))),
           {"U4-02": 0}, description="MAIN saved as an RGBA PNG (RGBA is allowed for PT images only)"),
    Defect("main-1000x1011", UNIT,
           _replace("MAIN", "{id}.MAIN.jpg",
                    lambda k, f: jpeg(on_white_square(photo(k, k["images"]["main"]), MAIN_SIDE, height=1011))),
           {"U4-03": 0}, description="MAIN 1000×1011: 11 px > 1% of 1011"),
    Defect("main-999", UNIT,
           _replace("MAIN", "{id}.MAIN.jpg", lambda k, f: jpeg(on_white_square(photo(k, k["images"]["main"]), 999))),
           {"U4-03": 0}, description="MAIN 999×999: under 1000 px"),
    Defect("pt-799", UNIT, _replace("PT01", "{id}.PT01.jpg", lambda k, f: jpeg(longest_side(photo(k, pt_photos(k)[0]),
                                                                                          799))),
           {"U4-03": 0}, description="PT01's longest side 799 px"),
    Defect("main-grey-floor", UNIT, _replace("MAIN", "{id}.MAIN.jpg", _grey_floor), {"U4-04": 0},
           description="MAIN keeps a light grey (240) floor strip along its bottom edge: frame about 74% white"),
    Defect("unrelated-picture", UNIT, _replace("PT03", "{id}.PT03.jpg", lambda k, f: jpeg(unrelated_picture())),
           {"U4-05": 0}, description="PT03 is a picture of another product"),
    Defect("main-from-other-photo", UNIT, _replace("MAIN", "{id}.MAIN.jpg", _main_from(4)), {"U4-05": 0},
           description="MAIN made from a materials photo that is not the main one (white frame kept)"),
    Defect("duplicate-picture", UNIT,
           _replace("PT02", "{id}.PT02.jpg", lambda k, f: f[f"{identifier(k)}.PT01.jpg"]), {"U4-05": 0},
           description="PT02 is a copy of PT01"),
    Defect("decompression-bomb", UNIT, _replace("PT03", "{id}.PT03.png", lambda k, f: bomb_png()),
           {"U4-02": 0, "U4-05": 0}, flags=("image-too-large",),
           description="PT03 is a PNG declaring 100000×100000 pixels: refused unread and flagged; its header size "
                       "still passes U4-03"),
    Defect("second-file-for-main", UNIT, _add("{id}.MAIN.png", lambda k, f: png(Image.new("RGB", (8, 8), "white"))),
           {"U4-01": 0}, description="a stray HKB100.MAIN.png beside HKB100.MAIN.jpg: the jpg is graded"),
    Defect("main-wrong-case", UNIT, _rename("MAIN", "{id}.main.jpg"), {"U4-01": 0, "U4-03": 0, "U4-04": 0},
           description="MAIN saved as HKB100.main.jpg: not the slot, so MAIN is missing (U4-05's MAIN clause has "
                       "nothing to fail)"),
]
