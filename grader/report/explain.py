"""``grade explain OUT USER [CRITERION]``: why a candidate got their points, as terminal text.

USER is a user name or a result id (the stem of the candidate's files). Reads
``candidates/<result id>.json`` of a results folder and nothing else (no regrading): every
criterion with its points and maximum and, where points were lost, the evidence that cost
them (file, sheet, cell, expected, found); overrides with the automatic value, reason and
examiner; the flags. Given a criterion (``U3-02``) or a unit (``U3``), only that part is
shown, with all of its evidence.
"""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from grader.errors import GraderError
from grader.flags import labelled
from grader.locale import zh
from grader.model import STATUS_LABELS
from grader.names import find
from grader.score import display

INDENT = "    "


def find_result(out: Path, user: str) -> Path:
    """The candidate's JSON file in ``out``, named by its user name (in any case) or its result id;
    GraderError when none or several candidates answer to the name."""
    folder = Path(out) / "candidates"
    if not folder.is_dir():
        raise GraderError(f"{out} holds no candidates/ folder: not a results folder "
                          f"(run `grade DISC --out {out}` first)")
    files = {p.stem: p for p in sorted(folder.glob("*.json"))}
    if user in files:
        return files[user]
    named = find(user, [(_user_of(path), stem) for stem, path in files.items()])
    if len(named) == 1:
        return files[named[0]]
    if named:
        raise GraderError(f"{user!r} stands for {len(named)} candidates in {folder}; give a result id: "
                          f"{', '.join(named)}")
    known = ", ".join(list(files)[:12]) + (", …" if len(files) > 12 else "")
    raise GraderError(f"no result for {user!r} in {folder} (candidates: {known or 'none'})")


def _user_of(path: Path) -> str:
    try:
        return str(json.loads(path.read_text(encoding="utf-8")).get("user", ""))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return ""


def load_document(out: Path, user: str) -> dict[str, Any]:
    path = find_result(out, user)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GraderError(f"{path}: cannot be read ({exc})") from None


def explain(out: Path | str, user: str, part: str | None = None) -> str:
    """The explanation as lines of text; GraderError when the user or the part is unknown."""
    data = load_document(Path(out), user)
    units = data.get("units", [])
    wanted = part.strip().upper() if part else None
    if wanted and not any(u["id"].upper() == wanted or any(c["id"].upper() == wanted for c in u["criteria"])
                          for u in units):
        ids = ", ".join(c["id"] for u in units for c in u["criteria"])
        raise GraderError(f"{part!r} is neither a unit nor a criterion of {data['user']}'s results ({ids})")
    one_criterion = wanted is not None and not any(u["id"].upper() == wanted for u in units)
    lines = [_heading(data)]
    for unit in units:
        whole_unit = wanted is None or unit["id"].upper() == wanted
        criteria = [c for c in unit["criteria"] if whole_unit or c["id"].upper() == wanted]
        if not criteria:
            continue
        lines.append("")
        lines.append(f"{unit['id']} {unit['title']} {unit['title_en']}: "
                     f"{_shown(unit, 'points')} / {unit['maximum']}")
        for criterion in criteria:
            lines.extend(_criterion(criterion, every=one_criterion))
    flags = [f for f in data.get("flags", []) if wanted is None or _concerns(f, wanted)]
    if flags:
        lines.append("")
        lines.append("标记 flags (points unchanged, for review):")
        for flag in flags:
            where = " ".join(x for x in (flag.get("unit", ""), flag.get("file", "")) if x)
            decided = flag.get("decision")
            state = f" — decided 已决 #{decided}" if decided else (" — open 未决" if "decision" in flag else "")
            reason_zh = flag.get("reason_zh") or zh(flag["reason"])
            reason = reason_zh if reason_zh == flag["reason"] else f"{reason_zh} / {flag['reason']}"
            lines.append(f"{INDENT}{labelled(flag['code'])}" + (f" [{where}]" if where else "")
                         + f": {reason}{state}")
    decisions = data.get("decisions", [])
    if decisions and wanted is None:
        lines.append("")
        lines.append("复核决定 review decisions (review-log.jsonl):")
        for d in decisions:
            lines.append(f"{INDENT}{_decision(d)}")
    return "\n".join(lines)


