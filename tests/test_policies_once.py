"""Shared constants and policies are written once in the grader's source: the Han-character
pattern, the pixel cap, the half-up display rounding and the similarity defaults. A second copy
is how a rule drifts (unit 4's Han pattern once lacked the supplementary planes)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

GRADER = Path(__file__).resolve().parent.parent / "grader"
POLICIES = {  # what is written once → the modules allowed to write it
    "the Han range": (r"\\u4e00-\\u9fff", {"text.py", "names.py"}),  # names.py: which names a file name keeps
    "the pixel cap": (r"100_?000_?000\b", {"limits.py"}),
    # freight.py: a rate table's money; values.py: Excel's General format as a cell shows;
    # samples/anypaper/units.py: the demo generator's prices, cut down or half up as a defect needs
    "half-up rounding": (r"ROUND_HALF_UP", {"model.py", "freight.py", "values.py", "samples/anypaper/units.py"}),
    "the similarity defaults": (r"text_threshold\W+90\b|image_distance\W+4\b|common_share\W+0\.5\b", {"paper.py"}),
}


@pytest.mark.parametrize("policy", POLICIES)
def test_a_shared_policy_is_written_once(policy):
    pattern, allowed = POLICIES[policy]
    found = {p.relative_to(GRADER).as_posix() for p in GRADER.rglob("*.py")
             if re.search(pattern, p.read_text(encoding="utf-8"))}
    assert found <= allowed, f"{policy} is written again in {sorted(found - allowed)}"
    assert found, f"{policy} is nowhere: the test looks for the wrong thing"
