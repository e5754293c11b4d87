"""Intake: find the candidates on a disc (§1 of the paper).

Reads ``exam.toml`` and the roster, finds candidate folders at the root or one level down,
and decides who is a candidate: every rostered user (absent when no folder), every folder
not on the roster that holds a deliverable (flagged ``not-on-roster``) and, without a
roster, every folder that holds a deliverable. Nothing on the disc is ever written.
"""
from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from grader.errors import DiscError, ReadError
from grader.names import name_key, result_ids
from grader.read.tables import RawSheet, SheetSpec, build_workbook, read_grid

JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db", "$recycle.bin",
              "system volume information", "__macosx"}

ROSTER_SPEC = SheetSpec(
    name="roster",
    aliases=("名单", "考生名单"),
    columns={
        "username": ("用户名", "user", "user name", "考生用户名", "账号"),
        "candidate_no": ("准考证号", "candidate number", "准考证"),
        "name": ("姓名", "candidate name", "考生姓名"),
    },
)


def is_junk(name: str) -> bool:
    """Files real discs carry that are no one's work: Thumbs.db, ~$lock files, .DS_Store, ._x."""
    lowered = name.casefold()
    return lowered in JUNK_NAMES or name.startswith(("~$", "._", "."))


@dataclass(frozen=True)
class CandidateEntry:
    user: str
    candidate_no: str = ""
    name: str = ""
    folder: Path | None = None
    rostered: bool = False
    relative: str = ""  # the folder relative to the disc root
    result_id: str = ""  # the stem of the candidate's result files, unique on the disc

    @property
    def absent(self) -> bool:
        return self.folder is None


@dataclass
class Disc:
    root: Path
    exam: dict[str, Any]
    exam_end: dt.datetime | None
    has_roster: bool
    candidates: list[CandidateEntry]
    inputs: list[Path] = field(default_factory=list)  # exam.toml, roster

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def read_exam(root: Path) -> tuple[dict[str, Any], dt.datetime | None, list[Path]]:
    path = root / "exam.toml"
    if not path.is_file():
        return {}, None, []
    try:
        exam = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DiscError(f"{path}: not valid TOML ({exc})") from exc
    end = exam.get("exam_end")
    if isinstance(end, str):
        try:
            end = dt.datetime.fromisoformat(end)
        except ValueError as exc:
            raise DiscError(f"{path}: exam_end {end!r} is not an ISO 8601 time") from exc
    if isinstance(end, dt.datetime) and end.tzinfo is None:
        raise DiscError(f"{path}: exam_end {end.isoformat()} needs an offset, e.g. +08:00")
    if end is not None and not isinstance(end, dt.datetime):
        raise DiscError(f"{path}: exam_end must be a date and time with an offset")
    return exam, end, [path]


def read_roster(root: Path) -> tuple[list[dict[str, str]] | None, list[Path]]:
    """Roster rows (username, candidate_no, name) in roster order, or None without a roster."""
    for name in ("roster.xlsx", "roster.xls", "roster.csv"):
        path = _find_case_insensitive(root, name)
        if path is None:
            continue
        try:
            grid: list[RawSheet] = read_grid(path)
        except ReadError as exc:
            raise DiscError(f"roster {path.name}: {exc}") from exc
        book = build_workbook(path.name, grid[:1], [ROSTER_SPEC])
        sheet = book.sheet("roster")
        if sheet is None or "username" not in sheet.columns:
            raise DiscError(f"roster {path.name}: no username / 用户名 column in its header row")
        rows, seen = [], set()
        for row in sheet.rows:
            user = _text(row.value("username"))
            if not user or name_key(user) in seen:
                continue
            seen.add(name_key(user))
            rows.append({"username": user, "candidate_no": _text(row.value("candidate_no")),
                         "name": _text(row.value("name"))})
        return rows, [path]
    return None, []


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _find_case_insensitive(folder: Path, name: str) -> Path | None:
    for child in sorted(folder.iterdir()):
        if child.is_file() and child.name.casefold() == name:
            return child
    return None


def _subdirs(folder: Path) -> list[Path]:
    try:
        children = sorted(folder.iterdir())
    except OSError:
        return []
    return [c for c in children if c.is_dir() and not c.is_symlink() and not is_junk(c.name)]


def _holds_deliverable(folder: Path, names: set[str], depth: int) -> bool:
    """A deliverable (file stem or folder name) directly in ``folder`` or up to ``depth`` below."""
    try:
        children = list(folder.iterdir())
    except OSError:
        return False
    for child in children:
        if is_junk(child.name):
            continue
        stem = child.name if child.is_dir() else child.name.rsplit(".", 1)[0]
        if name_key(stem) in names:
            return True
    if depth > 0:
        return any(_holds_deliverable(c, names, depth - 1) for c in _subdirs(folder))
    return False


def scan_disc(root: Path | str, deliverable_names: Iterable[str]) -> Disc:
    """Find the candidates of a disc; raise DiscError when it cannot be read or holds none."""
    root = Path(root)
    if not root.exists():
        raise DiscError(f"{root} does not exist")
    if not root.is_dir():
        raise DiscError(f"{root} is not a folder")
    names = {name_key(n) for n in deliverable_names}
    exam, exam_end, inputs = read_exam(root)
    roster, roster_inputs = read_roster(root)
    rostered = {name_key(r["username"]) for r in roster or []}

    folders: dict[str, Path] = {}

    def take(folder: Path) -> None:
        folders.setdefault(name_key(folder.name), folder)

    for top in _subdirs(root):
        inner = [d for d in _subdirs(top)
                 if name_key(d.name) in rostered or _holds_deliverable(d, names, 0)]
        is_candidate = name_key(top.name) in rostered or _holds_deliverable(top, names, 0)
        if inner and not is_candidate:  # a container such as 考生数据/
            for d in inner:
                take(d)
        elif is_candidate or _holds_deliverable(top, names, 1):
            take(top)
        # a top folder with rostered or deliverable-holding sub-folders that is itself neither is a
        # container; one without either is not a candidate (an empty folder off the roster, a tools folder)

    candidates: list[CandidateEntry] = []
    for row in roster or []:
        folder = folders.pop(name_key(row["username"]), None)
        candidates.append(CandidateEntry(row["username"], row["candidate_no"], row["name"], folder, True,
                                         folder.relative_to(root).as_posix() if folder else ""))
    for key in sorted(folders):
        folder = folders[key]
        if roster is not None and not _holds_deliverable(folder, names, 1):
            continue
        candidates.append(CandidateEntry(folder.name, folder=folder, rostered=False,
                                         relative=folder.relative_to(root).as_posix()))
    if not candidates:
        raise DiscError(f"{root} holds no candidate folder (no roster, and no folder with a deliverable "
                        f"such as {min(deliverable_names)}.xlsx)")
    ids = result_ids([(c.user, c.folder.relative_to(root).as_posix() if c.folder else "") for c in candidates])
    candidates = [replace(c, result_id=result_id) for c, result_id in zip(candidates, ids)]
    return Disc(root, exam, exam_end, roster is not None, candidates, inputs + roster_inputs)
