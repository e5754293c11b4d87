"""Unit 1 (跨境平台账号申请): every criterion's Okay case and each failing case, with exact points and evidence.

The workbooks are the sample module's perfect drafts (the paper's Chinese sheet and field names)
with one field changed, read by the real sheet reader. The materials are 2026A's: 林晓雯, ID
110108198503152347, card 6222021001123456789; 杭州瀚越跨境贸易有限公司, 91310115MA1K3BTP2B, legal
representative 周建国 110105197806224519, account 31001987654321019. Numbers and texts are compared
after conventions 3 and 24; usernames are judged as typed, trimmed.
"""
from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from helpers import failing, grade_sheets, run_check, workbook_of

from grader.checks import REGISTRY
from grader.paper import Key
from grader.read.tables import build_workbook, read_grid
from grader.samples import u1

PERSONAL, COMPANY = "个人账号", "企业账号"
FULL = {"U1-01": Fraction(2), "U1-02": Fraction(1), "U1-03": Fraction(2), "U1-04": Fraction(1),
        "U1-05": Fraction(2), "U1-06": Fraction(1), "U1-07": Fraction(1)}
CRITERIA = tuple(FULL)
# a code whose registering authority is Y (其他), with its GB 32100 check character E
AUTHORITY_Y_CODE = "Y133010034567890AE"


@pytest.fixture()
def draft(paper):
    """The perfect candidate's u1_accounts workbook, a fresh copy for each test."""
    return copy.deepcopy(u1.perfect(paper.key)["u1_accounts"])


def grade(paper, criterion_id, draft, title=None, label=None, value=None, *, key=None):
    """(points, outcome) of one criterion after the field ``label`` of sheet ``title`` is set."""
    if title is not None:
        draft.set_field(title, label, value)
    return grade_sheets(paper, criterion_id, draft.sheets, key)


def key_with(paper, **changes) -> Key:
    """A copy of the key whose accounts differ: ``personal={...}``, ``company={...}``."""
    accounts = copy.deepcopy(paper.key["accounts"])
    for account, fields in changes.items():
        accounts[account].update(fields)
    return Key(paper.key.root, {"accounts": accounts}, {})


def materials_email(paper, title) -> str:
    return paper.key["accounts"]["personal" if title == PERSONAL else "company"]["email"]


def cells(outcome) -> list[tuple[str, str, bool]]:
    return [(e.sheet, e.cell, e.ok) for e in outcome.evidence]


# ---------------------------------------------------------------- the perfect candidate


@pytest.mark.parametrize("criterion_id", CRITERIA)
def test_perfect_workbook_earns_every_criterion(paper, draft, criterion_id):
    got, outcome = grade(paper, criterion_id, draft)
    assert got == FULL[criterion_id]
    assert outcome.evidence and all(e.ok for e in outcome.evidence)
    assert not outcome.flags


def test_perfect_workbook_written_and_read_back(paper, draft, tmp_path):
    path = draft.write(tmp_path)
    book = build_workbook(path.name, read_grid(path), list(paper.deliverables["u1_accounts"].sheets))
    for criterion_id in CRITERIA:
        assert run_check(paper, criterion_id, book)[0] == FULL[criterion_id], criterion_id


def test_english_sheet_header_and_field_names_are_read(paper, draft):
    english = {"用户名": "User Name", "邮箱": "E-mail", "真实姓名": "name", "身份证号": "ID No",
               "银行卡号": "card_no", "持卡人": "Holder", "企业名称": "Company", "统一社会信用代码": "USCC",
               "法定代表人": "Legal Representative", "法定代表人身份证号": "legal-representative-id",
               "开户银行": "Bank Name", "对公账号": "Account No", "账户名称": "account holder"}
    renamed = {}
    for title, new in ((PERSONAL, "Personal"), (COMPANY, "COMPANY")):
        renamed[new] = [["Field", "Value"]] + [[english[f], v] for f, v in draft.sheets[title][1:]]
    for criterion_id in CRITERIA:
        assert grade_sheets(paper, criterion_id, renamed)[0] == FULL[criterion_id], criterion_id


