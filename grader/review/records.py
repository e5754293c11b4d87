"""Printable records for the centre's files: each candidate's score record (考核评分记录表) and
the class register (成绩登记表), A4 print-ready HTML in ``OUT/print/``.

Made from the results folder alone (the candidates' results as the reports show them, the exam's
facts of the run, the review log's state), rendered by Jinja2 with autoescape on, with Chinese
headings and English beside them: unit scores, total, pass, status, the overrides and review
decisions, whether the class is signed off, and signature and date lines for the examiner
(考评员) and the supervisor (督考员). Self-contained: one inline style pinned by its sha256 in
the Content-Security-Policy, no script, no font or picture fetched. Write them again after the
last decision (``grade records OUT``): each says how many log rows it was made from.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from grader.flags import labelled
from grader.locale import zh
from grader.model import ABSENT, STATUS_LABELS, CandidateResult, Decision, fraction_text
from grader.report import write_atomic
from grader.review.actions import WAITING, Folder, open_folder
from grader.score import display

FOLDER = "print"
REGISTER = "register.html"


@dataclass(frozen=True)
class Printed:
    register: Path
    records: tuple[Path, ...]


def write_records(out: str | Path) -> Printed:
    """``print/register.html`` and ``print/<result id>.html`` for every candidate."""
    from grader.pipeline import RUN_RECORD
    from grader.report.html import environment, page_name

    folder = open_folder(out)
    try:
        exam = orjson.loads((folder.out / ".cache" / RUN_RECORD).read_bytes()).get("exam", {})
    except (OSError, ValueError):
        exam = {}
    common = {**_assets(), "paper": folder.paper.id, "title": _title(folder), "exam": exam,
              "final": _final(folder)}
    env = environment()
    views = [_view(r, folder.paper.places) for r in folder.results]
    records = []
    for result, view in zip(folder.results, views):
        path = folder.out / FOLDER / page_name(result.result_id)
        write_atomic(path, env.get_template("record.html").render({**common, "r": view}).encode("utf-8"))
        records.append(path)
    present = [r for r in folder.results if r.status != ABSENT]
    counts = {"all": len(folder.results), "present": len(present), "absent": len(folder.results) - len(present),
              "passed": sum(1 for r in present if r.passed),
              "waiting": sum(1 for r in folder.results if r.status in WAITING)}
    units = [{"id": u.id, "maximum": display(u.maximum, 0)} for u in (folder.results[0].units if folder.results else ())]
    register = folder.out / FOLDER / REGISTER
    page = env.get_template("register.html").render({**common, "rows": views, "units": units, "counts": counts})
    write_atomic(register, page.encode("utf-8"))
    return Printed(register, tuple(records))


def _title(folder: Folder) -> str:
    return folder.paper.title.replace(folder.paper.id, "").replace("实操考试", "").strip() or folder.paper.id


def _final(folder: Folder) -> str:
    decisions = folder.decisions()
    made = f"据复核记录 {decisions.rows} 行 (made from {decisions.rows} review-log row(s))"
    signed = decisions.signed_off
    if signed is not None:
        return f"已签署定稿 Signed off as final: {signed.examiner}, {signed.at} (#{signed.seq}) · {made}"
    return f"未定稿 Not signed off yet · {made}"


def _view(result: CandidateResult, places: int) -> dict[str, Any]:
    decided = result.decided()
    absent = result.status == ABSENT
    return {
        "user": result.user, "name": result.name, "candidate_no": result.candidate_no,
        "status_label": STATUS_LABELS.get(result.status, result.status),
        "verdict": "缺考 absent" if absent else ("合格 pass" if result.passed else "不合格 fail"),
        "total": "—" if absent else display(result.total, places),
        "units": [{"id": u.id, "title": u.title, "title_en": u.title_en, "maximum": display(u.maximum, 0),
                   "points": "—" if absent else display(u.points, places)} for u in result.units],
        "overrides": [{"id": c.id, "automatic": display(c.automatic or 0, places),
                       "points": display(c.points, places), "reason": c.override.get("reason", ""),
                       "examiner": c.override.get("examiner", "")}
                      for u in result.units for c in u.criteria if c.override is not None],
        "flags": [{"name": labelled(f.code) + (f" ({f.unit})" if f.unit else ""), "reason": _reason(f.reason),
                   "decision": f"已决 decided #{decided[f.key()].seq}" if f.key() in decided else "未决 open"}
                  for f in result.flags],
        "decisions": [{"seq": d.seq, "reason": d.reason, "examiner": d.examiner, "at": d.at,
                       "what": _what(d)} for d in result.decisions],
    }


def _reason(reason: str) -> str:
    """A flag's reason Chinese first, as the other reports show it; the English after, for QA."""
    chinese = zh(reason)
    return chinese if chinese == reason else f"{chinese} / {reason}"


def _what(decision: Decision) -> str:
    if decision.kind == "confirm":
        return "确认 confirm"
    if decision.kind == "amend":
        said = f"{decision.expected} → " if decision.expected else ""
        return (f"修正答案 key amendment {decision.criterion} ({said}{decision.found}, "
                f"{fraction_text(decision.points or 0)} each)")
    return f"改分 override {decision.criterion} → {fraction_text(decision.points or 0)}"


def _assets() -> dict[str, Any]:
    from markupsafe import Markup

    from grader.report.html import _csp_hash, environment

    css = environment().loader.get_source(environment(), "print.css")[0]
    policy = f"default-src 'none'; style-src '{_csp_hash(css)}'; base-uri 'none'; form-action 'none'"
    return {"css": Markup(css), "policy": policy}
