"""summary.xlsx prints as a centre files it: A4 landscape, the columns on the page's width, the
header row on every page, frozen and filtered, columns wide enough for their Chinese."""
from __future__ import annotations

import openpyxl
import pytest

SHEETS = ("summary", "units", "items", "flags", "overrides", "check rubric", "decisions")


@pytest.fixture(scope="module")
def book(demo_results):
    return openpyxl.load_workbook(demo_results / "summary.xlsx")


@pytest.mark.parametrize("name", SHEETS)
def test_each_sheet_prints_on_a4_landscape_fit_to_width_with_its_header_on_every_page(book, name):
    ws = book[name]
    assert ws.sheet_state == "visible"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows == "$1:$1"
    assert ws.freeze_panes == "A2"
    assert ws.oddFooter.center.text == "&A — 第 &P / &N 页"


def test_the_tables_of_candidates_flags_items_and_overrides_are_filtered(book):
    assert {name: book[name].auto_filter.ref for name in ("summary", "items", "flags", "overrides")} == {
        "summary": "A1:P23", "items": "A1:K54", "flags": "A1:H13", "overrides": "A1:H1"}
    assert book["summary"].print_area == "'summary'!$A$1:$P$23"


def test_the_chart_helpers_are_on_a_hidden_sheet_after_the_others(book):
    assert book.sheetnames == [*SHEETS, "chart data"]
    assert book["chart data"].sheet_state == "hidden"


def test_columns_fit_their_chinese_and_long_texts_wrap_in_taller_rows(book):
    ws = book["summary"]
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCDO"}
    # 准考证号: "2026A0001" and the header's "Candidate"; 姓名: 空文件夹考生 is 12 wide; U1: "registration"
    assert widths == {"A": 12, "B": 14, "C": 7, "D": 15, "O": 60}
    assert ws["O1"].value == "标记\nFlags" and ws["O1"].alignment.wrap_text
    ks11 = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "ks11")
    assert ws.cell(ks11, 15).alignment.wrap_text and ws.cell(ks11, 15).alignment.vertical == "top"
    assert ws.cell(ks11, 15).value.split("\n") == [
        ("交付文件重复 duplicate-deliverable (U8 u8_service/templates/return.txt): return 找到多份："
        "u8_service/templates/return.txt, u8_service/templates/退货.docx；评分所用：u8_service/templates/return.txt"),
        ("编码为推测 guessed-encoding (U8 u8_service/replies/reply_02.txt): 不是 UTF-8、UTF-16 或 GBK；"
        "按 Windows-1252（西欧）读取，读出的非 ASCII 字符为 é；按 Latin-1 读取结果相同"),
        ("文件位置不符 misplaced (U8 u8_service/reply_01.txt): reply_01 位于 u8_service/reply_01.txt，"
        "应在 u8_service/replies/")]  # one flag a line
    assert ws.row_dimensions[ks11].height == (4 + 3 + 3) * 18  # its three flags, wrapped in a 60-wide column
    ks01 = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "ks01")
    assert ws.row_dimensions[ks01].height == 18  # one line, tall enough for Chinese
    assert ws.row_dimensions[1].height == 6 * 18  # "U8 客服管理及客服模板设置 / Customer service (20)", 11 wide


def test_a_note_under_a_table_runs_on_instead_of_wrapping_in_its_narrow_column(book):
    ws = book["units"]
    note = next(r for r in ws.iter_rows() if r[0].value and str(r[0].value).startswith("合格率"))
    assert [c.value for c in note[1:] if c.value is not None] == []
    assert not note[0].alignment.wrap_text
    assert ws.row_dimensions[note[0].row].height is None


def test_the_absent_candidate_is_total_0_and_absent_in_the_workbook(book):
    ws = book["summary"]
    head = [c.value for c in ws[1]]
    absent = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[2] == "ks21")
    assert absent[head.index("总分\nTotal (100)")] == 0
    assert absent[head.index("合格\nPass")] == "缺考 absent"
    assert absent[head.index("状态\nStatus")] == "缺考 absent"


def test_the_flags_sheet_gives_the_reason_in_chinese_then_in_english(book):
    assert [c.value for c in book["flags"][1]] == [
        "准考证号\nCandidate no.", "姓名\nName", "用户名\nUser", "单元\nUnit", "标记\nFlag", "文件\nFile",
        "原因\nReason (zh)", "英文原因\nReason (en)"]
