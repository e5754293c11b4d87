"""Scoring: run a candidate's criteria on what the read stage read, sum exactly, decide the status.

Each check runs on its own: an exception inside it becomes a ``check-error`` flag and 0
points for that criterion, never a stopped candidate. Points are ``Fraction``s from end to
end; ``display`` rounds once, half up, for people.
"""
from __future__ import annotations

import traceback
from decimal import Decimal
from fractions import Fraction

from grader.checks import REGISTRY, CheckContext
from grader.intake import CandidateEntry
from grader.locale import N_, say
from grader.model import (
    ABSENT,
    GRADED,
    NEEDS_REVIEW,
    READ,
    UNREADABLE,
    UNREADABLE_FILE,
    CandidateResult,
    CriterionResult,
    Evidence,
    Flag,
    Outcome,
    Reading,
    UnitResult,
    round_half_up,
)
from grader.paper import Criterion, Paper, Unit


def display(points: Fraction, places: int = 2) -> Decimal:
    """Round an exact score once, half up, to ``places`` decimals."""
    return round_half_up(points, places)


def missing_evidence(reading: Reading, paper: Paper, unit: Unit) -> Evidence:
    spec = paper.deliverables[unit.deliverable]
    name = spec.names[0]
    if reading.state(unit.deliverable) == UNREADABLE_FILE:
        return Evidence(*say(N_("{name} could not be read"), name=name), file=name, found="unreadable")
    return Evidence(*say(N_("{name} not found in the candidate folder"), name=name), file=name,
                    expected=name, found="(missing)")


def context(criterion: Criterion, unit: Unit, reading: Reading, paper: Paper) -> CheckContext:
    """What the criterion's check is given: its unit's record and those it declared (``uses``,
    ``refers``; the paper resolved both when it loaded)."""
    check = REGISTRY[criterion.check]
    uses = {param: reading.record(criterion.params[param]) for param in check.uses}
    referred = {param: paper.criterion(criterion.params[param]).params for param in check.refers}
    return CheckContext(criterion.id, reading.parsed(unit.deliverable), paper.key, criterion.params, uses,
                        referred, criterion.points, reading.files, paper.typo_min_letters)


def run_criterion(criterion: Criterion, unit: Unit, reading: Reading, paper: Paper,
                  flags: list[Flag]) -> CriterionResult:
    check = REGISTRY[criterion.check]
    title = criterion.title
    if reading.state(unit.deliverable) != READ and not check.without_deliverable:
        evidence = (missing_evidence(reading, paper, unit),)
        return CriterionResult(criterion.id, unit.id, title, Fraction(0), criterion.points, evidence)
    try:
        outcome = check.func(context(criterion, unit, reading, paper))
        if not isinstance(outcome, Outcome):
            raise TypeError(f"check {check.name} returned {type(outcome).__name__}, not Outcome")
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception as exc:  # noqa: BLE001 - a check's failure is this candidate's flag, never the batch's end
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = N_("{criterion} check {check} failed: {error} ({place})").format(
            criterion=criterion.id, check=check.name, error=f"{type(exc).__name__}: {exc}",
            place=f"{where.filename.rsplit('/', 1)[-1]}:{where.lineno}")
        flags.append(Flag("check-error", reason, "", unit.id))
        evidence = (Evidence(*say(N_("the check could not finish; see flags"))),)
        return CriterionResult(criterion.id, unit.id, title, Fraction(0), criterion.points, evidence)
    flags.extend(Flag(f.code, f.reason, f.file, f.unit or unit.id) for f in outcome.flags)
    if check.name == "pending":
        return CriterionResult(criterion.id, unit.id, title, Fraction(0), criterion.points,
                               outcome.evidence, graded=False)
    return CriterionResult(criterion.id, unit.id, title, criterion.points * outcome.share, criterion.points,
                           outcome.evidence)


def grade_reading(entry: CandidateEntry, reading: Reading, paper: Paper) -> CandidateResult:
    """Score a candidate from its reading: every criterion, in the rubric's order."""
    flags: list[Flag] = []
    units = []
    for unit in paper.units:
        criteria = tuple(run_criterion(c, unit, reading, paper, flags) for c in unit.criteria)
        if not all(c.graded for c in criteria):
            flags.append(Flag("not-graded", N_("{unit} is not graded by this version of the grader").format(unit=unit.id),
                              "", unit.id))
        points = sum((c.points for c in criteria), Fraction(0))
        units.append(UnitResult(unit.id, unit.title, unit.title_en, points, unit.weight, criteria))
    flags.extend(reading.flags)
    if not reading.files:
        flags.append(Flag("no-deliverables", N_("the candidate folder holds no file")))
    return finish(entry, tuple(units), flags, paper, reading)


def finish(entry: CandidateEntry, units: tuple[UnitResult, ...], flags: list[Flag], paper: Paper,
           reading: Reading | None = None) -> CandidateResult:
    total = sum((u.points for u in units), Fraction(0))
    unique = sorted(set(flags) | set(entry.flags), key=Flag.sort_key)
    if entry.folder is None:
        status = ABSENT
    elif reading is not None and reading.files and not any(
            reading.state(u.deliverable) == READ for u in paper.units):
        status = UNREADABLE
    elif unique:
        status = NEEDS_REVIEW
    else:
        status = GRADED
    inputs = reading.inputs if reading is not None else ()
    return CandidateResult(entry.user, entry.candidate_no, entry.name, entry.relative, status, total,
                           total >= paper.pass_mark, units, tuple(unique), inputs, entry.result_id)


def zero_units(paper: Paper, evidence: Evidence) -> tuple[UnitResult, ...]:
    """Every unit and criterion at 0 points, each with the same evidence."""
    return tuple(
        UnitResult(u.id, u.title, u.title_en, Fraction(0), u.weight,
                   tuple(CriterionResult(c.id, u.id, c.title, Fraction(0), c.points, (evidence,))
                         for c in u.criteria))
        for u in paper.units)


def absent_result(entry: CandidateEntry, paper: Paper) -> CandidateResult:
    return finish(entry, zero_units(paper, Evidence(*say(N_("absent")))), [], paper)


def stopped_result(entry: CandidateEntry, paper: Paper, flag: Flag,
                   reading: Reading | None = None) -> CandidateResult:
    """A candidate whose grading was stopped (time or memory limit, a dead worker, a grader bug):
    0 points everywhere, the flag saying why, and whatever the reading had flagged before."""
    evidence = Evidence(*say(N_("not graded: grading was stopped ({code}); see flags"), code=flag.code))
    flags = [flag] + (list(reading.flags) if reading is not None else [])
    return finish(entry, zero_units(paper, evidence), flags, paper, reading)
