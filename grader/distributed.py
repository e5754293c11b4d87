"""Grading beyond one machine: candidates sent to a dask.distributed cluster.

``grade DISC --dask tcp://scheduler:8786`` grades every candidate on the cluster's workers:

- the paper and the job (the disc's candidate list included) travel once per worker, in a
  worker plugin registered for the run; each task carries only its candidate's index and
  entry, so the traffic grows with the number of candidates, not with its square;
- on each worker the plugin keeps a supervised pool (``grader.supervise``) of as many processes
  as the worker has threads: the per-candidate time and memory limits hold as they do locally,
  a candidate that passes them is flagged, and no process-wide state of the image library is
  shared between two candidates graded at once;
- each candidate's result goes into the cache in the reports folder as it finishes (an
  interrupted run resumes from there); the client keeps no finished task, and hands out at
  most a few tasks per worker thread at a time.

The disc and the reports folder must be at the same paths on every worker (a shared mount),
so the disc must be a folder: an .iso or .zip would be unpacked where only this machine sees
it, and is refused. A worker's processes must be allowed children: start workers as

    DASK_DISTRIBUTED__WORKER__DAEMON=False dask worker tcp://scheduler:8786 --nthreads 1 --nworkers N

(one thread each: a worker's candidates are graded by its pool's processes, one per thread).
Results are byte-identical to a local run: the same function grades each candidate.
"""
from __future__ import annotations

import itertools
import multiprocessing
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin

from grader.errors import GraderError

if TYPE_CHECKING:
    from grader.intake import CandidateEntry
    from grader.paper import Paper
    from grader.pipeline import Graded, Job

PER_THREAD = 4  # tasks handed to the cluster at once, per worker thread


class ClusterError(GraderError):
    """The cluster cannot grade this run (daemonic workers, no workers, a disc image)."""


class GradingPlugin(WorkerPlugin):
    """The run's paper and job on one worker, with the worker's supervised pool."""

    def __init__(self, name: str, paper: Paper, job: Job, method: str | None = None):
        self.name, self.paper, self.job, self.method = name, paper, job, method
        self.supervisor: Any = None

    def setup(self, worker: Any) -> None:
        from grader.pipeline import _start_worker, _work
        from grader.supervise import Supervisor

        limits = self.job.limits
        self.supervisor = Supervisor(_work, workers=worker.state.nthreads, seconds=limits.candidate_seconds,
                                     max_bytes=limits.max_memory_bytes, initializer=_start_worker,
                                     initargs=(self.paper, self.job), method=self.method)

    def teardown(self, worker: Any) -> None:
        if self.supervisor is not None:
            self.supervisor.close()

    def grade(self, index: int, entry: CandidateEntry) -> Graded:
        from grader.pipeline import stopped_job
        from grader.supervise import Failure

        outcome = self.supervisor.run((index, entry))
        if isinstance(outcome, Failure):
            return stopped_job(index, entry, self.job, self.paper, outcome)
        return outcome


def _task(plugin: str, index: int, entry: CandidateEntry) -> Graded:
    from distributed import get_worker

    return get_worker().plugins[plugin].grade(index, entry)


def _facts() -> dict[str, Any]:
    return {"daemon": multiprocessing.current_process().daemon}


def run_on_dask(address: Any, numbered: list[tuple[int, CandidateEntry]], job: Job, paper: Paper,
                method: str | None = None) -> Iterator[Graded]:
    """Yield each candidate's result as the cluster finishes it. ``address`` is a scheduler
    address or an existing ``distributed.Client``/cluster object."""
    from distributed import Client, as_completed

    client = address if isinstance(address, Client) else Client(address)
    name = f"grader-{uuid.uuid4().hex[:12]}"
    try:
        threads = client.nthreads()
        if not threads:
            raise ClusterError(f"the Dask cluster at {client.scheduler.address} has no worker")
        daemonic = sorted(w for w, facts in client.run(_facts).items() if facts["daemon"])
        if daemonic:
            raise ClusterError(f"Dask workers {', '.join(daemonic[:3])} are daemonic processes, which may not "
                               f"start the processes that grade candidates: start them with "
                               f"DASK_DISTRIBUTED__WORKER__DAEMON=False")
        client.register_plugin(GradingPlugin(name, paper, job, method), name=name)
        pending = iter(numbered)
        running = as_completed()

        def hand_out(count: int) -> None:
            for index, entry in itertools.islice(pending, count):
                running.add(client.submit(_task, name, index, entry, pure=False, key=f"{name}-{index}"))

        hand_out(PER_THREAD * sum(threads.values()))
        for future in running:
            graded = future.result()
            future.release()  # the result is in the cache; the cluster need not keep it
            hand_out(1)
            yield graded
    finally:
        try:
            client.unregister_worker_plugin(name)
        except Exception:  # noqa: BLE001, S110 - never registered, or the cluster is gone
            pass
        if client is not address:
            client.close()
