"""The review page (`grade review OUT`): its safety without a browser, and a review done in real
headless Chromium (tests/test_browser.py's Browser): confirm a flag, override a criterion, propose
and save a key amendment, each checked in the log, the regraded JSON and the page's new state.
Screenshots of the queue and of one candidate's review go to /tmp/review-shots/."""
from __future__ import annotations

import contextlib
import http.client
import json
import re
import shutil
import threading
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import load_result

from grader.review.log import LOG
from grader.review.server import open_server

SHOTS = Path("/tmp/review-shots")
WAITING = ["ks05", "ks08", "ks09", "ks11", "ks12", "ks13", "ks16", "ks19", "ks20", "ks22"]


@contextlib.contextmanager
def serving(out: Path):
    """The review server over ``out``, serving from a thread until the block ends."""
    started = open_server(out)
    thread = threading.Thread(target=started.serve_forever, daemon=True)
    thread.start()
    try:
        yield started
    finally:
        started.shutdown()
        started.server_close()
        thread.join(10)


@pytest.fixture
def server(results_copy):
    with serving(results_copy) as started:
        yield started


def log_rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / LOG).read_text(encoding="utf-8").splitlines()]


def request(server, method: str, path: str, headers: dict | None = None, body: dict | None = None
            ) -> tuple[int, str, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)
    data = urlencode(body).encode() if body is not None else None
    sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})} if data is not None \
        else dict(headers or {})
    connection.request(method, path, body=data, headers=sent)
    reply = connection.getresponse()
    text = reply.read().decode("utf-8")
    connection.close()
    return reply.status, text, dict(reply.getheaders())


def criterion(result: dict, criterion_id: str) -> dict:
    return next(c for u in result["units"] for c in u["criteria"] if c["id"] == criterion_id)


# ---------------------------------------------------------------- safety, without a browser


def test_bound_to_loopback_with_a_token_in_the_printed_url(server):
    host, port = server.server_address
    assert host == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{port}/?t={server.token}" and len(server.token) >= 32
    status, page, headers = request(server, "GET", f"/?t={server.token}")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-") and "img-src data:;" in policy
    assert "form-action 'self'" in policy and "http" not in policy
    assert "http://" not in page.replace(server.origin, "") and "https://" not in page  # no outside asset
    assert re.findall(r'<a class="candidate"[^>]* href="([^"]+)"', page) == [
        f"/c/{rid}?t={server.token}" for rid in WAITING]


def test_no_token_or_a_wrong_one_is_refused(server, results_copy):
    for path in ("/", "/c/ks05", f"/c/ks05?t={server.token[:-1]}x", f"/?token={server.token}"):
        status, text, _ = request(server, "GET", path)
        assert (status, text) == (403, ("403 拒绝访问 forbidden: no token, or a wrong one (open the URL grade "
                                        "review printed)\n")), path
    status, _, _ = request(server, "POST", "/c/ks05/confirm", {"Origin": server.origin},
                           {"examiner": "e", "reason": "r"})
    assert status == 403 and not (results_copy / LOG).exists()


def test_another_origin_or_host_is_refused(server, results_copy):
    decision = {"examiner": "e", "reason": "r"}
    path = f"/c/ks05/confirm?t={server.token}"
    status, text, _ = request(server, "POST", path, {"Origin": "http://evil.example"}, decision)
    assert (status, text) == (403, "403 拒绝访问 forbidden: request from another origin\n")
    status, text, _ = request(server, "POST", path, {}, decision)  # no Origin: not sent by the page
    assert (status, text) == (403, "403 拒绝访问 forbidden: a decision must come from the review page\n")
    status, text, _ = request(server, "GET", f"/?t={server.token}", {"Host": "evil.example"})
    assert (status, text) == (403, "403 拒绝访问 forbidden: wrong host\n")
    port = server.server_address[1]
    status, _, _ = request(server, "GET", f"/?t={server.token}", {"Host": f"localhost:{port}"})
    assert status == 403  # DNS rebinding comes under another name
    assert not (results_copy / LOG).exists()
    status, _, headers = request(server, "POST", path, {"Origin": server.origin}, decision)
    assert status == 303 and headers["Location"] == f"/c/ks05?t={server.token}&done=1"
    assert [r["kind"] for r in log_rows(results_copy)] == ["confirm"]


def test_candidate_strings_are_shown_escaped(server, results_copy):
    reason = '<script>alert("x")</script>'
    status, _, _ = request(server, "POST", f"/c/ks05/confirm?t={server.token}", {"Origin": server.origin},
                           {"examiner": "<b>考评员</b>", "reason": reason})
    assert status == 303
    status, page, _ = request(server, "GET", f"/c/ks05?t={server.token}&done=1")
    assert status == 200
    assert "<script>alert" not in page and "<b>考评员" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page and "&lt;b&gt;考评员&lt;/b&gt;" in page
    assert page.count("<script>") == 1  # the page's own script, pinned by the policy


