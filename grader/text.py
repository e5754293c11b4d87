"""How the paper reads English text (§4 conventions 11, 12, 13 and 26).

* A **word** is a run of ASCII letters and digits, with an apostrophe (' or ’) or a hyphen
  allowed between two of them: "Women's", "Leak-proof" and "32oz" are one word each.
* In **phrase matching** a hyphen equals a space, case is ignored, plural and singular
  (-s, -es, -ies) are one word, and a word of the phrase of at least ``typos`` letters may
  carry one typo (one insertion, deletion or substitution; rapidfuzz's Levenshtein distance).
  ``typos`` is the paper's ``typo_min_letters`` (the rubric's; 6 in the doctests below, "a word
  longer than 5 letters"); ``None`` accepts no typo at all.
* **Banned terms** match case-insensitively between non-alphanumeric boundaries, without
  typo tolerance: "free shipping" is found in "Free-Shipping", "eco" is not in "ecology".

>>> words("HydroKeep Leak-proof 32oz Women's Bottle")
['HydroKeep', 'Leak-proof', '32oz', "Women's", 'Bottle']
>>> find_phrase("insulated water bottle", "Insulated Water Botle for Sports", typos=6).text
'Insulated Water Botle'
>>> find_phrase("water bottle", "Waters Bottles")  is not None
True
>>> find_phrase("stainless", "stainles steel", typos=6) is not None, find_phrase("steel", "steal", typos=6) is None
(True, True)
>>> find_phrase("insulated", "insulatd", typos=10) is None, find_phrase("insulated", "insulatd") is None
(True, True)
>>> [m.text for m in find_banned(["free shipping", "eco"], "Free-Shipping, ecology")]
['Free-Shipping']
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

WORD = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*")
TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z0-9]+)*")  # a hyphen splits tokens: it equals a space
# a Han (Chinese) character: the unified ideographs with extension A, the compatibility block, and
# the supplementary planes' extensions B–H (convention 16's "Han character", U3-03, U4-01)
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.text.casefold().replace("’", "'")


@dataclass(frozen=True)
class Match:
    phrase: str
    text: str  # as it stands in the candidate's text
    start: int
    end: int


def words(text: str) -> list[str]:
    """The words of a text (convention 11)."""
    return WORD.findall(text or "")


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """Words for phrase matching: hyphenated words split, with their offsets in the text."""
    return tuple(Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text or ""))


@lru_cache(maxsize=4096)
def _keys(text: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokens(text))


@lru_cache(maxsize=65536)
def _number_forms(word: str) -> frozenset[str]:
    """The word and its singular/plural partners under the regular -s, -es, -ies endings."""
    forms = {word, word + "s", word + "es"}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("s"):
        forms.add(word[:-1])
    return frozenset(forms)


@lru_cache(maxsize=262144)
def same_word(expected: str, found: str, *, typos: int | None = None) -> bool:
    """Does ``found`` stand for ``expected``: case and number aside, one typo in a word of at least
    ``typos`` letters (none when ``typos`` is None)."""
    a = expected.casefold().replace("’", "'")
    b = found.casefold().replace("’", "'")
    if a == b or b in _number_forms(a):
        return True
    if typos is not None and len(a) >= typos and a.isalpha():
        return any(Levenshtein.distance(form, b, score_cutoff=1) <= 1 for form in _number_forms(a))
    return False


@lru_cache(maxsize=4096)
def _index(text: str) -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """A text's distinct token keys and where each stands."""
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(_keys(text)):
        positions.setdefault(key, []).append(i)
    return tuple(positions), {k: tuple(v) for k, v in positions.items()}


@lru_cache(maxsize=65536)
def _starts(word: str, text: str, typos: int | None) -> tuple[int, ...]:
    """Token positions of ``text`` where ``word`` stands (case, number and typo rules applied).

    rapidfuzz narrows the text's distinct words to those within three edits (the most a plural
    ending adds) in one C call; ``same_word`` then decides.
    """
    distinct, positions = _index(text)
    near = process.extract(word, distinct, scorer=Levenshtein.distance, score_cutoff=3, limit=None)
    return tuple(sorted(i for key, _, _ in near if same_word(word, key, typos=typos) for i in positions[key]))


def find_all(phrase: str, text: str, *, typos: int | None = None) -> Iterator[Match]:
    """Every place ``text`` holds ``phrase`` as contiguous words (convention 12), in text order."""
    wanted = _keys(phrase)
    if not wanted or not text:
        return
    have = tokens(text)
    keys = _keys(text)
    rest = wanted[1:]
    for i in _starts(wanted[0], text, typos):
        if i + len(wanted) <= len(keys) and \
                all(same_word(w, keys[i + 1 + j], typos=typos) for j, w in enumerate(rest)):
            start, end = have[i], have[i + len(wanted) - 1]
            yield Match(phrase, text[start.start:end.end], start.start, end.end)


def find_phrase(phrase: str, text: str, *, typos: int | None = None) -> Match | None:
    """The first place ``text`` holds ``phrase`` as contiguous words (convention 12), or None."""
    return next(find_all(phrase, text, typos=typos), None)


def has_all_words(phrase: str, text: str, *, typos: int | None = None) -> bool:
    """Every word of ``phrase`` appears somewhere in ``text`` (keywords in search terms)."""
    have = set(_keys(text))
    return all(any(same_word(w, h, typos=typos) for h in have) for w in _keys(phrase))


def find_any(phrases: Iterable[str], text: str, *, typos: int | None = None) -> Match | None:
    """The first of ``phrases`` that ``text`` holds (an element is met by any of its phrases)."""
    for phrase in phrases:
        match = find_phrase(phrase, text, typos=typos)
        if match:
            return match
    return None


@lru_cache(maxsize=4096)
def banned_pattern(term: str) -> re.Pattern[str]:
    """A banned term between non-alphanumeric boundaries, hyphen and space alike (convention 13)."""
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", term.strip()) if p]
    body = r"[\s\-]+".join(parts)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE)


def find_banned(terms: Iterable[str], text: str) -> list[Match]:
    """Every banned term found in ``text``, in text order."""
    found = []
    for term in terms:
        for m in banned_pattern(term).finditer(text or ""):
            found.append(Match(term, m.group(), m.start(), m.end()))
    return sorted(found, key=lambda m: (m.start, m.phrase))
