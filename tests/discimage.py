"""Building ISO 9660 images and zip archives of a folder, for tests of disc-image input."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path


def make_iso(folder: Path, target: Path, *, rock_ridge: bool = True, joliet: bool = True) -> Path:
    """An ISO image of ``folder``: 8.3 ISO names, the real names in Rock Ridge and Joliet."""
    import pycdlib

    iso = pycdlib.PyCdlib()
    iso.new(joliet=3 if joliet else None, rock_ridge="1.09" if rock_ridge else None)
    iso_dirs: dict[Path, str] = {folder: ""}
    ordered = sorted(folder.rglob("*"), key=lambda p: (len(p.parts), str(p)))
    for counter, path in enumerate(ordered, start=1):
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
    iso.write(str(target))
    iso.close()
    return target


def make_zip(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target
