"""Unit 3 checks: the product text (商品文字编辑) and its variant table.

The text rules are plain functions that return the problems they find (``Problem``: an English
and a Chinese line carrying the measured values), so unit 5 grades its new title, search terms
and description with the same rules. English words, phrase matching and banned terms are
``grader.text`` (conventions 11–13, 26); Chinese absolute words are found on jieba tokens
(convention 14) by a tokenizer built once per process from the key; similarity is rapidfuzz's
``fuzz.ratio`` computed exactly (convention 15).

Key sections read: ``product`` (brand, parent SKU, colours, sizes, base price, facts, other
brands), ``keywords`` (the English library), ``keywords_cn`` (the Chinese library) and
``banned_words`` (english, chinese, allow).
"""
from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rapidfuzz.distance import Indel

from grader import text as en
from grader.checks import CheckContext, Reads, check
from grader.checks.common import Problem, at, joined, sheet_or_outcome, shown_both
from grader.locale import N_, Said, say
from grader.model import Evidence, Outcome, round_half_up
from grader.paper import Key
from grader.records.tables import Cell, Row, Sheet
from grader.text import HAN
from grader.values import equal_text, nfkc, shown, to_number, to_whole

# ---------------------------------------------------------------- the key's materials


def library(key: Key) -> list[str]:
    """The English keyword library (``keywords.csv``), in its order."""
    return [nfkc(r.get("keyword")) for r in key["keywords"] if nfkc(r.get("keyword"))]


def chinese_library(key: Key) -> list[str]:
    """The Chinese keywords (``keywords_cn.csv``)."""
    return [nfkc(r.get("keyword")) for r in key["keywords_cn"] if nfkc(r.get("keyword"))]


def banned_english(key: Key) -> list[str]:
    return [nfkc(w) for w in key["banned_words"]["english"]]


def fact_phrases(key: Key, names: Iterable[str]) -> dict[str, list[str]]:
    """The phrases that state each named fact of the product (convention 16)."""
    facts = key["product"]["facts"]
    return {name: [nfkc(p) for p in facts[name]["phrases"]] for name in names}


def fact(key: Key, name: str) -> Said:
    """A fact of the key by its name, in words: the name, and in Chinese the key's ``name_zh``
    (the name itself when the key gives none: a paper may name its facts in Chinese)."""
    return Said(name, str(key["product"]["facts"][name].get("name_zh") or name))


def colour_index(key: Key) -> dict[str, str]:
    """Every way the materials name a colour (code, name, other names) → its code."""
    product = key["product"]
    return _index(product["colors"], product.get("color_names", {}))


def size_index(key: Key) -> dict[str, str]:
    product = key["product"]
    return _index(product["sizes"], product.get("size_names", {}))


