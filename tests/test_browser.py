"""The HTML reports in a real browser: headless Chromium, driven over the DevTools protocol on a pipe.

Each page must render without a console error, an uncaught exception or a refused or failed
load (the Content-Security-Policy reports every attempt to fetch anything not inline), with
the total and a deduction visible. Screenshots are saved in the test's temporary folder.
Skipped when no Chromium is installed (``.ci/run`` installs Debian's ``chromium`` as root).
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from test_gradebook import write_small_disc

BINARY = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
BASH = shutil.which("bash")  # its redirections take the two-digit fds below
pytestmark = pytest.mark.skipif(BINARY is None or BASH is None, reason="no Chromium installed (.ci/run installs it)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT = 60


class Browser:
    """Chromium with ``--remote-debugging-pipe``: JSON messages ended by NUL on fds 3 (in) and 4 (out)."""

    def __init__(self, profile: Path):
        to_chrome_read, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_write = os.pipe()
        # the child's ends above 9, so the redirections to 3 and 4 cannot clobber them
        to_chrome_read, from_chrome_write = (_high(fd) for fd in (to_chrome_read, from_chrome_write))
        args = [BINARY, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
                "--window-size=1200,1600", "about:blank"]
        self.process = subprocess.Popen(
            [BASH, "-c", f'exec "$@" 3<&{to_chrome_read} 4>&{from_chrome_write}', "bash", *args],
            pass_fds=(to_chrome_read, from_chrome_write), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._next(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == method and e.get("sessionId") == session for e in self.events):
            self.events.append(self._next(deadline))

    def _next(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the browser did not answer")
            if select.select([self._from_chrome], [], [], left)[0]:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("the browser closed the pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.send("Browser.close")
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def _high(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Page:
    def __init__(self, browser: Browser, url: str):
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            browser.send(f"{domain}.enable", session=self.session)
        browser.send("Page.navigate", {"url": url}, session=self.session)
        browser.wait_for("Page.loadEventFired", self.session)

    def evaluate(self, expression: str):
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                   session=self.session)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, refused or failed loads."""
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(params["entry"]["text"])
        return found

    def visible(self, selector: str) -> dict | None:
        return self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el) return null;
            const box = el.getBoundingClientRect();
            return {{text: el.textContent.trim(),
                     visible: box.width > 0 && box.height > 0 && el.checkVisibility({{checkOpacity: true,
                              checkVisibilityCSS: true}})}};
        }})()""")

    def screenshot(self, path: Path) -> Path:
        size = self.browser.send("Page.getLayoutMetrics", session=self.session)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}
        shot = self.browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                            "clip": clip}, session=self.session)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    started = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield started
    started.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory, paper):
    from grader.pipeline import grade_disc

    base = tmp_path_factory.mktemp("browser")
    disc = write_small_disc(base / "disc", paper.key)
    return grade_disc(disc, paper, base / "out", jobs=1).out


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_index_renders(browser, reports, tmp_path):
    page = Page(browser, (reports / "index.html").as_uri())
    assert page.problems() == []
    assert page.evaluate("document.querySelectorAll('table.class-list tbody tr').length") == 5
    total = page.visible("a[href='candidates/ks02.html']")
    assert total == {"text": "ks02", "visible": True}
    cell = page.evaluate("""[...document.querySelectorAll('table.class-list tbody tr')]
        .find(r => r.textContent.includes('ks02')).querySelector('td.total').textContent.trim()""")
    assert cell == "3.80"
    assert_png(page.screenshot(tmp_path / "index.png"))


def test_index_sorts_by_total(browser, reports):
    page = Page(browser, (reports / "index.html").as_uri())
    totals = "[...document.querySelectorAll('table.class-list tbody td.total')].map(c => c.textContent.trim())"
    header = "[...document.querySelectorAll('table.class-list thead th')].find(h => h.textContent.includes('总分'))"
    assert page.evaluate(totals) == ["5.00", "3.80", "4.80", "3.70", "0.00"]  # roster order
    page.evaluate(f"{header}.querySelector('button').click()")
    assert page.evaluate(totals) == ["0.00", "3.70", "3.80", "4.80", "5.00"]
    page.evaluate(f"{header}.querySelector('button').click()")
    assert page.evaluate(totals) == ["5.00", "4.80", "3.80", "3.70", "0.00"]
    assert page.problems() == []


def test_candidate_page_renders_with_total_and_deduction_visible(browser, reports, tmp_path):
    page = Page(browser, (reports / "candidates" / "ks02.html").as_uri())
    assert page.problems() == []
    assert page.visible("#total") == {"text": "3.80", "visible": True}
    deduction = page.visible("#U6-01 .deduction")
    assert deduction["visible"] and deduction["text"].endswith("−1.00")
    evidence = page.visible("#U6-01 table.evidence tr.bad")
    assert evidence["visible"] and "SO26110005" in evidence["text"] and "u6_orders.xlsx" in evidence["text"]
    assert_png(page.screenshot(tmp_path / "ks02.png"))


def test_thumbnails_load_under_the_policy(browser, paper, tmp_path):
    from test_reports_html import image_result, write_jpeg

    from grader.read.exhibits import page_exhibits
    from grader.report.html import write_candidate_page

    disc = tmp_path / "disc"
    write_jpeg(disc / "ks01" / "u4_images" / "HKB100.MAIN.jpg", (1200, 1200))
    path = write_candidate_page(tmp_path / "out", image_result(), paper, page_exhibits(image_result(), disc))
    page = Page(browser, path.as_uri())
    assert page.problems() == []
    # the 1200 px JPEG's quarter-scale decode (300 px) is the preview, shown 240 px wide
    [(natural, shown)] = page.evaluate("[...document.images].map(i => [i.complete && i.naturalWidth, i.width])")
    assert natural == 300 and 230 <= shown <= 240  # its 1 px border inside the 240 px box
    assert_png(page.screenshot(tmp_path / "images.png"))


def test_problems_are_caught(browser, tmp_path):
    """The check itself can fail: an error, a refused script and a missing picture are all reported."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                   "content=\"default-src 'none'; img-src 'self'\"></head><body><img src=\"missing.png\">"
                   "<script>no_such_function()</script></body></html>", encoding="utf-8")
    page = Page(browser, bad.as_uri())
    problems = page.problems()
    assert any("Content Security Policy" in p for p in problems)
    assert any("ERR_FILE_NOT_FOUND" in p for p in problems)
    loose = tmp_path / "loose.html"
    loose.write_text("<!DOCTYPE html><p id=x hidden>x</p><script>console.error('boom'); no_such()</script>",
                     encoding="utf-8")
    page = Page(browser, loose.as_uri())
    assert "boom" in page.problems() and any("exception" in p.lower() or "Uncaught" in p for p in page.problems())
    assert page.visible("#x") == {"text": "x", "visible": False}
