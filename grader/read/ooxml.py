"""OOXML containers (.xlsx, .xlsm, .docx): zip files held to the run's caps before any parser opens them.

A workbook or a Word document is a zip of XML parts. Its parsers (calamine, openpyxl, python-docx)
inflate whole parts into memory, so a file of a few hundred kilobytes declaring hundreds of megabytes
of XML is a decompression bomb. ``checked_zip`` refuses, as a ``ReadError``, a container larger than
``Limits.max_file_bytes`` or whose parts' declared sizes add up to more than
``Limits.max_unzipped_bytes``; Python's ``zipfile`` never inflates a part past its declared size, so
the declared sizes bound what a parser reading through it can get.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
...     archive.writestr("word/document.xml", b"0" * 5000)
>>> with checked_zip(buffer.getvalue(), Limits(max_unzipped_bytes=4096), ".docx document"):
...     pass
Traceback (most recent call last):
grader.errors.ReadError: parts expand to 5,000 bytes, over the cap of 4,096 (a zip bomb?)
"""
from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.errors import ReadError, describe
from grader.limits import Limits
from grader.locale import N_

ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error)


@contextmanager
def checked_zip(source: Path | bytes, limits: Limits, what: str) -> Iterator[zipfile.ZipFile]:
    """The container opened, once its size and its parts' declared sizes are within the caps;
    ``what`` names it in the reason ("xlsx workbook", ".docx document")."""
    size = source.stat().st_size if isinstance(source, Path) else len(source)
    if size > limits.max_file_bytes:
        raise ReadError(N_("file of {size:,} bytes is over the cap of {cap:,}; not read").format(
            size=size, cap=limits.max_file_bytes))
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
            expanded = sum(i.file_size for i in archive.infolist())
            if expanded > limits.max_unzipped_bytes:
                raise ReadError(N_("parts expand to {size:,} bytes, over the cap of {cap:,} (a zip bomb?)").format(
                    size=expanded, cap=limits.max_unzipped_bytes))
            yield archive
    except ZIP_ERRORS as exc:
        why = describe(exc, source if isinstance(source, Path) else None)
        raise ReadError(N_("not a readable {what} ({why})").format(what=what, why=why)) from exc
