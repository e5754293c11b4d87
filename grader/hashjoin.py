"""Pairs of image hashes within ``max_distance`` bits of each other, by multi-index hashing.

Cut every hash of ``bits`` bits into ``max_distance + 1`` runs of neighbouring bits. Two hashes
that differ in at most ``max_distance`` bits cannot differ in every run, so they agree exactly on
at least one (pigeonhole): it is enough to compare hashes that share a run, found by grouping the
hashes on each run's value. Nothing within the distance is missed; each pair so found is measured
exactly (the bits that differ, counted).

>>> groups = Groups([1, 1, 1], limit=None)
>>> alike_hashes([0b1111_0000, 0b1111_0001, 0b0000_1111], bits=8, max_distance=2, groups=groups)
[(0, 1, 1)]
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from grader.alike import Groups

ONES = np.array([byte.bit_count() for byte in range(256)], dtype=np.int64)
SLAB = 256  # rows of a large bucket measured at once


def alike_hashes(values: Sequence[int], bits: int, max_distance: int, groups: Groups) -> list[tuple[int, int, int]]:
    """Every pair ``(i, j, distance)``, ``i < j`` indices of ``values`` (distinct hashes of
    ``bits`` bits), at most ``max_distance`` bits apart, except pairs already inside one common
    group of ``groups``. Pairs found are joined in ``groups``."""
    if len(values) < 2 or max_distance < 0:
        return []
    words = _words(values, bits)
    found: dict[tuple[int, int], int] = {}
    for bucket in _buckets(values, bits, max_distance):
        for start in range(0, len(bucket) - 1, SLAB):
            rows = bucket[start:start + SLAB]
            later = np.arange(len(bucket))[None, :] > np.arange(start, start + len(rows))[:, None]
            r, c = np.nonzero(later & ~groups.settled(rows[:, None], bucket[None, :]))
            a, b = rows[r], bucket[c]
            distance = ONES[(words[a] ^ words[b]).view(np.uint8)].sum(axis=1)
            near = np.nonzero(distance <= max_distance)[0]
            groups.join_all(a[near], b[near])
            for i, j, d in zip(a[near].tolist(), b[near].tolist(), distance[near].tolist()):
                found[(i, j)] = d
    return [(i, j, d) for (i, j), d in sorted(found.items())]


def _words(values: Sequence[int], bits: int) -> np.ndarray:
    count = max(1, -(-bits // 64))
    mask = (1 << 64) - 1
    return np.array([[(v >> (64 * w)) & mask for w in range(count)] for v in values], dtype=np.uint64)


def _buckets(values: Sequence[int], bits: int, max_distance: int) -> list[np.ndarray]:
    """Indices of the hashes sharing one run's value, for every run and value held twice or more
    (every index at once when there are fewer bits than runs)."""
    runs = max_distance + 1
    if runs > bits:
        return [np.arange(len(values))]
    buckets = []
    for run in range(runs):
        low, high = bits * run // runs, bits * (run + 1) // runs
        mask = (1 << (high - low)) - 1
        sharing: dict[int, list[int]] = defaultdict(list)
        for index, value in enumerate(values):
            sharing[(value >> low) & mask].append(index)
        buckets.extend(np.array(b) for _, b in sorted(sharing.items()) if len(b) > 1)
    return buckets
