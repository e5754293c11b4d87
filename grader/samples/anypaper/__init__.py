"""A demo candidate for any paper, made from its rubric and key alone.

``perfect(paper)`` writes what a careful candidate hands in: every sheet, column and field named
as the rubric's deliverables name them first, every value taken or computed from the key, every
text composed from the key's keywords, facts and phrases within the criteria's parameters.
``failures(paper)`` gives, for every criterion whose check declares a way to fail here
(``failures.py``), a defect with the points the criterion must then get, worked out from the
criterion's points and the key's counts. What cannot be made from a paper (a key section a unit
needs, too few photos) is refused with a one-line ``SampleError``.
"""
from __future__ import annotations

from grader.samples.anypaper.failures import failures
from grader.samples.anypaper.units import perfect

__all__ = ["failures", "perfect"]
