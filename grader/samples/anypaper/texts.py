"""Texts a careful candidate would write, composed from a paper's keywords, facts and phrases.

Nothing here knows a product: a title is the brand and library keywords, title-cased, within the
criterion's length and repeat limits; bullets and descriptions state the key's facts; replies and
templates hold the first phrase of every element the key lists. The texts are plain so that the
demo shows the rules at work, not prose.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
# neutral words to lengthen a text: none is a keyword, a banned word or an element phrase
FILLER_TEXT = ("Every piece is checked by hand before it is packed and leaves our warehouse in a sturdy box "
               "so that it reaches you clean and ready for daily use at home or on the move")
FILLER = FILLER_TEXT.split()


def words(text: str) -> list[str]:
    return WORD.findall(text)


def lower_words(text: str) -> list[str]:
    return [w.lower() for w in words(text)]


def contains_phrase(text: str, phrase: str) -> bool:
    """``phrase`` as whole contiguous words of ``text`` (case and hyphens aside)."""
    hay, needle = lower_words(text.replace("-", " ")), lower_words(phrase.replace("-", " "))
    return bool(needle) and any(hay[i:i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1))


def holds_any(text: str, phrases: Iterable[str]) -> bool:
    return any(contains_phrase(text, p) for p in phrases)


def title_case(phrase: str) -> str:
    return " ".join(w[:1].upper() + w[1:] if w[:1].isalpha() else w for w in phrase.split())


def compose_title(brand: str, keywords: list[str], *, required: list[str] = (), min_keywords: int = 0,
                  min_length: int = 0, max_length: int = 200, max_repeats: int = 2,
                  exempt: Iterable[str] = (), banned: Iterable[str] = (), avoid: Iterable[str] = (),
                  padding: Iterable[str] = ()) -> str:
    """The brand, then the ``required`` keywords, then others in library order, joined by commas:
    no word more than ``max_repeats`` times, nothing ``banned`` or holding an ``avoid`` phrase;
    lengthened with ``padding`` phrases up to ``min_length``."""
    exempt, banned, avoid = {e.lower() for e in exempt}, list(banned), list(avoid)
    counts: Counter[str] = Counter(w for w in lower_words(brand))
    parts: list[str] = []
    chosen = 0

    def fits(phrase: str) -> bool:
        if holds_any(phrase, banned) or holds_any(phrase, avoid):
            return False
        extra = Counter(w for w in lower_words(phrase) if w not in exempt)
        if any(counts[w] + n > max_repeats for w, n in extra.items()):
            return False
        return len(", ".join([brand + " " + parts[0]] + parts[1:] + [phrase]) if parts else
                   f"{brand} {phrase}") <= max_length

    def add(phrase: str) -> None:
        parts.append(title_case(phrase))
        counts.update(w for w in lower_words(phrase) if w not in exempt)

    def offer(phrase: str) -> bool:
        """Add the phrase, or let it take the place of a chosen phrase it holds (both then count)."""
        inside = [p for p in parts if contains_phrase(phrase, p)]
        if not inside:
            if fits(phrase):
                add(phrase)
                return True
            return False
        old = parts.index(inside[0])
        parts.pop(old)
        counts.subtract(w for w in lower_words(inside[0]) if w not in exempt)
        if fits(phrase):
            add(phrase)
            parts.insert(old, parts.pop())
            return True
        parts.insert(old, inside[0])
        counts.update(w for w in lower_words(inside[0]) if w not in exempt)
        return False

    for phrase in required:
        chosen += offer(phrase)
    for phrase in keywords:
        if phrase in required:
            continue
        if chosen >= max(min_keywords, 1) + 1 and length(brand, parts) >= min_length:
            break
        chosen += offer(phrase)
    for phrase in padding:
        if length(brand, parts) >= min_length:
            break
        if fits(phrase):
            add(phrase)
    return title_text(brand, parts)


def title_text(brand: str, parts: list[str]) -> str:
    return f"{brand} " + ", ".join(parts) if parts else brand


def length(brand: str, parts: list[str]) -> int:
    return len(title_text(brand, parts))


def search_terms(keywords: list[str], title: str, *, min_keywords: int, max_bytes: int,
                 banned: Iterable[str] = (), brands: Iterable[str] = ()) -> str:
    """Words of library keywords, each word once, until ``min_keywords`` + 1 keywords have all their
    words there (keywords standing whole in the title not counted), within ``max_bytes``."""
    banned = list(banned)
    brand_words = {w for b in brands for w in lower_words(b)}
    used: list[str] = []
    counted = 0
    for phrase in keywords:
        if contains_phrase(title, phrase) or holds_any(phrase, banned):
            continue
        new = [w for w in lower_words(phrase) if w not in used]
        if brand_words & set(new):
            continue
        if len(" ".join(used + new).encode("utf-8")) > max_bytes:
            continue
        used.extend(new)
        counted += 1
        if counted >= min_keywords + 1:
            break
    return " ".join(used)


def lengthen(text: str, min_length: int, max_length: int) -> str:
    """The text with filler sentences added until it has at least ``min_length`` characters."""
    n = 0
    while len(text) < min_length:
        sentence = " ".join(FILLER[n % 7: n % 7 + 12]).capitalize() + "."
        if len(text) + 1 + len(sentence) > max_length:
            break
        text = f"{text} {sentence}"
        n += 1
    return text


def with_min_words(body: str, closing: str, min_words: int) -> str:
    """``body`` lengthened with filler sentences so that body and closing hold ``min_words`` + 5 words."""
    n = 0
    while len(words(body)) + len(words(closing)) < min_words + 5:
        body += "\n\n" + " ".join(FILLER[(n * 5) % 20:(n * 5) % 20 + 10]).capitalize() + "."
        n += 1
    return f"{body}\n\n{closing}"
