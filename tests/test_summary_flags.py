"""The class list keeps each flag's details, and shows an absent candidate alike everywhere."""
from __future__ import annotations

import csv

from grader.model import Flag
from grader.report.summary import flag_text


def test_a_similarity_flag_keeps_the_other_candidate_and_the_share():
    flag = Flag("similar-to", "similar-to ks12 (U8 reply_02, 96%)", "", "U8")
    assert flag_text(flag) == "与他人相似 similar-to (ks12, 96%, U8 reply_02)"
    identical = Flag("similar-to", "similar-to ks03 (u1_accounts.xlsx, 100%)", "u1_accounts.xlsx", "")
    assert flag_text(identical) == "与他人相似 similar-to (ks03, 100%, u1_accounts.xlsx)"


def test_a_flag_keeps_its_file_unit_and_reason():
    flag = Flag("modified-after-end", "modified 2026-06-20T11:03:00+08:00, after the exam ended",
                "u6_orders.xlsx", "U6")
    assert flag_text(flag) == ("考试结束后修改 modified-after-end (U6 u6_orders.xlsx): "
                               "修改时间 2026-06-20T11:03:00+08:00，晚于考试结束时间")
    assert flag_text(Flag("no-deliverables", "")) == "无交付文件 no-deliverables"
    assert flag_text(Flag("odd-name", "why")) == "odd-name: why"  # a code the table does not hold
    # a similarity reason of another form keeps its words, translated where the catalogue can
    assert flag_text(Flag("similar-to", "odd", "u1_accounts.xlsx", "U1")) == \
        "与他人相似 similar-to (U1 u1_accounts.xlsx): odd"


def test_the_absent_candidate_is_total_0_and_absent_in_csv_and_index(demo_results):
    with (demo_results / "summary.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r[2]: r for r in csv.reader(handle)}
    absent = rows["ks21"]
    assert absent[11:14] == ["0.00", "缺考 absent", "缺考 absent"]
    index = (demo_results / "index.html").read_text(encoding="utf-8")
    row = index[index.index(">ks21</a>"):]
    row = row[:row.index("</tr>")]
    assert '<td class="num total" data-sort="-1">0.00' in row and "缺考 absent" in row


def test_the_absent_candidate_page_says_absent_where_others_say_pass_or_fail(demo_results):
    page = (demo_results / "candidates" / "ks21.html").read_text(encoding="utf-8")
    assert '<div class="verdict no">缺考 absent</div>' in page


def test_the_csv_keeps_a_candidates_flags_on_one_line(demo_results):
    with (demo_results / "summary.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r[2]: r for r in csv.reader(handle)}
    assert rows["ks11"][14] == "交付文件重复 duplicate-deliverable (U8 u8_service/templates/return.txt): return 找到多份：u8_service/templates/return.txt, u8_service/templates/退货.docx；评分所用：u8_service/templates/return.txt; 编码为推测 guessed-encoding (U8 u8_service/replies/reply_02.txt): 不是 UTF-8、UTF-16 或 GBK；按 Windows-1252（西欧）读取，读出的非 ASCII 字符为 é；按 Latin-1 读取结果相同; 文件位置不符 misplaced (U8 u8_service/reply_01.txt): reply_01 位于 u8_service/reply_01.txt，应在 u8_service/replies/"


def test_the_index_tooltip_keeps_the_other_candidate_the_share_and_the_time():
    from fractions import Fraction

    from grader.report.html import _flag_chips
    from grader.report.summary import SummaryRow

    records = (Flag("similar-to", "similar-to ks07 (U8 reply_02, 93%)", "", "U8"),
               Flag("similar-to", "similar-to ks09 (u1_accounts.xlsx, 100%)", "u1_accounts.xlsx", "U1"),
               Flag("modified-after-end", "modified 2026-11-25T11:03:00+08:00, after the exam ended",
                    "u6_orders.xlsx", "U6"))
    row = SummaryRow("ks03", "2026A0003", "考生03", "needs-review", (), Fraction(0), False,
                     tuple(flag_text(f) for f in records), flag_records=records)
    assert _flag_chips(row) == [
        {"code": "modified-after-end", "name": "考试结束后修改", "href": "flags.html#flag-modified-after-end",
         "title": "考试结束后修改 modified-after-end (U6 u6_orders.xlsx): 修改时间 2026-11-25T11:03:00+08:00，晚于考试结束时间"},
        {"code": "similar-to", "name": "与他人相似", "href": "flags.html#flag-similar-to",
         "title": "与他人相似 similar-to (ks07, 93%, U8 reply_02); 与他人相似 similar-to (ks09, 100%, u1_accounts.xlsx)"}]
