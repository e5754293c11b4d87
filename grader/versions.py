"""The versions of the libraries whose behaviour decides points.

A phash bit, a segmentation, a fuzzy ratio or a decoded cell can change between releases of
these libraries, so the same disc is only guaranteed the same points under the same versions:
they are recorded in the manifest and are part of every cache key.
"""
from __future__ import annotations

import functools
from importlib import metadata

LIBRARIES = ("Pillow", "ImageHash", "numpy", "scipy", "PyWavelets", "rapidfuzz", "python-calamine", "openpyxl",
             "xlrd", "jieba", "python-stdnum", "charset-normalizer", "python-docx", "email-validator", "pycdlib")


@functools.cache
def library_versions() -> dict[str, str]:
    """Each library of ``LIBRARIES`` with its installed version ("not installed" when absent)."""
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found
