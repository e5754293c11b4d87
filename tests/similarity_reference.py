"""The all-pairs similarity method the grader used before the pair filters: every pair of texts
scored by ``rapidfuzz.process.cdist``, every pair of image hashes measured, the common groups cut
from the full list of pairs. Kept as the reference the filtered method must agree with."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
from rapidfuzz import fuzz, process

from grader.similarity import MIN_TEXT_CHARS, Pair, normalise


def find_similar_all_pairs(fingerprints: Mapping[str, Mapping[str, str]], *, materials_text: Iterable[str] = (),
                           materials_files: Iterable[str] = (), text_threshold: int = 90,
                           image_distance: int = 4, workers: int = 1, common_share: float = 0.5) -> list[Pair]:
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


def _from_materials(text: str, materials: list[str], threshold: int) -> bool:
    if not materials:
        return False
    return process.extractOne(text, materials, scorer=fuzz.ratio, score_cutoff=threshold) is not None


def _without_common(pairs: set[Pair], class_size: int, share: float) -> set[Pair]:
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
