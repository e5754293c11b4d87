"""The images folder as read (unit 4): each file with what its bytes hold, and the measures
the checks judge.

``grader.read.images`` makes these: it names each file's slot by the ``Naming`` convention, and
measures the slot files (``Examined``: format, mode, sizes, the outer ``Frame``, the perceptual
``Fingerprint`` by the rubric's ``HashMethod``). The key's photos are measured the same way, once,
when the paper loads (``Material``). Hashes are integers, compared by Hamming distance:

>>> a, b = Fingerprint(0b1011, (0b1011, 0b0011)), Fingerprint(0b0001, (0b0001,))
>>> distance(0b1011, 0b0001), nearest(b, a), same_picture_distance(a, b)
(2, 1, 1)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.model import Exhibit

if TYPE_CHECKING:
    from grader.paper import Key

HASH_METHODS = ("phash", "dhash", "average_hash", "whash")  # imagehash's functions of these names


@dataclass(frozen=True)
class Naming:
    """The file-name convention of U4-01: ``<identifier>.<code>.<extension>``."""

    identifier: str
    main: str
    pt: tuple[str, ...]
    extensions: tuple[str, ...]  # lower case, in order of preference (convention 27)

    @classmethod
    def from_params(cls, params: dict[str, Any], key: Key) -> Naming:
        return cls(str(key.lookup(params["identifier"])), str(params["main"]), tuple(map(str, params["pt"])),
                   tuple(str(e).lower() for e in params["extensions"]))

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.main, *self.pt)

    def split(self, name: str) -> tuple[str, str] | None:
        """The slot code and the extension (as written) of a file name that fills a slot, else None.

        The identifier and the code must match exactly; the extension may be in any case.

        >>> n = Naming("HKB100", "MAIN", ("PT01",), ("jpg", "jpeg", "png"))
        >>> n.split("HKB100.MAIN.JPG"), n.split("HKB100.main.jpg"), n.split("hkb100.PT01.png")
        (('MAIN', 'JPG'), None, None)
        """
        for code in self.codes:
            prefix = f"{self.identifier}.{code}."
            if name.startswith(prefix) and name[len(prefix):].lower() in self.extensions:
                return code, name[len(prefix):]
        return None

    def rank(self, name: str) -> tuple[int, bool, str]:
        """Which of several files of one slot is graded: jpg, jpeg, png; then as written in lower case."""
        extension = name.rsplit(".", 1)[1]
        return self.extensions.index(extension.lower()), extension != extension.lower(), name


@dataclass(frozen=True)
class HashMethod:
    """How U4-05 tells that two pictures are the same (the rubric's ``hash`` parameter).

    A picture is first freed of white padding: rows and columns are cut from each side while
    they hold no more than ``trim`` of the picture's ink (how far each pixel's darkest channel
    lies below ``white``; white padding holds none), which a soft shadow or JPEG noise hardly
    moves. The picture is then reduced to ``work`` pixels on its longest side and hashed with
    ``method`` (an ``imagehash`` function, one of ``HASH_METHODS``) of ``size``² bits. Its variants are the crops of a
    grid (each side cut by each share of ``crops``), each trimmed and hashed the same way, so
    a crop of up to the largest share per side lands within half a step of a variant.
    """

    method: str
    size: int
    white: int
    trim: Fraction
    work: int
    crops: tuple[Fraction, ...]

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> HashMethod:
        """Build from the rubric's table; raise ValueError naming what is wrong."""
        problems = hash_problems(params)
        if problems:
            raise ValueError("; ".join(problems))
        return cls(str(params["method"]), int(params["size"]), int(params["white"]), Fraction(str(params["trim"])),
                   int(params["work"]), tuple(Fraction(str(c)) for c in params["crops"]))

    @property
    def bits(self) -> int:
        return self.size * self.size

    def describe(self) -> str:
        """The method in words, for evidence: 'phash of 256 bits, crops of 0%, 5%, 10% per side'."""
        crops = ", ".join(f"{float(c):.0%}" for c in self.crops)
        return f"{self.method} of {self.bits} bits, crops of {crops} per side"


def hash_problems(params: Any) -> list[str]:
    """What is wrong with a rubric ``hash`` table (empty when it is usable)."""
    if not isinstance(params, dict):
        return ["hash must be a table (method, size, white, trim, work, crops)"]
    missing = [k for k in ("method", "size", "white", "trim", "work", "crops") if k not in params]
    if missing:
        return [f"hash lacks {', '.join(missing)}"]
    problems = []
    if params["method"] not in HASH_METHODS:
        problems.append(f"hash method {params['method']!r} is not one of {', '.join(HASH_METHODS)}")
    if not isinstance(params["size"], int) or not 4 <= params["size"] <= 32:
        problems.append("hash size must be a whole number from 4 to 32")
    if not isinstance(params["white"], int) or not 0 <= params["white"] <= 255:
        problems.append("hash white must be a level from 0 to 255")
    try:
        trim = Fraction(str(params["trim"]))
        crops = [Fraction(str(c)) for c in params["crops"]]
    except (ValueError, TypeError, ZeroDivisionError):
        return problems + ["hash trim and crops must be decimal shares such as \"0.05\""]
    if not 0 <= trim < Fraction(1, 2):
        problems.append("hash trim must be a share from 0 to below 0.5")
    if not crops or crops[0] != 0 or any(not 0 <= c < Fraction(1, 2) for c in crops):
        problems.append("hash crops must start with 0 and hold shares below 0.5")
    if not isinstance(params["work"], int) or params["work"] < 4 * (params["size"] if isinstance(params["size"], int)
                                                                    else 0):
        problems.append("hash work must be a whole number of pixels, at least 4 × size")
    return problems


