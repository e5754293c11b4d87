"""Intake: find the candidates on a disc (§1 of the paper).

Reads ``exam.toml`` and the roster, finds candidate folders at the root or one level down,
and decides who is a candidate: every rostered user (absent when no folder), every folder
not on the roster that holds a deliverable (flagged ``not-on-roster``) and, without a
roster, every folder that holds a deliverable. Nothing on the disc is ever written.

Folders that stand for one user name (``KS02`` and ``ks02``) are all candidates, flagged
``duplicate-candidate``; the roster row goes to the one named exactly as the roster says. A
folder that is a symbolic link is always a candidate (reading decides whether to follow it).
Each candidate gets its result id (``grader.names``), computed over the whole disc.
"""
from __future__ import annotations

import datetime as dt
import os
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from grader.errors import DiscError, ReadError
from grader.locale import N_
from grader.model import Flag
from grader.names import decode_name, display_name, display_path, name_key, result_ids
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
    user: str  # the roster's user name, else the folder's name as shown (see grader.names)
    candidate_no: str = ""
    name: str = ""
    folder: Path | None = None
    rostered: bool = False
    relative: str = ""  # the folder relative to the disc root, as shown
    result_id: str = ""  # the stem of the candidate's result files, unique on the disc
    flags: tuple[Flag, ...] = ()  # what intake found: duplicate-candidate, guessed-encoding

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
    refuse_link(path)
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
        if child.name.casefold() == name:
            refuse_link(child)
            if child.is_file():
                return child
    return None


def refuse_link(path: Path) -> None:
    """Refuse a disc-root file (roster, exam.toml) that is a symbolic link: it would be read from
    wherever it leads, perhaps off the disc, and the results would not belong to the disc."""
    if not path.is_symlink():
        return
    try:
        target = f"'{display_name(os.readlink(path))}'"
    except OSError:
        target = "a target that cannot be read"
    raise DiscError(f"{path.name} at the disc root is a symbolic link (to {target}), not a file; it is not "
                    f"followed: put the file itself on the disc")


def _children(folder: Path) -> list[Path]:
    try:
        return [c for c in sorted(folder.iterdir()) if not is_junk(c.name)]
    except OSError:
        return []


def _subdirs(folder: Path) -> list[Path]:
    return [c for c in _children(folder) if c.is_dir() and not c.is_symlink()]


def _folder_links(folder: Path) -> list[Path]:
    """Symbolic links in ``folder`` that do not lead to a file: to a folder, to nothing, or a loop."""
    return [c for c in _children(folder) if c.is_symlink() and not c.is_file()]


def linked_folder(folder: Path, root: Path) -> tuple[Path | None, str]:
    """Where a candidate folder that is a symbolic link leads, and why it is followed or not.

    The target is returned (followed) only when it is a folder inside the disc that does not
    hold the link itself; a link out of the disc, to nothing or round a loop gives None.
    """
    try:
        shown = f"'{display_name(os.readlink(folder))}'"
    except OSError:
        shown = N_("a target that cannot be read")
    try:
        target, base = folder.resolve(strict=True), root.resolve(strict=True)
        home = folder.parent.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop (RuntimeError before Python 3.13)
        return None, N_("the candidate folder is a symbolic link to {target}, which leads nowhere; not followed"
                        ).format(target=shown)
    if base not in target.parents or not target.is_dir():
        return None, N_("the candidate folder is a symbolic link to {target}, not a folder inside the disc; "
                        "not followed, nothing graded").format(target=shown)
    if target == home or target in home.parents:
        return None, N_("the candidate folder is a symbolic link to {target}, which holds the link itself; "
                        "not followed").format(target=shown)
    inside = display_path(target.relative_to(base).as_posix())
    return target, N_("the candidate folder is a symbolic link to '{folder}' on the disc; followed").format(
        folder=inside)


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
    found = _candidate_folders(root, names, {name_key(r["username"]) for r in roster or []})
    twins: dict[str, list[Path]] = {}
    for folder in found:
        twins.setdefault(_user_key(folder), []).append(folder)
    taken = {name_key(r["username"]): _roster_folder(r["username"], twins[name_key(r["username"])])
             for r in roster or [] if name_key(r["username"]) in twins}

    candidates: list[CandidateEntry] = []
    for row in roster or []:
        folder = taken.get(name_key(row["username"]))
        candidates.append(_entry(root, row["username"], folder, twins, taken, rostered=True,
                                 candidate_no=row["candidate_no"], name=row["name"]))
    chosen = set(taken.values())  # a set: looking each folder up in the list was quadratic in the class
    for folder in found:
        if folder in chosen:
            continue
        alone = len(twins[_user_key(folder)]) == 1  # a twin or a link is never left out
        if roster is not None and alone and not folder.is_symlink() and not _holds_deliverable(folder, names, 1):
            continue
        candidates.append(_entry(root, display_name(folder.name), folder, twins, taken))
    if not candidates:
        from grader.sources import discs_inside, inner_discs_text

        inner = discs_inside(root)
        raise DiscError(inner_discs_text(root, inner, graded=False) if inner else
                        f"{root} holds no candidate folder (no roster, and no folder with a deliverable "
                        f"such as {min(deliverable_names)}.xlsx)")
    # a rostered candidate's files are named after the roster's user name, others' after the folder's
    ids = result_ids([(c.user if c.rostered else c.folder.name, _raw_relative(c.folder, root) if c.folder else "")
                      for c in candidates])
    candidates = [replace(c, result_id=result_id) for c, result_id in zip(candidates, ids)]
    return Disc(root, exam, exam_end, roster is not None, candidates, inputs + roster_inputs)