def _decision(d: dict[str, Any]) -> str:
    """One review decision as a line: its log row, what it did, who, when and why."""
    if d["kind"] == "amend":
        said = f"{d['expected']} → " if d.get("expected") else ""
        what = f"修正答案 key amendment {d['criterion']} ({said}{d['found']}, {d['points']} each)"
    else:
        what = "确认 confirm" if d["kind"] == "confirm" else f"改分 override {d['criterion']} → {d['points']}"
    flags = len(d.get("flags", []))
    decided = f", {flags} flag{'s' if flags != 1 else ''} decided 已决" if flags else ""
    return f"#{d['seq']} {what}{decided} — {d['reason']} (考评员 examiner {d['examiner']}, {d['at']})"


def _heading(data: dict[str, Any]) -> str:
    name = f" {data['name']}" if data.get("name") else ""
    number = f" ({data['candidate_no']})" if data.get("candidate_no") else ""
    verdict = "合格 pass" if data.get("passed") else "不合格 fail"
    status = STATUS_LABELS.get(data.get("status", ""), data.get("status", ""))
    return f"{data['user']}{name}{number}: 总分 total {_shown(data, 'total')} / 100, {verdict}, {status}"


def _criterion(criterion: dict[str, Any], every: bool) -> list[str]:
    points, maximum = criterion["points"], criterion["maximum"]
    lost = criterion.get("graded", True) and Fraction(points) < Fraction(maximum)
    if not criterion.get("graded", True) and "override" not in criterion:
        state = "not graded 未评分"
    else:
        state = f"{_shown(criterion, 'points')} / {maximum}" + (f"  lost 扣 {_lost(criterion)}" if lost else "")
    lines = [f"  {criterion['id']:<7} {state}   {criterion['title']}"]
    override = criterion.get("override")
    if override:
        lines.append(f"{INDENT}人工改分 override: automatic 自动 {_decimal(criterion, criterion.get('automatic', '0'))}"
                     f" → {_shown(criterion, 'points')} — {override['reason']} (examiner 阅卷人 {override['examiner']})")
    shown = criterion.get("evidence", []) if every else [e for e in criterion.get("evidence", []) if not e["ok"]]
    if lost and not shown:
        shown = criterion.get("evidence", [])
    if lost or every:
        for item in shown:
            lines.extend(_evidence(item))
    return lines


def _evidence(item: dict[str, Any]) -> list[str]:
    mark = "✓" if item.get("ok") else "✗"
    lines = [f"{INDENT}{mark} {item.get('message', '')}"]
    if item.get("message_zh"):
        lines.append(f"{INDENT}  {item['message_zh']}")
    where = " › ".join(x for x in (item.get("file", ""), item.get("sheet", ""), item.get("cell", "")) if x)
    values = []
    if item.get("expected"):
        values.append(f"expected 应为: {_one_line(item['expected'])}")
    if item.get("found"):
        values.append(f"found 实际: {_one_line(item['found'])}")
    if where or values:
        lines.append(f"{INDENT}  " + "   ".join(x for x in [where, *values] if x))
    return lines


def _concerns(flag: dict[str, Any], wanted: str) -> bool:
    unit = flag.get("unit", "").upper()
    return bool(unit) and (wanted == unit or wanted.startswith(unit + "-"))


def _shown(data: dict[str, Any], name: str) -> str:
    return str(data.get(f"{name}_display", data[name]))


def _lost(criterion: dict[str, Any]) -> str:
    return _decimal(criterion, Fraction(criterion["maximum"]) - Fraction(criterion["points"]))


def _decimal(criterion: dict[str, Any], value: str | Fraction) -> str:
    """Exact points shown to the places the results were displayed with."""
    shown = str(criterion.get("points_display", ""))
    places = len(shown.split(".", 1)[1]) if "." in shown else 0
    return str(display(Fraction(value), places))


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