@dataclass(frozen=True)
class Frame:
    """An image's outer frame: ``columns`` wide at left and right, ``rows`` high at top and
    bottom, each pixel counted once, by the value of its darkest channel (0–255; with alpha,
    the alpha channel is one of the channels)."""

    columns: int
    rows: int
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def white(self, level: int) -> int:
        """Frame pixels whose every channel is at least ``level``."""
        return sum(self.counts[level:])


@dataclass(frozen=True)
class Fingerprint:
    """A picture's hash and its crop variants' hashes (the first variant is the picture), as integers."""

    hash: int
    variants: tuple[int, ...]


def distance(a: int, b: int) -> int:
    """Hamming distance between two hashes held as integers."""
    return (a ^ b).bit_count()


def nearest(target: Fingerprint, source: Fingerprint) -> int:
    """How far ``target`` is from the nearest crop variant of ``source``."""
    return min(distance(target.hash, v) for v in source.variants)


def same_picture_distance(a: Fingerprint, b: Fingerprint) -> int:
    """The distance of two pictures, either being a crop of the other."""
    return min(nearest(a, b), nearest(b, a))


@dataclass(frozen=True)
class Examined:
    """What the bytes of one file hold (measures left empty where they could not be taken)."""

    format: str | None = None  # Pillow's format ("JPEG", "MPO", "PNG" …); None: not an image
    mode: str | None = None
    header_size: tuple[int, int] | None = None  # width, height as stored
    pixels: int = 0  # width × height in the header
    shown_size: tuple[int, int] | None = None  # width, height as displayed (EXIF orientation applied)
    orientation: int = 1
    decoded: bool = False  # the strict full decode succeeded
    measured: bool = False  # pixels available (decoded, or as a viewer shows a truncated file)
    refused: bool = False  # over max_pixels: never decoded
    problem: str = ""
    frame: Frame | None = None
    fingerprint: Fingerprint | None = None
    preview: bytes = b""  # a small JPEG of the picture as shown, for the reports (PREVIEW_SIDE)


@dataclass(frozen=True)
class ImageFile:
    """One file of the images folder and what was found in it."""

    name: str  # as written
    path: str  # relative to the candidate folder
    inner: str  # relative to the images folder ("sub/x.jpg" for a file in a sub-folder)
    size: int  # bytes
    slot: str | None = None  # the slot code its name fills, directly in the folder
    extension: str = ""  # as written, for a slot file
    graded: bool = False  # the one file graded for its slot
    found: Examined = field(default_factory=Examined)

    @property
    def is_image(self) -> bool:
        return self.found.format is not None

    @property
    def shown_size(self) -> tuple[int, int] | None:
        return self.found.shown_size or self.found.header_size


@dataclass(frozen=True)
class ImageFolder:
    path: Path
    relative: str
    naming: Naming
    files: tuple[ImageFile, ...]
    method: HashMethod | None = None

    @property
    def graded(self) -> dict[str, ImageFile]:
        """Slot code → the file graded for it, in slot order."""
        by_slot = {f.slot: f for f in self.files if f.graded}
        return {code: by_slot[code] for code in self.naming.codes if code in by_slot}

    @property
    def main(self) -> ImageFile | None:
        return self.graded.get(self.naming.main)

    @property
    def pts(self) -> list[ImageFile]:
        return [f for code, f in self.graded.items() if code != self.naming.main]

    def exhibits(self) -> dict[str, Exhibit]:
        """Each measured file's preview and facts by its path in the candidate folder, for its page."""
        return {f.path: Exhibit(f.found.preview, *f.shown_size, f.size, f.found.format or "", f.found.mode or "")
                for f in self.files if f.found.preview and f.shown_size}

    def fingerprints(self) -> dict[str, str]:
        """Each slot image's perceptual hash in hex, for the similarity stage between candidates."""
        if self.method is None:
            return {}
        width = self.method.bits // 4
        return {f"image:{code}": f"{f.found.fingerprint.hash:0{width}x}" for code, f in self.graded.items()
                if f.found.fingerprint is not None}


@dataclass(frozen=True)
class Material:
    """One of the key's photos, measured like a candidate's image."""

    name: str
    main: bool
    found: Examined
