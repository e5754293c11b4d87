"""``grade diff OLD NEW``: what changed between two results folders, candidate by candidate.

Reads ``candidates/*.json`` of both folders, nothing else (no regrading), and lists each
candidate whose total, status, flags or criterion points differ, with both values: after a key
amendment, a regrade or a review decision, it says what changed, for whom. Points are exact.

>>> Change("U4-02", "0", "1/4").text()
'U4-02 0 → 1/4'
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import GraderError
from grader.flags import labelled

ABSENT_TEXT = "—"  # a candidate, or a criterion, one side does not have


@dataclass(frozen=True)
class Change:
    """One value that differs: what it is (a criterion id, total, status, flag), before and after."""

    what: str
    old: str
    new: str

    def text(self) -> str:
        return f"{self.what} {self.old} → {self.new}"


@dataclass(frozen=True)
class CandidateChanges:
    result_id: str
    name: str
    changes: tuple[Change, ...]

    def lines(self) -> list[str]:
        head = f"{self.result_id}" + (f" {self.name}" if self.name else "")
        return [head, *(f"    {c.text()}" for c in self.changes)]


@dataclass(frozen=True)
class Comparison:
    old: Path
    new: Path
    changed: tuple[CandidateChanges, ...]
    compared: int  # candidates in either folder

    def lines(self) -> list[str]:
        lines = [line for c in self.changed for line in c.lines()]
        criteria = sum(1 for c in self.changed for x in c.changes if x.what not in ("candidate", "total", "status", "flag"))
        if not self.changed:
            return [f"no change 无变化: {self.compared} candidates, the same points, statuses and flags"]
        lines.append(f"{len(self.changed)} of {self.compared} candidates changed 考生有变化, "
                     f"{criteria} criterion value{'s' if criteria != 1 else ''} 评分项")
        return lines


def compare(old: Path | str, new: Path | str) -> Comparison:
    """The candidates whose results differ between the results folders ``old`` and ``new``."""
    before, after = _results(Path(old)), _results(Path(new))
    changed = []
    for rid in [*after, *(r for r in before if r not in after)]:
        found = _changes(before.get(rid), after.get(rid))
        if found:
            data = after.get(rid) or before.get(rid) or {}
            changed.append(CandidateChanges(rid, str(data.get("name", "")), tuple(found)))
    return Comparison(Path(old), Path(new), tuple(changed), len(set(before) | set(after)))


def changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Change]:
    """What differs between two JSON results of one candidate (None: the candidate is not there)."""
    return _changes(old, new)


def _results(out: Path) -> dict[str, dict[str, Any]]:
    folder = out / "candidates"
    if not folder.is_dir():
        raise GraderError(f"{out} holds no candidates/ folder: not a results folder")
    found = {}
    for path in sorted(folder.glob("*.json")):
        try:
            found[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GraderError(f"{path}: cannot be read ({exc})") from None
    return found


def _changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Change]:
    if old is None or new is None:
        there = old or new or {}
        side = ("—", "present 有") if old is None else ("present 有", "—")
        return [Change("candidate", *side), Change("total", *_sides(old, new, there["total"]))]
    found = []
    old_points, new_points = _criteria(old), _criteria(new)
    for criterion in [*new_points, *(c for c in old_points if c not in new_points)]:
        a, b = old_points.get(criterion, ABSENT_TEXT), new_points.get(criterion, ABSENT_TEXT)
        if a != b:
            found.append(Change(criterion, a, b))
    if old["total"] != new["total"]:
        found.append(Change("total", old["total"], new["total"]))
    if old["status"] != new["status"]:
        found.append(Change("status", old["status"], new["status"]))
    old_flags, new_flags = _flags(old), _flags(new)
    for flag in sorted(old_flags - new_flags):
        found.append(Change("flag", flag, ABSENT_TEXT))
    for flag in sorted(new_flags - old_flags):
        found.append(Change("flag", ABSENT_TEXT, flag))
    return found


def _sides(old: dict[str, Any] | None, new: dict[str, Any] | None, total: str) -> tuple[str, str]:
    return (ABSENT_TEXT, total) if old is None else (total, ABSENT_TEXT)


def _criteria(data: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["points"] for u in data.get("units", []) for c in u.get("criteria", [])}


def _flags(data: dict[str, Any]) -> set[str]:
    return {labelled(f["code"]) + (f" ({' '.join(x for x in (f.get('unit', ''), f.get('file', '')) if x)})"
                                   if f.get("unit") or f.get("file") else "") for f in data.get("flags", [])}
