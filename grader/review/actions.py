"""Review decisions on a results folder, from the library: confirm, override, sign off.

Each action holds the out folder's lock (no ``grade`` run writes meanwhile), checks what it is
given against the results (a candidate of this disc who sat the exam, a criterion of the paper,
points from 0 to its maximum, an examiner and a reason), appends one row to the review log
(``grader.review.log``) and writes every report again from the cache at once
(``grader.pipeline.rewrite_reports``), then brings the manifest up to date: the result files'
sha256 and the log's. A decision made after a sign-off first appends a ``reopen`` row.

A confirm decides every flag of the candidate still open; an override decides the open flags of
its criterion's unit (they are about that unit's files). Only these two decide a flag. A key
amendment (``amend``) changes points for everyone and decides no flag; ``preview_amendment``
says, before it is saved, which candidates' points it changes and by how much.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import filelock

from grader.errors import ReviewError
from grader.model import ABSENT, NEEDS_REVIEW, UNREADABLE, CandidateResult, fraction_text
from grader.names import find
from grader.outfolder import LOCK, held_disc
from grader.overrides import parse_points
from grader.paper import Paper
from grader.report import json_bytes, write_atomic
from grader.report.candidate_json import candidate_path, read_candidate
from grader.report.manifest import MANIFEST, file_sha256, read_manifest
from grader.report.summary import SummaryRow
from grader.review.decisions import Decisions, load_decisions, matches
from grader.review.log import AMEND, CONFIRM, OVERRIDE, REOPEN, SIGN_OFF, Entry, append, clean, read_log
from grader.score import display

WAITING = (NEEDS_REVIEW, UNREADABLE)  # what keeps a class from being signed off


@dataclass(frozen=True)
class Done:
    """What an action recorded and the class list as the reports now show it."""

    entries: tuple[Entry, ...]  # the rows appended (a reopening, then the decision)
    rows: list[SummaryRow]

    def waiting(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.status in WAITING]


@dataclass(frozen=True)
class Folder:
    """A results folder as review sees it: its paper, its disc's id, its candidates in roster order."""

    out: Path
    paper: Paper
    disc: str
    results: tuple[CandidateResult, ...]

    def candidate(self, typed: str) -> CandidateResult:
        pairs = [(r.user, r.result_id) for r in self.results]
        named = find(" ".join(typed.split()), pairs)
        if not named:
            raise ReviewError(f"{typed!r} is not a candidate in {self.out}")
        if len(named) > 1:
            raise ReviewError(f"{typed!r} stands for {len(named)} candidates; give the result id of one: "
                              f"{', '.join(named)}")
        result = next(r for r in self.results if r.result_id == named[0])
        if result.status == ABSENT:
            raise ReviewError(f"{result.result_id} is absent (缺考): there is no work to decide on")
        return result

    def decisions(self) -> Decisions:
        return load_decisions(self.out, self.disc, self.paper.id)


