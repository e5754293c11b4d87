"""Flags read in Chinese first wherever examiners read them, each linked to its row in flags.html.

ks12 of the demo disc has one flag: unit 8's reply_03.txt holds binary data.
"""
from __future__ import annotations

import csv
import re

import openpyxl
from conftest import load_result

from grader.flags import FLAGS
from grader.report.candidate_json import candidate_path, read_candidate
from grader.report.html import assets

KS12_FLAG = "文件无法读取 unreadable-file (U8 u8_service/replies/reply_03.txt): 内容为二进制数据，不是任何编码的文本"


def flag_table_ids(out) -> set[str]:
    return set(re.findall(r'<tr id="([^"]+)"', (out / "flags.html").read_text(encoding="utf-8")))


def test_the_json_keeps_code_and_reason_and_adds_the_chinese_name_and_reason(demo_results):
    assert load_result(demo_results, "ks12")["flags"] == [{
        "code": "unreadable-file", "name_zh": "文件无法读取", "reason": "holds binary data, not text in any encoding",
        "reason_zh": "内容为二进制数据，不是任何编码的文本", "file": "u8_service/replies/reply_03.txt", "unit": "U8"}]
    [flag] = read_candidate(candidate_path(demo_results, "ks12")).flags
    assert (flag.code, flag.unit) == ("unreadable-file", "U8")


def test_the_candidate_page_names_the_flag_in_chinese_and_links_to_its_row(demo_results):
    page = (demo_results / "candidates" / "ks12.html").read_text(encoding="utf-8")
    box = page.split('class="box flags-box"')[1].split("</section>")[0]
    row = box.split("<tbody>")[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells == ['<a href="../flags.html#flag-unreadable-file">文件无法读取 <span class="en">unreadable-file</span></a>',
                     "U8", "u8_service/replies/reply_03.txt",
                     '内容为二进制数据，不是任何编码的文本<br><span class="en">holds binary data, not text in any encoding</span>']
    assert "flag-unreadable-file" in flag_table_ids(demo_results)


def test_summary_csv_starts_the_flag_with_its_chinese_name(demo_results):
    with (demo_results / "summary.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("标记 Flags")
    ks12 = next(r for r in rows if r[2] == "ks12")
    assert ks12[column] == KS12_FLAG


def test_summary_xlsx_names_each_flag_in_chinese(demo_results):
    book = openpyxl.load_workbook(demo_results / "summary.xlsx")
    summary = book["summary"]
    head = [c.value for c in summary[1]]
    ks12 = next(r for r in summary.iter_rows(min_row=2, values_only=True) if r[2] == "ks12")
    assert ks12[head.index("标记\nFlags")] == KS12_FLAG
    flags = [r for r in book["flags"].iter_rows(min_row=2, values_only=True) if r[2] == "ks12"]
    assert flags == [("2026A0012", "考生12", "ks12", "U8", "文件无法读取 unreadable-file",
                      "u8_service/replies/reply_03.txt", "内容为二进制数据，不是任何编码的文本",
                      "holds binary data, not text in any encoding")]


def test_index_chips_show_the_chinese_name_with_the_flag_in_full_as_tooltip(demo_results):
    index = (demo_results / "index.html").read_text(encoding="utf-8")
    row = index[index.index(">ks12</a>"):]
    cell = row[:row.index("</tr>")].split('<td class="flags"')[1]
    assert f'<a class="flag" href="flags.html#flag-unreadable-file" title="{KS12_FLAG}">文件无法读取</a>' in cell
    assert '<a href="flags.html">标记说明 Flag codes</a>' in index


def test_every_flag_link_in_the_pages_finds_its_row(demo_results):
    ids = flag_table_ids(demo_results)
    assert ids == {f"flag-{kind.code}" for kind in FLAGS}
    pages = [demo_results / "index.html", *sorted((demo_results / "candidates").glob("*.html"))]
    links = [(page.name, link) for page in pages
             for link in re.findall(r'href="(?:\.\./)?flags\.html#([^"]+)"', page.read_text(encoding="utf-8"))]
    assert len(links) >= 2 * 11  # each flag of the demo disc, in the index and on its candidate's page
    assert [(name, link) for name, link in links if link not in ids] == []


def test_the_flag_table_page_is_self_contained(demo_results):
    page = (demo_results / "flags.html").read_text(encoding="utf-8")
    assert f"<style>{assets()['css']}</style>" in page and "<link" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    row = page.split('<tr id="flag-unreadable-file">')[1].split("</tr>")[0]
    assert "文件无法读取" in row and "Unreadable file" in row and "从原盘打开该文件核实" in row


def test_explain_gives_the_reason_in_chinese_then_in_english(demo_results):
    from grader.report.explain import explain

    lines = explain(demo_results, "ks12", None).splitlines()
    start = lines.index("标记 flags (points unchanged, for review):")
    assert lines[start + 1] == ("    文件无法读取 unreadable-file [U8 u8_service/replies/reply_03.txt]: "
                                "内容为二进制数据，不是任何编码的文本 / holds binary data, not text in any encoding")