def _index(names: dict[str, str], others: dict[str, list[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for code, name in names.items():
        for alias in (code, name, *others.get(code, ())):
            index.setdefault(equal_text(alias), str(code))
    return index


def variant_skus(key: Key) -> dict[tuple[str, str], str]:
    """(colour code, size code) → ``<PARENT>-<COLOR>-<SIZE>``, colours first, as the materials list them."""
    product = key["product"]
    parent = nfkc(product["parent_sku"])
    return {(str(c), str(s)): f"{parent}-{c}-{s}" for c in product["colors"] for s in product["sizes"]}


# ---------------------------------------------------------------- text measures


def length(value: object) -> int:
    """Characters after convention 3 (so a line break counts as one space, convention 26)."""
    return len(nfkc(value))


def utf8_bytes(value: object) -> int:
    return len(nfkc(value).encode("utf-8"))


def starts_with_brand(title: object, brand: str) -> bool:
    """After trimming, the title begins with the brand (any case), then a space, a non-letter or the end."""
    text, brand = nfkc(title), nfkc(brand)
    if not brand or text[:len(brand)].casefold() != brand.casefold():
        return False
    following = text[len(brand):len(brand) + 1]
    return not following.isalpha()


def similarity(a: object, b: object) -> Fraction:
    """``rapidfuzz.fuzz.ratio`` exactly: 100 × (1 − Indel distance / total length), on case-folded
    text with spaces collapsed (convention 15); two empty texts are 100 similar."""
    left, right = equal_text(a), equal_text(b)
    total = len(left) + len(right)
    if total == 0:
        return Fraction(100)
    return 100 * (1 - Fraction(Indel.distance(left, right), total))


def decimal_text(value: Fraction, places: int) -> str:
    """An exact value shown to ``places`` decimals, rounded half up (convention 1)."""
    return str(round_half_up(value, places))


def percent(value: Fraction) -> str:
    """A similarity or percentage for evidence: up to 2 decimals, trailing zeros dropped."""
    text = decimal_text(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def keywords_in_title(title: object, keywords: Iterable[str], typos: int | None) -> list[str]:
    """Keywords the title holds as contiguous phrases (convention 12; ``typos``: the paper's
    ``typo_min_letters``)."""
    text = nfkc(title)
    return [k for k in keywords if en.find_phrase(k, text, typos=typos) is not None]


def keywords_in_search_terms(terms: object, keywords: Iterable[str], typos: int | None) -> list[str]:
    """Keywords all of whose words appear anywhere in the search terms (convention 12)."""
    text = nfkc(terms)
    return [k for k in keywords if en.has_all_words(k, text, typos=typos)]


def repeated_words(value: object) -> list[str]:
    """Words that appear more than once, case aside but number kept (convention 26)."""
    counts = Counter(w.casefold() for w in en.words(nfkc(value)))
    return [w for w, n in counts.items() if n > 1]


def split_tags(value: object, separators: Iterable[str]) -> list[str]:
    """Tags split at the separators and at line breaks (before spaces are collapsed)."""
    raw = "" if value is None else str(value)
    pattern = "|".join(re.escape(s) for s in sorted({*separators, "\n", "\r"}, key=len, reverse=True))
    return [nfkc(t) for t in re.split(pattern, raw) if nfkc(t)]


def phrase_equals(keyword: str, text: str, typos: int | None) -> bool:
    """``text`` is ``keyword`` itself (case, number, hyphens aside) with at most one typo in all,
    and that typo in a word of at least ``typos`` letters (conventions 11 and 12)."""
    wanted = [t.key for t in en.tokens(keyword)]
    have = en.tokens(text)
    if not wanted or len(wanted) != len(have):
        return False
    typed = 0  # words typed with a typo
    for word, found in zip(wanted, have):
        if en.same_word(word, found.text):
            continue
        if not en.same_word(word, found.text, typos=typos):
            return False
        typed += 1
    return typed <= 1


def missing_facts(value: object, facts: dict[str, list[str]], typos: int | None) -> list[str]:
    """Names of the facts the text does not state by any of their phrases."""
    text = nfkc(value)
    return [name for name, phrases in facts.items() if en.find_any(phrases, text, typos=typos) is None]


# ---------------------------------------------------------------- Chinese absolute words


def chinese_tokenizer(key: Key) -> Any:
    """A jieba tokenizer with the Chinese keywords and the allow-list as its user dictionary, built
    when the paper loads, and again in each worker as the key arrives (it is too big to send)."""
    return key.derive("listing.jieba", _build_tokenizer, per_process=True)


def _build_tokenizer(key: Key) -> Any:
    import jieba

    freq, total = _jieba_dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), total, True
    for word in (*chinese_library(key), *key["banned_words"].get("allow", ())):
        tokenizer.add_word(nfkc(word))
    return tokenizer


@functools.lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict[str, int], int]:
    """jieba's own dictionary (word → frequency, and their total), loaded once per process: it is
    the library's data, the same for every paper, and takes most of a paper's loading time. Each
    paper's tokenizer starts from a copy and adds its own words."""
    import jieba

    # jieba's own logger: its dictionary cache in the temporary folder is only a speed-up, and a
    # folder the account may not write (a centre's locked-down user) must not print a traceback
    jieba.setLogLevel(logging.CRITICAL)
    base = jieba.Tokenizer()
    base.initialize()
    return base.FREQ, base.total


def tokenizer_ready(key: Key, params: dict[str, Any]) -> list[str]:
    """The validate hook of a check that looks for banned words: the tokenizer is built at load."""
    chinese_tokenizer(key)
    return []


def absolute_words(value: object, key: Key) -> list[str]:
    """jieba tokens that are a listed absolute word or begin with one, the allow-list excepted."""
    text = nfkc(value)
    if not HAN.search(text):
        return []
    listed = [nfkc(w) for w in key["banned_words"]["chinese"]]
    allowed = {nfkc(w) for w in key["banned_words"].get("allow", ())}
    found = []
    for token in chinese_tokenizer(key).cut(text):
        token = token.strip()
        if token and token not in allowed and any(token.startswith(w) for w in listed):
            found.append(token)
    return found


def banned_found(value: object, key: Key) -> list[str]:
    """Banned words in a text as written: English claims (convention 13), then Chinese absolute words."""
    text = nfkc(value)
    return [m.text for m in en.find_banned(banned_english(key), text)] + absolute_words(text, key)


# ---------------------------------------------------------------- rules as problems


def title_length_problems(title: object, brand: str, min_length: int, max_length: int) -> list[Problem]:
    """The title rule of ``title_length_brand``: ``min_length``–``max_length`` characters, starting with the brand."""
    problems = []
    n = length(title)
    if not min_length <= n <= max_length:
        problems.append(say(N_("title {count} characters, not {low}–{high}"), count=n, low=min_length, high=max_length))
    if not starts_with_brand(title, brand):
        problems.append(say(N_("title does not start with the brand {brand}"), brand=brand))
    return problems


def title_form_problems(title: object, params: dict[str, Any]) -> list[Problem]:
    """The rules of ``title_form``: forbidden characters, words repeated, all-caps words, capitalisation, Han
    characters."""
    text = nfkc(title)
    words = en.words(text)
    problems = []
    bad = sorted({c for c in text if c in params["forbidden"]}, key=text.index)
    if bad:
        problems.append(say(N_("holds {characters}"), characters=" ".join(bad)))
    exempt = {w.casefold() for w in params["repeat_exempt"]}
    counts = Counter(w.casefold() for w in words if w.casefold() not in exempt)
    for word, n in counts.items():
        if n > params["max_repeats"]:
            problems.append(say(N_("{word!r} {count} times (at most {most})"), word=word, count=n,
                                most=params["max_repeats"]))
    caps = [w for w in words if len(_letters(w)) > params["caps_max_letters"] and _letters(w).isupper()]
    if caps:
        problems.append(say(N_("all-caps {words} (more than {letters} letters)"), words=", ".join(caps),
                            letters=params["caps_max_letters"]))
    minor = {w.casefold() for w in params["minor_words"]}
    lower = [w for w in words if w[0].isalpha() and w.casefold() not in minor and not w[0].isupper()]
    if lower:
        problems.append(say(N_("not capitalised: {words}"), words=", ".join(lower)))
    han = "".join(HAN.findall(text))
    if han:
        problems.append(say(N_("Chinese characters {han}"), han=han))
    return problems


def _letters(word: str) -> str:
    return "".join(c for c in word if c.isalpha())


def banned_problems(value: object, key: Key) -> list[Problem]:
    found = banned_found(value, key)
    if not found:
        return []
    listed = ", ".join(repr(f) for f in found)
    return [say(N_("banned {listed}"), listed=listed)]


def search_terms_form_problems(terms: object, max_bytes: int) -> list[Problem]:
    """Bytes in UTF-8 and words repeated (``search_terms`` and ``optimised_search_terms``)."""
    problems = []
    size = utf8_bytes(terms)
    if size > max_bytes:
        problems.append(say(N_("{size} bytes > {most}"), size=size, most=max_bytes))
    repeated = repeated_words(terms)
    if repeated:
        problems.append(say(N_("words repeated: {words}"), words=", ".join(repeated)))
    return problems


def keyword_count_problem(found: list[str], minimum: int, what: Said) -> list[Problem]:
    if len(found) >= minimum:
        return []
    listed = ", ".join(found) or "none"
    return [say(N_("{count} {what} ({listed}); at least {minimum} needed"), count=len(found), what=what,
                listed=listed, minimum=minimum)]


def description_problems(value: object, key: Key, facts: dict[str, list[str]], min_length: int,
                         max_length: int, typos: int | None) -> list[Problem]:
    """``min_length``–``max_length`` characters, stating every fact (``description_facts`` and
    ``optimised_description``)."""
    problems = []
    n = length(value)
    if not min_length <= n <= max_length:
        problems.append(say(N_("{n} characters, not {min_length}–{max_length}"), n=n, min_length=min_length,
                            max_length=max_length))
    missing = missing_facts(value, facts, typos)
    if missing:
        problems.append(say(N_("does not state the {facts}"), facts=joined([fact(key, m) for m in missing], " and ",
                                                                                 "、")))
    return problems


# ---------------------------------------------------------------- evidence


def verdict(sheet: Sheet, cell: Cell, what: Said, problems: list[Problem], *,
            expected: str = "", ok: Said | None = None, found: str | None = None) -> Evidence:
    """One evidence item for a field: its problems, or that it meets the rule."""
    if problems:
        return at(sheet, cell, *say(N_("{what}: {problems}"), what=what, problems=joined(problems)),
                  expected=expected, found=found)
    return at(sheet, cell, *say(N_("{what}: {ok}"), what=what, ok=ok or say(N_("meets the rule"))),
              expected=expected, found=found, ok=True)


def field_outcome(sheet: Sheet, cell: Cell, what: Said, problems: list[Problem], *,
                  expected: str = "", ok: Said | None = None) -> Outcome:
    """All or nothing on one field."""
    evidence = verdict(sheet, cell, what, problems, expected=expected, ok=ok)
    return Outcome(Fraction(1 if evidence.ok else 0), (evidence,))


def _field(ctx: CheckContext, name: str) -> tuple[Sheet | None, Cell, Outcome | None]:
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return None, Cell(None), missing
    return sheet, sheet.field(name), None


# ---------------------------------------------------------------- key guarantees


def _library_present(key: Key, params: dict[str, Any]) -> list[str]:
    if not library(key):
        return ["keywords.csv holds no keyword"]
    bad = [r.get("keyword") for r in key["keywords"] if to_number(r.get("search_volume")) is None]
    return [f"keywords.csv: search_volume of {bad[0]!r} is not a number"] if bad else []


def _facts_present(key: Key, params: dict[str, Any]) -> list[str]:
    facts = key["product"].get("facts", {})
    return [f"product.facts.{n}.phrases is missing or empty" for n in params["facts"]
            if not facts.get(n, {}).get("phrases")]


def facts_ready(key: Key, params: dict[str, Any]) -> list[str]:
    """The facts' phrases and the tokenizer (a description is scored on both)."""
    return _facts_present(key, params) or tokenizer_ready(key, params)


def _chinese_present(key: Key, params: dict[str, Any]) -> list[str]:
    problems = [] if chinese_library(key) else ["keywords_cn.csv holds no keyword"]
    if not key["banned_words"].get("chinese"):
        problems.append("banned_words.chinese is empty")
    return problems or tokenizer_ready(key, params)


def _variants_present(key: Key, params: dict[str, Any]) -> list[str]:
    product = key["product"]
    problems = [f"product.{part} is empty" for part in ("colors", "sizes") if not product.get(part)]
    for part, other_names in (("colors", "color_names"), ("sizes", "size_names")):
        others = product.get(other_names, {})
        codes: dict[str, str] = {}
        for code, name in product.get(part, {}).items():
            for alias in (code, name, *others.get(code, ())):
                if codes.setdefault(equal_text(alias), str(code)) != str(code):
                    problems.append(f"product.{part}: the name {alias!r} stands for two codes")
    return problems


def _base_price(key: Key, params: dict[str, Any]) -> list[str]:
    base = to_number(key["product"].get("base_price_usd"))
    return [] if base is not None and base > 0 else ["product.base_price_usd is not a positive number"]


# ---------------------------------------------------------------- U3-01 … U3-04


@check("title_length_brand", reads=(Reads("sheet", fields=("field",)),), needs=("product.brand",), params=("sheet", "field", "min_length", "max_length"))
def title_length_brand(ctx: CheckContext) -> Outcome:
    """The title is ``min_length``–``max_length`` characters (after convention 3) and starts with the brand.

    Okay: ``HydroKeep Insulated Water Bottle …`` of 80 to 200 characters; ``hydrokeep-Bottle …``
    (case ignored, a non-letter follows). Fails: 79 or 201 characters; ``HydroKeeper Bottle …``
    (a letter follows the brand); ``Insulated Bottle by HydroKeep …``.
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx, p["field"])
    if missing:
        return missing
    brand = nfkc(ctx.key["product"]["brand"])
    problems = title_length_problems(cell.value, brand, p["min_length"], p["max_length"])
    return field_outcome(sheet, cell, say(N_("title")), problems,
                         expected=f"{p['min_length']}–{p['max_length']} characters starting with {brand}",
                         ok=say(N_("{n} characters, starts with {brand}"), n=length(cell.value), brand=brand))


@check("title_keywords", reads=(Reads("sheet", fields=("field",)),), needs=("keywords.keyword", "keywords.search_volume"), params=("sheet", "field", "min_keywords"),
       validate=_library_present)
def title_keywords(ctx: CheckContext) -> Outcome:
    """The title holds at least ``min_keywords`` library keywords, each as a contiguous phrase
    (plural/singular, case and hyphens aside; the typo rule of convention 12).

    Okay: ``… Insulated Water Botle, Vacuum Flasks …`` (insulated water bottle, water bottle,
    vacuum flask; with ``typo_min_letters = 6``). Fails: two keywords only; ``Vacum Flsk`` (a typo
    in ``flask``, shorter than ``typo_min_letters``).
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx, p["field"])
    if missing:
        return missing
    found = keywords_in_title(cell.value, library(ctx.key), ctx.typo_min_letters)
    problems = keyword_count_problem(found, p["min_keywords"], say(N_("library keywords")))
    return field_outcome(sheet, cell, say(N_("title")), problems,
                         expected=f"at least {p['min_keywords']} library keywords",
                         ok=say(N_("{count} library keywords ({found})"), count=len(found), found=", ".join(found)))


@check("title_form", reads=(Reads("sheet", fields=("field",)),), params=("sheet", "field", "forbidden", "max_repeats", "repeat_exempt",
                             "caps_max_letters", "minor_words"))
def title_form(ctx: CheckContext) -> Outcome:
    """Title form: none of the ``forbidden`` characters; no word more than ``max_repeats`` times
    (``repeat_exempt`` aside); no all-caps word longer than ``caps_max_letters`` letters; each major
    word (not one of ``minor_words``) capitalised; no Chinese characters.

    Okay: ``HydroKeep Insulated Water Bottle with BPA Free Lid, 500ml``. Fails: ``… Bottle!``;
    ``Bottle Bottle Bottle``; ``LEAKPROOF``; ``… water Bottle``; ``… 保温杯``.
    """
    sheet, cell, missing = _field(ctx, ctx.params["field"])
    if missing:
        return missing
    problems = title_form_problems(cell.value, ctx.params)
    if not nfkc(cell.value):
        problems.append(say(N_("no title written")))
    return field_outcome(sheet, cell, say(N_("title form")), problems)


@check("no_banned_words", reads=(Reads("sheet", fields=("fields",)),), needs=("banned_words.english", "banned_words.chinese"),
       params=("sheet", "fields"), validate=tokenizer_ready)
def no_banned_words(ctx: CheckContext) -> Outcome:
    """No banned word in the title, bullets, search terms or description: the English claims
    whole-word and case-insensitive (``Free-Shipping`` counts, ``eco`` is not in ``ecology``), the
    Chinese absolute words on jieba tokens (最近 allowed).

    Okay: ``ships within 2 days``. Fails: ``Best Seller``, ``FREE SHIPPING``, ``最好``.
    Nothing written in any of the fields earns nothing.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    evidence = []
    written = False
    for name in ctx.params["fields"]:
        cell = sheet.field(name)
        written = written or bool(nfkc(cell.value))
        problems = banned_problems(cell.value, ctx.key)
        if problems:
            evidence.append(verdict(sheet, cell, Said(name, name), problems, expected="no banned word"))
    if not written:
        evidence.append(Evidence(*say(N_("no text written in {fields}"), fields=", ".join(ctx.params["fields"])),
                                 file=sheet.file, sheet=sheet.name, found="(empty)"))
    if evidence:
        return Outcome(Fraction(0), tuple(evidence))
    return Outcome(Fraction(1), (Evidence(*say(N_("no banned word in {fields}"), fields=", ".join(ctx.params["fields"])),
                                          file=sheet.file, sheet=sheet.name, ok=True),))


# ---------------------------------------------------------------- U3-05


@check("bullets", reads=(Reads("sheet", fields=("fields",)),), params=("sheet", "fields", "min_length", "max_length", "similar_at"))
def bullets(ctx: CheckContext) -> Outcome:
    """The ``fields`` bullets, each ``min_length``–``max_length`` characters and less than
    ``similar_at`` similar (``fuzz.ratio``, case-folded, spaces collapsed) to every earlier bullet —
    an equal share per bullet; the earlier one keeps its share.

    Okay: five different sentences. Fails: a 9-character bullet; bullet 4 at 90 similarity to
    bullet 2 (bullet 4 loses its share, bullet 2 keeps it); a bullet left empty.
    """
    p = ctx.params
    sheet, missing = sheet_or_outcome(ctx, p["sheet"])
    if sheet is None:
        return missing
    share = Fraction(1, len(p["fields"]))
    earned, evidence, earlier = Fraction(0), [], []
    for name in p["fields"]:
        cell = sheet.field(name)
        problems = []
        n = length(cell.value)
        if not p["min_length"] <= n <= p["max_length"]:
            problems.append(say(N_("{n} characters, not {min_length}–{max_length}"), n=n, min_length=p["min_length"],
                                max_length=p["max_length"]))
        for other, other_value in earlier:
            score = similarity(cell.value, other_value)
            if score >= p["similar_at"]:
                problems.append(say(N_("{percent} similar to {other} (≥ {at})"), percent=percent(score), other=other,
                                    at=p["similar_at"]))
        earlier.append((name, cell.value))
        item = verdict(sheet, cell, Said(name, name), problems, ok=say(N_("{n} characters, not a repeat"), n=n))
        evidence.append(item)
        earned += share if item.ok else 0
    return Outcome(earned, tuple(evidence))


# ---------------------------------------------------------------- U3-06, U3-07


@check("search_terms", reads=(Reads("sheet", fields=("field", "title_field")),), needs=("keywords.keyword", "keywords.search_volume", "product.other_brands"),
       params=("sheet", "field", "title_field", "max_bytes", "min_keywords"), validate=_library_present)
def search_terms(ctx: CheckContext) -> Outcome:
    """Search terms: at most ``max_bytes`` bytes in UTF-8, at least ``min_keywords`` library keywords
    not already in the title (a keyword counts when all its words appear anywhere), no word repeated
    (case aside, number kept), no other brand the materials name.

    Okay: ``stainless steel leak proof sports gym reusable kids …`` (≤ 249 bytes). Fails: 250 bytes;
    ``bottle … bottle``; ``AquaPeak``; four new keywords only.
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx, p["field"])
    if missing:
        return missing
    title = sheet.field(p["title_field"]).value
    in_title = set(keywords_in_title(title, library(ctx.key), ctx.typo_min_letters))
    found = [k for k in keywords_in_search_terms(cell.value, library(ctx.key), ctx.typo_min_letters)
             if k not in in_title]
    problems = search_terms_form_problems(cell.value, p["max_bytes"])
    problems += keyword_count_problem(found, p["min_keywords"], say(N_("library keywords not in the title")))
    brands = [m.text for m in en.find_banned(ctx.key["product"]["other_brands"], nfkc(cell.value))]
    if brands:
        problems.append(say(N_("names another brand: {brands}"), brands=", ".join(brands)))
    return field_outcome(sheet, cell, say(N_("search terms")), problems,
                         expected=f"≤ {p['max_bytes']} bytes, ≥ {p['min_keywords']} new keywords, no repeats",
                         ok=say(N_("{size} bytes, {count} keywords not in the title"), size=utf8_bytes(cell.value),
                                count=len(found)))


