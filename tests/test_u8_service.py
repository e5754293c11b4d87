"""Unit 8: the mailbox (U8-01, U8-02), the replies (U8-03) and the templates (U8-04), criterion by criterion.

Checks are run on a ``ServiceFolder`` built in memory from the sample texts with one change each;
reading files (encodings, .docx, names) is in ``test_text_reading.py`` and at the end of this file.
"""
from __future__ import annotations

import copy
import dataclasses
from fractions import Fraction

import pytest
from helpers import check_context, reading_of

from grader.checks.service import (
    KeyProblem,
    english,
    prohibited,
    service_email,
    service_key,
    service_replies,
    service_templates,
    store_username,
)
from grader.paper import Key
from grader.records.service import ServiceFolder, TextFile
from grader.records.tables import Cell, Sheet, Workbook
from grader.samples import u8
from grader.samples.u1 import COMPANY_USERNAME

REPLY = Fraction(3, 8)
TEMPLATE = Fraction(1, 4)
NINE = Fraction(9)


# ---------------------------------------------------------------- building blocks


def fields_sheet(spec: str, file: str, values: dict[str, object]) -> Sheet:
    return Sheet(spec=spec, name=spec, file=file,
                 fields={k: Cell(v, f"B{i + 2}") for i, (k, v) in enumerate(values.items())})


def mailbox(**values) -> Workbook:
    data = {"service_email": "support@hanyue-trade.cn", "store_username": COMPANY_USERNAME, **values}
    return Workbook("u8_service/mailbox.xlsx", {"mailbox": fields_sheet("mailbox", "u8_service/mailbox.xlsx", data)})


def unit1(username: object = COMPANY_USERNAME) -> Workbook:
    sheet = fields_sheet("company", "u1_accounts.xlsx", {"username": username})
    return Workbook("u1_accounts.xlsx", {"company": sheet})


def folder(paper, replies: dict[str, str | None] | None = None, templates: dict[str, str | None] | None = None,
           box: Workbook | None | str = "default") -> ServiceFolder:
    texts = u8.replies(paper.key)
    texts.update(replies or {})
    tpl = u8.templates()
    tpl.update(templates or {})

    def text_file(slot: str, home: str, text: str | None) -> TextFile:
        where = f"u8_service/{home}/{slot}.txt"
        if text is None:
            return TextFile(slot, expected=where, problem="not found")
        return TextFile(slot, where, where, text, "utf-8")

    return ServiceFolder(
        "u8_service", mailbox() if box == "default" else box, "u8_service/mailbox.xlsx", "",
        {s: text_file(s, "replies", t) for s, t in texts.items()},
        {s: text_file(s, "templates", t) for s, t in tpl.items()})


def with_unit1(paper, u1: Workbook | None):
    """A reading in which unit 1's workbook is ``u1`` (None: missing)."""
    return reading_of(paper, {"u1_accounts": u1})


def run(paper, criterion: str, deliverable, reading="default"):
    check = {"U8-01": service_email, "U8-02": store_username, "U8-03": service_replies,
             "U8-04": service_templates}[criterion]
    reading = with_unit1(paper, unit1()) if reading == "default" else reading
    return check(check_context(paper, criterion, deliverable, reading=reading))


def points(paper, criterion: str, deliverable, reading="default") -> Fraction:
    maximum = paper.criterion(criterion).points
    return maximum * run(paper, criterion, deliverable, reading).share


def reply(paper, slot: str) -> str:
    return u8.replies(paper.key)[slot]


def failing(outcome) -> list[str]:
    return [e.message for e in outcome.evidence if not e.ok]


# ---------------------------------------------------------------- the key


def test_scenarios_come_from_the_emails(paper):
    sk = service_key(paper.key)
    assert [(s.reply, s.buyer_name, s.first_name, s.last_name, s.order_id) for s in sk.scenarios] == [
        ("reply_01", "Emily Carter", "Emily", "Carter", "SO26110006"),
        ("reply_02", "James Whitfield", "James", "Whitfield", "SO26110008"),
        ("reply_03", "Sofia Martinez", "Sofia", "Martinez", "SO26110019")]
    orders = {o["order_id"] for o in paper.key["orders"]}
    assert all(s.order_id in orders for s in sk.scenarios)
    assert sk.domain == "hanyue-trade.cn" and [t.slot for t in sk.templates] == [
        "return", "not_shipped", "out_of_stock", "wrong_item"]


