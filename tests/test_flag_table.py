"""Every flag code the grader raises has its row in grader/flags.py and in the README, and no row
names a code nothing raises.

The codes raised are found by parsing ``grader/``: every call of ``Flag``, ``Failure`` or a
``.flag`` method whose code (first argument, or ``code=``) is a string literal, or a name bound
to one at module level (``TOO_LARGE = "image-too-large"``, also when imported). A code that is
neither, nor an existing flag's ``.code`` passed on, fails the scan: a new way of raising a flag
must be taught to it rather than slip past.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from grader.flags import FLAGS, KINDS, markdown_table

ROOT = Path(__file__).resolve().parents[1]
GRADER = ROOT / "grader"
RAISERS = {"Flag", "Failure", "flag"}  # Flag(code, …), Failure(code, …), submission.flag(code, …)
FORWARDED = {"code"}  # a helper's own parameter, or an existing flag's ``.code`` passed on


def module_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to string literals: ``A = "x"`` and ``A, B = "x", "y"``."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts))
            for name, value in pairs:
                if isinstance(name, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found[name.id] = value.value
    return found


def raised_codes(sources: dict[str, str]) -> tuple[dict[str, list[str]], list[str]]:
    """(code -> where it is raised, calls whose code could not be told) of ``sources`` (name -> text)."""
    trees = {name: ast.parse(text, name) for name, text in sources.items()}
    constants = {name: module_constants(tree) for name, tree in trees.items()}
    everywhere = {k: v for table in constants.values() for k, v in table.items()}
    codes: dict[str, list[str]] = {}
    unknown: list[str] = []
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if func not in RAISERS:
                continue
            code = next((k.value for k in node.keywords if k.arg == "code"), node.args[0] if node.args else None)
            where = f"{name}:{node.lineno}"
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                codes.setdefault(code.value, []).append(where)
            elif isinstance(code, ast.Name) and code.id in constants[name] | everywhere:
                codes.setdefault((constants[name] | everywhere)[code.id], []).append(where)
            elif isinstance(code, ast.Name) and code.id in FORWARDED or \
                    isinstance(code, ast.Attribute) and code.attr in FORWARDED:
                continue
            else:
                unknown.append(f"{where} {ast.unparse(node)[:80]}")
    return codes, unknown


def grader_sources() -> dict[str, str]:
    """The grader's modules, the demo generator's aside: its ``Failure`` is a defect it writes into
    a demo candidate, not a flag the grader raises."""
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted(GRADER.rglob("*.py"))
            if "samples" not in p.relative_to(GRADER).parts}


@pytest.fixture(scope="module")
def raised():
    return raised_codes(grader_sources())


def readme_rows() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- flag table: grader.flags.markdown_table() -->\n")[1].split("<!-- end of flag table -->")[0]
    rows = {}
    for line in table.splitlines()[2:]:
        code = re.search(r"`([a-z0-9-]+)`", line.split("|")[1])
        assert code, line
        rows[code.group(1)] = line
    return rows


def test_every_raised_code_has_a_row_in_the_table(raised):
    codes, unknown = raised
    assert not unknown, "flag codes the scan cannot read (use a literal or a module constant):\n" + \
        "\n".join(unknown)
    missing = {code: where for code, where in codes.items() if code not in KINDS}
    assert not missing, f"flag codes without a row in grader/flags.py: {missing}"


def test_no_row_names_a_code_the_grader_never_raises(raised):
    codes, _ = raised
    assert sorted(set(KINDS) - set(codes)) == []


def test_the_scan_finds_the_codes_of_every_stage(raised):
    codes, _ = raised
    assert {"duplicate-candidate", "unreadable-file", "image-too-large", "unit-g-for-kg", "check-error",
            "not-on-roster", "similar-to", "worker-died"} <= set(codes)
    assert len(codes) == len(FLAGS) == 25


def test_the_readme_holds_the_table_as_generated():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in text, "README's flag table differs from grader.flags.markdown_table()"
    assert sorted(readme_rows()) == sorted(KINDS)


def test_a_new_literal_code_without_a_row_is_caught():
    codes, unknown = raised_codes({
        "a.py": 'NEW = "brand-new"\n'
                'def f(s):\n'
                '    s.flag("also-new", "why")\n'
                '    return Flag(NEW, "why"), Failure(code="third-new", reason="")\n',
        "b.py": 'from a import NEW\nFlag(NEW, "again")\nFlag(f"made-{1}", "")\nFlag(old.code, "kept")\n',
    })
    assert sorted(codes) == ["also-new", "brand-new", "third-new"] and codes["brand-new"] == ["a.py:4", "b.py:2"]
    assert unknown == ["b.py:3 Flag(f'made-{1}', '')"]


def test_each_row_is_filled_in_both_languages():
    for kind in FLAGS:
        assert all(kind), kind
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", kind.code), kind.code
        assert kind.stage in {"intake", "read", "check", "score", "pipeline", "supervise"}, kind
    assert len({k.name_zh for k in FLAGS}) == len(FLAGS)
