"""Where a disc comes from: a folder, an ISO image, or a zip archive.

``open_disc(path)`` is a context manager giving a folder to grade. A folder is used as it is.
An ISO image is read with pycdlib and a zip with the standard library; both are unpacked into
a temporary folder that is removed afterwards, never next to the archive. File times are kept,
so ``modified-after-end`` works on images too; an archive that expands past the cap is refused.

An image's names are taken from the first of its name spaces that holds long names:

1. Rock Ridge: POSIX names of up to 255 bytes, exact case, and links marked as links;
2. UDF (what Windows' own disc burning writes): names of up to 255 bytes, as Explorer shows them;
3. Joliet: names of at most 64 characters (writers cut longer ones);
4. plain ISO 9660, shown as Windows shows it: ``NAME.EXT;1`` as ``NAME.EXT``, ``NAME.`` as ``NAME``.
   Interchange level 4 keeps long names and their case; levels 1 to 3 have only upper-case
   8.3 or 31-character names, so such a disc rarely shows a deliverable's real name.

A name space that cannot be read (a damaged UDF tree, say) gives way to the next, with a warning.

One entry that cannot be unpacked safely never refuses the disc: an absolute name, a drive
letter, a ``.`` or ``..`` part, a NUL, a part over 255 bytes, a link or a device is skipped,
with a warning and a ``SkippedEntry`` saying which folders held it, so the candidate whose
folder that is can be flagged.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from grader.errors import DiscError, describe
from grader.limits import Limits

ARCHIVE_SUFFIXES = (".iso", ".zip")
MAX_NAME_BYTES = 255  # one name part on Linux and macOS; NTFS allows 255 UTF-16 units, never fewer
NAME_SPACES = ("rr_path", "udf_path", "joliet_path", "iso_path")  # in the order they are preferred
SPACE_NAMES = {"rr_path": "Rock Ridge", "udf_path": "UDF", "joliet_path": "Joliet", "iso_path": "ISO 9660"}
# what a file system refuses in a name: the entry is skipped, the disc is not
ENTRY_ERRNOS = {getattr(errno, name) for name in ("ENAMETOOLONG", "EILSEQ", "EINVAL", "EISDIR", "ENOTDIR", "EEXIST")
                if hasattr(errno, name)}  # a platform's errno module may lack a name
DRIVE = re.compile(r"[A-Za-z]:")
VERSION = re.compile(r";[0-9]*$")


@dataclass(frozen=True)
class SkippedEntry:
    """An archive entry that was not unpacked, and the folders (relative to the disc root) that held it."""

    name: str  # as the archive gives it
    reason: str
    folders: tuple[str, ...] = ()  # ("ks01",) for "ks01/../x"; () when no folder of the disc held it

    @property
    def shown(self) -> str:
        """The name for a message: escaped, and cut when it is very long."""
        text = repr(self.name)
        return text if len(text) <= 120 else f"{text[:100]}…' ({len(self.name.encode('utf-8', 'replace'))} bytes)"


@dataclass
class DiscSource:
    root: Path  # the folder to grade
    original: Path  # what the user named
    kind: str  # folder, iso, zip
    warnings: list[str] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)

    def skip(self, name: str, reason: str, folders: tuple[str, ...] = ()) -> None:
        entry = SkippedEntry(name, reason, folders)
        self.skipped.append(entry)
        self.warnings.append(f"{self.original.name}: skipped {entry.shown}, {reason}")


def member_problem(name: str) -> str | None:
    """Why an archive entry's name cannot be unpacked inside the disc folder, or None when it can.

    >>> member_problem("ks01/u1_accounts.xlsx") is None
    True
    >>> member_problem("ks01/../../etc/passwd")
    "a '..' part, a path outside the disc"
    >>> member_problem("C:/ks01/x")
    'a drive letter, a path outside the disc'
    """
    if "\0" in name:
        return "a name holding a NUL character"
    name = name.replace("\\", "/")
    parts = [p for p in name.split("/") if p]
    if name.startswith("/"):
        return "an absolute name, a path outside the disc"
    if not parts:
        return "an empty name"
    if DRIVE.match(parts[0]):
        return "a drive letter, a path outside the disc"
    if ".." in parts:
        return "a '..' part, a path outside the disc"
    if "." in parts:
        return "a '.' part"
    longest = max(len(p.encode("utf-8", "surrogatepass")) for p in parts)
    if longest > MAX_NAME_BYTES:
        return f"a name part of {longest} bytes, over the {MAX_NAME_BYTES} a file system allows"
    return None


def holding_folders(name: str) -> tuple[str, ...]:
    """The plain folder names an entry's name starts with, up to its first odd part or its own name."""
    name = name.replace("\\", "/")
    if name.startswith("/") or "\0" in name.split("/")[0]:
        return ()
    parts = [p for p in name.split("/") if p][:-1]
    held: list[str] = []
    for part in parts:
        if part in (".", "..") or "\0" in part or len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES \
                or (not held and DRIVE.match(part)):
            break
        held.append(part)
    return tuple(held)


