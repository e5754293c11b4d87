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
