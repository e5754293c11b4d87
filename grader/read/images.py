"""The ``images`` deliverable kind (unit 4): a folder of product images, every file read.

Each file under the folder is read once and recorded for the manifest. For every file: its name
as written, its size on disk, and what Pillow finds in the bytes (the real format, whatever the
extension says; ``None`` when the bytes are no image), its mode and header size. The file that
fills a slot of the naming convention (``<ID>.MAIN``, ``<ID>.PT01`` … with a jpg, jpeg or png
extension in any case, one file per slot, convention 27) is then measured in full; other files
are only identified, since they cost U4-01 alone:

- a strict full decode; a file that fails it (truncated, corrupt) is decoded again as a viewer
  shows it (``grader.read.pillow``, which holds Pillow's switches) and measured that way;
- its width × height as displayed (EXIF orientation applied with ``ImageOps.exif_transpose``);
- its outer frame: the frame pixels counted by their darkest channel (``Frame``), from which U4-04
  takes its share of white;
- its perceptual hash (``HashMethod``) for U4-05. ``materials`` hashes the key's photos the same
  way, once per process, together with the hashes of the crops of a grid (their variants).

Images whose header declares more than ``max_pixels`` (the deliverable's, or the run's
``Limits.max_image_pixels`` when lower) are refused unread and flagged ``image-too-large``
(convention 27). Pillow's own guard stays as it is (``pillow_guard``); its decompression-bomb
warning and error become that refusal, never a crash.

The settings are the deliverable spec's (``[deliverables.<name>]`` of the rubric), each written once:
the naming convention ``naming`` (required: without it no file fills a slot), the frame's share
``frame`` and the hash method ``hash`` (without them the frame is not measured, or nothing is
hashed, and a check that judges them refuses the paper when it loads), and ``max_pixels``.

Only the frame needs every pixel, and it is measured on MAIN alone. A JPEG is hashed from the
decoder's own scaled decode (draft mode: DCT scaling by 1/2, 1/4 or 1/8, the most that keeps the
longest side at least twice the hash's ``work`` pixels, so that the picture left once its white
padding is cut still has them), the key's photos as much as the candidates' images, so every picture
is hashed the same way; the scaled decode still reads every byte of the picture, so a truncated or
corrupt file fails it as it fails a full decode (U4-02). Sizes are the header's, turned by the EXIF
orientation.
"""
from __future__ import annotations

import functools
import io
import itertools
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import imagehash
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from grader.errors import ReadError
from grader.locale import N_
from grader.read import reader
from grader.read.pillow import BOMBS, decoding, pillow_guard
from grader.read.places import HOME, MISPLACED, Home
from grader.read.submission import NothingFound
from grader.records.images import (
    HASH_METHODS,
    Examined,
    Fingerprint,
    Frame,
    HashMethod,
    ImageFile,
    ImageFolder,
    Material,
    Naming,
    hash_problems,
    nearest,
)

if TYPE_CHECKING:
    from grader.paper import DeliverableSpec, Key
    from grader.read.submission import Located, Submission

TOO_LARGE = "image-too-large"
HEADROOM = 2  # the scaled decode keeps twice the hash's work size: the trim may cut half of a padded picture
PREVIEW_SIDE = 240  # the longest side at which the reports show a picture, in pixels


# ---------------------------------------------------------------- settings


HASHES: dict[str, Callable[..., imagehash.ImageHash]] = {name: getattr(imagehash, name) for name in HASH_METHODS}


@dataclass(frozen=True)
class Settings:
    """What the reader measures, from the rubric."""

    naming: Naming
    max_pixels: int
    frame: Fraction | None = None
    method: HashMethod | None = None


def settings_of(spec: DeliverableSpec, key: Key, cap: int | None = None) -> Settings:
    """The reader's settings from the deliverable's spec (``naming``, ``frame``, ``hash``,
    ``max_pixels``), checked when the paper loaded (``setting_problems``). ``cap`` (the run's
    ``Limits.max_image_pixels``) may lower the rubric's ``max_pixels``, never raise it."""
    options = spec.options
    frame = Fraction(str(options["frame"])) if "frame" in options else None
    method = HashMethod.from_params(options["hash"]) if "hash" in options else None
    limits = [int(n) for n in (options.get("max_pixels"), cap) if n is not None]
    return Settings(Naming.from_params(options["naming"], key), min(limits) if limits else pillow_guard(),
                    frame, method)


