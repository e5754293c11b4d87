"""The review log as it applies to one disc and paper: each candidate's decisions and status.

An override replaces its criterion's points exactly as an overrides-file row does (the
automatic value kept); a confirm changes no points. A key amendment applies to every candidate:
each deduction of its criterion whose found value equals the answer it accepts (and whose
expected value equals the key value it names, when it names one; "equal" as the paper's
convention 3) earns its credit back, the criterion capped at its maximum; it shows as an
override of the criterion, and an examiner's own override of the criterion for the candidate
still replaces it. It is judged on the evidence cached with each result, so the credit is the
examiner's: one per matching deduction (the amendment's preview says who gains what). A candidate is ``reviewed`` when an
examiner decided every one of its flags (an unreadable candidate needs at least one decision);
the flags stay, each with the decision that decided it. A flag raised after the decision (a
regrade found something new) is open again: the candidate needs review.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from grader.model import ABSENT, NEEDS_REVIEW, REVIEWED, UNREADABLE, CandidateResult, Decision
from grader.overrides import Override, apply_overrides
from grader.review.log import AMEND, CONFIRM, OVERRIDE, REOPEN, SIGN_OFF, Entry, log_sha256, read_log
from grader.values import equal_text

DECIDING = (CONFIRM, OVERRIDE)


@dataclass(frozen=True)
class Decisions:
    """The rows of the log made for this disc and paper, and what the log file is now."""

    entries: tuple[Entry, ...] = ()
    sha256: str = ""  # of the whole log file (every disc's rows)
    rows: int = 0  # in the whole log

    def for_candidate(self, result_id: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind in DECIDING and e.candidate == result_id)

    def apply(self, result: CandidateResult, pass_mark: Fraction) -> CandidateResult:
        """The result with the key amendments and this candidate's overrides in place and its
        decisions attached."""
        mine = self.for_candidate(result.result_id)
        amended = amendments(result, self.entries)
        if not mine and not amended:
            return result
        shown = apply_overrides(result, amended.values(), pass_mark)
        overrides = [Override(e.seq, e.candidate, e.criterion, e.points,  # type: ignore[arg-type]
                              e.reason, e.examiner) for e in mine if e.kind == OVERRIDE]
        shown = apply_overrides(shown, overrides, pass_mark)
        touching = {e.seq for e in self.entries if e.kind == AMEND and e.criterion in amended}
        used = sorted((e for e in self.entries if e in mine or e.seq in touching), key=lambda e: e.seq)
        shown = replace(shown, decisions=tuple(
            Decision(e.seq, e.kind, e.examiner, e.reason, e.at, e.criterion, e.points, e.flags, e.expected, e.found)
            for e in used))
        if mine and shown.status in (NEEDS_REVIEW, UNREADABLE) and not shown.open_flags():
            shown = replace(shown, status=REVIEWED)
        return shown

    @property
    def signed_off(self) -> Entry | None:
        """The sign-off in force: the last one, unless a decision or a reopening came after it."""
        for entry in reversed(self.entries):
            if entry.kind == SIGN_OFF:
                return entry
            if entry.kind in (*DECIDING, REOPEN):
                return None
        return None

    def manifest_record(self) -> dict[str, Any] | None:
        if not self.sha256:
            return None
        signed = self.signed_off
        return {"path": "review-log.jsonl", "sha256": self.sha256, "rows": self.rows,
                "rows_applied": len(self.entries),
                "signed_off": None if signed is None else {"examiner": signed.examiner, "at": signed.at,
                                                           "seq": signed.seq}}


def matches(criterion, entry: Entry) -> int:
    """How many of the criterion's deductions the amendment ``entry`` accepts."""
    found = equal_text(entry.found)
    expected = equal_text(entry.expected) if entry.expected else None
    return sum(1 for e in criterion.evidence if not e.ok and equal_text(e.found) == found
               and (expected is None or equal_text(e.expected) == expected))


def amendments(result: CandidateResult, entries: tuple[Entry, ...]) -> dict[str, Override]:
    """The criteria the key amendments change for this candidate, each as an override."""
    if result.status == ABSENT:
        return {}
    changed: dict[str, Override] = {}
    for entry in entries:
        if entry.kind != AMEND:
            continue
        criterion = result.criterion(entry.criterion)
        count = matches(criterion, entry)
        if not count:
            continue
        before = changed[entry.criterion].points if entry.criterion in changed else criterion.points
        points = min(criterion.maximum, before + entry.points * count)  # type: ignore[operator]
        said = f"{entry.expected} → " if entry.expected else ""
        reason = f"key amendment #{entry.seq} ({said}{entry.found}, {count}×): {entry.reason}"
        changed[entry.criterion] = Override(entry.seq, result.result_id, entry.criterion, points, reason,
                                            entry.examiner)
    return changed


def load_decisions(out: Path, disc: str, paper: str) -> Decisions:
    """The decisions of ``out``'s log for the disc ``disc`` (its identity id) and ``paper``."""
    entries = read_log(out)
    return Decisions(tuple(e for e in entries if e.disc == disc and e.paper == paper), log_sha256(out),
                     len(entries))
