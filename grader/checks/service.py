"""Unit 8 checks: the service mailbox and the store username, the replies, the templates (as many as the key gives).

Every element is found by the key's phrase lists (``answer_keys/<paper>/service.toml``) with the
phrase matching of ``grader.text``: contiguous words, case and plural/singular aside, a hyphen
equal to a space, one typo in a word of at least the paper's ``typo_min_letters`` letters
(conventions 11, 12 and 16). Texts are read after Unicode NFKC (convention 3: full-width and
half-width alike). The evidence quotes the sentence that met each element, names each element
that is missing, and lists every prohibited item with its text.

Scenario data comes from the materials' ``.eml`` files: the buyer's name is the From display name,
the order id the ``orders.csv`` id the email quotes; ``service.toml`` states both too, and the key
is refused when they differ.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any

from email_validator import EmailNotValidError, validate_email

from grader.checks import CheckContext, Reads, check
from grader.checks.accounts import username_problems
from grader.checks.common import at, joined
from grader.locale import N_, Said, say
from grader.model import Evidence, Flag, Outcome
from grader.paper import Key
from grader.records.service import ServiceFolder, TextFile
from grader.records.tables import Cell, Sheet
from grader.text import HAN, Match, find_all, find_any, same_word, tokens, words
from grader.values import nfkc, shown, texts_equal

QUOTE_LIMIT = 200
PHRASE_LISTS = ("greeting", "titles", "apology", "closing", "review_request", "incentive", "off_platform")

# ---------------------------------------------------------------- the key


@dataclass(frozen=True)
class Scenario:
    """One materials email and what its reply must hold."""

    reply: str  # the slot that answers it: reply_01
    email: str  # the .eml, relative to the key folder
    buyer_name: str
    first_name: str
    last_name: str
    order_id: str
    case_name: str
    case_name_zh: str
    case: tuple[str, ...]
    resolution_name: str
    resolution_name_zh: str
    resolution: tuple[str, ...]


@dataclass(frozen=True)
class TemplateElement:
    name: str
    name_zh: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class TemplateSpec:
    slot: str  # return, not_shipped, …
    name_zh: str
    elements: tuple[TemplateElement, ...]  # the template's own elements (``template_own``)


@dataclass(frozen=True)
class ServiceKey:
    domain: str
    tlds: frozenset[str]
    phrases: dict[str, tuple[str, ...]]
    order_ids: tuple[str, ...]  # every order id of the materials
    scenarios: tuple[Scenario, ...]
    templates: tuple[TemplateSpec, ...]
    tracking_lengths: frozenset[int] = frozenset()  # the digits-only tracking forms of unit 7's methods


class KeyProblem(ValueError):
    """The key's unit-8 data breaks a guarantee the checks rely on."""


def _phrases(data: Any, where: str) -> tuple[str, ...]:
    if not isinstance(data, list) or not data or not all(isinstance(p, str) and tokens(p) for p in data):
        raise KeyProblem(f"{where} must be a non-empty list of phrases")
    return tuple(data)


def _quoted_orders(text: str, order_ids: tuple[str, ...]) -> list[str]:
    return [o for o in order_ids if _order_pattern(o).search(nfkc(text))]


def _scenario(key: Key, data: dict[str, Any], order_ids: tuple[str, ...], n: int) -> Scenario:
    where = f"service.scenarios[{n}]"
    for field in ("reply", "email", "case_name", "resolution_name"):
        if not isinstance(data.get(field), str) or not data[field]:
            raise KeyProblem(f"{where}.{field} is missing")
    path = key.path(data["email"])
    if not path.is_file():
        raise KeyProblem(f"{where}: {data['email']} does not exist")
    try:
        email = key.email(data["email"])
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception as exc:  # the standard parser rarely raises; a broken file must not pass
        raise KeyProblem(f"{where}: {data['email']} cannot be parsed ({exc})") from exc
    name = nfkc(email.buyer_name) or nfkc(data.get("buyer_name", ""))
    if data.get("buyer_name") and email.buyer_name and not texts_equal(data["buyer_name"], email.buyer_name):
        raise KeyProblem(f"{where}: buyer_name {data['buyer_name']!r} differs from the email's "
                         f"{email.buyer_name!r}")
    if len(name.split()) < 2:
        raise KeyProblem(f"{where}: the buyer's full name (first and last) is not known")
    quoted = _quoted_orders(f"{email.subject}\n{email.body}", order_ids)
    if len(quoted) != 1:
        raise KeyProblem(f"{where}: {data['email']} quotes {len(quoted)} order ids of orders.csv, not 1")
    if data.get("order_id") and nfkc(data["order_id"]).upper() != quoted[0]:
        raise KeyProblem(f"{where}: order_id {data['order_id']!r} differs from the email's {quoted[0]!r}")
    parts = name.split()
    return Scenario(
        reply=data["reply"], email=data["email"], buyer_name=name,
        first_name=nfkc(data.get("first_name", "")) or parts[0],
        last_name=nfkc(data.get("last_name", "")) or parts[-1],
        order_id=quoted[0],
        case_name=data["case_name"], case_name_zh=data.get("case_name_zh", data["case_name"]),
        case=_phrases(data.get("case"), f"{where}.case"),
        resolution_name=data["resolution_name"],
        resolution_name_zh=data.get("resolution_name_zh", data["resolution_name"]),
        resolution=_phrases(data.get("resolution"), f"{where}.resolution"),
    )


