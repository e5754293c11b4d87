"""The run: intake → (per candidate, in a process pool) read → check → score → report.

Each candidate is graded on its own; whatever goes wrong inside becomes a flag on that
candidate. Results are streamed to ``candidates/<user>.json`` as they arrive; the summary
is built from small rows, so memory does not grow with the size of the disc.
"""
from __future__ import annotations

import hashlib
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from grader.errors import DiscError
from grader.intake import CandidateEntry, Disc, scan_disc
from grader.model import ABSENT, GRADED, NEEDS_REVIEW, UNREADABLE, CandidateResult, Flag
from grader.paper import Paper, load_paper
from grader.read import load_all as load_readers
from grader.read.submission import Submission
from grader.report.candidate_json import write_candidate
from grader.report.manifest import write_manifest
from grader.report.summary import SummaryRow, write_csv, write_xlsx
from grader.score import absent_result, finish, grade_submission

Progress = Callable[[int, int, str], None]


@dataclass
class Run:
    """What a run produced: where the reports are and the class's figures."""

    out: Path
    paper: Paper
    rows: list[SummaryRow]
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in (GRADED, NEEDS_REVIEW, UNREADABLE, ABSENT)}

    @property
    def present(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.status != ABSENT]

    @property
    def mean(self) -> Fraction | None:
        present = self.present
        if not present:
            return None
        return sum((r.total for r in present), Fraction(0)) / len(present)

    @property
    def pass_rate(self) -> Fraction | None:
        present = self.present
        if not present:
            return None
        return Fraction(sum(1 for r in present if r.passed), len(present))


def default_out(disc: Path) -> Path:
    return Path("reports") / (disc.resolve().name or "disc")


def deliverable_names(paper: Paper) -> list[str]:
    return [n for spec in paper.deliverables.values() for n in spec.names]


def grade_candidate(entry: CandidateEntry, disc: Disc, paper: Paper) -> CandidateResult:
    """Grade one candidate; never raises for anything inside the candidate's files."""
    if entry.folder is None:
        return absent_result(entry, paper)
    submission = None
    try:
        submission = Submission(entry.folder, paper, disc_root=disc.root, exam_end=disc.exam_end)
        if disc.has_roster and not entry.rostered:
            submission.flag("not-on-roster", "folder graded, but the user is not on the roster")
        return grade_submission(entry, submission, paper)
    except Exception as exc:  # the last wall: a reader or scorer bug must not cost other candidates
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = f"grading stopped: {type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        flags = [Flag("grader-error", reason)] + (submission.flags if submission else [])
        return finish(entry, absent_result(entry, paper).units, flags, paper, submission)


# ---------------------------------------------------------------- workers

_WORKER: dict[str, Any] = {}


def _init_worker(rubric: str, disc: Disc) -> None:
    _WORKER["paper"] = load_paper(rubric)
    _WORKER["disc"] = disc
    load_readers()


def _work(index: int, entry: CandidateEntry) -> tuple[int, CandidateResult]:
    return index, grade_candidate(entry, _WORKER["disc"], _WORKER["paper"])


def _results(entries: list[CandidateEntry], disc: Disc, paper: Paper,
             jobs: int) -> Iterator[tuple[int, CandidateResult]]:
    present = [(i, e) for i, e in enumerate(entries) if e.folder is not None]
    for i, e in enumerate(entries):
        if e.folder is None:
            yield i, absent_result(e, paper)
    if jobs <= 1 or len(present) <= 1:
        for i, e in present:
            yield i, grade_candidate(e, disc, paper)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(str(paper.rubric_path), disc)) as pool:
        chunk = max(1, min(16, len(present) // (jobs * 8) or 1))
        yield from pool.map(_work, [i for i, _ in present], [e for _, e in present], chunksize=chunk)


def grade_disc(disc_path: str | Path, paper: Paper | str | Path = "2026A", out: str | Path | None = None,
               *, jobs: int | None = None, only: Iterable[str] | None = None,
               progress: Progress | None = None) -> Run:
    """Grade every candidate of a disc and write the reports; return the run's figures."""
    if not isinstance(paper, Paper):
        paper = load_paper(paper)
    load_readers()
    disc_path = Path(disc_path)
    disc = scan_disc(disc_path, deliverable_names(paper))
    out = Path(out) if out is not None else default_out(disc_path)
    _refuse_out_inside(out, disc.root)
    entries = disc.candidates
    if only:
        wanted = {u.strip().casefold() for u in only if u.strip()}
        entries = [e for e in entries if e.user.casefold() in wanted]
        if not entries:
            raise DiscError(f"none of {', '.join(sorted(wanted))} is a candidate on {disc_path}")
    jobs = jobs or os.cpu_count() or 1
    out.mkdir(parents=True, exist_ok=True)

    rows: list[SummaryRow | None] = [None] * len(entries)
    inputs: dict[str, dict[str, Any]] = {}
    for path in disc.inputs:
        data = path.read_bytes()
        inputs[disc.relative(path)] = {"path": disc.relative(path), "sha256": hashlib.sha256(data).hexdigest(),
                                       "size": len(data)}
    for done, (index, result) in enumerate(_results(entries, disc, paper, jobs), start=1):
        write_candidate(out, result, paper.places)
        rows[index] = SummaryRow.of(result)
        for item in result.inputs:
            inputs[item["path"]] = item
        if progress:
            progress(done, len(entries), result.user)
    final = [r for r in rows if r is not None]
    run = Run(out, paper, final, inputs)
    write_csv(out / "summary.csv", final, paper)
    write_xlsx(out / "summary.xlsx", final, paper)
    write_manifest(out, paper, disc_path, inputs)
    return run


def _refuse_out_inside(out: Path, disc_root: Path) -> None:
    out_abs, disc_abs = out.resolve(), disc_root.resolve()
    if out_abs == disc_abs or disc_abs in out_abs.parents:
        raise DiscError(f"the reports folder {out} is inside the disc; the disc is only ever read")
