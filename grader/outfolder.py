"""The reports folder: one out folder holds one disc's results, written by one run at a time.

Every disc mounts at the same path (``grade /media/cdrom``), so a disc is known by its content:
exam.toml's paper, centre and session, the roster's bytes and the set of candidate folders.
``claim`` records that identity in the out folder (``.grade-out.json``) and holds a lock
(``.grade.lock``, released by the operating system if the run dies) for the whole run:

- a second run into the same folder while one is writing refuses at once;
- a run of another disc (or paper) into a used folder refuses, naming both discs and the ways
  out (another ``--out``, or ``--fresh``); it never mixes two discs' results;
- ``--fresh`` removes the previous results (every candidate's files, the cache and the class
  reports) before grading, so no candidate who is no longer on the disc keeps a page;
- a folder that is not empty and holds no results of this tool is refused: nothing of someone
  else's is overwritten.
- the review log (``review-log.jsonl``, ``grader.review``) is not a result: ``--fresh`` keeps it,
  and each of its rows names the disc it was made for, so another disc's rows never apply.

A worker stopped mid-write (a time limit, Ctrl-C, SIGTERM) can leave the temporary file it was
about to rename into place; ``claim`` removes such leftovers when the run ends and when the
next one starts, so the folder only ever holds whole reports.

"Out inside the disc" is decided by device and inode, so a bind mount or a link to the disc
is caught as surely as a sub-folder.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import filelock
import orjson

from grader.errors import DiscError, OutputError
from grader.intake import Disc

MARKER = ".grade-out.json"
LOCK = ".grade.lock"
# what a run writes into an out folder; --fresh removes exactly these
RESULTS = ("candidates", ".cache", "summary.csv", "summary.xlsx", "index.html", "flags.html", "manifest.json",
           "print")
# the temporary name grader.report.write_atomic gives a file before renaming it into place
PARTIAL = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")

_REMEDIES = (  # by errno name: not every platform's errno module has every name (EDQUOT, EROFS)
    ("ENOSPC", "the disk is full: free space or choose another --out"),
    ("EDQUOT", "the disk quota is used up: free space or choose another --out"),
    ("EROFS", "the file system is read-only: choose another --out"),
    ("EACCES", "permission denied: choose a folder you may write to with --out"),
    ("EPERM", "permission denied: choose a folder you may write to with --out"),
    ("ENOTDIR", "a file stands where a folder must be: move it or choose another --out"),
    ("EEXIST", "a file stands where a folder must be: move it or choose another --out"),
    ("EISDIR", "a folder stands where a file must be: move it or choose another --out"),
    ("ENAMETOOLONG", "the path is too long: choose a shorter --out"),
)
_REMEDY = {getattr(errno, name): text for name, text in _REMEDIES if hasattr(errno, name)}


def output_problem(exc: OSError) -> str:
    """An OSError met while writing reports, as one line: what, where and what to do."""
    where = exc.filename if exc.filename is not None else "the reports folder"
    what = exc.strerror or type(exc).__name__
    remedy = _REMEDY.get(exc.errno or 0, "check the folder and choose another --out if needed")
    return f"cannot write the reports ({what}: {where}); {remedy}"


def disc_identity(disc: Disc) -> dict[str, Any]:
    """What makes a disc this disc, never where it is mounted."""
    roster = [p for p in disc.inputs if p.name.casefold().startswith("roster.")]
    folders = sorted(e.relative for e in disc.candidates if e.folder is not None)
    facts: dict[str, Any] = {
        "paper": str(disc.exam.get("paper", "")),
        "centre": str(disc.exam.get("centre", "")),
        "session": str(disc.exam.get("session", "")),
        "roster_sha256": hashlib.sha256(roster[0].read_bytes()).hexdigest() if roster else "",
        "folders": len(folders),
        "folders_sha256": hashlib.sha256("\n".join(folders).encode("utf-8", "surrogateescape")).hexdigest(),
    }
    facts["id"] = hashlib.sha256(orjson.dumps(facts, option=orjson.OPT_SORT_KEYS)).hexdigest()[:12]
    return facts


def describe_disc(identity: dict[str, Any]) -> str:
    named = " / ".join(str(identity.get(k)) for k in ("paper", "centre", "session") if identity.get(k))
    folders = identity.get("folders", "?")
    counted = "1 candidate folder" if folders == 1 else f"{folders} candidate folders"
    return f"{named or 'a disc'} ({counted}, id {identity.get('id', '?')})"


def out_inside(out: Path, disc_root: Path) -> bool:
    """True when ``out`` is the disc's root or lies under it, by device and inode."""
    try:
        root = os.stat(disc_root)
    except OSError:
        return False
    path = Path(os.path.abspath(out))
    for folder in (path, *path.parents):
        try:
            info = os.stat(folder)
        except OSError:
            continue  # not made yet
        if (info.st_dev, info.st_ino) == (root.st_dev, root.st_ino):
            return True
    return False


