"""Pillow's process-wide switches, held here and nowhere else.

Pillow decodes by three settings every thread shares: ``ImageFile.LOAD_TRUNCATED_IMAGES`` (a
truncated file loads as far as it goes, or raises), ``Image.MAX_IMAGE_PIXELS`` (its decompression
bomb guard: a warning above it, an error above twice it) and the ``warnings`` filters (the bomb
warning, EXIF noise). A reader that decodes does so inside ``decoding()``: truncated images
refused, warnings silenced, all restored after; it yields ``lenient``, which lets truncated images
load, as a viewer shows them, until the block ends. One lock makes every such block of the
process take its turn, so a lenient decode in one thread never lets a strict decode in another
pass a truncated file.

Pillow's own guard is left as it is: ``pillow_guard()`` reads it, for a deliverable whose rubric
and run set no cap of their own.

>>> with decoding() as lenient:
...     lenient()
...     ImageFile.LOAD_TRUNCATED_IMAGES
True
>>> ImageFile.LOAD_TRUNCATED_IMAGES
False
"""
from __future__ import annotations

import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PIL import Image, ImageFile

# Pillow's decompression-bomb refusals: the error, and the warning should a caller turn warnings into errors
BOMBS = (Image.DecompressionBombError, Image.DecompressionBombWarning)

_TURN = threading.RLock()


@contextmanager
def decoding() -> Iterator[Callable[[], None]]:
    """Hold Pillow's switches for one read: truncated images refused, warnings silenced (the bomb
    warning becomes a refusal, EXIF noise is no news); restored after. Yields a function that lets
    truncated images load, as a viewer shows them, for the rest of the block."""
    with _TURN, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False

        def lenient() -> None:
            ImageFile.LOAD_TRUNCATED_IMAGES = True

        try:
            yield lenient
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


@contextmanager
def as_a_viewer() -> Iterator[None]:
    """Decode as a viewer shows a picture: a truncated image loads as far as it goes (convention 27)."""
    with decoding() as lenient:
        lenient()
        yield


def pillow_guard() -> int:
    """Pillow's decompression-bomb guard, in pixels (no limit when it is switched off)."""
    return Image.MAX_IMAGE_PIXELS or sys.maxsize
