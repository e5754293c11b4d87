"""Unit 1 samples: a correct u1_accounts.xlsx from the key, and one defect per criterion."""
from __future__ import annotations

from fractions import Fraction

from grader.samples.drafts import Defect, Drafts, WorkbookDraft

UNIT = "U1"
PERSONAL_USERNAME = "linxw_seller"
COMPANY_USERNAME = "hanyue_trade01"  # unit 8's store_username must equal it (U8-02)


def perfect(key) -> Drafts:
    person = key["accounts"]["personal"]
    company = key["accounts"]["company"]
    personal = [
        ["字段", "内容"],
        ["用户名", PERSONAL_USERNAME],
        ["邮箱", person["email"]],
        ["真实姓名", person["real_name"]],
        ["身份证号", person["id_number"]],
        ["银行卡号", person["card_number"]],
        ["持卡人", person["real_name"]],
    ]
    business = [
        ["字段", "内容"],
        ["用户名", COMPANY_USERNAME],
        ["邮箱", company["email"]],
        ["企业名称", company["company_name"]],
        ["统一社会信用代码", company["credit_code"]],
        ["法定代表人", company["legal_rep"]],
        ["法定代表人身份证号", company["legal_rep_id"]],
        ["开户银行", company["bank"]],
        ["对公账号", company["account_number"]],
        ["账户名称", company["company_name"]],
    ]
    return {"u1_accounts": WorkbookDraft("u1_accounts", {"个人账号": personal, "企业账号": business})}


def _field(sheet: str, label: str, value) -> callable:
    def apply(drafts: Drafts, key) -> None:
        drafts["u1_accounts"].set_field(sheet, label, value(key) if callable(value) else value)

    return apply


def _flip_last(text: str) -> str:
    """The same number with its last character changed, so its check digit fails."""
    last = text[-1]
    return text[:-1] + ("0" if last != "0" else "1")


DEFECTS = [
    Defect("username-starts-with-digit", UNIT, _field("个人账号", "用户名", "1linxw_seller"),
           {"U1-01": 1}, description="personal username starts with a digit"),
    Defect("email-invalid", UNIT, _field("企业账号", "邮箱", "service@hanyue-trade"),
           {"U1-02": 0}, description="company email has no top-level domain"),
    Defect("id-check-digit", UNIT,
           _field("个人账号", "身份证号", lambda k: _flip_last(k["accounts"]["personal"]["id_number"])),
           {"U1-03": 0}, description="personal ID number with a wrong check digit"),
    Defect("card-holder-other", UNIT, _field("个人账号", "持卡人", "林晓文"),
           {"U1-04": 0}, description="card holder is not the real name"),
    Defect("credit-code-check", UNIT,
           _field("企业账号", "统一社会信用代码", lambda k: _flip_last(k["accounts"]["company"]["credit_code"])),
           {"U1-05": 0}, description="credit code with a wrong check character"),
    Defect("legal-rep-name", UNIT, _field("企业账号", "法定代表人", "周建华"),
           {"U1-06": 0}, description="legal representative's name differs"),
    Defect("account-name-person", UNIT,
           _field("企业账号", "账户名称", lambda k: k["accounts"]["company"]["legal_rep"]),
           {"U1-07": 0}, description="company account in the legal representative's name"),
    Defect("username-platform", UNIT, _field("个人账号", "用户名", "AliExpress_lin"),
           {"U1-01": Fraction(1)}, description="personal username contains a platform name"),
    Defect("username-full-width", UNIT, _field("个人账号", "用户名", "ｌｉｎｘｗ_seller"),
           {"U1-01": 1}, description="personal username typed in full-width letters"),
]