def test_a_repeated_field_is_graded_on_its_first_row(paper, draft):
    draft.sheets[PERSONAL].append(["用户名", "1bad name"])
    assert grade(paper, "U1-01", draft)[0] == 2
    draft.sheets[PERSONAL].insert(1, ["用户名", "1bad name"])
    got, outcome = grade(paper, "U1-01", draft)
    assert got == 1 and failing(outcome)[0].cell == "B2"


@pytest.mark.parametrize("title, spec, earned", [(COMPANY, "company", {"U1-01": 1, "U1-05": 2, "U1-06": 1, "U1-07": 1}),
                                                 (PERSONAL, "personal", {"U1-01": 1, "U1-03": 2, "U1-04": 1})])
def test_a_csv_stands_for_company_when_it_holds_a_company_only_field(paper, draft, title, spec, earned):
    sheets = {"u1_accounts": draft.sheets[title]}
    assert list(workbook_of(paper, "u1_accounts", sheets, "u1_accounts.csv").sheets) == [spec]
    for criterion_id in CRITERIA:
        got, outcome = grade_sheets(paper, criterion_id, sheets, file="u1_accounts.csv")
        assert got == earned.get(criterion_id, 0), criterion_id
        assert got == FULL[criterion_id] or any(e.found == "(missing)" for e in failing(outcome))


def test_a_csv_with_shared_fields_only_stands_for_personal(paper):
    sheets = {"u1_accounts": [["字段", "内容"], ["用户名", "hanyue_trade01"], ["邮箱", "service@hanyue-trade.cn"]]}
    assert list(workbook_of(paper, "u1_accounts", sheets, "u1_accounts.csv").sheets) == ["personal"]


# ---------------------------------------------------------------- U1-01


@pytest.mark.parametrize("username", [
    "abcdef", "a" * 20, "  abcdef  ", "Abc123", "lin_xw_01", "a_____", "X" + "1" * 19,
    "ali_express01", "e_bay_store", "amazo_n_shop", "wis_h_trade",
])
def test_u1_01_okay(paper, draft, username):
    got, outcome = grade(paper, "U1-01", draft, PERSONAL, "用户名", username)
    assert got == 2 and cells(outcome) == [(PERSONAL, "B2", True), (COMPANY, "B2", True)]


@pytest.mark.parametrize("username, why", [
    ("abcde", "5 characters, not 6–20"),
    ("a" * 21, "21 characters, not 6–20"),
    ("  abcde  ", "5 characters, not 6–20"),
    ("1abcdef", "does not start with a letter"),
    ("_abcdef", "does not start with a letter"),
    ("lin-xw01", "holds characters other than letters, digits and _"),
    ("lin xw01", "holds characters other than letters, digits and _"),
    ("lin.xw01", "holds characters other than letters, digits and _"),
    ("lin\u3000xw01", "holds characters other than letters, digits and _"),
    ("林晓雯abcdef", "does not start with a letter"),
    ("ｌｉｎｘｗ_seller", "does not start with a letter"),
    ("linxw_ｓｅｌｌｅｒ", "holds characters other than letters, digits and _"),
    ("swisher1", "contains the platform name 'wish'"),
    ("EBayStar", "contains the platform name 'ebay'"),
    ("my_AMAZON_shop", "contains the platform name 'amazon'"),
    ("AliExpress_lin", "contains the platform name 'aliexpress'"),
    (12345678, "does not start with a letter"),
    (None, "0 characters, not 6–20"),
    ("   ", "0 characters, not 6–20"),
])
def test_u1_01_a_username_breaking_one_rule_loses_its_point(paper, draft, username, why):
    got, outcome = grade(paper, "U1-01", draft, PERSONAL, "用户名", username)
    assert got == 1 and not outcome.flags
    [bad] = failing(outcome)
    assert (bad.sheet, bad.cell) == (PERSONAL, "B2") and why in bad.message
    assert bad.expected == "6–20 letters/digits/_, starting with a letter, no platform name"


@pytest.mark.parametrize("username, want", [("hanyue", 2), ("hanyue_trade_cn_2026", 2), ("hanyu", 1),
                                            ("hanyue_trade_cn_20261", 1), ("ebay_hanyue", 1), ("9hanyue", 1)])
