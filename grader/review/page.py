"""What the review page shows, as data: the queue, and one candidate beside the deliverables as read.

Made from the results folder alone (``grader.review.actions.open_folder``) and the cache: the
candidate's result as the reports show it, and the deliverables as the read stage left them
(``grader.cache.load_records``): every sheet as a grid with the cells the evidence cites marked,
each image with its measurements and preview, each text with the elements found marked. The
disc is not opened; a reviewer can look at any sheet after the disc has gone back to the store.
Values stay as they are here; the templates escape them (Jinja2 autoescape).
"""
from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from grader import cache
from grader.flags import labelled
from grader.model import (
    ABSENT,
    IMAGE_SUFFIXES,
    MISSING,
    READ,
    STATUS_LABELS,
    TEXT_SUFFIXES,
    CandidateResult,
    Decision,
    FileRecord,
    fraction_text,
)
from grader.records.images import ImageFolder
from grader.records.service import ServiceFolder
from grader.records.tables import Workbook, cell_position
from grader.review.actions import WAITING, Folder
from grader.score import display

MAX_CELL_TEXT = 200  # characters of a cell shown in a grid; the whole value is its title


@dataclass
class GridView:
    """One sheet of a workbook as read, laid out for the page."""

    anchor: str
    file: str
    name: str
    columns: list[str]
    rows: list[tuple[int, list[dict[str, Any]]]]  # row number, its cells
    cited: int  # cells the evidence cites here
    cut: str = ""  # why not every cell is shown, in words


@dataclass
class DeliverableView:
    """One deliverable: what was read of it, or why nothing was."""

    name: str
    state: str
    file: str
    reason: str = ""
    grids: list[GridView] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    texts: list[Any] = field(default_factory=list)  # grader.report.html.TextView
    listing: tuple[str, ...] = ()
    anchors: dict[str, str] = field(default_factory=dict)  # each text's id on the page


def queue_view(folder: Folder) -> list[dict[str, Any]]:
    """The candidates who need review, in roster order, each with its open flags."""
    return [{"result_id": r.result_id, "user": r.user, "name": r.name, "candidate_no": r.candidate_no,
             "status": r.status, "status_label": STATUS_LABELS.get(r.status, r.status),
             "total": display(r.total, folder.paper.places),
             "flags": [labelled(f.code) + (f" ({f.unit})" if f.unit else "") for f in r.open_flags()]}
            for r in folder.results if r.status in WAITING]


def candidate_view(folder: Folder, result_id: str) -> dict[str, Any]:
    """Everything the candidate's review page shows; KeyError for a result id not of this folder."""
    result = next((r for r in folder.results if r.result_id == result_id), None)
    if result is None:
        raise KeyError(result_id)
    places = folder.paper.places
    records = cache.load_records(folder.out, result_id) if result.status != ABSENT else ()
    cited = _cited(result)
    entry = cache.load(folder.out, result_id, None)
    exhibits = entry[2] if entry is not None else {}
    by_name = {r.name: r for r in records}
    decided = result.decided()
    units = []
    for unit in result.units:
        spec = next((u for u in folder.paper.units if u.id == unit.id), None)
        record = by_name.get(spec.deliverable) if spec is not None else None
        units.append({
            "id": unit.id, "title": unit.title, "title_en": unit.title_en,
            "points": display(unit.points, places), "maximum": display(unit.maximum, places),
            "criteria": [_criterion_view(c, places, cited, record.file if record else "") for c in unit.criteria],
            "flags": [_flag_view(f, decided) for f in result.flags if f.unit == unit.id],
            "deliverable": _deliverable(record, result, exhibits, cited) if record is not None else None,
        })
    order = [r.result_id for r in folder.results]
    waiting = {r.result_id for r in folder.results if r.status in WAITING}
    return {
        "result_id": result.result_id, "user": result.user, "name": result.name,
        "candidate_no": result.candidate_no, "folder": result.folder, "status": result.status,
        "status_label": STATUS_LABELS.get(result.status, result.status), "waiting": result.status in WAITING,
        "total": display(result.total, places), "passed": result.passed, "absent": result.status == ABSENT,
        "flags": [_flag_view(f, decided) for f in result.flags], "open_flags": len(result.open_flags()),
        "other_flags": [_flag_view(f, decided) for f in result.flags if not f.unit],
        "units": units, "decisions": [_decision_view(d) for d in result.decisions],
        "criteria": [(c.id, c.title, fraction_text(c.maximum)) for u in result.units for c in u.criteria],
        "next": _neighbour(order, waiting, result.result_id, 1),
        "previous": _neighbour(order, waiting, result.result_id, -1),
        "records_kept": bool(records),
    }


