"""Unit 8 samples: a service folder that earns full marks, and defects with their exact points.

The perfect candidate writes the mailbox (``store_username`` = unit 1's company username) and
answers each buyer email and writes each template in its own words; a second, differently worded
set (``[Buyer Name]`` placeholders, other greetings and closings) earns full marks too. Defects
take out one element per text (an element of a reply costs 3/8 point, of a template 1/4), put in
each prohibited form, sit on both sides of the 40–300 word limits, and save the texts in every
encoding Notepad offers, as ``.docx`` and under Chinese names.
"""
from __future__ import annotations

import io
import zipfile
from fractions import Fraction
from xml.sax.saxutils import escape

from grader.samples.drafts import Defect, Drafts, FolderDraft, WorkbookDraft
from grader.samples.u1 import COMPANY_USERNAME
from grader.text import words

UNIT = "U8"
FOLDER = "u8_service"
REPLY_ELEMENT = Fraction(3, 8)
TEMPLATE_ELEMENT = Fraction(1, 4)
FULL = Fraction(9)
SIGN_OFF = "\n\n"  # the last paragraph of every sample text is its closing and signature


def _buyers(key) -> list[dict[str, str]]:
    out = []
    for scenario in key["service"]["scenarios"]:
        first, *_, last = scenario["buyer_name"].split()
        out.append({"first": first, "last": last, "full": scenario["buyer_name"], "order": scenario["order_id"]})
    return out


def store_email(key, local: str = "support") -> str:
    return f"{local}@{key['service']['domain']}"


# ---------------------------------------------------------------- texts

REPLIES = {
    "reply_01": """Dear Ms. {last},

Thank you for your message about order {order}. I am sorry that your two HydroKeep bottles have not shipped yet: the blue 500 ml colour sold faster than we expected, and the order was delayed in our warehouse.

Good news: new stock arrived this morning, and your order will be dispatched within 24 hours. We will add the tracking number to the order page as soon as the parcel leaves us, and it should reach you by 2026-12-04, in time for the birthday.

If you would rather not wait, simply reply to this message and we will cancel the order and refund you in full.

Best regards,
Lin Wei
HydroKeep Customer Service ({store})""",
    "reply_02": """Hi {first},

Thanks for getting in touch about returning the bottle from order {order}. We're sorry it does not fit your bike cage.

Your return has been approved. Please use the prepaid return label we have added to this order in the platform's message centre, pack the unused bottle in its original box and drop it off at any post office within 14 days. As soon as the parcel is scanned at our warehouse, a full refund will go back to your original payment method within 3-5 business days.

Kind regards,
Anna Zhou
HydroKeep Support Team""",
    "reply_03": """Hello {first},

We sincerely apologise for the mix-up with order {order}: you ordered the black 750 ml bottle but received a white 500 ml one. That was our mistake, and I understand how frustrating it is when you need the bottle for work.

We have already sent the correct black 750 ml bottle to you free of charge; it left our warehouse this morning by express delivery. There is no need to return the wrong item - please keep it or give it to a friend.

Thank you for your patience.

Warm regards,
Chen Yu
HydroKeep Customer Care""",
}

TEMPLATES = {
    "return": """Dear {buyer_name},

Thank you for contacting us about order {order_id}. We are sorry that the product did not meet your expectations.

To return it, please open the order page, click "Return item" and print the prepaid return label. Pack the bottle in its original packaging and hand it to the carrier within 14 days.

Your refund will be issued within 3 business days after we receive the returned item, to the same payment method you used.

Best regards,
HydroKeep Customer Service""",
    "not_shipped": """Hello {buyer_name},

We apologize that your order {order_id} has not shipped yet. The delay is due to an unusually high number of orders during the holiday sale, and our warehouse needs two more days to catch up.

Your order will ship by [New Ship Date], and you will see the tracking details as soon as it leaves us. If you prefer not to wait, you may cancel the order at any time before dispatch and you will be refunded in full.

Thank you for your patience and understanding.
HydroKeep Service Team""",
    "out_of_stock": """Hi {buyer_name},

We are very sorry: the item in your order {order_id} is out of stock, and our supplier cannot restock it for the next three weeks.

We can offer you an alternative instead: the same bottle in another colour, shipped today at no extra cost. Or, if you prefer, a full refund to your original payment method. Please let us know which option suits you by replying to this message.

Kind regards,
HydroKeep Customer Service""",
    "wrong_item": """Dear {buyer_name},

Please accept our apologies: the parcel for order {order_id} contained the wrong item. We have checked your order and confirmed the packing error.

We will send you the correct item by express delivery within two days, free of charge. If you would rather have your money back, we can issue a full refund instead. You do not need to return the wrong item; please keep it, donate it or recycle it.

Yours sincerely,
HydroKeep Customer Service""",
}

