"""Reading unit 8's texts as Windows Notepad and Word save them, and finding them in the folder.

The decoder takes a byte-order mark first, then strict UTF-8, then GB18030 (GBK), then
charset-normalizer's guess (flagged); binary bytes are unreadable. The same template in every
encoding and as .docx must score the same.
"""
from __future__ import annotations

import doctest
import io
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import check_context

import grader.read.service
from grader.checks.service import service_replies, service_templates
from grader.errors import ReadError
from grader.read import load_all
from grader.read.service import decode_text, docx_text, read_text_bytes
from grader.read.submission import Submission
from grader.samples import u8
from grader.samples.drafts import WorkbookDraft

TEXT = "Dear customer — we’re sorry. “Quoted” text\nSecond line"


def test_module_examples():
    result = doctest.testmod(grader.read.service)
    assert result.attempted > 0 and result.failed == 0


# ---------------------------------------------------------------- decode_text


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("gbk"), "gb18030"),
    (TEXT.encode("gb18030"), "gb18030"),
], ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "gbk", "gb18030"])
def test_notepad_encodings(data, encoding):
    decoded = decode_text(data)
    assert (decoded.text, decoded.encoding, decoded.guessed) == (TEXT, encoding, False)


def test_chinese_text_in_gbk_and_utf8():
    text = "您好，您的订单已发货。"
    assert decode_text(text.encode("gbk")).text == text
    assert decode_text(text.encode("utf-8")).encoding == "utf-8"


def test_line_ends_are_normalised():
    assert decode_text(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_empty_file_is_empty_text():
    assert decode_text(b"").text == ""


def test_latin1_is_guessed():
    decoded = decode_text("Dear James, the café bottle is on its way. Kind regards, Anna".encode("latin-1"))
    assert decoded.guessed and "café" in decoded.text


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 4,
    b"\x00\x01\x02" + bytes((i * 37 + 11) % 256 for i in range(600)),
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
], ids=["all-bytes", "garbage", "exe", "png"])
def test_binary_is_unreadable(data):
    with pytest.raises(ReadError):
        decode_text(data)


def test_utf16_without_its_mark_is_guessed():
    decoded = decode_text("Dear customer, we are sorry.".encode("utf-16-le"))
    assert decoded.guessed and decoded.text == "Dear customer, we are sorry."


def test_a_broken_bom_file_is_unreadable():
    with pytest.raises(ReadError, match="utf-8-sig"):
        decode_text(b"\xef\xbb\xbfok \xff\xfe bad")


# ---------------------------------------------------------------- .docx


def word_document(paragraphs: list[str], table: list[list[str]] | None = None, merged: bool = False) -> bytes:
    import docx

    document = docx.Document()
    for line in paragraphs:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        if merged:
            grid.cell(0, 0).merge(grid.cell(0, 1))
        document.add_paragraph("After the table")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables_in_order():
    data = word_document(["Dear {buyer_name},", "Sorry."], [["Best regards,", "HydroKeep"]])
    assert docx_text(data) == "Dear {buyer_name},\nSorry.\nBest regards,\nHydroKeep\nAfter the table"


def test_docx_merged_cell_read_once():
    data = word_document(["Hello"], [["Signed", "x"], ["Lin", "Wei"]], merged=True)
    assert docx_text(data).count("Signed") == 1


def test_small_sample_docx_reads():
    assert docx_text(u8.docx("One\nTwo\nThree", table_from=2)) == "One\nTwo\nThree"


def test_damaged_docx_is_unreadable():
    with pytest.raises(ReadError, match="not a readable .docx"):
        docx_text(b"PK\x03\x04 not really a zip")


@pytest.mark.parametrize("data, suffix, encoding, mismatch", [
    (u8.docx("Hello"), ".docx", "docx", False),
    (u8.docx("Hello"), ".txt", "docx", True),
    (b"Hello", ".docx", "utf-8", True),
    (b"Hello", ".txt", "utf-8", False),
])
def test_read_by_content(data, suffix, encoding, mismatch):
    decoded, wrong = read_text_bytes(data, suffix)
    assert (decoded.text, decoded.encoding, wrong) == ("Hello", encoding, mismatch)


# ---------------------------------------------------------------- the folder, through a Submission


def candidate(tmp_path: Path, paper, files: dict[str, bytes | None]) -> Submission:
    """A candidate folder holding the perfect u8_service with ``files`` changed (None deletes)."""
    load_all()
    folder = tmp_path / "ks01"
    draft = u8.perfect(paper.key)["u8_service"]
    draft.files.update(files)
    for path in [p for p, data in files.items() if data is None]:
        del draft.files[path]
    draft.write(folder)
    return Submission(folder, paper, disc_root=tmp_path)


def grade(paper, submission: Submission):

    service = submission.get("u8_service", "U8")
    out = {}
    for criterion, check in (("U8-03", service_replies), ("U8-04", service_templates)):
        out[criterion] = check(check_context(paper, criterion, service))
    return service, out


def codes(submission: Submission) -> list[str]:
    return sorted(f.code for f in submission.flags)


