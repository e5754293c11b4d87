"""The review log: every examiner decision on one out folder, appended, never rewritten.

``review-log.jsonl`` beside the reports, one JSON object a line::

    {"seq": 3, "at": "2026-12-02T08:15:00+00:00", "disc": "4f0c…", "paper": "<id>",
     "kind": "override", "candidate": "ks05", "criterion": "U4-02", "points": "1/2",
     "flags": ["9b1fafa4ec6f"], "examiner": "考评员01", "reason": "…", "prev": "<sha256 of line 2>"}

``kind`` is one of ``confirm`` (the candidate's points stand: the flags it names are decided),
``override`` (one criterion's points set by hand, within 0..maximum, exact), ``amend`` (a key
amendment for every candidate: under ``criterion``, an answer ``found`` is accepted where the key
said ``expected``, each such answer earning ``points``; ``grader.review.decisions``), ``sign-off`` (the
class is final) and ``reopen`` (written before a decision made after a sign-off). Each row
names the disc (the identity ``grader.outfolder`` records) and the paper it was made for: a run
of another disc or paper into the folder never applies it. Each row also holds the sha256 of
the line before it, so an edited, removed or reordered row breaks the chain and the log is
refused with the line where it breaks. The log is not one of the results ``--fresh`` removes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import orjson

from grader.errors import ReviewError
from grader.model import fraction_text
from grader.overrides import LIMITS

LOG = "review-log.jsonl"
CONFIRM, OVERRIDE, AMEND, SIGN_OFF, REOPEN = "confirm", "override", "amend", "sign-off", "reopen"
KINDS = (CONFIRM, OVERRIDE, AMEND, SIGN_OFF, REOPEN)
MAX_EXAMINER = LIMITS["examiner"]  # characters, as in the overrides file
MAX_REASON = LIMITS["reason"]


@dataclass(frozen=True)
class Entry:
    """One row of the review log."""

    seq: int
    at: str
    disc: str
    paper: str
    kind: str
    examiner: str
    reason: str = ""
    candidate: str = ""  # a result id
    criterion: str = ""
    points: Fraction | None = None
    flags: tuple[str, ...] = ()  # Flag.key() of each flag decided
    prev: str = ""
    expected: str = ""  # an amendment's: the key's value ("" for any) and the answer also accepted
    found: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = {"seq": self.seq, "at": self.at, "disc": self.disc, "paper": self.paper, "kind": self.kind,
                "candidate": self.candidate, "criterion": self.criterion,
                "points": fraction_text(self.points) if self.points is not None else None,
                "flags": list(self.flags), "examiner": self.examiner, "reason": self.reason, "prev": self.prev}
        return {**data, "expected": self.expected, "found": self.found} if self.kind == AMEND else data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        points = data.get("points")
        return cls(int(data["seq"]), str(data["at"]), str(data["disc"]), str(data["paper"]), str(data["kind"]),
                   str(data["examiner"]), str(data.get("reason", "")), str(data.get("candidate", "")),
                   str(data.get("criterion", "")), Fraction(points) if points is not None else None,
                   tuple(str(k) for k in data.get("flags", ())), str(data.get("prev", "")),
                   str(data.get("expected", "")), str(data.get("found", "")))

    def line(self) -> bytes:
        return orjson.dumps(self.to_dict(), option=orjson.OPT_SORT_KEYS) + b"\n"


def log_path(out: Path) -> Path:
    return Path(out) / LOG


def read_log(out: Path) -> tuple[Entry, ...]:
    """Every row of the out folder's log, in order; () when there is none. ReviewError naming the
    line when a row is not JSON, not a row, out of sequence or breaks the chain."""
    path = log_path(out)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ()
    except OSError as exc:
        raise ReviewError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    entries: list[Entry] = []
    prev = ""
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        where = f"{path}, line {number}"
        try:
            entry = Entry.from_dict(orjson.loads(raw))
        except (ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
            raise ReviewError(f"{where}: not a row of the review log ({exc})") from None
        if entry.seq != number or entry.kind not in KINDS:
            raise ReviewError(f"{where}: row {entry.seq} of kind {entry.kind!r} where row {number} belongs")
        if entry.prev != prev or not raw.endswith(b"\n"):
            raise ReviewError(f"{where}: the log was changed here (the row does not follow the one before it); "
                              f"restore it from a copy")
        prev = hashlib.sha256(raw).hexdigest()
        entries.append(entry)
    return tuple(entries)


def log_sha256(out: Path) -> str:
    """The sha256 of the log as it is now; "" when there is none."""
    try:
        return hashlib.sha256(log_path(out).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def append(out: Path, entries: tuple[Entry, ...], kind: str, *, disc: str, paper: str, examiner: str,
           reason: str = "", candidate: str = "", criterion: str = "", points: Fraction | None = None,
           flags: tuple[str, ...] = (), expected: str = "", found: str = "",
           now: dt.datetime | None = None) -> Entry:
    """Append one row after ``entries`` (the log as read) and return it; the caller holds the out
    folder's lock. The row reaches the disk before this returns."""
    examiner, reason = clean(examiner, "examiner", MAX_EXAMINER), clean(reason, "reason", MAX_REASON, kind)
    path = log_path(out)
    prev = hashlib.sha256(path.read_bytes().splitlines(keepends=True)[-1]).hexdigest() if entries else ""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
    entry = Entry(len(entries) + 1, moment, disc, paper, kind, examiner, reason, candidate, criterion, points,
                  tuple(flags), prev, expected, found)
    with path.open("ab") as handle:
        handle.write(entry.line())
        handle.flush()
        os.fsync(handle.fileno())
    return entry


def clean(text: str, what: str, limit: int, kind: str = "") -> str:
    """A name or reason as recorded: trimmed, required (a sign-off's reason aside), one line, capped."""
    value = " ".join((text or "").split())
    if not value and not (what == "reason" and kind in (SIGN_OFF, REOPEN)):
        raise ReviewError(f"the {what} is required (--{what})")
    if len(value) > limit:
        raise ReviewError(f"the {what} is {len(value)} characters, more than {limit}")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in value):
        raise ReviewError(f"the {what} holds a control character")
    return value