@contextlib.contextmanager
def open_disc(path: str | Path, limits: Limits | None = None) -> Iterator[DiscSource]:
    """Yield a folder holding the disc; unpack an ISO or zip into a temporary folder first."""
    path = Path(path)
    limits = limits or Limits()
    if not path.exists():
        raise DiscError(f"{path} does not exist")
    if path.is_dir():
        source = DiscSource(_single_top_folder(path), path, "folder")
        if source.root != path:  # e.g. grade E:\ where the burned disc is E:\2026-11-25\
            source.warnings.append(f"{path} holds one folder, {source.root.name}, with the disc's roster or "
                                   f"exam.toml: that folder was graded")
        elif discs_inside(path):  # several discs, or one beside other things: graded as it is, and said
            source.warnings.append(inner_discs_text(path, discs_inside(path), graded=True))
        yield source
        return
    suffix = path.suffix.lower()
    if suffix not in ARCHIVE_SUFFIXES:
        raise DiscError(f"{path} is neither a folder nor a .iso or .zip disc image")
    with tempfile.TemporaryDirectory(prefix="grade-disc-") as temp:
        target = Path(temp) / "disc"
        target.mkdir()
        source = DiscSource(target, path, suffix[1:])
        try:
            if suffix == ".zip":
                _unzip(path, target, limits, source)
            else:
                _unpack_iso(path, target, limits, source)
        except DiscError:
            raise
        except Exception as exc:
            raise DiscError(f"{path.name} cannot be read as a {suffix[1:]} disc image ({describe(exc, path)})") from exc
        source.root = _single_top_folder(target)
        if source.root != target:  # the skipped entries' folders, relative to the folder graded
            source.skipped = [SkippedEntry(s.name, s.reason, s.folders[1:] if s.folders[:1] == (source.root.name,)
                                           else ()) for s in source.skipped]
        yield source


DISC_FILES = ("exam.toml", "roster.csv", "roster.xlsx", "roster.xls")


def discs_inside(root: Path) -> list[Path]:
    """The sub-folders of a folder without its own roster or exam.toml that have one: discs, seen
    from the folder above them."""
    from grader.intake import is_junk

    if any((root / n).is_file() for n in DISC_FILES):
        return []
    try:
        return sorted(c for c in root.iterdir() if c.is_dir() and not c.is_symlink() and not is_junk(c.name)
                      and any((c / n).is_file() for n in DISC_FILES))
    except OSError:
        return []


