"""Grading beyond one machine: candidates sent to a dask.distributed cluster.

``grade DISC --dask tcp://scheduler:8786`` submits one task per candidate. Each worker loads
the paper once (from the rubric path, which must exist on the worker) and writes the
candidate's cache entry into the reports folder (its JSON and page are written from it after
the similarity stage, by the run), so **the disc and the reports folder must
be at the same paths on every worker** (a shared mount). Results are identical to a local
run: the same function grades each candidate. The per-candidate time limit needs a main
thread and does not apply on Dask's worker threads.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.intake import CandidateEntry
    from grader.paper import Paper
    from grader.pipeline import Graded, Job

_PAPERS: dict[str, Any] = {}


def _task(index: int, entry: CandidateEntry, job: Job, rubric: str) -> Graded:
    from grader.paper import load_paper
    from grader.pipeline import run_job
    from grader.read import load_all

    if rubric not in _PAPERS:  # once per worker process
        load_all()
        _PAPERS[rubric] = load_paper(rubric)
    return run_job(index, entry, job, _PAPERS[rubric])


def run_on_dask(address: Any, numbered: list[tuple[int, CandidateEntry]], job: Job,
                paper: Paper) -> Iterator[Graded]:
    """Yield each candidate's result as the cluster finishes it. ``address`` is a scheduler
    address or an existing ``distributed.Client``/cluster object."""
    from distributed import Client, as_completed

    client = address if isinstance(address, Client) else Client(address)
    try:
        futures = client.map(_task, [i for i, _ in numbered], [e for _, e in numbered], job=job,
                             rubric=str(paper.rubric_path), pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        if client is not address:
            client.close()
