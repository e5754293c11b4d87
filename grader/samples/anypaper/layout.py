"""Sheet, column and field names of a paper's deliverables, as the demo candidate writes them.

A candidate's template names every sheet, column and field as the rubric's deliverable spec
names them first (its first alias, else its own name); the drafts keep the rubric's names and
``WorkbookDraft`` writes the template's.
"""
from __future__ import annotations

from typing import Any

from grader.errors import GraderError
from grader.samples.drafts import WorkbookDraft


class SampleError(GraderError):
    """The demo generator cannot make a candidate from this paper (the message says why)."""


def spec_of(paper: Any, deliverable: str) -> Any:
    try:
        return paper.deliverables[deliverable]
    except KeyError:
        raise SampleError(f"paper {paper.id}: no deliverable {deliverable!r} in the rubric") from None


def unit_deliverable(paper: Any, check_names: set[str]) -> str | None:
    """The deliverable of the unit whose criteria use one of ``check_names``."""
    for unit in paper.units:
        if any(c.check in check_names for c in unit.criteria):
            return unit.deliverable
    return None


def sheet_spec(spec: Any, sheet: str) -> Any:
    for s in spec.sheets:
        if s.name == sheet:
            return s
    raise SampleError(f"deliverable {spec.name}: no sheet {sheet!r} in the rubric")


def labels(spec: Any) -> dict[str, dict[str, str]]:
    """For each sheet: ``""`` → its title, each column or field → its header or label, and for a
    field/value sheet ``":field"`` / ``":value"`` → the two header names."""
    out: dict[str, dict[str, str]] = {}
    for sheet in spec.sheets:
        names = {"": (sheet.aliases or (sheet.name,))[0]}
        for key, aliases in {**sheet.columns, **sheet.fields}.items():
            names[key] = (tuple(aliases) or (key,))[0]
        if sheet.fields:
            names[":field"] = (tuple(sheet.header.get("field", ())) or ("field",))[0]
            names[":value"] = (tuple(sheet.header.get("value", ())) or ("value",))[0]
        out[sheet.name] = names
    return out


def workbook(spec: Any, sheets: dict[str, list[list[Any]]]) -> WorkbookDraft:
    """A draft of ``spec``'s workbook from sheets keyed and headed by the rubric's names."""
    return WorkbookDraft(spec.names[0], sheets, labels=labels(spec))


def field_rows(sheet: Any, values: dict[str, Any]) -> list[list[Any]]:
    """A field/value sheet: the header, then one row per field the rubric declares."""
    return [[":field", ":value"]] + [[name, values.get(name, "")] for name in sheet.fields]


def table_rows(sheet: Any, rows: list[dict[str, Any]]) -> list[list[Any]]:
    """A table sheet: the rubric's columns as the header, then the rows."""
    columns = list(sheet.columns)
    return [list(columns)] + [[row.get(c) for c in columns] for row in rows]


def criteria_of(paper: Any, check: str) -> list[Any]:
    return [c for c in paper.criteria() if c.check == check]


def params_of(paper: Any, check: str, default: dict[str, Any] | None = None) -> dict[str, Any]:
    """The parameters of the first criterion graded by ``check`` (``default`` when none is)."""
    found = criteria_of(paper, check)
    if found:
        return found[0].params
    return dict(default or {})