def setting_problems(options: dict[str, Any], key: Key) -> list[str]:
    """What is wrong with an images spec's settings (empty when the reader can use them)."""
    naming = options.get("naming")
    if not isinstance(naming, dict) or any(k not in naming for k in ("identifier", "main", "pt", "extensions")):
        return ["naming must give identifier (a key path), main, pt and extensions"]
    identifier = key.get(str(naming["identifier"]))
    if not isinstance(identifier, str) or not identifier:
        return [f"the key lacks the image identifier {naming['identifier']}"]
    if not naming["pt"] or not naming["extensions"]:
        return ["naming needs at least one PT code and one extension"]
    problems = []
    if "frame" in options:
        try:
            frame = Fraction(str(options["frame"]))
        except (ValueError, ZeroDivisionError):
            frame = Fraction(-1)
        if not 0 < frame < Fraction(1, 2):
            problems.append(f"frame {options['frame']!r} must be a decimal share above 0 and below 0.5, such as \"0.02\"")
    if "hash" in options:
        problems += hash_problems(options["hash"])
    if "max_pixels" in options and (not isinstance(options["max_pixels"], int) or options["max_pixels"] <= 0):
        problems.append("max_pixels must be a whole number of pixels")
    return problems


# ---------------------------------------------------------------- measures