def same_messages(outcome) -> list[str]:
    return [e.message.split(" (read as")[0] for e in outcome.evidence]


def gbk_ready(text: str) -> str:
    return u8.typographic(text)


ENCODED = {
    "utf-8": lambda t: u8.notepad(t),
    "utf-8-bom": lambda t: u8.notepad(t, "utf-8-sig"),
    "utf-16-le": lambda t: u8.notepad(t, "utf-16-le"),
    "utf-16-be": lambda t: u8.notepad(t, "utf-16-be"),
    "gbk": lambda t: u8.notepad(t, "gbk"),
}


@pytest.mark.parametrize("form", [*ENCODED, "docx", "word-docx"])
def test_the_same_template_scores_the_same_in_every_form(tmp_path, paper, form):
    text = gbk_ready(u8.TEMPLATES["return"])
    reference = grade(paper, candidate(tmp_path / "ref", paper, {"templates/return.txt": u8.notepad(text)}))[1]
    if form == "docx":
        files = {"templates/return.txt": None, "templates/return.docx": u8.docx(text)}
    elif form == "word-docx":
        files = {"templates/return.txt": None, "templates/return.docx": word_document(text.split("\n"))}
    else:
        files = {"templates/return.txt": ENCODED[form](text)}
    submission = candidate(tmp_path / form, paper, files)
    service, outcomes = grade(paper, submission)
    assert service.templates["return"].text == text
    assert outcomes["U8-04"].share == reference["U8-04"].share == 1
    assert same_messages(outcomes["U8-04"])[1:] == same_messages(reference["U8-04"])[1:]
    assert codes(submission) == []


def test_a_failing_template_fails_the_same_in_every_form(tmp_path, paper):
    text = gbk_ready(u8.TEMPLATES["return"]).replace("{order_id}", "your order")
    shares = set()
    for n, data in enumerate([*(f(text) for f in ENCODED.values()), u8.docx(text)]):
        name = "templates/return.docx" if data.startswith(b"PK") else "templates/return.txt"
        files = {"templates/return.txt": None, name: data}
        shares.add(grade(paper, candidate(tmp_path / str(n), paper, files))[1]["U8-04"].share)
    assert shares == {1 - Fraction(1, 36)}


def test_replies_in_every_encoding(tmp_path, paper):
    replies = u8.replies(paper.key)
    files = {"replies/reply_01.txt": u8.notepad(replies["reply_01"], "utf-16-le"),
             "replies/reply_02.txt": u8.notepad(replies["reply_02"], "utf-16-be"),
             "replies/reply_03.txt": None, "replies/reply_03.docx": u8.docx(replies["reply_03"])}
    service, outcomes = grade(paper, candidate(tmp_path, paper, files))
    assert [service.replies[s].encoding for s in ("reply_01", "reply_02", "reply_03")] == [
        "utf-16-le", "utf-16-be", "docx"]
    assert outcomes["U8-03"].share == 1


def test_chinese_names_are_accepted(tmp_path, paper):
    files = {f"templates/{en}.txt": None for en in ("return", "not_shipped", "out_of_stock", "wrong_item")}
    files.update({f"模板/{zh}.txt": u8.notepad(u8.TEMPLATES[en]) for en, zh in
                  (("return", "退货"), ("not_shipped", "不发货"), ("out_of_stock", "缺货"), ("wrong_item", "错货"))})
    files.update({"replies/reply_01.txt": None, "回复/回复01.txt": u8.notepad(u8.replies(paper.key)["reply_01"])})
    submission = candidate(tmp_path, paper, files)
    service, outcomes = grade(paper, submission)
    assert service.templates["out_of_stock"].file == "u8_service/模板/缺货.txt"
    assert service.replies["reply_01"].file == "u8_service/回复/回复01.txt"
    assert outcomes["U8-04"].share == 1 and outcomes["U8-03"].share == 1
    assert codes(submission) == []


@pytest.mark.parametrize("files, graded", [
    ({"templates/退货.txt": b"Dear customer"}, "u8_service/templates/return.txt"),
    ({"templates/return.docx": u8.docx("Dear customer")}, "u8_service/templates/return.txt"),
    ({"templates/return.txt": None, "templates/return.docx": u8.docx(u8.TEMPLATES["return"]),
      "templates/退货.txt": b"Dear customer"}, "u8_service/templates/return.docx"),
], ids=["chinese-name", "docx", "english-docx-before-chinese-txt"])
def test_duplicates_are_flagged_and_one_is_graded(tmp_path, paper, files, graded):
    submission = candidate(tmp_path, paper, files)
    service, outcomes = grade(paper, submission)
    assert service.templates["return"].file == graded
    assert outcomes["U8-04"].share == 1
    assert codes(submission) == ["duplicate-deliverable"]


def test_a_reply_outside_its_folder_is_found_and_flagged(tmp_path, paper):
    files = {"replies/reply_02.txt": None, "Reply-02.TXT": u8.notepad(u8.replies(paper.key)["reply_02"])}
    submission = candidate(tmp_path, paper, files)
    service, outcomes = grade(paper, submission)
    assert service.replies["reply_02"].file == "u8_service/Reply-02.TXT"
    assert outcomes["U8-03"].share == 1 and codes(submission) == ["misplaced"]