def test_u1_01_the_company_username_earns_the_other_point(paper, draft, username, want):
    got, outcome = grade(paper, "U1-01", draft, COMPANY, "用户名", username)
    assert got == want and cells(outcome)[1] == (COMPANY, "B2", want == 2)


def test_u1_01_both_usernames_wrong_earn_nothing(paper, draft):
    draft.set_field(COMPANY, "用户名", "wish2026")
    got, outcome = grade(paper, "U1-01", draft, PERSONAL, "用户名", "lin")
    assert got == 0 and [e.cell for e in failing(outcome)] == ["B2", "B2"]


def test_u1_01_a_missing_sheet_or_field_costs_that_account_only(paper, draft):
    del draft.sheets[COMPANY]
    got, outcome = grade(paper, "U1-01", draft)
    assert got == 1
    [bad] = failing(outcome)
    assert (bad.sheet, bad.found) == ("company", "(missing)")
    draft.sheets[PERSONAL] = [r for r in draft.sheets[PERSONAL] if r[0] != "用户名"]
    got, outcome = grade(paper, "U1-01", draft)
    assert got == 0 and [e.cell for e in failing(outcome)] == ["", ""]


# ---------------------------------------------------------------- U1-02


@pytest.mark.parametrize("title, email", [
    (PERSONAL, "LinXiaowen2026@163.COM"), (PERSONAL, "  linxiaowen2026@163.com "),
    (PERSONAL, "ｌｉｎｘｉａｏｗｅｎ２０２６＠１６３.ｃｏｍ"), (COMPANY, "SERVICE@hanyue-trade.cn"),
])
def test_u1_02_equal_ignores_case_width_and_surrounding_spaces(paper, draft, title, email):
    got, outcome = grade(paper, "U1-02", draft, title, "邮箱", email)
    assert got == 1
    assert cells(outcome) == [(PERSONAL, "B3", True)] * 2 + [(COMPANY, "B3", True)] * 2


@pytest.mark.parametrize("title, email, valid", [
    (PERSONAL, "linxiaowen2026@163", False),
    (COMPANY, "service@hanyue-trade", False),
    (PERSONAL, "linxiaowen2026@163.com.", False),
    (PERSONAL, "linxiaowen2026@@163.com", False),
    (PERSONAL, "linxiaowen 2026@163.com", False),
    (PERSONAL, None, False),
    (PERSONAL, "linxiaowen2025@163.com", True),   # valid, not the materials'
    (PERSONAL, "service@hanyue-trade.cn", True),  # the company's address in the personal account
    (COMPANY, "linxiaowen2026@163.com", True),
])
def test_u1_02_an_invalid_or_other_address_costs_the_point(paper, draft, title, email, valid):
    got, outcome = grade(paper, "U1-02", draft, title, "邮箱", email)
    assert got == 0
    sheet = [e for e in outcome.evidence if e.sheet == title]
    assert [(e.cell, e.ok) for e in sheet] == [("B3", valid), ("B3", False)]
    assert sheet[0].expected == "a valid address" and sheet[1].expected == materials_email(paper, title)


def test_u1_02_without_one_sheet_the_point_is_lost(paper, draft):
    del draft.sheets[PERSONAL]
    got, outcome = grade(paper, "U1-02", draft)
    assert got == 0 and failing(outcome)[0].found == "(missing)"


# ---------------------------------------------------------------- U1-03 and U1-06: a person's name and ID


PERSONS = [("U1-03", PERSONAL, "真实姓名", "身份证号", "110108198503152347", ("B4", "B5")),
           ("U1-06", COMPANY, "法定代表人", "法定代表人身份证号", "110105197806224519", ("B6", "B7"))]


def spaced(number: str) -> str:
    return f"{number[:6]} {number[6:14]} {number[14:]}"


def full_width(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})


@pytest.mark.parametrize("criterion_id, title, name_field, id_field, number, refs", PERSONS)
@pytest.mark.parametrize("written", [spaced, lambda n: spaced(n).replace(" ", "-"), full_width, lambda n: f"  {n} "],
                         ids=["spaces", "hyphens", "full-width", "padded"])
