"""HTML reports: ``index.html`` (the class), ``candidates/<result id>.html`` (one candidate) and
``flags.html`` (the flag codes, ``grader.flags``; every flag shown elsewhere links to its row).

Rendered with Jinja2, autoescape on: whatever a candidate typed shows as text. The pages
are self-contained: inline CSS and one inline sorting script, both pinned by their sha256
in a Content-Security-Policy that refuses any other script, style, font or network fetch.
Print CSS lays them out for A4.

Reports read results only, and never open a file of the disc. A page shows the image files
the evidence names as thumbnails (written into ``candidates/thumbs/``, with the image's size;
the white-frame measure and other figures come from the evidence) and the text files the
evidence names (replies, templates) with the found elements marked and the missing ones
listed, both from the candidate's exhibits (``grader.read.exhibits``, cached with the
result). Either degrades to a line saying why when there is no exhibit of the file.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from grader import flags
from grader.locale import zh
from grader.model import (
    ABSENT,
    IMAGE_SUFFIXES,
    STATUS_LABELS,
    TEXT_SUFFIXES,
    CandidateResult,
    CriterionResult,
    Evidence,
    Exhibit,
    evidence_files,
)
from grader.paper import Paper
from grader.report import write_atomic
from grader.report.summary import SummaryRow
from grader.score import display

MAX_TEXT_CHARS = 200_000  # characters of a text shown on a page
MAX_SHOWN = 400  # characters of an evidence value shown in a table cell


# ---------------------------------------------------------------- environment


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("grader.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["shorten"] = shorten
    env.filters["flag_name"] = flags.name_zh
    env.filters["flag_anchor"] = flags.anchor
    env.filters["zh"] = zh
    return env


@lru_cache(maxsize=1)
def assets() -> dict[str, Any]:
    """The inline CSS and script, and the policy that admits exactly them."""
    from markupsafe import Markup

    loader = environment().loader
    css = loader.get_source(environment(), "report.css")[0]
    script = loader.get_source(environment(), "sort.js")[0]
    policy = (f"default-src 'none'; style-src '{_csp_hash(css)}'; script-src '{_csp_hash(script)}'; "
              f"img-src 'self'; base-uri 'none'; form-action 'none'")
    return {"css": Markup(css), "script": Markup(script), "policy": policy}


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def page_name(result_id: str) -> str:
    return f"{result_id}.html"


def page_href(result_id: str) -> str:
    """The link to a candidate's page from ``index.html``."""
    return "candidates/" + quote(page_name(result_id))


# ---------------------------------------------------------------- index


def write_index(out: Path, rows: Sequence[SummaryRow], paper: Paper, exam: dict[str, Any] | None = None,
                alarms: Sequence[Any] = ()) -> Path:
    """``index.html``: one row per candidate in roster order, sortable, linked to the candidate pages."""
    from grader.report.gradebook import unit_statistics

    places = paper.places
    total = unit_statistics(rows, paper)[-1]
    table = []
    for order, row in enumerate(rows, start=1):
        absent = row.status == ABSENT
        table.append({
            "order": order,
            "row": row,
            "href": page_href(row.result_id),
            "units": [_points_cell(p, places, absent) for p in row.units],
            "total": _points_cell(row.total, places, absent),
            "status": STATUS_LABELS.get(row.status, row.status),
            "flag_chips": _flag_chips(row),
            "flag_text": "; ".join(row.flags),
            "overrides": [o.text() for o in row.overrides],
        })
    context = {
        **assets(),
        "paper": paper,
        "exam": {k: str((exam or {}).get(k, "")) for k in ("centre", "session")},
        "units": paper.units,
        "rows": table,
        "alarms": [a.text() for a in alarms],
        "counts": _counts(rows),
        "stats": {
            "n": total.n,
            "mean": _number(total.mean, places),
            "median": _number(total.median, places),
            "pass_rate": _number(total.pass_rate * 100 if total.pass_rate is not None else None, 1),
        },
    }
    path = out / "index.html"
    write_atomic(path, environment().get_template("index.html").render(context).encode("utf-8"))
    write_flag_table(out)
    return path


