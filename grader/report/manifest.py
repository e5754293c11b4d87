"""``manifest.json``: what a run read and with which grader, rubric and key; the run's time is here only."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from grader import __version__
from grader.paper import Paper
from grader.report import json_bytes, write_atomic


def write_manifest(out: Path, paper: Paper, disc: Path, inputs: dict[str, dict[str, Any]],
                   extra: dict[str, Any] | None = None) -> Path:
    data: dict[str, Any] = {
        "grader_version": __version__,
        "paper": paper.id,
        "rubric": {"path": paper.rubric_path.name, "sha256": paper.rubric_sha256},
        "key": {"path": paper.key.root.name, "sha256": paper.key_sha256, "files": paper.key.files},
        "disc": str(disc),
        "run_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "inputs": [inputs[k] for k in sorted(inputs)],
    }
    data.update(extra or {})
    path = out / "manifest.json"
    write_atomic(path, json_bytes(data))
    return path