def test_a_refused_decision_is_shown_on_the_page_and_nothing_is_logged(server, results_copy):
    status, page, _ = request(server, "POST", f"/c/ks12/override?t={server.token}", {"Origin": server.origin},
                              {"criterion": "U8-03", "points": "19/2", "examiner": "e", "reason": "r"})
    assert status == 400
    assert "未记录 <span class=\"en\">Not recorded</span>: points 19/2 outside 0–9 for U8-03" in page
    assert not (results_copy / LOG).exists()


def test_the_sheet_grid_is_shown_without_the_disc(tmp_path, paper, demo_disc):
    """Issue 15 item 3: the deliverables as read are in the cache, so the disc can go back."""
    from grader import cache
    from grader.pipeline import grade_disc
    from grader.review.actions import open_folder
    from grader.review.page import candidate_view

    disc = tmp_path / "disc"
    shutil.copytree(demo_disc, disc)
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    shutil.rmtree(disc)
    [orders] = [r for r in cache.load_records(out, "ks05") if r.name == "u6_orders"]
    grid = orders.parsed.grid("订单")
    assert (orders.file, grid.rows_in_sheet, len(grid.rows)) == ("u6_orders.xlsx", 21, 21)
    assert grid.at("A1") == "订单号" and grid.at("C7") == "Shipped"
    view = candidate_view(open_folder(out), "ks05")
    [unit6] = [u for u in view["units"] if u["id"] == "U6"]
    [sheet] = unit6["deliverable"].grids
    assert (sheet.file, sheet.name, sheet.columns) == ("u6_orders.xlsx", "订单", ["A", "B", "C", "D"])
    number, cells = sheet.rows[6]
    assert number == 7 and [c["text"] for c in cells][:3] == ["SO26110006", "通过", "Shipped"]
    assert (cells[2]["cited"], cells[2]["bad"], cells[2]["criteria"]) == (True, True, "U6-03")
    assert not cells[0]["cited"]


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from test_browser import BASH, BINARY, Browser

    if BINARY is None or BASH is None:
        pytest.skip("no Chromium installed (.ci/run installs it)")
    started = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield started
    started.close()


