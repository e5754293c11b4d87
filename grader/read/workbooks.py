"""The ``workbook`` deliverable kind: a spreadsheet read into the rubric's sheets."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.read import reader
from grader.read.tables import build_workbook, read_grid
from grader.records.tables import Workbook

if TYPE_CHECKING:
    from grader.paper import DeliverableSpec
    from grader.read.submission import Located, Submission


@reader("workbook")
def read_workbook(submission: Submission, spec: DeliverableSpec, located: Located) -> Workbook:
    data = submission.record(located.path)  # read once: the reader parses these bytes
    warnings: list[str] = []
    grid = read_grid(located.path, submission.limits, warnings, data)
    for warning in warnings:
        submission.flag("formula-without-value", warning, located.path)
    # a .csv is one sheet; build_workbook gives it to the sheet whose headers it holds (convention 5)
    return build_workbook(located.relative, grid, list(spec.sheets))
