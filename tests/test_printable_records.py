"""Printable records: each candidate's score record and the class register, A4 HTML with the
decisions, the sign-off state and the signature lines; escaped, self-contained, rendered clean."""
from __future__ import annotations

import re

import pytest
from test_review import AT, WAITING

from grader.review import actions
from grader.review.records import write_records


def cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.DOTALL)] for r in rows]


def test_score_record_holds_units_total_decisions_and_signature_lines(results_copy):
    out = results_copy
    actions.override(out, "ks12", "U8-03", "3", "考评员01", "reply_03 <b>opened</b> by hand", now=AT)
    printed = write_records(out)
    assert [p.name for p in printed.records][:2] == ["ks01.html", "ks02.html"] and len(printed.records) == 22
    page = (out / "print" / "ks12.html").read_text(encoding="utf-8")
    assert "考核评分记录表" in page and "<script" not in page
    assert cells(page)[:1] == [["U1", "跨境平台账号申请 Seller account registration", "10", "10.00"]]
    assert cells(page)[8] == ["总分 Total · 合格 pass", "100", "87.72"]
    assert "reply_03 &lt;b&gt;opened&lt;/b&gt; by hand" in page and "<b>opened" not in page
    assert "改分 override U8-03 → 3" in page and "已决 decided #1" in page
    reason = "内容为二进制数据，不是任何编码的文本 / holds binary data, not text in any encoding"
    assert ["文件无法读取 unreadable-file (U8)", reason, "已决 decided #1"] in cells(page.split("</tbody>", 2)[2])
    assert "未定稿 Not signed off yet · 据复核记录 1 行 (made from 1 review-log row(s))" in page
    assert page.count('class="line"') == 2 and "考评员签名" in page and "督考员签名" in page
    assert "default-src &#39;none&#39;; style-src &#39;sha256-" in page  # the policy, escaped in its attribute


def test_register_lists_the_class_in_roster_order_and_the_sign_off(results_copy):
    out = results_copy
    for user in WAITING:
        actions.confirm(out, user, "考评员01", "核实", now=AT)
    actions.sign_off(out, "督考员01", now=AT)
    page = write_records(out).register.read_text(encoding="utf-8")
    rows = cells(page)
    assert len(rows) == 22
    assert rows[0] == ["1", "2026A0001", "满分考生", "ks01", "10.00", "15.00", "15.00", "5.00", "20.00", "5.00",
                       "10.00", "20.00", "100.00", "合格 pass", "已评分 graded", "0"]
    assert rows[4][-3:] == ["合格 pass", "已复核 reviewed", "1"]
    assert rows[20][3:] == ["ks21", *["—"] * 9, "缺考 absent", "缺考 absent", "0"]
    assert "应考 Rostered 22 · 实考 Sat 21 · 缺考 Absent 1 · 合格 Passed 20 · 待复核 Needing review 0" in \
        re.sub(r"<[^>]+>", "", page)
    assert "已签署定稿 Signed off as final: 督考员01, 2026-12-02T08:15:00+00:00 (#11)" in page


@pytest.mark.skipif(__import__("test_browser").BINARY is None, reason="no Chromium installed")
def test_records_render_clean_in_chromium(results_copy, tmp_path):
    out = results_copy
    from test_browser import Browser, Page, assert_png

    printed = write_records(out)
    browser = Browser(tmp_path / "profile")
    try:
        for path in (printed.register, printed.records[4]):
            page = Page(browser, path.as_uri())
            assert page.problems() == []
            assert page.evaluate("document.querySelectorAll('.signatures .line').length") == 4
            assert_png(page.screenshot(tmp_path / f"{path.stem}.png"))
    finally:
        browser.close()