def open_folder(out: str | Path, paper: Paper | None = None) -> Folder:
    """The results folder ``out``, with the paper its run used (``paper`` when given, loaded once
    by a caller that opens the folder again and again); ReviewError when it holds no run, or the
    rubric or key changed since (grade again first)."""
    from grader.paper import load_paper
    from grader.pipeline import RUN_RECORD

    out = Path(out)
    manifest = read_manifest(out)
    rubric = manifest.get("rubric", {})
    location = rubric.get("location")
    if paper is None:
        paper = load_paper(location if location and Path(location).is_file() else manifest.get("paper"))
    if (paper.rubric_sha256, paper.key_sha256) != (rubric.get("sha256"), manifest.get("key", {}).get("sha256")):
        raise ReviewError(f"the rubric or key of paper {paper.id} changed since {out} was graded: grade the disc "
                          f"again first")
    disc = str(held_disc(out).get("id", ""))
    if not disc or disc != manifest.get("disc_identity", {}).get("id"):
        raise ReviewError(f"{out} does not record the disc its results belong to: grade the disc again first")
    import orjson

    try:
        record = orjson.loads((out / ".cache" / RUN_RECORD).read_bytes())
        ids = [c["result_id"] for c in record["candidates"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReviewError(f"{out}: no record of the run to review ({exc}); grade the disc again first") from None
    try:
        results = tuple(read_candidate(candidate_path(out, rid)) for rid in ids)
    except (OSError, ValueError, KeyError) as exc:
        raise ReviewError(f"{out}: a candidate's result cannot be read ({exc}); grade the disc again") from None
    return Folder(out, paper, disc, results)


@contextmanager
def held(out: Path) -> Iterator[None]:
    lock = filelock.FileLock(str(Path(out) / LOCK), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise ReviewError(f"a grade run is writing into {out} ({LOCK} is held): wait for it to finish") from None
    try:
        yield
    finally:
        lock.release()


def confirm(out: str | Path, user: str, examiner: str, reason: str, *, now: dt.datetime | None = None,
            paper: Paper | None = None) -> Done:
    """Confirm every open flag of ``user``: the points stand."""
    with held(Path(out)):
        folder = open_folder(out, paper)
        result = folder.candidate(user)
        open_flags = result.open_flags()
        if not open_flags and result.status != UNREADABLE:
            raise ReviewError(f"{result.result_id} has no open flag to confirm (status {result.status})")
        keys = tuple(f.key() for f in open_flags)
        return _record(folder, CONFIRM, examiner, reason, now, candidate=result.result_id, flags=keys)


def override(out: str | Path, user: str, criterion: str, points: str | Fraction, examiner: str, reason: str,
             *, now: dt.datetime | None = None, paper: Paper | None = None) -> Done:
    """Set ``criterion``'s points for ``user`` (a decimal or a fraction, 0 to the maximum); the open
    flags of the criterion's unit are decided with it."""
    with held(Path(out)):
        folder = open_folder(out, paper)
        result = folder.candidate(user)
        chosen = _criterion(folder, criterion)
        value = _points(points, chosen.id, chosen.points)
        unit = result.criterion(chosen.id).unit
        keys = tuple(f.key() for f in result.open_flags() if f.unit == unit)
        return _record(folder, OVERRIDE, examiner, reason, now, candidate=result.result_id,
                       criterion=chosen.id, points=value, flags=keys)


@dataclass(frozen=True)
class Gain:
    """What an amendment changes for one candidate: the criterion's points and the total."""

    result_id: str
    matches: int
    before: Fraction
    after: Fraction
    total_before: Fraction
    total_after: Fraction


@dataclass(frozen=True)
class Preview:
    criterion: str
    expected: str
    found: str
    credit: Fraction
    gains: tuple[Gain, ...]
    candidates: int  # who sat the exam

    @property
    def points(self) -> Fraction:
        return sum((g.after - g.before for g in self.gains), Fraction(0))

    def lines(self) -> list[str]:
        said = f"{self.expected!r} → " if self.expected else "any key value → "
        head = (f"key amendment 修正答案 {self.criterion}: {said}{self.found!r} accepted, "
                f"{fraction_text(self.credit)} per answer")
        lines = [head]
        for g in self.gains:
            lines.append(f"  {g.result_id}: {self.criterion} {fraction_text(g.before)} → {fraction_text(g.after)} "
                         f"({g.matches}×), total 总分 {display(g.total_before, 2)} → {display(g.total_after, 2)}")
        lines.append(f"{len(self.gains)} of {self.candidates} candidates change 考生分数变化, "
                     f"{fraction_text(self.points)} points in all 合计")
        return lines


def preview_amendment(out: str | Path, criterion: str, found: str, credit: str | Fraction,
                      expected: str = "", *, paper: Paper | None = None) -> Preview:
    """Who gains what if the amendment were saved; nothing is written."""
    folder = open_folder(out, paper)
    return _preview(folder, *_amendment(folder, criterion, found, credit, expected))


def amend(out: str | Path, criterion: str, found: str, credit: str | Fraction, examiner: str, reason: str,
          *, expected: str = "", now: dt.datetime | None = None, paper: Paper | None = None) -> Done:
    """Accept ``found`` under ``criterion`` for everyone (where the key said ``expected``, when
    given), each such answer earning ``credit``; logged, and every report written again."""
    with held(Path(out)):
        folder = open_folder(out, paper)
        chosen, value, expected, found = _amendment(folder, criterion, found, credit, expected)
        return _record(folder, AMEND, examiner, reason, now, criterion=chosen, points=value, expected=expected,
                       found=found)


def _amendment(folder: Folder, criterion: str, found: str, credit: str | Fraction, expected: str
               ) -> tuple[str, Fraction, str, str]:
    chosen = _criterion(folder, criterion)
    value = _points(credit, chosen.id, chosen.points)
    if value == 0:
        raise ReviewError("an amendment's credit per answer must be more than 0")
    found = clean(found, "found", 500)
    expected = clean(expected, "expected", 500) if expected.strip() else ""
    return chosen.id, value, expected, found


def _preview(folder: Folder, criterion: str, credit: Fraction, expected: str, found: str) -> Preview:
    entry = Entry(0, "", folder.disc, folder.paper.id, AMEND, "", "", "", criterion, credit, expected=expected,
                  found=found)
    gains = []
    present = [r for r in folder.results if r.status != ABSENT]
    for result in present:
        if any(d.kind == OVERRIDE and d.criterion == criterion for d in result.decisions):
            continue  # the examiner's own override of the criterion stands
        item = result.criterion(criterion)
        count = matches(item, entry)
        after = min(item.maximum, item.points + credit * count)
        if after != item.points:
            gains.append(Gain(result.result_id, count, item.points, after, result.total,
                              result.total - item.points + after))
    return Preview(criterion, expected, found, credit, tuple(gains), len(present))


def _criterion(folder: Folder, typed: str):
    chosen = {c.id.upper(): c for c in folder.paper.criteria()}.get(" ".join(typed.split()).upper())
    if chosen is None:
        raise ReviewError(f"{typed!r} is not a criterion of paper {folder.paper.id}")
    return chosen


def _points(points: str | Fraction, criterion: str, maximum: Fraction) -> Fraction:
    value = points if isinstance(points, Fraction) else parse_points(str(points))
    if value is None:
        raise ReviewError(f"points {points!r} is not a number (1.5 or 9/4)")
    if not 0 <= value <= maximum:
        raise ReviewError(f"points {fraction_text(value)} outside 0–{fraction_text(maximum)} for {criterion}")
    return value


def sign_off(out: str | Path, examiner: str, reason: str = "", *, now: dt.datetime | None = None,
             paper: Paper | None = None) -> Done:
    """Sign the class off as final; ReviewError naming who still needs review while anyone does."""
    with held(Path(out)):
        folder = open_folder(out, paper)
        waiting = [r.result_id for r in folder.results if r.status in WAITING]
        if waiting:
            raise ReviewError(f"cannot sign off: {len(waiting)} candidate{'s' if len(waiting) > 1 else ''} "
                              f"still need{'' if len(waiting) > 1 else 's'} review 仍需复核: {', '.join(waiting)}")
        if folder.decisions().signed_off is not None:
            raise ReviewError(f"{out} is already signed off")
        return _record(folder, SIGN_OFF, examiner, reason, now)


def _record(folder: Folder, kind: str, examiner: str, reason: str, now: dt.datetime | None,
            **row: Any) -> Done:
    from grader.pipeline import rewrite_reports

    entries = read_log(folder.out)
    facts = {"disc": folder.disc, "paper": folder.paper.id, "now": now}
    added = []
    if kind != SIGN_OFF and folder.decisions().signed_off is not None:
        what = " ".join(part for part in (kind, row.get("candidate", ""), row.get("criterion", "")) if part)
        added.append(append(folder.out, entries, REOPEN, examiner=examiner, reason=f"reopened by: {what}", **facts))
        entries = (*entries, added[-1])
    added.append(append(folder.out, entries, kind, examiner=examiner, reason=reason, **facts, **row))
    rows = rewrite_reports(folder.out, folder.paper)
    refresh_manifest(folder.out, folder.decisions())
    return Done(tuple(added), rows)


def refresh_manifest(out: Path, decisions: Decisions) -> None:
    """The manifest after a decision: the result files as now written, the review log as now."""
    manifest = read_manifest(out)
    results = manifest.get("results") or {}
    manifest["results"] = {name: file_sha256(out / name) for name in sorted(results) if (out / name).is_file()}
    manifest["review"] = decisions.manifest_record()
    write_atomic(out / MANIFEST, json_bytes(manifest))


def queue(out: str | Path) -> list[CandidateResult]:
    """The candidates who need review, in roster order."""
    return [r for r in open_folder(out).results if r.status in WAITING]