def _key_with(paper, edit) -> Key:
    service = copy.deepcopy(paper.key["service"])
    edit(service)
    return Key(paper.key.root, {"service": service, "orders": paper.key["orders"]}, {})


@pytest.mark.parametrize("edit, problem", [
    (lambda s: s["scenarios"][0].update(buyer_name="Emma Carter"), "differs from the email"),
    (lambda s: s["scenarios"][1].update(order_id="SO26110009"), "differs from the email's"),
    (lambda s: s["scenarios"][2].update(email="emails/missing.eml"), "does not exist"),
    (lambda s: s["scenarios"][0].update(case=[]), "non-empty list"),
    (lambda s: s["phrases"].update(closing=[]), "service.phrases.closing"),
    (lambda s: s["templates"]["return"].update(elements=[]), "must have its own elements"),
    (lambda s: s.update(domain="hanyue-trade"), "not a valid domain"),
    (lambda s: s.update(tlds=["com"]), "lacks the store domain's top-level domain"),
], ids=["buyer-name", "order-id", "email-file", "case-phrases", "closing", "template-elements", "domain", "tld"])
def test_a_bad_key_is_refused(paper, edit, problem):
    with pytest.raises(KeyProblem, match=problem):
        service_key(_key_with(paper, edit))


# ---------------------------------------------------------------- U8-01


@pytest.mark.parametrize("email", ["support@hanyue-trade.cn", "Support@HANYUE-TRADE.CN", " kefu.01@hanyue-trade.cn "])
def test_u8_01_okay(paper, email):
    assert points(paper, "U8-01", folder(paper, box=mailbox(service_email=email))) == 1


@pytest.mark.parametrize("email, message", [
    ("support@mail.hanyue-trade.cn", "a subdomain of hanyue-trade.cn"),
    ("support@hanyue-trade.com", "not the store's domain"),
    ("support@hanyue-trade.cn.com", "not the store's domain"),
    ("support@hanyue-trade", "is not valid"),
    ("support hanyue-trade.cn", "is not valid"),
    ("support@@hanyue-trade.cn", "is not valid"),
    ("", "empty or missing"),
], ids=["subdomain", "other-domain", "suffixed-domain", "no-tld", "no-at", "double-at", "empty"])
def test_u8_01_fails(paper, email, message):
    outcome = run(paper, "U8-01", folder(paper, box=mailbox(service_email=email)))
    assert outcome.share == 0
    assert message in outcome.evidence[0].message
    assert outcome.evidence[0].file == "u8_service/mailbox.xlsx" and outcome.evidence[0].cell == "B2"


def test_u8_01_without_a_mailbox(paper):
    outcome = run(paper, "U8-01", folder(paper, box=None))
    assert outcome.share == 0 and outcome.evidence[0].expected == "u8_service/mailbox.xlsx"


# ---------------------------------------------------------------- U8-02


def test_u8_02_equals_unit_1(paper):
    outcome = run(paper, "U8-02", folder(paper, box=mailbox(store_username=COMPANY_USERNAME.upper())))
    assert outcome.share == 1 and not outcome.flags
    assert "u1_accounts.xlsx" in outcome.evidence[0].message


def test_u8_02_mismatch_costs_the_point(paper):
    outcome = run(paper, "U8-02", folder(paper, box=mailbox(store_username="hanyue_trade02")))
    assert outcome.share == 0 and not outcome.flags
    assert outcome.evidence[0].expected == COMPANY_USERNAME and outcome.evidence[0].found == "hanyue_trade02"


def test_u8_02_equal_to_an_invalid_unit_1_username_is_not_charged_again(paper):
    sub = with_unit1(paper, unit1("1hanyue"))
    assert points(paper, "U8-02", folder(paper, box=mailbox(store_username="1hanyue")), sub) == 1


@pytest.mark.parametrize("u1", [None, unit1(None), Workbook("u1_accounts.xlsx", {})],
                         ids=["no-file", "empty-username", "no-company-sheet"])