class ReviewTab:
    """One tab of the review page: navigate, fill, submit, and wait for the next page to load."""

    def __init__(self, browser, url: str):
        from test_browser import Page

        self.page = Page(browser, url)
        self.browser = browser

    def evaluate(self, expression: str):
        return self.page.evaluate(expression)

    def text(self, selector: str) -> str | None:
        found = self.page.visible(selector)
        return found["text"] if found and found["visible"] else None

    def _loaded(self, action: str) -> None:
        session = self.page.session
        self.browser.events[:] = [e for e in self.browser.events
                                  if not (e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session)]
        self.evaluate(action)
        self.browser.wait_for("Page.loadEventFired", session)

    def click(self, selector: str) -> None:
        self._loaded(f"document.querySelector({json.dumps(selector)}).click()")

    def tap(self, selector: str) -> None:
        """A click that stays on the page."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def fill(self, form: str, **values: str) -> None:
        for name, value in values.items():
            self.evaluate(f"document.querySelector('{form} [name={name}]').value = {json.dumps(value)}")

    def key(self, key: str) -> None:
        self.evaluate(self._keydown(key))

    def press(self, key: str) -> None:
        """A key that leads to another page."""
        self._loaded(self._keydown(key))

    @staticmethod
    def _keydown(key: str) -> str:
        return f"document.dispatchEvent(new KeyboardEvent('keydown', {{key: {json.dumps(key)}}}))"

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        return self.page.screenshot(SHOTS / name)


def test_a_review_in_the_browser(browser, server, results_copy):
    out = results_copy
    tab = ReviewTab(browser, server.url)
    assert tab.page.problems() == []
    assert tab.evaluate("[...document.querySelectorAll('table.queue tbody tr')].map(r => r.dataset.result)") == WAITING
    assert tab.text("#waiting-count").startswith("10 名考生待复核")
    tab.screenshot("queue.png")

    # confirm ks05's damaged-image flag
    tab.click("a.candidate[href^='/c/ks05?']")
    assert tab.text("#status") == "待复核 needs review" and tab.text("#open-flags") == "1"
    cell = tab.evaluate("(() => { const c = document.querySelector('#unit-U6 table.grid td.cited.bad[data-ref=C7]');"
                        " return c && [c.textContent, c.title]; })()")
    assert cell == ["Shipped", "C7 · U6-03"]
    assert tab.evaluate("document.querySelectorAll('#unit-U4 figure.image img').length") >= 1
    tab.screenshot("candidate-ks05.png")
    tab.key("c")
    assert tab.evaluate("document.activeElement.name") == "examiner"
    tab.fill("#confirm-form", examiner="考评员01", reason="图片已在原盘核实")
    tab.click("#confirm-form button[type=submit]")
    assert tab.page.problems() == []
    assert tab.text("#done").startswith("已记录 Logged #1: 确认 confirm")
    assert tab.text("#status") == "已复核 reviewed" and tab.text("#open-flags") == "0"
    assert tab.text("li.flag.decided .decision") == "已决 decided #1 (confirm · 考评员01)"
    [row] = log_rows(out)
    assert (row["kind"], row["candidate"], row["examiner"], row["reason"]) == ("confirm", "ks05", "考评员01",
                                                                                 "图片已在原盘核实")
    ks05 = load_result(out, "ks05")
    assert (ks05["status"], ks05["total"]) == ("reviewed", "3619/40")
    assert [f["decision"] for f in ks05["flags"]] == [1]

    # override U8-03 of ks12, whose reply_03 could not be read
    tab.press("n")  # the next candidate who needs review, in roster order
    assert tab.text("#result-id") == "ks08"
    tab.click("#to-queue")
    tab.click("a.candidate[href^='/c/ks12?']")
    tab.tap("#U8-03 button.override-this")  # no navigation: picks U8-03 in the form
    assert tab.evaluate("document.querySelector('#override-form [name=criterion]').value") == "U8-03"
    assert tab.evaluate("document.activeElement.name") == "points"
    tab.fill("#override-form", points="3", examiner="考评员01", reason="回复3 原盘核实为完整文本")
    tab.click("#override-form button[type=submit]")
    assert tab.page.problems() == []
    assert tab.text("#done").startswith("已记录 Logged #2: 改分 override U8-03 → 3")
    assert tab.text("#status") == "已复核 reviewed" and tab.text("#U8-03 .points") == "3.00 / 9.00"
    row = log_rows(out)[1]
    assert (row["kind"], row["candidate"], row["criterion"], row["points"]) == ("override", "ks12", "U8-03", "3")
    ks12 = load_result(out, "ks12")
    assert (ks12["status"], criterion(ks12, "U8-03")["points"]) == ("reviewed", "3")
    assert Fraction(ks12["total"]) == Fraction(5443, 60) - Fraction(criterion(ks12, "U8-03")["automatic"]) + 3

    # a key amendment proposed from ks05's deduction, previewed, then saved
    tab.click("#to-queue")
    assert tab.evaluate("[...document.querySelectorAll('table.queue tbody tr')].map(r => r.dataset.result)") == \
        [r for r in WAITING if r not in ("ks05", "ks12")]
    tab.click("details.everyone a[href^='/c/ks05?']")
    tab.tap("#U6-03 button.accept-this[data-found='Shipped']")
    assert tab.evaluate("['criterion', 'found', 'expected'].map(n => "
                        "document.querySelector('#amend-form [name=' + n + ']').value)") == [
        "U6-03", "Shipped", "unshipped"]
    tab.fill("#amend-form", credit="1/10", examiner="考评员01", reason="发货状态两种填法均可")
    tab.click("#amend-form button[type=submit]")
    assert tab.page.problems() == []
    assert tab.text("#changing") == "1" and tab.text("#preview-points") == "+0.20"
    assert tab.evaluate("[...document.querySelectorAll('table.gains tbody tr')].map(r => [...r.cells]"
                        ".map(c => c.textContent.trim()))") == [["ks05", "2", "17/10 → 19/10", "90.48 → 90.68"]]
    assert len(log_rows(out)) == 2  # a preview writes nothing
    tab.screenshot("amendment-preview.png")
    tab.click("#save")
    assert tab.page.problems() == []
    assert tab.text("#saved").startswith("已保存 Saved #3: U6-03 — unshipped → Shipped")
    assert tab.evaluate("[...document.querySelectorAll('table.changed tbody tr')].map(r => r.dataset.result)") == \
        ["ks05"]
    assert "U6-03 17/10 → 19/10" in tab.text("table.changed tbody tr")
    row = log_rows(out)[2]
    assert (row["kind"], row["criterion"], row["points"], row["expected"], row["found"]) == (
        "amend", "U6-03", "1/10", "unshipped", "Shipped")
    ks05 = load_result(out, "ks05")
    assert (criterion(ks05, "U6-03")["points"], ks05["total"], ks05["status"]) == (
        "19/10", str(Fraction(3619, 40) + Fraction(1, 5)), "reviewed")
    tab.click("#back")
    assert tab.text("#total") == "90.68" and tab.text("#U6-03 .points") == "1.90 / 2.00"
    assert tab.evaluate("[...document.querySelectorAll('table.decisions tbody tr')].map(r => r.id)") == [
        "decision-1", "decision-3"]
    tab.screenshot("candidate-ks05-after.png")


def test_grade_review_prints_the_url_on_one_line_and_serves(results_copy):
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "grader", "review", str(results_copy), "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"review page 复核页面: (http://127\.0\.0\.1:(\d+)/\?t=([\w-]{32,}))\n", line)
        assert match, line
        connection = http.client.HTTPConnection("127.0.0.1", int(match[2]), timeout=60)
        connection.request("GET", match[1].split(match[2], 1)[1])
        reply = connection.getresponse()
        assert reply.status == 200 and "复核队列" in reply.read().decode("utf-8")
        connection.request("GET", "/")
        reply = connection.getresponse()
        assert reply.status == 403
        reply.read()
        connection.close()
    finally:
        process.terminate()
        process.wait(30)
        process.stdout.close()
        process.stderr.close()


def test_sign_off_on_the_page_is_refused_while_anyone_needs_review(server, results_copy):
    status, page, _ = request(server, "POST", f"/sign-off?t={server.token}", {"Origin": server.origin},
                              {"examiner": "督考员01", "reason": ""})
    assert status == 400
    assert (f"未记录 <span class=\"en\">Not recorded</span>: cannot sign off: 10 candidates still need review "
            f"仍需复核: {', '.join(WAITING)}") in page
    assert not (results_copy / LOG).exists()


def test_sign_off_on_the_page(tmp_path, paper):
    from test_gradebook import write_small_disc

    from grader.pipeline import grade_disc

    out = grade_disc(write_small_disc(tmp_path / "disc", paper.key), paper, tmp_path / "out", jobs=1).out
    with serving(out) as started:
        _, page, _ = request(started, "GET", f"/?t={started.token}")
        assert 'id="queue-empty"' in page and 'id="sign-off-form"' in page
        status, _, headers = request(started, "POST", f"/sign-off?t={started.token}", {"Origin": started.origin},
                                     {"examiner": "督考员01", "reason": ""})
        assert status == 303 and headers["Location"] == f"/?t={started.token}"
        [row] = log_rows(out)
        assert (row["kind"], row["examiner"]) == ("sign-off", "督考员01")
        _, page, _ = request(started, "GET", f"/?t={started.token}")
        assert re.search(r'id="signed">已签署定稿 <span class="en">Signed off as final</span>: 督考员01, \S+ \(#1\)', page)
        assert 'id="sign-off-form"' not in page


def test_a_form_too_large_or_of_no_length_is_refused_unread(server, results_copy):
    path = f"/c/ks05/confirm?t={server.token}"
    for length in (str(64 * 1024 + 1), "-1", "x"):
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)
        connection.putrequest("POST", path)
        connection.putheader("Origin", server.origin)
        connection.putheader("Content-Length", length)
        connection.endheaders()
        reply = connection.getresponse()
        assert (reply.status, reply.read()) == (413, b"413 form too large\n"), length
        connection.close()
    assert not (results_copy / LOG).exists()


def test_what_a_candidate_typed_is_shown_escaped(tmp_path, paper):
    """A roster name and a cell of the candidate's own workbook holding markup show as text."""
    from test_gradebook import order_rows, write_orders, write_small_disc

    from grader.pipeline import grade_disc

    name, remark = '<script>alert("name")</script>', '<img src=x onerror="alert(1)">'
    disc = write_small_disc(tmp_path / "disc", paper.key, names={"ks02": name})
    rows = order_rows(paper.key)
    rows[1][3] = remark
    rows[2][2] = "</td><script>alert(2)</script>"  # a wrong status: cited as a deduction
    write_orders(disc / "ks02", rows)
    out = grade_disc(disc, paper, tmp_path / "out", jobs=1).out
    with serving(out) as started:
        status, page, _ = request(started, "GET", f"/c/ks02?t={started.token}")
    assert status == 200
    assert page.count("<script") == 1 and "<img" not in page and "</td><script" not in page
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page  # the grid's cell D2
    assert re.search(r'class="cited bad"[^>]*data-ref="C3">&lt;/td&gt;&lt;script&gt;alert\(2\)&lt;/script&gt;</td>',
                     page)
    assert 'data-found="&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in page
