"""The review log as it applies to one disc and paper: each candidate's decisions and status.

An override replaces its criterion's points exactly as an overrides-file row does (the
automatic value kept); a confirm changes no points. A candidate is ``reviewed`` when an
examiner decided every one of its flags (an unreadable candidate needs at least one decision);
the flags stay, each with the decision that decided it. A flag raised after the decision (a
regrade found something new) is open again: the candidate needs review.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from grader.model import NEEDS_REVIEW, REVIEWED, UNREADABLE, CandidateResult, Decision
from grader.overrides import Override, apply_overrides
from grader.review.log import CONFIRM, OVERRIDE, REOPEN, SIGN_OFF, Entry, log_sha256, read_log

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
        """The result with this candidate's overrides in place and its decisions attached."""
        mine = self.for_candidate(result.result_id)
        if not mine:
            return result
        overrides = [Override(e.seq, e.candidate, e.criterion, e.points,  # type: ignore[arg-type]
                              e.reason, e.examiner) for e in mine if e.kind == OVERRIDE]
        shown = apply_overrides(result, overrides, pass_mark)
        decisions = tuple(Decision(e.seq, e.kind, e.examiner, e.reason, e.at, e.criterion, e.points, e.flags)
                          for e in mine)
        shown = replace(shown, decisions=decisions)
        if shown.status in (NEEDS_REVIEW, UNREADABLE) and not shown.open_flags():
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


def load_decisions(out: Path, disc: str, paper: str) -> Decisions:
    """The decisions of ``out``'s log for the disc ``disc`` (its identity id) and ``paper``."""
    entries = read_log(out)
    return Decisions(tuple(e for e in entries if e.disc == disc and e.paper == paper), log_sha256(out),
                     len(entries))
