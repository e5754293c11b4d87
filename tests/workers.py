"""Task functions for the supervisor's tests: module-level, so a spawned worker imports them."""
from __future__ import annotations

import os
import signal
import time


def start(label: str) -> str:
    return label


def task(state: str, name: str) -> str:
    """``name`` says what the task does: finish, sleep past any limit, die, eat memory, fail."""
    if name.startswith("slow"):
        time.sleep(120)
    if name.startswith("die"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("hog"):
        block = bytearray(1024 ** 3)  # 1 GiB, past a small cap
        return f"{state}:{len(block)}"
    if name.startswith("fail"):
        raise ValueError(f"task {name} failed")
    if name.startswith("pid"):
        return f"{state}:{os.getpid()}"
    return f"{state}:{name}"


def holds(value, kinds, depth=2) -> bool:
    """Whether ``value``, or what it holds up to ``depth`` containers down, is one of ``kinds``."""
    if isinstance(value, kinds):
        return True
    if depth == 0:
        return False
    if isinstance(value, dict):
        return any(holds(v, kinds, depth - 1) or holds(k, kinds, depth - 1) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(holds(v, kinds, depth - 1) for v in value)
    return False


def carriers(kinds, allowed=()) -> list[str]:
    """The grader's module globals that hold one of ``kinds`` (``allowed`` ones aside)."""
    import sys

    return [f"{name}.{attr}" for name, module in list(sys.modules.items())
            if name == "grader" or name.startswith("grader.")
            for attr, value in list(vars(module).items())
            if not attr.startswith("__") and f"{name}.{attr}" not in allowed and holds(value, kinds)]


def start_paper(paper):
    from grader.checks import load_all as load_checks
    from grader.read import load_all as load_readers

    load_checks()
    load_readers()
    return paper


def grade_in_worker(paper, folder: str) -> tuple[str, bool, list[str], list[str]]:
    """Grade one candidate folder in the worker: its total, whether the key is unchanged (pickled
    alike before and after), the key's materials, and the globals that hold the paper or its key
    (the pool's own per-process state aside)."""
    import pickle
    from pathlib import Path

    from grader.intake import CandidateEntry
    from grader.paper import Key, Paper
    from grader.read.submission import read_submission
    from grader.score import grade_reading

    before = pickle.dumps(paper.key)
    path = Path(folder)
    entry = CandidateEntry(path.name, folder=path, relative=path.name, result_id=path.name)
    result = grade_reading(entry, read_submission(path, paper, disc_root=path.parent), paper)
    return (str(result.total), pickle.dumps(paper.key) == before, sorted(paper.key.materials),
            carriers((Paper, Key), allowed=("grader.supervise._STATE",)))
