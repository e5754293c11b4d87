"""Supervised workers: every candidate is graded in a worker process the run can stop.

The same on Windows and Linux. A pebble process pool (it kills and replaces a worker whose
task passes its time limit, and reports a worker that died instead of hanging the pool, which
the standard library's pool does not) runs each task with:

- a time limit in wall seconds, counted from when the worker starts the task; over it the
  worker is killed and the task ends as a ``timeout`` failure;
- a memory cap where the operating system gives one (Linux: the worker's address space may
  grow by at most that much past what it holds once started); over it the allocation fails
  with ``MemoryError`` and the task ends as a ``memory-limit`` failure;
- a watch on the parent: a worker whose parent process is gone exits at once, even mid-task.

A worker that dies (the operating system's out-of-memory killer, ``kill -9``, a crash in a
decoder) ends its task as a ``worker-died`` failure; the pool starts a new worker and the run
goes on. The caller turns a failure into that candidate's flagged result. Workers start with
``fork`` where the platform has it (they inherit the loaded paper) and ``spawn`` elsewhere.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import pebble

from grader.locale import N_

MIB = 1024 * 1024
START_GRACE = 120.0  # seconds a worker may take to start (imports, the paper) before the pool is judged stuck
# The pool's per-process state, not the paper's nor the job's: in a worker process, what the
# caller's initializer returned (for grading, the paper and the job it was handed), set once as the
# worker starts and passed to every task as its first argument (``work(state, *args)``). The
# caller's data arrives through ``initargs``, explicitly; this is only where a worker keeps it
# between tasks, because a pool's initializer cannot hand its tasks a value. Sending it with each
# task instead would pickle the paper for every candidate and rebuild its per-process materials
# (``Key.derive(per_process=True)``) each time. The parent process never sets it.
_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class Failure:
    """Why a task has no result of its own: ``timeout``, ``memory-limit`` or ``worker-died``."""

    code: str
    reason: str


class WorkersStuck(RuntimeError):
    """The pool finished nothing for longer than any task may take: its workers cannot start."""


class MemoryLimit(Exception):
    """Raised in a worker when a task passed the memory cap (a picklable stand-in for the
    MemoryError, which may carry an unpicklable array type)."""


def start_method(preferred: str | None = None) -> str:
    """``fork`` on Linux (fast: workers inherit the loaded paper), else ``spawn`` (Windows, macOS)."""
    methods = multiprocessing.get_all_start_methods()
    if preferred:
        if preferred not in methods:
            raise ValueError(f"start method {preferred!r} is not available here (available: {', '.join(methods)})")
        return preferred
    return "fork" if sys.platform.startswith("linux") and "fork" in methods else "spawn"


def _address_space() -> int | None:
    """The process's virtual size in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def cap_memory(max_bytes: int) -> bool:
    """Let this process grow by at most ``max_bytes`` past its size now; False where the
    operating system gives no such cap (Windows, macOS) or ``max_bytes`` is 0."""
    if max_bytes <= 0:
        return False
    try:
        import resource
    except ImportError:  # Windows
        return False
    now = _address_space()
    if now is None:
        return False
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + max_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return True


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns when the parent process is gone, whatever it was doing
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_start(max_bytes: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means
    _exit_with_parent()
    _STATE["state"] = initializer(*initargs) if initializer is not None else None
    # what the worker holds now (the paper, its materials, what a fork inherited) lives as long as
    # the worker: the garbage collector need not walk it again for every task (nor, after a fork,
    # write to the parent's pages it shares)
    gc.freeze()
    cap_memory(max_bytes)


def _call(work: Callable[..., Any], args: tuple) -> Any:
    try:
        return work(_STATE["state"], *args)
    except MemoryError as exc:
        raise MemoryLimit(str(exc) or N_("an allocation failed")) from None


def _describe_death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return N_("the worker process grading this candidate was killed ({signal})").format(signal=name)
    return N_("the worker process grading this candidate ended unexpectedly (exit code {code})").format(code=exitcode)


def supervise(tasks: Iterable[tuple[Any, ...]], work: Callable[..., Any], *, workers: int,
              seconds: float = 0, max_bytes: int = 0, initializer: Callable[..., None] | None = None,
              initargs: tuple = (), method: str | None = None) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Run ``work(state, *args)`` for every ``args`` of ``tasks`` in ``workers`` processes; yield
    ``(args, result)`` as each finishes, where result is ``work``'s value or a ``Failure``.

    ``seconds`` and ``max_bytes`` are each task's limits (0: none). ``state`` is what
    ``initializer(*initargs)`` returned; it runs once in each worker. ``work``, ``initializer``
    and ``initargs`` must be picklable (module-level functions) for the spawn start method. An exception ``work`` raises (other than running out of memory)
    is raised here, after the pool has been stopped.
    """
    context = multiprocessing.get_context(start_method(method))
    pending = iter(tasks)
    window = max(2, workers * 4)  # tasks handed to the pool at once: memory stays flat in N
    pool = pebble.ProcessPool(max_workers=max(1, workers), initializer=_worker_start,
                              initargs=(max_bytes, initializer, initargs), context=context)
    running: dict[Any, tuple[Any, ...]] = {}
    try:
        while True:
            while len(running) < window:
                args = next(pending, None)
                if args is None:
                    break
                running[pool.schedule(_call, args=(work, args), timeout=seconds or None)] = args
            if not running:
                break
            # every task ends within its limit once started, so a pool that finishes nothing for
            # longer than that has workers that cannot start: say so instead of waiting for ever
            done, _ = wait(list(running), timeout=seconds + START_GRACE if seconds else None,
                           return_when=FIRST_COMPLETED)
            if not done:
                raise WorkersStuck(f"no worker finished a candidate in {seconds + START_GRACE:g} s although "
                                   f"each has {seconds:g} s: the worker processes cannot start")
            for future in sorted(done, key=lambda f: str(running[f][0])):
                args = running.pop(future)
                yield args, _outcome(future, seconds, max_bytes)
    except BaseException:
        pool.stop()
        raise
    finally:
        pool.close()
        pool.join()


class Supervisor:
    """A supervised pool kept open for tasks that arrive one at a time, from any thread (a Dask
    worker's task threads): ``run(args)`` blocks until that task ends and returns ``work``'s
    value or a ``Failure``, under the same limits as ``supervise``."""

    def __init__(self, work: Callable[..., Any], *, workers: int, seconds: float = 0, max_bytes: int = 0,
                 initializer: Callable[..., None] | None = None, initargs: tuple = (),
                 method: str | None = None):
        self.work, self.seconds, self.max_bytes = work, seconds, max_bytes
        context = multiprocessing.get_context(start_method(method))
        self._pool = pebble.ProcessPool(max_workers=max(1, workers), initializer=_worker_start,
                                        initargs=(max_bytes, initializer, initargs), context=context)

    def run(self, args: tuple[Any, ...]) -> Any:
        future = self._pool.schedule(_call, args=(self.work, args), timeout=self.seconds or None)
        if self.seconds and not wait([future], timeout=self.seconds + START_GRACE).done:
            future.cancel()
            raise WorkersStuck(f"no worker finished the task in {self.seconds + START_GRACE:g} s although it "
                               f"has {self.seconds:g} s: the worker processes cannot start")
        return _outcome(future, self.seconds, self.max_bytes)

    def close(self) -> None:
        self._pool.stop()
        self._pool.join()


def _outcome(future: Any, seconds: float, max_bytes: int) -> Any:
    try:
        return future.result()
    except FutureTimeout:
        return Failure("timeout", N_("grading took longer than {seconds:g} s and was stopped; nothing graded")
                       .format(seconds=seconds))
    except MemoryLimit as exc:
        return Failure("memory-limit", N_("grading needed more than {size:g} MiB of memory and was stopped "
                                          "({why}); nothing graded").format(size=max_bytes / MIB, why=exc))
    except pebble.ProcessExpired as exc:
        return Failure("worker-died", N_("{why}; nothing graded").format(why=_describe_death(exc.exitcode)))