def test_unreadable_and_guessed_files_are_flagged(tmp_path, paper):
    files = {"replies/reply_01.txt": bytes(range(256)) * 3,
             "replies/reply_02.txt": u8.replies(paper.key)["reply_02"].replace("Hi James", "Hi James, café")
             .encode("latin-1"),
             "templates/return.txt": u8.docx(u8.TEMPLATES["return"])}
    submission = candidate(tmp_path, paper, files)
    service, outcomes = grade(paper, submission)
    assert service.replies["reply_01"].problem.startswith("unreadable")
    assert service.replies["reply_02"].guessed
    assert codes(submission) == ["guessed-encoding", "unreadable-file", "wrong-extension"]
    [guessed] = [f for f in submission.flags if f.code == "guessed-encoding"]
    assert guessed.reason == ("not UTF-8, UTF-16 or GBK; read as Windows-1252 (Western), which gives é; "
                              "Latin-1 reads it the same")
    assert outcomes["U8-03"].share == Fraction(2, 3)
    assert outcomes["U8-04"].share == 1


def test_every_file_read_is_recorded(tmp_path, paper):
    submission = candidate(tmp_path, paper, {})
    grade(paper, submission)
    recorded = sorted(submission.inputs)
    assert recorded == sorted(f"ks01/u8_service/{p}" for p in u8.perfect(paper.key)["u8_service"].files)


@pytest.mark.parametrize("name, fmt", [("mailbox.csv", "csv"), ("mailbox.xls", "xls"), ("邮箱设置.xlsx", "xlsx")])
def test_mailbox_formats(tmp_path, paper, name, fmt):
    rows = u8.mailbox_rows(paper.key)
    data = WorkbookDraft("mailbox", {"mailbox": rows}, fmt=fmt).to_bytes()
    submission = candidate(tmp_path, paper, {"mailbox.xlsx": None, name: data})
    service = submission.get("u8_service", "U8")
    sheet = service.mailbox.sheet("mailbox")
    assert sheet.field("service_email").value == "support@hanyue-trade.cn"
    assert sheet.field("forwarding_to").value == "lin.wei@hanyue-trade.cn"
    assert service.mailbox_file == f"u8_service/{name}"


def test_missing_slots_are_reported_not_flagged(tmp_path, paper):
    files = {p: None for p in u8.perfect(paper.key)["u8_service"].files}
    files["notes.txt"] = b"nothing here"
    submission = candidate(tmp_path, paper, files)
    service = submission.get("u8_service", "U8")
    assert service.mailbox is None and service.mailbox_problem == "not found"
    assert all(t.problem == "not found" for t in [*service.replies.values(), *service.templates.values()])
    assert service.templates["wrong_item"].expected == "u8_service/templates/wrong_item.txt"
    assert codes(submission) == []


def test_binary_guess_counts_what_the_unicode_categories_say():
    """The quick count (a pattern for controls, categories only past them) gives the verdict of
    the plain definition: controls other than whitespace, U+FFFD, unassigned, private, surrogates."""
    import random
    import unicodedata

    from grader.read.service import BINARY_SHARE, _looks_binary

    def by_categories(text: str) -> bool:
        bad = sum(1 for ch in text if ch not in "\t\n\r\f\v\x1a"
                  and (ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")))
        return "\x00" in text or bad > len(text) * BINARY_SHARE

    rng = random.Random(2026)
    odd = [chr(i) for i in range(1, 0x250)] + ["\ufffd", "\ue000", "\U0010ffff", "\ud800", "\u0378", "中", "\x1a"]
    texts = ["", "Dear Anna,\r\nthanks.\x1a", "\x85" * 3 + "abc", "中文" * 10 + "\ue000"]
    texts += ["".join(rng.choice(odd) if rng.random() < 0.3 else rng.choice("ab d\n") for _ in range(rng.randint(1, 40)))
              for _ in range(3000)]
    verdicts = [_looks_binary(t) for t in texts]
    assert verdicts == [by_categories(t) for t in texts]
    assert any(verdicts) and not all(verdicts)


def test_a_western_notepad_file_is_read_as_windows_1252_not_guessed_wild():
    from grader.read.service import decode_text

    for text in ("Dear Ms. Lefèvre, the café order is on its way.", "Dear José, é", "Naïve – “quoted”"):
        decoded = decode_text(text.encode("cp1252"))
        assert (decoded.text, decoded.encoding, decoded.guessed) == (text, "cp1252", True)


@pytest.mark.parametrize("text, reason", [
    ("Dear José, the café", "read as Windows-1252 (Western), which gives é; Latin-1 reads it the same"),
    ("Naïve – “quoted” €5", "read as Windows-1252 (Western), which gives ï–“”€"),  # 0x80–0x9F: not Latin-1's
])
def test_a_western_text_says_what_was_assumed(text, reason):
    from grader.read.service import decode_text, guess_reason

    assert guess_reason(decode_text(text.encode("cp1252"))) == f"not UTF-8, UTF-16 or GBK; {reason}"
