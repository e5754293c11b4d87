"""What an installed grader needs: the papers inside the wheel, and the command behind it."""
from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def own_environment(**given: str) -> dict[str, str]:
    """This process's environment without GRADER_PAPERS, which would add papers to the search."""
    return {**{k: v for k, v in os.environ.items() if k != "GRADER_PAPERS"}, **given}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The project's wheel, built from a copy of the sources: the checkout's build/ folder, left by
    earlier builds, would otherwise hand the wheel whatever it held."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("grader", "rubrics", "answer_keys"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base), str(source)],
                   check=True, capture_output=True)
    [built] = base.glob("exam_grader-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_the_wheel_carries_every_file_of_the_papers(wheel):
    names = set(wheel.namelist())
    for top in ("rubrics", "answer_keys"):
        files = sorted(p for p in (REPO / top).rglob("*") if p.is_file())
        assert files
        for path in files:
            inside = f"grader/papers/{path.relative_to(REPO).as_posix()}"
            assert inside in names, inside
            assert wheel.read(inside) == path.read_bytes(), inside


def test_the_wheel_carries_no_paper_outside_the_package(wheel):
    tops = {name.split("/", 1)[0] for name in wheel.namelist()}
    assert tops == {"grader", "exam_grader-0.1.0.dist-info"}


def test_an_installed_grader_finds_its_papers_inside_the_package(wheel, tmp_path):
    target, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    wheel.filename], check=True, capture_output=True)
    script = ("import grader; from grader.paper import load_paper; paper = load_paper('2026A'); "
              "print(grader.__file__); print(grader.installed_papers()); print(paper.key.root)")
    shown = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, capture_output=True, text=True,
                           env=own_environment(PYTHONPATH=str(target)), check=True).stdout.splitlines()
    papers = target / "grader" / "papers"
    assert shown == [str(target / "grader" / "__init__.py"), str({"2026A": papers / "rubrics" / "2026A.toml"}),
                     str(papers / "answer_keys" / "2026A")]


def test_python_dash_m_grader_is_the_grade_command():
    shown = subprocess.run([sys.executable, "-m", "grader", "--version"], capture_output=True, text=True)
    assert (shown.returncode, shown.stdout) == (0, "grade, version 0.1.0\n")


def requirements(lines: list[str]) -> dict[str, str]:
    """``["Jinja2>=3.1"]`` → ``{"jinja2": ">=3.1"}``, names normalised as pip compares them."""
    found = {}
    for line in lines:
        name, version = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)", line).groups()
        found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def third_party_imports() -> dict[str, set[str]]:
    """Top-level module → the grader modules importing it, for every module outside the stdlib."""
    found: dict[str, set[str]] = {}
    for path in (REPO / "grader").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for top in {name.split(".")[0] for name in names} - set(sys.stdlib_module_names) - {"grader"}:
                found.setdefault(top, set()).add(path.relative_to(REPO).as_posix())
    return found


def test_every_module_the_grader_imports_is_a_runtime_dependency_with_a_lower_bound():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = requirements(project["dependencies"])
    dask = requirements(project["optional-dependencies"]["dask"])
    distributions = importlib.metadata.packages_distributions()
    imports = third_party_imports()
    assert {"click", "jieba", "xlwt", "markupsafe", "distributed"} <= set(imports)
    for module, where in sorted(imports.items()):
        [name] = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions[module]}
        if where == {"grader/distributed.py"}:  # --dask only, with the dask extra
            declared = dask
        else:
            declared = runtime
        assert name in declared, f"{module} (imported by {sorted(where)}) is not a dependency"
        assert re.match(r"(>=|==|~=)\d", declared[name]), f"{name}{declared[name]}: no lower bound"
