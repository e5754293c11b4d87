"""Similarity between candidates: flags for review, never points.

Each candidate leaves fingerprints: ``file:<path>`` → sha256 of a file read, ``text:<label>``
→ a text it wrote (a listing title, a reply), ``image:<label>`` → a perceptual hash in hex.
Work is compared label by label; identical work is taken once, with every candidate who handed
it in, and pairs are found without scoring every pair where a bound allows it:

* identical files: bucketed by their hash;
* near-identical images: multi-index hashing (``grader.hashjoin``), exact for the distance;
* near-identical texts: ``rapidfuzz.fuzz.ratio`` on the pairs that length and character counts
  leave possible (``grader.textjoin``, where the bounds are derived), exact for the threshold;
  among many long texts (replies, descriptions), only on the pairs whose MinHash sketches meet,
  which finds copies but can miss a pair whose every few characters were edited (the text of
  ``grader.textjoin`` says what, and how often).

What comes from the materials (a file identical to one of the key, a text close to a text of
the key, such as the old title of unit 5 or a template everyone was given) is left out first.
A group of alike work shared by more than ``common_share`` of the class (with at least five
candidates) is taken as common material too: a text half the room hands in is a template
that went round, not one pair's copying. Such a group is found without listing its pairs
(``grader.alike``).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from grader.alike import Groups
from grader.hashjoin import alike_hashes
from grader.paper import SIMILARITY
from grader.textjoin import alike_texts

MIN_TEXT_CHARS = 40  # shorter texts (a username, a price) are alike by nature
CHUNK = 1_000_000  # pairs made Python objects at once


class Pair(NamedTuple):
    """Two candidates (``a < b``) and the work they share; ordered and compared as the tuple of its
    fields (a tuple is the cheapest object for a class's million pairs)."""

    a: str
    b: str
    label: str  # "U8 reply_02"
    score: int  # percent similarity (100 for identical)
    kind: str  # file, text, image

    def reason_for(self, user: str) -> str:
        other = self.b if user == self.a else self.a
        return f"similar-to {other} ({self.label}, {self.score}%)"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def find_similar(fingerprints: Mapping[str, Mapping[str, str]], *, materials_text: Iterable[str] = (),
                 materials_files: Iterable[str] = (), text_threshold: int = SIMILARITY["text_threshold"],
                 image_distance: int = SIMILARITY["image_distance"], workers: int = 1,
                 common_share: float = SIMILARITY["common_share"]) -> list[Pair]:
    """Every pair of candidates sharing a file, a near-identical text or a near-identical image."""
    class_size = len(fingerprints)
    limit = common_share * class_size if class_size >= 5 else None
    materials = [normalise(t) for t in materials_text if len(t) >= MIN_TEXT_CHARS]
    material_files = set(materials_files)
    users = sorted(fingerprints)
    by_label: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for number, user in enumerate(users):
        for key, value in fingerprints[user].items():
            kind, _, label = key.partition(":")
            by_label[(kind, label)].append((number, value))
    found: list[tuple[str, str, np.ndarray]] = []  # (label, kind, pairs of candidates' numbers with scores)
    for (kind, label), items in sorted(by_label.items()):
        if kind == "file":
            found.append((label, kind, _files(items, material_files, limit)))
        elif kind == "image":
            found.append((label, kind, _images(items, image_distance, limit)))
        elif kind == "text":
            found.append((label, kind, _texts(items, materials, text_threshold, workers, limit)))
    return _in_order(users, found)


def _in_order(users: list[str], found: list[tuple[str, str, np.ndarray]]) -> list[Pair]:
    """The pairs sorted as ``Pair`` orders them (``users`` is sorted, so numbers order as names do),
    each once; built as arrays, so that a class's million pairs cost no Python sort."""
    found = [(label, kind, rows) for label, kind, rows in found if len(rows)]
    if not found:
        return []
    label_rank = {label: rank for rank, label in enumerate(sorted({label for label, _, _ in found}))}
    kind_rank = {kind: rank for rank, kind in enumerate(sorted({kind for _, kind, _ in found}))}
    part = np.concatenate([np.repeat(np.array([[label_rank[label], kind_rank[kind]]], dtype=np.int32), len(rows), 0)
                           for label, kind, rows in found])
    rows = np.concatenate([rows for _, _, rows in found]).astype(np.int32)
    table = np.column_stack((rows[:, 0], rows[:, 1], part[:, 0], rows[:, 2], part[:, 1]))
    del rows, part
    table = table[np.lexsort(table.T[::-1])]
    table = table[np.concatenate(([True], (table[1:] != table[:-1]).any(axis=1)))]
    labels = sorted(label_rank, key=label_rank.__getitem__)
    kinds = sorted(kind_rank, key=kind_rank.__getitem__)
    pairs = []
    for start in range(0, len(table), CHUNK):  # a chunk at a time: a row as Python ints costs ten times more
        pairs += [Pair(users[a], users[b], labels[label], score, kinds[kind])
                  for a, b, label, score, kind in table[start:start + CHUNK].tolist()]
    return pairs


def _pieces(items: Iterable[tuple[int, str]]) -> tuple[list[str], list[np.ndarray]]:
    """The distinct values, in order, and the candidates (by number, ascending) who handed in each.
    ``items`` come in the candidates' order, one value per candidate."""
    items = list(items)
    if not items:
        return [], []
    values = sorted({value for _, value in items})
    index = {value: piece for piece, value in enumerate(values)}
    piece = np.array([index[value] for _, value in items], dtype=np.int64)
    users = np.array([user for user, _ in items], dtype=np.int64)[np.argsort(piece, kind="stable")]
    return values, np.split(users, np.cumsum(np.bincount(piece, minlength=len(values)))[:-1])


_NO_PAIRS = np.zeros((0, 3), dtype=np.int64)


def _pairs(holders: Sequence[np.ndarray], alike: np.ndarray | Iterable[tuple[int, int, int]], groups: Groups) -> np.ndarray:
    """The candidates' pairs ``(a, b, score)``, ``a < b``, of the alike pieces, identical ones at
    100, outside common groups."""
    blocks = [_NO_PAIRS]
    sizes = np.array([len(users) for users in holders], dtype=np.int64)
    for piece in np.nonzero(sizes > 1)[0].tolist():
        users = holders[piece]
        if groups.kept(piece):
            first, second = np.triu_indices(len(users), 1)
            blocks.append(np.column_stack((users[first], users[second], np.full(len(first), 100))))
    alike = np.asarray(alike if isinstance(alike, np.ndarray) else list(alike), dtype=np.int64).reshape(-1, 3)
    if groups.limit is not None:
        alike = alike[groups.weight[groups.label[alike[:, 0]]] <= groups.limit]
    if len(alike):
        # every holder of one piece with every holder of the other (pieces' holders are disjoint)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        flat = np.concatenate(holders)
        one, other = sizes[alike[:, 0]], sizes[alike[:, 1]]
        count = one * other
        pair = np.repeat(np.arange(len(alike)), count)
        step = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        a = flat[starts[alike[pair, 0]] + step // other[pair]]
        b = flat[starts[alike[pair, 1]] + step % other[pair]]
        blocks.append(np.column_stack((np.minimum(a, b), np.maximum(a, b), alike[pair, 2])))
    return np.concatenate(blocks).astype(np.int64)


def _files(items: list[tuple[int, str]], skip: set[str], limit: float | None) -> np.ndarray:
    _, holders = _pieces((u, d) for u, d in items if d not in skip)
    return _pairs(holders, [], Groups([len(h) for h in holders], limit))


def _texts(items: list[tuple[int, str]], materials: list[str], threshold: int, workers: int,
           limit: float | None) -> np.ndarray:
    texts, holders = _pieces((u, normalise(t)) for u, t in items if len(t.strip()) >= MIN_TEXT_CHARS)
    own = ~_from_materials(texts, materials, threshold, workers)
    texts = [t for t, keep in zip(texts, own) if keep]
    holders = [h for h, keep in zip(holders, own) if keep]
    groups = Groups([len(h) for h in holders], limit)
    return _pairs(holders, alike_texts(texts, threshold, groups, workers), groups)


def _from_materials(texts: list[str], materials: list[str], threshold: int, workers: int) -> np.ndarray:
    """Which texts are at least ``threshold`` alike to a text of the materials."""
    if not texts or not materials:
        return np.zeros(len(texts), dtype=bool)
    if threshold <= 0:
        return np.ones(len(texts), dtype=bool)  # every score reaches it
    scores = process.cdist(texts, materials, scorer=fuzz.ratio, score_cutoff=threshold, workers=workers)
    return (scores > 0).any(axis=1)


def _images(items: list[tuple[int, str]], max_distance: int, limit: float | None) -> np.ndarray:
    """Hashes within ``max_distance`` bits of each other (hex strings of equal length)."""
    items = [(u, h) for u, h in items if h and re.fullmatch(r"[0-9a-f]+", h)]
    if len(items) < 2:
        return _NO_PAIRS
    width = max(len(h) for _, h in items)
    hashes, holders = _pieces((u, h) for u, h in items if len(h) == width)
    groups = Groups([len(h) for h in holders], limit)
    bits = 4 * width
    near = alike_hashes([int(h, 16) for h in hashes], bits, max_distance, groups)
    return _pairs(holders, [(i, j, round(100 * (1 - d / bits))) for i, j, d in near], groups)