# The same answers in other words: other greetings, title forms, closings and placeholder styles.
VARIED_REPLIES = {
    "reply_01": """Good morning {first} {last},

I have looked into order {order} for you. You are right: it is still waiting in our warehouse, because the blue bottles ran short last week. Please accept my apologies for the wait.

The stock is back, so your bottles ship tomorrow by express shipping at no extra cost, and the tracking details will appear on the order page the same day. If the new date does not work for you, just let me know here and I can cancel it.

Many thanks,
Lin""",
    "reply_02": """Dear Mr Whitfield,

We have received your return request for order {order} and it is approved. Sorry that the 500 ml size turned out too small for your bike.

How to send it back: print the prepaid label attached to this order, put the bottle in its box and drop it off at the post office. Your refund will be made to your card within 5 working days of the parcel reaching us. If you would prefer the larger size instead, tell us and we will swap it.

Best wishes,
Anna""",
    "reply_03": """Dear {full},

I am so sorry that order {order} brought you a white 500 ml bottle instead of the black 750 ml one you chose. This was a packing error on our side.

A replacement black 750 ml bottle is on its way to you at our cost and should arrive within four days. You do not need to send the white bottle back; keep it as a small gift from us.

With thanks,
Chen""",
}

VARIED_TEMPLATES = {
    "return": """Hello [Buyer Name],

We are sorry to hear you want to return the item from order [Order ID].

Here is how: start a return from the order page, print the prepaid label and send the item back in its original box. We will refund you within 2 business days once the parcel arrives at our warehouse.

Have a nice day,
HydroKeep Support""",
    "not_shipped": """Dear {BuyerName},

Sorry for the wait: order {ORDER ID} has not left our warehouse yet because the courier paused pick-ups during the storm this week.

The new ship date is [Date], and you will get the tracking details the same day. If that is too late for you, you can cancel the order from your account and the payment will be returned in full.

Kind regards,
HydroKeep Support""",
    "out_of_stock": """Greetings [buyer_name],

We apologise: the bottle in order [order_id] sold out faster than expected and is now unavailable.

You can switch to the same bottle in a different colour, which we can ship today, or we can cancel the order and give you a full refund. Just reply with your choice.

All the best,
HydroKeep Support""",
    "wrong_item": """Hi {buyer name},

We are sorry that order {order id} arrived with the wrong bottle inside. This was our mistake.

We will ship the correct bottle to you by express today at no cost to you, or, if you prefer, issue a full refund. There is no need to return the wrong item; please keep it.

Best regards,
HydroKeep Support""",
}

FILLER = ["Our", "small", "team", "in", "Hangzhou", "packs", "every", "bottle", "by", "hand", "and", "checks",
          "each", "lid", "twice", "so", "that", "it", "reaches", "you", "clean", "safe", "and", "ready", "to", "use"]


def _fill(key, text: str, buyer: dict[str, str]) -> str:
    return text.format(**buyer, store=store_email(key))


def replies(key, set_: dict[str, str] = REPLIES) -> dict[str, str]:
    return {slot: _fill(key, text, buyer) for (slot, text), buyer in zip(set_.items(), _buyers(key))}


def templates(set_: dict[str, str] = TEMPLATES) -> dict[str, str]:
    return dict(set_)


