"""A class's similarity fingerprints made like real ones, for the similarity stage alone.

Every candidate writes each text from the same model (``templates``: one candidate's
fingerprints) with its own variation: a share of its words swapped for others of the subject,
dropped, or followed by a few more, numbers changed, neighbouring sentences swapped. Most pairs
so share much wording without being copies. Images are the model's hashes with some bits of
each candidate's own; files are the candidate's own. A share of the candidates (``copy_share``)
hand in another candidate's work with a few words or bits changed, and for the labels of
``common`` that share of the class hands in the model barely changed (a template that went round).

>>> prints = class_fingerprints({"text:U8 reply_01": "Dear Ms. Carter, your parcel left today.",
...                              "image:U4 MAIN": "ff00"}, 3, seed=1)
>>> sorted(prints), sorted(prints["ks00001"])
(['ks00001', 'ks00002', 'ks00003'], ['image:U4 MAIN', 'text:U8 reply_01'])
"""
from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping

from grader.text import HAN

SUBJECT = [
    "really", "also", "very", "simply", "easily", "great", "perfect", "ideal", "quick", "fast", "strong",
    "durable", "light", "premium", "quality", "everyday", "daily", "outdoor", "indoor", "office", "school",
    "kids", "adults", "hot", "cold", "warm", "fresh", "clean", "safe", "healthy", "eco", "friendly",
    "reusable", "portable", "compact", "large", "small", "big", "extra", "new", "our", "your", "this",
    "that", "these", "those", "every", "each", "all", "any", "some", "more", "most", "best", "better",
    "good", "nice", "soon", "today", "tomorrow", "week", "days", "hours", "minutes", "please", "kindly",
    "thanks", "thank", "sorry", "apologise", "apologize", "happy", "glad", "help", "team", "order",
    "parcel", "item", "product", "package", "bottle", "flask", "mug", "lid", "cap", "cup", "straw",
    "handle", "colour", "color", "size", "shipping", "delivery", "refund", "return", "exchange", "replace",
    "resend", "label", "courier", "carrier", "warehouse", "stock", "customer", "buyer", "friend", "you",
    "we", "they", "it", "is", "are", "was", "were", "will", "can", "could", "would", "should", "may",
    "might",
]
HAN_WORDS = [
    "保温杯", "不锈钢", "水杯", "真空", "保温瓶", "大容量", "运动", "水壶", "户外", "便携", "上新", "办公室", "学生", "儿童", "防漏", "轻便",
    "礼物", "新款",
]


def class_fingerprints(templates: Mapping[str, str], candidates: int, *, seed: int = 2026,
                       copy_share: float = 0.05, common: Mapping[str, float] | None = None,
                       copies: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """``candidates`` candidates' fingerprints (``ks00001``…) varied from ``templates``; ``copies``,
    when given, receives each copying candidate and the one whose work it took (maybe itself)."""
    rng = random.Random(seed)
    words = sorted({w.lower() for k, t in templates.items() if k.startswith("text:")
                    for w in re.findall(r"[A-Za-z]+", t)} | set(SUBJECT))
    users = [f"ks{n:05d}" for n in range(1, candidates + 1)]
    prints = {}
    for user in users:
        share = rng.uniform(0.2, 0.6)
        prints[user] = {key: _varied(key, value, rng, share, words, user) for key, value in templates.items()}
    for key, share in (common or {}).items():
        for user in users:
            if rng.random() < share:
                prints[user][key] = _varied(key, templates[key], rng, rng.uniform(0, 0.02), words, user)
    for user in users:
        if rng.random() < copy_share:
            taken = rng.choice(users)
            if copies is not None:
                copies[user] = taken
            source = prints[taken]
            prints[user] = {key: value if key.startswith("file:") and rng.random() < 0.5
                            else _varied(key, value, rng, rng.uniform(0, 0.04), words, user)
                            for key, value in source.items()}
    return prints


def _varied(key: str, value: str, rng: random.Random, share: float, words: list[str], user: str) -> str:
    kind = key.partition(":")[0]
    if kind == "text":
        return _han_varied(value, rng, share) if HAN.search(value) else \
            _text_varied(value, rng, share, words)
    if kind == "image":
        bits = 4 * len(value)
        flips = round(share * bits / 8)  # the picture's own edits: a 5th to a 13th of 256 bits
        number = int(value, 16)
        for bit in rng.sample(range(bits), min(bits, flips)):
            number ^= 1 << bit
        return f"{number:0{len(value)}x}"
    return hashlib.sha256(f"{user} {key} {rng.random()}".encode()).hexdigest()


def _text_varied(text: str, rng: random.Random, share: float, words: list[str]) -> str:
    out = []
    for token in re.findall(r"\w+|[^\w\s]|\s+", text):
        if token.isdigit() and rng.random() < share:
            out.append(str(int(token) + rng.choice([-2, -1, 1, 2, 10, 100])))
            continue
        if not re.fullmatch(r"[A-Za-z]+", token):
            out.append(token)
            continue
        draw = rng.random()
        if draw < share * 0.5:
            out.append(rng.choice(words))
        elif draw >= share * 0.65:
            out.append(token)
        if rng.random() < share * 0.2:
            out.append(" " + " ".join(rng.choice(words) for _ in range(rng.randint(1, 3))))
    parts = re.split(r"(?<=[.;,!?])\s+", "".join(out))
    if len(parts) > 2 and rng.random() < share:
        i = rng.randrange(len(parts) - 1)
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    return " ".join(parts)


def _han_varied(text: str, rng: random.Random, share: float) -> str:
    tokens = text.split()
    tokens = [rng.choice(HAN_WORDS) if rng.random() < share * 0.5 else t for t in tokens
              if rng.random() >= share * 0.15]
    if len(tokens) > 2 and rng.random() < share:
        i = rng.randrange(len(tokens) - 1)
        tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
    return " ".join(tokens)