def _neighbour(order: list[str], waiting: set[str], result_id: str, step: int) -> str:
    """The nearest candidate after (``step`` 1) or before (-1) ``result_id`` in roster order who
    needs review; "" when there is none.

    >>> order = ["ks01", "ks02", "ks03", "ks04"]
    >>> _neighbour(order, {"ks01", "ks04"}, "ks02", 1), _neighbour(order, {"ks01", "ks04"}, "ks02", -1)
    ('ks04', 'ks01')
    >>> _neighbour(order, {"ks01"}, "ks01", 1)
    ''
    """
    at = order.index(result_id) + step
    while 0 <= at < len(order):
        if order[at] in waiting:
            return order[at]
        at += step
    return ""


def _flag_view(flag: Any, decided: dict[str, Decision]) -> dict[str, Any]:
    decision = decided.get(flag.key())
    return {"code": flag.code, "label": labelled(flag.code), "reason": flag.reason, "file": flag.file,
            "unit": flag.unit, "key": flag.key(), "decided": decision.seq if decision else None,
            "decided_by": f"{decision.kind} · {decision.examiner}" if decision else ""}


def _decision_view(decision: Decision) -> dict[str, Any]:
    what = {"confirm": "确认 confirm", "override": "改分 override", "amend": "修正答案 key amendment"}
    points = fraction_text(decision.points) if decision.points is not None else ""
    detail = ""
    if decision.kind == "override":
        detail = f"{decision.criterion} → {points}"
    elif decision.kind == "amend":
        said = f"{decision.expected} → " if decision.expected else ""
        detail = f"{decision.criterion}: {said}{decision.found} ({points} each)"
    return {"seq": decision.seq, "kind": decision.kind, "what": what.get(decision.kind, decision.kind),
            "detail": detail, "examiner": decision.examiner, "reason": decision.reason, "at": decision.at,
            "flags": len(decision.flags)}


def _criterion_view(criterion: Any, places: int, cited: dict[tuple[str, str, str], list], own: str
                    ) -> dict[str, Any]:
    """A criterion and its evidence; where an item stands names its file only when it is not the
    unit's own deliverable (``own``), which stands beside it."""
    evidence = []
    for item in criterion.evidence:
        where = [part for part in (item.file if item.file != own else "", item.sheet) if part]
        anchor = ""
        if item.file and item.sheet and item.cell and (item.file, item.sheet, item.cell) in cited:
            anchor = cell_anchor(item.file, item.sheet, item.cell)
        elif item.file.lower().endswith((*IMAGE_SUFFIXES, *TEXT_SUFFIXES)):
            anchor = file_anchor(item.file)
        evidence.append({"ok": item.ok, "message": item.message, "message_zh": item.message_zh, "file": item.file,
                         "sheet": item.sheet, "cell": item.cell, "expected": item.expected, "found": item.found,
                         "anchor": anchor, "where": where})
    return {"id": criterion.id, "title": criterion.title, "points": display(criterion.points, places),
            "maximum": display(criterion.maximum, places), "exact": fraction_text(criterion.points),
            "lost": criterion.points < criterion.maximum, "graded": criterion.graded,
            "automatic": display(criterion.automatic, places) if criterion.automatic is not None else "",
            "override": dict(criterion.override) if criterion.override else None, "evidence": evidence}


def _cited(result: CandidateResult) -> dict[tuple[str, str, str], list[tuple[str, bool]]]:
    """(file, sheet, cell) → the criteria citing it, each with whether the item was in order."""
    found: dict[tuple[str, str, str], list[tuple[str, bool]]] = {}
    for unit in result.units:
        for criterion in unit.criteria:
            for item in criterion.evidence:
                if item.file and item.sheet and item.cell and _is_cell(item.cell):
                    found.setdefault((item.file, item.sheet, item.cell), []).append((criterion.id, item.ok))
    return found


def _is_cell(ref: str) -> bool:
    try:
        cell_position(ref)
    except ValueError:
        return False
    return True


def file_anchor(file: str) -> str:
    """The page's id of a picture or text of the candidate's folder."""
    return cell_anchor(file, "", "file")


