"""Unit 1 checks: seller account registration (usernames, emails, ID numbers, cards, credit codes).

Numbers are compared after python-stdnum's ``compact`` (spaces and hyphens removed, upper
case, convention 24) and validated with ``stdnum.iso7064.mod_11_2`` (the GB 11643 check character), ``stdnum.cn.uscc``
(GB 32100) and ``stdnum.luhn``. A malformed value never raises out of a check: stdnum's
exceptions, and the ``KeyError`` some malformed IDs raise, become "invalid" with evidence.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from email_validator import EmailNotValidError, validate_email
from stdnum import luhn
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

from grader.checks import CheckContext, Reads, check
from grader.checks.common import Problem, all_or_nothing, at, joined, sheet_or_outcome
from grader.locale import N_, Said, say
from grader.model import Evidence, Outcome
from grader.paper import Key
from grader.records.tables import Sheet
from grader.values import nfkc, texts_equal


def compact(value: object) -> str:
    """stdnum-style compact form: spaces and hyphens removed, upper case."""
    return re.sub(r"[\s\-]+", "", nfkc(value)).upper()


def _valid(validator: Callable[[str], Any], value: str) -> bool:
    try:
        return bool(validator(value))
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception:  # noqa: BLE001 - stdnum raises ValidationError subclasses, and KeyError for some malformed IDs
        return False


CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z


def valid_id(value: object) -> bool:
    """GB 11643 resident ID number: 17 digits and the ISO 7064 MOD 11-2 check character.

    Convention 22 makes the check character the test; birth place and date are not looked up
    (``stdnum.cn.ric.validate`` would, and raises ``KeyError`` on some malformed numbers).
    """
    number = compact(value)
    return len(number) == 18 and number[:17].isdigit() and _valid(mod_11_2.validate, number)


def valid_credit_code(value: object) -> bool:
    """GB 32100 unified social credit code: 18 characters of its alphabet and the mod 31 check character.

    Convention 22 makes the check character the test. ``stdnum.cn.uscc.validate`` also wants
    digits in the first eight places, which refuses the lettered registering authorities of
    GB 32100 (``Y`` other, ``A`` …); its ``calc_check_digit`` is the standard's arithmetic.

    >>> valid_credit_code("91330106MA2B0C1D2X"), valid_credit_code("Y133010034567890AE")
    (False, True)
    """
    number = compact(value)
    if len(number) != 18 or any(c not in CREDIT_ALPHABET for c in number):
        return False
    return number[-1] == uscc.calc_check_digit(number[:17])


def valid_card(value: object) -> bool:
    return _valid(luhn.validate, compact(value)) and compact(value).isdigit()


def _field(sheet: Sheet, name: str, expected: object, *, label: Said,
           number: bool = False, valid: Callable[[object], bool] | None = None) -> list[Evidence]:
    """Evidence that a field equals the materials' (and, for a number, passes its check)."""
    cell = sheet.field(name)
    same = compact(cell.value) == compact(expected) if number else texts_equal(cell.value, expected)
    said = say(N_("{label} equals the materials'"), label=label) if same else \
        say(N_("{label} differs from the materials'"), label=label)
    evidence = [at(sheet, cell, *said, expected=expected, ok=same and not cell.empty)]
    if valid is not None:
        ok = valid(cell.value)
        said = say(N_("{label} passes its check digit"), label=label) if ok else \
            say(N_("{label} fails its check digit"), label=label)
        evidence.append(at(sheet, cell, *said, expected="a valid number", ok=ok))
    return evidence


# ---------------------------------------------------------------- U1-01


def username_problems(value: object, min_length: int, max_length: int, platforms: list[str]) -> list[Problem]:
    """What breaks the username rule; the value is taken as typed, trimmed (convention 24)."""
    text = "" if value is None else str(value).strip()
    problems = []
    if not min_length <= len(text) <= max_length:
        problems.append(say(N_("{count} characters, not {low}–{high}"), count=len(text), low=min_length,
                            high=max_length))
    if not text[:1].isascii() or not text[:1].isalpha():
        problems.append(say(N_("does not start with a letter")))
    if not re.fullmatch(r"[A-Za-z0-9_]*", text):
        problems.append(say(N_("holds characters other than letters, digits and _")))
    lowered = text.casefold()
    named = [p for p in platforms if p.casefold() in lowered]
    if named:
        problems.append(say(N_("contains the platform name {platform!r}"), platform=named[0]))
    return problems


