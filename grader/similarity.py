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
from dataclasses import dataclass
from itertools import combinations
from operator import attrgetter

import numpy as np
from rapidfuzz import fuzz, process

from grader.alike import Groups
from grader.hashjoin import alike_hashes
from grader.paper import SIMILARITY
from grader.textjoin import alike_texts

MIN_TEXT_CHARS = 40  # shorter texts (a username, a price) are alike by nature


@dataclass(frozen=True, order=True)
class Pair:
    a: str
    b: str
    label: str  # "U8 reply_02"
    score: int  # percent similarity (100 for identical)
    kind: str  # file, text, image

    def reason_for(self, user: str) -> str:
        other = self.b if user == self.a else self.a
        return f"similar-to {other} ({self.label}, {self.score}%)"


_FIELDS = attrgetter("a", "b", "label", "score", "kind")  # Pair's fields in their order


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
    by_label: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for user in sorted(fingerprints):
        for key, value in sorted(fingerprints[user].items()):
            kind, _, label = key.partition(":")
            by_label[(kind, label)].append((user, value))
    pairs: set[Pair] = set()
    for (kind, label), items in sorted(by_label.items()):
        if kind == "file":
            pairs |= _files(items, label, material_files, limit)
        elif kind == "image":
            pairs |= _images(items, label, image_distance, limit)
        elif kind == "text":
            pairs |= _texts(items, label, materials, text_threshold, workers, limit)
    return sorted(pairs, key=_FIELDS)  # the dataclass's order, compared as plain tuples (faster)


def _pieces(items: Iterable[tuple[str, str]]) -> tuple[list[str], list[list[str]]]:
    """The distinct values, in order, and the candidates who handed in each."""
    holders: dict[str, list[str]] = defaultdict(list)
    for user, value in items:
        holders[value].append(user)
    values = sorted(holders)
    return values, [sorted(set(holders[v])) for v in values]


def _pairs(holders: Sequence[list[str]], alike: Iterable[tuple[int, int, int]], groups: Groups,
           label: str, kind: str) -> set[Pair]:
    """The candidates' pairs of the alike pieces, identical ones at 100, outside common groups."""
    pairs = set()
    for piece, users in enumerate(holders):
        if len(users) > 1 and groups.kept(piece):
            pairs.update(Pair(a, b, label, 100, kind) for a, b in combinations(users, 2))
    for i, j, score in alike:
        if groups.kept(i):
            pairs.update(Pair(a, b, label, score, kind) if a < b else Pair(b, a, label, score, kind)
                         for a in holders[i] for b in holders[j])
    return pairs


def _files(items: list[tuple[str, str]], label: str, skip: set[str], limit: float | None) -> set[Pair]:
    _, holders = _pieces((u, d) for u, d in items if d not in skip)
    return _pairs(holders, [], Groups([len(h) for h in holders], limit), label, "file")


def _texts(items: list[tuple[str, str]], label: str, materials: list[str], threshold: int, workers: int,
           limit: float | None) -> set[Pair]:
    texts, holders = _pieces((u, normalise(t)) for u, t in items if len(t.strip()) >= MIN_TEXT_CHARS)
    own = ~_from_materials(texts, materials, threshold, workers)
    texts = [t for t, keep in zip(texts, own) if keep]
    holders = [h for h, keep in zip(holders, own) if keep]
    groups = Groups([len(h) for h in holders], limit)
    return _pairs(holders, alike_texts(texts, threshold, groups, workers), groups, label, "text")


def _from_materials(texts: list[str], materials: list[str], threshold: int, workers: int) -> np.ndarray:
    """Which texts are at least ``threshold`` alike to a text of the materials."""
    if not texts or not materials:
        return np.zeros(len(texts), dtype=bool)
    if threshold <= 0:
        return np.ones(len(texts), dtype=bool)  # every score reaches it
    scores = process.cdist(texts, materials, scorer=fuzz.ratio, score_cutoff=threshold, workers=workers)
    return (scores > 0).any(axis=1)


def _images(items: list[tuple[str, str]], label: str, max_distance: int, limit: float | None) -> set[Pair]:
    """Hashes within ``max_distance`` bits of each other (hex strings of equal length)."""
    items = [(u, h) for u, h in items if h and re.fullmatch(r"[0-9a-f]+", h)]
    if len(items) < 2:
        return set()
    width = max(len(h) for _, h in items)
    hashes, holders = _pieces((u, h) for u, h in items if len(h) == width)
    groups = Groups([len(h) for h in holders], limit)
    bits = 4 * width
    near = alike_hashes([int(h, 16) for h in hashes], bits, max_distance, groups)
    return _pairs(holders, [(i, j, round(100 * (1 - d / bits))) for i, j, d in near], groups, label, "image")