@check("tags", reads=(Reads("sheet", fields=("field",)),), needs=("keywords.keyword", "keywords.search_volume"), params=("sheet", "field", "min_tags", "max_tags", "separators"),
       validate=_library_present)
def tags(ctx: CheckContext) -> Outcome:
    """``min_tags``–``max_tags`` tags (split on ``separators``), each a library keyword or within one
    typo of one in a word of at least ``typo_min_letters`` letters (case, plural/singular and
    hyphens aside).

    Okay: ``insulated water bottle, Vacuum Flasks; travel-mug``. Fails: two tags; eleven tags;
    ``blue bottle`` (not a keyword); ``vacum flsk`` (two typos).
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx, p["field"])
    if missing:
        return missing
    found = split_tags(cell.value, p["separators"])
    keywords = library(ctx.key)
    problems = []
    if not p["min_tags"] <= len(found) <= p["max_tags"]:
        problems.append(say(N_("{count} tags, not {low}–{high}"), count=len(found), low=p["min_tags"], high=p["max_tags"]))
    strangers = [t for t in found if not any(phrase_equals(k, t, ctx.typo_min_letters) for k in keywords)]
    if strangers:
        problems.append(say(N_("not library keywords: {tags}"), tags=", ".join(strangers)))
    return field_outcome(sheet, cell, say(N_("tags")), problems,
                         expected=f"{p['min_tags']}–{p['max_tags']} library keywords",
                         ok=say(N_("{count} tags, each a library keyword"), count=len(found)))


# ---------------------------------------------------------------- U3-08, U3-09


@check("description_facts", reads=(Reads("sheet", fields=("field",)),), needs=("product.facts",), params=("sheet", "field", "min_length", "max_length", "facts"),
       validate=_facts_present)
def description_facts(ctx: CheckContext) -> Outcome:
    """The description is ``min_length``–``max_length`` characters and states each of ``facts`` (any
    of each fact's phrases in the key, with the typo rule of convention 12).

    Okay: ``… made of 18/8 stainless steel … holds 500 ml …``. Fails: 199 or 2001 characters; no
    size phrase; ``stainles stel`` (a typo in ``steel``, shorter than ``typo_min_letters = 6``).
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx, p["field"])
    if missing:
        return missing
    facts = fact_phrases(ctx.key, p["facts"])
    problems = description_problems(cell.value, ctx.key, facts, p["min_length"], p["max_length"],
                                    ctx.typo_min_letters)
    return field_outcome(sheet, cell, say(N_("description")), problems,
                         expected=f"{p['min_length']}–{p['max_length']} characters stating {', '.join(facts)}",
                         ok=say(N_("{n} characters, states {facts}"), n=length(cell.value), facts=", ".join(facts)))


