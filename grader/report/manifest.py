"""``manifest.json``: what a run read and with which grader, rubric and key; the run's time is here only.

It records the versions of the libraries that decide points, and lists every input file of
the disc with its sha256 and size, the rubric and key with their sha256 (and where they were), the overrides file when one was applied, and the sha256
of every ``candidates/<user>.json`` written, so ``grade verify`` can tell later whether the
results still belong to this disc, rubric, key and overrides.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from grader import __version__
from grader.errors import GraderError
from grader.paper import Paper
from grader.report import json_bytes, write_atomic
from grader.versions import library_versions

MANIFEST = "manifest.json"


def write_manifest(out: Path, paper: Paper, disc: Path, inputs: dict[str, dict[str, Any]],
                   extra: dict[str, Any] | None = None) -> Path:
    data: dict[str, Any] = {
        "grader_version": __version__,
        "libraries": library_versions(),
        "paper": paper.id,
        "rubric": {"path": paper.rubric_path.name, "sha256": paper.rubric_sha256,
                   "location": str(paper.rubric_path.resolve())},
        "key": {"path": paper.key.root.name, "sha256": paper.key_sha256, "files": paper.key.files,
                "location": str(paper.key.root.resolve())},
        "disc": str(disc),
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": [inputs[k] for k in sorted(inputs)],
    }
    data.update(extra or {})
    path = out / MANIFEST
    write_atomic(path, json_bytes(data))
    return path


def read_manifest(out: Path) -> dict[str, Any]:
    """The manifest of a results folder; GraderError when there is none or it is not JSON."""
    path = Path(out) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GraderError(f"{out} holds no {MANIFEST}: not a results folder (run `grade DISC --out {out}` "
                          f"first)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GraderError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict):
        raise GraderError(f"{path}: not a manifest")
    return data


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks (input files may be large images)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
