"""The review page: a local web server over a results folder (``grade review OUT``).

Bound to 127.0.0.1 only. Every request must carry the run's token (``secrets``, printed in the
page's URL) and come to the served host from the served origin; anything else is refused with
403 before it is read further. The pages are self-contained: inline CSS and script pinned by
their sha256 in a strict Content-Security-Policy (no fetch of anything, pictures as ``data:``),
rendered by Jinja2 with autoescape on, so whatever a candidate typed shows as text.

Pages: the queue of candidates needing review in roster order (``/``, where the class is signed
off once nobody needs review), and each candidate's
flags and criteria with their evidence beside the deliverables as read (``/c/<result id>``,
``grader.review.page``), with forms to confirm, override, and propose a key amendment, which is
previewed (who gains what) before it can be saved. Each decision goes through
``grader.review.actions``, the code of the command line: written to the log, the reports
regraded from the cache at once. No page opens the disc.
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from grader.errors import GraderError
from grader.paper import Paper
from grader.review import actions
from grader.review.page import candidate_view, queue_view

HOST = "127.0.0.1"
MAX_BODY = 64 * 1024  # a decision's form is a few hundred bytes


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    kind: str = "text/html; charset=utf-8"
    location: str = ""


class ReviewServer(ThreadingHTTPServer):
    """The review page of one results folder; ``url`` (with its token) is what to open."""

    daemon_threads = True

    def __init__(self, out: Path, paper: Paper, port: int = 0):
        super().__init__((HOST, port), _Handler)
        self.out = Path(out)
        self.paper = paper
        self.token = secrets.token_urlsafe(24)
        self.decide = threading.Lock()  # one decision at a time: each holds the out folder's lock
        self.examiner = ""  # the last examiner named, offered in the next form

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.origin}/?t={self.token}"

    def link(self, path: str, **query: str) -> str:
        extra = "".join(f"&{k}={quote(str(v))}" for k, v in query.items() if v != "")
        return f"{path}?t={self.token}{extra}"


def open_server(out: str | Path, port: int = 0) -> ReviewServer:
    """A review server over ``out`` (not yet serving; call ``serve_forever``); ReviewError when
    ``out`` holds no results to review, OSError when the port is taken."""
    folder = actions.open_folder(out)
    return ReviewServer(Path(out), folder.paper, port)


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the command line prints the URL once; requests are not logged to the console

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        refused = self._refused(method, query)
        if refused:
            self.close_connection = True  # a refused request's body is never read
            reply = Reply(HTTPStatus.FORBIDDEN, f"403 拒绝访问 forbidden: {refused}\n".encode(),
                          "text/plain; charset=utf-8")
        else:
            form: dict[str, str] = {}
            if method == "POST":
                length = self.headers.get("Content-Length") or "0"
                if not length.isdigit() or int(length) > MAX_BODY:
                    self.close_connection = True
                    return self._send(Reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"413 form too large\n",
                                            "text/plain; charset=utf-8"))
                raw = self.rfile.read(int(length)).decode("utf-8", "replace")
                form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            try:
                reply = route(self.server, method, unquote(url.path), query, form)
            except GraderError as exc:
                reply = Reply(HTTPStatus.CONFLICT, f"{exc}\n".encode(), "text/plain; charset=utf-8")
            except Exception as exc:  # noqa: BLE001 - one page failing must not stop the review server
                reply = Reply(HTTPStatus.INTERNAL_SERVER_ERROR, f"500 {type(exc).__name__}: {exc}\n".encode(),
                              "text/plain; charset=utf-8")
        self._send(reply)

    def _refused(self, method: str, query: dict[str, str]) -> str:
        server = self.server
        if self.headers.get("Host") != server.origin.removeprefix("http://"):
            return "wrong host"
        origin = self.headers.get("Origin")
        if origin is not None and origin != server.origin:
            return "request from another origin"
        if method == "POST" and origin is None and self.headers.get("Sec-Fetch-Site") != "same-origin":
            return "a decision must come from the review page"
        if not secrets.compare_digest(query.get("t", "").encode(), server.token.encode()):
            return "no token, or a wrong one (open the URL grade review printed)"
        return ""

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.kind)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Security-Policy", assets()["header_policy"])
        if reply.location:
            self.send_header("Location", reply.location)
        self.end_headers()
        self.wfile.write(reply.body)


# ---------------------------------------------------------------- routes


def route(server: ReviewServer, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> Reply:
    """The reply to one request that passed the checks of origin and token."""
    parts = [p for p in path.split("/") if p]
    if method == "GET" and not parts:
        return _page("review_queue.html", server, _queue_context(server))
    if len(parts) >= 2 and parts[0] == "c":
        result_id = parts[1]
        if method == "GET" and len(parts) == 2:
            return _candidate(server, result_id, query)
        if method == "POST" and len(parts) == 3 and parts[2] in ("confirm", "override"):
            return _decide(server, result_id, parts[2], form)
    if method == "POST" and parts == ["amend"]:
        return _amend(server, form)
    if method == "POST" and parts == ["sign-off"]:
        return _sign_off(server, form)
    return Reply(HTTPStatus.NOT_FOUND, "404 not found 未找到\n".encode(), "text/plain; charset=utf-8")


def _folder(server: ReviewServer) -> actions.Folder:
    return actions.open_folder(server.out, server.paper)


def _sign_off(server: ReviewServer, form: dict[str, str]) -> Reply:
    examiner = form.get("examiner", "")
    with server.decide:
        try:
            actions.sign_off(server.out, examiner, form.get("reason", ""), paper=server.paper)
        except GraderError as exc:
            return _page("review_queue.html", server, {**_queue_context(server), "problem": str(exc)},
                         HTTPStatus.BAD_REQUEST)
    server.examiner = " ".join(examiner.split())
    return Reply(HTTPStatus.SEE_OTHER, b"", location=server.link("/"))


def _queue_context(server: ReviewServer) -> dict[str, Any]:
    folder = _folder(server)
    everyone = [{"result_id": r.result_id, "name": r.name, "status": r.status,
                 "status_label": queue_label(r.status)} for r in folder.results]
    signed = folder.decisions().signed_off
    return {"queue": queue_view(folder), "everyone": everyone, "problem": "", "examiner": server.examiner,
            "signed": f"{signed.examiner}, {signed.at} (#{signed.seq})" if signed else ""}


def queue_label(status: str) -> str:
    from grader.model import STATUS_LABELS

    return STATUS_LABELS.get(status, status)


def _candidate(server: ReviewServer, result_id: str, query: dict[str, str], *, problem: str = "",
               form: dict[str, str] | None = None, status: int = HTTPStatus.OK) -> Reply:
    folder = _folder(server)
    try:
        view = candidate_view(folder, result_id)
    except KeyError:
        return Reply(HTTPStatus.NOT_FOUND, f"404 no candidate {result_id} 无此考生\n".encode(), "text/plain; charset=utf-8")
    done = None
    if query.get("done", "").isdigit():
        done = next((d for d in view["decisions"] if d["seq"] == int(query["done"])), None)
    typed = {**dict.fromkeys(("kind", "examiner", "reason", "criterion", "points"), ""), **(form or {})}
    context = {"c": view, "done": done, "problem": problem, "form": typed, "examiner": server.examiner,
               "waiting_left": len(queue_view(folder))}
    return _page("review_candidate.html", server, context, status)


def _decide(server: ReviewServer, result_id: str, kind: str, form: dict[str, str]) -> Reply:
    examiner, reason = form.get("examiner", ""), form.get("reason", "")
    with server.decide:
        try:
            if kind == "confirm":
                done = actions.confirm(server.out, result_id, examiner, reason, paper=server.paper)
            else:
                done = actions.override(server.out, result_id, form.get("criterion", ""), form.get("points", ""),
                                        examiner, reason, paper=server.paper)
        except GraderError as exc:
            return _candidate(server, result_id, {}, problem=str(exc), form={**form, "kind": kind},
                              status=HTTPStatus.BAD_REQUEST)
    server.examiner = " ".join(examiner.split())
    return Reply(HTTPStatus.SEE_OTHER, b"", location=server.link(f"/c/{quote(result_id)}",
                                                                  done=str(done.entries[-1].seq)))


def _amend(server: ReviewServer, form: dict[str, str]) -> Reply:
    """Preview a key amendment (who gains what); with ``save``, record it and show what changed."""
    from grader.report.diff import changes

    back = form.get("from", "")
    fields = {k: form.get(k, "") for k in ("criterion", "found", "expected", "credit", "examiner", "reason")}
    context: dict[str, Any] = {"form": fields, "back": back, "preview": None, "changed": None, "problem": "",
                               "saved": None}
    try:
        preview = actions.preview_amendment(server.out, fields["criterion"], fields["found"], fields["credit"],
                                            fields["expected"], paper=server.paper)
        context["preview"] = _preview_view(preview, server)
        if form.get("save") == "1":
            with server.decide:
                before = {r.result_id: r.to_dict() for r in _folder(server).results}
                done = actions.amend(server.out, fields["criterion"], fields["found"], fields["credit"],
                                     fields["examiner"], fields["reason"], expected=fields["expected"],
                                     paper=server.paper)
                after = {r.result_id: r.to_dict() for r in _folder(server).results}
            server.examiner = " ".join(fields["examiner"].split())
            context["saved"] = done.entries[-1].seq
            context["changed"] = [{"result_id": rid, "name": after[rid]["name"],
                                   "changes": [c.text() for c in changes(before.get(rid), after[rid])]}
                                  for rid in after if changes(before.get(rid), after[rid])]
    except GraderError as exc:
        context["problem"] = str(exc)
        status = HTTPStatus.BAD_REQUEST
    else:
        status = HTTPStatus.OK
    return _page("review_amend.html", server, context, status)


def _preview_view(preview: actions.Preview, server: ReviewServer) -> dict[str, Any]:
    from grader.model import fraction_text
    from grader.score import display

    places = server.paper.places
    return {"lines": preview.lines(), "candidates": preview.candidates, "changing": len(preview.gains),
            "points": fraction_text(preview.points), "points_shown": display(preview.points, places),
            "gains": [{"result_id": g.result_id, "matches": g.matches, "before": fraction_text(g.before),
                       "after": fraction_text(g.after), "total_before": display(g.total_before, places),
                       "total_after": display(g.total_after, places)} for g in preview.gains]}


# ---------------------------------------------------------------- rendering


def assets() -> dict[str, Any]:
    """The review pages' inline CSS and script, and the policy admitting exactly them."""
    from markupsafe import Markup

    from grader.report.html import _csp_hash, environment

    env = environment()
    css = env.loader.get_source(env, "review.css")[0]
    script = env.loader.get_source(env, "review.js")[0]
    policy = (f"default-src 'none'; style-src '{_csp_hash(css)}'; script-src '{_csp_hash(script)}'; "
              f"img-src data:; form-action 'self'; base-uri 'none'")
    # frame-ancestors counts only in the header (a <meta> policy cannot hold it)
    return {"css": Markup(css), "script": Markup(script), "policy": policy,
            "header_policy": f"{policy}; frame-ancestors 'none'"}


def _page(template: str, server: ReviewServer, context: dict[str, Any], status: int = HTTPStatus.OK) -> Reply:
    from grader.report.html import environment

    common = {**assets(), "paper": server.paper.id, "title": server.paper.title, "link": server.link,
              "token": server.token}
    page = environment().get_template(template).render({**common, **context})
    return Reply(status, page.encode("utf-8"))
