"""What an installed grader needs: the papers inside the wheel, and the command behind it."""
from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wheelhouse = load_tool("wheelhouse")


def own_environment(**given: str) -> dict[str, str]:
    """This process's environment without GRADER_PAPERS, which would add papers to the search."""
    return {**{k: v for k, v in os.environ.items() if k != "GRADER_PAPERS"}, **given}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The project's wheel, built as the wheelhouse builds it."""
    built = wheelhouse.project_wheel(tmp_path_factory.mktemp("wheel"))
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


def test_the_wheel_carries_the_compiled_catalogue_of_the_flag_reasons(wheel):
    folder = REPO / "grader" / "locale" / "zh_CN" / "LC_MESSAGES"
    for name in ("grader.po", "grader.mo"):
        assert wheel.read(f"grader/locale/zh_CN/LC_MESSAGES/{name}") == (folder / name).read_bytes()


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
    assert shown == [str(target / "grader" / "__init__.py"),
                     str({paper: papers / "rubrics" / f"{paper}.toml" for paper in ("2026A", "2026B")}),
                     str(papers / "answer_keys" / "2026A")]


def test_python_dash_m_grader_is_the_grade_command():
    shown = subprocess.run([sys.executable, "-m", "grader", "--version"], capture_output=True, text=True, check=False)
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


def fake_wheel(folder: Path, name: str, *requires: str) -> None:
    """A wheel holding only its METADATA, declaring ``requires``."""
    lines = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0",
             *(f"Requires-Dist: {r}" for r in requires)]
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as archive:
        archive.writestr(f"{name}-1.0.dist-info/METADATA", "\n".join(lines) + "\n")


def test_what_a_dependency_needs_on_windows_only_is_looked_up_for_a_windows_wheelhouse(tmp_path):
    fake_wheel(tmp_path, "click", 'colorama>=0.4; platform_system == "Windows"')
    fake_wheel(tmp_path, "pandas", 'numpy>=2.0; python_version < "3.14"', 'tzdata; sys_platform == "win32"',
               'tzdata; sys_platform == "emscripten"', 'pywin32; os_name == "nt" and extra == "win"')
    fake_wheel(tmp_path, "Portalocker", 'pywin32>=226; os_name == "nt"')
    assert wheelhouse.platform_only_requirements(tmp_path, "win_amd64") == ["colorama>=0.4", "pywin32>=226",
                                                                            "tzdata"]
    fake_wheel(tmp_path, "tzdata")
    assert wheelhouse.platform_only_requirements(tmp_path, "win_amd64") == ["colorama>=0.4", "pywin32>=226"]
    assert wheelhouse.platform_only_requirements(tmp_path, "manylinux2014_x86_64") == []
    assert wheelhouse.platform_only_requirements(tmp_path, None) == []


def test_results_folders_are_compared_file_by_file_and_byte_for_byte(tmp_path):
    for side in ("a", "b"):
        (tmp_path / side / "candidates").mkdir(parents=True)
        for user in ("ks01", "ks02"):
            (tmp_path / side / "candidates" / f"{user}.json").write_bytes(b'{"total": "100"}\n')
    a, b = tmp_path / "a", tmp_path / "b"
    assert wheelhouse.differences(a, b) == []
    (b / "candidates" / "ks02.json").write_bytes(b'{"total": "100"} \n')
    (b / "candidates" / "ks03.json").write_bytes(b"{}")
    (a / "candidates" / "ks01.json").unlink()
    assert wheelhouse.differences(a, b) == [f"ks01.json: only in {b}", f"ks03.json: only in {b}",
                                            "ks02.json: differs"]
    assert wheelhouse.differences(tmp_path / "c", b) == [f"{tmp_path / 'c'} holds no candidates/*.json"]
