"""Pairs of texts at least ``threshold`` alike by ``rapidfuzz.fuzz.ratio``, without scoring every pair.

The score is the paper's (convention 15): ``fuzz.ratio(a, b) = 100 * (1 - d / S)``, with ``S = m + n``
the two lengths and ``d = S - 2 * LCS(a, b)`` the Indel distance (insertions and deletions). So

    ratio >= t   <=>   d <= D(S) = floor(S * (100 - t) / 100)   <=>   LCS(a, b) >= (S - D(S)) / 2.

Upper bounds on the LCS give necessary conditions; a pair failing any of them cannot reach ``t``:

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
  order: this bound keeps about one in ten, and ``a_R`` is a quarter of ``a``, so its LCS costs a
  tenth of the score. It is taken on the pairs the first two leave; the same bound with the wider
  set holding ``WIDE_SHARE`` of the characters (a third of the score's cost) is taken on the pairs
  it leaves, and keeps about one in fifteen of those.

Every pair passing them all is scored by rapidfuzz with the same scorer, cutoff and integer result as
the all-pairs method, and that score alone decides. The bounds are taken for a threshold a millionth
lower than ``t``, so that rounding in the scorer's floating point can never accept a pair the bounds
turned away: the bounds are lossless, the scores are the scorer's own.

Why no q-gram prefix filter with an inverted index: at ``t = 90`` a partner may hold an extra
character every 4.5 characters (``d`` up to 2/9 of the shorter text), which breaks every q-gram with
``q >= 5``; a lossless prefix of trigrams must then hold about half of a text's trigrams, and texts
written on one subject share those with nearly all others (measured on the bench's texts: 99.6 to
100% of pairs kept), so the index costs more than it saves. Pivots fare no better (64 texts as
pivots, the triangle inequality on the Indel distance, keep half the pairs of long replies). So the
bounds are taken for every pair of the length band: their time grows with the square of the
number of texts, and for long texts (the rare characters' LCS of some 190 characters, about 0.15
microseconds a pair) that is most of the stage.

**Long texts: candidates from sketches.** When a label holds at least ``SKETCH_TEXTS`` texts of
``LONG_TEXT`` characters or more, a pair of two such texts is a candidate only if their MinHash
sketches meet; candidates then go through the rare and wide sets' bounds and the score, as above,
so a pair is never flagged that the scorer does not put at the threshold, but a pair can be missed.
The sketch of a text is over its ``SHINGLE``-character substrings (shingles): ``BANDS * ROWS``
bins, each holding the least hash of the shingles falling in it (one permutation hashing, repeated
with ``REPEATS`` fixed seeds; an empty bin takes the next one's value, marked by the distance). Two
texts agree on a bin with a probability near the Jaccard similarity ``J`` of their shingle sets, and
are candidates when they agree on all ``ROWS`` bins of one of the ``BANDS`` bands: probability
``1 - (1 - J**4)**96``, which misses a pair at ``J = 0.5`` once in 500, at 0.6 once in 600,000, at
0.7 once in 10**11, and takes a pair at ``J = 0.2`` once in 7 and at 0.1 once in 100. Seeds and
arithmetic are fixed (64-bit, wrapping), so the candidates are the same on every run and machine.

A copy with words changed here and there keeps most of its shingles: the bench's 1,056 copied long
texts at 2,000 candidates are at ``J`` 0.63 or more (one in 10**7 missed at 0.63), and none is missed.
What can be missed is a pair at ratio 90 whose shingles mostly differ: a text edited every few characters (one character in ten replaced gives ratio 90 and
no shingle in common: a test shows it missed), or two texts written independently from one template
that happen to reach 90 with a changed word every sentence (``J`` 0.3 to 0.5; on the bench, 8 of
791,535 pairs at 8,000 candidates, all at 90 or 91, none a copy). Shorter texts are left to the
bounds: their pairs at 90 differ by a few words in a hundred characters, which leaves too few
shingles in common to tell them from texts that merely share a subject.
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
SIMD_WIDTH = 64  # rare texts this short are compared whole by the block (cdist compares several at once)
BLOCK_CELLS = 4_000_000  # rows of a block x texts it meets, bounding the block's memory
RARE_SHARE = 0.25  # the rare characters hold at most this share of a label's characters
WIDE_SHARE = 0.6  # the wide set, taken on the pairs the rare set leaves, at most this share
LONG_TEXT = 300  # texts this long or longer are paired by their sketches, when there are SKETCH_TEXTS
SKETCH_TEXTS = 500
SHINGLE = 12  # characters per shingle
BINS, REPEATS = 96, 4  # the signature: REPEATS hashings of each shingle, each into BINS bins
ROWS = 4  # the bins cut into bands of ROWS: a pair is a candidate if one band is equal
BANDS = BINS * REPEATS // ROWS
_SEEDS = (0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89, 0x452821E638D01377,
          0xBE5466CF34E90C6C)
EMPTY = np.uint64(0xFFFFFFFF)  # an empty bin (bins keep the hash's low 32 bits)
_BAND_WEIGHTS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                          0x85EBCA77C2B2AE63, 0xFF51AFD7ED558CCD][:ROWS], dtype=np.uint64)
LARGE_BUCKET = 256  # a bucket this large is taken from its first text (common material)
PAIR_CHUNK = 1_000_000  # candidate pairs confirmed at once


def alike_texts(texts: Sequence[str], threshold: float, groups: Groups, workers: int = 1,
                sketch_from: int = SKETCH_TEXTS) -> np.ndarray:
    """Every pair ``(i, j, score)`` (a row of the array, in order), ``i < j`` indices of ``texts`` (distinct, normalised), whose
    ``fuzz.ratio`` is at least ``threshold``, except pairs already inside one common group of
    ``groups``. Alike pairs are joined in ``groups`` as they are found.

    When at least ``sketch_from`` texts are ``LONG_TEXT`` characters or longer, the pairs of two such
    texts are the sketches' candidates (see the module's text for what that can miss); every other
    pair goes through the lossless bounds."""
    if len(texts) < 2 or threshold > 100:
        return np.zeros((0, 3), dtype=np.int64)
    join = _Join(texts, threshold, groups, workers)
    count = len(texts)
    first_long = int(np.searchsorted(join.lengths, LONG_TEXT, side="left"))
    sketched = count - first_long >= max(2, sketch_from)
    exact_rows = first_long if sketched else count - 1
    rows_per_block = max(16, min(512, BLOCK_CELLS // count))
    for start in range(0, exact_rows, rows_per_block):
        join.block(start, min(start + rows_per_block, exact_rows))
    if sketched:
        signatures = _signatures(join.ordered[first_long:])
        for a, b in _band_pairs(signatures, join, first_long):
            join.confirm(a, b)
    return join.pairs()


class _Join:
    """A label's texts sorted by length, with what the bounds need, and the pairs found so far."""

    def __init__(self, texts: Sequence[str], threshold: float, groups: Groups, workers: int):
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i]))
        self.ordered = [texts[i] for i in order]
        self.strings = np.array(self.ordered, dtype=object)
        self.back = np.array(order)
        self.lengths = np.array([len(t) for t in self.ordered], dtype=np.int64)
        self.threshold, self.groups, self.workers = threshold, groups, workers
        bound = Fraction(threshold) - SLACK
        self.last = np.searchsorted(self.lengths, _longest_partner(self.lengths, bound), side="right")
        self.need = _least_common(int(2 * self.lengths[-1]), bound)
        characters = _Characters(self.ordered)
        rare_class, wide_class = characters.rarest(RARE_SHARE), characters.rarest(WIDE_SHARE)
        self.rare_columns, self.rare_excess = _levels(characters.counts[:, rare_class])
        self.columns, self.excess = _levels(characters.counts[:, ~rare_class])
        self.rare, self.wide = characters.kept_to(rare_class), characters.kept_to(wide_class)
        self.rare_width = np.array([len(t) for t in self.rare], dtype=np.int64)
        self.not_rare = characters.counts[:, ~rare_class]  # bounded by their counts beside the rare set
        self.frequent = characters.counts[:, ~wide_class]  # bounded by their counts beside the wide set
        self.found: list[np.ndarray] = []  # rows (i, j, score), i < j, maybe found twice

    def block(self, start: int, stop: int) -> None:
        """The pairs of rows ``start:stop`` with every longer text in their length band, each bound
        taken on the whole block at once."""
        end = int(self.last[start:stop].max())
        if end <= start + 1:
            return
        rows, cols = np.arange(start, stop), np.arange(start + 1, end)
        valid = (cols[None, :] > rows[:, None]) & (cols[None, :] < self.last[rows][:, None])
        entries = int(valid.sum())
        if not entries:
            return
        others = self.columns[start:stop] @ self.columns[start + 1:end].T  # common characters outside R, bounded
        if self.excess[start:end].any():  # counts above the levels (long texts only)
            others += np.minimum(self.excess[start:stop, None], self.excess[None, start + 1:end])
        common = self.rare_columns[start:stop] @ self.rare_columns[start + 1:end].T
        if self.rare_excess[start:end].any():
            common += np.minimum(self.rare_excess[start:stop, None], self.rare_excess[None, start + 1:end])
        common += others
        sums = self.lengths[rows][:, None] + self.lengths[cols][None, :]
        passing = valid & (common >= self.need[sums]) & ~self.groups.settled(self.back[rows][:, None],
                                                                             self.back[cols][None, :])
        left = int(passing.sum())
        if not left:
            return
        r, c = np.nonzero(passing)
        if left < DENSE * entries and self.rare_width[start:end].max() > SIMD_WIDTH:
            self.confirm(start + r, start + 1 + c, others[r, c])
            return
        in_order = process.cdist(self.rare[start:stop].tolist(), self.rare[start + 1:end].tolist(),
                                 scorer=LCSseq.similarity, dtype=np.int32, workers=self.workers)[r, c]
        kept = np.nonzero(in_order + others[r, c] >= self.need[sums[r, c]])[0]
        self._score(start + r[kept], start + 1 + c[kept])

    def confirm(self, a: np.ndarray, b: np.ndarray, others: np.ndarray | None = None) -> None:
        """Pairs ``a[k] < b[k]`` (sorted indices) through the rare and wide sets' bounds, then scored;
        ``others``, the count bound outside the rare set when the caller has it."""
        if others is None:
            keep = (b < self.last[a]) & ~self.groups.settled(self.back[a], self.back[b])
            a, b = a[keep], b[keep]
            others = np.minimum(self.not_rare[a], self.not_rare[b]).sum(axis=1)
        if not len(a):
            return
        in_order = process.cpdist(self.rare[a].tolist(), self.rare[b].tolist(), scorer=LCSseq.similarity,
                                  dtype=np.int32, workers=self.workers)
        kept = np.nonzero(in_order + others >= self.need[self.lengths[a] + self.lengths[b]])[0]
        self._score(a[kept], b[kept])

    def _score(self, a: np.ndarray, b: np.ndarray) -> None:
        if not len(a):
            return
        # the wide set's characters in order, the few most frequent ones by their counts
        in_order = process.cpdist(self.wide[a].tolist(), self.wide[b].tolist(), scorer=LCSseq.similarity,
                                  dtype=np.int32, workers=self.workers)
        frequent = np.minimum(self.frequent[a], self.frequent[b]).sum(axis=1)
        kept = np.nonzero(in_order + frequent >= self.need[self.lengths[a] + self.lengths[b]])[0]
        a, b = a[kept], b[kept]
        if not len(a):
            return
        scores = process.cpdist(self.strings[a].tolist(), self.strings[b].tolist(), scorer=fuzz.ratio,
                                score_cutoff=self.threshold, dtype=np.uint8, workers=self.workers)
        hit = np.nonzero(scores)[0]
        a, b = self.back[a[hit]], self.back[b[hit]]
        self.groups.join_all(a, b)
        self.found.append(np.column_stack((np.minimum(a, b), np.maximum(a, b), scores[hit])).astype(np.int64))

    def pairs(self) -> np.ndarray:
        """The pairs found, each once, in order."""
        rows = np.concatenate([np.zeros((0, 3), dtype=np.int64), *self.found])
        if not len(rows):
            return rows
        rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
        return rows[np.concatenate(([True], (rows[1:, :2] != rows[:-1, :2]).any(axis=1)))]


