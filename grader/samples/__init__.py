"""A deterministic generator of demo discs from a paper's key, with the points each must get.

Any paper: ``anypaper`` makes the perfect candidate from the rubric and key alone and takes the
defects from each check's declared way to fail (``anypaper/failures.py``). The paper the
hand-written modules were written for (``HANDWRITTEN``) has its own: each unit has a module here
(``u1.py``, ``u6.py``, …) with ``UNIT``, ``perfect(key)`` and ``DEFECTS``, a candidate's own words
and defects chosen on that paper's data. The demo disc holds a perfect candidate, then candidates
that each carry the n-th defect of every unit, then the special cases of §1 (empty folder, corrupt
workbook, absent, not on the roster). ``expected.json`` at the disc's root gives every candidate's
points per criterion, status and flag codes; tests grade the disc and compare.

    python -m grader.samples sample_submissions/2026A-demo
"""
from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import shutil
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.errors import OutputError
from grader.model import fraction_text
from grader.outfolder import output_problem
from grader.paper import Paper
from grader.samples import anypaper
from grader.samples.anypaper.layout import SampleError
from grader.samples.drafts import Defect, Drafts

PERFECT_USER = "ks01"
# The paper the hand-written unit modules (u1.py … u8.py: model answers in a candidate's own words and
# defects chosen on that paper's data) were written for; its demo disc is made from them. Every
# other paper's demo is made from its rubric and key alone (``anypaper``).
HANDWRITTEN = "2026A"


def handwritten(paper: Paper) -> bool:
    return paper.id == HANDWRITTEN


def unit_modules() -> list[ModuleType]:
    """The sample module of every unit, in unit order."""
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("u") and info.name[1:].isdigit():
            modules.append(importlib.import_module(f"{__name__}.{info.name}"))
    return sorted(modules, key=lambda m: int(m.UNIT[1:]))


def perfect_drafts(paper: Paper) -> Drafts:
    if not handwritten(paper):
        return anypaper.perfect(paper)
    drafts: Drafts = {}
    for module in unit_modules():
        drafts.update(module.perfect(paper.key))
    return drafts


def full_points(paper: Paper) -> dict[str, Fraction]:
    """What a perfect candidate gets: every criterion's points, 0 where the grader cannot grade yet."""
    return {c.id: (Fraction(0) if c.check == "pending" else c.points) for c in paper.criteria()}


def expected_points(paper: Paper, defects: list[Defect]) -> dict[str, Fraction]:
    points = full_points(paper)
    for defect in defects:
        for criterion, value in defect.expected.items():
            if paper_check(paper, criterion) != "pending":
                points[criterion] = Fraction(value)
    return points


def paper_check(paper: Paper, criterion_id: str) -> str:
    for criterion in paper.criteria():
        if criterion.id == criterion_id:
            return criterion.check
    raise KeyError(f"defect names unknown criterion {criterion_id}")


def candidate_drafts(paper: Paper, defects: list[Defect]) -> Drafts:
    drafts = copy.deepcopy(perfect_drafts(paper))
    for defect in defects:
        try:
            defect.apply(drafts, paper.key)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise SampleError(f"paper {paper.id}: the demo generator cannot apply the defect {defect.name} "
                              f"({type(exc).__name__}: {exc})") from None
    return drafts


def write_candidate(folder: Path, drafts: Drafts) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for draft in drafts.values():
        draft.write(folder)


def defect_rounds(paper: Paper | None = None) -> list[list[Defect]]:
    """Round n holds the n-th defect of every unit that has one (the hand-written paper's without
    ``paper``)."""
    if paper is None or handwritten(paper):
        lists = [module.DEFECTS for module in unit_modules()]
    else:
        lists = list(anypaper.failures(paper).values())
    rounds = max((len(d) for d in lists), default=0)
    return [[d[n] for d in lists if n < len(d)] for n in range(rounds)]


def written_by_sample(folder: Path) -> bool:
    """True when ``folder`` is a demo disc this generator wrote (its expected.json says so)."""
    try:
        document = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and {"paper", "candidates"} <= document.keys()


