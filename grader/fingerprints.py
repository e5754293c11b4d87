"""What a candidate leaves for the similarity stage: file hashes, long texts, image hashes.

Taken from what the readers already parsed (nothing is read twice): every file read (its
sha256), every text cell of a workbook long enough to be someone's own writing, and whatever
a parsed deliverable offers through a ``fingerprints()`` method (texts of replies and
templates, perceptual hashes of images). Labels name the unit and the place: ``U8 reply_02``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.model import READ
from grader.records.tables import Workbook
from grader.similarity import MIN_TEXT_CHARS

if TYPE_CHECKING:
    from grader.model import Reading
    from grader.paper import Paper


def workbook_texts(book: Workbook) -> dict[str, str]:
    texts = {}
    for sheet in book.sheets.values():
        for name, cell in sheet.fields.items():
            if isinstance(cell.value, str) and len(cell.value.strip()) >= MIN_TEXT_CHARS:
                texts[f"{sheet.spec}.{name}"] = cell.value
        for row in sheet.rows:
            for column, cell in row.cells.items():
                if isinstance(cell.value, str) and len(cell.value.strip()) >= MIN_TEXT_CHARS:
                    texts[f"{sheet.spec}.{column}#{row.number}"] = cell.value
    return texts


def fingerprints(reading: Reading, paper: Paper, prefix: int) -> dict[str, str]:
    """The candidate's fingerprints; ``prefix`` is the number of path parts of its folder in the
    disc, stripped from the files' paths."""
    prints: dict[str, str] = {}
    for item in reading.inputs:
        inside = "/".join(item["path"].split("/")[prefix:])
        prints[f"file:{inside}"] = item["sha256"]
    for unit in paper.units:
        if reading.state(unit.deliverable) != READ:
            continue
        parsed = reading.parsed(unit.deliverable)
        if isinstance(parsed, Workbook):
            found = {f"text:{label}": text for label, text in workbook_texts(parsed).items()}
        elif hasattr(parsed, "fingerprints"):
            found = dict(parsed.fingerprints())
        else:
            found = {}
        for key, value in found.items():
            kind, _, label = key.partition(":")
            prints[f"{kind}:{unit.id} {label}"] = value
    return prints
