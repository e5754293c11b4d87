"""The ``folder`` deliverable kind: a folder's files, listed, for units whose own reader is not yet written."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.read import reader
from grader.read.submission import NothingFound
from grader.records.folders import Folder

if TYPE_CHECKING:
    from grader.paper import DeliverableSpec
    from grader.read.submission import Located, Submission


@reader("folder")
def read_folder(submission: Submission, spec: DeliverableSpec, located: Located) -> Folder:
    if not located.present:  # a plain folder's files have no names to be known by elsewhere
        raise NothingFound(f"no {spec.name} folder")
    files = tuple(submission.relative(p) for p in submission.files if located.path in p.parents)
    return Folder(located.path, located.relative, files)
