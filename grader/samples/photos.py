"""The raw materials photos of unit 4, drawn: the HydroKeep insulated bottle in six shots.

Deterministic (no randomness, no fonts), so the key's ``photos/`` folder can be rebuilt and
checked byte for byte with the same Pillow and libjpeg:

    python -m grader.samples.photos answer_keys/2026A/photos

The shots are what the paper's materials promise (§2, unit 4): some not square, some not on
white, all larger than the marketplace needs, one saved as a CMYK JPEG. The photo marked as
main in ``images.toml`` is the front view on white, so padding it to a white square is enough
for a pure white MAIN. Flat colours keep the files small.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

Colour = tuple[int, int, int]

BLACK: Colour = (38, 40, 46)
BLUE: Colour = (38, 92, 178)
GREEN: Colour = (52, 128, 84)
WHITE_BODY: Colour = (236, 236, 232)
STEEL: Colour = (150, 154, 160)
QUALITY = 70


def bottle(height: int, colour: Colour, *, cap: Colour = STEEL) -> Image.Image:
    """An insulated bottle standing upright on a transparent layer, ``height`` pixels tall.

    Lit from the left: the body is shaded across its width, as a studio photo shows a cylinder.
    """
    width = height * 34 // 100
    cap_h, neck_h, shoulder_h = height * 12 // 100, height * 5 // 100, height * 9 // 100
    neck_w = width * 58 // 100
    x0 = (width - neck_w) // 2
    top = cap_h + neck_h
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    draw.polygon([(x0, top), (x0 + neck_w, top), (width - 1, top + shoulder_h), (0, top + shoulder_h)], fill=255)
    draw.rounded_rectangle((0, top + shoulder_h - 2, width - 1, height - 1), radius=width // 6, fill=255)
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    layer.paste(cylinder((width, height), colour), (0, 0), mask)
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle((x0, 0, x0 + neck_w, cap_h), radius=max(2, width // 14), fill=cap)
    draw.rectangle((x0 + width // 12, height * 4 // 100, x0 + neck_w - width // 12, height * 5 // 100),
                   fill=tuple(c - 40 for c in cap))
    draw.rectangle((x0 + width // 30, cap_h, x0 + neck_w - width // 30, cap_h + neck_h), fill=STEEL)
    # the brand mark, left of centre: a drop in a ring
    cx, cy, r = width * 42 // 100, height * 55 // 100, width // 7
    mark = (245, 245, 245)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=mark, width=max(2, r // 5))
    draw.polygon([(cx, cy - r * 6 // 10), (cx - r * 4 // 10, cy + r * 2 // 10), (cx + r * 4 // 10, cy + r * 2 // 10)],
                 fill=mark)
    draw.ellipse((cx - r * 4 // 10, cy - r * 1 // 10, cx + r * 4 // 10, cy + r * 6 // 10), fill=mark)
    return layer


def cylinder(size: tuple[int, int], colour: Colour) -> Image.Image:
    """A body colour shaded across the width: a highlight at a quarter, dark at the right edge."""
    width = size[0]
    row = []
    for x in range(width):
        t = x / max(1, width - 1)
        light = 1.35 - 1.4 * abs(t - 0.25) if t < 0.25 else 1.35 - 0.95 * (t - 0.25) / 0.75 - 0.35
        row.append(tuple(max(0, min(255, round(c * light))) for c in colour))
    strip = Image.new("RGB", (width, 1))
    strip.putdata(row)
    return strip.resize(size, Image.Resampling.NEAREST)


def shadow(size: tuple[int, int], box: tuple[int, int, int, int], darkness: int = 70) -> Image.Image:
    """A soft floor shadow as an alpha layer."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(layer).ellipse(box, fill=(0, 0, 0, darkness))
    return layer.filter(ImageFilter.GaussianBlur(radius=max(2, (box[3] - box[1]) // 3)))


def place(canvas: Image.Image, layer: Image.Image, centre_x: int, bottom: int) -> None:
    canvas.alpha_composite(layer, (centre_x - layer.width // 2, bottom - layer.height))


def gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    """A vertical two-colour gradient (smooth, so it costs a JPEG almost nothing)."""
    column = Image.new("RGB", (1, 256))
    column.putdata([tuple(t + (b - t) * y // 255 for t, b in zip(top, bottom)) for y in range(256)])
    return column.resize(size, Image.Resampling.BILINEAR).convert("RGBA")


# ---------------------------------------------------------------- the six shots


def front_on_white() -> Image.Image:
    """Black bottle, front view, on pure white; landscape 1600 × 1200 (the main photo)."""
    canvas = Image.new("RGBA", (1600, 1200), (255, 255, 255, 255))
    canvas.alpha_composite(shadow(canvas.size, (700, 950, 1060, 1010)))
    place(canvas, bottle(820, BLACK), 800, 985)
    return canvas


def blue_tilted() -> Image.Image:
    """Blue bottle leaning 14° on a blue gradient; portrait 1200 × 1600."""
    canvas = gradient((1200, 1600), (200, 224, 246), (70, 130, 190))
    layer = bottle(1000, BLUE, cap=(210, 212, 216)).rotate(14, resample=Image.Resampling.BICUBIC, expand=True)
    canvas.alpha_composite(shadow(canvas.size, (380, 1330, 880, 1400), 90))
    place(canvas, layer, 600, 1380)
    return canvas


def pair_on_wood() -> Image.Image:
    """Green and white bottles side by side on a table; landscape 1800 × 1200."""
    canvas = gradient((1800, 1200), (244, 214, 170), (226, 180, 120))
    ImageDraw.Draw(canvas).rectangle((0, 860, 1800, 1200), fill=(150, 96, 52, 255))
    canvas.alpha_composite(shadow(canvas.size, (560, 860, 1300, 930), 90))
    place(canvas, bottle(760, GREEN), 720, 900)
    place(canvas, bottle(640, WHITE_BODY, cap=BLACK), 1130, 900)
    return canvas


def cap_close_up() -> Image.Image:
    """The lid and shoulder filling the frame on dark grey; 1400 × 1400 (saved as CMYK)."""
    canvas = Image.new("RGBA", (1400, 1400), (58, 60, 66, 255))
    big = bottle(3000, WHITE_BODY, cap=(196, 60, 52))
    canvas.alpha_composite(big.crop((0, 0, big.width, 1300)), ((1400 - big.width) // 2, 180))
    return canvas


def outdoors() -> Image.Image:
    """Blue bottle on a rock, left of centre, before mountains and the sun; landscape 1600 × 1000."""
    canvas = gradient((1600, 1000), (120, 180, 235), (214, 234, 250))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((1240, 110, 1400, 270), fill=(255, 214, 90, 255))
    draw.polygon([(700, 820), (1080, 300), (1460, 820)], fill=(112, 124, 150, 255))
    draw.polygon([(1000, 820), (1320, 420), (1640, 820)], fill=(86, 98, 124, 255))
    draw.polygon([(1010, 410), (1080, 300), (1150, 410)], fill=(250, 250, 252, 255))
    draw.rectangle((0, 820, 1600, 1000), fill=(96, 160, 72, 255))
    draw.ellipse((120, 700, 700, 900), fill=(128, 122, 116, 255))
    place(canvas, bottle(600, BLUE), 410, 790)
    return canvas


def two_sizes() -> Image.Image:
    """The 750 ml and 500 ml bottles with height marks on plain grey; 1500 × 1100."""
    canvas = Image.new("RGBA", (1500, 1100), (176, 178, 180, 255))
    draw = ImageDraw.Draw(canvas)
    place(canvas, bottle(860, BLACK), 560, 1000)
    place(canvas, bottle(650, GREEN), 1010, 1000)
    for x, top in ((300, 140), (1250, 350)):
        draw.line((x, top, x, 1000), fill=(250, 250, 250, 255), width=8)
        draw.line((x - 30, top, x + 30, top), fill=(250, 250, 250, 255), width=8)
        draw.line((x - 30, 1000, x + 30, 1000), fill=(250, 250, 250, 255), width=8)
    return canvas


SHOTS: dict[str, tuple[Callable[[], Image.Image], str]] = {
    "hkb100_front_white.jpg": (front_on_white, "RGB"),
    "hkb100_blue_tilted.jpg": (blue_tilted, "RGB"),
    "hkb100_pair_table.jpg": (pair_on_wood, "RGB"),
    "hkb100_lid_cmyk.jpg": (cap_close_up, "CMYK"),
    "hkb100_outdoors.jpg": (outdoors, "RGB"),
    "hkb100_two_sizes.jpg": (two_sizes, "RGB"),
}


def write_photos(folder: Path | str) -> list[Path]:
    """Draw every shot into ``folder`` (created if needed); return the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (draw, mode) in SHOTS.items():
        image = draw().convert("RGB").convert(mode)
        path = folder / name
        image.save(path, "JPEG", quality=QUALITY, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m grader.samples.photos OUT_FOLDER")
    for path in write_photos(sys.argv[1]):
        print(f"{path} {path.stat().st_size} bytes")