@check("chinese_title", reads=(Reads("sheet", fields=("field",)),), needs=("keywords_cn.keyword", "banned_words.chinese"), params=("sheet", "field", "min_keywords"),
       validate=_chinese_present)
def chinese_title(ctx: CheckContext) -> Outcome:
    """title_cn holds at least ``min_keywords`` Chinese library keywords (as substrings) and no
    advertising-law absolute word: a jieba token that is a listed word or begins with one, the
    allow-list excepted; the Chinese keywords and the allow-list are jieba's user dictionary.

    Okay: ``HydroKeep 保温杯 不锈钢水杯 最近上新``. Fails: ``最好的保温杯 不锈钢水杯``; ``全网第一``;
    one keyword only.
    """
    p = ctx.params
    sheet, cell, missing = _field(ctx, p["field"])
    if missing:
        return missing
    text = nfkc(cell.value)
    found = [k for k in chinese_library(ctx.key) if k in text]
    problems = keyword_count_problem(found, p["min_keywords"], say(N_("Chinese library keywords")))
    absolute = absolute_words(text, ctx.key)
    if absolute:
        problems.append(say(N_("advertising-law absolute words: {words}"), words=joined(
            [Said(w, w) for w in absolute], ", ", "、")))
    return field_outcome(sheet, cell, say(N_("title_cn")), problems,
                         expected=f"≥ {p['min_keywords']} Chinese keywords, no absolute word",
                         ok=say(N_("{count} Chinese keywords ({found}), no absolute word"), count=len(found),
                                found=", ".join(found)))


