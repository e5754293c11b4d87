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


def grade_small_disc(disc: Path, paper, tmp_path: Path, *, similarity: bool = True, **kw):
    """(out, run) of grading ``disc`` with jobs=1 into ``tmp_path/out``; with ``similarity=False``
    the similarity stage is turned off by an exam.toml (when the disc has none), for small classes
    that hand in identical files."""
    from grader.pipeline import grade_disc

    if not similarity and not (disc / "exam.toml").exists():
        (disc / "exam.toml").write_text("similarity = false\n", encoding="utf-8")
    out = tmp_path / "out"
    return out, grade_disc(disc, paper, out, jobs=1, **kw)


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


def reading_of(paper, parsed: dict | None = None, files=()):
    """A Reading as the read stage would leave it: ``parsed`` deliverables read, the others
    missing; ``files`` the folder's listing."""
    from grader.model import MISSING, READ, FileRecord, Reading

    parsed = parsed or {}
    return Reading(tuple(FileRecord(name, tuple(spec.names), READ if parsed.get(name) is not None else MISSING,
                                    parsed=parsed.get(name))
                         for name, spec in paper.deliverables.items()), tuple(files))


def check_context(paper, criterion_id: str, deliverable, key=None, reading=None):
    """The context the scoring gives the criterion's check, with ``deliverable`` as its unit's
    record and the other records from ``reading`` (by default: none read)."""
    import dataclasses

    from grader.score import context

    criterion = paper.criterion(criterion_id)
    unit = next(u for u in paper.units if criterion in u.criteria)
    ctx = context(criterion, unit, reading or reading_of(paper), paper)
    return dataclasses.replace(ctx, deliverable=deliverable, key=key or paper.key)


def run_check(paper, criterion_id: str, deliverable, key=None, reading=None):
    """(points, outcome) of one criterion of the paper on an already parsed deliverable."""
    from grader.checks import REGISTRY

    criterion = paper.criterion(criterion_id)
    outcome = REGISTRY[criterion.check].func(check_context(paper, criterion_id, deliverable, key, reading))
    return criterion.points * outcome.share, outcome


def failing(outcome) -> list:
    """The evidence items that cost points."""
    return [e for e in outcome.evidence if not e.ok]


def workbook_of(paper, deliverable: str, sheets: dict[str, list[list]], file: str = ""):
    """A deliverable's sheets (title → rows, header first) as the sheet reader makes them of a
    file: sheets, headers and fields found by the rubric's aliases, each value with its cell."""
    import datetime as dt

    from grader.read.tables import build_workbook

    grid = [(title, [[(v, isinstance(v, dt.date)) for v in row] for row in rows]) for title, rows in sheets.items()]
    return build_workbook(file or f"{deliverable}.xlsx", grid, list(paper.deliverables[deliverable].sheets))


def grade_sheets(paper, criterion_id: str, sheets: dict[str, list[list]], key=None, file: str = ""):
    """(points, outcome) of one criterion on its unit's workbook given as sheets of rows."""
    unit = next(u for u in paper.units if any(c.id == criterion_id for c in u.criteria))
    return run_check(paper, criterion_id, workbook_of(paper, unit.deliverable, sheets, file), key)


def sheet_points(paper, criterion_id: str, sheets: dict[str, list[list]], key=None, file: str = ""):
    """The points of one criterion on its unit's workbook given as sheets of rows."""
    return grade_sheets(paper, criterion_id, sheets, key, file)[0]


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file by ``new``; ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