def test_u8_02_no_unit_1_valid_username_earns_and_flags(paper, u1):
    outcome = run(paper, "U8-02", folder(paper), with_unit1(paper, u1))
    assert outcome.share == 1
    assert [f.code for f in outcome.flags] == ["no-unit-1"]


@pytest.mark.parametrize("username, problem", [
    ("1hanyue", "does not start with a letter"), ("ebay_hanyue", "platform name"), ("hanyu", "5 characters"),
    ("ｈａｎｙｕｅ_trade", "letters, digits and _")])
def test_u8_02_no_unit_1_invalid_username_fails_and_flags(paper, username, problem):
    outcome = run(paper, "U8-02", folder(paper, box=mailbox(store_username=username)), with_unit1(paper, None))
    assert outcome.share == 0 and [f.code for f in outcome.flags] == ["no-unit-1"]
    assert problem in outcome.evidence[0].message


@pytest.mark.parametrize("with_unit_1", [True, False])
def test_u8_02_on_a_candidate_folder(tmp_path, paper, with_unit_1):
    from grader.read import load_all
    from grader.read.submission import Submission
    from grader.samples import u1

    load_all()
    drafts = {**u8.perfect(paper.key), **(u1.perfect(paper.key) if with_unit_1 else {})}
    for draft in drafts.values():
        draft.write(tmp_path / "ks01")
    reading = Submission(tmp_path / "ks01", paper, disc_root=tmp_path).read_all()
    outcome = run(paper, "U8-02", reading.parsed("u8_service"), reading)
    assert outcome.share == 1
    assert [f.code for f in outcome.flags] == ([] if with_unit_1 else ["no-unit-1"])


# ---------------------------------------------------------------- U8-03


def test_u8_03_perfect_replies(paper):
    outcome = run(paper, "U8-03", folder(paper))
    assert outcome.share == 1
    assert [e.message for e in outcome.evidence if e.found.endswith("/8")] == [
        "reply_01: 8 of 8 elements", "reply_02: 8 of 8 elements", "reply_03: 8 of 8 elements"]


def test_u8_03_evidence_quotes_the_sentence(paper):
    evidence = run(paper, "U8-03", folder(paper)).evidence
    greeting = next(e for e in evidence if e.message.startswith("reply_01 (1)"))
    assert greeting.found == "Dear Ms. Carter," and greeting.cell == "line 1" and greeting.ok
    case = next(e for e in evidence if e.message.startswith("reply_01 (3)"))
    assert "“delayed”" in case.message and case.found.endswith("the order was delayed in our warehouse.")
    signature = next(e for e in evidence if e.message.startswith("reply_01 (5)"))
    assert signature.found == "Best regards, Lin Wei"


ONE_REPLY_ELEMENT_MISSING = [
    ("reply_01", 1, lambda t, k: t.replace("Dear Ms. Carter,", "Dear customer,")),
    ("reply_01", 1, lambda t, k: t.replace("Dear Ms. Carter,", "Dear Carter,")),
    ("reply_01", 1, lambda t, k: t.replace("Dear Ms. Carter,", "Hi there Emily,")),
    ("reply_01", 1, lambda t, k: t.replace("Dear Ms. Carter,", "Dear Ms. Emma Carter,").replace("Carter,", "Carte,")),
    ("reply_02", 2, lambda t, k: t.replace("SO26110008", "SO26110009")),
    ("reply_03", 3, lambda t, k: u8.variant(k, u8.REPLY_03_NO_CASE, "reply_03")),
    ("reply_01", 4, lambda t, k: u8.variant(k, u8.REPLY_01_NO_RESOLUTION, "reply_01")),
    ("reply_02", 5, lambda t, k: t.rsplit("\n\n", 1)[0] + "\n\nKind regards."),
    ("reply_02", 5, lambda t, k: t.rsplit("\n\n", 1)[0] + "\n\nAnna Zhou"),
    ("reply_03", 6, lambda t, k: u8.before_closing(t, "感谢您的耐心等待。")),
    ("reply_03", 7, lambda t, k: u8.with_words(t, 301)),
    ("reply_01", 8, lambda t, k: u8.before_closing(t, "Call us on 571 8888 1234.")),
]


