"""Keep the catalogue in step with the code (needs Babel: ``pip install babel``).

    python tools/catalogue.py extract   add every message marked ``N_`` in grader/ to the .po
                                        (translations kept; a message no longer in the code dropped)
    python tools/catalogue.py compile   write grader.mo from the .po

The .mo is committed beside the .po, so the grader reads its Chinese without Babel (a build
tool, not a dependency); ``tests/test_catalogue.py`` fails when it differs from what the .po
compiles to.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from grader.locale import DOMAIN, LOCALE

PACKAGE = Path(__file__).resolve().parent.parent / "grader"
FOLDER = PACKAGE / "locale" / LOCALE / "LC_MESSAGES"
PO = FOLDER / f"{DOMAIN}.po"
MO = FOLDER / f"{DOMAIN}.mo"
HEADER = """\
# The Chinese of the grader's flag reasons. Each msgid is the English the code raises, its
# {fields} filled with measured values; the msgstr must use the same fields.
# After editing: python tools/catalogue.py compile"""


def extracted() -> dict[str, list[tuple[str, int]]]:
    """Every message marked ``N_`` in the package, with where it is marked."""
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _, _ in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords={"N_": None}, comment_tags=()):
        found.setdefault(message, []).append((f"grader/{filename}", lineno))
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
    for msgid, places in sorted(extracted().items()):
        before = old.get(msgid)
        new.add(msgid, before.string if before is not None else "", locations=places,
                flags=("python-brace-format",) if "{" in msgid else ())
    with PO.open("wb") as handle:
        write_po(handle, new, width=100, sort_output=True, include_lineno=False)


def compile_mo() -> None:
    MO.write_bytes(compiled(read_catalogue()))


if __name__ == "__main__":
    commands = {"extract": extract, "compile": compile_mo}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
