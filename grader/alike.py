"""Groups of alike work, and when a group is common material rather than copying.

The similarity stage joins two pieces of work (distinct texts, distinct image hashes) when they are
alike; a group is everything joined to everything else through such pairs, and it counts the
candidates behind its pieces (several candidates may hand in one identical text). A group larger
than ``limit`` candidates is common material: a template that went round, not one pair's copying.

Groups only grow, so a group that is common once stays common: a pair whose two pieces are already
in one common group need not be scored at all, since none of that group's pairs is ever reported.
That is how a text half the class hands in is found without listing every pair of it.

>>> groups = Groups([1, 1, 2, 1], limit=3.0)
>>> groups.join(0, 1)
>>> groups.kept(0), groups.kept(2)
(True, True)
>>> groups.join(1, 2)
>>> groups.kept(0), groups.kept(3)
(False, True)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class Groups:
    """Pieces joined into groups, each group's size counted in candidates."""

    def __init__(self, weights: Sequence[int], limit: float | None):
        self.limit = limit  # None: no group is common material (a class of fewer than five)
        self.label = np.arange(len(weights))  # each piece's group, kept exact (no lazy roots)
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(weights))}
        self.weight = np.array(weights, dtype=np.int64)  # candidates per group, by label
        self.any_common = limit is not None and bool((self.weight > limit).any())  # some group is common

    def join(self, a: int, b: int) -> None:
        first, second = int(self.label[a]), int(self.label[b])
        if first == second:
            return
        if len(self.members[first]) < len(self.members[second]):
            first, second = second, first
        moved = self.members.pop(second)
        self.label[moved] = first
        self.members[first].extend(moved)
        self.weight[first] += self.weight[second]
        self.any_common |= self.limit is not None and bool(self.weight[first] > self.limit)

    def join_all(self, rows: np.ndarray, cols: np.ndarray) -> None:
        label = self.label
        for a, b in zip(rows.tolist(), cols.tolist()):
            if label[a] != label[b]:
                self.join(a, b)

    def kept(self, piece: int) -> bool:
        """Whether the pairs of this piece's group are reported (the group is not common material)."""
        return self.limit is None or bool(self.weight[self.label[piece]] <= self.limit)

    def settled(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Where ``rows[i]`` and ``cols[j]`` (or ``cols[i]``, same shape) are already in one common group."""
        if not self.any_common:  # nothing settled yet: spare the block's lookups
            return np.zeros(np.broadcast_shapes(rows.shape, cols.shape), dtype=bool)
        row_label = self.label[rows]
        return (row_label == self.label[cols]) & (self.weight[row_label] > self.limit)