def cell_anchor(file: str, sheet: str, ref: str) -> str:
    """The page's id of a cell of a sheet: stable, and safe whatever the file and sheet are named."""
    import hashlib

    return "c-" + hashlib.sha256(f"{file}\0{sheet}".encode("utf-8", "surrogateescape")).hexdigest()[:10] + "-" + ref


def _deliverable(record: FileRecord, result: CandidateResult, exhibits: dict[str, Any],
                 cited: dict[tuple[str, str, str], list]) -> DeliverableView:
    view = DeliverableView(record.name, record.state, record.file, record.reason)
    if record.state != READ:
        if record.state == MISSING and not record.reason:
            view.reason = "not handed in 未提交"
        return view
    parsed = record.parsed
    if isinstance(parsed, Workbook):
        view.grids = [_grid_view(parsed.file, grid, cited) for grid in parsed.grids]
    elif isinstance(parsed, ImageFolder):
        view.images = [_image_view(f) for f in parsed.files]
    elif isinstance(parsed, ServiceFolder):
        from grader.report.html import _texts

        view.texts = [t for t in _texts(result, {**parsed.exhibits(), **exhibits})
                      if t.file.startswith(parsed.folder.rstrip("/") + "/")]
        view.anchors = {t.file: file_anchor(t.file) for t in view.texts}
        if parsed.mailbox is not None:
            view.grids = [_grid_view(parsed.mailbox.file, grid, cited) for grid in parsed.mailbox.grids]
    else:
        view.listing = tuple(getattr(parsed, "files", ()))
    return view


def _grid_view(file: str, grid: Any, cited: dict[tuple[str, str, str], list]) -> GridView:
    from openpyxl.utils import get_column_letter

    width = max((len(r) for r in grid.rows), default=0)
    here = {ref: who for (f, s, ref), who in cited.items() if f == file and s == grid.name}
    marks: dict[tuple[int, int], list] = {}
    for ref, who in here.items():
        row, column = cell_position(ref)
        marks[(row, column)] = who
        width = max(width, column) if row <= max(len(grid.rows), 1) + 1 else width
    rows = []
    for number, values in enumerate(grid.rows, start=1):
        cells = []
        for column in range(1, width + 1):
            value = values[column - 1] if column <= len(values) else None
            text = cell_text(value)
            who = marks.get((number, column), [])
            ref = f"{get_column_letter(column)}{number}"
            cells.append({"ref": ref, "text": text[:MAX_CELL_TEXT] + ("…" if len(text) > MAX_CELL_TEXT else ""),
                          "full": text, "cited": bool(who), "bad": any(not ok for _, ok in who),
                          "criteria": " ".join(dict.fromkeys(c for c, _ in who)),
                          "anchor": cell_anchor(file, grid.name, ref) if who else ""})
        rows.append((number, cells))
    cut = ""
    if grid.cut:
        cut = (f"只显示前 {len(grid.rows)} 行、{width} 列 (the sheet has {grid.rows_in_sheet} rows and "
               f"{grid.columns_in_sheet} columns; the first {len(grid.rows)} rows and {width} columns are shown)")
    return GridView(cell_anchor(file, grid.name, "sheet"), file, grid.name,
                    [get_column_letter(c) for c in range(1, width + 1)], rows, len(here), cut)


def cell_text(value: Any) -> str:
    """A cell's value as the grid shows it: as read, without the type's decoration.

    >>> cell_text(None), cell_text(12.5), cell_text(3.0), cell_text(dt.datetime(2026, 11, 2, 0, 0))
    ('', '12.5', '3', '2026-11-02')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Fraction, Decimal)):
        return str(value)
    return str(value)


def _image_view(image: Any) -> dict[str, Any]:
    found = image.found
    size = image.shown_size
    preview = "data:image/jpeg;base64," + base64.b64encode(found.preview).decode("ascii") if found.preview else ""
    return {"name": image.name, "path": image.path, "anchor": file_anchor(image.path), "slot": image.slot or "", "graded": image.graded,
            "bytes": image.size, "format": found.format or "", "mode": found.mode or "",
            "width": size[0] if size else 0, "height": size[1] if size else 0,
            "header": f"{found.header_size[0]} × {found.header_size[1]}" if found.header_size else "",
            "pixels": found.pixels, "orientation": found.orientation, "decoded": found.decoded,
            "refused": found.refused, "problem": found.problem, "preview": preview}
