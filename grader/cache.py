"""The results cache: a candidate whose files, rubric, key and grader are unchanged is not regraded.

It lives in the reports folder (``.cache/``), never on the disc. Each entry holds the
candidate's automatic result (before overrides), its similarity fingerprints and the exhibits
its page shows (previews as base64, decoded texts: the reports are written from the entry
alone, without the disc) and its deliverables as read (``grader.records.serial``: every sheet's
grid with its cells, the images' measures, the texts; the review page shows them without the
disc), under a key
made of the grader version, the versions of the libraries that decide points, the paper's
hashes, the run's settings that change a result, and the path, size and sha256 of every file
in the candidate folder. An interrupted run resumes
from it: the candidates already graded are taken from the cache, the others are graded.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import orjson

from grader import __version__
from grader.intake import CandidateEntry, Disc, is_junk, linked_folder
from grader.limits import Limits
from grader.model import CandidateResult, Exhibit, FileRecord
from grader.report import json_bytes, write_atomic
from grader.versions import library_versions

CACHE_DIR = ".cache"
Digests = dict[str, tuple[int, int, str]]  # path in the folder: size, st_mtime_ns, sha256
HASH_CHUNK = 1 << 20


def folder_state(folder: Path, limits: Limits, with_times: bool = False, digests: Digests | None = None
                 ) -> list[str]:
    """Path, size and content hash of every file a grading could read, in a stable order.

    File times count only when the exam has an end time (``modified-after-end`` reads them).
    ``digests``, when given, receives each file's digest with the size and time it was taken
    at, by its path in the folder: the read stage takes it from there instead of hashing again.
    """
    lines = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not is_junk(d) and not os.path.islink(os.path.join(root, d)))
        depth = Path(root).relative_to(folder).parts
        if len(depth) > 3:
            dirs[:] = []
            continue
        for name in sorted(files):
            path = Path(root) / name
            rel = path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape").hex()
            try:
                info = path.lstat()
            except OSError:
                lines.append(f"{rel} unreadable")
                continue
            if not path.is_file() or path.is_symlink():
                lines.append(f"{rel} special")
                continue
            if info.st_size > limits.max_file_bytes:  # never read past the cap, not even to hash
                lines.append(f"{rel} {info.st_size} {info.st_mtime_ns}")
                continue
            digest = hashlib.sha256()
            try:
                with path.open("rb") as handle:
                    for block in iter(lambda: handle.read(HASH_CHUNK), b""):
                        digest.update(block)
            except OSError:
                lines.append(f"{rel} unreadable")
                continue
            if digests is not None:
                digests[path.relative_to(folder).as_posix()] = (info.st_size, info.st_mtime_ns, digest.hexdigest())
            lines.append(f"{rel} {info.st_size} {digest.hexdigest()} {info.st_mtime_ns if with_times else ''}")
    return lines


def cache_key(entry: CandidateEntry, disc: Disc, paper_hashes: tuple[str, str], limits: Limits,
              digests: Digests | None = None) -> str:
    """The key of a candidate's entry; ``digests`` as for ``folder_state``."""
    digest = hashlib.sha256()
    header = [__version__, *paper_hashes, repr(sorted(library_versions().items())), repr(limits), entry.user,
              entry.candidate_no, entry.name, entry.relative, entry.result_id, str(entry.rostered),
              str(disc.has_roster), disc.exam_end.isoformat() if disc.exam_end else "",
              *(repr(f) for f in entry.flags)]
    digest.update("\n".join(header).encode("utf-8", "surrogatepass"))
    folder = entry.folder
    if folder is not None and folder.is_symlink():  # a link is read only where it leads inside the disc
        target, reason = linked_folder(folder, disc.root)
        digest.update(reason.encode("utf-8", "surrogatepass"))
        folder = folder if target is not None else None
    if folder is not None:
        for line in folder_state(folder, limits, with_times=disc.exam_end is not None, digests=digests):
            digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def cache_path(out: Path, result_id: str) -> Path:
    return out / CACHE_DIR / f"{result_id}.json"


Entry = tuple[CandidateResult, dict[str, str], dict[str, Exhibit]]


def load(out: Path, result_id: str, key: str | None) -> Entry | None:
    """The cached automatic result, fingerprints and exhibits when the key matches (any key when
    ``key`` is None), else None."""
    path = cache_path(out, result_id)
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or (key is not None and data.get("key") != key):
        return None
    try:
        return (CandidateResult.from_dict(data["result"]), dict(data["fingerprints"]),
                {name: Exhibit.from_dict(shown) for name, shown in data["exhibits"].items()})
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def store(out: Path, result_id: str, key: str, result: CandidateResult, fingerprints: dict[str, Any],
          exhibits: dict[str, Exhibit], records: tuple[FileRecord, ...] = ()) -> None:
    write_atomic(cache_path(out, result_id), json_bytes({
        "key": key, "result": result.to_dict(), "fingerprints": fingerprints,
        "exhibits": {name: shown.to_dict() for name, shown in exhibits.items()},
        "records": _records_data(records)}))


def _records_data(records: tuple[FileRecord, ...]) -> dict[str, Any]:
    from grader.records.serial import to_data

    try:
        return {"read": [to_data(_kept(r)) for r in records]}
    except TypeError as exc:  # a value no record type holds yet: the result is cached all the same
        return {"read": [], "problem": str(exc)}


def _kept(record: FileRecord) -> FileRecord:
    """What the cache keeps of a deliverable: all of it, but a workbook's sheets only up to the
    rows its grids keep (``GRID_ROWS``), so that a hostile sheet of a million rows costs the
    cache no more than a real one."""
    from dataclasses import replace

    from grader.records.tables import GRID_ROWS, Workbook

    book = record.parsed
    if not isinstance(book, Workbook) or all(len(s.rows) <= GRID_ROWS for s in book.sheets.values()):
        return record
    sheets = {name: replace(s, rows=s.rows[:GRID_ROWS]) for name, s in book.sheets.items()}
    return replace(record, parsed=replace(book, sheets=sheets))


def load_records(out: Path, result_id: str) -> tuple[FileRecord, ...]:
    """The candidate's deliverables as the read stage left them, from the cache alone: each a
    ``FileRecord`` whose ``parsed`` is the reader's record (a ``Workbook`` with every sheet's
    grid, its sheets' rows up to ``GRID_ROWS``; an ``ImageFolder``, a ``ServiceFolder``…). Empty for an absent or stopped candidate,
    or an entry cached before records were kept; RecordDataError when the entry is damaged."""
    from grader.records.serial import RecordDataError, from_data

    try:
        data = orjson.loads(cache_path(out, result_id).read_bytes())
    except (OSError, ValueError):
        return ()
    if not isinstance(data, dict) or not isinstance(data.get("records"), dict):
        return ()
    found = tuple(from_data(r) for r in data["records"].get("read", []))
    if not all(isinstance(r, FileRecord) for r in found):
        raise RecordDataError(f"{cache_path(out, result_id)}: the records are not deliverables as read")
    return found