def test_u1_03_06_id_numbers_compare_compacted(paper, draft, criterion_id, title, name_field, id_field, number,
                                               refs, written):
    got, outcome = grade(paper, criterion_id, draft, title, id_field, written(number))
    assert got == FULL[criterion_id]
    assert [(e.cell, e.ok) for e in outcome.evidence] == [(refs[0], True), (refs[1], True), (refs[1], True)]


@pytest.mark.parametrize("criterion_id, title, name_field, id_field, number, refs", PERSONS)
@pytest.mark.parametrize("change, passes", [
    (lambda n: n[:-1] + ("8" if n[-1] != "8" else "0"), False),  # check digit wrong
    (lambda n: n[:-1] + "X", False),                             # check character X, wrong here
    (lambda n: n[:-1], False),                                   # 17 characters
    (lambda n: n + "0", False),                                  # 19 characters
    (lambda n: "360426199101010071", True),                      # another person's valid ID
    (lambda n: 1.10108198503152347e17, False),                   # a number cell: Excel kept 15 digits
    (lambda n: None, False),
], ids=["check-digit", "check-X", "17", "19", "other-person", "number-cell", "blank"])
def test_u1_03_06_a_wrong_id_number_costs_the_criterion(paper, draft, criterion_id, title, name_field, id_field,
                                                        number, refs, change, passes):
    got, outcome = grade(paper, criterion_id, draft, title, id_field, change(number))
    assert got == 0 and not outcome.flags
    assert [(e.cell, e.ok) for e in outcome.evidence] == [(refs[0], True), (refs[1], False), (refs[1], passes)]
    assert outcome.evidence[1].expected == number and outcome.evidence[2].expected == "a valid number"


def test_u1_03_a_number_cell_is_shown_as_excel_shows_it(paper, draft):
    _, outcome = grade(paper, "U1-03", draft, PERSONAL, "身份证号", 1.10108198503152347e17)
    assert failing(outcome)[0].found == "1.10108E+17"


@pytest.mark.parametrize("criterion_id, title, name_field, id_field, number, refs", PERSONS)
@pytest.mark.parametrize("name, ok", [(" {} ", True), ("{}\u3000", True), ("{} 先生", False), ("{}", True)])
def test_u1_03_06_the_name_equals_after_trimming_only(paper, draft, criterion_id, title, name_field, id_field,
                                                      number, refs, name, ok):
    materials = draft.sheets[title][[r[0] for r in draft.sheets[title]].index(name_field)][1]
    got, outcome = grade(paper, criterion_id, draft, title, name_field, name.format(materials))
    assert got == (FULL[criterion_id] if ok else 0)
    assert (outcome.evidence[0].cell, outcome.evidence[0].ok) == (refs[0], ok)


@pytest.mark.parametrize("criterion_id, title, name_field, id_field, number, refs", PERSONS)
@pytest.mark.parametrize("name", ["林晓文", "周建华", "林 晓雯", None])
def test_u1_03_06_another_name_costs_the_criterion(paper, draft, criterion_id, title, name_field, id_field,
                                                   number, refs, name):
    got, outcome = grade(paper, criterion_id, draft, title, name_field, name)
    assert got == 0
    [bad] = failing(outcome)
    assert bad.cell == refs[0] and bad.message == "name differs from the materials'"


def test_u1_03_a_lower_case_check_x_is_the_same_number(paper, draft):
    key = key_with(paper, personal={"id_number": "44011320141005001X"})
    assert grade(paper, "U1-03", draft, PERSONAL, "身份证号", "44011320141005001x", key=key)[0] == 2
    assert grade(paper, "U1-03", draft, PERSONAL, "身份证号", "440113201410050010", key=key)[0] == 0


def test_u1_06_the_applicants_id_is_not_the_legal_representatives(paper, draft):
    got, outcome = grade(paper, "U1-06", draft, COMPANY, "法定代表人身份证号", "110108198503152347")
    assert got == 0 and [e.ok for e in outcome.evidence] == [True, False, True]


# ---------------------------------------------------------------- U1-04