@pytest.mark.parametrize("slot, element, change", ONE_REPLY_ELEMENT_MISSING,
                         ids=["greeting-customer", "greeting-last-name-only", "greeting-not-direct", "greeting-other-name",
                              "order-other", "case", "resolution", "closing-no-signature",
                              "closing-none", "english", "words-301", "prohibited"])
def test_u8_03_each_missing_element_costs_three_eighths(paper, slot, element, change):
    text = change(reply(paper, slot), paper.key)
    outcome = run(paper, "U8-03", folder(paper, {slot: text}))
    assert NINE * outcome.share == NINE - REPLY
    missing = [m for m in failing(outcome) if f"({element})" in m]
    assert len(missing) == 1 and missing[0].startswith(f"{slot} ({element})") and "−0.375 point" in missing[0]


def test_u8_03_a_mangled_order_id_is_not_cited_and_its_digits_are_a_run(paper):
    text = reply(paper, "reply_02").replace("SO26110008", "SO-26110008")
    outcome = run(paper, "U8-03", folder(paper, {"reply_02": text}))
    assert NINE * outcome.share == NINE - 2 * REPLY
    assert [m[:14] for m in failing(outcome)[1:]] == ["reply_02 (2) c", "reply_02 (8) n", "reply_02: proh"]


@pytest.mark.parametrize("greeting", ["Dear Emily,", "Hello, Emily", "Dear Emily Carter,", "Dear Ms Carter,",
                                      "Hi Mrs. Carter,", "Good morning Ms. Emily Carter,", "DEAR EMILY,"])
def test_u8_03_greeting_forms(paper, greeting):
    text = reply(paper, "reply_01").replace("Dear Ms. Carter,", greeting)
    assert run(paper, "U8-03", folder(paper, {"reply_01": text})).share == 1


def test_u8_03_word_count_boundaries(paper):
    c = u8._compact(paper.key)
    got = {n: NINE * run(paper, "U8-03", folder(paper, {"reply_01": u8.with_words(c["reply_01"], n)})).share
           for n in (39, 40)}
    long_ = {n: NINE * run(paper, "U8-03", folder(paper, {"reply_03": u8.with_words(reply(paper, "reply_03"), n)})).share
             for n in (300, 301)}
    assert got == {39: NINE - REPLY, 40: NINE} and long_ == {300: NINE, 301: NINE - REPLY}


def test_u8_03_every_element_missing_at_once(paper):
    outcome = run(paper, "U8-03", folder(paper, {"reply_01": "你好，我们会尽快发货。"}))
    assert NINE * outcome.share == 6 + REPLY  # only (8) is met: nothing prohibited


def test_u8_03_empty_and_missing_replies_earn_nothing(paper):
    outcome = run(paper, "U8-03", folder(paper, {"reply_01": " \n\t ", "reply_02": None}))
    assert NINE * outcome.share == 3
    assert outcome.evidence[0].message.startswith("reply_01: empty text")
    assert outcome.evidence[1].message == "reply_02: not found; 0 of 8 elements"
    assert outcome.evidence[1].expected == "u8_service/replies/reply_02.txt"


def test_u8_03_keywords_without_sentences(paper):
    """Keywords strung together meet every phrase element; they fail (7) until they reach 40 words."""
    bare = "Dear Emily SO26110006 delayed will ship tracking number Best regards Lin"
    outcome = run(paper, "U8-03", folder(paper, {"reply_01": bare}))
    assert NINE * outcome.share == NINE - REPLY
    assert failing(outcome) == ["reply_01: 7 of 8 elements", "reply_01 (7) 40–300 words: not met (11 words), −0.375 point"]
    padded = bare + " delayed will ship" * 10  # 41 words, still no sentence
    assert run(paper, "U8-03", folder(paper, {"reply_01": padded})).share == 1


