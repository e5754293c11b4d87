"""``candidates/<result id>.json``: every criterion of one candidate with points, maximum, evidence, flags."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.flags import name_zh
from grader.locale import zh
from grader.model import CandidateResult
from grader.report import json_bytes, write_atomic
from grader.score import display


def candidate_document(result: CandidateResult, places: int) -> dict[str, Any]:
    data = result.to_dict()
    data["total_display"] = str(display(result.total, places))
    for unit, unit_data in zip(result.units, data["units"]):
        unit_data["points_display"] = str(display(unit.points, places))
        for criterion, criterion_data in zip(unit.criteria, unit_data["criteria"]):
            criterion_data["points_display"] = str(display(criterion.points, places))
    decided = result.decided()
    for flag, flag_data in zip(result.flags, data["flags"]):
        flag_data["name_zh"] = name_zh(flag.code)
        flag_data["reason_zh"] = zh(flag.reason)
        if result.decisions:  # each flag with the review log's row that decided it (null: still open)
            decision = decided.get(flag.key())
            flag_data["decision"] = decision.seq if decision is not None else None
    return data


def candidate_path(out: Path, result_id: str) -> Path:
    return out / "candidates" / f"{result_id}.json"


def write_candidate(out: Path, result: CandidateResult, places: int) -> Path:
    path = candidate_path(out, result.result_id)
    write_atomic(path, json_bytes(candidate_document(result, places)))
    return path


def unchanged(out: Path, result: CandidateResult, places: int) -> bool:
    """True when ``candidates/<result id>.json`` already holds exactly this result."""
    path = candidate_path(out, result.result_id)
    try:
        return path.read_bytes() == json_bytes(candidate_document(result, places))
    except OSError:
        return False


def read_candidate(path: Path) -> CandidateResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    return CandidateResult.from_dict({k: v for k, v in data.items() if k != "total_display"})


def shared_evidence(out: Path, result_id: str, criterion: str) -> str:
    """What ``candidates/<result_id>.json`` says of the first deduction under ``criterion``,
    Chinese first; "" when it cannot be read."""
    try:
        data = json.loads(candidate_path(out, result_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    for unit in data.get("units", []):
        for item in unit.get("criteria", []):
            if item.get("id") == criterion:
                lost = [e for e in item.get("evidence", []) if not e.get("ok")] or item.get("evidence", [])
                if lost:
                    first = lost[0]
                    return " / ".join(t for t in (first.get("message_zh", ""), first.get("message", "")) if t)
    return ""