@pytest.mark.parametrize("card", ["6222 0210 0112 3456 789", "6222-0210-0112-3456-789", "６２２２０２１００１１２３４５６７８９"])
def test_u1_04_card_numbers_compare_compacted(paper, draft, card):
    got, outcome = grade(paper, "U1-04", draft, PERSONAL, "银行卡号", card)
    assert got == 1 and [(e.cell, e.ok) for e in outcome.evidence] == [("B6", True), ("B6", True), ("B7", True)]


@pytest.mark.parametrize("card, luhn", [
    ("6222021001123456788", False),      # last digit changed: Luhn fails
    ("6222021001123456798", False),      # one digit changed inside
    ("4111111111111111", True),          # a valid card, not the materials'
    ("62220210011234567890", False),     # a digit added
    (6.222021001123457e18, False),       # a number cell: Excel kept 15 digits
    ("6222O21001123456789", False),      # a letter O for a zero
    (None, False),
])
def test_u1_04_another_card_number_costs_the_point(paper, draft, card, luhn):
    got, outcome = grade(paper, "U1-04", draft, PERSONAL, "银行卡号", card)
    assert got == 0
    assert [(e.cell, e.ok) for e in outcome.evidence] == [("B6", False), ("B6", luhn), ("B7", True)]


@pytest.mark.parametrize("holder, ok", [(" 林晓雯 ", True), ("林晓文", False), ("Lin Xiaowen", False), (None, False)])
def test_u1_04_the_card_holder_is_the_real_name(paper, draft, holder, ok):
    got, outcome = grade(paper, "U1-04", draft, PERSONAL, "持卡人", holder)
    assert got == (1 if ok else 0)
    assert (outcome.evidence[2].cell, outcome.evidence[2].ok, outcome.evidence[2].expected) == ("B7", ok, "林晓雯")


def test_u1_04_a_missing_holder_row_costs_the_point(paper, draft):
    draft.sheets[PERSONAL] = [r for r in draft.sheets[PERSONAL] if r[0] != "持卡人"]
    got, outcome = grade(paper, "U1-04", draft)
    assert got == 0 and [(e.cell, e.found) for e in failing(outcome)] == [("", "(empty)")]


# ---------------------------------------------------------------- U1-05


@pytest.mark.parametrize("code", ["91310115ma1k3btp2b", "9131 0115 MA1K 3BTP 2B", "91310115-MA1K3BTP2B",
                                  "９１３１０１１５ＭＡ１Ｋ３ＢＴＰ２Ｂ"])
def test_u1_05_credit_codes_compare_compacted(paper, draft, code):
    got, outcome = grade(paper, "U1-05", draft, COMPANY, "统一社会信用代码", code)
    assert got == 2 and [(e.cell, e.ok) for e in outcome.evidence] == [("B4", True), ("B5", True), ("B5", True)]


@pytest.mark.parametrize("code, valid", [
    ("91310115MA1K3BTP2C", False),   # check character wrong
    ("91310115MA1K3BTP2", False),    # 17 characters
    ("91310115MA1K3BTP2BB", False),  # 19 characters
    ("91110000600037341L", True),    # another company's valid code
    ("91310115MA1K3BTPZB", False),   # Z is not a GB 32100 character
    (None, False),
])
def test_u1_05_another_credit_code_costs_the_criterion(paper, draft, code, valid):
    got, outcome = grade(paper, "U1-05", draft, COMPANY, "统一社会信用代码", code)
    assert got == 0
    assert [(e.cell, e.ok) for e in outcome.evidence] == [("B4", True), ("B5", False), ("B5", valid)]


@pytest.mark.parametrize("name, want", [(" 杭州瀚越跨境贸易有限公司 ", 2), ("杭州瀚越跨境贸易公司", 0),
                                        ("杭州瀚越跨境贸易有限公司（滨江）", 0), (None, 0)])
def test_u1_05_the_company_name(paper, draft, name, want):
    got, outcome = grade(paper, "U1-05", draft, COMPANY, "企业名称", name)
    assert got == want and (outcome.evidence[0].cell, outcome.evidence[0].ok) == ("B4", want == 2)