def with_words(text: str, count: int) -> str:
    """The text with filler words put before its closing paragraph, to exactly ``count`` words."""
    body, closing = text.rsplit(SIGN_OFF, 1)
    missing = count - len(words(text))
    if missing < 0:
        raise ValueError(f"text already has {len(words(text))} words, more than {count}")
    if missing:
        filler = [FILLER[i % len(FILLER)] for i in range(missing)]
        body += SIGN_OFF + " ".join(filler).capitalize() + "."
    result = body + SIGN_OFF + closing
    assert len(words(result)) == count, (len(words(result)), count)
    return result


def before_closing(text: str, sentence: str) -> str:
    body, closing = text.rsplit(SIGN_OFF, 1)
    return f"{body} {sentence}{SIGN_OFF}{closing}"


# ---------------------------------------------------------------- files


def notepad(text: str, encoding: str = "utf-8") -> bytes:
    """A text as Windows Notepad saves it: CRLF line ends; utf-16 variants with their byte-order mark."""
    crlf = text.replace("\n", "\r\n")
    boms = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-8-sig": b""}
    return boms.get(encoding, b"") + crlf.encode(encoding)


def docx(text: str, table_from: int | None = None) -> bytes:
    """A small .docx: one paragraph per line; lines from ``table_from`` on in a one-column table."""
    lines = text.split("\n")
    head, tail = (lines, []) if table_from is None else (lines[:table_from], lines[table_from:])

    def para(line: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'

    body = "".join(para(line) for line in head)
    if tail:
        body += "<w:tbl>" + "".join(f"<w:tr><w:tc>{para(line)}</w:tc></w:tr>" for line in tail) + "</w:tbl>"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 11, 25, 10, 0, 0)), content)
    return buffer.getvalue()


def mailbox_rows(key, username: str = COMPANY_USERNAME, email: str | None = None) -> list[list[str]]:
    return [
        ["字段", "内容"],
        ["客服邮箱", email or store_email(key)],
        ["店铺用户名", username],
        ["显示名称", "HydroKeep Customer Service"],
        ["签名", "Best regards, HydroKeep Customer Service"],
        ["转发至", store_email(key, "lin.wei")],
    ]


def perfect(key) -> Drafts:
    files = {"mailbox.xlsx": WorkbookDraft("mailbox", {"邮箱设置": mailbox_rows(key)}).to_bytes()}
    files.update({f"replies/{slot}.txt": notepad(text) for slot, text in replies(key).items()})
    files.update({f"templates/{slot}.txt": notepad(text) for slot, text in templates().items()})
    return {"u8_service": FolderDraft(FOLDER, files)}


# ---------------------------------------------------------------- defects


def _files(drafts: Drafts) -> dict[str, bytes]:
    return drafts["u8_service"].files


def _reply(key, slot: str) -> str:
    return replies(key)[slot]


def _edit(changes) -> callable:
    """A defect that rewrites files: ``changes(key)`` gives path → bytes (None deletes the file)."""

    def apply(drafts: Drafts, key) -> None:
        files = _files(drafts)
        for path, data in changes(key).items():
            if data is None:
                files.pop(path, None)
            else:
                files[path] = data

    return apply


def _mailbox(username: str, email: str) -> callable:
    def changes(key) -> dict[str, bytes]:
        rows = mailbox_rows(key, username, email)
        return {"mailbox.xlsx": WorkbookDraft("mailbox", {"邮箱设置": rows}).to_bytes()}

    return changes


REPLY_03_NO_CASE = """Hello {first},

Thank you for writing to us about order {order}. We have already sent you the correct black 750 ml bottle by express delivery, free of charge, and it left our warehouse this morning. Please keep the bottle you received; there is no need to send anything back to us.

Warm regards,
Chen Yu
HydroKeep Customer Care"""

REPLY_01_NO_RESOLUTION = """Dear Ms. {last},

Thank you for your message about order {order}. I am sorry that your two HydroKeep bottles have not shipped yet: the blue 500 ml colour sold faster than we expected, and the order was delayed in our warehouse. We understand how much the birthday present means to you, and we are looking into it.

Best regards,
Lin Wei
HydroKeep Customer Service"""


def variant(key, text: str, slot: str) -> str:
    """A reply text of this module filled in with the buyer of ``slot``."""
    return _fill(key, text, _buyers(key)[int(slot[-2:]) - 1])


