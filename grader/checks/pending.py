"""The placeholder a rubric names for a criterion this version cannot grade yet.

It earns nothing and the scorer marks the unit ``not-graded`` on every candidate, so a
criterion is never silently dropped.
"""
from __future__ import annotations

from fractions import Fraction

from grader.checks import CheckContext, check
from grader.locale import N_, say
from grader.model import Evidence, Outcome


@check("pending", without_deliverable=True)
def pending(ctx: CheckContext) -> Outcome:
    """Not graded by this version: 0 points and the flag ``not-graded``."""
    return Outcome(Fraction(0), (Evidence(*say(N_("not graded by this version of the grader"))),))
