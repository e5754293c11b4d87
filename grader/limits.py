"""Caps that keep one hostile file from stalling or exhausting a run. All configurable per run."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 64 * MB  # a deliverable larger than this is not read (flag, not crash)
    max_unzipped_bytes: int = 256 * MB  # xlsx / docx: the parts' declared sizes, added up
    max_image_pixels: int = 100_000_000  # convention 27: larger images are refused unread
    candidate_seconds: float = 120.0  # wall time for one candidate; over it → flag `timeout`
    # memory one candidate may take on top of a worker's own (where the OS can cap it); over it →
    # flag `memory-limit`. A legal 10000 × 10000 PNG needs about 1.1 GiB.
    max_memory_bytes: int = 2048 * MB
    max_archive_bytes: int = 4096 * MB  # a zip or ISO disc: expanded size

    @classmethod
    def default(cls) -> Limits:
        return cls()