def _reply_elements_a(key) -> dict[str, bytes]:
    r = replies(key)
    order_02 = _buyers(key)[1]["order"]
    return {
        "replies/reply_01.txt": notepad(r["reply_01"].replace(f"Dear Ms. {_buyers(key)[0]['last']},",
                                                              "Dear customer,")),
        "replies/reply_02.txt": notepad(r["reply_02"].replace(f"order {order_02}", "your recent order")),
        "replies/reply_03.txt": notepad(_fill(key, REPLY_03_NO_CASE, _buyers(key)[2])),
    }


def _reply_elements_b(key) -> dict[str, bytes]:
    r = replies(key)
    return {
        "replies/reply_01.txt": notepad(_fill(key, REPLY_01_NO_RESOLUTION, _buyers(key)[0])),
        "replies/reply_02.txt": notepad(r["reply_02"].rsplit(SIGN_OFF, 1)[0] + SIGN_OFF + "Kind regards."),
        "replies/reply_03.txt": notepad(before_closing(r["reply_03"], "感谢您的耐心等待。")),
    }


def _template_elements_a(key) -> dict[str, bytes]:
    t = templates()
    return {
        "templates/return.txt": notepad(t["return"].replace("order {order_id}", "your order")),
        "templates/not_shipped.txt": notepad(t["not_shipped"].replace("Hello {buyer_name},\n\nWe apologize",
                                                                      "{buyer_name}, we apologize")),
        "templates/out_of_stock.txt": notepad(t["out_of_stock"].replace("We are very sorry: the item",
                                                                        "Unfortunately, the item")),
        "templates/wrong_item.txt": notepad(t["wrong_item"].replace(
            "We will send you the correct item by express delivery within two days, free of charge. If you would "
            "rather have your money back, we can issue a full refund instead.",
            "Our team is looking into it and will contact you again shortly.")),
    }


def _template_elements_b(key) -> dict[str, bytes]:
    t = templates()
    return {
        "templates/return.txt": notepad(t["return"].replace(
            "Your refund will be issued within 3 business days after we receive the returned item, to the same "
            "payment method you used.", "Your refund goes back to the same payment method you used.")),
        "templates/not_shipped.txt": notepad(t["not_shipped"].replace(
            "Thank you for your patience and understanding.\n", "")),
        "templates/out_of_stock.txt": notepad(before_closing(t["out_of_stock"], "如有疑问，请随时联系我们。")),
        "templates/wrong_item.txt": notepad(t["wrong_item"].replace(
            " You do not need to return the wrong item; please keep it, donate it or recycle it.", "")),
    }


PROHIBITED_A = {
    "replies/reply_01.txt": "You can follow the parcel at https://hanyue-trade.cn/track at any time.",
    "replies/reply_02.txt": "More bottles are waiting for you at www.hanyue-shop.com.",
    "replies/reply_03.txt": "Our full size chart is on hanyue-trade.cn.",
    "templates/return.txt": "If you prefer, write to hanyue.service@gmail.com instead.",
    "templates/not_shipped.txt": "You can also reach us on +86 (571) 8888-1234.",
    "templates/out_of_stock.txt": "If you like the bottle, please leave us a 5-star review.",
    "templates/wrong_item.txt": "We will send you a $5 coupon in exchange for a positive review.",
}
PROHIBITED_B = {
    "replies/reply_01.txt": "For faster help, add us on WhatsApp.",
    "replies/reply_02.txt": "Our hotline is 13905711234.",
    "replies/reply_03.txt": "Once the new bottle arrives, please leave positive feedback for us.",
    "templates/return.txt": "You may also pay the return postage to us by PayPal.",
    "templates/not_shipped.txt": "See more at www.hydrokeep.shop.",
    "templates/out_of_stock.txt": "Browse other colours on http://hydrokeep.example/colours.",
    "templates/wrong_item.txt": "Or send photos to hydrokeep.help@outlook.com.",
}


def _prohibited(sentences: dict[str, str]) -> callable:
    def changes(key) -> dict[str, bytes]:
        texts = {f"replies/{k}.txt": v for k, v in replies(key).items()}
        texts.update({f"templates/{k}.txt": v for k, v in templates().items()})
        return {path: notepad(before_closing(texts[path], sentence)) for path, sentence in sentences.items()}

    return changes