def test_u1_05_07_full_width_and_half_width_brackets_are_equal(paper, draft):
    key = key_with(paper, company={"company_name": "杭州瀚越（滨江）跨境贸易有限公司"})
    draft.set_field(COMPANY, "企业名称", "杭州瀚越(滨江)跨境贸易有限公司")
    draft.set_field(COMPANY, "账户名称", "杭州瀚越 (滨江) 跨境贸易有限公司")
    assert grade(paper, "U1-05", draft, key=key)[0] == 2
    assert grade(paper, "U1-07", draft, key=key)[0] == 0  # an inner space is kept: not equal
    draft.set_field(COMPANY, "账户名称", "杭州瀚越(滨江)跨境贸易有限公司")
    assert grade(paper, "U1-07", draft, key=key)[0] == 1


def test_u1_05_a_code_of_a_lettered_registering_authority_is_valid(paper, draft):
    key = key_with(paper, company={"credit_code": AUTHORITY_Y_CODE})
    got, outcome = grade(paper, "U1-05", draft, COMPANY, "统一社会信用代码", AUTHORITY_Y_CODE, key=key)
    assert got == 2, [e.message for e in failing(outcome)]


# ---------------------------------------------------------------- U1-07


@pytest.mark.parametrize("number", ["3100 1987 6543 2101 9", "3100-1987-6543-2101-9", "３１００１９８７６５４３２１０１９"])
def test_u1_07_account_numbers_compare_compacted(paper, draft, number):
    got, outcome = grade(paper, "U1-07", draft, COMPANY, "对公账号", number)
    assert got == 1 and [(e.cell, e.ok) for e in outcome.evidence] == [("B8", True), ("B9", True), ("B10", True)]


@pytest.mark.parametrize("label, value, ref", [
    ("开户银行", "中国工商银行杭州分行", "B8"),
    ("开户银行", None, "B8"),
    ("对公账号", "3100198765432101", "B9"),     # a digit missing
    ("对公账号", "310019876543210190", "B9"),   # a digit added
    ("对公账号", 3.100198765432102e16, "B9"),   # a number cell: Excel kept 15 digits
    ("账户名称", "周建国", "B10"),               # the legal representative's name
    ("账户名称", "林晓雯", "B10"),
    ("账户名称", None, "B10"),
])
def test_u1_07_any_account_field_different_costs_the_point(paper, draft, label, value, ref):
    got, outcome = grade(paper, "U1-07", draft, COMPANY, label, value)
    assert got == 0
    [bad] = failing(outcome)
    assert (bad.sheet, bad.cell) == (COMPANY, ref)


def test_u1_07_bank_name_ignores_surrounding_spaces(paper, draft):
    assert grade(paper, "U1-07", draft, COMPANY, "开户银行", "  中国工商银行杭州滨江支行 ")[0] == 1


# ---------------------------------------------------------------- the key's guarantees and the sample defects


@pytest.mark.parametrize("criterion_id, changes, problem", [
    ("U1-03", {"personal": {"id_number": "110108198503152348"}}, "is not a valid GB 11643 ID number"),
    ("U1-06", {"company": {"legal_rep_id": "11010519780622451"}}, "is not a valid GB 11643 ID number"),
    ("U1-04", {"personal": {"card_number": "6222021001123456788"}}, "card_number fails Luhn"),
    ("U1-05", {"company": {"credit_code": "91310115MA1K3BTP2C"}}, "credit_code fails GB 32100"),
])
def test_a_key_whose_numbers_fail_their_check_is_refused(paper, criterion_id, changes, problem):
    criterion = paper.criterion(criterion_id)
    validate = REGISTRY[criterion.check].validate
    assert validate(paper.key, criterion.params) == []
    assert any(problem in p for p in validate(key_with(paper, **changes), criterion.params))


@pytest.mark.parametrize("defect", u1.DEFECTS, ids=lambda d: d.name)
def test_each_sample_defect_scores_what_it_declares(paper, draft, defect):
    drafts = {"u1_accounts": draft}
    defect.apply(drafts, paper.key)
    for criterion_id in CRITERIA:
        got, outcome = grade(paper, criterion_id, draft)
        assert got == Fraction(defect.expected.get(criterion_id, FULL[criterion_id])), criterion_id
        assert not outcome.flags and not defect.flags