def _flag_chips(row: SummaryRow) -> list[dict[str, str]]:
    """One chip per flag code of the row: its Chinese name, linked to its row in ``flags.html``, and
    the row's flags of that code in full as its tooltip."""
    shown: dict[str, list[str]] = {}
    for record, text in zip(row.flag_records, row.flags):
        shown.setdefault(record.code, []).append(text)
    return [{"code": code, "name": flags.name_zh(code) or code, "href": "flags.html#" + flags.anchor(code),
             "title": "; ".join(texts)} for code, texts in sorted(shown.items())]


def write_flag_table(out: Path) -> Path:
    """``flags.html``: every flag code with its names, what it means and what the examiner does; the
    pages link each flag to its row here."""
    context = {**assets(), "flags": flags.FLAGS}
    path = out / "flags.html"
    write_atomic(path, environment().get_template("flags.html").render(context).encode("utf-8"))
    return path


def _points_cell(points: Fraction, places: int, absent: bool) -> dict[str, str]:
    """An absent candidate's 0 is shown as in the CSV and the workbook (§1: total 0, 缺考), and
    sorts below every candidate who sat the exam."""
    shown = str(display(points, places))
    return {"text": shown, "sort": "-1" if absent else shown}


def _number(value: float | None, places: int) -> str:
    if value is None:
        return "—"
    return str(display(Fraction(value).limit_denominator(10 ** 9), places))


def _counts(rows: Sequence[SummaryRow]) -> list[tuple[str, int]]:
    return [(label, sum(1 for r in rows if r.status == status)) for status, label in STATUS_LABELS.items()]


# ---------------------------------------------------------------- candidate page


@dataclass
class ImageView:
    file: str
    thumb: str = ""  # relative URL from the candidate page; "" when no preview could be made
    width: int = 0
    height: int = 0
    size: int = 0
    format: str = ""
    mode: str = ""
    problem: str = ""
    notes: list[tuple[str, Evidence]] = field(default_factory=list)


@dataclass
class TextView:
    file: str
    segments: list[tuple[str, int]] = field(default_factory=list)  # (text, element number or 0)
    found: list[tuple[int, str, Evidence, bool]] = field(default_factory=list)  # n, criterion, item, marked
    missing: list[tuple[str, Evidence]] = field(default_factory=list)
    problem: str = ""
    truncated: bool = False


def write_candidate_page(out: Path, result: CandidateResult, paper: Paper,
                         exhibits: dict[str, Exhibit] | None = None) -> Path:
    """``candidates/<result id>.html``; thumbnails go to ``candidates/thumbs/<result id>/``, from the
    candidate's ``exhibits`` (previews and decoded texts, by path in the candidate folder)."""
    places = paper.places
    titles = {c.id: c.title_en for c in paper.criteria()}
    units = []
    for unit in result.units:
        units.append({
            "unit": unit,
            "points": display(unit.points, places),
            "maximum": display(unit.maximum, places),
            "criteria": [_criterion_view(c, titles.get(c.id, ""), places) for c in unit.criteria],
        })
    overrides = [c for u in result.units for c in u.criteria if c.override is not None]
    context = {
        **assets(),
        "paper": paper,
        "result": result,
        "status": STATUS_LABELS.get(result.status, result.status),
        "absent": result.status == ABSENT,
        "total": display(result.total, places),
        "units": units,
        "overrides": [_criterion_view(c, titles.get(c.id, ""), places) for c in overrides],
        "decisions": result.decisions,
        "decided": result.decided(),
        "json_name": quote(f"{result.result_id}.json"),
        "images": _images(out, result, exhibits or {}),
        "texts": _texts(result, exhibits or {}),
    }
    path = out / "candidates" / page_name(result.result_id)
    write_atomic(path, environment().get_template("candidate.html").render(context).encode("utf-8"))
    return path


def write_fallback_page(out: Path, result: CandidateResult, problem: str) -> Path:
    """A plain page for a candidate whose report could not be rendered: the total and the error."""
    from html import escape

    body = (f"<h1>{escape(result.user)} {escape(result.name)}</h1>"
            f"<p>总分 Total {escape(str(display(result.total, 2)))} / 100</p>"
            f"<p>报告无法生成 The report could not be rendered: {escape(problem)}</p>"
            f"<p><a href=\"{escape(quote(result.result_id + '.json'))}\">JSON</a> · "
            f"<a href=\"../index.html\">index</a></p>")
    page = (f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
            f"<title>{escape(result.user)}</title></head><body>{body}</body></html>\n")
    path = out / "candidates" / page_name(result.result_id)
    write_atomic(path, page.encode("utf-8"))
    return path