OWN_WORDS = {
    "reply_01": """Hello Ms. Carter,

I checked order SO26110006 this morning. You are right, it has not been dispatched yet - a label printer fault held up a batch of parcels on Friday, and I apologise for that. I have moved your bottles to the front of the queue: they go out with today's collection and you will get the tracking link by this evening, so they should arrive well before Saturday.

Kind regards,
Marta
HydroKeep Customer Service""",
    "reply_02": """Dear James,

No problem at all - you can return the bottle from order SO26110008 since it is unused. Please print the prepaid return label from your order page, put the bottle back in the box and take it to any post office. The money will be back on your card within five working days after the parcel reaches us.

Thanks again,
Marta""",
    "reply_03": """Dear Ms. Martinez,

I am sorry - our packer picked the wrong bottle for order SO26110019. A black 750 ml bottle went out to you today by express post, at our cost. Please keep the white one; you do not need to send it back.

All the best,
Marta
HydroKeep""",
}


def test_u8_03_replies_in_the_candidates_own_words(paper):
    outcome = run(paper, "U8-03", folder(paper, OWN_WORDS))
    assert outcome.share == 1, failing(outcome)


# ---------------------------------------------------------------- prohibited content (convention 17)


PROHIBITED = [
    ("https://hanyue-trade.cn/track", "link", "https://hanyue-trade.cn/track"),
    ("ftp://files.example/x", "link", "ftp://files.example/x"),
    ("www.hydrokeep.com", "www. address", "www.hydrokeep.com"),
    ("WWW.hydrokeep.example", "www. address", "WWW.hydrokeep.example"),
    ("hanyue-trade.cn", "domain name", "hanyue-trade.cn"),
    ("HydroKeep.Shop", "domain name", "HydroKeep.Shop"),
    ("mail.hanyue-trade.cn", "domain name", "mail.hanyue-trade.cn"),
    ("hanyue.help@gmail.com", "email address other than the store's", "hanyue.help@gmail.com"),
    ("help@mail.hanyue-trade.cn", "email address other than the store's", "help@mail.hanyue-trade.cn"),
    ("+86 (571) 8888-1234", "run of 7 or more digits (a phone number)", "+86 (571) 8888-1234"),
    ("571.8888.123", "run of 7 or more digits (a phone number)", "571.8888.123"),
    ("1234567", "run of 7 or more digits (a number of 7 digits)", "1234567"),
    ("123 4567", "run of 7 or more digits (a phone number)", "123 4567"),
    ("2026.12.04", "run of 7 or more digits (a date not written YYYY-MM-DD)", "2026.12.04"),
    ("SO99990001", "run of 7 or more digits (an order id, not one of the materials')", "99990001"),
    ("AB99990001", "run of 7 or more digits (a number of 8 digits)", "99990001"),
    ("SO9999000", "run of 7 or more digits (a number of 7 digits)", "9999000"),
    ("tracking RR123456785CN", "run of 7 or more digits (a tracking number, UPU S10)", "123456785"),
    ("tracking RR 123 456 785 CN", "run of 7 or more digits (a tracking number, UPU S10)", "123 456 785"),
    ("tracking 7301234567", "run of 7 or more digits (a tracking number, express: 10 digits)", "7301234567"),
    ("call 13905711234", "run of 7 or more digits (a phone number)", "13905711234"),
    ("20261204", "run of 7 or more digits (a date not written YYYY-MM-DD)", "20261204"),
    ("please leave us a review", "request for a review or positive feedback", "leave us a review"),
    ("a five-star rating would help", "request for a review or positive feedback", "five-star"),
    ("please remove your feedback", "request for a review or positive feedback", "remove your feedback"),
    ("a refund once you leave a review", "incentive for a review", "once you leave a review"),
    ("a gift in exchange for your feedback", "incentive for a review", "in exchange for your feedback"),
    ("add me on WeChat", "payment or contact outside the platform", "WeChat"),
    ("pay by bank transfer", "payment or contact outside the platform", "bank transfer"),
    ("we can talk outside the platform", "payment or contact outside the platform", "outside the platform"),
    ("Whatsap me", "payment or contact outside the platform", "Whatsap"),
]


@pytest.mark.parametrize("sentence, kind, found", PROHIBITED, ids=[p[0] for p in PROHIBITED])
def test_each_prohibited_form_is_found(paper, sentence, kind, found):
    sk = service_key(paper.key)
    items = prohibited(f"Dear Emily, about SO26110006: {sentence}. Best regards, Lin", sk, 7, paper.typo_min_letters)
    assert (kind, found) in [(f.kind, f.text) for f in items]


