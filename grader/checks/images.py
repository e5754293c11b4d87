"""Unit 4 checks: the product images (图片编辑与上传) — names, files, sizes, white background, origin.

The reader (``grader.read.images``) has listed every file of ``u4_images/``, found which file
fills which slot of the naming convention (``<ID>.MAIN``, ``<ID>.PT01`` … ``PT08``; one file per
slot, jpg before jpeg before png, convention 27) and measured the slot files: real format, full
decode, colour mode, size as displayed, outer frame, perceptual hashes. These checks judge those
measures by the rubric's numbers. U4-02…05 grade the slot files only; any other image file in the
folder costs U4-01 alone, and so does a second file for a slot.
"""
from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any

from grader.checks import CheckContext, check
from grader.checks.common import all_or_nothing
from grader.locale import N_, Said, say
from grader.model import Evidence, Outcome
from grader.paper import Key
from grader.records.images import (
    HashMethod,
    ImageFile,
    ImageFolder,
    distance,
    hash_problems,
    nearest,
    same_picture_distance,
)
from grader.text import HAN

MODE_NAMES = {"P": "palette (P)", "L": "greyscale (L)", "LA": "greyscale with alpha (LA)", "1": "black and white (1)",
              "CMYK": "CMYK", "RGBA": "RGBA (with alpha)", "I;16": "16-bit greyscale (I;16)", "I": "32-bit greyscale (I)"}


def at_file(file: ImageFile | None, folder: ImageFolder, message: str, message_zh: str, *, expected: Any = "",
            found: Any = "", ok: bool = False) -> Evidence:
    """Evidence about one file of the images folder (or the folder itself when ``file`` is None)."""
    return Evidence(message, message_zh, file=file.path if file else folder.relative,
                    expected=str(expected), found=str(found), ok=ok)


def percent(share: Fraction) -> str:
    """A share as a percentage, rounded down, so a failing share never reads as the threshold."""
    value = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_FLOOR)}%"


def size_text(size: tuple[int, int] | None) -> str:
    return f"{size[0]}×{size[1]}" if size else "unknown"


def no_slot_file(folder: ImageFolder) -> Evidence:
    return at_file(None, folder, *say(N_("no file fills a slot of the naming convention: nothing to grade")),
                   expected=_expected_names(folder), found="(none)")


def _expected_names(folder: ImageFolder) -> str:
    naming = folder.naming
    extensions = ", ".join(naming.extensions)
    return f"{naming.identifier}.{naming.main}.jpg and {naming.identifier}.{naming.pt[0]}.jpg … " \
           f"{naming.identifier}.{naming.pt[-1]}.jpg ({extensions})"


# ---------------------------------------------------------------- U4-01