def _compact(key) -> dict[str, str]:
    """Short texts holding every element, to pad to an exact word count."""
    b = _buyers(key)
    return {
        "reply_01": f"Dear {b[0]['first']},\n\nSorry, order {b[0]['order']} is delayed. It will ship within "
                    f"24 hours and we will send the tracking number.\n\nBest regards,\nLin",
        "reply_02": f"Hi {b[1]['first']},\n\nSorry about the return of order {b[1]['order']}. Use the prepaid "
                    f"return label and you get a full refund.\n\nKind regards,\nAnna",
        "out_of_stock": "Hi {buyer_name},\n\nSorry, the item of order {order_id} is out of stock. We offer a full "
                        "refund.\n\nKind regards,\nHydroKeep",
        "wrong_item": "Dear {buyer_name},\n\nSorry, order {order_id} held the wrong item. We will send the correct "
                      "item; please keep the wrong item.\n\nBest regards,\nHydroKeep",
    }


def _word_counts(key) -> dict[str, bytes]:
    c = _compact(key)
    return {
        "replies/reply_01.txt": notepad(with_words(c["reply_01"], 39)),
        "replies/reply_02.txt": notepad(with_words(c["reply_02"], 40)),
        "replies/reply_03.txt": notepad(with_words(_reply(key, "reply_03"), 301)),
        "templates/return.txt": notepad(with_words(TEMPLATES["return"], 300)),
        "templates/not_shipped.txt": notepad(with_words(TEMPLATES["not_shipped"], 301)),
        "templates/out_of_stock.txt": notepad(with_words(c["out_of_stock"], 39)),
        "templates/wrong_item.txt": notepad(with_words(c["wrong_item"], 40)),
    }


def typographic(text: str) -> str:
    """Curly quotes and dashes, which a GBK file holds as two-byte characters."""
    return text.replace("We are sorry", "We’re sorry").replace('"Return item"', "“Return item”") \
        .replace("Pack the bottle", "Then — pack the bottle")


def _encodings(key) -> dict[str, bytes]:
    r, t = replies(key), templates()
    return {
        "mailbox.xlsx": None,
        "mailbox.csv": WorkbookDraft("mailbox", {"mailbox": mailbox_rows(key)}, fmt="csv").to_bytes(),
        "replies/reply_01.txt": notepad(r["reply_01"], "utf-8-sig"),
        "replies/reply_02.txt": notepad(r["reply_02"], "utf-16-le"),
        "replies/reply_03.txt": notepad(r["reply_03"], "utf-16-be"),
        "templates/return.txt": notepad(typographic(t["return"]), "gbk"),
        "templates/not_shipped.txt": None,
        "templates/not_shipped.docx": docx(t["not_shipped"], table_from=len(t["not_shipped"].split("\n")) - 2),
        "templates/out_of_stock.txt": None,
        "templates/缺货.txt": notepad(t["out_of_stock"]),
    }


def _duplicates(key) -> dict[str, bytes]:
    r = replies(key)
    return {
        "templates/退货.docx": docx("Dear customer, your return is noted."),
        "replies/reply_01.txt": None,
        "reply_01.txt": notepad(r["reply_01"]),
        "replies/reply_02.txt": r["reply_02"].replace("getting in touch", "getting in touch from the café")
        .replace("\n", "\r\n").encode("latin-1"),
    }


def _unreadable(key) -> dict[str, bytes]:
    garbage = bytes((i * 37 + 11) % 256 for i in range(600))
    return {"replies/reply_03.txt": b"\x00\x01\x02" + garbage, "templates/wrong_item.txt": b""}


def _no_unit_1(drafts: Drafts, key) -> None:
    drafts.pop("u1_accounts", None)


def _varied(key) -> dict[str, bytes]:
    files = {f"replies/{k}.txt": notepad(v) for k, v in replies(key, VARIED_REPLIES).items()}
    files.update({f"templates/{k}.txt": notepad(v) for k, v in templates(VARIED_TEMPLATES).items()})
    files["mailbox.xlsx"] = None
    files["mailbox.xls"] = WorkbookDraft("mailbox", {"mailbox": [
        ["field", "value"], ["service_email", store_email(key, "Service.Desk").upper()],
        ["store_username", COMPANY_USERNAME.upper()], ["display_name", "HydroKeep"]]}, fmt="xls").to_bytes()
    return files


