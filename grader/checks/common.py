"""Helpers every check family shares: evidence from cells, and reading a sheet that may be missing."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from grader.checks import CheckContext
from grader.locale import N_, Said, say
from grader.model import Evidence, Outcome
from grader.records.tables import Cell, Sheet, Workbook
from grader.values import shown, shown_zh

Problem = Said  # one broken rule, said in English and Chinese with the measured values


def joined(problems: list[Said] | tuple[Said, ...], en: str = "; ", zh: str = "；") -> Said:
    """Several problems said as one, each language with its own separator."""
    return Said(en.join(p.en for p in problems), zh.join(p.zh for p in problems))


def shown_both(value: object) -> Said:
    """A cell's value as each language shows it (an empty cell: ``(empty)``, 空白)."""
    return Said(shown(value), shown_zh(value))


def at(sheet: Sheet | None, cell: Cell | None, message: str, message_zh: str, *, expected: Any = "",
       found: Any = None, ok: bool = False) -> Evidence:
    """Evidence pointing at a cell of a sheet; ``found`` defaults to the cell's value."""
    if found is None and cell is not None:
        found = shown(cell.value)
    return Evidence(
        message=message,
        message_zh=message_zh,
        file=sheet.file if sheet else "",
        sheet=sheet.name if sheet else "",
        cell=cell.ref if cell else "",
        expected=str(expected) if expected != "" else "",
        found=str(found) if found is not None else "",
        ok=ok,
    )


def sheet_or_outcome(ctx: CheckContext, name: str) -> tuple[Sheet | None, Outcome | None]:
    """The named sheet of the unit's workbook, or a zero outcome saying which sheet is missing."""
    book: Workbook = ctx.deliverable
    sheet = book.sheet(name) if book is not None else None
    if sheet is not None:
        return sheet, None
    file = book.file if book is not None else ""
    evidence = Evidence(*say(N_("sheet {name!r} not found in {file}"), name=name, file=file),
                        file=file, sheet=name, expected=f"a sheet named {name}", found="(missing)")
    return None, Outcome(Fraction(0), (evidence,))


def all_or_nothing(evidence: list[Evidence]) -> Outcome:
    """Full share when every evidence item is ok (and there is at least one), else none."""
    ok = bool(evidence) and all(e.ok for e in evidence)
    return Outcome(Fraction(1 if ok else 0), tuple(evidence))