def _naming_problems(key: Key, params: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    """The PT images asked for fit the convention's PT slots (the convention itself is the reader's)."""
    slots = len(settings["naming"].get("pt", ())) if isinstance(settings["naming"], dict) else 0
    if not isinstance(params["min_pt"], int) or not 0 <= params["min_pt"] <= slots:
        return [f"min_pt {params['min_pt']} is not a whole number from 0 to the {slots} PT slots"]
    return []


def _name_hints(file: ImageFile, folder: ImageFolder) -> list[str]:
    """Why a file name is not a slot name, in words an examiner can pass on."""
    naming, name = folder.naming, file.name
    hints = []
    if "/" in file.inner:
        hints.append("it is in a sub-folder")
    if any(c.isspace() for c in name):
        hints.append("the name contains a space")
    if HAN.search(name):
        hints.append("the name contains Chinese characters")
    parts = name.split(".")
    if len(parts) == 3 and parts[0].casefold() == naming.identifier.casefold() \
            and parts[1].upper() in naming.codes and (parts[0] != naming.identifier or parts[1] not in naming.codes):
        hints.append(f"identifier and code must be written {naming.identifier}.{parts[1].upper()}")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in naming.extensions:
        hints.append(f"the extension is {extension or 'missing'}, not {', '.join(naming.extensions)}")
    return hints or ["not <ID>.MAIN or <ID>.PT01…PT08 with the materials' identifier"]


def is_image_file(file: ImageFile, image_extensions: list[str]) -> bool:
    """An image by its bytes, or by its extension (a broken image is still an image file)."""
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    return file.is_image or extension in {e.lower() for e in image_extensions}


@check("image_names", params=("min_pt", "image_extensions"), settings=("naming",), validate=_naming_problems)
def image_names(ctx: CheckContext) -> Outcome:
    """Every image of the folder is named by the deliverable's ``naming`` convention:
    ``<identifier>.<main>`` or ``<identifier>.<pt code>`` with one of its extensions in lower case;
    the main image is present with at least ``min_pt`` PT images; no other image file (by its
    bytes, or by an extension of ``image_extensions``) is in the folder. Files that are no image
    (a note, a .txt) are not judged.

    Okay: ``HKB100.MAIN.jpg``, ``HKB100.PT01.jpeg``, ``HKB100.PT02.png``, ``HKB100.PT03.jpg``.
    Fails: ``HKB100.MAIN.JPG`` (upper-case extension), ``HKB100 PT02.jpg`` (a space),
    ``hkb100.main.jpg`` (wrong case: not the slot), ``主图.jpg``, ``HKB100.MAIN.png`` beside
    ``HKB100.MAIN.jpg`` (a second file for the slot), only two PT images.
    """
    folder: ImageFolder = ctx.deliverable
    p = ctx.params
    graded = folder.graded
    evidence = []
    for file in folder.files:
        if file.graded:
            lower = file.extension == file.extension.lower()
            said = say(N_("{file} is named by the convention"), file=file.name) if lower else \
                say(N_("{file}: the extension .{extension} must be lower case"), file=file.name,
                    extension=file.extension)
            evidence.append(at_file(file, folder, *said,
                                    expected=f"{folder.naming.identifier}.{file.slot}.{file.extension.lower()}",
                                    found=file.name, ok=lower))
        elif file.slot is not None:
            other = graded[file.slot]
            evidence.append(at_file(file, folder, *say(N_("{file} is a second file for {slot} (graded: {other})"),
                                                       file=file.name, slot=file.slot, other=other.name),
                                    expected=f"one file for {file.slot}", found=file.name))
        elif is_image_file(file, p["image_extensions"]):
            hints = _name_hints(file, folder)
            evidence.append(at_file(file, folder, *say(N_("{file} is an image not named by the convention: {hints}"),
                                                       file=file.inner, hints="; ".join(hints)),
                                    expected=_expected_names(folder),
                                    found=file.inner))
    main = folder.main
    said = say(N_("MAIN present: {file}"), file=main.name) if main else \
        say(N_("no {identifier}.{main} image"), identifier=folder.naming.identifier, main=folder.naming.main)
    evidence.append(at_file(main, folder, *said, expected=f"{folder.naming.identifier}."
                            f"{folder.naming.main}.jpg", found=main.name if main else "(missing)", ok=main is not None))
    pts = folder.pts
    enough = len(pts) >= p["min_pt"]
    names = ", ".join(f.name for f in pts) or "none"
    said = say(N_("{count} PT images ({names}), ≥ {minimum}"), count=len(pts), names=names, minimum=p["min_pt"]) \
        if enough else say(N_("{count} PT images ({names}), < {minimum}"), count=len(pts), names=names,
                           minimum=p["min_pt"])
    evidence.append(at_file(None, folder, *said,
                            expected=f"at least {p['min_pt']}", found=len(pts), ok=enough))
    return all_or_nothing(evidence)


# ---------------------------------------------------------------- U4-02


def _file_problems(file: ImageFile, folder: ImageFolder, p: dict[str, Any]) -> list[str]:
    found = file.found
    problems = []
    if found.refused:
        problems.append(found.problem)
    elif found.format is None:
        problems.append(f"the bytes are not an image ({found.problem})" if found.problem else "not an image")
    else:
        allowed = p["formats"][file.extension.lower()]
        if found.format not in allowed:
            problems.append(f"the bytes are {found.format}, not {' or '.join(dict.fromkeys(allowed))} as "
                            f".{file.extension} says")
        if not found.decoded:
            problems.append(found.problem)
        is_pt_png = file.slot != folder.naming.main and found.format == "PNG"
        modes = p["pt_png_modes"] if is_pt_png else p["modes"]
        if found.mode not in modes:
            problems.append(f"colour mode {MODE_NAMES.get(found.mode, found.mode)}, not {' or '.join(modes)}")
    if file.size > p["max_bytes"]:
        problems.append(f"{file.size:,} bytes > {p['max_bytes']:,}")
    return problems


def _format_params(key: Key, params: dict[str, Any]) -> list[str]:
    if not isinstance(params["formats"], dict) or not params["formats"]:
        return ["formats must map each extension to the formats its bytes may hold"]
    if not isinstance(params["max_bytes"], int) or params["max_bytes"] <= 0:
        return ["max_bytes must be a whole number of bytes"]
    return []


@check("image_formats", params=("formats", "modes", "pt_png_modes", "max_bytes"), validate=_format_params)
def image_formats(ctx: CheckContext) -> Outcome:
    """Every slot image really is what its extension says (the bytes, not the name: ``formats`` maps
    each extension to the formats it may hold), decodes fully, is in one of ``modes`` (a PT image
    saved as PNG in one of ``pt_png_modes``) and is at most ``max_bytes`` bytes.

    Okay: an RGB JPEG named ``.jpg`` of 5,242,880 bytes; an RGBA PNG named ``HKB100.PT02.png``.
    Fails: a PNG named ``.jpg``, a truncated JPEG, CMYK, palette or greyscale, RGBA on MAIN,
    5,242,881 bytes, an image over the pixel limit (refused unread).
    """
    folder: ImageFolder = ctx.deliverable
    graded = folder.graded
    if not graded:
        return Outcome(Fraction(0), (no_slot_file(folder),))
    evidence = []
    for file in graded.values():
        problems = _file_problems(file, folder, ctx.params)
        kind = " ".join(filter(None, (file.found.format or "not an image", file.found.mode)))
        found = f"{kind} {size_text(file.shown_size)}, {file.size:,} bytes"
        said = say(N_("{file}: {problems}"), file=file.name, problems="; ".join(problems)) if problems else \
            say(N_("{file}: {format} {mode}, decodes fully, {size:,} bytes"), file=file.name,
                format=file.found.format, mode=file.found.mode, size=file.size)
        evidence.append(at_file(file, folder, *said,
                                expected=f"{file.extension.lower()} bytes, RGB, ≤ {ctx.params['max_bytes']:,} bytes",
                                found=found, ok=not problems))
    return all_or_nothing(evidence)


# ---------------------------------------------------------------- U4-03


def _size_params(key: Key, params: dict[str, Any]) -> list[str]:
    try:
        tolerance = Fraction(str(params["tolerance"]))
    except (ValueError, ZeroDivisionError):
        return ["tolerance must be a decimal share such as \"0.01\""]
    if not 0 <= tolerance < 1 or not 0 < params["main_min"] <= params["main_max"] or params["pt_min"] <= 0:
        return ["tolerance 0–1, 0 < main_min ≤ main_max and pt_min > 0 are needed"]
    return []


@check("image_sizes", params=("tolerance", "main_min", "main_max", "pt_min"), validate=_size_params)
def image_sizes(ctx: CheckContext) -> Outcome:
    """The main image is square (|w − h| ≤ ``tolerance`` of the longer side) with both sides
    ``main_min``–``main_max`` px; each PT image's longest side is at least ``pt_min`` px. Sizes are
    as displayed (EXIF orientation applied); an image refused for its pixel count is judged by the
    size in its header. With no PT image the PT condition has nothing to fail.

    Okay: MAIN 1000×1000, 1000×1010, 10000×10000; PT 800×533. Fails: MAIN 1000×1011, 999×999,
    10001×10001, MAIN missing; PT 799×600.
    """
    p = ctx.params
    folder: ImageFolder = ctx.deliverable
    tolerance = Fraction(str(p["tolerance"]))
    evidence = []
    main = folder.main
    if main is None:
        evidence.append(at_file(None, folder, *say(N_("no {main} image to measure"), main=folder.naming.main),
                                expected=f"a square MAIN, {p['main_min']}–{p['main_max']} px", found="(missing)"))
    else:
        size = main.shown_size
        problems = []
        if size is None:
            problems.append("its size is unknown (not an image)")
        else:
            width, height = size
            if abs(width - height) > tolerance * max(width, height):
                problems.append(f"not square: |{width} − {height}| = {abs(width - height)} > "
                                f"{percent(tolerance)} of {max(width, height)}")
            if not (p["main_min"] <= width <= p["main_max"] and p["main_min"] <= height <= p["main_max"]):
                problems.append(f"sides outside {p['main_min']}–{p['main_max']} px")
        said = say(N_("{file} {size}: {problems}"), file=main.name, size=size_text(size),
                   problems="; ".join(problems)) if problems else \
            say(N_("{file} {size} is square, sides {low}–{high} px"), file=main.name, size=size_text(size),
                low=p["main_min"], high=p["main_max"])
        evidence.append(at_file(main, folder, *said,
                                expected=f"square within {percent(tolerance)}, {p['main_min']}–{p['main_max']} px",
                                found=size_text(size), ok=not problems))
    for file in folder.pts:
        size = file.shown_size
        longest = max(size) if size else 0
        ok = longest >= p["pt_min"]
        said = say(N_("{file} {size}: longest side {longest} ≥ {minimum} px"), file=file.name, size=size_text(size),
                   longest=longest, minimum=p["pt_min"]) if ok else \
            say(N_("{file} {size}: longest side {longest} < {minimum} px"), file=file.name, size=size_text(size),
                longest=longest, minimum=p["pt_min"])
        evidence.append(at_file(file, folder, *said,
                                expected=f"longest side ≥ {p['pt_min']} px", found=size_text(size), ok=ok))
    return all_or_nothing(evidence)


# ---------------------------------------------------------------- U4-04


def _frame_params(key: Key, params: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    try:
        share = Fraction(str(params["min_share"]))
    except (ValueError, ZeroDivisionError):
        return ["min_share must be a decimal share such as \"0.97\""]
    if not 0 <= share <= 1 or not isinstance(params["white_level"], int) or not 0 <= params["white_level"] <= 255:
        return ["min_share must be 0–1 and white_level 0–255"]
    return []


@check("main_white_frame", params=("white_level", "min_share"), settings=("frame",), validate=_frame_params)
def main_white_frame(ctx: CheckContext) -> Outcome:
    """The main image has a pure white background: at least ``min_share`` of the pixels of its
    outer frame (floor(``frame``) of the width at left and right, floor(``frame``) of the height
    at top and bottom, the deliverable's ``frame`` share, at least 1 px, each pixel counted once)
    are ≥ ``white_level`` in every channel (alpha included).

    Okay: a 1000×1000 MAIN whose 78,400 frame pixels hold 2,352 grey ones (97.00% white).
    Fails: 2,353 grey ones (96.99%), a grey or coloured backdrop, a transparent frame, MAIN
    missing, refused for its pixel count, or not decodable at all.
    """
    p = ctx.params
    folder: ImageFolder = ctx.deliverable
    main = folder.main
    level, minimum = p["white_level"], Fraction(str(p["min_share"]))
    expected = f"≥ {percent(minimum)} of the frame ≥ {level} in every channel"
    if main is None:
        return Outcome(Fraction(0), (at_file(None, folder, *say(N_("no {main} image to measure"),
                                                                    main=folder.naming.main),
                                             expected=expected, found="(missing)"),))
    frame = main.found.frame
    if frame is None:
        why = main.found.problem or "its pixels could not be read"
        return Outcome(Fraction(0), (at_file(main, folder, *say(N_("{file}: the frame cannot be measured ({why})"),
                                                                    file=main.name, why=why), expected=expected, found=why),))
    white, total = frame.white(level), frame.total
    share = Fraction(white, total)
    ok = share >= minimum
    values = {"file": main.name, "columns": frame.columns, "rows": frame.rows, "total": total, "white": white,
              "share": percent(share), "minimum": percent(minimum)}
    said = say(N_("{file} frame ({columns} px left and right, {rows} px top and bottom, {total:,} pixels): "
                  "{white:,} white = {share} ≥ {minimum}"), **values) if ok else \
        say(N_("{file} frame ({columns} px left and right, {rows} px top and bottom, {total:,} pixels): "
               "{white:,} white = {share} < {minimum}"), **values)
    return Outcome(Fraction(1 if ok else 0), (at_file(main, folder, *said,
                                                      expected=expected, found=percent(share), ok=ok),))


# ---------------------------------------------------------------- U4-05


def _distinct(prints: list[Any], max_distance: int) -> int:
    """How many of the fingerprints are pictures of their own (none within the threshold of an earlier one)."""
    kept: list[Any] = []
    for fingerprint in prints:
        if all(same_picture_distance(fingerprint, k) > max_distance for k in kept):
            kept.append(fingerprint)
    return len(kept)


def _materials_guarantee(key: Key, params: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    """Convention 21: the photos exist, the main one among them, and at least ``min_photos`` are distinct."""
    problems = hash_problems(settings["hash"])
    if problems:
        return problems
    section = key.get(params["materials"])
    if not isinstance(section, dict) or "main" not in section or not section.get("photos"):
        return [f"the key lacks {params['materials']}.toml with main and photos"]
    if section["main"] not in section["photos"]:
        return [f"the main photo {section['main']} is not among the photos"]
    found = key.photos(params["materials"], HashMethod.from_params(settings["hash"]))
    unusable = [f"{m.name} ({m.found.problem or 'no hash'})" for m in found if m.found.fingerprint is None]
    if unusable:
        return [f"photos that cannot be read: {', '.join(unusable)}"]
    distinct = _distinct([m.found.fingerprint for m in found], params["max_distance"])
    if distinct < params["min_photos"]:
        return [f"only {distinct} distinct photos, fewer than {params['min_photos']}"]
    return _resizes_problems(key, params, HashMethod.from_params(settings["hash"]))


def _resizes_problems(key: Key, params: dict[str, Any], method: HashMethod) -> list[str]:
    """Each photo resized plainly to each of ``resized_sides`` and saved as a JPEG of
    ``resized_quality`` stays within half of ``max_distance`` of itself: else a candidate who
    resizes it correctly could lose the criterion."""
    sides, quality = params["resized_sides"], params["resized_quality"]
    if not isinstance(sides, list) or not sides or not all(isinstance(n, int) and n > 0 for n in sides) \
            or not isinstance(quality, int) or not 1 <= quality <= 100:
        return ["resized_sides must be a list of pixel counts and resized_quality a JPEG quality from 1 to 100"]
    for name, distances in key.resized_photo_distances(params["materials"], method, tuple(sides), quality).items():
        far = [side for side, d in distances.items() if 2 * d > params["max_distance"]]
        if far:
            listing = ", ".join(f"{side} px {d}" for side, d in distances.items())
            return [(f"photo {name} resized to {far[0]} px (JPEG quality {quality}) lies {distances[far[0]]} from "
                    f"itself, more than half of max_distance {params['max_distance']} (distances: {listing})")]
    return []


@check("images_derived", params=("materials", "max_distance", "min_photos", "resized_sides", "resized_quality"),
       settings=("hash",),
       validate=_materials_guarantee)
def images_derived(ctx: CheckContext) -> Outcome:
    """Each slot image is derived from a materials photo (its perceptual-hash distance, by the
    deliverable's ``hash`` method, to the nearest crop variant of a photo is within
    ``max_distance``: resizing, re-encoding, white padding and cropping up to the largest of the
    method's ``crops`` per side are tolerated), the main image from the photo the materials
    mark as main, and no two slot images are the same picture: their hashes within the
    threshold of each other, or both derived from one photo (the photo they are nearest, or
    photos that are the same picture), so a crop of another slot image is caught too. The
    evidence gives every distance. With no MAIN, the MAIN clause has nothing to fail.

    Okay: MAIN = the main photo padded to a white square and resized; PT01–PT03 from three other
    photos. Fails: an unrelated picture, MAIN made from another photo, PT02 a copy or a crop of
    PT01, an image refused for its pixel count or not decodable at all.
    """
    p = ctx.params
    folder: ImageFolder = ctx.deliverable
    graded = folder.graded
    if not graded:
        return Outcome(Fraction(0), (no_slot_file(folder),))
    limit = p["max_distance"]
    method = folder.method
    photos = [m for m in ctx.key.photos(p["materials"], method) if m.found.fingerprint is not None]
    main_photo = next(m.name for m in photos if m.main)
    evidence = []
    by_name = {m.name: m.found.fingerprint for m in photos}
    source: dict[str, tuple[str, int]] = {}  # slot file → the photo it derives from, and its distance
    for file in graded.values():
        fingerprint = file.found.fingerprint
        if fingerprint is None:
            why = file.found.problem or "no picture"
            evidence.append(at_file(file, folder, *say(N_("{file} cannot be compared with the photos ({why})"),
                                                       file=file.name, why=why), expected="derived from a materials photo",
                                    found=why))
            continue
        distances = {m.name: nearest(fingerprint, m.found.fingerprint) for m in photos}
        listing = ", ".join(f"{name} {d}" for name, d in distances.items())
        nearest_name = min(distances, key=lambda n: distances[n])
        if distances[nearest_name] <= limit:
            source[file.name] = nearest_name, distances[nearest_name]
        if file.slot == folder.naming.main:
            d = distances[main_photo]
            ok = d <= limit
            said = say(N_("{file} derives from the main photo {photo}: distance {distance} ≤ {limit}"),
                       file=file.name, photo=main_photo, distance=d, limit=limit) if ok else \
                say(N_("{file} is not derived from the main photo {photo}: distance {distance} > {limit} "
                       "(nearest {nearest} at {nearest_distance})"), file=file.name, photo=main_photo, distance=d,
                    limit=limit, nearest=nearest_name, nearest_distance=distances[nearest_name])
            expected = f"distance ≤ {limit} to {main_photo} ({method.describe()})"
        else:
            d = distances[nearest_name]
            ok = d <= limit
            said = say(N_("{file} derives from {nearest}: distance {distance} ≤ {limit}"), file=file.name,
                       nearest=nearest_name, distance=d, limit=limit) if ok else \
                say(N_("{file} is not derived from any materials photo: nearest {nearest} at {distance} > {limit}"),
                    file=file.name, nearest=nearest_name, distance=d, limit=limit)
            expected = f"distance ≤ {limit} to a materials photo ({method.describe()})"
        evidence.append(at_file(file, folder, *said, expected=expected, found=listing, ok=ok))
    hashed = [f for f in graded.values() if f.found.fingerprint is not None]
    for i, a in enumerate(hashed):
        for b in hashed[i + 1:]:
            d = distance(a.found.fingerprint.hash, b.found.fingerprint.hash)
            (pa, da), (pb, db) = source.get(a.name, ("", 0)), source.get(b.name, ("", 0))
            if d <= limit:
                why = say(N_("distance {distance} ≤ {limit}"), distance=d, limit=limit)
            elif pa and pb and (pa == pb or same_picture_distance(by_name[pa], by_name[pb]) <= limit):
                origin = Said(pa, pa) if pa == pb else say(N_("{photo} and {other}, the same picture"), photo=pa, other=pb)
                why = say(N_("both derive from {origin} (distances {distance} and {other_distance}; {apart} apart)"),
                          origin=origin, distance=da, other_distance=db, apart=d)
            else:
                continue
            evidence.append(at_file(b, folder, *say(N_("{file} and {other} are the same picture: {why}"), file=a.name,
                                                    other=b.name, why=why),
                                    expected=f"distance > {limit} between two images, each from a photo of its own",
                                    found=d))
    return all_or_nothing(evidence)
