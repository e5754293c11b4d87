"""One candidate's folder, read completely before any check runs: ``read_submission`` locates and
parses every deliverable of the paper once and returns a frozen ``grader.model.Reading`` (a
record per deliverable: read, missing or unreadable with the reason), which is all that the
checks, the scoring and the reports ever see of the folder.

The submission records every file it reads (sha256 and size, for the manifest) and the
flags reading raised (``misplaced``, ``duplicate-deliverable``, ``unreadable-file``,
``modified-after-end``). Readers for each deliverable kind are registered in
``grader.read.READERS``; a ``ReadError`` (or any error a reader meets) becomes a flag, never an
exception that escapes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.errors import ReadError, describe
from grader.intake import is_junk, linked_folder, name_key
from grader.limits import Limits
from grader.locale import N_
from grader.model import MISSING, READ, FileRecord, Flag, Reading
from grader.model import UNREADABLE_FILE as UNREADABLE
from grader.names import display_path
from grader.read.places import HOME, MISPLACED, TOP, Home

if TYPE_CHECKING:
    from grader.paper import DeliverableSpec, Paper

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass(frozen=True)
class Located:
    path: Path
    relative: str  # relative to the candidate folder
    misplaced: bool
    others: tuple[str, ...] = ()  # other copies found, not graded
    present: bool = True  # False: a unit's folder that is not there, whose files may lie one folder up


class NothingFound(Exception):
    """Raised by a folder kind's reader when the unit's folder is not there and none of its files
    lies one folder up from it either: the deliverable is missing."""


class Submission:
    def __init__(self, folder: Path, paper: Paper, *, disc_root: Path, exam_end: dt.datetime | None = None,
                 limits: Limits | None = None, digests: Mapping[str, tuple[int, int, str]] | None = None):
        self.folder = folder
        self.paper = paper
        self.limits = limits or Limits()
        self.disc_root = disc_root
        self.exam_end = exam_end
        self.flags: list[Flag] = []
        self.inputs: dict[str, dict[str, Any]] = {}
        self.digests = digests or {}  # taken for the cache key: (size, st_mtime_ns, sha256) by path in the folder
        self._parsed: dict[str, Any] = {}
        self.read_seconds = 0.0  # time spent in readers, for the run's stage figures
        self._state: dict[str, str] = {}
        self._located: dict[str, str] = {}  # where each deliverable was found, relative
        self._closed = False  # a candidate folder linking out of the disc: nothing in it is read
        self._shown: dict[str, str] = {}  # each path's relative form, worked out once (by its exact text)
        self._places: dict[tuple[Any, ...], str | None] = {}  # each path's place against a home, once
        self._folders: list[str] | None = None  # the folders two levels down, once asked for
        self._files = self._listing()

    # ------------------------------------------------------------ listing

    def _listing(self) -> list[Path]:
        """Every file of the folder up to three levels down, junk left out, symlinks not followed;
        a candidate folder that is itself a link is read only where it leads inside the disc."""
        found: list[Path] = []
        if self.folder.is_symlink():
            target, reason = linked_folder(self.folder, self.disc_root)
            self.flag("symlink", reason)
            if target is None:
                self._closed = True
                return found

        def walk(folder: Path, depth: int) -> None:
            try:
                children = sorted(folder.iterdir())
            except OSError as exc:
                self.flag("unreadable-file", N_("folder cannot be listed ({why})").format(why=exc.strerror), folder)
                return
            for child in children:
                if is_junk(child.name):
                    continue
                if child.is_symlink():
                    self.flag("symlink", N_("symbolic link not followed"), child)
                elif child.is_dir():
                    if depth < 3:
                        walk(child, depth + 1)
                elif child.is_file():
                    found.append(child)
                else:
                    self.flag("special-file", N_("not a regular file (a pipe, socket or device); not read"), child)

        walk(self.folder, 0)
        if self.exam_end is not None:
            end = self.exam_end.timestamp()
            for path in found:
                mtime = path.stat().st_mtime
                if mtime > end:
                    when = dt.datetime.fromtimestamp(mtime, self.exam_end.tzinfo).isoformat(timespec="seconds")
                    self.flag("modified-after-end", N_("modified {when}, after the exam ended").format(when=when), path)
        return found

    def relative(self, path: Path) -> str:
        shown = self._shown.get(str(path))
        if shown is None:
            shown = self._shown[str(path)] = display_path(path.relative_to(self.folder).as_posix())
        return shown

    def flag(self, code: str, reason: str, path: Path | str = "", unit: str = "") -> None:
        file = self.relative(path) if isinstance(path, Path) else path
        self.flags.append(Flag(code, reason, file, unit))

    def record(self, path: Path, data: bytes | None = None) -> bytes:
        """Note that a file was read (for the manifest) and return its bytes.

        Raises ReadError for a file over the size cap or one that cannot be opened.
        """
        digest = None
        if data is None:
            try:
                info = path.stat()
                size = info.st_size
                if size > self.limits.max_file_bytes:
                    raise ReadError(N_("file of {size:,} bytes is over the cap of {cap:,}; not read")
                                    .format(size=size, cap=self.limits.max_file_bytes))
                data = path.read_bytes()
            except OSError as exc:
                raise ReadError(N_("cannot be opened ({why})").format(why=exc.strerror or exc)) from exc
            digest = self._known_digest(path, info.st_mtime_ns, len(data))
        rel = display_path(path.relative_to(self.disc_root).as_posix())
        digest = digest or hashlib.sha256(data).hexdigest()
        self.inputs[rel] = {"path": rel, "sha256": digest, "size": len(data)}
        return data

    def _known_digest(self, path: Path, mtime_ns: int, size: int) -> str | None:
        """The digest the cache key took of this file, when its size and time are still those it
        was taken at (a file rewritten since is hashed again)."""
        try:
            known = self.digests.get(path.relative_to(self.folder).as_posix())
        except ValueError:
            return None
        return known[2] if known is not None and known[:2] == (size, mtime_ns) else None

    @property
    def files(self) -> list[Path]:
        return list(self._files)

    # ------------------------------------------------------------ locating

    def locate(self, spec: DeliverableSpec, unit: str = "") -> Located | None:
        """Find a deliverable (a workbook, or a unit's folder) in the candidate's folder, else one
        folder too deep (flagged ``misplaced``: ``grader.read.places``)."""
        names = [name_key(n) for n in spec.names]
        if spec.kind == "workbook":
            hits = [p for p in self._files if p.suffix.lower() in WORKBOOK_SUFFIXES
                    and name_key(p.stem) in names]
            rank = lambda p: (self.place(p) != HOME, names.index(name_key(p.stem)),
                              WORKBOOK_SUFFIXES.index(p.suffix.lower()), p.name)
        else:
            dirs = {p.parent for p in self._files} | {self.folder / d for d in self._dirs()}
            hits = [d for d in dirs if d != self.folder and name_key(d.name) in names]
            rank = lambda p: (self.place(p) != HOME, names.index(name_key(p.name)), p.name)
        hits = [h for h in hits if self.place(h) is not None]
        if not hits:
            if spec.kind == "workbook":
                return None
            # the unit's folder is not there: its files may still lie one folder up (§1), in the
            # candidate's folder, which the reader looks for
            return Located(self.folder / spec.names[0], spec.names[0], False, present=False)
        hits.sort(key=rank)
        chosen = hits[0]
        misplaced = self.place(chosen) == MISPLACED
        same_level = [h for h in hits[1:] if self.place(h) == self.place(chosen)]
        located = Located(chosen, self.relative(chosen), misplaced, tuple(self.relative(h) for h in same_level))
        if misplaced:
            self.flag("misplaced", N_("{name} found one folder too deep").format(name=spec.name), chosen, unit)
        if same_level:
            self.flag("duplicate-deliverable",
                      N_("{name} found as {files}; graded {graded}").format(
                          name=spec.name, files=", ".join([located.relative, *located.others]),
                          graded=located.relative), chosen, unit)
        return located

    def place(self, path: Path, home: Home = TOP) -> str | None:
        """Where a file (or a unit's folder) of the candidate's folder lies against ``home``: the
        candidate's folder itself unless told (``grader.read.places``). Asked again and again while
        the deliverables are located: worked out once for each path and home."""
        key = (str(path), home.unit, home.inside, home.key)
        if key not in self._places:
            self._places[key] = home.place(path.relative_to(self.folder).parts[:-1])
        return self._places[key]

    def _dirs(self) -> list[str]:
        """The folders two levels down (for a unit's folder that holds no file), listed once: each
        unit's folder is located against the same listing."""
        if self._folders is None:
            self._folders = self._list_dirs()
        return list(self._folders)

    def _list_dirs(self) -> list[str]:
        out: list[str] = []
        if self._closed:
            return out
        try:
            for child in self.folder.iterdir():
                if child.is_dir() and not child.is_symlink() and not is_junk(child.name):
                    out.append(child.name)
                    for inner in child.iterdir():
                        if inner.is_dir() and not inner.is_symlink() and not is_junk(inner.name):
                            out.append(f"{child.name}/{inner.name}")
        except OSError:
            pass
        return out

    # ------------------------------------------------------------ reading

    def get(self, name: str, unit: str = "") -> Any:
        """The parsed deliverable ``name`` (None when missing or unreadable), read once."""
        if name not in self._state:
            from grader.read import READERS

            spec = self.paper.deliverables[name]
            located = self.locate(spec, unit)
            if located is not None and located.present:
                self._located[name] = located.relative
            if located is None:
                self._state[name], self._parsed[name] = MISSING, None
            else:
                started = time.perf_counter()
                try:
                    self._parsed[name] = READERS[spec.kind](self, spec, located)
                    self._state[name] = READ
                    self._located.setdefault(name, located.relative)
                except NothingFound:
                    self._state[name], self._parsed[name] = MISSING, None
                except MemoryError:
                    raise  # the worker's memory cap: the supervisor flags `memory-limit`
                except Exception as exc:  # noqa: BLE001 - a reader's unforeseen error costs this deliverable only
                    reason = str(exc) if isinstance(exc, ReadError) else \
                        N_("could not be read ({why})").format(why=describe(exc, located.path))
                    self.flag("unreadable-file", reason, located.path, unit)
                    self._state[name], self._parsed[name] = UNREADABLE, None
                finally:
                    self.read_seconds += time.perf_counter() - started
        return self._parsed[name]

    def state(self, name: str) -> str:
        """missing, unreadable or read (after ``get``)."""
        return self._state.get(name, MISSING)

    def read_all(self) -> Reading:
        """Read every deliverable of the paper, each under the unit that grades it, and freeze
        what was read."""
        owner = {}
        for unit in self.paper.units:
            owner.setdefault(unit.deliverable, unit.id)
        records = []
        for name, spec in self.paper.deliverables.items():
            parsed = self.get(name, owner.get(name, ""))
            state = self.state(name)
            file = self._located.get(name, "")
            reason = next((f.reason for f in reversed(self.flags)
                           if f.code == "unreadable-file" and f.file == file), "") if state == UNREADABLE else ""
            records.append(FileRecord(name, tuple(spec.names), state, file, reason, parsed))
        return Reading(tuple(records), tuple(self.relative(p) for p in self._files), tuple(self.flags),
                       tuple(self.inputs[k] for k in sorted(self.inputs)), self.read_seconds)


def read_submission(folder: Path, paper: Paper, *, disc_root: Path, exam_end: dt.datetime | None = None,
                    limits: Limits | None = None, flags: tuple[Flag, ...] = (),
                    digests: Mapping[str, tuple[int, int, str]] | None = None) -> Reading:
    """The read stage for one candidate: ``folder`` read completely (see the module). ``flags``
    are added to what reading raised (e.g. ``not-on-roster``, known before reading); ``digests``
    are the files' digests the cache key took (``grader.cache.folder_state``), so that no file is
    hashed twice in a run."""
    submission = Submission(folder, paper, disc_root=disc_root, exam_end=exam_end, limits=limits,
                            digests=digests)
    submission.flags.extend(flags)
    return submission.read_all()