# ---------------------------------------------------------------- U3-10 … U3-12


def variant_of(row: Row, key: Key, columns: dict[str, str]) -> tuple[str | None, str | None]:
    """The colour and size codes a variant row names (in its ``columns["color"]`` and
    ``columns["size"]``), None where it names none of the materials'."""
    return (colour_index(key).get(equal_text(row.value(columns["color"]))),
            size_index(key).get(equal_text(row.value(columns["size"]))))


def _row_evidence(sheet: Sheet, row: Row, column: str, said: Said, *,
                  expected: str = "", ok: bool = False) -> Evidence:
    cell = row[column]
    if not cell.ref:
        cell = Cell(cell.value, f"row {row.number}")
    return at(sheet, cell, *said, expected=expected, ok=ok)


@check("variant_coverage", reads=(Reads("sheet", columns=("columns.color", "columns.size")),),
       needs=("product.colors", "product.sizes"), params=("sheet", "columns"),
       validate=_variants_present)
def variant_coverage(ctx: CheckContext) -> Outcome:
    """The variants cover every colour × size of the materials exactly once: the share is
    max(0, covered − duplicates − unknown) / (colours × sizes) (convention 18). Colours and sizes
    are read by code, name or the materials' other names (BLK, Black, 黑色; 500, 500 ml).

    Okay: the 8 combinations once each. Fails: 7 combinations and one repeated (6/8); a row in
    ``Red`` (unknown).
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    combos = variant_skus(ctx.key)
    columns = ctx.params["columns"]
    seen: set[tuple[str, str]] = set()
    duplicates = unknown = 0
    evidence = []
    for row in sheet.rows:
        colour, size = variant_of(row, ctx.key, columns)
        role = "color" if colour is None else "size"
        where = columns[role]
        if colour is None or size is None:
            unknown += 1
            column = Said(where, say(N_("colour column")).zh if role == "color" else say(N_("size column")).zh)
            evidence.append(_row_evidence(
                sheet, row, where, say(N_("row {row}: {column} {value} is not one of the materials'"), row=row.number,
                                       column=column, value=shown_both(row.value(where))),
                expected="a colour and a size of the materials"))
        elif (colour, size) in seen:
            duplicates += 1
            evidence.append(_row_evidence(sheet, row, columns["color"], say(N_("row {row}: {colour} × {size} repeated"),
                                                                            row=row.number, colour=colour, size=size),
                                          expected="each once"))
        else:
            seen.add((colour, size))
    for combo in combos:
        if combo not in seen:
            evidence.append(Evidence(*say(N_("no variant {colour} × {size}"), colour=combo[0], size=combo[1]),
                                     file=sheet.file, sheet=sheet.name, expected=combos[combo], found="(missing)"))
    earned = max(0, len(seen) - duplicates - unknown)
    evidence.insert(0, Evidence(
        *say(N_("{covered} of {count} variants covered, {repeated} repeated, {unknown} unknown: {earned}/{count}"),
             covered=len(seen), count=len(combos), repeated=duplicates, unknown=unknown, earned=earned),
        file=sheet.file, sheet=sheet.name, expected=f"{len(combos)} variants once each",
        found=f"{earned}/{len(combos)}", ok=earned == len(combos)))
    return Outcome(Fraction(earned, len(combos)), tuple(evidence))


@check("variant_skus", reads=(Reads("sheet", columns=("columns.sku", "columns.color", "columns.size")),),
       needs=("product.parent_sku", "product.colors", "product.sizes"), params=("sheet", "columns"),
       validate=_variants_present)
def variant_skus_check(ctx: CheckContext) -> Outcome:
    """Each variant sku is ``<PARENT>-<COLOR>-<SIZE>`` with the materials' codes (case kept, for the
    row's own colour and size when it names them), and no sku appears twice.

    Okay: ``HKB100-BLK-500`` on the Black 500 ml row. Fails: ``HKB100-BLACK-500``; ``hkb100-blk-500``;
    ``HKB100-WHT-500`` on the Black row; the same sku on two rows; no rows.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    skus = variant_skus(ctx.key)
    columns = ctx.params["columns"]
    valid = set(skus.values())
    seen: set[str] = set()
    evidence = []
    for row in sheet.rows:
        sku = nfkc(row.value(columns["sku"]))
        colour, size = variant_of(row, ctx.key, columns)
        own = skus.get((colour, size)) if colour and size else None
        if sku not in valid:
            said = say(N_("row {row}: sku {sku} is not <PARENT>-<COLOR>-<SIZE> with the materials' codes"),
                       row=row.number, sku=sku) if sku else \
                say(N_("row {row}: sku (empty) is not <PARENT>-<COLOR>-<SIZE> with the materials' codes"), row=row.number)
        elif own and sku != own:
            said = say(N_("row {row}: sku {sku} does not match its colour and size ({own})"), row=row.number, sku=sku,
                       own=own)
        elif sku in seen:
            said = say(N_("row {row}: sku {sku} repeated"), row=row.number, sku=sku)
        else:
            seen.add(sku)
            continue
        evidence.append(_row_evidence(sheet, row, columns["sku"], said,
                                      expected=own or "<PARENT>-<COLOR>-<SIZE>"))
    if not sheet.rows:
        evidence.append(Evidence(*say(N_("no variant rows")), file=sheet.file, sheet=sheet.name, found="(empty)"))
    if evidence:
        return Outcome(Fraction(0), tuple(evidence))
    return Outcome(Fraction(1), (Evidence(*say(N_("all {count} skus well formed and unique"), count=len(seen)),
                                          file=sheet.file, sheet=sheet.name, ok=True),))


