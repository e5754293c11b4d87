"""Where a disc comes from: a folder, an ISO 9660 image, or a zip archive.

``open_disc(path)`` is a context manager giving a folder to grade. A folder is used as it is.
An ISO image is read with pycdlib (Rock Ridge names first, then Joliet, then plain ISO 9660)
and a zip with the standard library; both are unpacked into a temporary folder that is removed
afterwards, never next to the archive. Entries that would land outside that folder (absolute
paths, ``..``), links and devices are skipped with a warning; an archive that expands past the
cap is refused. File times are kept, so ``modified-after-end`` works on images too.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.errors import DiscError, describe
from grader.limits import Limits

ARCHIVE_SUFFIXES = (".iso", ".zip")


@dataclass
class DiscSource:
    root: Path  # the folder to grade
    original: Path  # what the user named
    kind: str  # folder, iso, zip
    warnings: list[str] = field(default_factory=list)


def safe_member(name: str) -> PurePosixPath | None:
    """An archive member's path if it stays inside the unpack folder, else None."""
    name = name.replace("\\", "/")
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    return path


@contextlib.contextmanager
def open_disc(path: str | Path, limits: Limits | None = None) -> Iterator[DiscSource]:
    """Yield a folder holding the disc; unpack an ISO or zip into a temporary folder first."""
    path = Path(path)
    limits = limits or Limits()
    if not path.exists():
        raise DiscError(f"{path} does not exist")
    if path.is_dir():
        yield DiscSource(path, path, "folder")
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
                _unzip(path, target, limits, source.warnings)
            else:
                _unpack_iso(path, target, limits, source.warnings)
        except DiscError:
            raise
        except Exception as exc:
            raise DiscError(f"{path.name} cannot be read as a {suffix[1:]} disc image ({describe(exc, path)})") from exc
        source.root = _single_top_folder(target)
        yield source


def _single_top_folder(root: Path) -> Path:
    """An archive that holds one folder with the disc's exam.toml or roster: grade that folder."""
    children = [c for c in root.iterdir()]
    if len(children) == 1 and children[0].is_dir():
        inner = children[0]
        if any((inner / n).is_file() for n in ("exam.toml", "roster.csv", "roster.xlsx", "roster.xls")):
            return inner
    return root


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Member name as its writer meant it: UTF-8 when flagged, else GBK (Chinese Windows) or cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unzip(path: Path, target: Path, limits: Limits, warnings: list[str]) -> None:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        expanded = sum(i.file_size for i in infos)
        if expanded > limits.max_archive_bytes:
            raise DiscError(f"{path.name} expands to {expanded:,} bytes, over the cap of "
                            f"{limits.max_archive_bytes:,}")
        for info in infos:
            name = _zip_name(info)
            member = safe_member(name)
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the writer gave no file type
            if member is None:
                warnings.append(f"{path.name}: skipped {name!r}, a path outside the disc")
                continue
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                warnings.append(f"{path.name}: skipped {name!r}, a link or special file")
                continue
            out = target.joinpath(*member.parts)
            if info.is_dir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, out.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            when = dt.datetime(*info.date_time).timestamp()
            os.utime(out, (when, when))


def _unpack_iso(path: Path, target: Path, limits: Limits, warnings: list[str]) -> None:
    import pycdlib

    iso = pycdlib.PyCdlib()
    iso.open(str(path))
    try:
        if iso.has_rock_ridge():
            key = "rr_path"
        elif iso.has_joliet():
            key = "joliet_path"
        else:
            key = "iso_path"
        total = 0
        for dirname, _, files in iso.walk(**{key: "/"}):
            folder = safe_member(dirname.strip("/"))
            if folder is not None and dirname.strip("/"):
                target.joinpath(*folder.parts).mkdir(parents=True, exist_ok=True)  # empty folders count
            for name in files:
                iso_name = f"{dirname.rstrip('/')}/{name}"
                local = name.split(";", 1)[0] if key == "iso_path" else name
                member = safe_member(f"{dirname.strip('/')}/{local}".lstrip("/"))
                if member is None:
                    warnings.append(f"{path.name}: skipped {iso_name!r}, a path outside the disc")
                    continue
                record = iso.get_record(**{key: iso_name})
                if key == "rr_path" and record.rock_ridge is not None and record.rock_ridge.is_symlink():
                    warnings.append(f"{path.name}: skipped {iso_name!r}, a symbolic link")
                    continue
                total += record.get_data_length()
                if total > limits.max_archive_bytes:
                    raise DiscError(f"{path.name} expands past the cap of {limits.max_archive_bytes:,} bytes")
                out = target.joinpath(*member.parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                with out.open("wb") as dst:
                    iso.get_file_from_iso_fp(dst, **{key: iso_name})
                when = _record_time(record)
                if when is not None:
                    os.utime(out, (when, when))
    finally:
        iso.close()


def _record_time(record) -> float | None:
    """A directory record's recording time (with its offset from GMT in 15-minute steps)."""
    date = getattr(record, "date", None)
    if date is None or not date.years_since_1900:
        return None
    offset = dt.timezone(dt.timedelta(minutes=15 * date.gmtoffset))
    try:
        return dt.datetime(1900 + date.years_since_1900, date.month, date.day_of_month, date.hour,
                           date.minute, date.second, tzinfo=offset).timestamp()
    except ValueError:
        return None
