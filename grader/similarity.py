"""Similarity between candidates: flags for review, never points.

Each candidate leaves fingerprints: ``file:<path>`` → sha256 of a file read, ``text:<label>``
→ a text it wrote (a listing title, a reply), ``image:<label>`` → a perceptual hash in hex.
Pairs are found without comparing everything with everything naively:

* identical files and images: bucketed by their exact hash;
* near-identical images: Hamming distance between hashes, with numpy over all hashes of a label;
* near-identical texts: ``rapidfuzz.process.cdist`` per label (C++, all cores), with a cutoff so
  most pairs stop early.

What comes from the materials (a file identical to one of the key, a text close to a text of
the key, such as the old title of unit 5 or a template everyone was given) is left out first.
A group of alike work shared by more than ``common_share`` of the class (with at least five
candidates) is taken as common material too: a text half the room hands in is a template
that went round, not one pair's copying.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

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


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _from_materials(text: str, materials: list[str], threshold: int) -> bool:
    if not materials:
        return False
    best = process.extractOne(text, materials, scorer=fuzz.ratio, score_cutoff=threshold)
    return best is not None


def find_similar(fingerprints: Mapping[str, Mapping[str, str]], *, materials_text: Iterable[str] = (),
                 materials_files: Iterable[str] = (), text_threshold: int = 90,
                 image_distance: int = 4, workers: int = 1, common_share: float = 0.5) -> list[Pair]:
    """Every pair of candidates sharing a file, a near-identical text or a near-identical image."""
    class_size = len(fingerprints)
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
            found = _exact(items, label, "file", skip=material_files)
        elif kind == "image":
            found = _images(items, label, image_distance)
        elif kind == "text":
            items = [(u, normalise(t)) for u, t in items if len(t.strip()) >= MIN_TEXT_CHARS]
            items = [(u, t) for u, t in items if not _from_materials(t, materials, text_threshold)]
            found = _texts(items, label, text_threshold, workers)
        else:
            continue
        pairs |= _without_common(found, class_size, common_share)
    return sorted(pairs)


def _without_common(pairs: set[Pair], class_size: int, share: float) -> set[Pair]:
    """Drop groups of alike work (connected pairs) larger than ``share`` of the class."""
    if class_size < 5 or not pairs:
        return pairs
    parent: dict[str, str] = {}

    def root(user: str) -> str:
        while parent.setdefault(user, user) != user:
            parent[user] = parent[parent[user]]
            user = parent[user]
        return user

    for pair in pairs:
        parent[root(pair.a)] = root(pair.b)
    sizes: dict[str, int] = defaultdict(int)
    for user in list(parent):
        sizes[root(user)] += 1
    return {p for p in pairs if sizes[root(p.a)] <= share * class_size}


def _exact(items: list[tuple[str, str]], label: str, kind: str, skip: set[str] = frozenset()) -> set[Pair]:
    buckets: dict[str, list[str]] = defaultdict(list)
    for user, digest in items:
        if digest not in skip:
            buckets[digest].append(user)
    pairs = set()
    for users in buckets.values():
        users = sorted(set(users))
        for i, a in enumerate(users):
            for b in users[i + 1:]:
                pairs.add(Pair(a, b, label, 100, kind))
    return pairs


def _texts(items: list[tuple[str, str]], label: str, threshold: int, workers: int) -> set[Pair]:
    if len(items) < 2:
        return set()
    users = [u for u, _ in items]
    texts = [t for _, t in items]
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=threshold, dtype=np.uint8,
                           workers=workers)
    rows, cols = np.nonzero(np.triu(scores, k=1))
    pairs = set()
    for i, j in zip(rows.tolist(), cols.tolist()):
        if users[i] != users[j]:
            a, b = sorted((users[i], users[j]))
            pairs.add(Pair(a, b, label, int(scores[i, j]), "text"))
    return pairs


def _images(items: list[tuple[str, str]], label: str, max_distance: int) -> set[Pair]:
    """Hashes within ``max_distance`` bits of each other (hex strings of equal length)."""
    items = [(u, h) for u, h in items if h and re.fullmatch(r"[0-9a-f]+", h)]
    if len(items) < 2:
        return set()
    width = max(len(h) for _, h in items)
    items = [(u, h) for u, h in items if len(h) == width]
    bits = np.array([np.unpackbits(np.frombuffer(bytes.fromhex(h), dtype=np.uint8)) for _, h in items])
    users = [u for u, _ in items]
    pairs = set()
    for i in range(len(items) - 1):
        distances = np.count_nonzero(bits[i + 1:] != bits[i], axis=1)
        for offset in np.nonzero(distances <= max_distance)[0].tolist():
            j = i + 1 + offset
            if users[i] != users[j]:
                a, b = sorted((users[i], users[j]))
                score = round(100 * (1 - int(distances[offset]) / bits.shape[1]))
                pairs.add(Pair(a, b, label, score, "image"))
    return pairs
