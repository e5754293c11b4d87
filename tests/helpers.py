"""Building small discs for tests from the sample generator's drafts."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from grader.samples import candidate_drafts, write_candidate

CORE = ("u1_accounts", "u6_orders")


def make_candidate(folder: Path, paper, defects=(), only=CORE, edit=None) -> dict:
    """Write a candidate's deliverables (by default units 1 and 6 only) and return the drafts."""
    drafts = candidate_drafts(paper, list(defects))
    if only is not None:
        drafts = {k: v for k, v in drafts.items() if k in only}
    if edit:
        edit(drafts)
    write_candidate(folder, drafts)
    return drafts


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 and mtime of every file and the list of every folder, to prove a tree was not touched."""
    state = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file():
            state[rel] = hashlib.sha256(path.read_bytes()).hexdigest() + f" {path.stat().st_mtime_ns}"
        else:
            state[rel] = "dir"
    return state


def result(out: Path, user: str) -> dict:
    return json.loads((out / "candidates" / f"{user}.json").read_text(encoding="utf-8"))


def points(out: Path, user: str) -> dict[str, str]:
    data = result(out, user)
    return {c["id"]: c["points"] for u in data["units"] for c in u["criteria"]}


def unit_points(out: Path, user: str) -> dict[str, str]:
    return {u["id"]: u["points"] for u in result(out, user)["units"]}


def flag_codes(out: Path, user: str) -> list[str]:
    return sorted({f["code"] for f in result(out, user)["flags"]})


def run_check(paper, criterion_id: str, deliverable, key=None, submission=None):
    """(points, outcome) of one criterion of the paper on an already parsed deliverable."""
    from grader.checks import REGISTRY, CheckContext

    criterion = next(c for c in paper.criteria() if c.id == criterion_id)
    context = CheckContext(criterion.id, deliverable, key or paper.key, criterion.params, submission)
    outcome = REGISTRY[criterion.check].func(context)
    return criterion.points * outcome.share, outcome


def failing(outcome) -> list:
    """The evidence items that cost points."""
    return [e for e in outcome.evidence if not e.ok]