@pytest.mark.parametrize("sentence", [
    "write to support@hanyue-trade.cn", "write to Kefu@HANYUE-TRADE.CN", "order SO26110006",
    "order so26110001", "by 2026-12-04", "by 2026/12/04", "code 310052", "123 456", "3-5 business days",
    "$12.99", "thank you for your feedback", "in exchange for the wrong item", "the file readme.txt",
    "Mr. Carter.Thanks", "we'll ship at 09:30"])
def test_allowed_text_is_not_prohibited(paper, sentence):
    assert prohibited(f"Dear Emily, {sentence}. Best regards, Lin", service_key(paper.key), 7,
                      paper.typo_min_letters) == []


def test_prohibited_items_are_each_evidence(paper):
    text = u8.before_closing(reply(paper, "reply_02"), "See www.hydrokeep.com or call +86 138 0000 1111.")
    outcome = run(paper, "U8-03", folder(paper, {"reply_02": text}))
    items = [e for e in outcome.evidence if e.message.startswith("reply_02: prohibited")]
    assert [e.message for e in items] == ["reply_02: prohibited www. address: “www.hydrokeep.com”",
                                          ("reply_02: prohibited run of 7 or more digits (a phone number): "
                                           "“+86 138 0000 1111”")]
    assert all(e.found.startswith("See www.hydrokeep.com") and e.cell == "line 5" for e in items)
    assert NINE * outcome.share == NINE - REPLY  # several items, one element


# ---------------------------------------------------------------- English (convention 16)


@pytest.mark.parametrize("text, ok", [
    ("a" * 95 + "é" * 5, True), ("a" * 94 + "é" * 6, False), ("Thank you 谢谢", False), ("12345 !!!", False),
    ("", False), ("Ｄｅａｒ customer", True)])
def test_english_boundaries(text, ok):
    from grader.checks.service import nfkc_lines
    assert english(nfkc_lines(text), Fraction(95, 100))[0] is ok


# ---------------------------------------------------------------- U8-04


def test_u8_04_perfect_templates(paper):
    assert run(paper, "U8-04", folder(paper)).share == 1


def test_u8_04_varied_wording_and_placeholder_styles(paper):
    outcome = run(paper, "U8-04", folder(paper, templates=u8.templates(u8.VARIED_TEMPLATES)))
    assert outcome.share == 1, failing(outcome)


ONE_TEMPLATE_ELEMENT_MISSING = [
    ("return", 1, lambda t: t.replace("{order_id}", "your order")),
    ("return", 1, lambda t: t.replace("{buyer_name}", "{ buyer_name }")),
    ("return", 1, lambda t: t.replace("{buyer_name}", "{buyer-name}")),
    ("return", 1, lambda t: t.replace("{buyer_name}", "{buyer_name]")),
    ("not_shipped", 2, lambda t: t.replace("Hello {buyer_name},\n\nWe apologize", "{buyer_name}, we apologize")),
    ("out_of_stock", 3, lambda t: t.replace("We are very sorry: the item", "Unfortunately, the item")),
    ("return", 4, lambda t: t.replace(
        'To return it, please open the order page, click "Return item" and print the prepaid return label. Pack '
        "the bottle in its original packaging and hand it to the carrier within 14 days.",
        "We have noted your request and our team is on it.")),
    ("return", 5, lambda t: t.replace("Your refund will be issued within 3 business days after we receive the "
                                      "returned item, to", "Your refund goes back to")),
    ("not_shipped", 4, lambda t: t.replace(" The delay is due to an unusually high number of orders during the "
                                           "holiday sale, and our warehouse needs two more days to catch up.", "")),
    ("not_shipped", 5, lambda t: t.replace(
        "Your order will ship by [New Ship Date], and you will see the tracking details as soon as it leaves us. "
        "If you prefer not to wait, you may cancel the order at any time before dispatch and you will be refunded "
        "in full.", "We are doing everything we can and will keep you informed.")),
    ("out_of_stock", 4, lambda t: t.replace("is out of stock, and our supplier cannot restock it for the next "
                                            "three weeks", "is delayed at our supplier")),
    ("out_of_stock", 5, lambda t: t.replace(
        "We can offer you an alternative instead: the same bottle in another colour, shipped today at no extra "
        "cost. Or, if you prefer, a full refund to your original payment method. ", "")),
    ("wrong_item", 4, lambda t: t.replace(
        "We will send you the correct item by express delivery within two days, free of charge. If you would "
        "rather have your money back, we can issue a full refund instead.", "Our team will contact you shortly.")),
    ("wrong_item", 5, lambda t: t.replace(" You do not need to return the wrong item; please keep it, donate it "
                                          "or recycle it.", "")),
    ("not_shipped", 6, lambda t: t.replace("Thank you for your patience and understanding.\n", "")),
    ("out_of_stock", 7, lambda t: u8.before_closing(t, "如有疑问，请随时联系我们。")),
    ("return", 8, lambda t: u8.with_words(t, 301)),
    ("wrong_item", 9, lambda t: u8.before_closing(t, "Questions? Write to hydrokeep.help@outlook.com.")),
]