@check("variant_values", reads=(Reads("sheet", columns=("columns.price", "columns.stock", "columns.lead_time")),),
       needs=("product.base_price_usd",),
       params=("sheet", "columns", "price_tolerance", "min_lead_days", "max_lead_days"), validate=_base_price)
def variant_values(ctx: CheckContext) -> Outcome:
    """Each variant row: its price (``columns["price"]``) > 0 and within ± ``price_tolerance`` of
    the base price (ends included), its stock a whole number ≥ 0, its lead time a whole number
    ``min_lead_days``–``max_lead_days``.

    Okay: 24.99 / 80 / 3 with a base price of 24.99. Fails: 32.49 (more than 30% above 24.99);
    ``12.5`` in stock; lead time 8 or 0; no rows.
    """
    p = ctx.params
    sheet, missing = sheet_or_outcome(ctx, p["sheet"])
    if sheet is None:
        return missing
    base = to_number(ctx.key["product"]["base_price_usd"])
    tolerance = to_number(p["price_tolerance"])
    low, high = base - base * tolerance, base + base * tolerance
    evidence = []
    for row in sheet.rows:
        problems = variant_value_problems(row, p["columns"], low, high, p["min_lead_days"], p["max_lead_days"])
        ref = Cell(None, f"row {row.number}")
        found = " / ".join(shown(row.value(p["columns"][c])) for c in ("price", "stock", "lead_time"))
        evidence.append(verdict(sheet, ref, say(N_("row {row}"), row=row.number), problems,
                                expected=f"price {low}–{high}, stock ≥ 0, lead time "
                                         f"{p['min_lead_days']}–{p['max_lead_days']}", found=found))
    if not sheet.rows:
        evidence.append(Evidence(*say(N_("no variant rows")), file=sheet.file, sheet=sheet.name, found="(empty)"))
    ok = bool(evidence) and all(e.ok for e in evidence)
    return Outcome(Fraction(1 if ok else 0), tuple(evidence))


def variant_value_problems(row: Row, columns: dict[str, str], low: Decimal, high: Decimal, min_lead: int,
                           max_lead: int) -> list[Problem]:
    problems = []
    price_cell, stock_cell, lead_cell = (row[columns[role]] for role in ("price", "stock", "lead_time"))
    price = to_number(price_cell.value)
    if price is None or price <= 0 or not low <= price <= high:
        problems.append(say(N_("price {typed} ({ref}) not in {low}–{high}"), typed=shown_both(price_cell.value),
                            ref=price_cell.ref, low=low, high=high))
    stock = to_whole(stock_cell.value)
    if stock is None or stock < 0:
        problems.append(say(N_("stock {typed} ({ref}) is not a whole number ≥ 0"), typed=shown_both(stock_cell.value),
                            ref=stock_cell.ref))
    lead = to_whole(lead_cell.value)
    if lead is None or not min_lead <= lead <= max_lead:
        problems.append(say(N_("lead time {typed} ({ref}) not a whole number {low}–{high}"),
                            typed=shown_both(lead_cell.value), ref=lead_cell.ref, low=min_lead, high=max_lead))
    return problems
