"""The supervisor: a task that passes its time or memory limit, or whose worker dies, costs only
itself; the others finish; the same under spawn (Windows) as under fork."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import workers

from grader.supervise import Failure, start_method, supervise

METHODS = [m for m in ("fork", "spawn") if m in __import__("multiprocessing").get_all_start_methods()]


def run(names, method, **limits):
    return {args[0]: outcome for args, outcome in
            supervise([(n,) for n in names], workers.task, workers=2, initializer=workers.start,
                      initargs=("ok",), method=method, **limits)}


@pytest.mark.parametrize("method", METHODS)
def test_every_task_finishes_with_its_own_result(method):
    assert run(["a", "b", "c", "d", "e"], method) == {n: f"ok:{n}" for n in "abcde"}


@pytest.mark.parametrize("method", METHODS)
def test_a_task_over_its_time_limit_is_stopped_and_only_it(method):
    outcomes = run(["a", "slow", "b"], method, seconds=1)
    assert outcomes["a"] == "ok:a" and outcomes["b"] == "ok:b"
    assert outcomes["slow"] == Failure("timeout", "grading took longer than 1 s and was stopped; nothing graded")


@pytest.mark.parametrize("method", METHODS)
def test_a_worker_killed_mid_task_costs_only_that_task(method):
    outcomes = run(["a", "die", "b", "c"], method)
    assert outcomes["die"] == Failure(
        "worker-died", "the worker process grading this candidate was killed (SIGKILL); nothing graded")
    assert [outcomes[n] for n in "abc"] == ["ok:a", "ok:b", "ok:c"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap is Linux's RLIMIT_AS")
@pytest.mark.parametrize("method", METHODS)
def test_a_task_over_the_memory_cap_is_stopped_and_the_worker_goes_on(method):
    outcomes = run(["hog", "a", "b"], method, max_bytes=256 * 1024 * 1024)
    assert outcomes["hog"].code == "memory-limit"
    assert outcomes["hog"].reason.startswith("grading needed more than 256 MiB of memory and was stopped")
    assert outcomes["a"] == "ok:a" and outcomes["b"] == "ok:b"


def test_without_a_cap_the_same_task_may_take_its_memory():
    assert run(["hog"], METHODS[0]) == {"hog": f"ok:{1024 ** 3}"}


def test_an_exception_of_the_task_itself_is_raised_in_the_parent():
    with pytest.raises(ValueError, match="task fail failed"):
        run(["a", "fail"], METHODS[0])


def test_without_fork_the_platform_start_method_is_spawn(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert start_method() == "spawn"
    with pytest.raises(ValueError, match="start method 'fork' is not available here"):
        start_method("fork")


def test_no_posix_only_call_in_the_grader():
    """SIGALRM, setitimer and fork-only pools do not exist on Windows."""
    source = Path(__file__).resolve().parent.parent / "grader"
    offenders = [f"{p.relative_to(source)}: {word}" for p in source.rglob("*.py")
                 for word in ("SIGALRM", "setitimer", "os.fork(", "ProcessPoolExecutor", "signal.alarm")
                 if word in p.read_text(encoding="utf-8")]
    assert offenders == []


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(t) for t in text]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("method", METHODS)
def test_workers_exit_when_the_parent_is_killed(method, tmp_path):
    """The parent dies with SIGKILL while its workers are busy: no worker outlives it."""
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(workers.__file__).parent)!r})
        import workers
        from grader.supervise import supervise
        for _ in supervise([("slow1",), ("slow2",)], workers.task, workers=2, initializer=workers.start,
                           initargs=("ok",), method={method!r}):
            pass
    """), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)])
    deadline = time.monotonic() + 60
    children: list[int] = []
    while time.monotonic() < deadline and len(children) < 2:
        time.sleep(0.2)
        children = [c for c in _children(parent.pid) if _alive(c)]
    # spawn also starts a resource tracker; the workers are the children that are python workers
    assert len(children) >= 2
    time.sleep(1.0)  # both workers are inside their tasks now
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(c) for c in children):
        time.sleep(0.1)
    assert [c for c in children if _alive(c)] == []
