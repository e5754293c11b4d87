"""A wheelhouse for a centre without internet: every wheel ``grade`` needs, in one folder.

On a machine with internet, from the repository::

    python tools/wheelhouse.py build wheelhouse                  # for a machine like this one
    python tools/wheelhouse.py build wheelhouse-win --platform win_amd64 --python-version 3.11

At the centre, offline (or ``py -m pip install --no-index --find-links wheelhouse exam-grader``)::

    python tools/wheelhouse.py install wheelhouse

In CI: build for this machine, install offline into a fresh venv, grade the demo disc from
another folder and compare every candidate result byte for byte with a run of the checkout::

    python tools/wheelhouse.py check --against reports/2026A-demo

The wheelhouse holds the project's wheel (built from a copy of the sources, papers included),
jieba's wheel (PyPI has jieba only as an sdist, pure Python: built here once) and every other
runtime dependency as a wheel from the index, for this machine or the platform given. Standard
library only; runs on Windows and Linux.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_DISC = REPO / "sample_submissions" / "2026A-demo"
# What building the project's wheel reads; the rest of the checkout (and its build/ folder,
# where earlier builds leave files a new wheel would pick up) stays out of the copy.
BUILD_SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "grader", "rubrics", "answer_keys")
# Runtime dependencies PyPI has no wheel of: built into a wheel here. They must be pure Python.
SDIST_ONLY = ("jieba",)
# Environment markers naming Windows: pip evaluates markers for this machine even when it
# downloads for another platform, so what a dependency needs on Windows only is looked up here.
WINDOWS_MARKER = re.compile(r"""sys_platform\s*==\s*["']win32["']|platform_system\s*==\s*["']Windows["']"""
                            r"""|os_name\s*==\s*["']nt["']""")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Variables that would let a check's run reach beyond the installed package (pip's own settings
# are dropped apart: see offline_environment).
FOREIGN = ("PYTHONPATH", "PYTHONHOME", "GRADER_PAPERS", "VIRTUAL_ENV")


class Failure(Exception):
    """A step failed; the message says which and why."""


def project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pip(*args: str, python: str | Path = sys.executable, env: dict[str, str] | None = None) -> None:
    command = [str(python), "-m", "pip", *args]
    print("$", " ".join(command), flush=True)
    if subprocess.run(command, env=env, check=False).returncode != 0:
        raise Failure(f"pip {args[0]} failed (command above)")


def project_wheel(folder: Path) -> Path:
    """Build the project's wheel into ``folder`` from a clean copy of what the build reads."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "exam-grader"
        source.mkdir()
        for name in BUILD_SOURCES:
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(REPO / name, source / name)
        pip("wheel", "--no-deps", "-q", "-w", str(folder), str(source))
    meta = project()
    name = re.sub(r"[-_.]+", "_", meta["name"])
    return folder / f"{name}-{meta['version']}-py3-none-any.whl"


def sdist_only_requirements() -> list[str]:
    pattern = re.compile(rf"({'|'.join(SDIST_ONLY)})\b", re.IGNORECASE)
    return [r for r in project()["dependencies"] if pattern.match(r)]


def build(folder: Path, platform: str | None = None, python_version: str | None = None) -> list[Path]:
    """Fill ``folder`` with every wheel an offline ``pip install exam-grader`` needs; return them."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    own = project_wheel(folder)
    for requirement in sdist_only_requirements():
        pip("wheel", "--no-deps", "-q", "-w", str(folder), requirement)
    target = []
    if platform:
        target = ["--platform", platform, "--implementation", "cp",
                  "--python-version", python_version or f"{sys.version_info.major}.{sys.version_info.minor}"]
    # Resolving the project's own wheel pulls in every runtime dependency; the find-links
    # folder offers the wheels just built, which no index has.
    download = ["download", "-q", "--only-binary=:all:", "--find-links", str(folder), "-d", str(folder),
                *target]
    pip(*download, str(own))
    asked: set[str] = set()
    while missing := platform_only_requirements(folder, platform):
        if asked.issuperset(missing):
            raise Failure(f"no wheel for {', '.join(missing)} on {platform}")
        asked.update(missing)
        pip(*download, *missing)
    wheels = sorted(folder.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels)
    print(f"wheelhouse {folder}: {len(wheels)} wheels, {size / 2**20:.1f} MiB"
          + (f" for {platform}, Python {target[-1]}" if platform else " for this machine"))
    return wheels


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requires_dist(wheel: Path) -> list[str]:
    """The wheel's ``Requires-Dist`` lines, as written in its METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        [meta] = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        text = archive.read(meta).decode("utf-8")
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]


def platform_only_requirements(folder: Path, platform: str | None) -> list[str]:
    """What the wheels in ``folder`` need on a Windows ``platform`` only and the folder lacks."""
    if not (platform or "").startswith("win"):
        return []
    wheels = list(folder.glob("*.whl"))
    present = {normalised(w.name.split("-", 1)[0]) for w in wheels}
    missing = set()
    for wheel in wheels:
        for line in requires_dist(wheel):
            requirement, _, marker = line.partition(";")
            name = normalised(NAME.match(requirement.strip()).group(0))
            if WINDOWS_MARKER.search(marker) and "extra" not in marker and name not in present:
                missing.add(requirement.strip())
    return sorted(missing)


def install(folder: Path, python: str | Path = sys.executable, env: dict[str, str] | None = None) -> None:
    """``pip install --no-index --find-links FOLDER exam-grader``: nothing is fetched from anywhere else."""
    pip("install", "--no-index", "--find-links", str(Path(folder).resolve()), project()["name"],
        python=python, env=env)


def offline_environment() -> dict[str, str]:
    """This environment without pip's settings (its config files, PIP_* variables) and extra paths,
    so that an install sees the wheelhouse only and a run sees the installed package only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k not in FOREIGN}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def fresh_venv(folder: Path) -> tuple[Path, Path]:
    """A new venv with pip; its python and its ``grade`` command."""
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    scripts, suffix = ("Scripts", ".exe") if os.name == "nt" else ("bin", "")
    return folder / scripts / f"python{suffix}", folder / scripts / f"grade{suffix}"


