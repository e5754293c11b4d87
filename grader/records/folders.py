"""A folder deliverable as listed, for units whose own reader is not yet written."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Folder:
    path: Path
    relative: str
    files: tuple[str, ...]  # relative to the candidate folder