def _criterion_view(criterion: CriterionResult, title_en: str, places: int) -> dict[str, Any]:
    lost = criterion.graded and criterion.points < criterion.maximum
    evidence = sorted(criterion.evidence, key=lambda e: e.ok) if lost else list(criterion.evidence)
    return {
        "c": criterion,
        "title_en": title_en,
        "points": display(criterion.points, places),
        "maximum": display(criterion.maximum, places),
        "lost": lost,
        "deduction": display(criterion.maximum - criterion.points, places),
        "overridden": criterion.override is not None,
        "automatic": display(criterion.automatic, places) if criterion.automatic is not None else "",
        "evidence": evidence,
        # the evidence table's rows as plain tuples: a template loop unpacks them without an
        # attribute lookup per field (a page shows hundreds of rows)
        "rows": [(e.ok, e.message, e.message_zh, e.file, e.sheet, e.cell, shorten(e.expected), shorten(e.found))
                 for e in evidence],
    }


# ---------------------------------------------------------------- thumbnails


def _images(out: Path, result: CandidateResult, exhibits: dict[str, Exhibit]) -> list[ImageView]:
    views = []
    target_dir = out / "candidates" / "thumbs" / result.result_id
    for relative, notes in sorted(evidence_files(result, IMAGE_SUFFIXES).items()):
        view = ImageView(relative, notes=notes)
        name = hashlib.sha256(relative.encode("utf-8")).hexdigest()[:16] + ".jpg"
        shown = exhibits.get(relative)
        if shown is not None and (shown.preview or shown.problem):
            view.width, view.height, view.size, view.format, view.mode = (
                shown.width, shown.height, shown.size, shown.format, shown.mode)
            view.problem = shown.problem
            if shown.preview and not shown.problem:
                write_atomic(target_dir / name, shown.preview)
        else:
            view.problem = "file not found on the disc 磁盘上未找到该文件"
        if not view.problem:
            view.thumb = f"thumbs/{quote(result.result_id)}/{name}"
        views.append(view)
    return views


# ---------------------------------------------------------------- texts


def _texts(result: CandidateResult, exhibits: dict[str, Exhibit]) -> list[TextView]:
    views = []
    for relative, notes in sorted(evidence_files(result, TEXT_SUFFIXES).items()):
        view = TextView(relative)
        shown = exhibits.get(relative)
        text = ""
        if shown is not None and shown.text is not None:
            text = shown.text[:MAX_TEXT_CHARS]
            view.truncated = shown.truncated or len(shown.text) > MAX_TEXT_CHARS
        elif shown is not None and shown.problem:
            view.problem = shown.problem
        else:
            view.problem = "file not found on the disc 磁盘上未找到该文件"
        found = [(criterion, item) for criterion, item in notes if item.ok]
        view.missing = [(criterion, item) for criterion, item in notes if not item.ok]
        spans = []
        for criterion, item in found:
            number = element_number(item.message)  # an item naming no element is listed, not marked
            located = _locate(text, item.found, spans) if text and number else None
            if located is not None:
                spans.append((*located, number))
            view.found.append((number, criterion, item, located is not None))
        view.segments = _segments(text, spans)
        views.append(view)
    return views


_ELEMENT = re.compile(r"^(?:\S+ )?\((\d+)\) ")


def element_number(message: str) -> int:
    """The element an evidence item speaks of (``reply_01 (4) offers a resolution: …`` → 4), so a
    text's marks carry the numbers of the paper's element list; 0 when it names none."""
    match = _ELEMENT.match(message)
    return int(match[1]) if match else 0


def _locate(text: str, phrase: str, taken: list[tuple[int, int, int]]) -> tuple[int, int] | None:
    """The first case-insensitive occurrence of ``phrase`` that overlaps no earlier mark."""
    phrase = phrase.strip()
    if len(phrase) < 2:
        return None
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())  # a line break may stand for a space
    for match in re.finditer(pattern, text, flags=re.IGNORECASE):
        start, end = match.span()
        if all(end <= s or start >= e for s, e, _ in taken):
            return start, end
    return None


def _segments(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[str, int]]:
    segments, at = [], 0
    for start, end, number in sorted(spans):
        if start > at:
            segments.append((text[at:start], 0))
        segments.append((text[start:end], number))
        at = end
    if at < len(text):
        segments.append((text[at:], 0))
    return segments
