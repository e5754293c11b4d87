"""The import graph shows the stages (README, "How it is built"): intake → read → check → score →
report, data passed forward only. Reports read results, never the readers or the disc; readers
and checks know nothing of the reports; checks take from the readers only their records and
value helpers."""
from __future__ import annotations

import ast
from pathlib import Path

GRADER = Path(__file__).resolve().parent.parent / "grader"

# What checks may import from grader.read: the records the readers make and pure value helpers.
CHECKS_MAY_READ = {"grader.read.tables", "grader.values"}
# Where checks still take more of a reader today: none (the key's photos and emails are read
# through the key, ``Key.photos`` and ``Key.email``, when the paper loads).
CHECKS_READ_TODAY: set[tuple[str, str]] = set()


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top, in a function or under TYPE_CHECKING."""
    found: set[str] = set()
    package = ".".join(path.relative_to(GRADER.parent).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from grader import read`
    return found


def stage(folder: str) -> dict[str, set[str]]:
    return {p.relative_to(GRADER).as_posix(): imports(p) for p in sorted((GRADER / folder).rglob("*.py"))}


def under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def offending(folder: str, package: str) -> set[tuple[str, str]]:
    return {(name, module) for name, found in stage(folder).items() for module in found if under(module, package)}


def test_the_stages_are_where_the_readme_says():
    for folder in ("intake.py", "read", "checks", "score.py", "report"):
        assert (GRADER / folder).exists(), folder


def test_reports_import_nothing_of_the_readers_or_the_disc():
    for package in ("grader.read", "grader.intake", "grader.sources", "grader.checks"):
        assert offending("report", package) == set(), package


def test_readers_and_checks_know_nothing_of_the_reports():
    assert offending("read", "grader.report") == set()
    assert offending("checks", "grader.report") == set()


def test_checks_take_only_records_and_value_helpers_from_the_readers():
    taken = {(name, module) for name, module in offending("checks", "grader.read")
             if module != "grader.read" and not any(under(module, allowed) for allowed in CHECKS_MAY_READ)}
    # `from grader.read.tables import Sheet` also yields grader.read.tables.Sheet: keep modules only
    taken = {(name, module) for name, module in taken
             if not any(module.startswith(other + ".") for _, other in taken)}
    assert taken == CHECKS_READ_TODAY


PILLOW_SWITCHES = {"LOAD_TRUNCATED_IMAGES", "MAX_IMAGE_PIXELS"}
WARNING_SWITCHES = {"simplefilter", "filterwarnings", "catch_warnings", "resetwarnings"}


def touches_process_switches(path: Path) -> list[str]:
    """Pillow's process-wide settings and the warnings filters a module names."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and (node.attr in PILLOW_SWITCHES or (
                node.attr in WARNING_SWITCHES and isinstance(node.value, ast.Name) and node.value.id == "warnings")):
            found.append(node.attr)
        elif isinstance(node, ast.ImportFrom) and node.module == "warnings":
            found.extend(a.name for a in node.names if a.name in WARNING_SWITCHES)
    return found


def test_pillows_process_wide_switches_are_held_in_one_module():
    holders = {p.relative_to(GRADER).as_posix() for p in GRADER.rglob("*.py") if touches_process_switches(p)}
    assert holders == {"read/pillow.py"}


def registered_in(folder: str, decorator: str) -> set[str]:
    """The names registered with ``@decorator("name", ...)`` in the modules of a package, read from the source."""
    names = set()
    for path in (GRADER / folder).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                names.update(d.args[0].value for d in node.decorator_list if isinstance(d, ast.Call)
                             and isinstance(d.func, ast.Name) and d.func.id == decorator)
    return names


def test_the_registries_hold_every_registered_module():
    """Check and reader modules are imported by an explicit list: none left out of it."""
    from grader.checks import load_all as load_checks
    from grader.read import load_all as load_readers

    assert set(load_checks()) == registered_in("checks", "check")
    assert set(load_readers()) == registered_in("read", "reader")


def test_the_registries_are_loaded_by_an_explicit_list_not_a_scan():
    for package in ("checks", "read"):
        assert {"pkgutil", "importlib"}.isdisjoint(imports(GRADER / package / "__init__.py")), package