def _signatures(texts: list[str]) -> np.ndarray:
    """Each text's MinHash signature over its ``SHINGLE``-character shingles: ``REPEATS`` times, with
    its own seed, one hash per shingle whose high bits choose one of ``BINS`` bins, each bin keeping
    the least low bits it receives (one permutation hashing); an empty bin takes the next bin's value
    that is not, marked by the distance (rotation densification)."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    sizes = np.array([len(t) for t in texts], dtype=np.int64)
    width = len(codes) - SHINGLE + 1
    hashes = codes[:width].copy()
    for k in range(1, SHINGLE):
        hashes = hashes * np.uint64(0x100000001B3) + codes[k:k + width]
    whole = np.ones(width, dtype=bool)  # the shingle starting here ends in its own text
    across = (np.cumsum(sizes)[:, None] - np.arange(1, SHINGLE)[None, :]).ravel()
    whole[across[across < width]] = False
    hashes = hashes[whole]
    where = np.repeat(np.arange(len(texts)) * BINS, sizes)[:width][whole]
    signatures = np.empty((len(texts), REPEATS * BINS), dtype=np.uint64)
    for repeat in range(REPEATS):
        mixed = _mix(hashes ^ np.uint64(_SEEDS[repeat]))
        bins = np.full(len(texts) * BINS, EMPTY, dtype=np.uint64)
        np.minimum.at(bins, where + ((mixed >> np.uint64(32)) * np.uint64(BINS) >> np.uint64(32)).astype(np.int64),
                      mixed & np.uint64(0xFFFFFFFF))
        bins = bins.reshape(len(texts), BINS)
        empty = bins == EMPTY
        filled = bins.copy()
        for shift in range(1, BINS):
            if not empty.any():
                break
            source = np.roll(bins, -shift, axis=1)
            take = empty & (source != EMPTY)
            filled[take] = source[take] + np.uint64(shift << 32)
            empty &= ~take
        signatures[:, repeat * BINS:(repeat + 1) * BINS] = filled
    return signatures


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _band_pairs(signatures: np.ndarray, join: _Join, offset: int):
    """The pairs ``(a, b)`` (sorted indices, ``a < b``) of texts equal on at least one band of
    ``ROWS`` bins, each pair once. A large bucket's texts are first scored against its first text,
    so that a template most of the class hands in joins one common group, whose pairs are then left
    out without being listed."""
    count = len(signatures)
    keys, large = [], []
    for band in range(BANDS):
        key = _mix(signatures[:, band * ROWS:(band + 1) * ROWS] @ _BAND_WEIGHTS)
        order = np.argsort(key, kind="stable")
        key = key[order]
        cuts = np.nonzero(key[1:] != key[:-1])[0] + 1
        run_start, run_end = np.concatenate(([0], cuts)), np.concatenate((cuts, [count]))
        small = run_end - run_start <= LARGE_BUCKET
        large += [np.sort(order[i:j]) + offset for i, j in zip(run_start[~small].tolist(), run_end[~small].tolist())]
        pos_end = np.repeat(np.where(small, run_end, 0), run_end - run_start)  # a large run's texts: no partner here
        partners = np.maximum(pos_end - np.arange(count) - 1, 0)
        first = np.repeat(np.arange(count), partners)
        second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
        one, other = order[first], order[second]
        keys.append(np.minimum(one, other) * count + np.maximum(one, other))
    large = list({members.tobytes(): members for members in large}.values())  # a bucket in several bands once
    for members in large:
        yield members[:1].repeat(len(members) - 1), members[1:]
    for members in large:
        yield from _large_bucket(members, join)
    pairs = np.sort(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    for chunk in range(0, len(pairs), PAIR_CHUNK):
        part = pairs[chunk:chunk + PAIR_CHUNK]
        yield part // count + offset, part % count + offset


def _large_bucket(members: np.ndarray, join: _Join):
    """The pairs of a large bucket's texts (sorted indices) but those inside one common group: pairs
    with a text outside every common group, and pairs across two common groups."""
    groups = join.groups
    label = groups.label[join.back[members]]
    common = groups.weight[label] > groups.limit if groups.limit is not None else np.zeros(len(members), bool)
    free = members[~common]
    for lead in range(0, len(free), 64):
        rows = free[lead:lead + 64]
        r, c = np.nonzero((members[None, :] > rows[:, None]) | common[None, :])  # a free pair once
        yield np.minimum(rows[r], members[c]), np.maximum(rows[r], members[c])
    held, held_label = members[common], label[common]
    if len(np.unique(held_label)) > 1:
        for lead in range(0, len(held), 64):
            rows, row_label = held[lead:lead + 64], held_label[lead:lead + 64]
            r, c = np.nonzero((held[None, :] > rows[:, None]) & (held_label[None, :] != row_label[:, None]))
            yield rows[r], held[c]


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