def username_rule(min_length: int, max_length: int) -> str:
    """The rule as the evidence's expected value states it, from the paper's parameters."""
    return f"{min_length}–{max_length} letters/digits/_, starting with a letter, no platform name"


@check("usernames", reads=(Reads("sheets", fields=("field",)),), params=("sheets", "field", "min_length", "max_length",
                                                                         "platforms"))
def usernames(ctx: CheckContext) -> Outcome:
    """Each account's username: ``min_length``–``max_length`` characters, starts with a letter,
    letters/digits/_ only, no name of ``platforms`` (case-insensitive substring) — an equal share
    per account.

    Okay: ``hanyue_trade01``. Fails: ``1shop2026`` (starts with a digit), ``ebay_star``
    (platform name), ``ｓｈｏｐ2026`` (full-width letters are not ASCII).
    """
    p = ctx.params
    evidence, earned = [], Fraction(0)
    share = Fraction(1, len(p["sheets"]))
    for name in p["sheets"]:
        sheet, missing = sheet_or_outcome(ctx, name)
        if sheet is None:
            evidence.extend(missing.evidence)
            continue
        cell = sheet.field(p["field"])
        problems = username_problems(cell.value, p["min_length"], p["max_length"], p["platforms"])
        if not problems:
            earned += share
            evidence.append(at(sheet, cell, *say(N_("{name} username meets the rule"), name=name), ok=True))
        else:
            evidence.append(at(sheet, cell, *say(N_("{name} username: {problems}"), name=name,
                                                 problems=joined(problems)),
                               expected=username_rule(p["min_length"], p["max_length"])))
    return Outcome(earned, tuple(evidence))


# ---------------------------------------------------------------- U1-02


@check("emails", reads=(Reads("sheets", fields=("field",)),), needs=("accounts",), params=("sheets", "field"))
def emails(ctx: CheckContext) -> Outcome:
    """Both emails are valid addresses (syntax only, no network) and equal the materials'.

    Okay: ``linxiaowen2026@163.com``. Fails: ``linxiaowen2026@163`` (no top-level domain),
    another valid address than the materials' one.
    """
    evidence: list[Evidence] = []
    for name in ctx.params["sheets"]:
        sheet, missing = sheet_or_outcome(ctx, name)
        if sheet is None:
            evidence.extend(missing.evidence)
            continue
        cell = sheet.field(ctx.params["field"])
        expected = ctx.key.lookup(f"accounts.{name}.email")
        try:
            validate_email(nfkc(cell.value), check_deliverability=False)
            valid, why = True, ""
        except EmailNotValidError as exc:
            valid, why = False, str(exc)
        said = say(N_("{name} email is valid"), name=name) if valid else \
            say(N_("{name} email is not valid: {why}"), name=name, why=why)
        evidence.append(at(sheet, cell, *said, expected="a valid address", ok=valid))
        evidence.extend(_field(sheet, ctx.params["field"], expected, label=say(N_("{name} email"), name=name)))
    return all_or_nothing(evidence)


# ---------------------------------------------------------------- U1-03, U1-06


def _person_paths(key: Key, params: dict[str, Any]) -> list[str]:
    problems = []
    for path in (params["key_name"], params["key_id"]):
        if key.get(path) is None:
            problems.append(f"the key lacks {path}")
    if not problems and not valid_id(key.lookup(params["key_id"])):
        problems.append(f"{params['key_id']} is not a valid GB 11643 ID number")
    return problems


@check("person_identity", reads=(Reads("sheet", fields=("name_field", "id_field")),), params=("sheet", "name_field", "id_field", "key_name", "key_id"),
       validate=_person_paths)
