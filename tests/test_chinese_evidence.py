"""Evidence read in Chinese says it all in Chinese: no English reason or unit inside it."""
from __future__ import annotations

from grader.checks.accounts import username_problems, username_rule
from grader.checks.common import Problem
from grader.checks.service import Element, TextFile, _element_evidence


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
