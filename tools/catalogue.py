"""Keep the catalogue in step with the code (needs Babel: ``pip install babel``).

    python tools/catalogue.py extract   add every message marked ``N_`` in grader/ to the .po
                                        (translations kept; a message no longer in the code dropped)
    python tools/catalogue.py compile   write grader.mo from the .po

A message marked inside ``say(N_(...), ...)`` is an evidence message: it goes into the .po with
the context ``evidence`` (``msgctxt "evidence"``), so the grader looks it up by its exact text
and never takes it for a flag's reason when it matches a reason's English against the catalogue.

The .mo is committed beside the .po, so the grader reads its Chinese without Babel (a build
tool, not a dependency); ``tests/test_catalogue.py`` fails when it differs from what the .po
compiles to.
"""
from __future__ import annotations

import ast
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from grader.locale import DOMAIN, EVIDENCE, LOCALE

PACKAGE = Path(__file__).resolve().parent.parent / "grader"
FOLDER = PACKAGE / "locale" / LOCALE / "LC_MESSAGES"
PO = FOLDER / f"{DOMAIN}.po"
MO = FOLDER / f"{DOMAIN}.mo"
HEADER = """\
# The Chinese of the grader's flag reasons and evidence messages (msgctxt "evidence"). Each msgid
# is the English the code writes, its {fields} filled with measured values; the msgstr uses the
# same fields or fewer of them. After editing: python tools/catalogue.py compile"""

Key = tuple[str | None, str]  # a message's context (None for a flag's reason) and its msgid


def name_of(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def said() -> set[tuple[str, int, str]]:
    """Where each message marked inside a ``say`` call is marked: file, line and msgid."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and name_of(node.func) == "say" and node.args:
                marked = node.args[0]
                if (isinstance(marked, ast.Call) and name_of(marked.func) == "N_" and marked.args
                        and isinstance(marked.args[0], ast.Constant)):
                    found.add((f"grader/{path.relative_to(PACKAGE).as_posix()}", marked.lineno, marked.args[0].value))
    return found


def extracted() -> dict[Key, list[tuple[str, int]]]:
    """Every message marked ``N_`` in the package, by its context, with where it is marked."""
    evidence = said()
    found: dict[Key, list[tuple[str, int]]] = {}
    for filename, lineno, message, _, _ in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords={"N_": None}, comment_tags=()):
        place = (f"grader/{Path(filename).as_posix()}", lineno)
        context = EVIDENCE if (*place, message) in evidence else None
        found.setdefault((context, message), []).append(place)
    return found


def read_catalogue() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale=LOCALE, domain=DOMAIN)


def compiled(catalogue: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    return buffer.getvalue()


def extract() -> None:
    old = read_catalogue() if PO.exists() else Catalog(locale=LOCALE, domain=DOMAIN)
    new = Catalog(locale=LOCALE, domain=DOMAIN, project="exam-grader", version="", charset="utf-8",
                  header_comment=HEADER, creation_date=old.creation_date, revision_date=old.creation_date,
                  fuzzy=False, msgid_bugs_address="-", last_translator="exam-grader",
                  language_team="exam-grader zh_CN")
    for (context, msgid), places in sorted(extracted().items(), key=lambda item: (item[0][1], item[0][0] or "")):
        before = old.get(msgid, context=context)
        new.add(msgid, before.string if before is not None else "", locations=places,
                flags=("python-brace-format",) if "{" in msgid else (), context=context)
    with PO.open("wb") as handle:
        write_po(handle, new, width=100, sort_output=True, include_lineno=False)


def compile_mo() -> None:
    MO.write_bytes(compiled(read_catalogue()))


if __name__ == "__main__":
    commands = {"extract": extract, "compile": compile_mo}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
