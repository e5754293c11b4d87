"""Reasons the catalogue translates but this package does not write: flags raised by the checks
and by the similarity stage, the reasons the disc's unpacking gives for a skipped entry, and
the library messages a reason quotes. Each is the exact English those modules make, with its
values as fields; ``tests/test_catalogue.py`` makes each of them and fails when the text they
make no longer matches its message here.
"""
from __future__ import annotations

from grader.locale import N_

CHECK_REASONS = (
    N_("board lists {count} distinct products; {extras} beyond the first {first} earn nothing"),
    N_("{product}: weight {weight} at {cell} is 1000× the pool's {pool} kg (grams typed for kilograms)"),
    N_("no readable unit-1 company username; {criterion} graded on the username rule of {rule}"),
)

SIMILARITY_REASONS = (
    N_("similar-to {other} ({label}, {share}%)"),
)

UNPACKING_REASONS = (
    N_("a second entry of that name (the first is kept)"),
    N_("a link or special file"),
    N_("a symbolic link"),
    N_("which cannot be unpacked here ({why})"),
    N_("a name holding a NUL character"),
    N_("an absolute name, a path outside the disc"),
    N_("an empty name"),
    N_("a drive letter, a path outside the disc"),
    N_("a '..' part, a path outside the disc"),
    N_("a '.' part"),
    N_("a name part of {size} bytes, over the {cap} a file system allows"),
)

LIBRARY_MESSAGES = (
    N_("image file is truncated ({count} bytes not processed)"),
    N_("image file is truncated"),
    N_("BadZipFile: File is not a zip file"),
)