def write_demo_disc(out: Path | str, paper: Paper) -> dict[str, Any]:
    """Write the demo disc to ``out`` and return what expected.json holds. ``out`` must be new,
    empty, or a demo disc written here before (then it is replaced); anything else is refused,
    so no one's folder is deleted."""
    out = Path(out)
    rounds = defect_rounds(paper)
    for defects in [[], *rounds]:  # a paper the generator cannot make is refused before anything is written
        candidate_drafts(paper, defects)
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out} is a file, not a folder: choose a new or empty folder for the demo disc")
        if out.is_dir() and any(out.iterdir()):
            if not written_by_sample(out):
                raise OutputError(f"{out} is not empty and is not a demo disc written by `grade sample`: "
                                  f"choose a new or empty folder (nothing was changed)")
            shutil.rmtree(out)
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(output_problem(exc)) from None
    has_pending = any(c.check == "pending" for c in paper.criteria())
    base_flags = ["not-graded"] if has_pending else []
    expected: dict[str, Any] = {}
    roster: list[tuple[str, str, str]] = []

    def add(user: str, name: str, points: dict[str, Fraction] | None, flags: list[str], status: str,
            defects: list[str], rostered: bool = True) -> None:
        if rostered:
            roster.append((user, f"{paper.id}{len(roster) + 1:04d}", name))
        expected[user] = {
            "status": status,
            "flags": sorted(set(flags)),
            "defects": defects,
            "criteria": {k: fraction_text(v) for k, v in (points or {}).items()},
        }

    def status_for(flags: list[str]) -> str:
        return "needs-review" if flags else "graded"

    write_candidate(out / PERFECT_USER, candidate_drafts(paper, []))
    add(PERFECT_USER, "满分考生", full_points(paper), base_flags, status_for(base_flags), [])

    for n, defects in enumerate(rounds, start=2):
        user = f"ks{n:02d}"
        write_candidate(out / user, candidate_drafts(paper, defects))
        flags = base_flags + [f for d in defects for f in d.flags]
        add(user, f"考生{n:02d}", expected_points(paper, defects), flags, status_for(flags),
            [f"{d.unit}:{d.name}" for d in defects])

    n = len(rounds) + 2
    empty = f"ks{n:02d}"
    (out / empty).mkdir()
    # only Windows' thumbnail cache, which intake ignores; it also keeps the folder in git
    (out / empty / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0 thumbnail cache")
    zero = {k: Fraction(0) for k in full_points(paper)}
    add(empty, "空文件夹考生", zero, base_flags + ["no-deliverables"], "needs-review", ["empty folder"])

    corrupt = f"ks{n + 1:02d}"
    drafts = candidate_drafts(paper, [])
    write_candidate(out / corrupt, drafts)
    # the last workbook of the paper: no other unit reads it, so only its own unit loses points
    broken_workbook = [k for k, d in drafts.items() if hasattr(d, "sheets")][-1]
    (out / corrupt / drafts[broken_workbook].file_name).write_bytes(b"PK\x03\x04 this is not a workbook")
    points = full_points(paper)
    broken_unit = next(u for u in paper.units if u.deliverable == broken_workbook)
    points.update({c.id: Fraction(0) for c in broken_unit.criteria})
    add(corrupt, "损坏文件考生", points, base_flags + ["unreadable-file"], "needs-review", ["corrupt workbook"])

    absent = f"ks{n + 2:02d}"
    add(absent, "缺考考生", zero, [], "absent", ["absent"])

    stray = f"ks{n + 3:02d}"
    write_candidate(out / stray, candidate_drafts(paper, []))
    add(stray, "", full_points(paper), base_flags + ["not-on-roster"], "needs-review", ["not on roster"],
        rostered=False)

    (out / "roster.csv").write_text(
        "用户名,准考证号,姓名\n" + "".join(f"{u},{no},{name}\n" for u, no, name in roster), encoding="utf-8-sig")
    (out / "exam.toml").write_text(
        f'# Demo disc of paper {paper.id}, written by `grade sample` from the key.\n'
        f'# exam_end is left out: a git checkout does not keep file times (see tests for modified-after-end).\n'
        f'# similarity is off: every demo candidate is made from the same key, so all would match.\n'
        f'paper = "{paper.id}"\ncentre = "示范考点 Demo centre"\nsession = "2026-11-25 上午"\n'
        f'similarity = false\n',
        encoding="utf-8")
    document = {"paper": paper.id, "candidates": expected}
    (out / "expected.json").write_text(json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                                       encoding="utf-8")
    return document