NO_UNIT_1 = {f"U1-0{n}": 0 for n in range(1, 8)}

DEFECTS = [
    Defect("mailbox-subdomain-username", UNIT, _edit(_mailbox("hanyue_trade02", "support@mail.hanyue-trade.cn")),
           {"U8-01": 0, "U8-02": 0},
           description="service email on a subdomain of the store's domain; store username differs from unit 1's"),
    Defect("reply-elements-a", UNIT, _edit(_reply_elements_a), {"U8-03": FULL - 3 * REPLY_ELEMENT},
           description="reply 1 greets 'Dear customer', reply 2 has no order id, reply 3 never names the case"),
    Defect("template-elements-a", UNIT, _edit(_template_elements_a), {"U8-04": FULL - 4 * TEMPLATE_ELEMENT},
           description="return lacks {order_id}; not_shipped has no greeting word; out_of_stock no apology; "
                       "wrong_item offers no resend or refund"),
    Defect("prohibited-a", UNIT, _edit(_prohibited(PROHIBITED_A)),
           {"U8-03": FULL - 3 * REPLY_ELEMENT, "U8-04": FULL - 4 * TEMPLATE_ELEMENT},
           description="a URL, a www. address, the bare store domain, another email, a phone number, a review "
                       "request and an incentive for a review"),
    Defect("encodings-docx-chinese-name", UNIT, _edit(_encodings), {},
           description="replies in UTF-8 with BOM, UTF-16 LE and UTF-16 BE; return in GBK; not_shipped as .docx "
                       "(signature in a table); out_of_stock named 缺货.txt; mailbox as .csv — full marks"),
    Defect("reply-elements-b", UNIT, _edit(_reply_elements_b), {"U8-03": FULL - 3 * REPLY_ELEMENT},
           description="reply 1 offers no resolution, reply 2 closes without a signature, reply 3 holds Chinese"),
    Defect("template-elements-b", UNIT, _edit(_template_elements_b), {"U8-04": FULL - 4 * TEMPLATE_ELEMENT},
           description="return gives no refund time, not_shipped no closing, out_of_stock holds Chinese, "
                       "wrong_item says nothing of the wrong item"),
    Defect("prohibited-b", UNIT, _edit(_prohibited(PROHIBITED_B)),
           {"U8-03": FULL - 3 * REPLY_ELEMENT, "U8-04": FULL - 4 * TEMPLATE_ELEMENT},
           description="WhatsApp, an 11-digit hotline, a feedback request, PayPal, a www. address, a link and "
                       "another email"),
    Defect("word-count-boundaries", UNIT, _edit(_word_counts),
           {"U8-03": FULL - 2 * REPLY_ELEMENT, "U8-04": FULL - 2 * TEMPLATE_ELEMENT},
           description="replies of 39, 40 and 301 words; templates of 300, 301, 39 and 40 words"),
    Defect("duplicate-misplaced-guessed", UNIT, _edit(_duplicates), {},
           flags=("duplicate-deliverable", "misplaced", "guessed-encoding"),
           description="return.txt beside 退货.docx (return.txt graded), reply_01 outside replies/, reply_02 in "
                       "Latin-1 — full marks, flagged"),
    Defect("unreadable-and-empty", UNIT, _edit(_unreadable),
           {"U8-03": FULL - 3, "U8-04": FULL - Fraction(9, 4)}, flags=("unreadable-file",),
           description="reply_03 is binary garbage; wrong_item is an empty file"),
    Defect("no-unit-1", UNIT, _no_unit_1, {**NO_UNIT_1, "U8-02": 1}, flags=("no-unit-1",),
           description="no u1_accounts file: U8-02 is graded on the username rule and flagged"),
    Defect("varied-wording", UNIT, _edit(_varied), {},
           description="every reply and template in other words, [Buyer Name]-style placeholders, mailbox as .xls "
                       "in upper case — full marks"),
]
