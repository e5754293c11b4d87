"""Draw the raw materials photos of paper 2026B (the ZenLoop yoga mat) into photos/.

Deterministic (no randomness, no fonts): the same Pillow writes the same bytes, so the photos can
be rebuilt and compared. Run from anywhere: ``python answer_keys/2026B/draw_photos.py``.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

PURPLE, GREY, TEAL = (112, 62, 150), (120, 124, 130), (28, 132, 138)
QUALITY = 70


def shaded(size: tuple[int, int], colour: tuple[int, int, int], *, vertical: bool = False) -> Image.Image:
    """A colour lit from one side, as a rolled mat shows it."""
    length = size[1] if vertical else size[0]
    strip = Image.new("RGB", (1, length) if vertical else (length, 1))
    values = []
    for i in range(length):
        t = i / max(1, length - 1)
        light = 1.3 - 0.7 * abs(t - 0.3)
        values.append(tuple(max(0, min(255, round(c * light))) for c in colour))
    strip.putdata(values)
    return strip.resize(size, Image.Resampling.NEAREST)


def rolled(height: int, colour: tuple[int, int, int]) -> Image.Image:
    """A mat rolled and standing on end, with its spiral showing on top, on a transparent layer."""
    width = height * 40 // 100
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    body = shaded((width, height), colour)
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, width // 5, width - 1, height - 1), radius=width // 5, fill=255)
    layer.paste(body, (0, 0), mask)
    draw = ImageDraw.Draw(layer)
    draw.ellipse((0, 0, width - 1, width * 2 // 5), fill=tuple(min(255, c + 40) for c in colour))
    for k in range(1, 6):
        inset = k * width // 13
        draw.ellipse((inset, inset * 2 // 5, width - 1 - inset, width * 2 // 5 - inset * 2 // 5),
                     outline=tuple(c // 2 for c in colour), width=max(2, width // 60))
    return layer


def rolled_white() -> Image.Image:
    """The main photo: a purple mat rolled upright, centred on white with a soft floor shadow."""
    image = Image.new("RGB", (1500, 1500), (255, 255, 255))
    shadow = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(shadow).ellipse((520, 1240, 980, 1320), fill=(0, 0, 0, 60))
    image.paste(shadow.filter(ImageFilter.GaussianBlur(18)), (0, 0), shadow.filter(ImageFilter.GaussianBlur(18)))
    mat = rolled(1100, PURPLE)
    image.paste(mat, ((1500 - mat.width) // 2, 190), mat)
    return image


def flat_floor() -> Image.Image:
    """A grey mat laid flat on a wooden floor of broad planks, seen from above at an angle."""
    image = Image.new("RGB", (1800, 1100), (176, 128, 84))
    draw = ImageDraw.Draw(image)
    for n, y in enumerate(range(0, 1100, 220)):
        if n % 2:
            draw.rectangle((0, y, 1800, y + 110), fill=(140, 98, 60))
    draw.polygon([(260, 900), (1540, 900), (1380, 260), (420, 260)], fill=GREY)
    draw.polygon([(330, 620), (1470, 620), (1440, 500), (360, 500)], fill=(84, 88, 94))
    draw.ellipse((1500, 120, 1760, 380), fill=(40, 40, 44))
    return image


def pose_studio() -> Image.Image:
    """A teal mat unrolled under a studio window, portrait."""
    image = Image.new("RGB", (1200, 1600), (214, 220, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 120, 900, 700), fill=(244, 248, 252))
    draw.line((600, 120, 600, 700), fill=(170, 176, 182), width=14)
    draw.line((300, 410, 900, 410), fill=(170, 176, 182), width=14)
    draw.rectangle((0, 1000, 1200, 1600), fill=(150, 140, 128))
    draw.polygon([(200, 1520), (1000, 1520), (860, 1040), (340, 1040)], fill=TEAL)
    mat = rolled(420, TEAL)
    image.paste(mat, (880, 1080), mat)
    return image


def texture() -> Image.Image:
    """The non-slip surface close up: broad raised ridges on purple, the mat's edge below (saved as CMYK)."""
    image = shaded((1400, 1400), PURPLE, vertical=True)
    draw = ImageDraw.Draw(image)
    for n in range(4):
        y = 120 + n * 250
        draw.rounded_rectangle((160 + n * 60, y, 1240 - n * 60, y + 110), radius=55, fill=(160, 110, 200))
    draw.rectangle((0, 1150, 1400, 1400), fill=(60, 40, 80))
    return image


def strap_park() -> Image.Image:
    """A purple mat lying rolled on grass with a black carry strap, trees behind."""
    image = Image.new("RGB", (1600, 1000), (150, 200, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1600, 1000), fill=(86, 150, 70))
    for x in (120, 420, 1250):
        draw.rectangle((x + 60, 260, x + 100, 580), fill=(96, 70, 44))
        draw.ellipse((x - 40, 100, x + 200, 380), fill=(44, 110, 52))
    mat = rolled(700, PURPLE).rotate(90, expand=True)
    image.paste(mat, (460, 640), mat)
    draw.rectangle((640, 620, 680, 930), fill=(24, 24, 24))
    draw.rectangle((1000, 620, 1040, 930), fill=(24, 24, 24))
    return image


PHOTOS = {
    "zlm60_rolled_white.jpg": (rolled_white, "RGB"),
    "zlm60_flat_floor.jpg": (flat_floor, "RGB"),
    "zlm60_pose_studio.jpg": (pose_studio, "RGB"),
    "zlm60_texture_cmyk.jpg": (texture, "CMYK"),
    "zlm60_strap_park.jpg": (strap_park, "RGB"),
}


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (draw, mode) in PHOTOS.items():
        draw().convert(mode).save(folder / name, "JPEG", quality=QUALITY)


if __name__ == "__main__":
    write(Path(__file__).resolve().parent / "photos")