def person_identity(ctx: CheckContext) -> Outcome:
    """A person's name and ID number equal the materials', and the ID passes GB 11643.

    Okay: ``110108198503152348``. Fails: ``110108198503152347`` (check digit), a different
    person's valid ID, the name written differently.
    """
    p = ctx.params
    sheet, missing = sheet_or_outcome(ctx, p["sheet"])
    if sheet is None:
        return missing
    evidence = _field(sheet, p["name_field"], ctx.key.lookup(p["key_name"]), label=say(N_("name")))
    evidence += _field(sheet, p["id_field"], ctx.key.lookup(p["key_id"]), label=say(N_("ID number")),
                       number=True, valid=valid_id)
    return all_or_nothing(evidence)


# ---------------------------------------------------------------- U1-04


def _valid_materials(key: Key, params: dict[str, Any]) -> list[str]:
    problems = []
    if not valid_card(key.get("accounts.personal.card_number", "")):
        problems.append("accounts.personal.card_number fails Luhn")
    if not valid_credit_code(key.get("accounts.company.credit_code", "")):
        problems.append("accounts.company.credit_code fails GB 32100")
    return problems


@check("bank_card", reads=(Reads("sheet", fields=("fields.card_number", "fields.card_holder")),), needs=("accounts.personal.card_number", "accounts.personal.real_name"),
       params=("sheet", "fields"), validate=_valid_materials)
def bank_card(ctx: CheckContext) -> Outcome:
    """The card number equals the materials' and passes Luhn; the card holder is the real name.

    Okay: ``6222 0210 0112 3456 789``. Fails: one digit changed (Luhn), holder another name.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    fields = ctx.params["fields"]
    evidence = _field(sheet, fields["card_number"], ctx.key.lookup("accounts.personal.card_number"),
                      label=say(N_("card number")), number=True, valid=valid_card)
    evidence += _field(sheet, fields["card_holder"], ctx.key.lookup("accounts.personal.real_name"),
                       label=say(N_("card holder")))
    return all_or_nothing(evidence)


# ---------------------------------------------------------------- U1-05, U1-07


@check("company_identity", reads=(Reads("sheet", fields=("fields.company_name", "fields.credit_code")),), needs=("accounts.company.company_name", "accounts.company.credit_code"),
       params=("sheet", "fields"), validate=_valid_materials)
def company_identity(ctx: CheckContext) -> Outcome:
    """Company name and unified social credit code equal the materials'; the code passes GB 32100.

    Okay: ``91310115MA1K3BTP2B``. Fails: ``91310115MA1K3BTP2C`` (check character).
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    company = ctx.key["accounts"]["company"]
    fields = ctx.params["fields"]
    evidence = _field(sheet, fields["company_name"], company["company_name"], label=say(N_("company name")))
    evidence += _field(sheet, fields["credit_code"], company["credit_code"], label=say(N_("credit code")),
                       number=True, valid=valid_credit_code)
    return all_or_nothing(evidence)


@check("company_account", reads=(Reads("sheet", fields=("fields.bank", "fields.account_number", "fields.account_name")),), needs=("accounts.company.bank", "accounts.company.account_number",
                                 "accounts.company.company_name"), params=("sheet", "fields"))
def company_account(ctx: CheckContext) -> Outcome:
    """The company payment account: bank, account number and account name (= company name)
    equal the materials'.

    Fails: a wrong branch, a digit missing from the account number, the account in a person's name.
    """
    sheet, missing = sheet_or_outcome(ctx, ctx.params["sheet"])
    if sheet is None:
        return missing
    company = ctx.key["accounts"]["company"]
    fields = ctx.params["fields"]
    evidence = _field(sheet, fields["bank"], company["bank"], label=say(N_("bank")))
    evidence += _field(sheet, fields["account_number"], company["account_number"], label=say(N_("account number")),
                       number=True)
    evidence += _field(sheet, fields["account_name"], company["company_name"], label=say(N_("account name")))
    return all_or_nothing(evidence)