def _template(slot: str, data: dict[str, Any]) -> TemplateSpec:
    elements = data.get("elements")
    if not isinstance(elements, list) or not elements:
        raise KeyProblem(f"service.templates.{slot} must have its own elements (at least one)")
    out = []
    for i, element in enumerate(elements):
        if not element.get("name"):
            raise KeyProblem(f"service.templates.{slot}.elements[{i}].name is missing")
        out.append(TemplateElement(element["name"], element.get("name_zh", element["name"]),
                                   _phrases(element.get("phrases"), f"service.templates.{slot}.elements[{i}]")))
    return TemplateSpec(slot, data.get("name_zh", slot), tuple(out))


def _load(key: Key) -> ServiceKey:
    data = key["service"]
    domain = nfkc(data.get("domain", "")).casefold()
    tlds = frozenset(nfkc(t).casefold().lstrip(".") for t in data.get("tlds", ()))
    try:
        checked = validate_email(f"service@{domain}", check_deliverability=False)
    except EmailNotValidError as exc:
        raise KeyProblem(f"service.domain {domain!r} is not a valid domain ({exc})") from exc
    if checked.domain != domain:
        raise KeyProblem(f"service.domain {domain!r} is not in its normal form ({checked.domain!r})")
    if domain.rsplit(".", 1)[-1] not in tlds:
        raise KeyProblem(f"service.tlds lacks the store domain's top-level domain {domain.rsplit('.', 1)[-1]!r}")
    phrases = {name: _phrases(data.get("phrases", {}).get(name), f"service.phrases.{name}")
               for name in PHRASE_LISTS}
    order_ids = tuple(nfkc(o["order_id"]).upper() for o in key["orders"] if nfkc(o.get("order_id")))
    scenarios = tuple(_scenario(key, s, order_ids, n) for n, s in enumerate(data.get("scenarios", [])))
    if not scenarios:
        raise KeyProblem("service.scenarios is empty")
    templates = tuple(_template(slot, t) for slot, t in data.get("templates", {}).items())
    if not templates:
        raise KeyProblem("service.templates is empty")
    lengths = frozenset(m["tracking_length"] for m in key.get("logistics.methods", {}).values()
                        if m.get("tracking") == "digits" and isinstance(m.get("tracking_length"), int))
    return ServiceKey(domain, tlds, phrases, order_ids, scenarios, templates, lengths)


def service_key(key: Key) -> ServiceKey:
    """The unit-8 materials and phrase lists (the emails parsed), made when the paper loads."""
    return key.derive("service", _load)


def _key_problems(key: Key, params: dict[str, Any]) -> list[str]:
    try:
        service_key(key)
    except KeyProblem as exc:
        return [str(exc)]
    problems = []
    for name in ("min_words", "max_words"):
        if name in params and not isinstance(params[name], int):
            problems.append(f"parameter {name} must be a whole number")
    return problems


def _slots_match(kind: str, in_key: list[str], settings: dict[str, Any], where: str) -> list[str]:
    """The key's slots and the deliverable's (``replies`` or ``templates`` of its spec) are the same names."""
    declared = list(settings[kind]) if isinstance(settings[kind], dict) else []
    one = {"replies": "reply", "templates": "template"}[kind]
    unknown = [slot for slot in in_key if slot not in declared]
    if unknown:
        return [(f"{where} names {one} slot {unknown[0]!r}, which the deliverable's {kind} do not have "
                f"({kind}: {', '.join(declared) or 'none'})")]
    ungraded = [slot for slot in declared if slot not in in_key]
    if ungraded:
        return [(f"the deliverable's {one} slot {ungraded[0]!r} is not in {where} "
                f"(the key's: {', '.join(in_key) or 'none'})")]
    return []


def _element_problems(params: dict[str, Any], table: dict[str, Any]) -> list[str]:
    names = params["elements"]
    if not isinstance(names, list) or not names:
        return ["elements must list the elements each text is scored on"]
    unknown = [n for n in names if n not in table]
    if unknown:
        return [f"element {unknown[0]!r} is not one a text can be scored on ({', '.join(table)})"]
    if not isinstance(params["digit_run"], int) or params["digit_run"] < 2:
        return ["digit_run must be a whole number of digits, at least 2"]
    return []