def flag_skipped(disc: Disc, skipped: Iterable[Any]) -> Disc:
    """The disc with a ``skipped-entry`` flag on each candidate whose folder held an archive entry
    that was not unpacked (``grader.sources.SkippedEntry``: its name, why, and the folders that held it)."""
    skipped = list(skipped)
    if not skipped:
        return disc
    candidates = []
    for entry in disc.candidates:
        held = entry.folder.relative_to(disc.root).parts if entry.folder is not None else None
        flags = tuple(Flag("skipped-entry", N_("the disc image's entry {entry} was not unpacked: {why}").format(
                               entry=s.shown, why=s.reason))
                      for s in skipped if held and s.folders[:len(held)] == held)
        candidates.append(replace(entry, flags=entry.flags + flags) if flags else entry)
    return replace(disc, candidates=candidates)


def _candidate_folders(root: Path, names: set[str], rostered: set[str]) -> list[Path]:
    """Every folder that may be a candidate's, by user name and then path on the disc."""

    def on_roster(folder: Path) -> bool:
        return _user_key(folder) in rostered

    found: list[Path] = []
    for top in _subdirs(root):
        inner = [d for d in _subdirs(top) if on_roster(d) or _holds_deliverable(d, names, 0)]
        links = _folder_links(top)
        is_candidate = on_roster(top) or _holds_deliverable(top, names, 0)
        if (inner or any(on_roster(link) for link in links)) and not is_candidate:  # a container such as 考生数据/
            found += inner + links
        elif is_candidate or _holds_deliverable(top, names, 1):
            found.append(top)
        # a top folder with rostered or deliverable-holding sub-folders that is itself neither is a
        # container; one without either is not a candidate (an empty folder off the roster, a tools folder)
    found += _folder_links(root)  # not looked into here: reading decides whether a link is followed
    return sorted(found, key=lambda f: (_user_key(f), _raw_relative(f, root)))


def _user_key(folder: Path) -> str:
    return name_key(display_name(folder.name))


def _raw_relative(folder: Path, root: Path) -> str:
    return folder.relative_to(root).as_posix()


def _shown_relative(folder: Path, root: Path) -> str:
    return display_path(_raw_relative(folder, root))


def _roster_folder(user: str, folders: list[Path]) -> Path:
    """Of the folders that stand for one rostered user: the one named exactly so, else the one
    named so but for spaces around, else the first."""
    for same in (lambda shown: shown == user, lambda shown: shown.strip() == user):
        for folder in folders:
            if same(display_name(folder.name)):
                return folder
    return folders[0]


def _entry(root: Path, user: str, folder: Path | None, twins: dict[str, list[Path]],
           taken: dict[str, Path], **fields: Any) -> CandidateEntry:
    if folder is None:
        return CandidateEntry(user, **fields)
    flags = []
    encoding = decode_name(folder.name)[1]
    if encoding != "utf-8":
        flags.append(Flag("guessed-encoding", N_("the folder's name is not UTF-8; shown as read in {encoding}")
                          .format(encoding=encoding)))
    group = twins[_user_key(folder)]
    if len(group) > 1:
        flags.append(_twin_flag(root, folder, group, taken.get(_user_key(folder))))
    return CandidateEntry(user, folder=folder, relative=_shown_relative(folder, root), flags=tuple(flags),
                          **fields)


def _twin_flag(root: Path, folder: Path, group: list[Path], rostered: Path | None) -> Flag:
    """``duplicate-candidate``: which other folders stand for the same user, and which took the roster row."""
    others = ", ".join(f"'{_shown_relative(f, root)}'" for f in group if f != folder)
    if rostered is None:
        outcome = N_("each is graded on its own")
    elif rostered == folder:
        outcome = N_("this folder took the roster row")
    else:
        outcome = N_("'{folder}' took the roster row; this one is graded as a folder not on the roster").format(
            folder=_shown_relative(rostered, root))
    return Flag("duplicate-candidate", N_("{count} folders stand for one user name: this one and {others}; "
                                          "{outcome}").format(count=len(group), others=others, outcome=outcome))