@pytest.mark.parametrize("slot, element, change", ONE_TEMPLATE_ELEMENT_MISSING,
                         ids=[f"{s}-{e}-{i}" for i, (s, e, _) in enumerate(ONE_TEMPLATE_ELEMENT_MISSING)])
def test_u8_04_each_missing_element_costs_a_quarter(paper, slot, element, change):
    text = change(u8.TEMPLATES[slot])
    assert text != u8.TEMPLATES[slot]
    outcome = run(paper, "U8-04", folder(paper, templates={slot: text}))
    assert NINE * outcome.share == NINE - TEMPLATE, failing(outcome)
    missing = [m for m in failing(outcome) if f"({element})" in m]
    assert len(missing) == 1 and missing[0].startswith(f"{slot} ({element})") and "−0.25 point" in missing[0]


@pytest.mark.parametrize("buyer, order", [
    ("{buyer_name}", "{order_id}"), ("{BuyerName}", "{ORDERID}"), ("[Buyer Name]", "[Order ID]"),
    ("[buyer_name]", "[order id]"), ("{BUYER NAME}", "[Order_Id]"), ("{{buyer_name}}", "{{order_id}}")])
def test_u8_04_placeholder_styles(paper, buyer, order):
    text = u8.TEMPLATES["return"].replace("{buyer_name}", buyer).replace("{order_id}", order)
    assert run(paper, "U8-04", folder(paper, templates={"return": text})).share == 1


def test_u8_04_greeting_word_alone_counts(paper):
    text = u8.TEMPLATES["return"].replace("Dear {buyer_name},\n\nThank you", "Dear customer,\n\n{buyer_name}, thank you")
    assert run(paper, "U8-04", folder(paper, templates={"return": text})).share == 1


def test_u8_04_word_count_boundaries(paper):
    c = u8._compact(paper.key)
    short = {n: NINE * run(paper, "U8-04", folder(paper, templates={"wrong_item": u8.with_words(c["wrong_item"], n)})).share
             for n in (39, 40)}
    long_ = {n: NINE * run(paper, "U8-04", folder(paper, templates={"return": u8.with_words(u8.TEMPLATES["return"], n)})).share
             for n in (300, 301)}
    assert short == {39: NINE - TEMPLATE, 40: NINE} and long_ == {300: NINE, 301: NINE - TEMPLATE}


def test_u8_04_empty_template_earns_nothing(paper):
    outcome = run(paper, "U8-04", folder(paper, templates={"return": "—— \n ……"}))
    assert NINE * outcome.share == NINE - Fraction(9, 4)


# ---------------------------------------------------------------- element lists, placeholders and the digit run are the paper's


def run_with(paper, criterion: str, deliverable, **params):
    """The criterion's check with some of its parameters changed (as another paper would set them)."""
    import dataclasses

    ctx = check_context(paper, criterion, deliverable, reading=with_unit1(paper, unit1()))
    check = {"U8-03": service_replies, "U8-04": service_templates}[criterion]
    return check(dataclasses.replace(ctx, params={**ctx.params, **params}))