def grade(command: list[str | Path], disc: Path, out: Path, cwd: Path,
          env: dict[str, str] | None = None) -> None:
    shown = [str(c) for c in command] + [str(disc), "--out", str(out), "--quiet"]
    print("$", " ".join(shown), f"(in {cwd})", flush=True)
    if subprocess.run(shown, cwd=cwd, env=env, check=False).returncode != 0:
        raise Failure(f"grading {disc} failed (command above)")


def differences(expected: Path, found: Path) -> list[str]:
    """Every way the ``candidates/*.json`` of two results folders differ, one line each."""
    before = {p.name: p for p in (expected / "candidates").glob("*.json")}
    after = {p.name: p for p in (found / "candidates").glob("*.json")}
    if not before:
        return [f"{expected} holds no candidates/*.json"]
    lines = [f"{name}: only in {expected}" for name in sorted(set(before) - set(after))]
    lines += [f"{name}: only in {found}" for name in sorted(set(after) - set(before))]
    lines += [f"{name}: differs" for name in sorted(set(before) & set(after))
              if before[name].read_bytes() != after[name].read_bytes()]
    return lines


def check(against: Path | None, disc: Path = DEMO_DISC) -> None:
    """Build the wheelhouse, install it offline into a fresh venv, grade ``disc`` from an empty folder
    and compare the candidate results with ``against`` (by default, a run of this checkout)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wheelhouse-check-") as tmp:
        tmp = Path(tmp).resolve()
        wheels = build(tmp / "wheelhouse")
        python, grade_command = fresh_venv(tmp / "venv")
        env = offline_environment()
        install(tmp / "wheelhouse", python=python, env=env)
        elsewhere = tmp / "elsewhere"
        elsewhere.mkdir()
        grade([grade_command], disc.resolve(), tmp / "out", cwd=elsewhere, env=env)
        rubric = Path(_manifest_rubric(tmp / "out"))
        if (tmp / "venv") not in rubric.parents:
            raise Failure(f"the installed grade read the rubric {rubric}, not the one inside its package")
        reference = Path(against) if against is not None else tmp / "reference"
        if against is None:
            grade([sys.executable, "-m", "grader"], disc.resolve(), reference, cwd=REPO)
        shown = against or "this checkout's run"
        found = differences(reference, tmp / "out")
        if found:
            raise Failure(f"the offline install's results differ from {shown}:\n  " + "\n  ".join(found))
        count = len(list((tmp / "out" / "candidates").glob("*.json")))
    print(f"wheelhouse check: {len(wheels)} wheels installed offline into a fresh venv; the {count} "
          f"candidate results equal {shown} byte for byte ({time.perf_counter() - started:.0f} s)")


def _manifest_rubric(out: Path) -> str:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["rubric"]["location"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wheelhouse.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("build", help="fill DIR with every wheel grade needs")
    making.add_argument("dir", type=Path)
    making.add_argument("--platform", help="a wheel platform tag, e.g. win_amd64 (default: this machine)")
    making.add_argument("--python-version", help="with --platform: e.g. 3.11 (default: this Python's)")
    installing = commands.add_parser("install", help="install exam-grader from DIR alone, offline")
    installing.add_argument("dir", type=Path)
    checking = commands.add_parser("check", help="an offline install in a fresh venv grades as this checkout")
    checking.add_argument("--against", type=Path, default=None,
                          help="a results folder of the demo disc to compare with (default: grade it here)")
    args = parser.parse_args(argv)
    if args.command == "build" and args.python_version and not args.platform:
        parser.error("--python-version needs --platform")
    try:
        if args.command == "build":
            build(args.dir, args.platform, args.python_version)
        elif args.command == "install":
            install(args.dir)
        else:
            check(args.against)
    except Failure as exc:
        print(f"wheelhouse.py {args.command}: FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
