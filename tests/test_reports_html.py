"""HTML reports, and safe output: what a candidate typed is text in HTML and never a formula in xlsx or csv."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import zipfile
from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from markupsafe import escape
from PIL import Image
from test_gradebook import order_rows, write_small_disc

from grader.model import CandidateResult, CriterionResult, Evidence, Exhibit, Flag, UnitResult
from grader.read.exhibits import page_exhibits
from grader.report.html import assets, write_candidate_page

HOSTILE_NAMES = {"ks01": "=1+2", "ks02": "@SUM(A1)", "ks03": "+cmd|' /C calc'!A0", "ks04": "-2+3"}
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
STRANGER = "=HYPERLINK(1)<b>"  # a folder that is not on the roster


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns,
                                               hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, paper):
    from grader.pipeline import grade_disc

    base = tmp_path_factory.mktemp("hostile")
    rows = order_rows(paper.key)
    rows.append([SCRIPT, IMG, "=cmd|' /C calc'!A0", "@SUM(1+1)"])
    disc = write_small_disc(base / "disc", paper.key, names=HOSTILE_NAMES, extra={STRANGER: rows})
    before = snapshot(disc)
    run = grade_disc(disc, paper, base / "out", jobs=1)
    return disc, run.out, before


def pages(out: Path) -> dict[str, str]:
    found = {"index.html": (out / "index.html").read_text(encoding="utf-8")}
    for path in sorted((out / "candidates").glob("*.html")):
        found[f"candidates/{path.name}"] = path.read_text(encoding="utf-8")
    return found


# ---------------------------------------------------------------- the pages


def test_an_index_and_one_page_per_candidate(hostile):
    _, out, _ = hostile
    written = sorted(p.stem for p in (out / "candidates").glob("*.html"))
    results = sorted(p.stem for p in (out / "candidates").glob("*.json"))
    assert written == results and len(written) == 6  # four graded, one absent, one stranger


def test_index_links_resolve(hostile):
    _, out, _ = hostile
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    candidates = [unquote(link) for link in links if link.startswith("candidates/")]
    assert len(candidates) == 6
    for link in candidates + ["summary.xlsx", "summary.csv", "manifest.json"]:
        assert (out / link).is_file(), link


def test_index_is_sortable_and_shows_totals(hostile):
    _, out, _ = hostile
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="sortable class-list"' in index and index.count('data-type="number"') == 10  # #, 8 units, total
    row = next(r for r in index.split("<tr")[2:] if "candidates/ks02.html" in r)
    assert 'data-sort="3.80">3.80' in row and "不合格 fail" in row


def test_candidate_page_shows_total_deduction_and_evidence(hostile):
    _, out, _ = hostile
    page = (out / "candidates" / "ks02.html").read_text(encoding="utf-8")
    assert '<b id="total">3.80</b>' in page
    block = page.split('id="U6-01"')[1].split('id="U6-02"')[0]
    assert 'class="criterion lost"' in page.split('id="U6-01"')[0][-60:]
    assert "扣分 <span class=\"en\">Deduction</span>: −1.00" in block
    row = block.split('<tr class="bad">')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)
    assert cells[2:] == ["u6_orders.xlsx", "订单", "", "SO26110005", "(missing)"]  # file, sheet, cell, expected, found


def test_absent_candidate_page(hostile):
    _, out, _ = hostile
    page = (out / "candidates" / "ks05.html").read_text(encoding="utf-8")
    assert "缺考 absent" in page and 'class="criterion' not in page


def test_flags_are_in_their_own_box(hostile):
    _, out, _ = hostile
    page = (out / "candidates" / "=HYPERLINK(1)_b_~0ad6bf22.html").read_text(encoding="utf-8")
    box = page.split('class="box flags-box"')[1].split("</section>")[0]
    assert "not-on-roster" in box


def test_self_contained(hostile):
    _, out, _ = hostile
    css, script, policy = assets()["css"], assets()["script"], assets()["policy"]
    for name, page in pages(out).items():
        assert re.findall(r"<script\b", page) == ["<script"], name  # the one inline script
        assert "<link" not in page and "@import" not in page and "@font-face" not in page, name
        assert not re.search(r'(src|href)="(https?:)?//', page), name
        assert f"<style>{css}</style>" in page and f"<script>{script}</script>" in page, name
        assert f'content="{escape(policy)}"' in page, name
    digest = base64.b64encode(hashlib.sha256(str(script).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_print_css_for_a4():
    css = str(assets()["css"])
    assert "@page { size: A4;" in css and "@media print" in css


def test_the_disc_is_not_written(hostile):
    disc, _, before = hostile
    assert snapshot(disc) == before


def test_candidate_json_is_byte_identical_across_runs(hostile, paper, tmp_path):
    from grader.pipeline import grade_disc

    disc, out, _ = hostile
    grade_disc(disc, paper, tmp_path, jobs=1)
    for path in (out / "candidates").glob("*.json"):
        assert (tmp_path / "candidates" / path.name).read_bytes() == path.read_bytes(), path.name


# ---------------------------------------------------------------- hostile strings


def test_hostile_strings_are_text_in_html(hostile):
    _, out, _ = hostile
    stranger = (out / "candidates" / "=HYPERLINK(1)_b_~0ad6bf22.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in stranger  # the unknown order id, as found
    for name, page in pages(out).items():
        assert "<script>alert" not in page and "<img src=x" not in page and "(1)<b>" not in page, name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(1)&lt;b&gt;" in index and "+cmd|&#39; /C calc&#39;!A0" in index


def test_hostile_strings_are_not_formulas_in_xlsx(hostile):
    _, out, _ = hostile
    with zipfile.ZipFile(out / "summary.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in archive.read(name).decode("utf-8"), name
    book = openpyxl.load_workbook(out / "summary.xlsx")
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    assert {"=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", STRANGER} <= set(texts)


def test_hostile_strings_are_neutralised_in_csv(hostile):
    _, out, _ = hostile
    rows = list(csv.reader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
    fields = [field for row in rows for field in row]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@")]
    assert {"'=1+2", "'@SUM(A1)", "'+cmd|' /C calc'!A0", "'-2+3", "'" + STRANGER} <= set(fields)


def test_control_characters_do_not_break_the_workbook(tmp_path, paper):
    from grader.report.gradebook import sheets
    from grader.report.summary import SummaryRow, write_xlsx

    flag = Flag("odd-name", "file name holds \x01 and \x1b", "a\x07.xlsx", "U1")
    row = SummaryRow("ks\x0201", "1", "名\x00字", "needs-review", (Fraction(0),) * 8, Fraction(0), False,
                     ("odd-name",), (Fraction(0),) * len(paper.criteria()), (), (flag,))
    write_xlsx(tmp_path / "s.xlsx", [row], paper, sheets([row], paper))
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book["flags"]["G2"].value == "file name holds \ufffd and \ufffd"


# ---------------------------------------------------------------- images and texts named by evidence


def criterion(cid: str, points: int, maximum: int, evidence: list[Evidence]) -> CriterionResult:
    return CriterionResult(cid, cid.split("-")[0], cid, Fraction(points), Fraction(maximum), tuple(evidence))


def result_with(units: list[UnitResult], folder: str = "ks01") -> CandidateResult:
    total = sum((u.points for u in units), Fraction(0))
    return CandidateResult("ks01", "2026B0001", "考生01", folder, "graded", total, False, tuple(units))


def write_jpeg(path: Path, size: tuple[int, int], mode: str = "RGB", orientation: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new(mode, size, "white" if mode == "RGB" else None)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(path, "JPEG", exif=exif.tobytes())


@pytest.fixture
def image_disc(tmp_path):
    disc = tmp_path / "disc"
    folder = disc / "ks01" / "u4_images"
    write_jpeg(folder / "HKB100.MAIN.jpg", (1200, 1000), orientation=6)  # shown turned: 1000 × 1200
    Image.new("RGBA", (900, 600), (255, 0, 0, 128)).save(folder / "HKB100.PT01.png")
    write_jpeg(folder / "HKB100.PT02.jpg", (800, 800), mode="CMYK")
    write_jpeg(folder / "HKB100.PT03.jpg", (1600, 1600))
    data = (folder / "HKB100.PT03.jpg").read_bytes()
    (folder / "HKB100.PT03.jpg").write_bytes(data[: len(data) // 2])  # truncated: shown as a viewer does
    (folder / "HKB100.PT04.jpg").write_bytes(b"this is not a picture")
    write_jpeg(tmp_path / "outside.jpg", (10, 10))
    return disc


def image_result() -> CandidateResult:
    files = ["HKB100.MAIN.jpg", "HKB100.PT01.png", "HKB100.PT02.jpg", "HKB100.PT03.jpg", "HKB100.PT04.jpg",
             "HKB100.PT05.jpg"]
    evidence = [Evidence(f"{f} named by the convention", "命名规范", file=f"u4_images/{f}", ok=True) for f in files]
    evidence.append(Evidence("outside", "外部", file="../../outside.jpg"))
    white = Evidence("MAIN frame 96.10% white < 97%", "主图白边 96.10%", file="u4_images/HKB100.MAIN.jpg",
                     expected="≥ 97% of frame pixels ≥ 250", found="96.10% (4,612 of 4,800 pixels)")
    return result_with([UnitResult("U4", "图片", "Images", Fraction(4), Fraction(5), (
        criterion("U4-01", 1, 1, evidence), criterion("U4-04", 0, 1, [white])))])


def test_thumbnails_are_made_in_out_never_on_the_disc(image_disc, paper, tmp_path):
    out = tmp_path / "out"
    before = snapshot(image_disc)
    page = write_candidate_page(out, image_result(), paper, page_exhibits(image_result(), image_disc)).read_text(encoding="utf-8")
    assert snapshot(image_disc) == before
    thumbs = sorted((out / "candidates" / "thumbs" / "ks01").glob("*.jpg"))
    assert len(thumbs) == 4  # MAIN, PT01, PT02 (CMYK), PT03 (truncated)
    for thumb in thumbs:
        with Image.open(thumb) as image:
            assert image.format == "JPEG" and image.mode == "RGB" and max(image.size) <= 2 * 240  # shown at 240
    assert len(re.findall(r'<img src="thumbs/ks01/[0-9a-f]{16}\.jpg"', page)) == 4
    assert "1000 × 1200 px · JPEG RGB" in page  # EXIF orientation applied
    assert "800 × 800 px · JPEG CMYK" in page and "900 × 600 px · PNG RGBA" in page
    figure = page.split("<b class=\"file\">u4_images/HKB100.MAIN.jpg</b>")[1].split("</figure>")[0]
    assert 'U4-04: 主图白边 96.10% <span class="en">MAIN frame 96.10% white &lt; 97%</span>' in figure  # Chinese first
    assert "96.10% (4,612 of 4,800 pixels)" in figure
    assert "no preview 无法预览 (UnidentifiedImageError)" in page  # PT04 is not a picture
    assert page.count("file not found on the disc") == 2  # PT05 missing; ../../outside.jpg is not the candidate's


def test_the_readers_exhibits_are_used_as_they_are(image_disc, paper, tmp_path):
    """A picture or text a reader already decoded is not read again: its preview and facts (here
    made different from the file's, to tell them apart) are shown as given; the others come from
    the disc."""
    preview = b"\xff\xd8 the reader's preview"
    given = {"u4_images/HKB100.MAIN.jpg": Exhibit(preview, 1001, 1201, 52100, "MPO", "RGB")}
    shown = page_exhibits(image_result(), image_disc, given)
    page = write_candidate_page(tmp_path, image_result(), paper, shown).read_text(encoding="utf-8")
    thumbs = {p.read_bytes() for p in (tmp_path / "candidates" / "thumbs" / "ks01").glob("*.jpg")}
    assert len(thumbs) == 4 and preview in thumbs
    assert "1001 × 1201 px · JPEG" not in page and "1001 × 1201 px · MPO RGB" in page
    assert "800 × 800 px · JPEG CMYK" in page  # PT02 from the disc


def test_no_image_evidence_no_gallery(image_disc, paper, tmp_path):
    plain = result_with([UnitResult("U6", "订单管理", "Orders", Fraction(1), Fraction(5), (
        criterion("U6-01", 1, 1, [Evidence("ok", "好", file="u6_orders.xlsx", ok=True)]),))])
    page = write_candidate_page(tmp_path, plain, paper, page_exhibits(plain, image_disc)).read_text(encoding="utf-8")
    assert 'class="images"' not in page and 'class="texts"' not in page
    assert not (tmp_path / "candidates" / "thumbs").exists()
    without = write_candidate_page(tmp_path, image_result(), paper).read_text(encoding="utf-8")
    assert without.count("file not found on the disc") == 7  # no exhibits: listed, no preview


def test_texts_with_found_elements_marked_and_missing_listed(tmp_path, paper):
    import docx

    disc = tmp_path / "disc"
    replies = disc / "ks01" / "u8_service" / "replies"
    replies.mkdir(parents=True)
    reply = f"Dear Ms. Carter,\r\nYour order SO26110002 is on its way. {SCRIPT}\r\nBest regards, Amy"
    (replies / "reply_01.txt").write_bytes(b"\xff\xfe" + reply.encode("utf-16-le"))
    templates = disc / "ks01" / "u8_service" / "templates"
    templates.mkdir()
    (templates / "退货.txt").write_bytes("Dear {buyer_name}, 很抱歉 sorry.".encode("gbk"))
    document = docx.Document()
    document.add_paragraph("Dear customer, we apologise.")
    document.save(templates / "wrong_item.docx")
    items = [
        Evidence("(1) greets the buyer by name", "称呼买家", file="u8_service/replies/reply_01.txt",
                 found="Dear Ms. Carter", ok=True),
        Evidence("(2) cites the order id", "订单号", file="u8_service/replies/reply_01.txt",
                 found="SO26110002", ok=True),
        Evidence("(7) 12 words, 40–300 needed", "字数不足", file="u8_service/replies/reply_01.txt",
                 expected="40–300 words", found="12 words"),
        Evidence("(4) no concrete resolution", "未提供解决方案", file="u8_service/replies/reply_01.txt"),
        Evidence("(5) closes politely", "礼貌结尾", file="u8_service/replies/reply_01.txt",
                 found="best regards, amy", ok=True),
        Evidence("(3) apology", "道歉", file="u8_service/templates/退货.txt", found="sorry", ok=True),
        Evidence("(3) apology", "道歉", file="u8_service/templates/wrong_item.docx", found="apologise", ok=True),
    ]
    result = result_with([UnitResult("U8", "客服", "Customer service", Fraction(1), Fraction(20), (
        criterion("U8-03", 1, 9, items[:5]), criterion("U8-04", 0, 9, items[5:])))])
    page = write_candidate_page(tmp_path / "out", result, paper, page_exhibits(result, disc)).read_text(encoding="utf-8")
    view = page.split("<h3 class=\"file\">u8_service/replies/reply_01.txt</h3>")[1].split("</article>")[0]
    assert '<mark title="要素 1 element 1">Dear Ms. Carter<sup>1</sup></mark>' in view
    assert '<mark title="要素 2 element 2">SO26110002<sup>2</sup></mark>' in view
    assert '<mark title="要素 5 element 5">Best regards, Amy<sup>5</sup></mark>' in view  # case aside; its own number
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in view and SCRIPT not in page
    missing = view.split('class="missing"')[1]
    assert 'U8-03: 未提供解决方案 <span class="en">(4) no concrete resolution</span>' in missing  # Chinese first
    assert 'U8-03: 字数不足 <span class="en">(7) 12 words, 40–300 needed</span>' in missing
    assert '<mark title="要素 3 element 3">sorry<sup>3</sup></mark>' in page  # GBK text
    assert '<mark title="要素 3 element 3">apologise<sup>3</sup></mark>' in page  # .docx

    # the reader's decoding, when given, is what the page shows: the file is not read again
    given = {"u8_service/templates/退货.txt": Exhibit(text="Dear {buyer_name}, so sorry (as the reader read it).")}
    shown = page_exhibits(result, disc, given)
    page = write_candidate_page(tmp_path / "out2", result, paper, shown).read_text(encoding="utf-8")
    assert "so <mark title=\"要素 3 element 3\">sorry<sup>3</sup></mark> (as the reader read it)." in page
    assert "很抱歉" not in page


def test_a_page_that_cannot_be_rendered_does_not_stop_the_run(tmp_path, paper, monkeypatch):
    import grader.pipeline
    from grader.pipeline import grade_disc

    def broken(out, result, paper, exhibits=None):
        if result.user == "ks02":
            raise ValueError("a <b>bad</b> page")
        return write_candidate_page(out, result, paper, exhibits)

    monkeypatch.setattr(grader.pipeline, "write_candidate_page", broken)
    disc = write_small_disc(tmp_path / "disc", paper.key)
    out = grade_disc(disc, paper, tmp_path / "out", jobs=1).out
    page = (out / "candidates" / "ks02.html").read_text(encoding="utf-8")
    assert "The report could not be rendered: ValueError: a &lt;b&gt;bad&lt;/b&gt; page" in page
    assert "Total 3.80 / 100" in page
    assert 'id="total">4.80<' in (out / "candidates" / "ks03.html").read_text(encoding="utf-8")
    assert (out / "index.html").is_file()


def test_text_marks_carry_the_elements_own_numbers():
    from grader.report.html import element_number

    assert element_number("reply_01 (4) offers a concrete resolution: “refund” in “…”") == 4
    assert element_number("return (9) no prohibited content") == 9
    assert element_number("reply_01: 7 of 8 elements") == 0
    assert element_number("(5) closes politely") == 5


def test_evidence_reads_chinese_first_with_the_english_below(paper, tmp_path):
    items = [Evidence("credit code fails its check digit", "统一社会信用代码校验位错误", file="u1_accounts.xlsx",
                      sheet="企业", cell="B5", expected="a valid number", found="91440300MA5G8XKD30"),
             Evidence("no Chinese text for this one", file="u1_accounts.xlsx")]
    result = result_with([UnitResult("U1", "账号", "Accounts", Fraction(0), Fraction(10),
                                     (criterion("U1-05", 0, 2, items),))])
    page = write_candidate_page(tmp_path / "out", result, paper, {}).read_text(encoding="utf-8")
    assert '<td>统一社会信用代码校验位错误<br><span class="en">credit code fails its check digit</span></td>' in page
    assert "<td>no Chinese text for this one</td>" in page  # an item without Chinese shows its English alone
