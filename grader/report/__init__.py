"""Report writers. They read results only; they never re-grade.

Every file is written to a temporary name beside its target and renamed into place, so an
interrupted run never leaves a half-written report.
"""
from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson


@functools.cache
def file_mode() -> int:
    """The mode a plain new file gets under this process's umask (0644 under the usual 022), so
    other accounts on a centre's server read the reports as they read any file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, file_mode())  # mkstemp makes 0600 whatever the umask
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def json_bytes(data: Any) -> bytes:
    """The one JSON form of the project: sorted keys, two-space indent, UTF-8, a final newline;
    stable across runs and machines. orjson writes it (the standard encoder drops to pure Python
    when it indents, and results are most of a run's output)."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    except TypeError:  # a lone surrogate from a file name that is not UTF-8: shown as U+FFFD
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
        return (text.encode("utf-8", "replace").decode("utf-8").encode("utf-8") + b"\n")