def test_replies_are_scored_on_the_papers_own_element_list(paper):
    text = reply(paper, "reply_01").replace("Dear Ms. Carter,", "Dear customer,")
    outcome = run_with(paper, "U8-03", folder(paper, {"reply_01": text}),
                       elements=["cites_order", "greets_by_name", "no_prohibited"])
    assert outcome.share == Fraction(8, 9)  # reply_01 loses one of its three elements: 1/3 of 1/3
    assert [e.message for e in outcome.evidence if e.found.endswith("/3")] == [
        "reply_01: 2 of 3 elements", "reply_02: 3 of 3 elements", "reply_03: 3 of 3 elements"]
    assert failing(outcome) == ["reply_01: 2 of 3 elements",
                                "reply_01 (2) greets the buyer by name: not met (not found), −1 point"]


def test_templates_are_scored_on_the_papers_placeholders_and_elements(paper):
    outcome = run_with(paper, "U8-04", folder(paper), elements=["placeholders", "template_own"],
                       placeholders=["buyer_name", "tracking_no"])
    # each template: 1 placeholder element + its 2 own elements; {tracking_no} is in none of them
    assert outcome.share == Fraction(2, 3)
    assert sorted({m.split(" (")[0] for m in failing(outcome) if "(1)" in m}) == [
        "not_shipped", "out_of_stock", "return", "wrong_item"]
    assert all("missing {tracking_no}" in m for m in failing(outcome) if "(1)" in m)


def test_the_digit_run_is_the_papers(paper):
    text = u8.before_closing(reply(paper, "reply_01"), "Our office code is 12345.")
    assert run_with(paper, "U8-03", folder(paper, {"reply_01": text}), digit_run=7).share == 1
    outcome = run_with(paper, "U8-03", folder(paper, {"reply_01": text}), digit_run=5)
    assert NINE * outcome.share == NINE - REPLY
    assert "reply_01: prohibited run of 5 or more digits (a number of 5 digits): “12345”" in failing(outcome)


@pytest.mark.parametrize("typo_min_letters, share", [(7, 1), (8, Fraction(NINE - REPLY, NINE))])
def test_the_typo_rule_is_the_papers(paper, typo_min_letters, share):
    """"regards" has 7 letters: its typo is tolerated under a paper's 7, not under its 8."""
    text = reply(paper, "reply_02").replace("regards", "regrds")
    assert "regrds" in text
    papered = dataclasses.replace(paper, typo_min_letters=typo_min_letters)
    outcome = run(papered, "U8-03", folder(paper, {"reply_02": text}))
    assert outcome.share == share


@pytest.mark.parametrize("criterion, params, problem", [
    ("U8-03", {"elements": ["greets_by_name", "placeholders"]},
     "element 'placeholders' is not one a text can be scored on"),
    ("U8-04", {"elements": []}, "elements must list the elements each text is scored on"),
    ("U8-04", {"placeholders": "buyer_name"}, "placeholders must list the placeholder names"),
    ("U8-03", {"digit_run": 1}, "digit_run must be a whole number of digits, at least 2"),
])
def test_element_lists_that_cannot_score_are_refused(paper, criterion, params, problem):
    from grader.checks import REGISTRY

    c = paper.criterion(criterion)
    settings = {s: paper.deliverables["u8_service"].options[s] for s in REGISTRY[c.check].settings}
    problems = REGISTRY[c.check].validate(paper.key, {**c.params, **params}, settings)
    assert problems and problems[0].startswith(problem), problems


@pytest.mark.parametrize("sentence, kind_zh", [
    ("tracking RR123456785CN", "7 位以上数字（运单号，UPU S10）"),
    ("tracking 7301234567", "7 位以上数字（运单号，快递 10 位数字）"),
    ("order SO99990001", "7 位以上数字（订单号，不是材料中的订单）"),
    ("call +86 571 8888 1234", "7 位以上数字（电话号码）"),
])
def test_a_digit_run_is_labelled_by_what_it_is_in_chinese_too(paper, sentence, kind_zh):
    items = prohibited(f"Dear Emily, about SO26110006: {sentence}. Best regards, Lin", service_key(paper.key), 7,
                       paper.typo_min_letters)
    assert [f.kind_zh for f in items] == [kind_zh]