def inner_discs_text(root: Path, inner: list[Path], graded: bool) -> str:
    """What a run on the folder above discs says it found (and did), in English and Chinese."""
    names = ", ".join(c.name for c in inner)
    did = (f"graded {root} as it is, without their rosters; ", "已按原样评分（未用其名册）；") if graded else ("", "")
    return (f"{root} has no roster or exam.toml of its own, but {names} "
            f"{'has' if len(inner) == 1 else 'each have'} one; {did[0]}to grade one disc, run grade {inner[0]} "
            f"（该文件夹本身没有名册或 exam.toml，子文件夹 {names} 有；{did[1]}若要评某一光盘，请运行 grade {inner[0]}）")


def _single_top_folder(root: Path) -> Path:
    """A folder or archive that holds, besides what every disc carries (Thumbs.db, __MACOSX…), just
    one folder with the disc's exam.toml or roster, and none itself: grade that folder."""
    from grader.intake import is_junk

    if any((root / n).is_file() for n in DISC_FILES):
        return root
    try:
        children = [c for c in root.iterdir() if not is_junk(c.name)]
    except OSError:
        return root
    if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink():
        inner = children[0]
        if any((inner / n).is_file() for n in DISC_FILES):
            return inner
    return root


def _place(source: DiscSource, target: Path, name: str, copy: Callable[[BinaryIO], None] | None,
           when: float | None = None) -> None:
    """Unpack one entry (a file when ``copy`` writes its bytes, else a folder) under ``target``, or
    skip it with the reason when its name cannot be unpacked there."""
    problem = member_problem(name)
    if problem is None:
        out = target.joinpath(*PurePosixPath(name.replace("\\", "/")).parts)
        try:
            if copy is None:
                out.mkdir(parents=True, exist_ok=True)
                return
            if out.exists() or out.is_symlink():
                source.skip(name, "a second entry of that name (the first is kept)", holding_folders(name))
                return
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("xb") as dst:
                copy(dst)
            if when is not None:
                os.utime(out, (when, when))
            return
        except OSError as exc:
            if exc.errno not in ENTRY_ERRNOS:
                raise
            problem = f"which cannot be unpacked here ({exc.strerror or describe(exc)})"
    folders = holding_folders(name)
    if folders:  # the folder that held it is kept, so its candidate is graded and flagged
        with contextlib.suppress(OSError):
            target.joinpath(*folders).mkdir(parents=True, exist_ok=True)
    source.skip(name, problem, folders)


def _unzip(path: Path, target: Path, limits: Limits, source: DiscSource) -> None:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        expanded = sum(i.file_size for i in infos)
        if expanded > limits.max_archive_bytes:
            raise DiscError(f"{path.name} expands to {expanded:,} bytes, over the cap of "
                            f"{limits.max_archive_bytes:,}")
        for info in infos:
            name = _zip_name(info)
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the writer gave no file type
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                source.skip(name, "a link or special file", holding_folders(name))
                continue
            if info.is_dir():
                _place(source, target, name, None)
                continue

            def copy(dst: BinaryIO, info: zipfile.ZipInfo = info) -> None:
                with archive.open(info) as src:
                    shutil.copyfileobj(src, dst, 1 << 20)

            _place(source, target, name, copy, dt.datetime(*info.date_time).timestamp())


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Member name as its writer meant it: UTF-8 when flagged, else GBK (Chinese Windows) or cp437.
    The name is the archive's own, NUL and all (``filename`` is cut at a NUL)."""
    if info.flag_bits & 0x800:
        return info.orig_filename
    raw = info.orig_filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.orig_filename