def reduced(picture: Image.Image, longest: int) -> Image.Image:
    """The picture resampled (bilinear, over the whole footprint of each new pixel) to ``longest``
    pixels on its longest side, if it is larger. The hash resamples again to its own small grid,
    so a sharper filter here bought nothing but time."""
    width, height = picture.size
    side = max(width, height)
    if side <= longest:
        return picture
    size = (max(1, (width * longest + side // 2) // side), max(1, (height * longest + side // 2) // side))
    return picture.resize(size, Image.Resampling.BILINEAR)


def ink_of(picture: Image.Image, white: int) -> np.ndarray:
    """How far each pixel's darkest channel lies below ``white`` (0 for white padding), as uint8."""
    darkest = _darkest(np.asarray(as_mode(picture, "RGB")))
    return (white - np.minimum(darkest, white)).astype(np.uint8)


def content_box(ink: np.ndarray, share: Fraction) -> tuple[int, int, int, int] | None:
    """The box left after cutting from each side the rows or columns that hold no more than
    ``share`` of the ink; None when there is no ink at all."""
    columns, rows = ink.sum(axis=0, dtype=np.int64), ink.sum(axis=1, dtype=np.int64)
    total = int(columns.sum())
    if total == 0:
        return None
    limit = total * share.numerator

    def cut(profile: np.ndarray) -> tuple[int, int]:
        low = int(np.searchsorted(np.cumsum(profile) * share.denominator, limit, side="right"))
        high = len(profile) - int(np.searchsorted(np.cumsum(profile[::-1]) * share.denominator, limit,
                                                  side="right"))
        return low, high

    left, right = cut(columns)
    top, bottom = cut(rows)
    return left, top, right, bottom


def _darkest(pixels: np.ndarray) -> np.ndarray:
    """Each pixel's darkest channel, from an array of pixels (height × width × channels)."""
    if pixels.ndim == 2:
        return pixels
    darkest = pixels[:, :, 0]
    for channel in range(1, pixels.shape[2]):  # channel by channel: far quicker than min(axis=2)
        darkest = np.minimum(darkest, pixels[:, :, channel])
    return darkest


def has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "RGBa", "LA", "La", "PA") or "transparency" in image.info


def as_mode(image: Image.Image, mode: str) -> Image.Image:
    """The image in ``mode``; the image itself when it already is (no copy of a large picture)."""
    return image if image.mode == mode and "transparency" not in image.info else image.convert(mode)


def on_screen(image: Image.Image) -> Image.Image:
    """The picture's channels as measured: RGBA when it carries transparency, else RGB."""
    return as_mode(image, "RGBA") if has_alpha(image) else as_mode(image, "RGB")


def on_white(image: Image.Image) -> Image.Image:
    """RGB, transparent parts shown over white (as the marketplace page shows them)."""
    if not has_alpha(image):
        return as_mode(image, "RGB")
    page = Image.new("RGBA", image.size, (255, 255, 255, 255))
    page.alpha_composite(as_mode(image, "RGBA"))
    return page.convert("RGB")


def measure_frame(picture: Image.Image, share: Fraction) -> Frame:
    """Count the outer frame's pixels: floor(share × width) columns at left and right, floor(share ×
    height) rows at top and bottom, at least one each, every pixel once."""
    width, height = picture.size
    columns = max(1, math.floor(share * width))
    rows = max(1, math.floor(share * height))
    shown = on_screen(picture)
    if 2 * columns >= width or 2 * rows >= height:
        boxes = [(0, 0, width, height)]
    else:  # top, bottom, then left and right between them: only the frame's pixels are taken
        boxes = [(0, 0, width, rows), (0, height - rows, width, height), (0, rows, columns, height - rows),
                 (width - columns, rows, width, height - rows)]
    counts = sum(np.bincount(_darkest(np.asarray(shown.crop(box))).ravel(), minlength=256) for box in boxes)
    return Frame(columns, rows, tuple(int(c) for c in counts))


def fingerprint(picture: Image.Image, method: HashMethod, variants: bool = True) -> Fingerprint:
    """The hash of an RGB picture and, when ``variants``, of its crop variants (the first
    variant is the picture; without, it is the only one)."""
    work = reduced(picture, method.work)
    grey = work.convert("L")
    ink = ink_of(work, method.white)
    width, height = work.size
    hashes = []
    crops = itertools.product(method.crops, repeat=4) if variants else [(0, 0, 0, 0)]
    for left, top, right, bottom in crops:
        box = (math.floor(left * width), math.floor(top * height),
               width - math.floor(right * width), height - math.floor(bottom * height))
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        inner = content_box(ink[box[1]:box[3], box[0]:box[2]], method.trim)
        if inner is not None:
            box = (box[0] + inner[0], box[1] + inner[1], box[0] + inner[2], box[1] + inner[3])
        hashes.append(_hash(grey.crop(box), method))
    return Fingerprint(hashes[0], tuple(hashes))


def _hash(grey: Image.Image, method: HashMethod) -> int:
    """The hash's bits as one integer, first bit highest (the number its hex text spells)."""
    bits = HASHES[method.method](grey, hash_size=method.size).hash.flatten()
    return int.from_bytes(np.packbits(np.concatenate([np.zeros(-len(bits) % 8, bool), bits])).tobytes(), "big")


def picture_fingerprint(picture: Image.Image, method: HashMethod, variants: bool = True) -> Fingerprint:
    """Trim the white padding off the displayed picture, then fingerprint what is left."""
    rgb = on_white(picture)
    box = content_box(ink_of(rgb, method.white), method.trim)
    return fingerprint(rgb.crop(box) if box is not None else rgb, method, variants)


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _header_only(data: bytes) -> Image.Image | None:
    """Identify an image from its header alone, without Pillow's decompression-bomb check
    (for the size of a file ``Image.open`` refuses); None when no plugin accepts it."""
    Image.init()
    for name in Image.ID:
        factory, accept = Image.OPEN[name]
        try:
            result = accept(data[:16]) if accept else True
            if result and not isinstance(result, str):
                return factory(io.BytesIO(data), "")
        except MemoryError:
            raise  # the worker's memory cap: the supervisor flags `memory-limit`
        except Exception:  # noqa: BLE001, S112 - a plugin that rejects the bytes: try the next
            continue
    return None


def _gif_size(data: bytes) -> tuple[int, int] | None:
    """A GIF's size as Pillow opens it, read from the bytes without decoding: the logical screen,
    grown to hold the first frame's extent (which Pillow checks for a bomb before returning it);
    None when the bytes are no GIF or end before the first frame.

    >>> head = b"GIF89a" + bytes([0xB0, 0x04, 0x84, 0x03, 0, 0, 0])  # a 1200 × 900 screen
    >>> frame = b"\\x2c" + bytes([0, 0, 0, 0, 0x20, 0x4E, 10, 0])  # at 0, 0: 20000 × 10
    >>> _gif_size(head + b"\\x21\\xf9\\x04\\x04\\x0a\\x00\\x00\\x00" + frame)
    (20000, 900)
    """
    if not data.startswith((b"GIF87a", b"GIF89a")) or len(data) < 13:
        return None
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    at = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    while at < len(data):
        if data[at] == 0x2C and at + 9 <= len(data):  # the first image descriptor: x, y, w, h
            x, y, w, h = (int.from_bytes(data[at + 1 + 2 * i:at + 3 + 2 * i], "little") for i in range(4))
            return max(width, x + w), max(height, y + h)
        if data[at] != 0x21 or at + 2 >= len(data):  # the trailer, or a block no GIF holds
            return width, height
        at += 2  # an extension: its label, then sub-blocks up to an empty one
        while at < len(data) and data[at]:
            at += data[at] + 1
        at += 1
    return None


def _refused(exc: Exception, data: bytes, max_pixels: int) -> Examined:
    """A file Pillow refuses as a decompression bomb while opening it: its header size, when a
    plugin can read the header without the bomb check (a GIF's frames are checked as it opens:
    read from the bytes)."""
    header = _header_only(data)
    if header is not None:
        width, height = header.size
        return Examined(header.format, header.mode, header.size, width * height, refused=True,
                        problem=N_("{pixels:,} pixels > {cap:,}: refused unread").format(pixels=width * height, cap=max_pixels))
    size = _gif_size(data)
    if size is not None:
        pixels = size[0] * size[1]
        return Examined("GIF", None, size, pixels, refused=True,
                        problem=N_("{pixels:,} pixels > {cap:,}: refused unread").format(pixels=pixels, cap=max_pixels))
    found = re.search(r"\((\d+) pixels\)", str(exc))
    pixels = int(found.group(1)) if found else 0
    return Examined(refused=True, pixels=pixels,
                    problem=N_("{pixels:,} pixels > {cap:,}: refused unread").format(pixels=pixels, cap=max_pixels))


JPEGS = ("JPEG", "MPO")  # formats whose decoder can scale down while decoding (MPO: a camera JPEG)


def _decode(data: bytes, scale_to: int | None, opened: Image.Image | None = None) -> Image.Image:
    """Decode the bytes (``opened``: their image as just opened, not yet loaded); a JPEG at the
    smallest DCT scale keeping its longest side ≥ ``scale_to``."""
    image = opened if opened is not None else Image.open(io.BytesIO(data))
    if scale_to is not None and image.format in JPEGS:
        width, height = image.size  # draft keeps each side at least the size asked for it
        image.draft(None, (scale_to, 1) if width >= height else (1, scale_to))
    image.load()
    return image


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 when there is none, or the EXIF block is broken: a viewer then
    shows the pixels as stored)."""
    try:
        return int(image.getexif().get(0x0112, 1) or 1)
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception:  # noqa: BLE001 - a broken EXIF block
        return 1


def _turned(image: Image.Image, orientation: int) -> Image.Image:
    """The picture as displayed."""
    if orientation not in range(2, 9):
        return image
    try:
        return ImageOps.exif_transpose(image)
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception:  # noqa: BLE001 - a viewer shows the pixels as stored
        return image


def preview_of(picture: Image.Image) -> bytes:
    """A JPEG of the picture (transparency over white) for a report that shows it at most
    PREVIEW_SIDE pixels wide: a picture up to twice that is kept as it is (sharp on a dense
    screen; a JPEG's scaled decode usually is), a larger one is reduced to twice that."""
    small = on_white(picture)
    if max(small.size) > 2 * PREVIEW_SIDE:
        small = small.copy()
        small.thumbnail((2 * PREVIEW_SIDE, 2 * PREVIEW_SIDE))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def examine(data: bytes, *, max_pixels: int, frame: Fraction | None = None, method: HashMethod | None = None,
            variants: bool = False, preview: bool = False, full: bool = True) -> Examined:
    """Identify the bytes; when ``full``, decode them and take the measures asked for: the
    ``frame`` (every pixel), the hash by ``method`` (with its crop ``variants`` when asked), a
    ``preview`` for the reports (from the scaled decode when there is one).

    Never raises for bad bytes: what went wrong is in ``problem``.
    """
    with decoding() as lenient:
        try:
            image = Image.open(io.BytesIO(data))
        except BOMBS as exc:
            return _refused(exc, data, max_pixels)
        except UnidentifiedImageError:
            return Examined(problem=N_("no image format recognised in the bytes"))
        except MemoryError:
            raise  # the worker's memory cap: the supervisor flags `memory-limit`
        except Exception as exc:  # noqa: BLE001 - a header too broken to parse
            return Examined(problem=N_("a header too broken to read ({why})").format(why=_why(exc)))
        found = Examined(image.format, image.mode, image.size, image.size[0] * image.size[1])
        if found.pixels > max_pixels:
            return replace(found, refused=True, problem=N_("{pixels:,} pixels > {cap:,}: refused unread").format(
                pixels=found.pixels, cap=max_pixels))
        if not full:
            return found
        # the first decode is the U4-02 test: in full when the frame is measured, else scaled for the hash
        scale_to = method.work * HEADROOM if method is not None and frame is None else None
        try:
            image = _decode(data, scale_to, image)
            found = replace(found, decoded=True)
        except BOMBS:  # the decoder's own bomb check (a frame larger than the header): refused, size kept
            return replace(found, refused=True, problem=N_(
                "the decoder refuses it as a decompression bomb ({pixels:,} pixels in the header): refused unread"
            ).format(pixels=found.pixels))
        except MemoryError:
            raise  # the worker's memory cap: the supervisor flags `memory-limit`
        except Exception as exc:  # noqa: BLE001 - truncated or corrupt data, whatever the decoder raises
            found = replace(found, problem=N_("does not decode fully ({why})").format(why=_why(exc)))
            lenient()
            try:
                image = _decode(data, scale_to)
            except MemoryError:
                raise  # the worker's memory cap: the supervisor flags `memory-limit`
            except Exception as again:  # noqa: BLE001 - not even a viewer could show it
                return replace(found, problem=N_("{problem}; cannot be shown ({why})").format(problem=found.problem,
                                                                                            why=_why(again)))
        orientation = _orientation(image)  # once decoded: a PNG's EXIF may follow its pixels
        shown = _turned(image, orientation)
        hashed = shown
        if method is not None and scale_to is None and found.format in JPEGS:
            try:  # the hash is always taken from the scaled decode, as a viewer shows it
                hashed = _turned(_decode(data, method.work * HEADROOM), orientation)
            except MemoryError:
                raise  # the worker's memory cap: the supervisor flags `memory-limit`
            except Exception:  # noqa: BLE001 - the full decode showed it; the scaled one does too
                hashed = None
        del image  # the turned copy is all that is measured
    width, height = found.header_size
    found = replace(found, measured=True, orientation=orientation,
                    shown_size=(height, width) if orientation in range(5, 9) else (width, height))
    if frame is not None:
        found = replace(found, frame=measure_frame(shown, frame))
    if method is not None and hashed is not None:
        found = replace(found, fingerprint=picture_fingerprint(hashed, method, variants))
    if preview:
        found = replace(found, preview=preview_of(hashed if hashed is not None else shown))
    return found


# ---------------------------------------------------------------- the deliverable


def _size_on_disk(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _chosen(slots: dict[Path, str], placed: dict[Path, str | None], naming: Naming) -> set[Path]:
    """For each slot, the one file graded: one at home before a misplaced one (§1), then
    convention 27's preference."""
    by_slot: dict[str, list[Path]] = {}
    for path, code in slots.items():
        by_slot.setdefault(code, []).append(path)
    return {min(group, key=lambda p: (placed[p] != HOME, naming.rank(p.name), str(p))) for group in by_slot.values()}


@reader("images", options=("max_pixels", "naming", "frame", "hash"), required=("naming",),
        settings=setting_problems)
def read_images(submission: Submission, spec: DeliverableSpec, located: Located) -> ImageFolder:
    settings = settings_of(spec, submission.paper.key, submission.limits.max_image_pixels)
    unit = next((u.id for u in submission.paper.units if u.deliverable == spec.name), "")
    home = Home(located.path.relative_to(submission.folder).parts)
    inside = sorted(p for p in submission.files if located.path in p.parents)
    beside = sorted(p for p in submission.files if p.parent == located.path.parent)  # one folder up
    placed = {p: submission.place(p, home) for p in (*inside, *beside)}
    slots = {p: split[0] for p in placed if placed[p] is not None
             and (split := settings.naming.split(p.name)) is not None}
    chosen = _chosen(slots, placed, settings.naming)
    if not located.present and not chosen:
        raise NothingFound(f"no {spec.name} folder, and no slot image beside where it belongs")
    paths = [*inside, *(p for p in beside if p in chosen)]  # beside the folder: a slot's file only
    files = []
    for path in paths:
        split = settings.naming.split(path.name) if path in slots else None
        slot, extension = split if split is not None else (None, "")
        where = {"name": path.name, "path": submission.relative(path), "slot": slot, "extension": extension,
                 "inner": _inner(path, located.path), "graded": path in chosen}
        if path in chosen and placed[path] == MISPLACED:
            submission.flag("misplaced", N_("{slot} image found at {found}, expected in {where}").format(
                slot=slot, found=submission.relative(path), where=home.where()), path, unit)
        try:
            data = submission.record(path)
        except ReadError as exc:  # over the run's size cap, or not readable at all
            submission.flag("unreadable-file", str(exc), path, unit)
            files.append(ImageFile(size=_size_on_disk(path), found=Examined(problem=str(exc)), **where))
            continue
        found = examine(data, max_pixels=settings.max_pixels, method=settings.method, full=path in chosen,
                        frame=settings.frame if slot == settings.naming.main else None, preview=True)
        if path in chosen and found.refused:
            over = N_("{pixels:,} pixels in the header, over {cap:,}: refused unread").format(
                pixels=found.pixels, cap=settings.max_pixels)
            submission.flag(TOO_LARGE, over if found.pixels > settings.max_pixels else found.problem, path, unit)
        elif path in chosen and not found.decoded and found.problem:
            submission.flag("damaged-image", found.problem, path, unit)  # truncated, corrupt, not an image
        files.append(ImageFile(size=len(data), found=found, **where))
    return ImageFolder(located.path, located.relative, settings.naming, tuple(files), settings.method)


def _inner(path: Path, folder: Path) -> str:
    """A file's path relative to the images folder: ``sub/x.jpg`` inside it, ``../x.jpg`` beside it."""
    return path.relative_to(folder).as_posix() if folder in path.parents else f"../{path.name}"


# ---------------------------------------------------------------- the materials


def materials(key: Key, section: str, method: HashMethod) -> tuple[Material, ...]:
    """The key's photos (``<section>.folder``, ``.photos``, ``.main``), hashed when the paper loads.

    The key is the paper's own: no pixel limit but Pillow's decompression-bomb guard."""
    return key.derive(f"images.materials:{section}:{method}", functools.partial(_hash_photos, section=section,
                                                                                 method=method))


def _hash_photos(key: Key, section: str, method: HashMethod) -> tuple[Material, ...]:
    data = key[section]
    found = []
    for name in data["photos"]:
        path = key.path(f"{data.get('folder', 'photos')}/{name}")
        examined = (examine(path.read_bytes(), max_pixels=sys.maxsize, method=method, variants=True) if path.is_file()
                    else Examined(problem=N_("{path} is missing").format(path=path)))
        found.append(Material(name, name == data["main"], examined))
    return tuple(found)


def resized_distances(key: Key, section: str, method: HashMethod, sides: tuple[int, ...], quality: int
                      ) -> dict[str, dict[int, int]]:
    """For each of the key's photos, how far from the photo itself it lands once a candidate
    resizes it plainly (longest side to each of ``sides`` pixels, Lanczos) and saves it as a JPEG
    of ``quality``: photo name → side → distance. Computed once per process for the same photos."""
    data = key[section]
    found: dict[str, dict[int, int]] = {}
    for material in materials(key, section, method):
        path = key.path(f"{data.get('folder', 'photos')}/{material.name}")
        if material.found.fingerprint is None or not path.is_file():
            continue
        resized = _resized_fingerprints(path.read_bytes(), method, sides, quality)
        found[material.name] = {side: nearest(print_, material.found.fingerprint) if print_ else method.bits
                                for side, print_ in zip(sides, resized)}
    return found


@functools.lru_cache(maxsize=64)
def _resized_fingerprints(data: bytes, method: HashMethod, sides: tuple[int, ...], quality: int
                          ) -> tuple[Fingerprint | None, ...]:
    """The fingerprints of a photo resized to each of ``sides`` pixels on its longest side and
    saved as a JPEG (the photo decoded once for all sides)."""
    encoded = []
    with decoding():
        picture = as_mode(ImageOps.exif_transpose(Image.open(io.BytesIO(data))), "RGB")
        for side in sides:
            scale = Fraction(side, max(picture.size))
            size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
            buffer = io.BytesIO()
            picture.resize(size, Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=quality)
            encoded.append(buffer.getvalue())
    return tuple(examine(jpeg, max_pixels=sys.maxsize, method=method).fingerprint for jpeg in encoded)