def _reply_problems(key: Key, params: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    problems = _element_problems(params, REPLY_ELEMENTS) or _key_problems(key, params)
    if problems:
        return problems
    return _slots_match("replies", [s.reply for s in service_key(key).scenarios], settings, "service.scenarios")


def _template_problems(key: Key, params: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    holders = params["placeholders"]
    if not isinstance(holders, list) or not holders or not all(isinstance(h, str) and h for h in holders):
        return ["placeholders must list the placeholder names, such as buyer_name"]
    problems = _element_problems(params, TEMPLATE_ELEMENTS) or _key_problems(key, params)
    if problems:
        return problems
    return _slots_match("templates", [t.slot for t in service_key(key).templates], settings, "service.templates")


# ---------------------------------------------------------------- reading a text


@lru_cache(maxsize=256)
def _order_pattern(order_id: str) -> re.Pattern[str]:
    return _orders_pattern((order_id,))


@lru_cache(maxsize=16)
def _orders_pattern(order_ids: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the order ids, standing alone (longest first, so that one id inside another is not cut)."""
    alternatives = "|".join(re.escape(o) for o in sorted(order_ids, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)


_BREAK = re.compile(r"[.!?。！？]+(?=\s)|\n")


def quote(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around ``text[start:end]`` (at most QUOTE_LIMIT characters) and its line number."""
    left, right = 0, len(text)
    for m in _BREAK.finditer(text):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            right = m.start() if m.group() == "\n" else m.end()
            break
    sentence = " ".join(text[left:right].split())
    if len(sentence) > QUOTE_LIMIT:
        found = " ".join(text[start:end].split())
        at_ = max(0, sentence.find(found))
        begin = max(0, min(at_ - QUOTE_LIMIT // 3, len(sentence) - QUOTE_LIMIT))
        sentence = ("…" if begin else "") + sentence[begin:begin + QUOTE_LIMIT] + \
            ("…" if begin + QUOTE_LIMIT < len(sentence) else "")
    return sentence, text.count("\n", 0, start) + 1


def _words_match(name: str, toks: list, at_: int, text: str, typos: int | None) -> int | None:
    """If the name's words stand at token ``at_`` (joined by spaces or hyphens), the next token index."""
    wanted = [t.key for t in tokens(name)]
    if not wanted or at_ + len(wanted) > len(toks):
        return None
    for j, w in enumerate(wanted):
        if not same_word(w, toks[at_ + j].text, typos=typos):
            return None
        if j and not re.fullmatch(r"[\s\-]+", text[toks[at_ + j - 1].end:toks[at_ + j].start]):
            return None
    return at_ + len(wanted)


def greeting_by_name(text: str, scenario: Scenario, greetings: tuple[str, ...],
                     titles: tuple[str, ...], typos: int | None) -> Match | None:
    """A greeting word followed directly (a comma aside) by the first name, the full name, or a title
    and the last name (convention 16); a title before the first name is accepted too."""
    toks = tokens(text)
    for greeting in greetings:
        for g in find_all(greeting, text, typos=typos):
            k = next((i for i, t in enumerate(toks) if t.start >= g.end), len(toks))
            if k >= len(toks) or not re.fullmatch(r"\s*,?\s*", text[g.end:toks[k].start]):
                continue
            titled = any(same_word(t, toks[k].text) for t in titles)
            if titled and k + 1 < len(toks) and re.fullmatch(r"\.?\s+|\.", text[toks[k].end:toks[k + 1].start]):
                after_title = k + 1
            else:
                titled, after_title = False, k
            for name, start in ((scenario.first_name, after_title),
                                (scenario.last_name, after_title if titled else -1)):
                end = _words_match(name, toks, start, text, typos) if start >= 0 else None
                if end is not None:
                    return Match(greeting, text[g.start:toks[end - 1].end], g.start, toks[end - 1].end)
    return None


def closing_signed(text: str, closings: tuple[str, ...], typos: int | None) -> Match | None:
    """A closing phrase followed by at least one word (the signature, convention 29)."""
    for closing in closings:
        for m in find_all(closing, text, typos=typos):
            signature = words(text[m.end:])
            if signature:
                end = text.index(signature[0], m.end) + len(signature[0])
                return Match(closing, text[m.start:end], m.start, end)
    return None


def english(text: str, share: Fraction) -> tuple[bool, str, str]:
    """No Han character and at least ``share`` of the letters in A–Z/a–z (convention 16): whether
    it is English, and the measure in English and in Chinese."""
    letters = [ch for ch in text if ch.isalpha()]
    ascii_letters = sum(1 for ch in letters if ch.isascii())
    han = HAN.findall(text)
    if han:
        first = "".join(han[:10])
        return (False, *say(N_("{count} Chinese characters (first: {first})"), count=len(han), first=first))
    if not letters:
        return (False, *say(N_("no letters")))
    ratio = Fraction(ascii_letters, len(letters))
    percent = f"{float(ratio) * 100:.1f}%"
    ok = ratio >= share
    below = "" if ok else f" < {float(share) * 100:g}%"
    return (ok, *say(N_("{ascii} of {letters} letters A–Z/a–z ({percent}{below})"), ascii=ascii_letters,
                     letters=len(letters), percent=percent, below=below))


# ---------------------------------------------------------------- prohibited content (convention 17)


@dataclass(frozen=True)
class Finding:
    kind: str
    kind_zh: str
    text: str
    start: int
    end: int


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+")
_DATE = re.compile(r"(?<![0-9])([0-9]{4})([-/])([0-9]{2})\2([0-9]{2})(?![0-9])")
_URL = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>\"'“”‘’]+")
_WWW = re.compile(r"(?<![A-Za-z0-9.\-])www\.[A-Za-z0-9][^\s<>\"'“”‘’]*", re.IGNORECASE)
_DOMAIN = re.compile(r"(?<![A-Za-z0-9\-.@])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+([A-Za-z]{2,63})"
                     r"(?![A-Za-z0-9\-])")
_DIGITS = re.compile(r"(?<![0-9])\+?\(?[0-9](?:[ \t\u00a0\-‐‑‒–—.()]*[0-9])+")
TRAILING = ".,;:!?)]}'\"’”"


def _blank(text: str, start: int, end: int) -> str:
    """Remove a span, keeping offsets; a line break so that nothing joins across it."""
    return text[:start] + "\n" * (end - start) + text[end:]


def _valid_date(m: re.Match[str]) -> bool:
    try:
        dt.date(int(m[1]), int(m[3]), int(m[4]))
        return True
    except ValueError:
        return False


def materials_removed(text: str, sk: ServiceKey) -> str:
    """The text without the materials' order ids, the store's email addresses and YYYY-MM-DD dates."""
    for m in list(_EMAIL.finditer(text)):
        if m.group().rsplit("@", 1)[1].casefold() == sk.domain:
            text = _blank(text, m.start(), m.end())
    for m in list(_orders_pattern(sk.order_ids).finditer(text)) if sk.order_ids else ():
        text = _blank(text, m.start(), m.end())
    for m in list(_DATE.finditer(text)):
        if _valid_date(m):
            text = _blank(text, m.start(), m.end())
    return text


_SEPARATED_DATE = re.compile(r"(\d{4})[./\s]?(\d{1,2})[./\s]?(\d{1,2})")
_S10 = re.compile(r"[A-Za-z]{2}[ \-]?(?:\d[ \-]?){9}[A-Za-z]{2}")
_ORDER_FORM = re.compile(r"([A-Za-z]+)(\d+)")


def digits_look_like(text: str, start: int, end: int, sk: ServiceKey | None = None) -> Said:
    """What a run of digits looks like, so the evidence says what was found (all are prohibited
    alike, convention 17): a tracking number of a form unit 7's methods give (UPU S10, or the
    express courier's digits), an order id of the materials' form, a date, a phone number, or
    just a number.

    >>> digits_look_like("RR123456785CN", 2, 11)
    Said(en=' (a tracking number, UPU S10)', zh='（运单号，UPU S10）')
    >>> digits_look_like("on 2026.12.04", 3, 13)
    Said(en=' (a date not written YYYY-MM-DD)', zh='（非 YYYY-MM-DD 格式的日期）')
    >>> digits_look_like("+86 (571) 8888-1234", 0, 19)
    Said(en=' (a phone number)', zh='（电话号码）')
    >>> digits_look_like("1234567", 0, 7)
    Said(en=' (a number of 7 digits)', zh='（7 位数字）')
    """
    run = text[start:end]
    digits = "".join(ch for ch in run if ch.isdigit())
    around = _S10.match(text, max(0, start - 3)) or _S10.match(text, max(0, start - 2))
    if around and around.start() < start and around.end() > end - 1:
        return say(N_(" (a tracking number, UPU S10)"))
    if sk is not None and run.isdigit() and _is_order_form(text, start, end, sk.order_ids):
        return say(N_(" (an order id, not one of the materials')"))
    date = _SEPARATED_DATE.fullmatch(run)
    if date and 6 <= len(digits) <= 8:
        try:
            dt.date(int(date[1]), int(date[2]), int(date[3]))
            return say(N_(" (a date not written YYYY-MM-DD)"))
        except ValueError:
            pass
    if not run.isdigit() or (len(digits) == 11 and digits.startswith("1")):
        return say(N_(" (a phone number)"))
    if sk is not None and len(digits) in sk.tracking_lengths:
        return say(N_(" (a tracking number, express: {count} digits)"), count=len(digits))
    return say(N_(" (a number of {count} digits)"), count=len(digits))


def _is_order_form(text: str, start: int, end: int, order_ids: tuple[str, ...]) -> bool:
    """The run and the letters just before it have the form of a materials' order id (SO + 8 digits)."""
    prefix = re.search(r"[A-Za-z]+$", text[max(0, start - 8):start])
    if prefix is None:
        return False
    forms = {(m[1].upper(), len(m[2])) for m in map(_ORDER_FORM.fullmatch, order_ids) if m}
    return (prefix.group().upper(), end - start) in forms


def prohibited(text: str, sk: ServiceKey, digit_run: int, typos: int | None) -> list[Finding]:
    """Every prohibited item of the text, in text order (convention 17 and the key's phrase lists,
    each phrase with the typo rule of ``typos`` letters); a run of ``digit_run`` or more digits is
    one of them."""
    clean = materials_removed(text, sk)
    found: list[Finding] = []

    def take(pattern: re.Pattern[str], kind: str, kind_zh: str, keep=lambda m: True, needs: str = "",
             name=None) -> None:
        nonlocal clean
        if needs and needs not in clean.casefold():  # the pattern cannot match without it: not scanned
            return
        for m in list(pattern.finditer(clean)):
            if keep(m):
                end = m.start() + len(m.group().rstrip(TRAILING))  # a sentence's full stop is not the link's
                what, what_zh = name(text, m.start(), end) if name else ("", "")
                found.append(Finding(kind + what, kind_zh + what_zh, text[m.start():end], m.start(), end))
                clean = _blank(clean, m.start(), end)

    take(_URL, *say(N_("link")), needs="://")
    take(_EMAIL, *say(N_("email address other than the store's")), needs="@")
    take(_WWW, *say(N_("www. address")), needs="www.")
    take(_DOMAIN, *say(N_("domain name")), lambda m: m.group(1).casefold() in sk.tlds)
    take(_DIGITS, *say(N_("run of {count} or more digits"), count=digit_run),
         lambda m: sum(ch.isdigit() for ch in m.group()) >= digit_run,
         name=lambda text, start, end: digits_look_like(text, start, end, sk))
    for name, kind, kind_zh in (("review_request", *say(N_("request for a review or positive feedback"))),
                                ("incentive", *say(N_("incentive for a review"))),
                                ("off_platform", *say(N_("payment or contact outside the platform")))):
        for phrase in sk.phrases[name]:
            for m in find_all(phrase, clean, typos=typos):
                if not any(f.kind == kind and f.start < m.end and m.start < f.end for f in found):
                    found.append(Finding(kind, kind_zh, text[m.start:m.end], m.start, m.end))
    return sorted(found, key=lambda f: (f.start, f.kind))


# ---------------------------------------------------------------- elements


@dataclass(frozen=True)
class Element:
    """One scored element of a text: met or not, with the quote or the measured value."""

    number: int
    name: str
    name_zh: str
    ok: bool
    found: str = ""
    expected: str = ""
    line: int = 0
    detail: str = ""  # the measured value, or why it failed
    detail_zh: str = ""  # the same in Chinese; the English detail when it is only a quote or values
    findings: tuple[Finding, ...] = ()  # the prohibited items, for the element that looks for them


def _phrase_element(number: int, name: str, name_zh: str, phrases: tuple[str, ...], text: str,
                    typos: int | None) -> Element:
    match = find_any(phrases, text, typos=typos)
    sample = ", ".join(f"“{p}”" for p in phrases[:4]) + (", …" if len(phrases) > 4 else "")
    if match is None:
        return Element(number, name, name_zh, False, "(not found)", f"a phrase such as {sample}")
    sentence, line = quote(text, match.start, match.end)
    return Element(number, name, name_zh, True, sentence, f"a phrase such as {sample}", line,
                   f"“{match.text}”")


def _match_element(number: int, name: str, name_zh: str, match: Match | None, text: str,
                   expected: str) -> Element:
    if match is None:
        return Element(number, name, name_zh, False, "(not found)", expected)
    sentence, line = quote(text, match.start, match.end)
    return Element(number, name, name_zh, True, sentence, expected, line, f"“{' '.join(match.text.split())}”")


def _english(text: str, sk: ServiceKey, params: dict[str, Any]) -> Element:
    ok, detail, detail_zh = english(text, Fraction(str(params["english_share"])))
    return Element(0, *say(N_("English")), ok, detail, f"no Chinese character, ≥ {params['english_share']} "
                   f"of letters A–Z/a–z", detail=detail, detail_zh=detail_zh)


def _word_count(text: str, sk: ServiceKey, params: dict[str, Any]) -> Element:
    count = len(words(text))
    low, high = params["min_words"], params["max_words"]
    counted = say(N_("{count} words"), count=count)
    return Element(0, *say(N_("{low}–{high} words"), low=low, high=high), low <= count <= high,
                   counted.en, f"{low}–{high} words", detail=counted.en, detail_zh=counted.zh)


def _no_prohibited(text: str, sk: ServiceKey, params: dict[str, Any]) -> Element:
    items = prohibited(text, sk, params["digit_run"], params[TYPOS])
    counted = say(N_("{count} prohibited items"), count=len(items)) if len(items) != 1 else \
        say(N_("{count} prohibited item"), count=len(items))
    return Element(0, *say(N_("no prohibited content")), not items,
                   "; ".join(f"{f.kind}: “{f.text}”" for f in items) or "(none)",
                   "no link, other address, phone number, review request, incentive or off-platform request",
                   detail=counted.en, detail_zh=counted.zh, findings=tuple(items))


# The element functions' settings are the criterion's parameters and, under TYPOS, the paper's
# ``typo_min_letters`` (the shortest word whose phrases tolerate one typo; convention 12).
TYPOS = "typo_min_letters"
# Elements both kinds of text may be scored on: text, key, settings → the element.
COMMON_ELEMENTS: dict[str, Callable[[str, ServiceKey, dict[str, Any]], Element]] = {
    "english": _english,
    "word_count": _word_count,
    "no_prohibited": _no_prohibited,
    "greeting": lambda text, sk, p: _phrase_element(0, *say(N_("greeting")), sk.phrases["greeting"], text, p[TYPOS]),
    "apology": lambda text, sk, p: _phrase_element(0, *say(N_("apology")), sk.phrases["apology"], text, p[TYPOS]),
    "closing": lambda text, sk, p: _phrase_element(0, *say(N_("polite closing")), sk.phrases["closing"], text,
                                                   p[TYPOS]),
}


def _greets_by_name(text: str, scenario: Scenario, sk: ServiceKey, params: dict[str, Any]) -> list[Element]:
    names = f"{scenario.first_name}, {scenario.buyer_name} or a title and {scenario.last_name}"
    return [_match_element(0, *say(N_("greets the buyer by name")),
                           greeting_by_name(text, scenario, sk.phrases["greeting"], sk.phrases["titles"],
                                            params[TYPOS]), text,
                           f"a greeting word followed by {names}")]


def _cites_order(text: str, scenario: Scenario, sk: ServiceKey, params: dict[str, Any]) -> list[Element]:
    order = _order_pattern(scenario.order_id).search(text)
    return [_match_element(0, *say(N_("cites the order id")),
                           Match(scenario.order_id, order.group(), order.start(), order.end()) if order else None,
                           text, scenario.order_id)]


def _addresses_case(text: str, scenario: Scenario, sk: ServiceKey, params: dict[str, Any]) -> list[Element]:
    return [_phrase_element(0, *say(N_("addresses the case ({case})"),
                                    case=Said(scenario.case_name, scenario.case_name_zh)),
                            scenario.case, text, params[TYPOS])]


def _offers_resolution(text: str, scenario: Scenario, sk: ServiceKey, params: dict[str, Any]) -> list[Element]:
    return [_phrase_element(0, *say(N_("offers a concrete resolution ({resolution})"),
                                    resolution=Said(scenario.resolution_name, scenario.resolution_name_zh)),
                            scenario.resolution, text, params[TYPOS])]


def _closes_signed(text: str, scenario: Scenario, sk: ServiceKey, params: dict[str, Any]) -> list[Element]:
    return [_match_element(0, *say(N_("closes politely with a signature")),
                           closing_signed(text, sk.phrases["closing"], params[TYPOS]), text,
                           "a closing phrase followed by a signature")]


def _placeholders(text: str, spec: TemplateSpec, sk: ServiceKey, params: dict[str, Any]) -> list[Element]:
    names = params["placeholders"]
    found = [(name, placeholder_pattern(name).search(text)) for name in names]
    written = " and ".join(f"{{{n}}}" for n in names)
    bracketed = " and ".join(f"[{' '.join(w.capitalize() for w in n.split('_'))}]" for n in names)
    missing = [f"{{{name}}}" for name, m in found if m is None]
    what = say(N_("both placeholders")) if len(names) == 2 else say(N_("the {count} placeholders"), count=len(names))
    if missing:
        absent = say(N_("missing {placeholders}"), placeholders=joined([Said(m, m) for m in missing], " and ", "、"))
        return [Element(0, *what, False, "(not found)", f"{written} (or {bracketed})",
                        detail=absent.en, detail_zh=absent.zh)]
    first = found[0][1]
    sentence, line = quote(text, first.start(), first.end())
    return [Element(0, *what, True, sentence, written, line,
                    " and ".join(f"“{m.group()}”" for _, m in found))]


def _template_own(text: str, spec: TemplateSpec, sk: ServiceKey, params: dict[str, Any]) -> list[Element]:
    return [_phrase_element(0, e.name, e.name_zh, e.phrases, text, params[TYPOS]) for e in spec.elements]


def _common(name: str) -> Callable[[str, Any, ServiceKey, dict[str, Any]], list[Element]]:
    return lambda text, own, sk, params: [COMMON_ELEMENTS[name](text, sk, params)]


# The elements a reply may be scored on (``elements`` of U8-03, in the rubric's order).
REPLY_ELEMENTS: dict[str, Callable[[str, Scenario, ServiceKey, dict[str, Any]], list[Element]]] = {
    "greets_by_name": _greets_by_name,
    "cites_order": _cites_order,
    "addresses_case": _addresses_case,
    "offers_resolution": _offers_resolution,
    "closes_signed": _closes_signed,
    **{name: _common(name) for name in COMMON_ELEMENTS},
}
# The elements a template may be scored on (``elements`` of U8-04); ``template_own`` stands for
# each element the key gives the template, in the key's order.
TEMPLATE_ELEMENTS: dict[str, Callable[[str, TemplateSpec, ServiceKey, dict[str, Any]], list[Element]]] = {
    "placeholders": _placeholders,
    "template_own": _template_own,
    **{name: _common(name) for name in COMMON_ELEMENTS},
}


@lru_cache(maxsize=64)
def placeholder_pattern(name: str) -> re.Pattern[str]:
    """A placeholder written in braces or brackets, any case, its words joined by nothing, a space or
    an underscore (convention 29): ``{buyer_name}``, ``[Buyer Name]``, ``{BUYERNAME}``."""
    joined = "[ _]?".join(re.escape(w) for w in name.split("_"))
    return re.compile(rf"\{{{joined}\}}|\[{joined}\]", re.IGNORECASE)


def scored_elements(text: str, own: Any, sk: ServiceKey, params: dict[str, Any], table: dict[str, Any]
                    ) -> list[Element]:
    """The elements of ``params["elements"]`` for one text, numbered in order from 1."""
    found = [e for name in params["elements"] for e in table[name](text, own, sk, params)]
    return [replace(e, number=n) for n, e in enumerate(found, start=1)]


def element_count(own: Any, params: dict[str, Any]) -> int:
    """How many elements a text is scored on (a template's own elements count one each)."""
    return sum(len(own.elements) if name == "template_own" else 1 for name in params["elements"])


def is_empty(text: str) -> bool:
    """Convention 17: a text with no letter or digit earns no element at all."""
    return not any(ch.isalnum() for ch in text)


# ---------------------------------------------------------------- evidence


def _where(tf: TextFile) -> str:
    return tf.file or tf.expected


def _element_evidence(tf: TextFile, element: Element, share_text: str, share_zh: str) -> Evidence:
    values = {"slot": tf.slot, "number": element.number, "name": Said(element.name, element.name_zh)}
    if element.ok:
        if element.detail.startswith("“"):
            said = say(N_("{slot} ({number}) {name}: {detail} in “{found}”"), detail=element.detail,
                       found=element.found, **values)
        elif element.detail:
            said = say(N_("{slot} ({number}) {name}: {detail}"), detail=element.detail, **values)
        else:
            said = say(N_("{slot} ({number}) {name}"), **values)
    else:
        why = Said(element.detail or "not found", element.detail_zh or element.detail or say(N_("not found")).zh)
        said = say(N_("{slot} ({number}) {name}: not met ({why}), −{share}"), why=why, share=Said(share_text, share_zh),
                   **values)
    return Evidence(*said, file=_where(tf), cell=f"line {element.line}" if element.line else "",
                    expected=element.expected, found=element.found, ok=element.ok)


def _prohibited_evidence(tf: TextFile, text: str, findings: list[Finding]) -> list[Evidence]:
    out = []
    for f in findings:
        sentence, line = quote(text, f.start, f.end)
        out.append(Evidence(*say(N_("{slot}: prohibited {kind}: “{text}”"), slot=tf.slot, kind=Said(f.kind, f.kind_zh),
                                 text=f.text),
                            file=_where(tf), cell=f"line {line}", expected="no prohibited content",
                            found=sentence))
    return out


def _points_text(value: Fraction) -> str:
    return str(value) if value.denominator == 1 else f"{float(value):g}"


def grade_texts(jobs: list[tuple[TextFile, Any]], table: dict[str, Any], sk: ServiceKey,
                params: dict[str, Any], points: Fraction | None) -> Outcome:
    """Score each text's elements: an equal share per text, an equal share per element within it."""
    earned, evidence = Fraction(0), []
    for tf, spec in jobs:
        count = element_count(spec, params)
        per_element = Fraction(1, len(jobs) * count)
        element_points = say(N_("{points} point"), points=_points_text(points * per_element)) if points else \
            say(N_("{share} of the criterion"), share=per_element)
        if not tf.read:
            evidence.append(Evidence(*say(N_("{slot}: {problem}; 0 of {count} elements"), slot=tf.slot,
                                          problem=_problem(tf.problem), count=count),
                                     file=_where(tf), expected=tf.expected, found=tf.problem))
            continue
        text = nfkc_lines(tf.text)
        if is_empty(text):
            evidence.append(Evidence(*say(N_("{slot}: empty text (no letter or digit); 0 of {count} elements"),
                                          slot=tf.slot, count=count), file=_where(tf), expected="a text",
                                     found="(empty)"))
            continue
        elements = scored_elements(text, spec, sk, params, table)
        met = sum(1 for e in elements if e.ok)
        earned += per_element * met
        counted = say(N_("{slot}: {met} of {count} elements"), slot=tf.slot, met=met, count=count) \
            if tf.encoding in ("utf-8", "docx") else \
            say(N_("{slot}: {met} of {count} elements (read as {encoding})"), slot=tf.slot, met=met, count=count,
                encoding=tf.encoding)
        evidence.append(Evidence(*counted, file=_where(tf),
                                 found=f"{met}/{count}", ok=met == count))
        evidence.extend(_element_evidence(tf, e, *element_points) for e in elements)
        evidence.extend(_prohibited_evidence(tf, text, [f for e in elements for f in e.findings]))
    return Outcome(earned, tuple(evidence))


def _problem(problem: str) -> Said:
    """Why a file could not be graded: the reader's words in English, not found or unreadable in Chinese."""
    return Said(problem, say(N_("not found")).zh if problem == "not found" else say(N_("unreadable")).zh)


def nfkc_lines(text: str) -> str:
    """NFKC (convention 3) keeping line breaks, which the quotes and the signature rule rely on."""
    return "\n".join(nfkc(line) for line in text.split("\n"))


# ---------------------------------------------------------------- the mailbox


def _mailbox_field(ctx: CheckContext, field: str) -> tuple[Sheet | None, Cell | None, Outcome | None]:
    """The mailbox sheet and one of its fields, or a zero outcome saying what is missing."""
    folder: ServiceFolder = ctx.deliverable
    expected = f"{folder.folder}/mailbox.xlsx"
    if folder.mailbox is None:
        found = folder.mailbox_problem or "not found"
        return None, None, Outcome(Fraction(0), (Evidence(
            *say(N_("mailbox {problem}"), problem=_problem(found)),
            file=folder.mailbox_file or expected, expected=expected, found=found),))
    sheet = folder.mailbox.sheet(ctx.params["sheet"])
    if sheet is None:
        return None, None, Outcome(Fraction(0), (Evidence(
            *say(N_("sheet {name!r} not found in {file}"), name=ctx.params["sheet"], file=folder.mailbox.file), file=folder.mailbox.file,
            sheet=ctx.params["sheet"], expected=f"a sheet named {ctx.params['sheet']}", found="(missing)"),))
    cell = sheet.field(field)
    if cell.empty:
        return sheet, cell, Outcome(Fraction(0), (at(
            sheet, cell, *say(N_("{field} is empty or missing"), field=field), expected=f"a {field}",
            found="(empty)"),))
    return sheet, cell, None


@check("service_email", reads=(Reads("sheet", fields=("field",)),), needs=("service.domain",), params=("sheet", "field"), validate=_key_problems)
def service_email(ctx: CheckContext) -> Outcome:
    """service_email is a valid address (syntax only, email-validator, no network) on the store's
    domain exactly; a subdomain is not the store's domain (convention 29).

    Okay: ``support@hanyue-trade.cn``, ``Support@HANYUE-TRADE.CN``. Fails: ``support@mail.hanyue-trade.cn``
    (a subdomain), ``support@hanyue-trade.com`` (another domain), ``support@hanyue-trade`` (invalid).
    """
    sheet, cell, missing = _mailbox_field(ctx, ctx.params["field"])
    if missing is not None:
        return missing
    domain = service_key(ctx.key).domain
    value = nfkc(cell.value)
    try:
        found = validate_email(value, check_deliverability=False).domain.casefold()
    except EmailNotValidError as exc:
        return Outcome(Fraction(0), (at(sheet, cell, *say(N_("service_email {value!r} is not valid: {error}"),
                                                          value=value, error=exc), expected=f"an address @{domain}"),))
    if found == domain:
        return Outcome(Fraction(1), (at(sheet, cell, *say(N_("service_email is valid and on the store's domain {domain}"),
                                                          domain=domain), expected=f"an address @{domain}",
                                        ok=True),))
    if found.endswith("." + domain):
        said = say(N_("service_email is on {found}, a subdomain of {domain}, not the store's domain"), found=found,
                   domain=domain)
    else:
        said = say(N_("service_email is on {found}, not the store's domain {domain}"), found=found, domain=domain)
    return Outcome(Fraction(0), (at(sheet, cell, *said,
                                    expected=f"an address @{domain}"),))


def _unit1_username(ctx: CheckContext) -> tuple[Sheet, Cell] | None:
    """Unit 1's company username as read (None when there is no readable one)."""
    p = ctx.params
    book = ctx.uses["unit1"].parsed if "unit1" in ctx.uses else None
    sheet = book.sheet(p["unit1_sheet"]) if book is not None else None
    if sheet is None or sheet.field(p["unit1_field"]).empty:
        return None
    return sheet, sheet.field(p["unit1_field"])


@check("store_username", reads=(Reads("sheet", fields=("field",)), Reads("unit1_sheet", fields=("unit1_field",), deliverable="unit1"),), params=("sheet", "field", "unit1_sheet", "unit1_field"), uses=("unit1",),
       refers=("username_rule",))
def store_username(ctx: CheckContext) -> Outcome:
    """store_username equals unit 1's company username (convention 3: trim, NFKC, case aside). With
    no readable unit-1 company username the point is earned when store_username meets the username
    rule of the criterion ``username_rule`` names, flagged ``no-unit-1`` (convention 10: one mistake
    is charged once).

    Okay: ``hanyue_trade01`` where u1_accounts' company username is ``Hanyue_Trade01``; ``hanyue_trade01``
    with no u1_accounts file. Fails: ``hanyue_trade02`` against ``hanyue_trade01``; ``1hanyue`` with no
    u1_accounts file (breaks the username rule).
    """
    sheet, cell, missing = _mailbox_field(ctx, ctx.params["field"])
    if missing is not None:
        return missing
    unit1 = _unit1_username(ctx)
    if unit1 is not None:
        u1_sheet, u1_cell = unit1
        where = f"{u1_sheet.file} {u1_sheet.name}!{u1_cell.ref}"
        same = texts_equal(cell.value, u1_cell.value)
        values = {"username": shown(u1_cell.value), "where": where}
        return Outcome(Fraction(1 if same else 0), (at(
            sheet, cell, *(say(N_("store_username equals unit 1's company username {username!r} ({where})"), **values)
                           if same else
                           say(N_("store_username differs from unit 1's company username {username!r} ({where})"),
                               **values)),
            expected=shown(u1_cell.value), ok=same),))
    rule = ctx.referred["username_rule"]
    problems = username_problems(cell.value, rule["min_length"], rule["max_length"], rule["platforms"])
    flag = Flag("no-unit-1", f"no readable unit-1 company username; {ctx.criterion} graded on the username "
                             f"rule of {ctx.params['username_rule']}", sheet.file)
    if problems:
        return Outcome(Fraction(0), (at(sheet, cell, *say(N_("no unit-1 company username to compare with, and "
                                                             "store_username breaks the username rule: {problems}"),
                                                          problems=joined(problems)),
                                        expected="a username meeting the rule of " + ctx.params["username_rule"]),),
                       (flag,))
    return Outcome(Fraction(1), (at(sheet, cell, *say(N_("no unit-1 company username to compare with; store_username "
                                                         "meets the username rule of {rule}"),
                                                      rule=ctx.params["username_rule"]),
                                    expected="a username meeting the rule", ok=True),), (flag,))


# ---------------------------------------------------------------- replies and templates


@check("service_replies", needs=("service.scenarios", "orders.order_id", "logistics.methods"),
       params=("elements", "min_words", "max_words", "english_share", "digit_run"), settings=("replies",),
       validate=_reply_problems)
def service_replies(ctx: CheckContext) -> Outcome:
    """Each reply (an equal share) is scored on the criterion's ``elements``, in their order, an
    equal share each (``REPLY_ELEMENTS``): greets the buyer by name, cites the order id, addresses
    the case and offers a concrete resolution (the scenario's phrase lists), a closing phrase
    followed by a signature, English (``english_share`` of the letters), ``min_words``–``max_words``
    words, no prohibited content (a run of ``digit_run`` digits among it). Each reply slot answers
    the materials' email whose scenario names it; an empty text earns no element.

    Okay: "Dear Ms. Carter, … order SO26110006 … delayed … will ship within 24 hours … Best regards, Lin".
    Fails (one element each): "Dear customer," (no name), another order id, "Best regards." with
    nothing after it, a Chinese sentence, too few words, "www.hanyue-shop.com", "+86 571 8888 1234",
    "please leave us a 5-star review", "add us on WhatsApp".
    """
    sk = service_key(ctx.key)
    folder: ServiceFolder = ctx.deliverable
    jobs = [(folder.replies.get(s.reply) or TextFile(s.reply, problem="not found"), s) for s in sk.scenarios]
    return grade_texts(jobs, REPLY_ELEMENTS, sk, {**ctx.params, TYPOS: ctx.typo_min_letters}, ctx.points)


@check("service_templates", needs=("service.templates", "orders.order_id", "logistics.methods"),
       params=("elements", "placeholders", "min_words", "max_words", "english_share", "digit_run"),
       settings=("templates",), validate=_template_problems)
def service_templates(ctx: CheckContext) -> Outcome:
    """Each template (an equal share) is scored on the criterion's ``elements``, in their order, an
    equal share each (``TEMPLATE_ELEMENTS``): every placeholder of ``placeholders`` (``[]`` or
    ``{}``, any case, words joined by nothing, a space or _), a greeting word, an apology, each of
    the template's own elements in the key (``template_own``), a polite closing, English,
    ``min_words``–``max_words`` words, no prohibited content.

    Okay: "Dear [Buyer Name], we are sorry … order {ORDER_ID} is out of stock … a full refund …
    Kind regards". Fails (one element each): only {buyer_name}, "{ buyer_name }", no greeting word,
    no apology, no refund timing, too many words, a phone number, "in exchange for a positive review".
    """
    sk = service_key(ctx.key)
    folder: ServiceFolder = ctx.deliverable
    jobs = [(folder.templates.get(t.slot) or TextFile(t.slot, problem="not found"), t) for t in sk.templates]
    return grade_texts(jobs, TEMPLATE_ELEMENTS, sk, {**ctx.params, TYPOS: ctx.typo_min_letters}, ctx.points)