def _unpack_iso(path: Path, target: Path, limits: Limits, source: DiscSource) -> None:
    import pycdlib

    iso = pycdlib.PyCdlib()
    iso.open(str(path))
    try:
        key, tree = _name_space(iso, source)
        total = 0
        for dirname, files in tree:
            folder = dirname.strip("/")
            if folder:
                _place(source, target, _shown_name(folder, key), None)  # empty folders count
            for name in files:
                iso_name = f"{dirname.rstrip('/')}/{name}"
                local = f"{folder}/{_shown_name(name, key)}".lstrip("/")
                if member_problem(local) is not None:
                    _place(source, target, local, None)  # skipped, with the reason
                    continue
                record = iso.get_record(**{key: iso_name})
                if _is_link(record, key):
                    source.skip(local, "a symbolic link", holding_folders(local))
                    continue
                total += record.get_data_length()
                if total > limits.max_archive_bytes:
                    raise DiscError(f"{path.name} expands past the cap of {limits.max_archive_bytes:,} bytes")

                def copy(dst: BinaryIO, iso_name: str = iso_name) -> None:
                    iso.get_file_from_iso_fp(dst, **{key: iso_name})

                _place(source, target, local, copy, _record_time(record))
    finally:
        iso.close()


def _name_space(iso, source: DiscSource) -> tuple[str, list[tuple[str, list[str]]]]:
    """The preferred name space the image has and can be walked, with its folders and their files."""
    present = {"rr_path": iso.has_rock_ridge(), "udf_path": iso.has_udf(), "joliet_path": iso.has_joliet(),
               "iso_path": True}
    spaces = [k for k in NAME_SPACES if present[k]]
    for key in spaces:
        try:
            return key, _folders(iso, key, "/")
        except Exception as exc:  # a damaged name space gives way to the next one
            if key == spaces[-1]:
                raise
            source.warnings.append(f"{source.original.name}: its {SPACE_NAMES[key]} names cannot be read "
                                   f"({describe(exc)}); the next name space is read instead")
    raise AssertionError("unreachable: plain ISO 9660 names are always present")


def _folders(iso, key: str, path: str) -> list[tuple[str, list[str]]]:
    """The folder at ``path`` and every folder under it, each with the names of its files.

    Each folder's path is built here from its parents' names: pycdlib's own walk spells a UDF
    folder's path wrongly below a folder with a name that is not Latin-1 (UTF-16 bytes read as Latin-1).
    """
    walk = iso.walk(**{key: path})
    _, folders, files = next(walk)
    below = sorted(folders)
    folders.clear()  # one level at a time: the walk goes no deeper
    walk.close()
    found = [(path, files)]
    for name in below:
        found += _folders(iso, key, f"{path.rstrip('/')}/{name}")
    return found


def _shown_name(name: str, key: str) -> str:
    """A name as Windows shows it: ISO 9660 and Joliet without the ``;1`` version, and a plain ISO
    9660 name with no extension without its trailing dot.

    >>> _shown_name("U1_ACCOU.XLS;1", "iso_path"), _shown_name("README.;1", "iso_path")
    ('U1_ACCOU.XLS', 'README')
    >>> _shown_name("a;1", "rr_path")
    'a;1'
    """
    if key in ("iso_path", "joliet_path"):
        name = "/".join(VERSION.sub("", part) for part in name.split("/"))
    if key == "iso_path":
        name = "/".join(part[:-1] if part.endswith(".") and part.strip(".") else part for part in name.split("/"))
    return name


def _is_link(record, key: str) -> bool:
    if key == "rr_path":
        return record.rock_ridge is not None and record.rock_ridge.is_symlink()
    if key == "udf_path":
        return not record.is_file()
    return False


def _record_time(record) -> float | None:
    """A file's recording time: a UDF file entry's modification time, else the ISO 9660 directory
    record's (with its offset from GMT in 15-minute steps)."""
    stamp = getattr(record, "mod_time", None)
    if stamp is not None:
        minutes = stamp.tz if -1440 <= stamp.tz <= 1440 else 0  # -2047: no zone recorded
        parts = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    else:
        date = getattr(record, "date", None)
        if date is None or not date.years_since_1900:
            return None
        minutes = 15 * date.gmtoffset
        parts = (1900 + date.years_since_1900, date.month, date.day_of_month, date.hour, date.minute, date.second)
    try:
        return dt.datetime(*parts, tzinfo=dt.timezone(dt.timedelta(minutes=minutes))).timestamp()
    except ValueError:
        return None
