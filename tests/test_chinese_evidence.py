"""Evidence read in Chinese says it all in Chinese: no English reason or unit inside it."""
from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from grader.checks.accounts import username_problems, username_rule
from grader.checks.common import Problem
from grader.checks.service import Element, TextFile, _element_evidence, english


def test_a_username_problem_is_said_in_both_languages():
    assert username_problems("1ebay", 6, 20, ["ebay"]) == [
        Problem("5 characters, not 6–20", "5 个字符，应为 6–20 个"),
        Problem("does not start with a letter", "不以英文字母开头"),
        Problem("contains the platform name 'ebay'", "含平台名称 'ebay'"),
    ]


def test_the_username_rule_is_stated_with_the_papers_own_numbers():
    assert username_rule(8, 16) == "8–16 letters/digits/_, starting with a letter, no platform name"


def test_an_element_not_met_is_charged_in_chinese_points():
    text = TextFile("reply_01", "u8_service/replies/reply_01.txt", "reply_01.txt", "Hello", "utf-8", False)
    element = Element(4, "offers a concrete resolution", "给出具体解决方案", False)
    evidence = _element_evidence(text, element, "0.375 point", "0.375 分")
    assert evidence.message_zh == "reply_01（4）给出具体解决方案：不符合（未找到），扣 0.375 分"
    assert evidence.message == "reply_01 (4) offers a concrete resolution: not met (not found), −0.375 point"


# An English word (convention 11) inside a Chinese message is a half translation unless it is
# something the examiner must see as written: a quoted value; part of an id, a number or a file
# name (a token holding a digit, a dot, a slash, an underscore or an @); the evidence's own found
# or expected value (what the candidate typed, what the key holds) where the message repeats it;
# a name the paper gives (a sheet, column, field or slot name; a word of a phrase of its
# parameters or the product's materials); a name written in mixed case (BadZipFile, HydroKeep); or
# one of the names kept as written below (units, formats, file kinds).
KEPT = {"sku", "excel", "yyyy-mm-dd", "cm", "kg", "px", "cny", "usd", "jpg", "jpeg", "png", "rgb", "rgba",
        "cmyk", "mpo", "main", "pt", "utf", "gbk", "ascii", "jieba", "phash", "xlsx", "xlsm", "xls", "csv", "txt",
        "docx", "zip"}
MIXED_CASE = re.compile(r"[A-Za-z][a-z]*[A-Z][A-Za-z]*[a-z][A-Za-z]*")
WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|'[^']*'|\"[^\"]*\"|「[^」]*」")
TOKEN = re.compile(r"[^\s，。；：、（）()【】“”‘’'\"]+")
PLACEHOLDER = re.compile(r"\([a-z ]+\)")


def names_of(value, out):
    """The paper's names: each single-word string whole, each word of a phrase."""
    if isinstance(value, dict):
        for k, v in value.items():
            names_of(k, out)
            names_of(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            names_of(v, out)
    elif isinstance(value, str):
        out.update([value.casefold()] if " " not in value.strip() else (w.casefold() for w in WORD.findall(value)))
    return out


def english_words(message_zh, allowed, values=()):
    plain = QUOTED.sub(" ", message_zh)
    tokens = [t for t in TOKEN.findall(plain) if not re.search(r"[0-9._@/{}]", t)]
    shown = {w.casefold() for v in values if not PLACEHOLDER.fullmatch(v) for w in WORD.findall(v)}
    return [w for t in tokens for w in WORD.findall(t)
            if w.casefold() not in allowed | shown and not MIXED_CASE.fullmatch(w)]


def paper_names(paper):
    names = names_of([c.params for u in paper.units for c in u.criteria], set()) | KEPT
    for d in paper.deliverables.values():
        names_of([d.options, [[s.name, list(s.columns), list(s.fields)] for s in d.sheets]], names)
    for section in ("product", "keywords", "keyword_report"):  # the materials' codes and keywords
        names_of(paper.key[section], names)
    return names


def test_the_demo_discs_chinese_evidence_and_flags_hold_no_english_prose(demo_results, paper):
    allowed = paper_names(paper)
    half = set()
    for path in sorted((demo_results / "candidates").glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        for criterion in (c for u in result["units"] for c in u["criteria"]):
            for e in criterion["evidence"]:
                words = english_words(e["message_zh"], allowed, (e["found"], e["expected"]))
                if words:
                    half.add(f"{criterion['id']}: {e['message_zh']} ({', '.join(words)})")
        for flag in result["flags"]:
            words = english_words(flag["reason_zh"], allowed, (flag["file"],))
            if words:
                half.add(f"{flag['code']}: {flag['reason_zh']} ({', '.join(words)})")
    assert not half, "\n".join(sorted(half))


def test_the_scan_finds_a_half_translation():
    allowed = {"bullet"}
    assert english_words("reply_01（8）无违规内容：不符合（1 prohibited item），扣 0.375 分", allowed) == \
        ["prohibited", "item"]
    assert english_words("bullet3：含违禁词 'best-seller'", allowed) == []
    assert english_words("不符合（not found）", allowed, ("(not found)",)) == ["not", "found"]
    assert english_words("JY006 的 style 与产品池不一致", {"style"}, ("简约",)) == []
    assert english_words("标题：全大写单词 SELLER", set(), ("Bottle BEST SELLER",)) == []
    assert english_words("不符合（missing {order_id}）", set(), ("(not found)",)) == ["missing"]
    assert english_words("不是可读取的 xlsx 工作簿（BadZipFile：不是 zip 格式的文件）", KEPT) == []
    assert english_words("不是可读取的工作簿（file is not a zip file）", KEPT) == ["file", "is", "not", "a", "file"]


@pytest.mark.parametrize("user, criterion, message_zh", [
    ("ks05", "U8-03", "reply_01（8）无违规内容：不符合（1 处违规内容），扣 0.375 分"),
    ("ks05", "U8-04", "wrong_item（9）无违规内容：不符合（2 处违规内容），扣 0.25 分"),
    ("ks04", "U8-04", "return（1）占位符：不符合（缺少 {order_id}），扣 0.25 分"),
    ("ks10", "U8-03", "reply_01（7）40–300 个单词：不符合（39 个单词），扣 0.375 分"),
    ("ks07", "U8-03", "reply_03（6）英文：不符合（8 个汉字（前几个：感谢您的耐心等待）），扣 0.375 分"),
])
def test_an_elements_measure_is_said_in_chinese(demo_results, user, criterion, message_zh):
    """The measures the scan cannot tell from a value (they are also the found column) are said here."""
    result = json.loads((demo_results / "candidates" / f"{user}.json").read_text(encoding="utf-8"))
    [c] = [c for u in result["units"] for c in u["criteria"] if c["id"] == criterion]
    assert message_zh in [e["message_zh"] for e in c["evidence"]]


def test_the_english_measure_in_both_languages():
    assert english("Caf\u00e9 d\u00e9j\u00e0 vu", Fraction(95, 100)) == (
        False, "7 of 10 letters A–Z/a–z (70.0% < 95%)", "10 个字母中 7 个为 A–Z/a–z（70.0% < 95%）")
    assert english("1234", Fraction(95, 100)) == (False, "no letters", "没有字母")