@contextmanager
def claim(out: Path, identity: dict[str, Any], paper_id: str, *, fresh: bool) -> Iterator[None]:
    """Hold ``out`` for one run of the disc ``identity`` graded with ``paper_id``; see the module."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(output_problem(exc)) from None
    lock = filelock.FileLock(str(out / LOCK), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise OutputError(f"another grade run is writing into {out} ({LOCK} is held): wait for it to finish, "
                          f"or choose another --out") from None
    except OSError as exc:
        raise OutputError(output_problem(exc)) from None
    try:
        _admit(out, identity, paper_id, fresh)
        sweep_partial(out)
        yield
    finally:
        try:
            sweep_partial(out)  # every worker has been stopped and joined by now
        finally:
            lock.release()


def sweep_partial(out: Path) -> list[Path]:
    """Remove the half-written temporary files a stopped writer left in the result folders of
    ``out``; return what was removed."""
    removed = []
    for name in RESULTS:
        top = out / name
        if not top.is_dir():
            continue
        for folder, _, files in os.walk(top):
            for file in files:
                if PARTIAL.fullmatch(file):
                    path = Path(folder, file)
                    try:
                        path.unlink()
                    except OSError:
                        continue
                    removed.append(path)
    for path in out.iterdir():  # the class reports at the top level
        if path.is_file() and PARTIAL.fullmatch(path.name):
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def _admit(out: Path, identity: dict[str, Any], paper_id: str, fresh: bool) -> None:
    record = {"disc": identity, "paper": paper_id}
    held = _read_marker(out)
    others = sorted(p.name for p in out.iterdir() if p.name not in (LOCK, MARKER))
    if held is None and others and not (out / "manifest.json").is_file():
        raise OutputError(f"{out} is not empty and holds no grade results ({', '.join(others[:3])}"
                          f"{', …' if len(others) > 3 else ''}): choose a new or empty folder with --out")
    if not fresh and others:
        if held is None:
            raise OutputError(f"{out} holds results of an earlier run that did not record its disc: "
                              f"use --fresh to replace them, or choose another --out")
        if held.get("disc", {}).get("id") != identity["id"] or held.get("paper") != paper_id:
            raise OutputError(f"{out} holds the results of {describe_disc(held.get('disc', {}))}, paper "
                              f"{held.get('paper')}; this is {describe_disc(identity)}, paper {paper_id}: "
                              f"choose another --out, or use --fresh to replace them")
    try:
        if fresh:
            for name in RESULTS:
                _remove(out / name)
        (out / MARKER).write_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    except OSError as exc:
        raise OutputError(output_problem(exc)) from None


def held_disc(out: Path) -> dict[str, Any]:
    """The identity of the disc whose results ``out`` holds ({} when it records none)."""
    held = _read_marker(out) or {}
    disc = held.get("disc", {})
    return disc if isinstance(disc, dict) else {}


def _read_marker(out: Path) -> dict[str, Any] | None:
    try:
        data = orjson.loads((out / MARKER).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def refuse_out_inside(out: Path, disc_root: Path) -> None:
    if out_inside(out, disc_root):
        raise DiscError(f"the reports folder {out} is inside the disc; the disc is only ever read")
