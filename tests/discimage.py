"""Building disc images (ISO 9660 with Rock Ridge or Joliet, UDF, plain ISO 9660) and zip
archives of a folder, for tests of disc-image input."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path


def make_iso(folder: Path, target: Path, *, rock_ridge: bool = True, joliet: bool = True,
             odd_names: dict[str, bytes] | None = None) -> Path:
    """An ISO image of ``folder``: 8.3 ISO names, the real names in Rock Ridge and Joliet.
    ``odd_names``: more files, by a Rock Ridge name no folder could hold (``ks01/..``, 300 bytes),
    each in a folder of ``folder``."""
    import pycdlib

    iso = pycdlib.PyCdlib()
    iso.new(joliet=3 if joliet else None, rock_ridge="1.09" if rock_ridge else None)
    iso_dirs: dict[Path, str] = {folder: ""}
    for counter, path in enumerate(_ordered(folder), start=1):
        parent = iso_dirs[path.parent]
        rel = path.relative_to(folder).as_posix()
        names = {}
        if rock_ridge:
            names["rr_name"] = path.name
        if joliet:
            names["joliet_path"] = "/" + rel
        if path.is_dir():
            iso_path = f"{parent}/D{counter:06d}"
            iso_dirs[path] = iso_path
            iso.add_directory(iso_path, **names)
        else:
            data = path.read_bytes()
            iso.add_fp(io.BytesIO(data), len(data), f"{parent}/F{counter:06d}.;1", **names)
    for counter, (name, data) in enumerate(sorted((odd_names or {}).items()), start=1):
        parent, _, rr_name = name.rpartition("/")
        iso.add_fp(io.BytesIO(data), len(data), f"{iso_dirs[folder / parent]}/ODD{counter:05d}.;1", rr_name=rr_name)
    iso.write(str(target))
    iso.close()
    return target


def make_udf(folder: Path, target: Path, *, joliet_cut: int | None = None) -> Path:
    """A UDF image of ``folder``, as Windows burns a disc: the real names in UDF, 8.3 ISO names beside.
    ``joliet_cut``: also Joliet names, cut as Joliet writers cut them (to that many UTF-8 bytes, as
    pycdlib counts a Joliet name)."""
    import pycdlib

    iso = pycdlib.PyCdlib()
    iso.new(udf="2.60", joliet=3 if joliet_cut else None)
    iso_dirs: dict[Path, str] = {folder: ""}
    for counter, path in enumerate(_ordered(folder), start=1):
        rel = path.relative_to(folder)
        names = {"udf_path": "/" + rel.as_posix()}
        if joliet_cut:
            names["joliet_path"] = "/" + "/".join(part.encode()[:joliet_cut].decode(errors="ignore")
                                                  for part in rel.parts)
        parent = iso_dirs[path.parent]
        if path.is_dir():
            iso_dirs[path] = f"{parent}/D{counter:06d}"
            iso.add_directory(iso_dirs[path], **names)
        else:
            data = path.read_bytes()
            iso.add_fp(io.BytesIO(data), len(data), f"{parent}/F{counter:06d}.;1", **names)
    iso.write(str(target))
    iso.close()
    return target


def make_plain_iso(folder: Path, target: Path, *, interchange_level: int = 4) -> Path:
    """An ISO 9660 image of ``folder`` with no Joliet, Rock Ridge or UDF names. Level 4 writes the
    names themselves (any case and length); below it, names become upper-case 8.3 names as a
    burner makes them (``u1_accounts.xlsx`` → ``U1_ACCOU.XLS``). Files carry the ``;1`` version."""
    import pycdlib

    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=interchange_level)
    iso_paths: dict[Path, str] = {folder: ""}
    taken: set[str] = set()
    for path in _ordered(folder):
        parent = iso_paths[path.parent]
        name = path.name if interchange_level == 4 else _short_name(path.name, path.is_dir(), parent, taken)
        iso_paths[path] = f"{parent}/{name}"
        taken.add(iso_paths[path])
        if path.is_dir():
            iso.add_directory(iso_paths[path])
        else:
            data = path.read_bytes()
            iso.add_fp(io.BytesIO(data), len(data), iso_paths[path] + ("" if "." in name else ".") + ";1")
    iso.write(str(target))
    iso.close()
    return target


def _short_name(name: str, is_dir: bool, parent: str, taken: set[str]) -> str:
    """An 8.3 name of d-characters (A-Z, 0-9, _), made unique with _1, _2… (ISO 9660 has no ~)."""
    stem, dot, extension = ("", "", "") if is_dir else name.rpartition(".")
    stem, extension = (name, "") if is_dir or not dot else (stem, extension)
    clean = ["".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in part.upper())
             for part in (stem, extension)]
    short = clean[0][:8] + ("." + clean[1][:3] if clean[1] else "")
    counter = 0
    while f"{parent}/{short}" in taken:
        counter += 1
        short = f"{clean[0][:6]}_{counter}" + ("." + clean[1][:3] if clean[1] else "")
    return short


def _ordered(folder: Path) -> list[Path]:
    """Every file and folder under ``folder``, parents before what they hold."""
    return sorted(folder.rglob("*"), key=lambda p: (len(p.parts), str(p)))


def make_zip(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target
