"""Pairs of texts at least ``threshold`` alike by ``rapidfuzz.fuzz.ratio``, without scoring every pair.

The score is the paper's (convention 15): ``fuzz.ratio(a, b) = 100 * (1 - d / S)``, with ``S = m + n``
the two lengths and ``d = S - 2 * LCS(a, b)`` the Indel distance (insertions and deletions). So

    ratio >= t   <=>   d <= D(S) = floor(S * (100 - t) / 100)   <=>   LCS(a, b) >= (S - D(S)) / 2.

Two upper bounds on the LCS give necessary conditions; a pair failing either cannot reach ``t``:

* **length**: ``LCS <= m`` for ``m <= n``, so ``2m >= t * (m + n) / 100``, that is
  ``n <= m * (200 - t) / t``. Texts are sorted by length and each is compared only with the band of
  texts up to that length.
* **characters**: a common subsequence uses each character no more often than either text holds
  it, so ``LCS <= sum over c of min(count_a(c), count_b(c))``. Pooling characters into classes
  (here the most frequent 255 characters each on their own, the rest as one) only raises the sum,
  so the bound stays true. ``min(x, y)`` is the number of levels ``k = 1, 2, ...`` with
  ``x >= k`` and ``y >= k``: with one 0/1 column per class and level, the sum for a block of texts
  against all others is one matrix product. Levels above ``LEVELS`` are not given columns; the
  count above it, the smaller of the two texts', is added back, which keeps an upper bound.

* **rare characters in order**: split the characters into the rarest ones ``R`` (the rarest classes
  holding at most ``RARE_SHARE`` of the label's characters) and the others. A common subsequence's
  characters in ``R`` are a common subsequence of the two texts kept to ``R``, and the others are
  bounded by their counts, so ``LCS <= LCS(a_R, b_R) + sum over c not in R of min(count_a(c),
  count_b(c))``. Texts on one subject hold their common characters in much the same numbers (the
  count bound keeps about nine pairs of long texts in ten), but not their rarer ones in the same
  order: this bound keeps about three in a hundred, and ``a_R`` is a quarter of ``a``, so its LCS
  costs a tenth of the score. It is taken on the pairs the first two leave.

Every pair passing all three is scored by rapidfuzz with the same scorer, cutoff and integer result as
the all-pairs method (``process.cdist``, or ``process.cpdist`` when few pairs of a block pass), and
that score alone decides. The bounds are taken for a threshold a millionth lower than ``t``, so that
rounding in the scorer's floating point can never accept a pair the bounds turned away: the bounds
are lossless, the scores are the scorer's own.

Why no q-gram prefix filter with an inverted index: at ``t = 90`` a partner may hold an extra
character every 4.5 characters (``d`` up to 2/9 of the shorter text), which breaks every q-gram with
``q >= 5``; a lossless prefix of trigrams must then hold about half of a text's trigrams, and texts
written on one subject share those with nearly all others (measured on the bench's texts: 99.6 to
100% of pairs kept), so the index costs more than it saves. The character bound does prune short
texts (titles, bullets: about nine pairs in ten), but hardly long ones (replies: about one in ten):
for those the rare-character bound takes over. The time still grows with the square of the
number of texts, at a tenth of what scoring every pair the count bound leaves would cost.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import ceil, floor

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from grader.alike import Groups

SLACK = Fraction(1, 10**6)  # the bounds' threshold is this much lower than the scorer's
CLASSES = 256
LEVELS = 48
DENSE = 0.3  # a block with this share of its pairs left is scored whole (cdist reuses each text's pattern)
BLOCK_CELLS = 4_000_000  # rows of a block x texts it meets, bounding the block's memory
RARE_SHARE = 0.25  # the rare characters hold at most this share of a label's characters
WIDE_SHARE = 0.6  # the wide set, taken on the pairs the rare set leaves, at most this share


def alike_texts(texts: Sequence[str], threshold: float, groups: Groups, workers: int = 1
                ) -> list[tuple[int, int, int]]:
    """Every pair ``(i, j, score)``, ``i < j`` indices of ``texts`` (distinct, normalised), whose
    ``fuzz.ratio`` is at least ``threshold``, except pairs already inside one common group of
    ``groups``. Alike pairs are joined in ``groups`` as they are found."""
    if len(texts) < 2 or threshold > 100:
        return []
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i]))
    ordered = [texts[i] for i in order]
    lengths = np.array([len(t) for t in ordered], dtype=np.int64)
    bound = Fraction(threshold) - SLACK
    last = np.searchsorted(lengths, _longest_partner(lengths, bound), side="right")
    need = _least_common(int(2 * lengths[-1]), bound)
    characters = _Characters(ordered)
    rare_class, wide_class = characters.rarest(RARE_SHARE), characters.rarest(WIDE_SHARE)
    rare_columns, rare_excess = _levels(characters.counts[:, rare_class])
    columns, excess = _levels(characters.counts[:, ~rare_class])
    rare, wide = characters.kept_to(rare_class), characters.kept_to(wide_class)
    frequent = characters.counts[:, ~wide_class]  # the classes outside the wide set, bounded by their counts
    strings = np.array(ordered, dtype=object)
    back = np.array(order)
    found: list[tuple[int, int, int]] = []
    count = len(ordered)
    rows_per_block = max(16, min(512, BLOCK_CELLS // count))
    for start in range(0, count - 1, rows_per_block):
        stop = min(start + rows_per_block, count - 1)
        end = int(last[start:stop].max())
        if end <= start + 1:
            continue
        rows, cols = np.arange(start, stop), np.arange(start + 1, end)
        valid = (cols[None, :] > rows[:, None]) & (cols[None, :] < last[rows][:, None])
        entries = int(valid.sum())
        if not entries:
            continue
        others = columns[start:stop] @ columns[start + 1:end].T  # common characters outside R, bounded
        others += np.minimum(excess[start:stop, None], excess[None, start + 1:end])
        common = rare_columns[start:stop] @ rare_columns[start + 1:end].T
        common += np.minimum(rare_excess[start:stop, None], rare_excess[None, start + 1:end])
        common += others
        sums = lengths[rows][:, None] + lengths[cols][None, :]
        passing = valid & (common >= need[sums]) & ~groups.settled(back[rows][:, None], back[cols][None, :])
        left = int(passing.sum())
        if not left:
            continue
        r, c = np.nonzero(passing)
        if left >= DENSE * entries:
            in_order = process.cdist(rare[start:stop].tolist(), rare[start + 1:end].tolist(),
                                     scorer=LCSseq.similarity, dtype=np.int32, workers=workers)[r, c]
        else:
            in_order = process.cpdist(rare[start + r].tolist(), rare[start + 1 + c].tolist(),
                                      scorer=LCSseq.similarity, dtype=np.int32, workers=workers)
        kept = np.nonzero(in_order + others[r, c] >= need[sums[r, c]])[0]
        r, c = r[kept], c[kept]
        if not len(r):
            continue
        a, b = start + r, start + 1 + c
        # the wide set's characters in order, the few most frequent ones by their counts
        in_order = process.cpdist(wide[a].tolist(), wide[b].tolist(), scorer=LCSseq.similarity, dtype=np.int32,
                                  workers=workers)
        kept = np.nonzero(in_order + np.minimum(frequent[a], frequent[b]).sum(axis=1) >= need[sums[r, c]])[0]
        a, b = a[kept], b[kept]
        if not len(a):
            continue
        scores = process.cpdist(strings[a].tolist(), strings[b].tolist(), scorer=fuzz.ratio,
                                score_cutoff=threshold, dtype=np.uint8, workers=workers)
        hit = np.nonzero(scores)[0]
        a, b = back[a[hit]], back[b[hit]]
        groups.join_all(a, b)
        for i, j, score in zip(a.tolist(), b.tolist(), scores[hit].tolist()):
            found.append((min(i, j), max(i, j), int(score)))
    return found


def _longest_partner(lengths: np.ndarray, bound: Fraction) -> np.ndarray:
    """For each length m, the longest n with n <= m * (200 - t) / t (no limit when t <= 0)."""
    if bound <= 0:
        return np.full(len(lengths), np.iinfo(np.int64).max // 4, dtype=np.int64)
    longest = {m: floor(m * (200 - bound) / bound) for m in set(lengths.tolist())}
    return np.array([longest[m] for m in lengths.tolist()], dtype=np.int64)


def _least_common(largest_sum: int, bound: Fraction) -> np.ndarray:
    """For each S = m + n up to ``largest_sum``, the least LCS a pair needs: ceil((S - D(S)) / 2)."""
    share = min(Fraction(1), (100 - bound) / 100)
    return np.array([ceil(Fraction(s - floor(s * share), 2)) for s in range(largest_sum + 1)], dtype=np.float32)


Levels = tuple[np.ndarray, np.ndarray]  # the 0/1 (class, level) columns per text, each text's count above


class _Characters:
    """The texts' characters pooled into classes (the most frequent 255 each on its own, the rest as
    one), and each text's count of each class."""

    def __init__(self, texts: list[str]):
        self.codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        self.owner = np.repeat(np.arange(len(texts)), [len(t) for t in texts])
        chars, inverse, frequency = np.unique(self.codes, return_inverse=True, return_counts=True)
        rank = np.empty(len(chars), dtype=np.int64)
        rank[np.lexsort((chars, -frequency))] = np.arange(len(chars))
        self.classes = np.minimum(rank, CLASSES - 1)[inverse.ravel()]
        self.counts = np.bincount(self.owner * CLASSES + self.classes,
                                  minlength=len(texts) * CLASSES).reshape(len(texts), CLASSES)

    def rarest(self, share: float) -> np.ndarray:
        """The rarest classes holding at most ``share`` of the characters, as a mask of classes."""
        held = self.counts.sum(axis=0)
        by_rarity = np.argsort(held, kind="stable")
        mask = np.zeros(CLASSES, dtype=bool)
        mask[by_rarity[np.cumsum(held[by_rarity]) <= share * held.sum()]] = True
        return mask

    def kept_to(self, mask: np.ndarray) -> np.ndarray:
        """Each text kept to the characters of the classes of ``mask``, in order (an object array)."""
        kept = mask[self.classes]
        ends = np.cumsum(np.bincount(self.owner[kept], minlength=len(self.counts)))[:-1]
        return np.array([piece.tobytes().decode("utf-32-le") for piece in np.split(self.codes[kept], ends)],
                        dtype=object)


def _levels(counts: np.ndarray) -> Levels:
    """The 0/1 matrix of (class, level) per text, and each text's count above the levels."""
    levels = np.minimum(counts.max(axis=0, initial=0), LEVELS)
    columns = np.zeros((len(counts), int(levels.sum())), dtype=np.float32)
    offset = 0
    for cls in np.nonzero(levels)[0].tolist():
        width = int(levels[cls])
        columns[:, offset:offset + width] = np.arange(width)[None, :] < counts[:, cls:cls + 1]
        offset += width
    excess = np.maximum(counts - LEVELS, 0).sum(axis=1).astype(np.float32)
    return columns, excess
